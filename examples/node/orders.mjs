// ─── YOUR LOGIC GOES HERE ──────────────────────────────────────────────────────────────────
// The example's handling: every verified notification drives the order lifecycle
// (`applyOrderEvent` of alipay-notify) and, when an OpenAPI client is configured, the gateway acts
// on the next step the lifecycle names — accept or reject a new order, report the implementation
// complete once the merchant authorised, query an order whose state is in doubt, stop the service
// of a cancelled order — before Alipay gets its `success`.
//
// Exactly once: the mark "this notification was applied" and the state it changed commit in one
// store transaction, so a notification handled twice (a redelivery after a failed call, a claim
// that expired) never applies its event twice. Calls are at-least-once: a call that fails on the
// network answers 5xx, Alipay delivers again, and the redelivery re-reads the next step from the
// stored state and tries again.
import { applyOrderEvent } from "alipay-notify";
import { describeError, logLine } from "./log.mjs";
import { MemoryStore } from "./store.mjs";

/** How many calls an order's record keeps (oldest dropped first). */
export const MAX_CALLS = 100;

/** Item statuses (`order.query` → `order_items[].order_status`) that still need `order.item.complete`. */
const TO_COMPLETE = new Set(["TO_DO", "DOING"]);

/**
 * Thrown when a call to Alipay failed in a way a later attempt may fix (network error, timeout,
 * 5xx): the gateway answers `status` with `{ code }`, so Alipay delivers the notification again.
 */
export class RetryLater extends Error {
  constructor(api, cause) {
    super(`${api} failed (${cause?.code ?? "error"}); Alipay will deliver the notification again`, { cause });
    this.name = "RetryLater";
    this.status = 502;
    this.code = typeof cause?.code === "string" ? cause.code : "ALIPAY_CALL_FAILED";
  }
}

/** Whether a failed call may succeed later: anything but Alipay's own answer below 500. */
export function isRetryable(e) {
  if (e?.code !== "ALIPAY_API_ERROR") return true;
  // v2 `20000` is "Service Currently Unavailable" (isp.*), a 5xx in all but name.
  return (e.httpStatus ?? 0) >= 500 || e.alipayCode === "20000";
}

/**
 * The default `decide`: reject orders whose `item_code` is in `rejectItemCodes`
 * (`REJECT_ITEM_CODES`), accept the rest.
 * @param {readonly string[]} rejectItemCodes
 * @returns {(order: { itemCode: string | null }) => Verdict}
 */
export function rejectItemCodes(rejectItemCodes) {
  const codes = new Set(rejectItemCodes);
  return (order) =>
    order.itemCode && codes.has(order.itemCode)
      ? { accept: false, reason: `暂不提供该商品的服务 (item ${order.itemCode} is not served)` }
      : { accept: true };
}

/**
 * What `decide` answers: accept, or reject with a reason (`reject_reason`, required by Alipay).
 * @typedef {{ accept: boolean, reason?: string }} Verdict
 */

/** A new order's record: what the store keeps per order (plain JSON). */
function newRecord(orderId) {
  return {
    orderId,
    merchantPid: null,
    itemCode: null,
    /** From the order notification (订购通知). */
    order: null,
    /** The lifecycle state (`OrderState`), `next` action and `deadline` after the last event. */
    state: null,
    next: null,
    deadline: null,
    serviceStopped: false,
    serviceStoppedAtMs: null,
    /** The calls made for this order, newest last: `{ api, item, atMs, outcome, alipayCode?, subCode? }`. */
    calls: [],
    /** The last failed call (same shape, with `message`), or null. */
    lastError: null,
    lastNotification: null,
    updatedAtMs: null,
  };
}

/** The authorization event an order sees for its merchant's latest authorization. */
const authEvent = (auth, orderId) => ({
  type: "authorizationNotified",
  id: `auth:${auth.notifyId}:${orderId}`,
  atMs: auth.atMs,
  granted: auth.granted,
});

