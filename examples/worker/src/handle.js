// ─── YOUR LOGIC GOES HERE ──────────────────────────────────────────────────────────────────
// Called once per verified notification (`notification.verified === true`). Throw if the work
// could not be finished: the gateway then answers 5xx and Alipay delivers it again later.
// Delivery is at-least-once (see README), so keep this idempotent: overwrite state, do not append.
//
// This example keeps the latest state per order and the app-auth tokens per authorizing app in
// KV, and forwards every verified notification to a Queue (when bound) as JSON, so an origin
// service only ever consumes verified data.

export async function handleNotification(n, env) {
  switch (n.kind) {
    case "servicemarket_order_notify": // 订购通知: a merchant ordered
      await saveOrder(env, n.commodityOrderId, n);
      break;
    case "alipay.open.servicemarket.order.change.notify": // 订单状态变更
      await saveOrder(env, n.orderNo, n);
      break;
    case "open_app_auth_notify": // 第三方应用授权通知: tokens of the merchant's app
      if (n.authAppId) {
        await env.NOTIFY_KV.put(
          `auth:${n.authAppId}`,
          JSON.stringify({ authAppId: n.authAppId, status: n.status, notifyId: n.notifyId, detail: n.detail }),
        );
      }
      break;
    default: // 续费订单 and anything else: only forwarded
      break;
  }
  if (env.NOTIFY_QUEUE) {
    await env.NOTIFY_QUEUE.send(
      { notifyId: n.notifyId, kind: n.kind, receivedAt: new Date().toISOString(), notification: n },
      { contentType: "json" },
    );
  }
}

/**
 * When Alipay sent the notification, in epoch ms: `utc_timestamp` (order changes), else
 * `notify_time` (Beijing time, UTC+8). Both are signed; null when the notification has neither.
 */
export function sentAtMs(n) {
  if (n.utcTimestamp && /^\d+$/.test(n.utcTimestamp)) return Number(n.utcTimestamp);
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(n.notifyTime ?? "");
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4] - 8, +m[5], +m[6]) : null;
}

/** Keeps the newest state of an order (by the signed send time: a late retry never rolls it back). */
async function saveOrder(env, orderNo, n) {
  if (!orderNo) return;
  const key = `order:${orderNo}`;
  const previous = await env.NOTIFY_KV.get(key, "json");
  const sentAt = sentAtMs(n);
  if (previous?.sentAt != null && sentAt != null && previous.sentAt > sentAt) return;
  const state = {
    orderNo,
    kind: n.kind,
    status: n.status ?? previous?.status ?? null,
    notifyId: n.notifyId,
    notifyTime: n.notifyTime,
    sentAt,
    notification: n,
  };
  await env.NOTIFY_KV.put(key, JSON.stringify(state));
}
