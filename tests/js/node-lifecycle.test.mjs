// The Node example as a gateway that drives the order lifecycle (examples/node: store.mjs,
// orders.mjs), over HTTP on 127.0.0.1, copied into a project of its own with `alipay-notify`
// installed from the packed tarball (lib/node-example.mjs):
// - the SQLite store on each driver that loads on the running Node (node:sqlite on Node 22.13+,
//   better-sqlite3 where it is compiled for this Node: Node 20 here), which it picks by itself,
//   and its transactions (all or nothing);
// - 500 notifications of 50 orders — duplicated, out of order, 50 at a time — on SQLite (two
//   gateways, one of them `node server.mjs`, sharing one database file, read back with Python's
//   sqlite3, neither driver) and in memory: every order ends in the state its newest event
//   implies and every notification is applied exactly once;
// - what it calls: the mock Alipay (lib/mock-alipay.mjs, which verifies every request with
//   node:crypto) answering from an order book (lib/order-book.mjs): accept, reject by item code
//   (`REJECT_ITEM_CODES`, through `node server.mjs`), items completed after the authorization,
//   business refusals (v3 and v2), a network failure and a timeout retried by the redelivery, the
//   service stopped after a cancel during implementation.
// Notifications are signed by lib/sign.mjs (node:crypto), never by the code under test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testAlipayKey } from "./lib/load.mjs";
import { keyFile, startMockAlipay } from "./lib/mock-alipay.mjs";
import {
  availableDrivers,
  expectedDriver,
  importExample,
  isSqliteWarning,
  prepareNodeExample,
  readWithPython,
} from "./lib/node-example.mjs";
import { createOrderBook } from "./lib/order-book.mjs";
import {
  authNotification,
  changeNotification,
  merchantPid,
  nowSecond,
  orderNotification,
} from "./lib/order-notifications.mjs";
import { APP_ID, privateKey } from "./lib/sign.mjs";

let dir; // the example's project
let tmp; // databases
let example; // server.mjs
let config; // config.mjs
/** The SQLite drivers of the example that load on this Node: every SQLite test runs on each. */
const drivers = await availableDrivers();
const cleanup = [];

before(async () => {
  dir = prepareNodeExample("alipay-node-lifecycle-");
  tmp = mkdtempSync(join(tmpdir(), "alipay-node-db-"));
  example = await importExample(dir);
  config = await importExample(dir, "config.mjs");
});

after(async () => {
  for (const f of cleanup.reverse()) await f();
  rmSync(dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

// ─── helpers ──────────────────────────────────────────────────────────────────────────────

/** Parses JSON log lines; anything else the gateway printed is kept as `{ text }`. */
function parseLines(text) {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return { text: l };
      }
    });
}

/** A logger that keeps every line (each must be one JSON object). */
function capture() {
  const raw = [];
  const push = (line) => raw.push(String(line));
  return {
    logger: { log: push, error: push },
    raw,
    get lines() {
      return parseLines(raw.join("\n"));
    },
  };
}

let dbCount = 0;
const dbPath = (name) => join(tmp, `${name}-${++dbCount}.db`);

/** The example's whole gateway in this process, on 127.0.0.1. */
async function startGateway({ store, client = null, rejectItemCodes = [] }) {
  const log = capture();
  const { handler, app } = example.createGateway({
    alipayPublicKey: testAlipayKey(),
    appId: APP_ID,
    store,
    client,
    rejectItemCodes,
    logger: log.logger,
  });
  const server = http.createServer(handler);
  await new Promise((r) => server.listen(0, "127.0.0.1", () => r(undefined)));
  cleanup.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    store.close();
  });
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return { app, store, log, base: `http://127.0.0.1:${port}` };
}

/** `node server.mjs` of the copied example, configured by `env`. */
async function startChild(env) {
  const child = spawn(process.execPath, [join(dir, "server.mjs")], {
    cwd: tmp,
    env: {
      ...process.env,
      ALIPAY_PUBLIC_KEY: testAlipayKey(),
      ALIPAY_APP_ID: APP_ID,
      PORT: "0",
      HOST: "127.0.0.1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => {
    err += d;
  });
  const exited = once(child, "exit");
  const base = await new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`node server.mjs exited (${code}): ${err}`)));
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    child.kill("SIGTERM");
    await exited;
  };
  cleanup.push(stop);
  return { base, stop, lines: () => parseLines(`${out}\n${err}`) };
}

