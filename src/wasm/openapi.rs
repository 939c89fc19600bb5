//! Bindings of the OpenAPI client core. The core builds every byte of a request and reads every
//! answer; the package's `client.mjs` only signs (WebCrypto), sends (`fetch`) and times.
//! Built with `--cfg alipay_notify_verify_only`, the module exports none of this (the bench
//! measures what the client adds to the verify-only module that way).
#![cfg_attr(alipay_notify_verify_only, allow(unused_imports, dead_code))]

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use super::input::{bounded_bytes, bounded_text, key_arg};
use super::{js_error, key_cache};
use crate::error::Error;
use crate::openapi::{
    prepare_request, read_v2_reply, read_v3_reply, ApiError, PrivateKey, RequestInput, V3Reply,
    APIS, MAX_PRIVATE_KEY_TEXT_BYTES,
};

/// Longest request description accepted (params of these APIs are a few hundred bytes).
const MAX_REQUEST_JSON_BYTES: usize = 1024 * 1024;

fn err(e: &Error) -> JsValue {
    js_error(e)
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, JsValue> {
    serde_json::to_string(v).map_err(|e| {
        err(&Error::InvalidArgument {
            reason: format!("result could not be serialised: {e}"),
        })
    })
}

/// `openapiCatalogue()` → JSON `[{ name, method, httpMethod, path, needsAppAuthToken,
/// idempotent, required }]`: the one table the JS client builds its methods from.
#[cfg(not(alipay_notify_verify_only))]
#[wasm_bindgen(js_name = openapiCatalogue)]
pub fn openapi_catalogue() -> Result<String, JsValue> {
    let apis: Vec<_> = APIS
        .iter()
        .map(|a| {
            serde_json::json!({
                "name": a.name,
                "method": a.method,
                "httpMethod": a.v3.map(|r| r.http_method.as_str()),
                "path": a.v3.map(|r| r.path),
                "needsAppAuthToken": a.needs_app_auth_token,
                "idempotent": a.idempotent,
                "required": a.required,
            })
        })
        .collect();
    to_json(&apis)
}

/// `openapiPrepare(requestJson)` → JSON of the unsigned request (`stringToSign` included).
#[cfg(not(alipay_notify_verify_only))]
#[wasm_bindgen(js_name = openapiPrepare)]
pub fn openapi_prepare(request_json: &JsValue) -> Result<String, JsValue> {
    let json =
        bounded_text(request_json, "the request", MAX_REQUEST_JSON_BYTES).map_err(|e| err(&e))?;
    let input = RequestInput::from_json(&json).map_err(|e| err(&e))?;
    to_json(&prepare_request(&input).map_err(|e| err(&e))?)
}

/// `openapiAssemble(requestJson, signatureB64)` → JSON of the request to send: the request
/// of `openapiPrepare` built again (deterministic) with the signature put in.
#[cfg(not(alipay_notify_verify_only))]
#[wasm_bindgen(js_name = openapiAssemble)]
pub fn openapi_assemble(request_json: &JsValue, signature: &JsValue) -> Result<String, JsValue> {
    let json =
        bounded_text(request_json, "the request", MAX_REQUEST_JSON_BYTES).map_err(|e| err(&e))?;
    let input = RequestInput::from_json(&json).map_err(|e| err(&e))?;
    let unsigned = prepare_request(&input).map_err(|e| err(&e))?;
    let sig = bounded_text(signature, "the signature", 1024).map_err(|e| err(&e))?;
    to_json(&unsigned.assemble(&sig).map_err(|e| err(&e))?)
}

/// `openapiPrivateKey(key, alipayKey?)` → the key (text, or PEM / DER bytes) as PKCS#8 DER (for
/// WebCrypto). With the configured Alipay key (text, bytes or certificate), refuses the set-up
/// where it is the app's own public key.
#[cfg(not(alipay_notify_verify_only))]
#[wasm_bindgen(js_name = openapiPrivateKey)]
pub fn openapi_private_key(text: &JsValue, alipay_key: &JsValue) -> Result<Uint8Array, JsValue> {
    // A value of the wrong type is a bad private key here (the client's code for its key).
    let text = key_arg(text, "the private key", MAX_PRIVATE_KEY_TEXT_BYTES)
        .map_err(|e| match e {
            Error::InvalidArgument { reason } => err(&Error::InvalidPrivateKey { reason }),
            other => err(&other),
        })?
        .ok_or_else(|| {
            err(&Error::InvalidPrivateKey {
                reason: "no private key given: pass the application private key (应用私钥)".into(),
            })
        })?;
    let key = PrivateKey::parse(&text).map_err(|e| err(&e))?;
    if !alipay_key.is_undefined() && !alipay_key.is_null() {
        let alipay = key_cache::get(alipay_key).map_err(|e| err(&e))?;
        if key.is_own_public_key(&alipay) {
            return Err(err(&crate::trust::own_key_error(&alipay)));
        }
    }
    Ok(Uint8Array::from(key.pkcs8_der()))
}

/// A header value from the headers object (absent, `null` or not a string: `None`).
fn header(headers: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    let v = Reflect::get(headers, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    if !v.is_string() {
        return Ok(None);
    }
    bounded_text(&v, name, crate::openapi::MAX_V3_HEADER_BYTES)
        .map(Some)
        .map_err(|e| err(&e))
}

/// `openapiReadV3(status, headers, body, alipayKey)` → JSON of the verified answer; throws
/// `ALIPAY_API_ERROR`, `SIGNATURE_MISMATCH`, `CERT_SN_MISMATCH`, `UNEXPECTED_RESPONSE`, ….
/// `headers`: a plain object of the `alipay-*` headers (lower-case names).
#[cfg(not(alipay_notify_verify_only))]
#[wasm_bindgen(js_name = openapiReadV3)]
pub fn openapi_read_v3(
    status: u16,
    headers: &JsValue,
    body: &JsValue,
    alipay_key: &JsValue,
) -> Result<String, JsValue> {
    let body = bounded_bytes(
        body,
        "the response body",
        crate::openapi::MAX_RESPONSE_BYTES,
    )
    .map_err(|e| err(&e))?
    .unwrap_or_default();
    let key = key_cache::get(alipay_key).map_err(|e| err(&e))?;
    let timestamp = header(headers, "alipay-timestamp")?;
    let nonce = header(headers, "alipay-nonce")?;
    let signature = header(headers, "alipay-signature")?;
    let alipay_sn = header(headers, "alipay-sn")?;
    let trace_id = header(headers, "alipay-trace-id")?;
    let reply = V3Reply {
        status,
        body: &body,
        timestamp: timestamp.as_deref(),
        nonce: nonce.as_deref(),
        signature: signature.as_deref(),
        alipay_sn: alipay_sn.as_deref(),
        trace_id: trace_id.as_deref(),
    };
    to_json(&read_v3_reply(&reply, &key).map_err(|e| err(&e))?)
}

/// `openapiReadV2(status, body, method, alipayKey)` → JSON of the verified answer.
#[cfg(not(alipay_notify_verify_only))]
#[wasm_bindgen(js_name = openapiReadV2)]
pub fn openapi_read_v2(
    status: u16,
    body: &JsValue,
    method: &JsValue,
    alipay_key: &JsValue,
) -> Result<String, JsValue> {
    let body = bounded_bytes(
        body,
        "the response body",
        crate::openapi::MAX_RESPONSE_BYTES,
    )
    .map_err(|e| err(&e))?
    .unwrap_or_default();
    // Not UTF-8: its text cannot be what was signed, so it fails verification as text would.
    let text = String::from_utf8(body)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let method = bounded_text(method, "`method`", 128).map_err(|e| err(&e))?;
    let key = key_cache::get(alipay_key).map_err(|e| err(&e))?;
    to_json(&read_v2_reply(status, &text, &method, &key).map_err(|e| err(&e))?)
}

/// Puts an Alipay error's fields on the JS error object (`code` stays `ALIPAY_API_ERROR`).
pub(crate) fn set_api_error(obj: &JsValue, e: &ApiError) {
    let set = |k: &str, v: JsValue| {
        // Setting a property on a fresh Error object cannot fail; ignore the Result.
        let _ = Reflect::set(obj, &JsValue::from_str(k), &v);
    };
    let opt = |v: &Option<String>| v.as_deref().map_or(JsValue::NULL, JsValue::from_str);
    set("httpStatus", JsValue::from(e.http_status));
    set("alipayCode", JsValue::from_str(&e.code));
    set("alipayMessage", JsValue::from_str(&e.message));
    set("subCode", opt(&e.sub_code));
    set("subMsg", opt(&e.sub_msg));
    set("traceId", opt(&e.trace_id));
    set("verified", JsValue::from(e.verified));
    let links = Array::new();
    for (link, desc) in &e.links {
        let o = Object::new();
        let _ = Reflect::set(&o, &JsValue::from_str("link"), &JsValue::from_str(link));
        let _ = Reflect::set(&o, &JsValue::from_str("desc"), &JsValue::from_str(desc));
        links.push(&o);
    }
    set("links", links.into());
}

/// Puts the HTTP status of an unexpected answer on the JS error object.
pub(crate) fn set_http_status(obj: &JsValue, status: u16) {
    let _ = Reflect::set(
        obj,
        &JsValue::from_str("httpStatus"),
        &JsValue::from(status),
    );
}
