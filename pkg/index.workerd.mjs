// Cloudflare Workers entry: workerd hands a compiled WebAssembly.Module for a .wasm import,
// so instantiation is synchronous at module load (no init() needed).
import wasmModule from "./dist/web/alipay_notify_bg.wasm";
import * as wasm from "./dist/web/alipay_notify.js";
import { createApi } from "./dist/api.mjs";

wasm.initSync({ module: wasmModule });

const api = createApi(wasm);

/** A no-op in Workers: the module is ready at import. */
export default async function init() {}
export { init };
export const {
  ACK,
  parseNotification,
  verifyNotification,
  inspectNotification,
  rsaCheckV1,
  rsaCheckV2,
  getSignCheckContentV1,
  getSignCheckContentV2,
  decodeOrderStatus,
  rsaCertCheckV1,
  rsaCertCheckV2,
  getCertSN,
  getRootCertSN,
  verifyCertChain,
  verifyResponse,
  verifyV3Response,
  aesDecrypt,
  errorCodes,
  limits,
} = api;
