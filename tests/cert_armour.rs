//! The certificate-chain bypass through PEM armour, and Alipay's identity check, against
//! tests/vectors/cert/armour.json (written by tests/vectors/cert/armour.py: Python
//! `cryptography`, OpenSSL and the JDK; nothing from this crate).
//!
//! The attack: a self-signed certificate with the genuine issuer and serial (hence the genuine
//! SN) for the attacker's key, armoured almost right (`-----BEGIN CERTIFICATE -----`, …) and put
//! before Alipay's genuine certificate file. When the key reader took that block while the
//! certificate reader skipped it, the chain check and the SN vouched for the genuine
//! certificates while verification used the attacker's key. Every variant must now be refused
//! with the key's or the certificate's code, by every entry point.

#![cfg(test)]

mod common;

use alipay_notify::crypto::SignType;
use alipay_notify::openapi::verify_response;
use alipay_notify::trust::check_key_chain;
use alipay_notify::x509::{
    check_alipay_certificate, get_cert_sn, get_root_cert_sn, verify_cert_chain,
};
use alipay_notify::{verify, Error, PublicKey, VerifyOptions};
use common::{outcome, str_field as s};
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("vectors/cert/armour.json")).unwrap()
}

fn with_root(v: &Value) -> VerifyOptions {
    VerifyOptions {
        alipay_root_cert: Some(s(v, "root_bundle_pem").to_string()),
        now_ms: v["now_ms"].as_i64(),
        ..VerifyOptions::default()
    }
}

/// Every operation of the vectors on one text: `(operation, outcome)`.
fn run_case(v: &Value, text: &str) -> Vec<(&'static str, String)> {
    let root = s(v, "root_bundle_pem");
    let now = v["now_ms"].as_i64().unwrap();
    let body = s(&v["notification"], "body").as_bytes();
    let key = PublicKey::parse(text);
    let with_key = |f: &dyn Fn(&PublicKey) -> String| match &key {
        Ok(k) => f(k),
        Err(e) => e.code().to_string(),
    };
    vec![
        ("public_key", outcome(&key)),
        (
            "get_cert_sn",
            get_cert_sn(text).unwrap_or_else(|e| e.code().into()),
        ),
        (
            "verify_cert_chain",
            outcome(&verify_cert_chain(text, root, now)),
        ),
        (
            "check_alipay_certificate",
            outcome(&check_alipay_certificate(text, root, now)),
        ),
        (
            "verify_with_root",
            with_key(&|k| outcome(&verify(body, k, &with_root(v)))),
        ),
        (
            "verify_without_root",
            with_key(&|k| outcome(&verify(body, k, &VerifyOptions::default()))),
        ),
        (
            "verify_response",
            with_key(&|k| {
                outcome(&verify_response(
                    s(&v["response"], "body"),
                    k,
                    s(&v["response"], "method"),
                    SignType::Rsa2,
                ))
            }),
        ),
    ]
}

