// A strict ESM consumer of `alipay-notify/sandbox`'s types, with misuse that must not compile.
import { startSandbox, type Sandbox, type SandboxLogEntry, type SandboxOrder } from "alipay-notify/sandbox";

const sb: Sandbox = await startSandbox({ gateway: "http://127.0.0.1:3000/notify", port: 0, signType: "RSA2" });
const url: string = sb.url;
const key: string | undefined = sb.appPrivateKey;
const made = await sb.createOrder({ items: [{ shopId: "1" }, { miniAppId: "2" }], paid: false, charset: "GBK" });
const token: string = made.appAuthToken;
const order: SandboxOrder = await sb.pay(made.commodityOrderId);
const status: string = order.status;
await sb.advance({ days: 3, minutes: 1 });
for (const e of sb.log as ReadonlyArray<SandboxLogEntry>) {
  if (e.type === "delivery") {
    const attempt: number = e.attempt;
    void attempt;
  } else if (e.type === "call") {
    const verified: boolean = e.verified;
    void verified;
  }
}
const text: string = sb.timeline();
await sb.close();
void [url, key, token, status, text];

// @ts-expect-error: the gateway is required
await startSandbox({ port: 0 });
// @ts-expect-error: items are { shopId } or { miniAppId }
await sb.createOrder({ items: [{ storeId: "1" }] });
// @ts-expect-error: only UTF-8 or GBK
await sb.createOrder({ charset: "latin1" });
// @ts-expect-error: advance takes days, hours, minutes
await sb.advance({ seconds: 5 });
