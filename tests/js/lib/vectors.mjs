// The shared vector runner: the same vectors, run through whatever `api` a runtime loaded
// (Node ESM/CJS, workerd, Chromium). Pure: no file system; callers pass the vectors in.

/** The body of a vector as the JS API receives it. */
export function vectorBody(v) {
  if (v.bodyType === "js-number") return 42;
  return v.body;
}

/** What the API did with a vector: `{ verified, variant, signType, kind }` or `{ error }`. */
export function outcome(api, v) {
  try {
    const n = api.verifyNotification(vectorBody(v), v.key, v.options ?? {});
    return { verified: n.verified, variant: n.variant, signType: n.signType, kind: n.kind };
  } catch (thrown) {
    const e = /** @type {import("alipay-notify").AlipayNotifyError} */ (thrown);
    if (!(e instanceof Error) || e.name !== "AlipayNotifyError" || typeof e.code !== "string") {
      return { error: `NOT_A_CODED_ERROR: ${String(e)}` };
    }
    return { error: e.code };
  }
}

/** Compares one outcome with a vector's `expect`; returns a mismatch description or null. */
export function mismatch(v, got) {
  const want = v.expect;
  const keys = "error" in want ? ["error"] : ["verified", "variant", "signType", "kind"];
  for (const k of keys) {
    if (got[k] !== want[k]) return `${v.id}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
  }
  if ("error" in want && "verified" in got) return `${v.id}: expected ${want.error}, got verified`;
  return null;
}

/** Turns a real Alipay vector file (tests/vectors/real) into runner vectors. */
export function realVectors(files) {
  const out = [];
  for (const f of files) {
    const variant = f.expected.scheme.startsWith("V1") ? "v1" : "v2";
    const options = f.expected.sign_type === "RSA" ? { signTypes: ["RSA2", "RSA"] } : {};
    out.push({
      id: f.id,
      key: f.alipay_public_key,
      body: f.derived_form_body.body,
      options,
      expect: { verified: true, variant, signType: f.expected.sign_type, kind: kindOf(f.params) },
    });
    const other = variant === "v1" ? "v2" : "v1";
    out.push({
      id: `${f.id} pinned ${other}`,
      key: f.alipay_public_key,
      body: f.derived_form_body.body,
      options: { ...options, variant: other },
      signatureValid: true,
      expect: { error: "SIGNATURE_MISMATCH" },
    });
    if (f.negative_variant?.override) {
      const params = { ...f.params, ...f.negative_variant.override };
      out.push({
        id: `${f.id} negative_variant`,
        key: f.alipay_public_key,
        body: new URLSearchParams(params).toString(),
        options,
        signatureValid: false,
        expect: { error: "SIGNATURE_MISMATCH" },
      });
    }
  }
  return out;
}

function kindOf(params) {
  if (params.notify_type === "servicemarket_order_notify") return "servicemarket_order_notify";
  if (params.notify_type === "open_app_auth_notify") return "open_app_auth_notify";
  return "generic";
}

/** Runs every vector; returns `{ count, codes, mismatches }`. */
export function runVectors(api, vectors) {
  const mismatches = [];
  const codes = new Set();
  for (const v of vectors) {
    const got = outcome(api, v);
    if (got.error) codes.add(got.error);
    const m = mismatch(v, got);
    if (m) mismatches.push(m);
  }
  return { count: vectors.length, codes: [...codes].sort(), mismatches };
}

/**
 * Hostile inputs for one module instance: malformed forms, huge inputs, bad keys, bad options,
 * wrong types. Every call must end in a coded error or a result, never a trap.
 */
export function* hostileInputs(n, validKey) {
  const junkKeys = [
    "",
    "x",
    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    "A".repeat(20000),
    null,
    7,
    {},
  ];
  const bodies = [
    "%",
    "a=%zz",
    "=x",
    "a=1&a=2",
    "sign=***&sign_type=RSA2",
    "\u0000\uffff",
    "?&&&=&",
    "charset=latin1&sign=a&sign_type=RSA2",
    "biz_content=%7B&sign=a&sign_type=RSA2",
    "https://x.example/?",
    new Uint8Array([0xff, 0xfe, 0x25, 0x32]),
    42,
    null,
    undefined,
    true,
    [["a"]],
    [[1, 2]],
    { a: 1 },
    Symbol.iterator,
    () => 1,
  ];
  const options = [
    undefined,
    null,
    "x",
    5,
    [],
    { bogus: 1 },
    { variant: "v3" },
    { signTypes: [] },
    { now: "yesterday", maxAgeSeconds: 1 },
    { maxAgeSeconds: -1 },
    { appId: 3 },
    { charset: "EBCDIC" },
  ];
  let seed = 12345;
  const rand = (m) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % m;
  };
  for (let i = 0; i < n; i++) {
    const kind = i % 5;
    if (kind === 0) {
      // Random bytes, sometimes over the size limit.
      const len = rand(10) === 0 ? 200_000 : rand(300);
      const b = new Uint8Array(len);
      for (let j = 0; j < len; j++) b[j] = rand(256);
      yield [b, validKey, undefined];
    } else if (kind === 1) {
      // Random form-ish strings.
      let s = "";
      const alphabet = "ab=&%+?#sign_type=RSA2charset=GBK\u00ac\u4e2d%2B%E4%ZZ";
      const len = rand(200);
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
      yield [s, validKey, options[rand(options.length)]];
    } else if (kind === 2) {
      yield [bodies[rand(bodies.length)], validKey, undefined];
    } else if (kind === 3) {
      yield ["sign=AAAA&sign_type=RSA2&a=1", junkKeys[rand(junkKeys.length)], undefined];
    } else {
      // Many parameters, long values.
      const params = rand(2) ? 300 : 3;
      const parts = [];
      for (let j = 0; j < params; j++) parts.push(`p${j}=${"v".repeat(rand(2) ? 70_000 : 3)}`);
      yield [parts.join("&"), validKey, options[rand(options.length)]];
    }
  }
}

/**
 * Feeds `n` hostile inputs through every entry point of `api`. Returns the number of calls and
 * the non-coded failures (anything thrown that is not an AlipayNotifyError with a code).
 */
export function runHostile(api, n, validKey) {
  const bad = [];
  let calls = 0;
  const check = (fn) => {
    calls++;
    try {
      fn();
    } catch (thrown) {
      const e = /** @type {import("alipay-notify").AlipayNotifyError} */ (thrown);
      if (!(e instanceof Error) || e.name !== "AlipayNotifyError" || typeof e.code !== "string") {
        bad.push(String(e?.stack ? e.stack : e).slice(0, 300));
      }
    }
  };
  for (const [body, key, opts] of hostileInputs(n, validKey)) {
    check(() => api.verifyNotification(body, key, opts));
    check(() => api.parseNotification(body, opts));
    check(() => {
      const r = api.inspectNotification(body, key, opts);
      if (!r?.outcome) throw new TypeError("inspectNotification returned no outcome");
    });
    check(() => api.rsaCheckV1(body, key));
    check(() => api.getSignCheckContentV2(body));
    check(() => api.decodeOrderStatus(body));
  }
  return { calls, bad };
}
