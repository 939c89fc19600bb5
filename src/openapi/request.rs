//! What a call is (the input of both protocol builders), what a builder hands out before the
//! signature (the bytes to sign), and the request as sent once a signature is given. Sans-IO:
//! nothing here reads a clock, draws a nonce or opens a connection; the caller supplies the
//! nonce and the time, so a request is reproducible byte for byte.

use serde::Serialize;
use serde_json::{Map, Value};

use super::catalogue::{find_api, HttpMethod};
use super::signer::Signer;
use super::{v2, v3};
use crate::error::{Error, Result};

/// Which wire protocol a request uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// The v3 REST protocol (`Authorization: ALIPAY-SHA256withRSA …`).
    V3,
    /// The v2 `gateway.do` protocol (signed form parameters).
    V2,
}

/// One call to build: the API, its params, and everything the signature covers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RequestInput {
    /// The wire protocol.
    pub protocol: Protocol,
    /// The application's `app_id`.
    pub app_id: String,
    /// The v2 API name (`alipay.open.servicemarket.order.query`); also names the v2 response.
    pub method: String,
    /// v3 only: the HTTP method; default: the catalogue's, else `POST`.
    pub http_method: Option<HttpMethod>,
    /// v3 only: the path; default: the catalogue's, else `/v3/` + the method with `.` as `/`.
    pub path: Option<String>,
    /// The business params (v3 query or JSON body, v2 `biz_content`), in the order given.
    pub params: Map<String, Value>,
    /// Convert the params' keys from camelCase to the wire's snake_case (deeply).
    pub camel_case: bool,
    /// The merchant's `app_auth_token`, when acting on a merchant's behalf.
    pub app_auth_token: Option<String>,
    /// Certificate mode: the SN of the application's certificate (`app_cert_sn`).
    pub app_cert_sn: Option<String>,
    /// Certificate mode: the SN of Alipay's root bundle (`alipay_root_cert_sn`).
    pub alipay_root_cert_sn: Option<String>,
    /// v3: the `nonce` of the Authorization (a fresh random UUID per request).
    pub nonce: String,
    /// The time of the request, epoch milliseconds (v3 `timestamp`; v2 `timestamp` in GMT+8).
    pub timestamp_ms: i64,
    /// v3: `alipay-request-id`; default: the nonce without dashes (as Alipay's Node SDK).
    pub request_id: Option<String>,
}

impl RequestInput {
    /// A request for `method` with everything else empty (fill in the public fields).
    pub fn new(protocol: Protocol, app_id: &str, method: &str, timestamp_ms: i64) -> Self {
        RequestInput {
            protocol,
            app_id: app_id.into(),
            method: method.into(),
            http_method: None,
            path: None,
            params: Map::new(),
            camel_case: false,
            app_auth_token: None,
            app_cert_sn: None,
            alipay_root_cert_sn: None,
            nonce: String::new(),
            timestamp_ms,
            request_id: None,
        }
    }

    /// Reads the input from JSON (the JS binding's form: the fields in camelCase); unknown
    /// fields are refused. Read by hand from a `Value` rather than derived: the derived
    /// reader measured several KiB of wasm for this one struct.
    pub fn from_json(json: &str) -> Result<Self> {
        let bad = |reason: &str| Error::InvalidArgument {
            reason: format!("request: {reason}"),
        };
        let Ok(Value::Object(mut obj)) = serde_json::from_str::<Value>(json) else {
            return Err(bad("not a JSON object"));
        };
        let mut text = |name: &str| -> Result<Option<String>> {
            match obj.remove(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s)),
                Some(_) => Err(bad(&format!("`{name}` must be a string"))),
            }
        };
        let protocol = match text("protocol")?.as_deref() {
            Some("v3") => Protocol::V3,
            Some("v2") => Protocol::V2,
            _ => return Err(bad("`protocol` must be \"v3\" or \"v2\"")),
        };
        let http_method = match text("httpMethod")?.as_deref() {
            None => None,
            Some("GET") => Some(HttpMethod::Get),
            Some("POST") => Some(HttpMethod::Post),
            Some(_) => return Err(bad("`httpMethod` must be \"GET\" or \"POST\"")),
        };
        let app_id = text("appId")?.unwrap_or_default();
        let method = text("method")?.unwrap_or_default();
        let path = text("path")?;
        let app_auth_token = text("appAuthToken")?;
        let app_cert_sn = text("appCertSn")?;
        let alipay_root_cert_sn = text("alipayRootCertSn")?;
        let nonce = text("nonce")?.unwrap_or_default();
        let request_id = text("requestId")?;
        let params = match obj.remove("params") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m,
            Some(_) => return Err(bad("`params` must be an object")),
        };
        let camel_case = match obj.remove("camelCase") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => b,
            Some(_) => return Err(bad("`camelCase` must be a boolean")),
        };
        let timestamp_ms = match obj.remove("timestampMs") {
            Some(Value::Number(n)) => n
                .as_i64()
                .ok_or_else(|| bad("`timestampMs` must be an integer"))?,
            _ => return Err(bad("`timestampMs` (epoch milliseconds) is required")),
        };
        if let Some(name) = obj.keys().next() {
            return Err(bad(&format!(
                "unknown field `{}`",
                crate::error::excerpt(name.as_bytes())
            )));
        }
        Ok(RequestInput {
            protocol,
            app_id,
            method,
            http_method,
            path,
            params,
            camel_case,
            app_auth_token,
            app_cert_sn,
            alipay_root_cert_sn,
            nonce,
            timestamp_ms,
            request_id,
        })
    }
}

