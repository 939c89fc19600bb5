// Alipay's side of some Service Market orders, as a handler of the mock Alipay
// (lib/mock-alipay.mjs `handler`): `order.query` answers what an order is now; `order.accept`,
// `order.reject` and `order.item.complete` move it, or answer Alipay's business errors
// (reference openapi.md §4) when its status does not allow them. Requests the mock refused
// (bad signature, …) are left to the mock. `fail(api, outcome)` programs the next answers.
//
//   const book = createOrderBook();
//   const mock = await startMockAlipay({ handler: book.handler, … });
//   book.add("2026…", { items: [{ shop_id: "…" }] });
//   book.fail("orderAccept", { type: "business-error", code: "COMMODITY_ORDER_STATUS_INVALID" });

const OPEN_ITEM = new Set(["TO_DO", "DOING"]);

/** An order book; `orders` maps commodity_order_id → `{ status, items: [{ shop_id | mini_app_id, order_status }] }`. */
export function createOrderBook() {
  const orders = new Map();
  const failures = []; // { api, order, outcome, times, apply }
  /** Every call the book answered, oldest first: `{ api, order, item, outcome }`. */
  const calls = [];

  const business = (code) => ({ type: "business-error", code });

  function answer(api, id, p) {
    const o = orders.get(id);
    if (!o) return business(api === "orderQuery" ? "QUERY_FAILD" : "ORDER_NOT_EXIST");
    switch (api) {
      case "orderQuery":
        return {
          type: "success",
          result: {
            commodity_id: "20260101000000000000088",
            specifications: "标准版",
            status: o.status,
            current_page: 1,
            total_size: o.items.length,
            order_items: o.items.map((it) => ({ ...it, status: o.status })),
          },
        };
      case "orderAccept":
      case "orderReject":
        if (o.status !== "MERCHANT_ORDED") return business("COMMODITY_ORDER_STATUS_INVALID");
        if (api === "orderReject" && !p.reject_reason) return business("PARAMS_ERROR");
        o.status = api === "orderAccept" ? "ISV_ACCEPTED" : "ISV_REJECTED";
        return { type: "success", result: {} };
      case "orderItemComplete": {
        const item = o.items.find(
          (it) => (p.shop_id && it.shop_id === p.shop_id) || (p.mini_app_id && it.mini_app_id === p.mini_app_id),
        );
        if (!item) return business("COMMODITY_ORDER_ITEM_NOT_EXIST");
        if (o.status !== "ISV_ACCEPTED" || !OPEN_ITEM.has(item.order_status)) return business("ITEM_STATUS_NOT_ALLOW");
        item.order_status = "TO_CONFIRM";
        return { type: "success", result: {} };
      }
      default:
        return undefined; // the mock's own answer
    }
  }

  return {
    orders,
    calls,
    /**
     * Adds an order (default: just ordered, one shop item to do).
     * @param {string} id
     * @param {{ status?: string, items?: Array<{ shop_id?: string, mini_app_id?: string, order_status?: string }> }} [o]
     */
    add(id, { status = "MERCHANT_ORDED", items = [{ shop_id: `S${id}` }] } = {}) {
      orders.set(id, { status, items: items.map((it) => ({ order_status: "TO_DO", ...it })) });
    },
    /** Sets an order's status (what a merchant or Alipay did meanwhile). */
    setStatus(id, status) {
      orders.get(id).status = status;
    },
    /**
     * The next `times` calls of `api` (for `order`, when given) get `outcome` instead; with
     * `apply`, the book does the call and `outcome` only adds to its answer (e.g. `{ delayMs }`:
     * done by Alipay, the answer too late).
     */
    fail(api, outcome, { order = null, times = 1, apply = false } = {}) {
      failures.push({ api, order, outcome, times, apply });
    },
    /** The mock's handler. */
    handler(rec) {
      if (rec.error) return undefined;
      const p = rec.bizParams ?? {};
      const id = p.commodity_order_id ?? null;
      const item = p.shop_id ?? p.mini_app_id ?? null;
      const f = failures.find((x) => x.api === rec.api && x.times > 0 && (x.order === null || x.order === id));
      let outcome;
      if (f) {
        f.times--;
        outcome = f.apply ? { ...answer(rec.api, id, p), ...f.outcome } : f.outcome;
      } else outcome = answer(rec.api, id, p);
      calls.push({ api: rec.api, order: id, item, outcome: typeof outcome === "string" ? outcome : outcome?.type });
      return outcome;
    },
  };
}
