// Where a verified notification goes:
//   it names an order (notification.orderEvent.orderId)  → that order's Durable Object
//   an authorization with the merchant's PID             → the merchant's Durable Object, then
//                                                          every order of that merchant
//   anything else (renewal reminders, …)                 → KV dedupe, then forwarded
// Each answers "handled" (now), "duplicate" (before) or a coded 5xx.

import { claimAll, dedupeIds, kvStore } from "./dedupe.js";
import { forward } from "./handle.js";
import { authorizationEvent } from "./order.js";

/**
 * Handles one verified notification.
 * @param {import("alipay-notify").Notification} n
 * @param {any} env
 * @returns {Promise<import("./order.js").Handled>}
 */
export async function route(n, env) {
  const orderId = n.orderEvent?.orderId;
  if (orderId) return env.ORDERS.get(env.ORDERS.idFromName(orderId)).notify(n);
  const pid = n.kind === "open_app_auth_notify" ? n.detail?.userId : null;
  if (pid && n.orderEvent && env.MERCHANTS) return authorize(n, pid, env);
  return outsideOrders(n, env);
}

/**
 * An authorization: recorded by the merchant, applied to each of the merchant's orders.
 * @returns {Promise<import("./order.js").Handled>}
 */
async function authorize(n, pid, env) {
  const merchant = env.MERCHANTS.get(env.MERCHANTS.idFromName(pid));
  const ids = dedupeIds(n);
  const { event } = n.orderEvent;
  const notifyId = n.notifyId ?? event.id;
  const r = await merchant.authorize({
    ids,
    notifyId,
    atMs: event.atMs,
    granted: event.granted,
    appAuthToken: n.detail?.appAuthToken ?? null,
    authAppId: n.authAppId ?? n.detail?.authAppId ?? null,
  });
  if (r.state === "handled") return { status: "duplicate" };
  if (r.state === "busy") return { error: { status: 503, code: "IN_PROGRESS" } };
  const auth = { notifyId, atMs: event.atMs, granted: event.granted };
  try {
    const results = await Promise.all(
      r.orders.map((o) => env.ORDERS.get(env.ORDERS.idFromName(o)).authorization(o, authorizationEvent(auth, o))),
    );
    const failed = results.find((x) => x.error);
    if (failed) {
      await merchant.abort(ids);
      return failed;
    }
    await forward(n, env);
  } catch (e) {
    await merchant.abort(ids).catch(() => {});
    throw e;
  }
  await merchant.finish(ids);
  return { status: "handled" };
}

/**
 * No order, no merchant: KV dedupe (at-least-once), an authorization's token kept in KV.
 * @returns {Promise<import("./order.js").Handled>}
 */
async function outsideOrders(n, env) {
  const store = kvStore(env.NOTIFY_KV);
  const ids = dedupeIds(n);
  const state = await claimAll(store, ids);
  if (state === "done") return { status: "duplicate" };
  if (state === "busy") return { error: { status: 503, code: "IN_PROGRESS" } };
  if (n.kind === "open_app_auth_notify" && n.authAppId) {
    await env.NOTIFY_KV.put(
      `auth:${n.authAppId}`,
      JSON.stringify({ authAppId: n.authAppId, status: n.status, notifyId: n.notifyId, detail: n.detail }),
    );
  }
  await forward(n, env);
  for (const id of ids) await store.finish(id);
  return { status: "handled" };
}
