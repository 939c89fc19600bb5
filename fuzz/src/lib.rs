//! What each fuzz target does with its input, shared by the `cargo fuzz` targets
//! (`fuzz_targets/*.rs`) and by the stable replay of the committed corpus
//! (`tests/fuzz_corpus.rs`, which includes this file).
//!
//! Every function feeds one input to a public entry point a request (or a configuration) can
//! reach and checks the contract: a result, or an [`Error`] whose code is a stable one — never
//! a panic, which in wasm is a trap that poisons the instance. Where the result has invariants
//! that are cheap to check, they are checked too.

use alipay_notify::crypto::{SignType, MAX_KEY_BITS, MIN_KEY_BITS};
use alipay_notify::encoding::{
    Form, Param, MAX_BODY_BYTES, MAX_NAME_BYTES, MAX_PARAMS, MAX_VALUE_BYTES,
};
use alipay_notify::notify::{EmptyValues, RsaCheckOptions, VariantChoice};
use alipay_notify::trust::check_key_chain;
use alipay_notify::x509::{
    check_alipay_certificate, get_cert_sn, get_root_cert_sn, verify_cert_chain,
};
use alipay_notify::{
    inspect, parse, verify, Error, PublicKey, Variant, VerifyOptions, ERROR_CODES,
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
    "certificate",
    "verify_response",
    "openapi_reply",
    "private_key",
    "lifecycle_json",
    "inspect_request",
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
        "certificate" => certificate(data),
        "verify_response" => response(data),
        "openapi_reply" => openapi_reply(data),
        "private_key" => private_key(data),
        "lifecycle_json" => lifecycle_json(data),
        "inspect_request" => request(data),
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
            charset: Some(alipay_notify::encoding::Charset::Gbk),
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
                assert_one_reading(&n.params.0);
                assert_eq!(n.fingerprint.as_ref().map(String::len), Some(64));
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
                    "AMBIGUOUS_FRAMING",
                    "APP_ID_MISMATCH",
                    "NOTIFICATION_EXPIRED",
                ],
            ),
        }
    }
}

/// A verified notification admits no other reading of its signed content: no name holds `&` or
/// `=`, no value `&k=` with `k` sorting after its own name (written out again here, apart from
/// the crate's own check; the order is compared for ASCII names, where text order is byte order in
/// every charset).
fn assert_one_reading(params: &[(String, String)]) {
    for (name, value) in params.iter().filter(|(n, _)| n != "sign") {
        assert!(
            !name.contains(['&', '=']),
            "verified with `{name}` as a name"
        );
        for piece in value.split('&').skip(1) {
            if let Some((k, _)) = piece.split_once('=') {
                let comparable = k.is_ascii() && name.is_ascii() && !k.is_empty();
                assert!(
                    !comparable || k.as_bytes() <= name.as_bytes(),
                    "verified `{name}` holding `&{k}=`"
                );
            }
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

/// Alipay's genuine certificate file (leaf + its intermediate): the `certificate` target puts its
/// input before and after it, the shape of the PEM-armour bypass, so that a chain that can
/// succeed is always in reach.
pub const GENUINE_CERT: &str =
    include_str!("../../tests/vectors/cert/real/alipayCertPublicKey_RSA2.php-sdk.crt");
/// Alipay's production root bundle, which trusts [`GENUINE_CERT`] at [`CERT_NOW_MS`].
pub const ROOT_BUNDLE: &str = include_str!("../../tests/vectors/cert/real/alipayRootCert.crt");
/// 2024-06-01T12:00:00Z: inside the genuine certificates' validity.
pub const CERT_NOW_MS: i64 = 1_717_243_200_000;

/// The test root of `tests/vectors/cert/armour.json`'s identity cases (certificates named like
/// Alipay's and like applications'), so that the identity check is reached past the chain.
fn identity_root() -> &'static str {
    static ROOT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/vectors/cert/armour.json"))
                .expect("armour.json parses");
        v["identity_root_bundle_pem"]
            .as_str()
            .expect("armour.json has the identity root")
            .to_string()
    })
}

const CERT_ERRORS: &[&str] = &["INVALID_CERTIFICATE", "INPUT_TOO_LARGE"];
const CHAIN_ERRORS: &[&str] = &[
    "INVALID_CERTIFICATE",
    "INPUT_TOO_LARGE",
    "CERT_UNTRUSTED",
    "CERT_EXPIRED",
];
const IDENTITY_ERRORS: &[&str] = &[
    "INVALID_CERTIFICATE",
    "INPUT_TOO_LARGE",
    "CERT_UNTRUSTED",
    "CERT_EXPIRED",
    "CERT_NOT_ALIPAY",
];

