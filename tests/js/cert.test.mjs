// Certificate mode (公钥证书模式), synchronous responses and AES through the npm package as users
// get it: the packed tarball unpacked into a project of its own (so this file can run beside
// package.test.mjs, which rebuilds tests/js/.scratch), loaded through ESM `import` and CJS
// `require`. The vectors run through lib/cert-vectors.mjs, the runner workerd and Chromium use too.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installPacked, jsDir, root } from "./lib/scratch.mjs";
import { certData } from "./lib/cert-data.mjs";
import { CERT_CODES } from "./lib/cert-vectors.mjs";

let project;
let installed;
let dataFile;
let data;

before(() => {
  project = mkdtempSync(join(tmpdir(), "alipay-notify-cert-"));
  installed = installPacked(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "cert-test", private: true, type: "commonjs" }));
  // armour.json: the PEM-armour bypass and the identity check (lib/cert-armour.mjs).
  data = { ...certData(), armour: JSON.parse(readFileSync(join(root, "tests/vectors/cert/armour.json"), "utf8")) };
  dataFile = join(project, "cert-data.json");
  writeFileSync(dataFile, JSON.stringify(data));
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

const load = { esm: `const api = await import("alipay-notify");`, cjs: `const api = require("alipay-notify");` };

/** Runs `body` (which sees `api` and `data`) in the project, as ESM or CJS; returns its JSON output. */
function runIn(kind, body) {
  const source = `${load[kind]}
    const data = JSON.parse(require("node:fs").readFileSync(${JSON.stringify(dataFile)}, "utf8"));
    ${body}`;
  const wrapped =
    kind === "esm"
      ? `import { createRequire } from "node:module"; const require = createRequire(import.meta.url); ${source}`
      : `(async () => { ${source} })().catch((e) => { console.error(e); process.exit(1); });`;
  const args = kind === "esm" ? ["--input-type=module", "-e", wrapped] : ["-e", wrapped];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: project, encoding: "utf8", maxBuffer: 1 << 26 }));
}

const runner = `const { runCertVectors } = await import(${JSON.stringify(join(jsDir, "lib/cert-vectors.mjs"))});`;

const results = {};
for (const kind of ["esm", "cjs"]) {
  test(`${kind}: every certificate-mode vector (real and generated) gives the exact value or code`, () => {
    const out = runIn(kind, `${runner} console.log(JSON.stringify(runCertVectors(api, data)));`);
    results[kind] = out;
    assert.deepEqual(out.mismatches, []);
    assert.ok(out.count >= 500, `only ${out.count} checks`);
    for (const code of CERT_CODES) assert.ok(out.codes.includes(code), `no vector produced ${code}`);
    // Every generated vector ran (83), and all 12 real certificates.
    const g = data.generated;
    const generated = ["sn", "root_sn", "chain", "key", "response", "v3_response", "aes"].reduce(
      (n, s) => n + g[s].length,
      0,
    );
    assert.equal(generated, 83);
    assert.equal(out.sections["generated-sn"], 2 * g.sn.length);
    assert.ok(out.sections["generated-chain"] >= g.chain.length);
    assert.ok(out.sections["generated-response"] >= g.response.length);
    assert.ok(out.sections["generated-aes"] >= g.aes.length);
    assert.ok(out.sections["real-sn"] >= 24);
  });
}

const armourRunner = `const { runArmourVectors } = await import(${JSON.stringify(join(jsDir, "lib/cert-armour.mjs"))});`;

for (const kind of ["esm", "cjs"]) {
  test(`${kind}: a look-alike PEM block before Alipay's genuine certificate is refused by every entry point (INVALID_CERTIFICATE / INVALID_PUBLIC_KEY), never skipped`, () => {
    const out = runIn(kind, `${armourRunner} console.log(JSON.stringify(runArmourVectors(api, data.armour)));`);
    assert.deepEqual(out.mismatches, []);
    const a = data.armour;
    assert.equal(
      out.count,
      a.cases.reduce((n, c) => n + Object.keys(c.expected).length, 0) +
        3 * a.identity.length -
        a.identity.filter((c) => c.expected === "OK").length,
    );
    assert.ok(a.cases.length >= 19 && a.identity.length >= 10);
    // Every variant the issue lists is among the cases, and each is refused by all seven operations.
    for (const id of ["trailing-space", "tab", "cr", "double-space", "lowercase", "wrong-end-label"]) {
      const c = a.cases.find((x) => x.id === `armour-${id}`);
      assert.ok(c, id);
      assert.ok(
        Object.values(c.expected).every((code) => code === "INVALID_CERTIFICATE" || code === "INVALID_PUBLIC_KEY"),
        id,
      );
    }
    // The refusal shows the offending armour line (the stray space), as the certificate's or the key's error.
    assert.deepEqual(
      out.reasons.map((r) => (r ? r.code : null)),
      ["INVALID_CERTIFICATE", "INVALID_PUBLIC_KEY"],
    );
    for (const r of out.reasons) assert.ok(r.reason.includes("`-----BEGIN CERTIFICATE -----`"), r.reason);
  });
}