/** `order.query`'s items as the lifecycle keys them: shop id, else mini app id → order_status. */
function itemsOf(result) {
  const items = {};
  for (const item of result.orderItems ?? []) {
    const key = item.shopId || item.miniAppId;
    if (key && item.orderStatus) items[key] = item.orderStatus;
  }
  return items;
}

/**
 * The example's app: `handle(notification)` for `createHandler`, and read views of the store.
 *
 * - `store`: a `MemoryStore` (default) or `SqliteStore` (store.mjs) — the same one the handler
 *   dedupes deliveries with, in `node server.mjs`.
 * - `client`: an OpenAPI client (`createClient` of `alipay-notify/client`); without one the
 *   gateway only records.
 * - `decide(order)` → `{ accept: true }` or `{ accept: false, reason }` (may be async); the
 *   default rejects the `rejectItemCodes`. `order` is `{ orderId, itemCode, merchantPid, record, items }`.
 * - `now`: the clock (epoch ms) for call times and deadlines.
 * - `logger`: where the JSON lines go (default `console`).
 *
 * @param {object} [options]
 * @param {MemoryStore | import("./store.mjs").SqliteStore} [options.store]
 * @param {import("alipay-notify/client").Client | null} [options.client]
 * @param {readonly string[]} [options.rejectItemCodes]
 * @param {(order: { orderId: string, itemCode: string | null, merchantPid: string | null, record: any, items: any[] }) =>
 *   Verdict | Promise<Verdict>} [options.decide]
 * @param {() => number} [options.now]
 * @param {Partial<Pick<Console, "log" | "error">>} [options.logger]
 */
