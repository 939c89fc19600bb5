// What each README snippet needs, keyed by the name of its marker (`<!-- snippet: NAME -->`):
// the free names it uses, bound to real data — samples from www/samples.json, notifications,
// responses and ciphertexts made by Node `crypto` with the committed test keys — and, for the
// snippets that call Alipay or post to a gateway, a local server on 127.0.0.1 (the mock Alipay,
// the sandbox's own gateway). `setup(dir)` returns:
// - `prelude`: module source run before the snippet (it assigns globals; the snippet's own
//   imports follow it), or `declarations` for a TS block;
// - `epilogue`: source appended to the snippet, asserting what it left in its bindings;
// - `check(stdout)` (optional): assertions in the test process, e.g. what a server received;
// - `close()` (optional): stops the servers.
import assert from "node:assert/strict";
import { createCipheriv, createPrivateKey, randomBytes, sign } from "node:crypto";
import { copyFileSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { keyFile, keysDir, startMockAlipay } from "./mock-alipay.mjs";
import { root } from "./scratch.mjs";
import { signNotification } from "./sign.mjs";

const samples = JSON.parse(readFileSync(join(root, "www/samples.json"), "utf8"));
const sample = (id) => samples.find((s) => s.id === id) ?? assert.fail(`no sample ${id}`);
const order = sample("order-utf-8-rsa2-spki-base64-v2");
const tampered = sample("mismatch-tampered-total-price");
const appIdOf = (s) => new URLSearchParams(s.body).get("app_id");
const sn = JSON.parse(keyFile("sn.json"));

/** Module source assigning each entry of `values` (JSON data) to a global of that name. */
const globals = (values) => `Object.assign(globalThis, ${JSON.stringify(values)});\n`;

// The client's default origin is Alipay's production gateway; the snippets keep it, and the
// prelude sends what would go there to the mock on 127.0.0.1 instead (the real HTTP client runs).
const toMock = (url) => `{
  const fetchReal = globalThis.fetch;
  globalThis.fetch = (input, init) =>
    fetchReal(String(input).replace("https://openapi.alipay.com", ${JSON.stringify(url)}), init);
}
`;

/** The Alipay requests the mock received, each verified by it with node:crypto. */
function assertVerifiedCalls(mock, apis) {
  assert.deepEqual(
    mock.requests.map((r) => `${r.protocol} ${r.alipayMethod ?? `${r.method} ${r.target}`}`),
    apis,
    "the snippet's calls, in order",
  );
  for (const r of mock.requests) assert.equal(r.verified, true, `${r.api}: ${r.error}`);
}

/**
 * A gateway on the port the sandbox snippets name (127.0.0.1:3000): answers `success` and
 * keeps the notify_type of every notification posted to it.
 */
async function gateway3000() {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({
        path: req.url,
        type: new URLSearchParams(Buffer.concat(chunks).toString("latin1")).get("notify_type"),
      });
      res.end("success");
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", (e) => reject(new Error(`the sandbox snippets' gateway needs 127.0.0.1:3000: ${e.message}`)));
    server.listen(3000, "127.0.0.1", () => resolve(undefined));
  });
  return { received, close: () => new Promise((resolve) => server.close(() => resolve(undefined))) };
}

/** A v2 synchronous response as Alipay signs it: RSA2 over the exact text of the value. */
function v2Response(method, inner) {
  const text = JSON.stringify(inner);
  const signature = sign("sha256", Buffer.from(text), createPrivateKey(keyFile("alipay-private-pkcs8.pem")));
  return `{"${method.replaceAll(".", "_")}_response":${text},"alipay_cert_sn":"${sn.alipay_cert_sn}","sign":"${signature.toString("base64")}"}`;
}

