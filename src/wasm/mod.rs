//! JavaScript bindings (wasm32 only). Thin by design: convert JS values, call the core, return
//! JSON text (parsed by the package's wrapper, which measured cheaper than building objects
//! through serde-wasm-bindgen), and turn errors into real `Error`s with a stable `code`.

mod input;
mod key_cache;
mod lifecycle;
mod openapi;

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::encoding::Form;
use crate::error::Error;
use crate::notify::{
    inspect_params, parse_form, rsa_check_v1, rsa_check_v2, sign_check_content_v1,
    sign_check_content_v2, verify_form, RsaCheckOptions,
};
use crate::{decode_order_status, inspect, VerifyOptions, ERROR_CODES};
use input::{
    body_from_js, body_from_js_with, bounded_bytes, bounded_text, params_from_js, Body, Oversize,
};

/// Longest options text accepted (the JSON the package's wrapper makes of the options object),
/// checked before it is copied: room for `alipayRootCert` at its own limit even with every line
/// break escaped, and the other options.
const MAX_OPTIONS_BYTES: usize = 4 * crate::x509::MAX_CERT_TEXT_BYTES;

/// Longest `decodeOrderStatus` argument looked up (the longest code has 23 characters); a longer
/// one is unknown without being copied.
const MAX_STATUS_CODE_LEN: u32 = 64;

/// Longest `signType` read; a longer one is refused without being copied.
const MAX_SIGN_TYPE_LEN: u32 = 16;

/// Converts a core error into a JS `Error` named `AlipayNotifyError` with `code` and context.
pub(crate) fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("AlipayNotifyError");
    let obj: &JsValue = err.as_ref();
    let set = |k: &str, v: &str| {
        // Setting a property on a fresh Error object cannot fail; ignore the Result.
        let _ = Reflect::set(obj, &JsValue::from_str(k), &JsValue::from_str(v));
    };
    set("code", e.code());
    match e {
        Error::DuplicateParameter { name } | Error::MissingParameter { name } => {
            set("parameter", name)
        }
        Error::CharsetMismatch { name, charset } => {
            set("parameter", name);
            set("charset", charset);
        }
        Error::UnsupportedSignType { sign_type } => set("signType", sign_type),
        Error::UnsupportedCharset { charset } => set("charset", charset),
        Error::AppIdMismatch { expected, actual } | Error::CertSnMismatch { expected, actual } => {
            set("expected", expected);
            set("actual", actual);
        }
        Error::CertUntrusted { reason }
        | Error::CertExpired { reason }
        | Error::InvalidCertificate { reason }
        | Error::MalformedResponse { reason }
        | Error::InvalidAesKey { reason }
        | Error::MalformedCiphertext { reason }
        | Error::DecryptionFailed { reason }
        | Error::AmbiguousFraming { reason }
        | Error::CertNotAlipay { reason } => set("reason", reason),
        Error::MalformedForm { reason }
        | Error::InvalidPublicKey { reason }
        | Error::MalformedSignature { reason }
        | Error::InvalidBizContent { reason }
        | Error::NotificationExpired { reason }
        | Error::InputTooLarge { reason }
        | Error::InvalidOptions { reason }
        | Error::InvalidArgument { reason } => set("reason", reason),
        Error::AlipayApiError { detail } => openapi::set_api_error(obj, detail),
        Error::UnexpectedResponse {
            http_status,
            reason,
        } => {
            set("reason", reason);
            openapi::set_http_status(obj, *http_status);
        }
        Error::InvalidPrivateKey { reason }
        | Error::NetworkError { reason }
        | Error::Timeout { reason } => set("reason", reason),
        _ => {}
    }
    obj.clone()
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, JsValue> {
    serde_json::to_string(v).map_err(|e| {
        js_error(&Error::InvalidArgument {
            reason: format!("result could not be serialised: {e}"),
        })
    })
}

