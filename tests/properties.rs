//! Property tests (proptest). Default case counts are modest so `cargo test` stays fast; raise
//! them with `PROPTEST_CASES=10000 cargo test --test properties`.
//!
//! - Any bytes, any string, any options JSON: a result or a coded error, never a panic — for
//!   `Form::parse`, `parse`, `verify` (fixed key), `inspect`, `PublicKey::parse` and
//!   `VerifyOptions::from_json` (the checks are the fuzz targets', `fuzz/src/lib.rs`).
//! - A signed notification, mutated: never a panic, and whatever still verifies signed exactly
//!   the same content.
//! - Encoding params then parsing gives the same params, whatever valid encoding is chosen
//!   (`+` or `%20` for a space, escaped or literal safe bytes, upper or lower hex).
//! - The sign content, and the verdict, do not depend on the order of the parameters.
//! - Differential: `Form::parse` against the `form_urlencoded` crate on UTF-8 inputs — the same
//!   names and values, except that we reject (by design) exactly the inputs with a malformed
//!   `%` escape, an empty name, or a repeated name.

#![cfg(test)]

mod common;

use common::notification_vectors;

use alipay_notify::encoding::{Form, Param, MAX_PARAMS};
use alipay_notify::notify::{sign_content, EmptyValues};
use alipay_notify::{parse, verify, PublicKey, Variant, VerifyOptions, ERROR_CODES};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod harness;

/// `cases` unless `PROPTEST_CASES` is set; never writes regression files into the tree.
fn config(cases: u32) -> Config {
    let mut c = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = cases;
    }
    c
}

fn vectors() -> Vec<Value> {
    notification_vectors()
}

/// Signed bodies that verify with the harness's fixed key under the default options.
fn signed_bodies() -> Vec<String> {
    let key = PublicKey::parse(harness::KEY_PEM).unwrap();
    vectors()
        .iter()
        .filter(|v| v["options"].as_object().is_some_and(|o| o.is_empty()))
        .filter_map(|v| v["body"].as_str().map(str::to_owned))
        .filter(|b| verify(b.as_bytes(), &key, &VerifyOptions::default()).is_ok())
        .collect()
}

/// Strings made of what forms are made of, so that random input reaches deep paths.
fn formish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("&".to_owned()),
        Just("=".to_owned()),
        Just("+".to_owned()),
        Just("%".to_owned()),
        Just("%2B".to_owned()),
        Just("%20".to_owned()),
        Just("%25".to_owned()),
        Just("%26".to_owned()),
        Just("%3D".to_owned()),
        Just("%E4%B8%AD".to_owned()),
        Just("%D6%D0".to_owned()),
        Just("%zz".to_owned()),
        Just("%4".to_owned()),
        Just("sign=".to_owned()),
        Just("sign_type=RSA2".to_owned()),
        Just("sign_type=RSA".to_owned()),
        Just("charset=GBK".to_owned()),
        Just("charset=utf-8".to_owned()),
        Just("notify_type=servicemarket_order_notify".to_owned()),
        Just("msg_method=alipay.open.servicemarket.order.change.notify".to_owned()),
        Just("notify_type=open_app_auth_notify".to_owned()),
        Just("biz_content=%7B%22status%22%3A%22DONE%22%2C%22operate_time%22%3A%222024-05-20+10%3A07%3A07%22%7D".to_owned()),
        Just("notify_time=2024-05-20+10%3A07%3A07".to_owned()),
        Just("\u{ac}ify_id=1".to_owned()),
        "[a-z0-9_]{1,6}",
        "[A-Za-z0-9+/]{4,12}={0,2}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(token, 0..24).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_bytes_form_parse(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        harness::form_parse(&data);
    }

    #[test]
    fn any_string_form_parse(s in formish()) {
        harness::form_parse(s.as_bytes());
        harness::form_parse(format!("?{s}").as_bytes());
        harness::form_parse(format!("https://isv.example.com/gw?{s}#f").as_bytes());
    }

    #[test]
    fn any_bytes_parse(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        harness::parse_notification(&data);
    }

    #[test]
    fn any_string_parse(s in formish()) {
        harness::parse_notification(s.as_bytes());
    }

    #[test]
    fn any_string_key(s in ".{0,64}", data in proptest::collection::vec(any::<u8>(), 0..300)) {
        harness::public_key(s.as_bytes());
        harness::public_key(&data);
        let wrapped = format!("-----BEGIN PUBLIC KEY-----\n{s}\n-----END PUBLIC KEY-----");
        harness::public_key(wrapped.as_bytes());
    }

    #[test]
    fn any_string_options(s in ".{0,64}") {
        harness::verify_options(s.as_bytes());
    }
}

