//! Verifying the synchronous responses of Alipay's OpenAPI gateway.
//!
//! A v1 gateway response is a JSON object such as
//! `{"alipay_trade_query_response":{…},"sign":"…"}`. The signature covers the value of
//! `<method with '.' → '_'>_response` (or `error_response`) **as the raw text received** —
//! spacing, key order and escapes included — so that text is located by a scanner that
//! understands JSON strings and nesting and returns a byte span. It is never re-serialised from
//! parsed JSON (which would reorder keys, change escapes and numbers, and fail verification or,
//! worse, verify something other than what is returned). The parsed value handed back is
//! parsed from exactly the bytes that were verified.
//!
//! The v3 gateway signs `timestamp\nnonce\nbody\n` and sends the signature in headers.

use std::borrow::Cow;

use serde_json::Value;

use crate::crypto::rsa::pkcs1v15::{verify_pkcs1v15, SignType};
use crate::encoding::base64::{decode as decode_base64, Policy};
use crate::error::{excerpt, Error, Result};
use crate::trust::policy::check_cert_sn;
use crate::trust::public_key::PublicKey;

/// Largest response body accepted by [`verify_response`] and [`verify_v3_response`], in bytes.
pub const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// Largest `timestamp`, `nonce` or signature accepted by [`verify_v3_response`], in bytes each.
/// They are HTTP header values (13 digits, a UUID, 344 base64 characters for RSA-2048); servers
/// commonly cap a request's headers at 8–16 KiB altogether.
pub const MAX_V3_HEADER_BYTES: usize = 8 * 1024;

/// Longest API name accepted as `method` (Alipay's are under 64 characters).
pub(crate) const MAX_METHOD_BYTES: usize = 128;

/// The key of a gateway-level error, used when the method's own key is absent.
const ERROR_RESPONSE: &str = "error_response";

/// A synchronous response whose signature has been verified.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifiedResponse {
    /// The top-level key whose value was verified: `<method>_response` (dots as underscores)
    /// or `error_response`.
    pub response_key: String,
    /// Whether the verified key is `error_response` (a gateway-level error).
    pub is_error: bool,
    /// The verified value, parsed from exactly the bytes that were signed.
    pub response: serde_json::Value,
    /// The signed text: the value exactly as received.
    pub signed_content: String,
    /// The `alipay_cert_sn` the response carried (certificate mode), already checked against
    /// the key's certificate when the key came from one.
    pub alipay_cert_sn: Option<String>,
}