export const preludes = {
  verify: {
    setup: () => ({
      prelude: `${globals({ rawBody: order.body })}process.env.ALIPAY_PUBLIC_KEY = ${JSON.stringify(order.key)};
process.env.ALIPAY_APP_ID = ${JSON.stringify(appIdOf(order))};\n`,
      epilogue: `
import assert from "node:assert/strict";
assert.equal(n.verified, true);
assert.equal(n.variant, ${JSON.stringify(order.expect.variant)});
assert.equal(n.kind, "servicemarket_order_notify");
assert.equal(n.params.commodity_order_id, ${JSON.stringify(new URLSearchParams(order.body).get("commodity_order_id"))});
assert.equal(typeof decodeOrderStatus, "function");
assert.equal(ACK, "success");
void inspectNotification;
`,
    }),
  },

  types: {
    setup: () => ({ declarations: "" }),
  },

  client: {
    async setup() {
      const mock = await startMockAlipay();
      const ids = {
        commodityOrderId: "20240520115737429071",
        shopId: "2015060900077000000000000001",
        commodityId: "APPMA2021000000000001",
      };
      return {
        prelude: `${toMock(mock.url)}${globals({
          env: {
            ALIPAY_APP_ID: mock.appId,
            APP_PRIVATE_KEY: mock.clientOptions.privateKey,
            ALIPAY_PUBLIC_KEY: keyFile("alipay-public.pem"),
          },
          ...ids,
          appAuthToken: "202405BBapp-auth-token",
        })}`,
        epilogue: `
import assert from "node:assert/strict";
assert.equal(typeof onOrder, "function");
`,
        check: () =>
          assertVerifiedCalls(mock, [
            "v3 alipay.open.servicemarket.order.item.complete",
            "v3 alipay.open.servicemarket.order.item.confirm",
            "v3 alipay.open.servicemarket.order.reject",
            "v3 alipay.open.servicemarket.order.item.cancel",
            "v3 alipay.open.servicemarket.commodity.shop.online",
            "v3 alipay.open.servicemarket.promotiontask.relation.query",
            "v2 alipay.open.servicemarket.order.upgrade",
            "v3 POST /v3/alipay/open/app/qrcode/create",
          ]),
        close: () => mock.close(),
      };
    },
  },

  lifecycle: {
    setup: () => ({
      prelude: `${globals({ body: order.body, alipayPublicKey: order.key })}
const rows = new Map();
globalThis.saved = rows;
globalThis.db = { load: async (id) => rows.get(id) ?? null, save: async (id, state) => void rows.set(id, state) };
`,
      epilogue: `
import assert from "node:assert/strict";
const state = saved.get(n.orderEvent.orderId);
assert.equal(n.orderEvent.orderId, n.commodityOrderId);
assert.equal(state.status, "MERCHANT_ORDED");
`,
    }),
  },

  sandbox: sandboxPrelude(),
  "pkg-sandbox": sandboxPrelude(),

  certificates: {
    setup(dir) {
      for (const f of ["alipayCertPublicKey_RSA2.crt", "alipayRootCert.crt"])
        copyFileSync(join(keysDir, f), join(dir, f));
      copyFileSync(
        join(keysDir, "appCertPublicKey_2021000000000001.crt"),
        join(dir, "appCertPublicKey_2021000000000001.crt"),
      );
      const rawBody = signNotification(
        {
          notify_type: "servicemarket_order_notify",
          notify_id: "cert-mode-1",
          commodity_order_id: "20240520000000000001",
          alipay_cert_sn: sn.alipay_cert_sn,
          charset: "UTF-8",
        },
        { key: createPrivateKey(keyFile("alipay-private-pkcs8.pem")), variant: "v2" },
      );
      return {
        prelude: globals({ rawBody }),
        epilogue: `
import assert from "node:assert/strict";
assert.equal(n.verified, true);
assert.equal(n.params.alipay_cert_sn, ${JSON.stringify(sn.alipay_cert_sn)});
assert.equal(appCertSn, ${JSON.stringify(sn.app_cert_sn)});
assert.equal(rootCertSn, ${JSON.stringify(sn.alipay_root_cert_sn)});
`,
      };
    },
  },

  responses: {
    setup() {
      const alipayCert = keyFile("alipayCertPublicKey_RSA2.crt");
      const httpBody = v2Response("alipay.trade.query", {
        code: "10000",
        msg: "Success",
        trade_status: "TRADE_SUCCESS",
      });
      const [timestamp, nonce, body] = [String(Date.now()), "6b1a0f0c9c8e4c1e", '{"order_status":"ISV_ACCEPTED"}'];
      const signature = sign(
        "sha256",
        Buffer.from(`${timestamp}\n${nonce}\n${body}\n`),
        createPrivateKey(keyFile("alipay-private-pkcs8.pem")),
      ).toString("base64");
      const aesKey = randomBytes(16);
      const cipher = createCipheriv("aes-128-cbc", aesKey, Buffer.alloc(16));
      const ciphertextBase64 = Buffer.concat([cipher.update('{"secret":"商户信息"}'), cipher.final()]).toString(
        "base64",
      );
      return {
        prelude: globals({
          alipayCert,
          httpBody,
          timestamp,
          nonce,
          body,
          signature,
          ciphertextBase64,
          aesKeyBase64: aesKey.toString("base64"),
        }),
        epilogue: `
import assert from "node:assert/strict";
assert.equal(r.response.trade_status, "TRADE_SUCCESS");
assert.equal(r.signedContent, ${JSON.stringify(JSON.stringify({ code: "10000", msg: "Success", trade_status: "TRADE_SUCCESS" }))});
assert.equal(plain, '{"secret":"商户信息"}');
`,
      };
    },
  },

  "pkg-verify": {
    setup: () => ({
      prelude: `${globals({ ALIPAY_PUBLIC_KEY: order.key, ALIPAY_APP_ID: appIdOf(order) })}
globalThis.handled = [];
globalThis.handle = async (n) => void handled.push(n.kind);
`,
      epilogue: `
import assert from "node:assert/strict";
const ok = await onNotify(${JSON.stringify(order.body)});
assert.equal(await ok.text(), "success");
assert.deepEqual(handled, ["servicemarket_order_notify"]);
const refused = await onNotify(${JSON.stringify(tampered.body)});
assert.equal(refused.status, 400);
assert.deepEqual(await refused.json(), { code: "SIGNATURE_MISMATCH" });
void inspectNotification;
`,
    }),
  },

  "pkg-client": {
    async setup() {
      const mock = await startMockAlipay();
      return {
        prelude: `${toMock(mock.url)}${globals({
          appId: mock.appId,
          privateKey: mock.clientOptions.privateKey,
          alipayPublicKey: keyFile("alipay-public.pem"),
          n: { commodityOrderId: "20240520115737429071" },
          commodityOrderId: "20240520115737429071",
          shopId: "2015060900077000000000000001",
          appAuthToken: "202405BBapp-auth-token",
        })}`,
        epilogue: `
import assert from "node:assert/strict";
assert.equal(typeof order.status, "string");
assert.equal(order.raw.httpStatus, 200);
`,
        check: () =>
          assertVerifiedCalls(mock, [
            "v3 alipay.open.servicemarket.order.query",
            "v3 alipay.open.servicemarket.order.item.confirm",
          ]),
        close: () => mock.close(),
      };
    },
  },
};

function sandboxPrelude() {
  return {
    async setup() {
      const gateway = await gateway3000();
      return {
        prelude: "",
        epilogue: `
import assert from "node:assert/strict";
assert.match(commodityOrderId, /^\\d+$/);
assert.equal(typeof appAuthToken, "string");
assert.ok(sb.timeline().length > 0);
`,
        check() {
          const types = gateway.received.map((r) => r.type);
          assert.ok(types.includes("open_app_auth_notify"), types.join());
          assert.ok(types.includes("servicemarket_order_notify"), types.join());
          for (const r of gateway.received) assert.equal(r.path, "/alipay/notify");
        },
        close: () => gateway.close(),
      };
    },
  };
}