export function createExampleApp({
  store = new MemoryStore(),
  client = null,
  rejectItemCodes: rejected = [],
  decide = rejectItemCodes(rejected),
  now = Date.now,
  logger = console,
} = {}) {
  let seq = 0;
  const locks = new Map(); // order id → the tail of its acting chain

  /** Applies `n` in one transaction; returns the orders to act on. Synchronous by design. */
  function apply(tx, n) {
    const event = n.orderEvent?.event ?? null;
    const key = event?.id ?? n.notifyId ?? `sig:${n.fingerprint}`;
    const orderId = n.orderEvent?.orderId ?? null;
    const first = tx.markApplied(key, { kind: n.kind, orderId });
    const at = now();
    const orders = [];
    const update = (id, events, patch = (_rec) => {}) => {
      orders.push(id);
      if (!first) return; // applied before: only act again
      const rec = tx.getOrder(id) ?? newRecord(id);
      patch(rec);
      for (const e of events) {
        const out = applyOrderEvent(rec.state, e, { now: at });
        rec.state = out.state;
        rec.next = out.next;
        rec.deadline = out.deadline;
      }
      rec.lastNotification = { kind: n.kind, notifyId: n.notifyId, notifyTime: n.notifyTime };
      rec.updatedAtMs = at;
      tx.putOrder(rec);
    };
    switch (n.kind) {
      case "servicemarket_order_notify": {
        // 订购通知
        if (!orderId || !event) break;
        const pid = n.merchantPid;
        const auth = pid ? tx.getAuth(pid) : null;
        update(orderId, auth ? [event, authEvent(auth, orderId)] : [event], (rec) => {
          rec.merchantPid = pid ?? rec.merchantPid;
          rec.itemCode = n.itemCode ?? rec.itemCode;
          rec.order = { title: n.title, name: n.name, totalPrice: n.totalPrice, orderTime: n.orderTime };
        });
        if (pid && first) tx.linkOrder(pid, orderId);
        break;
      }
      case "alipay.open.servicemarket.order.change.notify": // 订单状态变更
        if (orderId && event)
          update(orderId, [event], (rec) => {
            rec.itemCode = rec.itemCode ?? n.itemCode;
          });
        break;
      case "open_app_auth_notify": {
        // 第三方应用授权通知: no order id; it reaches the merchant's orders through its PID.
        const pid = n.detail?.userId ?? null;
        if (!pid || event?.type !== "authorizationNotified") break;
        let auth = tx.getAuth(pid);
        if (first && (!auth || auth.atMs <= event.atMs)) {
          auth = {
            merchantPid: pid,
            authAppId: n.authAppId,
            status: n.status,
            granted: event.granted,
            appAuthToken: event.granted ? (n.detail?.appAuthToken ?? null) : null,
            notifyId: key,
            atMs: event.atMs,
          };
          tx.putAuth(auth);
        } else if (first || !auth) break; // older than the authorization in force: nothing changes
        for (const id of tx.ordersOf(pid)) update(id, [authEvent(auth, id)]);
        break;
      }
      default: // 续费订单 and anything else: recorded as applied, no order changes
        break;
    }
    return { key, applied: first, orders };
  }

  async function handle(n) {
    const result = store.transact((tx) => apply(tx, n));
    logLine(logger, "info", {
      msg: "notification",
      kind: n.kind,
      notifyId: n.notifyId,
      applied: result.applied,
      orders: result.orders.map((id) => ({ order: id, next: store.getOrder(id)?.next?.id ?? null })),
    });
    if (client) {
      // Every order gets its step even when one fails; the first failure then asks for a retry.
      const failures = [];
      for (const id of result.orders) await act(id).catch((e) => failures.push(e));
      if (failures.length > 0) throw failures[0];
    }
    return result;
  }

  /** Runs `fn` after every earlier step on the same order (one process: no double accept). */
  async function exclusive(id, fn) {
    const before = locks.get(id);
    /** @type {(value?: unknown) => void} */
    let release = () => {};
    const mine = new Promise((resolve) => {
      release = resolve;
    });
    const tail = (before ?? Promise.resolve()).then(() => mine);
    locks.set(id, tail);
    await before;
    try {
      return await fn();
    } finally {
      release();
      if (locks.get(id) === tail) locks.delete(id);
    }
  }

  /**
   * Acts on the stored next step of order `id`, then on the step that follows from the result
   * (an accepted order whose merchant already authorised is implemented at once; a query that
   * reveals a cancel stops the service), each step at most once per delivery. Throws
   * `RetryLater` when a call must be retried.
   */
  function act(id) {
    return exclusive(id, async () => {
      const done = new Set();
      for (;;) {
        const rec = store.getOrder(id);
        const step = rec?.next ? STEPS[rec.next.id] : undefined;
        if (!step || done.has(rec.next.id) || (rec.next.id === "STOP_SERVICE" && rec.serviceStopped)) return;
        done.add(rec.next.id);
        await step(rec);
      }
    });
  }

  /**
   * One call: its outcome recorded on the order, its result applied as events, one log line.
   * A business refusal returns `{ ok: false }`; a failure worth retrying throws `RetryLater`.
   */
  async function call(orderId, api, params, eventsOf, item = null) {
    let result;
    let error = null;
    try {
      result = await client[api](params);
    } catch (e) {
      error = e;
    }
    const atMs = now();
    const entry = { api, item, atMs, outcome: error ? (error.code ?? "ERROR") : "OK" };
    if (error?.code === "ALIPAY_API_ERROR")
      Object.assign(entry, { alipayCode: error.alipayCode, subCode: error.subCode });
    const retry = error !== null && isRetryable(error);
    const record = store.transact((tx) => {
      const rec = tx.getOrder(orderId);
      rec.calls = [...rec.calls, entry].slice(-MAX_CALLS);
      if (error) rec.lastError = { ...entry, message: describeError(error).message };
      else {
        for (const e of eventsOf(result, atMs)) {
          const out = applyOrderEvent(rec.state, e, { now: atMs });
          rec.state = out.state;
          rec.next = out.next;
          rec.deadline = out.deadline;
        }
      }
      rec.updatedAtMs = atMs;
      tx.putOrder(rec);
      return rec;
    });
    logLine(logger, error ? "warn" : "info", {
      msg: "call",
      api,
      order: orderId,
      ...(item ? { item } : {}),
      outcome: entry.outcome,
      ...(entry.alipayCode !== undefined ? { alipayCode: entry.alipayCode, subCode: entry.subCode ?? null } : {}),
      ...(error ? { retry } : { next: record.next?.id ?? null }),
    });
    if (retry) throw new RetryLater(api, error);
    return { ok: error === null, result, record };
  }

  /** `order.query`, applied as a `queried` event (Alipay's own view). */
  function query(orderId) {
    return call(orderId, "orderQuery", { commodityOrderId: orderId }, (r, atMs) => [
      {
        type: "queried",
        id: `call:orderQuery:${orderId}:${atMs}-${++seq}`,
        atMs,
        status: typeof r.status === "string" ? r.status : null,
        items: itemsOf(r),
      },
    ]);
  }

  async function acceptOrReject(rec) {
    const id = rec.orderId;
    const q = await query(id);
    // Alipay may have moved on (an earlier accept whose answer was lost): then nothing to decide.
    if (!q.ok || q.record.next?.id !== "ACCEPT_OR_REJECT") return;
    const verdict = await decide({
      orderId: id,
      itemCode: q.record.itemCode,
      merchantPid: q.record.merchantPid,
      record: q.record,
      items: q.result.orderItems ?? [],
    });
    const r = verdict.accept
      ? await call(id, "orderAccept", { commodityOrderId: id }, (_, atMs) => [
          { type: "accepted", id: `call:orderAccept:${id}`, atMs },
        ])
      : await call(id, "orderReject", { commodityOrderId: id, rejectReason: verdict.reason }, (_, atMs) => [
          { type: "rejected", id: `call:orderReject:${id}`, atMs },
        ]);
    if (!r.ok) await query(id); // refused: learn the state Alipay has instead
  }

  /** The example's implementation is immediate: every item still to do is reported complete. */
  async function implement(rec) {
    const id = rec.orderId;
    const q = await query(id);
    if (!q.ok || q.record.next?.id !== "IMPLEMENT") return;
    for (const item of q.result.orderItems ?? []) {
      const key = item.shopId || item.miniAppId;
      if (!key || (item.orderStatus && !TO_COMPLETE.has(item.orderStatus))) continue;
      const params = item.shopId
        ? { commodityOrderId: id, shopId: item.shopId }
        : { commodityOrderId: id, miniAppId: item.miniAppId };
      const r = await call(
        id,
        "orderItemComplete",
        params,
        (_, atMs) => [{ type: "itemCompleted", id: `call:orderItemComplete:${id}:${key}`, atMs, item: key }],
        key,
      );
      if (!r.ok) {
        await query(id);
        return;
      }
    }
  }

  async function stopService(rec) {
    if (rec.serviceStopped) return;
    const id = rec.orderId;
    await query(id); // confirm (a refused query leaves the verified cancel in force)
    const stopped = store.transact((tx) => {
      const r = tx.getOrder(id);
      if (r.serviceStopped || r.next?.id !== "STOP_SERVICE") return null;
      r.serviceStopped = true;
      r.serviceStoppedAtMs = now();
      tx.putOrder(r);
      return r;
    });
    if (stopped) {
      logLine(logger, "info", {
        msg: "service stopped",
        order: id,
        status: stopped.state?.status ?? null,
        atMs: stopped.serviceStoppedAtMs,
      });
    }
  }

  // WAIT_*, SERVE and NOTHING: nothing to call.
  const STEPS = {
    ACCEPT_OR_REJECT: acceptOrReject,
    IMPLEMENT: implement,
    QUERY_ORDER: (rec) => query(rec.orderId),
    STOP_SERVICE: stopService,
  };

  return {
    store,
    handle,
    act,
    /** The per-order records (read only): `get(id)` → `{ state, next, serviceStopped, calls, lastError, … }`. */
    orders: {
      get: (id) => store.getOrder(id),
      has: (id) => store.getOrder(id) !== null,
      get size() {
        return store.countOrders();
      },
    },
    /** The latest authorization per merchant PID: `{ appAuthToken, granted, authAppId, atMs, … }`. */
    authTokens: {
      get: (pid) => store.getAuth(pid),
      get size() {
        return store.countAuths();
      },
    },
  };
}
