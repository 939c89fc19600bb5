// The certificate-mode runner: certificate SNs, chains, the `alipayRootCert` option, the
// `alipay_cert_sn` check, synchronous responses and AES decryption, run through whatever `api` a
// runtime loaded (Node ESM/CJS, workerd, Chromium). Pure: no file system, no clock, no Node
// APIs; the caller passes the data in (lib/cert-data.mjs builds it in Node).

/** The error codes certificate mode added: each must be produced through the JS API. */
export const CERT_CODES = [
  "CERT_SN_MISMATCH",
  "CERT_UNTRUSTED",
  "CERT_EXPIRED",
  "INVALID_CERTIFICATE",
  "MALFORMED_RESPONSE",
  "INVALID_AES_KEY",
  "MALFORMED_CIPHERTEXT",
  "DECRYPTION_FAILED",
];

// 2024-06-01T12:00:00Z: the generated vectors' `now`, and a date inside the real certificates' validity.
const JUNE_2024 = 1_717_243_200_000;

// The one chain vector whose Alipay certificate carries an EC key: as a verification key it is
// refused (INVALID_PUBLIC_KEY) before its chain is looked at.
const EC_LEAF_CHAINS = new Set(["untrusted-ec-leaf"]);

/**
 * Calls `fn`: `{ value }` when it returns, `{ code, error }` when it throws an AlipayNotifyError,
 * `{ code: "NOT_A_CODED_ERROR: …" }` for anything else thrown (always a mismatch).
 */
function attempt(fn) {
  try {
    return { value: fn() };
  } catch (thrown) {
    const e = /** @type {import("alipay-notify").AlipayNotifyError} */ (thrown);
    if (!(e instanceof Error) || e.name !== "AlipayNotifyError" || typeof e.code !== "string") {
      return { code: `NOT_A_CODED_ERROR: ${String(e)}` };
    }
    return { code: e.code, error: e };
  }
}

/** "OK" or the code. */
const outcomeOf = (r) => ("code" in r ? r.code : "OK");

/** Order-insensitive deep equality of JSON values. */
function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
}

/**
 * Changes one character of `text` inside `region` (the first letter or digit at or after its
 * middle) to another of the same kind, so the length stays the same.
 */
export function changeOneByte(text, region) {
  const start = text.indexOf(region);
  if (start < 0) throw new Error("region not found");
  for (let i = start + Math.floor(region.length / 2); i < start + region.length; i++) {
    const c = text[i];
    const swap = /[0-8]/.test(c)
      ? String(Number(c) + 1)
      : c === "9"
        ? "0"
        : /[a-yA-Y]/.test(c)
          ? String.fromCharCode(c.charCodeAt(0) + 1)
          : /[zZ]/.test(c)
            ? String.fromCharCode(c.charCodeAt(0) - 1)
            : null;
    if (swap) return text.slice(0, i) + swap + text.slice(i + 1);
  }
  throw new Error("nothing to change");
}

/** Parses a form body into a plain object (test input only; values decoded once). */
function formObject(body) {
  return Object.fromEntries(new URLSearchParams(body));
}

/**
 * Runs every certificate-mode vector through `api`. `data` is `certData()` of lib/cert-data.mjs.
 * Returns `{ count, codes, sections, mismatches }`: `count` checks made, every error `code`
 * seen, the number of checks per section, and one line per mismatch.
 */
