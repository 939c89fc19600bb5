// The JavaScript face of alipay-notify, shared by every entry point (Node ESM/CJS, workerd,
// browsers). The wasm core validates everything and throws coded errors; this layer only
// normalises inputs JS-side types the core cannot see (URLSearchParams, Date, ArrayBuffer, Node
// KeyObject) and parses the JSON results into plain objects.
// Strings and bytes reach the binding as they are: it measures them against their limit before
// copying them into wasm memory, so nothing here may decode, join or copy them first.

/** The body the gateway must answer with once a notification is handled. */
const ACK = "success";

/**
 * Whether `v` is a Node `KeyObject` (node:crypto; also workerd's Node compatibility). Told by its
 * tag, not `instanceof`, so that no runtime has to load node:crypto for the check.
 * @param {unknown} v
 * @returns {v is { type: string, export(o: object): Uint8Array }}
 */
function isKeyObject(v) {
  return (
    v !== null &&
    typeof v === "object" &&
    Object.prototype.toString.call(v) === "[object KeyObject]" &&
    typeof (/** @type {{ export?: unknown }} */ (v).export) === "function"
  );
}

/**
 * A public key argument as the core reads it: text and bytes as they are (the core reads bytes
 * as UTF-8 PEM text, else DER), an ArrayBuffer as its bytes, a public `KeyObject` as its SPKI DER
 * (a public key holds no secret). Anything else goes on as it is, for the core to refuse by name
 * (a private or secret `KeyObject` is never exported here).
 * @param {unknown} key
 */
function publicKeyInput(key) {
  if (key instanceof ArrayBuffer) return new Uint8Array(key);
  if (isKeyObject(key) && key.type === "public") return new Uint8Array(key.export({ format: "der", type: "spki" }));
  return key;
}

/**
 * A certificate argument (a `.crt` file or the root bundle): text, or the file's bytes.
 * @param {unknown} cert
 */
function certInput(cert) {
  return cert instanceof ArrayBuffer ? new Uint8Array(cert) : cert;
}

