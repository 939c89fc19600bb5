// The PEM-armour bypass and Alipay's identity check (tests/vectors/cert/armour.json, written by
// tests/vectors/cert/armour.py from Python `cryptography`, OpenSSL and the JDK) run through
// whatever `api` a runtime loaded. Pure: no file system, no clock; the caller passes the JSON in.
//
// Each case is a certificate text — the attacker's look-alike certificate armoured almost right
// (`-----BEGIN CERTIFICATE -----`, a tab, a CR, …) before Alipay's genuine file, or a control —
// and the outcome every entry point must give for it.

/** `{ value }` when `fn` returns, `{ code }` when it throws an AlipayNotifyError, a marker otherwise. */
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

const outcome = (r) => ("code" in r ? r.code : "OK");

/** The operations of armour.json's `operations`, through the JS API. */
function operations(api, v, text) {
  const root = v.root_bundle_pem;
  const now = v.now_ms;
  const body = v.notification.body;
  return {
    // rsaCertCheckV1 throws only for the key: the key reading alone.
    public_key: outcome(attempt(() => api.rsaCertCheckV1({ a: "1", sign: "AAAA", sign_type: "RSA2" }, text))),
    get_cert_sn: (() => {
      const r = attempt(() => api.getCertSN(text));
      return "code" in r ? r.code : r.value;
    })(),
    verify_cert_chain: outcome(attempt(() => api.verifyCertChain(text, root, now))),
    check_alipay_certificate: outcome(attempt(() => api.checkAlipayCertificate(text, root, now))),
    verify_with_root: outcome(attempt(() => api.verifyNotification(body, text, { alipayRootCert: root, now }))),
    verify_without_root: outcome(attempt(() => api.verifyNotification(body, text))),
    verify_response: outcome(attempt(() => api.verifyResponse(v.response.body, text, { method: v.response.method }))),
  };
}

/**
 * Runs every case of `armour` (armour.json) through `api`. Returns `{ count, mismatches, reasons }`:
 * the checks made, one line per mismatch, and the `reason` of each refusal of the issue's
 * trailing-space variant (so the caller can check it names the offending line).
 */
export function runArmourVectors(api, armour) {
  const mismatches = [];
  let count = 0;
  const expect = (id, got, want) => {
    count++;
    if (got !== want) mismatches.push(`${id}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  for (const c of armour.cases) {
    const got = operations(api, armour, c.text);
    for (const [op, want] of Object.entries(c.expected)) expect(`${c.id} ${op}`, got[op], want);
  }
  for (const c of armour.identity) {
    const r = attempt(() =>
      api.checkAlipayCertificate(c.alipay_cert_pem, armour.identity_root_bundle_pem, armour.now_ms),
    );
    expect(`identity ${c.id}`, outcome(r), c.expected);
    if (r.error)
      expect(`identity ${c.id} (reason)`, typeof r.error.reason === "string" && r.error.reason.length > 0, true);
    // The chain alone passes all of them but the forged one: it cannot tell them apart.
    const chain = attempt(() => api.verifyCertChain(c.alipay_cert_pem, armour.identity_root_bundle_pem, armour.now_ms));
    expect(`identity ${c.id} (chain only)`, outcome(chain), c.expected === "CERT_UNTRUSTED" ? "CERT_UNTRUSTED" : "OK");
  }
  const trailing = armour.cases.find((c) => c.id === "armour-trailing-space");
  const reasons = [
    attempt(() => api.verifyCertChain(trailing.text, armour.root_bundle_pem, armour.now_ms)),
    attempt(() =>
      api.verifyNotification(armour.notification.body, trailing.text, {
        alipayRootCert: armour.root_bundle_pem,
        now: armour.now_ms,
      }),
    ),
  ].map((r) => (r.error ? { code: r.code, reason: r.error.reason ?? null } : null));
  return { count, mismatches, reasons };
}