/// Option objects with the known names and arbitrary JSON values.
fn options_json() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just("auto"),
            Just("v1"),
            Just("v2"),
            Just("v3"),
            Just("RSA2"),
            Just("RSA"),
            Just("keep"),
            Just("skip"),
            Just("GBK"),
            Just("utf-8"),
            Just(""),
            Just("2021004100000001"),
        ]
        .prop_map(Value::from),
        ".{0,8}".prop_map(Value::from),
    ];
    let value = leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(".{0,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    let name = prop_oneof![
        Just("variant"),
        Just("signTypes"),
        Just("emptyValues"),
        Just("charset"),
        Just("appId"),
        Just("now"),
        Just("maxAgeSeconds"),
        Just("bogus"),
    ];
    proptest::collection::vec((name, value), 0..6).prop_map(|pairs| {
        let m: serde_json::Map<String, Value> =
            pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        Value::Object(m).to_string()
    })
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn any_options_json_then_parse_and_verify(json in options_json()) {
        // from_json, then parse and verify the documentation sample with the options.
        harness::verify_options(json.as_bytes());
    }

    #[test]
    fn any_bytes_verify_and_inspect(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        harness::verify_notification(&data);
        harness::inspect_notification(&data);
    }

    #[test]
    fn any_string_verify_and_inspect(s in formish()) {
        harness::verify_notification(s.as_bytes());
        harness::inspect_notification(s.as_bytes());
    }
}

/// One mutation of a body.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Remove(usize),
    Append(String),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(i, x)| Mutation::Flip(i, x)),
        (
            any::<usize>(),
            prop_oneof![
                Just(b'&'),
                Just(b'='),
                Just(b'%'),
                Just(b'+'),
                Just(b' '),
                any::<u8>()
            ]
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Remove),
        prop_oneof![
            Just("&sign_type=RSA".to_owned()),
            Just("&sign=AAAA".to_owned()),
            Just("&charset=GBK".to_owned()),
            Just("&extra=1".to_owned()),
            Just("&&".to_owned()),
            Just("\r\n".to_owned()),
        ]
        .prop_map(Mutation::Append),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(body: &[u8], m: &Mutation) -> Vec<u8> {
    let mut b = body.to_vec();
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
    match m {
        Mutation::Flip(i, x) if !b.is_empty() => {
            let i = at(*i, b.len());
            b[i] ^= x;
        }
        Mutation::Insert(i, x) => b.insert(at(*i, b.len() + 1), *x),
        Mutation::Remove(i) if !b.is_empty() => {
            b.remove(at(*i, b.len()));
        }
        Mutation::Append(s) => b.extend_from_slice(s.as_bytes()),
        Mutation::Truncate(i) => b.truncate(at(*i, b.len())),
        _ => {}
    }
    b
}

proptest! {
    #![proptest_config(config(48))]

    /// Mutated signed notifications: a coded error, or verified over the very same content.
    #[test]
    fn mutated_signed_notifications_never_verify_changed_content(
        pick in any::<prop::sample::Index>(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let bodies = signed_bodies();
        let original = bodies[pick.index(bodies.len())].as_bytes();
        let key = PublicKey::parse(harness::KEY_PEM).unwrap();
        let mut body = original.to_vec();
        for m in &mutations {
            body = apply(&body, m);
        }
        harness::verify_notification(&body);
        let options = VerifyOptions::default();
        if let Ok(n) = verify(&body, &key, &options) {
            let content = |b: &[u8], v| sign_content(&Form::parse(b).unwrap(), v, EmptyValues::Keep);
            let now = content(&body, n.variant.unwrap());
            prop_assert!(
                now == content(original, Variant::V1) || now == content(original, Variant::V2),
                "a mutation changed the signed content and still verified"
            );
        }
    }
}

/// Param lists with unique, non-empty names (any bytes).
fn unique_params(max: usize) -> impl Strategy<Value = Vec<Param>> {
    proptest::collection::btree_map(
        proptest::collection::vec(any::<u8>(), 1..12),
        proptest::collection::vec(any::<u8>(), 0..24),
        0..max,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(name, value)| Param { name, value })
            .collect::<Vec<_>>()
    })
    .prop_shuffle()
}

/// One byte written in a randomly chosen valid way.
fn encode_byte(b: u8, choice: u8) -> String {
    let unreserved =
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'*' | b'~' | b'!');
    match (b, choice % 3) {
        (b' ', 0) => "+".to_owned(),
        (_, 0) if unreserved => char::from(b).to_string(),
        (_, 1) => format!("%{b:02x}"),
        _ => format!("%{b:02X}"),
    }
}

