// The OpenAPI client (`alipay-notify/client`) through the packed package, in Node ESM and CJS:
// byte-for-byte with alipay-sdk@4.14.0's captures (tests/vectors/openapi/requests.json, signed
// here through WebCrypto) under TZ=UTC and TZ=Asia/Shanghai; every private-key form; wrong keys
// by code; and the mock suite (lib/client-scenarios.mjs) against the mock Alipay
// (lib/mock-alipay.mjs), each outcome asserted by code and by how many requests reached Alipay.
// The package is unpacked into a project of its own (so this file runs beside package.test.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { installPacked, jsDir, root } from "./lib/scratch.mjs";
import { keyFile, startMockAlipay } from "./lib/mock-alipay.mjs";
import { buildScenarios, checkScenarioResults, mockHandler } from "./lib/client-scenarios.mjs";

const run = promisify(execFile);
const VECTORS = join(root, "tests/vectors/openapi/requests.json");
const KEYS = join(root, "tests/vectors/openapi/keys");
const SN = JSON.parse(keyFile("sn.json"));
const snOf = (file) => SN.certificates[file].sn;

let project;
const mocks = {};
let scenarios;

before(async () => {
  project = mkdtempSync(join(tmpdir(), "alipay-notify-client-"));
  installPacked(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "client-test", private: true, type: "commonjs" }),
  );
  scenarios = buildScenarios({
    forged: snOf("alipayCertPublicKey_RSA2-forged.crt"),
    app: snOf(`appCertPublicKey_2021000000000001.crt`),
  });
  // The certificates the mock serves for download: Alipay's (current, rotated, forged) and, as
  // a hostile case, the app certificate (it chains to the same root but is not Alipay's).
  const alipayCerts = {};
  for (const [file, c] of Object.entries(SN.certificates)) {
    if (file.startsWith("alipayCertPublicKey")) alipayCerts[c.sn] = keyFile(file);
  }
  // With its Class 1 R1 intermediate, as an app certificate file ships: it chains to the root.
  alipayCerts[snOf("appCertPublicKey_2021000000000001.crt")] =
    `${keyFile("appCertPublicKey_2021000000000001.crt").trim()}\n${keyFile("ca-class1-r1.crt")}`;
  for (const mode of ["key", "cert"]) mocks[mode] = await startMockAlipay({ mode, alipayCerts });
});