/// The options text (`undefined` / `null`: the defaults), refused by length before the copy.
fn options_text(v: &JsValue) -> Result<String, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(String::new());
    }
    bounded_text(v, "the options' JSON text", MAX_OPTIONS_BYTES)
}

fn options(v: &JsValue) -> Result<VerifyOptions, JsValue> {
    options_text(v)
        .and_then(|json| VerifyOptions::from_json(&json))
        .map_err(|e| js_error(&e))
}

/// Decodes the body into a form, using the charset the options give when the body is text pairs.
fn form_of(body: Body, opts: &VerifyOptions) -> Result<Form, Error> {
    match body {
        Body::Bytes(b) => match input::json_instead_of_form(&b) {
            Some(e) => Err(e),
            None => Form::parse(&b),
        },
        Body::Pairs(pairs) => input::pairs_to_form(pairs, opts.charset),
    }
}

/// `verifyNotification(body, key, optionsJson)` → JSON of the verified notification.
#[wasm_bindgen(js_name = verifyNotification)]
pub fn verify_notification(
    body: &JsValue,
    key: &JsValue,
    options_json: &JsValue,
) -> Result<String, JsValue> {
    let opts = options(options_json)?;
    let key = key_cache::get(key).map_err(|e| js_error(&e))?;
    let form = body_from_js(body)
        .and_then(|b| form_of(b, &opts))
        .map_err(|e| js_error(&e))?;
    let n = verify_form(&form, &key, &opts).map_err(|e| js_error(&e))?;
    to_json(&n)
}

/// `parseNotification(body, optionsJson)` → JSON of the unverified notification.
#[wasm_bindgen(js_name = parseNotification)]
pub fn parse_notification(body: &JsValue, options_json: &JsValue) -> Result<String, JsValue> {
    let opts = options(options_json)?;
    let form = body_from_js(body)
        .and_then(|b| form_of(b, &opts))
        .map_err(|e| js_error(&e))?;
    let n = parse_form(&form, &opts).map_err(|e| js_error(&e))?;
    to_json(&n)
}

/// `inspectNotification(body, key, optionsJson)` → JSON of the inspection. Never throws: a bad
/// argument or bad options become the report's outcome.
#[wasm_bindgen(js_name = inspectNotification)]
pub fn inspect_notification(body: &JsValue, key: &JsValue, options_json: &JsValue) -> String {
    // A key of the wrong type or size is refused before it is copied, as in
    // `verifyNotification`, and reported as the key's error.
    let key_text = match input::key_arg(
        key,
        "the Alipay public key",
        crate::crypto::MAX_KEY_TEXT_BYTES,
    ) {
        Ok(text) => text,
        Err(e) => {
            let mut report = failed_report(&e);
            report.key = crate::notify::KeyReport {
                provided: true,
                bits: None,
                error: Some((&e).into()),
            };
            return serde_json::to_string(&report).unwrap_or_else(|_| String::from("null"));
        }
    };
    let opts = options_text(options_json).and_then(|json| VerifyOptions::from_json(&json));
    // Over-long names and values are cut, not refused, so the report shows every other param
    // and names the one that `verifyNotification` refuses.
    let report = match (opts, body_from_js_with(body, Oversize::Cut)) {
        (Ok(opts), Ok(Body::Bytes(b))) => inspect(&b, key_text.as_deref(), &opts),
        (Ok(opts), Ok(Body::Pairs(pairs))) => match input::pairs_to_params(pairs, opts.charset) {
            Ok(params) => inspect_params(params, Vec::new(), key_text.as_deref(), &opts),
            Err(e) => failed_report(&e),
        },
        (Err(e), _) | (_, Err(e)) => failed_report(&e),
    };
    serde_json::to_string(&report).unwrap_or_else(|_| String::from("null"))
}

fn failed_report(e: &Error) -> crate::Inspection {
    let mut r = inspect(b"", None, &VerifyOptions::default());
    r.outcome.status = "error";
    r.outcome.error = Some(e.into());
    r
}