fn encode_randomly(raw: &[u8], choices: &[u8]) -> String {
    raw.iter()
        .enumerate()
        .map(|(i, b)| {
            encode_byte(
                *b,
                choices.get(i % choices.len().max(1)).copied().unwrap_or(0),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(config(256))]

    /// Encoding params then parsing gives the same params, in the same order.
    #[test]
    fn encode_then_parse_is_the_identity(params in unique_params(20)) {
        let body = harness::encode_form(&params);
        let form = Form::parse(body.as_bytes()).unwrap();
        prop_assert_eq!(form.params(), &params[..]);
        // form_urlencoded's serializer (space as `+`) gives the same, for text params.
        if params.iter().all(|p| std::str::from_utf8(&p.name).is_ok() && std::str::from_utf8(&p.value).is_ok()) {
            let mut s = form_urlencoded::Serializer::new(String::new());
            for p in &params {
                s.append_pair(std::str::from_utf8(&p.name).unwrap(), std::str::from_utf8(&p.value).unwrap());
            }
            let theirs = s.finish();
            let reparsed = Form::parse(theirs.as_bytes()).unwrap();
            prop_assert_eq!(reparsed.params(), &params[..]);
        }
    }

    /// `+` and `%20` are both a space, `%2B` is a `+`, hex case does not matter, and a safe
    /// byte escaped or not decodes to itself: every valid encoding round-trips, decoded once.
    #[test]
    fn plus_space_and_percent_encoding_round_trip(
        params in unique_params(8),
        choices in proptest::collection::vec(any::<u8>(), 1..16),
    ) {
        let body = params
            .iter()
            .map(|p| format!("{}={}", encode_randomly(&p.name, &choices), encode_randomly(&p.value, &choices[1..])))
            .collect::<Vec<_>>()
            .join("&");
        let form = Form::parse(body.as_bytes()).unwrap();
        prop_assert_eq!(form.params(), &params[..]);
        // Decoding is done once: an encoded body, encoded again, decodes to the encoded text.
        let twice = harness::encode_component(body.as_bytes());
        let once = Form::parse(format!("x={twice}").as_bytes()).unwrap();
        prop_assert_eq!(once.get("x").unwrap(), body.as_bytes());
    }

    /// The sign content is built from the sorted params: the order they arrive in is irrelevant.
    #[test]
    fn sign_content_is_independent_of_parameter_order(
        params in unique_params(24),
        seed in any::<u64>(),
    ) {
        let mut shuffled = params.clone();
        // A deterministic permutation from the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let a = Form::from_params(params).unwrap();
        let b = Form::from_params(shuffled).unwrap();
        for variant in [Variant::V1, Variant::V2] {
            for empty in [EmptyValues::Keep, EmptyValues::Skip] {
                prop_assert_eq!(sign_content(&a, variant, empty), sign_content(&b, variant, empty));
            }
        }
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// A signed notification with its parameters reordered verifies the same way.
    #[test]
    fn verdict_is_independent_of_parameter_order(
        pick in any::<prop::sample::Index>(),
        order in Just((0..64usize).collect::<Vec<_>>()).prop_shuffle(),
    ) {
        let bodies = signed_bodies();
        let body = &bodies[pick.index(bodies.len())];
        let key = PublicKey::parse(harness::KEY_PEM).unwrap();
        let options = VerifyOptions::default();
        let n = verify(body.as_bytes(), &key, &options).unwrap();
        let params = Form::parse(body.as_bytes()).unwrap().params().to_vec();
        let mut idx: Vec<usize> = order.iter().copied().filter(|i| *i < params.len()).collect();
        idx.extend(order.len()..params.len());
        let reordered: Vec<Param> = idx.iter().map(|i| params[*i].clone()).collect();
        prop_assert_eq!(reordered.len(), params.len());
        let again = verify(harness::encode_form(&reordered).as_bytes(), &key, &options).unwrap();
        prop_assert_eq!(again.variant, n.variant);
        prop_assert_eq!(again.params.0.len(), n.params.0.len());
        prop_assert!(parse(harness::encode_form(&reordered).as_bytes(), &options).is_ok());
    }
}

// ─── differential: Form::parse vs the form_urlencoded crate ─────────────────────────────

/// Strings over the form alphabet: characters, `+`, valid and malformed escapes, `=`, `&`.
fn differential_input() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        4 => "[a-e]",
        2 => Just("=".to_owned()),
        2 => Just("&".to_owned()),
        1 => Just("+".to_owned()),
        1 => Just(" ".to_owned()),
        1 => Just("%20".to_owned()),
        1 => Just("%2B".to_owned()),
        1 => Just("%26".to_owned()),
        1 => Just("%3D".to_owned()),
        1 => Just("%25".to_owned()),
        1 => Just("%61".to_owned()),
        1 => Just("%e4%b8%ad".to_owned()),
        1 => Just("%C3%BC".to_owned()),
        1 => Just("中".to_owned()),
        1 => Just("ü".to_owned()),
        1 => Just("%".to_owned()),
        1 => Just("%4".to_owned()),
        1 => Just("%g1".to_owned()),
        1 => Just("%%".to_owned()),
        1 => Just("#".to_owned()),
        1 => Just(";".to_owned()),
    ];
    proptest::collection::vec(token, 0..20).prop_map(|t| t.concat())
}

/// Whether some `%` is not followed by two hex digits (what we reject as `MALFORMED_FORM`).
fn has_malformed_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, c)| {
        *c == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn form_parse_agrees_with_form_urlencoded(input in differential_input()) {
        let reference: Vec<(String, String)> = form_urlencoded::parse(input.as_bytes())
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        // Only where the reference is lossless (its decoding replaces invalid UTF-8 with U+FFFD).
        prop_assume!(reference.iter().all(|(n, v)| !n.contains('\u{fffd}') && !v.contains('\u{fffd}')));
        prop_assume!(reference.len() <= MAX_PARAMS);
        let empty_name = reference.iter().any(|(n, _)| n.is_empty());
        let mut names: Vec<&str> = reference.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        let duplicate = names.windows(2).any(|w| w[0] == w[1]);
        match Form::parse(input.as_bytes()) {
            Ok(form) => {
                prop_assert!(!has_malformed_escape(&input) && !empty_name && !duplicate, "accepted {:?}", input);
                let ours: Vec<(String, String)> = form
                    .params()
                    .iter()
                    .map(|p| (String::from_utf8(p.name.clone()).unwrap(), String::from_utf8(p.value.clone()).unwrap()))
                    .collect();
                prop_assert_eq!(ours, reference);
            }
            Err(e) => {
                let code = e.code();
                prop_assert!(ERROR_CODES.contains(&code));
                if has_malformed_escape(&input) || empty_name {
                    prop_assert_eq!(code, "MALFORMED_FORM", "{:?}", input);
                } else {
                    prop_assert!(duplicate, "rejected {:?} ({}) though the reference sees no duplicate", input, e);
                    prop_assert_eq!(code, "DUPLICATE_PARAMETER");
                }
            }
        }
    }
}

