// Oracle capture: drives alipay-sdk@4.14.0 (Alipay's official Node SDK, CommonJS build, resolved
// as from tests/js: the workspaces' node_modules) against a recording HTTP server on 127.0.0.1 and writes every request
// it sends to requests.json, with the string to sign rebuilt independently from the captured bytes.
// See README.md. Deterministic: nonce, clock and time zone are frozen, PKCS#1 v1.5 is deterministic.
//
//   cd tests/js && node ../vectors/openapi/capture.mjs           # rewrite requests.json
//   cd tests/js && node ../vectors/openapi/capture.mjs --check   # regenerate in memory, compare

// The SDK's v2 timestamp is local time; Node applies a TZ set before the first Date use.
process.env.TZ = "Asia/Shanghai";

import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { APIS, APP_AUTH_TOKEN, APP_ID, camelKeys, responseKey } from "../../js/lib/openapi-apis.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const KEYS = join(HERE, "keys");
const OUT = join(HERE, "requests.json");
const require = createRequire(join(HERE, "../../js/package.json"));
const crypto = require("node:crypto");

// ---- Freezing (reference §10.2): the CommonJS build looks up randomUUID and Date at call time. ----
let frozen = null; // { uuid, now } while an SDK call is being made
const realRandomUUID = crypto.randomUUID;
crypto.randomUUID = (...a) => (frozen ? frozen.uuid : realRandomUUID(...a));
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...a) {
    if (a.length === 0 && frozen) super(frozen.now);
    else super(...a);
  }
  static now() {
    return frozen ? frozen.now : RealDate.now();
  }
};

const sdkPkg = JSON.parse(readFileSync(require.resolve("alipay-sdk/package.json"), "utf8"));
if (sdkPkg.version !== "4.14.0") throw new Error(`alipay-sdk ${sdkPkg.version} installed, 4.14.0 expected`);
const { AlipaySdk } = require("alipay-sdk");

const key = (f) => readFileSync(join(KEYS, f), "utf8");
const SN = JSON.parse(key("sn.json"));
const APP_PUBLIC = crypto.createPublicKey(key("app-public.pem"));
const ALIPAY_PRIVATE = crypto.createPrivateKey(key("alipay-private-pkcs8.pem"));
const CERT_FILES = {
  appCertContent: `appCertPublicKey_${APP_ID}.crt`,
  alipayPublicCertContent: "alipayCertPublicKey_RSA2.crt",
  alipayRootCertContent: "alipayRootCert.crt",
};
const PRIVATE_KEY_FILE = "app-private-pkcs1.pem"; // the SDK's default keyType is PKCS1
const BASE_MS = RealDate.UTC(2025, 0, 1, 16, 0, 0, 123); // 2025-01-02 00:00:00.123 GMT+8
const STEP_MS = 2_345_678;

function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}
assert(new RealDate(BASE_MS).getTimezoneOffset() === -480, "the process runs in GMT+8");

/** A UUID-shaped value derived from `seed` (deterministic stand-in for randomUUID). */
function uuidFrom(seed) {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** yyyy-MM-dd HH:mm:ss in GMT+8, computed without the local zone. */
function gmt8(ms) {
  const d = new RealDate(ms + 8 * 3600_000);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

function rsaSign(text, privateKey) {
  return crypto.sign("sha256", Buffer.from(text, "utf8"), privateKey).toString("base64");
}

// ---- The recording server: answers what the case prepared, records what it received. ----
let pending = null; // { response, received }
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const headers = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i].toLowerCase();
      assert(!(name in headers), `duplicate header ${name}`);
      if (name !== "host") headers[name] = req.rawHeaders[i + 1]; // host carries the random port
    }
    const body = Buffer.concat(chunks);
    assert(Buffer.from(body.toString("utf8"), "utf8").equals(body), "body is UTF-8");
    assert(pending && !pending.received, "one request per SDK call");
    pending.received = { method: req.method, target: req.url, headers, body: body.toString("utf8") };
    const { status, headers: rh, body: rb } = pending.response;
    res.writeHead(status, rh);
    res.end(rb);
  });
});

