// Alipay Service Market notification gateway for Cloudflare Workers: answers `success` only for
// notifications verified with your Alipay public key and handled, and drives each order's
// lifecycle in its own Durable Object (acting through the OpenAPI when an app key is set).
import { createGateway } from "./gateway.js";
import { route } from "./route.js";

export { MerchantObject } from "./merchant.js";
export { OrderObject } from "./order.js";

export default createGateway(route);