/// Verifies the `sign` of a v1 OpenAPI gateway response (`raw_body`: the HTTP body exactly as
/// received) for `method` (e.g. `alipay.trade.query`), and returns the verified response.
///
/// Signed content: the raw text of the value of `<method with '.' replaced by '_'>_response`,
/// or of `error_response` when that key is absent. Errors:
/// [`Error::MalformedResponse`] (not a JSON object, duplicate top-level keys, both keys present),
/// [`Error::MissingParameter`] (no response key, no `sign`), [`Error::MalformedSignature`],
/// [`Error::CertSnMismatch`] (the body's `alipay_cert_sn` is not the SN of the certificate the
/// key came from — checked first, as it explains the mismatch that would follow),
/// [`Error::SignatureMismatch`], [`Error::InvalidArgument`] (a bad `method`),
/// [`Error::InputTooLarge`].
///
/// Responses without a `sign` (some gateway errors) are refused: nothing unverified is returned.
///
/// ```
/// use alipay_notify::{PublicKey};
/// use alipay_notify::crypto::{SignType};
/// use alipay_notify::openapi::{verify_response};
/// # let key_text = include_str!("../../tests/vectors/cert/real/alipay-public-key-file-upload.pem");
/// let key = PublicKey::parse(key_text)?;
/// let body = r#"{"alipay_open_file_upload_response":{"code":"10000","msg":"Success","file_id":"CAxAToWB1JsAAAAAAAAAAAAADgSLAQBr"},"sign":"F+LDzpTNiavn7xVZPGuPCSSVRSmWzJGgtuji6tVELGEaqMaNj0jRKXUEr5nloZJBBmwEnddOyCjjepMmrTKTvoOqQ0Efxpr/R1iEeHTHVbb/Q8TTh6Up5gHJDkILdaWS2q1cWeQ6VT+HQY9P3WRXS7uhILHuDODIhpAyCu5KhWGt0rMCIG+Im6NODJP2oohtSCtmTFXg58HH587Z2y2bdbjzOxLvzD9IrU1imghXQ2S/Q+wMIvRk9on6cWnBLkrNvJKapA2ReNGWOwyuASvB9zDVzhMPbR+3mfRGkVDxsq5HYLjBKGskJMXHw0HuugZij6ScRuaLPODhmHwr/pJ9yw=="}"#;
/// let r = verify_response(body, &key, "alipay.open.file.upload", SignType::Rsa2)?;
/// assert_eq!(r.response["file_id"], "CAxAToWB1JsAAAAAAAAAAAAADgSLAQBr");
/// assert!(!r.is_error);
/// # Ok::<(), alipay_notify::Error>(())
/// ```
pub fn verify_response(
    raw_body: &str,
    key: &PublicKey,
    method: &str,
    sign_type: SignType,
) -> Result<VerifiedResponse> {
    if raw_body.len() > MAX_RESPONSE_BYTES {
        return Err(Error::too_large(format!(
            "response body is over {MAX_RESPONSE_BYTES} bytes"
        )));
    }
    let method_key = response_key(method)?;
    // Validate the whole body with a real JSON parser first (it also bounds nesting depth), so
    // the scanner below only ever walks well-formed JSON.
    serde_json::from_str::<WellFormed>(raw_body).map_err(|e| Error::MalformedResponse {
        reason: format!("not valid JSON: {e}"),
    })?;
    let members = top_level_members(raw_body)?;

    let find = |name: &str| member(&members, name);
    let (response_key, span) = match (find(&method_key), find(ERROR_RESPONSE)) {
        (Some(_), Some(_)) => {
            return Err(Error::MalformedResponse {
                reason: format!("both `{method_key}` and `{ERROR_RESPONSE}` are present"),
            })
        }
        (Some(span), None) => (method_key, span),
        (None, Some(span)) => (ERROR_RESPONSE.to_string(), span),
        (None, None) => return Err(Error::MissingParameter { name: method_key }),
    };
    let signed_content = raw_body.get(span.0..span.1).unwrap_or("");

    let alipay_cert_sn = match find("alipay_cert_sn") {
        Some(s) => Some(json_string(raw_body, s, "alipay_cert_sn")?),
        None => None,
    };
    check_cert_sn(key, alipay_cert_sn.as_deref())?;

    let sign = json_string(
        raw_body,
        find("sign").ok_or_else(|| Error::MissingParameter {
            name: "sign".into(),
        })?,
        "sign",
    )?;
    let sig = decode_signature(&sign)?;
    verify_pkcs1v15(key, sign_type, signed_content.as_bytes(), &sig)?;

    let response = parse_json(signed_content).map_err(|e| Error::MalformedResponse {
        reason: format!("`{response_key}`: {e}"),
    })?;
    Ok(VerifiedResponse {
        is_error: response_key == ERROR_RESPONSE,
        response_key,
        response,
        signed_content: signed_content.to_string(),
        alipay_cert_sn,
    })
}