/** Alipay's delivery: POST, and again (like Alipay's retry) while the gateway answers 503 IN_PROGRESS. */
async function deliver(base, body) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${base}/`, { method: "POST", body });
    const r = { status: res.status, text: await res.text() };
    if (r.status !== 503 || attempt > 100) return r;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `fn` over `items`, `width` at a time. */
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

const OK = { status: 200, text: "success" };
const orderNo = (k) => `20261201${String(k).padStart(14, "0")}`;

/** A small deterministic PRNG (mulberry32): the same shuffles every run. */
function prng(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ─── the SQLite drivers ────────────────────────────────────────────────────────────────────

test("the SQLite store picks its driver by the Node version; an unknown or unavailable one is refused with a code", async () => {
  assert.ok(drivers.includes(expectedDriver()), `${expectedDriver()} loads on Node ${process.version}`);
  if (expectedDriver() === "better-sqlite3") assert.ok(!drivers.includes("node:sqlite"), "node:sqlite is not built in");
  const auto = await example.SqliteStore.open(":memory:");
  try {
    assert.equal(auto.driver, expectedDriver());
  } finally {
    auto.close();
  }
  await assert.rejects(example.SqliteStore.open(dbPath("unknown"), { driver: "sqlite4" }), {
    name: "DriverError",
    code: "INVALID_CONFIGURATION",
    message: 'unknown SQLite driver "sqlite4" (one of node:sqlite, better-sqlite3)',
  });
  const unavailable = ["node:sqlite", "better-sqlite3"].filter((d) => !drivers.includes(d));
  for (const driver of unavailable) {
    const err = await example.SqliteStore.open(dbPath("unavailable"), { driver }).catch((e) => e);
    assert.equal(err.code, "STORE_UNAVAILABLE", driver);
    assert.ok(
      err.message.includes(`the SQLite driver ${driver}`) && err.message.includes(process.version),
      err.message,
    );
  }
});

for (const driver of drivers)
  test(`SQLite (${driver}): a transaction commits all its writes or none; a claim is exclusive; the file keeps them`, async () => {
    const file = dbPath(`tx-${driver.replace(/\W/g, "")}`);
    let store = await example.SqliteStore.open(file, { driver });
    try {
      assert.equal(store.driver, driver);
      assert.deepEqual([store.begin("n1"), store.begin("n1")], ["new", "busy"]);
      store.abort("n1");
      assert.equal(store.begin("n1"), "new", "an aborted claim can be taken again");
      store.finish("n1");
      assert.deepEqual([store.begin("n1"), store.size], ["done", 1]);

      const record = (orderId) => ({ orderId, merchantPid: "2088000000000001", state: { status: "ISV_ACCEPTED" } });
      assert.throws(
        () =>
          store.transact((tx) => {
            assert.equal(tx.markApplied("e1", { kind: "k", orderId: "o1" }), true);
            tx.putOrder(record("o1"));
            tx.linkOrder("2088000000000001", "o1");
            throw new Error("the handler failed");
          }),
        /the handler failed/,
      );
      assert.equal(store.countOrders(), 0, "rolled back: no order");
      assert.throws(
        () =>
          store.transact(async (tx) => {
            tx.putOrder(record("o2")); // runs before the function returns its promise
          }),
        { name: "TypeError" },
      );
      assert.equal(store.getOrder("o2"), null, "an async function is refused and its write undone");
      const r = store.transact((tx) => {
        const first = tx.markApplied("e1", { kind: "k", orderId: "o1" });
        tx.putOrder(record("o1"));
        tx.linkOrder("2088000000000001", "o1");
        return [first, tx.markApplied("e1", {}), tx.getOrder("o1").orderId, tx.ordersOf("2088000000000001")];
      });
      assert.deepEqual(r, [true, false, "o1", ["o1"]], "the writes are visible inside; the rolled-back mark is gone");
    } finally {
      store.close();
    }
    store = await example.SqliteStore.open(file, { driver });
    try {
      assert.equal(store.getOrder("o1").state.status, "ISV_ACCEPTED", "reopened");
      assert.equal(store.begin("n1"), "done");
    } finally {
      store.close();
    }
    const db = readWithPython(file, {
      applied: "SELECT key, kind, order_id FROM applied",
      orders: "SELECT id, merchant_pid, status FROM orders",
      deliveries: "SELECT id, state FROM deliveries",
      schema: "PRAGMA user_version",
    });
    assert.deepEqual(db, {
      applied: [{ key: "e1", kind: "k", order_id: "o1" }],
      orders: [{ id: "o1", merchant_pid: "2088000000000001", status: "ISV_ACCEPTED" }],
      deliveries: [{ id: "n1", state: "done" }],
      schema: [{ user_version: 1 }],
    });
  });

// ─── 500 notifications, 50 orders ─────────────────────────────────────────────────────────

const ACC = "ISV_ACCEPTED";
const CHK = "MERCHANT_CHECKING";
/** The statuses after the order notification, by order number % 5 (every step in the lifecycle's table). */
const PATHS = [
  [ACC, CHK, ACC, CHK, ACC, CHK, "DONE"],
  [ACC, CHK, ACC, CHK, ACC, CHK, "MERCHANT_CANCELLED"],
  ["ISV_REJECTED"],
  [ACC, CHK, ACC, CHK, ACC, CHK],
  [ACC, CHK, ACC, CHK, ACC, CHK, ACC],
];
/** What the lifecycle says to do in a status (Alipay's guide, not the code under test). */
function nextFor(status, authorized) {
  switch (status) {
    case "DONE":
      return "SERVE";
    case "MERCHANT_CANCELLED":
      return "STOP_SERVICE";
    case "ISV_REJECTED":
      return "NOTHING";
    case CHK:
      return "WAIT_FOR_MERCHANT_CONFIRMATION";
    case ACC:
      return authorized ? "IMPLEMENT" : "WAIT_FOR_AUTHORIZATION";
    default:
      throw new Error(status);
  }
}

/**
 * 50 orders of 10 merchants (8 of them authorise, before or after their orders), their 338
 * distinct notifications and 162 duplicates, in 10 waves. Per order, by number % 3: in order;
 * the newest first (the rest arrive stale); the order notification last (after its changes,
 * and after its merchant's authorization). Duplicates: the same body
 * twice in one wave (concurrent) or again in a later wave (Alipay's retry after a lost answer).
 */
function plan500() {
  const base = nowSecond() - 3 * 3600_000;
  const rand = prng(20261201);
  let seq = 700000;
  const orders = [];
  for (let k = 0; k < 50; k++) {
    const id = orderNo(k);
    const merchant = merchantPid(100 + Math.floor(k / 5));
    const at = (j) => base + (j * 100 + k) * 1000;
    const charset = k % 4 === 3 ? "GBK" : undefined;
    const events = [orderNotification({ seq: seq++, order: id, merchant, atMs: at(0), charset })];
    PATHS[k % 5].forEach((status, j) => {
      events.push(changeNotification({ seq: seq++, order: id, status, atMs: at(j + 1) }));
    });
    const e = events;
    const pattern = k % 3;
    const delivery = pattern === 0 ? e : pattern === 1 ? [e.at(-1), ...e.slice(0, -1)] : [...e.slice(1), e[0]];
    orders.push({ id, merchant, events, pattern, delivery });
  }
  const merchants = [...new Set(orders.map((o) => o.merchant))];
  const auths = merchants
    .slice(0, 8)
    .map((m, i) => authNotification({ seq: seq++, merchant: m, atMs: base + (i * 50 + 5) * 1000 }));
  const waves = Array.from({ length: 10 }, () => []);
  for (const o of orders) {
    for (const [w, n] of o.delivery.entries()) waves[w].push(n);
  }
  for (const [i, a] of auths.entries()) waves[[0, 3, 6, 9][i % 4]].push(a);
  const distinct = waves.flat().length;
  for (let i = 0; waves.flat().length < 500; i++) {
    const o = orders[(i * 7) % 50];
    const w = i % o.delivery.length;
    const later = i % 2 === 0 ? w : Math.min(9, w + 1 + (i % 3));
    waves[later].push(o.delivery[w]);
  }
  for (const wave of waves) {
    for (let i = wave.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [wave[i], wave[j]] = [wave[j], wave[i]];
    }
  }
  return { orders, auths, waves, distinct };
}

/** Sends the plan's waves, each 50 at a time, spread over `bases`; returns the answers. */
async function sendPlan(plan, bases) {
  const answers = [];
  let n = 0;
  for (const wave of plan.waves) {
    const rs = await pool(wave, 50, (item) => deliver(bases[n++ % bases.length], item.body));
    answers.push(...rs);
  }
  return answers;
}

/** Checks every order's record against what its newest event implies. */
function assertOrders(plan, getRecord) {
  const authOf = new Map(plan.auths.map((a) => [a.merchant, a]));
  for (const o of plan.orders) {
    const rec = getRecord(o.id);
    assert.ok(rec, `order ${o.id} stored`);
    const newest = o.events.reduce((a, b) => (b.atMs > a.atMs ? b : a));
    const auth = authOf.get(o.merchant);
    const what = `order ${o.id} (pattern ${o.pattern})`;
    assert.equal(rec.orderId, o.id);
    assert.equal(rec.merchantPid, o.merchant, what);
    assert.equal(rec.state.status, newest.status, `${what}: status`);
    assert.equal(rec.state.statusAtMs, newest.atMs, `${what}: the newest event's time`);
    assert.equal(rec.state.orderedAtMs, o.events[0].atMs, `${what}: order time`);
    assert.equal(rec.state.authorized, Boolean(auth), `${what}: authorized`);
    const ids = [...o.events.map((e) => e.notifyId), ...(auth ? [`auth:${auth.notifyId}:${o.id}`] : [])];
    assert.deepEqual([...rec.state.applied].sort(), ids.sort(), `${what}: each event applied once`);
    const expected = nextFor(newest.status, Boolean(auth));
    // A late, stale event leaves "query the order" (a cancel may hide behind it) unless terminal.
    if (o.pattern === 0) assert.equal(rec.next.id, expected, `${what}: next`);
    else assert.ok([expected, "QUERY_ORDER"].includes(rec.next.id), `${what}: next ${rec.next.id}`);
    assert.equal(rec.serviceStopped, false, "no client: nothing acted on");
    assert.deepEqual(rec.calls, []);
  }
}

