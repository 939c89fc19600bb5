//! The one table of the Service Market APIs the client knows by name: wire method, v3 route,
//! whether it acts for a merchant, whether it only reads, and its required fields.
//! Sources: the reference's API catalogue (v3 method and path from Alipay's generated v3 SDKs)
//! and its `app_auth_token` section.

use serde::Serialize;

/// An HTTP method used by the v3 protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// `GET`: the params travel in the query string, the body is empty.
    Get,
    /// `POST`: the params travel as a JSON body.
    Post,
}

impl HttpMethod {
    /// The method as sent and as signed (upper case).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

/// A v3 route: HTTP method and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V3Route {
    /// The HTTP method.
    pub http_method: HttpMethod,
    /// The path under the v3 endpoint's origin, e.g. `/v3/alipay/open/servicemarket/order/query`.
    pub path: &'static str,
}

/// One API of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Api {
    /// The client's method name (`orderQuery`, …).
    pub name: &'static str,
    /// The v2 `method`, e.g. `alipay.open.servicemarket.order.query`.
    pub method: &'static str,
    /// The v3 route; `None` for an API that exists in v2 only (`order.upgrade`).
    pub v3: Option<V3Route>,
    /// Whether the call acts on a merchant's behalf and so needs the merchant's
    /// `app_auth_token` (confirm, shop online / offline).
    pub needs_app_auth_token: bool,
    /// Whether the call only reads (a query): only those may be retried on their own.
    pub idempotent: bool,
    /// Wire names of the fields a request must carry (from the field descriptions).
    pub required: &'static [&'static str],
}

const fn get(path: &'static str) -> Option<V3Route> {
    Some(V3Route {
        http_method: HttpMethod::Get,
        path,
    })
}

const fn post(path: &'static str) -> Option<V3Route> {
    Some(V3Route {
        http_method: HttpMethod::Post,
        path,
    })
}

/// `alipay.open.app.alipaycert.download`: the certificate of a new Alipay certificate SN
/// (certificate rotation). v2 only in the SDKs that call it.
pub const CERT_DOWNLOAD_METHOD: &str = "alipay.open.app.alipaycert.download";

/// The ten Service Market APIs.
pub const APIS: &[Api] = &[
    Api {
        name: "orderQuery",
        method: "alipay.open.servicemarket.order.query",
        v3: get("/v3/alipay/open/servicemarket/order/query"),
        needs_app_auth_token: false,
        idempotent: true,
        required: &["commodity_order_id"],
    },
    Api {
        name: "orderAccept",
        method: "alipay.open.servicemarket.order.accept",
        v3: post("/v3/alipay/open/servicemarket/order/accept"),
        needs_app_auth_token: false,
        idempotent: false,
        required: &["commodity_order_id"],
    },
    Api {
        name: "orderReject",
        method: "alipay.open.servicemarket.order.reject",
        v3: post("/v3/alipay/open/servicemarket/order/reject"),
        needs_app_auth_token: false,
        idempotent: false,
        required: &["commodity_order_id", "reject_reason"],
    },
    Api {
        name: "orderItemCancel",
        method: "alipay.open.servicemarket.order.item.cancel",
        v3: post("/v3/alipay/open/servicemarket/order/item/cancel"),
        needs_app_auth_token: false,
        idempotent: false,
        required: &["commodity_order_id", "cancel_reason"],
    },
    Api {
        name: "orderItemComplete",
        method: "alipay.open.servicemarket.order.item.complete",
        v3: post("/v3/alipay/open/servicemarket/order/item/complete"),
        needs_app_auth_token: false,
        idempotent: false,
        required: &["commodity_order_id"],
    },
    Api {
        name: "orderItemConfirm",
        method: "alipay.open.servicemarket.order.item.confirm",
        v3: post("/v3/alipay/open/servicemarket/order/item/confirm"),
        needs_app_auth_token: true,
        idempotent: false,
        required: &["commodity_order_id"],
    },
    Api {
        name: "commodityShopOnline",
        method: "alipay.open.servicemarket.commodity.shop.online",
        v3: post("/v3/alipay/open/servicemarket/commodity/shop/online"),
        needs_app_auth_token: true,
        idempotent: false,
        required: &["commodity_id", "shop_id"],
    },
    Api {
        name: "commodityShopOffline",
        method: "alipay.open.servicemarket.commodity.shop.offline",
        v3: post("/v3/alipay/open/servicemarket/commodity/shop/offline"),
        needs_app_auth_token: true,
        idempotent: false,
        required: &["commodity_id", "shop_id"],
    },
    Api {
        name: "promotionRelationQuery",
        method: "alipay.open.servicemarket.promotiontask.relation.query",
        v3: get("/v3/alipay/open/servicemarket/promotiontask/relation/query"),
        needs_app_auth_token: false,
        idempotent: true,
        required: &["commodity_id"],
    },
    Api {
        name: "orderUpgrade",
        method: "alipay.open.servicemarket.order.upgrade",
        v3: None,
        needs_app_auth_token: false,
        idempotent: false,
        required: &["commodity_order_id"],
    },
];

/// The API with this client name (`orderQuery`) or v2 method
/// (`alipay.open.servicemarket.order.query`).
pub fn find_api(name_or_method: &str) -> Option<&'static Api> {
    APIS.iter()
        .find(|a| a.name == name_or_method || a.method == name_or_method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_methods_are_unique_and_routes_match_methods() {
        for (i, a) in APIS.iter().enumerate() {
            for b in &APIS[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.method, b.method);
            }
            if let Some(route) = a.v3 {
                // The v3 path is the v2 method with dots as slashes under /v3/.
                assert_eq!(route.path, format!("/v3/{}", a.method.replace('.', "/")));
            }
            assert_eq!(find_api(a.name), Some(a));
            assert_eq!(find_api(a.method), Some(a));
        }
        assert_eq!(APIS.len(), 10);
        assert_eq!(APIS.iter().filter(|a| a.v3.is_none()).count(), 1);
        assert_eq!(APIS.iter().filter(|a| a.needs_app_auth_token).count(), 3);
        assert!(find_api("nope").is_none());
    }
}
