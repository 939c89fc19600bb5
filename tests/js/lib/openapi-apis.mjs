// The ten Service Market OpenAPI calls as test data (reference openapi.md §3, §4, §8): wire names,
// v3 method + path, whether the call acts for a merchant (app_auth_token), realistic request params
// (snake_case, as sent on the wire), the success result a mock answers with, and the API's
// business error codes. Shared by the oracle capture (tests/vectors/openapi/capture.mjs) and the
// mock Alipay (mock-alipay.mjs). Data only: no signing here.

const ORDER_ID = "20250102000000000012345";
const SHOP_ID = "2015052000077000000000182140";
const MINI_APP_ID = "2021000000000009";
const COMMODITY_ID = "20250101000000000000088";

/** A merchant's app_auth_token, shaped like real ones (40 characters). */
export const APP_AUTH_TOKEN = "202501BBa1b2c3d4e5f60718293a4b5c6d7e8X56";

/** The app every vector is made for. */
export const APP_ID = "2021000000000001";

const orderItem = {
  commodity_id: COMMODITY_ID,
  merchant_pid: "2088000000000123",
  merchant_name: "杭州测试餐饮有限公司",
  shop_id: SHOP_ID,
  shop_name: "测试餐厅(西湖店)",
  brand_name: "测试餐厅",
  category: "美食",
  province: "浙江省",
  city: "杭州市",
  city_code: "330100",
  address: "西湖区文三路 1 号",
  contacts: "张三",
  phone_no: "13800000000",
  order_status: "TO_DO",
  shop_status: "INIT",
  status: "MERCHANT_ORDED",
  service_effect_date: "2025-01-02 00:00:00",
  service_expire_date: "2026-01-01 23:59:59",
};

/**
 * `name`: the client method; `method`: the v2 method; `v3`: `{ httpMethod, path }` or `null`
 * (order.upgrade is v2 only); `appAuthToken`: the call acts for a merchant (§8); `params`: wire
 * params in the order the SDK is given them; `result`: business fields of a success (v3 body =
 * this object; v2 = `code`/`msg` + these); `errors`: business error codes (§4), first = default.
 */
