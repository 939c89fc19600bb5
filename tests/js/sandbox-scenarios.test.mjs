// The whole story, end to end, against both example gateways: the sandbox (`alipay-notify/sandbox`
// from the packed package) plays Alipay — signed notifications with its retries, the OpenAPI,
// the 3 / 30 / 7-day rules on its clock — and each gateway verifies, drives the lifecycle and
// calls back with `alipay-notify/client`, configured only through its documented settings: the
// Node example as `node server.mjs` over HTTP (its SQLite file read back with Python's sqlite3),
// the Worker example bundled by wrangler and run in workerd by Miniflare (its Durable Objects
// read through the admin route). Every assertion is on what the sandbox saw (its own view of
// the order, its log of deliveries and calls) and on what the gateway stored.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { keyFile } from "./lib/mock-alipay.mjs";
import { prepareNodeExample } from "./lib/node-example.mjs";
import { root } from "./lib/scratch.mjs";
import { freePort, startNodeGateway, startSwitchableProxy, startWorkerGateway } from "./lib/sandbox-gateways.mjs";
import { bundleExample } from "./lib/worker-bundle.mjs";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const START = Date.now();
const ADMIN_TOKEN = "sandbox-scenarios-admin";
const REJECTED_ITEM = "AM010101000000999999";
// Keys of the OpenAPI test vectors: the sandbox's "Alipay" key and the ISV app's key pair.
const ALIPAY_PRIVATE_KEY = keyFile("alipay-private-pkcs8.pem");
const APP_PUBLIC_KEY = keyFile("app-public.pem");
const APP_PRIVATE_KEY = keyFile("app-private-pkcs8.pem");
const OTHER_PRIVATE_KEY = keyFile("other-private-pkcs8.pem");

let nodeDir;
let workerDir;
let tmp;
/** @type {typeof import("../../pkg/sandbox.js")} */
let sandboxModule;

before(async () => {
  nodeDir = prepareNodeExample("alipay-sandbox-node-");
  const installed = join(nodeDir, "node_modules", "alipay-notify");
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  sandboxModule = await import(pathToFileURL(join(installed, manifest.exports["./sandbox"].node.import.default)).href);
  workerDir = await bundleExample({ prefix: "alipay-sandbox-worker-" });
  tmp = mkdtempSync(join(tmpdir(), "alipay-sandbox-db-"));
});

after(() => {
  for (const d of [nodeDir, workerDir, tmp]) if (d) rmSync(d, { recursive: true, force: true });
});

let seq = 0;

/**
 * A sandbox and a gateway of `kind` wired to it. `appPrivateKey`: the key the gateway signs with
 * (default the app's own). `proxy`: a proxy between the gateway and the sandbox's
 * OpenAPI that the scenario can take down.
 */
async function wire(kind, { appPrivateKey = APP_PRIVATE_KEY, proxy = false } = {}) {
  const port = await freePort();
  const sb = await sandboxModule.startSandbox({
    gateway: `http://127.0.0.1:${port}/`,
    appPublicKey: APP_PUBLIC_KEY,
    alipayPrivateKey: ALIPAY_PRIVATE_KEY,
    now: START,
  });
  const flaky = proxy ? await startSwitchableProxy(sb.url) : null;
  const endpoint = flaky ? flaky.url : sb.url;
  const settings = {
    ALIPAY_PUBLIC_KEY: sb.alipayPublicKey,
    ALIPAY_APP_ID: sb.appId,
    ALIPAY_APP_PRIVATE_KEY: appPrivateKey,
    ALIPAY_OPENAPI_ENDPOINT: endpoint,
    ALIPAY_OPENAPI_GATEWAY: `${endpoint}/gateway.do`,
    REJECT_ITEM_CODES: REJECTED_ITEM,
  };
  const gw =
    kind === "node"
      ? await startNodeGateway({ dir: nodeDir, port, env: settings, dbFile: join(tmp, `gw-${++seq}.db`) })
      : await startWorkerGateway({ dir: workerDir, port, bindings: settings, adminToken: ADMIN_TOKEN });
  return {
    sb,
    gw,
    flaky,
    /** The timeline and the gateway's log, for a failing assertion's message. */
    why: () => `\n--- sandbox timeline\n${sb.timeline()}\n--- ${kind} gateway log\n${gw.log().slice(-6000)}`,
    async close() {
      await sb.close();
      await gw.close();
      await flaky?.close();
    },
  };
}

/** The calls the sandbox received for `orderId`, as `api:answer code`. */
function calls(sb, orderId) {
  return sb.log
    .filter((e) => e.type === "call" && e.orderId === orderId)
    .map((e) => `${e.api}:${e.answer?.subCode ?? e.answer?.code ?? e.httpStatus}`);
}

/** Each notification for `orderId` (kind/status) and whether it was acknowledged. */
function deliveries(sb, orderId) {
  return sb
    .notifications()
    .filter((n) => n.orderId === orderId)
    .map((n) => `${n.status ?? n.kind}:${n.state}`);
}

