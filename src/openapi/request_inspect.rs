//! What Alipay verifies in a request an ISV sent, and why it answered `isv.invalid-signature`
//! (验签出错): the exact string to sign rebuilt from the pasted request (v3: `authString`,
//! method, request-target, body, token line; v2: the sorted non-empty params), the signature
//! checked against it with the app public key (应用公钥), and for each known mistake the string
//! that mistake would have signed — a hint is given only when the signature matches that string
//! (or, for the clock, when the timestamp itself shows it). One public-key operation serves every
//! candidate string.

use serde::Serialize;

use super::app_key::{self, problem};
use super::json_forms::FORMS;
use super::pasted::{self, Pasted};
use crate::crypto::rsa::pkcs1v15::{Recovered, SignType};
use crate::encoding::base64::{decode as decode_base64, Policy};
use crate::encoding::time::civil_to_epoch_seconds;
use crate::encoding::{beijing_to_epoch_ms, epoch_ms_to_beijing, Form};
use crate::error::Error;
use crate::notify::{ErrorInfo, KeyReport, Problem};
use crate::trust::PublicKey;

/// The authorization scheme of a v3 request.
const V3_SCHEME: &str = "ALIPAY-SHA256withRSA";

/// What was found about a pasted request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestInspection {
    /// `"v3"` (an `authorization` header or a `/v3/` path) or `"v2"` (gateway params).
    pub protocol: &'static str,
    /// The HTTP method as pasted (v3), `None` if the paste had no request line.
    pub http_method: Option<String>,
    /// The request-target (path and query) as pasted, `""` if none.
    pub target: String,
    /// The exact string Alipay verifies for this request (v2: decoded values, UTF-8 shown).
    pub string_to_sign: String,
    /// `RSA2` (SHA256withRSA) or, for a v2 request that says so, `RSA` (SHA1withRSA).
    pub sign_type: &'static str,
    /// The signature as sent (base64), `None` if the request carries none.
    pub signature: Option<String>,
    /// `"matches"`, `"mismatch"` or `"not_checked"` (no key, no signature, unreadable request).
    pub verdict: &'static str,
    /// Why the verdict is not `matches`, as a coded error.
    pub error: Option<ErrorInfo>,
    /// The key as read.
    pub key: KeyReport,
    /// When the signature does not match the string Alipay verifies but matches the string a
    /// known mistake produces: that mistake's code and the string.
    pub signed_instead: Option<SignedInstead>,
    /// v3: the fields of `authorization` (`app_id`, `nonce`, `timestamp`, …) in order; v2: the
    /// params in received order (decoded; `sign` included).
    pub fields: Vec<(String, String)>,
    /// Findings with advice, most important first.
    pub problems: Vec<Problem>,
}

/// The string a mistake signs, when the signature matches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedInstead {
    /// The mistake (the code of its problem).
    pub code: &'static str,
    /// The string the signature was made over.
    pub string_to_sign: String,
}

/// Options of [`inspect_request`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InspectRequestOptions {
    /// The current time (epoch ms): a v2 `timestamp` a whole number of hours away from Beijing
    /// time is named as local time. A pasted `Date` header, the time the request claims, is
    /// used instead when present. `None` (and no `Date`): the timestamp is not compared.
    pub now_ms: Option<i64>,
}

/// One candidate string and the mistake it stands for.
struct Candidate {
    code: &'static str,
    text: Vec<u8>,
    sign_type: SignType,
    hint: String,
    hint_zh: String,
}

