// Robustness of the packed package: no input traps the module, every rejection is coded.
//
// - Node: 10,000 hostile inputs (tests/js/lib/vectors.mjs `runHostile`) through one module
//   instance (ESM; CJS 2,000), then every valid vector still verifies.
// - workerd: the same inside one Worker isolate (a tiny Worker bundled by wrangler exactly as
//   `wrangler deploy` would, run in Miniflare), then valid notifications still verify — in the
//   same request and in a later one.
// - Every error code of the specification, produced through the JS API.
// - Every documented limit through the JS API: at the limit, and one past it; and, in a fresh
//   process, 200-million-character inputs to every function refused before they are copied
//   into wasm memory (the process does not grow), the module working after.
// - Threats the README names that no other suite covers: double decoding, a key offered by
//   the request.
//
// Self-contained: the package is packed into a private folder (never the shared scratch
// project), so this file can run beside the other suites.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { sign as rsaSign } from "node:crypto";
import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";
import { bin, installPacked, jsDir, root } from "./lib/scratch.mjs";
import { allVectors, notificationVectors, testAlipayKey } from "./lib/load.mjs";
import { runHostile, runVectors } from "./lib/vectors.mjs";
import { KINDS, notificationParams, privateKey, publicKeyPem, signNotification } from "./lib/sign.mjs";

const run = promisify(execFile);
const HOSTILE = 10_000;

// The error codes of the specification (SPEC §3), each of which must be produced below.
const SPEC_CODES = [
  "MALFORMED_FORM",
  "DUPLICATE_PARAMETER",
  "MISSING_PARAMETER",
  "UNSUPPORTED_SIGN_TYPE",
  "UNSUPPORTED_CHARSET",
  "INVALID_PUBLIC_KEY",
  "MALFORMED_SIGNATURE",
  "SIGNATURE_MISMATCH",
  "INVALID_BIZ_CONTENT",
  "APP_ID_MISMATCH",
  "NOTIFICATION_EXPIRED",
  "INPUT_TOO_LARGE",
  "INVALID_OPTIONS",
  "INVALID_ARGUMENT",
];

let dir; // private folder: the packed package under node_modules/, the Worker
let cjs; // the package through `require`
let esm; // the package through `import`
let mf;

/** The packed package as `dir/node_modules/alipay-notify` (what users get). */
function installPrivate() {
  dir = mkdtempSync(join(tmpdir(), "alipay-robustness-"));
  return installPacked(dir);
}

before(async () => {
  const pkgDir = installPrivate();
  const require = createRequire(join(dir, "index.cjs"));
  cjs = require("alipay-notify");
  const exportsMap = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).exports["."];
  esm = await import(pathToFileURL(join(pkgDir, exportsMap.node.import.default)).href);
});

