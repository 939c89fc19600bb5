// A strict CommonJS consumer of `alipay-notify/client`'s types.
import client = require("alipay-notify/client");

async function main(): Promise<void> {
  const c = client.createClient({ appId: "1", privateKey: "k", alipayPublicKey: "a", protocol: "v2" });
  const order = await c.orderQuery({ commodityOrderId: "1" });
  const total: number | undefined = order.totalSize;
  const s = await client.signV2Request({ appId: "1", privateKey: "k" }, { method: "m.n" });
  const body: string = s.body;
  // @ts-expect-error orderUpgrade takes productCodes as an array
  await c.orderUpgrade({ commodityOrderId: "1", productCodes: "i1" });
  void total;
  void body;
}
void main;
export {};
