// Alipay Service Market notification gateway for Cloudflare Workers.
// Answers `success` only for notifications verified with your Alipay public key and handled.
import { createGateway } from "./gateway.js";
import { handleNotification } from "./handle.js";

export default createGateway(handleNotification);
