// `alipay-notify/sandbox`, Node CommonJS: a local Service Market (node:http and node:crypto only).
"use strict";
module.exports = require("./dist/sandbox/sandbox.cjs");
