// A strict CommonJS consumer of the package's types.
import api = require("alipay-notify");

const n = api.verifyNotification("a=1", "key", { signTypes: ["RSA2"] });
const verified: boolean = n.verified;
const variant: "v1" | "v2" | null = n.variant;
const s = api.decodeOrderStatus("ISV_ACCEPTED");
const days: number | undefined = s?.rule?.days;
// @ts-expect-error signType is RSA2 | RSA
api.rsaCheckV2({}, "key", { signType: "SM2" });
void verified;
void variant;
void days;
export {};