for (const kind of ["node", "worker"]) {
  describe(`${kind} gateway against the sandbox`, () => {
    test("happy path: accepted, implemented, auto-confirmed after 7 days (not a minute before) → DONE", async () => {
      const w = await wire(kind);
      try {
        const { commodityOrderId: id } = await w.sb.createOrder({
          items: [{ shopId: "2015052000077000000000182140" }, { miniAppId: "2021000000000009" }],
        });
        await w.sb.settle();
        assert.equal(w.sb.order(id).status, "MERCHANT_CHECKING", w.why());
        assert.deepEqual(
          w.sb.order(id).items.map((i) => i.orderStatus),
          ["TO_CONFIRM", "TO_CONFIRM"],
          w.why(),
        );
        const c = calls(w.sb, id);
        assert.equal(c.filter((x) => x.startsWith("orderAccept:")).length, 1, w.why());
        assert.equal(c.filter((x) => x.startsWith("orderItemComplete:")).length, 2, w.why());
        assert.ok(
          c.every((x) => x.endsWith(":Success")),
          `every call succeeded: ${c}${w.why()}`,
        );
        assert.equal((await w.gw.order(id))?.state.status, "MERCHANT_CHECKING", w.why());

        await w.sb.advance({ days: 6, hours: 23, minutes: 59 });
        assert.equal(w.sb.order(id).status, "MERCHANT_CHECKING", "one minute before the 7 days");
        await w.sb.advance({ minutes: 2 });
        await w.sb.settle();
        assert.equal(w.sb.order(id).status, "DONE", w.why());
        const record = await w.gw.order(id);
        assert.equal(record.state.status, "DONE", w.why());
        assert.equal(record.next.id, "SERVE");
        assert.ok(
          deliveries(w.sb, id).every((d) => d.endsWith(":delivered")),
          `${deliveries(w.sb, id)}${w.why()}`,
        );
      } finally {
        await w.close();
      }
    });

    test("authorised after ordering: the authorization reaches the order and it is implemented then", async () => {
      const w = await wire(kind);
      try {
        const { commodityOrderId: id } = await w.sb.createOrder({ authorize: false });
        await w.sb.settle();
        assert.equal(w.sb.order(id).status, "ISV_ACCEPTED", w.why());
        assert.equal(calls(w.sb, id).filter((x) => x.startsWith("orderItemComplete:")).length, 0, w.why());
        await w.sb.advance({ hours: 2 });
        await w.sb.authorize(id);
        await w.sb.settle();
        assert.equal(w.sb.order(id).status, "MERCHANT_CHECKING", w.why());
        const record = await w.gw.order(id);
        assert.equal(record.state.authorized, true, w.why());
        assert.equal(record.state.status, "MERCHANT_CHECKING", w.why());
      } finally {
        await w.close();
      }
    });

    test("the ISV rejects an order for an item it does not serve", async () => {
      const w = await wire(kind);
      try {
        const { commodityOrderId: id } = await w.sb.createOrder({ itemCode: REJECTED_ITEM });
        await w.sb.settle();
        assert.equal(w.sb.order(id).status, "ISV_REJECTED", w.why());
        assert.equal(w.sb.order(id).cancel?.operatorType, "ISV");
        assert.equal(w.sb.order(id).refunded, true, "a paid order is refunded");
        assert.deepEqual(calls(w.sb, id).filter((x) => /^order(Accept|Reject)/.test(x)).length, 1, w.why());
        const record = await w.gw.order(id);
        assert.equal(record.state.status, "ISV_REJECTED", w.why());
      } finally {
        await w.close();
      }
    });

    test("the merchant refunds during implementation: the gateway queries the order and stops the service", async () => {
      const w = await wire(kind);
      try {
        // Not authorised yet: accepted, then waiting for the merchant's authorization.
        const { commodityOrderId: id } = await w.sb.createOrder({ authorize: false });
        await w.sb.settle();
        assert.equal(w.sb.order(id).status, "ISV_ACCEPTED", w.why());
        assert.equal((await w.gw.order(id)).next.id, "WAIT_FOR_AUTHORIZATION", w.why());
        await w.sb.advance({ days: 3 });
        await w.sb.merchantRefund(id);
        await w.sb.settle();
        assert.equal(w.sb.order(id).status, "MERCHANT_CANCELLED");
        assert.equal(w.sb.order(id).refunded, true);
        const record = await w.gw.order(id);
        assert.equal(record.state.status, "MERCHANT_CANCELLED", w.why());
        assert.equal(record.serviceStopped, true, w.why());
        const c = calls(w.sb, id);
        const cancelAt = w.sb.log.findIndex((e) => e.type === "merchant" && e.action === "refund" && e.orderId === id);
        assert.ok(
          w.sb.log.some((e, i) => i > cancelAt && e.type === "call" && e.api === "orderQuery" && e.orderId === id),
          `queried after the refund: ${c}${w.why()}`,
        );
      } finally {
        await w.close();
      }
    });

    test("30 days without reaching 待商家确认: cancelled (not a minute before), the service stopped", async () => {
      const w = await wire(kind);
      try {
        const { commodityOrderId: id } = await w.sb.createOrder({ authorize: false });
        await w.sb.settle();
        assert.equal(w.sb.order(id).status, "ISV_ACCEPTED", w.why());
        const acceptedAt = w.sb.order(id).statusAt;
        await w.sb.advance({ days: 29, hours: 23, minutes: 59 });
        assert.equal(w.sb.order(id).status, "ISV_ACCEPTED", "one minute before the 30 days");
        await w.sb.advance({ minutes: 2 });
        await w.sb.settle();
        const o = w.sb.order(id);
        assert.equal(o.status, "MERCHANT_CANCELLED", w.why());
        assert.ok(o.statusAt - acceptedAt >= 30 * DAY && o.statusAt - acceptedAt <= 30 * DAY + 2 * MINUTE);
        assert.ok(w.sb.log.some((e) => e.type === "rule" && e.rule === "IMPLEMENTATION_TIMEOUT" && e.orderId === id));
        const record = await w.gw.order(id);
        assert.equal(record.state.status, "MERCHANT_CANCELLED", w.why());
        assert.equal(record.serviceStopped, true, w.why());
      } finally {
        await w.close();
      }
    });

    test("unacknowledged deliveries are retried on Alipay's schedule until `success`, and acted on once", async () => {
      const w = await wire(kind, { proxy: true });
      try {
        // The OpenAPI answers 503: the gateway cannot accept, so it does not answer `success`.
        w.flaky.down(true);
        const { commodityOrderId: id } = await w.sb.createOrder({});
        await w.sb.settle();
        const order = () =>
          w.sb.notifications().find((n) => n.orderId === id && n.kind === "servicemarket_order_notify");
        assert.equal(order().state, "retrying", w.why());
        assert.equal(order().attempts.length, 1);
        assert.notEqual(order().attempts[0].answer, "success");
        assert.ok(w.flaky.refused >= 1, "the gateway's call met the outage");
        await w.sb.advance({ minutes: 4 }); // second attempt, still down
        assert.equal(order().attempts.length, 2, w.why());
        w.flaky.down(false);
        await w.sb.advance({ minutes: 9 });
        assert.equal(order().attempts.length, 2, "the third attempt is 10 minutes after the second");
        await w.sb.advance({ minutes: 1 });
        await w.sb.settle();
        const attempts = order().attempts;
        assert.equal(order().state, "delivered", w.why());
        assert.equal(attempts.length, 3);
        assert.deepEqual(
          attempts.map((a) => Math.round((a.dueAt - attempts[0].dueAt) / MINUTE)),
          [0, 4, 14],
          "due 4 and 10 minutes apart",
        );
        assert.equal(attempts[2].answer, "success");
        assert.ok(w.sb.order(id).status !== "MERCHANT_ORDED", w.why());
        const accepted = w.sb.log.filter((e) => e.type === "call" && e.api === "orderAccept" && e.orderId === id);
        assert.equal(accepted.length, 1, `accepted once: ${calls(w.sb, id)}${w.why()}`);
        assert.equal((await w.gw.order(id)).state.status === "MERCHANT_ORDED", false, w.why());
      } finally {
        await w.close();
      }
    });

    test("a request signed with the wrong key is refused (invalid-signature) and the order stays untouched", async () => {
      const w = await wire(kind, { appPrivateKey: OTHER_PRIVATE_KEY });
      try {
        const { commodityOrderId: id } = await w.sb.createOrder({});
        await w.sb.settle();
        const refused = w.sb.log.flatMap((e) => (e.type === "call" && e.orderId === id && !e.verified ? [e] : []));
        assert.ok(refused.length >= 1, w.why());
        assert.ok(
          refused.every((e) => e.refusal === "INVALID_SIGNATURE"),
          refused.map((e) => e.refusal).join(),
        );
        assert.ok(
          refused.every(
            (e) =>
              (e.answer?.code ?? "").includes("invalid-signature") || e.answer?.subCode === "isv.invalid-signature",
          ),
          JSON.stringify(refused.map((e) => e.answer)),
        );
        assert.equal(w.sb.order(id).status, "MERCHANT_ORDED");
        const record = await w.gw.order(id);
        assert.equal(record.state.status, "MERCHANT_ORDED", w.why());
        assert.match(JSON.stringify(record.lastError ?? record.calls), /invalid-signature|ALIPAY_API_ERROR/, w.why());
      } finally {
        await w.close();
      }
    });
  });
}

// `make demo` tells the same story (scripts/demo-story.mjs): it must end where it says.
test("the demo's story runs: DONE after 7 days, the refunded order's service stopped", () => {
  const out = execFileSync(process.execPath, [join(root, "scripts/demo-story.mjs")], { encoding: "utf8" });
  assert.match(out, /✔ sandbox order: DONE/);
  assert.match(out, /✔ gateway's lifecycle state: DONE/);
  assert.match(out, /AUTO_CONFIRM \d+ → DONE/);
  assert.match(out, /service stopped \(MERCHANT_CANCELLED\)/);
  assert.match(out, /✔ gateway stopped the service: true/);
  assert.doesNotMatch(out, /✘/);
});
