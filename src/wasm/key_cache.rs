//! Parsed keys, cached by their exact text (bytes: by the text they are read as), so that a backend passing its configured key string
//! on every call parses it once. Small and bounded: a gateway has one or two keys.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;

use super::input;

use crate::crypto::MAX_KEY_TEXT_BYTES;
use crate::error::{Error, Result};
use crate::trust::PublicKey;

/// How many distinct keys are kept (most recently used first).
const CAPACITY: usize = 8;

thread_local! {
    static CACHE: RefCell<Vec<(String, Rc<PublicKey>)>> = const { RefCell::new(Vec::new()) };
}

/// The parsed key for a JS key argument (text or bytes, see [`input::key_arg`]), from the cache
/// when it was seen before. Failures are not cached (so a bad key costs its parse every time,
/// and never evicts good ones).
pub(crate) fn get(key: &JsValue) -> Result<Rc<PublicKey>> {
    let text =
        input::key_arg(key, "the Alipay public key", MAX_KEY_TEXT_BYTES)?.ok_or_else(|| {
            Error::InvalidPublicKey {
                reason: "no public key given: pass the Alipay public key (支付宝公钥)".into(),
            }
        })?;
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(pos) = cache.iter().position(|(t, _)| *t == text) {
            let entry = cache.remove(pos);
            let key = Rc::clone(&entry.1);
            cache.insert(0, entry);
            return Ok(key);
        }
        let parsed = Rc::new(PublicKey::parse(&text)?);
        cache.insert(0, (text, Rc::clone(&parsed)));
        cache.truncate(CAPACITY);
        Ok(parsed)
    })
}
