// Node ESM entry: the web glue, instantiated synchronously at import (no init() needed).
import { readFileSync } from "node:fs";
import { initSync } from "./dist/web/alipay_notify.js";

initSync({ module: readFileSync(new URL("./dist/web/alipay_notify_bg.wasm", import.meta.url)) });

/** A no-op in Node: the module is ready at import. Kept so one code path works everywhere. */
export default async function init() {}
export { init };
export * from "./dist/exports.mjs";
