//! The OpenAPI client core (调用支付宝开放接口): sans-IO builders for signed v3 and v2 requests,
//! private-key loading, the [`Signer`] seam, and reading Alipay's answers into verified data or
//! coded errors (built on [`verify_response`] and [`verify_v3_response`]). The caller brings the clock,
//! the nonce and the transport. For debugging, [`inspect_request`] reads a request as pasted from
//! a log and says what Alipay verifies in it and why the signature would not match;
//! [`inspect_response`] says why an answer does not verify.
//!
//! ```
//! use alipay_notify::openapi::{prepare_request, Protocol, RequestInput};
//!
//! let mut input = RequestInput::new(Protocol::V3, "2021000000000001",
//!     "alipay.open.servicemarket.order.query", 1_735_747_200_123);
//! input.nonce = "9e29d411-1b02-4015-b638-b9765c8f0abd".into();
//! input.params.insert("commodity_order_id".into(), "20250102000000000012345".into());
//! let unsigned = prepare_request(&input)?;
//! assert_eq!(unsigned.target,
//!     "/v3/alipay/open/servicemarket/order/query?commodity_order_id=20250102000000000012345");
//! assert!(unsigned.string_to_sign.ends_with("\nGET\n/v3/alipay/open/servicemarket/order/query?commodity_order_id=20250102000000000012345\n\n"));
//! // …sign `unsigned.string_to_sign` (RSA2), then:
//! # let signature_b64 = "AAAA";
//! let request = unsigned.assemble(signature_b64)?;
//! assert!(request.headers[0].1.starts_with("ALIPAY-SHA256withRSA app_id=2021000000000001,nonce="));
//! # Ok::<(), alipay_notify::Error>(())
//! ```

mod app_key;
mod catalogue;
mod json_forms;
mod pasted;
mod private_key;
mod reply;
mod request;
mod request_inspect;
pub(crate) mod response;
mod response_inspect;
mod signer;
mod v2;
mod v3;

pub use crate::error::ApiError;
pub use catalogue::{find_api, Api, HttpMethod, V3Route, APIS, CERT_DOWNLOAD_METHOD};
pub use pasted::MAX_PASTED_REQUEST_BYTES;
pub use private_key::{PrivateKey, PrivateKeyFormat, MAX_PRIVATE_KEY_TEXT_BYTES};
pub use reply::{read_v2_reply, read_v3_reply, ApiResponse, V3Reply};
pub use request::{
    prepare as prepare_request, Protocol, RequestInput, SignedRequest, UnsignedRequest,
};
pub use request_inspect::{
    inspect_request, InspectRequestOptions, RequestInspection, SignedInstead,
};
pub use response::{
    verify_response, verify_v3_response, VerifiedResponse, MAX_RESPONSE_BYTES, MAX_V3_HEADER_BYTES,
};
pub use response_inspect::{inspect_response, ResponseInput, ResponseInspection};
#[cfg(feature = "rsa-signer")]
pub use signer::RsaSigner;
pub use signer::Signer;

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// Appends `text` in `application/x-www-form-urlencoded` form, exactly as the WHATWG URL
/// standard's serializer (`URLSearchParams`) writes it — what Alipay's Node SDK sends: UTF-8,
/// `*-._` and ASCII alphanumerics kept, space as `+`, everything else `%XX` (upper case).
pub(crate) fn form_encode_into(out: &mut String, text: &str) {
    let hex = |n: u8| {
        char::from_digit(u32::from(n), 16)
            .unwrap_or('0')
            .to_ascii_uppercase()
    };
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(hex(b >> 4));
            out.push(hex(b & 0x0f));
        }
    }
}

/// Compact JSON of the params in their given order: the bytes `JSON.stringify` gives for the
/// same object (the same escapes; numbers as written).
pub(crate) fn compact_json(params: &Map<String, Value>) -> Result<String> {
    serde_json::to_string(params).map_err(|e| Error::InvalidArgument {
        reason: format!("params cannot be written as JSON: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_is_urlsearchparams() {
        let mut s = String::new();
        form_encode_into(&mut s, "a b+c&d=e%/~*-._'()!中");
        assert_eq!(s, "a+b%2Bc%26d%3De%25%2F%7E*-._%27%28%29%21%E4%B8%AD");
    }
}
