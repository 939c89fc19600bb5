//! Every documented limit (README "Limits"), at the limit and one past it: the body size, the
//! parameter count, a decoded value's length, a name's length, the key text's length
//! (`INPUT_TOO_LARGE`) and the modulus size (`INVALID_PUBLIC_KEY`); the certificate text, the
//! response body (v1 and v3), the v3 header values, the AES ciphertext and key text. At the
//! limit the input is accepted — where a signed notification or response fits, it still verifies.

#![cfg(test)]

mod common;

use common::{notification_vector, read_text, repo_path, vector_file, vectors_dir};
use std::fs;

use alipay_notify::crypto::{
    aes_decrypt, SignType, MAX_CIPHERTEXT_BYTES, MAX_KEY_BITS, MAX_KEY_TEXT_BYTES, MIN_KEY_BITS,
};
use alipay_notify::encoding::{
    Form, Param, MAX_BODY_BYTES, MAX_NAME_BYTES, MAX_PARAMS, MAX_VALUE_BYTES,
};
use alipay_notify::notify::inspect_params;
use alipay_notify::openapi::{
    verify_response, verify_v3_response, MAX_RESPONSE_BYTES, MAX_V3_HEADER_BYTES,
};
use alipay_notify::x509::{get_cert_sn, get_root_cert_sn, verify_cert_chain, MAX_CERT_TEXT_BYTES};
use alipay_notify::{inspect, parse, verify, PublicKey, VerifyOptions};
use base64::Engine as _;
use serde_json::Value;

fn vector(id: &str) -> Value {
    notification_vector(id)
}

/// A signed notification (UTF-8, RSA2, default options) and its key.
fn signed() -> (String, PublicKey) {
    let v = vector("order-utf-8-rsa2-spki-base64-v2");
    let key = PublicKey::parse(v["key"].as_str().unwrap()).unwrap();
    let body = v["body"].as_str().unwrap().to_owned();
    verify(body.as_bytes(), &key, &VerifyOptions::default()).expect("the base vector verifies");
    (body, key)
}

fn code<T: std::fmt::Debug>(r: alipay_notify::Result<T>) -> &'static str {
    r.expect_err("expected an error").code()
}