/// Inspects a pasted request (see the module docs) with the app public key. Never fails: bad
/// input becomes the report's coded `error` and problems.
///
/// ```
/// use alipay_notify::openapi::{inspect_request, InspectRequestOptions};
/// let r = inspect_request("GET /v3/alipay/open/servicemarket/order/query?commodity_order_id=1\n\
///     authorization: ALIPAY-SHA256withRSA app_id=1,nonce=n,timestamp=1,sign=AAAA", None,
///     InspectRequestOptions::default());
/// assert_eq!(r.protocol, "v3");
/// assert_eq!(r.string_to_sign,
///     "app_id=1,nonce=n,timestamp=1\nGET\n/v3/alipay/open/servicemarket/order/query?commodity_order_id=1\n\n");
/// assert_eq!(r.verdict, "not_checked");
/// assert_eq!(r.problems[0].code, "KEY_MISSING");
/// ```
pub fn inspect_request(
    request: &str,
    app_public_key: Option<&str>,
    options: InspectRequestOptions,
) -> RequestInspection {
    let key = app_key::read(app_public_key);
    let mut report = RequestInspection {
        protocol: "v2",
        http_method: None,
        target: String::new(),
        string_to_sign: String::new(),
        sign_type: SignType::Rsa2.as_str(),
        signature: None,
        verdict: "not_checked",
        error: None,
        key: key.report.clone(),
        signed_instead: None,
        fields: Vec::new(),
        problems: Vec::new(),
    };
    let pasted = match pasted::read(request) {
        Ok(p) => p,
        Err(e) => {
            report.error = Some((&e).into());
            return report;
        }
    };
    report.http_method.clone_from(&pasted.method);
    report.target.clone_from(&pasted.target);
    let is_v3 = pasted.header("authorization").is_some() || pasted.target.starts_with("/v3/");
    let built = if is_v3 {
        report.protocol = "v3";
        v3(&pasted, &mut report)
    } else {
        v2(&pasted, &mut report, options)
    };
    report.problems.extend(key.problems);
    let Some((main, candidates)) = built else {
        return report;
    };
    check(&mut report, key.key.as_ref(), &main, candidates);
    report
}

/// Verifies the signature over `main`, then over each candidate; fills verdict, error, hints.
fn check(
    report: &mut RequestInspection,
    key: Option<&PublicKey>,
    main: &[u8],
    candidates: Vec<Candidate>,
) {
    let Some(sig_b64) = report.signature.clone() else {
        let name = if report.protocol == "v3" {
            "authorization"
        } else {
            "sign"
        };
        report.error = Some((&Error::MissingParameter { name: name.into() }).into());
        return;
    };
    let Some(key) = key else {
        report.error = report.key.error.clone();
        return;
    };
    let recovered = decode_base64(sig_b64.as_bytes(), Policy::SIGNATURE)
        .map_err(|_| Error::signature("the signature is not base64"))
        .and_then(|sig| Recovered::new(key.rsa(), &sig));
    let recovered = match recovered {
        Ok(r) => r,
        Err(e) => {
            report.error = Some((&e).into());
            report.problems.insert(
                0,
                problem(
                    "MALFORMED_SIGNATURE",
                    "error",
                    e.to_string(),
                    "The signature is not a base64 RSA signature of this key's size: check that the whole value was copied (v2: decoded once, `+` not turned into a space).",
                    "签名不是与该公钥长度相符的 base64 RSA 签名:请确认复制完整(v2:只解码一次,`+` 未被当成空格)。",
                ),
            );
            return;
        }
    };
    let sign_type = match report.sign_type {
        "RSA" => SignType::Rsa,
        _ => SignType::Rsa2,
    };
    if recovered.matches(sign_type, main) {
        report.verdict = "matches";
        return;
    }
    report.verdict = "mismatch";
    // The crate's message speaks of notifications; this is a request.
    report.error = Some(ErrorInfo {
        code: Error::SignatureMismatch.code(),
        message: "the signature does not match the string Alipay verifies".into(),
    });
    if let Some(c) = candidates
        .into_iter()
        .find(|c| recovered.matches(c.sign_type, &c.text))
    {
        let shown = String::from_utf8_lossy(&c.text).into_owned();
        report.problems.insert(
            0,
            Problem {
                code: c.code,
                severity: "error",
                message: format!("the signature matches the string with this mistake: {shown:?}"),
                hint: c.hint,
                hint_zh: c.hint_zh,
                param: None,
            },
        );
        report.signed_instead = Some(SignedInstead {
            code: c.code,
            string_to_sign: shown,
        });
        return;
    }
    let (code, message, hint, hint_zh) = if recovered.recovered_digest().is_some() {
        (
            "SIGNED_OTHER_CONTENT",
            "the signature was made with this key's private half, over another string",
            "The key is right — the signature was made by its private half — but over a string none of the known mistakes gives. Print the exact string your code signs and compare it, byte for byte, with the one shown here.",
            "公钥正确(签名确由其对应的私钥生成),但签名的字符串与支付宝验签的字符串不同,也不属于已知的常见错误。请打印你的代码实际签名的字符串,与此处显示的逐字节比较。",
        )
    } else {
        (
            "WRONG_KEY",
            "the signature was not made with this key's private half",
            "The signature was not made by the private key of this public key. Either this is not the app public key (应用公钥) — the Alipay public key (支付宝公钥) is the one most often pasted or configured in its place — or the app public key in the console does not belong to the private key you sign with: upload the public half of your signing key.",
            "签名不是由这个公钥对应的私钥生成的。要么这不是“应用公钥”(最常见的是把“支付宝公钥”当成了应用公钥),要么控制台中的应用公钥与你签名用的应用私钥不是一对:请上传签名私钥对应的公钥。",
        )
    };
    report
        .problems
        .insert(0, problem(code, "error", message.into(), hint, hint_zh));
}

