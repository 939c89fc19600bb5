//! The v2 gateway request (`POST gateway.do`): the common params in the query string, in the
//! order Alipay's Node SDK sends them, `biz_content` in the form body, and `sign` over the
//! sorted `key=value` pairs of every non-empty param except `sign` (the gateway's own sign
//! string, quoted in its `isv.invalid-signature` answers, leaves empty values out).

use serde_json::{Map, Value};

use super::catalogue::HttpMethod;
use super::request::{Protocol, RequestInput, UnsignedRequest};
use crate::error::Result;

/// The charset every v2 request declares and is encoded in.
const CHARSET: &str = "utf-8";

pub(super) fn prepare(
    input: &RequestInput,
    params: &Map<String, Value>,
) -> Result<UnsignedRequest> {
    // GMT+8 whatever the machine's zone: the gateway reads the timestamp as Beijing time.
    let timestamp = crate::encoding::epoch_ms_to_beijing(input.timestamp_ms);
    let mut query: Vec<(&str, &str)> = vec![
        ("method", &input.method),
        ("app_id", &input.app_id),
        ("charset", CHARSET),
        ("version", "1.0"),
        ("sign_type", "RSA2"),
        ("timestamp", &timestamp),
    ];
    if let Some(token) = &input.app_auth_token {
        query.push(("app_auth_token", token));
    }
    if let (Some(app), Some(root)) = (&input.app_cert_sn, &input.alipay_root_cert_sn) {
        query.push(("app_cert_sn", app));
        query.push(("alipay_root_cert_sn", root));
    }
    let biz_content = if params.is_empty() {
        None
    } else {
        Some(super::compact_json(params)?)
    };

    let mut signed: Vec<(&str, &str)> = query.clone();
    if let Some(biz) = &biz_content {
        signed.push(("biz_content", biz));
    }
    signed.retain(|(_, v)| !v.is_empty());
    signed.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let string_to_sign = signed
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");

    let mut target = String::from("?");
    for (i, (k, v)) in query.iter().enumerate() {
        if i > 0 {
            target.push('&');
        }
        super::form_encode_into(&mut target, k);
        target.push('=');
        super::form_encode_into(&mut target, v);
    }
    let mut body = String::new();
    if let Some(biz) = &biz_content {
        body.push_str("biz_content=");
        super::form_encode_into(&mut body, biz);
    }
    Ok(UnsignedRequest {
        protocol: Protocol::V2,
        method: input.method.clone(),
        http_method: HttpMethod::Post,
        target,
        headers: vec![
            (
                "content-type".into(),
                format!("application/x-www-form-urlencoded;charset={CHARSET}"),
            ),
            ("accept".into(), "application/json".into()),
        ],
        body,
        string_to_sign,
        auth_string: None,
    })
}
