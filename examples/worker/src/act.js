// Acting on an order: the lifecycle's next action (`outcome.next.id`) becomes OpenAPI calls, and
// each successful call's result goes back into the same order's state as an event. The order
// Durable Object (order.js) runs this while it holds the order, so calls never interleave.
//
//   ACCEPT_OR_REJECT → orderQuery (the items), then orderAccept or orderReject per `decide`
//   IMPLEMENT        → orderQuery, then orderItemComplete for each item still to implement
//   QUERY_ORDER      → orderQuery
//   STOP_SERVICE     → orderQuery to confirm, then the service is marked stopped
//   anything else    → nothing (waiting for Alipay or the merchant)
//
// A business refusal (ALIPAY_API_ERROR) is recorded and ends the acting (retrying would not
// help); the order is then queried so its state catches up. A network error, a timeout or a 5xx
// ends it with `Unavailable`: the gateway answers 5xx, Alipay delivers the notification again,
// and the redelivery derives the same next action from the stored state and tries again.

import { decodeOrderStatus } from "alipay-notify";
import { log } from "./log.js";

/** At most this many actions per delivery (an accept can make the order ready to implement). */
const MAX_STEPS = 3;

/** Item statuses that need no `order.item.complete` (done, waiting for the merchant, or over). */
const NOT_TO_IMPLEMENT = new Set([
  "TO_CONFIRM",
  "CONFIRMED",
  "DONE",
  "MERCHANT_REJECTED",
  "MERCHANT_CANCELLED",
  "ISV_REJECTED",
  "ISV_CANCELLED",
]);

/** A call failed in a way a later attempt may not (network, timeout, 5xx): answer 5xx. */
export class Unavailable extends Error {
  constructor(api, cause) {
    super(`${api}: ${cause?.code ?? "INTERNAL_ERROR"}`);
    this.name = "Unavailable";
    this.code = typeof cause?.code === "string" ? cause.code : "INTERNAL_ERROR";
  }
}

/** Alipay refused the call (ALIPAY_API_ERROR): recorded; the notification is still answered `success`. */
class Refusal extends Error {
  constructor(api, cause) {
    super(`${api}: ${cause.alipayCode}`);
    this.api = api;
  }
}

const isRefusal = (e) => e?.code === "ALIPAY_API_ERROR" && !(e.httpStatus >= 500);

/**
 * What `act` needs of an order (implemented by the order Durable Object).
 * @typedef {object} ActingOrder
 * @property {string} id the commodity order id
 * @property {any} record the stored record (`state`, `next`, `itemCode`, `merchantPid`, …)
 * @property {(event: import("alipay-notify").OrderEvent) => void} apply applies and stores an event
 * @property {(call: Record<string, unknown>, error: boolean) => void} noteCall stores a call (and, if it failed, `lastError`)
 * @property {() => number} nextSeq a number not used before by this order (ids of repeated calls)
 * @property {(atMs: number) => void} stopService stores `serviceStopped`
 */

/**
 * Acts on the order's next action until nothing is left to do now (each action at most once).
 * @param {ActingOrder} order
 * @param {import("alipay-notify/client").Client} client
 * @param {(order: any) => { accept: true } | { accept: false, reason: string }} decide
 */
export async function act(order, client, decide) {
  const tried = new Set();
  for (let step = 0; step < MAX_STEPS; step++) {
    const id = order.record.next?.id;
    const run = ACTIONS[id];
    if (!run || tried.has(id) || (id === "STOP_SERVICE" && order.record.serviceStopped)) return;
    tried.add(id);
    try {
      await run(order, client, decide);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      if (e.api !== "orderQuery") await query(order, client).catch(ignoreRefusal);
      return;
    }
  }
}

