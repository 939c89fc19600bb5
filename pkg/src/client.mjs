// The OpenAPI client (SPEC §5): the wasm core builds every byte of a request and reads every
// answer (verified data or a coded error); this layer signs with WebCrypto (RSASSA-PKCS1-v1_5 /
// SHA-256, a non-extractable CryptoKey imported once), sends with `fetch`, times out with an
// AbortController, retries idempotent queries with backoff, and downloads a rotated Alipay
// certificate when asked to. Shared by every entry point; `createClientApi(wasm, api)` binds it
// to an instantiated module.

const CERT_DOWNLOAD_METHOD = "alipay.open.app.alipaycert.download";
// Failures of the downloaded certificate itself (as opposed to failures of the download).
const CERT_CHECK_CODES = new Set([
  "CERT_UNTRUSTED",
  "CERT_EXPIRED",
  "CERT_NOT_ALIPAY",
  "INVALID_CERTIFICATE",
  "INVALID_PUBLIC_KEY",
]);
const DEFAULT_ENDPOINT = "https://openapi.alipay.com";
const DEFAULT_GATEWAY = "https://openapi.alipay.com/gateway.do";
const DEFAULT_TIMEOUT_MS = 15000;
const CLIENT_OPTIONS = [
  "appId",
  "privateKey",
  "alipayPublicKey",
  "appCert",
  "alipayCert",
  "alipayRootCert",
  "endpoint",
  "gateway",
  "protocol",
  "fetch",
  "timeoutMs",
  "now",
  "nonce",
  "retries",
  "retryDelayMs",
  "rotateAlipayCert",
  "onAlipayCertRotated",
  "crypto",
];
const CALL_OPTIONS = [
  "appAuthToken",
  "protocol",
  "timeoutMs",
  "retries",
  "signal",
  "httpMethod",
  "path",
  "idempotent",
  "requestId",
];
const SIGN_OPTIONS = [
  "appId",
  "privateKey",
  "appCert",
  "alipayRootCert",
  "appCertSn",
  "alipayRootCertSn",
  "alipayPublicKey",
  "alipayCert",
  "endpoint",
  "gateway",
  "now",
  "nonce",
  "crypto",
];
const SIGN_REQUEST = [
  "method",
  "params",
  "appAuthToken",
  "httpMethod",
  "path",
  "camelCase",
  "timestamp",
  "nonce",
  "requestId",
];

function coded(code, message, extra) {
  const err = /** @type {Error & { code?: string }} */ (new Error(message));
  err.name = "AlipayNotifyError";
  err.code = code;
  if (extra) Object.assign(err, extra);
  return err;
}

function checkNames(obj, allowed, what) {
  if (obj === undefined || obj === null) return {};
  if (typeof obj !== "object" || Array.isArray(obj))
    throw coded("INVALID_OPTIONS", `${what} must be an object`, { reason: `${what} must be an object` });
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k))
      throw coded("INVALID_OPTIONS", `invalid options: unknown ${what} \`${k}\``, {
        reason: `unknown ${what} \`${k}\``,
      });
  }
  return obj;
}

const snakeToCamel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

function camelDeep(v) {
  if (Array.isArray(v)) return v.map(camelDeep);
  if (v === null || typeof v !== "object") return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) out[snakeToCamel(k)] = camelDeep(x);
  return out;
}

function base64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

