//! Reading the JS inputs: a body (string, `Uint8Array`, array of `[name, value]` pairs, plain
//! object), params objects, and keys and certificates (text, or the bytes of their file).
//! Anything else is `INVALID_ARGUMENT`, never a trap.

use js_sys::{Array, JsString, Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::encoding::charset::Charset;
use crate::encoding::form::{
    Form, Param, MAX_BODY_BYTES, MAX_NAME_BYTES, MAX_PARAMS, MAX_VALUE_BYTES,
};
use crate::error::{excerpt, Error, Result};

/// A body as received from JS.
pub(crate) enum Body {
    /// Raw bytes or a string (UTF-8 bytes) to be form-decoded.
    Bytes(Vec<u8>),
    /// Already-decoded text pairs.
    Pairs(Vec<(String, String)>),
}

fn bad(reason: &str) -> Error {
    Error::InvalidArgument {
        reason: reason.into(),
    }
}

/// What reading params does with a name or value over its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Oversize {
    /// Refuse the params (`INPUT_TOO_LARGE`) before copying it.
    Refuse,
    /// Copy only its start, just past the limit, so that the core still finds it over the limit
    /// and can say so — for inspection, which shows everything else.
    Cut,
}

/// Reads a body. Strings and bytes are checked against the size limit before they are copied,
/// and so are the names and values of params.
pub(crate) fn body_from_js(v: &JsValue) -> Result<Body> {
    body_from_js_with(v, Oversize::Refuse)
}

/// [`body_from_js`], with params' over-long names and values treated as `oversize` says.
pub(crate) fn body_from_js_with(v: &JsValue, oversize: Oversize) -> Result<Body> {
    if let Some(js) = v.dyn_ref::<JsString>() {
        // A UTF-16 length is never more than the UTF-8 byte length, so an over-long string is
        // refused before it is copied into wasm memory.
        if js.length() as usize > MAX_BODY_BYTES {
            return Err(Error::InputTooLarge {
                reason: format!("body is over {MAX_BODY_BYTES} bytes"),
            });
        }
        return text(js, "the body").map(|s| Body::Bytes(s.into_bytes()));
    }
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        if bytes.length() as usize > MAX_BODY_BYTES {
            return Err(Error::InputTooLarge {
                reason: format!("body is over {MAX_BODY_BYTES} bytes"),
            });
        }
        return Ok(Body::Bytes(bytes.to_vec()));
    }
    if v.is_object() && !v.is_function() {
        if let Some(mistake) = not_a_body(v) {
            return Err(bad(mistake));
        }
        return params_from_js_with(v, oversize).map(Body::Pairs);
    }
    Err(bad(
        "body must be a string, Uint8Array, URLSearchParams or an object of params",
    ))
}

/// Names the usual mistakes of passing what holds a body instead of the body: a Promise (a
/// forgotten `await`), a `Request` / `Response`, a stream. Each would otherwise read as an
/// object without params and fail later as a missing `sign_type`.
fn not_a_body(v: &JsValue) -> Option<&'static str> {
    let has_fn = |name: &str| {
        js_sys::Reflect::get(v, &JsValue::from_str(name)).is_ok_and(|f| f.is_function())
    };
    if has_fn("then") {
        return Some(
            "the body is a Promise: did you forget `await` (e.g. `await request.text()`)?",
        );
    }
    if has_fn("arrayBuffer") && has_fn("text") {
        return Some(
            "the body is a Request or Response: pass its raw bytes (`new Uint8Array(await request.arrayBuffer())`)",
        );
    }
    if has_fn("getReader") || (has_fn("pipe") && has_fn("on")) {
        return Some("the body is a stream: read it to the end first and pass the raw bytes");
    }
    None
}

/// A JSON text where a form is expected: `JSON.stringify(params)`, or an `application/json`
/// post. It would otherwise read as one parameter with a huge name.
pub(crate) fn json_instead_of_form(bytes: &[u8]) -> Option<Error> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    match bytes.get(start) {
        Some(b'{') | Some(b'[') => Some(bad(
            "the body is JSON, not a form: pass the parsed object of params (`JSON.parse(text)`), or the raw form body Alipay posted",
        )),
        _ => None,
    }
}

/// Reads params: an array of `[name, value]` pairs or a plain object of string values. A name or
/// value over its limit is refused before it is copied.
pub(crate) fn params_from_js(v: &JsValue) -> Result<Vec<(String, String)>> {
    params_from_js_with(v, Oversize::Refuse)
}

