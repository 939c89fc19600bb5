// Browser (and default) entry: the wasm is fetched next to this file, so `await init()` once
// before the first call. Calling earlier throws a coded error instead of a TypeError.
import initWasm, * as wasm from "./dist/web/alipay_notify.js";
import { createApi } from "./dist/api.mjs";

const api = createApi(wasm);
let ready = null;
let loaded = false;

/**
 * Loads the WebAssembly module. `input` is optional: a URL, Response, BufferSource or
 * WebAssembly.Module of `alipay_notify_bg.wasm` (by default it is fetched beside this file).
 */
export default function init(input) {
  if (!ready) {
    ready = initWasm(input === undefined ? undefined : { module_or_path: input }).then(
      () => {
        loaded = true;
      },
      (err) => {
        ready = null; // a failed load (e.g. a network error) can be retried
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
      const err = new Error("alipay-notify is not initialised: `await init()` before the first call");
      err.name = "AlipayNotifyError";
      err.code = "NOT_INITIALIZED";
      throw err;
    }
    return fn(...args);
  };
}

export const ACK = api.ACK;
export const parseNotification = guarded(api.parseNotification);
export const verifyNotification = guarded(api.verifyNotification);
export const inspectNotification = guarded(api.inspectNotification);
export const rsaCheckV1 = guarded(api.rsaCheckV1);
export const rsaCheckV2 = guarded(api.rsaCheckV2);
export const getSignCheckContentV1 = guarded(api.getSignCheckContentV1);
export const getSignCheckContentV2 = guarded(api.getSignCheckContentV2);
export const decodeOrderStatus = guarded(api.decodeOrderStatus);
export const applyOrderEvent = guarded(api.applyOrderEvent);
export const orderTransitions = guarded(api.orderTransitions);
export const rsaCertCheckV1 = guarded(api.rsaCertCheckV1);
export const rsaCertCheckV2 = guarded(api.rsaCertCheckV2);
export const getCertSN = guarded(api.getCertSN);
export const getRootCertSN = guarded(api.getRootCertSN);
export const verifyCertChain = guarded(api.verifyCertChain);
export const checkAlipayCertificate = guarded(api.checkAlipayCertificate);
export const verifyResponse = guarded(api.verifyResponse);
export const verifyV3Response = guarded(api.verifyV3Response);
export const inspectRequest = guarded(api.inspectRequest);
export const inspectResponse = guarded(api.inspectResponse);
export const aesDecrypt = guarded(api.aesDecrypt);
export const errorCodes = guarded(api.errorCodes);
// Needs no module: usable in a `catch` before `init()` finished.
export const isAlipayNotifyError = api.isAlipayNotifyError;
export const limits = guarded(api.limits);
