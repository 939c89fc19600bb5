// Delivery of notifications to the ISV's gateway, as Alipay does it: a POST of the form body; the
// gateway must answer exactly `success`, otherwise Alipay tries again after 4m, 10m, 10m, 1h,
// 2h, 6h and 15h (sandbox clock), then gives up. Deliveries go out one at a time, in the order
// they were made, so a gateway sees an order's notifications in the order Alipay produced them.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { HOUR_MS, MINUTE_MS } from "./time.mjs";

/** The waits before each retry, in order (8 attempts in all). */
const RETRY_DELAYS_MS = [
  4 * MINUTE_MS,
  10 * MINUTE_MS,
  10 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  6 * HOUR_MS,
  15 * HOUR_MS,
];

/** The longest answer kept in the log (a gateway's error page can be large). */
const MAX_ANSWER = 2000;

/**
 * @typedef {{ at: number, dueAt: number, httpStatus: number | null, answer: string | null, error: string | null }} Attempt
 * @typedef {{
 *   seq: number, notifyId: string, kind: string, status: string | null, orderId: string | null,
 *   merchantPid: string | null, charset: "UTF-8" | "GBK", variant: "v1" | "v2", body: string,
 *   params: Record<string, string>, createdAt: number, attempts: Attempt[],
 *   state: "queued" | "sending" | "retrying" | "delivered" | "given-up", nextAttemptAt: number | null
 * }} Delivery
 */

/**
 * POSTs `body` and resolves with the status and text of the answer (never rejects). `inFlight`
 * holds the request until it ends, so closing the sandbox can abort it.
 * @param {Set<import("node:http").ClientRequest>} inFlight
 */
function post(url, body, charset, timeoutMs, inFlight) {
  return new Promise((resolve) => {
    let target;
    try {
      target = new URL(url);
    } catch {
      resolve({ httpStatus: null, answer: null, error: "invalid gateway URL" });
      return;
    }
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(target, {
      method: "POST",
      headers: {
        "content-type": `application/x-www-form-urlencoded; charset=${charset}`,
        "content-length": Buffer.byteLength(body),
        "user-agent": "Mozilla/4.0",
      },
      timeout: timeoutMs,
    });
    inFlight.add(req);
    req.on("close", () => inFlight.delete(req));
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (e) => resolve({ httpStatus: null, answer: null, error: e.message }));
    req.on("response", (res) => {
      const chunks = [];
      let size = 0;
      res.on("data", (c) => {
        size += c.length;
        if (size <= MAX_ANSWER) chunks.push(c);
      });
      res.on("error", (e) => resolve({ httpStatus: res.statusCode ?? null, answer: null, error: e.message }));
      res.on("end", () =>
        resolve({ httpStatus: res.statusCode ?? null, answer: Buffer.concat(chunks).toString("utf8"), error: null }),
      );
    });
    req.end(body);
  });
}

/**
 * @param {{ gateway: string, now: () => number, timeoutMs: number, onAttempt: (d: Delivery, a: Attempt) => void }} env
 */
function createDeliveries(env) {
  /** @type {Delivery[]} */
  const all = [];
  /** @type {Delivery[]} */
  const queue = [];
  let busy = false;
  /** @type {Array<() => void>} */
  let waiters = [];
  /** @type {Set<import("node:http").ClientRequest>} */
  const inFlight = new Set();

  function enqueue(d) {
    d.state = "queued";
    queue.push(d);
    pump();
  }

  async function pump() {
    if (busy) return;
    busy = true;
    for (let d = queue.shift(); d; d = queue.shift()) await attempt(d);
    busy = false;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  }

  async function attempt(d) {
    d.state = "sending";
    const dueAt = d.nextAttemptAt ?? d.createdAt;
    const at = env.now();
    const answer = await post(env.gateway, d.body, d.charset, env.timeoutMs, inFlight);
    /** @type {Attempt} */
    const a = { at, dueAt, ...answer };
    d.attempts.push(a);
    const ok = a.httpStatus !== null && a.httpStatus >= 200 && a.httpStatus < 300 && a.answer === "success";
    if (ok) {
      d.state = "delivered";
      d.nextAttemptAt = null;
    } else if (d.attempts.length <= RETRY_DELAYS_MS.length) {
      d.state = "retrying";
      d.nextAttemptAt = at + RETRY_DELAYS_MS[d.attempts.length - 1];
    } else {
      d.state = "given-up";
      d.nextAttemptAt = null;
    }
    env.onAttempt(d, a);
  }

  return {
    all,
    /** Sends a new delivery (first attempt as soon as the ones before it are done). */
    send(d) {
      all.push(d);
      enqueue(d);
    },
    /** The earliest retry due, or `null`. */
    nextDue() {
      let min = null;
      for (const d of all) if (d.state === "retrying" && (min === null || d.nextAttemptAt < min)) min = d.nextAttemptAt;
      return min;
    },
    /** Starts every retry due at or before `t`. */
    fireDue(t) {
      const due = all.filter((d) => d.state === "retrying" && d.nextAttemptAt <= t);
      due.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.seq - b.seq);
      for (const d of due) enqueue(d);
    },
    /** Aborts the requests in flight and drops what is queued (the sandbox is closing). */
    close() {
      queue.length = 0;
      for (const req of inFlight) req.destroy(new Error("sandbox closed"));
    },
    /** Resolves when no delivery is queued or in flight. */
    settle() {
      if (!busy && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(() => resolve(undefined)));
    },
  };
}

export { RETRY_DELAYS_MS, createDeliveries };
