//! The order lifecycle of the merchant-ordering guide as a pure state machine for one order and
//! its items: `apply(state, event, now)` gives the new state, what the event did, the next action
//! for the ISV (with the API to call) and the deadline in force.
//!
//! Rules (SPEC §6), for every event:
//!
//! - a **duplicate** (an id already applied) is a no-op;
//! - an event **older** than the state's status never rolls it back (it is `Stale`);
//! - a **terminal** status is sticky;
//! - an **impossible** transition is reported, not applied (and says to query the order);
//! - an event that **may hide a cancel** (a deadline passed, a stale or impossible event, an
//!   authorization cancelled) says "query the order": `alipay.open.servicemarket.order.query`.
//!
//! Each transition says where it comes from: [`Source::Documented`] when Alipay's pages
//! (`000_merchant_ordering`, the Service Market API reference) describe it, [`Source::Inferred`]
//! when it is our reading of the status names and the APIs.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::servicemarket::status::{deadline_from_ms, decode_order_status, Deadline};

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// Described by Alipay's pages.
    Documented,
    /// Our reading of the status names and the APIs (not stated by Alipay).
    Inferred,
}

/// One allowed order-status transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    /// From this status (`None`: an order not seen before).
    pub from: Option<&'static str>,
    /// To this status.
    pub to: &'static str,
    /// Documented or inferred.
    pub source: Source,
    /// Why (the guide's words where documented).
    pub why: &'static str,
}

const fn t(
    from: Option<&'static str>,
    to: &'static str,
    source: Source,
    why: &'static str,
) -> Transition {
    Transition {
        from,
        to,
        source,
        why,
    }
}

use Source::{Documented as D, Inferred as I};

/// Every allowed transition, the one table the state machine and its tests read.
pub const TRANSITIONS: &[Transition] = &[
    // A first sighting may be in any status: notifications arrive out of order.
    t(None, "WAIT_FOR_SUBMIT_CONFIRM", I, "first sighting"),
    t(None, "WAIT_FOR_PAYMENT", I, "first sighting"),
    t(
        None,
        "MERCHANT_ORDED",
        D,
        "订购通知: the merchant ordered; the ISV accepts or rejects",
    ),
    t(None, "ISV_ACCEPTED", I, "first sighting"),
    t(None, "MERCHANT_CHECKING", I, "first sighting"),
    t(None, "CONFIRMED", I, "first sighting"),
    t(None, "DONE", I, "first sighting"),
    t(None, "MERCHANT_CANCELLED", I, "first sighting"),
    t(None, "ISV_REJECTED", I, "first sighting"),
    t(None, "ISV_CANCELLED", I, "first sighting"),
    t(
        Some("WAIT_FOR_SUBMIT_CONFIRM"),
        "WAIT_FOR_PAYMENT",
        I,
        "the order was submitted",
    ),
    t(
        Some("WAIT_FOR_SUBMIT_CONFIRM"),
        "MERCHANT_ORDED",
        I,
        "the order was submitted",
    ),
    t(
        Some("WAIT_FOR_SUBMIT_CONFIRM"),
        "MERCHANT_CANCELLED",
        I,
        "the merchant gave up",
    ),
    t(
        Some("WAIT_FOR_PAYMENT"),
        "MERCHANT_ORDED",
        D,
        "paid: 如需付费,需要在收银台完成付费",
    ),
    t(
        Some("WAIT_FOR_PAYMENT"),
        "ISV_ACCEPTED",
        D,
        "paid, no acceptance needed: 付费后直接完成订购",
    ),
    t(
        Some("WAIT_FOR_PAYMENT"),
        "MERCHANT_CANCELLED",
        D,
        "unpaid for 3 days: 如未付费,3 天后将取消订单",
    ),
    t(
        Some("MERCHANT_ORDED"),
        "WAIT_FOR_PAYMENT",
        I,
        "accepted orders that need payment",
    ),
    t(
        Some("MERCHANT_ORDED"),
        "ISV_ACCEPTED",
        D,
        "order.accept: 商户订购服务插件之后,需要服务商接单",
    ),
    t(
        Some("MERCHANT_ORDED"),
        "ISV_REJECTED",
        D,
        "order.reject: 服务商拒绝接单",
    ),
    t(
        Some("MERCHANT_ORDED"),
        "MERCHANT_CANCELLED",
        I,
        "the merchant cancelled before acceptance",
    ),
    t(
        Some("ISV_ACCEPTED"),
        "MERCHANT_CHECKING",
        D,
        "implemented and approved: 订单状态推进为 待商家确认",
    ),
    t(
        Some("ISV_ACCEPTED"),
        "MERCHANT_CANCELLED",
        D,
        "refund during implementation, or 30 days without reaching 待商家确认",
    ),
    t(
        Some("ISV_ACCEPTED"),
        "ISV_CANCELLED",
        I,
        "the ISV cancelled the implementation (order.item.cancel)",
    ),
    t(
        Some("MERCHANT_CHECKING"),
        "CONFIRMED",
        I,
        "the merchant confirmed",
    ),
    t(
        Some("MERCHANT_CHECKING"),
        "DONE",
        D,
        "confirmed within 7 days, or 7 days passed: 订单自动完结",
    ),
    t(
        Some("MERCHANT_CHECKING"),
        "MERCHANT_CANCELLED",
        D,
        "cancelled within the 7 days: 这 7 天内可取消订单",
    ),
    t(
        Some("MERCHANT_CHECKING"),
        "ISV_ACCEPTED",
        I,
        "the merchant sent the implementation back",
    ),
    t(
        Some("CONFIRMED"),
        "DONE",
        I,
        "the confirmed order completed",
    ),
];

