//! # alipay_notify
//!
//! Parse and verify the notifications Alipay's Service Market (支付宝服务市场) posts to an ISV's
//! application gateway, exactly as Alipay's `rsaCheckV1` / `rsaCheckV2` do — but decoding the
//! form once, verifying the bytes that were signed (UTF-8 or GBK), keeping empty values, and
//! telling which variant matched.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

mod error;
mod key;
mod modexp;
mod rsa_verify;

pub use error::{Error, Result, ERROR_CODES};
pub use key::{PublicKey, MAX_KEY_BITS, MAX_KEY_TEXT_BYTES, MIN_KEY_BITS};
pub use rsa_verify::{verify_digest_info, verify_pkcs1v15, SignType};
