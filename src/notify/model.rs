//! The kinds of notification and their typed models. Every parameter is kept; typed fields are a
//! view over them, decoded to text only here.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::crypto::rsa::pkcs1v15::SignType;
use crate::encoding::charset::Charset;
use crate::encoding::form::Form;
use crate::error::{excerpt, Error, Result};
use crate::notify::sign_content::Variant;
use crate::servicemarket::status::{
    deadline_for, decode_cancel_operator, decode_order_status, decode_release_bundle, Deadline,
    Label, OrderStatus, ReleaseChannel,
};
use crate::servicemarket::Event;

/// Wire names of the kinds (SPEC §1), in one place.
pub mod wire {
    /// `notify_type` of 订购通知.
    pub const ORDER_NOTIFY: &str = "servicemarket_order_notify";
    /// `msg_method` of 订单状态变更.
    pub const ORDER_CHANGE: &str = "alipay.open.servicemarket.order.change.notify";
    /// `msg_method` of 续费订单.
    pub const ORDER_RENEW: &str = "alipay.open.servicemarket.orderrenew.notify";
    /// `notify_type` of 第三方应用授权通知.
    pub const APP_AUTH: &str = "open_app_auth_notify";
    /// The kind name of anything else.
    pub const GENERIC: &str = "generic";
}

/// What a notification is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `servicemarket_order_notify` — 订购通知 (a merchant ordered a service).
    OrderNotify,
    /// `alipay.open.servicemarket.order.change.notify` — 订单状态变更.
    OrderChange,
    /// `alipay.open.servicemarket.orderrenew.notify` — 续费订单.
    OrderRenew,
    /// `open_app_auth_notify` — 第三方应用授权通知.
    AppAuth,
    /// Anything else (e.g. `trade_status_sync`): all params kept, `biz_content` parsed if present.
    Generic,
}

impl Kind {
    /// Recognises the kind from `notify_type` / `msg_method`.
    pub fn detect(form: &Form) -> Self {
        let notify_type = form.get("notify_type");
        let msg_method = form.get("msg_method");
        if notify_type == Some(wire::ORDER_NOTIFY.as_bytes()) {
            Kind::OrderNotify
        } else if notify_type == Some(wire::APP_AUTH.as_bytes()) {
            Kind::AppAuth
        } else if msg_method == Some(wire::ORDER_CHANGE.as_bytes()) {
            Kind::OrderChange
        } else if msg_method == Some(wire::ORDER_RENEW.as_bytes()) {
            Kind::OrderRenew
        } else {
            Kind::Generic
        }
    }

    /// The wire name (`"generic"` for [`Kind::Generic`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OrderNotify => wire::ORDER_NOTIFY,
            Kind::OrderChange => wire::ORDER_CHANGE,
            Kind::OrderRenew => wire::ORDER_RENEW,
            Kind::AppAuth => wire::APP_AUTH,
            Kind::Generic => wire::GENERIC,
        }
    }

    /// The variant Alipay documents for this kind: V2 for 订购通知, V1 for the rest.
    pub fn documented_variant(self) -> Variant {
        match self {
            Kind::OrderNotify => Variant::V2,
            _ => Variant::V1,
        }
    }

    /// Parameters Alipay documents for this kind (envelope included). `None` for generic
    /// notifications, whose parameters are not known in advance.
    pub fn documented_params(self) -> Option<&'static [&'static str]> {
        match self {
            Kind::OrderNotify => Some(ORDER_NOTIFY_PARAMS),
            Kind::OrderChange | Kind::OrderRenew => Some(MSG_PARAMS),
            Kind::AppAuth => Some(APP_AUTH_PARAMS),
            Kind::Generic => None,
        }
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

const ORDER_NOTIFY_PARAMS: &[&str] = &[
    "app_id",
    "charset",
    "method",
    "timestamp",
    "version",
    "notify_id",
    "notify_time",
    "notify_type",
    "sign",
    "sign_type",
    "alipay_cert_sn",
    "commodity_order_id",
    "order_time",
    "title",
    "name",
    "merchant_pid",
    "contactor",
    "phone",
    "order_item_num",
    "total_price",
    "biz_type",
    "item_code",
    "specifications",
    "package_count",
    "period_day",
    "order_ticket",
    "service_code",
    "isv_ticket",
    "consumer_miniAppId",
    "merchant_shop_id",
    "miniapp_release_bundle",
    "promoter_master_name",
    "promoter_master_pid",
];
const MSG_PARAMS: &[&str] = &[
    "app_id",
    "charset",
    "msg_method",
    "utc_timestamp",
    "version",
    "notify_id",
    "sign",
    "sign_type",
    "biz_content",
    "alipay_cert_sn",
    "msg_app_id",
    "msg_uid",
    "msg_api",
    "encrypt_type",
];
const APP_AUTH_PARAMS: &[&str] = &[
    "app_id",
    "charset",
    "version",
    "notify_id",
    "notify_time",
    "notify_type",
    "sign",
    "sign_type",
    "biz_content",
    "auth_app_id",
    "status",
    "alipay_cert_sn",
    "timestamp",
    "utc_timestamp",
    "msg_method",
];

/// The parameters as text, in received order (serialised as an object keyed by wire name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A verified notification as a lifecycle event, with the order it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderEvent {
    /// The order (`commodity_order_id` / `order_no`); `None` for an authorization or renewal
    /// notification, which name the merchant's app, not an order.
    pub order_id: Option<String>,
    /// The event, ready for [`crate::servicemarket::apply`].
    pub event: Event,
}

