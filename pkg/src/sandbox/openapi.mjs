// The OpenAPI side of the sandbox: the nine Service Market APIs over v3 (`/v3/...`, the
// `Authorization` header) and v2 (`/gateway.do`, form or query), as reference openapi.md §5–§8
// describe them. Every request's signature is checked with the app public key; calls that act
// for a merchant need the `app_auth_token` the sandbox issued; answers are signed with the
// sandbox's Alipay key (v3 `alipay-signature` over `timestamp\nnonce\nbody\n`, v2 `sign` over the
// exact `<method>_response` text). Codes the reference marks [not determined] are our choice:
// v3 401 `invalid-app-auth-token` for a bad token, HTTP 400 for business errors.
import { randomBytes, randomUUID } from "node:crypto";
import { decodeForm, normalizeCharset } from "./charset.mjs";
import { BusinessError } from "./errors.mjs";
import { rsaSign, rsaVerify } from "./keys.mjs";

/**
 * The APIs: v2 method, v3 route (`null`: v2 only), whether a merchant token is required (§8),
 * and the order-book operation.
 * @type {Array<{ name: string, method: string, v3: [string, string] | null, token: boolean, run: string }>}
 */
const APIS = [
  ["orderQuery", "order.query", ["GET", "order/query"], false, "query"],
  ["orderAccept", "order.accept", ["POST", "order/accept"], false, "accept"],
  ["orderReject", "order.reject", ["POST", "order/reject"], false, "reject"],
  ["orderItemCancel", "order.item.cancel", ["POST", "order/item/cancel"], false, "itemCancel"],
  ["orderItemComplete", "order.item.complete", ["POST", "order/item/complete"], false, "itemComplete"],
  ["orderItemConfirm", "order.item.confirm", ["POST", "order/item/confirm"], true, "itemConfirm"],
  ["commodityShopOnline", "commodity.shop.online", ["POST", "commodity/shop/online"], true, "shopOnline"],
  ["commodityShopOffline", "commodity.shop.offline", ["POST", "commodity/shop/offline"], true, "shopOffline"],
  [
    "promotionRelationQuery",
    "promotiontask.relation.query",
    ["GET", "promotiontask/relation/query"],
    false,
    "promotions",
  ],
  ["orderUpgrade", "order.upgrade", null, false, "upgrade"],
].map(([name, m, v3, token, run]) => ({
  name: /** @type {string} */ (name),
  method: `alipay.open.servicemarket.${m}`,
  v3: v3 ? /** @type {[string, string]} */ ([v3[0], `/v3/alipay/open/servicemarket/${v3[1]}`]) : null,
  token: /** @type {boolean} */ (token),
  run: /** @type {string} */ (run),
}));

const BY_METHOD = new Map(APIS.map((a) => [a.method, a]));
const BY_ROUTE = new Map(APIS.filter((a) => a.v3).map((a) => [`${a.v3?.[0]} ${a.v3?.[1]}`, a]));

/** Refusals before the business rules: v3 [status, code, message]; v2 [code, msg, sub_code, sub_msg]. */
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
  CERT_MODE_NOT_SUPPORTED: {
    v3: [401, "invalid-app-cert-sn", "应用公钥证书序列号不匹配（沙箱使用公钥模式）"],
    v2: ["40002", "Invalid Arguments", "isv.invalid-app-cert-sn", "应用公钥证书序列号不匹配（沙箱使用公钥模式）"],
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
    v3: [404, "invalid-method", "不存在的方法名"],
    v2: ["40002", "Invalid Arguments", "isv.invalid-method", "不存在的方法名"],
  },
  INVALID_CONTENT_TYPE: { v3: [400, "invalid-content-type", "Content-Type 必须为 application/json"], v2: null },
  INVALID_PARAMETER: {
    v3: [400, "invalid-parameter", "请求体必须是 JSON 对象"],
    v2: ["40002", "Invalid Arguments", "isv.invalid-parameter", "biz_content 必须是 JSON 对象"],
  },
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

/** v2 `timestamp` (`yyyy-MM-dd HH:mm:ss`, GMT+8) is well-formed. Freshness is not checked: the sandbox clock may run ahead. */
const V2_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** JSON text as a value, or `null` when it is not JSON. */
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

const responseKey = (method) => `${method.replaceAll(".", "_")}_response`;

/**
 * @param {{
 *   appId: string, appPublicKey: import("node:crypto").KeyObject, alipayKey: import("node:crypto").KeyObject,
 *   book: ReturnType<import("./orders.mjs").createOrderBook>, promotions: (p: Record<string, unknown>) => object,
 *   now: () => number
 * }} env
 */
