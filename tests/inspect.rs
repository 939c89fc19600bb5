//! `inspect` explains failures: each diagnosis is produced where it applies, and not where it
//! would mislead.

#![cfg(test)]

mod common;

use alipay_notify::{inspect, VerifyOptions};
use common::notification_vector;

fn vector(id: &str) -> (String, String, VerifyOptions) {
    let v = notification_vector(id);
    let options = VerifyOptions::from_json(&v["options"].to_string()).unwrap();
    (
        v["body"].as_str().unwrap().to_owned(),
        v["key"].as_str().unwrap().to_owned(),
        options,
    )
}

fn diagnose(body: &str, key: Option<&str>, options: &VerifyOptions) -> (String, Vec<&'static str>) {
    let r = inspect(body.as_bytes(), key, options);
    (
        r.outcome.status.to_owned(),
        r.problems.iter().map(|p| p.code).collect(),
    )
}

#[test]
fn app_key_instead_of_alipay_key_is_flagged() {
    let (body, key, o) = vector("mismatch-app-key");
    let (status, codes) = diagnose(&body, Some(&key), &o);
    assert_eq!(status, "failed");
    assert!(codes.contains(&"WRONG_KEY"), "{codes:?}");
}

#[test]
fn verified_notification_has_no_error_problems() {
    let (body, key, o) = vector("change-utf-8-rsa2-spki-base64-v1");
    let r = inspect(body.as_bytes(), Some(&key), &o);
    assert_eq!(r.outcome.status, "verified");
    assert!(
        r.problems.iter().all(|p| p.severity != "error"),
        "{:?}",
        r.problems
    );
    assert_eq!(r.v1, alipay_notify::notify::VariantVerdict::Verified);
    assert_eq!(r.v2, alipay_notify::notify::VariantVerdict::Mismatch);
    assert!(r.notification.is_some_and(|n| n.verified));
    assert!(!r.sign_content_v1.contains("sign_type="));
    assert!(r.sign_content_v2.contains("sign_type=RSA2"));
}

#[test]
fn pasted_not_entity_is_detected_and_not_blamed_on_the_key() {
    let (body, key, o) = vector("change-utf-8-rsa2-spki-base64-v1");
    let pasted = body.replace("&notify_id", "¬ify_id");
    assert_ne!(pasted, body);
    let (status, codes) = diagnose(&pasted, Some(&key), &o);
    assert_eq!(status, "failed");
    assert!(codes.contains(&"PASTED_NOT_ENTITY"), "{codes:?}");
    assert!(!codes.contains(&"WRONG_KEY"), "{codes:?}");
}

#[test]
fn plus_as_space_gbk_and_undocumented_variant_are_reported() {
    let (body, key, o) = vector("order-sign-plus-as-space");
    let (status, codes) = diagnose(&body, Some(&key), &o);
    assert_eq!(status, "verified");
    assert!(codes.contains(&"SIGN_HAS_SPACES"), "{codes:?}");

    let (body, key, o) = vector("order-gbk-rsa2-spki-pem-v1");
    let (status, codes) = diagnose(&body, Some(&key), &o);
    assert_eq!(status, "verified");
    assert!(codes.contains(&"GBK_DECLARED"), "{codes:?}");
    // 订购通知 is documented as V2; this one is signed V1.
    assert!(codes.contains(&"UNDOCUMENTED_VARIANT"), "{codes:?}");
}

#[test]
fn the_other_empty_value_rule_is_suggested() {
    let (body, key, _) = vector("mismatch-empties-skipped-default-keep");
    let (status, codes) = diagnose(&body, Some(&key), &VerifyOptions::default());
    assert_eq!(status, "failed");
    assert!(codes.contains(&"EMPTY_VALUES"), "{codes:?}");
    assert!(!codes.contains(&"WRONG_KEY"), "{codes:?}");
}

#[test]
fn duplicates_missing_key_and_bad_key_are_reported_without_failing() {
    let (status, codes) = diagnose(
        "a=1&a=2&sign=x&sign_type=RSA2",
        None,
        &VerifyOptions::default(),
    );
    assert_eq!(status, "error");
    assert!(codes.contains(&"DUPLICATE_PARAMETER"), "{codes:?}");
    let (status, codes) = diagnose("a=%zz", Some("not a key"), &VerifyOptions::default());
    assert_eq!(status, "error");
    assert!(
        codes.contains(&"MALFORMED_FORM") && codes.contains(&"INVALID_PUBLIC_KEY"),
        "{codes:?}"
    );
    assert!(codes.contains(&"MISSING_PARAMETER"), "{codes:?}");
}

#[test]
fn a_sign_type_changed_after_signing_is_named() {
    let (body, key, o) = vector("mismatch-rsa2-signature-labelled-rsa");
    let (status, codes) = diagnose(&body, Some(&key), &o);
    assert_eq!(status, "failed");
    assert!(codes.contains(&"SIGN_TYPE_MISMATCH"), "{codes:?}");
}