export function runCertVectors(api, data) {
  const mismatches = [];
  const codes = new Set();
  const sections = {};
  let section = "";
  let count = 0;

  /** Compares `got` with `want` (strings, booleans, numbers or null). */
  const expect = (id, got, want) => {
    count++;
    sections[section] = (sections[section] ?? 0) + 1;
    if (got !== want) mismatches.push(`${section} ${id}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  /** Runs `fn`, records its code, compares its outcome ("OK" or the code) with `want`; returns the attempt. */
  const run = (id, fn, want) => {
    const r = attempt(fn);
    if (r.code) codes.add(r.code);
    expect(id, outcomeOf(r), want);
    return r;
  };
  /** Every coded error carries `name`, `code`, a message, and the context its code promises. */
  const errorShape = (id, r) => {
    if (!r.error) return;
    expect(
      `${id} (error is an Error named AlipayNotifyError)`,
      r.error instanceof Error && r.error.name === "AlipayNotifyError",
      true,
    );
    expect(`${id} (error has a message)`, typeof r.error.message === "string" && r.error.message.length > 0, true);
    if (
      /^(CERT_UNTRUSTED|CERT_EXPIRED|INVALID_CERTIFICATE|MALFORMED_RESPONSE|INVALID_AES_KEY|MALFORMED_CIPHERTEXT|DECRYPTION_FAILED)$/.test(
        r.code,
      )
    ) {
      expect(`${id} (error.reason)`, typeof r.error.reason === "string" && r.error.reason.length > 0, true);
    }
  };

  const { generated, certSn, certmode, syncResponses, aes, fixture } = data;

  // ─── real certificates: the SNs Alipay's SDKs compute ─────────────────────────────────
  section = "real-sn";
  expect("12 certificates", certSn.vectors.length, 12);
  for (const [i, c] of certSn.vectors.entries()) {
    const id = `#${i} ${c.origin.repo}/${c.origin.path}`;
    const isRoot = c.file_role.startsWith("root bundle");
    const r = run(id, () => (isRoot ? api.getRootCertSN(c.pem) : api.getCertSN(c.pem)), "OK");
    expect(id, r.value, c.sn_alipay_sdk_4_14_getSN);
    if (c.upstream_asserted_sn)
      expect(`${id} (upstream assertion)`, c.upstream_asserted_sn.startsWith(r.value ?? "?"), true);
  }
  const [, nodeAlipayCert, productionRoot, , sandboxRoot, sm2AlipayCert] = certSn.vectors.map((c) => c.pem);
  const phpAlipayCert = certSn.vectors[11].pem;
  expect("production root bundle has 4 certificates", productionRoot.split("BEGIN CERTIFICATE").length - 1, 4);
  // An SM2 certificate has no RSA key: refused as a key, with a code.
  run(
    "SM2 certificate as a key",
    () => api.rsaCertCheckV2({ a: "1", sign: "AAAA", sign_type: "RSA2" }, sm2AlipayCert),
    "INVALID_PUBLIC_KEY",
  );
  run(
    "a public key is not a certificate",
    () => api.getCertSN(syncResponses[0].alipay_public_key),
    "INVALID_CERTIFICATE",
  );
  run("empty text is not a root bundle", () => api.getRootCertSN(""), "INVALID_CERTIFICATE");
  run("a number is not a certificate", () => api.getCertSN(42), "INVALID_ARGUMENT");

  // ─── real chain: the PHP SDK's Alipay certificate (with its intermediate) and the production root
  section = "real-chain";
  const chain = (id, cert, bundle, now, want) => {
    const r = run(id, () => api.verifyCertChain(cert, bundle, now), want);
    if (want === "OK") expect(`${id} (returns true)`, r.value, true);
    errorShape(id, r);
  };
  chain("php cert → production root, June 2024", phpAlipayCert, productionRoot, JUNE_2024, "OK");
  chain("php cert → production root, June 2024 as a Date", phpAlipayCert, productionRoot, new Date(JUNE_2024), "OK");
  chain("php cert before its notBefore (2022-04-15)", phpAlipayCert, productionRoot, 1_650_000_000_000, "CERT_EXPIRED");
  chain("php cert after its notAfter (2033)", phpAlipayCert, productionRoot, 2_000_000_000_000, "CERT_EXPIRED");
  chain("node cert without its intermediate", nodeAlipayCert, productionRoot, JUNE_2024, "CERT_UNTRUSTED");
  chain("production cert, sandbox root", phpAlipayCert, sandboxRoot, JUNE_2024, "CERT_UNTRUSTED");
  chain("now is not a time", phpAlipayCert, productionRoot, "yesterday", "INVALID_ARGUMENT");

  // ─── the three real certificate-mode param maps (.NET SDK), V2 ───────────────────────
  section = "real-certmode";
  for (const f of certmode) {
    const pem = f.alipay_public_cert_pem;
    const signType = f.expected.sign_type;
    const options = signType === "RSA" ? { signTypes: ["RSA2", "RSA"] } : {};
    const sn = f.verification.results["derived appCertSn (getSN)"];
    expect(`${f.id} getCertSN`, attempt(() => api.getCertSN(pem)).value, sn);
    expect(
      `${f.id} getSignCheckContentV2`,
      attempt(() => api.getSignCheckContentV2(f.params)).value,
      f.expected.canonical_string,
    );
    for (const [how, body] of [
      ["params object", f.params],
      ["form body", f.derived_form_body.body],
    ]) {
      const r = run(`${f.id} verifyNotification (${how})`, () => api.verifyNotification(body, pem, options), "OK");
      expect(`${f.id} (${how}) verified`, r.value?.verified, true);
      expect(`${f.id} (${how}) variant`, r.value?.variant, "v2");
      expect(`${f.id} (${how}) signType`, r.value?.signType, signType);
      expect(`${f.id} (${how}) kind`, r.value?.kind, "generic");
    }
    run(
      `${f.id} pinned v1`,
      () => api.verifyNotification(f.params, pem, { ...options, variant: "v1" }),
      "SIGNATURE_MISMATCH",
    );
    if (signType === "RSA") {
      run(
        `${f.id} RSA (SHA-1) not admitted by default`,
        () => api.verifyNotification(f.params, pem),
        "UNSUPPORTED_SIGN_TYPE",
      );
    }
    expect(`${f.id} rsaCertCheckV2`, attempt(() => api.rsaCertCheckV2(f.params, pem, { signType })).value, true);
    expect(`${f.id} rsaCheckV2 (same key)`, attempt(() => api.rsaCheckV2(f.params, pem, { signType })).value, true);
    expect(`${f.id} rsaCertCheckV1`, attempt(() => api.rsaCertCheckV1(f.params, pem, { signType })).value, false);
    expect(
      `${f.id} rsaCertCheckV2 with the other sign type`,
      attempt(() => api.rsaCertCheckV2(f.params, pem, { signType: signType === "RSA" ? "RSA2" : "RSA" })).value,
      false,
    );
    // One byte changed in a signed value.
    const tampered = { ...f.params, app_id: changeOneByte(f.params.app_id, f.params.app_id) };
    expect(
      `${f.id} tampered: rsaCertCheckV2`,
      attempt(() => api.rsaCertCheckV2(tampered, pem, { signType })).value,
      false,
    );
    run(
      `${f.id} tampered: verifyNotification`,
      () => api.verifyNotification(tampered, pem, options),
      "SIGNATURE_MISMATCH",
    );
    // Alipay says it signed with another certificate: refused, naming both SNs.
    const other = "0123456789abcdef0123456789abcdef";
    const r = run(
      `${f.id} alipay_cert_sn of another certificate`,
      () => api.verifyNotification({ ...f.params, alipay_cert_sn: other }, pem, options),
      "CERT_SN_MISMATCH",
    );
    expect(`${f.id} CERT_SN_MISMATCH expected`, r.error?.expected, sn);
    expect(`${f.id} CERT_SN_MISMATCH actual`, r.error?.actual, other);
    // The same SN passes the check (then the unsigned extra param fails the signature).
    run(
      `${f.id} alipay_cert_sn of this certificate, not signed`,
      () => api.verifyNotification({ ...f.params, alipay_cert_sn: sn }, pem, options),
      "SIGNATURE_MISMATCH",
    );
    const inspected = attempt(() =>
      api.inspectNotification({ ...f.params, alipay_cert_sn: other }, pem, options),
    ).value;
    expect(`${f.id} inspect: CERT_SN_MISMATCH`, inspected?.outcome?.error?.code, "CERT_SN_MISMATCH");
    // alipayRootCert: this certificate's file has no intermediate, so it cannot chain.
    run(
      `${f.id} alipayRootCert (sandbox root)`,
      () => api.verifyNotification(f.params, pem, { ...options, alipayRootCert: sandboxRoot, now: JUNE_2024 }),
      "CERT_UNTRUSTED",
    );
  }

  // ─── the alipayRootCert option with the real production chain ─────────────────────────
  section = "real-option";
  // The chain is fine, so verification goes on to the signature (these params were signed by
  // another certificate's key): SIGNATURE_MISMATCH, not a chain error.
  const anyParams = certmode[1].params;
  run(
    "php cert + production root, June 2024",
    () => api.verifyNotification(anyParams, phpAlipayCert, { alipayRootCert: productionRoot, now: JUNE_2024 }),
    "SIGNATURE_MISMATCH",
  );
  run(
    "php cert + production root, now as a Date",
    () =>
      api.verifyNotification(anyParams, phpAlipayCert, { alipayRootCert: productionRoot, now: new Date(JUNE_2024) }),
    "SIGNATURE_MISMATCH",
  );
  run(
    "php cert + production root, 2033",
    () => api.verifyNotification(anyParams, phpAlipayCert, { alipayRootCert: productionRoot, now: 2_000_000_000_000 }),
    "CERT_EXPIRED",
  );
  run(
    "php cert + sandbox root",
    () => api.verifyNotification(anyParams, phpAlipayCert, { alipayRootCert: sandboxRoot, now: JUNE_2024 }),
    "CERT_UNTRUSTED",
  );
  run(
    "alipayRootCert that is not PEM",
    () => api.verifyNotification(anyParams, phpAlipayCert, { alipayRootCert: "MIIB", now: JUNE_2024 }),
    "INVALID_OPTIONS",
  );
  run(
    "alipayRootCert with a bare key",
    () =>
      api.verifyNotification(anyParams, syncResponses[0].alipay_public_key, {
        alipayRootCert: productionRoot,
        now: JUNE_2024,
      }),
    "INVALID_OPTIONS",
  );
  run(
    "alipayRootCert not a string",
    () => api.verifyNotification(anyParams, phpAlipayCert, { alipayRootCert: 1, now: JUNE_2024 }),
    "INVALID_OPTIONS",
  );

  // ─── real synchronous responses ──────────────────────────────────────────────────────
  section = "real-response";
  const [upload, query] = syncResponses;
  const responses = [
    {
      f: upload,
      body: upload.raw_response_body,
      method: upload.method,
      signed: upload.expected.signed_content,
      key: upload.alipay_public_key,
    },
    {
      f: query,
      // Only the signed value and its sign were kept: the body is rebuilt around the raw text.
      body: `{"alipay_trade_query_response":${query.signed_content},"sign":"${query.sign}"}`,
      method: "alipay.trade.query",
      signed: query.signed_content,
      key: query.alipay_public_key,
    },
  ];
  for (const { f, body, method, signed, key } of responses) {
    for (const [how, raw] of [
      ["string", body],
      ["bytes", new TextEncoder().encode(body)],
    ]) {
      const r = run(`${f.id} (${how})`, () => api.verifyResponse(raw, key, { method }), "OK");
      expect(`${f.id} (${how}) verified`, r.value?.verified, true);
      expect(`${f.id} (${how}) responseKey`, r.value?.responseKey, `${method.replaceAll(".", "_")}_response`);
      expect(`${f.id} (${how}) signedContent`, r.value?.signedContent, signed);
      expect(`${f.id} (${how}) response`, sameJson(r.value?.response, JSON.parse(signed)), true);
      expect(`${f.id} (${how}) isError`, r.value?.isError, false);
      expect(`${f.id} (${how}) alipayCertSn`, r.value?.alipayCertSn, null);
    }
    const tampered = changeOneByte(body, signed);
    expect(`${f.id} one byte changed: same length`, tampered.length, body.length);
    run(`${f.id} one byte changed`, () => api.verifyResponse(tampered, key, { method }), "SIGNATURE_MISMATCH");
    run(
      `${f.id} checked as RSA (SHA-1)`,
      () => api.verifyResponse(body, key, { method, signType: "RSA" }),
      "SIGNATURE_MISMATCH",
    );
    run(
      `${f.id} another method`,
      () => api.verifyResponse(body, key, { method: "alipay.trade.pay" }),
      "MISSING_PARAMETER",
    );
    run(`${f.id} no method`, () => api.verifyResponse(body, key, {}), "INVALID_ARGUMENT");
    run(`${f.id} bad signType`, () => api.verifyResponse(body, key, { method, signType: "SM2" }), "INVALID_OPTIONS");
    run(`${f.id} truncated`, () => api.verifyResponse(body.slice(0, -2), key, { method }), "MALFORMED_RESPONSE");
  }
  expect(
    "gopay fund channel",
    attempt(() => api.verifyResponse(responses[1].body, query.alipay_public_key, { method: "alipay.trade.query" }))
      .value?.response?.fund_bill_list?.[0]?.fund_channel,
    "PCREDIT",
  );

  // ─── real AES vectors ────────────────────────────────────────────────────────────────
  section = "real-aes";
  for (const v of aes.vectors) {
    const r = run(v.origin.repo, () => api.aesDecrypt(v.ciphertext_b64, v.key_b64), "OK");
    expect(`${v.origin.repo} plaintext`, r.value, v.plaintext);
  }

  // ─── generated vectors (tests/vectors/cert/generated.json) ───────────────────────────
  const g = generated;
  section = "generated-sn";
  for (const c of g.sn) {
    const r = run(c.id, () => api.getCertSN(c.pem), "OK");
    expect(c.id, r.value, c.expected_sn);
  }
  section = "generated-root-sn";
  for (const c of g.root_sn) {
    const r = attempt(() => api.getRootCertSN(c.pem));
    if (r.code) codes.add(r.code);
    expect(c.id, r.code ?? r.value, c.expected);
    errorShape(c.id, r);
  }
  section = "generated-chain";
  for (const c of g.chain) {
    const r = run(c.id, () => api.verifyCertChain(c.alipay_cert_pem, c.root_bundle_pem, c.now_ms), c.expected);
    if (c.expected === "OK") expect(`${c.id} (returns true)`, r.value, true);
    errorShape(c.id, r);
  }
  section = "generated-chain-option";
  // The same chains through verifyNotification's alipayRootCert option: a good chain goes on to
  // the signature (these params were signed by another key), a bad one stops with its code.
  for (const c of g.chain) {
    const want = EC_LEAF_CHAINS.has(c.id)
      ? "INVALID_PUBLIC_KEY"
      : c.expected === "OK"
        ? "SIGNATURE_MISMATCH"
        : c.expected;
    run(
      c.id,
      () => api.verifyNotification(anyParams, c.alipay_cert_pem, { alipayRootCert: c.root_bundle_pem, now: c.now_ms }),
      want,
    );
    const report = attempt(() =>
      api.inspectNotification(anyParams, c.alipay_cert_pem, { alipayRootCert: c.root_bundle_pem, now: c.now_ms }),
    ).value;
    expect(`${c.id} (inspect agrees)`, report?.outcome?.error?.code, want);
  }
  section = "generated-key";
  for (const c of g.key) {
    // A certificate as the key: usable (the params are not signed by it, so `false`) or refused.
    const r = run(c.id, () => api.rsaCertCheckV2(anyParams, c.pem), c.expected);
    if (c.expected === "OK") {
      expect(`${c.id} (false: not signed by it)`, r.value, false);
      expect(`${c.id} SN`, attempt(() => api.getCertSN(c.pem)).value, c.expected_cert_sn);
      const bits = BigInt(`0x${c.expected_modulus_hex}`).toString(2).length;
      expect(`${c.id} bits`, attempt(() => api.inspectNotification(anyParams, c.pem)).value?.key?.bits, bits);
    }
    run(
      `${c.id} (verifyNotification)`,
      () => api.verifyNotification(anyParams, c.pem),
      c.expected === "OK" ? "SIGNATURE_MISMATCH" : c.expected,
    );
  }
  section = "generated-response";
  for (const c of g.response) {
    const r = run(
      c.id,
      () => api.verifyResponse(c.body, c.key_pem, { method: c.method, signType: c.sign_type }),
      c.expected,
    );
    errorShape(c.id, r);
    if (r.value) {
      expect(`${c.id} verified`, r.value.verified, true);
      expect(`${c.id} signedContent`, r.value.signedContent, c.signed_content);
      expect(`${c.id} response`, sameJson(r.value.response, JSON.parse(c.signed_content)), true);
      expect(`${c.id} isError`, r.value.isError, r.value.responseKey === "error_response");
      const sn = /"alipay_cert_sn"\s*:\s*"([^"]*)"/.exec(c.body)?.[1] ?? null;
      expect(`${c.id} alipayCertSn`, r.value.alipayCertSn, sn);
      if (sn) expect(`${c.id} alipayCertSn is the key's SN`, sn, attempt(() => api.getCertSN(c.key_pem)).value);
    }
    if (c.expected === "CERT_SN_MISMATCH") {
      expect(`${c.id} expected`, r.error?.expected, attempt(() => api.getCertSN(c.key_pem)).value);
      expect(`${c.id} actual`, r.error?.actual, /"alipay_cert_sn"\s*:\s*"([^"]*)"/.exec(c.body)?.[1]);
    }
  }
  section = "generated-v3-response";
  for (const c of g.v3_response) {
    for (const [how, body] of [
      ["string", c.body],
      ["bytes", new TextEncoder().encode(c.body)],
    ]) {
      const r = run(
        `${c.id} (${how})`,
        () => api.verifyV3Response({ timestamp: c.timestamp, nonce: c.nonce, body, signature: c.signature }, c.key_pem),
        c.expected,
      );
      if (c.expected === "OK") expect(`${c.id} (${how}) returns true`, r.value, true);
    }
  }
  section = "generated-aes";
  for (const c of g.aes) {
    const r = run(c.id, () => api.aesDecrypt(c.ciphertext_b64, c.key_b64), c.expected);
    errorShape(c.id, r);
    if (r.value !== undefined && typeof c.plaintext === "string") expect(`${c.id} plaintext`, r.value, c.plaintext);
  }

  // ─── end to end: a notification signed by the key of a certificate that chains to a root ─
  section = "fixture";
  const fx = fixture;
  expect(
    "leaf SN (getCertSN = md5 of the Java-style issuer + serial)",
    attempt(() => api.getCertSN(fx.leafPem)).value,
    fx.leafSn,
  );
  expect("root SN (getRootCertSN)", attempt(() => api.getRootCertSN(fx.rootPem)).value, fx.rootSn);
  const inside = fx.leafValidFromMs + 86_400_000;
  const withRoot = (now) => ({ alipayRootCert: fx.rootPem, now });
  const verified = (id, body, key, options, variant = "v1") => {
    const r = run(id, () => api.verifyNotification(body, key, options), "OK");
    expect(`${id} verified`, r.value?.verified, true);
    expect(`${id} variant`, r.value?.variant, variant);
    expect(`${id} kind`, r.value?.kind, "alipay.open.servicemarket.order.change.notify");
    return r;
  };
  const r1 = verified("certificate as key, matching alipay_cert_sn", fx.signed, fx.leafPem, {});
  expect("alipay_cert_sn kept in params", r1.value?.params?.alipay_cert_sn, fx.leafSn);
  verified("certificate as key, as bytes", new TextEncoder().encode(fx.signed), fx.leafPem, {});
  verified("certificate as key, as URLSearchParams", new URLSearchParams(fx.signed), fx.leafPem, {});
  verified("certificate as key, no alipay_cert_sn", fx.signedNoSn, fx.leafPem, {});
  verified("bare key, alipay_cert_sn not comparable", fx.signed, fx.bareKey, {});
  verified("bare key, another alipay_cert_sn", fx.signedOtherSn, fx.bareKey, {});
  verified("alipayRootCert: chains, inside validity", fx.signed, fx.leafPem, withRoot(inside));
  verified("alipayRootCert: at notAfter (inclusive)", fx.signed, fx.leafPem, withRoot(fx.leafValidToMs));
  verified("alipayRootCert: now as a Date", fx.signed, fx.leafPem, withRoot(new Date(inside)));
  // Without `now`, the package takes the runtime's clock (the leaf is valid until 2044).
  verified("alipayRootCert: now defaults to the clock", fx.signed, fx.leafPem, { alipayRootCert: fx.rootPem });
  verified("alipayRootCert: leaf + root in the key file", fx.signed, fx.leafPem + fx.rootPem, withRoot(inside));
  verified("alipayRootCert: root bundle with other roots", fx.signed, fx.leafPem, {
    alipayRootCert: productionRoot + fx.rootPem,
    now: inside,
  });
  verified("pinned v1", fx.signed, fx.leafPem, { variant: "v1" });
  run("pinned v2", () => api.verifyNotification(fx.signed, fx.leafPem, { variant: "v2" }), "SIGNATURE_MISMATCH");
  // Validly signed, but Alipay names another certificate: refused before the signature.
  const mismatch = run(
    "validly signed, alipay_cert_sn of another certificate",
    () => api.verifyNotification(fx.signedOtherSn, fx.leafPem),
    "CERT_SN_MISMATCH",
  );
  expect("CERT_SN_MISMATCH .expected", mismatch.error?.expected, fx.leafSn);
  expect("CERT_SN_MISMATCH .actual", mismatch.error?.actual, fx.otherSn);
  errorShape("CERT_SN_MISMATCH", mismatch);
  run(
    "validly signed, other SN, alipayRootCert",
    () => api.verifyNotification(fx.signedOtherSn, fx.leafPem, withRoot(inside)),
    "CERT_SN_MISMATCH",
  );
  run("signed by another key", () => api.verifyNotification(fx.signedByOtherKey, fx.leafPem), "SIGNATURE_MISMATCH");
  run(
    "one byte changed",
    () => api.verifyNotification(changeOneByte(fx.signed, "order_no"), fx.leafPem),
    "SIGNATURE_MISMATCH",
  );
  run(
    "alipayRootCert: before notBefore",
    () => api.verifyNotification(fx.signed, fx.leafPem, withRoot(fx.leafValidFromMs - 1000)),
    "CERT_EXPIRED",
  );
  run(
    "alipayRootCert: after notAfter",
    () => api.verifyNotification(fx.signed, fx.leafPem, withRoot(fx.leafValidToMs + 1000)),
    "CERT_EXPIRED",
  );
  run(
    "alipayRootCert: another root",
    () => api.verifyNotification(fx.signed, fx.leafPem, { alipayRootCert: productionRoot, now: inside }),
    "CERT_UNTRUSTED",
  );
  run(
    "alipayRootCert: generated root",
    () => api.verifyNotification(fx.signed, fx.leafPem, { alipayRootCert: g.root_sn[0].pem, now: inside }),
    "CERT_UNTRUSTED",
  );
  run(
    "alipayRootCert: bare key",
    () => api.verifyNotification(fx.signed, fx.bareKey, withRoot(inside)),
    "INVALID_OPTIONS",
  );
  run(
    "alipayRootCert: the root itself as the key",
    () => api.verifyNotification(fx.signedNoSn, fx.rootPem, withRoot(inside)),
    "SIGNATURE_MISMATCH",
  );
  run(
    "the root as the key, alipay_cert_sn of the leaf",
    () => api.verifyNotification(fx.signed, fx.rootPem),
    "CERT_SN_MISMATCH",
  );
  run(
    "alipayRootCert + maxAgeSeconds: both checked",
    () => api.verifyNotification(fx.signed, fx.leafPem, { ...withRoot(inside), maxAgeSeconds: 60 }),
    "NOTIFICATION_EXPIRED",
  );
  // rsaCertCheck: Java's boolean check with the certificate's key.
  const p = formObject(fx.signed);
  expect("rsaCertCheckV1", attempt(() => api.rsaCertCheckV1(p, fx.leafPem)).value, true);
  expect("rsaCertCheckV2", attempt(() => api.rsaCertCheckV2(p, fx.leafPem)).value, false);
  expect(
    "rsaCertCheckV1, tampered",
    attempt(() => api.rsaCertCheckV1({ ...p, status: "DONE" }, fx.leafPem)).value,
    false,
  );
  run(
    "rsaCertCheckV1, no certificate",
    () => api.rsaCertCheckV1(p, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"),
    "INVALID_PUBLIC_KEY",
  );
  // inspectNotification tells the same story.
  const inspect = (id, body, key, options, status, code) => {
    const report = attempt(() => api.inspectNotification(body, key, options)).value;
    expect(`${id} (inspect status)`, report?.outcome?.status, status);
    expect(`${id} (inspect code)`, report?.outcome?.error?.code ?? null, code);
    expect(`${id} (inspect notification.verified)`, report?.notification?.verified, status === "verified");
    if (code)
      expect(
        `${id} (inspect problem with hints)`,
        report?.problems?.some((x) => x.code === code && x.hint && x.hintZh),
        true,
      );
    return report;
  };
  inspect("inspect: verified with chain", fx.signed, fx.leafPem, withRoot(inside), "verified", null);
  const other = inspect("inspect: other SN", fx.signedOtherSn, fx.leafPem, {}, "failed", "CERT_SN_MISMATCH");
  expect("inspect: other SN, V1 itself matches", other?.v1, "verified");
  inspect("inspect: expired", fx.signed, fx.leafPem, withRoot(fx.leafValidToMs + 1000), "failed", "CERT_EXPIRED");
  inspect(
    "inspect: untrusted",
    fx.signed,
    fx.leafPem,
    { alipayRootCert: productionRoot, now: inside },
    "failed",
    "CERT_UNTRUSTED",
  );
  inspect("inspect: bare key with alipayRootCert", fx.signed, fx.bareKey, withRoot(inside), "error", "INVALID_OPTIONS");

  // ─── the error codes ─────────────────────────────────────────────────────────────────
  section = "codes";
  const listed = attempt(() => api.errorCodes()).value ?? [];
  for (const code of CERT_CODES) {
    expect(`${code} listed by errorCodes()`, listed.includes(code), true);
    expect(`${code} produced`, codes.has(code), true);
  }

  return { count, codes: [...codes].sort(), sections, mismatches };
}