/// `n` parameters `p0=1&p1=1&…`.
fn many_params(n: usize) -> String {
    (0..n)
        .map(|i| format!("p{i}=1"))
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn the_limits_are_the_documented_values() {
    assert_eq!(MAX_BODY_BYTES, 128 * 1024);
    assert_eq!(MAX_PARAMS, 256);
    assert_eq!(MAX_VALUE_BYTES, 64 * 1024);
    assert_eq!(MAX_NAME_BYTES, 256);
    assert_eq!(MAX_KEY_TEXT_BYTES, 16 * 1024);
    assert_eq!((MIN_KEY_BITS, MAX_KEY_BITS), (1024, 4096));
    assert_eq!(MAX_CERT_TEXT_BYTES, 64 * 1024);
    assert_eq!(MAX_RESPONSE_BYTES, 8 * 1024 * 1024);
    assert_eq!(MAX_CIPHERTEXT_BYTES, 8 * 1024 * 1024);
    assert_eq!(MAX_V3_HEADER_BYTES, 8 * 1024);
    let readme = read_text(&repo_path("README.md"));
    for (label, value) in [
        ("| body ", "| 128 KiB"),
        ("| parameters ", "| 256"),
        ("| one decoded value", "| 64 KiB"),
        ("| one parameter name ", "| 256 bytes"),
        ("| key text", "| 16 KiB"),
        ("| RSA modulus ", "| 1024–4096 bits"),
        ("| certificate or root bundle text", "| 64 KiB"),
        ("| response body ", "| 8 MiB"),
        ("| v3 response header value", "| 8 KiB"),
        ("| AES ciphertext ", "| 8 MiB"),
    ] {
        assert!(
            readme
                .lines()
                .any(|l| l.starts_with(label) && l.contains(value)),
            "README Limits table lacks `{label}… {value}`"
        );
    }
}

#[test]
fn body_at_the_limit_verifies_one_byte_more_is_too_large() {
    let (body, key) = signed();
    // Empty segments (`&&…`) are skipped and change nothing that is signed.
    let at = format!("{body}{}", "&".repeat(MAX_BODY_BYTES - body.len()));
    assert_eq!(at.len(), MAX_BODY_BYTES);
    let n = verify(at.as_bytes(), &key, &VerifyOptions::default()).unwrap();
    assert!(n.verified);
    assert!(parse(at.as_bytes(), &VerifyOptions::default()).is_ok());
    assert_eq!(
        inspect(at.as_bytes(), Some(&key_text()), &VerifyOptions::default())
            .outcome
            .status,
        "verified"
    );

    let past = format!("{at}&");
    assert_eq!(past.len(), MAX_BODY_BYTES + 1);
    assert_eq!(code(Form::parse(past.as_bytes())), "INPUT_TOO_LARGE");
    assert_eq!(
        code(parse(past.as_bytes(), &VerifyOptions::default())),
        "INPUT_TOO_LARGE"
    );
    assert_eq!(
        code(verify(past.as_bytes(), &key, &VerifyOptions::default())),
        "INPUT_TOO_LARGE"
    );
    // inspect shows the start, but does not call it verified (regression: it used to, because
    // the part it shows verifies).
    let report = inspect(
        past.as_bytes(),
        Some(&key_text()),
        &VerifyOptions::default(),
    );
    assert_eq!(report.outcome.status, "failed");
    assert_eq!(
        report.outcome.error.as_ref().unwrap().code,
        "INPUT_TOO_LARGE"
    );
    assert!(report.problems.iter().any(|p| p.code == "INPUT_TOO_LARGE"));
    assert!(report.notification.is_none_or(|n| !n.verified));
}

fn key_text() -> String {
    vector("order-utf-8-rsa2-spki-base64-v2")["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn parameter_count_at_the_limit_parses_one_more_is_too_large() {
    let at = many_params(MAX_PARAMS);
    assert_eq!(Form::parse(at.as_bytes()).unwrap().len(), MAX_PARAMS);
    assert!(parse(at.as_bytes(), &VerifyOptions::default()).is_ok());
    let past = many_params(MAX_PARAMS + 1);
    assert_eq!(code(Form::parse(past.as_bytes())), "INPUT_TOO_LARGE");
    assert_eq!(
        code(parse(past.as_bytes(), &VerifyOptions::default())),
        "INPUT_TOO_LARGE"
    );
    // Already-decoded params (JS objects, URLSearchParams) meet the same limit.
    let params = |n: usize| -> Vec<Param> {
        (0..n)
            .map(|i| Param {
                name: format!("p{i}").into_bytes(),
                value: b"1".to_vec(),
            })
            .collect()
    };
    assert!(Form::from_params(params(MAX_PARAMS)).is_ok());
    assert_eq!(
        code(Form::from_params(params(MAX_PARAMS + 1))),
        "INPUT_TOO_LARGE"
    );
    // A signed notification padded with extra parameters up to the limit still parses, and is
    // refused as a mismatch (extra parameters are signed content), not as too large.
    let (body, key) = signed();
    let have = Form::parse(body.as_bytes()).unwrap().len();
    let padded = format!("{body}&{}", many_params(MAX_PARAMS - have));
    assert_eq!(
        code(verify(padded.as_bytes(), &key, &VerifyOptions::default())),
        "SIGNATURE_MISMATCH"
    );
    let over = format!("{body}&{}", many_params(MAX_PARAMS - have + 1));
    assert_eq!(
        code(verify(over.as_bytes(), &key, &VerifyOptions::default())),
        "INPUT_TOO_LARGE"
    );
}

/// `inspect_params` takes decoded params from a Rust caller, so their count is bounded by nothing
/// but memory: past the limit only the start is shown (as for a body), the verdict stays
/// `INPUT_TOO_LARGE`, and the report comes back (its checks compare parameters with each other).
#[test]
fn inspect_params_past_the_count_limit_shows_the_start_and_is_too_large() {
    let (body, _) = signed();
    let mut params = Form::parse(body.as_bytes()).unwrap().params().to_vec();
    let have = params.len();
    let n = 100_000;
    params.extend((0..n).map(|i| Param {
        name: format!("p{}", i % 50_000).into_bytes(),
        value: b"1".to_vec(),
    }));
    let report = inspect_params(
        params,
        Vec::new(),
        Some(&key_text()),
        &VerifyOptions::default(),
    );
    assert_eq!(report.params.len(), MAX_PARAMS + 1);
    // The start, in received order.
    assert_eq!(report.params[have].name, "p0");
    assert_eq!(
        report.params[MAX_PARAMS].name,
        format!("p{}", MAX_PARAMS - have)
    );
    assert_eq!(report.outcome.status, "failed");
    assert_eq!(report.outcome.error.unwrap().code, "INPUT_TOO_LARGE");
    assert!(report
        .problems
        .iter()
        .any(|p| p.code == "INPUT_TOO_LARGE" && p.message.contains("the rest is not shown")));
    // At the limit nothing is cut, and the padded notification is refused as signed content.
    let mut at = Form::parse(body.as_bytes()).unwrap().params().to_vec();
    at.extend((0..MAX_PARAMS - have).map(|i| Param {
        name: format!("p{i}").into_bytes(),
        value: b"1".to_vec(),
    }));
    let report = inspect_params(at, Vec::new(), Some(&key_text()), &VerifyOptions::default());
    assert_eq!(report.params.len(), MAX_PARAMS);
    assert_eq!(report.outcome.error.unwrap().code, "SIGNATURE_MISMATCH");
    assert!(!report.problems.iter().any(|p| p.code == "INPUT_TOO_LARGE"));
}

#[test]
fn value_length_at_the_limit_parses_one_byte_more_is_too_large() {
    let at = format!("a={}", "v".repeat(MAX_VALUE_BYTES));
    assert_eq!(
        Form::parse(at.as_bytes()).unwrap().get("a").unwrap().len(),
        MAX_VALUE_BYTES
    );
    let past = format!("a={}", "v".repeat(MAX_VALUE_BYTES + 1));
    assert_eq!(code(Form::parse(past.as_bytes())), "INPUT_TOO_LARGE");
    assert_eq!(
        code(parse(past.as_bytes(), &VerifyOptions::default())),
        "INPUT_TOO_LARGE"
    );
    // The decoded length counts: 3 escaped bytes are 3 bytes, not 9.
    let escaped = format!("a={}{}", "v".repeat(MAX_VALUE_BYTES - 3), "%E4%B8%AD");
    assert_eq!(
        Form::parse(escaped.as_bytes())
            .unwrap()
            .get("a")
            .unwrap()
            .len(),
        MAX_VALUE_BYTES
    );
    let escaped_past = format!("a={}{}", "v".repeat(MAX_VALUE_BYTES - 2), "%E4%B8%AD");
    assert_eq!(
        code(Form::parse(escaped_past.as_bytes())),
        "INPUT_TOO_LARGE"
    );
    // biz_content is a value like any other.
    let biz = format!(
        "msg_method=alipay.open.servicemarket.order.change.notify&biz_content=%7B%22x%22%3A%22{}%22%7D",
        "v".repeat(MAX_VALUE_BYTES - 8)
    );
    assert!(parse(biz.as_bytes(), &VerifyOptions::default())
        .unwrap()
        .biz_content
        .is_some());
    let biz_past = biz.replacen("%7B%22x", "%7B%22xx", 1);
    assert_eq!(
        code(parse(biz_past.as_bytes(), &VerifyOptions::default())),
        "INPUT_TOO_LARGE"
    );
    // From decoded params too.
    let p = |n| {
        vec![Param {
            name: b"a".to_vec(),
            value: vec![b'v'; n],
        }]
    };
    assert!(Form::from_params(p(MAX_VALUE_BYTES)).is_ok());
    assert_eq!(
        code(Form::from_params(p(MAX_VALUE_BYTES + 1))),
        "INPUT_TOO_LARGE"
    );
}

#[test]
fn name_length_at_the_limit_parses_one_byte_more_is_too_large() {
    let at = format!("{}=1", "n".repeat(MAX_NAME_BYTES));
    assert_eq!(
        Form::parse(at.as_bytes()).unwrap().params()[0].name.len(),
        MAX_NAME_BYTES
    );
    let past = format!("{}=1", "n".repeat(MAX_NAME_BYTES + 1));
    assert_eq!(code(Form::parse(past.as_bytes())), "INPUT_TOO_LARGE");
    assert_eq!(
        code(parse(past.as_bytes(), &VerifyOptions::default())),
        "INPUT_TOO_LARGE"
    );
    let p = |n| {
        vec![Param {
            name: vec![b'n'; n],
            value: b"1".to_vec(),
        }]
    };
    assert!(Form::from_params(p(MAX_NAME_BYTES)).is_ok());
    assert_eq!(
        code(Form::from_params(p(MAX_NAME_BYTES + 1))),
        "INPUT_TOO_LARGE"
    );
}

#[test]
fn key_text_at_the_limit_loads_one_byte_more_is_too_large() {
    let text = key_text();
    let trimmed = text.trim();
    // Whitespace around the key is ignored, but counts against the text limit.
    let at = format!(
        "{trimmed}{}",
        " ".repeat(MAX_KEY_TEXT_BYTES - trimmed.len())
    );
    assert_eq!(at.len(), MAX_KEY_TEXT_BYTES);
    let key = PublicKey::parse(&at).unwrap();
    let (body, _) = signed();
    assert!(
        verify(body.as_bytes(), &key, &VerifyOptions::default())
            .unwrap()
            .verified
    );
    let past = format!("{at} ");
    assert_eq!(code(PublicKey::parse(&past)), "INPUT_TOO_LARGE");
    // inspect reports it instead of failing.
    let report = inspect(body.as_bytes(), Some(&past), &VerifyOptions::default());
    assert_eq!(report.outcome.status, "error");
    assert_eq!(report.key.error.unwrap().code, "INPUT_TOO_LARGE");
}

/// DER of a length.
fn der_len(n: usize) -> Vec<u8> {
    if n < 0x80 {
        vec![n as u8]
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        let mut out = vec![0x80 | bytes.len() as u8];
        out.extend(bytes);
        out
    }
}

fn der_integer(magnitude: &[u8]) -> Vec<u8> {
    let mut v = magnitude.to_vec();
    if v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    let mut out = vec![0x02];
    out.extend(der_len(v.len()));
    out.extend(v);
    out
}

/// A bare base64 PKCS#1 `RSAPublicKey` whose modulus has exactly `bits` bits (odd), e = 65537.
fn pkcs1_key_of_bits(bits: usize) -> String {
    let len = bits.div_ceil(8);
    let mut n = vec![0xA5u8; len];
    let top = bits - (len - 1) * 8; // bits used in the first byte, 1..=8
    n[0] = (1u8 << (top - 1)) | (0xA5 & ((1u16 << (top - 1)) - 1) as u8);
    n[len - 1] |= 1;
    let mut body = der_integer(&n);
    body.extend(der_integer(&[0x01, 0x00, 0x01]));
    let mut der = vec![0x30];
    der.extend(der_len(body.len()));
    der.extend(body);
    base64::engine::general_purpose::STANDARD.encode(der)
}

#[test]
fn key_bits_at_both_limits_load_one_bit_outside_is_an_invalid_key() {
    for bits in [
        MIN_KEY_BITS,
        MIN_KEY_BITS + 1,
        MAX_KEY_BITS - 1,
        MAX_KEY_BITS,
    ] {
        let k =
            PublicKey::parse(&pkcs1_key_of_bits(bits)).unwrap_or_else(|e| panic!("{bits}: {e}"));
        assert_eq!(k.bits(), bits);
    }
    for bits in [MIN_KEY_BITS - 1, 512, MAX_KEY_BITS + 1, 8192] {
        let e = PublicKey::parse(&pkcs1_key_of_bits(bits)).unwrap_err();
        assert_eq!(e.code(), "INVALID_PUBLIC_KEY", "{bits} bits");
        assert!(e.to_string().contains(&format!("{bits}-bit")), "{e}");
    }
    // The real keys at both limits verify notifications signed with them.
    for id in [
        "order-rsa2-1024-bit-key",
        "auth-gbk-rsa2-4096-bit-key-pkcs1",
    ] {
        let v = vector(id);
        let key = PublicKey::parse(v["key"].as_str().unwrap()).unwrap();
        assert!([MIN_KEY_BITS, MAX_KEY_BITS].contains(&key.bits()));
        let options = VerifyOptions::from_json(&v["options"].to_string()).unwrap();
        assert!(
            verify(v["body"].as_str().unwrap().as_bytes(), &key, &options)
                .unwrap()
                .verified
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Responses, certificates, AES
// ---------------------------------------------------------------------------------------------

/// A field of a JSON vector file under `tests/vectors/cert/`.
fn cert_vector(file: &str) -> Value {
    vector_file(&format!("cert/{file}"))
}

/// The real signed v1 response (`alipay.open.file.upload`) and its key.
fn signed_response() -> (String, PublicKey) {
    let v = cert_vector("real/sync-response-alipay-open-file-upload.json");
    let key = PublicKey::parse(v["alipay_public_key"].as_str().unwrap()).unwrap();
    let body = v["raw_response_body"].as_str().unwrap().to_owned();
    (body, key)
}

const FILE_UPLOAD: &str = "alipay.open.file.upload";

#[test]
fn response_body_at_the_limit_verifies_one_byte_more_is_too_large() {
    let (body, key) = signed_response();
    // Whitespace after the object is valid JSON and not signed.
    let at = format!("{body}{}", " ".repeat(MAX_RESPONSE_BYTES - body.len()));
    assert_eq!(at.len(), MAX_RESPONSE_BYTES);
    assert!(verify_response(&at, &key, FILE_UPLOAD, SignType::Rsa2).is_ok());
    let past = format!("{at} ");
    assert_eq!(
        code(verify_response(&past, &key, FILE_UPLOAD, SignType::Rsa2)),
        "INPUT_TOO_LARGE"
    );
}

/// The worst case of the duplicate-key check: the limit filled with short top-level keys. Only
/// the response's value is signed, so the genuine response still verifies; one repeated key,
/// wherever it is, makes the body ambiguous.
#[test]
fn response_body_of_a_million_top_level_keys_verifies_and_a_repeat_is_refused() {
    let (body, key) = signed_response();
    let open = body.strip_suffix('}').unwrap();
    let mut at = String::with_capacity(MAX_RESPONSE_BYTES);
    at.push_str(open);
    let mut keys = 0;
    // Room left for the longest repeat below.
    while at.len() + 64 < MAX_RESPONSE_BYTES {
        at.push_str(&format!(",\"k{keys}\":0"));
        keys += 1;
    }
    let closed = format!("{at}}}");
    assert!(keys > 500_000, "{keys} keys");
    assert!(closed.len() <= MAX_RESPONSE_BYTES);
    let r = verify_response(&closed, &key, FILE_UPLOAD, SignType::Rsa2).unwrap();
    assert_eq!(r.response["file_id"], "CAxAToWB1JsAAAAAAAAAAAAADgSLAQBr");
    for repeat in ["\"k0\"", "\"sign\"", "\"alipay_open_file_upload_response\""] {
        let dup = format!("{at},{repeat}:0}}");
        let e = verify_response(&dup, &key, FILE_UPLOAD, SignType::Rsa2).unwrap_err();
        assert_eq!(e.code(), "MALFORMED_RESPONSE", "{repeat}");
        assert!(e.to_string().contains("duplicate key"), "{e}");
    }
}

#[test]
fn v3_response_body_and_headers_at_the_limit_are_checked_one_byte_more_is_too_large() {
    let (_, key) = signed_response();
    let sig = "A".repeat(344);
    let mismatch = |body: &[u8], ts: &str, nonce: &str, sig: &str| {
        let e = verify_v3_response(ts, nonce, body, sig, &key).unwrap_err();
        assert!(
            matches!(e.code(), "SIGNATURE_MISMATCH" | "MALFORMED_SIGNATURE"),
            "{e}"
        );
    };
    // Past the size checks, the signature is what fails.
    let body = vec![b'x'; MAX_RESPONSE_BYTES];
    mismatch(&body, "1700000000000", "n", &sig);
    let header = "h".repeat(MAX_V3_HEADER_BYTES);
    mismatch(b"{}", &header, "n", &sig);
    mismatch(b"{}", "1", &header, &sig);
    let spaced_sig = format!("{sig}{}", " ".repeat(MAX_V3_HEADER_BYTES - sig.len()));
    mismatch(b"{}", "1", "n", &spaced_sig);

    let big = vec![b'x'; MAX_RESPONSE_BYTES + 1];
    assert_eq!(
        code(verify_v3_response("1", "n", &big, &sig, &key)),
        "INPUT_TOO_LARGE"
    );
    let over = "h".repeat(MAX_V3_HEADER_BYTES + 1);
    for (ts, nonce, s) in [
        (&*over, "n", &*sig),
        ("1", &*over, &*sig),
        ("1", "n", &*over),
    ] {
        assert_eq!(
            code(verify_v3_response(ts, nonce, b"{}", s, &key)),
            "INPUT_TOO_LARGE"
        );
    }
}

#[test]
fn aes_ciphertext_and_key_text_at_the_limit_are_read_one_byte_more_is_too_large() {
    let key = "aa4BtZ4tspm2wnXLb1ThQA==";
    // 8 MiB of base64 is 6 MiB of whole blocks: read, decrypted, refused for its padding.
    let at = "A".repeat(MAX_CIPHERTEXT_BYTES);
    assert_eq!(code(aes_decrypt(&at, key)), "DECRYPTION_FAILED");
    assert_eq!(code(aes_decrypt(&format!("{at}A"), key)), "INPUT_TOO_LARGE");
    // Whitespace around the key is ignored but counts, as for public keys.
    let padded = format!("{key}{}", " ".repeat(MAX_KEY_TEXT_BYTES - key.len()));
    assert_eq!(
        aes_decrypt("ILpoMowjIQjfYMR847rnFQ==", &padded).as_deref(),
        Ok("test1234567")
    );
    assert_eq!(
        code(aes_decrypt(
            "ILpoMowjIQjfYMR847rnFQ==",
            &format!("{padded} ")
        )),
        "INPUT_TOO_LARGE"
    );
}

#[test]
fn certificate_text_at_the_limit_is_read_one_byte_more_is_too_large() {
    let dir = vectors_dir().join("cert/real");
    let cert = fs::read_to_string(dir.join("alipayCertPublicKey_RSA2.php-sdk.crt")).unwrap();
    let root = fs::read_to_string(dir.join("alipayRootCert.crt")).unwrap();
    let pad = |text: &str| format!("{text}{}", "\n".repeat(MAX_CERT_TEXT_BYTES - text.len()));
    let (cert_at, root_at) = (pad(&cert), pad(&root));
    assert_eq!(cert_at.len(), MAX_CERT_TEXT_BYTES);
    assert_eq!(get_cert_sn(&cert_at).unwrap(), get_cert_sn(&cert).unwrap());
    assert_eq!(
        get_root_cert_sn(&root_at).unwrap(),
        get_root_cert_sn(&root).unwrap()
    );
    let june_2024 = 1_717_243_200_000;
    assert!(verify_cert_chain(&cert_at, &root_at, june_2024).is_ok());

    let (cert_past, root_past) = (format!("{cert_at}\n"), format!("{root_at}\n"));
    assert_eq!(code(get_cert_sn(&cert_past)), "INPUT_TOO_LARGE");
    assert_eq!(code(get_root_cert_sn(&root_past)), "INPUT_TOO_LARGE");
    assert_eq!(
        code(verify_cert_chain(&cert_past, &root, june_2024)),
        "INPUT_TOO_LARGE"
    );
    assert_eq!(
        code(verify_cert_chain(&cert, &root_past, june_2024)),
        "INPUT_TOO_LARGE"
    );
}