after(async () => {
  await mf?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The coded error a call throws (asserting it is one), or null when it does not throw. */
function codeOf(fn) {
  try {
    fn();
    return null;
  } catch (thrown) {
    const e = /** @type {import("alipay-notify").AlipayNotifyError} */ (thrown);
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    assert.equal(e.name, "AlipayNotifyError", String(e));
    assert.equal(typeof e.code, "string");
    return e.code;
  }
}

/** A signed UTF-8 RSA2 notification (default options) and its key, from the vectors. */
function signed() {
  const v = notificationVectors().find((x) => x.id === "order-utf-8-rsa2-spki-base64-v2");
  return { body: v.body, key: v.key };
}

const validVectors = () => allVectors().filter((v) => v.expect.verified);

// ─── Node: 10,000 hostile inputs through one instance ────────────────────────────────────

// ESM gets the full run; CJS (its own wasm glue, `--target nodejs`) a shorter one, to keep the
// suite's time reasonable — package.test.mjs runs 1,000 through each as well.
for (const [name, api, n] of /** @type {[string, () => any, number][]} */ ([
  ["esm", () => esm, HOSTILE],
  ["cjs", () => cjs, 2_000],
])) {
  test(`node ${name}: ${n.toLocaleString("en")} hostile inputs through one instance end in coded errors; valid notifications still verify`, () => {
    const before = runVectors(api(), validVectors());
    assert.deepEqual(before.mismatches, []);
    const hostile = runHostile(api(), n, testAlipayKey());
    assert.equal(hostile.calls, n * 6);
    assert.deepEqual(hostile.bad, [], "every hostile input ends in a coded error or a result");
    const after = runVectors(api(), validVectors());
    assert.deepEqual(after.mismatches, []);
    assert.ok(after.count >= 90, `${after.count} valid vectors`);
  });
}

test("node: a huge string body (32 MiB) and a huge key are refused with INPUT_TOO_LARGE, and the instance keeps working", () => {
  const { body, key } = signed();
  const huge = `a=${"x".repeat(32 * 1024 * 1024)}`;
  assert.equal(
    codeOf(() => cjs.verifyNotification(huge, key)),
    "INPUT_TOO_LARGE",
  );
  assert.equal(
    codeOf(() => cjs.parseNotification(new TextEncoder().encode(huge))),
    "INPUT_TOO_LARGE",
  );
  assert.equal(cjs.inspectNotification(huge, key).outcome.error.code, "INPUT_TOO_LARGE");
  assert.equal(
    codeOf(() => cjs.verifyNotification(body, " ".repeat(8 * 1024 * 1024) + key)),
    "INPUT_TOO_LARGE",
  );
  assert.equal(cjs.verifyNotification(body, key).verified, true);
});

// ─── every SPEC error code through the JS API ────────────────────────────────────────────

test("every error code of the specification is produced through the JS API (ESM and CJS), as a coded Error", () => {
  const { body, key } = signed();
  const old = notificationVectors().find((v) => v.id === "expired-notify-time");
  const cases = {
    MALFORMED_FORM: (api) => api.verifyNotification("a=%zz", key),
    DUPLICATE_PARAMETER: (api) => api.verifyNotification(`${body}&sign_type=RSA2`, key),
    MISSING_PARAMETER: (api) => api.verifyNotification("a=1", key),
    UNSUPPORTED_SIGN_TYPE: (api) => api.verifyNotification(body.replace("sign_type=RSA2", "sign_type=RSA"), key),
    UNSUPPORTED_CHARSET: (api) => api.parseNotification("charset=latin1&a=1"),
    INVALID_PUBLIC_KEY: (api) => api.verifyNotification(body, "not a key"),
    MALFORMED_SIGNATURE: (api) => api.verifyNotification("sign=***&sign_type=RSA2&a=1", key),
    SIGNATURE_MISMATCH: (api) => api.verifyNotification(body.replace("total_price=0.01", "total_price=0.02"), key),
    INVALID_BIZ_CONTENT: (api) => api.parseNotification("biz_content=%7B"),
    APP_ID_MISMATCH: (api) => api.verifyNotification(body, key, { appId: "2021000000000001" }),
    NOTIFICATION_EXPIRED: (api) => api.verifyNotification(old.body, old.key, old.options),
    INPUT_TOO_LARGE: (api) => api.parseNotification(`a=${"x".repeat(200_000)}`),
    INVALID_OPTIONS: (api) => api.verifyNotification(body, key, { bogus: 1 }),
    INVALID_ARGUMENT: (api) => api.verifyNotification(42, key),
    // Not in the specification's list, but a stable code all the same.
    CHARSET_MISMATCH: (api) => api.parseNotification("charset=UTF-8&title=%D6%D0"),
  };
  for (const code of SPEC_CODES) assert.ok(code in cases, `no case for ${code}`);
  for (const api of [cjs, esm]) {
    for (const [code, fn] of Object.entries(cases))
      assert.equal(
        codeOf(() => fn(api)),
        code,
        code,
      );
    const known = api.errorCodes();
    for (const code of Object.keys(cases)) assert.ok(known.includes(code), `errorCodes() lacks ${code}`);
    // The untouched notification still verifies.
    assert.equal(api.verifyNotification(body, key).verified, true);
  }
});

// ─── limits through the JS API ───────────────────────────────────────────────────────────

test("limits(): the documented values", () => {
  assert.deepEqual(cjs.limits(), {
    maxBodyBytes: 131072,
    maxParams: 256,
    maxValueBytes: 65536,
    maxNameBytes: 256,
    maxKeyTextBytes: 16384,
    minKeyBits: 1024,
    maxKeyBits: 4096,
    maxCertTextBytes: 65536,
    maxResponseBytes: 8388608,
    maxCiphertextBytes: 8388608,
    maxV3HeaderBytes: 8192,
    maxOptionsBytes: 262144,
  });
  assert.deepEqual(esm.limits(), cjs.limits());
  // README "Limits" names every one of them.
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Limits"), readme.indexOf("## Debugging page"));
  for (const name of Object.keys(cjs.limits()))
    assert.ok(section.includes(`\`${name}\``), `README Limits lacks ${name}`);
});

test("body size: a signed notification padded to exactly the limit verifies (string and bytes); one byte more is INPUT_TOO_LARGE", () => {
  const { maxBodyBytes } = cjs.limits();
  const { body, key } = signed();
  const at = body + "&".repeat(maxBodyBytes - body.length);
  assert.equal(at.length, maxBodyBytes);
  for (const input of [at, new TextEncoder().encode(at)]) {
    assert.equal(cjs.verifyNotification(input, key).verified, true);
    assert.equal(cjs.inspectNotification(input, key).outcome.status, "verified");
  }
  const past = `${at}&`;
  for (const input of [past, new TextEncoder().encode(past)]) {
    assert.equal(
      codeOf(() => cjs.verifyNotification(input, key)),
      "INPUT_TOO_LARGE",
    );
    assert.equal(
      codeOf(() => cjs.parseNotification(input)),
      "INPUT_TOO_LARGE",
    );
    const report = cjs.inspectNotification(input, key);
    assert.notEqual(report.outcome.status, "verified");
    assert.equal(report.outcome.error.code, "INPUT_TOO_LARGE");
  }
  // Multi-byte text counts in UTF-8 bytes, not UTF-16 units.
  const cjk = `a=${"中".repeat(Math.ceil((maxBodyBytes - 1) / 3))}`;
  assert.ok(cjk.length < maxBodyBytes);
  assert.equal(
    codeOf(() => cjs.parseNotification(cjk)),
    "INPUT_TOO_LARGE",
  );
});

test("parameter count: 256 parse (string, object, URLSearchParams, pairs); 257 are INPUT_TOO_LARGE", () => {
  const { maxParams } = cjs.limits();
  const params = (n) => Array.from({ length: n }, (_, i) => [`p${i}`, "1"]);
  const forms = (n) => {
    const pairs = params(n);
    return [pairs.map(([k, v]) => `${k}=${v}`).join("&"), Object.fromEntries(pairs), new URLSearchParams(pairs), pairs];
  };
  for (const f of forms(maxParams)) assert.equal(Object.keys(cjs.parseNotification(f).params).length, maxParams);
  for (const f of forms(maxParams + 1)) {
    assert.equal(
      codeOf(() => cjs.parseNotification(f)),
      "INPUT_TOO_LARGE",
    );
    // getSignCheckContent takes decoded params only (a string is INVALID_ARGUMENT by design).
    if (typeof f !== "string")
      assert.equal(
        codeOf(() => cjs.getSignCheckContentV1(f)),
        "INPUT_TOO_LARGE",
      );
  }
});

test("value length: 65,536 decoded bytes parse; one more is INPUT_TOO_LARGE (also from objects)", () => {
  const { maxValueBytes } = cjs.limits();
  const v = (n) => "v".repeat(n);
  assert.equal(cjs.parseNotification(`a=${v(maxValueBytes)}`).params.a.length, maxValueBytes);
  assert.equal(cjs.parseNotification({ a: v(maxValueBytes) }).params.a.length, maxValueBytes);
  assert.equal(
    codeOf(() => cjs.parseNotification(`a=${v(maxValueBytes + 1)}`)),
    "INPUT_TOO_LARGE",
  );
  assert.equal(
    codeOf(() => cjs.parseNotification({ a: v(maxValueBytes + 1) })),
    "INPUT_TOO_LARGE",
  );
  // Decoded bytes count: "%E4%B8%AD" is 3 bytes.
  assert.equal(
    codeOf(() => cjs.parseNotification(`a=${v(maxValueBytes - 2)}%E4%B8%AD`)),
    "INPUT_TOO_LARGE",
  );
  assert.equal(cjs.parseNotification(`a=${v(maxValueBytes - 3)}%E4%B8%AD`).params.a.length, maxValueBytes - 2);
});

test("name length: 256 bytes parse; 257 are INPUT_TOO_LARGE (also from objects)", () => {
  const { maxNameBytes } = cjs.limits();
  const n = (k) => "n".repeat(k);
  assert.ok(n(maxNameBytes) in cjs.parseNotification(`${n(maxNameBytes)}=1`).params);
  assert.equal(
    codeOf(() => cjs.parseNotification(`${n(maxNameBytes + 1)}=1`)),
    "INPUT_TOO_LARGE",
  );
  assert.equal(
    codeOf(() => cjs.parseNotification({ [n(maxNameBytes + 1)]: "1" })),
    "INPUT_TOO_LARGE",
  );
});

test("key text: 16 KiB loads; one byte more is INPUT_TOO_LARGE", () => {
  const { maxKeyTextBytes } = cjs.limits();
  const { body, key } = signed();
  const trimmed = key.trim();
  const at = trimmed + " ".repeat(maxKeyTextBytes - trimmed.length);
  assert.equal(cjs.verifyNotification(body, at).verified, true);
  assert.equal(
    codeOf(() => cjs.verifyNotification(body, `${at} `)),
    "INPUT_TOO_LARGE",
  );
  assert.equal(cjs.inspectNotification(body, `${at} `).key.error.code, "INPUT_TOO_LARGE");
});

// The v1 response, certificate and AES inputs of the remaining limits (real vectors).
const certDir = join(root, "tests/vectors/cert/real");
const realResponse = () => {
  const v = JSON.parse(readFileSync(join(certDir, "sync-response-alipay-open-file-upload.json"), "utf8"));
  return { body: v.raw_response_body, key: v.alipay_public_key, method: v.method };
};
const AES = { ciphertext: "ILpoMowjIQjfYMR847rnFQ==", key: "aa4BtZ4tspm2wnXLb1ThQA==", plain: "test1234567" };
/** `timestamp\nnonce\nbody\n` signed RSA2 by the test signer, as the v3 gateway signs. */
const signV3 = (timestamp, nonce, body) =>
  rsaSign(
    "sha256",
    Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), Buffer.from(body), Buffer.from("\n")]),
    privateKey(),
  ).toString("base64");

