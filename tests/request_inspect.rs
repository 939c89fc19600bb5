//! `openapi::inspect_request` on requests sent by `alipay-sdk@4.14.0` (the captures of
//! tests/vectors/openapi/requests.json, pasted as a proxy log shows them): every one matches
//! with the app public key and gives the oracle's string to sign. Then each mistake of the
//! reference's pitfalls, made on purpose by signing the wrong string with the `rsa` crate (an
//! independent signer), is named by its own hint and the string it signed; and each wrong key.

#![cfg(test)]

use alipay_notify::openapi::{inspect_request, InspectRequestOptions, RequestInspection};
use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::Value;
use sha1::Sha1;
use sha2::{Digest, Sha256};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/openapi");
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn key_file(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/keys/{name}")).unwrap()
}

fn cases() -> Vec<Value> {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/requests.json")).unwrap())
            .unwrap();
    v["cases"].as_array().unwrap().clone()
}

fn case(id: &str) -> Value {
    cases().into_iter().find(|c| c["id"] == id).unwrap()
}

/// The base64 between the armour lines.
fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    B64.decode(body.trim()).unwrap()
}

/// Signs `msg` with the app private key, independently of the crate (rsa 0.9).
fn sign_with(msg: &str, sha1: bool) -> String {
    let key = RsaPrivateKey::from_pkcs1_der(&pem_der(&key_file("app-private-pkcs1.pem"))).unwrap();
    let sig = if sha1 {
        key.sign(Pkcs1v15Sign::new::<Sha1>(), &Sha1::digest(msg.as_bytes()))
    } else {
        key.sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(msg.as_bytes()),
        )
    };
    B64.encode(sig.unwrap())
}

fn sign(msg: &str) -> String {
    sign_with(msg, false)
}

/// A captured request as a proxy log shows it: request line, headers, blank line, body.
fn pasted(c: &Value) -> String {
    let r = &c["request"];
    let mut s = format!(
        "{} {} HTTP/1.1\n",
        r["method"].as_str().unwrap(),
        r["target"].as_str().unwrap()
    );
    for (k, v) in r["headers"].as_object().unwrap() {
        s.push_str(&format!("{k}: {}\n", v.as_str().unwrap()));
    }
    s.push('\n');
    s.push_str(r["body"].as_str().unwrap());
    s
}

fn app_public() -> String {
    key_file("app-public.pem")
}

fn inspect(text: &str, key: Option<&str>) -> RequestInspection {
    inspect_request(text, key, InspectRequestOptions::default())
}

fn codes(r: &RequestInspection) -> Vec<&'static str> {
    r.problems.iter().map(|p| p.code).collect()
}

/// The v3 request `text` with its `authorization` sign replaced by a signature over `signed`.
fn resign_v3(text: &str, signed: &str) -> String {
    let at = text.find(",sign=").unwrap() + ",sign=".len();
    let end = text[at..].find('\n').map_or(text.len(), |i| i + at);
    format!("{}{}{}", &text[..at], sign(signed), &text[end..])
}

#[test]
fn every_captured_request_matches_and_gives_the_oracles_string() {
    let key = app_public();
    let all = cases();
    assert_eq!(all.len(), 76);
    for c in &all {
        let r = inspect(&pasted(c), Some(&key));
        assert_eq!(r.protocol, c["protocol"].as_str().unwrap(), "{}", c["id"]);
        assert_eq!(
            r.string_to_sign,
            c["stringToSign"].as_str().unwrap(),
            "{}",
            c["id"]
        );
        assert_eq!(r.verdict, "matches", "{}: {:?}", c["id"], r.problems);
        assert_eq!(r.error, None, "{}", c["id"]);
        assert!(r.problems.is_empty(), "{}: {:?}", c["id"], r.problems);
        assert_eq!(
            r.signature.as_deref(),
            Some(c["sign"].as_str().unwrap()),
            "{}",
            c["id"]
        );
    }
    // v2 as a whole URL with the body on the next lines, and as the body alone with the query.
    let c = case("key/v2/orderQuery/token");
    let url = format!(
        "https://openapi.alipay.com{}\n\n{}",
        c["request"]["target"].as_str().unwrap(),
        c["request"]["body"].as_str().unwrap()
    );
    let r = inspect(&url, Some(&key));
    assert_eq!((r.protocol, r.verdict), ("v2", "matches"));
}