const ACTIONS = {
  async ACCEPT_OR_REJECT(order, client, decide) {
    await query(order, client);
    if (order.record.next?.id !== "ACCEPT_OR_REJECT") return; // Alipay's view changed the plan
    const r = order.record;
    const verdict = decide({
      orderId: order.id,
      itemCode: r.itemCode ?? null,
      merchantPid: r.merchantPid ?? null,
      items: { ...(r.state?.items ?? {}) },
    });
    const commodityOrderId = order.id;
    if (verdict.accept) {
      const { atMs } = await call(order, "orderAccept", null, () => client.orderAccept({ commodityOrderId }));
      order.apply({ type: "accepted", id: `call:orderAccept:${order.id}`, atMs });
    } else {
      const rejectReason = verdict.reason;
      const { atMs } = await call(order, "orderReject", null, () =>
        client.orderReject({ commodityOrderId, rejectReason }),
      );
      order.apply({ type: "rejected", id: `call:orderReject:${order.id}`, atMs });
    }
  },

  async IMPLEMENT(order, client) {
    const items = await query(order, client);
    if (order.record.next?.id !== "IMPLEMENT") return;
    for (const item of items) {
      if (NOT_TO_IMPLEMENT.has(item.status)) continue;
      const params = {
        commodityOrderId: order.id,
        ...(item.shopId ? { shopId: item.shopId } : { miniAppId: item.miniAppId }),
      };
      const { atMs } = await call(order, "orderItemComplete", item.key, () => client.orderItemComplete(params));
      order.apply({
        type: "itemCompleted",
        id: `call:orderItemComplete:${order.id}:${item.key}`,
        atMs,
        item: item.key,
      });
    }
  },

  async QUERY_ORDER(order, client) {
    await query(order, client);
  },

  async STOP_SERVICE(order, client) {
    await query(order, client);
    if (order.record.next?.id !== "STOP_SERVICE") return;
    const atMs = Date.now();
    order.stopService(atMs);
    log("info", "service stopped", { order: order.id, status: order.record.state?.status ?? null, atMs });
  },
};

/**
 * `order.query`, applied as a `queried` event. Returns the items (`key` = shop id or mini app id).
 * @returns {Promise<Array<{ key: string, shopId: string | null, miniAppId: string | null, status: string }>>}
 */
async function query(order, client) {
  const { atMs, result } = await call(order, "orderQuery", null, () =>
    client.orderQuery({ commodityOrderId: order.id }),
  );
  const list = [];
  for (const it of result.orderItems ?? []) {
    const key = it.shopId || it.miniAppId;
    if (!key) continue;
    list.push({
      key,
      shopId: it.shopId || null,
      miniAppId: it.shopId ? null : it.miniAppId,
      status: it.orderStatus ?? "TO_DO",
    });
  }
  // An answer's status the lifecycle does not know is left out (the items still count).
  const status = typeof result.status === "string" && decodeOrderStatus(result.status) ? result.status : null;
  const id = `call:orderQuery:${order.id}:${order.nextSeq()}`;
  order.apply({ type: "queried", id, atMs, status, items: Object.fromEntries(list.map((i) => [i.key, i.status])) });
  return list;
}

function ignoreRefusal(e) {
  if (!(e instanceof Refusal)) throw e;
}

/**
 * Runs one call, records and logs it (api + outcome code). Returns its result and the time it
 * returned (epoch ms: the `atMs` of the event it becomes); throws `Refusal` or `Unavailable`.
 * @template T
 * @param {ActingOrder} order
 * @param {string} api
 * @param {string | null} item
 * @param {() => Promise<T>} fn
 * @returns {Promise<{ atMs: number, result: T }>}
 */
async function call(order, api, item, fn) {
  let result;
  try {
    result = await fn();
  } catch (e) {
    const refused = isRefusal(e);
    const info = {
      api,
      item,
      atMs: Date.now(),
      outcome: typeof e?.code === "string" ? e.code : "INTERNAL_ERROR",
      // The client's messages name the problem, never a key (Alipay's own message included).
      message: String(e?.message ?? e),
      alipayCode: e?.alipayCode ?? null,
      subCode: e?.subCode ?? null,
      httpStatus: e?.httpStatus ?? null,
      retry: !refused,
    };
    order.noteCall(info, true);
    log("warn", "call", { order: order.id, ...info });
    throw refused ? new Refusal(api, e) : new Unavailable(api, e);
  }
  const atMs = Date.now();
  order.noteCall({ api, item, atMs, outcome: "OK" }, false);
  log("info", "call", { order: order.id, api, item, outcome: "OK", next: order.record.next?.id ?? null });
  return { atMs, result };
}
