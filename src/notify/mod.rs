//! Notifications Alipay posts to the gateway: kinds and typed models, options, the sign
//! content, the one-reading rule, verification, inspection, and the Java-compatible
//! `rsaCheckV1` / `rsaCheckV2`.

pub(crate) mod event;
pub(crate) mod framing;
pub(crate) mod inspect;
pub(crate) mod java;
pub(crate) mod model;
pub(crate) mod options;
pub(crate) mod sign_content;
pub(crate) mod verify;

pub use event::lifecycle_event;
pub use inspect::{
    inspect, inspect_params, ErrorInfo, InspectedParam, Inspection, KeyReport, Outcome, Problem,
    VariantVerdict,
};
pub use java::{rsa_check_v1, rsa_check_v2, sign_check_content_v1, sign_check_content_v2};
pub use model::{
    wire, AppAuthDetail, AppAuthFields, Fields, Kind, Notification, OrderChangeFields, OrderEvent,
    OrderNotifyFields, OrderRenewFields, Params,
};
pub use options::{RsaCheckOptions, VariantChoice, VerifyOptions, VERIFY_OPTION_NAMES};
pub use sign_content::{sign_content, EmptyValues, Variant};
pub use verify::{parse, parse_form, verify, verify_form, ACK};
