// Tests of the mock Alipay (lib/mock-alipay.mjs) with alipay-sdk@4.14.0 as the client, plus raw
// requests signed here with node:crypto, and a replay of every oracle request captured in
// tests/vectors/openapi/requests.json. Run: cd tests/js && node --test mock-alipay.test.mjs
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { AlipayRequestError, AlipaySdk } from "alipay-sdk";
import {
  APIS,
  APP_AUTH_TOKEN,
  APP_ID,
  FAKE_SN,
  byName,
  keyFile,
  responseKey,
  startMockAlipay,
} from "./lib/mock-alipay.mjs";

const SN = JSON.parse(keyFile("sn.json"));
const ALIPAY_PUBLIC = createPublicKey(keyFile("alipay-public.pem"));
const APP_PRIVATE = createPrivateKey(keyFile("app-private-pkcs8.pem"));
const CAPTURED = JSON.parse(readFileSync(new URL("../vectors/openapi/requests.json", import.meta.url), "utf8"));

/**
 * Calls `api` through the SDK the way the oracle capture does.
 * @param {any} sdk
 * @param {any} api
 * @param {string} protocol "v3" or "v2"
 * @param {{ token?: string, validateSign?: boolean, timeout?: number }} [options]
 */
function call(
  sdk,
  api,
  protocol,
  { token = api.appAuthToken ? APP_AUTH_TOKEN : undefined, validateSign = true, timeout } = {},
) {
  if (protocol === "v3") {
    const opts = api.v3.httpMethod === "GET" ? { query: api.params } : { body: api.params };
    if (token) opts.appAuthToken = token;
    if (timeout) opts.requestTimeout = timeout;
    return sdk.curl(api.v3.httpMethod, api.v3.path, opts);
  }
  return sdk.exec(api.method, { bizContent: api.params, ...(token ? { appAuthToken: token } : {}) }, { validateSign });
}

function camel(obj) {
  if (Array.isArray(obj)) return obj.map(camel);
  if (obj === null || typeof obj !== "object") return obj;
  return Object.fromEntries(
    Object.entries(obj).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()), camel(v)]),
  );
}

function rsa(text) {
  return sign("sha256", Buffer.from(text, "utf8"), APP_PRIVATE).toString("base64");
}

/** The raw text of the JSON object after "key": (brace matching). */
function rawValue(body, key) {
  const i = body.indexOf("{", body.indexOf(`"${key}"`) + key.length + 2);
  let depth = 0;
  let inStr = false;
  for (let j = i; j < body.length; j++) {
    const ch = body[j];
    if (inStr) {
      if (ch === "\\") j++;
      else if (ch === '"') inStr = false;
    } else if (ch === '"') inStr = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return body.slice(i, j + 1);
  }
  throw new Error("unbalanced");
}

const orderQuery = byName.get("orderQuery");
const orderAccept = byName.get("orderAccept");
const confirm = byName.get("orderItemConfirm");

