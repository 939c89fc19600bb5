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

#![cfg(test)]

mod common;

use common::{from_hex as hex, to_hex};
use std::collections::BTreeMap;
use std::time::Instant;

use alipay_notify::crypto::{verify_pkcs1v15, SignType};
use alipay_notify::PublicKey;
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

/// Stored (message, signature) pairs per key and hash (see [`Signatures`]).
const STORED_PER_HASH: usize = 4;

/// Where the pool is stored: generating RSA keys takes about a minute in release and many
/// minutes in a debug build, and signing ~0.3 s per 2048-bit signature in a debug build, so the
/// keys and a few signatures are generated once (by [`regenerate_rsa_crate_key_pool`]) and kept.
const POOL_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/rsa-oracle/rsa-crate-keys.json"
);

/// The stored key pool.
#[derive(serde::Deserialize, serde::Serialize)]
struct KeyPoolFile {
    /// How the file was made.
    generator: String,
    /// One entry per key, in [`POOL`] order.
    keys: Vec<PoolEntry>,
}

/// One stored key and the messages it signed.
#[derive(serde::Deserialize, serde::Serialize)]
struct PoolEntry {
    bits: usize,
    e: u32,
    /// The ChaCha8 seed the key and its messages were generated from.
    seed: u64,
    /// PKCS#1 `RSAPrivateKey`, DER, hex (a public test key: never use it for anything else).
    pkcs1_der: String,
    /// Random messages signed by the `rsa` crate with this key.
    signed: Vec<StoredSignature>,
}

/// A message and its signature, made by the `rsa` crate.
#[derive(serde::Deserialize, serde::Serialize)]
struct StoredSignature {
    /// `"sha256"` (`RSA2`) or `"sha1"` (`RSA`).
    hash: String,
    msg: String,
    sig: String,
}

/// The ChaCha8 seed of the `index`-th key of size `bits` and exponent `e`.
fn pool_seed(bits: usize, e: u32, index: usize) -> u64 {
    (bits as u64) << 40 | u64::from(e) << 8 | index as u64
}

/// A random message of 0 to 399 bytes.
fn random_message(rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut msg = vec![0u8; rng.gen_range(0..400)];
    rng.fill(&mut msg[..]);
    msg
}

fn hash_name(sign_type: SignType) -> &'static str {
    match sign_type {
        SignType::Rsa2 => "sha256",
        SignType::Rsa => "sha1",
    }
}

/// Regenerates `rsa-crate-keys.json` with the `rsa` crate's key generation and signing, seeded
/// ChaCha8 (deterministic: the same file every time):
/// `cargo test --release --test rsa_differential -- --ignored regenerate_rsa_crate_key_pool`.
#[test]
#[ignore = "writes tests/vectors/rsa-oracle/rsa-crate-keys.json; run on purpose, in release"]
fn regenerate_rsa_crate_key_pool() {
    let mut keys = Vec::new();
    for &(bits, e, count) in POOL {
        for index in 0..count {
            let seed = pool_seed(bits, e, index);
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let key = RsaPrivateKey::new_with_exp(&mut rng, bits, &BigUint::from(e))
                .expect("key generation");
            let mut signed = Vec::new();
            for sign_type in [SignType::Rsa2, SignType::Rsa] {
                for _ in 0..STORED_PER_HASH {
                    let msg = random_message(&mut rng);
                    signed.push(StoredSignature {
                        hash: hash_name(sign_type).into(),
                        sig: to_hex(&sign(&key, sign_type, &msg)),
                        msg: to_hex(&msg),
                    });
                }
            }
            keys.push(PoolEntry {
                bits,
                e,
                seed,
                pkcs1_der: to_hex(key.to_pkcs1_der().expect("encode").as_bytes()),
                signed,
            });
        }
    }
    let file = KeyPoolFile {
        generator: "rsa 0.9 RsaPrivateKey::new_with_exp and sign(Pkcs1v15Sign), \
                    ChaCha8Rng::seed_from_u64(seed) (tests/rsa_differential.rs, \
                    regenerate_rsa_crate_key_pool)"
            .into(),
        keys,
    };
    let json = serde_json::to_string_pretty(&file).expect("serialise");
    std::fs::write(POOL_FILE, json + "\n").expect("write the pool");
}

/// One key of the pool, in both implementations' forms.
struct PoolKey {
    ours: PublicKey,
    theirs: RsaPrivateKey,
}

