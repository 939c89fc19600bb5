// `alipay-notify/sandbox`: a local Service Market (SPEC §7). It plays Alipay for one ISV app:
// posts signed notifications to the ISV's gateway (with Alipay's retries), serves the nine
// OpenAPI calls (v3 and v2, requests verified, answers signed) and applies the order rules on a
// clock of its own that `advance()` moves. It signs with keys it generates, never Alipay's.
import { createServer } from "node:http";
import { coded } from "./errors.mjs";
import { createClock } from "./clock.mjs";
import { createDeliveries } from "./delivery.mjs";
import { createIds } from "./ids.mjs";
import { generateKeyPair, loadPrivateKey, loadPublicKey, privatePem, publicPem } from "./keys.mjs";
import { authNotifyParams, changeNotifyParams, KINDS, orderNotifyParams, signNotification } from "./notifications.mjs";
import { createOpenApi } from "./openapi.mjs";
import { createOrderBook, orderView } from "./orders.mjs";
import { queryRelations, sampleRelations } from "./promotions.mjs";
import { formatEntry } from "./timeline.mjs";
import { spanMs } from "./time.mjs";

const OPTIONS = [
  "gateway",
  "appId",
  "appPublicKey",
  "alipayPrivateKey",
  "port",
  "host",
  "signType",
  "now",
  "deliveryTimeoutMs",
  "commodityId",
  "promotions",
  "onLog",
];
const MAX_REQUEST = 1 << 20;
/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function invalid(message, reason) {
  return coded("INVALID_OPTIONS", `startSandbox(): ${message}`, { reason });
}

function readOptions(options) {
  if (options === null || typeof options !== "object" || Array.isArray(options))
    throw invalid("takes an options object with `gateway`", "not an object");
  for (const k of Object.keys(options)) if (!OPTIONS.includes(k)) throw invalid(`unknown option \`${k}\``, k);
  let gateway;
  try {
    gateway = new URL(options.gateway);
  } catch {
    throw invalid("`gateway` must be the ISV's notify URL (http:// or https://)", "gateway");
  }
  if (gateway.protocol !== "http:" && gateway.protocol !== "https:")
    throw invalid("`gateway` must be an http:// or https:// URL", "gateway");
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalid("`port` must be 0–65535", "port");
  const signType = options.signType ?? "RSA2";
  if (signType !== "RSA2" && signType !== "RSA") throw invalid('`signType` must be "RSA2" or "RSA"', "signType");
  const start = options.now ?? Date.now();
  if (typeof start !== "number" || !Number.isFinite(start)) throw invalid("`now` must be epoch milliseconds", "now");
  const timeoutMs = options.deliveryTimeoutMs ?? 15_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw invalid("`deliveryTimeoutMs` must be a positive integer", "deliveryTimeoutMs");
  for (const k of ["appId", "host", "commodityId"]) {
    if (options[k] !== undefined && (typeof options[k] !== "string" || options[k] === ""))
      throw invalid(`\`${k}\` must be a non-empty string`, k);
  }
  if (options.onLog !== undefined && typeof options.onLog !== "function")
    throw invalid("`onLog` must be a function", "onLog");
  if (options.promotions !== undefined && !Array.isArray(options.promotions))
    throw invalid("`promotions` must be an array of relations (snake_case, as the API answers)", "promotions");
  return { gateway: gateway.href, port, signType, start, timeoutMs };
}

/**
 * Starts a sandbox. See sandbox.d.ts for the options and the returned object.
 * @param {Record<string, any>} options
 */