test("response body: a signed response padded to exactly maxResponseBytes verifies (string and bytes); one byte more is INPUT_TOO_LARGE", () => {
  const { maxResponseBytes } = cjs.limits();
  const { body, key, method } = realResponse();
  const at = body + " ".repeat(maxResponseBytes - body.length);
  for (const api of [cjs, esm]) {
    for (const input of [at, new TextEncoder().encode(at)]) {
      assert.equal(api.verifyResponse(input, key, { method }).response.file_id, "CAxAToWB1JsAAAAAAAAAAAAADgSLAQBr");
    }
    for (const input of [`${at} `, new TextEncoder().encode(`${at} `)]) {
      assert.equal(
        codeOf(() => api.verifyResponse(input, key, { method })),
        "INPUT_TOO_LARGE",
      );
    }
  }
  // Fewer UTF-16 units than the limit but more UTF-8 bytes: the core counts the bytes.
  const cjk = `${body}${" ".repeat(maxResponseBytes - body.length - 3)}中中`;
  assert.ok(cjk.length < maxResponseBytes);
  assert.equal(
    codeOf(() => cjs.verifyResponse(cjk, key, { method })),
    "INPUT_TOO_LARGE",
  );
  // Bytes are read as TextDecoder reads them: a BOM dropped, a bad sequence replaced (here in an
  // unsigned member, so the response still verifies — as it did when the wrapper decoded them).
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(body)]);
  assert.equal(cjs.verifyResponse(bom, key, { method }).verified, true);
  const bad = new TextEncoder().encode(body.replace(`"sign"`, `"x":"\u0000\u0000","sign"`));
  bad.set([0xc3, 0x28], bad.indexOf(0));
  assert.deepEqual(
    cjs.verifyResponse(bad, key, { method }),
    cjs.verifyResponse(new TextDecoder().decode(bad), key, { method }),
  );
  assert.equal(
    codeOf(() => cjs.verifyResponse(42, key, { method })),
    "INVALID_ARGUMENT",
  );
  assert.equal(
    codeOf(() => cjs.verifyResponse(body, key, { method: "a".repeat(129) })),
    "INVALID_ARGUMENT",
  );
  assert.equal(
    codeOf(() => cjs.verifyResponse(body, key, { method, signType: "R".repeat(1000) })),
    "INVALID_OPTIONS",
  );
});