/// Loads the stored pool, checks it is the one [`POOL`] describes, and files its signatures.
fn key_pool() -> (Vec<PoolKey>, Signatures) {
    let text = std::fs::read_to_string(POOL_FILE).expect("read the key pool");
    let file: KeyPoolFile = serde_json::from_str(&text).expect("parse the key pool");
    let expected: Vec<(usize, u32)> = POOL
        .iter()
        .flat_map(|&(bits, e, count)| (0..count).map(move |_| (bits, e)))
        .collect();
    let stored: Vec<(usize, u32)> = file.keys.iter().map(|k| (k.bits, k.e)).collect();
    assert_eq!(
        stored, expected,
        "rsa-crate-keys.json does not match POOL: regenerate it"
    );
    let mut signatures = Signatures {
        // Release runs sign a fresh random message for every case; debug builds, where the
        // unoptimised `rsa` crate signs slowly, draw from the stored signatures.
        fresh: !cfg!(debug_assertions),
        stored: BTreeMap::new(),
    };
    let keys = file
        .keys
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let theirs = RsaPrivateKey::from_pkcs1_der(&hex(&entry.pkcs1_der)).expect("PKCS#1 key");
            theirs.validate().expect("a consistent RSA key");
            let spki = theirs
                .to_public_key()
                .to_public_key_der()
                .expect("SPKI encoding");
            let ours = PublicKey::from_der(spki.as_bytes()).expect("our key parser accepts it");
            assert_eq!((ours.bits(), ours.exponent()), (entry.bits, entry.e));
            for s in &entry.signed {
                let sign_type = match s.hash.as_str() {
                    "sha256" => SignType::Rsa2,
                    "sha1" => SignType::Rsa,
                    other => panic!("unexpected hash {other}"),
                };
                signatures
                    .stored
                    .entry((index, hash_name(sign_type)))
                    .or_default()
                    .push((hex(&s.msg), hex(&s.sig)));
            }
            PoolKey { ours, theirs }
        })
        .collect();
    (keys, signatures)
}

/// A message and its signature.
type SignedMessage = (Vec<u8>, Vec<u8>);

/// Where a case's correctly signed message comes from.
struct Signatures {
    /// Sign a fresh random message with the `rsa` crate for each request.
    fresh: bool,
    /// Otherwise one of these: (key index, hash name) → (message, signature).
    stored: BTreeMap<(usize, &'static str), Vec<SignedMessage>>,
}

impl Signatures {
    /// A message and its signature by key `key_index` of `keys` under `sign_type`.
    fn get(
        &self,
        keys: &[PoolKey],
        key_index: usize,
        sign_type: SignType,
        rng: &mut ChaCha8Rng,
    ) -> SignedMessage {
        if self.fresh {
            let msg = random_message(rng);
            let sig = sign(&keys[key_index].theirs, sign_type, &msg);
            return (msg, sig);
        }
        let slot = &self.stored[&(key_index, hash_name(sign_type))];
        slot[rng.gen_range(0..slot.len())].clone()
    }
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
        .map(|v| {
            v.parse()
                .expect("ALIPAY_NOTIFY_DIFF_CASES must be a number")
        })
        .unwrap_or(1000)
}

#[test]
fn agrees_with_the_rsa_crate() {
    let (pool, signatures) = key_pool();
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
        let sign_type = if rng.gen_bool(0.7) {
            SignType::Rsa2
        } else {
            SignType::Rsa
        };
        let (msg, good) = signatures.get(&pool, key_index, sign_type, &mut rng);
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
                let other = (key_index + 1 + rng.gen_range(0..pool.len() - 1)) % pool.len();
                sig = signatures.get(&pool, other, sign_type, &mut rng).1;
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
            our_verdict,
            their_verdict,
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
    println!(
        "rsa crate differential: {cases} cases, {} keys, {} signed messages, in {elapsed:.2?}",
        pool.len(),
        if signatures.fresh { "fresh" } else { "stored" }
    );
    for ((mutation, verdict), count) in &tally {
        println!(
            "  {mutation:?} → {}: {count}",
            if *verdict { "valid" } else { "invalid" }
        );
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

#[test]
fn agrees_with_node_crypto() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/rsa-oracle/node-crypto.json"
    );
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
            verdict,
            case.valid,
            "case {i} ({}, {}-bit key, {}): Node says {}",
            case.mutation,
            key.bits(),
            case.hash,
            case.valid
        );
        *tally.entry((case.mutation.as_str(), verdict)).or_default() += 1;
    }
    println!(
        "Node crypto oracle: {} cases, {} keys",
        oracle.cases.len(),
        keys.len()
    );
    for ((mutation, verdict), count) in &tally {
        println!(
            "  {mutation} → {}: {count}",
            if *verdict { "valid" } else { "invalid" }
        );
    }
    let valid = tally.iter().filter(|((_, v), _)| *v).count();
    assert!(
        oracle.cases.len() >= 300 && valid > 0,
        "the oracle file must not be empty"
    );
}
