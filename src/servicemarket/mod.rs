//! Service Market code tables (order statuses, cancel operators, release channels) and the
//! lifecycle of the merchant-ordering guide: its deadlines and a pure state machine per order.

pub(crate) mod lifecycle;
pub(crate) mod status;

pub use lifecycle::{
    apply, replay, transition, Action, Effect, Event, OrderState, Outcome, Source, Transition,
    MAX_APPLIED_IDS, QUERY_API, TRANSITIONS,
};
pub use status::{
    deadline_for, deadline_from_ms, decode_cancel_operator, decode_order_status,
    decode_release_bundle, Deadline, Label, LifecycleRule, OrderStatus, ReleaseChannel,
    CANCEL_OPERATORS, ORDER_STATUSES, RELEASE_CHANNELS,
};