/**
 * Every distinct notification applied exactly once, according to the handlers' own log lines,
 * though some were handled more than once (the dedupe marks of the in-process gateway expire at
 * once, as if lost: only the store's transaction keeps them from being applied again).
 */
function assertApplications(plan, lines) {
  const again = lines.filter((x) => x.msg === "notification" && !x.applied).length;
  assert.ok(again > 0, "some duplicates got past the dedupe");
  const applied = new Map();
  for (const l of lines.filter((x) => x.msg === "notification" && x.applied))
    applied.set(l.notifyId, (applied.get(l.notifyId) ?? 0) + 1);
  const distinct = new Set(plan.waves.flat().map((n) => n.notifyId));
  assert.equal(distinct.size, plan.distinct);
  assert.deepEqual([...applied.keys()].sort(), [...distinct].sort(), "every notification applied");
  assert.deepEqual(
    [...applied].filter(([, c]) => c !== 1),
    [],
    "none applied twice",
  );
}

for (const driver of drivers)
  test(`500 notifications of 50 orders (duplicates, out of order, 50 at a time) on SQLite (${driver}): two gateways, one file`, async () => {
    const plan = plan500();
    assert.equal(plan.waves.flat().length, 500);
    assert.equal(plan.distinct, 338);
    const file = dbPath("load");
    const inProcess = await startGateway({ store: await example.SqliteStore.open(file, { doneTtlMs: 0, driver }) });
    assert.equal(inProcess.store.driver, driver);
    const child = await startChild({ ALIPAY_DB: file, ALIPAY_SQLITE_DRIVER: driver });
    const answers = await sendPlan(plan, [inProcess.base, child.base]);
    assert.deepEqual(
      answers.filter((r) => r.status !== 200 || r.text !== "success"),
      [],
    );
    await child.stop();
    assert.equal(child.lines().find((l) => l.msg === "started").driver, driver, "the start-up line names the driver");
    const lines = [...inProcess.log.lines, ...child.lines()];
    assert.deepEqual(
      lines.filter((l) => "text" in l && !/listening on/.test(l.text) && !isSqliteWarning(l.text)),
      [],
      "every log line is JSON",
    );
    assertApplications(plan, lines);
    const applications = (ls) => ls.filter((l) => l.msg === "notification" && l.applied).length;
    assert.ok(applications(inProcess.log.lines) > 0 && applications(child.lines()) > 0, "both gateways applied some");

    // The file, read by Python's sqlite3 (while the in-process gateway still has it open).
    const db = readWithPython(file, {
      orders: "SELECT id, merchant_pid, status, next_action, record FROM orders",
      applied: "SELECT key, kind, order_id FROM applied ORDER BY key",
      done: "SELECT count(*) AS n FROM deliveries WHERE state = 'done'",
      busy: "SELECT count(*) AS n FROM deliveries WHERE state = 'busy'",
      links: "SELECT merchant_pid, order_id FROM merchant_orders ORDER BY order_id",
      tokens: "SELECT merchant_pid, app_auth_token, granted FROM auth_tokens ORDER BY merchant_pid",
      schema: "PRAGMA user_version",
      journal: "PRAGMA journal_mode",
    });
    const rows = new Map(db.orders.map((r) => [r.id, r]));
    assert.equal(rows.size, 50);
    assertOrders(plan, (id) => {
      const row = rows.get(id);
      const rec = JSON.parse(row.record);
      assert.equal(row.status, rec.state.status, "status column = record");
      assert.equal(row.next_action, rec.next.id, "next_action column = record");
      assert.equal(row.merchant_pid, rec.merchantPid);
      return rec;
    });
    assert.deepEqual(
      db.applied.map((r) => r.key),
      [...new Set(plan.waves.flat().map((n) => n.notifyId))].sort(),
    );
    assert.equal(db.done[0].n, 2 * plan.distinct, "notify_id and fingerprint of each notification, marked done");
    assert.equal(db.busy[0].n, 0);
    assert.deepEqual(
      db.links.map((r) => [r.merchant_pid, r.order_id]),
      plan.orders.map((o) => [o.merchant, o.id]),
    );
    assert.deepEqual(
      db.tokens.map((r) => [r.merchant_pid, r.app_auth_token, r.granted]),
      plan.auths.map((a) => [a.merchant, a.appAuthToken, 1]).sort(),
    );
    assert.deepEqual([db.schema[0].user_version, db.journal[0].journal_mode], [1, "wal"]);
    const gbk = JSON.parse(rows.get(orderNo(3)).record);
    assert.equal(gbk.order.name, "成都锦江区老码头火锅", "GBK text survived to the database");
  });