test("checkAlipayCertificate: Alipay's real certificate passes; a real application certificate under the same root chains but is CERT_NOT_ALIPAY", () => {
  const script = `
    const pem = (i) => data.certSn.vectors[i].pem;
    const june2024 = 1717243200000;
    // alipay-sdk-python's sandbox file carries the production "Class 1 R1" intermediate, which issued
    // alipay-sdk-php-all's production application certificate.
    const class1 = pem(9).split("-----END CERTIFICATE-----")[1] + "-----END CERTIFICATE-----";
    const appCert = pem(10) + "\\n" + class1.trim() + "\\n";
    const out = [];
    const tryIt = (f) => { try { out.push({ value: f() }); } catch (e) { out.push({ code: e.code, name: e.name, reason: e.reason ?? null }); } };
    tryIt(() => api.checkAlipayCertificate(pem(11), pem(2), june2024));
    tryIt(() => api.checkAlipayCertificate(pem(11), pem(2), new Date(june2024)));
    tryIt(() => api.verifyCertChain(appCert, pem(2), june2024));
    tryIt(() => api.checkAlipayCertificate(appCert, pem(2), june2024));
    tryIt(() => api.checkAlipayCertificate(pem(11), pem(2), 2000000000000));
    tryIt(() => api.checkAlipayCertificate(pem(11), pem(2), "soon"));
    tryIt(() => api.checkAlipayCertificate(42, pem(2), june2024));
    console.log(JSON.stringify(out));`;
  const esm = runIn("esm", script);
  assert.deepEqual(runIn("cjs", script), esm);
  assert.deepEqual(
    esm.map((r) => r.code ?? r.value),
    [true, true, true, "CERT_NOT_ALIPAY", "CERT_EXPIRED", "INVALID_ARGUMENT", "INVALID_ARGUMENT"],
  );
  assert.equal(esm[3].name, "AlipayNotifyError");
  assert.match(esm[3].reason, /Class 1 R1/);
});

test("esm and cjs agree check for check", () => {
  assert.ok(results.esm && results.cjs, "both runs above must have completed");
  assert.deepEqual(results.esm, results.cjs);
});

test("CERT_SN_MISMATCH names both SNs; CERT_UNTRUSTED / CERT_EXPIRED carry a reason; the same in ESM and CJS", () => {
  const script = `
    const fx = data.fixture;
    const out = [];
    const tryIt = (f) => { try { f(); out.push(null); } catch (e) { out.push({ name: e.name, isError: e instanceof Error, code: e.code,
      expected: e.expected ?? null, actual: e.actual ?? null, hasReason: typeof e.reason === "string" && e.reason.length > 0,
      message: e.message }); } };
    const june2024 = 1717243200000;
    tryIt(() => api.verifyNotification(fx.signedOtherSn, fx.leafPem));
    tryIt(() => api.verifyNotification(fx.signed, fx.leafPem, { alipayRootCert: data.certSn.vectors[2].pem, now: june2024 }));
    tryIt(() => api.verifyNotification(fx.signed, fx.leafPem, { alipayRootCert: fx.rootPem, now: new Date("2050-01-01") }));
    tryIt(() => api.verifyNotification(fx.signed, fx.leafPem, { alipayRootCert: fx.rootPem, now: june2024 }));
    tryIt(() => api.getCertSN("-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----"));
    console.log(JSON.stringify(out));`;
  const esm = runIn("esm", script);
  const cjs = runIn("cjs", script);
  assert.deepEqual(esm, cjs);
  assert.deepEqual(
    esm.map((e) => (e ? e.code : null)),
    ["CERT_SN_MISMATCH", "CERT_UNTRUSTED", "CERT_EXPIRED", null, "INVALID_CERTIFICATE"],
  );
  for (const e of esm.filter(Boolean)) {
    assert.equal(e.name, "AlipayNotifyError");
    assert.equal(e.isError, true);
  }
  assert.equal(esm[0].expected, data.fixture.leafSn);
  assert.equal(esm[0].actual, data.fixture.otherSn);
  assert.match(esm[0].message, new RegExp(data.fixture.otherSn));
  for (const i of [1, 2, 4]) assert.equal(esm[i].hasReason, true, esm[i].code);
});

