//! Bindings of the order lifecycle: `applyOrderEvent`, `orderTransitions`.

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::servicemarket::{apply, Event, OrderState, TRANSITIONS};
use crate::wasm::js_error;

/// Longest state or event JSON accepted (a state remembers at most 512 ids).
const MAX_LIFECYCLE_JSON_BYTES: u32 = 256 * 1024;

fn bad(what: &str, e: impl core::fmt::Display) -> JsValue {
    js_error(&Error::InvalidArgument {
        reason: format!("{what}: {e}"),
    })
}

/// `applyOrderEvent(stateJson, eventJson, nowMs)` → JSON of the outcome.
#[wasm_bindgen(js_name = applyOrderEvent)]
pub fn apply_order_event(
    state: &JsValue,
    event: &JsValue,
    now_ms: &JsValue,
) -> Result<String, JsValue> {
    let text = |v: &JsValue, what: &str| -> Result<String, JsValue> {
        let s = v
            .dyn_ref::<js_sys::JsString>()
            .ok_or_else(|| bad(what, "not JSON text"))?;
        if s.length() > MAX_LIFECYCLE_JSON_BYTES {
            return Err(js_error(&Error::too_large(format!(
                "{what} is over {MAX_LIFECYCLE_JSON_BYTES} characters"
            ))));
        }
        Ok(String::from(s))
    };
    let json = |t: String, what: &str| -> Result<serde_json::Value, JsValue> {
        serde_json::from_str(&t).map_err(|e| bad(what, e))
    };
    let state = OrderState::from_json(&json(text(state, "state")?, "state")?)
        .map_err(|e| bad("state", e))?;
    let event =
        Event::from_json(&json(text(event, "event")?, "event")?).map_err(|e| bad("event", e))?;
    let now_ms = now_ms
        .as_f64()
        .filter(|n| n.is_finite())
        .ok_or_else(|| bad("now", "not a finite number (epoch milliseconds)"))?;
    // Saturating float-to-int conversion: any finite number maps to an i64.
    let outcome = apply(&state, &event, now_ms as i64);
    serde_json::to_string(&outcome).map_err(|e| bad("outcome", e))
}

/// `orderTransitions()` → JSON of the transition table.
#[wasm_bindgen(js_name = orderTransitions)]
pub fn order_transitions() -> String {
    serde_json::to_string(TRANSITIONS).unwrap_or_else(|_| String::from("[]"))
}