/// A parsed (and, from [`crate::verify`], verified) notification.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// `true` only when the signature was checked and matched.
    pub verified: bool,
    /// Which sign content matched (`None` when not verified).
    pub variant: Option<Variant>,
    /// Identity of a verified notification (`None` when not verified): hex SHA-256 of the
    /// decoded signature. The same for every way the one signed notification can be sent
    /// (re-encoded, `sign` spelled with `+`, space or `%2B`), so it is the key to de-duplicate on
    /// together with `notify_id` (which Alipay's retries share).
    pub fingerprint: Option<String>,
    /// What the notification means for the order lifecycle (`None` unless verified, and for
    /// generic notifications): the order it concerns and the event for
    /// [`crate::servicemarket::apply`].
    pub order_event: Option<OrderEvent>,
    /// The `sign_type` received, when it is one this crate knows.
    pub sign_type: Option<SignType>,
    /// What the notification is.
    pub kind: Kind,
    /// The charset its values were decoded with.
    pub charset: Charset,
    /// `notify_id`: Alipay's id, the key for de-duplicating retries.
    pub notify_id: Option<String>,
    /// `notify_time` (Beijing time, as received).
    pub notify_time: Option<String>,
    /// `notify_type`, as received.
    pub notify_type: Option<String>,
    /// `msg_method`, as received.
    pub msg_method: Option<String>,
    /// `app_id`: the application the notification is for.
    pub app_id: Option<String>,
    /// `version`, as received.
    pub version: Option<String>,
    /// `utc_timestamp` (epoch milliseconds, as received).
    pub utc_timestamp: Option<String>,
    /// Every parameter, decoded once, under its wire name, in received order.
    pub params: Params,
    /// `biz_content` parsed as JSON (numbers stay numbers), or `None`.
    pub biz_content: Option<Value>,
    /// `biz_content` exactly as received.
    pub biz_content_raw: Option<String>,
    /// The kind's typed fields.
    #[serde(flatten)]
    pub fields: Fields,
}

/// Typed fields per kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Fields {
    /// 订购通知.
    OrderNotify(OrderNotifyFields),
    /// 订单状态变更.
    OrderChange(OrderChangeFields),
    /// 续费订单.
    OrderRenew(OrderRenewFields),
    /// 应用授权通知.
    AppAuth(AppAuthFields),
    /// No typed fields.
    Generic,
}

/// Fields of `servicemarket_order_notify` (top-level parameters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // Each field is the wire parameter of the same name (snake_case).
pub struct OrderNotifyFields {
    pub commodity_order_id: Option<String>,
    pub order_time: Option<String>,
    pub title: Option<String>,
    pub name: Option<String>,
    pub merchant_pid: Option<String>,
    pub contactor: Option<String>,
    pub phone: Option<String>,
    pub order_item_num: Option<String>,
    pub total_price: Option<String>,
    pub biz_type: Option<String>,
    pub item_code: Option<String>,
    pub specifications: Option<String>,
    pub package_count: Option<String>,
    pub period_day: Option<String>,
    pub order_ticket: Option<String>,
    pub service_code: Option<String>,
    pub isv_ticket: Option<String>,
    /// `consumer_miniAppId`: the merchant's mini-program.
    pub consumer_mini_app_id: Option<String>,
    pub merchant_shop_id: Option<String>,
    /// `miniapp_release_bundle`, each channel named.
    pub miniapp_release_bundle: Vec<ReleaseChannel>,
    pub promoter_master_name: Option<String>,
    pub promoter_master_pid: Option<String>,
}