test("v3 response: one limit with verifyResponse — a signed body of exactly maxResponseBytes verifies; one byte more, or a header over maxV3HeaderBytes, is INPUT_TOO_LARGE", () => {
  const { maxResponseBytes, maxV3HeaderBytes, maxBodyBytes } = cjs.limits();
  const key = publicKeyPem();
  const [timestamp, nonce] = ["1700000000000", "2b7e5d0c-1f1e-4c5e-9a57-0f1c2d3e4f50"];
  const body = `{${" ".repeat(maxResponseBytes - 2)}}`;
  const signature = signV3(timestamp, nonce, body);
  assert.ok(body.length > maxBodyBytes, "over the notification limit, which once applied here");
  for (const api of [cjs, esm]) {
    for (const b of [body, new TextEncoder().encode(body)])
      assert.equal(api.verifyV3Response({ timestamp, nonce, body: b, signature }, key), true);
    for (const b of [`${body} `, new TextEncoder().encode(`${body} `)]) {
      assert.equal(
        codeOf(() => api.verifyV3Response({ timestamp, nonce, body: b, signature }, key)),
        "INPUT_TOO_LARGE",
      );
    }
  }
  const longNonce = "n".repeat(maxV3HeaderBytes);
  assert.equal(
    cjs.verifyV3Response(
      { timestamp, nonce: longNonce, body: "{}", signature: signV3(timestamp, longNonce, "{}") },
      key,
    ),
    true,
  );
  const over = "n".repeat(maxV3HeaderBytes + 1);
  for (const parts of [
    { timestamp: over, nonce },
    { timestamp, nonce: over },
    { timestamp, nonce, signature: over },
  ]) {
    assert.equal(
      codeOf(() => cjs.verifyV3Response({ body: "{}", signature, ...parts }, key)),
      "INPUT_TOO_LARGE",
    );
  }
  assert.equal(
    codeOf(() => cjs.verifyV3Response({ timestamp, nonce, body: { a: "1" }, signature }, key)),
    "INVALID_ARGUMENT",
  );
});

test("aesDecrypt: a ciphertext of maxCiphertextBytes is read and a key text of maxKeyTextBytes works; one byte more of either is INPUT_TOO_LARGE", () => {
  const { maxCiphertextBytes, maxKeyTextBytes } = cjs.limits();
  const at = "A".repeat(maxCiphertextBytes); // whole blocks: decrypted, then refused for its padding
  const paddedKey = AES.key + " ".repeat(maxKeyTextBytes - AES.key.length);
  for (const api of [cjs, esm]) {
    assert.equal(
      codeOf(() => api.aesDecrypt(at, AES.key)),
      "DECRYPTION_FAILED",
    );
    assert.equal(
      codeOf(() => api.aesDecrypt(`${at}A`, AES.key)),
      "INPUT_TOO_LARGE",
    );
    assert.equal(api.aesDecrypt(AES.ciphertext, paddedKey), AES.plain);
    assert.equal(
      codeOf(() => api.aesDecrypt(AES.ciphertext, `${paddedKey} `)),
      "INPUT_TOO_LARGE",
    );
  }
});

