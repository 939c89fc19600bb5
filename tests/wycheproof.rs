//! Wycheproof RSASSA-PKCS1-v1_5 vectors (C2SP/wycheproof, Apache-2.0; provenance in
//! `tests/vectors/wycheproof/SOURCE.md`) run through the public primitive
//! [`alipay_notify::crypto::verify_digest_info`], with keys loaded by [`alipay_notify::PublicKey`].
//!
//! - `valid`: the key loads and the signature verifies.
//! - `invalid`: rejected — an error of any code from the verification, or the key refused with
//!   `INVALID_PUBLIC_KEY`.
//! - `acceptable` (legacy or weak but not broken): must not panic; the outcome is recorded.
//! - 8192-bit keys exceed `MAX_KEY_BITS`: every one is refused with `INVALID_PUBLIC_KEY`.

#![cfg(test)]

mod common;

use common::{from_hex as hex, str_field};
use std::collections::BTreeMap;

use alipay_notify::crypto::{verify_digest_info, MAX_KEY_BITS};
use alipay_notify::PublicKey;
use serde_json::Value;
use sha2::Digest;

/// The vector files, relative to `tests/vectors/wycheproof/`.
const FILES: &[&str] = &[
    "rsa_signature_2048_sha256_test.json",
    "rsa_signature_3072_sha256_test.json",
    "rsa_signature_4096_sha256_test.json",
    "rsa_signature_8192_sha256_test.json",
    "rsa_pkcs1_1024_sig_gen_test.json",
    "rsa_pkcs1_2048_sig_gen_test.json",
    "rsa_pkcs1_3072_sig_gen_test.json",
    "rsa_pkcs1_4096_sig_gen_test.json",
];

