//! What each fuzz target does with its input, shared by the `cargo fuzz` targets
//! (`fuzz_targets/*.rs`) and by the stable replay of the committed corpus
//! (`tests/fuzz_corpus.rs`, which includes this file).
//!
//! Every function feeds one input to a public entry point a request (or a configuration) can
//! reach and checks the contract: a result, or an [`Error`] whose code is a stable one — never
//! a panic, which in wasm is a trap that poisons the instance. Where the result has invariants
//! that are cheap to check, they are checked too.

use alipay_notify::{
    inspect, parse, verify, EmptyValues, Error, Form, Param, PublicKey, RsaCheckOptions, SignType,
    Variant, VariantChoice, VerifyOptions, ERROR_CODES, MAX_BODY_BYTES, MAX_KEY_BITS,
    MAX_NAME_BYTES, MAX_PARAMS, MAX_VALUE_BYTES, MIN_KEY_BITS,
};

/// The fixed key of the `verify` and `inspect` targets: the test signer that stands in for
/// Alipay in `tests/vectors/notifications` (most vector bodies, hence most seeds, verify with it).
pub const KEY_PEM: &str =
    include_str!("../../tests/vectors/notifications/keys/alipay-rsa2048-public.pem");

/// The corpus folders (`fuzz/corpus/<target>`), one per target, in the order they are run.
pub const TARGETS: &[&str] = &[
    "form_parse",
    "parse",
    "verify",
    "inspect",
    "public_key",
    "verify_options",
];