#[test]
fn no_key_no_signature_and_bad_signatures_are_said() {
    let c = case("key/v3/orderQuery/no-token");
    let r = inspect(&pasted(&c), None);
    assert_eq!(r.verdict, "not_checked");
    assert_eq!(r.error.as_ref().unwrap().code, "INVALID_PUBLIC_KEY");
    assert_eq!(codes(&r), ["KEY_MISSING"]);
    assert!(!r.key.provided);
    assert_eq!(
        r.string_to_sign,
        c["stringToSign"].as_str().unwrap(),
        "the string is shown without a key"
    );

    let no_auth: String = pasted(&c)
        .lines()
        .filter(|l| !l.starts_with("authorization"))
        .collect::<Vec<_>>()
        .join("\n");
    let r = inspect(&no_auth, Some(&app_public()));
    assert_eq!((r.protocol, r.verdict), ("v3", "not_checked"));
    assert_eq!(r.error.as_ref().unwrap().code, "MISSING_PARAMETER");
    assert_eq!(codes(&r), ["SIGNATURE_MISSING"]);

    let short = resign_v3(&pasted(&c), "x").replace(",sign=", ",sign=AAAA");
    let r = inspect(&short, Some(&app_public()));
    assert_eq!(r.error.as_ref().unwrap().code, "MALFORMED_SIGNATURE");
    assert_eq!(codes(&r), ["MALFORMED_SIGNATURE"]);

    let r = inspect(
        &"x".repeat(alipay_notify::openapi::MAX_PASTED_REQUEST_BYTES + 1),
        None,
    );
    assert_eq!(r.error.as_ref().unwrap().code, "INPUT_TOO_LARGE");
}

#[test]
fn v3_mistakes_each_get_their_own_hint_and_the_string_they_signed() {
    let key = app_public();
    let get = case("key/v3/orderQuery/no-token");
    let post_token = case("key/v3/orderAccept/token");
    let post = case("key/v3/orderAccept/no-token");
    let good = |c: &Value| c["stringToSign"].as_str().unwrap().to_string();

    let mut tried = Vec::new();
    let mut expect = |text: String, signed: String, code: &str| {
        let r = inspect(&resign_v3(&text, &signed), Some(&key));
        assert_eq!(r.verdict, "mismatch", "{code}");
        assert_eq!(
            r.error.as_ref().unwrap().code,
            "SIGNATURE_MISMATCH",
            "{code}"
        );
        assert_eq!(codes(&r), [code], "{code}");
        let instead = r.signed_instead.unwrap();
        assert_eq!(
            (instead.code, instead.string_to_sign.as_str()),
            (code, signed.as_str())
        );
        assert!(!r.problems[0].hint.is_empty() && !r.problems[0].hint_zh.is_empty());
        tried.push(code.to_string());
    };

    // The token header sent, its line not signed.
    let token = "\n202501BBa1b2c3d4e5f60718293a4b5c6d7e8X56\n";
    let s = good(&post_token);
    assert!(s.ends_with(token));
    expect(
        pasted(&post_token),
        s.replace(token, "\n"),
        "TOKEN_LINE_MISSING",
    );
    // No token header, an empty token line signed.
    expect(
        pasted(&post),
        format!("{}\n", good(&post)),
        "TOKEN_LINE_WITHOUT_HEADER",
    );
    // The path signed without its query.
    let s = good(&get);
    let (path, _) = get["request"]["target"]
        .as_str()
        .unwrap()
        .split_once('?')
        .unwrap();
    let signed = s.replace(get["request"]["target"].as_str().unwrap(), path);
    expect(pasted(&get), signed, "QUERY_NOT_SIGNED");
    // The body signed pretty-printed, sent compact; and signed compact, sent with spaces.
    let body = post["request"]["body"].as_str().unwrap();
    let value: Value = serde_json::from_str(body).unwrap();
    let pretty = serde_json::to_string_pretty(&value).unwrap();
    expect(
        pasted(&post),
        good(&post).replace(body, &pretty),
        "BODY_RESERIALISED",
    );
    let spaced = body.replace("\":\"", "\": \"");
    expect(
        pasted(&post).replace(body, &spaced),
        good(&post),
        "BODY_RESERIALISED",
    );
    // A lower-case method signed; the host signed.
    expect(pasted(&get), s.replace("\nGET\n", "\nget\n"), "METHOD_CASE");
    let target = get["request"]["target"].as_str().unwrap();
    expect(
        pasted(&get),
        s.replace(target, &format!("https://openapi.alipay.com{target}")),
        "HOST_SIGNED",
    );
    assert_eq!(tried.len(), 7);

    // Right key, content changed after signing, by no known mistake.
    let r = inspect(
        &resign_v3(
            &pasted(&post),
            &good(&post).replace("\":\"2025", "\":\"2024"),
        ),
        Some(&key),
    );
    assert_eq!(codes(&r), ["SIGNED_OTHER_CONTENT"]);
    assert_eq!(r.signed_instead, None);
}

