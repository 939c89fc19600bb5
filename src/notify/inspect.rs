//! `inspect`: everything the core knows about a notification, for a person debugging why it
//! does or doesn't verify. Never fails.

use serde::Serialize;

use crate::crypto::rsa::pkcs1v15::{Recovered, SignType};
use crate::encoding::charset::Charset;
use crate::encoding::form::{
    check_param_limits, first_duplicate, form_part, parse_lenient, Form, Param, MAX_BODY_BYTES,
};
use crate::error::{excerpt, Error};
use crate::notify::model::{Kind, Notification};
use crate::notify::options::{VariantChoice, VerifyOptions};
use crate::notify::sign_content::{sign_content, EmptyValues, Variant};
use crate::notify::verify::{decode_sign_value, parse_form, resolve_charset, verify_form};
use crate::trust::public_key::PublicKey;

/// An error as data: its stable code and message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorInfo {
    /// The stable code ([`Error::code`]).
    pub code: &'static str,
    /// A readable message.
    pub message: String,
}

impl From<&Error> for ErrorInfo {
    fn from(e: &Error) -> Self {
        ErrorInfo {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// One parameter as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InspectedParam {
    /// The name (decoded; lossily if not valid text).
    pub name: String,
    /// The value as text in the notification's charset (invalid bytes shown as U+FFFD).
    pub value: String,
    /// Whether name and value are valid text in that charset.
    pub valid_text: bool,
    /// The value's bytes as `%XX` escapes, when they are not valid text.
    pub raw: Option<String>,
    /// Whether the parameter is part of the V1 sign content.
    pub in_v1: bool,
    /// Whether the parameter is part of the V2 sign content.
    pub in_v2: bool,
    /// Whether Alipay documents this parameter for the kind (`None` for generic notifications).
    pub documented: Option<bool>,
}

/// What checking one variant gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VariantVerdict {
    /// The signature matches this variant's sign content.
    Verified,
    /// It does not.
    Mismatch,
    /// It could not be checked (no key, bad key, bad signature, …).
    NotChecked,
}

/// The overall verdict, as `verifyNotification` would give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// `verified`, `failed` (the notification is refused), or `error` (nothing to check it with:
    /// no key, a bad key or bad options).
    pub status: &'static str,
    /// The variant that matched.
    pub variant: Option<Variant>,
    /// The sign type that matched.
    pub sign_type: Option<SignType>,
    /// Why it was refused.
    pub error: Option<ErrorInfo>,
}

/// A finding with advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Stable identifier (an error code, or an inspection-only code such as `WRONG_KEY`).
    pub code: &'static str,
    /// `error` (stops verification), `warning` (likely cause) or `info`.
    pub severity: &'static str,
    /// What was found.
    pub message: String,
    /// What to do (English).
    pub hint: String,
    /// What to do (Chinese).
    pub hint_zh: String,
    /// The parameter concerned, if one.
    pub param: Option<String>,
}

/// The key as `inspect` saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyReport {
    /// Whether a key was given.
    pub provided: bool,
    /// The modulus size, when the key loaded.
    pub bits: Option<usize>,
    /// Why the key did not load.
    pub error: Option<ErrorInfo>,
}

/// The full report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    /// The overall verdict.
    pub outcome: Outcome,
    /// Every parameter in received order, duplicates included.
    pub params: Vec<InspectedParam>,
    /// The kind recognised.
    pub kind: Kind,
    /// The charset used to show the values (`None` if the declared one is unsupported).
    pub charset: Option<Charset>,
    /// `sign_type` as received.
    pub sign_type: Option<String>,
    /// The V1 sign content, as text.
    pub sign_content_v1: String,
    /// The V2 sign content, as text.
    pub sign_content_v2: String,
    /// The variant Alipay documents for this kind.
    pub documented_variant: Variant,
    /// Whether the signature matches the V1 content.
    pub v1: VariantVerdict,
    /// Whether the signature matches the V2 content.
    pub v2: VariantVerdict,
    /// The key.
    pub key: KeyReport,
    /// The notification parsed (unverified unless `outcome.status` is `verified`).
    pub notification: Option<Notification>,
    /// Findings, most important first.
    pub problems: Vec<Problem>,
}