test("500 notifications of 50 orders (duplicates, out of order, 50 at a time) in memory", async () => {
  const plan = plan500();
  const store = new example.MemoryStore({ doneTtlMs: 0 });
  const g = await startGateway({ store });
  const answers = await sendPlan(plan, [g.base]);
  assert.deepEqual(
    answers.filter((r) => r.status !== 200 || r.text !== "success"),
    [],
  );
  assertApplications(plan, g.log.lines);
  assertOrders(plan, (id) => store.getOrder(id));
  assert.equal(store.countOrders(), 50);
  assert.deepEqual(store.appliedKeys().sort(), [...new Set(plan.waves.flat().map((n) => n.notifyId))].sort());
  for (const a of plan.auths) assert.equal(store.getAuth(a.merchant).appAuthToken, a.appAuthToken);
  assert.equal(store.countAuths(), 8);
});

// ─── acting against the mock Alipay ───────────────────────────────────────────────────────

/** The mock Alipay (signing with the key that signs the notifications) and an order book. */
async function startAlipay(port = 0) {
  const book = createOrderBook();
  const mock = await startMockAlipay({ appId: APP_ID, alipayPrivateKey: privateKey(), handler: book.handler, port });
  cleanup.push(() => mock.close());
  return { book, mock };
}

/** The environment `node server.mjs` would be given to act against `mock`. */
const actingEnv = (mock) => ({
  ALIPAY_PUBLIC_KEY: testAlipayKey(),
  ALIPAY_APP_ID: APP_ID,
  ALIPAY_APP_PRIVATE_KEY: keyFile("app-private-pkcs8.pem"),
  ALIPAY_OPENAPI_ENDPOINT: mock.url,
});

