// The sandbox (`alipay-notify/sandbox`) through the packed package, with independent parties on
// the other side: alipay-sdk@4.14.0 as the ISV's client (v3 `curl`, v2 `exec` with
// `validateSign: true`) for each of the nine APIs, alipay-sdk's `checkNotifySign(V2)` and a
// node:crypto check of the exact sign content for every notification, the package's own
// `verifyNotification` for the kinds and typed fields, and a small node:http gateway that
// records deliveries (retry times, the 3 / 30 / 7-day rules).
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync, createPublicKey, verify as rsaVerify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { AlipayRequestError, AlipaySdk } from "alipay-sdk";
import { installPacked } from "./lib/scratch.mjs";
import { startGateway } from "./lib/gateway.mjs";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 5, 1, 2, 0, 0); // 2026-06-01 10:00:00 Beijing time
const SHOP = "2015052000077000000000182140";
const MINI_APP = "2021000000000009";
const ORDER_KIND = "servicemarket_order_notify";
const AUTH_KIND = "open_app_auth_notify";
const CHANGE_KIND = "alipay.open.servicemarket.order.change.notify";

let project;
/** @type {typeof import("../../pkg/sandbox.js")} */
let sandboxModule;
/** @type {any} */
let api;

before(async () => {
  project = mkdtempSync(join(tmpdir(), "alipay-notify-sandbox-"));
  const installed = installPacked(project);
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  const entry = (subpath) => pathToFileURL(join(installed, manifest.exports[subpath].node.import.default)).href;
  sandboxModule = await import(entry("./sandbox"));
  api = await import(entry("."));
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/** A sandbox and a gateway that records (and answers `success` unless told otherwise). */
async function setup(options = {}) {
  const gw = await startGateway();
  const sb = await sandboxModule.startSandbox({ gateway: gw.url, now: START, ...options });
  gw.useClock(() => sb.now());
  const sdk =
    sb.appPrivateKey &&
    new AlipaySdk({
      appId: sb.appId,
      privateKey: sb.appPrivateKey,
      keyType: "PKCS8",
      alipayPublicKey: sb.alipayPublicKey,
      endpoint: sb.url,
      gateway: sb.gateway,
    });
  return {
    gw,
    sb,
    sdk,
    async close() {
      await sb.close();
      await gw.close();
    },
  };
}

/** Decoded params of a form body: bytes first, then text in the body's own charset. */
function decodeBody(body) {
  const pairs = body.split("&").map((p) => {
    const [k, v = ""] = p.split("=");
    return [k, Buffer.from(unescapeBytes(v))];
  });
  const charset = pairs.find(([k]) => k === "charset")?.[1].toString("latin1") ?? "UTF-8";
  const dec = new TextDecoder(/gbk/i.test(charset) ? "gbk" : "utf-8", { fatal: true });
  return {
    charset,
    pairs: pairs.map(([k, v]) => [k, v]),
    text: Object.fromEntries(pairs.map(([k, v]) => [k, dec.decode(v)])),
  };
}

function unescapeBytes(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "+") out.push(0x20);
    else if (s[i] === "%") {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(s.charCodeAt(i));
  }
  return out;
}

/** Which sign content the signature covers, checked with node:crypto over the raw value bytes. */
function signedVariant(body, alipayPublicKey) {
  const { pairs } = decodeBody(body);
  const sign = pairs.find(([k]) => k === "sign")?.[1].toString("latin1");
  const content = (variant) =>
    Buffer.concat(
      pairs
        .filter(([k]) => k !== "sign" && !(variant === "v1" && k === "sign_type"))
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .flatMap(([k, v], i) => [Buffer.from(`${i ? "&" : ""}${k}=`), v]),
    );
  const key = createPublicKey(alipayPublicKey);
  const ok = (variant) => rsaVerify("sha256", content(variant), key, Buffer.from(String(sign), "base64"));
  return ok("v1") ? "v1" : ok("v2") ? "v2" : null;
}

/** Beijing wall-clock text of epoch ms, as the timeline writes it. */
const bj = (ms) => new Date(ms + 8 * HOUR).toISOString().slice(0, 19).replace("T", " ");

const ofKind = (gw, kind) => gw.received.filter((r) => (r.params.notify_type ?? r.params.msg_method) === kind);
const changes = (gw, orderId) =>
  ofKind(gw, CHANGE_KIND)
    .map((r) => ({ at: r.at, ...JSON.parse(r.params.biz_content) }))
    .filter((b) => !orderId || b.order_no === orderId);

describe("notifications", () => {
  test("each kind verifies with alipay-sdk, with node:crypto in its documented variant, and as the right kind with every typed field filled", async () => {
    const t = await setup();
    try {
      const o = await t.sb.createOrder({ items: [{ shopId: SHOP }, { miniAppId: MINI_APP }] });
      await t.sb.merchantRefund(o.commodityOrderId);
      assert.equal(t.gw.received.length, 3);
      for (const r of t.gw.received) {
        assert.equal(t.sdk.checkNotifySignV2(r.params), true, "alipay-sdk checkNotifySignV2");
        assert.equal(t.sdk.checkNotifySign(r.params), true, "alipay-sdk checkNotifySign");
        assert.match(r.contentType ?? "", /^application\/x-www-form-urlencoded; charset=UTF-8$/);
      }
      const [auth] = ofKind(t.gw, AUTH_KIND);
      const [order] = ofKind(t.gw, ORDER_KIND);
      const [change] = ofKind(t.gw, CHANGE_KIND);
      assert.equal(signedVariant(order.body, t.sb.alipayPublicKey), "v2");
      assert.equal(signedVariant(auth.body, t.sb.alipayPublicKey), "v1");
      assert.equal(signedVariant(change.body, t.sb.alipayPublicKey), "v1");

      const n = api.verifyNotification(order.body, t.sb.alipayPublicKey, { appId: t.sb.appId });
      assert.equal(n.kind, ORDER_KIND);
      assert.equal(n.variant, "v2");
      for (const f of [
        "commodityOrderId",
        "orderTime",
        "title",
        "name",
        "merchantPid",
        "contactor",
        "phone",
        "orderItemNum",
        "totalPrice",
        "bizType",
        "itemCode",
        "specifications",
        "packageCount",
        "periodDay",
        "orderTicket",
        "serviceCode",
        "isvTicket",
        "consumerMiniAppId",
        "merchantShopId",
        "promoterMasterName",
        "promoterMasterPid",
        "notifyId",
        "notifyTime",
        "appId",
      ])
        assert.ok(typeof n[f] === "string" && n[f] !== "", `order notification: ${f} = ${n[f]}`);
      assert.deepEqual(
        n.miniappReleaseBundle.map((c) => c.code),
        ["1032"],
      );
      assert.equal(n.commodityOrderId, o.commodityOrderId);
      assert.equal(n.merchantPid, o.merchantPid);
      assert.equal(n.orderItemNum, "2");
      assert.equal(n.merchantShopId, SHOP);
      assert.equal(n.consumerMiniAppId, MINI_APP);
      const sentAt = Date.parse(`${n.notifyTime.replace(" ", "T")}+08:00`);
      assert.ok(sentAt >= START && sentAt <= t.sb.now(), `notify_time ${n.notifyTime} is the sandbox clock`);
      assert.equal(n.orderEvent.orderId, o.commodityOrderId);
      assert.equal(n.orderEvent.event.type, "orderNotified");

      const a = api.verifyNotification(auth.body, t.sb.alipayPublicKey, { appId: t.sb.appId });
      assert.equal(a.kind, AUTH_KIND);
      assert.equal(a.variant, "v1");
      for (const f of ["authAppId", "status", "trigger", "triggerContext", "detail", "error"])
        assert.notEqual(a[f], null, `auth: ${f}`);
      for (const [f, v] of Object.entries(a.detail)) assert.notEqual(v, null, `auth detail: ${f}`);
      assert.equal(a.detail.userId, o.merchantPid);
      assert.equal(a.detail.appAuthToken, o.appAuthToken);
      assert.equal(a.detail.appId, t.sb.appId);
      assert.equal(a.detail.authAppId, MINI_APP);
      assert.equal(a.status, "execute_auth");
      assert.equal(a.orderEvent.event.type, "authorizationNotified");
      assert.equal(a.orderEvent.event.granted, true);

      const c = api.verifyNotification(change.body, t.sb.alipayPublicKey, { appId: t.sb.appId });
      assert.equal(c.kind, CHANGE_KIND);
      assert.equal(c.variant, "v1");
      for (const f of [
        "orderNo",
        "orderLineNo",
        "itemCode",
        "orderTime",
        "operateTime",
        "status",
        "statusInfo",
        "cancelMemo",
        "cancelOperatorType",
        "cancelOperator",
        "cancelTime",
        "utcTimestamp",
      ])
        assert.notEqual(c[f], null, `order change: ${f}`);
      assert.equal(c.status, "MERCHANT_CANCELLED");
      assert.equal(c.cancelOperatorType, "MERCHANT");
      assert.equal(c.orderNo, o.commodityOrderId);
      assert.deepEqual(c.orderEvent.event, {
        type: "statusChanged",
        id: c.notifyId,
        atMs: c.orderEvent.event.atMs,
        status: "MERCHANT_CANCELLED",
      });
      assert.ok(c.orderEvent.event.atMs >= START && c.orderEvent.event.atMs <= Number(c.utcTimestamp));
      assert.equal(t.sb.order(o.commodityOrderId).refunded, true);
    } finally {
      await t.close();
    }
  });

  test("a V1 order notification (as some real ones are) verifies with alipay-sdk checkNotifySign and as V1 here", async () => {
    const t = await setup();
    try {
      await t.sb.createOrder({ notifyVariant: "v1", isvTicket: "" });
      const [order] = ofKind(t.gw, ORDER_KIND);
      assert.equal(order.params.isv_ticket, "", "the empty value is sent (and signed)");
      assert.equal(t.sdk.checkNotifySign(order.params), true);
      assert.equal(signedVariant(order.body, t.sb.alipayPublicKey), "v1");
      const n = api.verifyNotification(order.body, t.sb.alipayPublicKey);
      assert.equal(n.variant, "v1");
      assert.equal(n.isvTicket, "");
      assert.throws(() => api.verifyNotification(order.body, t.sb.alipayPublicKey, { variant: "v2" }), {
        code: "SIGNATURE_MISMATCH",
      });
    } finally {
      await t.close();
    }
  });

  test("GBK orders: values written in GBK, signed over the GBK bytes, verified here and by node:crypto", async () => {
    const t = await setup();
    try {
      const o = await t.sb.createOrder({ charset: "GBK", merchantName: "成都锦江区老码头火锅", paid: false });
      await t.sb.pay(o.commodityOrderId);
      assert.equal(t.gw.received.length, 4); // auth, change WAIT_FOR_PAYMENT, order, change MERCHANT_ORDED
      for (const r of t.gw.received) {
        assert.match(r.contentType ?? "", /charset=GBK$/);
        assert.match(r.body, /charset=GBK/);
        const n = api.verifyNotification(Buffer.from(r.body, "latin1"), t.sb.alipayPublicKey);
        assert.equal(n.charset, "GBK");
        assert.ok(signedVariant(r.body, t.sb.alipayPublicKey), "node:crypto over the GBK bytes");
      }
      const [order] = ofKind(t.gw, ORDER_KIND);
      const decoded = decodeBody(order.body).text;
      assert.equal(decoded.name, "成都锦江区老码头火锅");
      // The GBK bytes of 成 (B3 C9), not UTF-8's (E6 88 90).
      assert.match(order.body, /name=%B3%C9/);
      assert.equal(api.verifyNotification(order.body, t.sb.alipayPublicKey).name, "成都锦江区老码头火锅");
      assert.deepEqual(
        changes(t.gw).map((c) => c.status),
        ["WAIT_FOR_PAYMENT", "MERCHANT_ORDED"],
      );
    } finally {
      await t.close();
    }
  });
});

describe("delivery", () => {
  test("a delivery not answered with exactly `success` is retried after 4m, 10m, 10m, 1h, 2h, 6h, 15h (sandbox clock), then given up", async () => {
    const t = await setup();
    try {
      t.gw.setAnswer((p) => (p.notify_type === AUTH_KIND ? { body: "success" } : { status: 200, body: "fail" }));
      const o = await t.sb.createOrder();
      await t.sb.advance({ days: 2 });
      const record = t.sb.notifications().find((n) => n.kind === ORDER_KIND);
      const sent = record.attempts.map((a) => a.at);
      assert.ok(sent[0] >= START && record.attempts[0].dueAt <= sent[0], "the first attempt goes out when made");
      const waits = [4, 10, 10, 60, 120, 360, 900].map((m) => m * MINUTE);
      const expected = [0];
      for (const w of waits) expected.push(expected[expected.length - 1] + w);
      assert.deepEqual(
        sent.map((at) => at - sent[0]),
        expected,
      );
      // The gateway saw the same 8 attempts, at those clock times.
      const arrivals = ofKind(t.gw, ORDER_KIND).map((r) => r.at);
      assert.equal(arrivals.length, 8);
      assert.ok(arrivals[0] >= sent[0]);
      assert.deepEqual(arrivals.slice(1), sent.slice(1), "retries arrive at the clock time they were due");
      assert.equal(ofKind(t.gw, AUTH_KIND).length, 1, "a delivered notification is not sent again");
      assert.equal(record.state, "given-up");
      assert.equal(record.attempts.length, 8);
      assert.ok(record.attempts.every((a) => a.httpStatus === 200 && a.answer === "fail"));
      const lines = t.sb
        .timeline()
        .split("\n")
        .filter((l) => l.includes("order notify"));
      assert.equal(lines.length, 8);
      assert.match(
        lines[0],
        new RegExp(`^${bj(sent[0])} {2}→ order notify \\d+ \\(attempt 1\\): 200 "fail" → retry at ${bj(sent[1])}$`),
      );
      assert.match(lines[7], /given up$/);
      assert.equal(t.sb.order(o.commodityOrderId).status, "MERCHANT_ORDED");
    } finally {
      await t.close();
    }
  });

  test("retries stop at the first `success`; near-misses (` success`, `SUCCESS`, a 500 with success, no server) are failures", async () => {
    const t = await setup();
    try {
      const answers = [
        { body: " success" },
        { body: "SUCCESS" },
        { status: 500, body: "success" },
        { body: "success" },
      ];
      let n = 0;
      t.gw.setAnswer((p) => (p.notify_type === ORDER_KIND ? answers[n++] : { body: "success" }));
      await t.sb.createOrder();
      await t.sb.advance({ hours: 3 });
      const record = t.sb.notifications().find((x) => x.kind === ORDER_KIND);
      const sent = record.attempts.map((a) => a.at);
      assert.deepEqual(
        sent.map((at) => at - sent[0]),
        [0, 4 * MINUTE, 14 * MINUTE, 24 * MINUTE],
      );
      assert.equal(ofKind(t.gw, ORDER_KIND).length, 4);
      assert.equal(record.state, "delivered");
    } finally {
      await t.close();
    }
    // A gateway that is not listening: the connection error is recorded and retried.
    const gw = await startGateway();
    await gw.close();
    const sb = await sandboxModule.startSandbox({ gateway: gw.url, now: START });
    try {
      await sb.createOrder();
      const first = sb.notifications()[0];
      assert.equal(first.state, "retrying");
      assert.equal(first.attempts[0].httpStatus, null);
      assert.match(first.attempts[0].error ?? "", /ECONNREFUSED/);
      assert.equal(first.nextAttemptAt, first.attempts[0].at + 4 * MINUTE);
    } finally {
      await sb.close();
    }
    // A gateway that never answers: the attempt times out, is recorded as such and retried.
    const silent = createServer(() => {});
    await new Promise((resolve) => silent.listen(0, "127.0.0.1", () => resolve(undefined)));
    const port = /** @type {import("node:net").AddressInfo} */ (silent.address()).port;
    const quiet = await sandboxModule.startSandbox({ gateway: `http://127.0.0.1:${port}/`, deliveryTimeoutMs: 200 });
    try {
      await quiet.createOrder();
      const [auth] = quiet.notifications();
      assert.equal(auth.state, "retrying");
      assert.equal(auth.attempts[0].error, "no answer within 200 ms");
      assert.match(quiet.timeline(), /\(attempt 1\): failed: no answer within 200 ms → retry at /);
    } finally {
      await quiet.close();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(() => resolve(undefined)));
    }
  });
});