// ─── v3 ──────────────────────────────────────────────────────────────────────────────────

fn v3(p: &Pasted, report: &mut RequestInspection) -> Option<(Vec<u8>, Vec<Candidate>)> {
    // The method line is upper case whatever was pasted; none pasted: what the body implies.
    let method = p.method.as_deref().map_or_else(
        || if p.body.is_empty() { "GET" } else { "POST" }.to_string(),
        str::to_ascii_uppercase,
    );
    let auth = match p.header("authorization") {
        Some(value) => match split_authorization(value) {
            Some(parts) => Some(parts),
            None => {
                report.problems.push(problem(
                    "AUTHORIZATION_MALFORMED",
                    "error",
                    "the authorization header is not `ALIPAY-SHA256withRSA app_id=…,nonce=…,timestamp=…,sign=…`".into(),
                    "A v3 request carries `authorization: ALIPAY-SHA256withRSA app_id=…,nonce=…,timestamp=…,sign=…` (app_cert_sn after app_id in certificate mode); the signed authString is everything before `,sign=`.",
                    "v3 请求头应为 `authorization: ALIPAY-SHA256withRSA app_id=…,nonce=…,timestamp=…,sign=…`(证书模式在 app_id 之后加 app_cert_sn);被签名的 authString 是 `,sign=` 之前的全部内容。",
                ));
                None
            }
        },
        None => {
            report.problems.push(problem(
                "SIGNATURE_MISSING",
                "error",
                "no authorization header".into(),
                "Paste the request with its headers: the `authorization` header holds the signature (and the app_id, nonce and timestamp that are signed).",
                "请连同请求头一起粘贴:签名(以及被签名的 app_id、nonce、timestamp)在 `authorization` 请求头中。",
            ));
            None
        }
    };
    let (auth_string, sign) = auth.unwrap_or_default();
    report.fields = auth_string
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some((_, ts)) = report.fields.iter().find(|(k, _)| k == "timestamp") {
        if ts.len() == 10 && ts.bytes().all(|b| b.is_ascii_digit()) {
            report.problems.push(problem(
                "TIMESTAMP_SECONDS",
                "warning",
                format!("timestamp {ts} has 10 digits: seconds, not milliseconds"),
                "The v3 timestamp is milliseconds since the epoch (13 digits, `Date.now()` / `System.currentTimeMillis()`), not seconds.",
                "v3 的 timestamp 是毫秒时间戳(13 位,`Date.now()` / `System.currentTimeMillis()`),不是秒。",
            ));
        }
    }
    let token = p.header("alipay-app-auth-token");
    let line = |m: &str, target: &str, body: &str, token_line: Option<&str>| {
        let mut s = format!("{auth_string}\n{m}\n{target}\n{body}\n");
        if let Some(t) = token_line {
            s.push_str(t);
            s.push('\n');
        }
        s.into_bytes()
    };
    let main = line(&method, &p.target, &p.body, token);
    report.string_to_sign = String::from_utf8_lossy(&main).into_owned();
    if !sign.is_empty() {
        report.signature = Some(sign);
    }

    let rsa2 = SignType::Rsa2;
    let mut c = Vec::new();
    match token {
        Some(t) => c.push(Candidate {
            code: "TOKEN_LINE_MISSING",
            text: line(&method, &p.target, &p.body, None),
            sign_type: rsa2,
            hint: format!("Your signature matches the string without the app_auth_token line. The request sends `alipay-app-auth-token`, so its value ({t}) must also be the last line of the string to sign, followed by `\\n`."),
            hint_zh: format!("你的签名与不含 app_auth_token 行的字符串相符。请求发送了 `alipay-app-auth-token` 请求头,它的值({t})也必须是待签名字符串的最后一行(以 `\\n` 结尾)。"),
        }),
        None => c.push(Candidate {
            code: "TOKEN_LINE_WITHOUT_HEADER",
            text: line(&method, &p.target, &p.body, Some("")),
            sign_type: rsa2,
            hint: "Your signature matches the string with an empty app_auth_token line. The token line is added only when the `alipay-app-auth-token` header is sent; without the header the string ends after the body line.".into(),
            hint_zh: "你的签名与多了一个空的 app_auth_token 行的字符串相符。只有发送 `alipay-app-auth-token` 请求头时才加这一行;不发送时,字符串在 body 行之后结束。".into(),
        }),
    }
    if let Some((path, _)) = p.target.split_once('?') {
        c.push(Candidate {
            code: "QUERY_NOT_SIGNED",
            text: line(&method, path, &p.body, token),
            sign_type: rsa2,
            hint: "Your signature matches the string with the path only. Alipay signs the request-target exactly as sent: the path and its query string (`?…`), encoded as in the URL.".into(),
            hint_zh: "你的签名与只含路径的字符串相符。支付宝验签使用实际发送的完整请求目标:路径加查询串(`?…`),编码与 URL 中一致。".into(),
        });
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&p.body) {
        for form in FORMS {
            let Some(text) = form.write(&value).filter(|t| *t != p.body) else {
                continue;
            };
            if c.iter().any(|x: &Candidate| {
                x.code == "BODY_RESERIALISED" && x.text == line(&method, &p.target, &text, token)
            }) {
                continue;
            }
            c.push(Candidate {
                code: "BODY_RESERIALISED",
                text: line(&method, &p.target, &text, token),
                sign_type: rsa2,
                hint: format!("Your signature matches the body written another way ({}): the body you signed is not the body you sent. Serialise once, sign that exact text, send that exact text.", form.name),
                hint_zh: format!("你的签名与另一种写法({})的请求体相符:签名的请求体与发送的请求体不是同一段文本。请只序列化一次,签名并发送同一段文本。", form.name),
            });
        }
    }
    let lower = method.to_ascii_lowercase();
    if lower != method {
        c.push(Candidate {
            code: "METHOD_CASE",
            text: line(&lower, &p.target, &p.body, token),
            sign_type: rsa2,
            hint: "Your signature matches the string with a lower-case method. The method line is upper case (`GET`, `POST`).".into(),
            hint_zh: "你的签名与方法为小写的字符串相符。方法行应为大写(`GET`、`POST`)。".into(),
        });
    }
    let origin = p
        .origin
        .clone()
        .unwrap_or_else(|| "https://openapi.alipay.com".into());
    c.push(Candidate {
        code: "HOST_SIGNED",
        text: line(&method, &format!("{origin}{}", p.target), &p.body, token),
        sign_type: rsa2,
        hint: "Your signature matches the string with the scheme and host in the target line. Sign the request-target only: the path and query, without `https://host`.".into(),
        hint_zh: "你的签名与目标行含协议和主机名的字符串相符。只签名请求目标:路径和查询串,不含 `https://主机名`。".into(),
    });
    Some((main, c))
}