/// Verifies a v3 OpenAPI response: `signature_b64` (the `alipay-signature` header) must be an
/// RSA2 (SHA256withRSA) signature of `timestamp\nnonce\nbody\n`, where `timestamp` and `nonce`
/// are the `alipay-timestamp` and `alipay-nonce` headers and `body` the raw response body.
///
/// Errors: [`Error::MalformedSignature`], [`Error::SignatureMismatch`],
/// [`Error::InputTooLarge`] (a body over [`MAX_RESPONSE_BYTES`], a header value over
/// [`MAX_V3_HEADER_BYTES`]). Checking the `alipay-sn` header is the caller's (compare it with
/// [`PublicKey::cert_sn`]); so is the freshness of `timestamp`.
///
/// ```
/// # use alipay_notify::{PublicKey};
/// # use alipay_notify::openapi::{verify_v3_response};
/// # let key = PublicKey::parse(include_str!("../../tests/vectors/cert/real/alipay-public-key-file-upload.pem"))?;
/// let err = verify_v3_response("1700000000000", "nonce", b"{}", "AAAA", &key).unwrap_err();
/// assert_eq!(err.code(), "MALFORMED_SIGNATURE"); // 3 bytes cannot be a 2048-bit signature
/// # Ok::<(), alipay_notify::Error>(())
/// ```
pub fn verify_v3_response(
    timestamp: &str,
    nonce: &str,
    body: &[u8],
    signature_b64: &str,
    key: &PublicKey,
) -> Result<()> {
    if body.len() > MAX_RESPONSE_BYTES {
        return Err(Error::too_large(format!(
            "response body is over {MAX_RESPONSE_BYTES} bytes"
        )));
    }
    for (what, value) in [
        ("timestamp", timestamp),
        ("nonce", nonce),
        ("signature", signature_b64),
    ] {
        if value.len() > MAX_V3_HEADER_BYTES {
            return Err(Error::too_large(format!(
                "`{what}` is over {MAX_V3_HEADER_BYTES} bytes"
            )));
        }
    }
    let mut content = Vec::with_capacity(timestamp.len() + nonce.len() + body.len() + 3);
    content.extend_from_slice(timestamp.as_bytes());
    content.push(b'\n');
    content.extend_from_slice(nonce.as_bytes());
    content.push(b'\n');
    content.extend_from_slice(body);
    content.push(b'\n');
    let sig = decode_signature(signature_b64)?;
    verify_pkcs1v15(key, SignType::Rsa2, &content, &sig)
}

/// `alipay.trade.query` → `alipay_trade_query_response`.
fn response_key(method: &str) -> Result<String> {
    let ok = !method.is_empty()
        && method.len() <= MAX_METHOD_BYTES
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_');
    if !ok {
        return Err(Error::InvalidArgument {
            reason: format!("method `{}` is not an API name", excerpt(method.as_bytes())),
        });
    }
    Ok(format!("{}_response", method.replace('.', "_")))
}

/// Standard base64, surrounding whitespace ignored, no space inside.
fn decode_signature(sign: &str) -> Result<Vec<u8>> {
    decode_base64(sign.trim().as_bytes(), Policy::SIGNATURE).map_err(|e| {
        if e.starts_with("contains a space") {
            Error::signature(format!("sign {e}"))
        } else {
            Error::signature(format!("sign is not base64: {e}"))
        }
    })
}

fn parse_json(text: &str) -> serde_json::Result<Value> {
    serde_json::from_str(text)
}

