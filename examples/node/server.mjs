// Alipay Service Market notification gateway for a plain Node backend.
//
//   import { createHandler } from "./server.mjs";
//   http.createServer(createHandler({ alipayPublicKey, handle })).listen(3000);        // node:http
//   app.post("/alipay/notify", express.raw({ type: "*/*" }), createHandler({ …, path: null })); // Express
//
// or run it as is:  ALIPAY_PUBLIC_KEY=… node server.mjs
//
// Alipay retries every notification not answered with the body `success` (about 8 times over
// ~25 hours), whatever the status code. So:
//   verified, handled (or handled before)   → 200 `success`
//   fails verification                      → 4xx {"code": …}, never `success`
//   handling threw, store or config broken  → 5xx, so Alipay delivers it again later
import http from "node:http";
import { fileURLToPath } from "node:url";
import { ACK, inspectNotification, limits, verifyNotification } from "alipay-notify";

/** Largest body accepted (the package's documented limit). */
export const MAX_BODY_BYTES = limits().maxBodyBytes;
/** How long a handled notify_id is remembered: longer than Alipay's ~25 h of retries. */
export const DONE_TTL_MS = 48 * 3600 * 1000;
/** How long a delivery being handled holds its notify_id, should the process die mid-way. */
export const CLAIM_TTL_MS = 60 * 1000;

/**
 * The default dedupe store: one process, in memory (lost on restart). Any store with the same
 * three methods (sync or async) can replace it, e.g. Redis:
 *   begin(id)  → "done" if handled before, "busy" if another delivery holds it, else claim it
 *                and return "new"   (GET notify:id; SET claim:id 1 NX PX 60000 → "new" or "busy")
 *   finish(id) → remember it as handled for ≥ 25 h   (SET notify:id 1 PX 172800000)
 *   abort(id)  → drop the claim so the retry handles it (DEL claim:id)
 */
export class MemoryStore {
  #entries = new Map(); // id → { state: "busy" | "done", until: epoch ms }
  #ops = 0;

  constructor({ doneTtlMs = DONE_TTL_MS, claimTtlMs = CLAIM_TTL_MS, now = Date.now } = {}) {
    this.doneTtlMs = doneTtlMs;
    this.claimTtlMs = claimTtlMs;
    this.now = now;
  }

