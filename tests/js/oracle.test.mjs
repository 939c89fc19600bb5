// Oracle check against Alipay's own Node SDK (npm alipay-sdk@4.14.0, `checkNotifySignV2`):
// on every UTF-8 vector it must agree with our verdict. Where it cannot agree, the difference
// is a named category below, the SDK's behaviour in it is asserted, and the comment says why
// ours is right.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { prepareScratch, scratch, root } from "./lib/scratch.mjs";
import { allVectors } from "./lib/load.mjs";
import { outcome, vectorBody } from "./lib/vectors.mjs";

const require = createRequire(import.meta.url);
const { AlipaySdk } = require("alipay-sdk");
const appPrivateKey = readFileSync(join(root, "tests/vectors/notifications/keys/app-rsa2048-private.pem"), "utf8");
let api;

before(() => {
  prepareScratch();
  api = createRequire(join(scratch, "package.json"))("alipay-notify");
});

/** What a Node backend using the SDK sees: the body parsed by a standard form parser. */
function sdkVerdict(v) {
  const body = String(vectorBody(v));
  const query = body.startsWith("http") ? body.slice(body.indexOf("?") + 1) : body.replace(/^\?/, "");
  const postData = Object.fromEntries(new URLSearchParams(query.trim()));
  try {
    const sdk = new AlipaySdk({ appId: "2021000000000000", privateKey: appPrivateKey, alipayPublicKey: v.key });
    return sdk.checkNotifySignV2(postData) === true;
  } catch {
    return false; // the SDK throws where it cannot load the key: it does not verify
  }
}

const ours = (v) => outcome(api, v).verified === true;

/** Why the SDK and we may differ on a vector, or null when we must agree. */
function difference(v) {
  const err = v.expect.error;
  const opts = v.options ?? {};
  if (/^pkcs1-/.test(v.keyFormat ?? "")) return "pkcs1-key";
  if (/sign-plus-as-space/.test(v.id)) return "plus-as-space";
  if (v.id === "sign-base64url-alphabet") return "lenient-base64";
  if (err === "DUPLICATE_PARAMETER") return "duplicates";
  if (err === "MALFORMED_FORM") return "malformed-form";
  if (opts.variant && opts.variant !== "auto") return "pinned-variant";
  if (opts.emptyValues === "skip" || v.id === "mismatch-empties-skipped-default-keep") return "empty-values";
  if (err === "UNSUPPORTED_SIGN_TYPE") return "sign-type-policy";
  if (
    ["APP_ID_MISMATCH", "NOTIFICATION_EXPIRED", "INVALID_OPTIONS", "INVALID_BIZ_CONTENT", "INPUT_TOO_LARGE"].includes(
      err,
    )
  )
    return "policy-check";
  if (err === "CHARSET_MISMATCH") return "charset-confusion";
  return null;
}

const utf8 = (v) => !v.jsOnly && (v.charset ?? "UTF-8").toUpperCase().replace("-", "") === "UTF8";

test("alipay-sdk checkNotifySignV2 agrees with our verdict on every UTF-8 vector outside the documented differences", () => {
  const vectors = allVectors().filter(utf8);
  let agreed = 0;
  const disagreements = [];
  for (const v of vectors) {
    if (difference(v)) continue;
    const [s, o] = [sdkVerdict(v), ours(v)];
    if (s === o) agreed++;
    else disagreements.push(`${v.id}: sdk=${s} ours=${o}`);
  }
  assert.deepEqual(disagreements, []);
  assert.ok(agreed >= 50, `only ${agreed} vectors compared`);
  // Both verdicts occur, so agreement is not trivial.
  assert.ok(vectors.some((v) => !difference(v) && ours(v)) && vectors.some((v) => !difference(v) && !ours(v)));
});