fn rsa_check(
    params: &JsValue,
    key: &JsValue,
    options_json: &JsValue,
    v2: bool,
) -> Result<bool, JsValue> {
    let opts = options_text(options_json)
        .and_then(|json| RsaCheckOptions::from_json(&json))
        .map_err(|e| js_error(&e))?;
    let key = key_cache::get(key).map_err(|e| js_error(&e))?;
    let pairs = params_from_js(params).map_err(|e| js_error(&e))?;
    let check = if v2 { rsa_check_v2 } else { rsa_check_v1 };
    check(&pairs, &key, &opts).map_err(|e| js_error(&e))
}

/// `rsaCheckV1(params, key, optionsJson)` → boolean (Java `AlipaySignature.rsaCheckV1`).
#[wasm_bindgen(js_name = rsaCheckV1)]
pub fn rsa_check_v1_js(
    params: &JsValue,
    key: &JsValue,
    options_json: &JsValue,
) -> Result<bool, JsValue> {
    rsa_check(params, key, options_json, false)
}

/// `rsaCheckV2(params, key, optionsJson)` → boolean (Java `AlipaySignature.rsaCheckV2`).
#[wasm_bindgen(js_name = rsaCheckV2)]
pub fn rsa_check_v2_js(
    params: &JsValue,
    key: &JsValue,
    options_json: &JsValue,
) -> Result<bool, JsValue> {
    rsa_check(params, key, options_json, true)
}

/// `getSignCheckContentV1(params)` → the exact V1 string that is signed.
#[wasm_bindgen(js_name = getSignCheckContentV1)]
pub fn get_sign_check_content_v1(params: &JsValue) -> Result<String, JsValue> {
    let pairs = params_from_js(params).map_err(|e| js_error(&e))?;
    sign_check_content_v1(&pairs).map_err(|e| js_error(&e))
}

/// `getSignCheckContentV2(params)` → the exact V2 string that is signed.
#[wasm_bindgen(js_name = getSignCheckContentV2)]
pub fn get_sign_check_content_v2(params: &JsValue) -> Result<String, JsValue> {
    let pairs = params_from_js(params).map_err(|e| js_error(&e))?;
    sign_check_content_v2(&pairs).map_err(|e| js_error(&e))
}

/// `decodeOrderStatus(code)` → JSON of the status, or `null` for an unknown code; a non-string
/// is `INVALID_ARGUMENT` (a number or `undefined` is a caller's mistake, not an unknown code).
#[wasm_bindgen(js_name = decodeOrderStatus)]
pub fn decode_order_status_js(code: &JsValue) -> Result<String, JsValue> {
    let Some(code) = code.dyn_ref::<js_sys::JsString>() else {
        return Err(js_error(&Error::InvalidArgument {
            reason: "the order status code must be a string such as \"MERCHANT_ORDED\"".into(),
        }));
    };
    Ok(Some(code)
        .filter(|c| c.length() <= MAX_STATUS_CODE_LEN)
        .and_then(|c| c.as_string())
        .and_then(|c| decode_order_status(&c))
        .and_then(|s| serde_json::to_string(s).ok())
        .unwrap_or_else(|| String::from("null")))
}

/// Every stable error code.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Array {
    ERROR_CODES.iter().map(|c| JsValue::from_str(c)).collect()
}

/// The documented limits, as JSON (README "Limits" lists the same, in the same order).
#[wasm_bindgen]
pub fn limits() -> String {
    format!(
        r#"{{"maxBodyBytes":{},"maxParams":{},"maxValueBytes":{},"maxNameBytes":{},"maxKeyTextBytes":{},"minKeyBits":{},"maxKeyBits":{},"maxCertTextBytes":{},"maxResponseBytes":{},"maxCiphertextBytes":{},"maxV3HeaderBytes":{},"maxOptionsBytes":{}}}"#,
        crate::encoding::MAX_BODY_BYTES,
        crate::encoding::MAX_PARAMS,
        crate::encoding::MAX_VALUE_BYTES,
        crate::encoding::MAX_NAME_BYTES,
        crate::crypto::MAX_KEY_TEXT_BYTES,
        crate::crypto::MIN_KEY_BITS,
        crate::crypto::MAX_KEY_BITS,
        crate::x509::MAX_CERT_TEXT_BYTES,
        crate::openapi::MAX_RESPONSE_BYTES,
        crate::crypto::MAX_CIPHERTEXT_BYTES,
        crate::openapi::MAX_V3_HEADER_BYTES,
        MAX_OPTIONS_BYTES
    )
}

