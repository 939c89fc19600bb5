// The npm package as users get it: the packed tarball installed into a scratch project,
// loaded through ESM `import` and CJS `require`, type-checked with `tsc --strict`, linted with
// publint and @arethetypeswrong/cli.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bin, prepareScratch, scratch, installed, jsDir, root } from "./lib/scratch.mjs";

let tarball;

before(() => {
  ({ tarball } = prepareScratch());
});

// Runs a script inside the scratch project (so `alipay-notify` resolves to the installed tarball).
function runIn(kind, source) {
  const args = kind === "esm" ? ["--input-type=module", "-e", source] : ["-e", source];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: scratch, encoding: "utf8", maxBuffer: 1 << 26 }));
}

const vectorsScript = (load) => `
${load}
const { allVectors, testAlipayKey } = await import(${JSON.stringify(join(jsDir, "lib/load.mjs"))});
const { runVectors, runHostile } = await import(${JSON.stringify(join(jsDir, "lib/vectors.mjs"))});
const vectors = allVectors();
const result = runVectors(api, vectors);
const hostile = runHostile(api, 1000, testAlipayKey());
const after = runVectors(api, vectors.filter((v) => v.expect.verified));
console.log(JSON.stringify({ result, hostile: { calls: hostile.calls, bad: hostile.bad }, after,
  ack: api.ACK, exportsList: Object.keys(api).sort() }));
`;

for (const kind of ["esm", "cjs"]) {
  test(`${kind}: every vector gives the expected verdict, variant and code; 1,000 hostile inputs do not poison the instance`, () => {
    const load =
      kind === "esm" ? `const api = await import("alipay-notify");` : `const api = require("alipay-notify");`;
    const src =
      kind === "esm"
        ? vectorsScript(load)
        : `(async () => { ${vectorsScript(load)} })().catch((e) => { console.error(e); process.exit(1); });`;
    const out = runIn(kind, src);
    assert.deepEqual(out.result.mismatches, []);
    assert.ok(out.result.count >= 90, `ran ${out.result.count} vectors`);
    for (const code of [
      "MALFORMED_FORM",
      "DUPLICATE_PARAMETER",
      "MISSING_PARAMETER",
      "UNSUPPORTED_SIGN_TYPE",
      "UNSUPPORTED_CHARSET",
      "CHARSET_MISMATCH",
      "INVALID_PUBLIC_KEY",
      "MALFORMED_SIGNATURE",
      "SIGNATURE_MISMATCH",
      "INVALID_BIZ_CONTENT",
      "APP_ID_MISMATCH",
      "NOTIFICATION_EXPIRED",
      "INPUT_TOO_LARGE",
      "INVALID_OPTIONS",
      "INVALID_ARGUMENT",
    ]) {
      assert.ok(out.result.codes.includes(code), `no vector produced ${code} through the JS API`);
    }
    assert.ok(out.hostile.calls >= 6000);
    assert.deepEqual(out.hostile.bad, [], "every hostile input must end in a coded error or a result");
    assert.deepEqual(out.after.mismatches, []);
    assert.ok(out.after.count > 50);
    assert.equal(out.ack, "success");
    for (const name of [
      "parseNotification",
      "verifyNotification",
      "inspectNotification",
      "rsaCheckV1",
      "rsaCheckV2",
      "getSignCheckContentV1",
      "getSignCheckContentV2",
      "decodeOrderStatus",
      "ACK",
      "init",
      "default",
    ]) {
      assert.ok(out.exportsList.includes(name), `missing export ${name}`);
    }
  });
}

test("esm and cjs throw the same coded errors with context", () => {
  const script = (load) => `${load}
    const out = [];
    const tryIt = (f) => { try { f(); out.push(null); } catch (e) { out.push({ name: e.name, code: e.code, isError: e instanceof Error,
      parameter: e.parameter ?? null, expected: e.expected ?? null, actual: e.actual ?? null, message: e.message }); } };
    tryIt(() => api.verifyNotification("a=1&a=2", "x"));
    tryIt(() => api.verifyNotification("a=1&a=2&sign=x&sign_type=RSA2", ${JSON.stringify(readFileSync(join(jsDir, "../vectors/doc/alipay-public-key.txt"), "utf8"))}));
    tryIt(() => api.parseNotification("a=%zz"));
    tryIt(() => api.parseNotification(new URLSearchParams("a=1&a=2")));
    tryIt(() => api.verifyNotification({ sign: "x" }, undefined));
    tryIt(() => api.parseNotification("a=1", { emptyValues: "drop" }));
    tryIt(() => api.parseNotification("a=1", { now: new Date(0), maxAgeSeconds: 5 }));
    tryIt(() => api.rsaCheckV1({ a: "1" }, "not a key"));
    tryIt(() => api.getSignCheckContentV1(5));
    console.log(JSON.stringify(out));`;
  const esm = runIn("esm", script(`const api = await import("alipay-notify");`));
  const cjs = runIn("cjs", script(`const api = require("alipay-notify");`));
  assert.deepEqual(esm, cjs);
  assert.deepEqual(
    esm.map((e) => (e ? e.code : null)),
    [
      "INVALID_PUBLIC_KEY",
      "DUPLICATE_PARAMETER",
      "MALFORMED_FORM",
      "DUPLICATE_PARAMETER",
      "INVALID_PUBLIC_KEY",
      "INVALID_OPTIONS",
      null,
      "INVALID_PUBLIC_KEY",
      "INVALID_ARGUMENT",
    ],
  );
  for (const e of esm.filter(Boolean)) {
    assert.equal(e.name, "AlipayNotifyError");
    assert.equal(e.isError, true);
  }
  assert.equal(esm[1].parameter, "a");
});

