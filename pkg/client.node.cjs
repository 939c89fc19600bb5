// `alipay-notify/client`, Node CommonJS: wasm-bindgen's nodejs glue loads the module with the
// client's core synchronously at require.
"use strict";
const wasm = require("./dist/client-node/alipay_notify.js");
const { createApi } = require("./dist/api.cjs");
const { createClientApi } = require("./dist/client.cjs");

const api = createApi(wasm);
const { verifyResponse, verifyV3Response, getCertSN, getRootCertSN, checkAlipayCertificate, errorCodes } = api;

/** A no-op in Node: the module is ready at require. */
async function init() {}

module.exports = {
  ...createClientApi(wasm, api),
  verifyResponse,
  verifyV3Response,
  getCertSN,
  getRootCertSN,
  checkAlipayCertificate,
  errorCodes,
  init,
  default: init,
};
