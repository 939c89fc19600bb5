//! Alipay's OpenAPI, as the ISV calls it: verifying responses (v2 `<method>_response` text, v3
//! `alipay-signature`).

pub(crate) mod response;

pub use response::{
    verify_response, verify_v3_response, VerifiedResponse, MAX_RESPONSE_BYTES, MAX_V3_HEADER_BYTES,
};