/// Fields of `alipay.open.servicemarket.order.change.notify` (from `biz_content`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderChangeFields {
    /// `order_no`: the main order number.
    pub order_no: Option<String>,
    /// `order_line_no`: the sub-order number.
    pub order_line_no: Option<String>,
    /// `item_code`: the commodity ordered.
    pub item_code: Option<String>,
    /// `order_time` (Beijing time).
    pub order_time: Option<String>,
    /// `operate_time`: when the status changed (Beijing time).
    pub operate_time: Option<String>,
    /// `status` as received.
    pub status: Option<String>,
    /// What `status` means; `None` for an unknown code.
    pub status_info: Option<&'static OrderStatus>,
    /// `cancel_memo`.
    pub cancel_memo: Option<String>,
    /// `cancel_operator_type` as received.
    pub cancel_operator_type: Option<String>,
    /// Who cancelled, named.
    pub cancel_operator: Option<&'static Label>,
    /// `cancel_time`.
    pub cancel_time: Option<String>,
    /// The lifecycle deadline that applies in this status, if any.
    pub deadline: Option<Deadline>,
}

/// Fields of `alipay.open.servicemarket.orderrenew.notify` (from `biz_content`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRenewFields {
    /// Orders due for renewal in the next 30 days.
    pub wait_for_renew_order_count_30_day: Option<String>,
    /// Merchants due for renewal in the next 30 days.
    pub wait_for_renew_merchant_count_30_day: Option<String>,
}

/// Fields of `open_app_auth_notify`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppAuthFields {
    /// `auth_app_id`: the merchant application that was authorised.
    pub auth_app_id: Option<String>,
    /// `status` parameter (e.g. `execute_auth`).
    pub status: Option<String>,
    /// `notify_context.trigger` (what triggered the notification).
    pub trigger: Option<String>,
    /// `notify_context.trigger_context`, as received.
    pub trigger_context: Option<Value>,
    /// `detail`: the tokens.
    pub detail: Option<AppAuthDetail>,
    /// `error`, as received (an empty object on success).
    pub error: Option<Value>,
}

/// `biz_content.detail` of an app-auth notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppAuthDetail {
    /// `app_auth_token`: call APIs on the merchant's behalf with it.
    pub app_auth_token: Option<String>,
    /// `app_refresh_token`.
    pub app_refresh_token: Option<String>,
    /// `user_id` of the merchant.
    pub user_id: Option<String>,
    /// `auth_app_id`.
    pub auth_app_id: Option<String>,
    /// `app_id` of the ISV application.
    pub app_id: Option<String>,
    /// `expires_in`, seconds.
    pub expires_in: Option<i64>,
    /// `re_expires_in`, seconds.
    pub re_expires_in: Option<i64>,
    /// `auth_time`, epoch milliseconds.
    pub auth_time: Option<i64>,
    /// `app_auth_code`.
    pub app_auth_code: Option<String>,
}

/// Decodes every parameter to text in `charset` (strictly: invalid bytes are an error).
pub(crate) fn decode_params(form: &Form, charset: Charset) -> Result<Params> {
    let params = form
        .params()
        .iter()
        .map(|p| {
            let bad = || Error::CharsetMismatch {
                name: excerpt(&p.name),
                charset: charset.as_str(),
            };
            let name = charset.decode(&p.name).ok_or_else(bad)?;
            let value = charset.decode(&p.value).ok_or_else(bad)?;
            Ok((name, value))
        })
        .collect::<Result<Vec<_>>>()?;
    // Names are unique as bytes (the form checked); they must be unique as the text the caller
    // sees too: two GBK spellings of one character would otherwise give two "different"
    // parameters that collide in `params`.
    let mut names: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| matches!(w, [a, b] if a == b)) {
        return Err(Error::DuplicateParameter {
            name: w.first().map(|n| excerpt(n.as_bytes())).unwrap_or_default(),
        });
    }
    Ok(Params(params))
}

/// Builds the typed view of a decoded notification.
pub(crate) fn build(
    form: &Form,
    charset: Charset,
    verified: Option<(Variant, SignType)>,
) -> Result<Notification> {
    let params = decode_params(form, charset)?;
    let kind = Kind::detect(form);
    let biz_content_raw = params.get("biz_content").map(str::to_owned);
    let biz_content = match biz_content_raw.as_deref() {
        None => None,
        Some(raw) if raw.trim().is_empty() => None,
        Some(raw) => {
            let value: Value = serde_json::from_str(raw).map_err(|e| Error::InvalidBizContent {
                reason: e.to_string(),
            })?;
            if !value.is_object() {
                return Err(Error::InvalidBizContent {
                    reason: "not a JSON object".into(),
                });
            }
            Some(value)
        }
    };
    let empty = Map::new();
    let biz = biz_content
        .as_ref()
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let fields = match kind {
        Kind::OrderNotify => Fields::OrderNotify(order_notify(&params)),
        Kind::OrderChange => Fields::OrderChange(order_change(biz)),
        Kind::OrderRenew => Fields::OrderRenew(OrderRenewFields {
            wait_for_renew_order_count_30_day: text(biz, "wait_for_renew_order_count_30_day"),
            wait_for_renew_merchant_count_30_day: text(biz, "wait_for_renew_merchant_count_30_day"),
        }),
        Kind::AppAuth => Fields::AppAuth(app_auth(&params, biz)),
        Kind::Generic => Fields::Generic,
    };
    let get = |n: &str| params.get(n).map(str::to_owned);
    Ok(Notification {
        verified: verified.is_some(),
        variant: verified.map(|(v, _)| v),
        fingerprint: None,
        order_event: None,
        sign_type: verified
            .map(|(_, t)| t)
            .or_else(|| form.get("sign_type").and_then(SignType::from_wire)),
        kind,
        charset,
        notify_id: get("notify_id"),
        notify_time: get("notify_time"),
        notify_type: get("notify_type"),
        msg_method: get("msg_method"),
        app_id: get("app_id"),
        version: get("version"),
        utc_timestamp: get("utc_timestamp"),
        biz_content,
        biz_content_raw,
        fields,
        params,
    })
}