/** An acting gateway in this process: `store` "memory" or a SQLite driver's name; `overrides`: client options. */
async function actingGateway(mock, { store, overrides = {}, rejectItemCodes = [] }) {
  const client = await config.clientFromEnv(actingEnv(mock), overrides);
  const s =
    store === "memory"
      ? new example.MemoryStore()
      : await example.SqliteStore.open(dbPath("acting"), { driver: store });
  return startGateway({ store: s, client, rejectItemCodes });
}

const calls = (rec) => rec.calls.map((c) => [c.api, c.outcome]);
const requests = (mock) => mock.requests.map((r) => [r.api, r.verified, r.bizParams?.commodity_order_id ?? null]);
const callLines = (log) => log.lines.filter((l) => l.msg === "call").map((l) => [l.api, l.outcome]);

test("a new order is queried and accepted before `success`; a redelivery calls nothing", async () => {
  for (const store of [...drivers, "memory"]) {
    const { book, mock } = await startAlipay();
    const g = await actingGateway(mock, { store });
    const id = orderNo(1001);
    book.add(id);
    const n = orderNotification({ seq: 810001, order: id, merchant: merchantPid(1001), atMs: nowSecond() - 60_000 });
    assert.deepEqual(await deliver(g.base, n.body), OK, store);
    assert.deepEqual(requests(mock), [
      ["orderQuery", true, id],
      ["orderAccept", true, id],
    ]);
    assert.equal(mock.requests[1].appAuthToken, null, "order.accept is the ISV's own call: no app_auth_token");
    const rec = g.app.orders.get(id);
    assert.equal(rec.state.status, "ISV_ACCEPTED");
    assert.equal(rec.next.id, "WAIT_FOR_AUTHORIZATION");
    assert.deepEqual(calls(rec), [
      ["orderQuery", "OK"],
      ["orderAccept", "OK"],
    ]);
    assert.equal(rec.lastError, null);
    assert.equal(book.orders.get(id).status, "ISV_ACCEPTED");
    assert.deepEqual(callLines(g.log), calls(rec), "one log line per call, api + outcome");
    assert.deepEqual(await deliver(g.base, n.body), OK, "Alipay's retry");
    assert.equal(mock.requests.length, 2, "nothing called again");
  }
});

