// The named exports of the `alipay-notify/client` entries that instantiate the module
// synchronously (Node ESM, workerd): the OpenAPI client on the whole core (the verify-only
// module of the main entry has no client). Copied to dist/ by the build.
// @ts-expect-error: the wasm-bindgen glue (untyped) sits next to this file only in dist/, after the build.
import * as wasm from "./client-web/alipay_notify.js";
import { createApi } from "./api.mjs";
import { createClientApi } from "./client.mjs";

const api = createApi(wasm);

export const { createClient, signV3Request, signV2Request } = createClientApi(wasm, api);
export const { verifyResponse, verifyV3Response, getCertSN, getRootCertSN, checkAlipayCertificate, errorCodes } = api;
