//! Keys as files are really passed: bytes (PEM as read from disk, or DER), and the certificate
//! root bundle of certificate mode passed as Alipay's key, named with its own message. DER comes from the `rsa`
//! crate's encoders and the `base64` crate, never from this crate.

#![cfg(test)]

mod common;

use alipay_notify::{verify, PublicKey, VerifyOptions};
use base64::Engine as _;
use common::{read_text, repo_path, vector_file};
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;

const DOC_KEY: &str = "tests/vectors/doc/alipay-public-key.txt";
const DOC_BODY: &str = "tests/vectors/doc/order-notify-2020.txt";
const KEYS: &str = "tests/vectors/openapi/keys";

fn doc_options() -> VerifyOptions {
    VerifyOptions {
        app_id: Some("2018091261392200".into()),
        ..Default::default()
    }
}

fn body() -> Vec<u8> {
    std::fs::read(repo_path(DOC_BODY)).unwrap()
}

/// The console's base64 SPKI, decoded by the `base64` crate.
fn spki_der() -> Vec<u8> {
    let text = read_text(&repo_path(DOC_KEY));
    let compact: String = text.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .unwrap()
}

fn reason(e: &alipay_notify::Error) -> String {
    e.to_string()
}

#[test]
fn spki_and_pkcs1_der_bytes_verify_a_real_notification() {
    let spki = spki_der();
    let oracle = rsa::RsaPublicKey::from_public_key_der(&spki).unwrap();
    let pkcs1 = oracle.to_pkcs1_der().unwrap().as_bytes().to_vec();
    for (name, der) in [("SPKI", spki), ("PKCS#1", pkcs1)] {
        let key = PublicKey::from_bytes(&der).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.modulus(), oracle.n().to_bytes_be(), "{name}");
        let n = verify(&body(), &key, &doc_options()).unwrap();
        assert!(n.verified, "{name}");
    }
}

#[test]
fn text_bytes_are_read_as_the_text() {
    let text = std::fs::read(repo_path(DOC_KEY)).unwrap();
    let key = PublicKey::from_bytes(&text).unwrap();
    assert!(verify(&body(), &key, &doc_options()).unwrap().verified);
    let pem = std::fs::read(repo_path(&format!("{KEYS}/alipay-public.pem"))).unwrap();
    assert_eq!(
        PublicKey::from_bytes(&pem).unwrap(),
        PublicKey::parse(&read_text(&repo_path(&format!("{KEYS}/alipay-public.pem")))).unwrap()
    );
    // Alipay's certificate file as read from disk: the key with its SN.
    let cert = std::fs::read(repo_path(&format!("{KEYS}/alipayCertPublicKey_RSA2.crt"))).unwrap();
    assert!(PublicKey::from_bytes(&cert).unwrap().cert_sn().is_some());
}

#[test]
fn bad_bytes_are_invalid_public_key_or_too_large() {
    let e = PublicKey::from_bytes(&[0x30, 0x82, 0x01, 0x22, 0x00]).unwrap_err();
    assert_eq!(e.code(), "INVALID_PUBLIC_KEY");
    let e = PublicKey::from_bytes(&[]).unwrap_err();
    assert_eq!(e.code(), "INVALID_PUBLIC_KEY");
    assert!(reason(&e).contains("empty"), "{e}");
    let e = PublicKey::from_bytes(&vec![0x30; 64 * 1024]).unwrap_err();
    assert_eq!(e.code(), "INPUT_TOO_LARGE");
    let e = PublicKey::from_bytes(&vec![0x82; 64 * 1024]).unwrap_err();
    assert_eq!(e.code(), "INPUT_TOO_LARGE");
}

const ROOT_MESSAGE: &str = "this is alipayRootCert.crt (the root bundle): pass it as `alipayRootCert`, and the Alipay public key or `alipayCertPublicKey_RSA2.crt` as the key";

/// The `pem` of every real certificate file of a role (production and sandbox).
fn real_files(role: &str) -> Vec<String> {
    let all = vector_file("cert/real/cert-sn-vectors.json");
    let files: Vec<String> = all["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["file_role"].as_str().unwrap().starts_with(role))
        .map(|v| v["pem"].as_str().unwrap().to_string())
        .collect();
    assert!(files.len() >= 3, "{role}: {}", files.len());
    files
}

#[test]
fn the_root_bundle_as_the_key_is_named() {
    let mut texts = real_files("root bundle");
    texts.push(read_text(&repo_path(&format!("{KEYS}/alipayRootCert.crt"))));
    texts.push(read_text(&repo_path(
        "tests/vectors/cert/real/alipayRootCert.crt",
    )));
    for text in texts {
        for e in [
            PublicKey::parse(&text).unwrap_err(),
            PublicKey::from_bytes(text.as_bytes()).unwrap_err(),
        ] {
            assert_eq!(e.code(), "INVALID_PUBLIC_KEY");
            assert_eq!(reason(&e), format!("invalid public key: {ROOT_MESSAGE}"));
        }
    }
}

#[test]
fn a_key_file_of_alipays_certificate_then_a_root_still_loads() {
    let text = format!(
        "{}\n{}",
        read_text(&repo_path(&format!("{KEYS}/alipayCertPublicKey_RSA2.crt"))).trim(),
        read_text(&repo_path(&format!("{KEYS}/alipayRootCert.crt")))
    );
    let key = PublicKey::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(key.cert_sn().is_some());
}

#[test]
fn alipays_own_certificates_still_load() {
    let mut texts = real_files("alipay public cert");
    texts.push(read_text(&repo_path(&format!(
        "{KEYS}/alipayCertPublicKey_RSA2.crt"
    ))));
    let mut loaded = 0;
    for text in texts {
        match PublicKey::parse(&text) {
            Ok(key) => {
                assert!(key.cert_sn().is_some());
                loaded += 1;
            }
            // The sandbox's SM2 certificate: not RSA, and named as such, not as a misplaced file.
            Err(e) => assert!(reason(&e).contains("EC key"), "{e}"),
        }
    }
    assert!(loaded >= 4, "{loaded}");
}