#[test]
fn every_armour_variant_is_refused_by_every_entry_point() {
    let v = vectors();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 19);
    let mut failures = Vec::new();
    for case in cases {
        for (op, got) in run_case(&v, s(case, "text")) {
            let expected = s(&case["expected"], op);
            if got != expected {
                failures.push(format!(
                    "{} {op}: expected {expected}, got {got}",
                    case["id"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The issue's own scenario, spelled out: the trailing-space armour, the genuine chain after it.
#[test]
fn trailing_space_armour_no_longer_passes_for_the_genuine_chain() {
    let v = vectors();
    let case = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "armour-trailing-space")
        .unwrap();
    let trick = s(case, "text");
    assert!(trick.starts_with("-----BEGIN CERTIFICATE -----\n"));
    assert!(trick.ends_with(s(&v, "genuine_cert_pem")));
    let root = s(&v, "root_bundle_pem");
    let now = v["now_ms"].as_i64().unwrap();

    let err = verify_cert_chain(trick, root, now).unwrap_err();
    assert_eq!(err.code(), "INVALID_CERTIFICATE");
    // The message shows the offending line, so the user can see the stray space.
    assert!(
        err.to_string().contains("`-----BEGIN CERTIFICATE -----`"),
        "{err}"
    );
    assert_eq!(
        get_cert_sn(trick).unwrap_err().code(),
        "INVALID_CERTIFICATE"
    );
    assert_eq!(
        PublicKey::parse(trick).unwrap_err().code(),
        "INVALID_PUBLIC_KEY"
    );

    // The pieces work on their own: the genuine file chains; the attacker's certificate has the
    // genuine SN and its key verifies what the attacker signed — but never with the root set.
    let genuine = s(&v, "genuine_cert_pem");
    assert_eq!(verify_cert_chain(genuine, root, now), Ok(()));
    let attacker = PublicKey::parse(s(&v, "attacker_cert_pem")).unwrap();
    assert_eq!(attacker.cert_sn(), Some(s(&v, "genuine_sn")));
    assert_eq!(get_cert_sn(genuine).as_deref(), Ok(s(&v, "genuine_sn")));
    let body = s(&v["notification"], "body").as_bytes();
    assert!(verify(body, &attacker, &VerifyOptions::default()).is_ok());
    assert_eq!(
        verify(body, &attacker, &with_root(&v)).unwrap_err().code(),
        "CERT_UNTRUSTED"
    );
}

/// The key, its SN and the chain check read the same certificate: on every text of the vectors
/// that gives a key from a certificate, the key's SN is `get_cert_sn`'s, and the key's chain
/// check (`alipayRootCert`) agrees with `verify_cert_chain` on the text.
#[test]
fn the_key_the_sn_and_the_chain_are_one_certificate() {
    let v = vectors();
    let root = s(&v, "root_bundle_pem");
    let now = v["now_ms"].as_i64().unwrap();
    let mut with_cert = 0;
    for case in v["cases"].as_array().unwrap() {
        let text = s(case, "text");
        let Ok(key) = PublicKey::parse(text) else {
            continue;
        };
        with_cert += 1;
        assert_eq!(
            key.cert_sn().map(str::to_string),
            get_cert_sn(text).ok(),
            "{}",
            case["id"]
        );
        assert_eq!(
            outcome(&{
                let o = with_root(&v);
                check_key_chain(&key, o.alipay_root_cert.as_deref(), o.now_ms)
            }),
            outcome(&verify_cert_chain(text, root, now)),
            "{}",
            case["id"]
        );
    }
    assert!(with_cert >= 5, "{with_cert}");
}

#[test]
fn identity_test_pki() {
    let v = vectors();
    let root = s(&v, "identity_root_bundle_pem");
    let now = v["now_ms"].as_i64().unwrap();
    let cases = v["identity"].as_array().unwrap();
    assert_eq!(cases.len(), 10);
    for case in cases {
        let text = s(case, "alipay_cert_pem");
        let expected = s(case, "expected");
        let got = check_alipay_certificate(text, root, now);
        assert_eq!(outcome(&got), expected, "{}: {got:?}", case["id"]);
        // Every one but the forged one chains: the chain check alone cannot tell them apart.
        let chain = verify_cert_chain(text, root, now);
        let chain_expected = if expected == "CERT_UNTRUSTED" {
            "CERT_UNTRUSTED"
        } else {
            "OK"
        };
        assert_eq!(outcome(&chain), chain_expected, "{}", case["id"]);
        if let Err(Error::CertNotAlipay { reason }) = &got {
            assert!(!reason.is_empty());
        }
    }
}

/// Real certificates: Alipay's passes; a real application certificate with its real `… Class 1
/// R1` intermediate chains to the same production root and is refused as not Alipay's.
#[test]
fn identity_real_certificates() {
    let sn: Value =
        serde_json::from_str(include_str!("vectors/cert/real/cert-sn-vectors.json")).unwrap();
    let pem = |i: usize| sn["vectors"][i]["pem"].as_str().unwrap();
    let root = pem(2);
    let june_2024 = 1_717_243_200_000;
    assert_eq!(check_alipay_certificate(pem(11), root, june_2024), Ok(()));
    // The Node SDK's Alipay certificate has no intermediate in its file: untrusted, as before.
    assert_eq!(
        check_alipay_certificate(pem(1), root, june_2024)
            .unwrap_err()
            .code(),
        "CERT_UNTRUSTED"
    );

    // alipay-sdk-python's sandbox file carries the production `Class 1 R1` intermediate; with
    // it, the production app certificate of alipay-sdk-php-all chains to the production root.
    let class_1 = pem(9)
        .split_inclusive("-----END CERTIFICATE-----")
        .nth(1)
        .unwrap();
    assert!(get_root_cert_sn(class_1).is_ok());
    let app_cert = format!("{}\n{}", pem(10), class_1.trim());
    assert_eq!(verify_cert_chain(&app_cert, root, june_2024), Ok(()));
    let err = check_alipay_certificate(&app_cert, root, june_2024).unwrap_err();
    assert_eq!(err.code(), "CERT_NOT_ALIPAY", "{err}");
    assert!(err.to_string().contains("Class 1 R1"), "{err}");
    // Glued without a newline (`cat` of a file without a final newline): read the same.
    let glued = format!("{}{}", pem(10), class_1.trim());
    assert!(glued.contains("-----END CERTIFICATE----------BEGIN CERTIFICATE-----"));
    assert_eq!(
        check_alipay_certificate(&glued, root, june_2024)
            .unwrap_err()
            .code(),
        "CERT_NOT_ALIPAY"
    );
}

/// Keys keep the forms users paste; PEM is read by the same rules as certificates.
#[test]
fn key_texts_by_the_one_reader() {
    let pem = include_str!("vectors/notifications/keys/alipay-rsa2048-public.pem");
    let key = PublicKey::parse(pem).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let crlf = pem.replace('\n', "\r\n");
    let one_line = pem.replace('\n', " ");
    let commented = format!("Alipay public key (支付宝公钥):\n{pem}\n");
    for text in [&body, &crlf, &one_line, &commented] {
        assert_eq!(PublicKey::parse(text).as_ref(), Ok(&key), "{text:?}");
    }
    for text in [
        pem.replace("-----BEGIN PUBLIC KEY-----", "-----BEGIN PUBLIC KEY -----"),
        pem.replace("-----BEGIN PUBLIC KEY-----", "-----BEGIN  PUBLIC KEY-----"),
        pem.replace("-----BEGIN PUBLIC KEY-----", "-----BEGIN PUBLIC\tKEY-----"),
        pem.replace("-----END PUBLIC KEY-----", "-----END RSA PUBLIC KEY-----"),
        pem.to_lowercase(),
        format!("{pem}{pem}"),
        format!("{pem}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
        format!("-- comment --\n{pem}"),
        pem.replace("-----END PUBLIC KEY-----", ""),
    ] {
        let err = PublicKey::parse(&text).unwrap_err();
        assert_eq!(err.code(), "INVALID_PUBLIC_KEY", "{text:?}: {err}");
        let err = PublicKey::from_pem(&text).unwrap_err();
        assert_eq!(err.code(), "INVALID_PUBLIC_KEY", "{text:?}: {err}");
    }
    // A private key is still named as such, by its label.
    let private = include_str!("vectors/notifications/keys/alipay-rsa2048-private.pem");
    let err = PublicKey::parse(private).unwrap_err();
    assert!(err.to_string().contains("private key"), "{err}");
}

/// Certificate texts: only certificate blocks; the error is the certificate's.
#[test]
fn certificate_texts_hold_only_certificates() {
    let genuine = include_str!("vectors/cert/real/alipayCertPublicKey_RSA2.php-sdk.crt");
    let key = include_str!("vectors/notifications/keys/alipay-rsa2048-public.pem");
    let root = include_str!("vectors/cert/real/alipayRootCert.crt");
    let june_2024 = 1_717_243_200_000;
    for text in [
        format!("{key}{genuine}"),
        format!("{genuine}{key}"),
        genuine.replacen(
            "-----END CERTIFICATE-----",
            "-----END CERTIFICATE-----\n--",
            1,
        ),
    ] {
        assert_eq!(
            get_cert_sn(&text).unwrap_err().code(),
            "INVALID_CERTIFICATE"
        );
        assert_eq!(
            verify_cert_chain(&text, root, june_2024)
                .unwrap_err()
                .code(),
            "INVALID_CERTIFICATE"
        );
        assert_eq!(
            get_root_cert_sn(&text).unwrap_err().code(),
            "INVALID_CERTIFICATE"
        );
        // …and as a root bundle.
        assert_eq!(
            verify_cert_chain(genuine, &text, june_2024)
                .unwrap_err()
                .code(),
            "INVALID_CERTIFICATE"
        );
    }
    // A root bundle with a look-alike block is refused, not read around.
    let tricked_root = root.replacen(
        "-----BEGIN CERTIFICATE-----",
        "-----BEGIN CERTIFICATE -----",
        1,
    );
    assert_eq!(
        verify_cert_chain(genuine, &tricked_root, june_2024)
            .unwrap_err()
            .code(),
        "INVALID_CERTIFICATE"
    );
    assert_eq!(
        get_root_cert_sn(&tricked_root).unwrap_err().code(),
        "INVALID_CERTIFICATE"
    );
}