/// A built request waiting for its signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UnsignedRequest {
    /// The wire protocol.
    pub protocol: Protocol,
    /// The v2 API name (names the v2 response key).
    pub method: String,
    /// The HTTP method (v2: always `POST`).
    pub http_method: HttpMethod,
    /// v3: the request-target (path and query, encoded as sent), appended to the endpoint's
    /// origin. v2: `?` and the query string without `sign`, appended to the gateway URL.
    pub target: String,
    /// Headers to send (lower-case names), except the v3 `authorization`.
    pub headers: Vec<(String, String)>,
    /// The body, exactly as sent (v3 JSON or empty; v2 `biz_content=…` form).
    pub body: String,
    /// The exact text to sign (UTF-8).
    pub string_to_sign: String,
    /// v3: the Authorization's fields before `,sign=` (`app_id=…,nonce=…,timestamp=…`).
    pub auth_string: Option<String>,
}

/// A request ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SignedRequest {
    /// The wire protocol.
    pub protocol: Protocol,
    /// The v2 API name (names the v2 response key).
    pub method: String,
    /// The HTTP method.
    pub http_method: HttpMethod,
    /// v3: path and query, appended to the endpoint's origin. v2: `?` and the query string
    /// (with `sign`), appended to the gateway URL.
    pub target: String,
    /// Every header to send (lower-case names), `authorization` included for v3.
    pub headers: Vec<(String, String)>,
    /// The body, exactly as sent.
    pub body: String,
    /// The text that was signed.
    pub string_to_sign: String,
    /// The signature (standard base64).
    pub sign: String,
}

/// Builds the request for `input`: everything but the signature.
///
/// Errors: [`Error::InvalidArgument`] (a value that cannot be sent as given: a control
/// character in a header, a nested value in a v3 query, a v3 call of a v2-only API…),
/// [`Error::MissingParameter`] (a required field of a catalogue API). A merchant API without
/// `app_auth_token` is built as asked (Alipay refuses it; the JS client checks it first).
pub fn prepare(input: &RequestInput) -> Result<UnsignedRequest> {
    check_token_like("app_id", &input.app_id)?;
    check_method(&input.method)?;
    if let Some(sn) = &input.app_cert_sn {
        check_token_like("app_cert_sn", sn)?;
    }
    if let Some(sn) = &input.alipay_root_cert_sn {
        check_token_like("alipay_root_cert_sn", sn)?;
    }
    if input.app_cert_sn.is_some() != input.alipay_root_cert_sn.is_some() {
        return Err(Error::InvalidArgument {
            reason: "certificate mode needs both app_cert_sn and alipay_root_cert_sn".into(),
        });
    }
    if let Some(token) = &input.app_auth_token {
        check_token_like("app_auth_token", token)?;
    }
    let params = if input.camel_case {
        snake_keys(&input.params)
    } else {
        input.params.clone()
    };
    if let Some(api) = find_api(&input.method) {
        for field in api.required {
            if params.get(*field).is_none_or(|v| v.is_null() || v == "") {
                return Err(Error::MissingParameter {
                    name: (*field).to_string(),
                });
            }
        }
    }
    match input.protocol {
        Protocol::V3 => v3::prepare(input, &params),
        Protocol::V2 => v2::prepare(input, &params),
    }
}

impl UnsignedRequest {
    /// The request with `signature_b64` (standard base64 of the RSA2 signature of
    /// [`string_to_sign`](Self::string_to_sign)) put where the protocol wants it.
    pub fn assemble(&self, signature_b64: &str) -> Result<SignedRequest> {
        let valid = !signature_b64.is_empty()
            && signature_b64.len() <= 1024
            && signature_b64
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
        if !valid {
            return Err(Error::MalformedSignature {
                reason: "the request signature must be standard base64".into(),
            });
        }
        let mut headers = self.headers.clone();
        let mut target = self.target.clone();
        match self.protocol {
            Protocol::V3 => {
                let auth = self.auth_string.as_deref().unwrap_or("");
                headers.insert(
                    0,
                    (
                        "authorization".into(),
                        format!("ALIPAY-SHA256withRSA {auth},sign={signature_b64}"),
                    ),
                );
            }
            Protocol::V2 => {
                target.push_str("&sign=");
                super::form_encode_into(&mut target, signature_b64);
            }
        }
        Ok(SignedRequest {
            protocol: self.protocol,
            method: self.method.clone(),
            http_method: self.http_method,
            target,
            headers,
            body: self.body.clone(),
            string_to_sign: self.string_to_sign.clone(),
            sign: signature_b64.to_string(),
        })
    }

