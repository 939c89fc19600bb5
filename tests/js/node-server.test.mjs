// The Node example (examples/node/server.mjs) on 127.0.0.1, copied into a project of its own with
// `alipay-notify` installed from the packed tarball as its dependency (as a user who copies it
// has it, lib/node-example.mjs): node:http, Express (express.raw) and the runnable
// `node server.mjs`; what it logs. The order lifecycle it drives is tested in
// node-lifecycle.test.mjs; the example run from the checkout itself in checkout.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import http from "node:http";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import express from "express";
import {
  availableDrivers,
  expectedDriver,
  importExample,
  prepareNodeExample,
  readWithPython,
} from "./lib/node-example.mjs";
import { notificationVectors, reframingSources, testAlipayKey } from "./lib/load.mjs";
import { keyFile } from "./lib/mock-alipay.mjs";
import {
  APP_ID,
  KINDS,
  documentedVariant,
  notificationParams,
  privateKey,
  signNotification,
  signedBatch,
} from "./lib/sign.mjs";

const run = promisify(execFile);
let exampleDir;
const dbDir = mkdtempSync(join(tmpdir(), "alipay-node-server-db-"));
const quiet = { error() {}, warn() {}, log() {} };

let example; // the module under test
/** The SQLite drivers of the example that load on this Node; `node server.mjs` runs on each. */
const drivers = await availableDrivers();
let MAX;
const servers = [];

before(async () => {
  exampleDir = prepareNodeExample();
  example = await importExample(exampleDir);
  MAX = example.MAX_BODY_BYTES;
});

after(() => {
  for (const s of servers) s.close();
  rmSync(exampleDir, { recursive: true, force: true });
  rmSync(dbDir, { recursive: true, force: true });
});

// ─── helpers ──────────────────────────────────────────────────────────────────────────────

/** A gateway on 127.0.0.1 with the example's app; `fail` holds notify_ids whose handling throws. */
async function startGateway(options = {}) {
  const app = example.createExampleApp({ logger: quiet });
  const handled = [];
  const fail = new Set();
  const slow = new Set();
  const handler = example.createHandler({
    alipayPublicKey: testAlipayKey(),
    logger: quiet,
    ...options,
    handle: async (n, ctx) => {
      assert.equal(n.verified, true);
      assert.ok(ctx.req instanceof http.IncomingMessage);
      if (slow.has(n.notifyId)) await new Promise((r) => setTimeout(r, 100));
      if (fail.has(n.notifyId)) throw new Error("handler failed (test)");
      await app.handle(n);
      handled.push(n.notifyId);
    },
  });
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise((r) => server.listen(0, "127.0.0.1", () => r(undefined)));
  const base = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;
  return { app, handled, fail, slow, base, server };
}