/// The PEM/certificate reader and the chain check: the input (lossily read as UTF-8) as a
/// certificate text alone, before Alipay's genuine file and after it; and as a root bundle.
pub fn certificate(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    certificate_text(&text, ROOT_BUNDLE);
    certificate_text(&text, identity_root());
    // The genuine file only chains to the production root: the test root would add cost, not
    // paths.
    certificate_text(&format!("{text}{GENUINE_CERT}"), ROOT_BUNDLE);
    certificate_text(&format!("{GENUINE_CERT}{text}"), ROOT_BUNDLE);
    // (A bundle can trust and still have no root SN: the chain check skips an unreadable root,
    // the SN refuses an unreadable RSA one, as Alipay's SDKs do.)
    if let Err(e) = verify_cert_chain(GENUINE_CERT, &text, CERT_NOW_MS) {
        check_error(&e, CHAIN_ERRORS);
    }
    if let Err(e) = get_root_cert_sn(&text) {
        check_error(&e, CERT_ERRORS);
    }
}

/// One certificate text against one root bundle. Beyond coded errors, the contract of the one
/// PEM reader: a key taken from a certificate is the certificate the other functions read — its
/// SN is `get_cert_sn`'s, its chain check (`alipayRootCert`) agrees with `verify_cert_chain` —
/// and Alipay's identity is never granted without the chain.
fn certificate_text(text: &str, root: &str) {
    let key = PublicKey::parse(text);
    let sn = get_cert_sn(text);
    let chain = verify_cert_chain(text, root, CERT_NOW_MS);
    let alipay = check_alipay_certificate(text, root, CERT_NOW_MS);
    if let Err(e) = &key {
        check_error(e, &["INVALID_PUBLIC_KEY", "INPUT_TOO_LARGE"]);
    }
    if let Err(e) = &sn {
        check_error(e, CERT_ERRORS);
    }
    if let Err(e) = &chain {
        check_error(e, CHAIN_ERRORS);
    }
    if let Err(e) = &alipay {
        check_error(e, IDENTITY_ERRORS);
    }
    if let Ok(k) = &key {
        check_key(Ok(k.clone()));
        if let Some(key_sn) = k.cert_sn() {
            assert_eq!(
                sn.as_deref(),
                Ok(key_sn),
                "the key's SN is not get_cert_sn's"
            );
            let options = VerifyOptions {
                alipay_root_cert: Some(root.to_string()),
                now_ms: Some(CERT_NOW_MS),
                ..VerifyOptions::default()
            };
            assert_eq!(
                check_key_chain(k, options.alipay_root_cert.as_deref(), options.now_ms)
                    .map_err(|e| e.code()),
                chain.as_ref().map(|_| ()).map_err(|e| e.code()),
                "the key's chain check disagrees with verify_cert_chain"
            );
        }
    }
    if chain.is_ok() {
        assert!(sn.is_ok(), "a trusted certificate has no SN");
    }
    if alipay.is_ok() {
        assert!(chain.is_ok(), "Alipay's identity without the chain");
    }
    if let Err(Error::CertNotAlipay { .. }) = &alipay {
        assert!(
            chain.is_ok(),
            "CERT_NOT_ALIPAY for a certificate that does not chain"
        );
    }
}

/// The keys of the `verify_response` target: the real key of the real `alipay.open.file.upload`
/// response (bare PEM), and the test certificate that signs `tests/vectors/cert/generated.json`'s
/// responses (so its SN is compared with `alipay_cert_sn`). Most response seeds verify with one.
fn response_keys() -> &'static [PublicKey; 2] {
    static KEYS: std::sync::OnceLock<[PublicKey; 2]> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let generated: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/vectors/cert/generated.json"))
                .expect("generated.json parses");
        let cert = generated["response"][0]["key_pem"]
            .as_str()
            .expect("generated.json has a response key");
        [
            PublicKey::parse(include_str!(
                "../../tests/vectors/cert/real/alipay-public-key-file-upload.pem"
            ))
            .expect("the real response key parses"),
            PublicKey::parse(cert).expect("the generated response certificate parses"),
        ]
    })
}