/** The signed success answer for a case (v3: headers over timestamp\nnonce\nbody\n; v2: raw JSON). */
function successResponse(api, protocol, mode, caseId, timestampMs) {
  if (protocol === "v3") {
    const body = JSON.stringify(api.result);
    const ts = String(timestampMs + 87);
    const nonce = uuidFrom(`response:${caseId}`);
    const headers = {
      "content-type": "application/json;charset=utf-8",
      "alipay-trace-id": `0b${createHash("md5").update(caseId).digest("hex").slice(0, 28)}`,
      "alipay-timestamp": ts,
      "alipay-nonce": nonce,
    };
    if (mode === "cert") headers["alipay-sn"] = SN.alipay_cert_sn;
    headers["alipay-signature"] = rsaSign(`${ts}\n${nonce}\n${body}\n`, ALIPAY_PRIVATE);
    return { status: 200, headers, body, signedContent: `${ts}\n${nonce}\n${body}\n` };
  }
  const inner = JSON.stringify({ code: "10000", msg: "Success", ...api.result });
  const cert = mode === "cert" ? `,"alipay_cert_sn":${JSON.stringify(SN.alipay_cert_sn)}` : "";
  const body = `{"${responseKey(api.method)}":${inner}${cert},"sign":"${rsaSign(inner, ALIPAY_PRIVATE)}"}`;
  return { status: 200, headers: { "content-type": "text/html;charset=utf-8" }, body, signedContent: inner };
}

function sdkFor(mode, port, privateKey = key(PRIVATE_KEY_FILE), extra = {}) {
  const config = {
    appId: APP_ID,
    privateKey,
    endpoint: `http://127.0.0.1:${port}`,
    gateway: `http://127.0.0.1:${port}/gateway.do`,
    ...extra,
  };
  if (mode === "cert") for (const [k, f] of Object.entries(CERT_FILES)) config[k] = key(f);
  else config.alipayPublicKey = key("alipay-public.pem");
  return new AlipaySdk(config);
}

/** Runs one SDK call with nonce/clock frozen and returns what the server received. */
async function capture(call, { uuid, now }, response) {
  pending = { response, received: null };
  frozen = { uuid, now };
  let result;
  try {
    const p = call();
    frozen = null; // nonce, timestamps and signatures are computed synchronously inside the call
    result = await p;
  } finally {
    frozen = null;
  }
  const { received } = pending;
  pending = null;
  assert(received, "the SDK sent a request");
  return { received, result };
}

/** Decodes an application/x-www-form-urlencoded string into ordered [key, value] pairs. */
function formPairs(text) {
  return [...new URLSearchParams(text)];
}

/** v3: the string to sign, rebuilt from the captured request. */
function v3StringToSign(r) {
  const m = /^ALIPAY-SHA256withRSA (.*),sign=([A-Za-z0-9+/=]+)$/.exec(r.headers.authorization);
  assert(m, "authorization shape");
  const token = r.headers["alipay-app-auth-token"];
  const s = `${m[1]}\n${r.method}\n${r.target}\n${r.body}\n${token !== undefined ? `${token}\n` : ""}`;
  return { stringToSign: s, authString: m[1], sign: m[2] };
}

