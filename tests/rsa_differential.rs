//! Differential tests of PKCS#1 v1.5 verification (and so of the modular exponentiation under
//! it) against two independent implementations:
//!
//! 1. the `rsa` crate 0.9, live, on random keys, messages and corrupted signatures;
//! 2. Node's `crypto` (OpenSSL), through the recorded verdicts in
//!    `tests/vectors/rsa-oracle/node-crypto.json` (see the README there).
//!
//! `ALIPAY_NOTIFY_DIFF_CASES` sets how many random cases (1) runs (default 1000, which keeps
//! `cargo test` fast; a full run uses 10000 or more, in release mode:
//! `ALIPAY_NOTIFY_DIFF_CASES=20000 cargo test --release --test rsa_differential -- --nocapture`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use alipay_notify::{verify_pkcs1v15, PublicKey, SignType};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::EncodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// The key pool: (bits, public exponent, how many). Mostly 2048-bit (Alipay's size), plus the
/// other accepted sizes, the smallest exponent (3) and other odd exponents.
const POOL: &[(usize, u32, usize)] = &[
    (2048, 65537, 4),
    (2048, 3, 1),
    (2048, 17, 1),
    (2048, 0x8000_0001, 1),
    (1024, 65537, 2),
    (1024, 3, 1),
    (1024, 257, 1),
    (3072, 65537, 1),
    (4096, 65537, 1),
];

/// One key of the pool, in both implementations' forms.
struct PoolKey {
    ours: PublicKey,
    theirs: RsaPrivateKey,
}

/// Generates the pool deterministically (seeded ChaCha8), caching each key as PKCS#1 DER under
/// Cargo's per-target temporary directory: key generation in a debug build takes minutes, and
/// the cache is only a speed-up (a missing or unreadable file is regenerated from its seed).
fn key_pool() -> Vec<PoolKey> {
    let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rsa-differential-keys");
    let _ = std::fs::create_dir_all(&cache);
    let mut keys = Vec::new();
    for &(bits, e, count) in POOL {
        for index in 0..count {
            let path = cache.join(format!("{bits}-{e}-{index}.der"));
            let cached = std::fs::read(&path)
                .ok()
                .and_then(|der| RsaPrivateKey::from_pkcs1_der(&der).ok())
                .filter(|k| k.size() * 8 == bits && k.e() == &BigUint::from(e));
            let theirs = cached.unwrap_or_else(|| {
                let seed = (bits as u64) << 40 | u64::from(e) << 8 | index as u64;
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let started = Instant::now();
                let key = RsaPrivateKey::new_with_exp(&mut rng, bits, &BigUint::from(e))
                    .expect("key generation");
                eprintln!("generated {bits}-bit key, e = {e}, in {:?}", started.elapsed());
                let _ = std::fs::write(&path, key.to_pkcs1_der().expect("encode").as_bytes());
                key
            });
            let spki = theirs
                .to_public_key()
                .to_public_key_der()
                .expect("SPKI encoding");
            let ours = PublicKey::from_der(spki.as_bytes()).expect("our key parser accepts it");
            assert_eq!(ours.exponent(), e);
            assert_eq!(ours.bits(), bits);
            keys.push(PoolKey { ours, theirs });
        }
    }
    keys
}

/// How a correct signature is spoiled before both implementations judge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mutation {
    /// Left alone: both must accept.
    None,
    /// One random bit of the signature flipped.
    FlipSigBit,
    /// The signature replaced by `n − 1`.
    NMinusOne,
    /// The signature replaced by 0.
    Zero,
    /// The signature replaced by 1.
    One,
    /// The signature replaced by `n`.
    EqualN,
    /// The signature replaced by `n + small` or all `ff` bytes (same length, `≥ n`).
    AboveN,
    /// A random value below `n`.
    RandomBelowN,
    /// The first or last byte removed.
    Truncated,
    /// A byte prepended (zero or not) or appended.
    Extended,
    /// One bit of the message flipped, or a byte appended.
    MessageChanged,
    /// Verified under the other hash (SHA-1 ↔ SHA-256).
    OtherHash,
    /// A valid signature made with another key of the pool.
    OtherKey,
    /// `sig + n` when it still fits the length: same residue, non-canonical encoding.
    PlusN,
}

const MUTATIONS: &[Mutation] = &[
    Mutation::FlipSigBit,
    Mutation::NMinusOne,
    Mutation::Zero,
    Mutation::One,
    Mutation::EqualN,
    Mutation::AboveN,
    Mutation::RandomBelowN,
    Mutation::Truncated,
    Mutation::Extended,
    Mutation::MessageChanged,
    Mutation::OtherHash,
    Mutation::OtherKey,
    Mutation::PlusN,
];