for (const mode of ["key", "cert"]) {
  describe(`alipay-sdk against the mock, ${mode} mode`, () => {
    let mock;
    let sdk;
    before(async () => {
      mock = await startMockAlipay({ mode });
      sdk = new AlipaySdk(mock.sdkConfig);
    });
    after(() => mock.close());

    for (const api of APIS) {
      for (const protocol of api.v3 ? ["v3", "v2"] : ["v2"]) {
        test(`${api.name} ${protocol} succeeds and is verified`, async () => {
          mock.reset();
          const out = await call(sdk, api, protocol);
          if (protocol === "v3") {
            assert.equal(out.responseHttpStatus, 200);
            assert.deepEqual(out.data, api.result);
          } else {
            assert.deepEqual(out, { code: "10000", msg: "Success", ...camel(api.result) });
          }
          const rec = mock.lastRequest();
          assert.equal(rec.verified, true);
          assert.equal(rec.error, null);
          assert.equal(rec.protocol, protocol);
          assert.equal(rec.api, api.name);
          assert.equal(rec.alipayMethod, api.method);
          assert.equal(rec.appAuthToken, api.appAuthToken ? APP_AUTH_TOKEN : null);
          // The query turns numbers into text; JSON keeps them.
          const expected =
            protocol === "v3" && api.v3.httpMethod === "GET"
              ? Object.fromEntries(Object.entries(api.params).map(([k, v]) => [k, String(v)]))
              : api.params;
          assert.deepEqual(rec.bizParams, expected);
          assert.equal(rec.outcome, "success");
          if (protocol === "v2") {
            assert.deepEqual(
              rec.form.map((p) => p[0]),
              ["biz_content"],
            );
            assert.ok(rec.query.some((p) => p[0] === "sign"));
            assert.equal(rec.params.app_cert_sn, mode === "cert" ? SN.app_cert_sn : undefined);
          } else {
            assert.equal(rec.headers["alipay-root-cert-sn"], mode === "cert" ? SN.alipay_root_cert_sn : undefined);
            assert.equal(rec.auth.app_cert_sn, mode === "cert" ? SN.app_cert_sn : undefined);
            assert.equal(rec.response.headers["alipay-sn"], mode === "cert" ? SN.alipay_cert_sn : undefined);
          }
        });
      }
    }

    test("a request signed with another key is refused with Alipay's invalid-signature error", async () => {
      mock.reset();
      const wrong = new AlipaySdk({ ...mock.sdkConfig, privateKey: keyFile("other-private-pkcs8.pem") });
      const err = await call(wrong, orderAccept, "v3").catch((e) => e);
      assert.ok(err instanceof AlipayRequestError, String(err));
      assert.equal(err.code, "invalid-signature");
      assert.equal(err.responseHttpStatus, 401);
      assert.equal(err.links.length, 1);
      const v2 = await call(wrong, orderAccept, "v2"); // signed answer: validateSign passes
      assert.equal(v2.code, "40002");
      assert.equal(v2.subCode, "isv.invalid-signature");
      assert.match(
        v2.subMsg,
        /网关生成的验签字符串为：(alipay_root_cert_sn=\w+&app_cert_sn=\w+&)?app_id=2021000000000001&biz_content=/,
      );
      assert.deepEqual(
        mock.requests.map((r) => [r.verified, r.error, r.outcome]),
        [
          [false, "INVALID_SIGNATURE", "refused:INVALID_SIGNATURE"],
          [false, "INVALID_SIGNATURE", "refused:INVALID_SIGNATURE"],
        ],
      );
    });

    test("confirm without app_auth_token is refused; with a token not granted too", async () => {
      mock.reset();
      const err = await call(sdk, confirm, "v3", { token: null }).catch((e) => e);
      assert.equal(err.code, "invalid-app-auth-token");
      assert.equal(err.responseHttpStatus, 401);
      const v2 = await call(sdk, confirm, "v2", { token: null });
      assert.equal(v2.code, "20001");
      assert.equal(v2.subCode, "aop.invalid-app-auth-token");
      assert.deepEqual(
        mock.requests.map((r) => [r.verified, r.error]),
        [
          [true, "MISSING_APP_AUTH_TOKEN"],
          [true, "MISSING_APP_AUTH_TOKEN"],
        ],
      );
      const strict = await startMockAlipay({ mode, appAuthTokens: ["202501BBgranted"] });
      try {
        const s = new AlipaySdk(strict.sdkConfig);
        const e2 = await call(s, confirm, "v3").catch((e) => e);
        assert.equal(e2.code, "invalid-app-auth-token");
        assert.equal(strict.lastRequest().error, "INVALID_APP_AUTH_TOKEN");
        assert.deepEqual((await call(s, confirm, "v2", { token: "202501BBgranted" })).code, "10000");
      } finally {
        await strict.close();
      }
    });

    test("business errors: v3 4xx {code,message,links}, v2 40004 with sub_code", async () => {
      mock.reset();
      mock.enqueue({ type: "business-error" }, { type: "business-error", code: "ORDER_NOT_EXIST" });
      const err = await call(sdk, orderAccept, "v3").catch((e) => e);
      assert.ok(err instanceof AlipayRequestError);
      assert.equal(err.code, "ORDER_NOT_EXIST");
      assert.equal(err.message.startsWith("订单不存在"), true);
      assert.equal(err.responseHttpStatus, 400);
      assert.equal(err.links.length, 1);
      const v2 = await call(sdk, orderAccept, "v2");
      assert.deepEqual(v2, { code: "40004", msg: "Business Failed", subCode: "ORDER_NOT_EXIST", subMsg: "订单不存在" });
      assert.deepEqual(
        mock.requests.map((r) => r.outcome),
        ["business-error", "business-error"],
      );
    });

    test("gateway errors: v3 401 invalid-signature, v2 signed error_response (the SDK cannot verify it)", async () => {
      mock.reset();
      mock.enqueue("gateway-error", "gateway-error", "gateway-error");
      const err = await call(sdk, orderQuery, "v3").catch((e) => e);
      assert.equal(err.code, "invalid-signature");
      assert.equal(err.responseHttpStatus, 401);
      const thrown = await call(sdk, orderQuery, "v2").catch((e) => e);
      assert.ok(thrown instanceof AlipayRequestError);
      assert.match(thrown.message, /验签失败/);
      const plain = await call(sdk, orderQuery, "v2", { validateSign: false });
      assert.deepEqual(plain, {
        code: "40002",
        msg: "Invalid Arguments",
        subCode: "isv.invalid-app-id",
        subMsg: "无效的AppID参数",
      });
      // The mock did sign it correctly: check with node:crypto.
      const body = JSON.parse(mock.lastRequest().response.body);
      const text = rawValue(mock.lastRequest().response.body, "error_response");
      assert.ok(verify("sha256", Buffer.from(text), ALIPAY_PUBLIC, Buffer.from(body.sign, "base64")));
    });

    for (const part of ["body", "timestamp", "nonce", "signature"]) {
      test(`v3 response tampered (${part}) is rejected by the SDK`, async () => {
        mock.reset();
        mock.enqueue({ type: "tampered", part });
        const err = await call(sdk, orderQuery, "v3").catch((e) => e);
        assert.equal(err.code, "response-signature-verify-error");
        assert.equal(mock.lastRequest().outcome, `tampered-${part}`);
      });
    }

    for (const part of ["body", "signature"]) {
      test(`v2 response tampered (${part}) is rejected by the SDK`, async () => {
        mock.reset();
        mock.enqueue({ type: "tampered", part });
        const err = await call(sdk, orderQuery, "v2").catch((e) => e);
        assert.match(err.message, /验签失败/);
      });
    }

    test("a response signed by another key is rejected (v3 and v2)", async () => {
      mock.reset();
      mock.enqueue("wrong-key", "wrong-key");
      assert.equal((await call(sdk, orderAccept, "v3").catch((e) => e)).code, "response-signature-verify-error");
      assert.match((await call(sdk, orderAccept, "v2").catch((e) => e)).message, /验签失败/);
    });

    test("unsigned 2xx: the SDK crashes with a TypeError (v3 and v2)", async () => {
      mock.reset();
      mock.enqueue("unsigned", "unsigned");
      const v3 = await call(sdk, orderAccept, "v3").catch((e) => e);
      assert.equal(v3.code, "ERR_INVALID_ARG_TYPE");
      assert.equal(mock.lastRequest().response.headers["alipay-signature"], undefined);
      const v2 = await call(sdk, orderAccept, "v2").catch((e) => e);
      assert.equal(v2.code, "ERR_INVALID_ARG_TYPE");
      assert.equal(JSON.parse(mock.lastRequest().response.body).sign, undefined);
    });

    test("HTML 502 and empty bodies", async () => {
      mock.reset();
      mock.enqueue("html", "html", "empty", { type: "empty", signed: true }, "empty");
      assert.equal((await call(sdk, orderAccept, "v3").catch((e) => e)).name, "SyntaxError");
      const v2 = await call(sdk, orderAccept, "v2").catch((e) => e);
      assert.match(v2.message, /HTTP 请求错误, status: 502/);
      assert.equal((await call(sdk, orderAccept, "v3").catch((e) => e)).code, "ERR_INVALID_ARG_TYPE"); // unsigned empty
      assert.equal((await call(sdk, orderAccept, "v3").catch((e) => e)).name, "SyntaxError"); // signed empty
      assert.match((await call(sdk, orderAccept, "v2").catch((e) => e)).message, /Response 格式错误/);
      assert.deepEqual(
        mock.requests.map((r) => r.response.status),
        [502, 502, 200, 200, 200],
      );
    });

    test("a delay makes the SDK time out", async () => {
      mock.reset();
      mock.enqueue({ type: "success", delayMs: 5000 }, { type: "success", delayMs: 5000 });
      const t0 = Date.now();
      const slow = new AlipaySdk({ ...mock.sdkConfig, timeout: 150 }); // v2 uses config.timeout
      const [v3, v2] = await Promise.all([
        call(sdk, orderQuery, "v3", { timeout: 150 }).catch((e) => e),
        call(slow, orderQuery, "v2").catch((e) => e),
      ]);
      // undici's coarse timers fire ~1 s late; the mock would only answer after 5 s.
      assert.ok(Date.now() - t0 < 4000, "both timed out before the mock answered");
      for (const e of [v3, v2]) {
        assert.ok(e instanceof AlipayRequestError, String(e));
        assert.match(e.message, /HttpClient Request error[,:] Request timeout for 150 ms/);
      }
      assert.equal(mock.requests.length, 2);
    });

    test("v2 body with \\/ escapes, signed over the unescaped text: the SDK has no retry", async () => {
      mock.reset();
      mock.enqueue({ type: "success", escapeSlashes: true, result: { qr_code: "https://qr.alipay.com/bax01234" } });
      assert.match((await call(sdk, orderQuery, "v2").catch((e) => e)).message, /验签失败/);
      const { body } = mock.lastRequest().response;
      assert.ok(body.includes("https:\\/\\/qr.alipay.com\\/bax01234"));
      const text = rawValue(body, responseKey(orderQuery.method)).replaceAll("\\/", "/");
      assert.ok(verify("sha256", Buffer.from(text), ALIPAY_PUBLIC, Buffer.from(JSON.parse(body).sign, "base64")));
    });

    if (mode === "cert") {
      test("wrong alipay-sn: the SDK rejects v3, but does not check v2 alipay_cert_sn", async () => {
        mock.reset();
        mock.enqueue("wrong-sn", "wrong-sn", "rotated");
        assert.equal((await call(sdk, orderAccept, "v3").catch((e) => e)).code, "response-alipay-sn-verify-error");
        const v2 = await call(sdk, orderAccept, "v2");
        assert.equal(v2.code, "10000");
        assert.equal(JSON.parse(mock.lastRequest().response.body).alipay_cert_sn, FAKE_SN);
        assert.equal((await call(sdk, orderAccept, "v3").catch((e) => e)).code, "response-alipay-sn-verify-error");
        assert.equal(
          mock.lastRequest().response.headers["alipay-sn"],
          SN.certificates["alipayCertPublicKey_RSA2-rotated.crt"].sn,
        );
      });

      test("alipay.open.app.alipaycert.download serves the certificate for an SN", async () => {
        mock.reset();
        const rotatedSn = SN.certificates["alipayCertPublicKey_RSA2-rotated.crt"].sn;
        const out = await sdk.exec(
          "alipay.open.app.alipaycert.download",
          { bizContent: { alipay_cert_sn: rotatedSn } },
          { validateSign: true },
        );
        assert.equal(out.code, "10000");
        assert.equal(
          Buffer.from(out.alipayCertContent, "base64").toString("utf8"),
          keyFile("alipayCertPublicKey_RSA2-rotated.crt"),
        );
        const missing = await sdk.exec(
          "alipay.open.app.alipaycert.download",
          { bizContent: { alipay_cert_sn: FAKE_SN } },
          { validateSign: true },
        );
        assert.equal(missing.code, "40004");
      });

      test("an SDK in public-key mode is refused by a cert-mode mock (no app_cert_sn)", async () => {
        mock.reset();
        const keyMode = new AlipaySdk({
          appId: APP_ID,
          privateKey: keyFile("app-private-pkcs1.pem"),
          alipayPublicKey: keyFile("alipay-public.pem"),
          endpoint: mock.url,
          gateway: mock.gateway,
        });
        assert.equal((await call(keyMode, orderAccept, "v3").catch((e) => e)).code, "invalid-app-cert-sn");
        assert.equal((await call(keyMode, orderAccept, "v2")).subCode, "isv.invalid-app-cert-sn");
        assert.deepEqual(
          mock.requests.map((r) => r.error),
          ["APP_CERT_SN_MISMATCH", "APP_CERT_SN_MISMATCH"],
        );
      });
    }
  });
}