/// A certificate function's text argument (certificate or root bundle), within the limit.
fn cert_text(v: &JsValue, what: &str) -> Result<String, JsValue> {
    input::cert_arg(v, what, crate::x509::MAX_CERT_TEXT_BYTES).map_err(|e| js_error(&e))
}

/// `getCertSN(certPem)` → the `app_cert_sn` / `alipay_cert_sn` Alipay computes.
#[wasm_bindgen(js_name = getCertSN)]
pub fn get_cert_sn_js(cert: &JsValue) -> Result<String, JsValue> {
    crate::x509::get_cert_sn(&cert_text(cert, "the certificate")?).map_err(|e| js_error(&e))
}

/// `getRootCertSN(bundlePem)` → the `alipay_root_cert_sn` Alipay computes.
#[wasm_bindgen(js_name = getRootCertSN)]
pub fn get_root_cert_sn_js(bundle: &JsValue) -> Result<String, JsValue> {
    crate::x509::get_root_cert_sn(&cert_text(bundle, "the root bundle")?).map_err(|e| js_error(&e))
}

/// `verifyCertChain(certPem, rootBundlePem, nowMs)`: throws `CERT_UNTRUSTED` / `CERT_EXPIRED`.
#[wasm_bindgen(js_name = verifyCertChain)]
pub fn verify_cert_chain_js(cert: &JsValue, bundle: &JsValue, now_ms: f64) -> Result<(), JsValue> {
    if !now_ms.is_finite() {
        return Err(js_error(&Error::InvalidArgument {
            reason: "now must be epoch milliseconds".into(),
        }));
    }
    crate::x509::verify_cert_chain(
        &cert_text(cert, "the certificate")?,
        &cert_text(bundle, "the root bundle")?,
        now_ms as i64,
    )
    .map_err(|e| js_error(&e))
}

/// `checkAlipayCertificate(certPem, rootBundlePem, nowMs)`: `verifyCertChain`, then Alipay's
/// identity (issuer `… Class 2 R1`, subject `支付宝(中国)网络技术有限公司-<PID>`): throws
/// `CERT_NOT_ALIPAY` for an application certificate under the same root.
#[wasm_bindgen(js_name = checkAlipayCertificate)]
pub fn check_alipay_certificate_js(
    cert: &JsValue,
    bundle: &JsValue,
    now_ms: f64,
) -> Result<(), JsValue> {
    if !now_ms.is_finite() {
        return Err(js_error(&Error::InvalidArgument {
            reason: "now must be epoch milliseconds".into(),
        }));
    }
    crate::x509::check_alipay_certificate(
        &cert_text(cert, "the certificate")?,
        &cert_text(bundle, "the root bundle")?,
        now_ms as i64,
    )
    .map_err(|e| js_error(&e))
}