/// Whether `from → to` is in [`TRANSITIONS`] (staying in a status is always allowed).
pub fn transition(from: Option<&str>, to: &str) -> Option<&'static Transition> {
    TRANSITIONS.iter().find(|t| t.from == from && t.to == to)
}

/// What happened to an order, as the lifecycle sees it. Notifications must be verified first
/// (build these from `verify`'s result); calls are the ISV's own successful API calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Event {
    /// 订购通知 (`servicemarket_order_notify`): the merchant ordered.
    OrderNotified {
        /// Dedupe id (`notify_id`, else the notification's fingerprint).
        id: String,
        /// `notify_time` (else `order_time`), epoch ms.
        at_ms: i64,
        /// `order_time`, epoch ms, when readable: the 3-day rule counts from it.
        order_time_ms: Option<i64>,
    },
    /// 订单状态变更 (`alipay.open.servicemarket.order.change.notify`).
    StatusChanged {
        /// Dedupe id.
        id: String,
        /// `operate_time` (else `utc_timestamp`), epoch ms.
        at_ms: i64,
        /// The new `status`.
        status: String,
    },
    /// 续费订单: merchants due to renew (no change of this order's state).
    RenewalNotified {
        /// Dedupe id.
        id: String,
        /// `utc_timestamp`, epoch ms.
        at_ms: i64,
    },
    /// 第三方应用授权通知: `execute_auth` grants `app_auth_token`, other statuses withdraw it.
    AuthorizationNotified {
        /// Dedupe id.
        id: String,
        /// `notify_time`, epoch ms.
        at_ms: i64,
        /// Whether the merchant's app is authorised now (`status = execute_auth`).
        granted: bool,
    },
    /// The ISV's `order.accept` succeeded.
    Accepted {
        /// Dedupe id (e.g. the request id).
        id: String,
        /// When the call returned, epoch ms.
        at_ms: i64,
    },
    /// The ISV's `order.reject` succeeded.
    Rejected {
        /// Dedupe id.
        id: String,
        /// When the call returned, epoch ms.
        at_ms: i64,
    },
    /// The ISV's `order.item.complete` succeeded for one item.
    ItemCompleted {
        /// Dedupe id.
        id: String,
        /// When, epoch ms.
        at_ms: i64,
        /// The item (`shop_id`, or the mini app id).
        item: String,
    },
    /// The ISV's `order.item.cancel` succeeded for one item.
    ItemCancelled {
        /// Dedupe id.
        id: String,
        /// When, epoch ms.
        at_ms: i64,
        /// The item.
        item: String,
    },
    /// The ISV's `order.item.confirm` (for the merchant) succeeded for one item.
    ItemConfirmed {
        /// Dedupe id.
        id: String,
        /// When, epoch ms.
        at_ms: i64,
        /// The item.
        item: String,
    },
    /// `order.query` answered: Alipay's own view, authoritative as of `at_ms`.
    Queried {
        /// Dedupe id.
        id: String,
        /// When the answer arrived, epoch ms.
        at_ms: i64,
        /// The order status, when the answer names one.
        status: Option<String>,
        /// Item → `order_status` (`TO_DO`, `DOING`, `TO_CONFIRM`, …).
        items: BTreeMap<String, String>,
    },
}