#[test]
fn one_bad_parameter_does_not_hide_the_rest() {
    let (body, key, o) = vector("change-utf-8-rsa2-spki-base64-v1");
    let r = inspect(format!("{body}&=x").as_bytes(), Some(&key), &o);
    assert_eq!(r.outcome.status, "failed");
    assert_eq!(
        r.kind,
        alipay_notify::Kind::OrderChange,
        "the kind is still recognised"
    );
    assert!(r.sign_content_v1.contains("biz_content="));
    let codes: Vec<_> = r.problems.iter().map(|p| p.code).collect();
    assert!(codes.contains(&"MALFORMED_FORM"), "{codes:?}");
    assert!(!codes.contains(&"MISSING_PARAMETER"), "{codes:?}");
}

#[test]
fn signed_flags_follow_the_empty_value_rule_and_first_occurrence() {
    let body = "a=1&b=&sign=x&sign_type=RSA2&a=2";
    let skip = VerifyOptions::from_json(r#"{"emptyValues":"skip"}"#).unwrap();
    let r = inspect(body.as_bytes(), None, &skip);
    let flags: Vec<_> = r
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.in_v1, p.in_v2))
        .collect();
    assert_eq!(
        flags,
        [
            ("a", true, true),
            ("b", false, false),
            ("sign", false, false),
            ("sign_type", false, true),
            ("a", false, false)
        ]
    );
}

/// Tampered with the right key → CONTENT_CHANGED (with the recovered and computed digests);
/// checked with an unrelated key → WRONG_KEY. On every real notification.
#[test]
fn content_changed_and_wrong_key_are_told_apart_on_the_real_notifications() {
    let other_key = vector("change-utf-8-rsa2-spki-base64-v1").1;
    let mut n = 0;
    let dir = common::vectors_dir().join("real");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("notify-")
        })
        .collect();
    files.sort();
    for path in files {
        let f = common::load_json(&path);
        let key = f["alipay_public_key"].as_str().unwrap();
        let body = f["derived_form_body"]["body"].as_str().unwrap();
        let o = VerifyOptions::from_json(r#"{"signTypes":["RSA2","RSA"]}"#).unwrap();
        assert_eq!(diagnose(body, Some(key), &o).0, "verified");
        let tampered = body.replacen("notify_id=", "notify_id=9", 1);
        let r = inspect(tampered.as_bytes(), Some(key), &o);
        let codes: Vec<_> = r.problems.iter().map(|p| p.code).collect();
        assert!(codes.contains(&"CONTENT_CHANGED"), "{}: {codes:?}", f["id"]);
        assert!(!codes.contains(&"WRONG_KEY"), "{}: {codes:?}", f["id"]);
        let p = r
            .problems
            .iter()
            .find(|p| p.code == "CONTENT_CHANGED")
            .unwrap();
        assert!(
            p.message.contains("V1 content") && p.message.contains("signed "),
            "{}",
            p.message
        );
        let (_, codes) = diagnose(body, Some(&other_key), &o);
        assert!(
            codes.contains(&"WRONG_KEY") || codes.contains(&"MALFORMED_SIGNATURE"),
            "{}: {codes:?}",
            f["id"]
        );
        assert!(
            !codes.contains(&"CONTENT_CHANGED"),
            "{}: {codes:?}",
            f["id"]
        );
        n += 1;
    }
    assert_eq!(n, 5);
}

/// The app certificate (appCertPublicKey_<appId>.crt) given as the key: WRONG_KEY, with the hint
/// that names the certificate files, not the one about public keys.
#[test]
fn app_certificate_instead_of_alipay_certificate_is_named() {
    let f = common::load_json(
        &common::vectors_dir().join("real/notify-servicemarket-order-2019-03-08-v2.json"),
    );
    let body = f["derived_form_body"]["body"].as_str().unwrap();
    let app_cert = std::fs::read_to_string(
        common::vectors_dir().join("openapi/keys/appCertPublicKey_2021000000000001.crt"),
    )
    .unwrap();
    let r = inspect(body.as_bytes(), Some(&app_cert), &VerifyOptions::default());
    let p = r
        .problems
        .iter()
        .find(|p| p.code == "WRONG_KEY")
        .expect("WRONG_KEY");
    assert!(
        p.hint.contains("appCertPublicKey_<appId>.crt"),
        "{}",
        p.hint
    );
    assert!(
        p.hint.contains("alipayCertPublicKey_RSA2.crt"),
        "{}",
        p.hint
    );
    // A plain public key keeps the public-key hint.
    let (_, key, o) = vector("change-utf-8-rsa2-spki-base64-v1");
    let r = inspect(body.as_bytes(), Some(&key), &o);
    let p = r.problems.iter().find(|p| p.code == "WRONG_KEY").unwrap();
    assert!(p.hint.contains("应用公钥") && !p.hint.contains("appCertPublicKey"));
}
