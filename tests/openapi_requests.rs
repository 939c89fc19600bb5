//! The OpenAPI request builders against `alipay-sdk@4.14.0`'s captures
//! (tests/vectors/openapi/requests.json): for every case the same request-target, body bytes,
//! headers, string to sign and `sign`, signed here through `RsaSigner` (rsa 0.10); the captured
//! answers verify; every private-key form of the reference loads to the same key; wrong keys
//! fail with a code and never echo the key.

#![cfg(test)]

use alipay_notify::openapi::{
    prepare_request, read_v2_reply, read_v3_reply, PrivateKey, PrivateKeyFormat, Protocol,
    RequestInput, RsaSigner, Signer, V3Reply,
};
use alipay_notify::PublicKey;
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/openapi");

fn key_file(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/keys/{name}")).unwrap()
}

fn vectors() -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/requests.json")).unwrap()).unwrap()
}

fn sn() -> Value {
    serde_json::from_str(&key_file("sn.json")).unwrap()
}

fn input_for(case: &Value, camel: bool) -> RequestInput {
    let input = &case["input"];
    let protocol = if case["protocol"] == "v3" {
        Protocol::V3
    } else {
        Protocol::V2
    };
    let mut req = RequestInput::new(
        protocol,
        "2021000000000001",
        case["alipayMethod"].as_str().unwrap(),
        input["timestampMs"].as_i64().unwrap(),
    );
    let params = if camel {
        &input["paramsCamel"]
    } else {
        &input["params"]
    };
    req.params = params.as_object().unwrap().clone();
    req.camel_case = camel;
    req.nonce = input["nonce"].as_str().unwrap().to_string();
    req.app_auth_token = input["appAuthToken"].as_str().map(String::from);
    if case["mode"] == "cert" {
        let sn = sn();
        req.app_cert_sn = Some(sn["app_cert_sn"].as_str().unwrap().into());
        req.alipay_root_cert_sn = Some(sn["alipay_root_cert_sn"].as_str().unwrap().into());
    }
    req
}

#[test]
fn every_captured_request_is_reproduced_byte_for_byte() {
    let v = vectors();
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 76);
    let signer =
        RsaSigner::new(&PrivateKey::parse(&key_file("app-private-pkcs1.pem")).unwrap()).unwrap();
    let mut checked = 0;
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let want = &case["request"];
        for camel in [false, true] {
            let unsigned = prepare_request(&input_for(case, camel)).unwrap();
            assert_eq!(
                unsigned.string_to_sign,
                case["stringToSign"].as_str().unwrap(),
                "{id}"
            );
            let signed = unsigned.sign_with(&signer).unwrap();
            assert_eq!(signed.sign, case["sign"].as_str().unwrap(), "{id}: sign");
            assert_eq!(
                signed.http_method.as_str(),
                want["method"].as_str().unwrap(),
                "{id}"
            );
            assert_eq!(signed.body, want["body"].as_str().unwrap(), "{id}: body");
            let target = want["target"].as_str().unwrap();
            if case["protocol"] == "v3" {
                assert_eq!(signed.target, target, "{id}: target");
                // Every signed or protocol header the SDK sent, with the same value.
                let headers = want["headers"].as_object().unwrap();
                for name in [
                    "authorization",
                    "alipay-request-id",
                    "alipay-app-auth-token",
                    "alipay-root-cert-sn",
                    "content-type",
                    "accept",
                ] {
                    let ours = signed
                        .headers
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.as_str());
                    assert_eq!(
                        ours,
                        headers.get(name).and_then(Value::as_str),
                        "{id}: {name}"
                    );
                }
            } else {
                assert_eq!(
                    format!("/gateway.do{}", signed.target),
                    target,
                    "{id}: target"
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 76);
}