after(async () => {
  for (const m of Object.values(mocks)) await m.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

const load = {
  esm: `const client = await import("alipay-notify/client");`,
  cjs: `const client = require("alipay-notify/client");`,
};

/** Runs `body` (which sees `client`, `require`) in the project as ESM or CJS, asynchronously (the mock serves meanwhile). */
async function runIn(kind, body, env = {}) {
  const source = `${load[kind]}\n${body}`;
  const wrapped =
    kind === "esm"
      ? `import { createRequire } from "node:module"; const require = createRequire(import.meta.url); ${source}`
      : `(async () => { ${source} })().catch((e) => { console.error(e); process.exit(1); });`;
  const args = kind === "esm" ? ["--input-type=module", "-e", wrapped] : ["-e", wrapped];
  const { stdout } = await run(process.execPath, args, {
    cwd: project,
    encoding: "utf8",
    maxBuffer: 1 << 26,
    env: { ...process.env, ...env },
  });
  return JSON.parse(stdout);
}

// ─── byte-for-byte with alipay-sdk@4.14.0 ──────────────────────────────────────────────────

const vectorScript = `
const fs = require("node:fs");
const V = JSON.parse(fs.readFileSync(${JSON.stringify(VECTORS)}, "utf8"));
const key = (f) => fs.readFileSync(${JSON.stringify(KEYS)} + "/" + f, "utf8");
const SN = JSON.parse(key("sn.json"));
const privateKey = key("app-private-pkcs1.pem");
const out = { cases: [], zone: Intl.DateTimeFormat().resolvedOptions().timeZone };
for (const cs of V.cases) {
  for (const camel of [false, true]) {
    const cert = cs.mode === "cert";
    const config = { appId: V.config.appId, privateKey,
      ...(cert ? { appCert: key(V.config.certMode.appCertContent), alipayRootCert: key(V.config.certMode.alipayRootCertContent) } : {}),
      endpoint: "https://openapi.alipay.com", gateway: "https://openapi.alipay.com/gateway.do",
      now: () => cs.input.timestampMs, nonce: () => cs.input.nonce };
    const request = { method: cs.alipayMethod, params: camel ? cs.input.paramsCamel : cs.input.params, camelCase: camel,
      ...(cs.input.appAuthToken ? { appAuthToken: cs.input.appAuthToken } : {}) };
    const s = await (cs.protocol === "v3" ? client.signV3Request : client.signV2Request)(config, request);
    out.cases.push({ id: cs.id, camel, s });
  }
}
console.log(JSON.stringify(out));
`;

const captured = JSON.parse(readFileSync(VECTORS, "utf8"));
for (const kind of ["esm", "cjs"]) {
  for (const zone of ["UTC", "Asia/Shanghai"]) {
    test(`${kind}, TZ=${zone}: signV3Request / signV2Request reproduce all 76 alipay-sdk@4.14.0 requests byte for byte (wire and camelCase params)`, async () => {
      const out = await runIn(kind, vectorScript, { TZ: zone });
      assert.equal(out.zone, zone);
      assert.equal(out.cases.length, 152);
      const byId = new Map(captured.cases.map((c) => [c.id, c]));
      for (const { id, camel, s } of out.cases) {
        const cs = byId.get(id);
        const what = `${id}${camel ? " (camelCase)" : ""}`;
        assert.equal(s.stringToSign, cs.stringToSign, what);
        assert.equal(s.sign, cs.sign, what);
        assert.equal(s.httpMethod, cs.request.method, what);
        assert.equal(s.body, cs.request.body, what);
        if (cs.protocol === "v3") {
          assert.equal(s.target, cs.request.target, what);
          assert.equal(s.url, `https://openapi.alipay.com${cs.request.target}`, what);
          for (const h of [
            "authorization",
            "alipay-request-id",
            "alipay-app-auth-token",
            "alipay-root-cert-sn",
            "content-type",
            "accept",
          ]) {
            assert.equal(s.headers[h], cs.request.headers[h], `${what}: ${h}`);
          }
        } else {
          assert.equal(`/gateway.do${s.target}`, cs.request.target, what);
          // The decoded params, sign included, and the GMT+8 timestamp whatever TZ says.
          const params = Object.fromEntries([
            ...new URLSearchParams(s.target.slice(1)),
            ...new URLSearchParams(s.body),
          ]);
          assert.deepEqual(params, cs.request.params, what);
          assert.equal(params.timestamp, cs.input.v2Timestamp, what);
        }
      }
    });
  }

  test(`${kind}: every private-key form of the reference loads and signs identically; wrong keys fail by code without echoing the key`, async () => {
    const out = await runIn(
      kind,
      `
      const fs = require("node:fs");
      const key = (f) => fs.readFileSync(${JSON.stringify(KEYS)} + "/" + f, "utf8");
      const forms = ["app-private-pkcs1.pem", "app-private-pkcs1.txt", "app-private-pkcs1-wrapped.txt", "app-private-pkcs1-crlf.pem",
        "app-private-pkcs8.pem", "app-private-pkcs8.txt", "app-private-pkcs8-wrapped.txt", "app-private-pkcs8-crlf.pem"];
      const request = { method: "alipay.open.servicemarket.order.accept", params: { commodity_order_id: "1" }, timestamp: 1735747200123, nonce: "n-1" };
      const signs = {};
      for (const f of forms) signs[f] = (await client.signV3Request({ appId: "2021000000000001", privateKey: key(f) }, request)).sign;
      const escaped = key("app-private-pkcs1.pem").trim().replace(/\\n/g, "\\\\n");
      signs.escaped = (await client.signV3Request({ appId: "2021000000000001", privateKey: escaped }, request)).sign;
      const wrong = {};
      const texts = { appPublic: key("app-public.pem"), appPublicBare: key("app-public.txt"), appPublicPkcs1: key("app-public-pkcs1.pem"),
        alipayPublic: key("alipay-public.pem"), alipayPublicBare: key("alipay-public.txt"), alipayCert: key("alipayCertPublicKey_RSA2.crt"),
        garbage: "not a key", truncated: key("app-private-pkcs8.txt").slice(0, 300), empty: "", number: 42 };
      for (const [name, text] of Object.entries(texts)) {
        try { await client.signV3Request({ appId: "2021000000000001", privateKey: text }, request); wrong[name] = "ok"; }
        catch (e) { wrong[name] = { code: e.code, name: e.name, message: e.message, reason: e.reason ?? null }; }
      }
      // createClient refuses them at once, and an app public key configured as the Alipay key.
      const create = {};
      for (const [name, o] of Object.entries({
        alipayKeyAsPrivate: { privateKey: key("alipay-public.txt"), alipayPublicKey: key("alipay-public.txt") },
        ownPublicKeyAsAlipayKey: { privateKey: key("app-private-pkcs8.pem"), alipayPublicKey: key("app-public.txt") },
        noAlipayKey: { privateKey: key("app-private-pkcs8.pem") },
        unknownOption: { privateKey: key("app-private-pkcs8.pem"), alipayPublicKey: key("alipay-public.txt"), bogus: 1 },
        pathOnEndpoint: { privateKey: key("app-private-pkcs8.pem"), alipayPublicKey: key("alipay-public.txt"), endpoint: "https://openapi.alipay.com/gateway.do" },
        halfCertMode: { privateKey: key("app-private-pkcs8.pem"), appCert: key("appCertPublicKey_2021000000000001.crt") },
      })) {
        try { client.createClient({ appId: "2021000000000001", ...o }); create[name] = "ok"; } catch (e) { create[name] = e.code; }
      }
      console.log(JSON.stringify({ signs, wrong, create, texts }));`,
    );
    const values = Object.values(out.signs);
    assert.equal(values.length, 9);
    assert.ok(
      values.every((v) => v === values[0]),
      JSON.stringify(out.signs),
    );
    for (const [name, e] of Object.entries(out.wrong)) {
      assert.equal(e.code, name === "number" || name === "empty" ? "INVALID_PRIVATE_KEY" : "INVALID_PRIVATE_KEY", name);
      assert.equal(e.name, "AlipayNotifyError", name);
      const text = String(out.texts[name]);
      for (const line of text.split(/\r?\n/).filter((l) => l.length >= 16 && !l.startsWith("-----"))) {
        assert.ok(
          !e.message.includes(line.slice(0, 16)) && !String(e.reason).includes(line.slice(0, 16)),
          `${name} echoes the key`,
        );
      }
    }
    assert.match(out.wrong.alipayPublic.message, /public key/);
    assert.deepEqual(out.create, {
      alipayKeyAsPrivate: "INVALID_PRIVATE_KEY",
      ownPublicKeyAsAlipayKey: "INVALID_PUBLIC_KEY",
      noAlipayKey: "INVALID_PUBLIC_KEY",
      unknownOption: "INVALID_OPTIONS",
      pathOnEndpoint: "INVALID_OPTIONS",
      halfCertMode: "INVALID_OPTIONS",
    });
  });
}

// ─── the mock suite ─────────────────────────────────────────────────────────────────────────

/** Runs every scenario in `kind` and asserts each verdict by code and request count. */
async function mockSuite(kind) {
  for (const m of Object.values(mocks)) {
    m.reset();
    m.setHandler(mockHandler(scenarios));
  }
  const optionsByMode = { key: mocks.key.clientOptions, cert: mocks.cert.clientOptions };
  const file = join(project, `scenarios-${kind}.json`);
  writeFileSync(file, JSON.stringify({ optionsByMode, scenarios: scenarios.map(({ outcomes, expect, ...s }) => s) }));
  const results = await runIn(
    kind,
    `
    const { runScenarios } = await import(${JSON.stringify(join(jsDir, "lib/client-scenarios.mjs"))});
    const { optionsByMode, scenarios } = JSON.parse(require("node:fs").readFileSync(${JSON.stringify(file)}, "utf8"));
    console.log(JSON.stringify(await runScenarios(client, optionsByMode, scenarios)));`,
  );
  return checkScenarioResults(assert, results, {
    scenarios,
    mocks,
    rotatedSn: snOf("alipayCertPublicKey_RSA2-rotated.crt"),
  });
}

for (const kind of ["esm", "cjs"]) {
  test(`${kind}: the client against the mock Alipay — success, business/gateway errors, tampered, unsigned, wrong key/SN, rotation, HTML 502, empty, timeouts; only queries retried`, async () => {
    await mockSuite(kind);
  });
}

test("network errors are coded, and state-changing calls are not retried after one", async () => {
  const out = await runIn(
    "esm",
    `
    const fs = require("node:fs");
    const key = (f) => fs.readFileSync(${JSON.stringify(KEYS)} + "/" + f, "utf8");
    let calls = 0;
    const failing = async () => { calls++; throw new TypeError("fetch failed"); };
    const base = { appId: "2021000000000001", privateKey: key("app-private-pkcs8.pem"), alipayPublicKey: key("alipay-public.pem"), retryDelayMs: 1 };
    const c = client.createClient({ ...base, fetch: failing });
    const codes = [];
    for (const f of [() => c.orderQuery({ commodityOrderId: "1" }), () => c.orderAccept({ commodityOrderId: "1" })]) {
      calls = 0;
      try { await f(); codes.push(["ok", calls]); } catch (e) { codes.push([e.code, calls]); }
    }
    // A closed port: a real connection error.
    const closed = client.createClient({ ...base, endpoint: "http://127.0.0.1:9", retries: 0 });
    try { await closed.orderQuery({ commodityOrderId: "1" }); codes.push(["ok"]); } catch (e) { codes.push([e.code]); }
    // An answer declaring more than limits().maxResponseBytes is refused before it is read.
    let read = false;
    const huge = async () => ({ status: 200, headers: new Headers({ "content-length": String(9 * 1024 * 1024) }), arrayBuffer: async () => { read = true; return new ArrayBuffer(0); } });
    try { await client.createClient({ ...base, fetch: huge }).orderAccept({ commodityOrderId: "1" }); codes.push(["ok"]); } catch (e) { codes.push([e.code, read]); }
    console.log(JSON.stringify(codes));`,
  );
  assert.deepEqual(out, [["NETWORK_ERROR", 3], ["NETWORK_ERROR", 1], ["NETWORK_ERROR"], ["INPUT_TOO_LARGE", false]]);
});

test("the Node example acts on a new order with Alipay (order.query, then order.accept) when given a client", async () => {
  const { createExampleApp } = await import("../../examples/node/server.mjs");
  const { createClient } = await import("alipay-notify/client");
  mocks.key.reset();
  const quiet = { log() {}, error() {} };
  const app = createExampleApp({ client: createClient(mocks.key.clientOptions), logger: quiet });
  const orderId = "20250102000000000012345";
  const event = { type: "orderNotified", id: "n1", atMs: Date.now() - 1000, orderTimeMs: null };
  await app.handle({
    kind: "servicemarket_order_notify",
    commodityOrderId: orderId,
    notifyId: "n1",
    orderEvent: { orderId, event },
  });
  const record = app.orders.get(orderId);
  assert.deepEqual(
    record.calls.map((c) => [c.api, c.outcome]),
    [
      ["orderQuery", "OK"],
      ["orderAccept", "OK"],
    ],
  );
  assert.equal(record.state.status, "ISV_ACCEPTED");
  assert.deepEqual(
    mocks.key.requests.map((r) => [r.api, r.verified]),
    [
      ["orderQuery", true],
      ["orderAccept", true],
    ],
  );
});
