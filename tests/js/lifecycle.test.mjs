// The order lifecycle through the packed package (ESM and CJS): verified notifications carry
// their `orderEvent`, and `applyOrderEvent` walks an order from 订购通知 to DONE, keeping
// duplicates and older events from changing it; bad input is a coded error.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { prepareScratch, scratch, jsDir } from "./lib/scratch.mjs";

before(() => {
  prepareScratch();
});

function runIn(kind, body) {
  const load = kind === "esm" ? `const api = await import("alipay-notify");` : `const api = require("alipay-notify");`;
  const source = `(async () => { ${load}
    const { notificationVectors } = await import(${JSON.stringify(join(jsDir, "lib/load.mjs"))});
    ${body}
  })().catch((e) => { console.error(e); process.exit(1); });`;
  const args = kind === "esm" ? ["--input-type=module", "-e", source] : ["-e", source];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: scratch, encoding: "utf8", maxBuffer: 1 << 26 }));
}

const DAY = 86_400_000;

for (const kind of ["esm", "cjs"]) {
  test(`${kind}: verified notifications carry their order event; the lifecycle walks an order to DONE`, () => {
    const r = runIn(
      kind,
      `const out = { kinds: {}, steps: [] };
      for (const v of notificationVectors()) {
        if (!v.expect.verified || typeof v.body !== "string") continue;
        const n = api.verifyNotification(v.body, v.key, v.options ?? {});
        out.kinds[n.kind] ??= n.orderEvent && { type: n.orderEvent.event.type, hasOrder: n.orderEvent.orderId !== null, id: n.orderEvent.event.id === n.notifyId };
      }
      out.unverified = api.parseNotification(notificationVectors().find((v) => v.expect.verified).body).orderEvent;
      const t0 = 1717214400000;
      let state = null;
      const events = [
        { type: "orderNotified", id: "n1", atMs: t0, orderTimeMs: t0 },
        { type: "accepted", id: "call-accept", atMs: t0 + 1000 },
        { type: "authorizationNotified", id: "n2", atMs: t0 + 2000, granted: true },
        { type: "itemCompleted", id: "call-complete", atMs: t0 + 3000, item: "shop-1" },
        { type: "statusChanged", id: "n3", atMs: t0 + ${DAY}, status: "MERCHANT_CHECKING" },
        { type: "statusChanged", id: "n1-old", atMs: t0 - 5, status: "MERCHANT_ORDED" },
        { type: "statusChanged", id: "n3", atMs: t0 + ${DAY}, status: "MERCHANT_CHECKING" },
        { type: "statusChanged", id: "n4", atMs: t0 + ${8 * DAY}, status: "DONE" },
      ];
      for (const e of events) {
        const o = api.applyOrderEvent(state, e, { now: e.atMs });
        state = o.state;
        out.steps.push([o.state.status, o.effect.type, o.next.id, o.deadline?.rule.id ?? null]);
      }
      const late = api.applyOrderEvent({ status: "MERCHANT_CHECKING", statusAtMs: t0 }, { type: "renewalNotified", id: "tick", atMs: t0 }, { now: t0 + ${7 * DAY} + 1000 });
      out.late = [late.next.id, late.deadlinePassed];
      out.transitions = api.orderTransitions().filter((t) => t.source === "documented").length;
      out.errors = [];
      for (const [s, e, o] of [[{ status: 5 }, events[0], undefined], [null, { type: "nope" }, undefined], [null, events[0], { now: "x" }], [null, events[0], { now: Infinity }]]) {
        try { api.applyOrderEvent(s, e, o); out.errors.push("returned"); } catch (err) { out.errors.push(err.name + ":" + err.code); }
      }
      console.log(JSON.stringify(out));`,
    );
    assert.deepEqual(r.kinds.servicemarket_order_notify, { type: "orderNotified", hasOrder: true, id: true });
    assert.deepEqual(r.kinds["alipay.open.servicemarket.order.change.notify"], {
      type: "statusChanged",
      hasOrder: true,
      id: true,
    });
    assert.deepEqual(r.kinds["alipay.open.servicemarket.orderrenew.notify"], {
      type: "renewalNotified",
      hasOrder: false,
      id: true,
    });
    assert.deepEqual(r.kinds.open_app_auth_notify, { type: "authorizationNotified", hasOrder: false, id: true });
    assert.equal(r.unverified, null);
    assert.deepEqual(r.steps, [
      ["MERCHANT_ORDED", "applied", "ACCEPT_OR_REJECT", null],
      ["ISV_ACCEPTED", "applied", "WAIT_FOR_AUTHORIZATION", "IMPLEMENTATION_TIMEOUT"],
      ["ISV_ACCEPTED", "applied", "IMPLEMENT", "IMPLEMENTATION_TIMEOUT"],
      ["ISV_ACCEPTED", "applied", "IMPLEMENT", "IMPLEMENTATION_TIMEOUT"],
      ["MERCHANT_CHECKING", "applied", "WAIT_FOR_MERCHANT_CONFIRMATION", "AUTO_CONFIRM"],
      ["MERCHANT_CHECKING", "stale", "QUERY_ORDER", "AUTO_CONFIRM"],
      ["MERCHANT_CHECKING", "duplicate", "WAIT_FOR_MERCHANT_CONFIRMATION", "AUTO_CONFIRM"],
      ["DONE", "applied", "SERVE", null],
    ]);
    assert.deepEqual(r.late, ["QUERY_ORDER", true]);
    assert.ok(r.transitions >= 8, `${r.transitions} documented transitions`);
    assert.deepEqual(r.errors, Array(4).fill("AlipayNotifyError:INVALID_ARGUMENT"));
  });
}
