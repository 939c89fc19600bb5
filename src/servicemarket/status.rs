//! Code tables of the Service Market: order status, cancel operator, mini-program release
//! channels, and the lifecycle rules that turn a status into a deadline.

use serde::Serialize;

use crate::encoding::time::{beijing_to_epoch_ms, epoch_ms_to_beijing};

/// What an order `status` means, and what the ISV should do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderStatus {
    /// The wire code, e.g. `MERCHANT_ORDED`.
    pub code: &'static str,
    /// The Chinese label used by Alipay.
    pub zh: &'static str,
    /// An English label.
    pub en: &'static str,
    /// Whether the order can no longer change state.
    pub terminal: bool,
    /// What the ISV should do next (English).
    pub next: &'static str,
    /// What the ISV should do next (Chinese).
    pub next_zh: &'static str,
    /// The lifecycle rule that applies while the order is in this status, if any.
    pub rule: Option<LifecycleRule>,
}

/// A time limit Alipay applies to an order in a given status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleRule {
    /// Stable identifier: `UNPAID_AUTO_CANCEL`, `IMPLEMENTATION_TIMEOUT`, `AUTO_CONFIRM`.
    pub id: &'static str,
    /// Days after the reference time.
    pub days: u32,
    /// What happens when the time is up (English).
    pub en: &'static str,
    /// What happens when the time is up (Chinese).
    pub zh: &'static str,
}

const UNPAID: LifecycleRule = LifecycleRule {
    id: "UNPAID_AUTO_CANCEL",
    days: 3,
    en: "an unpaid order is cancelled 3 days after it was placed",
    zh: "未付款订单在下单 3 天后自动取消",
};
const IMPLEMENTATION: LifecycleRule = LifecycleRule {
    id: "IMPLEMENTATION_TIMEOUT",
    days: 30,
    en: "implementation must reach merchant confirmation within 30 days, or the order is cancelled (refunded if paid)",
    zh: "实施 30 天内未进入待商家确认则订单取消(已付款则退款)",
};
const CONFIRM: LifecycleRule = LifecycleRule {
    id: "AUTO_CONFIRM",
    days: 7,
    en: "the merchant has 7 days to confirm; then the order completes automatically and can no longer be refunded",
    zh: "商家 7 天内未确认则订单自动完成,之后不可退款",
};

/// The order status table (SPEC §1), in Alipay's order.
pub const ORDER_STATUSES: &[OrderStatus] = &[
    OrderStatus { code: "MERCHANT_ORDED", zh: "待服务商接单", en: "Ordered, waiting for the ISV to accept", terminal: false,
        next: "Accept or reject the order (alipay.open.servicemarket.order.accept / reject).", next_zh: "接单或拒单(alipay.open.servicemarket.order.accept / reject)。", rule: None },
    OrderStatus { code: "WAIT_FOR_PAYMENT", zh: "待支付", en: "Waiting for payment", terminal: false,
        next: "Wait for the merchant to pay; do not start work yet.", next_zh: "等待商家付款,暂不实施。", rule: Some(UNPAID) },
    OrderStatus { code: "ISV_ACCEPTED", zh: "服务商已接单", en: "Accepted by the ISV", terminal: false,
        next: "Implement the service, then report completion (alipay.open.servicemarket.order.item.complete).", next_zh: "实施服务,完成后回传实施完成(alipay.open.servicemarket.order.item.complete)。", rule: Some(IMPLEMENTATION) },
    OrderStatus { code: "MERCHANT_CHECKING", zh: "实施待确认", en: "Implemented, waiting for the merchant to confirm", terminal: false,
        next: "Ask the merchant to confirm; it completes automatically when the time is up.", next_zh: "提醒商家确认;到期自动完成。", rule: Some(CONFIRM) },
    OrderStatus { code: "CONFIRMED", zh: "订单确认", en: "Confirmed", terminal: false,
        next: "Start or continue the service.", next_zh: "开始或继续提供服务。", rule: None },
    OrderStatus { code: "WAIT_FOR_SUBMIT_CONFIRM", zh: "下单待确认", en: "Placed, waiting for submission to be confirmed", terminal: false,
        next: "Wait for the order to be confirmed.", next_zh: "等待订单确认。", rule: None },
    OrderStatus { code: "DONE", zh: "已完成", en: "Completed", terminal: true,
        next: "Nothing; the order is complete (no refund is possible any more).", next_zh: "无需处理;订单已完成(不再可退款)。", rule: None },
    OrderStatus { code: "MERCHANT_CANCELLED", zh: "商家取消", en: "Cancelled by the merchant", terminal: true,
        next: "Stop the service and release resources for this order.", next_zh: "停止服务并释放该订单资源。", rule: None },
    OrderStatus { code: "ISV_REJECTED", zh: "服务商回绝", en: "Rejected by the ISV", terminal: true,
        next: "Nothing; the order was rejected.", next_zh: "无需处理;订单已回绝。", rule: None },
    OrderStatus { code: "ISV_CANCELLED", zh: "服务商取消", en: "Cancelled by the ISV", terminal: true,
        next: "Stop the service and release resources for this order.", next_zh: "停止服务并释放该订单资源。", rule: None },
];

