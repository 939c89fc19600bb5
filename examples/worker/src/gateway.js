// The HTTP side of the gateway: size limits, verification, dedupe and the answer Alipay needs.
// Your own logic lives in handle.js; this file should not need changes.
//
// Alipay retries every notification not answered with the body `success` (about 8 times over
// ~25 hours), whatever the status code. So:
//   verified, handled (or handled before)   → 200 `success`
//   fails verification                      → 4xx {"code": …}, never `success`
//   handling threw, store or config broken  → 5xx, so Alipay delivers it again later
import { ACK, limits, verifyNotification } from "alipay-notify";

/** Largest body accepted (the package's documented limit). */
export const MAX_BODY_BYTES = limits().maxBodyBytes;
/** How long a handled notify_id is remembered: longer than Alipay's ~25 h of retries. */
export const DONE_TTL_SECONDS = 48 * 3600;

/**
 * Builds the Worker's `fetch` handler around `handle(notification, env, ctx)`, which runs once
 * per verified notification and must throw if it could not finish (Alipay then retries).
 * `store(env)` gives the dedupe store (default: `kvStore(env.NOTIFY_KV)`, see below).
 * @param {(notification: import("alipay-notify").Notification, env: any, ctx: any) => unknown} handle
 * @param {{ store?: (env: any) => DedupeStore }} [options]
 */
export function createGateway(handle, { store: storeFor = (env) => kvStore(env.NOTIFY_KV) } = {}) {
  return {
    async fetch(request, env, ctx) {
      const url = new URL(request.url);
      if (url.pathname !== (env.GATEWAY_PATH || "/")) return reply(404, "NOT_FOUND");
      if (request.method !== "POST") return reply(405, "METHOD_NOT_ALLOWED", { Allow: "POST" });

      const body = await readBody(request, MAX_BODY_BYTES);
      if (body === null) return reply(413, "INPUT_TOO_LARGE");
      // Alipay posts a form body; some callers put the params in the query string instead.
      // The Content-Type is not trusted either way: Alipay's varies, the bytes are what count.
      const input = body.byteLength > 0 ? body : url.search;

      let notification;
      try {
        if (!env.ALIPAY_PUBLIC_KEY) throw configError("ALIPAY_PUBLIC_KEY is not set");
        notification = verifyNotification(input, env.ALIPAY_PUBLIC_KEY, verifyOptions(env));
      } catch (e) {
        return rejection(e);
      }

      // Two keys, both signed and both fixed for one notification: notify_id (shared by Alipay's
      // retries) and the fingerprint (the same however the one signed body is spelled).
      const ids = dedupeIds(notification);
      const id = ids[0];
      let store;
      let state;
      try {
        store = storeFor(env);
        state = await claimAll(store, ids);
      } catch (e) {
        console.error("dedupe store unavailable", e);
        return reply(500, "STORE_UNAVAILABLE");
      }
      if (state === "done") return ack();
      if (state === "busy") return reply(503, "IN_PROGRESS", { "Retry-After": "60" });

      try {
        await handle(notification, env, ctx);
      } catch (e) {
        console.error(`handling ${id} failed; Alipay will retry`, e);
        await Promise.all(ids.map((i) => Promise.resolve().then(() => store.abort(i)))).catch(() => {});
        return reply(500, "HANDLER_FAILED");
      }
      try {
        for (const i of ids) await store.finish(i);
      } catch (e) {
        // Handled, so acknowledge; only a re-delivery could be handled a second time.
        console.error(`could not mark ${id} as handled`, e);
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

/** Verify options from the environment: `ALIPAY_VERIFY_OPTIONS` (JSON) and `ALIPAY_APP_ID`. */
function verifyOptions(env) {
  let options = {};
  const raw = env.ALIPAY_VERIFY_OPTIONS;
  if (raw) {
    try {
      options = typeof raw === "string" ? JSON.parse(raw) : { ...raw };
    } catch {
      throw configError("ALIPAY_VERIFY_OPTIONS is not valid JSON", "INVALID_OPTIONS");
    }
  }
  if (env.ALIPAY_APP_ID) options.appId = env.ALIPAY_APP_ID;
  return options;
}

function configError(message, code = "INVALID_PUBLIC_KEY") {
  return Object.assign(new Error(message), { name: "AlipayNotifyError", code });
}

// Our own configuration is wrong: answer 5xx so nothing is lost while it gets fixed.
const CONFIG_CODES = new Set(["INVALID_PUBLIC_KEY", "INVALID_OPTIONS"]);

/** @param {unknown} thrown */
function rejection(thrown) {
  const e = /** @type {import("alipay-notify").AlipayNotifyError} */ (thrown);
  if (e instanceof Error && e.name === "AlipayNotifyError" && typeof e.code === "string") {
    if (CONFIG_CODES.has(e.code)) {
      console.error(`gateway misconfigured: ${e.code}: ${e.message}`);
      return reply(500, e.code);
    }
    return reply(e.code === "INPUT_TOO_LARGE" ? 413 : 400, e.code);
  }
  console.error("verification crashed", e);
  return reply(500, "INTERNAL_ERROR");
}

/**
 * The dedupe keys of a verified notification: its `notify_id` (Alipay's retries share it) and its
 * `fingerprint` (SHA-256 of the signature: one value for every spelling of one signed body).
 * Both are signed, and the verifier refuses any body that could hide or change a signed
 * parameter, so an attacker holding a genuine notification cannot vary either.
 */
export function dedupeIds(n) {
  return [n.notifyId ?? null, `sig:${n.fingerprint}`].filter((x) => x !== null);
}

/**
 * A dedupe store: Workers KV (`kvStore`) or any other with the same three methods.
 * @typedef {object} DedupeStore
 * @property {(id: string) => Promise<"new" | "done" | "busy">} begin
 * @property {(id: string) => Promise<void>} finish
 * @property {(id: string) => Promise<void>} abort
 */

/**
 * Claims every key: "done" / "busy" as soon as one is (dropping the claims taken), else "new".
 * @param {DedupeStore} store
 * @param {string[]} ids
 */
async function claimAll(store, ids) {
  const claimed = [];
  for (const id of ids) {
    const state = await store.begin(id);
    if (state !== "new") {
      await Promise.all(claimed.map((c) => Promise.resolve().then(() => store.abort(c)))).catch(() => {});
      return state;
    }
    claimed.push(id);
  }
  return "new";
}

/**
 * The dedupe store on Workers KV (the same three methods as any store the gateway can use):
 *   begin(id)  → "done" if handled before, else "new" (a strongly consistent store, such as a
 *                Durable Object, may also answer "busy" while another delivery is handling it)
 *   finish(id) → remembered as handled for DONE_TTL_SECONDS
 *   abort(id)  → after a failed handling: undo what begin() claimed (nothing, for KV)
 * KV is eventually consistent (a write can take 60 s or more to be seen in other locations)
 * and has no compare-and-set, so two deliveries of one notify_id that arrive close together
 * can both be handled: delivery is at-least-once and handling must be idempotent. Alipay's
 * retries come minutes apart, long after the mark has spread, so in practice this is rare.
 * @returns {DedupeStore}
 */
export function kvStore(kv) {
  return {
    async begin(id) {
      return (await kv.get(`notify:${id}`)) === null ? "new" : "done";
    },
    async finish(id) {
      await kv.put(`notify:${id}`, new Date().toISOString(), { expirationTtl: DONE_TTL_SECONDS });
    },
    async abort() {
      // Nothing to undo: only a success is ever written.
    },
  };
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