test("plain objects, URLSearchParams, Uint8Array and strings verify alike; rsaCheck and sign content agree with Java semantics", () => {
  const out = runIn(
    "esm",
    `
    const api = await import("alipay-notify");
    const { readFileSync } = await import("node:fs");
    const key = readFileSync(${JSON.stringify(join(jsDir, "../vectors/doc/alipay-public-key.txt"))}, "utf8");
    const body = readFileSync(${JSON.stringify(join(jsDir, "../vectors/doc/order-notify-2020.txt"))}, "utf8").trim();
    const usp = new URLSearchParams(body);
    const obj = Object.fromEntries(usp);
    const forms = [body, "?" + body, "https://isv.example.com/gateway?" + body, new TextEncoder().encode(body), usp, obj, [...usp]];
    const verdicts = forms.map((f) => { const n = api.verifyNotification(f, key); return [n.verified, n.variant, n.commodityOrderId]; });
    const v1 = api.getSignCheckContentV1(obj);
    const v2 = api.getSignCheckContentV2(obj);
    console.log(JSON.stringify({ verdicts, rsa1: api.rsaCheckV1(obj, key), rsa2: api.rsaCheckV2(obj, key),
      rsa1Sha1: api.rsaCheckV1(obj, key, { signType: "RSA" }), v1, v2,
      status: api.decodeOrderStatus("MERCHANT_CHECKING"), unknown: api.decodeOrderStatus("NOPE") }));`,
  );
  for (const v of out.verdicts) assert.deepEqual(v, [true, "v1", "202003250000000005945192"]);
  assert.equal(out.rsa1, true);
  assert.equal(out.rsa2, false);
  assert.equal(out.rsa1Sha1, false);
  assert.match(out.v1, /&isv_ticket=&/);
  assert.doesNotMatch(out.v1, /sign_type=/);
  assert.match(out.v2, /&sign_type=RSA2&/);
  assert.equal(out.status.zh, "实施待确认");
  assert.equal(out.status.rule.days, 7);
  assert.equal(out.unknown, null);
});

test("bad option values and body types are refused with a code, never silently defaulted or emptied", () => {
  const out = runIn(
    "esm",
    `
    const api = await import("alipay-notify");
    const { readFileSync } = await import("node:fs");
    const key = readFileSync(${JSON.stringify(join(jsDir, "../vectors/doc/alipay-public-key.txt"))}, "utf8");
    const body = readFileSync(${JSON.stringify(join(jsDir, "../vectors/doc/order-notify-2020.txt"))}, "utf8").trim();
    const code = (f) => { try { f(); return "ok"; } catch (e) { return e.code ?? String(e); } };
    const fd = new FormData();
    for (const [k, v] of new URLSearchParams(body)) fd.append(k, v);
    console.log(JSON.stringify({
      nan: code(() => api.verifyNotification(body, key, { maxAgeSeconds: NaN })),
      inf: code(() => api.verifyNotification(body, key, { now: Infinity, maxAgeSeconds: 5 })),
      map: code(() => api.verifyNotification(body, key, new Map([["variant", "v2"]]))),
      mapBody: api.verifyNotification(new Map(new URLSearchParams(body)), key).verified,
      formData: api.verifyNotification(fd, key).verified,
      headersContent: api.getSignCheckContentV1(new Headers([["b", "2"], ["a", "1"]])),
      surrogate: code(() => api.parseNotification({ a: "x\\uD800y" })),
      hugeKey: api.inspectNotification("a=1", "k".repeat(5_000_000)).outcome.error.code,
      hugeBody: code(() => api.verifyNotification("a".repeat(5_000_000), key)),
      after: api.verifyNotification(body, key).verified,
    }));`,
  );
  assert.deepEqual(out, {
    nan: "INVALID_OPTIONS",
    inf: "INVALID_OPTIONS",
    map: "INVALID_OPTIONS",
    mapBody: true,
    formData: true,
    headersContent: "a=1&b=2",
    surrogate: "INVALID_ARGUMENT",
    hugeKey: "INPUT_TOO_LARGE",
    hugeBody: "INPUT_TOO_LARGE",
    after: true,
  });
});

