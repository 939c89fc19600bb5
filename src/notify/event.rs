//! A verified notification as a lifecycle event ([`crate::servicemarket::Event`]) and the order
//! it belongs to.

use crate::encoding::time::beijing_to_epoch_ms;
use crate::notify::model::{Fields, Notification, OrderEvent};
use crate::servicemarket::Event;

/// What a verified notification means for the lifecycle: the order it concerns and the event.
/// `None` for an unverified notification, a generic one, or one with no usable time.
/// [`crate::verify`] puts it in [`Notification::order_event`].
///
/// The event's id is `notify_id` (Alipay's retries share it), else the fingerprint.
pub fn lifecycle_event(n: &Notification) -> Option<OrderEvent> {
    lifecycle_parts(n).map(|(order_id, event)| OrderEvent { order_id, event })
}

fn lifecycle_parts(n: &Notification) -> Option<(Option<String>, Event)> {
    if !n.verified {
        return None;
    }
    let id = n.notify_id.clone().or_else(|| n.fingerprint.clone())?;
    let beijing = |t: &Option<String>| t.as_deref().and_then(beijing_to_epoch_ms);
    let utc = n
        .utc_timestamp
        .as_deref()
        .and_then(|t| t.trim().parse::<i64>().ok());
    let sent = utc.or_else(|| beijing(&n.notify_time));
    match &n.fields {
        Fields::OrderNotify(f) => Some((
            f.commodity_order_id.clone(),
            Event::OrderNotified {
                id,
                at_ms: sent.or_else(|| beijing(&f.order_time))?,
                order_time_ms: beijing(&f.order_time),
            },
        )),
        Fields::OrderChange(f) => Some((
            f.order_no.clone(),
            Event::StatusChanged {
                id,
                // The status's own time decides order; the send time only when it is missing.
                at_ms: beijing(&f.operate_time).or(sent)?,
                status: f.status.clone()?,
            },
        )),
        Fields::OrderRenew(_) => Some((None, Event::RenewalNotified { id, at_ms: sent? })),
        Fields::AppAuth(f) => Some((
            None,
            Event::AuthorizationNotified {
                id,
                at_ms: sent?,
                granted: matches!(f.status.as_deref(), Some("execute_auth" | "update_auth")),
            },
        )),
        Fields::Generic => None,
    }
}
