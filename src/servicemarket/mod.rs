//! Service Market code tables (order statuses, cancel operators, release channels) and the
//! lifecycle deadlines of the merchant-ordering guide.

pub(crate) mod status;

pub use status::{
    deadline_for, decode_cancel_operator, decode_order_status, decode_release_bundle, Deadline,
    Label, LifecycleRule, OrderStatus, ReleaseChannel, CANCEL_OPERATORS, ORDER_STATUSES,
    RELEASE_CHANNELS,
};