fn problem(
    code: &'static str,
    severity: &'static str,
    message: impl Into<String>,
    hint: &str,
    hint_zh: &str,
    param: Option<&[u8]>,
) -> Problem {
    Problem {
        code,
        severity,
        message: message.into(),
        hint: hint.into(),
        hint_zh: hint_zh.into(),
        param: param.map(excerpt),
    }
}

/// Inspects a raw body (form, `?query` or URL). See [`Inspection`].
///
/// ```
/// let report = alipay_notify::inspect(b"notify_type=servicemarket_order_notify&sign=a b",
///                                     None, &Default::default());
/// assert_eq!(report.outcome.status, "error");
/// assert!(report.problems.iter().any(|p| p.code == "SIGN_HAS_SPACES"));
/// ```
pub fn inspect(body: &[u8], key: Option<&str>, options: &VerifyOptions) -> Inspection {
    let (params, form_problems) = parse_lenient(body);
    let mut problems = Vec::new();
    if body.len() > MAX_BODY_BYTES {
        problems.push(problem(
            "INPUT_TOO_LARGE",
            "error",
            format!("the body is over {MAX_BODY_BYTES} bytes; only the start is shown"),
            "Real notifications are a few KiB: check what is being posted to the gateway.",
            "真实通知只有几 KB:检查网关收到的内容。",
            None,
        ));
    }
    for message in form_problems {
        problems.push(problem(
            "MALFORMED_FORM",
            "error",
            message,
            "A `%` must start a two-digit hex escape. Was the body changed after it arrived?",
            "`%` 后必须是两位十六进制。请确认请求体到达后未被修改。",
            None,
        ));
    }
    if contains(form_part(body), "¬ify".as_bytes()) || contains(body, b"\xacify") {
        problems.push(problem(
            "PASTED_NOT_ENTITY",
            "error",
            "the input contains `¬ify`: `&not` of `&notify_…` was turned into `¬` (an HTML entity) when copied",
            "Replace `¬` with `&not` (the debugging page does it in one click).",
            "从文档复制时 `&notify_…` 中的 `&not` 被当成 HTML 实体变成了 `¬`:把 `¬` 换回 `&not`。",
            None,
        ));
    }
    let mut report = inspect_params(params, problems, key, options);
    // The verdict is `verify`'s on these very bytes: the lenient reading above keeps a bad
    // escape literally and shows only the start of an over-long body, and neither may verify.
    if let (Err(e), true) = (Form::parse(body), report.outcome.status != "error") {
        report.outcome = Outcome {
            status: "failed",
            variant: None,
            sign_type: None,
            error: Some(ErrorInfo::from(&e)),
        };
        if let Some(n) = report.notification.as_mut() {
            n.verified = false;
            n.variant = None;
            n.fingerprint = None;
            n.order_event = None;
        }
    }
    report
}