fn params_from_js_with(v: &JsValue, oversize: Oversize) -> Result<Vec<(String, String)>> {
    let entries: Array = if Array::is_array(v) {
        v.clone().unchecked_into()
    } else if v.is_object() && !v.is_function() {
        Object::entries(v.unchecked_ref())
    } else {
        return Err(bad("params must be an object of string values"));
    };
    if entries.length() as usize > MAX_PARAMS {
        return Err(Error::InputTooLarge {
            reason: format!("more than {MAX_PARAMS} parameters"),
        });
    }
    let mut out = Vec::with_capacity(entries.length() as usize);
    for entry in entries.iter() {
        if !Array::is_array(&entry) {
            return Err(bad("each pair must be [name, value]"));
        }
        let pair: Array = entry.unchecked_into();
        let (name, value) = (pair.get(0), pair.get(1));
        let (Some(name), Some(value)) = (name.dyn_ref::<JsString>(), value.dyn_ref::<JsString>())
        else {
            return Err(bad("param names and values must be strings"));
        };
        // The core's name and value limits, applied before the copy into wasm memory (UTF-8 and
        // GBK both take at least one byte per UTF-16 unit); the core checks the exact bytes.
        let name = param_text(name, "a param name", MAX_NAME_BYTES, oversize, || {
            Error::too_large(format!("a parameter name is over {MAX_NAME_BYTES} bytes"))
        })?;
        let value = param_text(value, "a param value", MAX_VALUE_BYTES, oversize, || {
            Error::too_large(format!(
                "value of `{}` is over {MAX_VALUE_BYTES} bytes",
                excerpt(name.as_bytes())
            ))
        })?;
        out.push((name, value));
    }
    Ok(out)
}

/// A param name or value as text, when it has at most `max` UTF-16 units; otherwise refused with
/// `too_large()` or cut just past the limit, as `oversize` says.
fn param_text(
    js: &JsString,
    what: &str,
    max: usize,
    oversize: Oversize,
    too_large: impl FnOnce() -> Error,
) -> Result<String> {
    if js.length() as usize <= max {
        return text(js, what);
    }
    match oversize {
        Oversize::Refuse => Err(too_large()),
        Oversize::Cut => {
            // One unit past the limit, or two where one would split a surrogate pair (a lone
            // half is refused as text): either way over the limit in bytes.
            let mut end = u32::try_from(max).unwrap_or(u32::MAX).saturating_add(1);
            let last = js.char_code_at(end.saturating_sub(1));
            if (f64::from(0xD800u16)..f64::from(0xDC00u16)).contains(&last) {
                end = end.saturating_add(1);
            }
            text(&js.slice(0, end), what)
        }
    }
}

/// A string argument of at most `max` bytes of UTF-8. Refused by its UTF-16 length before it is
/// copied into wasm memory (memory a module never gives back): a string of more than `max` units
/// cannot fit, since every unit takes at least one byte. Otherwise the core checks the bytes.
/// `what` names the argument in errors ("the ciphertext"). Lone surrogates become U+FFFD, as
/// they always have for these arguments.
pub(crate) fn bounded_text(v: &JsValue, what: &str, max: usize) -> Result<String> {
    let Some(js) = v.dyn_ref::<JsString>() else {
        return Err(bad(&format!("{what} must be a string")));
    };
    if js.length() as usize > max {
        return Err(Error::too_large(format!("{what} is over {max} bytes")));
    }
    Ok(String::from(js))
}

/// A string or `Uint8Array` argument of at most `max` bytes (a string counts as its UTF-8, and
/// one with a lone surrogate is refused, as for bodies), refused before it is copied, like
/// [`bounded_text`]. `None` when it is neither.
pub(crate) fn bounded_bytes(v: &JsValue, what: &str, max: usize) -> Result<Option<Vec<u8>>> {
    let too_large = || Error::too_large(format!("{what} is over {max} bytes"));
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        if bytes.length() as usize > max {
            return Err(too_large());
        }
        return Ok(Some(bytes.to_vec()));
    }
    if let Some(js) = v.dyn_ref::<JsString>() {
        if js.length() as usize > max {
            return Err(too_large());
        }
        return text(js, what).map(|s| Some(s.into_bytes()));
    }
    Ok(None)
}

/// A JS string as Rust text. A lone surrogate has no UTF-8 form; refusing it keeps the input from
/// being silently altered (it would become U+FFFD).
pub(crate) fn text(js: &JsString, what: &str) -> Result<String> {
    if !js.is_valid_utf16() {
        return Err(bad(&format!(
            "{what} contains a lone surrogate (not valid text)"
        )));
    }
    Ok(String::from(js))
}

