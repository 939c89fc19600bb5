// The Service Market's order book, from Alipay's side: orders, their implementation items (a
// shop or a mini app each) and the merchants who authorised the ISV's app. It applies Alipay's
// rules (reference 000_merchant_ordering, openapi.md §4) and reports every status change to
// `emit`, which turns it into a notification. ISV calls that break a rule throw a
// `BusinessError` with Alipay's documented code; misuse of the merchant actions throws
// `INVALID_ARGUMENT`.
import { BusinessError, coded } from "./errors.mjs";
import { beijing, DAY_MS } from "./time.mjs";

/**
 * @typedef {{ shopId?: string, miniAppId?: string, name: string, orderStatus: string, shopStatus: string | null }} Item
 * @typedef {{ memo: string, operatorType: "MERCHANT" | "ISV", atMs: number }} Cancel
 * @typedef {{
 *   commodityOrderId: string, orderLineNo: string, merchantPid: string, merchantName: string,
 *   contactor: string, phone: string, itemCode: string, commodityId: string, title: string,
 *   specifications: string, bizType: string, totalPrice: string, packageCount: string,
 *   periodDay: string, orderTicket: string, serviceCode: string, isvTicket: string,
 *   miniappReleaseBundle: string, promoter: { name: string, pid: string } | null,
 *   charset: "UTF-8" | "GBK", notifyVariant: "v1" | "v2", needsPayment: boolean, paid: boolean,
 *   refunded: boolean, orderTimeMs: number, status: string, statusAtMs: number,
 *   history: Array<{ status: string, atMs: number }>, cancel: Cancel | null, items: Item[],
 *   upgradedProductCodes: string[] | null
 * }} Order
 * @typedef {{
 *   pid: string, name: string, appAuthToken: string, appRefreshToken: string, authAppId: string,
 *   appAuthCode: string, authTimeMs: number, authOutBizNo: string, authorizations: number
 * }} Merchant
 * @typedef {{ type: "auth", merchant: Merchant, order: Order } | { type: "order", order: Order } | { type: "change", order: Order }} Emission
 */

/** Lifecycle deadlines Alipay enforces on its own (SPEC §1): status → rule. */
const RULES = {
  WAIT_FOR_PAYMENT: { id: "UNPAID_AUTO_CANCEL", days: 3, from: "order" },
  ISV_ACCEPTED: { id: "IMPLEMENTATION_TIMEOUT", days: 30, from: "status" },
  MERCHANT_CHECKING: { id: "AUTO_CONFIRM", days: 7, from: "status" },
};

/** Item statuses that still count towards the order (not cancelled or rejected). */
const ACTIVE = (i) => !/CANCELLED|REJECTED/.test(i.orderStatus);

const CREATE_OPTIONS = [
  "itemCode",
  "items",
  "paid",
  "needsPayment",
  "charset",
  "merchantPid",
  "merchantName",
  "notifyVariant",
  "totalPrice",
  "isvTicket",
  "promoter",
  "authorize",
];

/**
 * @param {{
 *   now: () => number, emit: (e: Emission) => void, ids: ReturnType<import("./ids.mjs").createIds>,
 *   commodityId: string, promoter: { name: string, pid: string }
 * }} env `promoter`: the promoter orders name by default (the one of the sample promotion relation)
 */
