//! Reading what Alipay answered: verified data, or a coded error — never unverified data.
//!
//! v3: a 2xx must carry `alipay-signature` over `timestamp\nnonce\nbody\n` (checked with
//! [`crate::openapi::verify_v3_response`]); a 4xx/5xx is verified when signed, and its
//! `{code, message, links}` becomes [`Error::AlipayApiError`]. v2: the raw
//! `<method>_response` / `error_response` text is verified ([`crate::openapi::verify_response`], with
//! the `\/` retry of Alipay's Java and PHP SDKs), and a `code` other than `10000` becomes
//! [`Error::AlipayApiError`]. Bodies that are not Alipay's JSON (an HTML 502, an empty body) are
//! [`Error::UnexpectedResponse`].

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{ApiError, Error, Result};
use crate::PublicKey;

/// A verified successful answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiResponse {
    /// The verified result: v3 the body's JSON (`{}` for an empty body), v2 the
    /// `<method>_response` object (with `code` and `msg`).
    pub data: Value,
    /// The HTTP status.
    pub http_status: u16,
    /// `alipay-trace-id` (v3), when sent.
    pub trace_id: Option<String>,
    /// The text that was verified: the v3 body, or the v2 `<method>_response` value.
    pub signed_content: String,
    /// The Alipay certificate SN the answer named (`alipay-sn` / `alipay_cert_sn`).
    pub alipay_cert_sn: Option<String>,
}

/// The parts of a v3 answer that matter (header values as received).
#[derive(Debug, Clone, Copy, Default)]
pub struct V3Reply<'a> {
    /// HTTP status.
    pub status: u16,
    /// The raw body.
    pub body: &'a [u8],
    /// `alipay-timestamp`.
    pub timestamp: Option<&'a str>,
    /// `alipay-nonce`.
    pub nonce: Option<&'a str>,
    /// `alipay-signature`.
    pub signature: Option<&'a str>,
    /// `alipay-sn` (certificate mode).
    pub alipay_sn: Option<&'a str>,
    /// `alipay-trace-id`.
    pub trace_id: Option<&'a str>,
}

fn unexpected(status: u16, reason: impl Into<String>) -> Error {
    Error::UnexpectedResponse {
        http_status: status,
        reason: reason.into(),
    }
}

/// Reads a v3 answer with the Alipay public key (or the key of the Alipay certificate).
pub fn read_v3_reply(reply: &V3Reply<'_>, key: &PublicKey) -> Result<ApiResponse> {
    let status = reply.status;
    let success = (200..300).contains(&status);
    let signature = reply.signature.filter(|s| !s.is_empty() && *s != "null");
    let text = core::str::from_utf8(reply.body).ok();
    let verified = match signature {
        Some(sig) => {
            if let (Some(expected), Some(actual)) = (key.cert_sn(), reply.alipay_sn) {
                if actual != expected {
                    return Err(Error::CertSnMismatch {
                        expected: expected.to_string(),
                        actual: short(actual),
                    });
                }
            }
            let (Some(ts), Some(nonce)) = (reply.timestamp, reply.nonce) else {
                return Err(Error::MissingParameter {
                    name: if reply.timestamp.is_none() {
                        "alipay-timestamp".into()
                    } else {
                        "alipay-nonce".into()
                    },
                });
            };
            crate::openapi::verify_v3_response(ts, nonce, reply.body, sig, key)?;
            true
        }
        None if success && reply.body.is_empty() => {
            return Err(unexpected(status, "an empty, unsigned answer"))
        }
        None if success => {
            return Err(Error::MissingParameter {
                name: "alipay-signature".into(),
            })
        }
        None => false,
    };
    let trace_id = reply.trace_id.map(short);
    if success {
        let text = text.ok_or_else(|| Error::MalformedResponse {
            reason: "the body is not UTF-8".into(),
        })?;
        let data = if text.trim().is_empty() {
            Value::Object(Map::new())
        } else {
            serde_json::from_str::<Value>(text).map_err(|e| Error::MalformedResponse {
                reason: format!("the body is not JSON: {e}"),
            })?
        };
        return Ok(ApiResponse {
            data,
            http_status: status,
            trace_id,
            signed_content: text.to_string(),
            alipay_cert_sn: reply.alipay_sn.map(short),
        });
    }
    let body = text.and_then(json_object);
    let Some(body) = body.filter(|b| b.get("code").is_some_and(Value::is_string)) else {
        return Err(unexpected(
            status,
            if reply.body.is_empty() {
                "an empty body".to_string()
            } else {
                format!("HTTP {status} with a body that is not an Alipay error")
            },
        ));
    };
    Err(Error::AlipayApiError {
        detail: Box::new(ApiError {
            http_status: status,
            code: string_field(&body, "code").unwrap_or_default(),
            message: string_field(&body, "message").unwrap_or_default(),
            sub_code: None,
            sub_msg: None,
            links: links(body.get("links")),
            trace_id,
            verified,
        }),
    })
}