/// Runs the named target on one input (the replay test's dispatcher).
pub fn run(target: &str, data: &[u8]) {
    match target {
        "form_parse" => form_parse(data),
        "parse" => parse_notification(data),
        "verify" => verify_notification(data),
        "inspect" => inspect_notification(data),
        "public_key" => public_key(data),
        "verify_options" => verify_options(data),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// An error must carry one of the stable codes, and one the operation is documented to return.
fn check_error(e: &Error, allowed: &[&str]) {
    let code = e.code();
    assert!(ERROR_CODES.contains(&code), "unknown error code {code}");
    assert!(
        allowed.contains(&code),
        "{code} is not an error this operation returns: {e}"
    );
    // Display must work (the bindings put it in the JS error's message).
    assert!(!e.to_string().is_empty());
}

/// The option profiles the notification targets run every input under.
fn option_profiles() -> [VerifyOptions; 3] {
    [
        // The defaults: auto, RSA2 only, empty values kept, UTF-8 when undeclared.
        VerifyOptions::default(),
        // Permissive: legacy SHA-1 admitted, empty values skipped, GBK when undeclared.
        VerifyOptions {
            sign_types: vec![SignType::Rsa2, SignType::Rsa],
            empty_values: EmptyValues::Skip,
            charset: Some(alipay_notify::Charset::Gbk),
            ..VerifyOptions::default()
        },
        // Strict: pinned V1, app id and freshness checked.
        VerifyOptions {
            variant: VariantChoice::Only(Variant::V1),
            app_id: Some("2021004100000001".into()),
            now_ms: Some(1_716_170_827_000),
            max_age_seconds: Some(300),
            ..VerifyOptions::default()
        },
    ]
}

/// Percent-encodes every byte that is not unreserved (the strictest encoding: `+` and space
/// both escaped), so that decoding gives back exactly `raw`.
pub fn encode_component(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len() * 3);
    for &b in raw {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'*') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Encodes params as a form body.
pub fn encode_form(params: &[Param]) -> String {
    params
        .iter()
        .map(|p| {
            format!(
                "{}={}",
                encode_component(&p.name),
                encode_component(&p.value)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `Form::parse`: limits hold on success, and encoding the params back gives the same form.
pub fn form_parse(data: &[u8]) {
    match Form::parse(data) {
        Ok(form) => {
            assert!(data.len() <= MAX_BODY_BYTES);
            assert!(form.len() <= MAX_PARAMS);
            for p in form.params() {
                assert!(!p.name.is_empty() && p.name.len() <= MAX_NAME_BYTES);
                assert!(p.value.len() <= MAX_VALUE_BYTES);
            }
            let mut names: Vec<&[u8]> = form.params().iter().map(|p| p.name.as_slice()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), form.len(), "a duplicate name was accepted");
            // Re-encoded (escapes triple the size, so only where it stays under the body limit).
            let again = encode_form(form.params());
            if again.len() <= MAX_BODY_BYTES {
                let reparsed = Form::parse(again.as_bytes()).expect("re-encoded form parses");
                assert_eq!(reparsed, form, "encode → parse is not the identity");
            }
            // Built from the decoded pairs, the same checks pass.
            assert_eq!(
                Form::from_params(form.params().to_vec()).as_ref(),
                Ok(&form)
            );
        }
        Err(e) => check_error(
            &e,
            &["MALFORMED_FORM", "DUPLICATE_PARAMETER", "INPUT_TOO_LARGE"],
        ),
    }
}

const PARSE_ERRORS: &[&str] = &[
    "MALFORMED_FORM",
    "DUPLICATE_PARAMETER",
    "INPUT_TOO_LARGE",
    "UNSUPPORTED_CHARSET",
    "CHARSET_MISMATCH",
    "INVALID_BIZ_CONTENT",
];

/// `parse`: never `verified`, serialises to JSON (what the bindings return).
pub fn parse_notification(data: &[u8]) {
    for options in &option_profiles() {
        match parse(data, options) {
            Ok(n) => {
                assert!(!n.verified && n.variant.is_none());
                let json = serde_json::to_string(&n).expect("a notification serialises");
                assert!(json.starts_with('{'));
            }
            Err(e) => check_error(&e, PARSE_ERRORS),
        }
    }
}

/// `verify` with the fixed key: a result is verified, with the variant that matched.
pub fn verify_notification(data: &[u8]) {
    let key = fixed_key();
    for options in &option_profiles() {
        match verify(data, &key, options) {
            Ok(n) => {
                assert!(n.verified);
                let variant = n
                    .variant
                    .expect("a verified notification names its variant");
                if let VariantChoice::Only(v) = options.variant {
                    assert_eq!(variant, v);
                }
                let t = n
                    .sign_type
                    .expect("a verified notification names its sign type");
                assert!(options.sign_types.contains(&t));
                serde_json::to_string(&n).expect("a notification serialises");
            }
            Err(e) => check_error(
                &e,
                &[
                    "MALFORMED_FORM",
                    "DUPLICATE_PARAMETER",
                    "INPUT_TOO_LARGE",
                    "UNSUPPORTED_CHARSET",
                    "CHARSET_MISMATCH",
                    "INVALID_BIZ_CONTENT",
                    "MISSING_PARAMETER",
                    "UNSUPPORTED_SIGN_TYPE",
                    "MALFORMED_SIGNATURE",
                    "SIGNATURE_MISMATCH",
                    "APP_ID_MISMATCH",
                    "NOTIFICATION_EXPIRED",
                ],
            ),
        }
    }
}

/// `inspect`: never fails, serialises, and agrees with `verify` on the verdict.
pub fn inspect_notification(data: &[u8]) {
    let key = fixed_key();
    for options in &option_profiles() {
        let report = inspect(data, Some(KEY_PEM), options);
        let verified = verify(data, &key, options);
        assert_eq!(
            report.outcome.status == "verified",
            verified.is_ok(),
            "inspect and verify disagree: {:?} vs {:?}",
            report.outcome,
            verified.err()
        );
        assert!(matches!(
            report.outcome.status,
            "verified" | "failed" | "error"
        ));
        for p in &report.problems {
            assert!(!p.code.is_empty() && !p.message.is_empty());
        }
        serde_json::to_string(&report).expect("a report serialises");
    }
    // Without a key: a report all the same.
    let report = inspect(data, None, &VerifyOptions::default());
    assert_eq!(report.outcome.status, "error");
    serde_json::to_string(&report).expect("a report serialises");
    // The input read as key text, too (the debugging page takes both from a person).
    if let Ok(text) = core::str::from_utf8(data) {
        let report = inspect(
            b"sign=AAAA&sign_type=RSA2&a=1",
            Some(text),
            &VerifyOptions::default(),
        );
        serde_json::to_string(&report).expect("a report serialises");
    }
}

/// `PublicKey::parse` (the text, lossily read as UTF-8) and `PublicKey::from_der` (the bytes).
pub fn public_key(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_key(PublicKey::parse(&text));
    check_key(PublicKey::from_der(data));
    check_key(PublicKey::from_pkcs1_der(data));
}

fn check_key(result: Result<PublicKey, Error>) {
    match result {
        Ok(k) => {
            assert!((MIN_KEY_BITS..=MAX_KEY_BITS).contains(&k.bits()));
            assert!(k.exponent() >= 3 && k.exponent() % 2 == 1);
            assert_eq!(k.modulus().last().map(|b| b & 1), Some(1));
            assert_eq!(k.size(), k.bits().div_ceil(8));
        }
        Err(e) => check_error(&e, &["INVALID_PUBLIC_KEY", "INPUT_TOO_LARGE"]),
    }
}

/// `VerifyOptions::from_json` and `RsaCheckOptions::from_json` on the input as text.
pub fn verify_options(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match VerifyOptions::from_json(&text) {
        Ok(o) => {
            assert!(!o.sign_types.is_empty());
            if o.max_age_seconds.is_some() {
                assert!(o.now_ms.is_some());
            }
            // Options that parse never make a verification or a parse panic.
            let body = include_bytes!("../../tests/vectors/doc/order-notify-2020.txt");
            if let Err(e) = parse(body, &o) {
                check_error(&e, PARSE_ERRORS);
            }
            if let Err(e) = verify(body, &doc_key(), &o) {
                assert!(ERROR_CODES.contains(&e.code()));
            }
        }
        Err(e) => check_error(&e, &["INVALID_OPTIONS"]),
    }
    if let Err(e) = RsaCheckOptions::from_json(&text) {
        check_error(&e, &["INVALID_OPTIONS"]);
    }
}

fn fixed_key() -> PublicKey {
    PublicKey::parse(KEY_PEM).expect("the fixed key parses")
}

fn doc_key() -> PublicKey {
    PublicKey::parse(include_str!(
        "../../tests/vectors/doc/alipay-public-key.txt"
    ))
    .expect("the documentation key parses")
}