test("certificate text: certificates and root bundles padded to maxCertTextBytes read as before; one byte more is INPUT_TOO_LARGE (every certificate function)", () => {
  const { maxCertTextBytes } = cjs.limits();
  const cert = readFileSync(join(certDir, "alipayCertPublicKey_RSA2.php-sdk.crt"), "utf8");
  const bundle = readFileSync(join(certDir, "alipayRootCert.crt"), "utf8");
  const pad = (t) => t + "\n".repeat(maxCertTextBytes - t.length);
  const june2024 = 1717243200000;
  for (const api of [cjs, esm]) {
    assert.equal(api.getCertSN(pad(cert)), api.getCertSN(cert));
    assert.equal(api.getRootCertSN(pad(bundle)), api.getRootCertSN(bundle));
    assert.equal(api.verifyCertChain(pad(cert), pad(bundle), june2024), true);
    assert.equal(
      codeOf(() => api.getCertSN(`${pad(cert)}\n`)),
      "INPUT_TOO_LARGE",
    );
    assert.equal(
      codeOf(() => api.getRootCertSN(`${pad(bundle)}\n`)),
      "INPUT_TOO_LARGE",
    );
    assert.equal(
      codeOf(() => api.verifyCertChain(`${pad(cert)}\n`, bundle, june2024)),
      "INPUT_TOO_LARGE",
    );
    assert.equal(
      codeOf(() => api.verifyCertChain(cert, `${pad(bundle)}\n`, june2024)),
      "INPUT_TOO_LARGE",
    );
  }
  // alipayRootCert at its limit fits in the options (its line breaks escaped), and is checked
  // as before: here the chain holds, and the signature (not Alipay's) is what fails.
  const body = readFileSync(join(root, "tests/vectors/doc/order-notify-2020.txt"), "utf8");
  const expected = codeOf(() => cjs.verifyNotification(body, cert, { alipayRootCert: bundle, now: june2024 }));
  assert.notEqual(expected, "INPUT_TOO_LARGE");
  assert.equal(
    codeOf(() => cjs.verifyNotification(body, cert, { alipayRootCert: pad(bundle), now: june2024 })),
    expected,
  );
});

test("decoded params: a value or name one past its limit in an object, pairs or URLSearchParams is INPUT_TOO_LARGE for every function taking params; options over maxOptionsBytes too", () => {
  const { maxValueBytes, maxNameBytes, maxOptionsBytes } = cjs.limits();
  const { key } = signed();
  const value = "v".repeat(maxValueBytes + 1);
  const name = "n".repeat(maxNameBytes + 1);
  const shapes = (k, v) => [
    { a: "1", [k]: v },
    [
      ["a", "1"],
      [k, v],
    ],
    new URLSearchParams([
      ["a", "1"],
      [k, v],
    ]),
  ];
  for (const api of [cjs, esm]) {
    for (const params of [...shapes("b", value), ...shapes(name, "1")]) {
      assert.equal(
        codeOf(() => api.parseNotification(params)),
        "INPUT_TOO_LARGE",
      );
      assert.equal(
        codeOf(() => api.verifyNotification(params, key)),
        "INPUT_TOO_LARGE",
      );
      assert.equal(api.inspectNotification(params, key).outcome.error.code, "INPUT_TOO_LARGE");
      assert.equal(
        codeOf(() => api.rsaCheckV1(params, key)),
        "INPUT_TOO_LARGE",
      );
      assert.equal(
        codeOf(() => api.rsaCheckV2(params, key)),
        "INPUT_TOO_LARGE",
      );
      assert.equal(
        codeOf(() => api.getSignCheckContentV1(params)),
        "INPUT_TOO_LARGE",
      );
      assert.equal(
        codeOf(() => api.getSignCheckContentV2(params)),
        "INPUT_TOO_LARGE",
      );
    }
    // inspectNotification still shows the rest, and names the parameter verification refuses
    // (only its start was copied; a surrogate pair at the cut is kept whole).
    for (const v of [value, "😀".repeat(maxValueBytes)]) {
      const report = api.inspectNotification({ a: "1", b: v }, key);
      assert.equal(report.outcome.error.code, "INPUT_TOO_LARGE");
      assert.deepEqual(
        report.params.map((p) => p.name),
        ["a", "b"],
      );
      assert.ok(
        report.problems.some((p) => p.code === "INPUT_TOO_LARGE" && p.param === "b"),
        JSON.stringify(report.problems),
      );
    }
    // At the limits they are read.
    assert.equal(api.parseNotification(new URLSearchParams([["b", value.slice(1)]])).params.b.length, maxValueBytes);
    assert.ok(name.slice(1) in api.parseNotification([[name.slice(1), "1"]]).params);
    // `{"appId":"…"}`: 12 characters around the value. At the limit the options are read.
    const at = { appId: "x".repeat(maxOptionsBytes - 12) };
    assert.equal(JSON.stringify(at).length, maxOptionsBytes);
    assert.equal(
      codeOf(() => api.verifyNotification(signed().body, key, at)),
      "APP_ID_MISMATCH",
    );
    const big = { appId: "x".repeat(maxOptionsBytes - 11) };
    assert.equal(
      codeOf(() => api.parseNotification("a=1", big)),
      "INPUT_TOO_LARGE",
    );
    assert.equal(
      codeOf(() => api.verifyNotification("a=1", key, big)),
      "INPUT_TOO_LARGE",
    );
    assert.equal(api.inspectNotification("a=1", key, big).outcome.error.code, "INPUT_TOO_LARGE");
    assert.equal(
      codeOf(() => api.rsaCheckV1({ a: "1" }, key, { charset: "x".repeat(maxOptionsBytes) })),
      "INPUT_TOO_LARGE",
    );
  }
});