fn order_notify(p: &Params) -> OrderNotifyFields {
    let g = |n: &str| p.get(n).map(str::to_owned);
    OrderNotifyFields {
        commodity_order_id: g("commodity_order_id"),
        order_time: g("order_time"),
        title: g("title"),
        name: g("name"),
        merchant_pid: g("merchant_pid"),
        contactor: g("contactor"),
        phone: g("phone"),
        order_item_num: g("order_item_num"),
        total_price: g("total_price"),
        biz_type: g("biz_type"),
        item_code: g("item_code"),
        specifications: g("specifications"),
        package_count: g("package_count"),
        period_day: g("period_day"),
        order_ticket: g("order_ticket"),
        service_code: g("service_code"),
        isv_ticket: g("isv_ticket"),
        consumer_mini_app_id: g("consumer_miniAppId"),
        merchant_shop_id: g("merchant_shop_id"),
        miniapp_release_bundle: p
            .get("miniapp_release_bundle")
            .map(decode_release_bundle)
            .unwrap_or_default(),
        promoter_master_name: g("promoter_master_name"),
        promoter_master_pid: g("promoter_master_pid"),
    }
}

fn order_change(biz: &Map<String, Value>) -> OrderChangeFields {
    let status = text(biz, "status");
    let status_info = status.as_deref().and_then(decode_order_status);
    let order_time = text(biz, "order_time");
    let operate_time = text(biz, "operate_time");
    let deadline = status_info.and_then(|s| {
        // Unpaid orders count from the order; the other rules from the status change.
        let reference = if s.code == "WAIT_FOR_PAYMENT" {
            order_time.as_deref()
        } else {
            operate_time.as_deref()
        };
        deadline_for(s, reference?)
    });
    let cancel_operator_type = text(biz, "cancel_operator_type");
    OrderChangeFields {
        order_no: text(biz, "order_no"),
        order_line_no: text(biz, "order_line_no"),
        item_code: text(biz, "item_code"),
        cancel_operator: cancel_operator_type
            .as_deref()
            .and_then(decode_cancel_operator),
        cancel_operator_type,
        order_time,
        operate_time,
        status,
        status_info,
        cancel_memo: text(biz, "cancel_memo"),
        cancel_time: text(biz, "cancel_time"),
        deadline,
    }
}

fn app_auth(p: &Params, biz: &Map<String, Value>) -> AppAuthFields {
    let context = biz.get("notify_context").and_then(Value::as_object);
    let detail = biz
        .get("detail")
        .and_then(Value::as_object)
        .map(|d| AppAuthDetail {
            app_auth_token: text(d, "app_auth_token"),
            app_refresh_token: text(d, "app_refresh_token"),
            user_id: text(d, "user_id"),
            auth_app_id: text(d, "auth_app_id"),
            app_id: text(d, "app_id"),
            expires_in: integer(d, "expires_in"),
            re_expires_in: integer(d, "re_expires_in"),
            auth_time: integer(d, "auth_time"),
            app_auth_code: text(d, "app_auth_code"),
        });
    AppAuthFields {
        auth_app_id: p
            .get("auth_app_id")
            .map(str::to_owned)
            .or_else(|| detail.as_ref().and_then(|d| d.auth_app_id.clone())),
        status: p.get("status").map(str::to_owned),
        trigger: context.and_then(|c| text(c, "trigger")),
        trigger_context: context.and_then(|c| c.get("trigger_context")).cloned(),
        detail,
        error: biz.get("error").cloned(),
    }
}

/// A `biz_content` member as text: strings as is, numbers and booleans as written, absent or
/// `null` as `None`, objects and arrays as compact JSON.
fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A `biz_content` member as an integer: a JSON integer or a string of digits.
fn integer(obj: &Map<String, Value>, key: &str) -> Option<i64> {
    match obj.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