describe("rules on the sandbox clock", () => {
  test("unpaid: cancelled 3 days after the order (one minute before: nothing)", async () => {
    const t = await setup();
    try {
      const o = await t.sb.createOrder({ paid: false });
      assert.deepEqual(
        changes(t.gw).map((c) => c.status),
        ["WAIT_FOR_PAYMENT"],
      );
      assert.equal(ofKind(t.gw, ORDER_KIND).length, 0, "no order notification before payment");
      await t.sb.advance({ days: 2, hours: 23, minutes: 59 });
      assert.equal(changes(t.gw).length, 1);
      await t.sb.advance({ minutes: 2 });
      const c = changes(t.gw);
      assert.deepEqual(
        c.map((x) => x.status),
        ["WAIT_FOR_PAYMENT", "MERCHANT_CANCELLED"],
      );
      const ordered = t.sb.order(o.commodityOrderId).orderTime;
      assert.equal(c[1].at, ordered + 3 * DAY);
      assert.match(c[1].operate_time, /^2026-06-04 10:00:00\.\d{3}000$/);
      assert.equal(t.sb.order(o.commodityOrderId).status, "MERCHANT_CANCELLED");
      assert.equal(t.sb.order(o.commodityOrderId).refunded, false);
      assert.match(t.sb.timeline(), /● UNPAID_AUTO_CANCEL \d+ → MERCHANT_CANCELLED/);
    } finally {
      await t.close();
    }
  });

  test("implementation: cancelled and refunded 30 days after acceptance; confirmation: done 7 days after 待商家确认", async () => {
    const t = await setup();
    try {
      const a = await t.sb.createOrder({ items: [{ shopId: SHOP }] });
      const b = await t.sb.createOrder({ items: [{ miniAppId: MINI_APP }] });
      for (const o of [a, b])
        await t.sdk.curl("POST", "/v3/alipay/open/servicemarket/order/accept", {
          body: { commodity_order_id: o.commodityOrderId },
        });
      const accepted = t.sb.order(a.commodityOrderId).statusAt;
      await t.sdk.curl("POST", "/v3/alipay/open/servicemarket/order/item/complete", {
        body: { commodity_order_id: b.commodityOrderId, mini_app_id: MINI_APP },
      });
      await t.sb.settle();
      assert.equal(t.sb.order(b.commodityOrderId).status, "MERCHANT_CHECKING");
      const checking = t.sb.order(b.commodityOrderId).statusAt;
      const sentBefore = t.gw.received.length;
      await t.sb.advance({ days: 6, hours: 23, minutes: 59 });
      assert.equal(t.sb.order(b.commodityOrderId).status, "MERCHANT_CHECKING");
      assert.equal(t.gw.received.length, sentBefore, "one minute before the 7 days: nothing");
      await t.sb.advance({ minutes: 2 });
      assert.equal(t.sb.order(b.commodityOrderId).status, "DONE");
      const done = changes(t.gw, b.commodityOrderId).at(-1);
      assert.equal(done.status, "DONE");
      assert.equal(done.at, checking + 7 * DAY);
      assert.equal(t.sb.order(b.commodityOrderId).items[0].orderStatus, "DONE");

      const before = changes(t.gw, a.commodityOrderId).length;
      await t.sb.advance({ minutes: (accepted + 30 * DAY - MINUTE - t.sb.now()) / MINUTE });
      assert.equal(changes(t.gw, a.commodityOrderId).length, before, "one minute before the 30 days: nothing");
      await t.sb.advance({ minutes: 2 });
      const cancel = changes(t.gw, a.commodityOrderId).at(-1);
      assert.equal(cancel.status, "MERCHANT_CANCELLED");
      assert.equal(cancel.at, accepted + 30 * DAY);
      assert.ok(cancel.cancel_memo.includes("30"));
      const view = t.sb.order(a.commodityOrderId);
      assert.equal(view.status, "MERCHANT_CANCELLED");
      assert.equal(view.refunded, true);
    } finally {
      await t.close();
    }
  });

  test("merchant actions: pay, confirm, refund during implementation; misuse is INVALID_ARGUMENT", async () => {
    const t = await setup();
    try {
      const o = await t.sb.createOrder({ paid: false });
      await t.sb.pay(o.commodityOrderId);
      assert.equal(ofKind(t.gw, ORDER_KIND).length, 1);
      await assert.rejects(t.sb.pay(o.commodityOrderId), { name: "AlipayNotifyError", code: "INVALID_ARGUMENT" });
      await t.sdk.curl("POST", "/v3/alipay/open/servicemarket/order/accept", {
        body: { commodity_order_id: o.commodityOrderId },
      });
      await assert.rejects(t.sb.merchantConfirm(o.commodityOrderId), { code: "INVALID_ARGUMENT" });
      const refunded = await t.sb.merchantRefund(o.commodityOrderId);
      assert.equal(refunded.status, "MERCHANT_CANCELLED");
      assert.equal(refunded.refunded, true);
      assert.deepEqual(
        changes(t.gw, o.commodityOrderId).map((c) => c.status),
        ["WAIT_FOR_PAYMENT", "MERCHANT_ORDED", "ISV_ACCEPTED", "MERCHANT_CANCELLED"],
      );
      const p = await t.sb.createOrder();
      await t.sdk.curl("POST", "/v3/alipay/open/servicemarket/order/accept", {
        body: { commodity_order_id: p.commodityOrderId },
      });
      await t.sdk.curl("POST", "/v3/alipay/open/servicemarket/order/item/complete", {
        body: { commodity_order_id: p.commodityOrderId },
      });
      const confirmed = await t.sb.merchantConfirm(p.commodityOrderId);
      assert.equal(confirmed.status, "DONE");
      assert.throws(() => t.sb.order("nope"), { code: "INVALID_ARGUMENT" });
      await assert.rejects(t.sb.advance({ days: -1 }), { code: "INVALID_ARGUMENT" });
      await assert.rejects(t.sb.createOrder(/** @type {any} */ ({ colour: "red" })), { code: "INVALID_OPTIONS" });
    } finally {
      await t.close();
    }
  });
});

