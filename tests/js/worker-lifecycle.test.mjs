// The Worker example drives each order's lifecycle in workerd (Miniflare via the wrangler bundle,
// `alipay-notify` from the packed tarball): one Durable Object per order, one per merchant, the
// OpenAPI client acting against the mock Alipay on 127.0.0.1 (behind a proxy that can fail),
// every assertion made on what the Durable Objects stored (the admin route) and on what the mock
// received (verified with node:crypto).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { Miniflare } from "miniflare";
import { testAlipayKey } from "./lib/load.mjs";
import { keyFile, startMockAlipay } from "./lib/mock-alipay.mjs";
import { orderBook } from "./lib/alipay-orders.mjs";
import { authNotification, changeNotification, orderNotification, renewalNotification } from "./lib/signed-orders.mjs";
import { startFlakyProxy } from "./lib/flaky-proxy.mjs";
import { APP_ID, privateKey } from "./lib/sign.mjs";
import { COMPATIBILITY_DATE, bundleExample, exampleWorker } from "./lib/worker-bundle.mjs";

const ADMIN_TOKEN = "admin-token-for-tests";
const REJECTED_ITEM = "AM000000000000000000REJ";
const QUEUE = "alipay-notifications-lifecycle";
const ACTING = "acting.gateway.test";
const BAD_KEY = "badkey.gateway.test";
const NO_APP_ID = "noappid.gateway.test";
const APP_PRIVATE_KEY = keyFile("app-private-pkcs8.pem");

let dir;
let mf;
let mock;
let proxy;
const book = orderBook();
const logs = [];

// The origin: records every queued notification (isolate memory), served as JSON.
const CONSUMER = `
const seen = [];
export default {
  async queue(batch) {
    for (const m of batch.messages) { seen.push(m.body.notifyId); m.ack(); }
  },
  async fetch() { return Response.json(seen); },
};
`;

before(async () => {
  dir = await bundleExample({ prefix: "alipay-worker-lifecycle-" });
  // The mock plays Alipay for the notifications' app: answers signed with the key that signs
  // the test notifications, so ALIPAY_PUBLIC_KEY verifies both.
  mock = await startMockAlipay({ appId: APP_ID, alipayPrivateKey: privateKey() });
  mock.setHandler(book.handler);
  proxy = await startFlakyProxy(mock.port);
  const common = { ALIPAY_PUBLIC_KEY: testAlipayKey(), ALIPAY_APP_ID: APP_ID, ADMIN_TOKEN };
  mf = new Miniflare({
    handleRuntimeStdio(out, err) {
      out.on("data", (d) => logs.push(String(d)));
      err.on("data", (d) => logs.push(String(d)));
    },
    workers: [
      exampleWorker("acting", ACTING, dir, "dist", {
        bindings: {
          ...common,
          ALIPAY_APP_PRIVATE_KEY: APP_PRIVATE_KEY,
          ALIPAY_OPENAPI_ENDPOINT: proxy.url,
          REJECT_ITEM_CODES: `AM999, ${REJECTED_ITEM}`,
        },
        kvNamespaces: { NOTIFY_KV: "kv-acting" },
        queueProducers: { NOTIFY_QUEUE: { queueName: QUEUE } },
      }),
      exampleWorker("bad-key", BAD_KEY, dir, "dist", {
        bindings: { ...common, ALIPAY_APP_PRIVATE_KEY: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ-not-a-key" },
        kvNamespaces: { NOTIFY_KV: "kv-bad-key" },
      }),
      exampleWorker("no-app-id", NO_APP_ID, dir, "dist", {
        bindings: { ALIPAY_PUBLIC_KEY: testAlipayKey(), ALIPAY_APP_PRIVATE_KEY: APP_PRIVATE_KEY, ADMIN_TOKEN },
        kvNamespaces: { NOTIFY_KV: "kv-no-app-id" },
      }),
      {
        name: "origin",
        routes: ["origin.test/*"],
        modules: true,
        script: CONSUMER,
        compatibilityDate: COMPATIBILITY_DATE,
        queueConsumers: { [QUEUE]: { maxBatchSize: 100, maxBatchTimeout: 0 } },
      },
    ],
  });
  await mf.ready;
});

after(async () => {
  await mf?.dispose();
  await proxy?.close();
  await mock?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (process.env.DEBUG) console.error(logs.join(""));
});

// ─── helpers ──────────────────────────────────────────────────────────────────────────────

async function post(body, host = ACTING) {
  const res = await mf.dispatchFetch(`http://${host}/`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
  });
  return { status: res.status, text: await res.text() };
}

