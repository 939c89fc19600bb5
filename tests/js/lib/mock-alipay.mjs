// A mock Alipay OpenAPI gateway for one app (reference openapi.md §5, §6, §10.4), on 127.0.0.1.
// It verifies every request independently with node:crypto and the app public key (v3
// Authorization over authString\nMETHOD\ntarget\nbody\n[token\n]; v2 sign over the sorted non-empty
// params, from the decoded bytes), checks app_auth_token for the APIs that act for a merchant,
// and answers with responses signed by a throw-away "Alipay" key (tests/vectors/openapi/keys).
// Outcomes are programmable per request (a queue, or a handler function). Every request is
// recorded with the mock's verdict. Error codes the reference marks [not determined] are the
// mock's own choice (see the table in tests/vectors/openapi/README.md).
//
//   const mock = await startMockAlipay({ mode: "cert" });
//   const sdk = new AlipaySdk(mock.sdkConfig);          // or createClient(mock.clientOptions)
//   mock.enqueue("tampered", { type: "business-error", code: "ORDER_NOT_EXIST" });
//   ...; mock.requests[0].verified; await mock.close();
import {
  createPrivateKey,
  createPublicKey,
  KeyObject,
  randomBytes,
  randomUUID,
  sign,
  verify,
  X509Certificate,
} from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { APIS, APP_ID, byMethod, byName, byV3, responseKey } from "./openapi-apis.mjs";

export { APIS, APP_ID, APP_AUTH_TOKEN, byMethod, byName, responseKey } from "./openapi-apis.mjs";

/** The folder of the committed test keys and certificates. */
export const keysDir = join(dirname(fileURLToPath(import.meta.url)), "../../vectors/openapi/keys");

/** Text of a file in the keys folder (e.g. "app-private-pkcs8.pem"). */
export function keyFile(name) {
  return readFileSync(join(keysDir, name), "utf8");
}

const SN = JSON.parse(keyFile("sn.json"));
const CERT_FILES = {
  appCert: `appCertPublicKey_${APP_ID}.crt`,
  alipayCert: "alipayCertPublicKey_RSA2.crt",
  alipayRootCert: "alipayRootCert.crt",
};
/** An SN no configured certificate has (default for the "wrong-sn" outcome). */
export const FAKE_SN = "0123456789abcdef0123456789abcdef";
const CERTIFICATE_SNS = Object.fromEntries(Object.entries(SN.certificates).map(([f, c]) => [c.sn, f]));
const DOWNLOAD_METHOD = "alipay.open.app.alipaycert.download";
const MAX_BODY = 1 << 20;