/// Big-endian, left-padded to `len` bytes (the value must fit).
fn to_len(v: &BigUint, len: usize) -> Vec<u8> {
    let b = v.to_bytes_be();
    let mut out = vec![0u8; len.saturating_sub(b.len())];
    out.extend_from_slice(&b);
    out
}

/// The `rsa` crate's verdict for `sig` over `msg`.
fn theirs(key: &RsaPublicKey, sign_type: SignType, msg: &[u8], sig: &[u8]) -> bool {
    match sign_type {
        SignType::Rsa2 => key
            .verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(msg), sig)
            .is_ok(),
        SignType::Rsa => key
            .verify(Pkcs1v15Sign::new::<Sha1>(), &Sha1::digest(msg), sig)
            .is_ok(),
    }
}

/// Signs with the `rsa` crate (an implementation independent of the code under test).
fn sign(key: &RsaPrivateKey, sign_type: SignType, msg: &[u8]) -> Vec<u8> {
    match sign_type {
        SignType::Rsa2 => key.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(msg)),
        SignType::Rsa => key.sign(Pkcs1v15Sign::new::<Sha1>(), &Sha1::digest(msg)),
    }
    .expect("signing")
}

/// Our verdict, with the error code checked: a wrong length is `MALFORMED_SIGNATURE`, anything
/// else that fails is `SIGNATURE_MISMATCH`.
fn ours(key: &PublicKey, sign_type: SignType, msg: &[u8], sig: &[u8]) -> bool {
    match verify_pkcs1v15(key, sign_type, msg, sig) {
        Ok(_) => true,
        Err(err) => {
            let expected = if sig.len() == key.size() {
                "SIGNATURE_MISMATCH"
            } else {
                "MALFORMED_SIGNATURE"
            };
            assert_eq!(err.code(), expected, "{err}");
            false
        }
    }
}

fn case_count() -> usize {
    std::env::var("ALIPAY_NOTIFY_DIFF_CASES")
        .ok()
        .map(|v| v.parse().expect("ALIPAY_NOTIFY_DIFF_CASES must be a number"))
        .unwrap_or(1000)
}

