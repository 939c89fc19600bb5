// `alipay-notify/client`, Cloudflare Workers: workerd hands a compiled WebAssembly.Module for a
// .wasm import, so instantiation is synchronous at module load (no init() needed).
import wasmModule from "./dist/client-web/alipay_notify_bg.wasm";
import { initSync } from "./dist/client-web/alipay_notify.js";

initSync({ module: wasmModule });

/** A no-op in Workers: the module is ready at import. */
export default async function init() {}
export { init };
export * from "./dist/client-exports.mjs";