test("documented differences: the SDK's behaviour in each, and why ours is right", () => {
  const vectors = allVectors().filter(utf8);
  const seen = {};
  for (const v of vectors) {
    const kind = difference(v);
    if (!kind) continue;
    seen[kind] = (seen[kind] ?? 0) + 1;
    const s = sdkVerdict(v);
    const o = ours(v);
    const valid = v.signatureValid ?? v.expect.verified === true;
    switch (kind) {
      case "pkcs1-key":
        // The SDK wraps any key text as "PUBLIC KEY" (SPKI); a PKCS#1 key then fails to load.
        // Ours reads PKCS#1 PEM and base64 as well.
        assert.equal(s, false, v.id);
        assert.equal(o, v.expect.verified === true, v.id);
        break;
      case "plus-as-space":
        // A raw `+` in a query string arrives as a space; Node's base64 decoder drops spaces, so
        // the SDK checks the wrong bytes. Base64 has no spaces: reading them as `+` is exact.
        assert.equal(s, false, v.id);
        assert.equal(o, true, v.id);
        break;
      case "lenient-base64":
        // Node's base64 decoder also reads the URL-safe alphabet, so the SDK accepts a `sign`
        // Alipay never sends. Strict standard base64 gives every signature one encoding.
        assert.equal(s, true, v.id);
        assert.equal(o, false, v.id);
        break;
      case "duplicates":
        // A form parser keeps one of the repeated values (the SDK never sees the other); we
        // refuse parameter pollution outright.
        assert.equal(o, false, v.id);
        break;
      case "malformed-form":
        // URLSearchParams keeps a bad `%` escape literally; we refuse a malformed body.
        assert.equal(o, false, v.id);
        break;
      case "pinned-variant":
        // The SDK always tries V2 then V1; a caller who pins one variant gets only that one.
        assert.equal(s, valid, v.id);
        assert.equal(o, v.expect.verified === true, v.id);
        break;
      case "empty-values":
        // The SDK always keeps empty values; `emptyValues: "skip"` is our named option for
        // notifications signed the Java way.
        assert.equal(o, v.expect.verified === true, v.id);
        assert.equal(s, v.expect.verified === true && v.options?.emptyValues !== "skip", v.id);
        break;
      case "sign-type-policy":
        // The SDK accepts SHA-1 `RSA` whenever the notification says so (a downgrade an
        // attacker controls); we admit it only when the caller allows it.
        assert.equal(o, false, v.id);
        if (v.signType === "RSA" && valid) assert.equal(s, true, v.id);
        break;
      case "charset-confusion":
        // Bytes that are not text in the declared charset: a form parser replaces them, so the
        // SDK checks text that was never signed and fails without saying why; we name the cause.
        assert.equal(s, false, v.id);
        assert.equal(o, false, v.id);
        break;
      case "policy-check":
        // app_id, freshness, option validation, biz_content and charset checks do not exist in
        // the SDK: it reports only whether the signature matches.
        assert.equal(o, false, v.id);
        assert.equal(s, valid, v.id);
        break;
      default:
        assert.fail(`unhandled category ${kind}`);
    }
  }
  for (const kind of [
    "pkcs1-key",
    "plus-as-space",
    "lenient-base64",
    "duplicates",
    "pinned-variant",
    "empty-values",
    "sign-type-policy",
    "policy-check",
    "charset-confusion",
  ]) {
    assert.ok(seen[kind] > 0, `no vector exercised ${kind}`);
  }
});

test("GBK: the SDK, fed what a UTF-8 form parser makes of a GBK body, fails every notification with Chinese text; ours verifies the bytes", () => {
  const gbk = allVectors().filter((v) => !v.jsOnly && /^gb/i.test(v.charset ?? "") && v.expect.verified);
  assert.ok(gbk.length >= 20);
  let nonAscii = 0;
  for (const v of gbk) {
    assert.equal(ours(v), true, v.id);
    if (/%[89A-F][0-9A-F]/i.test(v.body)) {
      nonAscii++;
      assert.equal(sdkVerdict(v), false, v.id);
    }
  }
  assert.ok(nonAscii >= 12, `only ${nonAscii} GBK vectors had non-ASCII bytes`);
});