/// Inspects already-decoded params (a JS object or `URLSearchParams`).
pub fn inspect_params(
    mut params: Vec<Param>,
    mut problems: Vec<Problem>,
    key_text: Option<&str>,
    options: &VerifyOptions,
) -> Inspection {
    // Past the parameter limit only the start is shown, as for a body: one more than the limit
    // is kept, so the verdict below is still `verify`'s (`INPUT_TOO_LARGE`). It also bounds the
    // checks below that compare each parameter with the others.
    if params.len() > crate::encoding::form::MAX_PARAMS + 1 {
        params.truncate(crate::encoding::form::MAX_PARAMS + 1);
        problems.push(problem(
            "INPUT_TOO_LARGE",
            "error",
            format!(
                "more than {} parameters; the rest is not shown",
                crate::encoding::form::MAX_PARAMS
            ),
            "Real notifications have about 25 parameters: check what is being passed in.",
            "真实通知约有 25 个参数:检查传入的内容。",
            None,
        ));
    }
    if let Some(name) = first_duplicate(&params) {
        problems.push(problem(
            "DUPLICATE_PARAMETER",
            "error",
            format!("`{}` occurs more than once", excerpt(name)),
            "Alipay never repeats a parameter: something merged another source (query string and body, a proxy) into the request. It is refused as parameter pollution.",
            "支付宝不会重复发送同名参数:请求被合并了其他来源(查询串与请求体、代理)。按参数污染拒绝。",
            Some(name),
        ));
    }
    // For showing sign contents, the first occurrence of each name counts; a parameter over a
    // limit (or with an empty name) is left out and reported, so the rest can still be shown.
    let mut unique: Vec<Param> = Vec::with_capacity(params.len());
    for p in &params {
        if unique.iter().any(|u| u.name == p.name) {
            continue;
        }
        match check_param_limits(p) {
            Ok(()) => unique.push(p.clone()),
            Err(e) => problems.push(problem(
                e.code(),
                "error",
                e.to_string(),
                "Verification refuses the whole notification because of this parameter; it is left out of what is shown here.",
                "验签会因该参数拒绝整条通知;此处展示时已将其略去。",
                Some(&p.name),
            )),
        }
    }
    unique.truncate(crate::encoding::form::MAX_PARAMS);
    let form = Form::from_params(unique).unwrap_or_default();
    let kind = Kind::detect(&form);
    let charset = match resolve_charset(&form, options) {
        Ok(c) => {
            if c == Charset::Gbk {
                problems.push(problem(
                    "GBK_DECLARED",
                    "info",
                    "the notification declares charset GBK",
                    "The signature is over the GBK bytes. Hand the raw body to the verifier: a framework that decodes it as UTF-8 first (Express urlencoded, Spring getParameter without the request encoding) corrupts Chinese values.",
                    "签名基于 GBK 字节。请把原始请求体交给验签:先按 UTF-8 解码的框架(Express urlencoded、未设置编码的 Spring getParameter)会损坏中文。",
                    Some(b"charset"),
                ));
            }
            Some(c)
        }
        Err(e) => {
            problems.push(problem(
                e.code(),
                "error",
                e.to_string(),
                "Alipay sends UTF-8 or GBK (GB2312 / GB18030 are read as GBK).",
                "支付宝只使用 UTF-8 或 GBK(GB2312 / GB18030 按 GBK 处理)。",
                Some(b"charset"),
            ));
            None
        }
    };
    let shown = charset.unwrap_or(Charset::Utf8);
    let documented = kind.documented_params();
    // Whether this very parameter is in a variant's sign content: the first of its name, within
    // the limits (so in `form`), and not left out by the variant or the empty-value rule.
    let signed = |p: &Param, variant: Variant| {
        let first = params.iter().position(|q| q.name == p.name)
            == params.iter().position(|q| core::ptr::eq(q, p));
        first
            && form.params().iter().any(|f| f.name == p.name)
            && p.name != b"sign"
            && !(variant == Variant::V1 && p.name == b"sign_type")
            && !(options.empty_values == EmptyValues::Skip && p.value.is_empty())
    };
    let inspected: Vec<InspectedParam> = params
        .iter()
        .map(|p| {
            let valid_text = shown.decode(&p.name).is_some() && shown.decode(&p.value).is_some();
            InspectedParam {
                name: shown.decode_lossy(&p.name),
                value: shown.decode_lossy(&p.value),
                valid_text,
                raw: (!valid_text).then(|| percent_escape(&p.value)),
                in_v1: signed(p, Variant::V1),
                in_v2: signed(p, Variant::V2),
                documented: documented.map(|d| d.iter().any(|n| n.as_bytes() == p.name.as_slice())),
            }
        })
        .collect();
    if let Some(bad) = inspected.iter().find(|p| !p.valid_text) {
        let looks_gbk = shown == Charset::Utf8
            && params
                .iter()
                .all(|p| Charset::Gbk.decode(&p.value).is_some());
        problems.push(problem(
            "CHARSET_MISMATCH",
            "error",
            format!("`{}` is not valid {}", bad.name, shown.as_str()),
            if looks_gbk {
                "The bytes are valid GBK: the sender declared the wrong charset, or the body was re-encoded on the way."
            } else {
                "The bytes are not text in the declared charset: the body was re-encoded on the way."
            },
            if looks_gbk {
                "这些字节是合法的 GBK:charset 声明有误,或请求体途中被转码。"
            } else {
                "字节不是所声明字符集的文本:请求体途中被转码。"
            },
            Some(bad.name.as_bytes()),
        ));
    }
    let undocumented: Vec<&str> = inspected
        .iter()
        .filter(|p| p.documented == Some(false))
        .map(|p| p.name.as_str())
        .collect();
    let sign = form.get("sign");
    let sign_type_raw = form.get("sign_type");
    if sign.is_none() {
        problems.push(missing("sign"));
    }
    if sign_type_raw.is_none() {
        problems.push(missing("sign_type"));
    }
    if sign.is_some_and(|s| s.contains(&b' ')) {
        problems.push(problem(
            "SIGN_HAS_SPACES",
            "warning",
            "`sign` contains spaces: a raw `+` was decoded as a space",
            "Repaired automatically (base64 has no spaces). The sender did not percent-encode `+`; if other values can contain `+`, they were changed too and the signature will not match.",
            "已自动修复(base64 不含空格)。发送方未对 `+` 做百分号编码;若其他参数值含 `+` 也会被改变,导致验签失败。",
            Some(b"sign"),
        ));
    }
    let sign_type = sign_type_raw.and_then(SignType::from_wire);
    match (sign_type_raw, sign_type) {
        (Some(raw), None) => problems.push(problem(
            "UNSUPPORTED_SIGN_TYPE",
            "error",
            format!("sign_type `{}` is not RSA2 or RSA", excerpt(raw)),
            "Only RSA2 (SHA256withRSA) and, when allowed, RSA (SHA1withRSA) are verified.",
            "仅支持 RSA2(SHA256withRSA),以及显式允许时的 RSA(SHA1withRSA)。",
            Some(b"sign_type"),
        )),
        (Some(_), Some(t)) if !options.sign_types.contains(&t) => problems.push(problem(
            "UNSUPPORTED_SIGN_TYPE",
            "error",
            format!("sign_type {} is not allowed by the options", t.as_str()),
            "RSA (SHA-1) is legacy; admit it only if you must, with signTypes: [\"RSA2\", \"RSA\"].",
            "RSA(SHA-1)已过时;确需兼容时使用 signTypes: [\"RSA2\", \"RSA\"]。",
            Some(b"sign_type"),
        )),
        _ => {}
    }
    let key = key_text.map(PublicKey::parse);
    let key_report = KeyReport {
        provided: key.is_some(),
        bits: key
            .as_ref()
            .and_then(|k| k.as_ref().ok())
            .map(PublicKey::bits),
        error: key
            .as_ref()
            .and_then(|k| k.as_ref().err())
            .map(ErrorInfo::from),
    };
    if let Some(Err(e)) = &key {
        problems.push(problem(
            e.code(),
            "error",
            e.to_string(),
            "Paste the Alipay public key (支付宝公钥) from the open platform console: base64 or PEM.",
            "请粘贴开放平台控制台中的支付宝公钥(base64 或 PEM)。",
            None,
        ));
    }
    let sign_bytes = sign.map(decode_sign_value);
    if let Some(Err(e)) = &sign_bytes {
        problems.push(problem(
            e.code(),
            "error",
            e.to_string(),
            "`sign` must be standard base64 as Alipay sent it. Was it URL-decoded twice, or cut?",
            "`sign` 应为支付宝发送的标准 base64。是否被二次解码或截断?",
            Some(b"sign"),
        ));
    }
    let content_v1 = sign_content(&form, Variant::V1, options.empty_values);
    let content_v2 = sign_content(&form, Variant::V2, options.empty_values);
    let mut v1 = VariantVerdict::NotChecked;
    let mut v2 = VariantVerdict::NotChecked;
    if let (Some(Ok(k)), Some(Ok(sig))) = (&key, &sign_bytes) {
        match Recovered::new(k.rsa(), sig) {
            Ok(rec) => {
                let t = sign_type.unwrap_or(SignType::Rsa2);
                let verdict = |c: &[u8]| {
                    if rec.matches(t, c) {
                        VariantVerdict::Verified
                    } else {
                        VariantVerdict::Mismatch
                    }
                };
                v1 = verdict(&content_v1);
                v2 = verdict(&content_v2);
                diagnose_mismatch(
                    &rec,
                    t,
                    &form,
                    kind,
                    options,
                    (v1, v2),
                    &undocumented,
                    k.cert_sn().is_some(),
                    &mut problems,
                );
            }
            Err(e) => problems.push(problem(
                e.code(),
                "error",
                e.to_string(),
                "The signature length does not fit this key's size: the key is probably not the one Alipay signs with (支付宝公钥).",
                "签名长度与公钥长度不符:很可能不是支付宝公钥。",
                Some(b"sign"),
            )),
        }
    }
    // The verdict `verify` gives, keeping the verified notification when there is one.
    let (outcome, verified) = match &key {
        None => (
            Outcome {
                status: "error",
                variant: None,
                sign_type: None,
                error: Some(ErrorInfo {
                    code: "INVALID_PUBLIC_KEY",
                    message: "no public key given".into(),
                }),
            },
            None,
        ),
        Some(Err(e)) => (
            Outcome {
                status: "error",
                variant: None,
                sign_type: None,
                error: Some(e.into()),
            },
            None,
        ),
        Some(Ok(k)) => {
            match Form::from_params(params.clone()).and_then(|f| verify_form(&f, k, options)) {
                Ok(n) => (
                    Outcome {
                        status: "verified",
                        variant: n.variant,
                        sign_type: n.sign_type,
                        error: None,
                    },
                    Some(n),
                ),
                Err(e) => (
                    Outcome {
                        // Options that cannot work leave nothing to check with.
                        status: if matches!(e, Error::InvalidOptions { .. }) {
                            "error"
                        } else {
                            "failed"
                        },
                        variant: None,
                        sign_type: None,
                        error: Some((&e).into()),
                    },
                    None,
                ),
            }
        }
    };
    if let Some(e) = &outcome.error {
        if let Some((hint, hint_zh)) = outcome_hint(e.code, options) {
            if !problems.iter().any(|p| p.code == e.code) {
                let param: Option<&[u8]> =
                    (e.code == "CERT_SN_MISMATCH").then_some(b"alipay_cert_sn");
                problems.push(problem(
                    e.code,
                    "error",
                    e.message.clone(),
                    hint,
                    hint_zh,
                    param,
                ));
            }
        }
    }
    let notification = verified.or_else(|| parse_form(&form, options).ok());
    // Most important first, keeping the order found within a severity (three passes instead of
    // a stable sort: the sort's code is large in wasm, the list is short).
    let problems: Vec<Problem> = ["error", "warning", "info"]
        .iter()
        .flat_map(|s| problems.iter().filter(move |p| p.severity == *s))
        .cloned()
        .collect();
    Inspection {
        outcome,
        params: inspected,
        kind,
        charset,
        sign_type: sign_type_raw.map(excerpt),
        sign_content_v1: shown.decode_lossy(&content_v1),
        sign_content_v2: shown.decode_lossy(&content_v2),
        documented_variant: kind.documented_variant(),
        v1,
        v2,
        key: key_report,
        notification,
        problems,
    }
}

