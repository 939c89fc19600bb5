// The sandbox's log as readable text: one line per event, clock time first (Beijing time, as in
// the notifications), `→` for a notification sent to the gateway, `←` for a call received,
// `●` for what the merchant or Alipay's rules did.
import { beijing } from "./time.mjs";

const SHORT_KINDS = {
  servicemarket_order_notify: "order notify",
  open_app_auth_notify: "auth notify",
  "alipay.open.servicemarket.order.change.notify": "order change",
};

const excerpt = (s, n = 60) => (s.length > n ? `${JSON.stringify(s.slice(0, n))}…` : JSON.stringify(s));

/**
 * One log entry as a line.
 * @param {Record<string, any>} e
 */
function formatEntry(e) {
  const head = `${beijing(e.at)}  `;
  switch (e.type) {
    case "delivery": {
      const what = [SHORT_KINDS[e.kind] ?? e.kind, e.status, e.orderId ?? e.merchantPid].filter(Boolean).join(" ");
      const answer = e.error ? `failed: ${e.error}` : `${e.httpStatus} ${excerpt(e.answer ?? "")}`;
      const outcome =
        e.state === "delivered"
          ? "delivered"
          : e.state === "retrying"
            ? `retry at ${beijing(e.nextAttemptAt)}`
            : "given up";
      return `${head}→ ${what} (attempt ${e.attempt}): ${answer} → ${outcome}`;
    }
    case "call": {
      const what = [e.protocol, e.api ?? e.method ?? `${e.httpMethod} ${e.target}`, e.orderId]
        .filter(Boolean)
        .join(" ");
      const verdict = e.refusal ? `refused (${e.refusal})` : "verified";
      const code = e.answer ? [e.answer.code, e.answer.subCode].filter(Boolean).join(" ") : "";
      return `${head}← ${what}: ${verdict} → ${e.httpStatus} ${code}`.trimEnd();
    }
    case "merchant":
      return `${head}● merchant ${e.action} ${e.orderId} → ${e.status}`;
    case "rule":
      return `${head}● ${e.rule} ${e.orderId} → ${e.status}`;
    default:
      return `${head}${JSON.stringify(e)}`;
  }
}

export { formatEntry };