test("types: every certificate-mode function is exported by every entry and declared for ESM and CJS", () => {
  const names = [
    "rsaCertCheckV1",
    "rsaCertCheckV2",
    "getCertSN",
    "getRootCertSN",
    "verifyCertChain",
    "checkAlipayCertificate",
    "verifyResponse",
    "verifyV3Response",
    "aesDecrypt",
  ];
  const exported = runIn(
    "esm",
    `
    const cjs = require("alipay-notify");
    const browser = await import(${JSON.stringify(join(installed, "index.browser.mjs"))});
    console.log(JSON.stringify({ esm: Object.keys(api), cjs: Object.keys(cjs), browser: Object.keys(browser) }));`,
  );
  // The workerd entry re-exports the shared synchronous-entry exports.
  assert.match(readFileSync(join(installed, "index.workerd.mjs"), "utf8"), /export \* from "\.\/dist\/exports\.mjs";/);
  exported.workerd = readFileSync(join(installed, "dist/exports.mjs"), "utf8");
  for (const name of names) {
    for (const entry of ["esm", "cjs", "browser"])
      assert.ok(exported[entry].includes(name), `${entry} does not export ${name}`);
    assert.match(exported.workerd, new RegExp(`\\b${name},`), `workerd does not export ${name}`);
    for (const dts of ["index.d.ts", "dist/index.d.cts"]) {
      assert.match(
        readFileSync(join(installed, dts), "utf8"),
        new RegExp(`export declare function ${name}\\(`),
        `${dts}: ${name}`,
      );
    }
  }
  for (const dts of ["index.d.ts", "dist/index.d.cts"]) {
    const text = readFileSync(join(installed, dts), "utf8");
    for (const code of CERT_CODES) assert.match(text, new RegExp(`\\| "${code}"`), `${dts}: ${code}`);
    assert.match(text, /alipayRootCert\?: string;/, dts);
  }
});

test("README: the error-code table lists every code errorCodes() returns, and certificate mode is documented", () => {
  const codes = runIn("esm", `console.log(JSON.stringify(api.errorCodes()));`);
  for (const code of CERT_CODES) assert.ok(codes.includes(code), `errorCodes() lacks ${code}`);
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("### Error codes"), readme.indexOf("### Limits"));
  for (const code of codes) assert.match(table, new RegExp(`^\\| \`${code}\` \\|`, "m"), `README table lacks ${code}`);
  const section = readme.slice(readme.indexOf("## Certificate mode"));
  assert.ok(
    readme.indexOf("## Certificate mode") > readme.indexOf("## Security notes"),
    "certificate mode comes after the security notes",
  );
  for (const word of [
    "alipayCertPublicKey_RSA2.crt",
    "alipayRootCert.crt",
    "appCertPublicKey_",
    "getCertSN",
    "getRootCertSN",
    "verifyCertChain",
    "alipayRootCert",
    "rsaCertCheckV1",
    "verifyResponse",
    "verifyV3Response",
    "aesDecrypt",
    "CERT_SN_MISMATCH",
    "checkAlipayCertificate",
    "CERT_NOT_ALIPAY",
    "Class 2 R1",
    "Class 1 R1",
  ]) {
    assert.ok(section.includes(word), `the certificate-mode section does not mention ${word}`);
  }
  // The SNs the README quotes are the ones the package computes.
  for (const sn of section.match(/\b[0-9a-f]{32}(?:_[0-9a-f]{32})*\b/g) ?? []) {
    assert.ok(
      data.certSn.vectors.some((v) => v.sn_alipay_sdk_4_14_getSN === sn),
      `README quotes an SN no vector has: ${sn}`,
    );
  }
});