// Answers for a request that fails the mock's checks. v3 codes other than invalid-signature and
// v2 codes other than those in reference §6.4 are assumptions.
const REFUSALS = {
  MALFORMED_AUTHORIZATION: { v3: [401, "invalid-signature", "Authorization 头格式错误"], v2: null },
  INVALID_SIGNATURE: {
    v3: [401, "invalid-signature", "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配"],
    v2: [
      "40002",
      "Invalid Arguments",
      "isv.invalid-signature",
      "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配",
    ],
  },
  APP_ID_MISMATCH: {
    v3: [401, "invalid-app-id", "无效的AppID参数"],
    v2: ["40002", "Invalid Arguments", "isv.invalid-app-id", "无效的AppID参数"],
  },
  APP_CERT_SN_MISMATCH: {
    v3: [401, "invalid-app-cert-sn", "应用公钥证书序列号不匹配"],
    v2: ["40002", "Invalid Arguments", "isv.invalid-app-cert-sn", "应用公钥证书序列号不匹配"],
  },
  ROOT_CERT_SN_MISMATCH: {
    v3: [401, "invalid-alipay-root-cert-sn", "支付宝根证书序列号不匹配"],
    v2: ["40002", "Invalid Arguments", "isv.invalid-alipay-root-cert-sn", "支付宝根证书序列号不匹配"],
  },
  INVALID_TIMESTAMP: {
    v3: [401, "invalid-timestamp", "非法的时间戳参数"],
    v2: ["40002", "Invalid Arguments", "isv.invalid-timestamp", "非法的时间戳参数"],
  },
  MISSING_APP_AUTH_TOKEN: {
    v3: [401, "invalid-app-auth-token", "无效的应用授权令牌"],
    v2: ["20001", "Insufficient Token Permissions", "aop.invalid-app-auth-token", "无效的应用授权令牌"],
  },
  INVALID_APP_AUTH_TOKEN: {
    v3: [401, "invalid-app-auth-token", "无效的应用授权令牌"],
    v2: ["20001", "Insufficient Token Permissions", "aop.invalid-app-auth-token", "无效的应用授权令牌"],
  },
  INVALID_METHOD: {
    v3: [400, "invalid-method", "不存在的方法名"],
    v2: ["40002", "Invalid Arguments", "isv.invalid-method", "不存在的方法名"],
  },
  INVALID_CONTENT_TYPE: { v3: [400, "invalid-content-type", "Content-Type 必须为 application/json"], v2: null },
  UNSUPPORTED_SIGN_TYPE: {
    v3: null,
    v2: ["40002", "Invalid Arguments", "isv.invalid-signature-type", "无效的签名类型"],
  },
  UNSUPPORTED_CHARSET: { v3: null, v2: ["40002", "Invalid Arguments", "isv.invalid-charset", "字符集错误"] },
  MALFORMED_FORM: { v3: null, v2: ["40002", "Invalid Arguments", "isv.invalid-parameter", "参数无效"] },
  MISSING_PARAMETER: { v3: null, v2: ["40001", "Missing Required Arguments", null, "缺少必选参数"] },
};

const MISSING_SUB_CODES = {
  method: "isv.missing-method",
  app_id: "isv.missing-app-id",
  sign_type: "isv.missing-signature-type",
  sign: "isv.missing-signature",
  timestamp: "isv.missing-timestamp",
  version: "isv.missing-version",
};

function toPublicKey(k) {
  if (k instanceof KeyObject) return k;
  const text = String(k).trim();
  if (text.includes("-----BEGIN CERTIFICATE-----")) return new X509Certificate(text).publicKey;
  if (text.startsWith("-----")) return createPublicKey(text);
  return createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ""), "base64"), format: "der", type: "spki" });
}

function toPrivateKey(k) {
  return k instanceof KeyObject ? k : createPrivateKey(String(k));
}

/** yyyy-MM-dd HH:mm:ss (GMT+8) → epoch ms, or null. */
function parseGmt8(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h - 8, mi, se);
  const back = new Date(ms + 8 * 3600_000);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && se < 60 ? ms : null;
}

/** Strict application/x-www-form-urlencoded decoding to byte pairs ('+' = space, %XX = byte). */
function decodeForm(text) {
  const out = [];
  if (text === "") return out;
  for (const part of text.split("&")) {
    const eq = part.indexOf("=");
    const [k, v] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    out.push([bytesOf(k), bytesOf(v)]);
  }
  return out;
}

function bytesOf(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b) out.push(0x20);
    else if (c === 0x25) {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error("bad percent escape");
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) out.push(c);
    else {
      const ch = String.fromCodePoint(s.codePointAt(i)); // a raw non-ASCII character: its UTF-8 bytes
      out.push(...Buffer.from(ch, "utf8"));
      i += ch.length - 1;
    }
  }
  return Buffer.from(out);
}

function flipSignature(b64) {
  const raw = Buffer.from(b64, "base64");
  raw[raw.length - 1] ^= 0x01;
  return raw.toString("base64");
}