/// Reads a v2 answer (`raw_body`: the HTTP body as received) for `method`.
pub fn read_v2_reply(
    status: u16,
    raw_body: &str,
    method: &str,
    key: &PublicKey,
) -> Result<ApiResponse> {
    let Some(top) = json_object(raw_body) else {
        return Err(unexpected(
            status,
            if raw_body.trim().is_empty() {
                "an empty body".to_string()
            } else {
                format!("HTTP {status} with a body that is not Alipay's JSON")
            },
        ));
    };
    let response_key = format!("{}_response", method.replace('.', "_"));
    let inner = top
        .get(&response_key)
        .or_else(|| top.get("error_response"))
        .and_then(Value::as_object);
    let verified =
        match crate::openapi::verify_response(raw_body, key, method, crate::crypto::SignType::Rsa2)
        {
            Ok(v) => Ok(v),
            // Alipay's Java and PHP SDKs retry once with `\/` unescaped: the gateway may escape
            // slashes in what it sends but not in what it signed.
            Err(Error::SignatureMismatch) if raw_body.contains("\\/") => {
                crate::openapi::verify_response(
                    &raw_body.replace("\\/", "/"),
                    key,
                    method,
                    crate::crypto::SignType::Rsa2,
                )
            }
            Err(e) => Err(e),
        };
    let is_failure =
        |o: &Map<String, Value>| o.get("code").and_then(Value::as_str) != Some("10000");
    match verified {
        Ok(v) => {
            let obj = v.response.as_object().cloned().unwrap_or_default();
            if v.is_error || is_failure(&obj) {
                return Err(v2_error(status, &obj, true));
            }
            Ok(ApiResponse {
                data: v.response,
                http_status: status,
                trace_id: None,
                signed_content: v.signed_content,
                alipay_cert_sn: v.alipay_cert_sn,
            })
        }
        // Unsigned failures exist (gateway errors): reported as such, never as data.
        Err(Error::MissingParameter { name }) if name == "sign" => match inner {
            Some(obj) if is_failure(obj) => Err(v2_error(status, obj, false)),
            _ => Err(Error::MissingParameter { name }),
        },
        Err(e) => Err(e),
    }
}

fn v2_error(status: u16, obj: &Map<String, Value>, verified: bool) -> Error {
    Error::AlipayApiError {
        detail: Box::new(ApiError {
            http_status: status,
            code: string_field(obj, "code").unwrap_or_default(),
            message: string_field(obj, "msg").unwrap_or_default(),
            sub_code: string_field(obj, "sub_code"),
            sub_msg: string_field(obj, "sub_msg"),
            links: Vec::new(),
            trace_id: None,
            verified,
        }),
    }
}

/// The text as a JSON object, if it is one. Parsed as a `Value` and matched, never straight
/// into a `Map`: a typed target's "invalid type" errors pull float formatting into the wasm.
fn json_object(text: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn string_field(obj: &Map<String, Value>, name: &str) -> Option<String> {
    match obj.get(name)? {
        Value::String(s) => Some(bounded(s)),
        Value::Number(n) => serde_json::to_string(n).ok(),
        _ => None,
    }
}

/// Alipay's texts, kept whole up to a size an error can reasonably carry.
fn bounded(s: &str) -> String {
    const MAX: usize = 2048;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = s.get(..end).unwrap_or("").to_string();
    out.push('…');
    out
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(128).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

fn links(v: Option<&Value>) -> Vec<(String, String)> {
    match v {
        Some(Value::String(s)) => vec![(bounded(s), String::new())],
        Some(Value::Array(items)) => items
            .iter()
            .take(16)
            .filter_map(|item| {
                let obj = item.as_object()?;
                Some((
                    string_field(obj, "link").unwrap_or_default(),
                    string_field(obj, "desc").unwrap_or_default(),
                ))
            })
            .collect(),
        _ => Vec::new(),
    }
}
