//! Reading the JS inputs: a body (string, `Uint8Array`, array of `[name, value]` pairs, plain
//! object) and params objects. Anything else is `INVALID_ARGUMENT`, never a trap.

use js_sys::{Array, JsString, Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::charset::Charset;
use crate::error::{Error, Result};
use crate::form::{Form, Param, MAX_BODY_BYTES, MAX_PARAMS};

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

/// Reads a body. Strings and bytes are checked against the size limit before they are copied.
pub(crate) fn body_from_js(v: &JsValue) -> Result<Body> {
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
        return params_from_js(v).map(Body::Pairs);
    }
    Err(bad(
        "body must be a string, Uint8Array, URLSearchParams or an object of params",
    ))
}

/// Reads params: an array of `[name, value]` pairs or a plain object of string values.
pub(crate) fn params_from_js(v: &JsValue) -> Result<Vec<(String, String)>> {
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
        let (Some(name), Some(value)) = (
            pair.get(0)
                .dyn_ref::<JsString>()
                .map(|s| text(s, "a param name")),
            pair.get(1)
                .dyn_ref::<JsString>()
                .map(|s| text(s, "a param value")),
        ) else {
            return Err(bad("param names and values must be strings"));
        };
        let (name, value) = (name?, value?);
        out.push((name, value));
    }
    Ok(out)
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
                name: crate::verify::encode(&n, charset)?,
                value: crate::verify::encode(&v, charset)?,
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
