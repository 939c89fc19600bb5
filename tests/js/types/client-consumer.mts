// A strict ESM consumer of `alipay-notify/client`'s types, with misuse that must not compile.
import init, {
  createClient,
  signV3Request,
  signV2Request,
  verifyV3Response,
  type AlipayNotifyError,
  type Client,
  type ErrorCode,
  type OrderQueryResult,
  type SignedRequest,
} from "alipay-notify/client";

await init();
const client: Client = createClient({
  appId: "2021000000000001",
  privateKey: "MIIEvQ…",
  alipayPublicKey: "MIIBIj…",
  protocol: "v3",
  timeoutMs: 5000,
  now: () => Date.now(),
  nonce: () => crypto.randomUUID(),
  fetch: (url, init) => fetch(url, init),
});
const cert = createClient({
  appId: "2021000000000001",
  privateKey: "k",
  appCert: "pem",
  alipayCert: "pem",
  alipayRootCert: "pem",
  rotateAlipayCert: true,
  onAlipayCertRotated: ({ alipayCertSn }) => {
    void alipayCertSn;
  },
});
const order: OrderQueryResult = await client.orderQuery({ commodityOrderId: "2016", startPage: "1" });
const status: string | undefined = order.status;
const shop: string | undefined = order.orderItems?.[0]?.shopId;
const http: number = order.raw.httpStatus;
await client.orderAccept({ commodityOrderId: "2016" });
await client.orderReject({ commodityOrderId: "2016", rejectReason: "不在服务范围" });
await client.orderItemConfirm({ commodityOrderId: "2016", shopId: "1" }, { appAuthToken: "202501BB" });
await cert.commodityShopOnline({ commodityId: "1", shopId: "2" }, { appAuthToken: "t" });
const rel = await client.promotionRelationQuery({ commodityId: "SS01", pageSize: 10, pageNum: 1 });
const pid: string | undefined = rel.promotionRelations?.[0]?.promoterPid;
await client.orderUpgrade({ commodityOrderId: "2018", productCodes: ["i1"] }, { protocol: "v2" });
const any = await client.call(
  "alipay.open.app.qrcode.create",
  { url_param: "page/index" },
  { httpMethod: "POST", idempotent: false },
);
const raw = any.raw.data;
const signed: SignedRequest = await signV3Request(
  { appId: "1", privateKey: "k" },
  { method: "alipay.open.servicemarket.order.query", params: { commodity_order_id: "1" } },
);
const v2: SignedRequest = await signV2Request(
  { appId: "1", privateKey: "k", now: () => 0 },
  { method: "x.y", params: { a: 1 } },
);
const header: string | undefined = signed.headers.authorization;
verifyV3Response({ timestamp: "1", nonce: "n", body: "{}", signature: "s" }, "key");
try {
  await client.orderAccept({ commodityOrderId: "1" });
} catch (e) {
  const err = e as AlipayNotifyError;
  const code: ErrorCode = err.code;
  if (code === "ALIPAY_API_ERROR") {
    const sub: string | null | undefined = err.subCode;
    const links = err.links?.map((l) => l.link);
    void sub;
    void links;
  }
}
// @ts-expect-error a merchant API needs { appAuthToken }
await client.orderItemConfirm({ commodityOrderId: "2016" });
// @ts-expect-error commodityOrderId is required
await client.orderAccept({});
// @ts-expect-error params are camelCase
await client.orderQuery({ commodity_order_id: "1" });
// @ts-expect-error pageSize is a number
await client.promotionRelationQuery({ commodityId: "1", pageSize: "10" });
// @ts-expect-error protocol is "v3" | "v2"
createClient({ appId: "1", privateKey: "k", alipayPublicKey: "a", protocol: "v1" });
// @ts-expect-error public-key mode and certificate mode do not mix
createClient({ appId: "1", privateKey: "k", alipayPublicKey: "a", appCert: "c", alipayCert: "c", alipayRootCert: "r" });
// @ts-expect-error the Alipay key (or the certificates) is required
createClient({ appId: "1", privateKey: "k" });
// @ts-expect-error unknown option
createClient({ appId: "1", privateKey: "k", alipayPublicKey: "a", bogus: true });
// @ts-expect-error the error code union has no such code
const nope: ErrorCode = "NOPE";
void status;
void shop;
void http;
void pid;
void raw;
void v2;
void header;
void nope;