/// `ALIPAY-SHA256withRSA <authString>,sign=<sig>` → (authString, sig).
fn split_authorization(value: &str) -> Option<(String, String)> {
    let (scheme, rest) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case(V3_SCHEME) {
        return None;
    }
    let (auth, sign) = rest.trim().rsplit_once(",sign=")?;
    Some((auth.to_string(), sign.trim().to_string()))
}

// ─── v2 ──────────────────────────────────────────────────────────────────────────────────

fn v2(
    p: &Pasted,
    report: &mut RequestInspection,
    options: InspectRequestOptions,
) -> Option<(Vec<u8>, Vec<Candidate>)> {
    let mut params = Vec::new();
    let query = p.target.split_once('?').map(|(_, q)| q);
    for part in [query, Some(p.body.as_str())].into_iter().flatten() {
        if part.is_empty() {
            continue;
        }
        match Form::parse(part.as_bytes()) {
            Ok(form) => params.extend(form.params().iter().cloned()),
            Err(e) => {
                report.error = Some((&e).into());
                return None;
            }
        }
    }
    if let Err(e) = Form::from_params(params.clone()) {
        // The same name in the query and the body.
        report.error = Some((&e).into());
        return None;
    }
    report.fields = params
        .iter()
        .map(|p| {
            (
                String::from_utf8_lossy(&p.name).into_owned(),
                String::from_utf8_lossy(&p.value).into_owned(),
            )
        })
        .collect();
    let get = |name: &str| {
        params
            .iter()
            .find(|p| p.name == name.as_bytes())
            .map(|p| String::from_utf8_lossy(&p.value).into_owned())
    };
    if params.is_empty() {
        report.error = Some(
            (&Error::MissingParameter {
                name: "sign".into(),
            })
                .into(),
        );
        return None;
    }
    let declared = get("sign_type");
    let sign_type = match declared.as_deref() {
        Some("RSA") => SignType::Rsa,
        _ => SignType::Rsa2,
    };
    report.sign_type = sign_type.as_str();
    report.signature = get("sign").filter(|s| !s.is_empty());
    if report.signature.is_none() {
        report.problems.push(problem(
            "SIGNATURE_MISSING",
            "error",
            "no sign parameter".into(),
            "Paste the whole request: the query string (the SDKs send `sign` there) and the form body (`biz_content`).",
            "请粘贴完整请求:查询串(SDK 把 `sign` 放在那里)和表单请求体(`biz_content`)。",
        ));
    }
    let build = |keep_empty: bool| {
        let mut signed: Vec<_> = params
            .iter()
            .filter(|p| {
                p.name != b"sign" && !p.name.is_empty() && (keep_empty || !p.value.is_empty())
            })
            .collect();
        signed.sort_by(|a, b| a.name.cmp(&b.name));
        let mut out = Vec::new();
        for (i, p) in signed.iter().enumerate() {
            if i > 0 {
                out.push(b'&');
            }
            out.extend_from_slice(&p.name);
            out.push(b'=');
            out.extend_from_slice(&p.value);
        }
        out
    };
    let main = build(false);
    report.string_to_sign = String::from_utf8_lossy(&main).into_owned();
    if let Some(ts) = get("timestamp") {
        // The time the request claims (its `Date` header) when pasted, else the clock.
        let sent = p.header("date").and_then(http_date_ms).or(options.now_ms);
        timestamp_check(&ts, sent, &mut report.problems);
    }

    let mut c = Vec::new();
    let empty: Vec<String> = params
        .iter()
        .filter(|p| p.value.is_empty() && p.name != b"sign")
        .map(|p| String::from_utf8_lossy(&p.name).into_owned())
        .collect();
    if !empty.is_empty() {
        let names = empty.join(", ");
        c.push(Candidate {
            code: "EMPTY_VALUE_SIGNED",
            text: build(true),
            sign_type,
            hint: format!("Your signature matches the string with the empty values kept ({names}). Alipay leaves empty values out of the string it verifies: skip them when signing, or do not send them."),
            hint_zh: format!("你的签名与保留了空值参数({names})的字符串相符。支付宝验签时去掉空值参数:签名时请跳过它们,或干脆不发送。"),
        });
    }
    if sign_type == SignType::Rsa2 {
        c.push(Candidate {
            code: "SIGN_TYPE_SHA1",
            text: main.clone(),
            sign_type: SignType::Rsa,
            hint: "Your signature is SHA1withRSA (RSA) while the request says sign_type=RSA2 (SHA256withRSA): sign with SHA-256, or declare sign_type=RSA.".into(),
            hint_zh: "你的签名是 SHA1withRSA(RSA),而请求声明 sign_type=RSA2(SHA256withRSA):请用 SHA-256 签名,或声明 sign_type=RSA。".into(),
        });
    }
    Some((main, c))
}

