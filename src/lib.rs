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
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod aes;
mod cert;
mod charset;
mod der;
mod error;
mod form;
mod framing;
mod gbk;
mod gbk_table;
mod inspect;
mod key;
mod modexp;
mod notification;
mod openapi;
mod options;
mod pem;
mod response;
mod rsa_verify;
mod sign_content;
mod status;
mod time;
mod verify;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use aes::{aes_decrypt, aes_decrypt_bytes, MAX_CIPHERTEXT_BYTES};
pub use cert::{
    check_alipay_certificate, check_key_chain, get_cert_sn, get_root_cert_sn, verify_cert_chain,
    MAX_CERT_TEXT_BYTES,
};
pub use charset::Charset;
pub use error::{Error, Result, ERROR_CODES};
pub use form::{Form, Param, MAX_BODY_BYTES, MAX_NAME_BYTES, MAX_PARAMS, MAX_VALUE_BYTES};
pub use inspect::{
    inspect, inspect_params, ErrorInfo, InspectedParam, Inspection, KeyReport, Outcome, Problem,
    VariantVerdict,
};
pub use key::{PublicKey, MAX_KEY_BITS, MAX_KEY_TEXT_BYTES, MIN_KEY_BITS};
pub use notification::{
    wire, AppAuthDetail, AppAuthFields, Fields, Kind, Notification, OrderChangeFields,
    OrderNotifyFields, OrderRenewFields, Params,
};
#[cfg(feature = "rsa-signer")]
pub use openapi::RsaSigner;
pub use openapi::{
    find_api, prepare_request, read_v2_reply, read_v3_reply, Api, ApiError, ApiResponse,
    HttpMethod, PrivateKey, PrivateKeyFormat, Protocol, RequestInput, SignedRequest, Signer,
    UnsignedRequest, V3Reply, V3Route, APIS, CERT_DOWNLOAD_METHOD, MAX_PRIVATE_KEY_TEXT_BYTES,
};
pub use options::{RsaCheckOptions, VariantChoice, VerifyOptions, VERIFY_OPTION_NAMES};
pub use response::{
    verify_response, verify_v3_response, VerifiedResponse, MAX_RESPONSE_BYTES, MAX_V3_HEADER_BYTES,
};
pub use rsa_verify::{verify_digest_info, verify_pkcs1v15, SignType};
pub use sign_content::{sign_content, EmptyValues, Variant};
pub use status::{
    deadline_for, decode_cancel_operator, decode_order_status, decode_release_bundle, Deadline,
    Label, LifecycleRule, OrderStatus, ReleaseChannel, CANCEL_OPERATORS, ORDER_STATUSES,
    RELEASE_CHANNELS,
};
pub use time::{beijing_to_epoch_ms, epoch_ms_to_beijing};
pub use verify::{
    parse, parse_form, rsa_check_v1, rsa_check_v2, sign_check_content_v1, sign_check_content_v2,
    verify, verify_form, ACK,
};
