// The HTTP side of the gateway: size limits, verification, the answer Alipay needs. What happens
// to a verified notification is `handle` (route.js by default).
//
// Alipay retries every notification not answered with the body `success` (about 8 times over
// ~25 hours), whatever the status code. So:
//   verified, handled (or handled before)   → 200 `success`
//   fails verification                      → 4xx {"code": …}, never `success`
//   handling failed, store or config broken → 5xx, so Alipay delivers it again later
import { ACK, inspectNotification, limits, verifyNotification } from "alipay-notify";
import { admin } from "./admin.js";
import { alipayPublicKey, clientFor, configError, verifyOptions } from "./config.js";
import { log } from "./log.js";

/** Largest body accepted (the package's documented limit). */
export const MAX_BODY_BYTES = limits().maxBodyBytes;

/**
 * Builds the Worker's `fetch` handler around `handle(notification, env, ctx)`, which runs for
 * each verified notification and answers "handled", "duplicate" or a coded 5xx error (a throw
 * is a 500 `HANDLER_FAILED`); either way a failure means Alipay delivers it again.
 * @param {(notification: import("alipay-notify").Notification, env: any, ctx: any) =>
 *   Promise<import("./order.js").Handled>} handle
 */
export function createGateway(handle) {
  return {
    async fetch(request, env, ctx) {
      const url = new URL(request.url);
      const routed = await admin(request, url, env);
      if (routed) return routed;
      if (url.pathname !== (env.GATEWAY_PATH || "/")) return reply(404, "NOT_FOUND");
      if (request.method !== "POST") return reply(405, "METHOD_NOT_ALLOWED", { Allow: "POST" });

      const body = await readBody(request, MAX_BODY_BYTES);
      if (body === null) return reply(413, "INPUT_TOO_LARGE");
      // Alipay posts a form body; some callers put the params in the query string instead.
      // The Content-Type is not trusted either way: Alipay's varies, the bytes are what count.
      const input = body.byteLength > 0 ? body : url.search;

      let key;
      let options;
      let notification;
      try {
        key = alipayPublicKey(env);
        options = verifyOptions(env);
        clientFor(env); // a bad app key or endpoint is a configuration error, before anything is applied
        if (!env.ORDERS) throw configError("the ORDERS Durable Object binding is missing", "STORE_UNAVAILABLE");
        notification = verifyNotification(input, key, options);
      } catch (e) {
        return rejection(e, input, key, options);
      }

      let result;
      try {
        result = await handle(notification, env, ctx);
      } catch (e) {
        log("error", "handling failed; Alipay will retry", {
          notifyId: notification.notifyId,
          message: String(e?.message ?? e),
        });
        return reply(500, "HANDLER_FAILED");
      }
      if (result.error) {
        log("warn", "handling deferred; Alipay will retry", { notifyId: notification.notifyId, ...result.error });
        return reply(result.error.status, result.error.code, { "Retry-After": "60" });
      }
      return ack();
    },
  };
}

/**
 * Reads the raw body bytes (never a decoded string: GBK must reach the verifier intact).
 * Returns null when the declared Content-Length or the bytes actually read exceed `max`.
 */
export async function readBody(request, max) {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > max) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

// Our own configuration is wrong: answer 5xx so nothing is lost while it gets fixed.
const CONFIG_CODES = new Set(["INVALID_PUBLIC_KEY", "INVALID_PRIVATE_KEY", "INVALID_OPTIONS", "STORE_UNAVAILABLE"]);

/**
 * The answer to a notification that was not verified, logged with its code and the
 * `inspectNotification` hint (never the body, never a key).
 * @param {unknown} thrown
 */
function rejection(thrown, input, key, options) {
  const e = /** @type {import("alipay-notify").AlipayNotifyError} */ (thrown);
  if (e instanceof Error && e.name === "AlipayNotifyError" && typeof e.code === "string") {
    if (CONFIG_CODES.has(e.code)) {
      log("error", "gateway misconfigured", { code: e.code, message: e.message });
      return reply(500, e.code);
    }
    log("warn", "refused", { code: e.code, ...refusalHint(input, key, options, e.code) });
    return reply(e.code === "INPUT_TOO_LARGE" ? 413 : 400, e.code);
  }
  log("error", "verification crashed", { message: String(e?.message ?? e) });
  return reply(500, "INTERNAL_ERROR");
}

/**
 * What `inspectNotification` says is wrong (`problem`, `hint`): the problem of the error's own
 * code, else the first error. Nothing for a body over the limit (not worth reading again).
 */
function refusalHint(input, key, options, code) {
  if (code === "INPUT_TOO_LARGE" || !key) return {};
  const problems = inspectNotification(input, key, options).problems;
  const p = problems.find((x) => x.code === code) ?? problems.find((x) => x.severity === "error") ?? problems[0];
  return p ? { problem: p.code, hint: p.hint } : {};
}

function ack() {
  return new Response(ACK, { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

function reply(status, code, headers = {}) {
  return new Response(JSON.stringify({ code }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}