#[test]
fn every_captured_answer_verifies() {
    let v = vectors();
    let alipay_key = PublicKey::parse(&key_file("alipay-public.pem")).unwrap();
    let alipay_cert = PublicKey::parse(&key_file("alipayCertPublicKey_RSA2.crt")).unwrap();
    for case in v["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let key = if case["mode"] == "cert" {
            &alipay_cert
        } else {
            &alipay_key
        };
        let r = &case["response"];
        let body = r["body"].as_str().unwrap();
        let status = r["status"].as_u64().unwrap() as u16;
        let out = if case["protocol"] == "v3" {
            let h = &r["headers"];
            read_v3_reply(
                &V3Reply {
                    status,
                    body: body.as_bytes(),
                    timestamp: h["alipay-timestamp"].as_str(),
                    nonce: h["alipay-nonce"].as_str(),
                    signature: h["alipay-signature"].as_str(),
                    alipay_sn: h["alipay-sn"].as_str(),
                    trace_id: h["alipay-trace-id"].as_str(),
                },
                key,
            )
        } else {
            read_v2_reply(status, body, case["alipayMethod"].as_str().unwrap(), key)
        }
        .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(out.http_status, 200);
        if case["protocol"] == "v3" {
            assert_eq!(out.data, case["sdkResult"]["data"], "{id}");
        } else {
            assert_eq!(out.data["code"], "10000", "{id}");
            assert_eq!(out.signed_content, r["signedContent"].as_str().unwrap());
        }
        // Another key never verifies the same answer.
        let other = PublicKey::parse(&key_file("other-public.pem")).unwrap();
        let e = if case["protocol"] == "v3" {
            let h = &r["headers"];
            read_v3_reply(
                &V3Reply {
                    status,
                    body: body.as_bytes(),
                    timestamp: h["alipay-timestamp"].as_str(),
                    nonce: h["alipay-nonce"].as_str(),
                    signature: h["alipay-signature"].as_str(),
                    alipay_sn: None,
                    trace_id: None,
                },
                &other,
            )
        } else {
            read_v2_reply(status, body, case["alipayMethod"].as_str().unwrap(), &other)
        }
        .unwrap_err();
        assert_eq!(e.code(), "SIGNATURE_MISMATCH", "{id}");
    }
}

#[test]
fn every_private_key_form_loads_to_the_same_key() {
    let forms = [
        ("app-private-pkcs1.pem", PrivateKeyFormat::Pkcs1),
        ("app-private-pkcs1.txt", PrivateKeyFormat::Pkcs1),
        ("app-private-pkcs1-wrapped.txt", PrivateKeyFormat::Pkcs1),
        ("app-private-pkcs1-crlf.pem", PrivateKeyFormat::Pkcs1),
        ("app-private-pkcs8.pem", PrivateKeyFormat::Pkcs8),
        ("app-private-pkcs8.txt", PrivateKeyFormat::Pkcs8),
        ("app-private-pkcs8-wrapped.txt", PrivateKeyFormat::Pkcs8),
        ("app-private-pkcs8-crlf.pem", PrivateKeyFormat::Pkcs8),
    ];
    let reference = PrivateKey::parse(&key_file("app-private-pkcs8.pem")).unwrap();
    let app_public = PublicKey::parse(&key_file("app-public.pem")).unwrap();
    let message = b"app_id=2021000000000001&method=x";
    let want = RsaSigner::new(&reference)
        .unwrap()
        .sign_rsa2(message)
        .unwrap();
    for (file, format) in forms {
        let text = key_file(file);
        let key = PrivateKey::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(key.format(), format, "{file}");
        assert_eq!(key.bits(), 2048);
        assert_eq!(key.pkcs8_der(), reference.pkcs8_der(), "{file}");
        assert!(key.is_own_public_key(&app_public));
        assert_eq!(
            key.public_key().unwrap(),
            PublicKey::from_der(&der_of(&key_file("app-public.txt"))).unwrap()
        );
        // A one-line PEM with literal `\n` escapes (an environment file) loads too.
        let escaped = text.trim().replace("\r\n", "\\n").replace('\n', "\\n");
        assert_eq!(
            PrivateKey::parse(&escaped).unwrap().pkcs8_der(),
            reference.pkcs8_der()
        );
        let sig = RsaSigner::new(&key).unwrap().sign_rsa2(message).unwrap();
        assert_eq!(sig, want, "{file}");
        // Debug output shows no key material.
        let dbg = format!("{key:?}");
        assert!(dbg.contains("2048") && dbg.len() < 80, "{dbg}");
    }
    // The canonical PKCS#8 is what Python's cryptography wrote.
    assert_eq!(
        reference.pkcs8_der(),
        der_of(&key_file("app-private-pkcs8.txt")).as_slice()
    );
}

fn der_of(bare: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(bare.split_whitespace().collect::<String>())
        .unwrap()
}

#[test]
fn wrong_keys_fail_with_a_code_and_never_echo_the_key() {
    let cases = [
        key_file("app-public.pem"),
        key_file("app-public.txt"),
        key_file("app-public-pkcs1.pem"),
        key_file("alipay-public.pem"),
        key_file("alipay-public.txt"),
        key_file("alipayCertPublicKey_RSA2.crt"),
        key_file("appCertPublicKey_2021000000000001.crt"),
        "not a key".to_string(),
        "-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----".to_string(),
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nQUJD\n-----END ENCRYPTED PRIVATE KEY-----"
            .to_string(),
        key_file("app-private-pkcs8.txt").replace('A', "*"),
        key_file("app-private-pkcs8.txt")[..200].to_string(),
    ];
    for text in &cases {
        let e = PrivateKey::parse(text).unwrap_err();
        assert_eq!(e.code(), "INVALID_PRIVATE_KEY", "{e}");
        let shown = format!("{e} {e:?}");
        for chunk in text.split_whitespace().filter(|c| c.len() >= 16) {
            assert!(!shown.contains(&chunk[..16]), "{shown}");
        }
    }
    let public = PrivateKey::parse(&key_file("alipay-public.txt")).unwrap_err();
    assert!(public.to_string().contains("public key"), "{public}");
}

