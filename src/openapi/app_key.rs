//! Reading the key a user pastes to check a request: the app public key (应用公钥), and the
//! mistakes around it that Alipay's `isv.invalid-signature` never names — a private key pasted
//! instead (checked with its public half, and said so), or PEM armour that does not fit the key
//! inside (`BEGIN RSA PUBLIC KEY` around an SPKI key, `BEGIN RSA PRIVATE KEY` around PKCS#8: the
//! PKCS#1/PKCS#8 confusion behind `DECODER routines::unsupported`). Nothing of the key text is
//! ever put in a message.

use super::private_key::{PrivateKey, PrivateKeyFormat};
use crate::encoding::base64::{decode as decode_base64, Policy};
use crate::error::Error;
use crate::notify::{KeyReport, Problem};
use crate::trust::PublicKey;

/// The key as read, with what was found about it.
pub(crate) struct AppKey {
    /// The public key the request is checked with (`None`: nothing can be verified).
    pub key: Option<PublicKey>,
    /// Whether one was given, its size, why it did not load.
    pub report: KeyReport,
    /// The mistakes found in the key text.
    pub problems: Vec<Problem>,
}

/// A problem about the key (no parameter concerned).
pub(crate) fn problem(
    code: &'static str,
    severity: &'static str,
    message: String,
    hint: &str,
    hint_zh: &str,
) -> Problem {
    Problem {
        code,
        severity,
        message,
        hint: hint.to_string(),
        hint_zh: hint_zh.to_string(),
        param: None,
    }
}

/// Reads `text` (see the module docs).
pub(crate) fn read(text: Option<&str>) -> AppKey {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    let Some(text) = text else {
        let e = Error::key("no app public key given");
        return AppKey {
            key: None,
            report: KeyReport {
                provided: false,
                bits: None,
                error: Some((&e).into()),
            },
            problems: vec![problem(
                "KEY_MISSING",
                "error",
                "no app public key was given: nothing was verified".into(),
                "Paste the app public key (应用公钥) you uploaded to the Open Platform console — the public half of the private key you sign with — to check the signature.",
                "没有粘贴应用公钥:什么都没有验证。请粘贴上传到开放平台控制台的“应用公钥”(你用来签名的应用私钥的公钥)。",
            )],
        };
    };
    let mut problems = Vec::new();
    let key = match PublicKey::parse(text) {
        Ok(k) => Ok(k),
        Err(e) => match private_key(text, &mut problems) {
            Some(k) => Ok(k),
            None => armour_mismatch(text, &mut problems).ok_or(e),
        },
    };
    match key {
        Ok(k) => AppKey {
            report: KeyReport {
                provided: true,
                bits: Some(k.bits()),
                error: None,
            },
            key: Some(k),
            problems,
        },
        Err(e) => {
            problems.push(problem(
                "KEY_UNREADABLE",
                "error",
                e.to_string(),
                "This is not an RSA public key in a form we read (base64 SPKI as the console shows it, PEM `BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`). Paste the app public key (应用公钥) exactly as the console shows it.",
                "无法读取这个公钥(支持控制台中的 base64 SPKI、PEM `BEGIN PUBLIC KEY` 或 `BEGIN RSA PUBLIC KEY`)。请原样粘贴控制台中的“应用公钥”。",
            ));
            AppKey {
                key: None,
                report: KeyReport {
                    provided: true,
                    bits: None,
                    error: Some((&e).into()),
                },
                problems,
            }
        }
    }
}

/// A private key pasted where the app public key belongs: its public half, and the problems
/// (that it is private; that its armour does not fit its format).
fn private_key(text: &str, problems: &mut Vec<Problem>) -> Option<PublicKey> {
    let private = PrivateKey::parse(text).ok()?;
    let public = private.public_key().ok()?;
    problems.push(problem(
        "PRIVATE_KEY_GIVEN",
        "warning",
        "a private key was pasted; it was checked with its public half".into(),
        "This is a private key (应用私钥), not the app public key. It was checked here with its public half and stays in this page, but a private key belongs only in your signer: paste the app public key (应用公钥) instead, and make sure the console holds the public half of this very key.",
        "这是私钥(应用私钥),不是应用公钥。本页已用它的公钥部分检查,且不会离开本页面;但私钥只应留在签名程序中:请改为粘贴“应用公钥”,并确认控制台中上传的正是这把私钥对应的公钥。",
    ));
    let label = pem_label(text);
    let fits = matches!(
        (label, private.format()),
        (Some("RSA PRIVATE KEY"), PrivateKeyFormat::Pkcs1)
            | (Some("PRIVATE KEY"), PrivateKeyFormat::Pkcs8)
            | (None, _)
    );
    if !fits {
        let (inside, armour) = match private.format() {
            PrivateKeyFormat::Pkcs1 => ("PKCS#1", "-----BEGIN RSA PRIVATE KEY-----"),
            PrivateKeyFormat::Pkcs8 => ("PKCS#8", "-----BEGIN PRIVATE KEY-----"),
        };
        problems.push(problem(
            "PRIVATE_KEY_ARMOUR",
            "warning",
            format!(
                "the armour says {}, the key inside is {inside}",
                label.unwrap_or("")
            ),
            &format!("The PEM label does not fit the key inside: a {inside} key is armoured `{armour}`. Signers that trust the label fail (Node: `DECODER routines::unsupported`, older OpenSSL: `asn1 … wrong tag`; alipay-sdk: set keyType to match); Java wants bare base64 PKCS#8."),
            &format!("PEM 标签与其中的密钥不符:{inside} 密钥应使用 `{armour}`。按标签读取的签名程序会失败(Node:`DECODER routines::unsupported`,旧版 OpenSSL:`asn1 … wrong tag`;alipay-sdk 请设置相符的 keyType);Java 需要不带标签的 base64 PKCS#8。"),
        ));
    }
    Some(public)
}

/// A public key whose PEM label names the other encoding (SPKI under `RSA PUBLIC KEY`, PKCS#1
/// under `PUBLIC KEY`): the key, and the problem.
fn armour_mismatch(text: &str, problems: &mut Vec<Problem>) -> Option<PublicKey> {
    let label = pem_label(text)?;
    if label != "PUBLIC KEY" && label != "RSA PUBLIC KEY" {
        return None;
    }
    let body: String = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = decode_base64(body.as_bytes(), Policy::KEY_TEXT).ok()?;
    let (key, inside, armour) = if let Ok(k) = PublicKey::from_spki_der(&der) {
        (k, "SPKI", "-----BEGIN PUBLIC KEY-----")
    } else {
        let k = PublicKey::from_pkcs1_der(&der).ok()?;
        (k, "PKCS#1", "-----BEGIN RSA PUBLIC KEY-----")
    };
    problems.push(problem(
        "KEY_ARMOUR",
        "warning",
        format!("the armour says {label}, the key inside is {inside}"),
        &format!("The PEM label does not fit the key inside: a {inside} public key is armoured `{armour}` (the console's base64 is SPKI). It was read anyway; verifiers that trust the label refuse it."),
        &format!("PEM 标签与其中的公钥不符:{inside} 公钥应使用 `{armour}`(控制台中的 base64 是 SPKI)。本页仍按内容读取;按标签读取的验签程序会拒绝它。"),
    ));
    Some(key)
}

/// The label of the text's first `-----BEGIN …-----` line.
fn pem_label(text: &str) -> Option<&str> {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("-----BEGIN ")?.strip_suffix("-----"))
}
