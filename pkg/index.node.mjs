// Node ESM entry: the web glue, instantiated synchronously at import (no init() needed).
import { readFileSync } from "node:fs";
import * as wasm from "./dist/web/alipay_notify.js";
import { createApi } from "./dist/api.mjs";

wasm.initSync({ module: readFileSync(new URL("./dist/web/alipay_notify_bg.wasm", import.meta.url)) });

const api = createApi(wasm);

/** A no-op in Node: the module is ready at import. Kept so one code path works everywhere. */
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