    /// Signs with `signer` and assembles.
    pub fn sign_with(&self, signer: &dyn Signer) -> Result<SignedRequest> {
        use base64::Engine as _;
        let sig = signer.sign_rsa2(self.string_to_sign.as_bytes())?;
        self.assemble(&base64::engine::general_purpose::STANDARD.encode(sig))
    }
}

/// Printable ASCII without spaces or the Authorization's separators: what may go in a header
/// or an Authorization field.
pub(crate) fn check_token_like(what: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 512
        && value
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b',' | b'"' | b'\\'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidArgument {
            reason: format!(
                "`{what}` must be 1 to 512 printable ASCII characters without spaces, `,`, `\"` or `\\`"
            ),
        })
    }
}

fn check_method(method: &str) -> Result<()> {
    let ok = !method.is_empty()
        && method.len() <= 128
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidArgument {
            reason: "`method` is not an API name (letters, digits, `.`, `_`)".into(),
        })
    }
}

/// `commodityOrderId` → `commodity_order_id`, for every key at every depth; snake_case keys
/// are left as they are.
fn snake_keys(map: &Map<String, Value>) -> Map<String, Value> {
    map.iter()
        .map(|(k, v)| (snake_case(k), snake_value(v)))
        .collect()
}

fn snake_value(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(snake_keys(m)),
        Value::Array(items) => Value::Array(items.iter().map(snake_value).collect()),
        other => other.clone(),
    }
}

fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for (i, c) in key.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_to_snake() {
        assert_eq!(snake_case("commodityOrderId"), "commodity_order_id");
        assert_eq!(snake_case("commodity_order_id"), "commodity_order_id");
        assert_eq!(snake_case("shopId"), "shop_id");
        assert_eq!(snake_case("pageNum"), "page_num");
    }

    #[test]
    fn the_json_form_is_read_strictly() {
        let ok = r#"{"protocol":"v2","appId":"2021","method":"a.b","timestampMs":1,"params":{"x":1},"camelCase":true}"#;
        let input = RequestInput::from_json(ok).unwrap();
        assert_eq!(input.protocol, Protocol::V2);
        assert!(input.camel_case);
        for bad in [
            "[]",
            r#"{"protocol":"v4","appId":"1","method":"a","timestampMs":1}"#,
            r#"{"protocol":"v3","appId":"1","method":"a"}"#,
            r#"{"protocol":"v3","appId":"1","method":"a","timestampMs":1.5}"#,
            r#"{"protocol":"v3","appId":"1","method":"a","timestampMs":1,"bogus":1}"#,
            r#"{"protocol":"v3","appId":1,"method":"a","timestampMs":1}"#,
            r#"{"protocol":"v3","appId":"1","method":"a","timestampMs":1,"params":[]}"#,
            r#"{"protocol":"v3","appId":"1","method":"a","timestampMs":1,"httpMethod":"PUT"}"#,
        ] {
            assert_eq!(
                RequestInput::from_json(bad).unwrap_err().code(),
                "INVALID_ARGUMENT",
                "{bad}"
            );
        }
    }

    #[test]
    fn requests_that_cannot_be_sent_as_given_are_refused() {
        let mut input = RequestInput::new(
            Protocol::V3,
            "2021",
            "alipay.open.servicemarket.order.upgrade",
            1,
        );
        input.nonce = "n".into();
        input.params.insert("commodity_order_id".into(), "1".into());
        // v2-only API in v3.
        assert_eq!(prepare(&input).unwrap_err().code(), "INVALID_ARGUMENT");
        input.method = "alipay.open.servicemarket.order.query".into();
        input
            .params
            .insert("nested".into(), serde_json::json!({"a": 1}));
        assert_eq!(prepare(&input).unwrap_err().code(), "INVALID_ARGUMENT");
        input.params.clear();
        assert_eq!(prepare(&input).unwrap_err().code(), "MISSING_PARAMETER");
        input.params.insert("commodity_order_id".into(), "1".into());
        input.app_auth_token = Some("a\r\nx: y".into());
        assert_eq!(prepare(&input).unwrap_err().code(), "INVALID_ARGUMENT");
        input.app_auth_token = None;
        input.app_cert_sn = Some("sn".into());
        assert_eq!(prepare(&input).unwrap_err().code(), "INVALID_ARGUMENT");
        input.app_cert_sn = None;
        let unsigned = prepare(&input).unwrap();
        assert_eq!(
            unsigned.assemble("a b").unwrap_err().code(),
            "MALFORMED_SIGNATURE"
        );
        assert_eq!(
            unsigned.assemble("").unwrap_err().code(),
            "MALFORMED_SIGNATURE"
        );
    }

    #[test]
    fn header_values_are_checked() {
        assert!(check_token_like("x", "202501BBa1b2").is_ok());
        for bad in ["", "a b", "a\r\nb", "a,b", "中"] {
            assert_eq!(
                check_token_like("x", bad).unwrap_err().code(),
                "INVALID_ARGUMENT"
            );
        }
    }
}
