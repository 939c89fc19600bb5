//! Re-framing a genuine notification (`tests/vectors/reframing/`, generated with Python beside
//! it): the same signed bytes split into other parameters must never verify, and every legitimate
//! spelling of one signed notification verifies with one fingerprint.

#![cfg(test)]

mod common;

use common::vector_file;

use alipay_notify::{inspect, verify, PublicKey, VerifyOptions};
use serde_json::Value;

fn sources() -> Vec<Value> {
    vector_file("reframing/reframings.json")["sources"]
        .as_array()
        .unwrap()
        .clone()
}

fn setup(src: &Value) -> (PublicKey, VerifyOptions) {
    let key = PublicKey::parse(src["key"].as_str().unwrap()).unwrap();
    let options = VerifyOptions::from_json(&src["options"].to_string()).unwrap();
    (key, options)
}

#[test]
fn every_spelling_of_one_notification_verifies_with_one_fingerprint() {
    let mut n = 0;
    for src in sources() {
        let (key, options) = setup(&src);
        for case in src["same"].as_array().unwrap() {
            let body = case["body"].as_str().unwrap();
            let got = verify(body.as_bytes(), &key, &options)
                .unwrap_or_else(|e| panic!("{} / {}: {e}", src["id"], case["how"]));
            assert!(got.verified);
            assert_eq!(
                got.fingerprint.as_deref(),
                src["fingerprint"].as_str(),
                "{} / {}",
                src["id"],
                case["how"]
            );
            n += 1;
        }
    }
    assert!(n >= 30, "{n}");
}

#[test]
fn every_reframing_is_refused() {
    let mut n = 0;
    for src in sources() {
        let (key, options) = setup(&src);
        for case in src["reframed"].as_array().unwrap() {
            let body = case["body"].as_str().unwrap();
            let err = verify(body.as_bytes(), &key, &options).unwrap_err();
            assert_eq!(
                err.code(),
                "AMBIGUOUS_FRAMING",
                "{} / {}",
                src["id"],
                case["how"]
            );
            n += 1;
        }
    }
    assert!(n >= 200, "{n}");
}

/// The scenarios of the review that found the defect, by name.
#[test]
fn the_reported_scenarios_are_among_the_cases() {
    let wanted = [
        ("doc-order-notify-2020", "`notify_id` absorbs `notify_time`"),
        ("doc-order-notify-2020", "`name` absorbs `notify_id`"),
        ("doc-order-notify-2020", "`total_price` absorbs `version`"),
        ("doc-order-notify-2020", "`timestamp` absorbs `title`"),
        (
            "notify-trade-status-sync-2019-05-23-v1",
            "`subject` absorbs `total_amount`",
        ),
        (
            "notify-trade-status-sync-2019-05-23-v1",
            "`seller_email` absorbs `seller_id`",
        ),
        ("order-gbk-rsa2-spki-pem-v1", "`biz_type` absorbs `charset`"),
    ];
    let all = sources();
    for (id, how) in wanted {
        let src = all.iter().find(|s| s["id"] == id).unwrap();
        assert!(
            src["reframed"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["how"] == how),
            "{id}: {how}"
        );
    }
}

#[test]
fn inspect_names_both_readings_and_never_says_verified() {
    let src = sources()
        .into_iter()
        .find(|s| s["id"] == "doc-order-notify-2020")
        .unwrap();
    let case = src["reframed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["how"] == "`notify_id` absorbs `notify_time`")
        .unwrap()
        .clone();
    let options = VerifyOptions::from_json(&src["options"].to_string()).unwrap();
    let report = inspect(
        case["body"].as_str().unwrap().as_bytes(),
        src["key"].as_str(),
        &options,
    );
    assert_eq!(report.outcome.status, "failed");
    let problem = report
        .problems
        .iter()
        .find(|p| p.code == "AMBIGUOUS_FRAMING")
        .unwrap();
    assert!(
        problem.message.contains("`notify_id` and `notify_time`"),
        "{}",
        problem.message
    );
    assert!(!problem.hint_zh.is_empty());
    assert_eq!(report.notification.map(|n| n.verified), Some(false));
}

/// `inspect` reads leniently to show what arrived, but its verdict is `verify`'s: a bare `%`
/// that `verify` refuses must not come out `verified`.
#[test]
fn inspect_is_never_verified_where_verify_refuses() {
    let key_text = include_str!("vectors/doc/alipay-public-key.txt");
    let key = PublicKey::parse(key_text).unwrap();
    let genuine = include_str!("vectors/doc/order-notify-2020.txt").trim();
    // An unsigned extra parameter is not in the signature either way; a bare `%` is malformed.
    for body in [
        format!("{genuine}&a=100%"),
        format!("a=100%&{genuine}"),
        format!("{genuine}&%zz"),
    ] {
        let refused = verify(body.as_bytes(), &key, &VerifyOptions::default()).unwrap_err();
        let report = inspect(body.as_bytes(), Some(key_text), &VerifyOptions::default());
        assert_eq!(report.outcome.status, "failed", "{body}");
        assert_eq!(report.outcome.error.unwrap().code, refused.code());
        let n = report.notification.unwrap();
        assert!(!n.verified && n.fingerprint.is_none());
    }
}

/// Duplicate names compare as the text a caller sees: GBK's 0x80 and 0xA2 0xE3 both read `€`.
#[test]
fn two_spellings_of_one_name_are_a_duplicate() {
    let form = b"charset=GBK&a%80=1&a%A2%E3=2";
    let err = alipay_notify::parse(form, &VerifyOptions::default()).unwrap_err();
    assert_eq!(err.code(), "DUPLICATE_PARAMETER", "{err}");
    let ok = alipay_notify::parse(b"charset=GBK&a%80=1&b%A2%E3=2", &VerifyOptions::default());
    assert!(ok.is_ok());
}