/// The methods tried on every response input (those of the seeds).
const RESPONSE_METHODS: &[&str] = &[
    "alipay.open.file.upload",
    "alipay.trade.query",
    "alipay.trade.pay",
];

const RESPONSE_ERRORS: &[&str] = &[
    "MALFORMED_RESPONSE",
    "MISSING_PARAMETER",
    "MALFORMED_SIGNATURE",
    "CERT_SN_MISMATCH",
    "SIGNATURE_MISMATCH",
    "INPUT_TOO_LARGE",
];

/// The top-level keys of a JSON object in order, duplicates kept: an independent reading (serde's
/// map access, not the crate's scanner) to hold the crate's duplicate check against.
struct TopLevelKeys(Vec<String>);

impl<'de> serde::Deserialize<'de> for TopLevelKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = TopLevelKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<TopLevelKeys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(TopLevelKeys(keys))
            }
        }
        d.deserialize_map(Keys)
    }
}

/// `verify_response` (the input, lossily read as UTF-8, as the bindings read bytes) with each key,
/// method and sign type; then `verify_v3_response` on the input split as
/// `timestamp\nnonce\nsignature\nbody`.
///
/// Beyond coded errors, checked against an independent reading of the body (`serde_json`): JSON
/// that does not parse, or an object with a repeated top-level key, is `MALFORMED_RESPONSE`; a
/// verified response is a member of the body, its signed text appears in the body verbatim, and
/// the value returned is that text parsed.
pub fn response(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = serde_json::from_str::<serde_json::Value>(&text);
    let keys = serde_json::from_str::<TopLevelKeys>(&text)
        .ok()
        .map(|k| k.0);
    let repeated = keys.as_ref().is_some_and(|k| {
        let mut sorted = k.clone();
        sorted.sort_unstable();
        sorted.windows(2).any(|w| w[0] == w[1])
    });
    for key in response_keys() {
        for method in RESPONSE_METHODS {
            for sign_type in [SignType::Rsa2, SignType::Rsa] {
                let result = alipay_notify::openapi::verify_response(&text, key, method, sign_type);
                let too_large = text.len() > alipay_notify::openapi::MAX_RESPONSE_BYTES;
                if !too_large && (parsed.is_err() || repeated) {
                    assert_eq!(
                        result.as_ref().map_err(Error::code).err(),
                        Some("MALFORMED_RESPONSE"),
                        "not one JSON object (parses: {}, repeated key: {repeated})",
                        parsed.is_ok()
                    );
                }
                match result {
                    Ok(r) => {
                        let object = parsed
                            .as_ref()
                            .ok()
                            .and_then(|v| v.as_object())
                            .expect("a verified body is a JSON object");
                        let own = format!("{}_response", method.replace('.', "_"));
                        assert!(r.response_key == own || r.response_key == "error_response");
                        assert_eq!(r.is_error, r.response_key == "error_response");
                        assert!(
                            !(object.contains_key(&own) && object.contains_key("error_response")),
                            "verified although both response keys are present"
                        );
                        assert_eq!(object.get(&r.response_key), Some(&r.response));
                        assert!(
                            text.contains(&r.signed_content),
                            "signed text not in the body"
                        );
                        let reparsed: serde_json::Value = serde_json::from_str(&r.signed_content)
                            .expect("the signed text is JSON");
                        assert_eq!(reparsed, r.response);
                        assert_eq!(
                            r.alipay_cert_sn.as_deref(),
                            object.get("alipay_cert_sn").and_then(|v| v.as_str())
                        );
                        serde_json::to_string(&r.response).expect("a response serialises");
                    }
                    Err(e) => check_error(&e, RESPONSE_ERRORS),
                }
            }
        }
    }
    let mut parts = text.splitn(4, '\n');
    if let (Some(timestamp), Some(nonce), Some(signature), Some(body)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    {
        let key = &response_keys()[1];
        if let Err(e) = alipay_notify::openapi::verify_v3_response(
            timestamp,
            nonce,
            body.as_bytes(),
            signature,
            key,
        ) {
            check_error(
                &e,
                &[
                    "MALFORMED_SIGNATURE",
                    "SIGNATURE_MISMATCH",
                    "INPUT_TOO_LARGE",
                ],
            );
        }
    }
}

/// The keys of the OpenAPI targets: the throw-away "Alipay" key of the OpenAPI vectors, and the
/// key of their Alipay certificate (certificate mode: the answer's SN is checked).
fn openapi_keys() -> &'static [PublicKey; 2] {
    static KEYS: std::sync::OnceLock<[PublicKey; 2]> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        [
            PublicKey::parse(include_str!(
                "../../tests/vectors/openapi/keys/alipay-public.pem"
            ))
            .expect("the OpenAPI Alipay key parses"),
            PublicKey::parse(include_str!(
                "../../tests/vectors/openapi/keys/alipayCertPublicKey_RSA2.crt"
            ))
            .expect("the OpenAPI Alipay certificate parses"),
        ]
    })
}

