// Alipay's side of the orders, behind the mock OpenAPI (mock-alipay.mjs `setHandler`): each
// order's status and items, changed by the calls as Alipay would (order.accept: MERCHANT_ORDED →
// ISV_ACCEPTED; order.reject → ISV_REJECTED; order.item.complete: TO_DO/DOING → TO_CONFIRM) and
// refused with Alipay's business codes otherwise. Answers only verified requests (the mock
// refuses the rest itself). Refusals can also be programmed per API and order.
//
//   const book = orderBook();
//   book.add("2026…", { status: "MERCHANT_ORDED" });   // one shop item and one mini-app item
//   mock.setHandler(book.handler);
//   book.refuse("orderAccept", "2026…", "COMMODITY_ORDER_STATUS_INVALID");

/** The items of a new order: one shop (实施项 by shop_id) and one mini app (by mini_app_id). */
export function defaultItems(orderId) {
  return [
    { shop_id: `S${orderId.slice(-8)}`, shop_name: "测试餐厅(西湖店)", order_status: "TO_DO" },
    { mini_app_id: `2021${orderId.slice(-12)}`, mini_app_name: "测试小程序", order_status: "TO_DO" },
  ];
}

export function orderBook() {
  /** @type {Map<string, { status: string, items: Array<Record<string, string>> }>} */
  const orders = new Map();
  const refusals = new Map();
  const business = (code, message = code) => ({ type: "business-error", code, message });

  function handler(rec) {
    if (!rec.verified || rec.error) return undefined;
    const id = rec.bizParams?.commodity_order_id;
    const refusal = refusals.get(`${rec.api}:${id}`);
    if (refusal) {
      refusals.delete(`${rec.api}:${id}`);
      return business(refusal);
    }
    const o = orders.get(id);
    if (!o) return business(rec.api === "orderQuery" ? "QUERY_FAILD" : "ORDER_NOT_EXIST");
    switch (rec.api) {
      case "orderQuery":
        return {
          type: "success",
          result: {
            commodity_id: "20250101000000000000088",
            specifications: "标准版",
            status: o.status,
            current_page: 1,
            total_size: o.items.length,
            order_items: o.items.map((it) => ({ ...it })),
          },
        };
      case "orderAccept":
      case "orderReject":
        if (o.status !== "MERCHANT_ORDED") return business("COMMODITY_ORDER_STATUS_INVALID", "订单状态不合法");
        o.status = rec.api === "orderAccept" ? "ISV_ACCEPTED" : "ISV_REJECTED";
        return { type: "success", result: {} };
      case "orderItemComplete": {
        const item = o.items.find((it) =>
          rec.bizParams.shop_id ? it.shop_id === rec.bizParams.shop_id : it.mini_app_id === rec.bizParams.mini_app_id,
        );
        if (!item) return business("COMMODITY_ORDER_ITEM_NOT_EXIST");
        if (!["TO_DO", "DOING"].includes(item.order_status)) return business("ITEM_STATUS_NOT_ALLOW");
        item.order_status = "TO_CONFIRM";
        return { type: "success", result: {} };
      }
      default:
        return business("SYSTEM_ERROR");
    }
  }

  return {
    orders,
    handler,
    /**
     * Adds an order Alipay knows (default: MERCHANT_ORDED with `defaultItems`).
     * @param {string} id
     * @param {{ status?: string, items?: Array<Record<string, string>> }} [o]
     */
    add(id, { status = "MERCHANT_ORDED", items = defaultItems(id) } = {}) {
      orders.set(id, { status, items });
      return orders.get(id);
    },
    /** The next call of `api` for `orderId` is refused with `code`. */
    refuse(api, orderId, code) {
      refusals.set(`${api}:${orderId}`, code);
    },
  };
}
