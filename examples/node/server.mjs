// Alipay Service Market notification gateway for a plain Node backend.
//
//   import { createHandler } from "./server.mjs";
//   http.createServer(createHandler({ alipayPublicKey, handle })).listen(3000);        // node:http
//   app.post("/alipay/notify", express.raw({ type: "*/*" }), createHandler({ …, path: null })); // Express
//
// or run it as is:  ALIPAY_PUBLIC_KEY=… node server.mjs   (SQLite store, see config.mjs)
//
// Alipay retries every notification not answered with the body `success` (about 8 times over
// ~25 hours), whatever the status code. So:
//   verified, handled (or handled before)   → 200 `success`
//   fails verification                      → 4xx {"code": …}, never `success`
//   handling threw, store or config broken  → 5xx, so Alipay delivers it again later
//
// The modules: server.mjs (HTTP: verify, dedupe, answer), store.mjs (SQLite and in-memory
// stores), orders.mjs (the order lifecycle and the calls to Alipay), config.mjs (environment),
// log.mjs (JSON lines).
import http from "node:http";
import { fileURLToPath } from "node:url";
import { ACK, inspectNotification, limits, verifyNotification } from "alipay-notify";
import { gatewayOptionsFromEnv } from "./config.mjs";
import { describeError, logLine } from "./log.mjs";
import { createExampleApp } from "./orders.mjs";
import { MemoryStore } from "./store.mjs";

export { CLAIM_TTL_MS, DONE_TTL_MS, MemoryStore, SqliteStore, openStore } from "./store.mjs";
export { createExampleApp, RetryLater, isRetryable, rejectItemCodes } from "./orders.mjs";

/** Largest body accepted (the package's documented limit). */
export const MAX_BODY_BYTES = limits().maxBodyBytes;

/**
 * A request handler for node:http (`(req, res)`) and Express-style stacks (`(req, res, next)`).
 *
 * - `alipayPublicKey`: the Alipay public key (支付宝公钥), not your app's key.
 * - `handle(notification, { req })`: your logic, run once per verified notification; throw if the
 *   work could not be finished (Alipay then retries). Delivery is at-least-once: keep it idempotent.
 *   An error with a 5xx `status` and a `code` (orders.mjs `RetryLater`) is answered with them;
 *   any other error with `500 HANDLER_FAILED`.
 * - `appId`, `verifyOptions`: passed to `verifyNotification` (e.g. `{ signTypes: ["RSA2", "RSA"] }`).
 * - `store`: dedupe store (default: a `MemoryStore`).
 * - `path`: the gateway path (default `"/"`); `null` answers on any path (when a router already
 *   matched it). Other paths get 404, or `next()` when there is one.
 * - `logger`: where refusals and failures are reported, one JSON line each (default: `console`).
 *   A refusal logs its code and the `inspectNotification` hint, never the body.
 *
 * @param {object} [options] `alipayPublicKey` and `handle` are required (checked at the start).
 * @param {string} [options.alipayPublicKey]
 * @param {string} [options.appId]
 * @param {import("alipay-notify").VerifyOptions} [options.verifyOptions]
 * @param {Pick<MemoryStore, "begin" | "finish" | "abort">} [options.store]
 * @param {(notification: import("alipay-notify").Notification, context: { req: http.IncomingMessage }) => unknown} [options.handle]
 * @param {string | null} [options.path]
 * @param {Partial<Pick<Console, "log" | "error">>} [options.logger]
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
    // The package's messages say why and never contain key material.
    const why = keyError ? `${keyError.code}: ${keyError.message}` : "missing";
    throw new TypeError(`createHandler: invalid alipayPublicKey (${why})`);
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
        logLine(logger, "error", {
          msg: "the request body was parsed before this handler; give it the raw bytes (express.raw)",
          code: "RAW_BODY_REQUIRED",
        });
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
          logLine(logger, "error", { msg: "bad verifyOptions", code: e.code, message: e.message });
          return reply(res, 500, e.code);
        }
        logLine(logger, "warn", {
          msg: "refused",
          code: e.code,
          ...refusalHint(input, alipayPublicKey, options, e.code),
        });
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
        logLine(logger, "error", { msg: "dedupe store unavailable", ...describeError(e) });
        return reply(res, 500, "STORE_UNAVAILABLE");
      }
      if (state === "done") return ack(res);
      if (state === "busy") return reply(res, 503, "IN_PROGRESS", { "Retry-After": "60" });

      try {
        await handle(notification, { req });
      } catch (e) {
        logLine(logger, "error", { msg: "handling failed; Alipay will retry", notifyId: id, ...describeError(e) });
        await Promise.all(ids.map((i) => Promise.resolve().then(() => store.abort(i)))).catch(() => {});
        const chosen = Number.isInteger(e?.status) && e.status >= 500 && e.status <= 599 && typeof e.code === "string";
        return chosen ? reply(res, e.status, e.code) : reply(res, 500, "HANDLER_FAILED");
      }
      try {
        for (const i of ids) await store.finish(i);
      } catch (e) {
        // Handled, so acknowledge; only a re-delivery could be handled a second time.
        logLine(logger, "error", {
          msg: "could not mark the notification as handled",
          notifyId: id,
          ...describeError(e),
        });
      }
      return ack(res);
    } catch (e) {
      logLine(logger, "error", { msg: "gateway error", ...describeError(e) });
      if (!res.headersSent) reply(res, 500, "INTERNAL_ERROR");
    }
  };
}

/**
 * The whole gateway: one store for the deliveries and the orders, the example's app acting on
 * them (`createExampleApp`), and the handler. Options: those of `createHandler` (without
 * `handle`) and of `createExampleApp` (`client`, `decide`, `rejectItemCodes`, `now`).
 * @param {Parameters<typeof createHandler>[0] & Parameters<typeof createExampleApp>[0]} options
 */
export function createGateway({
  store = new MemoryStore(),
  logger = console,
  client,
  decide,
  rejectItemCodes,
  now,
  ...handlerOptions
}) {
  const app = createExampleApp({ store, client, decide, rejectItemCodes, now, logger });
  const handler = createHandler({ ...handlerOptions, store, logger, handle: (n) => app.handle(n) });
  return { handler, app, store };
}

/**
 * What the debugger says about a refused notification: the problem's code and hint (its
 * `message` is left out: it may quote digests of the content). Nothing of the body itself.
 */
function refusalHint(input, alipayPublicKey, options, code) {
  if (code === "INPUT_TOO_LARGE") return {};
  try {
    const problems = inspectNotification(input, alipayPublicKey, options).problems;
    const p = problems.find((x) => x.code === code) ?? problems.find((x) => x.severity === "error") ?? problems[0];
    return p ? { problem: p.code, hint: p.hint } : {};
  } catch {
    return {};
  }
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

// ─── `node server.mjs` ─────────────────────────────────────────────────────────────────────

async function main() {
  // Configuration errors (a bad key, an unusable database) say why and stop here.
  const { summary, ...options } = await gatewayOptionsFromEnv(process.env);
  const { handler, store } = createGateway(options);
  const host = process.env.HOST || "127.0.0.1";
  const server = http.createServer(handler);
  server.listen(Number(process.env.PORT ?? 3000), host, () => {
    const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
    console.log(`alipay-notify gateway listening on http://${host}:${port}${options.path}`);
    logLine(console, "info", { msg: "started", ...summary });
  });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () =>
      server.close(() => {
        store.close();
        process.exit(0);
      }),
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? e));
    process.exit(1);
  });
}