describe("the mock's own request checks (raw requests signed with node:crypto)", () => {
  let mock;
  const NOW = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
  before(async () => {
    mock = await startMockAlipay({ now: () => NOW, maxSkewMs: 5 * 60_000 });
  });
  after(() => mock.close());

  /**
   * @param {{ body?: string, signedBody?: string, timestamp?: number, token?: string, method?: string, path?: string, contentType?: string }} [request]
   */
  function v3Request({
    body = JSON.stringify(orderAccept.params),
    signedBody = body,
    timestamp = NOW,
    token,
    method = "POST",
    path = orderAccept.v3.path,
    contentType = "application/json",
  } = {}) {
    const auth = `app_id=${APP_ID},nonce=3f2e1d0c-4b5a-4968-8776-a5b4c3d2e1f0,timestamp=${timestamp}`;
    const text = `${auth}\n${method}\n${path}\n${signedBody}\n${token ? `${token}\n` : ""}`;
    const headers = { authorization: `ALIPAY-SHA256withRSA ${auth},sign=${rsa(text)}`, "content-type": contentType };
    if (token) headers["alipay-app-auth-token"] = token;
    return fetch(mock.url + path, { method, headers, body: method === "GET" ? undefined : body });
  }

  function gmt8(ms) {
    return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
  }

  /**
   * @param {Record<string, string>} [extra]
   * @param {{ signContent?: string }} [options]
   */
  function v2Request(extra = {}, { signContent } = {}) {
    const params = {
      app_id: APP_ID,
      method: orderAccept.method,
      charset: "utf-8",
      sign_type: "RSA2",
      timestamp: gmt8(NOW),
      version: "1.0",
      biz_content: JSON.stringify(orderAccept.params),
      ...extra,
    };
    const content =
      signContent ??
      Object.keys(params)
        .filter((k) => params[k] !== "")
        .sort()
        .map((k) => `${k}=${params[k]}`)
        .join("&");
    const form = new URLSearchParams({ ...params, sign: rsa(content) });
    return fetch(mock.gateway, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
      body: form.toString(),
    });
  }

  test("v3: a correctly signed request passes; response verifies with the Alipay key", async () => {
    const res = await v3Request();
    assert.equal(res.status, 200);
    const body = await res.text();
    const h = res.headers;
    assert.equal(h.get("alipay-timestamp"), String(NOW));
    const content = `${h.get("alipay-timestamp")}\n${h.get("alipay-nonce")}\n${body}\n`;
    assert.ok(verify("sha256", Buffer.from(content), ALIPAY_PUBLIC, Buffer.from(h.get("alipay-signature"), "base64")));
    assert.equal(mock.lastRequest().verified, true);
  });

  test("v3: body changed after signing → 401 invalid-signature", async () => {
    const res = await v3Request({ signedBody: '{"commodity_order_id":"1"}' });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).code, "invalid-signature");
    assert.equal(mock.lastRequest().error, "INVALID_SIGNATURE");
  });

  test("v3: stale timestamp, wrong HTTP method, missing content-type, malformed Authorization", async () => {
    assert.equal((await (await v3Request({ timestamp: NOW - 10 * 60_000 })).json()).code, "invalid-timestamp");
    assert.equal(mock.lastRequest().error, "INVALID_TIMESTAMP");
    assert.equal((await (await v3Request({ method: "GET", body: "" })).json()).code, "invalid-method");
    assert.equal((await v3Request({ contentType: "text/plain" })).status, 400);
    assert.equal(mock.lastRequest().error, "INVALID_CONTENT_TYPE");
    const res = await fetch(mock.url + orderAccept.v3.path, {
      method: "POST",
      headers: { authorization: "Bearer x" },
      body: "{}",
    });
    assert.equal(res.status, 401);
    assert.equal(mock.lastRequest().error, "MALFORMED_AUTHORIZATION");
  });

  test("v3: a token line signed but no header sent → invalid signature", async () => {
    const auth = `app_id=${APP_ID},nonce=n,timestamp=${NOW}`;
    const body = JSON.stringify(confirm.params);
    const text = `${auth}\nPOST\n${confirm.v3.path}\n${body}\n${APP_AUTH_TOKEN}\n`;
    const res = await fetch(mock.url + confirm.v3.path, {
      method: "POST",
      headers: { authorization: `ALIPAY-SHA256withRSA ${auth},sign=${rsa(text)}`, "content-type": "application/json" },
      body,
    });
    assert.equal(res.status, 401);
    assert.equal(mock.lastRequest().error, "INVALID_SIGNATURE");
  });

  test("v2: correct request passes; empty values are left out of the sign content", async () => {
    const ok = await (await v2Request({ notify_url: "" })).json();
    assert.equal(ok[responseKey(orderAccept.method)].code, "10000");
    const rec = mock.lastRequest();
    assert.equal(rec.verified, true);
    assert.ok(!rec.stringToSign.includes("notify_url"));
    // Signing "notify_url=" (as alipay-sdk does for empty values) is refused, like the real gateway.
    const params = {
      app_id: APP_ID,
      biz_content: JSON.stringify(orderAccept.params),
      charset: "utf-8",
      method: orderAccept.method,
      notify_url: "",
      sign_type: "RSA2",
      timestamp: gmt8(NOW),
      version: "1.0",
    };
    const withEmpty = Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join("&");
    const bad = await (await v2Request({ notify_url: "" }, { signContent: withEmpty })).json();
    assert.equal(bad[responseKey(orderAccept.method)].sub_code, "isv.invalid-signature");
  });

  test("v2: local time instead of GMT+8 (8 h off) → isv.invalid-timestamp; missing sign → 40001", async () => {
    const utc = new Date(NOW).toISOString().slice(0, 19).replace("T", " ");
    const r = await (await v2Request({ timestamp: utc })).json();
    assert.equal(r[responseKey(orderAccept.method)].sub_code, "isv.invalid-timestamp");
    const res = await fetch(mock.gateway, {
      method: "POST",
      body: new URLSearchParams({
        app_id: APP_ID,
        method: orderAccept.method,
        sign_type: "RSA2",
        timestamp: gmt8(NOW),
        version: "1.0",
      }),
    });
    const j = await res.json();
    assert.deepEqual([j.error_response.code, j.error_response.sub_code], ["40001", "isv.missing-signature"]);
  });

  test("v2: duplicate parameters are refused", async () => {
    const res = await fetch(`${mock.gateway}?app_id=${APP_ID}`, { method: "POST", body: `app_id=${APP_ID}&method=x` });
    assert.equal((await res.json()).error_response.sub_code, "isv.invalid-parameter");
    assert.equal(mock.lastRequest().error, "MALFORMED_FORM");
  });

  test("a handler sees every request (verified or not) and can override the answer", async () => {
    const seen = [];
    mock.setHandler((rec) => {
      seen.push([rec.verified, rec.error]);
      return rec.verified ? undefined : { type: "raw", status: 418, body: "teapot" };
    });
    assert.equal((await v3Request()).status, 200);
    assert.equal((await v3Request({ signedBody: "x" })).status, 418);
    mock.setHandler(null);
    assert.deepEqual(seen, [
      [true, null],
      [false, "INVALID_SIGNATURE"],
    ]);
  });
});

