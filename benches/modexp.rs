//! Micro-benchmark: RSA PKCS#1 v1.5 verification with this crate's backend (`modexp.rs`)
//! against the `rsa` crate 0.9, in the same process, on the same keys and signatures.
//!
//! ```sh
//! cargo bench --bench modexp
//! ```
//!
//! Both sides get a prehashed `DigestInfo` / digest, so the figures are the public operation
//! plus the padding check. Keys come from the differential test's pool
//! (`tests/vectors/rsa-oracle/rsa-crate-keys.json`), so no key is generated here.
//! The dev-dependency `rsa` is built with `default-features = false`, i.e. without its
//! `u64_digit` feature (32-bit digits), like the wasm build measured in `TOOLCHAIN.md`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use alipay_notify::crypto::verify_digest_info;
use alipay_notify::PublicKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};

/// The differential test's key pool (public test keys).
const POOL: &str = include_str!("../tests/vectors/rsa-oracle/rsa-crate-keys.json");

/// `DigestInfo` header for SHA-256.
const SHA256_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// Batches per measurement; the median batch is reported.
const BATCHES: usize = 21;
/// Target duration of one batch.
const BATCH_TIME: Duration = Duration::from_millis(25);

/// Median and fastest batch time per call of `f`, in microseconds (the minimum is the better
/// figure on a loaded machine; the median the usual one).
fn time_us(mut f: impl FnMut()) -> (f64, f64) {
    // Calibrate the batch size so one batch takes about BATCH_TIME.
    let started = Instant::now();
    let mut calibration = 0u32;
    while started.elapsed() < BATCH_TIME / 5 {
        f();
        calibration += 1;
    }
    let per_batch = (calibration * 5).max(1);
    let mut samples: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per_batch {
                f();
            }
            t.elapsed().as_secs_f64() * 1e6 / f64::from(per_batch)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    (samples[BATCHES / 2], samples[0])
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn main() {
    let pool: serde_json::Value = serde_json::from_str(POOL).expect("key pool");
    let keys = pool["keys"].as_array().expect("keys");
    // (bits, e) to measure, the first matching pool key each; 2048/65537 is Alipay's case.
    let wanted: [(u64, u64); 5] = [
        (2048, 65537),
        (1024, 65537),
        (3072, 65537),
        (4096, 65537),
        (2048, 3),
    ];
    println!(
        "{:>5} {:>6} {:>18} {:>18} {:>16}",
        "bits", "e", "ours µs med/min", "rsa 0.9 µs med/min", "speed-up med/min"
    );
    for (bits, e) in wanted {
        let entry = keys
            .iter()
            .find(|k| k["bits"].as_u64() == Some(bits) && k["e"].as_u64() == Some(e))
            .expect("pool key");
        let private =
            RsaPrivateKey::from_pkcs1_der(&hex(entry["pkcs1_der"].as_str().expect("der")))
                .expect("PKCS#1 key");
        let public = private.to_public_key();
        let spki = public.to_public_key_der().expect("SPKI");
        let ours = PublicKey::from_der(spki.as_bytes()).expect("our key");

        let msg = b"app_id=2014072300007148&biz_content={}&charset=UTF-8&sign_type=RSA2";
        let hashed = Sha256::digest(msg);
        let sig = private
            .sign(Pkcs1v15Sign::new::<Sha256>(), &hashed)
            .expect("sign");
        let mut digest_info = SHA256_PREFIX.to_vec();
        digest_info.extend_from_slice(&hashed);

        // Both must accept before anything is timed.
        verify_digest_info(&ours, &digest_info, &sig).expect("ours verifies");
        public
            .verify(Pkcs1v15Sign::new::<Sha256>(), &hashed, &sig)
            .expect("rsa verifies");

        let (ours_med, ours_min) = time_us(|| {
            black_box(verify_digest_info(
                black_box(&ours),
                black_box(&digest_info),
                black_box(&sig),
            ))
            .expect("verifies");
        });
        let (rsa_med, rsa_min) = time_us(|| {
            black_box(public.verify(
                Pkcs1v15Sign::new::<Sha256>(),
                black_box(&hashed),
                black_box(&sig),
            ))
            .expect("verifies");
        });
        println!(
            "{bits:>5} {e:>6} {ours_med:>9.1}/{ours_min:<8.1} {rsa_med:>9.1}/{rsa_min:<8.1} \
             {:>7.1}×/{:.1}×",
            rsa_med / ours_med,
            rsa_min / ours_min
        );
    }
}