// Run in a fresh process, so that memory earlier tests left in the module cannot absorb a copy.
const HUGE_SCRIPT = `
const api = require("alipay-notify");
const fs = require("node:fs");
const [resp, cert, bundle, key, body] = JSON.parse(process.argv[1]);
const N = 200_000_000;
const huge = "x".repeat(N);          // a rope: costs nothing until something copies it
const hugeBytes = new Uint8Array(N); // untouched pages: costs nothing until something copies it
const hugeEntries = { a: "1", b: huge };
const hugeUsp = new URLSearchParams([["a", "1"], ["b", huge]]);
const hugeUspName = new URLSearchParams([[huge, "1"]]);
// inspectNotification copies the start of an over-long value to report it: slicing a rope makes
// V8 flatten it (in JS memory, not wasm's), so it gets the flat string a request would carry.
const flat = Buffer.alloc(N, 0x78).toString("latin1");
const codeOf = (f) => { try { f(); return null; } catch (e) { return e.code ?? String(e); } };
const method = resp.method;
const calls = {
  "verifyResponse(string)": () => api.verifyResponse(huge, resp.key, { method }),
  "verifyResponse(Uint8Array)": () => api.verifyResponse(hugeBytes, resp.key, { method }),
  "verifyV3Response(body string)": () => api.verifyV3Response({ timestamp: "1", nonce: "n", body: huge, signature: "AAAA" }, resp.key),
  "verifyV3Response(body Uint8Array)": () => api.verifyV3Response({ timestamp: "1", nonce: "n", body: hugeBytes, signature: "AAAA" }, resp.key),
  "verifyV3Response(timestamp)": () => api.verifyV3Response({ timestamp: huge, nonce: "n", body: "{}", signature: "AAAA" }, resp.key),
  "verifyV3Response(nonce)": () => api.verifyV3Response({ timestamp: "1", nonce: huge, body: "{}", signature: "AAAA" }, resp.key),
  "verifyV3Response(signature)": () => api.verifyV3Response({ timestamp: "1", nonce: "n", body: "{}", signature: huge }, resp.key),
  "aesDecrypt(ciphertext)": () => api.aesDecrypt(huge, "aa4BtZ4tspm2wnXLb1ThQA=="),
  "aesDecrypt(key)": () => api.aesDecrypt("ILpoMowjIQjfYMR847rnFQ==", huge),
  "getCertSN": () => api.getCertSN(huge),
  "getRootCertSN": () => api.getRootCertSN(huge),
  "verifyCertChain(cert)": () => api.verifyCertChain(huge, bundle, 1717243200000),
  "verifyCertChain(bundle)": () => api.verifyCertChain(cert, huge, 1717243200000),
  "checkAlipayCertificate(cert)": () => api.checkAlipayCertificate(huge, bundle, 1717243200000),
  "checkAlipayCertificate(bundle)": () => api.checkAlipayCertificate(cert, huge, 1717243200000),
  "verifyNotification(object)": () => api.verifyNotification(hugeEntries, key),
  "verifyNotification(URLSearchParams)": () => api.verifyNotification(hugeUsp, key),
  "verifyNotification(pairs)": () => api.verifyNotification([["a", "1"], ["b", huge]], key),
  // (A huge name as an object key would be interned by V8 itself: pairs carry it instead.)
  "verifyNotification(pairs name)": () => api.verifyNotification([[huge, "1"]], key),
  "parseNotification(URLSearchParams name)": () => api.parseNotification(hugeUspName),
  "parseNotification(object)": () => api.parseNotification(hugeEntries),
  "inspectNotification(object)": () => { const r = api.inspectNotification({ a: "1", b: flat }, key); throw { code: r.outcome.error.code }; },
  "rsaCheckV1(object)": () => api.rsaCheckV1(hugeEntries, key),
  "rsaCertCheckV2(URLSearchParams)": () => api.rsaCertCheckV2(hugeUsp, cert),
  "getSignCheckContentV2(object)": () => api.getSignCheckContentV2(hugeEntries),
  "verifyNotification(body string)": () => api.verifyNotification(huge, key),
  "verifyNotification(key)": () => api.verifyNotification(body, huge),
};
global.gc?.();
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
const codes = {};
for (const [name, f] of Object.entries(calls)) codes[name] = codeOf(f);
const ms = performance.now() - t0;
const status = api.decodeOrderStatus(huge);
const growthMB = (process.memoryUsage().rss - rss0) / 1e6;
// Still working after all of it.
const after = {
  notification: api.verifyNotification(body, key).verified,
  response: api.verifyResponse(resp.body, resp.key, { method }).verified,
  aes: api.aesDecrypt("ILpoMowjIQjfYMR847rnFQ==", "aa4BtZ4tspm2wnXLb1ThQA=="),
  sn: api.getCertSN(cert),
};
console.log(JSON.stringify({ codes, status, growthMB, ms, after }));
`;

