// The OpenAPI client (`alipay-notify/client`) inside workerd: a Worker that imports the packed
// package (resolved through its `workerd` condition) and lib/client-scenarios.mjs, bundled by
// wrangler as `wrangler deploy` would, run in Miniflare, calling the mock Alipay (Node, on
// 127.0.0.1) over the network with WebCrypto signatures — the same scenarios and assertions as
// the Node suite (openapi-client.test.mjs), plus the 76 alipay-sdk captures byte for byte.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";
import { bin, installPacked, jsDir, packedTarball, root } from "./lib/scratch.mjs";
import { keyFile, startMockAlipay } from "./lib/mock-alipay.mjs";
import { buildScenarios, checkScenarioResults, mockHandler } from "./lib/client-scenarios.mjs";

const run = promisify(execFile);
const SN = JSON.parse(keyFile("sn.json"));
const snOf = (file) => SN.certificates[file].sn;

let dir;
let mf;
const mocks = {};
let scenarios;

const ENTRY = `
import * as client from "alipay-notify/client";
import { runScenarios } from "./client-scenarios.mjs";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const input = await request.json();
    if (url.pathname === "/scenarios") return Response.json(await runScenarios(client, input.optionsByMode, input.scenarios));
    if (url.pathname === "/sign") {
      const out = [];
      for (const c of input.cases) {
        const fn = c.protocol === "v3" ? client.signV3Request : client.signV2Request;
        out.push(await fn({ ...input.config, ...c.config, now: () => c.timestamp, nonce: () => c.nonce }, c.request));
      }
      return Response.json(out);
    }
    return new Response("not found", { status: 404 });
  },
};
`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "alipay-client-worker-"));
  installPacked(dir, packedTarball());
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "index.js"), ENTRY);
  for (const f of ["client-scenarios.mjs", "openapi-apis.mjs"]) cpSync(join(jsDir, "lib", f), join(dir, "src", f));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "client-worker", private: true, type: "module" }));
  writeFileSync(
    join(dir, "wrangler.toml"),
    'name = "client-worker"\nmain = "src/index.js"\ncompatibility_date = "2026-04-01"\n',
  );
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG: "warn", NO_COLOR: "1" };
  await run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], { cwd: dir, env, maxBuffer: 1 << 24 });

  scenarios = buildScenarios({
    forged: snOf("alipayCertPublicKey_RSA2-forged.crt"),
    app: snOf("appCertPublicKey_2021000000000001.crt"),
  });
  const alipayCerts = {};
  for (const [file, c] of Object.entries(SN.certificates))
    if (file.startsWith("alipayCertPublicKey")) alipayCerts[c.sn] = keyFile(file);
  alipayCerts[snOf("appCertPublicKey_2021000000000001.crt")] =
    `${keyFile("appCertPublicKey_2021000000000001.crt").trim()}\n${keyFile("ca-class1-r1.crt")}`;
  for (const mode of ["key", "cert"]) {
    mocks[mode] = await startMockAlipay({ mode, alipayCerts });
    mocks[mode].setHandler(mockHandler(scenarios));
  }
  mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, "dist", "index.js"),
    modulesRoot: join(dir, "dist"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
  });
  await mf.ready;
});

after(async () => {
  await mf?.dispose();
  for (const m of Object.values(mocks)) await m.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function post(path, body) {
  const res = await mf.dispatchFetch(`http://worker.test${path}`, { method: "POST", body: JSON.stringify(body) });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text);
}

test("bundle: wrangler resolved alipay-notify/client through its workerd entry and bundled the client's module", () => {
  const files = readdirSync(join(dir, "dist"));
  assert.ok(
    files.some((f) => f.endsWith(".wasm")),
    files.join(", "),
  );
  const js = readFileSync(join(dir, "dist", "index.js"), "utf8");
  assert.match(js, /openapiPrepare/);
});

test("workerd: signV3Request / signV2Request (WebCrypto) reproduce all 76 alipay-sdk@4.14.0 requests byte for byte", async () => {
  const captured = JSON.parse(readFileSync(join(root, "tests/vectors/openapi/requests.json"), "utf8"));
  const key = (f) => keyFile(f);
  const cases = captured.cases.map((cs) => ({
    protocol: cs.protocol,
    timestamp: cs.input.timestampMs,
    nonce: cs.input.nonce,
    config:
      cs.mode === "cert"
        ? {
            appCert: key(captured.config.certMode.appCertContent),
            alipayRootCert: key(captured.config.certMode.alipayRootCertContent),
          }
        : {},
    request: {
      method: cs.alipayMethod,
      params: cs.input.paramsCamel,
      camelCase: true,
      ...(cs.input.appAuthToken ? { appAuthToken: cs.input.appAuthToken } : {}),
    },
  }));
  const out = await post("/sign", {
    config: { appId: captured.config.appId, privateKey: key("app-private-pkcs1.txt") },
    cases,
  });
  assert.equal(out.length, 76);
  for (const [i, cs] of captured.cases.entries()) {
    const s = out[i];
    assert.equal(s.sign, cs.sign, cs.id);
    assert.equal(s.body, cs.request.body, cs.id);
    assert.equal(cs.protocol === "v3" ? s.target : `/gateway.do${s.target}`, cs.request.target, cs.id);
    if (cs.protocol === "v3") assert.equal(s.headers.authorization, cs.request.headers.authorization, cs.id);
  }
});

test("workerd: the client against the mock Alipay over 127.0.0.1 — every scenario by code and request count", async () => {
  const optionsByMode = { key: mocks.key.clientOptions, cert: mocks.cert.clientOptions };
  const results = await post("/scenarios", {
    optionsByMode,
    scenarios: scenarios.map(({ outcomes, expect, ...s }) => s),
  });
  checkScenarioResults(assert, results, { scenarios, mocks, rotatedSn: snOf("alipayCertPublicKey_RSA2-rotated.crt") });
});
