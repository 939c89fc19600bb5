// `alipay-notify/client`, Node ESM: the OpenAPI client. The module with the client's core is
// instantiated synchronously at import (no init() needed).
import { readFileSync } from "node:fs";
import { initSync } from "./dist/client-web/alipay_notify.js";

initSync({ module: readFileSync(new URL("./dist/client-web/alipay_notify_bg.wasm", import.meta.url)) });

/** A no-op in Node: the module is ready at import. Kept so one code path works everywhere. */
export default async function init() {}
export { init };
export * from "./dist/client-exports.mjs";
