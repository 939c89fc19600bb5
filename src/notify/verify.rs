//! Verifying and parsing notifications, and the Java-compatible `rsaCheckV1` / `rsaCheckV2`.

use crate::encoding::base64::{decode as decode_base64, Policy};

use crate::crypto::rsa::pkcs1v15::{Recovered, SignType};
use crate::encoding::charset::Charset;
use crate::encoding::form::Form;
use crate::encoding::time::beijing_to_epoch_ms;
use crate::error::{excerpt, Error, Result};
use crate::notify::framing::check_framing;
use crate::notify::model::{build, Kind, Notification};
use crate::notify::options::{VariantChoice, VerifyOptions};
use crate::notify::sign_content::{sign_content, Variant};
use crate::trust::public_key::PublicKey;

/// The body a gateway must answer with once a notification is handled.
pub const ACK: &str = "success";

/// Parses and verifies a notification body (form body, `?query` or whole URL, as raw bytes).
///
/// Returns the notification with `verified == true` and the variant that matched, or the first
/// failure as a coded [`Error`]. The key always comes from the caller, never from the request.
///
/// ```
/// use alipay_notify::{verify, Kind, PublicKey, Variant, VerifyOptions};
/// // Parse the configured key once; reuse it for every notification.
/// let key = PublicKey::parse(include_str!("../../tests/vectors/doc/alipay-public-key.txt")).unwrap();
/// let body = include_bytes!("../../tests/vectors/doc/order-notify-2020.txt");
/// let n = verify(body, &key, &VerifyOptions::default()).unwrap();
/// assert!(n.verified);
/// assert_eq!(n.kind, Kind::OrderNotify);
/// assert_eq!(n.variant, Some(Variant::V1)); // documented as V2, signed V1: `auto` says so
/// assert_eq!(n.params.get("isv_ticket"), Some("")); // empty values are kept
///
/// let tampered = String::from_utf8_lossy(body).replace("total_price=0.01", "total_price=0.02");
/// let err = verify(tampered.as_bytes(), &key, &VerifyOptions::default()).unwrap_err();
/// assert_eq!(err.code(), "SIGNATURE_MISMATCH");
/// ```
pub fn verify(body: &[u8], key: &PublicKey, options: &VerifyOptions) -> Result<Notification> {
    verify_form(&Form::parse(body)?, key, options)
}

/// [`verify`] for parameters that are already decoded (a JS object, `URLSearchParams`).
pub fn verify_form(form: &Form, key: &PublicKey, options: &VerifyOptions) -> Result<Notification> {
    // Certificate mode with a root bundle: the configured certificate must be trusted first.
    crate::trust::check_key_chain(key, options.alipay_root_cert.as_deref(), options.now_ms)?;
    // The signature covers bytes, not a split into parameters: refuse any split but the one,
    // before anything (`charset`, `sign_type`) is read from a parameter that might be re-framed.
    check_framing(form)?;
    let charset = resolve_charset(form, options)?;
    let sign_type_raw = form
        .get("sign_type")
        .ok_or_else(|| Error::MissingParameter {
            name: "sign_type".into(),
        })?;
    let sign_type = SignType::from_wire(sign_type_raw)
        .filter(|t| options.sign_types.contains(t))
        .ok_or_else(|| Error::UnsupportedSignType {
            sign_type: excerpt(sign_type_raw),
        })?;
    let sig = decode_sign(form)?;
    // A configured certificate must be the one Alipay says it signed with (certificate mode).
    crate::trust::policy::check_cert_sn(
        key,
        form.get("alipay_cert_sn")
            .map(|sn| core::str::from_utf8(sn).unwrap_or("(not text)")),
    )?;
    let recovered = Recovered::new(key.rsa(), &sig)?;
    let kind = Kind::detect(form);
    let variant = variants_to_try(kind, options.variant)
        .into_iter()
        .find(|v| recovered.matches(sign_type, &sign_content(form, *v, options.empty_values)))
        .ok_or(Error::SignatureMismatch)?;
    let mut notification = build(form, charset, Some((variant, sign_type)))?;
    notification.fingerprint = Some(fingerprint(&sig));
    notification.order_event = crate::notify::event::lifecycle_event(&notification);
    check_app_id(form, options)?;
    check_freshness(form, options)?;
    Ok(notification)
}

/// The identity of a verified notification: hex SHA-256 of its decoded signature bytes.
///
/// An attacker cannot vary it: the sign content is fixed by the one-reading rule, PKCS#1 v1.5
/// is deterministic, the signature must be exactly the modulus length and below the modulus, and
/// every spelling of `sign` (`+`, a space, `%2B`) decodes to the same bytes.
fn fingerprint(sig: &[u8]) -> String {
    use sha2::Digest as _;
    crate::encoding::hex::lower(&sha2::Sha256::digest(sig))
}

/// Parses a notification without verifying it: `verified` is `false`. Fails only on malformed
/// input (form, charset, `biz_content`).
pub fn parse(body: &[u8], options: &VerifyOptions) -> Result<Notification> {
    parse_form(&Form::parse(body)?, options)
}

/// [`parse`] for parameters that are already decoded.
pub fn parse_form(form: &Form, options: &VerifyOptions) -> Result<Notification> {
    build(form, resolve_charset(form, options)?, None)
}