#[test]
fn agrees_with_the_rsa_crate() {
    let pool = key_pool();
    let cases = case_count();
    let mut rng = ChaCha8Rng::seed_from_u64(0x0a11_9a7e);
    // (mutation, verdict) → count
    let mut tally: BTreeMap<(Mutation, bool), usize> = BTreeMap::new();
    let started = Instant::now();
    for case in 0..cases {
        // Three cases in four use a 2048-bit key (the first entries of the pool).
        let key_index = if rng.gen_bool(0.75) {
            rng.gen_range(0..7)
        } else {
            rng.gen_range(0..pool.len())
        };
        let key = &pool[key_index];
        let public = key.theirs.to_public_key();
        let n = public.n().clone();
        let k = public.size();
        let sign_type = if rng.gen_bool(0.7) { SignType::Rsa2 } else { SignType::Rsa };
        let mut msg = vec![0u8; rng.gen_range(0..400)];
        rng.fill(&mut msg[..]);
        let good = sign(&key.theirs, sign_type, &msg);
        let mutation = if case % 3 == 0 {
            Mutation::None
        } else {
            MUTATIONS[rng.gen_range(0..MUTATIONS.len())]
        };

        let mut sig = good.clone();
        let mut verify_type = sign_type;
        let mut verify_msg = msg.clone();
        match mutation {
            Mutation::None => {}
            Mutation::FlipSigBit => {
                let bit = rng.gen_range(0..k * 8);
                sig[bit / 8] ^= 1 << (bit % 8);
            }
            Mutation::NMinusOne => sig = to_len(&(&n - 1u32), k),
            Mutation::Zero => sig = vec![0; k],
            Mutation::One => sig = to_len(&BigUint::from(1u32), k),
            Mutation::EqualN => sig = to_len(&n, k),
            Mutation::AboveN => {
                sig = if rng.gen_bool(0.5) {
                    vec![0xff; k]
                } else {
                    to_len(&(&n + rng.gen_range(1u32..1000)), k)
                }
            }
            Mutation::RandomBelowN => {
                rng.fill(&mut sig[..]);
                sig = to_len(&(BigUint::from_bytes_be(&sig) % &n), k);
            }
            Mutation::Truncated => {
                if rng.gen_bool(0.5) {
                    sig.remove(0);
                } else {
                    sig.pop();
                }
            }
            Mutation::Extended => match rng.gen_range(0..3) {
                0 => sig.insert(0, 0),
                1 => sig.insert(0, rng.gen_range(1..=255)),
                _ => sig.push(rng.gen()),
            },
            Mutation::MessageChanged => {
                if verify_msg.is_empty() || rng.gen_bool(0.3) {
                    verify_msg.push(rng.gen());
                } else {
                    let bit = rng.gen_range(0..verify_msg.len() * 8);
                    verify_msg[bit / 8] ^= 1 << (bit % 8);
                }
            }
            Mutation::OtherHash => {
                verify_type = match sign_type {
                    SignType::Rsa2 => SignType::Rsa,
                    SignType::Rsa => SignType::Rsa2,
                }
            }
            Mutation::OtherKey => {
                let other = &pool[(key_index + 1 + rng.gen_range(0..pool.len() - 1)) % pool.len()];
                sig = sign(&other.theirs, sign_type, &msg);
            }
            Mutation::PlusN => {
                let bigger = BigUint::from_bytes_be(&good) + &n;
                if bigger.bits() <= k * 8 {
                    sig = to_len(&bigger, k);
                } else {
                    // sig + n needs one more byte: use the largest value of the right length.
                    sig = vec![0xff; k];
                }
            }
        }

        let our_verdict = ours(&key.ours, verify_type, &verify_msg, &sig);
        let their_verdict = theirs(&public, verify_type, &verify_msg, &sig);
        assert_eq!(
            our_verdict, their_verdict,
            "case {case}: {mutation:?}, {}-bit key, e = {}, {:?}",
            k * 8,
            key.ours.exponent(),
            verify_type
        );
        if mutation == Mutation::None {
            assert!(our_verdict, "case {case}: a correct signature was rejected");
        }
        *tally.entry((mutation, our_verdict)).or_default() += 1;
    }
    let elapsed = started.elapsed();
    println!("rsa crate differential: {cases} cases in {elapsed:.2?}");
    for ((mutation, verdict), count) in &tally {
        println!("  {mutation:?} → {}: {count}", if *verdict { "valid" } else { "invalid" });
    }
    let valid: usize = tally.iter().filter(|((_, v), _)| *v).map(|(_, c)| c).sum();
    assert!(valid > 0 && valid < cases, "both verdicts must occur");
}

/// One recorded case of `tests/vectors/rsa-oracle/node-crypto.json`.
#[derive(serde::Deserialize)]
struct NodeCase {
    key: usize,
    hash: String,
    mutation: String,
    msg: String,
    sig: String,
    valid: bool,
}

/// One key of the Node oracle file.
#[derive(serde::Deserialize)]
struct NodeKey {
    bits: usize,
    e: u32,
    spki: String,
}

/// The Node oracle file.
#[derive(serde::Deserialize)]
struct NodeOracle {
    keys: Vec<NodeKey>,
    cases: Vec<NodeCase>,
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd-length hex");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn agrees_with_node_crypto() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/rsa-oracle/node-crypto.json");
    let oracle: NodeOracle =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read oracle")).expect("parse");
    let keys: Vec<PublicKey> = oracle
        .keys
        .iter()
        .map(|k| {
            let key = PublicKey::from_der(&hex(&k.spki)).expect("key");
            assert_eq!((key.bits(), key.exponent()), (k.bits, k.e));
            key
        })
        .collect();
    let mut tally: BTreeMap<(&str, bool), usize> = BTreeMap::new();
    for (i, case) in oracle.cases.iter().enumerate() {
        let sign_type = match case.hash.as_str() {
            "sha256" => SignType::Rsa2,
            "sha1" => SignType::Rsa,
            other => panic!("unexpected hash {other}"),
        };
        let key = &keys[case.key];
        let verdict = ours(key, sign_type, &hex(&case.msg), &hex(&case.sig));
        assert_eq!(
            verdict, case.valid,
            "case {i} ({}, {}-bit key, {}): Node says {}",
            case.mutation,
            key.bits(),
            case.hash,
            case.valid
        );
        *tally.entry((case.mutation.as_str(), verdict)).or_default() += 1;
    }
    println!("Node crypto oracle: {} cases, {} keys", oracle.cases.len(), keys.len());
    for ((mutation, verdict), count) in &tally {
        println!("  {mutation} → {}: {count}", if *verdict { "valid" } else { "invalid" });
    }
    let valid = tally.iter().filter(|((_, v), _)| *v).count();
    assert!(oracle.cases.len() >= 300 && valid > 0, "the oracle file must not be empty");
}