/// An HTTP-date (`Tue, 01 Dec 2026 12:55:19 GMT`, RFC 9110's preferred form) in epoch ms.
fn http_date_ms(s: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut parts = s.split_whitespace().skip(1);
    let day = parts.next()?.parse::<i64>().ok()?;
    let month = MONTHS.iter().position(|m| Some(*m) == parts.next())?;
    let year = parts.next()?.parse::<i64>().ok()?;
    let mut hms = parts.next()?.split(':').map(|n| n.parse::<i64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next() != Some("GMT") {
        return None;
    }
    let month = i64::try_from(month).ok()? + 1;
    civil_to_epoch_seconds(year, month, day, h, m, sec).map(|t| t * 1000)
}

/// A v2 `timestamp` that is Beijing time only when read in another zone: it is the signer's
/// local time (Node, Python and PHP SDKs format the machine's zone; the gateway reads GMT+8).
fn timestamp_check(ts: &str, now_ms: Option<i64>, problems: &mut Vec<Problem>) {
    let Some(at) = beijing_to_epoch_ms(ts) else {
        problems.push(problem(
            "TIMESTAMP_FORMAT",
            "error",
            format!("timestamp {ts:?} is not `yyyy-MM-dd HH:mm:ss`"),
            "The v2 timestamp is `yyyy-MM-dd HH:mm:ss` in Beijing time (GMT+8).",
            "v2 的 timestamp 格式为 `yyyy-MM-dd HH:mm:ss`,北京时间(GMT+8)。",
        ));
        return;
    };
    let Some(now) = now_ms else { return };
    const HALF_HOUR: i64 = 30 * 60 * 1000;
    const SLACK: i64 = 5 * 60 * 1000;
    let delta = at - now;
    let steps = (delta + delta.signum() * HALF_HOUR / 2) / HALF_HOUR;
    let off_by = (delta - steps * HALF_HOUR).abs();
    // The signer's zone: its clock shows Beijing time + delta.
    let zone_half_hours = steps + 16;
    if steps != 0 && off_by <= SLACK && (-24..=28).contains(&zone_half_hours) {
        let zone = format!(
            "UTC{}{}{}",
            if zone_half_hours < 0 { '-' } else { '+' },
            zone_half_hours.abs() / 2,
            if zone_half_hours % 2 != 0 { ":30" } else { "" }
        );
        let beijing = epoch_ms_to_beijing(now + (delta - steps * HALF_HOUR));
        problems.push(problem(
            "TIMESTAMP_NOT_BEIJING",
            "warning",
            format!("timestamp {ts} is {zone} time; Beijing time was about {beijing}"),
            &format!("The timestamp is your server's local time ({zone}), not Beijing time: the gateway reads it as GMT+8 and refuses or mis-dates the request. Format it in GMT+8 (Java: TimeZone \"GMT+8\"; Node/Python/PHP: TZ=Asia/Shanghai or an explicit +08:00 offset). Beijing time was about {beijing}."),
            &format!("timestamp 是服务器的本地时间({zone}),不是北京时间:网关按 GMT+8 解读它。请按 GMT+8 格式化(Java:TimeZone \"GMT+8\";Node/Python/PHP:TZ=Asia/Shanghai 或显式 +08:00)。当时的北京时间约为 {beijing}。"),
        ));
    }
}