for (const driver of drivers)
  test(`items are completed once the merchant authorised: shop items by shop_id, mini-app items by mini_app_id (SQLite, ${driver})`, async () => {
    const { book, mock } = await startAlipay();
    const g = await actingGateway(mock, { store: driver });
    const merchant = merchantPid(1002);
    const id = orderNo(1002);
    const shop = "2015052000077000000000182140";
    const miniApp = "2021000000000009";
    book.add(id, { items: [{ shop_id: shop }, { mini_app_id: miniApp }] });
    const t = nowSecond() - 120_000;
    assert.deepEqual(await deliver(g.base, orderNotification({ seq: 820001, order: id, merchant, atMs: t }).body), OK);
    assert.equal(g.app.orders.get(id).next.id, "WAIT_FOR_AUTHORIZATION");
    assert.ok(
      !mock.requests.some((r) => r.api === "orderItemComplete"),
      "nothing to implement before the authorization",
    );

    const auth = authNotification({ seq: 820002, merchant, atMs: t + 1000 });
    assert.deepEqual(await deliver(g.base, auth.body), OK);
    const completes = mock.requests.filter((r) => r.api === "orderItemComplete");
    assert.deepEqual(
      completes.map((r) => [r.verified, r.bizParams]),
      [
        [true, { commodity_order_id: id, shop_id: shop }],
        [true, { commodity_order_id: id, mini_app_id: miniApp }],
      ],
    );
    let rec = g.app.orders.get(id);
    assert.equal(rec.state.authorized, true);
    assert.deepEqual(rec.state.items, { [shop]: "TO_CONFIRM", [miniApp]: "TO_CONFIRM" });
    assert.ok(rec.state.applied.includes(`auth:${auth.notifyId}:${id}`));
    assert.deepEqual(
      book.orders.get(id).items.map((it) => it.order_status),
      ["TO_CONFIRM", "TO_CONFIRM"],
    );
    assert.equal(g.app.authTokens.get(merchant).appAuthToken, auth.appAuthToken);

    // Alipay moves the order on: the gateway waits for the merchant and completes nothing twice.
    book.setStatus(id, "MERCHANT_CHECKING");
    const before = mock.requests.length;
    const change = changeNotification({ seq: 820003, order: id, status: "MERCHANT_CHECKING", atMs: nowSecond() });
    assert.deepEqual(await deliver(g.base, change.body), OK);
    rec = g.app.orders.get(id);
    assert.equal(rec.state.status, "MERCHANT_CHECKING");
    assert.equal(rec.next.id, "WAIT_FOR_MERCHANT_CONFIRMATION");
    assert.ok(!mock.requests.slice(before).some((r) => r.api === "orderItemComplete"));

    // A second order of the merchant, who has authorised already: accepted, then implemented at once.
    const id2 = orderNo(1003);
    book.add(id2, { items: [{ shop_id: "2015052000077000000000999999" }] });
    const n2 = orderNotification({ seq: 820004, order: id2, merchant, atMs: nowSecond() - 5000 });
    assert.deepEqual(await deliver(g.base, n2.body), OK);
    const rec2 = g.app.orders.get(id2);
    assert.deepEqual(calls(rec2), [
      ["orderQuery", "OK"],
      ["orderAccept", "OK"],
      ["orderQuery", "OK"],
      ["orderItemComplete", "OK"],
    ]);
    assert.ok(rec2.state.applied.includes(`auth:${auth.notifyId}:${id2}`), "the stored authorization reached it");
    assert.deepEqual(rec2.state.items, { "2015052000077000000000999999": "TO_CONFIRM" });
  });

for (const driver of drivers)
  test(`\`node server.mjs\` rejects the orders of REJECT_ITEM_CODES and accepts the rest (the SQLite file read back) (SQLite, ${driver})`, async () => {
    const { book, mock } = await startAlipay();
    const file = dbPath("reject");
    const child = await startChild({
      ...actingEnv(mock),
      ALIPAY_DB: file,
      ALIPAY_SQLITE_DRIVER: driver,
      REJECT_ITEM_CODES: " AM0000000001, AM0099999999 ,",
    });
    const rejected = orderNo(1101);
    const accepted = orderNo(1102);
    book.add(rejected);
    book.add(accepted);
    const t = nowSecond() - 30_000;
    const a = orderNotification({
      seq: 830001,
      order: rejected,
      merchant: merchantPid(1101),
      itemCode: "AM0099999999",
      atMs: t,
    });
    const b = orderNotification({ seq: 830002, order: accepted, merchant: merchantPid(1102), atMs: t });
    assert.deepEqual(await deliver(child.base, a.body), OK);
    assert.deepEqual(await deliver(child.base, b.body), OK);
    const reject = mock.requests.find((r) => r.api === "orderReject");
    assert.equal(reject.verified, true);
    assert.equal(reject.bizParams.commodity_order_id, rejected);
    assert.match(reject.bizParams.reject_reason, /AM0099999999/);
    assert.deepEqual(
      mock.requests.filter((r) => r.api === "orderAccept").map((r) => r.bizParams.commodity_order_id),
      [accepted],
    );
    await child.stop();
    assert.deepEqual(
      child
        .lines()
        .filter((l) => l.msg === "call")
        .map((l) => [l.api, l.order, l.outcome]),
      [
        ["orderQuery", rejected, "OK"],
        ["orderReject", rejected, "OK"],
        ["orderQuery", accepted, "OK"],
        ["orderAccept", accepted, "OK"],
      ],
    );
    const started = child.lines().find((l) => l.msg === "started");
    assert.deepEqual(started.rejectItemCodes, ["AM0000000001", "AM0099999999"]);
    assert.equal(started.acting, true);
    assert.equal(started.driver, driver);
    const { rows } = readWithPython(file, { rows: "SELECT id, status, next_action FROM orders ORDER BY id" });
    assert.deepEqual(rows, [
      { id: rejected, status: "ISV_REJECTED", next_action: "NOTHING" },
      { id: accepted, status: "ISV_ACCEPTED", next_action: "WAIT_FOR_AUTHORIZATION" },
    ]);
  });