// ─── low-exponent forgeries ─────────────────────────────────────────────────────────────

/// Bleichenbacher's e = 3 forgery (2006): `s = ⌈∛(00 01 FF 00 ‖ DigestInfo ‖ garbage)⌉`, whose
/// cube carries the right prefix and the hash followed by garbage — accepted by verifiers that
/// parse the padding instead of comparing it whole. Against a random e = 3 modulus (no private
/// key is needed to forge), the notification must be refused.
fn e3_forgery(modulus_seed: &[u8], digest_info: &[u8]) -> (PublicKey, Vec<u8>) {
    use num_bigint::BigUint;
    let k = 256; // 2048-bit modulus: the garbage is long enough for the cube root to land
    let mut n = vec![0xffu8; k];
    for (i, b) in modulus_seed.iter().enumerate() {
        n[2 + i % (k - 3)] ^= b;
    }
    n[k - 1] |= 1;
    let key = PublicKey::from_components(&n, &[3]).unwrap();
    let mut target = vec![0x00, 0x01, 0xff, 0x00];
    target.extend_from_slice(digest_info);
    target.resize(k, 0xff);
    let s = BigUint::from_bytes_be(&target).cbrt();
    let cube = s.pow(3u32).to_bytes_be();
    let mut padded = vec![0u8; k - cube.len()];
    padded.extend(cube);
    // What a lax verifier would see: the prefix and the hash, then garbage.
    assert_eq!(
        &padded[..4 + digest_info.len()],
        &target[..4 + digest_info.len()]
    );
    let mut sig = s.to_bytes_be();
    sig.splice(0..0, std::iter::repeat_n(0u8, k - sig.len()));
    (key, sig)
}

