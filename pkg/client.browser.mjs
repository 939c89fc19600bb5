// `alipay-notify/client`, browsers (and default): the module with the client's core is fetched
// next to this file, so `await init()` once before the first call.
import initWasm, * as wasm from "./dist/client-web/alipay_notify.js";
import { createApi } from "./dist/api.mjs";
import { createClientApi } from "./dist/client.mjs";

const api = createApi(wasm);
const client = createClientApi(wasm, api);
let ready = null;
let loaded = false;

/** Loads the WebAssembly module (`input`: optional URL, Response, BufferSource or Module). */
export default function init(input) {
  if (!ready) {
    ready = initWasm(input === undefined ? undefined : { module_or_path: input }).then(
      () => {
        loaded = true;
      },
      (err) => {
        ready = null; // a failed load can be retried
        throw err;
      },
    );
  }
  return ready;
}
export { init };

function guarded(fn) {
  return (...args) => {
    if (!loaded) {
      const err = new Error("alipay-notify/client is not initialised: `await init()` before the first call");
      err.name = "AlipayNotifyError";
      err.code = "NOT_INITIALIZED";
      throw err;
    }
    return fn(...args);
  };
}

export const createClient = guarded(client.createClient);
export const signV3Request = guarded(client.signV3Request);
export const signV2Request = guarded(client.signV2Request);
export const verifyResponse = guarded(api.verifyResponse);
export const verifyV3Response = guarded(api.verifyV3Response);
export const getCertSN = guarded(api.getCertSN);
export const getRootCertSN = guarded(api.getRootCertSN);
export const checkAlipayCertificate = guarded(api.checkAlipayCertificate);
export const errorCodes = guarded(api.errorCodes);