impl Event {
    /// The event's dedupe id.
    pub fn id(&self) -> &str {
        match self {
            Event::OrderNotified { id, .. }
            | Event::StatusChanged { id, .. }
            | Event::RenewalNotified { id, .. }
            | Event::AuthorizationNotified { id, .. }
            | Event::Accepted { id, .. }
            | Event::Rejected { id, .. }
            | Event::ItemCompleted { id, .. }
            | Event::ItemCancelled { id, .. }
            | Event::ItemConfirmed { id, .. }
            | Event::Queried { id, .. } => id,
        }
    }

    /// When it happened, epoch ms.
    pub fn at_ms(&self) -> i64 {
        match self {
            Event::OrderNotified { at_ms, .. }
            | Event::StatusChanged { at_ms, .. }
            | Event::RenewalNotified { at_ms, .. }
            | Event::AuthorizationNotified { at_ms, .. }
            | Event::Accepted { at_ms, .. }
            | Event::Rejected { at_ms, .. }
            | Event::ItemCompleted { at_ms, .. }
            | Event::ItemCancelled { at_ms, .. }
            | Event::ItemConfirmed { at_ms, .. }
            | Event::Queried { at_ms, .. } => *at_ms,
        }
    }

    /// The order status the event implies, if it implies one.
    fn status(&self) -> Option<&str> {
        match self {
            Event::OrderNotified { .. } => Some("MERCHANT_ORDED"),
            Event::StatusChanged { status, .. } => Some(status),
            Event::Accepted { .. } => Some("ISV_ACCEPTED"),
            Event::Rejected { .. } => Some("ISV_REJECTED"),
            Event::Queried { status, .. } => status.as_deref(),
            _ => None,
        }
    }
}

/// The state of one order. Serialisable as is (JSON), so a store keeps it between events; `{}`
/// reads as a new order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderState {
    /// The order status (`None` until an event names one).
    pub status: Option<String>,
    /// When the status was set (the time of the event that set it), epoch ms.
    pub status_at_ms: Option<i64>,
    /// When the order was placed, epoch ms (the 3-day rule counts from it).
    pub ordered_at_ms: Option<i64>,
    /// Item → status (`TO_DO`, `DOING`, `TO_CONFIRM`, `CONFIRMED`, `DONE`, `MERCHANT_REJECTED`,
    /// `MERCHANT_CANCELLED`, `ISV_REJECTED`, `ISV_CANCELLED`, as `order.query` reports them).
    pub items: BTreeMap<String, String>,
    /// Whether the merchant's app is authorised (an `app_auth_token` was granted).
    pub authorized: bool,
    /// The time of the authorization event `authorized` comes from, epoch ms: an older one
    /// (a late redelivery of a withdrawal or a grant) never overrides it.
    pub authorized_at_ms: Option<i64>,
    /// The ids of the events applied, for dedupe.
    pub applied: Vec<String>,
}

/// Reads JSON as the serialisation above writes it (a hand-written reader: a derived
/// `Deserialize` for these types measured about 35 KiB of gzipped wasm).
mod read {
    use super::*;

    pub(super) type R<T> = core::result::Result<T, String>;

    pub(super) fn object<'a>(v: &'a Value, what: &str) -> R<&'a Map<String, Value>> {
        v.as_object()
            .ok_or_else(|| format!("{what} is not an object"))
    }

    pub(super) fn string(o: &Map<String, Value>, k: &str) -> R<String> {
        match o.get(k) {
            Some(Value::String(s)) => Ok(s.clone()),
            _ => Err(format!("`{k}` must be a string")),
        }
    }

    pub(super) fn opt_string(o: &Map<String, Value>, k: &str) -> R<Option<String>> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            _ => Err(format!("`{k}` must be a string or null")),
        }
    }

    pub(super) fn opt_ms(o: &Map<String, Value>, k: &str) -> R<Option<i64>> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .or_else(|| {
                    v.as_f64()
                        .filter(|f| f.is_finite() && f.fract() == 0.0)
                        .map(|f| f as i64)
                })
                .map(Some)
                .ok_or_else(|| format!("`{k}` must be epoch milliseconds (an integer)")),
        }
    }

    pub(super) fn ms(o: &Map<String, Value>, k: &str) -> R<i64> {
        opt_ms(o, k)?.ok_or_else(|| format!("`{k}` is missing"))
    }

    pub(super) fn boolean(o: &Map<String, Value>, k: &str) -> R<bool> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            _ => Err(format!("`{k}` must be a boolean")),
        }
    }

    pub(super) fn string_map(o: &Map<String, Value>, k: &str) -> R<BTreeMap<String, String>> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(BTreeMap::new()),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k2, v)| match v {
                    Value::String(s) => Ok((k2.clone(), s.clone())),
                    _ => Err(format!("`{k}.{k2}` must be a string")),
                })
                .collect(),
            _ => Err(format!("`{k}` must be an object of strings")),
        }
    }
}