proptest! {
    #![proptest_config(config(16))]

    #[test]
    fn e3_signature_forgeries_are_refused(
        modulus_seed in proptest::collection::vec(any::<u8>(), 1..32),
        value in "[a-z0-9]{1,16}",
    ) {
        use base64::Engine as _;
        use sha2::Digest as _;
        // The V1 content of `a=<value>&sign=…&sign_type=RSA2` is `a=<value>`.
        let content = format!("a={value}");
        let mut digest_info = vec![
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
            0x05, 0x00, 0x04, 0x20,
        ];
        digest_info.extend(sha2::Sha256::digest(content.as_bytes()));
        let (key, sig) = e3_forgery(&modulus_seed, &digest_info);
        let sign = base64::engine::general_purpose::STANDARD.encode(&sig);
        let body = format!("{content}&sign={}&sign_type=RSA2", harness::encode_component(sign.as_bytes()));
        let err = verify(body.as_bytes(), &key, &VerifyOptions::default()).unwrap_err();
        prop_assert_eq!(err.code(), "SIGNATURE_MISMATCH");
        let err = alipay_notify::crypto::verify_digest_info(&key, &digest_info, &sig).unwrap_err();
        prop_assert_eq!(err.code(), "SIGNATURE_MISMATCH");
    }
}

/// Re-frames a body without changing its signed bytes: the parameters at sign-order positions
/// `at..at + run` fold into the first (`a=x&b=y` → `a=x%26b%3Dy`), or, with `into_name`, the
/// first's name also absorbs its value and the next name (`a%3Dx%26b=y`).
fn reframe(body: &str, variant: Variant, at: usize, run: usize, into_name: bool) -> Option<String> {
    // Plain form bodies only (the vectors also hold whole URLs and `?query` strings).
    if body.contains(['?', '\r', '\n']) {
        return None;
    }
    let mut segs: Vec<(String, String)> = body
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (n, v) = s.split_once('=').unwrap_or((s, ""));
            (n.to_owned(), v.to_owned())
        })
        .collect();
    let form = Form::parse(body.as_bytes()).ok()?;
    let names: Vec<Vec<u8>> = form.params().iter().map(|p| p.name.clone()).collect();
    let mut order: Vec<usize> = (0..segs.len())
        .filter(|i| names[*i] != b"sign" && !(variant == Variant::V1 && names[*i] == b"sign_type"))
        .collect();
    order.sort_by(|a, b| names[*a].cmp(&names[*b]));
    let run = order.get(at % order.len().max(1)..)?.get(..run)?.to_vec();
    let (head, rest) = run.split_first()?;
    let mut hidden = Vec::new();
    for (k, i) in rest.iter().enumerate() {
        let (n, v) = segs[*i].clone();
        if into_name && k == 0 {
            let (hn, hv) = segs[*head].clone();
            segs[*head] = (format!("{hn}%3D{hv}%26{n}"), v);
        } else {
            segs[*head].1 = format!("{}%26{n}%3D{v}", segs[*head].1);
        }
        hidden.push(*i);
    }
    let kept: Vec<String> = segs
        .iter()
        .enumerate()
        .filter(|(i, _)| !hidden.contains(i))
        .map(|(_, (n, v))| format!("{n}={v}"))
        .collect();
    Some(kept.join("&"))
}

proptest! {
    #![proptest_config(config(64))]

    /// For any notification that verifies, no re-framing of it verifies: the signature stays
    /// valid over the same bytes, and the one-reading rule refuses the other split.
    #[test]
    fn reframed_notifications_never_verify(
        pick in any::<prop::sample::Index>(),
        at in any::<usize>(),
        run in 2usize..5,
        into_name in any::<bool>(),
    ) {
        let bodies = signed_bodies();
        let original = &bodies[pick.index(bodies.len())];
        let key = PublicKey::parse(harness::KEY_PEM).unwrap();
        let options = VerifyOptions::default();
        let genuine = verify(original.as_bytes(), &key, &options).unwrap();
        let variant = genuine.variant.unwrap();
        let Some(body) = reframe(original, variant, at, run, into_name) else { return Ok(()) };
        let form = match Form::parse(body.as_bytes()) {
            Ok(form) => form,
            // A name absorbing a long value goes over the name limit: refused before reading.
            Err(e) => {
                prop_assert_eq!(e.code(), "INPUT_TOO_LARGE");
                prop_assert!(verify(body.as_bytes(), &key, &options).is_err());
                return Ok(());
            }
        };
        // The point of the re-framing: the signed bytes are unchanged.
        prop_assert_eq!(
            sign_content(&form, variant, EmptyValues::Keep),
            sign_content(&Form::parse(original.as_bytes()).unwrap(), variant, EmptyValues::Keep)
        );
        let err = verify(body.as_bytes(), &key, &options).unwrap_err();
        prop_assert_eq!(err.code(), "AMBIGUOUS_FRAMING", "{}", body);
    }
}