async function send(base, body, { path = "/", method = "POST", headers = {} } = {}) {
  const res = await fetch(base + path, { method, body, headers });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

function assertRejected(r, status, code, what) {
  assert.equal(r.status, status, `${what}: status (body ${r.text})`);
  assert.notEqual(r.text, "success", what);
  assert.deepEqual(JSON.parse(r.text), { code }, what);
}

async function pool(items, width, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

const count = (list, id) => list.filter((x) => x === id).length;
const signed = (kind, i, opts = {}, signOpts = {}) =>
  signNotification(notificationParams(kind, i, opts), { variant: documentedVariant(kind), ...signOpts });

// ─── tests ────────────────────────────────────────────────────────────────────────────────

test("the example imports alipay-notify from its own node_modules (the packed tarball)", async () => {
  const { stdout } = await run(
    process.execPath,
    ["--input-type=module", "-e", 'console.log(import.meta.resolve("alipay-notify"))'],
    { cwd: exampleDir },
  );
  assert.equal(stdout.trim(), pathToFileURL(join(exampleDir, "node_modules/alipay-notify/index.node.mjs")).href);
  assert.equal(MAX, 131072);
});

test("signed samples of all four kinds, UTF-8 and GBK → 200 `success`, handled and stored", async () => {
  const g = await startGateway();
  const key = testAlipayKey().trim();
  const vectors = notificationVectors().filter(
    (v) =>
      v.expect.verified &&
      v.signType === "RSA2" &&
      v.bodyType === "form" &&
      Object.keys(v.options).length === 0 &&
      v.key.trim() === key,
  );
  const covered = new Set(vectors.map((v) => `${v.kind}/${v.charset}`));
  for (const kind of KINDS)
    for (const cs of ["UTF-8", "GBK"]) assert.ok(covered.has(`${kind}/${cs}`), `no vector for ${kind} ${cs}`);
  for (const v of vectors) {
    const r = await send(g.base, v.body, { headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    assert.equal(r.status, 200, `${v.id}: ${r.text}`);
    assert.equal(r.text, "success", v.id);
  }
  for (const [k, kind] of KINDS.entries()) {
    for (const [c, charset] of ["UTF-8", "GBK"].entries()) {
      const i = 100 + k * 2 + c;
      const r = await send(g.base, Buffer.from(signed(kind, i, { charset })));
      assert.equal(r.text, "success", `${kind} ${charset}`);
      assert.equal(count(g.handled, notificationParams(kind, i, { charset }).notify_id), 1);
    }
  }
  const gbkOrder = g.app.orders.get(notificationParams(KINDS[0], 101).commodity_order_id);
  assert.equal(gbkOrder.order.name, "成都锦江区老码头火锅", "GBK bytes survived to the handler");
  assert.equal(gbkOrder.state.status, "MERCHANT_ORDED");
  assert.equal(
    g.app.orders.get(JSON.parse(notificationParams(KINDS[1], 102).biz_content).order_no).state.status,
    "ISV_ACCEPTED",
  );
  // Authorizations are kept per merchant PID (detail.user_id), the latest one.
  const merchant = JSON.parse(notificationParams(KINDS[3], 107).biz_content).detail.user_id;
  assert.match(g.app.authTokens.get(merchant).appAuthToken, /token授权$/);
});

test("query-string notifications; the Content-Type is not trusted", async () => {
  const g = await startGateway();
  for (const id of ["order-body-query", "order-gbk-body-query"]) {
    const q = notificationVectors().find((v) => v.id === id);
    assert.equal((await send(g.base, undefined, { path: `/${q.body}` })).text, "success", id);
  }
  for (const [i, type] of [
    [120, "application/json"],
    [121, "text/plain"],
    [122, "multipart/form-data; boundary=x"],
    [123, null],
  ]) {
    const r = await send(g.base, Buffer.from(signed(KINDS[1], i)), { headers: type ? { "Content-Type": type } : {} });
    assert.equal(r.text, "success", String(type));
  }
  assert.equal(g.handled.length, 6);
});

test("tampered, wrong-key, duplicate-parameter and malformed → 400 + code, never handled", async () => {
  const g = await startGateway({ appId: APP_ID });
  const good = signed(KINDS[0], 130);
  const id = notificationParams(KINDS[0], 130).notify_id;
  const cases = [
    ["tampered total_price", good.replace("total_price=0.01", "total_price=0.02"), "SIGNATURE_MISMATCH"],
    [
      "wrong key (the app's own key)",
      signed(KINDS[0], 130, {}, { key: privateKey("app-rsa2048") }),
      "SIGNATURE_MISMATCH",
    ],
    ["duplicate notify_id", `${good}&notify_id=${id}`, "DUPLICATE_PARAMETER"],
    ["duplicate sign", `${good}&sign=AAAA`, "DUPLICATE_PARAMETER"],
    [
      "another app",
      signNotification({ ...notificationParams(KINDS[3], 131), app_id: "2021000000000001" }),
      "APP_ID_MISMATCH",
    ],
    ["bad escape", "a=%zz", "MALFORMED_FORM"],
    ["not a notification", "hello=world", "MISSING_PARAMETER"],
    ["empty POST", "", "MISSING_PARAMETER"],
  ];
  for (const vid of [
    "mismatch-tampered-gbk-title",
    "mismatch-tampered-biz-content",
    "duplicate-after-decoding",
    "charset-utf8-declared-gbk-bytes",
  ]) {
    const v = notificationVectors().find((x) => x.id === vid);
    cases.push([vid, v.body, v.expect.error]);
  }
  for (const [what, body, code] of cases) assertRejected(await send(g.base, body), 400, code, what);
  assert.deepEqual(g.handled, []);
  assert.equal(g.app.orders.size, 0);
  assert.equal((await send(g.base, good)).text, "success", "the untampered original");
});

test("GET → 405, other paths → 404, `path` is honoured", async () => {
  const g = await startGateway({ path: "/alipay/notify" });
  for (const method of ["GET", "PUT", "DELETE"]) {
    const r = await send(g.base, method === "GET" ? undefined : "a=1", { method, path: "/alipay/notify" });
    assertRejected(r, 405, "METHOD_NOT_ALLOWED", method);
    assert.equal(r.headers.get("allow"), "POST");
  }
  assertRejected(await send(g.base, signed(KINDS[2], 140)), 404, "NOT_FOUND", "root");
  assert.equal((await send(g.base, signed(KINDS[2], 140), { path: "/alipay/notify?x=1" })).text, "success");
});

test("bodies over limits().maxBodyBytes → 413, by Content-Length and by the bytes actually read", async () => {
  const g = await startGateway();
  const filler = (n) => {
    const s = `a=${"x".repeat(60000)}&b=${"y".repeat(60000)}&c=`;
    return s + "z".repeat(n - s.length);
  };
  assertRejected(await send(g.base, filler(MAX + 1)), 413, "INPUT_TOO_LARGE", "body over the limit");
  assertRejected(await send(g.base, filler(MAX)), 400, "MISSING_PARAMETER", "exactly the limit is read");
  // A declared length over the limit is refused before a byte of the body is read.
  const declared = await new Promise((resolve, reject) => {
    const req = http.request(
      `${g.base}/`,
      { method: "POST", headers: { "Content-Length": String(MAX * 10) } },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on("error", reject);
    req.flushHeaders();
  });
  assertRejected(declared, 413, "INPUT_TOO_LARGE", "declared length");
  // No Content-Length (chunked): the bytes are counted as they arrive.
  let sent = 0;
  const chunk = new Uint8Array(16384).fill(0x61);
  const stream = new ReadableStream({
    pull(c) {
      if (sent > MAX) return c.close();
      const n = Math.min(chunk.byteLength, MAX + 1 - sent);
      sent += n;
      c.enqueue(chunk.subarray(0, n));
    },
  });
  const res = await fetch(`${g.base}/`, /** @type {RequestInit} */ ({ method: "POST", body: stream, duplex: "half" }));
  assertRejected({ status: res.status, text: await res.text() }, 413, "INPUT_TOO_LARGE", "chunked");
  assert.deepEqual(g.handled, []);
});

test("a replayed notify_id → `success`, handled once; concurrent duplicates are handled exactly once", async () => {
  const g = await startGateway();
  const body = signed(KINDS[1], 160);
  const id = notificationParams(KINDS[1], 160).notify_id;
  for (let k = 0; k < 3; k++) assert.equal((await send(g.base, body)).text, "success");
  assert.equal(count(g.handled, id), 1);
  // Two deliveries at once: one handles, the other gets `success` (already done) or 503 (busy).
  for (let i = 161; i < 166; i++) {
    const p = notificationParams(KINDS[1], i);
    g.slow.add(p.notify_id);
    const b = signNotification(p);
    const both = await Promise.all([send(g.base, b), send(g.base, b)]);
    for (const r of both) {
      if (r.text !== "success") assertRejected(r, 503, "IN_PROGRESS", "concurrent duplicate");
    }
    assert.ok(both.some((r) => r.text === "success"));
    assert.equal((await send(g.base, b)).text, "success", "Alipay's retry of the 503");
    assert.equal(count(g.handled, p.notify_id), 1, `handled once: ${p.notify_id}`);
  }
});

test("a throwing handler → 500; the notify_id stays open and Alipay's retry is handled once", async () => {
  const g = await startGateway();
  const p = notificationParams(KINDS[0], 170);
  const body = signNotification(p, { variant: "v2" });
  g.fail.add(p.notify_id);
  assertRejected(await send(g.base, body), 500, "HANDLER_FAILED", "first delivery");
  assertRejected(await send(g.base, body), 500, "HANDLER_FAILED", "second delivery");
  assert.equal(g.app.orders.has(p.commodity_order_id), false);
  g.fail.delete(p.notify_id);
  assert.equal((await send(g.base, body)).text, "success");
  assert.equal((await send(g.base, body)).text, "success");
  assert.equal(count(g.handled, p.notify_id), 1);
  assert.equal(g.app.orders.get(p.commodity_order_id).lastNotification.notifyId, p.notify_id);
});

test("configuration: a bad key refuses to start; bad options and a broken store answer 5xx", async () => {
  assert.throws(() => example.createHandler({ alipayPublicKey: "", handle() {} }), /alipayPublicKey/);
  assert.throws(() => example.createHandler({ alipayPublicKey: "MIIBIjAN", handle() {} }), /INVALID_PUBLIC_KEY/);
  assert.throws(() => example.createHandler({ alipayPublicKey: testAlipayKey() }), /handle/);
  const badOptions = await startGateway({ verifyOptions: { bogus: 1 } });
  assertRejected(await send(badOptions.base, signed(KINDS[0], 180)), 500, "INVALID_OPTIONS", "bad options");
  const broken = {
    begin: async () => {
      throw new Error("store down");
    },
    finish() {},
    abort() {},
  };
  const g = await startGateway({ store: broken });
  assertRejected(await send(g.base, signed(KINDS[0], 181)), 500, "STORE_UNAVAILABLE", "store down");
  assert.deepEqual(g.handled, []);
});

test("a pluggable async store: begin/finish/abort are awaited", async () => {
  const calls = [];
  const inner = new example.MemoryStore();
  const store = {
    begin: async (id) => {
      calls.push(["begin", id]);
      return inner.begin(id);
    },
    finish: async (id) => {
      calls.push(["finish", id]);
      return inner.finish(id);
    },
    abort: async (id) => {
      calls.push(["abort", id]);
      return inner.abort(id);
    },
  };
  const g = await startGateway({ store });
  const p = notificationParams(KINDS[2], 190);
  g.fail.add(p.notify_id);
  const body = signNotification(p);
  assert.equal((await send(g.base, body)).status, 500);
  g.fail.delete(p.notify_id);
  assert.equal((await send(g.base, body)).text, "success");
  assert.equal((await send(g.base, body)).text, "success");
  // Two keys per notification: notify_id, then the fingerprint (SHA-256 of the signature bytes).
  const id = p.notify_id;
  const sig =
    "sig:" +
    createHash("sha256")
      .update(Buffer.from(new URLSearchParams(body).get("sign"), "base64"))
      .digest("hex");
  assert.deepEqual(calls, [
    ["begin", id],
    ["begin", sig],
    ["abort", id],
    ["abort", sig],
    ["begin", id],
    ["begin", sig],
    ["finish", id],
    ["finish", sig],
    ["begin", id],
  ]);
  assert.equal(inner.size, 2);
});

test("Express: express.raw({ type: '*/*' }) works (GBK too); a parsed body is refused with 500, never `success`", async () => {
  const app = example.createExampleApp({ logger: quiet });
  const handled = [];
  const handler = example.createHandler({
    alipayPublicKey: testAlipayKey(),
    path: null,
    logger: quiet,
    handle: async (n) => {
      await app.handle(n);
      handled.push(n.notifyId);
    },
  });
  const web = express();
  web.post("/alipay/notify", express.raw({ type: "*/*", limit: MAX }), handler);
  web.post("/wrong", express.urlencoded({ extended: false, type: "*/*" }), handler);
  web.use(
    "/mounted",
    express.raw({ type: "*/*", limit: MAX }),
    example.createHandler({
      alipayPublicKey: testAlipayKey(),
      logger: quiet,
      handle: async (n) => handled.push(n.notifyId),
    }),
  );
  const server = web.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;
  const gbk = signed(KINDS[0], 200, { charset: "GBK" });
  const r = await send(base, gbk, {
    path: "/alipay/notify",
    headers: { "Content-Type": "application/x-www-form-urlencoded; charset=GBK" },
  });
  assert.equal(r.text, "success");
  assert.equal(app.orders.get(notificationParams(KINDS[0], 200).commodity_order_id).order.title, "金牛店长");
  assertRejected(
    await send(base, signed(KINDS[0], 201), { path: "/wrong" }),
    500,
    "RAW_BODY_REQUIRED",
    "urlencoded ran first",
  );
  assertRejected(
    await send(base, gbk.replace("total_price=0.01", "total_price=1"), { path: "/alipay/notify" }),
    400,
    "SIGNATURE_MISMATCH",
    "tampered via Express",
  );
  // Mounted with app.use("/mounted", …): the default path "/" is relative to the mount.
  assert.equal((await send(base, signed(KINDS[2], 202), { path: "/mounted" })).text, "success", "mounted");
  assert.equal(
    (await send(base, signed(KINDS[2], 203), { path: "/mounted/other" })).status,
    404,
    "under the mount, not the gateway",
  );
  assert.equal(
    (await send(base, undefined, { path: "/alipay/notify", method: "GET" })).status,
    404,
    "Express answers the unrouted GET",
  );
  assert.deepEqual(handled, [
    notificationParams(KINDS[0], 200, { charset: "GBK" }).notify_id,
    notificationParams(KINDS[2], 202).notify_id,
  ]);
});

// Unset: the driver this Node picks by itself; then each driver forced by ALIPAY_SQLITE_DRIVER.
for (const driver of [undefined, ...drivers])
  test(`\`node server.mjs\` serves the gateway from the environment (SQLite: ${driver ?? "its own choice"})`, async () => {
    const missing = await run(process.execPath, [join(exampleDir, "server.mjs")], {
      env: { ...process.env, ALIPAY_PUBLIC_KEY: "" },
    }).catch((e) => e);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ALIPAY_PUBLIC_KEY/);
    const db = join(dbDir, `server-${driver?.replace(/\W/g, "") ?? "auto"}.db`);
    const child = spawn(process.execPath, [join(exampleDir, "server.mjs")], {
      env: {
        ...process.env,
        ALIPAY_PUBLIC_KEY: testAlipayKey(),
        ALIPAY_APP_ID: APP_ID,
        ALIPAY_DB: db,
        ALIPAY_SQLITE_DRIVER: driver ?? "",
        PORT: "0",
        HOST: "127.0.0.1",
        GATEWAY_PATH: "/notify",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    try {
      const base = await new Promise((resolve, reject) => {
        child.stdout.on("data", (d) => {
          out += d;
          const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\/notify/);
          if (m) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      assert.equal((await send(base, signed(KINDS[3], 210, { charset: "GBK" }), { path: "/notify" })).text, "success");
      assertRejected(await send(base, undefined, { path: "/notify", method: "GET" }), 405, "METHOD_NOT_ALLOWED", "GET");
      assertRejected(
        await send(base, signed(KINDS[3], 211).replace("update_auth", "cancel_auth"), { path: "/notify" }),
        400,
        "SIGNATURE_MISMATCH",
        "tampered",
      );
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    const started = out
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === "started");
    assert.deepEqual(
      [started.db, started.driver],
      [db, driver ?? expectedDriver()],
      "the start-up line names the driver",
    );
    const { deliveries } = readWithPython(db, {
      deliveries: "SELECT state, count(*) AS n FROM deliveries GROUP BY state",
    });
    assert.deepEqual(deliveries, [{ state: "done", n: 2 }], "its SQLite store is the file ALIPAY_DB names");
  });

test("`node server.mjs` with an unknown or unavailable ALIPAY_SQLITE_DRIVER says so at start-up and opens no database", async () => {
  const unavailable = ["node:sqlite", "better-sqlite3"].filter((d) => !drivers.includes(d));
  /** @type {Array<[string, RegExp]>} */
  const cases = [
    [
      "sqlite4",
      /^INVALID_CONFIGURATION: ALIPAY_SQLITE_DRIVER: unknown driver "sqlite4" \(node:sqlite or better-sqlite3\)/,
    ],
    ...unavailable.map(
      (d) =>
        /** @type {[string, RegExp]} */ ([
          d,
          new RegExp(`^STORE_UNAVAILABLE: ALIPAY_SQLITE_DRIVER: the SQLite driver ${d} .*${process.version}`),
        ]),
    ),
  ];
  for (const [i, [driver, why]] of cases.entries()) {
    const db = join(dbDir, `driver-${i}.db`);
    const r = await run(process.execPath, [join(exampleDir, "server.mjs")], {
      env: {
        ...process.env,
        ALIPAY_PUBLIC_KEY: testAlipayKey(),
        PORT: "0",
        ALIPAY_DB: db,
        ALIPAY_SQLITE_DRIVER: driver,
      },
    }).catch((e) => e);
    assert.equal(r.code, 1, driver);
    assert.match(r.stderr, why);
    assert.equal(existsSync(db), false, `${driver}: no database`);
  }
});

test("`node server.mjs` with a bad key says why at start-up, without the key's text, and opens no database", async () => {
  const appKey = keyFile("app-private-pkcs8.pem");
  const body = (pem) => pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  /** @type {Array<[Record<string, string>, RegExp]>} */
  const cases = [
    [
      { ALIPAY_PUBLIC_KEY: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuo5Hb" },
      /^INVALID_PUBLIC_KEY: ALIPAY_PUBLIC_KEY: invalid public key/,
    ],
    [
      { ALIPAY_APP_PRIVATE_KEY: `${appKey.slice(0, 300)}\n-----END PRIVATE KEY-----\n`, ALIPAY_APP_ID: APP_ID },
      /^INVALID_PRIVATE_KEY: .*invalid private key/,
    ],
    [{ ALIPAY_APP_PRIVATE_KEY: appKey, ALIPAY_APP_ID: "" }, /ALIPAY_APP_PRIVATE_KEY needs ALIPAY_APP_ID/],
  ];
  for (const [i, [env, why]] of cases.entries()) {
    const db = join(dbDir, `bad-${i}.db`);
    const r = await run(process.execPath, [join(exampleDir, "server.mjs")], {
      env: { ...process.env, ALIPAY_PUBLIC_KEY: testAlipayKey(), PORT: "0", ALIPAY_DB: db, ...env },
    }).catch((e) => e);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, why);
    for (const key of [env.ALIPAY_PUBLIC_KEY, env.ALIPAY_APP_PRIVATE_KEY, appKey].filter(Boolean)) {
      const text = body(key);
      for (let j = 0; j + 16 <= text.length; j += 16) assert.ok(!r.stderr.includes(text.slice(j, j + 16)), "key text");
    }
    assert.equal(existsSync(db), false, "no database for a gateway that did not start");
  }
});

test("a refused notification logs one JSON line: its code and the debugger's hint, never the body or the key", async () => {
  const lines = [];
  const logger = { log: (l) => lines.push(String(l)), error: (l) => lines.push(String(l)) };
  const g = await startGateway({ logger, appId: APP_ID });
  const params = notificationParams(KINDS[0], 220);
  const good = signNotification(params, { variant: "v2" });
  const cases = [
    ["tampered", good.replace("total_price=0.01", "total_price=0.02"), "SIGNATURE_MISMATCH", "CONTENT_CHANGED"],
    [
      "wrong key",
      signNotification(params, { variant: "v2", key: privateKey("app-rsa2048") }),
      "SIGNATURE_MISMATCH",
      "WRONG_KEY",
    ],
    [
      "another app",
      signNotification({ ...notificationParams(KINDS[3], 221), app_id: "2021000000000001" }),
      "APP_ID_MISMATCH",
      "APP_ID_MISMATCH",
    ],
  ];
  const key = testAlipayKey().replace(/\s+/g, "");
  for (const [what, body, code, problem] of cases) {
    lines.length = 0;
    assertRejected(await send(g.base, body), 400, code, what);
    assert.equal(lines.length, 1, `${what}: one line`);
    const entry = JSON.parse(lines[0]);
    assert.deepEqual([entry.level, entry.msg, entry.code, entry.problem], ["warn", "refused", code, problem], what);
    assert.equal(typeof entry.hint, "string");
    assert.ok(entry.hint.length > 20, `${what}: a hint`);
    // Nothing of the body: no value of its params (decoded or as sent), no signature; no key.
    for (const [k, v] of new URLSearchParams(body))
      if (v.length >= 6) assert.ok(!lines[0].includes(v), `${what}: the value of ${k} was logged`);
    for (const part of body.split("&")) {
      const v = part.slice(part.indexOf("=") + 1);
      if (v.length >= 6) assert.ok(!lines[0].includes(v), `${what}: ${part.slice(0, 20)}… was logged`);
    }
    for (let j = 0; j + 16 <= key.length; j += 16) assert.ok(!lines[0].includes(key.slice(j, j + 16)), "key text");
  }
  assert.deepEqual(g.handled, []);
});

test("load: 500 distinct notifications, 50 at a time: all `success`, each handled exactly once", async () => {
  const store = new example.MemoryStore();
  const g = await startGateway({ store });
  const batch = signedBatch(500, { start: 1000 });
  const t0 = performance.now();
  const results = await pool(batch, 50, (b) => send(g.base, b.body));
  const ms = performance.now() - t0;
  const bad = results.map((r, i) => [batch[i].i, r.status, r.text]).filter(([, s, t]) => s !== 200 || t !== "success");
  assert.deepEqual(bad, []);
  // From the store and the app's state: each once, nothing lost, nothing duplicated.
  assert.equal(store.size, 1000, "two keys per notification: notify_id and fingerprint");
  assert.equal(g.handled.length, 500);
  assert.deepEqual([...g.handled].sort(), batch.map((b) => b.notifyId).sort());
  for (const b of batch.filter((x) => x.orderKey && x.kind !== "open_app_auth_notify")) {
    assert.equal(g.app.orders.get(b.orderKey)?.lastNotification.notifyId, b.notifyId, `${b.kind} ${b.orderKey}`);
  }
  assert.equal(g.app.orders.size, 250, "125 orders notified, 125 others changed");
  // The batch's authorizations are all of one merchant (detail.user_id): the latest is in force.
  const auths = batch.filter((x) => x.kind === "open_app_auth_notify");
  assert.equal(g.app.authTokens.size, 1);
  assert.equal(g.app.authTokens.get("2088180415000000").notifyId, auths.at(-1).notifyId);
  // The whole batch again, concurrently: acknowledged, not handled again.
  const again = await pool(batch, 50, (b) => send(g.base, b.body));
  assert.ok(again.every((r) => r.text === "success"));
  assert.equal(g.handled.length, 500);
  console.log(
    `# node load: 500 notifications, 50 concurrent: ${ms.toFixed(0)} ms (${(500 / (ms / 1000)).toFixed(0)}/s)`,
  );
});

test("re-framing: one genuine notification, its spellings and all its re-framings over HTTP → handled exactly once", async () => {
  for (const src of reframingSources()) {
    const g = await startGateway({ alipayPublicKey: src.key, verifyOptions: src.options });
    const first = await send(g.base, src.same[0].body);
    assert.equal(first.text, "success", src.id);
    for (const c of src.same.slice(1))
      assert.equal((await send(g.base, c.body)).text, "success", `${src.id} / ${c.how}`);
    for (const c of src.reframed)
      assertRejected(await send(g.base, c.body), 400, "AMBIGUOUS_FRAMING", `${src.id} / ${c.how}`);
    assert.equal(g.handled.length, 1, `${src.id}: handled ${g.handled.length} times`);
    g.server.close();
  }
});