function createOrderBook(env) {
  const { now, emit, ids } = env;
  /** @type {Map<string, Order>} */
  const orders = new Map();
  /** @type {Map<string, Merchant>} */
  const merchants = new Map();
  /** @type {Map<string, string>} token → merchant PID */
  const tokens = new Map();

  function setStatus(order, status, cancel = null) {
    order.status = status;
    order.statusAtMs = now();
    order.history.push({ status, atMs: order.statusAtMs });
    if (cancel) order.cancel = { ...cancel, atMs: order.statusAtMs };
    emit({ type: "change", order });
  }

  function setItems(order, status, which = ACTIVE) {
    for (const item of order.items) if (which(item)) item.orderStatus = status;
  }

  function merchantFor(pid, name, authAppId) {
    let m = merchants.get(pid);
    if (!m) {
      m = {
        pid,
        name,
        appAuthToken: ids.token(),
        appRefreshToken: ids.token(),
        authAppId,
        appAuthCode: ids.code(),
        authTimeMs: now(),
        authOutBizNo: ids.order(),
        authorizations: 0,
      };
      merchants.set(pid, m);
      tokens.set(m.appAuthToken, pid);
    }
    m.authorizations += 1;
    m.authTimeMs = now();
    return m;
  }

  /** The merchant's order `id`, or INVALID_ARGUMENT (merchant actions). */
  function known(id) {
    const order = typeof id === "string" ? orders.get(id) : undefined;
    if (!order)
      throw coded("INVALID_ARGUMENT", `no order ${JSON.stringify(id)} in this sandbox`, { reason: "unknown order" });
    return order;
  }

  function merchantAction(id, allowed, what) {
    const order = known(id);
    if (!allowed.includes(order.status))
      throw coded("INVALID_ARGUMENT", `${what}: order ${id} is ${order.status} (allowed from ${allowed.join(", ")})`, {
        reason: order.status,
      });
    return order;
  }

  // ─── the ISV's calls (Alipay's answers) ───

  function order(id, missingCode, notFoundCode) {
    if (typeof id !== "string" || id === "")
      throw new BusinessError(missingCode, "参数错误：commodity_order_id 不能为空");
    const o = orders.get(id);
    if (!o) throw new BusinessError(notFoundCode, "订单不存在");
    return o;
  }

  /** The item named by `shop_id` / `mini_app_id` (optional when the order has one item). */
  function item(o, params) {
    const { shop_id: shopId, mini_app_id: miniAppId } = params;
    if (!shopId && !miniAppId) {
      if (o.items.length === 1) return o.items[0];
      throw new BusinessError("PARAMS_ERROR", "参数错误：shop_id 与 mini_app_id 不能同时为空");
    }
    const found = o.items.find((i) => (shopId ? i.shopId === shopId : i.miniAppId === miniAppId));
    if (!found) throw new BusinessError("COMMODITY_ORDER_ITEM_NOT_EXIST", "订单明细不存在");
    return found;
  }

  /** After an item changed: all active items implemented → 待商家确认; none left → cancelled. */
  function afterItemChange(o) {
    const active = o.items.filter(ACTIVE);
    if (active.length === 0) {
      o.refunded = o.paid;
      setStatus(o, "ISV_CANCELLED", { memo: "服务商取消了全部实施项", operatorType: "ISV" });
    } else if (active.every((i) => i.orderStatus === "TO_CONFIRM")) setStatus(o, "MERCHANT_CHECKING");
  }

  const isv = {
    query(params) {
      const o = order(params.commodity_order_id, "QUERY_FAILD", "QUERY_FAILD");
      const page = params.start_page === undefined ? 1 : Number(params.start_page);
      if (!Number.isInteger(page) || page < 1) throw new BusinessError("QUERY_FAILD", "查询失败：start_page 无效");
      const size = 100;
      return {
        commodity_id: o.commodityId,
        specifications: o.specifications,
        status: o.status,
        auto_upgrade: false,
        current_page: page,
        total_size: o.items.length,
        order_items: o.items.slice((page - 1) * size, page * size).map((i) => itemView(o, i)),
      };
    },
    accept(params) {
      const o = order(params.commodity_order_id, "PARAMS_ERROR", "ORDER_NOT_EXIST");
      if (o.status !== "MERCHANT_ORDED")
        throw new BusinessError("COMMODITY_ORDER_STATUS_INVALID", `订单状态不合法：${o.status}`);
      setItems(o, "DOING");
      setStatus(o, "ISV_ACCEPTED");
      return {};
    },
    reject(params) {
      const o = order(params.commodity_order_id, "PARAMS_ERROR", "ORDER_NOT_EXIST");
      if (typeof params.reject_reason !== "string" || params.reject_reason === "")
        throw new BusinessError("PARAMS_ERROR", "参数错误：reject_reason 不能为空");
      if (o.status !== "MERCHANT_ORDED")
        throw new BusinessError("COMMODITY_ORDER_STATUS_INVALID", `订单状态不合法：${o.status}`);
      setItems(o, "ISV_REJECTED");
      o.refunded = o.paid;
      setStatus(o, "ISV_REJECTED", { memo: params.reject_reason, operatorType: "ISV" });
      return {};
    },
    itemCancel(params) {
      const o = order(params.commodity_order_id, "PARAMS_ERROR", "COMMODITY_ORDER_ITEM_NOT_EXIST");
      if (typeof params.cancel_reason !== "string" || params.cancel_reason === "")
        throw new BusinessError("PARAMS_ERROR", "参数错误：cancel_reason 不能为空");
      const i = item(o, params);
      if (o.status !== "ISV_ACCEPTED" || !["TO_DO", "DOING"].includes(i.orderStatus))
        throw new BusinessError("ITEM_STATUS_NOT_ALLOW", `明细状态不允许操作：${i.orderStatus}（订单 ${o.status}）`);
      i.orderStatus = "ISV_CANCELLED";
      afterItemChange(o);
      return {};
    },
    itemComplete(params) {
      const o = order(params.commodity_order_id, "PARAMS_ERROR", "COMMODITY_ORDER_ITEM_NOT_EXIST");
      const i = item(o, params);
      if (o.status !== "ISV_ACCEPTED" || !["TO_DO", "DOING"].includes(i.orderStatus))
        throw new BusinessError("ITEM_STATUS_NOT_ALLOW", `明细状态不允许操作：${i.orderStatus}（订单 ${o.status}）`);
      i.orderStatus = "TO_CONFIRM";
      afterItemChange(o);
      return {};
    },
    /** For the merchant whose token came with the call. */
    itemConfirm(params, merchantPid) {
      const o = order(params.commodity_order_id, "PARAMS_ERROR", "COMMODITY_ORDER_ITEM_NOT_EXIST");
      if (o.merchantPid !== merchantPid)
        throw new BusinessError("NO_PERMISSION_COMFIRM_ORDERITEM", "无权限确认：订单不属于授权商户");
      const i = item(o, params);
      if (o.status !== "MERCHANT_CHECKING" || i.orderStatus !== "TO_CONFIRM")
        throw new BusinessError("ITEM_STATUS_NOT_ALLOW", `明细状态不允许操作：${i.orderStatus}（订单 ${o.status}）`);
      i.orderStatus = "CONFIRMED";
      if (o.items.filter(ACTIVE).every((x) => x.orderStatus === "CONFIRMED")) {
        setItems(o, "DONE");
        setStatus(o, "DONE");
      }
      return {};
    },
    shopOnline(params, merchantPid) {
      const i = shopItem(params, merchantPid, "NO_PERMISSION_ONLINE_SHOP");
      if (i.shopStatus === "ONLINE") throw new BusinessError("SHOP_TYPE_ALREADY_ONLINE", "门店已上架");
      i.shopStatus = "ONLINE";
      return {};
    },
    shopOffline(params, merchantPid) {
      const i = shopItem(params, merchantPid, "NO_PERMISSION_OFFLINE_SHOP");
      if (i.shopStatus !== "ONLINE")
        throw new BusinessError("SHOP_STATUS_NOT_SUPPORT", `门店状态不支持下架：${i.shopStatus}`);
      i.shopStatus = "OFFLINE";
      return {};
    },
    upgrade(params) {
      const o = order(params.commodity_order_id, "PARAMS_ERROR", "ORDER_NOT_EXIST");
      const codes = params.product_codes ?? [];
      if (!Array.isArray(codes) || codes.length > 10 || !codes.every((c) => typeof c === "string" && c !== ""))
        throw new BusinessError("PARAMS_ERROR", "参数验证失败：product_codes 为最多 10 个产品码");
      if (o.status !== "DONE")
        throw new BusinessError("UPGRADE_ILLEGAL_STATUS", "当前订单状态不允许发起升级（订单完结后才能发起升级操作）");
      if (o.upgradedProductCodes)
        throw new BusinessError("UPGRADE_ORDER_DUPLICATE", "订单关联产品授权升级中，不允许重复操作");
      o.upgradedProductCodes = codes;
      return {};
    },
  };

  /** The shop item (`commodity_id` + `shop_id`) of the merchant whose token came with the call. */
  function shopItem(params, merchantPid, noPermission) {
    for (const k of ["commodity_id", "shop_id"]) {
      if (typeof params[k] !== "string" || params[k] === "" || params[k].length > 32)
        throw new BusinessError("PARAMS_ERROR", `参数错误：${k} 必选，最长 32 个字符`);
    }
    for (const o of orders.values()) {
      if (o.commodityId !== params.commodity_id) continue;
      const i = o.items.find((x) => x.shopId === params.shop_id);
      if (!i) continue;
      if (o.merchantPid !== merchantPid) throw new BusinessError(noPermission, "无权限操作：门店不属于授权商户");
      return i;
    }
    throw new BusinessError("COMMODITY_SHOP_NOT_EXIST", "门店插件不存在");
  }

  function itemView(o, i) {
    const effect = o.history.find((h) => h.status === "ISV_ACCEPTED")?.atMs ?? o.orderTimeMs;
    const base = {
      commodity_id: o.commodityId,
      merchant_pid: o.merchantPid,
      merchant_name: o.merchantName,
      contacts: o.contactor,
      phone_no: o.phone,
      order_status: i.orderStatus,
      status: o.status,
      service_effect_date: beijing(effect),
      service_expire_date: beijing(effect + Number(o.periodDay) * DAY_MS),
    };
    if (i.shopId)
      return {
        ...base,
        shop_id: i.shopId,
        shop_name: i.name,
        shop_status: i.shopStatus,
        brand_name: o.merchantName,
        category: "美食",
        province: "浙江省",
        city: "杭州市",
        city_code: "330100",
        address: "西湖区文三路 1 号",
      };
    return { ...base, mini_app_id: i.miniAppId, mini_app_name: i.name };
  }

  // ─── the merchant's side ───

  /** @param {Record<string, any>} options */
  function create(options = {}) {
    if (options === null || typeof options !== "object" || Array.isArray(options))
      throw coded("INVALID_OPTIONS", "createOrder() takes an options object", { reason: "not an object" });
    for (const k of Object.keys(options)) {
      if (!CREATE_OPTIONS.includes(k))
        throw coded("INVALID_OPTIONS", `createOrder(): unknown option \`${k}\``, { reason: `unknown option \`${k}\`` });
    }
    const text = (k, dflt, re = /^.+$/s) => {
      const v = options[k] ?? dflt;
      if (typeof v !== "string" || !re.test(v))
        throw coded(
          "INVALID_OPTIONS",
          `createOrder(): \`${k}\` must be ${re === DIGITS ? "digits" : "a non-empty string"}`,
          { reason: k },
        );
      return v;
    };
    const flag = (k, dflt) => {
      const v = options[k] ?? dflt;
      if (typeof v !== "boolean")
        throw coded("INVALID_OPTIONS", `createOrder(): \`${k}\` must be true or false`, { reason: k });
      return v;
    };
    const charset = options.charset ?? "UTF-8";
    if (charset !== "UTF-8" && charset !== "GBK")
      throw coded("INVALID_OPTIONS", 'createOrder(): `charset` must be "UTF-8" or "GBK"', { reason: "charset" });
    const notifyVariant = options.notifyVariant ?? "v2";
    if (notifyVariant !== "v1" && notifyVariant !== "v2")
      throw coded("INVALID_OPTIONS", 'createOrder(): `notifyVariant` must be "v1" or "v2"', {
        reason: "notifyVariant",
      });
    const needsPayment = flag("needsPayment", true);
    const authorize = flag("authorize", true);
    const paid = flag("paid", true);
    const items = readItems(options.items);
    const promoter = options.promoter === undefined ? env.promoter : options.promoter;
    if (promoter !== null && (typeof promoter?.name !== "string" || typeof promoter?.pid !== "string"))
      throw coded("INVALID_OPTIONS", "createOrder(): `promoter` must be { name, pid } or null", { reason: "promoter" });
    const merchantPid = text("merchantPid", ids.pid(), DIGITS);
    const merchantName = text("merchantName", merchants.get(merchantPid)?.name ?? "杭州示例餐饮有限公司");
    const commodityOrderId = ids.order();
    /** @type {Order} */
    const o = {
      commodityOrderId,
      orderLineNo: `${commodityOrderId}01`,
      merchantPid,
      merchantName,
      contactor: "张三",
      phone: "13800000000",
      itemCode: text("itemCode", "AM010101000000110306"),
      commodityId: env.commodityId,
      title: "示例点餐小程序模板",
      specifications: "标准版",
      bizType: "行业模板",
      totalPrice: text("totalPrice", needsPayment ? "99.00" : "0.00", /^\d+\.\d{2}$/),
      packageCount: "1",
      periodDay: "365",
      orderTicket: ids.code(),
      serviceCode: ids.service(),
      isvTicket: typeof options.isvTicket === "string" ? options.isvTicket : `ticket-${commodityOrderId}`,
      miniappReleaseBundle: "1032",
      promoter,
      charset,
      notifyVariant,
      needsPayment,
      paid: needsPayment ? paid : false,
      refunded: false,
      orderTimeMs: now(),
      status: "",
      statusAtMs: now(),
      history: [],
      cancel: null,
      items: items.map((i) => ({
        ...i,
        name: i.shopId ? `${merchantName}(${i.shopId.slice(-4)}店)` : `${merchantName}小程序`,
        orderStatus: "TO_DO",
        shopStatus: i.shopId ? "INIT" : null,
      })),
      upgradedProductCodes: null,
    };
    const authAppId = items.find((i) => i.miniAppId)?.miniAppId ?? ids.app();
    orders.set(commodityOrderId, o);
    const merchant = merchantFor(merchantPid, merchantName, authAppId);
    // Without `authorize`, the merchant authorises later (`authorize()`), or never.
    if (authorize) emit({ type: "auth", merchant, order: o });
    if (needsPayment && !paid) {
      setStatus(o, "WAIT_FOR_PAYMENT");
    } else {
      o.status = "MERCHANT_ORDED";
      o.history.push({ status: o.status, atMs: o.statusAtMs });
      emit({ type: "order", order: o });
    }
    return { order: o, merchant };
  }

  function readItems(items) {
    if (items === undefined) return [{ miniAppId: ids.app() }];
    if (!Array.isArray(items) || items.length === 0 || items.length > 100)
      throw coded("INVALID_OPTIONS", "createOrder(): `items` must be 1–100 of { shopId } or { miniAppId }", {
        reason: "items",
      });
    const seen = new Set();
    return items.map((i) => {
      const keys = i && typeof i === "object" ? Object.keys(i) : [];
      const k = keys[0];
      if (keys.length !== 1 || (k !== "shopId" && k !== "miniAppId") || typeof i[k] !== "string" || !DIGITS.test(i[k]))
        throw coded("INVALID_OPTIONS", "createOrder(): each item is { shopId } or { miniAppId } (digits)", {
          reason: "items",
        });
      if (seen.has(i[k]))
        throw coded("INVALID_OPTIONS", `createOrder(): item ${i[k]} is listed twice`, { reason: "items" });
      seen.add(i[k]);
      return { [k]: i[k] };
    });
  }

  const merchant = {
    /** The merchant (re-)authorises the ISV's app: an authorization notification with its token. */
    authorize(id) {
      const o = known(id);
      emit({ type: "auth", merchant: merchantFor(o.merchantPid, o.merchantName, ids.app()), order: o });
      return o;
    },
    pay(id) {
      const o = merchantAction(id, ["WAIT_FOR_PAYMENT"], "pay()");
      o.paid = true;
      o.status = "MERCHANT_ORDED";
      emit({ type: "order", order: o });
      setStatus(o, "MERCHANT_ORDED");
      return o;
    },
    refund(id) {
      const o = merchantAction(id, ["MERCHANT_ORDED", "ISV_ACCEPTED", "MERCHANT_CHECKING"], "merchantRefund()");
      o.refunded = o.paid;
      setItems(o, "MERCHANT_CANCELLED");
      setStatus(o, "MERCHANT_CANCELLED", { memo: "商家申请退款，订单已取消", operatorType: "MERCHANT" });
      return o;
    },
    confirm(id) {
      const o = merchantAction(id, ["MERCHANT_CHECKING"], "merchantConfirm()");
      setItems(o, "DONE");
      setStatus(o, "DONE");
      return o;
    },
  };

  // ─── Alipay's own deadlines ───

  /** The deadline of each order whose status has one: `{ atMs, order, rule }`. */
  function deadlines() {
    const out = [];
    for (const o of orders.values()) {
      const rule = RULES[o.status];
      if (rule)
        out.push({ atMs: (rule.from === "order" ? o.orderTimeMs : o.statusAtMs) + rule.days * DAY_MS, order: o, rule });
    }
    return out;
  }

  /** Applies a deadline that fell due (the status has not changed since it was computed). */
  function fire(d) {
    const o = d.order;
    if (RULES[o.status] !== d.rule) return;
    if (d.rule.id === "AUTO_CONFIRM") {
      setItems(o, "DONE");
      setStatus(o, "DONE");
    } else {
      o.refunded = o.paid;
      setItems(o, "MERCHANT_CANCELLED");
      const memo =
        d.rule.id === "UNPAID_AUTO_CANCEL"
          ? "超过 3 天未付费，订单已取消"
          : "实施超过 30 天未推进到待商家确认，订单已取消，已付费的自动退款";
      setStatus(o, "MERCHANT_CANCELLED", { memo, operatorType: "MERCHANT" });
    }
  }

  return {
    orders,
    merchants,
    /** The merchant PID a token was issued to, or `undefined`. */
    merchantOfToken: (token) => tokens.get(token),
    create,
    merchant,
    isv,
    deadlines,
    fire,
    get: known,
  };
}

const DIGITS = /^\d{1,32}$/;

/** The sandbox's view of `order` (a copy: callers cannot change the book). */
function orderView(order) {
  return {
    commodityOrderId: order.commodityOrderId,
    merchantPid: order.merchantPid,
    itemCode: order.itemCode,
    commodityId: order.commodityId,
    status: order.status,
    statusAt: order.statusAtMs,
    orderTime: order.orderTimeMs,
    needsPayment: order.needsPayment,
    paid: order.paid,
    refunded: order.refunded,
    charset: order.charset,
    items: order.items.map((i) => ({
      ...(i.shopId ? { shopId: i.shopId } : { miniAppId: i.miniAppId }),
      orderStatus: i.orderStatus,
      shopStatus: i.shopStatus,
    })),
    history: order.history.map((h) => ({ ...h })),
    cancel: order.cancel ? { ...order.cancel } : null,
    upgradedProductCodes: order.upgradedProductCodes ? [...order.upgradedProductCodes] : null,
  };
}
export { createOrderBook, orderView, RULES };