function createOpenApi(env) {
  const { book } = env;

  function v3Answer(status, body) {
    const ts = String(env.now());
    const nonce = randomUUID();
    return {
      status,
      headers: {
        "content-type": "application/json;charset=utf-8",
        "alipay-trace-id": randomBytes(15).toString("hex"),
        "alipay-timestamp": ts,
        "alipay-nonce": nonce,
        "alipay-signature": rsaSign(`${ts}\n${nonce}\n${body}\n`, env.alipayKey),
      },
      body,
    };
  }

  function v2Answer(key, inner, signType) {
    const text = JSON.stringify(inner);
    const body = `{${JSON.stringify(key)}:${text},"sign":${JSON.stringify(rsaSign(text, env.alipayKey, signType))}}`;
    return { status: 200, headers: { "content-type": "text/html;charset=utf-8" }, body };
  }

  const links = () => [
    { link: `https://open.alipay.com/api/errCheck?traceId=${randomBytes(12).toString("hex")}`, desc: "解决方案" },
  ];

  // ─── verification ───

  function checkV3(rec, req, bodyBytes) {
    const url = new URL(req.url, "http://sandbox");
    const api = BY_ROUTE.get(`${req.method} ${url.pathname}`) ?? null;
    rec.alipayMethod = api?.method ?? null;
    rec.api = api?.name ?? null;
    const token = req.headers["alipay-app-auth-token"];
    rec.appAuthToken = typeof token === "string" ? token : null;
    // Read before the checks, for the log; used only once the request has passed them.
    rec.params = req.method === "GET" ? Object.fromEntries(url.searchParams) : parseJson(bodyBytes.toString("utf8"));
    const auth = req.headers.authorization;
    const m = typeof auth === "string" ? /^ALIPAY-SHA256withRSA (.+),sign=([A-Za-z0-9+/]+={0,2})$/.exec(auth) : null;
    if (!m) return "MALFORMED_AUTHORIZATION";
    const fields = {};
    for (const part of m[1].split(",")) {
      const i = part.indexOf("=");
      if (i <= 0 || part.slice(0, i) in fields) return "MALFORMED_AUTHORIZATION";
      fields[part.slice(0, i)] = part.slice(i + 1);
    }
    if (!fields.nonce || !/^\d+$/.test(fields.timestamp ?? "")) return "MALFORMED_AUTHORIZATION";
    if (fields.app_id !== env.appId) return "APP_ID_MISMATCH";
    if ("app_cert_sn" in fields || req.headers["alipay-root-cert-sn"]) return "CERT_MODE_NOT_SUPPORTED";
    const signed = Buffer.concat([
      Buffer.from(`${m[1]}\n${req.method}\n${req.url}\n`, "utf8"),
      bodyBytes,
      Buffer.from(rec.appAuthToken !== null ? `\n${rec.appAuthToken}\n` : "\n", "utf8"),
    ]);
    if (!rsaVerify(signed, env.appPublicKey, m[2])) return "INVALID_SIGNATURE";
    rec.verified = true;
    if (!api) return "INVALID_METHOD";
    if (req.method === "POST" && !/^application\/json/i.test(req.headers["content-type"] ?? ""))
      return "INVALID_CONTENT_TYPE";
    if (!isObject(rec.params)) return "INVALID_PARAMETER";
    return checkToken(rec, api);
  }

  function checkV2(rec, req, bodyBytes) {
    const url = new URL(req.url, "http://sandbox");
    let pairs;
    try {
      pairs = [...decodeForm(url.search.slice(1)), ...decodeForm(bodyBytes.toString("latin1"))];
    } catch {
      return "MALFORMED_FORM";
    }
    const raw = new Map();
    for (const [k, v] of pairs) {
      const key = k.toString("latin1");
      if (raw.has(key) || /[^\x20-\x7e]/.test(key)) return "MALFORMED_FORM";
      raw.set(key, v);
    }
    const charsetLabel = raw.get("charset")?.toString("latin1") || "utf-8";
    const charset = normalizeCharset(charsetLabel);
    if (!charset) return "UNSUPPORTED_CHARSET";
    const decoder = new TextDecoder(charset === "GBK" ? "gbk" : "utf-8", { fatal: true });
    const params = {};
    try {
      for (const [k, bytes] of raw) params[k] = decoder.decode(bytes);
    } catch {
      return "UNSUPPORTED_CHARSET";
    }
    rec.alipayMethod = params.method ?? null;
    const api = BY_METHOD.get(params.method) ?? null;
    rec.api = api?.name ?? null;
    rec.appAuthToken = params.app_auth_token ?? null;
    rec.params = params.biz_content ? parseJson(params.biz_content) : {};
    for (const p of ["method", "app_id", "sign_type", "sign", "timestamp", "version"]) {
      if (!params[p]) {
        rec.missingParameter = p;
        return "MISSING_PARAMETER";
      }
    }
    if (params.app_id !== env.appId) return "APP_ID_MISMATCH";
    if (params.sign_type !== "RSA2" && params.sign_type !== "RSA") return "UNSUPPORTED_SIGN_TYPE";
    rec.signType = params.sign_type;
    if ("app_cert_sn" in params || "alipay_root_cert_sn" in params) return "CERT_MODE_NOT_SUPPORTED";
    if (!V2_TIMESTAMP.test(params.timestamp)) return "INVALID_TIMESTAMP";
    // The gateway's sign content: every non-empty parameter but `sign`, sorted, raw bytes.
    const names = [...raw.keys()].filter((k) => k !== "sign" && raw.get(k).length > 0).sort();
    const content = Buffer.concat(names.flatMap((k, i) => [Buffer.from(`${i ? "&" : ""}${k}=`, "latin1"), raw.get(k)]));
    if (!rsaVerify(content, env.appPublicKey, params.sign, rec.signType)) return "INVALID_SIGNATURE";
    rec.verified = true;
    if (!api) return "INVALID_METHOD";
    if (!isObject(rec.params)) return "INVALID_PARAMETER";
    return checkToken(rec, api);
  }

  function checkToken(rec, api) {
    if (rec.appAuthToken === "" || (api.token && rec.appAuthToken === null)) return "MISSING_APP_AUTH_TOKEN";
    if (rec.appAuthToken !== null) {
      rec.merchantPid = book.merchantOfToken(rec.appAuthToken) ?? null;
      if (!rec.merchantPid) return "INVALID_APP_AUTH_TOKEN";
    }
    return null;
  }

  // ─── answers ───

  function refusal(rec, code) {
    const r = REFUSALS[code];
    if (rec.protocol === "v3") {
      const [status, c, message] = r.v3 ?? [400, "invalid-parameter", code];
      rec.answer = { code: c, message };
      return v3Answer(status, JSON.stringify({ code: c, message, links: links() }));
    }
    const [c, msg, sub, subMsg] = r.v2 ?? ["40002", "Invalid Arguments", "isv.invalid-parameter", code];
    const inner = { code: c, msg, sub_code: sub ?? MISSING_SUB_CODES[rec.missingParameter], sub_msg: subMsg };
    rec.answer = { code: c, subCode: inner.sub_code, message: subMsg };
    const key = rec.alipayMethod && code !== "MISSING_PARAMETER" ? responseKey(rec.alipayMethod) : "error_response";
    return v2Answer(key, inner, rec.signType ?? "RSA2");
  }

  function run(rec) {
    const api = /** @type {(typeof APIS)[number]} */ (BY_METHOD.get(rec.alipayMethod));
    let result;
    try {
      result = api.run === "promotions" ? env.promotions(rec.params) : book.isv[api.run](rec.params, rec.merchantPid);
    } catch (e) {
      if (!(e instanceof BusinessError)) throw e;
      rec.answer =
        rec.protocol === "v3"
          ? { code: e.code, message: e.message }
          : { code: "40004", subCode: e.code, message: e.message };
      if (rec.protocol === "v3")
        return v3Answer(400, JSON.stringify({ code: e.code, message: e.message, links: links() }));
      const inner = { code: "40004", msg: "Business Failed", sub_code: e.code, sub_msg: e.message };
      return v2Answer(responseKey(api.method), inner, rec.signType);
    }
    rec.answer = { code: rec.protocol === "v3" ? "Success" : "10000", message: "Success" };
    if (rec.protocol === "v3") return v3Answer(200, JSON.stringify(result));
    return v2Answer(responseKey(api.method), { code: "10000", msg: "Success", ...result }, rec.signType);
  }

  /**
   * Answers one request: `{ status, headers, body }` and its record for the log.
   * @param {import("node:http").IncomingMessage} req
   * @param {Buffer} bodyBytes
   */
  function handle(req, bodyBytes) {
    const path = (req.url ?? "/").split("?")[0];
    const rec = {
      protocol: /** @type {"v3" | "v2" | null} */ (null),
      httpMethod: req.method,
      target: req.url,
      api: null,
      alipayMethod: null,
      verified: false,
      refusal: /** @type {string | null} */ (null),
      appAuthToken: null,
      merchantPid: null,
      params: null,
      signType: null,
      missingParameter: null,
      answer: null,
    };
    let error;
    if (path === "/gateway.do" && req.method === "POST") {
      rec.protocol = "v2";
      error = checkV2(rec, req, bodyBytes);
    } else if (path.startsWith("/v3/")) {
      rec.protocol = "v3";
      error = checkV3(rec, req, bodyBytes);
    } else {
      rec.refusal = "NOT_FOUND";
      return { rec, response: { status: 404, headers: { "content-type": "text/plain" }, body: "not found\n" } };
    }
    rec.refusal = error;
    const response = error ? refusal(rec, error) : run(rec);
    return { rec, response };
  }

  return { handle };
}

export { APIS, createOpenApi };