export const APIS = [
  {
    name: "orderQuery",
    method: "alipay.open.servicemarket.order.query",
    v3: { httpMethod: "GET", path: "/v3/alipay/open/servicemarket/order/query" },
    appAuthToken: false,
    params: { commodity_order_id: ORDER_ID, start_page: "1" },
    result: {
      commodity_id: COMMODITY_ID,
      specifications: "标准版",
      status: "MERCHANT_ORDED",
      auto_upgrade: false,
      current_page: 1,
      total_size: 1,
      order_items: [orderItem],
    },
    errors: [
      ["QUERY_FAILD", "查询失败"],
      ["NOPERMISSION_QUERY", "无权限查询"],
      ["SYSTEM_ERROR", "系统错误"],
    ],
  },
  {
    name: "orderAccept",
    method: "alipay.open.servicemarket.order.accept",
    v3: { httpMethod: "POST", path: "/v3/alipay/open/servicemarket/order/accept" },
    appAuthToken: false,
    params: { commodity_order_id: ORDER_ID },
    result: {},
    errors: [
      ["ORDER_NOT_EXIST", "订单不存在"],
      ["NO_PERMISSION_ACCETP_ORDER", "无权限接单"],
      ["COMMODITY_ORDER_STATUS_INVALID", "订单状态不合法"],
      ["PARAMS_ERROR", "参数错误"],
    ],
  },
  {
    name: "orderReject",
    method: "alipay.open.servicemarket.order.reject",
    v3: { httpMethod: "POST", path: "/v3/alipay/open/servicemarket/order/reject" },
    appAuthToken: false,
    // Space, '&', '+', '%', '/' and Chinese: form encoding and sign content must both be right.
    params: { commodity_order_id: ORDER_ID, reject_reason: "门店不在服务范围 & 无法实施 (a+b=100%/店)" },
    result: {},
    errors: [
      ["COMMODITY_ORDER_STATUS_INVALID", "订单状态不合法"],
      ["NO_PERMISSION_REJECT_ORDER", "无权限拒单"],
      ["ORDER_NOT_EXIST", "订单不存在"],
      ["PARAMS_ERROR", "参数错误"],
    ],
  },
  {
    name: "orderItemCancel",
    method: "alipay.open.servicemarket.order.item.cancel",
    v3: { httpMethod: "POST", path: "/v3/alipay/open/servicemarket/order/item/cancel" },
    appAuthToken: false,
    params: { commodity_order_id: ORDER_ID, shop_id: SHOP_ID, cancel_reason: "当前门店区域不支持实施" },
    result: {},
    errors: [
      ["ITEM_STATUS_NOT_ALLOW", "明细状态不允许操作"],
      ["NO_PERMISSION_CANCEL_ORDER_ITEM", "无权限取消"],
      ["COMMODITY_ORDER_ITEM_NOT_EXIST", "订单明细不存在"],
      ["PARAMS_ERROR", "参数错误"],
    ],
  },
  {
    name: "orderItemComplete",
    method: "alipay.open.servicemarket.order.item.complete",
    v3: { httpMethod: "POST", path: "/v3/alipay/open/servicemarket/order/item/complete" },
    appAuthToken: false,
    params: { commodity_order_id: ORDER_ID, mini_app_id: MINI_APP_ID },
    result: {},
    errors: [
      ["ITEM_STATUS_NOT_ALLOW", "明细状态不允许操作"],
      ["NO_PERMISSION_OPERATION", "无权限操作"],
      ["COMMODITY_ORDER_ITEM_NOT_EXIST", "订单明细不存在"],
      ["PARAMS_ERROR", "参数错误"],
      ["SYSTEM_ERROR", "系统错误"],
    ],
  },
  {
    name: "orderItemConfirm",
    method: "alipay.open.servicemarket.order.item.confirm",
    v3: { httpMethod: "POST", path: "/v3/alipay/open/servicemarket/order/item/confirm" },
    appAuthToken: true,
    params: { commodity_order_id: ORDER_ID, shop_id: SHOP_ID, mini_app_id: MINI_APP_ID },
    result: {},
    errors: [
      ["ITEM_STATUS_NOT_ALLOW", "明细状态不允许操作"],
      ["NO_PERMISSION_COMFIRM_ORDERITEM", "无权限确认"],
      ["COMMODITY_ORDER_ITEM_NOT_EXIST", "订单明细不存在"],
      ["PARAMS_ERROR", "参数错误"],
      ["SYSTEM_ERROR", "系统错误"],
      ["CONFIRM_CHARGE_ITEM_NOT_ALLOW", "收费明细不允许确认"],
    ],
  },
  {
    name: "commodityShopOnline",
    method: "alipay.open.servicemarket.commodity.shop.online",
    v3: { httpMethod: "POST", path: "/v3/alipay/open/servicemarket/commodity/shop/online" },
    appAuthToken: true,
    params: { commodity_id: COMMODITY_ID, shop_id: SHOP_ID },
    result: {},
    errors: [
      ["SHOP_TYPE_ALREADY_ONLINE", "门店已上架"],
      ["NO_PERMISSION_ONLINE_SHOP", "无权限上架"],
      ["COMMODITY_SHOP_NOT_EXIST", "门店插件不存在"],
      ["PARAMS_ERROR", "参数错误"],
    ],
  },
  {
    name: "commodityShopOffline",
    method: "alipay.open.servicemarket.commodity.shop.offline",
    v3: { httpMethod: "POST", path: "/v3/alipay/open/servicemarket/commodity/shop/offline" },
    appAuthToken: true,
    params: { commodity_id: COMMODITY_ID, shop_id: SHOP_ID },
    result: {},
    errors: [
      ["SHOP_STATUS_NOT_SUPPORT", "门店状态不支持下架"],
      ["NO_PERMISSION_OFFLINE_SHOP", "无权限下架"],
      ["COMMODITY_SHOP_NOT_EXIST", "门店插件不存在"],
      ["PARAMS_ERROR", "参数错误"],
      ["SYSTEM_ERROR", "系统错误"],
    ],
  },
  {
    name: "promotionRelationQuery",
    method: "alipay.open.servicemarket.promotiontask.relation.query",
    v3: { httpMethod: "GET", path: "/v3/alipay/open/servicemarket/promotiontask/relation/query" },
    appAuthToken: false,
    // page_size / page_num are integers (§4.8): numbers in v2 biz_content, decimal text in the v3 query.
    params: { commodity_id: "SS010101000000003954", page_size: 10, page_num: 1 },
    result: {
      current_page: 1,
      page_size: 10,
      total_size: 1,
      promotion_relations: [
        {
          apply_reason: "线下地推合作",
          commodity_id: "SS010101000000003954",
          commodity_name: "测试点餐插件",
          create_time: "2025-01-01 10:00:00",
          promoter_contact_name: "李四",
          promoter_contact_phone: "13900000000",
          promoter_name: "测试地推服务商",
          promoter_pid: "2088000000000456",
          promotion_id: "20250101000000000777",
          promotion_name: "春节推广",
        },
      ],
    },
    errors: [
      ["QUERY_FAILD", "查询失败"],
      ["PARAMS_ERROR", "参数错误"],
    ],
  },
  {
    name: "orderUpgrade",
    method: "alipay.open.servicemarket.order.upgrade",
    v3: null,
    appAuthToken: false,
    params: {
      commodity_order_id: "2018071900000015585789",
      product_codes: ["i1080300001000041016", "i1080300001000041605"],
    },
    result: {},
    errors: [
      ["UPGRADE_ILLEGAL_STATUS", "当前订单状态不允许发起升级"],
      ["ORDER_NOT_EXIST", "订单不存在"],
      ["UPGRADE_ORDER_DUPLICATE", "订单关联产品授权升级中，不允许重复操作"],
      ["PARAMS_ERROR", "参数验证失败"],
    ],
  },
];

/** Lookups by client name, v2 method and v3 "METHOD path". */
export const byName = new Map(APIS.map((a) => [a.name, a]));
export const byMethod = new Map(APIS.map((a) => [a.method, a]));
export const byV3 = new Map(APIS.filter((a) => a.v3).map((a) => [`${a.v3.httpMethod} ${a.v3.path}`, a]));

/** The v2 response key: the method with '.' → '_', plus "_response". */
export function responseKey(method) {
  return `${method.replaceAll(".", "_")}_response`;
}

/** snake_case → camelCase for plain ASCII keys (the client's input form); values kept. */
export function camelKeys(params) {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()), v]),
  );
}
