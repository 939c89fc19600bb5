// `alipay-notify/sandbox`, Node ESM: a local Service Market (node:http and node:crypto only).
export { startSandbox } from "./dist/sandbox/sandbox.mjs";
