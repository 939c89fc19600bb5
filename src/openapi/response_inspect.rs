//! Why an answer from Alipay does not verify: the verdict of [`verify_v3_response`] /
//! [`verify_response`], and for a signature that does not match, which of the two causes it is —
//! the right key over changed text (re-formatted JSON, a trimmed body, headers from another
//! response), or another key (the app public key pasted where the Alipay public key belongs, a
//! rotated certificate). Told apart by the public operation alone: the right key gives a
//! well-formed PKCS#1 block, any other key noise.
//!
//! [`verify_v3_response`]: super::verify_v3_response
//! [`verify_response`]: super::verify_response

use serde::Serialize;

use super::app_key::problem;
use super::response::{verify_response, verify_v3_response};
use crate::crypto::rsa::pkcs1v15::{Recovered, SignType};
use crate::encoding::base64::{decode as decode_base64, Policy};
use crate::error::Error;
use crate::notify::{ErrorInfo, KeyReport, Problem};
use crate::trust::PublicKey;

/// An answer as received: v3 (headers and body) or v2 (the JSON text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseInput<'a> {
    /// A v3 answer: the `alipay-timestamp`, `alipay-nonce` and `alipay-signature` headers
    /// (`None` when absent) and the raw body.
    V3 {
        /// `alipay-timestamp`.
        timestamp: Option<&'a str>,
        /// `alipay-nonce`.
        nonce: Option<&'a str>,
        /// `alipay-signature` (base64).
        signature: Option<&'a str>,
        /// The body exactly as received.
        body: &'a str,
    },
    /// A v2 gateway answer: the JSON text, and the API method when known (otherwise the first
    /// `<method>_response` member names it).
    V2 {
        /// The body exactly as received.
        body: &'a str,
        /// The API called, e.g. `alipay.open.servicemarket.order.query`.
        method: Option<&'a str>,
    },
}

/// What was found about an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseInspection {
    /// `"v3"` or `"v2"`.
    pub protocol: &'static str,
    /// Whether the signature verifies with the key.
    pub verified: bool,
    /// The text the signature covers (v3: `timestamp\nnonce\nbody\n`; v2: the member's raw text
    /// once verified, `None` before).
    pub signed_content: Option<String>,
    /// Why it does not verify, as a coded error.
    pub error: Option<ErrorInfo>,
    /// The key as read.
    pub key: KeyReport,
    /// `Some(true)`: the signature was made by this key's pair (over other text when it does
    /// not verify); `Some(false)`: by another key; `None`: not known.
    pub signed_by_key: Option<bool>,
    /// Findings with advice, the one that explains the verdict first.
    pub problems: Vec<Problem>,
}