describe("every oracle request of requests.json passes the mock; a changed byte does not", () => {
  for (const mode of ["key", "cert"]) {
    test(`${mode} mode`, async () => {
      const mock = await startMockAlipay({ mode });
      try {
        const cases = CAPTURED.cases.filter((c) => c.mode === mode);
        assert.equal(cases.length, 38);
        for (const c of cases) {
          const headers = { ...c.request.headers };
          delete headers.connection;
          delete headers["content-length"];
          const send = (target, body) =>
            fetch(mock.url + target, {
              method: c.request.method,
              headers,
              body: c.request.method === "GET" ? undefined : body,
            });
          const res = await send(c.request.target, c.request.body);
          const refused = c.needsAppAuthToken && !c.withAppAuthToken;
          assert.equal(res.status, refused && c.protocol === "v3" ? 401 : 200, c.id);
          await res.arrayBuffer();
          const rec = mock.lastRequest();
          assert.deepEqual([rec.verified, rec.error], [true, refused ? "MISSING_APP_AUTH_TOKEN" : null], c.id);
          assert.equal(rec.stringToSign, c.stringToSign, c.id);
          // One signed byte changed (v2: a signed query param; v3: the path of a GET, JSON whitespace of a POST).
          let { target, body } = c.request;
          if (c.protocol === "v2") target = target.replace("version=1.0", "version=1.1");
          else if (c.request.method === "GET") target = target.replace("servicemarket", "servicemarkes");
          else body = body.replace('{"', '{ "');
          await (await send(target, body)).arrayBuffer();
          assert.equal(mock.lastRequest().error, "INVALID_SIGNATURE", `${c.id} tampered`);
        }
      } finally {
        await mock.close();
      }
    });
  }
});