/// The order in which variants are tried.
pub(crate) fn variants_to_try(kind: Kind, choice: VariantChoice) -> Vec<Variant> {
    match choice {
        VariantChoice::Only(v) => vec![v],
        VariantChoice::Auto => {
            let first = kind.documented_variant();
            vec![first, first.other()]
        }
    }
}

/// The declared charset, else the option, else UTF-8. An empty `charset=` counts as undeclared.
pub(crate) fn resolve_charset(form: &Form, options: &VerifyOptions) -> Result<Charset> {
    match form.get("charset") {
        Some(label) if !label.is_empty() => Charset::from_label(label),
        _ => Ok(options.charset.unwrap_or(Charset::Utf8)),
    }
}

/// Decodes `sign`: strict standard base64, except that spaces are read as `+` (a raw `+` in a
/// query string arrives as a space; base64 has no spaces, so this is unambiguous).
pub(crate) fn decode_sign(form: &Form) -> Result<Vec<u8>> {
    let sign = form.get("sign").ok_or_else(|| Error::MissingParameter {
        name: "sign".into(),
    })?;
    decode_sign_value(sign)
}

/// See [`decode_sign`].
pub(crate) fn decode_sign_value(sign: &[u8]) -> Result<Vec<u8>> {
    if sign.is_empty() {
        return Err(Error::signature("`sign` is empty"));
    }
    decode_base64(sign, Policy::FORM_SIGN)
        .map_err(|e| Error::signature(format!("`sign` is not standard base64: {e}")))
}

fn check_app_id(form: &Form, options: &VerifyOptions) -> Result<()> {
    let Some(expected) = options.app_id.as_deref() else {
        return Ok(());
    };
    let actual = form.get("app_id").unwrap_or(b"");
    if actual == expected.as_bytes() {
        Ok(())
    } else {
        Err(Error::AppIdMismatch {
            expected: expected.to_owned(),
            actual: excerpt(actual),
        })
    }
}

/// The notification's send time in epoch ms: `utc_timestamp`, else `notify_time`, else
/// `timestamp` (both Beijing time).
pub(crate) fn sent_at_ms(form: &Form) -> Option<i64> {
    let text = |n: &str| form.get(n).and_then(|v| core::str::from_utf8(v).ok());
    if let Some(ts) = text("utc_timestamp") {
        return ts.trim().parse().ok();
    }
    text("notify_time")
        .or_else(|| text("timestamp"))
        .and_then(beijing_to_epoch_ms)
}

fn check_freshness(form: &Form, options: &VerifyOptions) -> Result<()> {
    let (Some(now), Some(max_age)) = (options.now_ms, options.max_age_seconds) else {
        return Ok(());
    };
    let sent = sent_at_ms(form).ok_or_else(|| Error::NotificationExpired {
        reason: "no readable utc_timestamp or notify_time to check the age against".into(),
    })?;
    let max_ms = i64::try_from(max_age.saturating_mul(1000)).unwrap_or(i64::MAX);
    let age = now.saturating_sub(sent);
    if age > max_ms {
        Err(Error::NotificationExpired {
            reason: format!("sent {}s ago; at most {max_age}s accepted", age / 1000),
        })
    } else if age < -max_ms {
        // `age` may be `i64::MIN` (saturated): never negate it.
        Err(Error::NotificationExpired {
            reason: format!(
                "sent {}s in the future; at most {max_age}s of clock skew accepted",
                age.unsigned_abs() / 1000
            ),
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_app_id_is_named_missing() {
        let options = VerifyOptions {
            app_id: Some("2021000000000000".into()),
            ..VerifyOptions::default()
        };
        let err = check_app_id(&Form::parse(b"a=1").unwrap(), &options).unwrap_err();
        assert_eq!(err.code(), "APP_ID_MISMATCH");
        assert_eq!(
            err.to_string(),
            "app_id is missing (expected `2021000000000000`)"
        );
        let err = check_app_id(&Form::parse(b"app_id=1").unwrap(), &options).unwrap_err();
        assert!(err.to_string().contains("`1` is not the expected"));
    }

    /// Regression: `now` at the ends of the i64 range made the age saturate to `i64::MIN`,
    /// whose negation overflowed (a panic in debug builds, a wrong verdict otherwise).
    #[test]
    fn freshness_at_the_ends_of_the_time_range_is_a_coded_error() {
        let key = PublicKey::parse(include_str!(
            "../../tests/vectors/doc/alipay-public-key.txt"
        ))
        .unwrap();
        let body = include_bytes!("../../tests/vectors/doc/order-notify-2020.txt");
        for (now, max_age) in [(i64::MIN, 1), (i64::MIN, u64::MAX), (i64::MAX, 300), (0, 0)] {
            let json = format!(r#"{{"now":{now},"maxAgeSeconds":{max_age}}}"#);
            let options = VerifyOptions::from_json(&json).unwrap();
            let err = verify(body, &key, &options).unwrap_err();
            assert_eq!(err.code(), "NOTIFICATION_EXPIRED", "{json}: {err}");
        }
        let form = Form::parse(b"utc_timestamp=-9223372036854775808").unwrap();
        let options = VerifyOptions {
            now_ms: Some(i64::MAX),
            max_age_seconds: Some(u64::MAX),
            ..VerifyOptions::default()
        };
        assert!(check_freshness(&form, &options).is_ok());
        let options = VerifyOptions {
            max_age_seconds: Some(1),
            ..options
        };
        assert_eq!(
            check_freshness(&form, &options).unwrap_err().code(),
            "NOTIFICATION_EXPIRED"
        );
    }
}