function utf8FromBase64(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

function webCrypto(c) {
  const cr = c ?? globalThis.crypto;
  if (!cr?.subtle)
    throw coded("INVALID_OPTIONS", "invalid options: no WebCrypto (`crypto.subtle`) in this runtime; pass `crypto`", {
      reason: "no WebCrypto",
    });
  return cr;
}

function uuid(cr) {
  if (typeof cr.randomUUID === "function") return cr.randomUUID();
  const b = cr.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The options that hold keys or certificates: text, bytes, or (keys) a Node KeyObject.
const KEY_OPTIONS = ["privateKey", "alipayPublicKey", "appCert", "alipayCert", "alipayRootCert"];

/**
 * A key or certificate option as the core reads it: text and bytes as they are (bytes are read
 * as UTF-8 PEM text, else DER), an ArrayBuffer as its bytes, a Node `KeyObject` (told by its tag,
 * as in api.mjs) as its DER — SPKI for a public key, PKCS#8 for a private one: the key is the
 * caller's and stays in this process, imported once into a non-extractable CryptoKey.
 * Anything else goes on as it is, for the core to refuse by name.
 * @param {unknown} v
 */
function keyInput(v) {
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (v !== null && typeof v === "object" && Object.prototype.toString.call(v) === "[object KeyObject]") {
    const k = /** @type {{ type: string, export(o: object): Uint8Array }} */ (/** @type {unknown} */ (v));
    if (k.type === "public") return new Uint8Array(k.export({ format: "der", type: "spki" }));
    if (k.type === "private") return new Uint8Array(k.export({ format: "der", type: "pkcs8" }));
  }
  return v;
}

/** The options with their keys and certificates read by `keyInput` (a copy). */
function withKeys(o) {
  const out = { ...o };
  for (const name of KEY_OPTIONS) if (out[name] != null) out[name] = keyInput(out[name]);
  return out;
}

/** A cache id for a key argument: text as it is, bytes by their base64. */
function keyId(v) {
  return v instanceof Uint8Array ? `b:${base64(v)}` : `s:${String(v ?? "")}`;
}

function createClientApi(wasm, api) {
  // Imported CryptoKeys by key text, so that the pure `sign*Request` functions and every client
  // parse and import a key once. Small and bounded: a backend has one or two app keys.
  const keyCache = new Map();

  function importKey(cr, privateKey, alipayKey) {
    const id = `${keyId(privateKey)}\u0000${keyId(alipayKey)}`;
    const hit = keyCache.get(id);
    if (hit && hit.cr === cr) {
      keyCache.delete(id);
      keyCache.set(id, hit);
      return hit.key;
    }
    // The core detects PKCS#1 / PKCS#8 / bare base64 and refuses public keys (coded errors that
    // never quote the key); WebCrypto gets canonical PKCS#8 and keeps the key non-extractable.
    const der = wasm.openapiPrivateKey(privateKey, alipayKey);
    const key = cr.subtle
      .importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"])
      .catch(() => {
        keyCache.delete(id);
        throw coded("INVALID_PRIVATE_KEY", "invalid private key: WebCrypto refused the RSA key", {
          reason: "WebCrypto refused the RSA key",
        });
      })
      .finally(() => der.fill(0));
    keyCache.set(id, { cr, key });
    if (keyCache.size > 8) keyCache.delete(keyCache.keys().next().value);
    return key;
  }

  // The core builds the request and the bytes to sign; WebCrypto signs; the core assembles
  // the same (deterministic) request around the signature.
  async function signWith(cr, keyPromise, json) {
    const { stringToSign } = JSON.parse(wasm.openapiPrepare(json));
    const key = await keyPromise;
    const sig = await cr.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(stringToSign));
    return JSON.parse(wasm.openapiAssemble(json, base64(new Uint8Array(sig))));
  }

  function shape(signed, base) {
    const headers = {};
    for (const [k, v] of signed.headers) headers[k] = v;
    return {
      protocol: signed.protocol,
      httpMethod: signed.httpMethod,
      url: base === null ? null : base + signed.target,
      target: signed.target,
      headers,
      body: signed.body,
      stringToSign: signed.stringToSign,
      sign: signed.sign,
    };
  }

  function originOf(endpoint) {
    let u;
    try {
      u = new URL(endpoint);
    } catch {
      throw coded("INVALID_OPTIONS", "invalid options: `endpoint` is not a URL", { reason: "`endpoint` is not a URL" });
    }
    // A path on the endpoint would be signed by some SDKs and not others: origin only.
    if ((u.pathname !== "/" && u.pathname !== "") || u.search || u.hash) {
      throw coded(
        "INVALID_OPTIONS",
        "invalid options: `endpoint` is the v3 origin only (e.g. https://openapi.alipay.com)",
        { reason: "`endpoint` must be an origin" },
      );
    }
    return u.origin;
  }

  function gatewayOf(gateway) {
    try {
      const u = new URL(gateway);
      if (u.search || u.hash) throw new Error();
      return u.href;
    } catch {
      throw coded("INVALID_OPTIONS", "invalid options: `gateway` is a URL without a query (…/gateway.do)", {
        reason: "bad `gateway`",
      });
    }
  }

  /** The certificate-mode SNs of a configuration (given, or computed from the certificates). */
  function certSns(config) {
    const appCertSn = config.appCertSn ?? (config.appCert != null ? api.getCertSN(config.appCert) : null);
    const rootSn =
      config.alipayRootCertSn ?? (config.alipayRootCert != null ? api.getRootCertSN(config.alipayRootCert) : null);
    if ((appCertSn === null) !== (rootSn === null)) {
      throw coded(
        "INVALID_OPTIONS",
        "invalid options: certificate mode needs both the app certificate and the Alipay root certificate",
        { reason: "certificate mode needs appCert and alipayRootCert" },
      );
    }
    return { appCertSn, rootSn };
  }

  function requestJson(protocol, config, sns, req, stamp) {
    return JSON.stringify({
      protocol,
      appId: config.appId,
      method: req.method,
      httpMethod: req.httpMethod ?? undefined,
      path: req.path ?? undefined,
      params: req.params ?? {},
      camelCase: req.camelCase ?? false,
      appAuthToken: req.appAuthToken ?? undefined,
      appCertSn: sns.appCertSn ?? undefined,
      alipayRootCertSn: sns.rootSn ?? undefined,
      nonce: stamp.nonce,
      timestampMs: stamp.timestamp,
      requestId: req.requestId ?? undefined,
    });
  }

  function stampOf(cr, config, req) {
    const timestamp = req.timestamp ?? (config.now ? config.now() : Date.now());
    const ts = timestamp instanceof Date ? timestamp.getTime() : timestamp;
    if (!Number.isSafeInteger(ts))
      throw coded("INVALID_OPTIONS", "invalid options: `now` must give epoch milliseconds", { reason: "bad time" });
    const nonce = req.nonce ?? (config.nonce ? config.nonce() : uuid(cr));
    if (typeof nonce !== "string")
      throw coded("INVALID_OPTIONS", "invalid options: `nonce` must give a string", { reason: "bad nonce" });
    return { timestamp: ts, nonce };
  }

  function signRequest(protocol) {
    return async (options, request) => {
      const config = withKeys(checkNames(options, SIGN_OPTIONS, "option"));
      const req = checkNames(request, SIGN_REQUEST, "request field");
      const cr = webCrypto(config.crypto);
      const sns = certSns(config);
      const stamp = stampOf(cr, config, req);
      const json = requestJson(protocol, config, sns, req, stamp);
      wasm.openapiPrepare(json); // a bad request is refused before the key is touched
      const key = importKey(cr, config.privateKey, config.alipayPublicKey ?? config.alipayCert);
      const base =
        protocol === "v3"
          ? config.endpoint != null
            ? originOf(config.endpoint)
            : null
          : config.gateway != null
            ? gatewayOf(config.gateway)
            : null;
      return shape(await signWith(cr, key, json), base);
    };
  }

  function createClient(options) {
    const o = withKeys(checkNames(options, CLIENT_OPTIONS, "option"));
    const cr = webCrypto(o.crypto);
    if (typeof o.appId !== "string" || o.appId === "")
      throw coded("INVALID_OPTIONS", "invalid options: `appId` is required", { reason: "`appId` is required" });
    const certMode = o.appCert != null || o.alipayCert != null || o.alipayRootCert != null;
    if (certMode && (o.appCert == null || o.alipayCert == null || o.alipayRootCert == null)) {
      throw coded("INVALID_OPTIONS", "invalid options: certificate mode needs appCert, alipayCert and alipayRootCert", {
        reason: "incomplete certificate mode",
      });
    }
    if (certMode && o.alipayPublicKey != null)
      throw coded("INVALID_OPTIONS", "invalid options: give alipayPublicKey or the certificates, not both", {
        reason: "both key modes",
      });
    if (!certMode && o.alipayPublicKey == null) {
      throw coded(
        "INVALID_PUBLIC_KEY",
        "invalid public key: `alipayPublicKey` (支付宝公钥) is required to verify Alipay's answers",
        { reason: "no alipayPublicKey" },
      );
    }
    const protocol = o.protocol ?? "v3";
    if (protocol !== "v3" && protocol !== "v2")
      throw coded("INVALID_OPTIONS", 'invalid options: `protocol` is "v3" or "v2"', { reason: "bad protocol" });
    const endpoint = originOf(o.endpoint ?? DEFAULT_ENDPOINT);
    const gateway = gatewayOf(o.gateway ?? DEFAULT_GATEWAY);
    const doFetch = o.fetch ?? globalThis.fetch;
    if (typeof doFetch !== "function")
      throw coded("INVALID_OPTIONS", "invalid options: no `fetch` in this runtime; pass `fetch`", {
        reason: "no fetch",
      });
    const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const sns = certMode ? certSns(o) : { appCertSn: null, rootSn: null };
    // The Alipay key or certificate answers are verified with (replaced on a verified rotation).
    let alipayKey = certMode ? o.alipayCert : o.alipayPublicKey;
    // Parse both keys now: a bad configuration fails at start-up, not at the first order.
    const key = importKey(cr, o.privateKey, alipayKey);
    key.catch(() => {}); // surfaced at the first call; an unhandled rejection would crash Node
    const catalogue = new Map(JSON.parse(wasm.openapiCatalogue()).map((a) => [a.name, a]));
    const maxResponseBytes = api.limits().maxResponseBytes;
    const byMethod = new Map([...catalogue.values()].map((a) => [a.method, a]));

    async function send(json, signal, ms) {
      const signed = await signWith(cr, key, json);
      const url = (signed.protocol === "v3" ? endpoint : gateway) + signed.target;
      const headers = {};
      for (const [k, v] of signed.headers) headers[k] = v;
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, ms);
      const onAbort = () => controller.abort();
      signal?.addEventListener("abort", onAbort, { once: true });
      try {
        const res = await doFetch(url, {
          method: signed.httpMethod,
          headers,
          body: signed.httpMethod === "GET" ? undefined : signed.body,
          signal: controller.signal,
        });
        // A declared length over the core's limit is refused before the body is read.
        const declared = Number(res.headers.get("content-length") ?? "0");
        if (declared > maxResponseBytes) {
          throw coded(
            "INPUT_TOO_LARGE",
            `input too large: the answer declares ${declared} bytes (limit ${maxResponseBytes})`,
            { reason: "answer over limits().maxResponseBytes" },
          );
        }
        const body = new Uint8Array(await res.arrayBuffer());
        const h = {};
        for (const name of ["alipay-timestamp", "alipay-nonce", "alipay-signature", "alipay-sn", "alipay-trace-id"]) {
          const v = res.headers.get(name);
          if (v !== null) h[name] = v;
        }
        return { status: res.status, headers: h, body };
      } catch (e) {
        if (e && e.name === "AlipayNotifyError") throw e;
        if (timedOut)
          throw coded("TIMEOUT", `timed out: no answer from Alipay within ${ms} ms`, {
            reason: `no answer within ${ms} ms`,
            timeoutMs: ms,
          });
        if (signal?.aborted) throw coded("NETWORK_ERROR", "network error: the call was aborted", { reason: "aborted" });
        const reason = String(e?.cause?.code ?? e?.message ?? e);
        throw coded("NETWORK_ERROR", `network error: ${reason}`, { reason });
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      }
    }

    function read(protocol, method, reply, keyText) {
      return JSON.parse(
        protocol === "v3"
          ? wasm.openapiReadV3(reply.status, reply.headers, reply.body, keyText)
          : wasm.openapiReadV2(reply.status, reply.body, method, keyText),
      );
    }

    // Certificate rotation: Alipay signed with a certificate we do not have. Fetch it, and use it
    // only if it chains to the configured root and is Alipay's own (never an app certificate).
    async function rotate(sn, signal, ms) {
      const stamp = stampOf(cr, o, {});
      const json = requestJson("v2", o, sns, { method: CERT_DOWNLOAD_METHOD, params: { alipay_cert_sn: sn } }, stamp);
      const reply = await send(json, signal, ms);
      let data;
      try {
        data = read("v2", CERT_DOWNLOAD_METHOD, reply, alipayKey).data;
      } catch (e) {
        if (e.code !== "CERT_SN_MISMATCH") throw e;
        data = null; // signed with the new certificate itself: checked below, once it is trusted
      }
      let content = data?.alipay_cert_content;
      if (data === null) {
        try {
          content = JSON.parse(new TextDecoder().decode(reply.body))?.alipay_open_app_alipaycert_download_response
            ?.alipay_cert_content;
        } catch {
          content = undefined;
        }
      }
      if (typeof content !== "string")
        throw coded("CERT_SN_MISMATCH", `Alipay's certificate ${sn} could not be downloaded`, {
          expected: sn,
          actual: sn,
          reason: "no certificate in the download answer",
        });
      let pem;
      try {
        pem = utf8FromBase64(content);
      } catch {
        throw coded("INVALID_CERTIFICATE", "invalid certificate: the downloaded certificate is not base64", {
          reason: "not base64",
        });
      }
      api.checkAlipayCertificate(pem, o.alipayRootCert, o.now ? o.now() : Date.now());
      const got = api.getCertSN(pem);
      if (got !== sn)
        throw coded("CERT_UNTRUSTED", `certificate not trusted: the downloaded certificate is ${got}, not ${sn}`, {
          reason: "the downloaded certificate has another SN",
        });
      if (data === null) read("v2", CERT_DOWNLOAD_METHOD, reply, pem); // its own answer must verify with it
      alipayKey = pem;
      if (typeof o.onAlipayCertRotated === "function")
        await o.onAlipayCertRotated({ alipayCert: pem, alipayCertSn: sn });
      return pem;
    }

    async function invoke(method, params, callOptions, { camelCase, api: entry }) {
      const c = checkNames(callOptions, CALL_OPTIONS, "call option");
      const proto = entry && !entry.httpMethod ? "v2" : (c.protocol ?? protocol);
      if (proto !== "v3" && proto !== "v2")
        throw coded("INVALID_OPTIONS", 'invalid options: `protocol` is "v3" or "v2"', { reason: "bad protocol" });
      if (entry?.needsAppAuthToken && (typeof c.appAuthToken !== "string" || c.appAuthToken === "")) {
        throw coded(
          "MISSING_PARAMETER",
          `missing parameter \`app_auth_token\`: ${entry.name} acts for a merchant and needs { appAuthToken }`,
          { parameter: "app_auth_token" },
        );
      }
      const idempotent = c.idempotent ?? entry?.idempotent ?? false;
      const retries = idempotent ? (c.retries ?? o.retries ?? 2) : 0;
      const ms = c.timeoutMs ?? timeoutMs;
      for (let attempt = 0; ; attempt++) {
        // A fresh nonce and timestamp for every attempt: Alipay may refuse a replayed nonce.
        const stamp = stampOf(cr, o, {});
        const req = {
          method,
          params,
          camelCase,
          appAuthToken: c.appAuthToken,
          httpMethod: c.httpMethod,
          path: c.path,
          requestId: c.requestId,
        };
        const json = requestJson(proto, o, sns, req, stamp);
        let reply;
        try {
          reply = await send(json, c.signal, ms);
        } catch (e) {
          if (attempt < retries && (e.code === "NETWORK_ERROR" || e.code === "TIMEOUT") && !c.signal?.aborted) {
            await sleep((o.retryDelayMs ?? 200) * 2 ** attempt * (0.5 + Math.random()));
            continue;
          }
          throw e;
        }
        try {
          return result(read(proto, method, reply, alipayKey), proto);
        } catch (e) {
          if (e.code === "CERT_SN_MISMATCH" && certMode && o.rotateAlipayCert && e.actual && e.actual !== e.expected) {
            // The same answer, verified with the new certificate: nothing is sent twice. A
            // download that fails leaves the SN mismatch as the error (the download's as its
            // cause); a certificate that fails the checks is that failure.
            let pem;
            try {
              pem = await rotate(e.actual, c.signal, ms);
            } catch (d) {
              if (CERT_CHECK_CODES.has(d.code)) throw d;
              e.cause = d;
              throw e;
            }
            return result(read(proto, method, reply, pem), proto);
          }
          if (attempt < retries && e.code === "UNEXPECTED_RESPONSE" && e.httpStatus >= 500) {
            await sleep((o.retryDelayMs ?? 200) * 2 ** attempt * (0.5 + Math.random()));
            continue;
          }
          throw e;
        }
      }
    }

    function result(r, proto) {
      const data = r.data !== null && typeof r.data === "object" && !Array.isArray(r.data) ? { ...r.data } : {};
      if (proto === "v2") {
        delete data.code;
        delete data.msg;
      }
      return {
        ...camelDeep(data),
        raw: {
          protocol: proto,
          httpStatus: r.httpStatus,
          traceId: r.traceId,
          data: r.data,
          signedContent: r.signedContent,
          alipayCertSn: r.alipayCertSn,
        },
      };
    }

    const client = {
      call(method, params, callOptions) {
        return invoke(method, params ?? {}, callOptions, { camelCase: false, api: byMethod.get(method) });
      },
      get alipayCert() {
        return certMode ? alipayKey : null;
      },
    };
    for (const entry of catalogue.values()) {
      client[entry.name] = (params, callOptions) =>
        invoke(entry.method, params ?? {}, callOptions, { camelCase: true, api: entry });
    }
    return Object.freeze(client);
  }

  return { createClient, signV3Request: signRequest("v3"), signV2Request: signRequest("v2") };
}

export { createClientApi };
