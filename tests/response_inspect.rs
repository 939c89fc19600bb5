//! `openapi::inspect_response` on the answers of tests/vectors/openapi/requests.json (signed by
//! the capture's mock Alipay with node:crypto, accepted by alipay-sdk@4.14.0): each verifies
//! with the Alipay public key; a changed answer is CONTENT_CHANGED (the right key), the app
//! public key in its place WRONG_KEY; missing headers and keys are said.

#![cfg(test)]

use alipay_notify::openapi::{inspect_response, ResponseInput, ResponseInspection};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/openapi");

fn key_file(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/keys/{name}")).unwrap()
}

fn response(id: &str) -> Value {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/requests.json")).unwrap())
            .unwrap();
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()["response"]
        .clone()
}

fn v3(r: &Value, body: &str, key: Option<&str>) -> ResponseInspection {
    let h = &r["headers"];
    inspect_response(
        ResponseInput::V3 {
            timestamp: h["alipay-timestamp"].as_str(),
            nonce: h["alipay-nonce"].as_str(),
            signature: h["alipay-signature"].as_str(),
            body,
        },
        key,
    )
}

fn codes(r: &ResponseInspection) -> Vec<&'static str> {
    r.problems.iter().map(|p| p.code).collect()
}

#[test]
fn v3_answers_verify_and_say_why_not() {
    let alipay = key_file("alipay-public.pem");
    let r = response("key/v3/orderQuery/no-token");
    let body = r["body"].as_str().unwrap();
    let good = v3(&r, body, Some(&alipay));
    assert!(good.verified, "{:?}", good.problems);
    assert_eq!(good.signed_by_key, Some(true));
    assert!(good.problems.is_empty() && good.error.is_none());
    let h = &r["headers"];
    assert_eq!(
        good.signed_content.as_deref().unwrap(),
        format!(
            "{}\n{}\n{body}\n",
            h["alipay-timestamp"].as_str().unwrap(),
            h["alipay-nonce"].as_str().unwrap()
        )
    );

    let changed = v3(
        &r,
        &body.replace("MERCHANT_ORDED", "MERCHANT_PAID"),
        Some(&alipay),
    );
    assert!(!changed.verified);
    assert_eq!(changed.error.as_ref().unwrap().code, "SIGNATURE_MISMATCH");
    assert_eq!(
        (changed.signed_by_key, codes(&changed)),
        (Some(true), vec!["CONTENT_CHANGED"])
    );
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(body).unwrap()).unwrap();
    assert_eq!(codes(&v3(&r, &pretty, Some(&alipay))), ["CONTENT_CHANGED"]);

    let app = v3(&r, body, Some(&key_file("app-public.pem")));
    assert_eq!(
        (app.signed_by_key, codes(&app)),
        (Some(false), vec!["WRONG_KEY"])
    );
    assert!(app.problems[0].hint.contains("app public key"));

    let no_nonce = inspect_response(
        ResponseInput::V3 {
            timestamp: Some("1"),
            nonce: None,
            signature: Some("AAAA"),
            body,
        },
        Some(&alipay),
    );
    assert_eq!(no_nonce.error.unwrap().code, "MISSING_PARAMETER");
    assert!(no_nonce.problems[0].message.contains("alipay-nonce"));
    let short = inspect_response(
        ResponseInput::V3 {
            timestamp: Some("1"),
            nonce: Some("n"),
            signature: Some("AAAA"),
            body,
        },
        Some(&alipay),
    );
    assert_eq!(codes(&short), ["MALFORMED_SIGNATURE"]);
}

#[test]
fn v2_answers_verify_and_say_why_not() {
    let alipay = key_file("alipay-public.pem");
    let r = response("key/v2/orderQuery/no-token");
    let body = r["body"].as_str().unwrap();
    let good = inspect_response(ResponseInput::V2 { body, method: None }, Some(&alipay));
    assert!(good.verified, "{:?}", good.problems);
    assert_eq!(good.signed_content.as_deref(), r["signedContent"].as_str());
    let changed = body.replace("\"10000\"", "\"10001\"");
    let bad = inspect_response(
        ResponseInput::V2 {
            body: &changed,
            method: None,
        },
        Some(&alipay),
    );
    assert_eq!(codes(&bad), ["CONTENT_CHANGED"]);
    let app = inspect_response(
        ResponseInput::V2 { body, method: None },
        Some(&key_file("app-public.pem")),
    );
    assert_eq!(codes(&app), ["WRONG_KEY"]);
    let none = inspect_response(ResponseInput::V2 { body, method: None }, None);
    assert_eq!(
        (none.error.as_ref().unwrap().code, codes(&none)),
        ("INVALID_PUBLIC_KEY", vec!["KEY_MISSING"])
    );
    let junk = inspect_response(
        ResponseInput::V2 {
            body: "not json",
            method: None,
        },
        Some(&alipay),
    );
    assert_eq!(codes(&junk), ["MALFORMED_RESPONSE"]);
    let unreadable = inspect_response(ResponseInput::V2 { body, method: None }, Some("nope"));
    assert_eq!(codes(&unreadable), ["KEY_UNREADABLE"]);
}