for (const driver of drivers)
  test(`a business refusal is recorded, logged with its code and sub code, answered \`success\`, then the order queried (SQLite, ${driver})`, async () => {
    for (const protocol of ["v3", "v2"]) {
      const { book, mock } = await startAlipay();
      const g = await actingGateway(mock, { store: driver, overrides: { protocol } });
      const id = orderNo(protocol === "v3" ? 1201 : 1202);
      book.add(id);
      book.fail("orderAccept", { type: "business-error", code: "COMMODITY_ORDER_STATUS_INVALID" });
      const n = orderNotification({
        seq: protocol === "v3" ? 840001 : 840002,
        order: id,
        merchant: merchantPid(1201),
        atMs: nowSecond() - 30_000,
      });
      assert.deepEqual(await deliver(g.base, n.body), OK, protocol);
      const rec = g.app.orders.get(id);
      assert.deepEqual(calls(rec), [
        ["orderQuery", "OK"],
        ["orderAccept", "ALIPAY_API_ERROR"],
        ["orderQuery", "OK"],
      ]);
      const [alipayCode, subCode] =
        protocol === "v3" ? ["COMMODITY_ORDER_STATUS_INVALID", null] : ["40004", "COMMODITY_ORDER_STATUS_INVALID"];
      assert.equal(rec.lastError.api, "orderAccept");
      assert.equal(rec.lastError.outcome, "ALIPAY_API_ERROR");
      assert.equal(rec.lastError.alipayCode, alipayCode);
      assert.equal(rec.lastError.subCode, subCode);
      const line = g.log.lines.find((l) => l.msg === "call" && l.api === "orderAccept");
      assert.deepEqual(
        [line.outcome, line.alipayCode, line.subCode, line.retry],
        ["ALIPAY_API_ERROR", alipayCode, subCode, false],
      );
      assert.equal(rec.state.status, "MERCHANT_ORDED", "not accepted");
      assert.equal(mock.requests.length, 3);
      assert.ok(mock.requests.every((r) => r.verified && r.protocol === protocol));
    }
  });

for (const driver of drivers)
  test(`a network failure answers 5xx; the redelivery applies nothing twice and acts (SQLite, ${driver})`, async () => {
    const { book, mock } = await startAlipay();
    const port = mock.port;
    const g = await actingGateway(mock, { store: driver, overrides: { retryDelayMs: 20 } });
    const id = orderNo(1301);
    book.add(id);
    const n = orderNotification({ seq: 850001, order: id, merchant: merchantPid(1301), atMs: nowSecond() - 30_000 });
    await mock.close(); // Alipay unreachable: connection refused
    const failed = await deliver(g.base, n.body);
    assert.equal(failed.status, 502);
    assert.deepEqual(JSON.parse(failed.text), { code: "NETWORK_ERROR" });
    let rec = g.app.orders.get(id);
    assert.equal(rec.state.status, "MERCHANT_ORDED", "the event is applied");
    assert.deepEqual(calls(rec), [["orderQuery", "NETWORK_ERROR"]]);
    assert.equal(rec.lastError.outcome, "NETWORK_ERROR");
    assert.equal(g.log.lines.find((l) => l.msg === "call").retry, true);

    // Alipay is back on the same address; its redelivery is acted on.
    const back = await startMockAlipay({ appId: APP_ID, alipayPrivateKey: privateKey(), handler: book.handler, port });
    cleanup.push(() => back.close());
    assert.deepEqual(await deliver(g.base, n.body), OK);
    rec = g.app.orders.get(id);
    assert.equal(rec.state.status, "ISV_ACCEPTED");
    assert.deepEqual(calls(rec), [
      ["orderQuery", "NETWORK_ERROR"],
      ["orderQuery", "OK"],
      ["orderAccept", "OK"],
    ]);
    assert.equal(rec.state.applied.filter((x) => x === n.notifyId).length, 1, "applied once");
    assert.deepEqual(
      g.log.lines.filter((l) => l.msg === "notification").map((l) => l.applied),
      [true, false],
      "the redelivery found the notification applied",
    );
    assert.deepEqual(requests(back), [
      ["orderQuery", true, id],
      ["orderAccept", true, id],
    ]);
  });

