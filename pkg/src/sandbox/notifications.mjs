// The notifications Alipay posts to an ISV's gateway, built from the sandbox's orders and signed
// as Alipay signs them (SPEC §1, §2): the sign content is every parameter but `sign` (V2) or but
// `sign` and `sign_type` (V1), sorted by name, empty values kept, as bytes in the notification's
// charset. The order notification is V2 by default (as documented; real ones exist in V1 too),
// the authorization and order-change notifications are V1.
import { encodeText, formEncode } from "./charset.mjs";
import { rsaSign } from "./keys.mjs";
import { beijing } from "./time.mjs";

/** Wire names of the kinds the sandbox sends. */
const KINDS = {
  order: "servicemarket_order_notify",
  auth: "open_app_auth_notify",
  change: "alipay.open.servicemarket.order.change.notify",
};

/** Statuses whose order-change notification says who cancelled, and why. */
const CANCEL_STATUSES = new Set(["MERCHANT_CANCELLED", "ISV_REJECTED", "ISV_CANCELLED"]);

/**
 * `servicemarket_order_notify` of `order` (top-level business parameters, V2 envelope).
 * @param {import("./orders.mjs").Order} order
 * @param {{ appId: string, notifyId: string, now: number }} env
 * @returns {Array<[string, string]>}
 */
function orderNotifyParams(order, env) {
  const shop = order.items.find((i) => i.shopId);
  const miniApp = order.items.find((i) => i.miniAppId);
  /** @type {Array<[string, string | null]>} */
  const params = [
    ["notify_id", env.notifyId],
    ["notify_time", beijing(env.now)],
    ["notify_type", KINDS.order],
    ["app_id", env.appId],
    ["charset", order.charset],
    ["version", "1.0"],
    ["method", "alipay.open.servicemarket.order.notify"],
    ["timestamp", beijing(env.now)],
    ["commodity_order_id", order.commodityOrderId],
    ["order_time", beijing(order.orderTimeMs)],
    ["title", order.title],
    ["name", order.merchantName],
    ["merchant_pid", order.merchantPid],
    ["contactor", order.contactor],
    ["phone", order.phone],
    ["order_item_num", String(order.items.length)],
    ["total_price", order.totalPrice],
    ["biz_type", order.bizType],
    ["item_code", order.itemCode],
    ["specifications", order.specifications],
    ["package_count", order.packageCount],
    ["period_day", order.periodDay],
    ["order_ticket", order.orderTicket],
    ["service_code", order.serviceCode],
    ["isv_ticket", order.isvTicket],
    ["consumer_miniAppId", miniApp?.miniAppId ?? null],
    ["merchant_shop_id", shop?.shopId ?? null],
    ["miniapp_release_bundle", miniApp ? order.miniappReleaseBundle : null],
    ["promoter_master_name", order.promoter?.name ?? null],
    ["promoter_master_pid", order.promoter?.pid ?? null],
  ];
  return /** @type {Array<[string, string]>} */ (params.filter(([, v]) => v !== null));
}

/**
 * `open_app_auth_notify` granting the merchant's `app_auth_token` (V1; `biz_content` JSON).
 * @param {import("./orders.mjs").Merchant} merchant
 * @param {{ appId: string, notifyId: string, now: number, charset: "UTF-8" | "GBK" }} env
 * @returns {Array<[string, string]>}
 */
function authNotifyParams(merchant, env) {
  const biz = {
    notify_context: { trigger: "appstore", trigger_context: { out_biz_no: merchant.authOutBizNo } },
    detail: {
      app_auth_token: merchant.appAuthToken,
      app_refresh_token: merchant.appRefreshToken,
      user_id: merchant.pid,
      auth_app_id: merchant.authAppId,
      app_id: env.appId,
      expires_in: 31536000,
      re_expires_in: 32140800,
      auth_time: merchant.authTimeMs,
      app_auth_code: merchant.appAuthCode,
    },
    error: {},
  };
  return [
    ["notify_type", KINDS.auth],
    ["notify_id", env.notifyId],
    ["notify_time", beijing(env.now)],
    ["app_id", env.appId],
    ["charset", env.charset],
    ["version", "1.0"],
    ["auth_app_id", merchant.authAppId],
    ["status", merchant.authorizations > 1 ? "update_auth" : "execute_auth"],
    ["biz_content", JSON.stringify(biz)],
  ];
}

/**
 * `alipay.open.servicemarket.order.change.notify` for `order`'s current status (V1).
 * @param {import("./orders.mjs").Order} order
 * @param {{ appId: string, notifyId: string, now: number }} env
 * @returns {Array<[string, string]>}
 */
function changeNotifyParams(order, env) {
  /** @type {Record<string, string>} */
  const biz = {
    order_no: order.commodityOrderId,
    order_line_no: order.orderLineNo,
    item_code: order.itemCode,
    order_time: beijing(order.orderTimeMs, { micros: true }),
    operate_time: beijing(order.statusAtMs, { micros: true }),
    status: order.status,
  };
  if (CANCEL_STATUSES.has(order.status) && order.cancel) {
    biz.cancel_memo = order.cancel.memo;
    biz.cancel_operator_type = order.cancel.operatorType;
    biz.cancel_time = beijing(order.cancel.atMs);
  }
  return [
    ["msg_method", KINDS.change],
    ["notify_id", env.notifyId],
    ["utc_timestamp", String(env.now)],
    ["app_id", env.appId],
    ["charset", order.charset],
    ["version", "1.1"],
    ["biz_content", JSON.stringify(biz)],
  ];
}

/**
 * Signs `params` and writes the form body Alipay posts: the params in their order, then
 * `sign_type` and `sign`. Returns the body and the exact sign content (bytes in `charset`).
 * @param {Array<[string, string]>} params without `sign` / `sign_type`
 * @param {{ variant: "v1" | "v2", signType: "RSA2" | "RSA", charset: "UTF-8" | "GBK", key: import("node:crypto").KeyObject }} how
 */
function signNotification(params, how) {
  const all = /** @type {Array<[string, string]>} */ ([...params, ["sign_type", how.signType]]);
  const signed = all
    .filter(([k]) => !(how.variant === "v1" && k === "sign_type"))
    .map(([k, v]) => [encodeText(k, how.charset), encodeText(v, how.charset)])
    .sort((a, b) => Buffer.compare(a[0], b[0]));
  const content = Buffer.concat(signed.flatMap(([k, v], i) => [Buffer.from(i ? "&" : ""), k, Buffer.from("="), v]));
  const sign = rsaSign(content, how.key, how.signType);
  const body = formEncode([...all, ["sign", sign]], how.charset);
  return { body, signContent: content, sign };
}

export { KINDS, CANCEL_STATUSES, orderNotifyParams, authNotifyParams, changeNotifyParams, signNotification };
