// A strict ESM consumer of the package's types.
import init, {
  ACK,
  verifyNotification,
  parseNotification,
  inspectNotification,
  rsaCheckV1,
  getSignCheckContentV2,
  decodeOrderStatus,
  isAlipayNotifyError,
  type AlipayNotifyError,
  type AlipayNotification,
  type VerifyOptions,
  type ErrorCode,
} from "alipay-notify";

await init();
const options: VerifyOptions = {
  variant: "auto",
  signTypes: ["RSA2", "RSA"],
  emptyValues: "keep",
  appId: "2021",
  now: new Date(),
  maxAgeSeconds: 300,
};
const n: AlipayNotification = verifyNotification(new Uint8Array([1]), "key", options);
if (n.kind === "alipay.open.servicemarket.order.change.notify") {
  const status: string | null = n.status;
  const terminal: boolean | undefined = n.statusInfo?.terminal;
  const at: string | undefined = n.deadline?.at;
  void status;
  void terminal;
  void at;
} else if (n.kind === "open_app_auth_notify") {
  const expires: number | null | undefined = n.detail?.expiresIn;
  void expires;
} else if (n.kind === "servicemarket_order_notify") {
  const names: (string | null)[] = n.miniappReleaseBundle.map((c) => c.zh);
  void names;
}
try {
  verifyNotification("a=1", "key", { charset: "gbk" });
} catch (e) {
  if (isAlipayNotifyError(e)) {
    const code: ErrorCode = e.code;
    void code;
  }
}
// @ts-expect-error: not a charset the package reads
verifyNotification("a=1", "key", { charset: "latin1" });
const p = parseNotification(new URLSearchParams("a=1"));
const report = inspectNotification("a=1", null);
const firstHint: string | undefined = report.problems[0]?.hintZh;
const ok: boolean = rsaCheckV1({ a: "1" }, "key", { signType: "RSA2" });
const content: string = getSignCheckContentV2([["a", "1"]]);
const label: string | undefined = decodeOrderStatus("DONE")?.zh;
const ack: "success" = ACK;
try {
  verifyNotification("a=1", "k");
} catch (e) {
  const err = e as AlipayNotifyError;
  const code: ErrorCode = err.code;
  void code;
}
// @ts-expect-error an unknown option name is a type error
verifyNotification("a=1", "k", { bogus: 1 });
// @ts-expect-error variant is "auto" | "v1" | "v2"
verifyNotification("a=1", "k", { variant: "v3" });
// @ts-expect-error a number is not a body
parseNotification(42);
void p;
void firstHint;
void ok;
void content;
void label;
void ack;