test("node, fresh process: 200-million-character strings and 200 MB byte arrays to every function are INPUT_TOO_LARGE before any copy (RSS grows < 50 MB), and the module keeps working", () => {
  const resp = realResponse();
  const cert = readFileSync(join(certDir, "alipayCertPublicKey_RSA2.php-sdk.crt"), "utf8");
  const bundle = readFileSync(join(certDir, "alipayRootCert.crt"), "utf8");
  const { body, key } = signed();
  const out = JSON.parse(
    execFileSync(process.execPath, ["-e", HUGE_SCRIPT, JSON.stringify([resp, cert, bundle, key, body])], {
      cwd: dir,
      encoding: "utf8",
    }),
  );
  for (const [name, code] of Object.entries(out.codes)) assert.equal(code, "INPUT_TOO_LARGE", name);
  assert.equal(Object.keys(out.codes).length, 27);
  assert.equal(out.status, null, "decodeOrderStatus of a huge string is an unknown code");
  assert.ok(out.growthMB < 50, `RSS grew ${out.growthMB.toFixed(1)} MB: something was copied`);
  assert.deepEqual(out.after, { notification: true, response: true, aes: AES.plain, sn: cjs.getCertSN(cert) });
});

/** A bare base64 PKCS#1 RSAPublicKey whose modulus has exactly `bits` bits (odd), e = 65537. */
function pkcs1KeyOfBits(bits) {
  const len = Math.ceil(bits / 8);
  const n = new Uint8Array(len).fill(0xa5);
  const top = bits - (len - 1) * 8;
  n[0] = (1 << (top - 1)) | (0xa5 & ((1 << (top - 1)) - 1));
  n[len - 1] |= 1;
  const derLen = (k) => (k < 0x80 ? [k] : k < 0x100 ? [0x81, k] : [0x82, k >> 8, k & 0xff]);
  const int = (bytes) => {
    const b = bytes[0] & 0x80 ? [0, ...bytes] : [...bytes];
    return [0x02, ...derLen(b.length), ...b];
  };
  const body = [...int(n), ...int([1, 0, 1])];
  return Buffer.from([0x30, ...derLen(body.length), ...body]).toString("base64");
}

test("key size: 1024- and 4096-bit keys verify; 1023 and 4097 bits are INVALID_PUBLIC_KEY", () => {
  for (const id of ["order-rsa2-1024-bit-key", "auth-gbk-rsa2-4096-bit-key-pkcs1"]) {
    const v = notificationVectors().find((x) => x.id === id);
    assert.equal(cjs.verifyNotification(v.body, v.key, v.options).verified, true, id);
  }
  const { body } = signed();
  for (const bits of [1024, 4096]) {
    // A key of an accepted size loads; this 2048-bit signature then does not fit it.
    assert.equal(
      codeOf(() => cjs.verifyNotification(body, pkcs1KeyOfBits(bits))),
      "MALFORMED_SIGNATURE",
      `${bits}`,
    );
  }
  for (const bits of [1023, 4097, 512, 8192]) {
    assert.equal(
      codeOf(() => cjs.verifyNotification(body, pkcs1KeyOfBits(bits))),
      "INVALID_PUBLIC_KEY",
      `${bits}`,
    );
    assert.equal(
      codeOf(() => cjs.rsaCheckV1({ a: "1" }, pkcs1KeyOfBits(bits))),
      "INVALID_PUBLIC_KEY",
      `${bits}`,
    );
  }
});

// ─── threats ─────────────────────────────────────────────────────────────────────────────