/// Advice for refusals that come from the checks around the signature (English, Chinese).
fn outcome_hint(code: &str, options: &VerifyOptions) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "APP_ID_MISMATCH" => (
            "The notification is for another application: check appId and which key you use.",
            "通知属于其他应用:检查 appId 与所用公钥。",
        ),
        "NOTIFICATION_EXPIRED" => (
            "Too old (or from the future): a replay, or a clock problem. Alipay retries for about 25 hours; choose maxAgeSeconds accordingly.",
            "通知过旧(或时间在未来):可能是重放或时钟问题。支付宝约 25 小时内重试,请据此设置 maxAgeSeconds。",
        ),
        "AMBIGUOUS_FRAMING" => (
            "The signature covers `name=value` pairs joined by `&`, so the same signed text splits into parameters in more than one way; this body is not the one reading Alipay's signature allows (a `%26` or `%3D` moved a boundary). Refused: a genuine notification re-framed to hide or change a parameter.",
            "签名覆盖以 `&` 连接的 `name=value`,同一段签名文本可以有多种参数拆分;此请求体不是唯一允许的拆分(`%26` 或 `%3D` 移动了参数边界)。已拒绝:这是被重新分帧以隐藏或篡改参数的真实通知。",
        ),
        "INVALID_BIZ_CONTENT" => (
            "biz_content must be a JSON object.",
            "biz_content 必须是 JSON 对象。",
        ),
        "CERT_EXPIRED" => (
            "Alipay's certificate (or an issuer's) is outside its validity dates: download the current alipayCertPublicKey_RSA2.crt from the open platform console.",
            "支付宝公钥证书(或其上级证书)不在有效期内:请从开放平台控制台下载最新的 alipayCertPublicKey_RSA2.crt。",
        ),
        "CERT_UNTRUSTED" => (
            "The certificate does not chain to the root bundle: use alipayCertPublicKey_RSA2.crt with its intermediate, and alipayRootCert.crt, both from the same environment (production or sandbox).",
            "证书无法链接到根证书:请使用带中间证书的 alipayCertPublicKey_RSA2.crt,以及同一环境(正式或沙箱)的 alipayRootCert.crt。",
        ),
        "CERT_SN_MISMATCH" => (
            "Alipay signed with another certificate than the one configured (alipay_cert_sn): it has probably been renewed; download the current alipayCertPublicKey_RSA2.crt.",
            "支付宝使用的证书(alipay_cert_sn)与所配置的不同:证书可能已更新,请下载最新的 alipayCertPublicKey_RSA2.crt。",
        ),
        "INVALID_OPTIONS" if options.alipay_root_cert.is_some() => (
            "With alipayRootCert set, the key must be Alipay's certificate (alipayCertPublicKey_RSA2.crt), not a bare public key.",
            "设置了根证书(alipayRootCert)时,公钥必须是支付宝公钥证书 alipayCertPublicKey_RSA2.crt,而不是裸公钥。",
        ),
        _ => return None,
    })
}