/// An answer signed as the mock signs it, with the test "Alipay" key (`rsa` 0.10 signs).
fn alipay_sign(text: &str) -> String {
    use base64::Engine as _;
    let key = PrivateKey::parse(&key_file("alipay-private-pkcs8.pem")).unwrap();
    let sig = RsaSigner::new(&key)
        .unwrap()
        .sign_rsa2(text.as_bytes())
        .unwrap();
    base64::engine::general_purpose::STANDARD.encode(sig)
}

#[test]
fn answers_that_are_not_verified_data_are_coded() {
    let key = PublicKey::parse(&key_file("alipay-public.pem")).unwrap();
    let v3 = |status: u16, body: &str, signed: bool| {
        let sig = alipay_sign(&format!("1\nn\n{body}\n"));
        read_v3_reply(
            &V3Reply {
                status,
                body: body.as_bytes(),
                timestamp: Some("1"),
                nonce: Some("n"),
                signature: signed.then_some(sig.as_str()),
                alipay_sn: None,
                trace_id: Some("trace"),
            },
            &key,
        )
    };
    assert_eq!(v3(200, "{\"a\":1}", true).unwrap().data["a"], 1);
    assert_eq!(v3(200, "", true).unwrap().data, serde_json::json!({}));
    assert_eq!(
        v3(200, "{}", false).unwrap_err().code(),
        "MISSING_PARAMETER"
    );
    assert_eq!(
        v3(200, "", false).unwrap_err().code(),
        "UNEXPECTED_RESPONSE"
    );
    assert_eq!(
        v3(200, "<html>", true).unwrap_err().code(),
        "MALFORMED_RESPONSE"
    );
    let err = |e: alipay_notify::Error| match e {
        alipay_notify::Error::AlipayApiError { detail } => *detail,
        other => panic!("{other}"),
    };
    let body = r#"{"code":"ORDER_NOT_EXIST","message":"订单不存在","links":[{"link":"https://x","desc":"d"}]}"#;
    let signed = err(v3(400, body, true).unwrap_err());
    assert_eq!(
        (signed.code.as_str(), signed.http_status, signed.verified),
        ("ORDER_NOT_EXIST", 400, true)
    );
    assert_eq!(
        signed.links,
        vec![("https://x".to_string(), "d".to_string())]
    );
    assert_eq!(signed.trace_id.as_deref(), Some("trace"));
    assert!(!err(v3(401, body, false).unwrap_err()).verified);
    assert_eq!(
        v3(502, "<html>bad gateway</html>", false)
            .unwrap_err()
            .code(),
        "UNEXPECTED_RESPONSE"
    );

    let method = "alipay.open.servicemarket.order.accept";
    let v2 = |inner: &str, signed: bool| {
        let mut body = format!(r#"{{"alipay_open_servicemarket_order_accept_response":{inner}"#);
        if signed {
            body.push_str(&format!(r#","sign":"{}""#, alipay_sign(inner)));
        }
        body.push('}');
        read_v2_reply(200, &body, method, &key)
    };
    assert_eq!(
        v2(r#"{"code":"10000","msg":"Success"}"#, true)
            .unwrap()
            .data["code"],
        "10000"
    );
    let business = err(v2(
        r#"{"code":"40004","msg":"Business Failed","sub_code":"ORDER_NOT_EXIST","sub_msg":"订单不存在"}"#,
        true,
    )
    .unwrap_err());
    assert_eq!(business.sub_code.as_deref(), Some("ORDER_NOT_EXIST"));
    assert!(business.verified);
    assert!(!err(v2(r#"{"code":"40004","msg":"x"}"#, false).unwrap_err()).verified);
    assert_eq!(
        v2(r#"{"code":"10000","msg":"Success"}"#, false)
            .unwrap_err()
            .code(),
        "MISSING_PARAMETER"
    );
    // Signed with `/`, sent with `\/`: verified on the retry, as Alipay's Java SDK does.
    let signed_text = r#"{"code":"10000","msg":"Success","url":"a/b"}"#;
    let body = format!(
        r#"{{"alipay_open_servicemarket_order_accept_response":{},"sign":"{}"}}"#,
        signed_text.replace('/', "\\/"),
        alipay_sign(signed_text)
    );
    assert_eq!(
        read_v2_reply(200, &body, method, &key).unwrap().data["url"],
        "a/b"
    );
    assert_eq!(
        read_v2_reply(502, "<html></html>", method, &key)
            .unwrap_err()
            .code(),
        "UNEXPECTED_RESPONSE"
    );
    assert_eq!(
        read_v2_reply(200, "", method, &key).unwrap_err().code(),
        "UNEXPECTED_RESPONSE"
    );
}