test("double decoding: values are decoded once — `%41`, `%25` and `+` that were signed verify as sent, decoding twice does not", () => {
  const key = publicKeyPem();
  const params = { ...notificationParams(KINDS[0], 900), title: "100%41 + 5%25 off", name: "a+b%2Bc" };
  const body = signNotification(params, { variant: "v2" });
  const n = cjs.verifyNotification(body, key);
  assert.equal(n.verified, true);
  assert.equal(n.params.title, "100%41 + 5%25 off");
  assert.equal(n.params.name, "a+b%2Bc");
  // A gateway that decodes twice hands over other values: they were not signed.
  const twice = Object.fromEntries(
    Object.entries(n.params).map(([k, v]) => [k, k === "sign" ? v : decodeURIComponent(v.replace(/\+/g, " "))]),
  );
  assert.equal(twice.title, "100A   5% off");
  assert.equal(
    codeOf(() => cjs.verifyNotification(twice, key)),
    "SIGNATURE_MISMATCH",
  );
  assert.equal(cjs.rsaCheckV2(twice, key), false);
  assert.equal(cjs.rsaCheckV2(n.params, key), true);
});

test("key from configuration only: a notification carrying its own key or certificate is checked against the caller's key, and no key is INVALID_PUBLIC_KEY", () => {
  const key = publicKeyPem();
  const attackerPublic = publicKeyPem("app-rsa2048");
  const params = {
    ...notificationParams(KINDS[1], 901),
    alipay_public_key: attackerPublic,
    public_key: attackerPublic,
    alipay_cert_sn: "0123456789abcdef",
    cert: attackerPublic,
  };
  const forged = signNotification(params, { key: privateKey("app-rsa2048") });
  // Verifies only with the key it names (the attacker's), which the caller never passes.
  assert.equal(cjs.verifyNotification(forged, attackerPublic).verified, true);
  assert.equal(
    codeOf(() => cjs.verifyNotification(forged, key)),
    "SIGNATURE_MISMATCH",
  );
  for (const missing of [undefined, null, "", "   "]) {
    assert.equal(
      codeOf(() => cjs.verifyNotification(forged, missing)),
      "INVALID_PUBLIC_KEY",
      String(missing),
    );
    assert.equal(
      codeOf(() => cjs.rsaCheckV1(cjs.parseNotification(forged).params, missing)),
      "INVALID_PUBLIC_KEY",
    );
  }
  const report = cjs.inspectNotification(forged, key);
  assert.equal(report.outcome.status, "failed");
  assert.equal(report.outcome.error.code, "SIGNATURE_MISMATCH");
});

// ─── workerd: the same inside one Worker isolate ──────────────────────────────────────────

const WORKER = `
import * as api from "alipay-notify";
import { runHostile, runVectors } from "./vectors.mjs";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const vectors = await request.json();
    if (url.pathname === "/hostile") {
      const before = runVectors(api, vectors);
      const n = Number(url.searchParams.get("n"));
      const hostile = runHostile(api, n, env.KEY);
      const after = runVectors(api, vectors);
      return Response.json({ before, hostile, after });
    }
    return Response.json({ after: runVectors(api, vectors) });
  },
};
`;

test(`workerd: ${HOSTILE.toLocaleString("en")} hostile inputs through one isolate end in coded errors; valid notifications still verify`, async () => {
  const wdir = join(dir, "worker");
  mkdirSync(wdir);
  cpSync(join(dir, "node_modules"), join(wdir, "node_modules"), { recursive: true });
  cpSync(join(jsDir, "lib", "vectors.mjs"), join(wdir, "vectors.mjs"));
  writeFileSync(join(wdir, "index.js"), WORKER);
  writeFileSync(
    join(wdir, "wrangler.toml"),
    'name = "robustness"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n',
  );
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG: "warn", NO_COLOR: "1" };
  await run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], { cwd: wdir, env, maxBuffer: 1 << 24 });
  const bundle = readFileSync(join(wdir, "dist", "index.js"), "utf8");
  assert.match(bundle, /alipay-notify\/index\.workerd\.mjs/, "resolved through the workerd entry");
  assert.equal(readdirSync(join(wdir, "dist")).filter((f) => f.endsWith(".wasm")).length, 1);

  mf = new Miniflare({
    modules: true,
    scriptPath: join(wdir, "dist", "index.js"),
    modulesRoot: join(wdir, "dist"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
    bindings: { KEY: testAlipayKey() },
  });
  const vectors = JSON.stringify(validVectors());
  const res = await mf.dispatchFetch(`http://robustness.test/hostile?n=${HOSTILE}`, { method: "POST", body: vectors });
  assert.equal(res.status, 200);
  const out = /** @type {any} */ (await res.json());
  assert.deepEqual(out.before.mismatches, []);
  assert.equal(out.hostile.calls, HOSTILE * 6);
  assert.deepEqual(out.hostile.bad, [], "every hostile input ends in a coded error or a result");
  assert.deepEqual(out.after.mismatches, []);
  assert.ok(out.after.count >= 90);
  // A later request in the same isolate: still sound.
  const again = /** @type {any} */ (
    await (await mf.dispatchFetch("http://robustness.test/verify", { method: "POST", body: vectors })).json()
  );
  assert.deepEqual(again.after.mismatches, []);
  assert.equal(again.after.count, out.after.count);
});