describe("the nine APIs with alipay-sdk@4.14.0 (v3 curl, v2 exec with validateSign)", () => {
  test("query, accept, reject, item.complete/confirm/cancel, shop online/offline, promotion query, upgrade", async () => {
    const t = await setup();
    const v3 = (method, path, opts) => t.sdk.curl(method, `/v3/alipay/open/servicemarket/${path}`, opts);
    const v2 = (method, bizContent, appAuthToken) =>
      t.sdk.exec(
        `alipay.open.servicemarket.${method}`,
        { bizContent, ...(appAuthToken ? { appAuthToken } : {}) },
        { validateSign: true },
      );
    try {
      const items = [{ shopId: SHOP }, { miniAppId: MINI_APP }];
      const a = await t.sb.createOrder({ items });
      const b = await t.sb.createOrder({ items });
      const c = await t.sb.createOrder();
      const d = await t.sb.createOrder();
      const id = (o) => ({ commodity_order_id: o.commodityOrderId });

      // 1. order.query
      const q3 = await v3("GET", "order/query", { query: { ...id(a), start_page: "1" } });
      assert.equal(q3.responseHttpStatus, 200);
      assert.equal(q3.data.status, "MERCHANT_ORDED");
      assert.equal(q3.data.total_size, 2);
      assert.equal(q3.data.commodity_id, t.sb.commodityId);
      assert.deepEqual(
        q3.data.order_items.map((i) => [i.shop_id ?? i.mini_app_id, i.order_status]),
        [
          [SHOP, "TO_DO"],
          [MINI_APP, "TO_DO"],
        ],
      );
      assert.equal(q3.data.order_items[0].shop_status, "INIT");
      assert.equal(q3.data.order_items[0].merchant_pid, a.merchantPid);
      const q2 = await v2("order.query", { ...id(a), start_page: "1" });
      assert.equal(q2.code, "10000");
      assert.equal(q2.orderItems.length, 2);
      assert.equal(q2.orderItems[1].miniAppId, MINI_APP);

      // 2. order.accept, 3. order.reject
      assert.deepEqual((await v3("POST", "order/accept", { body: id(a) })).data, {});
      assert.equal((await v2("order.accept", id(b))).code, "10000");
      assert.deepEqual(
        (
          await v3("POST", "order/reject", {
            body: { ...id(c), reject_reason: "门店不在服务范围 & 无法实施 (a+b=100%/店)" },
          })
        ).data,
        {},
      );
      assert.equal((await v2("order.reject", { ...id(d), reject_reason: "暂不支持该地区" })).code, "10000");
      assert.equal(t.sb.order(c.commodityOrderId).status, "ISV_REJECTED");
      assert.equal(t.sb.order(c.commodityOrderId).cancel?.memo, "门店不在服务范围 & 无法实施 (a+b=100%/店)");
      assert.equal(t.sb.order(d.commodityOrderId).status, "ISV_REJECTED");

      // 5. order.item.complete (both items → 待商家确认)
      await v3("POST", "order/item/complete", { body: { ...id(a), shop_id: SHOP } });
      assert.equal(t.sb.order(a.commodityOrderId).status, "ISV_ACCEPTED");
      assert.equal((await v2("order.item.complete", { ...id(a), mini_app_id: MINI_APP })).code, "10000");
      assert.equal(t.sb.order(a.commodityOrderId).status, "MERCHANT_CHECKING");

      // 7. commodity.shop.online / offline (for the merchant: its token)
      const shop = { commodity_id: t.sb.commodityId, shop_id: SHOP };
      await v3("POST", "commodity/shop/online", { body: shop, appAuthToken: a.appAuthToken });
      const again = await v2("commodity.shop.online", shop, a.appAuthToken);
      assert.deepEqual([again.code, again.subCode], ["40004", "SHOP_TYPE_ALREADY_ONLINE"]);
      assert.equal((await v2("commodity.shop.offline", shop, a.appAuthToken)).code, "10000");
      await assert.rejects(v3("POST", "commodity/shop/offline", { body: shop, appAuthToken: a.appAuthToken }), (e) => {
        assert.ok(e instanceof AlipayRequestError);
        assert.equal(e.code, "SHOP_STATUS_NOT_SUPPORT");
        return true;
      });
      const other = await v2("commodity.shop.online", shop, d.appAuthToken);
      assert.deepEqual([other.code, other.subCode], ["40004", "NO_PERMISSION_ONLINE_SHOP"]);

      // 6. order.item.confirm (for the merchant) → DONE
      await v3("POST", "order/item/confirm", { body: { ...id(a), shop_id: SHOP }, appAuthToken: a.appAuthToken });
      assert.equal(t.sb.order(a.commodityOrderId).items[0].orderStatus, "CONFIRMED");
      assert.equal((await v2("order.item.confirm", { ...id(a), mini_app_id: MINI_APP }, a.appAuthToken)).code, "10000");
      assert.equal(t.sb.order(a.commodityOrderId).status, "DONE");

      // 4. order.item.cancel (every item cancelled → ISV_CANCELLED)
      await v3("POST", "order/item/cancel", {
        body: { ...id(b), shop_id: SHOP, cancel_reason: "当前门店区域不支持实施" },
      });
      assert.equal(
        (await v2("order.item.cancel", { ...id(b), mini_app_id: MINI_APP, cancel_reason: "不支持" })).code,
        "10000",
      );
      assert.equal(t.sb.order(b.commodityOrderId).status, "ISV_CANCELLED");

      // 8. promotiontask.relation.query
      const p3 = await v3("GET", "promotiontask/relation/query", {
        query: { commodity_id: t.sb.commodityId, page_size: "10", page_num: "1" },
      });
      assert.equal(p3.data.total_size, 1);
      assert.equal(p3.data.promotion_relations[0].commodity_id, t.sb.commodityId);
      assert.equal(
        p3.data.promotion_relations[0].promoter_pid,
        ofKind(t.gw, ORDER_KIND)[0].params.promoter_master_pid,
        "the orders name the promoter of the relation",
      );
      const p2 = await v2("promotiontask.relation.query", {
        commodity_id: t.sb.commodityId,
        page_size: 10,
        page_num: 1,
      });
      assert.equal(p2.promotionRelations.length, 1);
      const bad = await v2("promotiontask.relation.query", { commodity_id: t.sb.commodityId, page_size: 101 });
      assert.equal(bad.subCode, "PARAMS_ERROR");

      // 9. order.upgrade (v2 only; only a finished order, once)
      assert.equal((await v2("order.upgrade", { ...id(a), product_codes: ["i1080300001000041016"] })).code, "10000");
      assert.equal((await v2("order.upgrade", id(a))).subCode, "UPGRADE_ORDER_DUPLICATE");
      assert.equal((await v2("order.upgrade", id(b))).subCode, "UPGRADE_ILLEGAL_STATUS");
      assert.equal((await v2("order.upgrade", { commodity_order_id: "1" })).subCode, "ORDER_NOT_EXIST");
      assert.deepEqual(t.sb.order(a.commodityOrderId).upgradedProductCodes, ["i1080300001000041016"]);

      await t.sb.settle();
      const calls = t.sb.log.filter((e) => e.type === "call");
      assert.equal(calls.length, 24);
      assert.ok(
        calls.every((e) => e.verified && e.refusal === null),
        "every call verified",
      );
      assert.deepEqual(
        new Set(calls.map((e) => `${e.protocol} ${e.api}`)),
        new Set([
          ...[
            "orderQuery",
            "orderAccept",
            "orderReject",
            "orderItemCancel",
            "orderItemComplete",
            "orderItemConfirm",
            "commodityShopOnline",
            "commodityShopOffline",
            "promotionRelationQuery",
          ].flatMap((n) => [`v3 ${n}`, `v2 ${n}`]),
          "v2 orderUpgrade",
        ]),
      );
      // What the calls did, as order changes the gateway received.
      assert.deepEqual(
        changes(t.gw, a.commodityOrderId).map((x) => x.status),
        ["ISV_ACCEPTED", "MERCHANT_CHECKING", "DONE"],
      );
      assert.deepEqual(
        changes(t.gw, b.commodityOrderId).map((x) => x.status),
        ["ISV_ACCEPTED", "ISV_CANCELLED"],
      );
      const rejected = changes(t.gw, d.commodityOrderId)[0];
      assert.deepEqual(
        [rejected.status, rejected.cancel_operator_type, rejected.cancel_memo],
        ["ISV_REJECTED", "ISV", "暂不支持该地区"],
      );
    } finally {
      await t.close();
    }
  });

  test("refusals: bad request signatures (v3 401, v2 40002), missing or wrong app_auth_token, accept from a wrong state, unknown order", async () => {
    const t = await setup();
    try {
      const o = await t.sb.createOrder({ items: [{ shopId: SHOP }] });
      const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
        type: "pkcs8",
        format: "pem",
      });
      const forger = new AlipaySdk({
        appId: t.sb.appId,
        privateKey: String(other),
        keyType: "PKCS8",
        alipayPublicKey: t.sb.alipayPublicKey,
        endpoint: t.sb.url,
        gateway: t.sb.gateway,
      });
      const refused = (status, code) => (e) => {
        assert.ok(e instanceof AlipayRequestError, String(e));
        assert.equal(e.responseHttpStatus, status);
        assert.equal(e.code, code);
        return true;
      };
      const query = { query: { commodity_order_id: o.commodityOrderId } };
      await assert.rejects(
        forger.curl("GET", "/v3/alipay/open/servicemarket/order/query", query),
        refused(401, "invalid-signature"),
      );
      const v2bad = await forger.exec(
        "alipay.open.servicemarket.order.query",
        { bizContent: { commodity_order_id: o.commodityOrderId } },
        { validateSign: true },
      );
      assert.deepEqual([v2bad.code, v2bad.subCode], ["40002", "isv.invalid-signature"]);

      const confirm = { commodity_order_id: o.commodityOrderId, shop_id: SHOP };
      const path = "/v3/alipay/open/servicemarket/order/item/confirm";
      await assert.rejects(t.sdk.curl("POST", path, { body: confirm }), refused(401, "invalid-app-auth-token"));
      await assert.rejects(
        t.sdk.curl("POST", path, { body: confirm, appAuthToken: "202606BBforgedforgedforgedforgedforged12" }),
        refused(401, "invalid-app-auth-token"),
      );
      const v2missing = await t.sdk.exec(
        "alipay.open.servicemarket.order.item.confirm",
        { bizContent: confirm },
        { validateSign: true },
      );
      assert.deepEqual([v2missing.code, v2missing.subCode], ["20001", "aop.invalid-app-auth-token"]);
      const v2wrong = await t.sdk.exec(
        "alipay.open.servicemarket.commodity.shop.online",
        { bizContent: { commodity_id: t.sb.commodityId, shop_id: SHOP }, appAuthToken: "nope" },
        { validateSign: true },
      );
      assert.deepEqual([v2wrong.code, v2wrong.subCode], ["20001", "aop.invalid-app-auth-token"]);

      await t.sdk.curl("POST", "/v3/alipay/open/servicemarket/order/accept", {
        body: { commodity_order_id: o.commodityOrderId },
      });
      await assert.rejects(
        t.sdk.curl("POST", "/v3/alipay/open/servicemarket/order/accept", {
          body: { commodity_order_id: o.commodityOrderId },
        }),
        refused(400, "COMMODITY_ORDER_STATUS_INVALID"),
      );
      const v2state = await t.sdk.exec(
        "alipay.open.servicemarket.order.accept",
        { bizContent: { commodity_order_id: o.commodityOrderId } },
        { validateSign: true },
      );
      assert.deepEqual([v2state.code, v2state.subCode], ["40004", "COMMODITY_ORDER_STATUS_INVALID"]);
      await assert.rejects(
        t.sdk.curl("POST", "/v3/alipay/open/servicemarket/order/accept", {
          body: { commodity_order_id: "20260601000000000000000" },
        }),
        refused(400, "ORDER_NOT_EXIST"),
      );
      const early = await t.sdk.exec(
        "alipay.open.servicemarket.order.item.confirm",
        { bizContent: confirm, appAuthToken: o.appAuthToken },
        { validateSign: true },
      );
      assert.equal(early.subCode, "ITEM_STATUS_NOT_ALLOW");
      const noItem = await t.sdk.exec(
        "alipay.open.servicemarket.order.item.complete",
        { bizContent: { commodity_order_id: o.commodityOrderId, shop_id: "1" } },
        { validateSign: true },
      );
      assert.equal(noItem.subCode, "COMMODITY_ORDER_ITEM_NOT_EXIST");
      await assert.rejects(
        t.sdk.curl("POST", "/v3/alipay/open/servicemarket/order/upgrade", { body: {} }),
        refused(404, "invalid-method"),
      );

      const calls = t.sb.log.filter((e) => e.type === "call");
      assert.deepEqual(
        calls.slice(0, 2).map((e) => [e.verified, e.refusal]),
        [
          [false, "INVALID_SIGNATURE"],
          [false, "INVALID_SIGNATURE"],
        ],
      );
      assert.deepEqual(
        calls.slice(2, 6).map((e) => e.refusal),
        ["MISSING_APP_AUTH_TOKEN", "INVALID_APP_AUTH_TOKEN", "MISSING_APP_AUTH_TOKEN", "INVALID_APP_AUTH_TOKEN"],
      );
      assert.match(t.sb.timeline(), /← v3 orderQuery \d+: refused \(INVALID_SIGNATURE\) → 401 invalid-signature/);
    } finally {
      await t.close();
    }
  });

  test("the package's own client works against it, and a given app public key is the one requests are verified with", async () => {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const privateKey = String(pair.privateKey.export({ type: "pkcs1", format: "pem" }));
    const t = await setup({
      appPublicKey: String(pair.publicKey.export({ type: "spki", format: "der" }).toString("base64")),
      appId: "2021004100000001",
    });
    try {
      assert.equal(t.sb.appPrivateKey, undefined);
      assert.equal(t.sb.appId, "2021004100000001");
      const o = await t.sb.createOrder();
      const sdk = new AlipaySdk({
        appId: t.sb.appId,
        privateKey,
        alipayPublicKey: t.sb.alipayPublicKey,
        endpoint: t.sb.url,
        gateway: t.sb.gateway,
      });
      const q = await sdk.curl("GET", "/v3/alipay/open/servicemarket/order/query", {
        query: { commodity_order_id: o.commodityOrderId },
      });
      assert.equal(q.data.status, "MERCHANT_ORDED");
      const manifest = JSON.parse(readFileSync(join(project, "node_modules/alipay-notify/package.json"), "utf8"));
      const client = await import(
        pathToFileURL(join(project, "node_modules/alipay-notify", manifest.exports["./client"].node.import.default))
          .href
      );
      const c = client.createClient({
        appId: t.sb.appId,
        privateKey,
        alipayPublicKey: t.sb.alipayPublicKey,
        endpoint: t.sb.url,
        gateway: t.sb.gateway,
      });
      await c.orderAccept({ commodityOrderId: o.commodityOrderId }, { protocol: "v2" });
      const after = await c.orderQuery({ commodityOrderId: o.commodityOrderId });
      assert.equal(after.status, "ISV_ACCEPTED");
      await assert.rejects(c.orderAccept({ commodityOrderId: o.commodityOrderId }), {
        code: "ALIPAY_API_ERROR",
        alipayCode: "COMMODITY_ORDER_STATUS_INVALID",
      });
    } finally {
      await t.close();
    }
  });

  test("bad options are INVALID_OPTIONS; an unreadable app key is INVALID_PUBLIC_KEY", async () => {
    await assert.rejects(sandboxModule.startSandbox(/** @type {any} */ ({})), {
      name: "AlipayNotifyError",
      code: "INVALID_OPTIONS",
    });
    await assert.rejects(sandboxModule.startSandbox(/** @type {any} */ ({ gateway: "ftp://x" })), {
      code: "INVALID_OPTIONS",
    });
    await assert.rejects(
      sandboxModule.startSandbox(/** @type {any} */ ({ gateway: "http://127.0.0.1:9/", port: -1 })),
      { code: "INVALID_OPTIONS" },
    );
    await assert.rejects(
      sandboxModule.startSandbox({ gateway: "http://127.0.0.1:9/", appPublicKey: "not a key" }),
      (e) => {
        assert.equal(/** @type {any} */ (e).code, "INVALID_PUBLIC_KEY");
        assert.doesNotMatch(String(/** @type {any} */ (e).message), /not a key/);
        return true;
      },
    );
  });
});