/// Explains a mismatch: the other empty-value rule, the undocumented variant, a wrong key,
/// extra parameters, double encoding.
#[allow(clippy::too_many_arguments)]
fn diagnose_mismatch(
    rec: &Recovered,
    t: SignType,
    form: &Form,
    kind: Kind,
    options: &VerifyOptions,
    (v1, v2): (VariantVerdict, VariantVerdict),
    undocumented: &[&str],
    from_certificate: bool,
    problems: &mut Vec<Problem>,
) {
    use VariantVerdict::Verified;
    let documented = kind.documented_variant();
    let matched = |v: Variant| if v == Variant::V1 { v1 } else { v2 } == Verified;
    if matched(documented.other()) && !matched(documented) {
        let pinned_away = options.variant == VariantChoice::Only(documented);
        problems.push(problem(
            "UNDOCUMENTED_VARIANT",
            if pinned_away { "error" } else { "info" },
            format!(
                "signed as {} although Alipay documents {} for this kind",
                documented.other().as_str().to_ascii_uppercase(),
                documented.as_str().to_ascii_uppercase()
            ),
            "Alipay is inconsistent between notifications; the `auto` variant tries both and reports which matched.",
            "支付宝在不同通知间并不一致;`auto` 会两种都尝试并报告匹配的是哪一种。",
            None,
        ));
    }
    if v1 == Verified || v2 == Verified {
        return;
    }
    let other_empty = match options.empty_values {
        EmptyValues::Keep => EmptyValues::Skip,
        EmptyValues::Skip => EmptyValues::Keep,
    };
    let has_empty = form.params().iter().any(|p| p.value.is_empty());
    if has_empty
        && [Variant::V1, Variant::V2]
            .iter()
            .any(|v| rec.matches(t, &sign_content(form, *v, other_empty)))
    {
        let (hint, hint_zh) = match other_empty {
            EmptyValues::Skip => (
                "It verifies with empty values left out (as Java's SDK signs): set emptyValues: \"skip\".",
                "去掉空值后验签通过(Java SDK 的做法):设置 emptyValues: \"skip\"。",
            ),
            EmptyValues::Keep => (
                "It verifies with empty values kept (Alipay's usual rule): remove emptyValues: \"skip\".",
                "保留空值时验签通过(支付宝通常的规则):去掉 emptyValues: \"skip\"。",
            ),
        };
        problems.push(problem(
            "EMPTY_VALUES",
            "warning",
            "the empty-value rule differs",
            hint,
            hint_zh,
            None,
        ));
        return;
    }
    let other_type = match t {
        SignType::Rsa2 => SignType::Rsa,
        SignType::Rsa => SignType::Rsa2,
    };
    if [Variant::V1, Variant::V2]
        .iter()
        .any(|v| rec.matches(other_type, &sign_content(form, *v, options.empty_values)))
    {
        problems.push(problem(
            "SIGN_TYPE_MISMATCH",
            "error",
            format!(
                "the signature is {} although sign_type says {}",
                other_type.as_str(),
                t.as_str()
            ),
            "sign_type was changed after signing: refuse the notification.",
            "sign_type 在签名后被改动:拒绝该通知。",
            Some(b"sign_type"),
        ));
        return;
    }
    if form.params().iter().any(|p| {
        p.value
            .windows(3)
            .any(|w| matches!(w, [b'%', a, b] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit()))
    }) {
        problems.push(problem(
            "DOUBLE_ENCODING",
            "warning",
            "a value still contains `%XX` escapes after decoding",
            "Was the body percent-encoded twice, or decoded already before being encoded again? Pass the raw body exactly as received.",
            "请求体是否被编码了两次,或先解码再编码?请传入收到的原始请求体。",
            None,
        ));
    }
    if !undocumented.is_empty() {
        problems.push(problem(
            "UNDOCUMENTED_PARAMETERS",
            "warning",
            format!("parameters not documented for this kind: {}", undocumented.join(", ")),
            "Every parameter is part of the signed content. Parameters your framework adds (routing params, your own query string) break verification: pass only what Alipay posted.",
            "所有参数都参与验签。框架加入的参数(路由参数、自己的查询串)会导致验签失败:只传入支付宝发送的参数。",
            None,
        ));
    }
    // Only suggest a wrong key when nothing found earlier already explains the mismatch.
    const EXPLAINED_BY: &[&str] = &[
        "PASTED_NOT_ENTITY",
        "MALFORMED_FORM",
        "UNSUPPORTED_SIGN_TYPE",
        "UNSUPPORTED_CHARSET",
        "CHARSET_MISMATCH",
        "DUPLICATE_PARAMETER",
        "MISSING_PARAMETER",
    ];
    if problems.iter().any(|p| EXPLAINED_BY.contains(&p.code)) {
        return;
    }
    // The right key turns the signature into a well-formed DigestInfo even when the content
    // changed; another key gives noise. That tells a wrong key from changed content.
    if let Some((hash_type, recovered)) = rec.recovered_digest() {
        let hex = crate::encoding::hex::lower;
        let content =
            |v: Variant| hex(&hash_type.digest(&sign_content(form, v, options.empty_values)));
        let gbk_as_utf8 = form
            .params()
            .iter()
            .any(|p| contains(&p.value, "\u{fffd}".as_bytes()));
        let (hint, hint_zh) = if gbk_as_utf8 {
            (
                "Values hold U+FFFD replacement characters: a framework decoded GBK bytes as UTF-8 before the verifier saw them. Pass the raw body (Express: express.raw({ type: \"*/*\" })).",
                "参数值含 U+FFFD 替换字符:框架先把 GBK 字节按 UTF-8 解码了。请传入原始请求体(Express:express.raw({ type: \"*/*\" }))。",
            )
        } else {
            (
                "The key is Alipay's, but the content was changed after signing: a parameter added or removed (your framework's own params), a value re-encoded or trimmed, `+` turned into a space, or GBK decoded as UTF-8. Pass exactly the raw body Alipay posted.",
                "公钥正确,但内容在签名后被改动:增删了参数(框架自带参数)、值被重新编码或截断、`+` 变成空格、GBK 被按 UTF-8 解码。请传入支付宝发送的原始请求体。",
            )
        };
        problems.push(problem(
            "CONTENT_CHANGED",
            "error",
            format!(
                "the key is right (the signature holds a well-formed {} digest) but the content changed after signing: signed {}, V1 content {}, V2 content {}",
                if hash_type == SignType::Rsa2 { "SHA-256" } else { "SHA-1" },
                hex(recovered),
                content(Variant::V1),
                content(Variant::V2)
            ),
            hint,
            hint_zh,
            None,
        ));
        return;
    }
    // A certificate whose key is noise here is most often the app's own certificate: the three
    // files of certificate mode are easily swapped.
    let (hint, hint_zh) = if from_certificate {
        (
            "Is this Alipay's certificate (alipayCertPublicKey_RSA2.crt)? Your app certificate (appCertPublicKey_<appId>.crt) holds your app's public key, which does not verify notifications; nor does another app's or the sandbox's certificate.",
            "这是支付宝公钥证书(alipayCertPublicKey_RSA2.crt)吗?应用公钥证书(appCertPublicKey_<appId>.crt)里是你的应用公钥,不能用于验签;其他应用或沙箱环境的证书也不行。",
        )
    } else {
        (
            "Is this the Alipay public key (支付宝公钥)? The application public key (应用公钥) you uploaded to Alipay does not verify notifications; nor does the key of another app or of the sandbox.",
            "这是支付宝公钥吗?你上传给支付宝的应用公钥不能用于验签;其他应用或沙箱环境的公钥也不行。",
        )
    };
    problems.push(problem(
        "WRONG_KEY",
        "warning",
        "the key verifies neither the V1 nor the V2 sign content: under this key the signature is noise",
        hint,
        hint_zh,
        None,
    ));
}

fn missing(name: &'static str) -> Problem {
    problem(
        "MISSING_PARAMETER",
        "error",
        format!("`{name}` is missing"),
        "Every Alipay notification carries sign and sign_type: is this the whole body?",
        "支付宝通知都带有 sign 与 sign_type:这是完整的请求体吗?",
        Some(name.as_bytes()),
    )
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn percent_escape(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(*b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
