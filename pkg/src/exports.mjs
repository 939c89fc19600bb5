// The named exports of the entries that instantiate the module synchronously (Node ESM,
// workerd). Copied to dist/ by the build. Creating the API calls nothing in wasm, so the entry
// may instantiate after this module is evaluated.
// @ts-expect-error: the wasm-bindgen glue (untyped) sits next to this file only in dist/, after the build.
import * as wasm from "./web/alipay_notify.js";
import { createApi } from "./api.mjs";

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
  applyOrderEvent,
  orderTransitions,
  rsaCertCheckV1,
  rsaCertCheckV2,
  getCertSN,
  getRootCertSN,
  verifyCertChain,
  checkAlipayCertificate,
  verifyResponse,
  verifyV3Response,
  inspectRequest,
  inspectResponse,
  aesDecrypt,
  errorCodes,
  isAlipayNotifyError,
  limits,
} = createApi(wasm);