/** Adds a field to a JSON object text, so it stays valid JSON but differs from what was signed. */
function tamperJson(text) {
  return text === "{}" ? '{"tampered":true}' : text.replace(/^\{/, '{"tampered":true,');
}

const HTML_502 =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n";

/** Outcome shorthands → full outcome objects. */
function normalise(outcome) {
  const o = typeof outcome === "string" ? { type: outcome } : { ...outcome };
  switch (o.type ?? "success") {
    case "wrong-key":
      return { ...o, type: "success", key: o.key ?? "other", label: "wrong-key" };
    case "wrong-sn":
      return { ...o, type: "success", sn: o.sn ?? FAKE_SN, label: "wrong-sn" };
    case "rotated":
      return {
        ...o,
        type: "success",
        key: "rotated",
        sn: SN.certificates["alipayCertPublicKey_RSA2-rotated.crt"].sn,
        label: "rotated",
      };
    case "unsigned":
      return { ...o, type: "success", signed: false, label: "unsigned" };
    case "tampered":
      return { ...o, type: "success", tamper: o.part ?? "body", label: `tampered-${o.part ?? "body"}` };
    default:
      return { ...o, type: o.type ?? "success", label: o.label ?? o.type ?? "success" };
  }
}

/**
 * Starts the mock. Options (all optional):
 * - `mode`: "key" (public-key mode, default) or "cert" (certificate mode: checks app_cert_sn and
 *   alipay_root_cert_sn, answers with alipay-sn / alipay_cert_sn).
 * - `appId` (default "2021000000000001"); `appPublicKey` (PEM, bare base64, certificate or KeyObject;
 *   default keys/app-public.pem, in cert mode the key of the app certificate).
 * - `alipayPrivateKey` (default keys/alipay-private-pkcs8.pem); `appCertSn`, `alipayCertSn`,
 *   `alipayRootCertSn` (defaults: keys/sn.json).
 * - `appAuthTokens`: tokens the "merchant" granted (default: any non-empty token is accepted).
 * - `outcomes`: initial queue (see `enqueue`); `handler(record)` → outcome | undefined, called for
 *   every request, verified or not, before the queue.
 * - `now` () → ms (response timestamps, freshness; default Date.now); `maxSkewMs`: refuse request
 *   timestamps (v3 ms, v2 GMT+8 text) further than this from `now()` (default: not checked).
 * - `alipayCerts`: SN → certificate PEM served by alipay.open.app.alipaycert.download (default: the
 *   current, rotated and forged Alipay certificates of keys/).
 * - `port` (default 0), `host` (default "127.0.0.1").
 */
export async function startMockAlipay(options = {}) {
  const mode = options.mode ?? "key";
  if (mode !== "key" && mode !== "cert") throw new TypeError(`mode must be "key" or "cert", not ${mode}`);
  const appId = options.appId ?? APP_ID;
  const cert = mode === "cert";
  const appPublicKey = toPublicKey(
    options.appPublicKey ?? (cert ? keyFile(CERT_FILES.appCert) : keyFile("app-public.pem")),
  );
  const keys = {
    alipay: toPrivateKey(options.alipayPrivateKey ?? keyFile("alipay-private-pkcs8.pem")),
    rotated: toPrivateKey(keyFile("alipay-rotated-private-pkcs8.pem")),
    other: toPrivateKey(keyFile("other-private-pkcs8.pem")),
  };
  const sn = {
    appCertSn: options.appCertSn ?? SN.app_cert_sn,
    alipayCertSn: options.alipayCertSn ?? SN.alipay_cert_sn,
    alipayRootCertSn: options.alipayRootCertSn ?? SN.alipay_root_cert_sn,
  };
  const alipayCerts =
    options.alipayCerts ??
    Object.fromEntries(
      Object.entries(CERTIFICATE_SNS)
        .filter(([, f]) => f.startsWith("alipayCertPublicKey"))
        .map(([s, f]) => [s, keyFile(f)]),
    );
  const now = options.now ?? (() => Date.now());
  const tokens = options.appAuthTokens ? new Set(options.appAuthTokens) : null;
  const queue = (options.outcomes ?? []).map(normalise);
  let handler = options.handler ?? null;
  const requests = [];
  const timers = new Set();
  let seq = 0;

  const keyOf = (k) => (k === undefined ? keys.alipay : typeof k === "string" && keys[k] ? keys[k] : toPrivateKey(k));
  const rsa = (data, key) =>
    sign("sha256", Buffer.isBuffer(data) ? data : Buffer.from(data, "utf8"), key).toString("base64");

  // ---- verification ----

  function checkV3(rec, req) {
    const url = new URL(req.url, "http://mock");
    rec.query = [...url.searchParams];
    const route = byV3.get(`${req.method} ${url.pathname}`);
    rec.api = route?.name ?? null;
    rec.alipayMethod = route?.method ?? null;
    rec.appAuthToken = req.headers["alipay-app-auth-token"] ?? null;
    if (req.method === "GET") rec.bizParams = Object.fromEntries(rec.query);
    else {
      try {
        rec.bizParams = rec.body === "" ? null : JSON.parse(rec.body);
      } catch {
        rec.bizParams = null;
      }
    }
    const auth = req.headers.authorization;
    const m = typeof auth === "string" ? /^ALIPAY-SHA256withRSA (.+),sign=([A-Za-z0-9+/]+={0,2})$/.exec(auth) : null;
    if (!m) return "MALFORMED_AUTHORIZATION";
    const fields = {};
    for (const part of m[1].split(",")) {
      const i = part.indexOf("=");
      if (i <= 0 || part.slice(0, i) in fields) return "MALFORMED_AUTHORIZATION";
      fields[part.slice(0, i)] = part.slice(i + 1);
    }
    rec.auth = { ...fields, sign: m[2] };
    if (!fields.nonce || !/^\d+$/.test(fields.timestamp ?? "")) return "MALFORMED_AUTHORIZATION";
    rec.stringToSign = Buffer.concat([
      Buffer.from(`${m[1]}\n${req.method}\n${req.url}\n`, "utf8"),
      rec.bodyBytes,
      Buffer.from(rec.appAuthToken !== null ? `\n${rec.appAuthToken}\n` : "\n", "utf8"),
    ]);
    if (fields.app_id !== appId) return "APP_ID_MISMATCH";
    if (cert ? fields.app_cert_sn !== sn.appCertSn : "app_cert_sn" in fields) return "APP_CERT_SN_MISMATCH";
    if (cert && req.headers["alipay-root-cert-sn"] !== sn.alipayRootCertSn) return "ROOT_CERT_SN_MISMATCH";
    if (options.maxSkewMs != null && Math.abs(Number(fields.timestamp) - now()) > options.maxSkewMs)
      return "INVALID_TIMESTAMP";
    if (!verify("sha256", rec.stringToSign, appPublicKey, Buffer.from(m[2], "base64"))) return "INVALID_SIGNATURE";
    rec.verified = true;
    if (!route && APIS.some((a) => a.v3?.path === url.pathname)) return "INVALID_METHOD";
    const type = req.headers["content-type"] ?? "";
    const encrypted = req.headers["alipay-encrypt-type"] === "AES";
    if (rec.body !== "" && !(encrypted ? /^text\/plain/i : /^application\/json/i).test(type))
      return "INVALID_CONTENT_TYPE";
    return checkToken(rec, route);
  }

  function checkToken(rec, api) {
    if (rec.appAuthToken === "" || (api?.appAuthToken && rec.appAuthToken == null)) return "MISSING_APP_AUTH_TOKEN";
    if (rec.appAuthToken != null && tokens && !tokens.has(rec.appAuthToken)) return "INVALID_APP_AUTH_TOKEN";
    return null;
  }

  function checkV2(rec, req) {
    const url = new URL(req.url, "http://mock");
    let pairs;
    try {
      pairs = [
        ...decodeForm(url.search.slice(1)).map((p) => [...p, "query"]),
        ...decodeForm(rec.body).map((p) => [...p, "form"]),
      ];
    } catch {
      return "MALFORMED_FORM";
    }
    const raw = new Map();
    for (const [k, v] of pairs) {
      const key = k.toString("latin1");
      if (raw.has(key) || /[^\x20-\x7e]/.test(key)) return "MALFORMED_FORM";
      raw.set(key, { bytes: v });
    }
    const charset = raw.get("charset")?.bytes.toString("latin1") || "utf-8";
    let decoder;
    try {
      decoder = new TextDecoder(charset, { fatal: true });
    } catch {
      return "UNSUPPORTED_CHARSET";
    }
    const params = {};
    try {
      for (const [k, { bytes }] of raw) params[k] = decoder.decode(bytes);
    } catch {
      return "UNSUPPORTED_CHARSET";
    }
    rec.params = params;
    rec.query = pairs
      .filter((p) => p[2] === "query")
      .map(([k]) => [k.toString("latin1"), params[k.toString("latin1")]]);
    rec.form = pairs.filter((p) => p[2] === "form").map(([k]) => [k.toString("latin1"), params[k.toString("latin1")]]);
    rec.alipayMethod = params.method ?? null;
    rec.appAuthToken = params.app_auth_token ?? null;
    const api = byMethod.get(params.method);
    rec.api = api?.name ?? null;
    try {
      rec.bizParams = params.biz_content ? JSON.parse(params.biz_content) : null;
    } catch {
      rec.bizParams = null;
    }
    const content = [...raw.keys()].filter((k) => k !== "sign" && raw.get(k).bytes.length > 0).sort();
    rec.stringToSign = Buffer.concat(
      content.flatMap((k, i) => [Buffer.from(`${i ? "&" : ""}${k}=`, "latin1"), raw.get(k).bytes]),
    );
    for (const p of ["method", "app_id", "sign_type", "sign", "timestamp", "version"]) {
      if (!params[p]) {
        rec.missingParameter = p;
        return "MISSING_PARAMETER";
      }
    }
    if (params.app_id !== appId) return "APP_ID_MISMATCH";
    if (params.sign_type !== "RSA2") return "UNSUPPORTED_SIGN_TYPE";
    if (cert ? params.app_cert_sn !== sn.appCertSn : "app_cert_sn" in params) return "APP_CERT_SN_MISMATCH";
    if (cert && params.alipay_root_cert_sn !== sn.alipayRootCertSn) return "ROOT_CERT_SN_MISMATCH";
    const ts = parseGmt8(params.timestamp);
    if (ts === null || (options.maxSkewMs != null && Math.abs(ts - now()) > options.maxSkewMs))
      return "INVALID_TIMESTAMP";
    const sig = params.sign;
    if (
      !/^[A-Za-z0-9+/]+={0,2}$/.test(sig) ||
      !verify("sha256", rec.stringToSign, appPublicKey, Buffer.from(sig, "base64"))
    )
      return "INVALID_SIGNATURE";
    rec.verified = true;
    return checkToken(rec, api);
  }

  // ---- responses ----

  function v3Answer(status, body, o) {
    const headers = {
      "content-type": "application/json;charset=utf-8",
      "alipay-trace-id": randomBytes(15).toString("hex"),
    };
    if (o.signed !== false) {
      let ts = String(now());
      let nonce = randomUUID();
      let signature = rsa(`${ts}\n${nonce}\n${body}\n`, keyOf(o.key));
      if (o.tamper === "body") body = tamperJson(body);
      if (o.tamper === "timestamp") ts = String(Number(ts) + 1);
      if (o.tamper === "nonce") nonce = randomUUID();
      if (o.tamper === "signature") signature = flipSignature(signature);
      Object.assign(headers, { "alipay-timestamp": ts, "alipay-nonce": nonce });
      if (cert || o.sn) headers["alipay-sn"] = o.sn ?? sn.alipayCertSn;
      headers["alipay-signature"] = signature;
    }
    return { status, headers, body };
  }

  function v2Answer(key, inner, o) {
    let text = JSON.stringify(inner);
    const signedText = text;
    if (o.escapeSlashes) text = text.replaceAll("/", "\\/"); // signed unescaped, sent escaped (JAVA2 retry quirk)
    let body = `{${JSON.stringify(key)}:${text}`;
    if (o.signed !== false) {
      let signature = rsa(signedText, keyOf(o.key));
      if (o.tamper === "signature") signature = flipSignature(signature);
      if (o.tamper === "body") body = `{${JSON.stringify(key)}:${tamperJson(text)}`;
      if (cert || o.sn) body += `,"alipay_cert_sn":${JSON.stringify(o.sn ?? sn.alipayCertSn)}`;
      body += `,"sign":${JSON.stringify(signature)}`;
    }
    return { status: 200, headers: { "content-type": "text/html;charset=utf-8" }, body: `${body}}` };
  }

  function refusal(rec, code) {
    const r = REFUSALS[code];
    if (rec.protocol === "v3") {
      const [status, c, message] = r.v3 ?? [400, "invalid-parameter", code];
      return v3Answer(status, JSON.stringify({ code: c, message, links: links() }), {});
    }
    const [c, msg, sub, subMsg] = r.v2;
    const inner = { code: c, msg, sub_code: sub ?? MISSING_SUB_CODES[rec.missingParameter], sub_msg: subMsg };
    if (code === "INVALID_SIGNATURE") inner.sub_msg += `，网关生成的验签字符串为：${rec.stringToSign.toString("utf8")}`;
    const key = rec.params?.method && code !== "MISSING_PARAMETER" ? responseKey(rec.params.method) : "error_response";
    return v2Answer(key, inner, {});
  }

  function links() {
    return [
      { link: `https://open.alipay.com/api/errCheck?traceId=${randomBytes(12).toString("hex")}`, desc: "解决方案" },
    ];
  }

  function successResult(rec) {
    if (rec.alipayMethod === DOWNLOAD_METHOD) {
      const pem = alipayCerts[rec.bizParams?.alipay_cert_sn];
      return pem ? { alipay_cert_content: Buffer.from(pem, "utf8").toString("base64") } : null;
    }
    return byName.get(rec.api)?.result ?? {};
  }

  function build(rec, o) {
    const api = byName.get(rec.api);
    switch (o.type) {
      case "success": {
        const result = o.result ?? successResult(rec);
        if (result === null)
          return build(rec, { ...o, type: "business-error", code: "isv.cert-not-exist", message: "证书不存在" });
        if (rec.protocol === "v3") return v3Answer(o.status ?? 200, JSON.stringify(result), o);
        return v2Answer(responseKey(rec.alipayMethod ?? "unknown"), { code: "10000", msg: "Success", ...result }, o);
      }
      case "business-error": {
        const code = o.code ?? api?.errors[0][0] ?? "SYSTEM_ERROR";
        const message = o.message ?? o.subMsg ?? api?.errors.find((e) => e[0] === code)?.[1] ?? "业务处理失败";
        if (rec.protocol === "v3")
          return v3Answer(o.status ?? 400, JSON.stringify({ code, message, links: links() }), o);
        const inner = { code: "40004", msg: "Business Failed", sub_code: o.subCode ?? code, sub_msg: message };
        return v2Answer(responseKey(rec.alipayMethod ?? "unknown"), inner, o);
      }
      case "gateway-error": {
        if (rec.protocol === "v3") {
          const body = {
            code: o.code ?? "invalid-signature",
            message: o.message ?? REFUSALS.INVALID_SIGNATURE.v3[2],
            links: links(),
          };
          return v3Answer(o.status ?? 401, JSON.stringify(body), o);
        }
        const inner = {
          code: o.code ?? "40002",
          msg: o.msg ?? "Invalid Arguments",
          sub_code: o.subCode ?? "isv.invalid-app-id",
          sub_msg: o.subMsg ?? "无效的AppID参数",
        };
        return v2Answer("error_response", inner, o);
      }
      case "html":
        return { status: o.status ?? 502, headers: { "content-type": "text/html" }, body: HTML_502 };
      case "empty":
        if (rec.protocol === "v3" && o.signed) return v3Answer(o.status ?? 200, "", o);
        return {
          status: o.status ?? 200,
          headers: {
            "content-type": rec.protocol === "v3" ? "application/json;charset=utf-8" : "text/html;charset=utf-8",
          },
          body: "",
        };
      case "raw":
        return { status: o.status ?? 200, headers: o.headers ?? {}, body: o.body ?? "" };
      default:
        throw new TypeError(`unknown outcome type ${o.type}`);
    }
  }

  async function handle(req, res, bodyBytes) {
    const rec = {
      seq: ++seq,
      receivedAt: now(),
      protocol: null,
      api: null,
      alipayMethod: null,
      method: req.method,
      target: req.url,
      headers: { ...req.headers },
      body: bodyBytes.toString("utf8"),
      bodyBytes,
      auth: null,
      params: null,
      query: null,
      form: null,
      bizParams: null,
      appAuthToken: null,
      stringToSign: null,
      missingParameter: null,
      verified: false,
      error: null,
      outcome: null,
      response: null,
    };
    requests.push(rec);
    const path = req.url.split("?")[0];
    let error;
    if (path === "/gateway.do" && req.method === "POST") {
      rec.protocol = "v2";
      error = checkV2(rec, req);
    } else if (path.startsWith("/v3/")) {
      rec.protocol = "v3";
      error = checkV3(rec, req);
    } else {
      error = "NOT_FOUND";
    }
    rec.error = error;
    if (rec.stringToSign) rec.stringToSign = rec.stringToSign.toString("utf8");

    let outcome = handler ? await handler(rec) : undefined;
    if (outcome == null && !error) outcome = queue.shift();
    let response;
    if (outcome != null) {
      const o = normalise(outcome);
      rec.outcome = o.label;
      if (o.delayMs) {
        await new Promise((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, o.delayMs);
          timers.add(t);
        });
      }
      response = build(rec, o);
    } else if (error === "NOT_FOUND") {
      rec.outcome = "not-found";
      response = { status: 404, headers: { "content-type": "text/plain" }, body: "not found\n" };
    } else if (error) {
      rec.outcome = `refused:${error}`;
      response = refusal(rec, error);
    } else {
      rec.outcome = "success";
      response = build(rec, { type: "success" });
    }
    rec.response = response;
    if (res.destroyed) return;
    res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(response.body) });
    res.end(response.body);
  }

  const server = createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks)).catch((e) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`mock error: ${e.message}\n`);
      });
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve(undefined));
  });
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  const certs = Object.fromEntries(Object.entries(CERT_FILES).map(([k, f]) => [k, keyFile(f)]));
  const privateKey = keyFile("app-private-pkcs8.pem");

  return {
    url,
    endpoint: url,
    gateway: `${url}/gateway.do`,
    port,
    mode,
    appId,
    sn,
    /** Every request received, oldest first (see README for the fields). */
    requests,
    /** Options for the client under test (SPEC §5 names). */
    clientOptions: {
      appId,
      privateKey,
      ...(cert ? certs : { alipayPublicKey: keyFile("alipay-public.pem") }),
      endpoint: url,
      gateway: `${url}/gateway.do`,
    },
    /** The same for alipay-sdk's constructor. */
    sdkConfig: {
      appId,
      privateKey,
      keyType: /** @type {"PKCS8"} */ ("PKCS8"),
      ...(cert
        ? {
            appCertContent: certs.appCert,
            alipayPublicCertContent: certs.alipayCert,
            alipayRootCertContent: certs.alipayRootCert,
          }
        : { alipayPublicKey: keyFile("alipay-public.pem") }),
      endpoint: url,
      gateway: `${url}/gateway.do`,
    },
    /** Queues outcomes for the next requests that pass every check (strings or objects, see README). */
    enqueue(...outcomes) {
      queue.push(...outcomes.map(normalise));
    },
    /** Replaces the handler (null removes it). */
    setHandler(fn) {
      handler = fn;
    },
    /** Clears the queue, the handler and the recorded requests. */
    reset() {
      queue.length = 0;
      handler = null;
      requests.length = 0;
    },
    lastRequest() {
      return requests[requests.length - 1] ?? null;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