/// Encodes text pairs to the bytes that were signed: the declared charset (or `fallback`).
pub(crate) fn pairs_to_params(
    pairs: Vec<(String, String)>,
    fallback: Option<Charset>,
) -> Result<Vec<Param>> {
    let declared = pairs
        .iter()
        .find(|(n, v)| n == "charset" && !v.is_empty())
        .map(|(_, v)| Charset::from_label(v.as_bytes()))
        .transpose()?;
    let charset = declared.or(fallback).unwrap_or(Charset::Utf8);
    pairs
        .into_iter()
        .map(|(n, v)| {
            Ok(Param {
                name: crate::encoding::charset::encode(&n, charset)?,
                value: crate::encoding::charset::encode(&v, charset)?,
            })
        })
        .collect()
}

/// [`pairs_to_params`] then the form checks (duplicates, limits).
pub(crate) fn pairs_to_form(
    pairs: Vec<(String, String)>,
    fallback: Option<Charset>,
) -> Result<Form> {
    Form::from_params(pairs_to_params(pairs, fallback)?)
}

/// What every key argument accepts, for the message refusing anything else.
const KEY_FORMS: &str =
    "pass the key as text (PEM or base64), a Buffer / Uint8Array of its PEM or \
     DER bytes, or a Node KeyObject";

/// A key argument as key text: a string as it is, or bytes as [`crate::trust::key_text`] reads
/// them (UTF-8 text, else DER); `None` when absent (`undefined` / `null`). Over `max` → refused
/// before it is copied; any other type → `INVALID_ARGUMENT` naming it and what to pass. `what`
/// names the argument ("the Alipay public key").
pub(crate) fn key_arg(v: &JsValue, what: &str, max: usize) -> Result<Option<String>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if let Some(js) = v.dyn_ref::<JsString>() {
        if js.length() as usize > max {
            return Err(Error::too_large(format!("{what} is over {max} bytes")));
        }
        return Ok(Some(String::from(js)));
    }
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        if bytes.length() as usize > max {
            return Err(Error::too_large(format!("{what} is over {max} bytes")));
        }
        let bytes = bytes.to_vec();
        return crate::trust::key_text(&bytes, max).map(|t| Some(t.into_owned()));
    }
    Err(bad(&format!("{what} is {}: {KEY_FORMS}", describe(v))))
}

/// A certificate argument (a certificate file or the root bundle) as PEM text: a string as it
/// is; bytes as their UTF-8 text, or, when they are not text, one DER certificate (a `.cer`
/// file), armoured. Over `max` → refused before it is copied; any other type →
/// `INVALID_ARGUMENT`.
pub(crate) fn cert_arg(v: &JsValue, what: &str, max: usize) -> Result<String> {
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        if bytes.length() as usize > max {
            return Err(Error::too_large(format!("{what} is over {max} bytes")));
        }
        let bytes = bytes.to_vec();
        let text = crate::trust::key_text(&bytes, max)?;
        return Ok(match text {
            std::borrow::Cow::Borrowed(t) => t.to_string(),
            std::borrow::Cow::Owned(b64) => {
                format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----\n")
            }
        });
    }
    if v.is_string() {
        return bounded_text(v, what, max);
    }
    Err(bad(&format!(
        "{what} is {}: pass the certificate file's text (PEM) or its bytes (a Buffer / Uint8Array)",
        describe(v)
    )))
}

/// Names a JS value's type for a message: `a number`, `a CryptoKey`, `an object (Map)`, … A
/// WebCrypto key is named with why it cannot serve: verifying is synchronous and a `CryptoKey`
/// gives its bytes only through a Promise.
fn describe(v: &JsValue) -> String {
    if v.is_function() {
        return "a function".into();
    }
    if !v.is_object() {
        let t = v.js_typeof().as_string().unwrap_or_default();
        return match t.as_str() {
            "undefined" => "undefined".into(),
            _ => format!("a {t}"),
        };
    }
    if Array::is_array(v) {
        return "an array".into();
    }
    let name = js_sys::Reflect::get(v, &JsValue::from_str("constructor"))
        .ok()
        .filter(|c| c.is_function())
        .and_then(|c| js_sys::Reflect::get(&c, &JsValue::from_str("name")).ok())
        .and_then(|n| n.as_string())
        .filter(|n| !n.is_empty() && n.len() <= 64);
    match name.as_deref() {
        Some("CryptoKey") => "a CryptoKey (WebCrypto), whose bytes come only through a Promise \
             (`await crypto.subtle.exportKey(\"spki\" or \"pkcs8\", key)`)"
            .into(),
        Some("PrivateKeyObject") => "a private KeyObject (node:crypto): a private key".into(),
        Some("SecretKeyObject") => "a secret KeyObject (node:crypto): not an RSA key".into(),
        Some("Object") | None => "an object".into(),
        Some(n) => format!("an object ({n})"),
    }
}