async function ok(n, what) {
  const r = await post(n.body);
  assert.deepEqual(r, { status: 200, text: "success" }, what);
}

/** An order's stored record, read from its Durable Object through the admin route. */
async function order(id, host = ACTING) {
  const res = await mf.dispatchFetch(`http://${host}/orders/${id}`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  assert.equal(res.status, 200, `order ${id}`);
  return res.json();
}

async function merchant(pid) {
  const res = await mf.dispatchFetch(`http://${ACTING}/merchants/${pid}`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  assert.equal(res.status, 200);
  return res.json();
}

/** The verified requests the mock received for `orderId`, as `api` names (in order). */
function requestsFor(orderId) {
  return mock.requests.filter((r) => r.bizParams?.commodity_order_id === orderId);
}
function apisFor(orderId) {
  const reqs = requestsFor(orderId);
  for (const r of reqs) assert.equal(r.verified, true, `${r.api}: the mock verified the request (${r.error})`);
  return reqs.map((r) => r.api);
}

/** The gateway's JSON log lines (one object per line) since `from` (an index into `logs`). */
function logLines(from = 0) {
  return logs
    .slice(from)
    .join("")
    .split("\n")
    .map((l) => l.slice(l.indexOf("{")))
    .filter((l) => l.startsWith('{"level"'))
    .map((l) => JSON.parse(l));
}

/** Waits until the workerd log has a line matching `pred` (logs arrive asynchronously). */
async function waitLog(pred, from = 0, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = logLines(from).find(pred);
    if (hit || Date.now() > deadline) return hit;
    await new Promise((r) => setTimeout(r, 50));
  }
}

let nextI = 5000;
const seq = () => nextI++;
const orderIds = (() => {
  let k = 0;
  return () => `2026120100${String(++k).padStart(13, "0")}`;
})();
const eventIds = (rec) => rec.events.map((e) => e.id);
const callsOf = (rec) => rec.calls.map((c) => `${c.api}:${c.outcome}`);

// ─── acting on orders ─────────────────────────────────────────────────────────────────────

const M1 = "2088000000000001";

test("a new order is queried, then accepted; Alipay's own change notification changes nothing more", async () => {
  const id = orderIds();
  book.add(id);
  const n = orderNotification({ i: seq(), orderId: id, merchantPid: M1, atMs: Date.now() - 60_000 });
  await ok(n, "order notification");
  const rec = await order(id);
  assert.equal(rec.state.status, "ISV_ACCEPTED");
  assert.equal(rec.next.id, "WAIT_FOR_AUTHORIZATION");
  assert.deepEqual(callsOf(rec), ["orderQuery:OK", "orderAccept:OK"]);
  assert.deepEqual(apisFor(id), ["orderQuery", "orderAccept"]);
  assert.equal(book.orders.get(id).status, "ISV_ACCEPTED", "Alipay saw the acceptance");
  assert.deepEqual(eventIds(rec), [n.notifyId, `call:orderQuery:${id}:1`, `call:orderAccept:${id}`]);
  assert.deepEqual(rec.handled, [n.notifyId, rec.handled[1]]);
  assert.match(rec.handled[1], /^sig:[0-9a-f]{64}$/);
  assert.equal(rec.merchantPid, M1);
  assert.equal(rec.serviceStopped, false);
  assert.equal(rec.lastError, null);
  // Alipay then reports the acceptance: the same status, nothing to do.
  const change = changeNotification({ i: seq(), orderId: id, status: "ISV_ACCEPTED", atMs: Date.now() + 1000 });
  await ok(change, "ISV_ACCEPTED change");
  const after = await order(id);
  assert.equal(after.state.status, "ISV_ACCEPTED");
  assert.equal(after.calls.length, 2, "no further call");
  assert.equal(after.events.at(-1).id, change.notifyId);
  assert.equal(after.events.at(-1).effect, "unchanged");
  // A redelivery of the order notification: `success`, nothing applied or called again.
  await ok(n, "redelivery");
  assert.deepEqual((await order(id)).events, after.events);
  assert.deepEqual(apisFor(id), ["orderQuery", "orderAccept"]);
});

test("the authorization reaches the merchant's orders: their items are completed (shop by shop_id, mini app by mini_app_id)", async () => {
  const pid = "2088000000000002";
  const a = orderIds();
  book.add(a);
  await ok(orderNotification({ i: seq(), orderId: a, merchantPid: pid, atMs: Date.now() - 60_000 }), "order");
  assert.equal((await order(a)).next.id, "WAIT_FOR_AUTHORIZATION");
  const auth = authNotification({ i: seq(), merchantPid: pid, atMs: Date.now(), token: "202612BBmerchant2token" });
  await ok(auth, "authorization");
  const rec = await order(a);
  assert.equal(rec.state.authorized, true);
  assert.ok(eventIds(rec).includes(`auth:${auth.notifyId}:${a}`));
  assert.deepEqual(callsOf(rec), [
    "orderQuery:OK",
    "orderAccept:OK",
    "orderQuery:OK",
    "orderItemComplete:OK",
    "orderItemComplete:OK",
  ]);
  const items = book.orders.get(a).items;
  assert.deepEqual(
    items.map((it) => it.order_status),
    ["TO_CONFIRM", "TO_CONFIRM"],
  );
  assert.deepEqual(Object.values(rec.state.items), ["TO_CONFIRM", "TO_CONFIRM"]);
  const completes = requestsFor(a).filter((r) => r.api === "orderItemComplete");
  assert.deepEqual(
    completes.map((r) => r.bizParams),
    [
      { commodity_order_id: a, shop_id: items[0].shop_id },
      { commodity_order_id: a, mini_app_id: items[1].mini_app_id },
    ],
  );
  const m = await merchant(pid);
  assert.deepEqual(m.orders, [a]);
  assert.equal(m.authorization.granted, true);
  assert.equal(m.authorization.hasToken, true);
  assert.equal(JSON.stringify(m).includes("merchant2token"), false, "the admin route never shows the token");
  assert.ok(m.handled.includes(auth.notifyId));
  // A later order of the same (authorised) merchant is accepted and implemented at once.
  const b = orderIds();
  book.add(b);
  await ok(orderNotification({ i: seq(), orderId: b, merchantPid: pid, atMs: Date.now() - 1000 }), "second order");
  const recB = await order(b);
  assert.ok(eventIds(recB).includes(`auth:${auth.notifyId}:${b}`), "the merchant's authorization applied to it");
  assert.deepEqual(apisFor(b), ["orderQuery", "orderAccept", "orderQuery", "orderItemComplete", "orderItemComplete"]);
  assert.deepEqual(Object.values(recB.state.items), ["TO_CONFIRM", "TO_CONFIRM"]);
  assert.deepEqual((await merchant(pid)).orders, [a, b]);
  // The authorization delivered again: nothing is applied or called twice.
  const before = mock.requests.length;
  await ok(auth, "authorization redelivered");
  assert.equal(mock.requests.length, before);
});

test("an order and its merchant's authorization arriving together: the order sees the authorization once and is implemented", async () => {
  const pid = "2088000000000004";
  const ids = [orderIds(), orderIds(), orderIds()];
  for (const id of ids) book.add(id);
  const auth = authNotification({ i: seq(), merchantPid: pid, atMs: Date.now() - 1000 });
  const orders = ids.map((id) =>
    orderNotification({ i: seq(), orderId: id, merchantPid: pid, atMs: Date.now() - 2000 }),
  );
  // All at once, each twice: whichever way they interleave, the link is made by the merchant.
  // A second delivery of the authorization while the first is being handled may be told to
  // come back later (503 IN_PROGRESS); Alipay's next delivery is then a duplicate.
  const all = [...orders, auth, ...orders, auth];
  const results = await Promise.all(all.map((n) => post(n.body)));
  for (const [k, r] of results.entries()) {
    if (all[k] === auth && r.status === 503) assert.deepEqual(JSON.parse(r.text), { code: "IN_PROGRESS" });
    else assert.deepEqual(r, { status: 200, text: "success" });
  }
  assert.ok(results.some((r, k) => all[k] === auth && r.status === 200));
  await ok(auth, "a later delivery");
  assert.deepEqual(
    (await consumed([auth.notifyId])).filter((x) => x === auth.notifyId),
    [auth.notifyId],
    "forwarded once",
  );
  for (const id of ids) {
    const rec = await order(id);
    const authEvents = eventIds(rec).filter((e) => e === `auth:${auth.notifyId}:${id}`);
    assert.equal(authEvents.length, 1, `${id}: the authorization applied once`);
    assert.equal(rec.state.authorized, true);
    assert.deepEqual(Object.values(rec.state.items), ["TO_CONFIRM", "TO_CONFIRM"], `${id}: implemented`);
    const apis = apisFor(id);
    assert.equal(apis.filter((a) => a === "orderAccept").length, 1, `${id}: accepted once`);
    assert.equal(apis.filter((a) => a === "orderItemComplete").length, 2, `${id}: each item completed once`);
  }
  assert.deepEqual([...(await merchant(pid)).orders].sort(), [...ids].sort());
});

test("a withdrawn authorization reaches the merchant's orders: each is queried, none implemented, no token kept", async () => {
  const pid = "2088000000000005";
  const id = orderIds();
  book.add(id);
  await ok(authNotification({ i: seq(), merchantPid: pid, atMs: Date.now() - 120_000 }), "granted");
  await ok(orderNotification({ i: seq(), orderId: id, merchantPid: pid, atMs: Date.now() - 60_000 }), "order");
  const before = await order(id);
  assert.equal(before.state.authorized, true);
  const implemented = apisFor(id).length;
  // An older withdrawal changes nothing: the newest authorization wins.
  const old = authNotification({ i: seq(), merchantPid: pid, atMs: Date.now() - 600_000, granted: false });
  await ok(old, "older withdrawal");
  assert.equal((await merchant(pid)).authorization.granted, true);
  const unchanged = await order(id);
  assert.equal(unchanged.state.authorized, true, "not applied to the orders");
  assert.equal(eventIds(unchanged).includes(`auth:${old.notifyId}:${id}`), false);
  assert.equal(apisFor(id).length, implemented);
  const withdrawn = authNotification({ i: seq(), merchantPid: pid, atMs: Date.now(), granted: false });
  await ok(withdrawn, "withdrawal");
  const rec = await order(id);
  assert.equal(rec.state.authorized, false);
  assert.ok(eventIds(rec).includes(`auth:${withdrawn.notifyId}:${id}`));
  assert.deepEqual(
    apisFor(id).slice(implemented),
    ["orderQuery"],
    "queried (a cancel may hide behind it), nothing else",
  );
  assert.equal(rec.next.id, "WAIT_FOR_AUTHORIZATION");
  const m = await merchant(pid);
  assert.equal(m.authorization.granted, false);
  assert.equal(m.authorization.notifyId, withdrawn.notifyId);
  assert.equal(m.authorization.hasToken, false, "a withdrawal leaves no token");
});

test("an item_code listed in REJECT_ITEM_CODES is rejected (order.reject with a reason)", async () => {
  const id = orderIds();
  book.add(id);
  await ok(
    orderNotification({ i: seq(), orderId: id, merchantPid: M1, itemCode: REJECTED_ITEM, atMs: Date.now() - 5000 }),
    "order",
  );
  const rec = await order(id);
  assert.equal(rec.state.status, "ISV_REJECTED");
  assert.equal(rec.next.id, "NOTHING");
  assert.equal(rec.itemCode, REJECTED_ITEM);
  assert.deepEqual(apisFor(id), ["orderQuery", "orderReject"]);
  const reject = requestsFor(id)[1];
  assert.equal(reject.bizParams.commodity_order_id, id);
  assert.ok(reject.bizParams.reject_reason.includes(REJECTED_ITEM), reject.bizParams.reject_reason);
  assert.equal(book.orders.get(id).status, "ISV_REJECTED");
});

test("a business refusal is recorded and logged (code + sub code), answered `success`, then the order is queried", async () => {
  const id = orderIds();
  book.add(id);
  book.refuse("orderAccept", id, "COMMODITY_ORDER_STATUS_INVALID");
  const from = logs.length;
  await ok(orderNotification({ i: seq(), orderId: id, merchantPid: M1, atMs: Date.now() - 5000 }), "order");
  const rec = await order(id);
  assert.deepEqual(callsOf(rec), ["orderQuery:OK", "orderAccept:ALIPAY_API_ERROR", "orderQuery:OK"]);
  assert.equal(rec.lastError.api, "orderAccept");
  assert.equal(rec.lastError.outcome, "ALIPAY_API_ERROR");
  assert.equal(rec.lastError.alipayCode, "COMMODITY_ORDER_STATUS_INVALID");
  assert.equal(rec.lastError.retry, false);
  assert.equal(rec.state.status, "MERCHANT_ORDED", "the query's answer is the state");
  assert.equal(rec.handled[0], rec.events[0].id, "handled: Alipay will not deliver it again");
  const line = await waitLog((l) => l.msg === "call" && l.order === id && l.outcome === "ALIPAY_API_ERROR", from);
  assert.ok(line, "the refusal is logged");
  assert.equal(line.alipayCode, "COMMODITY_ORDER_STATUS_INVALID");
  assert.ok("subCode" in line);
});

test("the OpenAPI unreachable → 503 with the code, the event kept; the redelivery acts", async () => {
  const id = orderIds();
  book.add(id);
  const n = orderNotification({ i: seq(), orderId: id, merchantPid: M1, atMs: Date.now() - 5000 });
  proxy.down(true);
  let r;
  try {
    r = await post(n.body);
  } finally {
    proxy.down(false);
  }
  assert.equal(r.status, 503, r.text);
  assert.deepEqual(JSON.parse(r.text), { code: "NETWORK_ERROR" });
  assert.ok(proxy.refused >= 1);
  const failed = await order(id);
  assert.deepEqual(eventIds(failed), [n.notifyId], "the notification's event is applied (once)");
  assert.deepEqual(failed.handled, [], "not handled: Alipay delivers it again");
  assert.deepEqual(callsOf(failed), ["orderQuery:NETWORK_ERROR"]);
  assert.equal(failed.lastError.retry, true);
  assert.deepEqual(apisFor(id), [], "nothing reached Alipay");
  // Alipay's redelivery: the same next action, tried again.
  await ok(n, "redelivery");
  const rec = await order(id);
  assert.equal(rec.state.status, "ISV_ACCEPTED");
  assert.deepEqual(apisFor(id), ["orderQuery", "orderAccept"]);
  assert.equal(eventIds(rec).filter((e) => e === n.notifyId).length, 1);
  assert.ok(rec.handled.includes(n.notifyId));
});

test("MERCHANT_CANCELLED during implementation: the order is queried, the service stopped and logged", async () => {
  const pid = "2088000000000003";
  await ok(authNotification({ i: seq(), merchantPid: pid, atMs: Date.now() - 120_000 }), "authorised first");
  assert.deepEqual((await merchant(pid)).orders, []);
  const id = orderIds();
  book.add(id);
  await ok(orderNotification({ i: seq(), orderId: id, merchantPid: pid, atMs: Date.now() - 60_000 }), "order");
  const implementing = await order(id);
  assert.equal(implementing.state.status, "ISV_ACCEPTED");
  assert.equal(implementing.state.authorized, true);
  // The merchant asks for a refund: Alipay cancels and says so.
  book.orders.get(id).status = "MERCHANT_CANCELLED";
  const from = logs.length;
  const cancel = changeNotification({ i: seq(), orderId: id, status: "MERCHANT_CANCELLED", atMs: Date.now() + 1000 });
  await ok(cancel, "cancel");
  const rec = await order(id);
  assert.equal(rec.state.status, "MERCHANT_CANCELLED");
  assert.equal(rec.next.id, "STOP_SERVICE");
  assert.equal(rec.serviceStopped, true);
  assert.equal(typeof rec.serviceStoppedAtMs, "number");
  assert.equal(requestsFor(id).at(-1).api, "orderQuery", "confirmed with Alipay first");
  const line = await waitLog((l) => l.msg === "service stopped" && l.order === id, from);
  assert.equal(line?.status, "MERCHANT_CANCELLED");
  // Stopped once: a later notification does not stop (or query) again.
  const calls = rec.calls.length;
  await ok(
    changeNotification({ i: seq(), orderId: id, status: "MERCHANT_CANCELLED", atMs: Date.now() + 2000 }),
    "again",
  );
  assert.equal((await order(id)).calls.length, calls);
});

test("a renewal reminder (no order) is de-duplicated in KV and forwarded once", async () => {
  const n = renewalNotification({ i: seq() });
  await ok(n, "renewal");
  await ok(n, "renewal again");
  const kv = await mf.getKVNamespace("NOTIFY_KV", "acting");
  assert.ok(await kv.get(`notify:${n.notifyId}`));
  const seen = await consumed([n.notifyId]);
  assert.equal(seen.filter((x) => x === n.notifyId).length, 1);
});

// ─── load ─────────────────────────────────────────────────────────────────────────────────

/** A small seeded PRNG (mulberry32), so the shuffled order is the same on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What each order went through (after 订购通知), by its final status.
const PATHS = {
  DONE: ["ISV_ACCEPTED", "MERCHANT_CHECKING", "DONE"],
  MERCHANT_CANCELLED: ["ISV_ACCEPTED", "MERCHANT_CANCELLED"],
  MERCHANT_CHECKING: ["ISV_ACCEPTED", "MERCHANT_CHECKING"],
  ISV_REJECTED: ["ISV_REJECTED"],
  ISV_ACCEPTED: ["ISV_ACCEPTED"],
};

test("load: 500 notifications for 50 orders, 50 concurrent, duplicated and out of order: each order ends as its newest event says, each event applied once", async () => {
  const random = prng(20261201);
  const finals = Object.keys(PATHS);
  const merchants = Array.from({ length: 5 }, (_, k) => `20889000000000${String(k).padStart(2, "0")}`);
  const orders = [];
  const deliveries = [];
  for (let k = 0; k < 50; k++) {
    const id = orderIds();
    const final = finals[k % finals.length];
    const merchantPid = merchants[k % merchants.length];
    // Alipay's own view when the gateway asks: the order as it is now.
    book.add(id, {
      status: final,
      items: [{ shop_id: `S${id.slice(-8)}`, order_status: final === "DONE" ? "DONE" : "TO_DO" }],
    });
    // 7 distinct notifications: the path, some statuses reported twice (distinct notify_ids).
    const statuses = [...PATHS[final]];
    while (statuses.length < 6) {
      const at = Math.floor(random() * statuses.length);
      statuses.splice(at, 0, statuses[at]);
    }
    const t0 = Date.now() - 3_600_000 + k * 10_000;
    const distinct = [
      orderNotification({ i: seq(), orderId: id, merchantPid, atMs: t0 }),
      ...statuses.map((status, j) => changeNotification({ i: seq(), orderId: id, status, atMs: t0 + (j + 1) * 1000 })),
    ];
    // 3 more deliveries of notifications already in the list: Alipay's retries.
    const all = [...distinct, ...[0, 1, 2].map(() => distinct[Math.floor(random() * distinct.length)])];
    orders.push({ id, final, merchantPid, distinct });
    deliveries.push(...all.map((n) => ({ id, n })));
  }
  assert.equal(deliveries.length, 500);
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  const firstRequest = mock.requests.length;
  const t = performance.now();
  const results = await pool(deliveries, 50, (d) => post(d.n.body));
  const ms = performance.now() - t;
  const bad = results
    .map((r, i) => [deliveries[i].n.notifyId, r.status, r.text])
    .filter(([, s, x]) => s !== 200 || x !== "success");
  assert.deepEqual(bad, [], "every delivery acknowledged");

  // What each order's Durable Object stored.
  const records = await pool(orders, 10, (o) => order(o.id));
  for (const [k, o] of orders.entries()) {
    const rec = records[k];
    assert.equal(rec.state.status, o.final, `${o.id}: ends as its newest event says`);
    const notified = rec.events.filter((e) => !e.id.startsWith("call:")).map((e) => e.id);
    assert.deepEqual(
      [...notified].sort(),
      o.distinct.map((n) => n.notifyId).sort(),
      `${o.id}: each notification applied once`,
    );
    assert.equal(new Set(rec.state.applied).size, rec.state.applied.length, `${o.id}: no event applied twice`);
    for (const n of o.distinct) assert.ok(rec.handled.includes(n.notifyId), `${o.id}: ${n.notifyId} handled`);
    assert.equal(rec.handled.length, 2 * o.distinct.length, "notify_id + fingerprint of each, once");
    assert.equal(rec.serviceStopped, o.final === "MERCHANT_CANCELLED", `${o.id}: service stopped iff cancelled`);
    assert.equal(rec.merchantPid, o.merchantPid);
  }
  // Only queries went to Alipay (its view already was final: nothing to accept or complete),
  // each verified, at most one per distinct notification.
  const sent = mock.requests.slice(firstRequest);
  assert.deepEqual([...new Set(sent.map((r) => r.api))], ["orderQuery"]);
  assert.ok(sent.every((r) => r.verified));
  assert.ok(sent.length <= 350, `${sent.length} queries`);
  // The merchant index: each merchant lists exactly its orders.
  for (const pid of merchants) {
    const m = await merchant(pid);
    assert.deepEqual(
      [...m.orders].sort(),
      orders
        .filter((o) => o.merchantPid === pid)
        .map((o) => o.id)
        .sort(),
    );
  }
  // The origin consumed each distinct notification exactly once.
  const ids = orders.flatMap((o) => o.distinct.map((n) => n.notifyId));
  const seen = await consumed(ids, 30000);
  const wrong = ids.filter((id) => seen.filter((x) => x === id).length !== 1);
  assert.deepEqual(wrong, []);
  console.log(
    `# workerd lifecycle load: 500 deliveries, 50 concurrent, ${sent.length} order.query calls: ${ms.toFixed(0)} ms`,
  );
});

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

// ─── logging and configuration ────────────────────────────────────────────────────────────

test("a refused notification is logged with its code and the inspect hint, never the body or a key", async () => {
  const n = orderNotification({ i: seq(), orderId: orderIds(), merchantPid: M1, atMs: Date.now() });
  const tampered = n.body.replace("total_price=0.01", "total_price=0.02");
  const from = logs.length;
  const r = await post(tampered);
  assert.equal(r.status, 400);
  assert.deepEqual(JSON.parse(r.text), { code: "SIGNATURE_MISMATCH" });
  const line = await waitLog((l) => l.msg === "refused", from);
  assert.ok(line, "logged");
  assert.equal(line.code, "SIGNATURE_MISMATCH");
  assert.equal(typeof line.hint, "string");
  assert.ok(line.hint.length > 10, line.hint);
  const text = logs.slice(from).join("");
  const sign = new URLSearchParams(tampered).get("sign");
  assert.equal(text.includes(sign), false, "no signature (body) in the log");
  assert.equal(text.includes("total_price"), false, "no body in the log");
  assert.equal(text.includes(testAlipayKey().trim().slice(20, 60)), false, "no key in the log");
});

test("configuration errors answer 500 with the code and log why (no key material); admin routes are guarded", async () => {
  const n = orderNotification({ i: seq(), orderId: orderIds(), merchantPid: M1, atMs: Date.now() });
  const from = logs.length;
  const bad = await post(n.body, BAD_KEY);
  assert.equal(bad.status, 500);
  assert.deepEqual(JSON.parse(bad.text), { code: "INVALID_PRIVATE_KEY" });
  const line = await waitLog((l) => l.msg === "gateway misconfigured" && l.code === "INVALID_PRIVATE_KEY", from);
  assert.ok(line, "logged");
  assert.match(line.message, /^ALIPAY_APP_PRIVATE_KEY: /);
  assert.equal(logs.slice(from).join("").includes("not-a-key"), false, "the key text is not logged");
  const noApp = await post(n.body, NO_APP_ID);
  assert.equal(noApp.status, 500);
  assert.deepEqual(JSON.parse(noApp.text), { code: "INVALID_OPTIONS" });
  const line2 = await waitLog((l) => l.msg === "gateway misconfigured" && l.code === "INVALID_OPTIONS", from);
  assert.match(line2.message, /app_id|appId/);
  // Nothing was applied while misconfigured.
  const res = await mf.dispatchFetch(`http://${BAD_KEY}/orders/${n.params.commodity_order_id}`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), { code: "NOT_FOUND" });
  // The admin route wants the token.
  for (const headers of [{}, { Authorization: "Bearer wrong" }, { Authorization: ADMIN_TOKEN }]) {
    const r = await mf.dispatchFetch(`http://${ACTING}/orders/x`, { headers });
    assert.equal(r.status, 401);
    assert.deepEqual(await r.json(), { code: "UNAUTHORIZED" });
  }
});

async function consumed(ids, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const seen = await (await mf.dispatchFetch("http://origin.test/")).json();
    if (ids.every((id) => seen.includes(id)) || Date.now() > deadline) {
      await new Promise((r) => setTimeout(r, 300));
      return (await mf.dispatchFetch("http://origin.test/")).json();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