function parseAuthString(authString) {
  const out = {};
  for (const part of authString.split(",")) {
    const i = part.indexOf("=");
    assert(i > 0 && !(part.slice(0, i) in out), `auth part ${part}`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** v2: the sign content, rebuilt from the captured query + form (non-empty values, sorted, no sign). */
function v2StringToSign(params) {
  return Object.keys(params)
    .filter((k) => k !== "sign" && params[k] !== "")
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
}

async function runCase(port, mode, protocol, api, withToken, index) {
  const id = `${mode}/${protocol}/${api.name}/${withToken ? "token" : "no-token"}`;
  const nonce = uuidFrom(`nonce:${id}`);
  const timestampMs = BASE_MS + index * STEP_MS;
  const v2Timestamp = gmt8(timestampMs);
  const appAuthToken = withToken ? APP_AUTH_TOKEN : null;
  const sdk = sdkFor(mode, port);
  const response = successResponse(api, protocol, mode, id, timestampMs);
  const frozenAt = { uuid: nonce, now: timestampMs };

  let call;
  let sdkCall;
  if (protocol === "v3") {
    const { httpMethod, path } = api.v3;
    const opts = httpMethod === "GET" ? { query: api.params } : { body: api.params };
    if (appAuthToken) opts.appAuthToken = appAuthToken;
    call = () => sdk.curl(httpMethod, path, opts);
    sdkCall = `curl(${JSON.stringify(httpMethod)}, ${JSON.stringify(path)}, { ${httpMethod === "GET" ? "query" : "body"}: params${appAuthToken ? ", appAuthToken" : ""} })`;
  } else {
    const params = { bizContent: api.params };
    if (appAuthToken) params.appAuthToken = appAuthToken;
    call = () => sdk.exec(api.method, params, { validateSign: true });
    sdkCall = `exec(${JSON.stringify(api.method)}, { bizContent: params${appAuthToken ? ", appAuthToken" : ""} }, { validateSign: true })`;
  }
  const { received: r, result } = await capture(call, frozenAt, response);

  const request = { method: r.method, target: r.target, headers: r.headers, body: r.body };
  let stringToSign;
  let sign;
  if (protocol === "v3") {
    const v3 = v3StringToSign(r);
    stringToSign = v3.stringToSign;
    sign = v3.sign;
    request.authorization = { ...parseAuthString(v3.authString), sign };
    const a = request.authorization;
    assert(a.app_id === APP_ID && a.nonce === nonce && a.timestamp === String(timestampMs), `${id}: auth string`);
    assert(mode === "cert" ? a.app_cert_sn === SN.app_cert_sn : !("app_cert_sn" in a), `${id}: app_cert_sn`);
    assert(r.headers["alipay-request-id"] === nonce.replaceAll("-", ""), `${id}: request id`);
    assert(
      (r.headers["alipay-root-cert-sn"] ?? null) === (mode === "cert" ? SN.alipay_root_cert_sn : null),
      `${id}: root sn`,
    );
    assert((r.headers["alipay-app-auth-token"] ?? null) === appAuthToken, `${id}: token header`);
    const expectTarget =
      api.v3.httpMethod === "GET"
        ? `${api.v3.path}?${new URLSearchParams(Object.entries(api.params).map(([k, v]) => [k, String(v)]))}`
        : api.v3.path;
    assert(r.target === expectTarget, `${id}: target`);
    assert(r.body === (api.v3.httpMethod === "GET" ? "" : JSON.stringify(api.params)), `${id}: body`);
  } else {
    const url = new URL(r.target, "http://127.0.0.1");
    assert(url.pathname === "/gateway.do", `${id}: gateway path`);
    const query = formPairs(url.search.slice(1));
    const form = formPairs(r.body);
    const params = {};
    for (const [k, v] of [...query, ...form]) {
      assert(!(k in params), `${id}: duplicate ${k}`);
      params[k] = v;
    }
    request.query = query;
    request.form = form;
    request.params = params;
    stringToSign = v2StringToSign(params);
    sign = params.sign;
    assert(params.timestamp === v2Timestamp, `${id}: v2 timestamp ${params.timestamp} != ${v2Timestamp}`);
    assert(params.biz_content === JSON.stringify(api.params), `${id}: biz_content`);
    assert((params.app_auth_token ?? null) === appAuthToken, `${id}: app_auth_token`);
    assert((params.app_cert_sn ?? null) === (mode === "cert" ? SN.app_cert_sn : null), `${id}: app_cert_sn`);
    assert(
      (params.alipay_root_cert_sn ?? null) === (mode === "cert" ? SN.alipay_root_cert_sn : null),
      `${id}: root sn`,
    );
    assert(r.headers["alipay-request-id"] === nonce.replaceAll("-", ""), `${id}: request id`);
    // The SDK snake-cases bizContent keys: camelCase input gives the same request.
    const again = await capture(
      () =>
        sdkFor(mode, port).exec(
          api.method,
          { bizContent: camelKeys(api.params), ...(appAuthToken ? { appAuthToken } : {}) },
          { validateSign: true },
        ),
      frozenAt,
      response,
    );
    assert(JSON.stringify(again.received) === JSON.stringify(r), `${id}: camelCase bizContent gives the same request`);
  }
  assert(
    crypto.verify("sha256", Buffer.from(stringToSign, "utf8"), APP_PUBLIC, Buffer.from(sign, "base64")),
    `${id}: sign verifies`,
  );
  assert(
    rsaSign(stringToSign, crypto.createPrivateKey(key("app-private-pkcs8.pem"))) === sign,
    `${id}: re-sign identical`,
  );

  return {
    id,
    api: api.name,
    alipayMethod: api.method,
    protocol,
    mode,
    withAppAuthToken: withToken,
    needsAppAuthToken: api.appAuthToken,
    input: {
      params: api.params,
      paramsCamel: camelKeys(api.params),
      appAuthToken,
      v3: protocol === "v3" ? api.v3 : null,
      nonce,
      requestId: nonce.replaceAll("-", ""),
      timestampMs,
      v2Timestamp: protocol === "v2" ? v2Timestamp : null,
      sdkCall,
    },
    request,
    stringToSign,
    sign,
    response: {
      status: response.status,
      headers: response.headers,
      body: response.body,
      signedContent: response.signedContent,
    },
    sdkResult: result,
  };
}

/** Which private-key forms (§7.1) the SDK loads, and that every accepted form signs identically. */
async function keyFormats(port, reference) {
  const api = APIS[0];
  const forms = [
    ["app-private-pkcs1.pem", undefined],
    ["app-private-pkcs1.txt", undefined],
    ["app-private-pkcs1-wrapped.txt", undefined],
    ["app-private-pkcs1-crlf.pem", undefined],
    ["app-private-pkcs8.pem", "PKCS8"],
    ["app-private-pkcs8.txt", "PKCS8"],
    ["app-private-pkcs8-wrapped.txt", "PKCS8"],
    ["app-private-pkcs8-crlf.pem", "PKCS8"],
    ["app-private-pkcs8.txt", undefined],
    ["app-private-pkcs8.pem", undefined],
    ["app-private-pkcs1.txt", "PKCS8"],
  ];
  const out = [];
  for (const [file, keyType] of forms) {
    let outcome;
    try {
      const sdk = sdkFor("key", port, key(file), keyType ? { keyType } : {});
      const { received } = await capture(
        () => sdk.curl(api.v3.httpMethod, api.v3.path, { query: api.params }),
        { uuid: reference.input.nonce, now: reference.input.timestampMs },
        successResponse(api, "v3", "key", reference.id, reference.input.timestampMs),
      );
      assert(received.headers.authorization === reference.request.headers.authorization, `${file}: same signature`);
      outcome = "ok: identical Authorization";
    } catch (e) {
      pending = null;
      outcome = `error: ${e.code ?? e.name}`;
    }
    out.push({ file, keyType: keyType ?? "PKCS1 (default)", sdk: outcome });
  }
  return out;
}

async function generate() {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  try {
    const probe = sdkFor("cert", port);
    const sdkSn = {
      app_cert_sn: probe.config.appCertSn,
      alipay_cert_sn: probe.config.alipayCertSn,
      alipay_root_cert_sn: probe.config.alipayRootCertSn,
    };
    for (const k of Object.keys(sdkSn))
      assert(sdkSn[k] === SN[k], `SN ${k}: alipay-sdk ${sdkSn[k]} != Python ${SN[k]}`);

    const cases = [];
    for (const mode of ["key", "cert"]) {
      for (const api of APIS) {
        for (const protocol of ["v3", "v2"]) {
          if (protocol === "v3" && !api.v3) continue;
          for (const withToken of [false, true])
            cases.push(await runCase(port, mode, protocol, api, withToken, cases.length));
        }
      }
    }
    return {
      description:
        "Requests sent by alipay-sdk@4.14.0 (the oracle) for every Service Market API x {v3 curl, v2 exec} x {with, without app_auth_token} x {public-key, certificate mode}, captured on a local server. See README.md.",
      oracle: { package: "alipay-sdk", version: sdkPkg.version, build: "CommonJS (dist/commonjs)" },
      frozen: {
        timeZone: "Asia/Shanghai",
        note: "crypto.randomUUID() returns input.nonce (also the dash-less alipay-request-id); Date.now() and new Date() return input.timestampMs during each call",
      },
      checks: [
        "v3: authorization = ALIPAY-SHA256withRSA app_id,[app_cert_sn,]nonce,timestamp,sign with the frozen values; alipay-request-id = nonce without dashes; alipay-root-cert-sn only in cert mode; alipay-app-auth-token only with a token",
        "v3: target = path (+ '?' + URLSearchParams of the query params); body = JSON.stringify(params) for POST, empty for GET",
        "v2: timestamp = input.v2Timestamp (GMT+8, computed without the local zone); biz_content = JSON.stringify(params); app_auth_token / app_cert_sn / alipay_root_cert_sn as expected",
        "v2: camelCase bizContent keys (input.paramsCamel) give the identical request: the SDK snake-cases them",
        "every sign verifies with app-public.pem over stringToSign, and re-signing stringToSign with node:crypto gives the identical value",
        "alipay-sdk's SNs (constructor) equal the Python ones (keys/sn.json)",
        "the SDK accepted response (validateSign: true for v2)",
      ],
      config: {
        appId: APP_ID,
        appAuthToken: APP_AUTH_TOKEN,
        sdkPrivateKey: PRIVATE_KEY_FILE,
        keyMode: { alipayPublicKey: "alipay-public.pem" },
        certMode: CERT_FILES,
        appPublicKey: "app-public.pem",
        alipayPrivateKey: "alipay-private-pkcs8.pem",
        sn: {
          python: {
            app_cert_sn: SN.app_cert_sn,
            alipay_cert_sn: SN.alipay_cert_sn,
            alipay_root_cert_sn: SN.alipay_root_cert_sn,
          },
          alipaySdk: sdkSn,
        },
      },
      counts: {
        cases: cases.length,
        v3: cases.filter((c) => c.protocol === "v3").length,
        v2: cases.filter((c) => c.protocol === "v2").length,
        keyMode: cases.filter((c) => c.mode === "key").length,
        certMode: cases.filter((c) => c.mode === "cert").length,
      },
      keyFormats: await keyFormats(port, cases[0]),
      cases,
    };
  } finally {
    server.close();
  }
}

/** JSON with indent 1; short arrays of plain values (such as [key, value] pairs) on one line. */
function format(value, pad = "") {
  if (Array.isArray(value)) {
    const flat = JSON.stringify(value);
    if (value.every((v) => v === null || typeof v !== "object") && (value.length <= 2 || flat.length <= 100))
      return flat;
    const inner = `${pad} `;
    return `[\n${value.map((v) => inner + format(v, inner)).join(",\n")}\n${pad}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const inner = `${pad} `;
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`).join(",\n")}\n${pad}}`;
  }
  return JSON.stringify(value);
}

const text = `${format(await generate())}\n`;
if (process.argv.includes("--check")) {
  const committed = readFileSync(OUT, "utf8");
  if (committed !== text) {
    const a = JSON.parse(committed);
    const b = JSON.parse(text);
    const diff = (b.cases ?? []).find((c, i) => JSON.stringify(c) !== JSON.stringify(a.cases?.[i]));
    console.error(`requests.json differs from a fresh capture${diff ? ` (first differing case: ${diff.id})` : ""}`);
    process.exit(1);
  }
  console.log(`requests.json matches a fresh capture (${JSON.parse(text).cases.length} cases)`);
} else {
  writeFileSync(OUT, text);
  console.log(`wrote requests.json (${JSON.parse(text).cases.length} cases)`);
}