describe("with the package's lifecycle on the ISV side", () => {
  test("verifyNotification + applyOrderEvent + the client accept and implement the order; the 7-day rule completes it on both sides", async () => {
    const t = await setup();
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/alipay-notify/package.json"), "utf8"));
    const clientEntry = join(project, "node_modules/alipay-notify", manifest.exports["./client"].node.import.default);
    const { createClient } = await import(pathToFileURL(clientEntry).href);
    const client = createClient({
      appId: t.sb.appId,
      privateKey: t.sb.appPrivateKey,
      alipayPublicKey: t.sb.alipayPublicKey,
      endpoint: t.sb.url,
      gateway: t.sb.gateway,
    });
    /** @type {Map<string, any>} */
    const states = new Map();
    const tokens = new Map();
    const byMerchant = new Map();
    const actions = [];
    const apply = (orderId, event) => {
      const out = api.applyOrderEvent(states.get(orderId) ?? null, event, { now: t.sb.now() });
      states.set(orderId, out.state);
      return out;
    };
    const itemsOf = (q) =>
      Object.fromEntries((q.orderItems ?? []).map((i) => [i.shopId ?? i.miniAppId, i.orderStatus]));
    async function act(orderId, out) {
      actions.push(out.next.id);
      if (out.next.id === "ACCEPT_OR_REJECT") {
        const q = await client.orderQuery({ commodityOrderId: orderId });
        apply(orderId, {
          type: "queried",
          id: `q:${actions.length}`,
          atMs: t.sb.now(),
          status: q.status,
          items: itemsOf(q),
        });
        await client.orderAccept({ commodityOrderId: orderId });
        apply(orderId, { type: "accepted", id: `call:accept:${orderId}`, atMs: t.sb.now() });
      } else if (out.next.id === "IMPLEMENT") {
        const q = await client.orderQuery({ commodityOrderId: orderId });
        for (const i of q.orderItems ?? []) {
          if (["TO_CONFIRM", "DONE"].includes(i.orderStatus)) continue;
          await client.orderItemComplete({
            commodityOrderId: orderId,
            ...(i.shopId ? { shopId: i.shopId } : { miniAppId: i.miniAppId }),
          });
          apply(orderId, {
            type: "itemCompleted",
            id: `call:complete:${orderId}:${i.shopId ?? i.miniAppId}`,
            atMs: t.sb.now(),
            item: i.shopId ?? i.miniAppId,
          });
        }
      }
    }
    t.gw.setAnswer(async () => {
      const body = t.gw.received.at(-1)?.body ?? "";
      const n = api.verifyNotification(body, t.sb.alipayPublicKey, { appId: t.sb.appId });
      const { orderId, event } = n.orderEvent;
      if (n.kind === AUTH_KIND) {
        tokens.set(n.detail.userId, n.detail.appAuthToken);
        for (const id of byMerchant.get(n.detail.userId) ?? [])
          await act(id, apply(id, { ...event, id: `${event.id}:${id}` }));
        return { body: "success" };
      }
      let out = apply(orderId, event);
      if (n.kind === ORDER_KIND) {
        byMerchant.set(n.merchantPid, [...(byMerchant.get(n.merchantPid) ?? []), orderId]);
        if (tokens.has(n.merchantPid))
          out = apply(orderId, {
            type: "authorizationNotified",
            id: `auth:${orderId}`,
            atMs: event.atMs,
            granted: true,
          });
      }
      await act(orderId, out);
      return { body: "success" };
    });
    try {
      const o = await t.sb.createOrder({ items: [{ shopId: SHOP }, { miniAppId: MINI_APP }] });
      assert.equal(t.sb.order(o.commodityOrderId).status, "MERCHANT_CHECKING", t.sb.timeline());
      assert.equal(states.get(o.commodityOrderId).status, "MERCHANT_CHECKING");
      assert.equal(states.get(o.commodityOrderId).authorized, true);
      assert.deepEqual(states.get(o.commodityOrderId).items, { [SHOP]: "TO_CONFIRM", [MINI_APP]: "TO_CONFIRM" });
      assert.deepEqual(actions, ["ACCEPT_OR_REJECT", "IMPLEMENT", "WAIT_FOR_MERCHANT_CONFIRMATION"]);
      await t.sb.advance({ days: 7, minutes: 1 });
      assert.equal(t.sb.order(o.commodityOrderId).status, "DONE");
      assert.equal(states.get(o.commodityOrderId).status, "DONE");
      assert.ok(t.sb.notifications().every((x) => x.state === "delivered"));
    } finally {
      await t.close();
    }
  });
});