async function startSandbox(options) {
  const o = readOptions(options);

  const clock = createClock(o.start);
  const { now } = clock;

  const ids = createIds(now);
  const appId = options.appId ?? ids.app();
  const commodityId = options.commodityId ?? `${ids.order().slice(0, 8)}000000000000088`;
  let appPrivateKey = null;
  let appPublicKey;
  if (options.appPublicKey === undefined) {
    const pair = generateKeyPair();
    appPublicKey = pair.publicKey;
    appPrivateKey = privatePem(pair.privateKey);
  } else appPublicKey = loadPublicKey(options.appPublicKey, "appPublicKey");
  const alipayKey =
    options.alipayPrivateKey === undefined
      ? generateKeyPair().privateKey
      : loadPrivateKey(options.alipayPrivateKey, "alipayPrivateKey");
  const promoter = { name: "示例地推服务商", pid: ids.pid() };
  const relations = options.promotions ?? sampleRelations(commodityId, promoter);

  /** @type {Array<Record<string, any>>} */
  const log = [];
  let seq = 0;
  let closed = false;
  function record(entry) {
    const e = { seq: ++seq, ...entry };
    log.push(e);
    if (options.onLog) options.onLog(e, formatEntry(e));
    return e;
  }

  const deliveries = createDeliveries({
    gateway: o.gateway,
    now,
    timeoutMs: o.timeoutMs,
    onAttempt(d, a) {
      record({
        type: "delivery",
        at: a.at,
        notifyId: d.notifyId,
        kind: d.kind,
        status: d.status,
        orderId: d.orderId,
        merchantPid: d.merchantPid,
        attempt: d.attempts.length,
        httpStatus: a.httpStatus,
        answer: a.answer,
        error: a.error,
        state: d.state,
        nextAttemptAt: d.nextAttemptAt,
      });
      schedule();
    },
  });

  /** A notification for what the order book reported, signed and handed to delivery. */
  function emit(e) {
    if (closed) return;
    const t = now();
    const notifyId = ids.notify();
    const order = e.order;
    let params;
    /** @type {"v1" | "v2"} */
    let variant = "v1";
    if (e.type === "auth") params = authNotifyParams(e.merchant, { appId, notifyId, now: t, charset: order.charset });
    else if (e.type === "order") {
      params = orderNotifyParams(order, { appId, notifyId, now: t });
      variant = order.notifyVariant;
    } else params = changeNotifyParams(order, { appId, notifyId, now: t });
    const signed = signNotification(params, { variant, signType: o.signType, charset: order.charset, key: alipayKey });
    deliveries.send({
      seq: ids.seq(),
      notifyId,
      kind: e.type === "auth" ? KINDS.auth : e.type === "order" ? KINDS.order : KINDS.change,
      status:
        e.type === "change"
          ? order.status
          : e.type === "auth"
            ? (params.find(([k]) => k === "status")?.[1] ?? null)
            : null,
      orderId: e.type === "auth" ? null : order.commodityOrderId,
      merchantPid: order.merchantPid,
      charset: order.charset,
      variant,
      body: signed.body,
      params: Object.fromEntries([...params, ["sign_type", o.signType], ["sign", signed.sign]]),
      createdAt: t,
      attempts: [],
      state: "queued",
      nextAttemptAt: null,
    });
  }

  const book = createOrderBook({ now, emit, ids, commodityId, promoter });
  const api = createOpenApi({
    appId,
    appPublicKey,
    alipayKey,
    book,
    promotions: (params) => queryRelations(relations, params),
    now,
  });

  const server = createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_REQUEST) req.destroy();
      else chunks.push(c);
    });
    req.on("end", () => {
      let out;
      try {
        out = api.handle(req, Buffer.concat(chunks));
      } catch (e) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`sandbox error: ${e.message}\n`);
        return;
      }
      const { rec, response } = out;
      record({
        type: "call",
        at: now(),
        protocol: rec.protocol,
        httpMethod: rec.httpMethod,
        target: rec.target,
        api: rec.api,
        method: rec.alipayMethod,
        verified: rec.verified,
        refusal: rec.refusal,
        appAuthToken: rec.appAuthToken !== null,
        orderId: typeof rec.params?.commodity_order_id === "string" ? rec.params.commodity_order_id : null,
        httpStatus: response.status,
        answer: rec.answer,
      });
      res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(response.body) });
      res.end(response.body);
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, options.host ?? "127.0.0.1", () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  // The clock starts at `now` once the sandbox is ready (key generation takes a moment).
  clock.restart(o.start);

  // ─── time: retries and deadlines, in time order ───

  /** The earliest thing due: a retry or a deadline. */
  function nextDue() {
    let t = deliveries.nextDue();
    for (const d of book.deadlines()) if (t === null || d.atMs < t) t = d.atMs;
    return t;
  }

  let chain = Promise.resolve();
  /** Runs `job` after the jobs before it (advances never interleave). */
  const serial = (job) => {
    const p = chain.then(job);
    chain = p.catch(() => undefined);
    return p;
  };

  async function runDue(target) {
    for (let t = nextDue(); t !== null && t <= target && !closed; t = nextDue()) {
      const at = clock.pin(t);
      deliveries.fireDue(at);
      const due = book.deadlines().filter((d) => d.atMs <= at);
      due.sort((a, b) => a.atMs - b.atMs);
      for (const d of due) {
        const before = d.order.status;
        book.fire(d);
        if (d.order.status !== before)
          record({ type: "rule", at, rule: d.rule.id, orderId: d.order.commodityOrderId, status: d.order.status });
      }
      await deliveries.settle();
      clock.release();
    }
    clock.moveTo(target);
    schedule();
  }

  // What falls due while nobody calls advance() happens in real time too (a CLI sandbox).
  let timer = null;
  function schedule() {
    if (timer) clearTimeout(timer);
    timer = null;
    const t = nextDue();
    if (t === null || closed) return;
    timer = setTimeout(() => serial(() => runDue(now())), Math.min(Math.max(0, t - now()), MAX_TIMER_MS));
    timer.unref();
  }

  async function settle() {
    await chain;
    await deliveries.settle();
  }

  async function merchantAction(action, fn, id) {
    await chain;
    const order = fn(id);
    record({ type: "merchant", at: now(), action, orderId: order.commodityOrderId, status: order.status });
    await settle();
    return orderView(order);
  }

  return {
    url,
    gateway: `${url}/gateway.do`,
    appId,
    alipayPublicKey: publicPem(alipayKey),
    appPublicKey: publicPem(appPublicKey),
    ...(appPrivateKey ? { appPrivateKey } : {}),
    commodityId,
    log,
    now,
    async createOrder(orderOptions = {}) {
      await chain;
      const { order, merchant } = book.create(orderOptions);
      record({ type: "merchant", at: now(), action: "order", orderId: order.commodityOrderId, status: order.status });
      schedule();
      await settle();
      return {
        commodityOrderId: order.commodityOrderId,
        merchantPid: order.merchantPid,
        appAuthToken: merchant.appAuthToken,
        items: order.items.map((i) => (i.shopId ? { shopId: i.shopId } : { miniAppId: i.miniAppId })),
      };
    },
    authorize: (id) => merchantAction("authorize", book.merchant.authorize, id),
    pay: (id) => merchantAction("pay", book.merchant.pay, id),
    merchantRefund: (id) => merchantAction("refund", book.merchant.refund, id),
    merchantConfirm: (id) => merchantAction("confirm", book.merchant.confirm, id),
    order: (id) => orderView(book.get(id)),
    notifications: () =>
      deliveries.all.map((d) => ({
        notifyId: d.notifyId,
        kind: d.kind,
        status: d.status,
        orderId: d.orderId,
        merchantPid: d.merchantPid,
        charset: d.charset,
        variant: d.variant,
        body: d.body,
        params: { ...d.params },
        state: d.state,
        nextAttemptAt: d.nextAttemptAt,
        attempts: d.attempts.map((a) => ({ ...a })),
      })),
    async advance(span) {
      const ms = spanMs(span);
      await settle();
      return serial(() => runDue(now() + ms));
    },
    settle,
    timeline: () => log.map(formatEntry).join("\n"),
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      deliveries.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

export { startSandbox };