/// Looks up an order status code (exact, case-sensitive as Alipay sends it).
///
/// ```
/// let s = alipay_notify::decode_order_status("MERCHANT_CANCELLED").unwrap();
/// assert_eq!(s.zh, "商家取消");
/// assert!(s.terminal);
/// assert!(alipay_notify::decode_order_status("NOPE").is_none());
/// ```
pub fn decode_order_status(code: &str) -> Option<&'static OrderStatus> {
    ORDER_STATUSES.iter().find(|s| s.code == code)
}

/// A code with its Chinese and English names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label {
    /// The wire code.
    pub code: &'static str,
    /// Chinese name.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
}

/// `cancel_operator_type` values.
pub const CANCEL_OPERATORS: &[Label] = &[
    Label {
        code: "MERCHANT",
        zh: "商户",
        en: "merchant",
    },
    Label {
        code: "ISV",
        zh: "服务商",
        en: "ISV",
    },
];

/// `miniapp_release_bundle` channel codes.
pub const RELEASE_CHANNELS: &[Label] = &[
    Label {
        code: "1032",
        zh: "支付宝",
        en: "Alipay",
    },
    Label {
        code: "1033",
        zh: "钉钉",
        en: "DingTalk",
    },
    Label {
        code: "1034",
        zh: "高德",
        en: "Amap",
    },
    Label {
        code: "1050",
        zh: "淘宝",
        en: "Taobao",
    },
    Label {
        code: "1051",
        zh: "天猫精灵",
        en: "Tmall Genie",
    },
    Label {
        code: "1053",
        zh: "香港版支付宝",
        en: "AlipayHK",
    },
    Label {
        code: "1055",
        zh: "mPaaS",
        en: "mPaaS",
    },
    Label {
        code: "1096",
        zh: "支付宝 IoT",
        en: "Alipay IoT",
    },
    Label {
        code: "3727",
        zh: "阿里车",
        en: "AliOS car",
    },
];

/// Looks up a `cancel_operator_type`.
pub fn decode_cancel_operator(code: &str) -> Option<&'static Label> {
    CANCEL_OPERATORS.iter().find(|l| l.code == code)
}

/// One channel of a `miniapp_release_bundle` list; `zh`/`en` are `None` for an unknown code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseChannel {
    /// The code as received.
    pub code: String,
    /// Chinese name, if the code is known.
    pub zh: Option<&'static str>,
    /// English name, if the code is known.
    pub en: Option<&'static str>,
}

/// Splits a comma list such as `1032,1096` and names each channel; unknown codes are kept.
pub fn decode_release_bundle(list: &str) -> Vec<ReleaseChannel> {
    list.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|code| {
            let known = RELEASE_CHANNELS.iter().find(|l| l.code == code);
            ReleaseChannel {
                code: code.to_owned(),
                zh: known.map(|l| l.zh),
                en: known.map(|l| l.en),
            }
        })
        .collect()
}

/// A lifecycle deadline computed from a notification's times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deadline {
    /// The rule that sets it.
    pub rule: LifecycleRule,
    /// The reference time (Beijing time, as received).
    pub from: String,
    /// The deadline, Beijing time `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    /// The deadline in epoch milliseconds.
    pub at_ms: i64,
}

/// The deadline that applies to `status`, counted from `reference` (a Beijing time string:
/// `order_time` for unpaid orders, `operate_time` otherwise). `None` if no rule applies or the
/// time is unreadable.
pub fn deadline_for(status: &OrderStatus, reference: &str) -> Option<Deadline> {
    let mut deadline = deadline_from_ms(status, beijing_to_epoch_ms(reference)?)?;
    // As received, not re-formatted.
    deadline.from = reference.to_owned();
    Some(deadline)
}

/// [`deadline_for`] with the reference time in epoch milliseconds (what the lifecycle stores).
pub fn deadline_from_ms(status: &OrderStatus, from_ms: i64) -> Option<Deadline> {
    let rule = status.rule?;
    let at_ms = from_ms.checked_add(i64::from(rule.days) * 86_400_000)?;
    Some(Deadline {
        rule,
        from: epoch_ms_to_beijing(from_ms),
        at: epoch_ms_to_beijing(at_ms),
        at_ms,
    })
}