/// DER `DigestInfo` of `msg` under the Wycheproof hash name (RFC 8017 §9.2, note 1).
fn digest_info(sha: &str, msg: &[u8]) -> Vec<u8> {
    // The shared header: SEQUENCE { SEQUENCE { OID 2.16.840.1.101.3.4.2.x, NULL }, OCTET STRING }.
    let sha2_prefix = |total: u8, x: u8, len: u8| {
        vec![
            0x30, total, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, x,
            0x05, 0x00, 0x04, len,
        ]
    };
    let (mut prefix, digest) = match sha {
        "SHA-1" => (
            vec![
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
            sha1::Sha1::digest(msg).to_vec(),
        ),
        "SHA-224" => (
            sha2_prefix(0x2d, 0x04, 28),
            sha2::Sha224::digest(msg).to_vec(),
        ),
        "SHA-256" => (
            sha2_prefix(0x31, 0x01, 32),
            sha2::Sha256::digest(msg).to_vec(),
        ),
        "SHA-384" => (
            sha2_prefix(0x41, 0x02, 48),
            sha2::Sha384::digest(msg).to_vec(),
        ),
        "SHA-512" => (
            sha2_prefix(0x51, 0x03, 64),
            sha2::Sha512::digest(msg).to_vec(),
        ),
        other => panic!("unexpected hash {other}"),
    };
    prefix.extend_from_slice(&digest);
    prefix
}

/// What happened to each test case, for the summary and the final assertions.
#[derive(Default)]
struct Tally {
    valid_verified: usize,
    invalid_rejected: usize,
    /// 8192-bit keys refused (all results).
    oversized_key_refused: usize,
    /// `acceptable` outcomes: "accepted" or the error code, with the case's flags.
    acceptable: BTreeMap<String, usize>,
    /// Error codes seen on `invalid` cases.
    invalid_codes: BTreeMap<&'static str, usize>,
}

#[test]
fn wycheproof_rsassa_pkcs1_v1_5() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/wycheproof/");
    let mut total = Tally::default();
    for file in FILES {
        let text = std::fs::read_to_string(format!("{dir}{file}")).expect("read vectors");
        let json: Value = serde_json::from_str(&text).expect("parse vectors");
        let mut tally = Tally::default();
        let mut count = 0;
        for group in json["testGroups"].as_array().expect("testGroups") {
            // Verify files carry `publicKeyDer`; sig-gen files `keyDer` and `keyPem`.
            let der_hex = group["publicKeyDer"]
                .as_str()
                .unwrap_or_else(|| str_field(group, "keyDer"));
            let key = PublicKey::from_der(&hex(der_hex));
            if let (Some(pem), Ok(key)) = (group["keyPem"].as_str(), &key) {
                assert_eq!(
                    &PublicKey::from_pem(pem).expect("keyPem"),
                    key,
                    "{file}: PEM ≠ DER"
                );
            }
            let key_bits = group["keySize"].as_u64().expect("keySize") as usize;
            let sha = str_field(group, "sha");
            for case in group["tests"].as_array().expect("tests") {
                count += 1;
                let id = format!("{file} tcId {}", case["tcId"]);
                let result = str_field(case, "result");
                let flags = case["flags"].to_string();
                if key_bits > MAX_KEY_BITS {
                    let err = key
                        .as_ref()
                        .expect_err("keys over MAX_KEY_BITS are refused");
                    assert_eq!(err.code(), "INVALID_PUBLIC_KEY", "{id}");
                    tally.oversized_key_refused += 1;
                    continue;
                }
                let outcome = key.as_ref().map_err(Clone::clone).and_then(|key| {
                    let di = digest_info(sha, &hex(str_field(case, "msg")));
                    verify_digest_info(key, &di, &hex(str_field(case, "sig")))
                });
                match (result, outcome) {
                    ("valid", Ok(())) => tally.valid_verified += 1,
                    ("valid", Err(err)) => panic!("{id}: valid signature rejected: {err}"),
                    ("invalid", Ok(())) => {
                        panic!(
                            "{id}: invalid signature accepted ({})",
                            str_field(case, "comment")
                        )
                    }
                    ("invalid", Err(err)) => {
                        tally.invalid_rejected += 1;
                        *tally.invalid_codes.entry(err.code()).or_default() += 1;
                    }
                    ("acceptable", outcome) => {
                        let what = match outcome {
                            Ok(()) => "accepted".to_string(),
                            Err(err) => format!("rejected {}", err.code()),
                        };
                        *tally
                            .acceptable
                            .entry(format!("{what} {flags}"))
                            .or_default() += 1;
                    }
                    (other, _) => panic!("{id}: unknown result {other}"),
                }
            }
        }
        assert_eq!(
            count,
            json["numberOfTests"].as_u64().expect("numberOfTests") as usize,
            "{file}: every test case was run"
        );
        println!(
            "{file}: {count} cases — valid verified {}, invalid rejected {} {:?}, \
             oversized key refused {}, acceptable {:?}",
            tally.valid_verified,
            tally.invalid_rejected,
            tally.invalid_codes,
            tally.oversized_key_refused,
            tally.acceptable
        );
        total.valid_verified += tally.valid_verified;
        total.invalid_rejected += tally.invalid_rejected;
        total.oversized_key_refused += tally.oversized_key_refused;
        for (k, v) in tally.acceptable {
            *total.acceptable.entry(k).or_default() += v;
        }
    }
    let acceptable: usize = total.acceptable.values().sum();
    println!(
        "total: valid verified {}, invalid rejected {}, 8192-bit refused {}, acceptable {} {:?}",
        total.valid_verified,
        total.invalid_rejected,
        total.oversized_key_refused,
        acceptable,
        total.acceptable
    );
    // Non-zero counts, so the test cannot pass on nothing.
    assert!(total.valid_verified > 0, "no valid case ran");
    assert!(total.invalid_rejected > 0, "no invalid case ran");
    assert!(total.oversized_key_refused > 0, "no 8192-bit case ran");
    assert!(acceptable > 0, "no acceptable case ran");
}
