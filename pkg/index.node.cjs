// Node CommonJS entry: wasm-bindgen's nodejs glue loads the module synchronously at require.
"use strict";
const wasm = require("./dist/node/alipay_notify.js");
const { createApi } = require("./dist/api.cjs");

const api = createApi(wasm);

/** A no-op in Node: the module is ready at require. */
async function init() {}

module.exports = { ...api, init, default: init };
