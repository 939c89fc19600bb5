// A strict CommonJS consumer of `alipay-notify/sandbox`'s types.
import sandbox = require("alipay-notify/sandbox");

async function main(): Promise<void> {
  const sb: sandbox.Sandbox = await sandbox.startSandbox({ gateway: "http://127.0.0.1:3000/notify" });
  const { commodityOrderId } = await sb.createOrder();
  const status: string = sb.order(commodityOrderId).status;
  void status;
  await sb.close();
}
void main;