/// What reading an answer may fail with.
const REPLY_ERRORS: &[&str] = &[
    "ALIPAY_API_ERROR",
    "CERT_SN_MISMATCH",
    "INPUT_TOO_LARGE",
    "MALFORMED_RESPONSE",
    "MALFORMED_SIGNATURE",
    "MISSING_PARAMETER",
    "SIGNATURE_MISMATCH",
    "UNEXPECTED_RESPONSE",
];

/// `openapi::read_v3_reply` and `read_v2_reply` on one answer, written
/// `status\ntimestamp\nnonce\nsignature\nalipay-sn\nbody` (an empty line is a missing header).
/// Data comes back only when it was verified: a v3 success with a signature, a v2 `10000`.
pub fn openapi_reply(data: &[u8]) {
    use alipay_notify::openapi::{read_v2_reply, read_v3_reply, V3Reply};
    let mut parts = data.splitn(6, |b| *b == b'\n');
    let mut header = || {
        parts
            .next()
            .and_then(|p| core::str::from_utf8(p).ok())
            .filter(|s| !s.is_empty())
    };
    let status = header().and_then(|s| s.parse::<u16>().ok()).unwrap_or(200);
    let (timestamp, nonce, signature, alipay_sn) = (header(), header(), header(), header());
    let consumed = [timestamp, nonce, signature, alipay_sn]
        .iter()
        .map(|h| h.map_or(0, str::len) + 1)
        .sum::<usize>()
        + data
            .iter()
            .position(|b| *b == b'\n')
            .map_or(data.len(), |i| i + 1);
    let body = data.get(consumed.min(data.len())..).unwrap_or(&[]);
    for key in openapi_keys() {
        let reply = V3Reply {
            status,
            body,
            timestamp,
            nonce,
            signature,
            alipay_sn,
            trace_id: None,
        };
        match read_v3_reply(&reply, key) {
            Ok(r) => {
                assert!((200..300).contains(&status), "data from HTTP {status}");
                assert!(signature.is_some(), "unsigned data was returned");
                assert_eq!(r.signed_content.as_bytes(), body);
            }
            Err(e) => check_error(&e, REPLY_ERRORS),
        }
        let text = String::from_utf8_lossy(body);
        for method in [
            "alipay.open.servicemarket.order.query",
            "alipay.open.file.upload",
        ] {
            match read_v2_reply(status, &text, method, key) {
                Ok(r) => {
                    assert_eq!(r.data.get("code").and_then(|c| c.as_str()), Some("10000"));
                    assert!(text.contains(&r.signed_content));
                }
                Err(e) => check_error(&e, REPLY_ERRORS),
            }
        }
    }
}

/// `openapi::PrivateKey::parse` / `from_der`: a key that parses is a usable RSA key whose public
/// half is its own; a refusal is coded and never repeats the input (it may be a secret).
pub fn private_key(data: &[u8]) {
    use alipay_notify::openapi::PrivateKey;
    let text = String::from_utf8_lossy(data);
    for result in [PrivateKey::parse(&text), PrivateKey::from_der(data)] {
        match result {
            Ok(k) => {
                assert!((MIN_KEY_BITS..=MAX_KEY_BITS).contains(&k.bits()));
                assert!(!k.pkcs8_der().is_empty());
                let public = k
                    .public_key()
                    .expect("a parsed private key has a public key");
                assert!(k.is_own_public_key(&public));
                let again = PrivateKey::from_der(k.pkcs8_der()).expect("its PKCS#8 parses");
                assert_eq!(again.pkcs8_der(), k.pkcs8_der());
            }
            Err(e) => {
                check_error(&e, &["INVALID_PRIVATE_KEY", "INPUT_TOO_LARGE"]);
                let message = e.to_string();
                let secret = text.trim();
                assert!(
                    secret.len() < 16 || !message.contains(secret),
                    "the error repeats the key text"
                );
            }
        }
    }
}