impl Event {
    /// Reads an event from its JSON form (`{"type": "statusChanged", "id": …, "atMs": …, …}`).
    pub fn from_json(v: &Value) -> core::result::Result<Self, String> {
        use read::*;
        let o = object(v, "the event")?;
        let id = string(o, "id")?;
        let at_ms = ms(o, "atMs")?;
        let item = || string(o, "item");
        Ok(match string(o, "type")?.as_str() {
            "orderNotified" => Event::OrderNotified {
                id,
                at_ms,
                order_time_ms: opt_ms(o, "orderTimeMs")?,
            },
            "statusChanged" => Event::StatusChanged {
                id,
                at_ms,
                status: string(o, "status")?,
            },
            "renewalNotified" => Event::RenewalNotified { id, at_ms },
            "authorizationNotified" => Event::AuthorizationNotified {
                id,
                at_ms,
                granted: boolean(o, "granted")?,
            },
            "accepted" => Event::Accepted { id, at_ms },
            "rejected" => Event::Rejected { id, at_ms },
            "itemCompleted" => Event::ItemCompleted {
                id,
                at_ms,
                item: item()?,
            },
            "itemCancelled" => Event::ItemCancelled {
                id,
                at_ms,
                item: item()?,
            },
            "itemConfirmed" => Event::ItemConfirmed {
                id,
                at_ms,
                item: item()?,
            },
            "queried" => Event::Queried {
                id,
                at_ms,
                status: opt_string(o, "status")?,
                items: string_map(o, "items")?,
            },
            other => {
                return Err(format!(
                    "unknown event type `{}`",
                    crate::error::excerpt(other.as_bytes())
                ))
            }
        })
    }
}

impl OrderState {
    /// Reads a state from its JSON form; `{}` (or `null`) is a new order.
    pub fn from_json(v: &Value) -> core::result::Result<Self, String> {
        use read::*;
        if v.is_null() {
            return Ok(OrderState::default());
        }
        let o = object(v, "the state")?;
        let applied = match o.get("applied") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_owned)
                        .ok_or("`applied` must hold strings")
                })
                .collect::<core::result::Result<_, _>>()?,
            _ => return Err("`applied` must be an array of strings".into()),
        };
        Ok(OrderState {
            status: opt_string(o, "status")?,
            status_at_ms: opt_ms(o, "statusAtMs")?,
            ordered_at_ms: opt_ms(o, "orderedAtMs")?,
            items: string_map(o, "items")?,
            authorized: boolean(o, "authorized")?,
            // Absent in states stored before it existed.
            authorized_at_ms: opt_ms(o, "authorizedAtMs")?,
            applied,
        })
    }
}

/// What one event did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Effect {
    /// The state changed.
    Applied,
    /// Seen before (same id): nothing changed.
    Duplicate,
    /// Older than the status in force: the status was kept (other facts may have been merged).
    Stale,
    /// The status change is not in [`TRANSITIONS`] (or leaves a terminal status): not applied.
    Impossible {
        /// The status in force.
        from: Option<String>,
        /// The status the event named.
        to: String,
    },
    /// Nothing to change (e.g. a renewal, or the status already in force).
    Unchanged,
}

/// What the ISV should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// Stable identifier.
    pub id: &'static str,
    /// The API to call, if one.
    pub api: Option<&'static str>,
    /// English.
    pub en: &'static str,
    /// Chinese.
    pub zh: &'static str,
}

/// `alipay.open.servicemarket.order.query`.
pub const QUERY_API: &str = "alipay.open.servicemarket.order.query";