/// Decodes the JSON string at `span` of `body` (escapes resolved); `None` if it is not one.
fn decode_string(body: &str, span: (usize, usize)) -> Option<String> {
    match parse_json(body.get(span.0..span.1)?) {
        Ok(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// Decodes the member value at `span` as a JSON string.
fn json_string(body: &str, span: (usize, usize), name: &str) -> Result<String> {
    decode_string(body, span).ok_or_else(|| Error::MalformedResponse {
        reason: format!("`{name}` is not a JSON string"),
    })
}

/// The members of the top-level JSON object of `body` (which must already be valid JSON):
/// each decoded key with the byte span `[start, end)` of its raw value, sorted by key. Duplicate
/// keys are refused, so no consumer can be shown a different value than the one verified.
///
/// Sorted once and searched by bisection, never compared pairwise: the body may hold a million
/// keys (8 MiB of `"k0":0,…`), and this runs before the signature is checked. A sort rather than
/// a hash set, so that no choice of keys can degrade it (on wasm32 the standard library has no
/// entropy to key a hash with).
fn top_level_members(body: &str) -> Result<Vec<Member<'_>>> {
    let malformed = |reason: &str| Error::MalformedResponse {
        reason: reason.to_string(),
    };
    let mut s = Scanner {
        b: body.as_bytes(),
        pos: 0,
    };
    s.skip_ws();
    if s.peek() != Some(b'{') {
        return Err(malformed("the body is not a JSON object"));
    }
    s.pos += 1;
    let mut members: Vec<Member<'_>> = Vec::new();
    s.skip_ws();
    if s.peek() == Some(b'}') {
        return Ok(members);
    }
    loop {
        s.skip_ws();
        let key_span = s.string().ok_or_else(|| malformed("expected a key"))?;
        let key = decode_key(body, key_span).ok_or_else(|| malformed("unreadable key"))?;
        s.skip_ws();
        if s.peek() != Some(b':') {
            return Err(malformed("expected `:`"));
        }
        s.pos += 1;
        s.skip_ws();
        let value = s.value().ok_or_else(|| malformed("unreadable value"))?;
        members.push((key, value));
        s.skip_ws();
        match s.peek() {
            Some(b',') => s.pos += 1,
            Some(b'}') => break,
            _ => return Err(malformed("expected `,` or `}`")),
        }
    }
    // By key, then by position (the span), so each repeat follows its first occurrence; the one
    // reported is the repeat that comes first in the body, as a scan would find it.
    members.sort_unstable_by(|(a, sa), (b, sb)| a.cmp(b).then(sa.0.cmp(&sb.0)));
    let repeat = members
        .windows(2)
        .filter_map(|w| match w {
            [(a, _), (b, at)] if a == b => Some((at.0, b)),
            _ => None,
        })
        .min_by_key(|(at, _)| *at);
    if let Some((_, key)) = repeat {
        return Err(Error::MalformedResponse {
            reason: format!("duplicate key `{}`", excerpt(key.as_bytes())),
        });
    }
    Ok(members)
}

/// A top-level member: its decoded key and the byte span of its raw value.
type Member<'a> = (Cow<'a, str>, (usize, usize));

/// The span of the value of `name` among `members` (sorted by key, without duplicates).
fn member(members: &[Member<'_>], name: &str) -> Option<(usize, usize)> {
    let i = members
        .binary_search_by(|(k, _)| k.as_ref().cmp(name))
        .ok()?;
    members.get(i).map(|(_, span)| *span)
}

/// The decoded text of the key at `span` (quotes included). A key without escapes is its own
/// text (the body is valid JSON, so it holds no control characters): borrowed, not parsed.
fn decode_key(body: &str, span: (usize, usize)) -> Option<Cow<'_, str>> {
    let raw = body.get(span.0.checked_add(1)?..span.1.checked_sub(1)?)?;
    if raw.contains('\\') {
        decode_string(body, span).map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(raw))
    }
}

/// Any JSON value, checked exactly as parsing it to [`Value`] checks it (the same
/// `deserialize_any` path: string escapes and surrogates, number range, nesting depth, trailing
/// text) but building nothing: objects with a million keys cost no map.
struct WellFormed;

impl<'de> serde::Deserialize<'de> for WellFormed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        d.deserialize_any(WellFormed)
    }
}

impl<'de> serde::de::Visitor<'de> for WellFormed {
    type Value = WellFormed;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> core::result::Result<Self, E> {
        Ok(WellFormed)
    }

    fn visit_i64<E>(self, _: i64) -> core::result::Result<Self, E> {
        Ok(WellFormed)
    }

    fn visit_u64<E>(self, _: u64) -> core::result::Result<Self, E> {
        Ok(WellFormed)
    }

    fn visit_f64<E>(self, _: f64) -> core::result::Result<Self, E> {
        Ok(WellFormed)
    }

    fn visit_str<E>(self, _: &str) -> core::result::Result<Self, E> {
        Ok(WellFormed)
    }

    fn visit_unit<E>(self) -> core::result::Result<Self, E> {
        Ok(WellFormed)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> core::result::Result<Self, A::Error> {
        while seq.next_element::<WellFormed>()?.is_some() {}
        Ok(WellFormed)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> core::result::Result<Self, A::Error> {
        while map.next_entry::<WellFormed, WellFormed>()?.is_some() {}
        Ok(WellFormed)
    }
}

/// A byte cursor over JSON text that knows just enough to skip values: strings (with escapes)
/// and balanced brackets. Well-formedness is established beforehand by `serde_json`.
struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// A string starting at the cursor; returns its span, quotes included.
    fn string(&mut self) -> Option<(usize, usize)> {
        let start = self.pos;
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some((start, self.pos));
                }
                // The escaped byte (`\"`, `\\`, …) can never end the string.
                b'\\' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
    }

