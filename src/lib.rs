//! # alipay_notify
//!
//! Parse and verify the notifications Alipay's Service Market (支付宝服务市场) posts to an ISV's
//! application gateway — 订购通知, 订单状态变更, 续费, 应用授权 — exactly as Alipay's
//! `rsaCheckV1` / `rsaCheckV2` check them, but right on every real notification: the form is
//! decoded once, the signature is checked over the bytes that were signed (UTF-8 or GBK), empty
//! values are kept, and the result says which variant matched. Failures are coded [`Error`]s.
//!
//! ```
//! use alipay_notify::{decode_order_status, verify, Fields, PublicKey, VerifyOptions};
//!
//! // Parse the Alipay public key (支付宝公钥) once, from configuration — never from the request.
//! let key = PublicKey::parse(include_str!("../tests/vectors/doc/alipay-public-key.txt"))?;
//! let options = VerifyOptions { app_id: Some("2018091261392200".into()), ..Default::default() };
//!
//! let body = include_bytes!("../tests/vectors/doc/order-notify-2020.txt"); // raw request body
//! let n = verify(body, &key, &options)?;
//! assert!(n.verified);
//! if let Fields::OrderNotify(order) = &n.fields {
//!     assert_eq!(order.commodity_order_id.as_deref(), Some("202003250000000005945192"));
//!     assert_eq!(order.miniapp_release_bundle[0].zh, Some("支付宝"));
//! }
//! // …handle it, then answer the gateway with `alipay_notify::ACK` ("success").
//!
//! assert_eq!(decode_order_status("MERCHANT_CHECKING").unwrap().zh, "实施待确认");
//! # Ok::<(), alipay_notify::Error>(())
//! ```

pub mod crypto;
pub mod encoding;
mod error;
pub mod notify;
pub mod openapi;
pub mod servicemarket;
pub mod trust;
#[cfg(target_arch = "wasm32")]
mod wasm;
pub mod x509;

// The short list: what a notification handler needs. Everything else is under its layer's
// module (`alipay_notify::x509::get_cert_sn`, `alipay_notify::encoding::Form`, …).
pub use error::{Error, Result, ERROR_CODES};
pub use notify::{
    inspect, parse, verify, Fields, Inspection, Kind, Notification, Variant, VerifyOptions, ACK,
};
pub use servicemarket::{decode_order_status, OrderStatus};
pub use trust::PublicKey;