/// The lifecycle's JSON readers (`Event::from_json`, `OrderState::from_json`) on the input as
/// `[state, event]` (or anything else): what they accept, `apply` takes without a panic, and the
/// state it returns reads back as itself.
pub fn lifecycle_json(data: &[u8]) {
    use alipay_notify::servicemarket::{apply, Event, OrderState};
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let (state, event) = match value.as_array().map(Vec::as_slice) {
        Some([s, e]) => (s.clone(), e.clone()),
        _ => (serde_json::Value::Null, value.clone()),
    };
    let state = OrderState::from_json(&state);
    let event = Event::from_json(&event);
    if let (Ok(state), Ok(event)) = (state, event) {
        for now in [0, 1_735_747_200_000, i64::MAX] {
            let outcome = apply(&state, &event, now);
            let json = serde_json::to_value(&outcome.state).expect("the state serialises");
            let back = OrderState::from_json(&json).expect("a returned state reads back");
            assert_eq!(back, outcome.state);
            let again = apply(&outcome.state, &event, now);
            assert_eq!(
                again.state, outcome.state,
                "a repeated event changed the state"
            );
        }
    }
    // Whatever the input, the readers answer (a message, never a panic) on its parts too.
    if let Some(o) = value.as_object() {
        for v in o.values() {
            let _ = Event::from_json(v);
            let _ = OrderState::from_json(v);
        }
    }
}

/// The app public key of the OpenAPI vectors (alipay-sdk's captured requests verify with it).
const APP_PUBLIC_KEY_PEM: &str = include_str!("../../tests/vectors/openapi/keys/app-public.pem");

/// `openapi::inspect_request` with no key, the vectors' app public key and the input as key
/// text, with and without a clock: never a panic; a verdict of the three, a coded error exactly
/// when it is not `matches`, a mistake's string only on a mismatch; serialises to JSON. Then
/// `inspect_response` on the same input.
pub fn request(data: &[u8]) {
    use alipay_notify::openapi::{inspect_request, InspectRequestOptions};
    let text = String::from_utf8_lossy(data);
    for key in [None, Some(APP_PUBLIC_KEY_PEM), Some(text.as_ref())] {
        for now_ms in [None, Some(1_735_780_691_000)] {
            let r = inspect_request(&text, key, InspectRequestOptions { now_ms });
            assert!(
                ["matches", "mismatch", "not_checked"].contains(&r.verdict),
                "verdict {}",
                r.verdict
            );
            match (&r.error, r.verdict) {
                (None, "matches") => assert!(r.signature.is_some()),
                (Some(e), v) if v != "matches" => {
                    assert!(
                        ERROR_CODES.contains(&e.code),
                        "unknown error code {}",
                        e.code
                    )
                }
                (e, v) => panic!("verdict {v} with error {e:?}"),
            }
            if r.signed_instead.is_some() {
                assert_eq!(r.verdict, "mismatch");
            }
            assert!(serde_json::to_string(&r).is_ok());
        }
    }
    response_inspection(&text);
}

/// `openapi::inspect_response` on the same input, as a v2 body and split as v3
/// `timestamp\nnonce\nsignature\nbody`, with no key and the vectors' app public key: never a
/// panic; verified exactly when no error; a signer's verdict only after a key loaded.
fn response_inspection(text: &str) {
    use alipay_notify::openapi::{inspect_response, ResponseInput};
    let mut parts = text.splitn(4, '\n');
    let (timestamp, nonce, signature) = (parts.next(), parts.next(), parts.next());
    let body = parts.next().unwrap_or("");
    for key in [None, Some(APP_PUBLIC_KEY_PEM)] {
        for input in [
            ResponseInput::V2 {
                body: text,
                method: None,
            },
            ResponseInput::V3 {
                timestamp,
                nonce,
                signature,
                body,
            },
        ] {
            let r = inspect_response(input, key);
            assert_eq!(r.verified, r.error.is_none());
            if let Some(e) = &r.error {
                assert!(
                    ERROR_CODES.contains(&e.code),
                    "unknown error code {}",
                    e.code
                );
            }
            if r.signed_by_key.is_some() {
                assert!(r.key.bits.is_some());
            }
            assert!(serde_json::to_string(&r).is_ok());
        }
    }
}
