//! The v3 request: `Authorization: ALIPAY-SHA256withRSA app_id=…[,app_cert_sn=…],nonce=…,
//! timestamp=…,sign=…` over
//! `authString\nMETHOD\nrequest-target\nbody\n[app_auth_token\n]` — the request-target exactly
//! as sent (path and encoded query), the body exactly as sent, the token line only when the
//! `alipay-app-auth-token` header is sent.

use serde_json::{Map, Value};

use super::catalogue::{find_api, HttpMethod};
use super::request::{check_token_like, Protocol, RequestInput, UnsignedRequest};
use crate::error::{Error, Result};

pub(super) fn prepare(
    input: &RequestInput,
    params: &Map<String, Value>,
) -> Result<UnsignedRequest> {
    let api = find_api(&input.method);
    if api.is_some_and(|a| a.v3.is_none()) && input.path.is_none() {
        return Err(Error::InvalidArgument {
            reason: format!("`{}` exists in the v2 protocol only", input.method),
        });
    }
    let route = api.and_then(|a| a.v3);
    let http_method = input
        .http_method
        .or(route.map(|r| r.http_method))
        .unwrap_or(HttpMethod::Post);
    let path = match (&input.path, route) {
        (Some(p), _) => p.clone(),
        (None, Some(r)) => r.path.to_string(),
        (None, None) => format!("/v3/{}", input.method.replace('.', "/")),
    };
    check_path(&path)?;
    check_token_like("nonce", &input.nonce)?;
    let request_id = match &input.request_id {
        Some(id) => id.clone(),
        None => input.nonce.replace('-', ""),
    };
    check_token_like("alipay-request-id", &request_id)?;

    let (target, body) = match http_method {
        HttpMethod::Get => {
            let mut target = path;
            let mut sep = '?';
            for (k, v) in params {
                let Some(text) = query_value(k, v)? else {
                    continue;
                };
                target.push(sep);
                sep = '&';
                super::form_encode_into(&mut target, k);
                target.push('=');
                super::form_encode_into(&mut target, &text);
            }
            (target, String::new())
        }
        HttpMethod::Post => (path, super::compact_json(params)?),
    };

    let mut auth = format!("app_id={}", input.app_id);
    if let Some(sn) = &input.app_cert_sn {
        auth.push_str(",app_cert_sn=");
        auth.push_str(sn);
    }
    auth.push_str(",nonce=");
    auth.push_str(&input.nonce);
    auth.push_str(",timestamp=");
    auth.push_str(&input.timestamp_ms.to_string());

    let mut string_to_sign = format!("{auth}\n{}\n{target}\n{body}\n", http_method.as_str());
    let mut headers = vec![
        ("alipay-request-id".to_string(), request_id),
        ("accept".to_string(), "application/json".to_string()),
    ];
    if http_method == HttpMethod::Post {
        headers.push(("content-type".into(), "application/json".into()));
    }
    if let Some(sn) = &input.alipay_root_cert_sn {
        headers.push(("alipay-root-cert-sn".into(), sn.clone()));
    }
    if let Some(token) = &input.app_auth_token {
        headers.push(("alipay-app-auth-token".into(), token.clone()));
        string_to_sign.push_str(token);
        string_to_sign.push('\n');
    }
    Ok(UnsignedRequest {
        protocol: Protocol::V3,
        method: input.method.clone(),
        http_method,
        target,
        headers,
        body,
        string_to_sign,
        auth_string: Some(auth),
    })
}

/// A query value as text (numbers and booleans as JavaScript prints them); `None` for `null`
/// (left out, as the generated SDKs do).
fn query_value(key: &str, v: &Value) -> Result<Option<String>> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        // Through the JSON writer (ryu), not `Display`: the same digits, less wasm.
        Value::Number(n) => Ok(Some(serde_json::to_string(n).unwrap_or_default())),
        Value::Array(_) | Value::Object(_) => Err(Error::InvalidArgument {
            reason: format!("`{key}`: a v3 GET query holds text and numbers only"),
        }),
    }
}

/// A path of unreserved characters and `/`, under `/v3/` (so the signed target is the sent one).
fn check_path(path: &str) -> Result<()> {
    let ok = path.starts_with("/v3/")
        && path.len() <= 256
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidArgument {
            reason: "a v3 path starts with `/v3/` and holds letters, digits, `/`, `.`, `_`, `-`"
                .into(),
        })
    }
}