test("types: a strict TypeScript consumer compiles (ESM and CJS resolution), and misuse does not", () => {
  cpSync(join(jsDir, "types"), join(scratch, "types"), { recursive: true });
  execFileSync(bin("tsc"), ["-p", join(scratch, "types/tsconfig.json")], { cwd: scratch, stdio: "inherit" });
  // The declarations must not use `any` in public signatures.
  const dts = readFileSync(join(installed, "index.d.ts"), "utf8");
  assert.doesNotMatch(dts, /\bany\b/);
});

test("the tarball ships both licenses, identical to the repository's", () => {
  for (const file of ["LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.equal(readFileSync(join(installed, file), "utf8"), readFileSync(join(root, file), "utf8"), file);
  }
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  assert.equal(manifest.license, "MIT OR Apache-2.0");
  for (const field of ["repository", "homepage", "bugs"]) {
    assert.doesNotMatch(JSON.stringify(manifest[field] ?? ""), /example\.invalid/, field);
  }
});

test("publint and arethetypeswrong report no problems", () => {
  const pub = execFileSync(bin("publint"), ["run", installed, "--strict"], { encoding: "utf8" });
  assert.doesNotMatch(pub, /(error|warning|suggestion)/i, pub);
  // The .wasm subpaths are files for bundlers (an asset URL), not modules: attw has nothing to resolve there.
  const attw = execFileSync(
    bin("attw"),
    [
      tarball,
      "--format",
      "table-flipped",
      "--exclude-entrypoints",
      "./sandbox",
      "./alipay_notify_bg.wasm",
      "./client_bg.wasm",
    ],
    { encoding: "utf8" },
  );
  assert.match(attw, /No problems found/, attw);
  // The sandbox is Node only (no browser or bundler condition, by design): Node's CJS and ESM
  // resolutions must be clean; a bundler finding nothing is the only problem allowed.
  let sandbox;
  try {
    sandbox = execFileSync(bin("attw"), [tarball, "--entrypoints", "./sandbox", "--format", "json"], {
      encoding: "utf8",
    });
  } catch (e) {
    sandbox = e.stdout; // attw exits 1 when it reports any problem
  }
  assert.deepEqual(JSON.parse(sandbox).analysis.problems, [
    { kind: "NoResolution", entrypoint: "./sandbox", resolutionKind: "bundler" },
  ]);
});

test("the wasm files are reachable through the exports map for bundlers: each is the browser build it names", () => {
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  const files = Object.entries(manifest.exports).filter(([k, v]) => typeof v === "string" && k !== "./package.json");
  assert.deepEqual(Object.fromEntries(files), {
    "./alipay_notify_bg.wasm": "./dist/web/alipay_notify_bg.wasm",
    "./client_bg.wasm": "./dist/client-web/alipay_notify_bg.wasm",
  });
  // Real modules: the verify-only one, and the client's, which has more exports (the signing core).
  for (const [subpath, file] of files) assert.ok(WebAssembly.validate(readFileSync(join(installed, file))), subpath);
  const exportNames = (f) =>
    WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(installed, f)))).map((e) => e.name);
  const verifyOnly = exportNames(files[0][1]);
  const withClient = exportNames(files[1][1]);
  assert.ok(withClient.length > verifyOnly.length, "the client's wasm has more exports");
  const web = readFileSync(join(installed, "dist/web/alipay_notify.js"), "utf8");
  assert.match(web, /new URL\('alipay_notify_bg\.wasm', import\.meta\.url\)/, "the default: fetched beside the glue");
});

test("the bin: `alipay-notify` is linked by npm install, runs, and its sandbox entry loads in ESM and CJS", () => {
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  assert.deepEqual(manifest.bin, { "alipay-notify": "bin/alipay-notify.mjs" });
  const script = readFileSync(join(installed, manifest.bin["alipay-notify"]), "utf8");
  assert.match(script, /^#!\/usr\/bin\/env node\n/);
  const help = execFileSync(join(scratch, "node_modules/.bin/alipay-notify"), ["--help"], { encoding: "utf8" });
  assert.match(help, /alipay-notify sandbox --gateway URL/);
  const esm = runIn(
    "esm",
    `const m = await import("alipay-notify/sandbox"); console.log(JSON.stringify(Object.keys(m)));`,
  );
  const cjs = runIn("cjs", `console.log(JSON.stringify(Object.keys(require("alipay-notify/sandbox"))));`);
  assert.deepEqual(esm, ["startSandbox"]);
  assert.deepEqual(cjs, ["startSandbox"]);
});