const QUERY: Action = Action {
    id: "QUERY_ORDER",
    api: Some(QUERY_API),
    en: "Query the order: a cancel or refund may have happened.",
    zh: "查询订单:可能已发生取消或退款。",
};
const ACCEPT_OR_REJECT: Action = Action {
    id: "ACCEPT_OR_REJECT",
    api: Some("alipay.open.servicemarket.order.accept"),
    en: "Accept the order (order.accept) or reject it (order.reject).",
    zh: "接单(order.accept)或拒单(order.reject)。",
};
const WAIT_FOR_PAYMENT: Action = Action {
    id: "WAIT_FOR_PAYMENT",
    api: None,
    en: "Wait for the merchant to pay; unpaid orders are cancelled after 3 days.",
    zh: "等待商家付款;3 天未付款订单自动取消。",
};
const WAIT_FOR_AUTHORIZATION: Action = Action {
    id: "WAIT_FOR_AUTHORIZATION",
    api: None,
    en:
        "Wait for the authorization notification (app_auth_token) before building the mini program.",
    zh: "等待授权通知(app_auth_token)后再构建小程序。",
};
const IMPLEMENT: Action = Action {
    id: "IMPLEMENT",
    api: Some("alipay.open.servicemarket.order.item.complete"),
    en: "Build the mini program with app_auth_token, then report each item complete (order.item.complete) within 30 days.",
    zh: "使用 app_auth_token 构建小程序,30 天内对每个实施项调用 order.item.complete。",
};
const WAIT_FOR_CONFIRMATION: Action = Action {
    id: "WAIT_FOR_MERCHANT_CONFIRMATION",
    api: None,
    en: "Wait for the merchant to confirm (7 days; then it completes automatically).",
    zh: "等待商家确认(7 天,到期自动完成)。",
};
const WAIT: Action = Action {
    id: "WAIT",
    api: None,
    en: "Wait for the next notification.",
    zh: "等待下一条通知。",
};
const SERVE: Action = Action {
    id: "SERVE",
    api: None,
    en: "Provide the service.",
    zh: "提供服务。",
};
const STOP: Action = Action {
    id: "STOP_SERVICE",
    api: None,
    en: "Stop the service and release the order's resources.",
    zh: "停止服务并释放该订单的资源。",
};
const NOTHING: Action = Action {
    id: "NOTHING",
    api: None,
    en: "Nothing to do.",
    zh: "无需处理。",
};

/// The result of [`apply`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The state after the event.
    pub state: OrderState,
    /// What the event did.
    pub effect: Effect,
    /// What the ISV should do next.
    pub next: Action,
    /// The deadline in force at `now`, if any.
    pub deadline: Option<Deadline>,
    /// Whether the deadline has passed at `now` (Alipay then cancels or completes on its own).
    pub deadline_passed: bool,
}

/// The most ids remembered for dedupe (oldest dropped first); far more than one order sees.
pub const MAX_APPLIED_IDS: usize = 512;

/// Applies one event to an order's state; `now_ms` decides whether a deadline has passed.
pub fn apply(state: &OrderState, event: &Event, now_ms: i64) -> Outcome {
    if state.applied.iter().any(|id| id == event.id()) {
        return conclude(state.clone(), Effect::Duplicate, Some(event), now_ms);
    }
    let mut next = state.clone();
    let effect = change(&mut next, event);
    next.applied.push(event.id().to_owned());
    if next.applied.len() > MAX_APPLIED_IDS {
        next.applied.remove(0);
    }
    conclude(next, effect, Some(event), now_ms)
}

/// The state of an order after `events` in the given order, starting from nothing.
pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>, now_ms: i64) -> Outcome {
    let mut outcome = conclude(OrderState::default(), Effect::Unchanged, None, now_ms);
    for e in events {
        outcome = apply(&outcome.state, e, now_ms);
    }
    outcome
}

/// The advice for a state after an event: the status's action, unless the event or the clock
/// says a cancel may be hiding (then: query the order).
fn conclude(state: OrderState, effect: Effect, event: Option<&Event>, now_ms: i64) -> Outcome {
    let (action, deadline, passed) = advise(&state, now_ms);
    let doubtful = passed
        || matches!(effect, Effect::Stale | Effect::Impossible { .. })
        || (effect == Effect::Applied
            && matches!(
                event,
                Some(Event::AuthorizationNotified { granted: false, .. })
            ));
    let next = if doubtful && !is_terminal(state.status.as_deref()) {
        QUERY
    } else {
        action
    };
    Outcome {
        state,
        effect,
        next,
        deadline,
        deadline_passed: passed,
    }
}