test("a timed-out accept that Alipay did carry out: 5xx, and the redelivery learns it from order.query", async () => {
  const { book, mock } = await startAlipay();
  const g = await actingGateway(mock, { store: "memory", overrides: { timeoutMs: 300 } });
  const id = orderNo(1401);
  book.add(id);
  book.fail("orderAccept", { delayMs: 1000 }, { apply: true });
  const n = orderNotification({ seq: 860001, order: id, merchant: merchantPid(1401), atMs: nowSecond() - 30_000 });
  const failed = await deliver(g.base, n.body);
  assert.equal(failed.status, 502);
  assert.deepEqual(JSON.parse(failed.text), { code: "TIMEOUT" });
  assert.equal(book.orders.get(id).status, "ISV_ACCEPTED", "Alipay accepted it");
  assert.deepEqual(await deliver(g.base, n.body), OK);
  const rec = g.app.orders.get(id);
  assert.equal(rec.state.status, "ISV_ACCEPTED");
  assert.deepEqual(calls(rec), [
    ["orderQuery", "OK"],
    ["orderAccept", "TIMEOUT"],
    ["orderQuery", "OK"],
  ]);
  assert.equal(mock.requests.filter((r) => r.api === "orderAccept").length, 1, "never accepted twice");
});

for (const driver of drivers)
  test(`a cancel during implementation stops the service (queried first, once) (SQLite, ${driver})`, async () => {
    const { book, mock } = await startAlipay();
    const g = await actingGateway(mock, { store: driver });
    const merchant = merchantPid(1501);
    const id = orderNo(1501);
    book.add(id, { items: [{ shop_id: "2015052000077000000000777777" }] });
    const t = nowSecond() - 120_000;
    assert.deepEqual(await deliver(g.base, orderNotification({ seq: 870001, order: id, merchant, atMs: t }).body), OK);
    assert.deepEqual(await deliver(g.base, authNotification({ seq: 870002, merchant, atMs: t + 1000 }).body), OK);
    assert.equal(g.app.orders.get(id).state.status, "ISV_ACCEPTED", "implementing");
    assert.equal(g.app.orders.get(id).serviceStopped, false);

    book.setStatus(id, "MERCHANT_CANCELLED"); // the merchant asked for a refund
    const before = mock.requests.length;
    const cancel = changeNotification({ seq: 870003, order: id, status: "MERCHANT_CANCELLED", atMs: nowSecond() });
    assert.deepEqual(await deliver(g.base, cancel.body), OK);
    const rec = g.app.orders.get(id);
    assert.equal(rec.state.status, "MERCHANT_CANCELLED");
    assert.equal(rec.next.id, "STOP_SERVICE");
    assert.equal(rec.serviceStopped, true);
    assert.ok(rec.serviceStoppedAtMs >= cancel.atMs, "with the time");
    const after = mock.requests.slice(before);
    assert.ok(after.length > 0 && after.every((r) => r.api === "orderQuery" && r.verified), "confirmed by order.query");
    const stops = g.log.lines.filter((l) => l.msg === "service stopped");
    assert.deepEqual(
      stops.map((l) => [l.order, l.status]),
      [[id, "MERCHANT_CANCELLED"]],
    );

    // Another notification of the cancelled order: the service is stopped already, nothing is called.
    const calledBefore = mock.requests.length;
    const again = changeNotification({ seq: 870004, order: id, status: "MERCHANT_CANCELLED", atMs: nowSecond() });
    assert.deepEqual(await deliver(g.base, again.body), OK);
    assert.equal(mock.requests.length, calledBefore);
    assert.equal(g.log.lines.filter((l) => l.msg === "service stopped").length, 1);
  });

for (const driver of drivers)
  test(`a change the lifecycle cannot follow (a skipped status) is settled by order.query (SQLite, ${driver})`, async () => {
    const { book, mock } = await startAlipay();
    const g = await actingGateway(mock, { store: driver });
    const id = orderNo(1601);
    book.add(id);
    const n = orderNotification({ seq: 880001, order: id, merchant: merchantPid(1601), atMs: nowSecond() - 60_000 });
    assert.deepEqual(await deliver(g.base, n.body), OK);
    assert.equal(g.app.orders.get(id).state.status, "ISV_ACCEPTED");
    // MERCHANT_CHECKING was never delivered: ISV_ACCEPTED → DONE is not a step of the lifecycle.
    book.setStatus(id, "DONE");
    const done = changeNotification({ seq: 880002, order: id, status: "DONE", atMs: nowSecond() });
    assert.deepEqual(await deliver(g.base, done.body), OK);
    const rec = g.app.orders.get(id);
    assert.equal(rec.state.status, "DONE", "Alipay's answer settles it");
    assert.equal(rec.next.id, "SERVE");
    assert.deepEqual(calls(rec).slice(2), [["orderQuery", "OK"]]);
  });