/// The v1 response body: a string, or a `Uint8Array` decoded as `TextDecoder` decodes UTF-8 (a
/// leading BOM dropped, invalid sequences as U+FFFD), which is what the package's wrapper did
/// before handing over a string. Refused by its length before it is copied.
fn response_text(v: &JsValue) -> Result<String, Error> {
    const WHAT: &str = "the response body";
    if v.is_string() {
        return bounded_text(v, WHAT, crate::openapi::MAX_RESPONSE_BYTES);
    }
    let bytes = bounded_bytes(v, WHAT, crate::openapi::MAX_RESPONSE_BYTES)?.ok_or_else(|| {
        Error::InvalidArgument {
            reason: format!("{WHAT} must be a string or Uint8Array"),
        }
    })?;
    let mut text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// `verifyResponse(rawBody, key, method, signType)` → JSON of the verified response.
#[wasm_bindgen(js_name = verifyResponse)]
pub fn verify_response_js(
    raw: &JsValue,
    key: &JsValue,
    method: &JsValue,
    sign_type: &JsValue,
) -> Result<String, JsValue> {
    let raw = response_text(raw).map_err(|e| js_error(&e))?;
    // An over-long method is no API name (the core's verdict), told without copying it.
    let method = match method.dyn_ref::<js_sys::JsString>() {
        Some(m) if m.length() as usize > crate::openapi::response::MAX_METHOD_BYTES => {
            return Err(js_error(&Error::InvalidArgument {
                reason: format!(
                    "`method` is over {} bytes: not an API name",
                    crate::openapi::response::MAX_METHOD_BYTES
                ),
            }))
        }
        _ => bounded_text(
            method,
            "`method`",
            crate::openapi::response::MAX_METHOD_BYTES,
        )
        .map_err(|e| js_error(&e))?,
    };
    let bad_sign_type = |shown: &str| {
        js_error(&Error::InvalidOptions {
            reason: format!("`signType` `{shown}` is not RSA2 or RSA"),
        })
    };
    let sign_type = match sign_type.dyn_ref::<js_sys::JsString>() {
        None => crate::crypto::SignType::Rsa2,
        Some(t) if t.length() > MAX_SIGN_TYPE_LEN => return Err(bad_sign_type("…")),
        Some(t) => {
            let t = String::from(t);
            crate::crypto::SignType::from_wire(t.as_bytes())
                .ok_or_else(|| bad_sign_type(&crate::error::excerpt(t.as_bytes())))?
        }
    };
    let key = key_cache::get(key).map_err(|e| js_error(&e))?;
    let r = crate::openapi::verify_response(&raw, &key, &method, sign_type)
        .map_err(|e| js_error(&e))?;
    to_json(&serde_json::json!({
        "verified": true,
        "responseKey": r.response_key,
        "isError": r.is_error,
        "response": r.response,
        "signedContent": r.signed_content,
        "alipayCertSn": r.alipay_cert_sn,
    }))
}

/// `inspectRequest(request, appPublicKey, nowMs)` → JSON of what Alipay verifies in a pasted
/// request and why it would not verify (see [`crate::openapi::inspect_request`]). Throws only on
/// arguments of the wrong type or size; everything about the request is in the report.
#[wasm_bindgen(js_name = inspectRequest)]
pub fn inspect_request_js(
    request: &JsValue,
    app_public_key: &JsValue,
    now_ms: &JsValue,
) -> Result<String, JsValue> {
    let text = bounded_text(
        request,
        "the request",
        crate::openapi::MAX_PASTED_REQUEST_BYTES,
    )
    .map_err(|e| js_error(&e))?;
    let key = input::key_arg(
        app_public_key,
        "the app public key",
        crate::crypto::MAX_KEY_TEXT_BYTES,
    )
    .map_err(|e| js_error(&e))?;
    let options = crate::openapi::InspectRequestOptions {
        // Epoch milliseconds are integers well inside i64; anything else means "no clock".
        now_ms: now_ms.as_f64().filter(|n| n.is_finite()).map(|n| n as i64),
    };
    to_json(&crate::openapi::inspect_request(
        &text,
        key.as_deref(),
        options,
    ))
}

/// `inspectResponse(protocol, body, timestamp, nonce, signature, method, key)` → JSON of why an
/// answer does or does not verify (see [`crate::openapi::inspect_response`]). `protocol` is
/// `"v3"` or `"v2"`; absent headers are `undefined`. Throws only on arguments of the wrong type or
/// size.
#[wasm_bindgen(js_name = inspectResponse)]
pub fn inspect_response_js(
    protocol: &JsValue,
    body: &JsValue,
    timestamp: &JsValue,
    nonce: &JsValue,
    signature: &JsValue,
    method: &JsValue,
    key: &JsValue,
) -> Result<String, JsValue> {
    let optional = |v: &JsValue, what: &str, max: usize| -> Result<Option<String>, JsValue> {
        if v.is_null() || v.is_undefined() {
            Ok(None)
        } else {
            bounded_text(v, what, max)
                .map(Some)
                .map_err(|e| js_error(&e))
        }
    };
    let body = response_text(body).map_err(|e| js_error(&e))?;
    let header = crate::openapi::MAX_V3_HEADER_BYTES;
    let timestamp = optional(timestamp, "`timestamp`", header)?;
    let nonce = optional(nonce, "`nonce`", header)?;
    let signature = optional(signature, "`signature`", header)?;
    let method = optional(
        method,
        "`method`",
        crate::openapi::response::MAX_METHOD_BYTES,
    )?;
    let key = input::key_arg(
        key,
        "the Alipay public key",
        crate::crypto::MAX_KEY_TEXT_BYTES,
    )
    .map_err(|e| js_error(&e))?;
    let input = match protocol.as_string().as_deref() {
        Some("v3") => crate::openapi::ResponseInput::V3 {
            timestamp: timestamp.as_deref(),
            nonce: nonce.as_deref(),
            signature: signature.as_deref(),
            body: &body,
        },
        Some("v2") => crate::openapi::ResponseInput::V2 {
            body: &body,
            method: method.as_deref(),
        },
        _ => {
            return Err(js_error(&Error::InvalidArgument {
                reason: "protocol must be \"v3\" or \"v2\"".into(),
            }))
        }
    };
    to_json(&crate::openapi::inspect_response(input, key.as_deref()))
}

/// `verifyV3Response(timestamp, nonce, body, signature, key)`: throws unless it verifies. The
/// body has the core's response limit (as `verifyResponse`); the headers theirs.
#[wasm_bindgen(js_name = verifyV3Response)]
pub fn verify_v3_response_js(
    timestamp: &JsValue,
    nonce: &JsValue,
    body: &JsValue,
    signature: &JsValue,
    key: &JsValue,
) -> Result<(), JsValue> {
    let body_bytes = bounded_bytes(
        body,
        "the response body",
        crate::openapi::MAX_RESPONSE_BYTES,
    )
    .map_err(|e| js_error(&e))?
    .ok_or_else(|| {
        js_error(&Error::InvalidArgument {
            reason: "body must be the response body as a string or Uint8Array".into(),
        })
    })?;
    let key = key_cache::get(key).map_err(|e| js_error(&e))?;
    let header = |v: &JsValue, what: &str| {
        bounded_text(v, what, crate::openapi::MAX_V3_HEADER_BYTES).map_err(|e| js_error(&e))
    };
    crate::openapi::verify_v3_response(
        &header(timestamp, "`timestamp`")?,
        &header(nonce, "`nonce`")?,
        &body_bytes,
        &header(signature, "`signature`")?,
        &key,
    )
    .map_err(|e| js_error(&e))
}

/// `aesDecrypt(ciphertextB64, keyB64)` → the plaintext (AES-128-CBC, zero IV, PKCS#7).
#[wasm_bindgen(js_name = aesDecrypt)]
pub fn aes_decrypt_js(ciphertext: &JsValue, key: &JsValue) -> Result<String, JsValue> {
    let ciphertext = bounded_text(
        ciphertext,
        "the ciphertext",
        crate::crypto::MAX_CIPHERTEXT_BYTES,
    )
    .map_err(|e| js_error(&e))?;
    let key = bounded_text(key, "the AES key", crate::crypto::MAX_KEY_TEXT_BYTES)
        .map_err(|e| js_error(&e))?;
    crate::crypto::aes_decrypt(&ciphertext, &key).map_err(|e| js_error(&e))
}