  begin(id) {
    const now = this.now();
    if (++this.#ops % 1024 === 0) this.#prune(now);
    const entry = this.#entries.get(id);
    if (entry && entry.until > now) return entry.state === "done" ? "done" : "busy";
    this.#entries.set(id, { state: "busy", until: now + this.claimTtlMs });
    return "new";
  }

  finish(id) {
    this.#entries.set(id, { state: "done", until: this.now() + this.doneTtlMs });
  }

  abort(id) {
    if (this.#entries.get(id)?.state === "busy") this.#entries.delete(id);
  }

  /** How many keys are remembered as handled (two per notification: see `dedupeIds`). */
  get size() {
    let n = 0;
    const now = this.now();
    for (const e of this.#entries.values()) if (e.state === "done" && e.until > now) n++;
    return n;
  }

  #prune(now) {
    for (const [id, e] of this.#entries) if (e.until <= now) this.#entries.delete(id);
  }
}

/**
 * A request handler for node:http (`(req, res)`) and Express-style stacks (`(req, res, next)`).
 *
 * - `alipayPublicKey`: the Alipay public key (支付宝公钥), not your app's key.
 * - `handle(notification, { req })`: your logic, run once per verified notification; throw if the
 *   work could not be finished (Alipay then retries). Delivery is at-least-once: keep it idempotent.
 * - `appId`, `verifyOptions`: passed to `verifyNotification` (e.g. `{ signTypes: ["RSA2", "RSA"] }`).
 * - `store`: dedupe store (default: a `MemoryStore`).
 * - `path`: the gateway path (default `"/"`); `null` answers on any path (when a router already
 *   matched it). Other paths get 404, or `next()` when there is one.
 * - `logger`: where failures are reported (default: `console`).
 *
 * @param {object} [options] `alipayPublicKey` and `handle` are required (checked at the start).
 * @param {string} [options.alipayPublicKey]
 * @param {string} [options.appId]
 * @param {import("alipay-notify").VerifyOptions} [options.verifyOptions]
 * @param {Pick<MemoryStore, "begin" | "finish" | "abort">} [options.store]
 * @param {(notification: import("alipay-notify").Notification, context: { req: http.IncomingMessage }) => unknown} [options.handle]
 * @param {string | null} [options.path]
 * @param {Pick<Console, "error">} [options.logger]
 */
export function createHandler({
  alipayPublicKey,
  appId,
  verifyOptions = {},
  store = new MemoryStore(),
  handle,
  path = "/",
  logger = console,
} = {}) {
  if (typeof handle !== "function") throw new TypeError("createHandler: `handle` must be a function");
  // A wrong key would make every notification fail: refuse to start instead.
  const keyError = inspectNotification("", alipayPublicKey ?? "").key.error;
  if (!alipayPublicKey || keyError) {
    throw new TypeError(`createHandler: invalid alipayPublicKey (${keyError?.code ?? "missing"})`);
  }
  const options = { ...verifyOptions, ...(appId ? { appId } : {}) };

  return async function alipayNotifyHandler(req, res, next) {
    try {
      // req.url: relative to the mount point under Express's app.use(path, …).
      const url = new URL(req.url ?? "/", "http://gateway.invalid");
      if (path !== null && url.pathname !== path) {
        if (typeof next === "function") return next();
        return reply(res, 404, "NOT_FOUND");
      }
      if (req.method !== "POST") return reply(res, 405, "METHOD_NOT_ALLOWED", { Allow: "POST" });

      const body = await rawBody(req, MAX_BODY_BYTES);
      if (body === TOO_LARGE) return reply(res, 413, "INPUT_TOO_LARGE", { Connection: "close" });
      if (body === CONSUMED) {
        logger.error(
          "alipay-notify: the request body was parsed before this handler; give it the raw bytes (express.raw)",
        );
        return reply(res, 500, "RAW_BODY_REQUIRED");
      }
      // Alipay posts a form body; some callers put the params in the query string instead.
      // The Content-Type is not trusted either way: Alipay's varies, the bytes are what count.
      const input = body.byteLength > 0 ? body : url.search;

      let notification;
      try {
        notification = verifyNotification(input, alipayPublicKey, options);
      } catch (e) {
        if (e?.name !== "AlipayNotifyError") throw e;
        if (e.code === "INVALID_OPTIONS") {
          logger.error(`alipay-notify: bad verifyOptions: ${e.message}`);
          return reply(res, 500, e.code);
        }
        return reply(res, e.code === "INPUT_TOO_LARGE" ? 413 : 400, e.code);
      }

      // Two keys, both signed and both fixed for one notification: notify_id (shared by Alipay's
      // retries) and the fingerprint (the same however the one signed body is spelled).
      const ids = dedupeIds(notification);
      const id = ids[0];
      let state;
      try {
        state = await claimAll(store, ids);
      } catch (e) {
        logger.error("alipay-notify: dedupe store unavailable", e);
        return reply(res, 500, "STORE_UNAVAILABLE");
      }
      if (state === "done") return ack(res);
      if (state === "busy") return reply(res, 503, "IN_PROGRESS", { "Retry-After": "60" });

      try {
        await handle(notification, { req });
      } catch (e) {
        logger.error(`alipay-notify: handling ${id} failed; Alipay will retry`, e);
        await Promise.all(ids.map((i) => Promise.resolve().then(() => store.abort(i)))).catch(() => {});
        return reply(res, 500, "HANDLER_FAILED");
      }
      try {
        for (const i of ids) await store.finish(i);
      } catch (e) {
        // Handled, so acknowledge; only a re-delivery could be handled a second time.
        logger.error(`alipay-notify: could not mark ${id} as handled`, e);
      }
      return ack(res);
    } catch (e) {
      logger.error("alipay-notify: gateway error", e);
      if (!res.headersSent) reply(res, 500, "INTERNAL_ERROR");
    }
  };
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

/** Claims every key: "done" / "busy" as soon as one is (dropping the claims taken), else "new". */
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

const TOO_LARGE = Symbol("too large");
const CONSUMED = Symbol("consumed");

/**
 * The raw body bytes (never a decoded string: GBK must reach the verifier intact): from
 * `req.body` when a raw parser ran (Express `express.raw`), else read from the stream, stopping
 * as soon as the declared Content-Length or the bytes actually received exceed `max`.
 */
export async function rawBody(req, max) {
  if (req.body instanceof Uint8Array) return req.body.byteLength > max ? TOO_LARGE : req.body;
  if (req.readableEnded) return CONSUMED;
  const declared = req.headers["content-length"];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > max) {
    req.resume(); // discard, then close (Connection: close)
    return TOO_LARGE;
  }
  const chunks = [];
  let total = 0;
  for await (const chunk of req) {
    total += chunk.length;
    if (total > max) {
      req.resume();
      return TOO_LARGE;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function ack(res) {
  res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": ACK.length });
  res.end(ACK);
}

function reply(res, status, code, headers = {}) {
  const body = JSON.stringify({ code });
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

// ─── YOUR LOGIC GOES HERE ──────────────────────────────────────────────────────────────────
// The example's handling: the latest state per order and the app-auth tokens per authorizing
// app, in memory. Replace the Maps with your database; keep the writes idempotent (overwrite).

// `alipay` (optional): an OpenAPI client (`createClient` of "alipay-notify/client"). With it, a
// new order is checked with Alipay (order.query, as the integration guide says to do whenever
// an order may have changed) and its verified status kept as `alipayStatus`.
export function createExampleApp({ alipay = null } = {}) {
  const orders = new Map(); // order number → latest state
  const authTokens = new Map(); // auth_app_id → tokens
  function saveOrder(orderNo, n) {
    if (!orderNo) return;
    const previous = orders.get(orderNo);
    // By the signed send time, so a late retry never rolls the order back.
    const sentAt = sentAtMs(n);
    if (previous?.sentAt != null && sentAt != null && previous.sentAt > sentAt) return;
    orders.set(orderNo, {
      orderNo,
      kind: n.kind,
      status: n.status ?? previous?.status ?? null,
      notifyId: n.notifyId,
      notifyTime: n.notifyTime,
      sentAt,
      notification: n,
    });
  }
  async function handle(n) {
    switch (n.kind) {
      case "servicemarket_order_notify": // 订购通知
        saveOrder(n.commodityOrderId, n);
        if (alipay && n.commodityOrderId) {
          const order = await alipay.orderQuery({ commodityOrderId: n.commodityOrderId });
          const state = orders.get(n.commodityOrderId);
          if (state) state.alipayStatus = order.status ?? null;
        }
        break;
      case "alipay.open.servicemarket.order.change.notify": // 订单状态变更
        saveOrder(n.orderNo, n);
        break;
      case "open_app_auth_notify": // 第三方应用授权通知
        if (n.authAppId) authTokens.set(n.authAppId, { status: n.status, notifyId: n.notifyId, detail: n.detail });
        break;
      default: // 续费订单 and anything else
        break;
    }
  }
  return { orders, authTokens, handle };
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

// ─── `node server.mjs` ─────────────────────────────────────────────────────────────────────

async function main() {
  const env = process.env;
  if (!env.ALIPAY_PUBLIC_KEY) {
    console.error("set ALIPAY_PUBLIC_KEY to the Alipay public key (支付宝公钥)");
    process.exit(1);
  }
  // The OpenAPI client only when configured (its module is loaded only then).
  const alipay =
    env.ALIPAY_APP_PRIVATE_KEY && env.ALIPAY_APP_ID
      ? (await import("alipay-notify/client")).createClient({
          appId: env.ALIPAY_APP_ID,
          privateKey: env.ALIPAY_APP_PRIVATE_KEY,
          alipayPublicKey: env.ALIPAY_PUBLIC_KEY,
        })
      : null;
  const app = createExampleApp({ alipay });
  const handler = createHandler({
    alipayPublicKey: env.ALIPAY_PUBLIC_KEY,
    appId: env.ALIPAY_APP_ID || undefined,
    verifyOptions: env.ALIPAY_VERIFY_OPTIONS ? JSON.parse(env.ALIPAY_VERIFY_OPTIONS) : {},
    path: env.GATEWAY_PATH || "/",
    handle: async (n) => {
      await app.handle(n);
      console.log(`handled ${n.kind} ${n.notifyId}`);
    },
  });
  const host = env.HOST || "127.0.0.1";
  const server = http.createServer(handler);
  server.listen(Number(env.PORT ?? 3000), host, () => {
    const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
    console.log(`alipay-notify gateway listening on http://${host}:${port}${env.GATEWAY_PATH || "/"}`);
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e.code ? `${e.code}: ${e.message}` : e);
    process.exit(1);
  });
}