function createApi(wasm) {
  // Options cross into Rust as JSON. Dates become epoch ms; values JSON cannot carry
  // (functions, symbols, bigints) become a marker the Rust validator rejects, so a bad option
  // is never silently dropped.
  function optionsJson(options) {
    if (options === undefined || options === null) return "";
    if (typeof options !== "object" || Array.isArray(options)) return JSON.stringify(String(options));
    // Only plain objects: a Map or a class instance would serialise to `{}` and silently mean
    // "defaults".
    const proto = Object.getPrototypeOf(options);
    if (proto !== Object.prototype && proto !== null) return JSON.stringify({ $invalid: "not a plain object" });
    let opts = options;
    const needsNow =
      (opts.maxAgeSeconds !== undefined && opts.maxAgeSeconds !== null) ||
      (opts.alipayRootCert !== undefined && opts.alipayRootCert !== null);
    if (needsNow && opts.now === undefined) {
      opts = { ...opts, now: Date.now() };
    }
    return JSON.stringify(opts, function (key, value) {
      if (key === "") return value;
      const raw = this[key];
      if (raw instanceof Date) return raw.getTime();
      const t = typeof raw;
      // NaN and ±Infinity would become `null` ("not set"): a bad value must be refused instead.
      if (t === "number" && !Number.isFinite(raw)) return { $invalid: String(raw) };
      if (t === "function" || t === "symbol" || t === "bigint" || (t === "undefined" && !Array.isArray(this))) {
        return t === "undefined" ? undefined : { $invalid: t };
      }
      return value;
    });
  }

  // URLSearchParams keeps repeated names; pass them as pairs so the core can refuse them. Other
  // iterables of pairs (Map, FormData, Headers) would look empty to `Object.entries`.
  function body(input) {
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (input !== null && typeof input === "object" && !(input instanceof Uint8Array) && !Array.isArray(input)) {
      const proto = Object.getPrototypeOf(input);
      if (proto !== Object.prototype && proto !== null && typeof input.entries === "function") {
        return Array.from(input.entries());
      }
    }
    return input;
  }

  return {
    ACK,
    parseNotification(input, options) {
      return JSON.parse(wasm.parseNotification(body(input), optionsJson(options)));
    },
    verifyNotification(input, alipayPublicKey, options) {
      return JSON.parse(wasm.verifyNotification(body(input), publicKeyInput(alipayPublicKey), optionsJson(options)));
    },
    inspectNotification(input, alipayPublicKey, options) {
      return JSON.parse(wasm.inspectNotification(body(input), publicKeyInput(alipayPublicKey), optionsJson(options)));
    },
    rsaCheckV1(params, alipayPublicKey, options) {
      return wasm.rsaCheckV1(body(params), publicKeyInput(alipayPublicKey), optionsJson(options));
    },
    rsaCheckV2(params, alipayPublicKey, options) {
      return wasm.rsaCheckV2(body(params), publicKeyInput(alipayPublicKey), optionsJson(options));
    },
    getSignCheckContentV1(params) {
      return wasm.getSignCheckContentV1(body(params));
    },
    getSignCheckContentV2(params) {
      return wasm.getSignCheckContentV2(body(params));
    },
    rsaCertCheckV1(params, alipayCert, options) {
      return wasm.rsaCheckV1(body(params), publicKeyInput(alipayCert), optionsJson(options));
    },
    rsaCertCheckV2(params, alipayCert, options) {
      return wasm.rsaCheckV2(body(params), publicKeyInput(alipayCert), optionsJson(options));
    },
    getCertSN(certPem) {
      return wasm.getCertSN(certInput(certPem));
    },
    getRootCertSN(bundlePem) {
      return wasm.getRootCertSN(certInput(bundlePem));
    },
    verifyCertChain(certPem, rootBundlePem, now) {
      const ms = now === undefined ? Date.now() : now instanceof Date ? now.getTime() : now;
      wasm.verifyCertChain(certInput(certPem), certInput(rootBundlePem), typeof ms === "number" ? ms : NaN);
      return true;
    },
    checkAlipayCertificate(certPem, rootBundlePem, now) {
      const ms = now === undefined ? Date.now() : now instanceof Date ? now.getTime() : now;
      wasm.checkAlipayCertificate(certInput(certPem), certInput(rootBundlePem), typeof ms === "number" ? ms : NaN);
      return true;
    },
    verifyResponse(rawBody, alipayPublicKey, options) {
      const o = options ?? {};
      const key = publicKeyInput(alipayPublicKey);
      if (typeof o !== "object") return wasm.verifyResponse(rawBody, key, undefined, undefined);
      // Bytes go to the core as they are (it decodes them as TextDecoder would), so an
      // over-long body is refused by its length before anything is decoded or copied.
      return JSON.parse(wasm.verifyResponse(rawBody, key, o.method, o.signType));
    },
    inspectRequest(request, appPublicKey, options) {
      // The clock only names a local-time v2 timestamp; `null` leaves it out.
      const now = options?.now === undefined ? Date.now() : options.now;
      const ms = now instanceof Date ? now.getTime() : now;
      return JSON.parse(
        wasm.inspectRequest(request, publicKeyInput(appPublicKey), typeof ms === "number" ? ms : undefined),
      );
    },
    inspectResponse(response, alipayPublicKey) {
      const r = response ?? {};
      const headers = [r.timestamp, r.nonce, r.signature].some((v) => v !== undefined && v !== null);
      const protocol = r.protocol ?? (headers ? "v3" : "v2");
      return JSON.parse(
        wasm.inspectResponse(
          protocol,
          r.body,
          r.timestamp,
          r.nonce,
          r.signature,
          r.method,
          publicKeyInput(alipayPublicKey),
        ),
      );
    },
    verifyV3Response(parts, alipayPublicKey) {
      const p = parts ?? {};
      wasm.verifyV3Response(p.timestamp, p.nonce, p.body, p.signature, publicKeyInput(alipayPublicKey));
      return true;
    },
    aesDecrypt(ciphertextB64, keyB64) {
      return wasm.aesDecrypt(ciphertextB64, keyB64);
    },
    decodeOrderStatus(code) {
      return JSON.parse(wasm.decodeOrderStatus(code));
    },
    applyOrderEvent(state, event, options) {
      // `now` decides whether a deadline has passed; the core checks it is a finite number.
      const now = options?.now ?? Date.now();
      return JSON.parse(wasm.applyOrderEvent(JSON.stringify(state ?? {}), JSON.stringify(event ?? null), now));
    },
    orderTransitions() {
      return JSON.parse(wasm.orderTransitions());
    },
    errorCodes() {
      return wasm.errorCodes();
    },
    // A type guard for `catch (e)`: the same test in every runtime (errors cross realms in
    // workerd and browsers, so no `instanceof` on a class of ours).
    isAlipayNotifyError(e) {
      return (
        e instanceof Error &&
        e.name === "AlipayNotifyError" &&
        typeof (/** @type {{ code?: unknown }} */ (e).code) === "string"
      );
    },
    limits() {
      return JSON.parse(wasm.limits());
    },
  };
}

export { ACK, createApi };