    /// Any value starting at the cursor; returns its span.
    fn value(&mut self) -> Option<(usize, usize)> {
        let start = self.pos;
        match self.peek()? {
            b'"' => self.string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                        }
                        b'{' | b'[' => {
                            depth += 1;
                            self.pos += 1;
                        }
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            self.pos += 1;
                            if depth == 0 {
                                return Some((start, self.pos));
                            }
                        }
                        _ => self.pos += 1,
                    }
                }
            }
            _ => {
                // A number, `true`, `false` or `null`: up to the next delimiter.
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.pos += 1;
                }
                (self.pos > start).then_some((start, self.pos))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The members in key order, each with its raw value text.
    fn spans(body: &str) -> Vec<(String, String)> {
        top_level_members(body)
            .unwrap()
            .into_iter()
            .map(|(k, (a, b))| (k.into_owned(), body[a..b].to_string()))
            .collect()
    }

    #[test]
    fn scanner_returns_raw_value_text() {
        let body = r#" { "a_response" : {"x":"}\"{","y":[1,{"z":null}], "w" : "\\"} , "\u0073ign":"s\/+=", "n": -1.5e3 ,"t":true} "#;
        assert_eq!(
            spans(body),
            vec![
                (
                    "a_response".into(),
                    r#"{"x":"}\"{","y":[1,{"z":null}], "w" : "\\"}"#.into()
                ),
                ("n".into(), "-1.5e3".into()),
                ("sign".into(), r#""s\/+=""#.into()),
                ("t".into(), "true".into()),
            ]
        );
        assert!(spans("{}").is_empty());
    }

    #[test]
    fn duplicates_and_non_objects_are_refused() {
        let e = top_level_members(r#"{"a":1,"\u0061":2}"#).unwrap_err();
        assert_eq!(e.code(), "MALFORMED_RESPONSE");
        // The repeat named is the first one in the body, whatever the keys' order.
        let e = top_level_members(r#"{"b":1,"a":1,"b":2,"a":2}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate key `b`"), "{e}");
        let e = top_level_members(r#"{"b":1,"a":1,"a":2,"b":2}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate key `a`"), "{e}");
        assert!(top_level_members("[1]").is_err());
        assert!(top_level_members("").is_err());
    }

    /// Many top-level keys (what a hostile body packs into 8 MiB) are all kept, and a duplicate
    /// is still found, whether it is the last key, spelled with an escape, or far from its twin.
    #[test]
    fn many_keys_are_read_and_a_late_duplicate_is_refused() {
        let n = 200_000;
        let mut body = String::from(r#"{"a_response":{"x":1},"sign":"AA==""#);
        for i in 0..n {
            body.push_str(&format!(",\"k{i}\":{i}"));
        }
        let open = body.clone();
        body.push('}');
        let members = top_level_members(&body).unwrap();
        assert_eq!(members.len(), n + 2);
        let (a, b) = member(&members, "k123456").unwrap();
        assert_eq!(&body[a..b], "123456");
        for twin in [r#""k0""#, r#""k199999""#, r#""\u006b7""#, r#""a_response""#] {
            let dup = format!("{open},{twin}:0}}");
            let e = top_level_members(&dup).unwrap_err();
            assert_eq!(e.code(), "MALFORMED_RESPONSE", "{twin}");
            assert!(e.to_string().contains("duplicate key"), "{e}");
        }
    }

    /// The validating pass accepts and refuses exactly what parsing to `Value` does.
    #[test]
    fn well_formed_agrees_with_value() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let cases = [
            r#"{"a":1}"#,
            r#" {"a":[1,2.5,-3e2,true,false,null,"x",{}]} "#,
            r#"{"a":1,"a":2}"#,
            r#"{"a":"\ud83d\ude00"}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"\udc00":1}"#,
            r#"{"a":1e400}"#,
            r#"{"a":-1e400}"#,
            r#"{"a":18446744073709551616}"#,
            r#"{"a":01}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{"a":"\x"}"#,
            r#"{"a":1} x"#,
            r#"{"a":1,}"#,
            "",
            "[",
            &deep,
        ];
        for text in cases {
            assert_eq!(
                serde_json::from_str::<WellFormed>(text).is_ok(),
                parse_json(text).is_ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn response_key_from_method() {
        assert_eq!(
            response_key("alipay.trade.query").unwrap(),
            "alipay_trade_query_response"
        );
        for bad in ["", "a b", "a\"b", "x\u{4e2d}"] {
            assert_eq!(response_key(bad).unwrap_err().code(), "INVALID_ARGUMENT");
        }
    }
}
