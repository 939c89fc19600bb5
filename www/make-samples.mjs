// Builds www/samples.json: the built-in samples of the debugging page and of `make demo`,
// picked from the project's vectors (signed with the bundled test key by Python
// `cryptography`), the real Alipay-signed notifications and a real certificate-mode sample.
// Run: node www/make-samples.mjs            (--check: compare with the committed file, write nothing)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const vectors = JSON.parse(readFileSync(join(root, "tests/vectors/notifications/vectors.json"), "utf8")).vectors;
const byId = new Map(vectors.map((v) => [v.id, v]));

const picks = [
  ["order-utf-8-rsa2-spki-base64-v2", "订购通知 · UTF-8 · V2", "Order notification · UTF-8 · V2"],
  ["order-gbk-rsa2-spki-pem-v1", "订购通知 · GBK · V1", "Order notification · GBK · V1"],
  ["change-utf-8-rsa2-spki-base64-v1", "订单状态变更 · UTF-8", "Order status change · UTF-8"],
  ["change-gbk-rsa2-pkcs1-pem-v1", "订单状态变更 · GBK", "Order status change · GBK"],
  ["change-signed-v2-auto", "订单状态变更 · 实施期限 · V2 签名", "Order status change · deadline · signed V2"],
  ["renew-utf-8-rsa2-spki-base64-v1", "续费订单 · UTF-8", "Renewal · UTF-8"],
  ["renew-gbk-rsa2-spki-base64-v1", "续费订单 · GBK", "Renewal · GBK"],
  ["auth-utf-8-rsa2-spki-base64-v1", "应用授权通知 · UTF-8", "App authorisation · UTF-8"],
  ["auth-gbk-rsa2-spki-base64-v1", "应用授权通知 · GBK", "App authorisation · GBK"],
  ["order-sign-plus-as-space", "sign 中的 + 变成空格", "`+` in sign arrived as spaces"],
  ["mismatch-tampered-total-price", "被篡改的通知(验签失败)", "Tampered notification (fails)"],
  ["mismatch-app-key", "误用应用公钥(验签失败)", "App key instead of Alipay key (fails)"],
  ["charset-utf8-declared-gbk-bytes", "声明 UTF-8 实为 GBK 字节(失败)", "UTF-8 declared, GBK bytes (fails)"],
];

const samples = picks.map(([id, zh, en]) => {
  const v = byId.get(id);
  if (!v) throw new Error(`no vector ${id}`);
  return {
    id,
    zh,
    en,
    body: v.body,
    key: v.key.trim(),
    options: v.options ?? {},
    expect: v.expect,
    source: "test key (tests/vectors/notifications)",
  };
});

for (const [file, zh, en] of [
  [
    "notify-servicemarket-order-2020-03-25-v1-empty-kept.json",
    "真实订购通知 2020(支付宝签名,V1)",
    "Real order notification 2020 (Alipay-signed, V1)",
  ],
  [
    "notify-servicemarket-order-2019-03-08-v2.json",
    "真实订购通知 2019(支付宝签名,V2)",
    "Real order notification 2019 (Alipay-signed, V2)",
  ],
  [
    "notify-trade-status-sync-2019-05-23-v1.json",
    "真实交易状态同步 2019(其他通知,V1)",
    "Real trade_status_sync 2019 (other kind, V1)",
  ],
]) {
  const f = JSON.parse(readFileSync(join(root, "tests/vectors/real", file), "utf8"));
  samples.push({
    id: f.id,
    zh,
    en,
    body: f.derived_form_body.body,
    key: f.alipay_public_key.trim(),
    options: {},
    expect: {
      verified: true,
      variant: f.expected.scheme.startsWith("V1") ? "v1" : "v2",
      signType: f.expected.sign_type,
      kind: kindOf(f.params),
    },
    source: `real, Alipay-signed (${f.origin.repo})`,
  });
}

// Certificate mode (公钥证书模式): the key is Alipay's certificate (.crt), as the console gives it.
for (const [file, zh, en] of [
  [
    "certmode-v2-rsa2-utf8-chinese-dotnet.json",
    "公钥证书模式 · 支付宝 .NET SDK 测试数据(V2)",
    "Certificate mode · Alipay .NET SDK test data (V2)",
  ],
]) {
  const f = JSON.parse(readFileSync(join(root, "tests/vectors/cert/real", file), "utf8"));
  samples.push({
    id: f.id,
    zh,
    en,
    body: f.derived_form_body.body,
    key: f.alipay_public_cert_pem.trim(),
    options: {},
    expect: { verified: true, variant: "v2", signType: f.expected.sign_type, kind: kindOf(f.params) },
    source: `real, certificate mode (${f.origin.repo})`,
  });
}

function kindOf(params) {
  return ["servicemarket_order_notify", "open_app_auth_notify"].includes(params.notify_type)
    ? params.notify_type
    : "generic";
}

const out = join(root, "www/samples.json");
const text = `${JSON.stringify(samples, null, 1)}\n`;
if (process.argv.includes("--check")) {
  if (readFileSync(out, "utf8") !== text) {
    console.error("www/samples.json differs from what make-samples.mjs builds: run `node www/make-samples.mjs`");
    process.exit(1);
  }
  console.log(`www/samples.json matches (${samples.length} samples)`);
} else {
  writeFileSync(out, text);
  console.log(`wrote ${samples.length} samples`);
}