/// Inspects an answer with the Alipay public key (see the module docs). Never fails.
///
/// ```
/// use alipay_notify::openapi::{inspect_response, ResponseInput};
/// let r = inspect_response(ResponseInput::V2 { body: "{}", method: None }, None);
/// assert!(!r.verified);
/// assert_eq!(r.error.unwrap().code, "INVALID_PUBLIC_KEY");
/// assert_eq!(r.problems[0].code, "KEY_MISSING");
/// ```
pub fn inspect_response(
    input: ResponseInput<'_>,
    alipay_public_key: Option<&str>,
) -> ResponseInspection {
    let mut report = ResponseInspection {
        protocol: match input {
            ResponseInput::V3 { .. } => "v3",
            ResponseInput::V2 { .. } => "v2",
        },
        verified: false,
        signed_content: None,
        error: None,
        key: KeyReport {
            provided: false,
            bits: None,
            error: None,
        },
        signed_by_key: None,
        problems: Vec::new(),
    };
    if let ResponseInput::V3 {
        timestamp,
        nonce,
        signature,
        body,
    } = input
    {
        report.signed_content = Some(format!(
            "{}\n{}\n{body}\n",
            timestamp.unwrap_or(""),
            nonce.unwrap_or("")
        ));
        let missing: Vec<&str> = [
            ("alipay-timestamp", timestamp),
            ("alipay-nonce", nonce),
            ("alipay-signature", signature),
        ]
        .iter()
        .filter(|(_, v)| v.is_none_or(str::is_empty))
        .map(|(n, _)| *n)
        .collect();
        if !missing.is_empty() {
            let names = missing.join(", ");
            report.error = Some(
                (&Error::MissingParameter {
                    name: names.clone(),
                })
                    .into(),
            );
            report.problems.push(problem(
                "MISSING_PARAMETER",
                "error",
                format!("missing header {names}"),
                &format!("Missing header {names}: a v3 response's signature (alipay-signature) covers alipay-timestamp, alipay-nonce and the raw body. Paste the response with its headers."),
                &format!("缺少响应头 {names}:v3 响应的签名(alipay-signature)覆盖 alipay-timestamp、alipay-nonce 和原始响应体。请连同响应头一起粘贴。"),
            ));
            return report;
        }
    }
    let text = alipay_public_key.map(str::trim).filter(|t| !t.is_empty());
    let Some(text) = text else {
        let e = Error::key("no Alipay public key given");
        report.error = Some((&e).into());
        report.key.error = Some((&e).into());
        report.problems.push(problem(
            "KEY_MISSING",
            "error",
            "no Alipay public key was given: nothing was verified".into(),
            "Paste the Alipay public key (支付宝公钥) from the Open Platform console (not the app public key), or in certificate mode the Alipay public-key certificate.",
            "没有粘贴支付宝公钥:什么都没有验证。请粘贴开放平台控制台中的“支付宝公钥”(不是应用公钥),证书模式下粘贴支付宝公钥证书。",
        ));
        return report;
    };
    report.key.provided = true;
    let key = match PublicKey::parse(text) {
        Ok(k) => k,
        Err(e) => {
            report.error = Some((&e).into());
            report.key.error = Some((&e).into());
            report.problems.push(problem(
                "KEY_UNREADABLE",
                "error",
                e.to_string(),
                "This key cannot be read: paste the console's Alipay public key (base64 or PEM) or the Alipay public-key certificate.",
                "无法读取这个公钥:请粘贴控制台中的“支付宝公钥”(base64 或 PEM)或支付宝公钥证书。",
            ));
            return report;
        }
    };
    report.key.bits = Some(key.bits());

    let (result, signature) = match input {
        ResponseInput::V3 {
            timestamp,
            nonce,
            signature,
            body,
        } => (
            verify_v3_response(
                timestamp.unwrap_or(""),
                nonce.unwrap_or(""),
                body.as_bytes(),
                signature.unwrap_or(""),
                &key,
            ),
            signature.map(str::to_string),
        ),
        ResponseInput::V2 { body, method } => {
            let json = serde_json::from_str::<serde_json::Value>(body).ok();
            let sign = json
                .as_ref()
                .and_then(|v| v.get("sign"))
                .and_then(|s| s.as_str())
                .map(str::to_string);
            let derived = json.as_ref().and_then(|v| v.as_object()).and_then(|o| {
                o.keys()
                    .filter_map(|k| k.strip_suffix("_response"))
                    .find(|k| *k != "error")
                    .map(|k| k.replace('_', "."))
            });
            // Only `error_response` (a gateway error): any method then verifies that member.
            let method = method
                .map(str::to_string)
                .or(derived)
                .unwrap_or_else(|| "alipay.open.servicemarket.order.query".into());
            let result = verify_response(body, &key, &method, SignType::Rsa2).map(|r| {
                report.signed_content = Some(r.signed_content);
            });
            (result, sign)
        }
    };
    match result {
        Ok(()) => {
            report.verified = true;
            report.signed_by_key = Some(true);
        }
        Err(e) => {
            if matches!(e, Error::SignatureMismatch) {
                let by_key = signature
                    .as_deref()
                    .and_then(|s| decode_base64(s.as_bytes(), Policy::SIGNATURE).ok())
                    .and_then(|sig| Recovered::new(key.rsa(), &sig).ok())
                    .map(|r| r.recovered_digest().is_some());
                report.signed_by_key = by_key;
                report
                    .problems
                    .push(mismatch_problem(by_key, report.protocol));
            } else {
                report.problems.push(problem(
                    e.code(),
                    "error",
                    e.to_string(),
                    match e {
                        Error::MalformedSignature { .. } => "The signature is not valid base64 RSA, or not of this key's size: check that it was copied whole.",
                        Error::MalformedResponse { .. } | Error::MissingParameter { .. } => "Not the shape of an Alipay v2 response: the raw JSON text {\"<method>_response\":{…},\"sign\":\"…\"} is expected.",
                        _ => "See the error's message.",
                    },
                    match e {
                        Error::MalformedSignature { .. } => "签名不是有效的 base64 RSA 签名,或长度与公钥不符:请确认复制完整。",
                        Error::MalformedResponse { .. } | Error::MissingParameter { .. } => "不是支付宝 v2 响应的格式:应为 {\"<method>_response\":{…},\"sign\":\"…\"} 的原始 JSON 文本。",
                        _ => "见错误信息。",
                    },
                ));
            }
            report.error = Some((&e).into());
        }
    }
    report
}

/// The problem for a signature that does not match, by who made it.
fn mismatch_problem(by_key: Option<bool>, protocol: &str) -> Problem {
    match by_key {
        Some(true) => problem(
            "CONTENT_CHANGED",
            "error",
            "the signature was made with this key's pair, over other text".into(),
            &format!("The key is right — Alipay signed this answer with its pair — but over other text: the answer was changed after it arrived. Verify the raw bytes as received: not re-formatted or re-serialised JSON (pretty-printed, keys reordered, \\/ rewritten), no line break added or removed{}.", if protocol == "v3" { ", and alipay-timestamp / alipay-nonce of this very response" } else { "" }),
            &format!("公钥正确(支付宝确实用其对应的私钥签名),但签名的内容不同:响应在收到后被改动了。请对收到的原始字节验签:不要重新格式化或重新序列化 JSON(缩进、键的顺序、\\/ 的写法),不要增删换行{}。", if protocol == "v3" { ",alipay-timestamp / alipay-nonce 须来自同一个响应" } else { "" }),
        ),
        Some(false) => problem(
            "WRONG_KEY",
            "error",
            "the signature was not made with this key's pair".into(),
            "The signature was not made with the pair of this key: this is not the Alipay public key (支付宝公钥) — the app public key (应用公钥) is the one most often pasted in its place — or, in certificate mode, Alipay signed with a newer certificate (compare alipay-sn).",
            "签名不是由这个公钥对应的私钥生成的:这不是“支付宝公钥”(最常见的是粘贴了应用公钥);证书模式下也可能是支付宝已换用新证书(对比 alipay-sn)。",
        ),
        None => problem(
            "SIGNATURE_MISMATCH",
            "error",
            "the signature does not match".into(),
            "The signature does not match: check the key (the Alipay public key, not the app public key) and that the text is exactly as received.",
            "签名不匹配:请检查公钥(支付宝公钥,不是应用公钥),并确认内容与收到的完全一致。",
        ),
    }
}