fn is_terminal(status: Option<&str>) -> bool {
    status
        .and_then(decode_order_status)
        .is_some_and(|s| s.terminal)
}

/// Applies the event's facts to `s`; the effect on the status decides the [`Effect`].
fn change(s: &mut OrderState, event: &Event) -> Effect {
    let at = event.at_ms();
    let mut merged = false;
    match event {
        Event::OrderNotified { order_time_ms, .. } if s.ordered_at_ms.is_none() => {
            s.ordered_at_ms = order_time_ms.or(Some(at));
            merged = true;
        }
        // Inferred: the newest authorization decides; an older one is stale (the status is
        // untouched either way).
        Event::AuthorizationNotified { .. } if s.authorized_at_ms.is_some_and(|t| at < t) => {
            return Effect::Stale;
        }
        Event::AuthorizationNotified { granted, .. } => {
            s.authorized_at_ms = Some(s.authorized_at_ms.map_or(at, |t| t.max(at)));
            if s.authorized != *granted {
                s.authorized = *granted;
                merged = true;
            }
        }
        Event::ItemCompleted { item, .. } => merged |= set_item(s, item, "TO_CONFIRM"),
        Event::ItemCancelled { item, .. } => merged |= set_item(s, item, "ISV_CANCELLED"),
        Event::ItemConfirmed { item, .. } => merged |= set_item(s, item, "CONFIRMED"),
        Event::Queried { items, .. } => {
            for (k, v) in items {
                merged |= set_item(s, k, v);
            }
        }
        _ => {}
    }
    let Some(to) = event.status() else {
        return if merged {
            Effect::Applied
        } else {
            Effect::Unchanged
        };
    };
    if s.status.as_deref() == Some(to) {
        s.status_at_ms = Some(s.status_at_ms.map_or(at, |t| t.max(at)));
        return if merged {
            Effect::Applied
        } else {
            Effect::Unchanged
        };
    }
    if s.status_at_ms.is_some_and(|t| at < t) {
        return Effect::Stale;
    }
    let from = s.status.as_deref();
    // A query answer is Alipay's own view: it needs no table entry (but never leaves a terminal
    // status, nor beats a newer event).
    let allowed = matches!(event, Event::Queried { .. }) || transition(from, to).is_some();
    if is_terminal(from) || decode_order_status(to).is_none() || !allowed {
        return Effect::Impossible {
            from: s.status.clone(),
            to: to.to_owned(),
        };
    }
    s.status = Some(to.to_owned());
    s.status_at_ms = Some(at);
    if s.ordered_at_ms.is_none() && matches!(to, "WAIT_FOR_PAYMENT" | "MERCHANT_ORDED") {
        s.ordered_at_ms = Some(at);
    }
    Effect::Applied
}

fn set_item(s: &mut OrderState, item: &str, status: &str) -> bool {
    if s.items.get(item).map(String::as_str) == Some(status) {
        return false;
    }
    s.items.insert(item.to_owned(), status.to_owned());
    true
}

/// The action for the status in force, its deadline, and whether the deadline passed at `now`.
fn advise(s: &OrderState, now_ms: i64) -> (Action, Option<Deadline>, bool) {
    let Some(code) = s.status.as_deref() else {
        return (QUERY, None, false);
    };
    let Some(status) = decode_order_status(code) else {
        return (QUERY, None, false);
    };
    let from = match code {
        "WAIT_FOR_PAYMENT" => s.ordered_at_ms.or(s.status_at_ms),
        _ => s.status_at_ms,
    };
    let deadline = from.and_then(|ms| deadline_from_ms(status, ms));
    let passed = deadline.as_ref().is_some_and(|d| now_ms > d.at_ms);
    let action = match code {
        "MERCHANT_ORDED" => ACCEPT_OR_REJECT,
        "WAIT_FOR_PAYMENT" => WAIT_FOR_PAYMENT,
        "ISV_ACCEPTED" if !s.authorized => WAIT_FOR_AUTHORIZATION,
        "ISV_ACCEPTED" => IMPLEMENT,
        "MERCHANT_CHECKING" => WAIT_FOR_CONFIRMATION,
        "WAIT_FOR_SUBMIT_CONFIRM" => WAIT,
        "CONFIRMED" | "DONE" => SERVE,
        "MERCHANT_CANCELLED" | "ISV_CANCELLED" => STOP,
        _ => NOTHING,
    };
    (action, deadline, passed)
}
