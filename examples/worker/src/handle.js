// ─── YOUR LOGIC GOES HERE ──────────────────────────────────────────────────────────────────
// The gateway verifies, de-duplicates and drives each order's lifecycle (order.js); these hooks
// are the decisions an ISV makes. Throw to refuse the work for now: the gateway answers 5xx and
// Alipay delivers the notification again later.

import { rejectedItemCodes } from "./config.js";

/**
 * Whether to accept a new order (`order.accept`) or reject it (`order.reject` with a reason).
 * The default rejects the `item_code`s listed in `REJECT_ITEM_CODES` and accepts the rest.
 * @param {{ orderId: string, itemCode: string | null, merchantPid: string | null,
 *   items: Record<string, string> }} order what the gateway knows of the order
 * @param {any} env the Worker's bindings
 * @returns {{ accept: true } | { accept: false, reason: string }}
 */
export function decide(order, env) {
  if (order.itemCode && rejectedItemCodes(env).has(order.itemCode)) {
    return { accept: false, reason: `服务商暂不提供该服务 (${order.itemCode})` };
  }
  return { accept: true };
}

/**
 * Forwards a verified notification to `NOTIFY_QUEUE` (when bound) as JSON, so an origin service
 * only ever consumes verified data. Called once per notification, before it is marked handled.
 */
export async function forward(n, env) {
  if (!env.NOTIFY_QUEUE) return;
  await env.NOTIFY_QUEUE.send(
    { notifyId: n.notifyId, kind: n.kind, receivedAt: new Date().toISOString(), notification: n },
    { contentType: "json" },
  );
}