/// The v2 request of `c` as a URL + body, with `edit` applied to the decoded params and `sign`
/// over `signed(params)`.
fn v2_request(
    c: &Value,
    edit: impl Fn(&mut Vec<(String, String)>),
    signed: impl Fn(&[(String, String)]) -> String,
    sha1: bool,
) -> String {
    let r = &c["request"];
    let mut params: Vec<(String, String)> = r["query"]
        .as_array()
        .unwrap()
        .iter()
        .chain(r["form"].as_array().unwrap())
        .map(|kv| {
            (
                kv[0].as_str().unwrap().to_string(),
                kv[1].as_str().unwrap().to_string(),
            )
        })
        .filter(|(k, _)| k != "sign")
        .collect();
    edit(&mut params);
    let sig = sign_with(&signed(&params), sha1);
    params.push(("sign".into(), sig));
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().filter(|(k, _)| k != "biz_content"))
        .finish();
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().filter(|(k, _)| k == "biz_content"))
        .finish();
    format!("POST /gateway.do?{query} HTTP/1.1\ncontent-type: application/x-www-form-urlencoded;charset=utf-8\n\n{body}")
}

/// Sorted `k=v&…`, empty values kept or not.
fn sign_string(params: &[(String, String)], keep_empty: bool) -> String {
    let mut p: Vec<_> = params
        .iter()
        .filter(|(_, v)| keep_empty || !v.is_empty())
        .collect();
    p.sort();
    p.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn v2_mistakes_each_get_their_own_hint() {
    let key = app_public();
    let c = case("key/v2/orderQuery/no-token");
    // Our own rebuild of the request verifies (the test's signer agrees with the oracle).
    let same = v2_request(&c, |_| {}, |p| sign_string(p, false), false);
    let r = inspect(&same, Some(&key));
    assert_eq!(r.verdict, "matches", "{:?}", r.problems);
    assert_eq!(r.string_to_sign, c["stringToSign"].as_str().unwrap());

    // An empty app_auth_token sent and signed (alipay-sdk's `appAuthToken: ''`).
    let with_empty =
        |p: &mut Vec<(String, String)>| p.push(("app_auth_token".into(), String::new()));
    let text = v2_request(&c, with_empty, |p| sign_string(p, true), false);
    let r = inspect(&text, Some(&key));
    assert_eq!(codes(&r), ["EMPTY_VALUE_SIGNED"]);
    assert!(r
        .signed_instead
        .unwrap()
        .string_to_sign
        .starts_with("app_auth_token=&app_id="));
    assert!(
        !r.string_to_sign.contains("app_auth_token"),
        "Alipay's string drops it"
    );

    // SHA-1 signed while sign_type says RSA2.
    let text = v2_request(&c, |_| {}, |p| sign_string(p, false), true);
    assert_eq!(codes(&inspect(&text, Some(&key))), ["SIGN_TYPE_SHA1"]);
}

#[test]
fn a_v2_timestamp_in_local_time_is_named_with_its_zone() {
    let key = app_public();
    let c = case("key/v2/orderQuery/no-token");
    // Sent at 2025-01-02 09:18:11 Beijing time, formatted by a UTC machine as 01:18:11.
    let now = 1_735_780_691_000; // 2025-01-02 01:18:11 UTC
    let utc = |p: &mut Vec<(String, String)>| {
        for (k, v) in p.iter_mut() {
            if k == "timestamp" {
                *v = "2025-01-02 01:18:11".into();
            }
        }
    };
    let text = v2_request(&c, utc, |p| sign_string(p, false), false);
    let opts = InspectRequestOptions {
        now_ms: Some(now + 40_000),
    };
    let r = inspect_request(&text, Some(&key), opts);
    assert_eq!(
        r.verdict, "matches",
        "the signature is fine; the clock is not"
    );
    assert_eq!(codes(&r), ["TIMESTAMP_NOT_BEIJING"]);
    assert!(
        r.problems[0].message.contains("UTC+0"),
        "{}",
        r.problems[0].message
    );
    assert!(
        r.problems[0].message.contains("2025-01-02 09:18"),
        "{}",
        r.problems[0].message
    );
    // UTC-5 (New York): 2025-01-01 20:18:11.
    let ny = |p: &mut Vec<(String, String)>| {
        for (k, v) in p.iter_mut() {
            if k == "timestamp" {
                *v = "2025-01-01 20:18:11".into();
            }
        }
    };
    let text = v2_request(&c, ny, |p| sign_string(p, false), false);
    let r = inspect_request(&text, Some(&key), opts);
    assert!(
        r.problems[0].message.contains("UTC-5"),
        "{}",
        r.problems[0].message
    );
    // An old paste: the request's own `Date` header is the time it claims, whatever the clock.
    let text = v2_request(&c, utc, |p| sign_string(p, false), false).replacen(
        "\n\n",
        "\ndate: Thu, 02 Jan 2025 01:18:12 GMT\n\n",
        1,
    );
    let r = inspect(&text, Some(&key));
    assert_eq!(codes(&r), ["TIMESTAMP_NOT_BEIJING"], "no clock needed");
    let later = InspectRequestOptions {
        now_ms: Some(now + 86_400_000 * 300),
    };
    assert_eq!(
        codes(&inspect_request(&text, Some(&key), later)),
        ["TIMESTAMP_NOT_BEIJING"]
    );
    // Beijing time itself, or no clock to compare with: nothing said.
    let beijing = |p: &mut Vec<(String, String)>| {
        for (k, v) in p.iter_mut() {
            if k == "timestamp" {
                *v = "2025-01-02 09:18:11".into();
            }
        }
    };
    let text = v2_request(&c, beijing, |p| sign_string(p, false), false);
    assert!(inspect_request(&text, Some(&key), opts).problems.is_empty());
    assert!(inspect(
        &v2_request(&c, utc, |p| sign_string(p, false), false),
        Some(&key)
    )
    .problems
    .is_empty());
}

#[test]
fn keys_swapped_private_and_mis_armoured() {
    let c = case("key/v3/orderAccept/token");
    let text = pasted(&c);
    // The Alipay public key pasted in place of the app public key.
    let r = inspect(&text, Some(&key_file("alipay-public.pem")));
    assert_eq!(
        (r.verdict, codes(&r).as_slice()),
        ("mismatch", &["WRONG_KEY"][..])
    );
    assert!(r.problems[0].hint.contains("Alipay public key"));
    // The app private key pasted: checked with its public half, and said.
    for file in [
        "app-private-pkcs1.pem",
        "app-private-pkcs8.pem",
        "app-private-pkcs8.txt",
    ] {
        let r = inspect(&text, Some(&key_file(file)));
        assert_eq!(
            (r.verdict, codes(&r).as_slice()),
            ("matches", &["PRIVATE_KEY_GIVEN"][..]),
            "{file}"
        );
    }
    // PKCS#8 inside PKCS#1 armour (and the reverse).
    let pkcs8 = key_file("app-private-pkcs8.pem").replace("PRIVATE KEY", "RSA PRIVATE KEY");
    let r = inspect(&text, Some(&pkcs8));
    assert_eq!(codes(&r), ["PRIVATE_KEY_GIVEN", "PRIVATE_KEY_ARMOUR"]);
    assert!(r.problems[1].hint.contains("BEGIN PRIVATE KEY"));
    let pkcs1 = key_file("app-private-pkcs1.pem").replace("RSA PRIVATE KEY", "PRIVATE KEY");
    assert_eq!(
        codes(&inspect(&text, Some(&pkcs1))),
        ["PRIVATE_KEY_GIVEN", "PRIVATE_KEY_ARMOUR"]
    );
    // An SPKI public key in PKCS#1 armour, and a PKCS#1 one in SPKI armour: read, and said.
    let spki = app_public().replace("PUBLIC KEY", "RSA PUBLIC KEY");
    let r = inspect(&text, Some(&spki));
    assert_eq!(
        (r.verdict, codes(&r).as_slice()),
        ("matches", &["KEY_ARMOUR"][..])
    );
    let pkcs1 = key_file("app-public-pkcs1.pem").replace("RSA PUBLIC KEY", "PUBLIC KEY");
    let r = inspect(&text, Some(&pkcs1));
    assert_eq!(
        (r.verdict, codes(&r).as_slice()),
        ("matches", &["KEY_ARMOUR"][..])
    );
    // The right forms say nothing; junk is unreadable, with a code.
    for file in ["app-public.pem", "app-public.txt", "app-public-pkcs1.pem"] {
        assert!(
            inspect(&text, Some(&key_file(file))).problems.is_empty(),
            "{file}"
        );
    }
    let r = inspect(&text, Some("not a key"));
    assert_eq!(r.verdict, "not_checked");
    assert_eq!(r.error.as_ref().unwrap().code, "INVALID_PUBLIC_KEY");
    assert_eq!(codes(&r), ["KEY_UNREADABLE"]);
    // No key text is ever in a message.
    let secret = key_file("app-private-pkcs1.pem");
    let line = secret.lines().nth(3).unwrap();
    let r = inspect(&text, Some(&secret));
    assert!(!format!("{r:?}").contains(line));
}
