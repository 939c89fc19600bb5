//! Verification options, and reading them from the JS-style option object (JSON) the bindings
//! receive, so that every runtime validates them the same way.

use serde_json::{Map, Value};

use crate::crypto::rsa::pkcs1v15::SignType;
use crate::encoding::charset::Charset;
use crate::error::{Error, Result};
use crate::notify::sign_content::{EmptyValues, Variant};

/// Which sign content(s) to try.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum VariantChoice {
    /// The kind's documented variant first, then the other; the result says which matched.
    #[default]
    Auto,
    /// Only this variant.
    Only(Variant),
}

/// Options of [`crate::verify`] and [`crate::parse`]. The default is the strict profile:
/// `auto` variant, `RSA2` only, empty values kept, UTF-8 when undeclared, no app or time check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Which variant(s) to try.
    pub variant: VariantChoice,
    /// The `sign_type`s admitted (never empty). `RSA` (SHA-1) must be admitted explicitly.
    pub sign_types: Vec<SignType>,
    /// Keep (default) or skip empty values in the sign content.
    pub empty_values: EmptyValues,
    /// The charset to use when the notification declares none (default UTF-8).
    pub charset: Option<Charset>,
    /// The `app_id` the notification must carry.
    pub app_id: Option<String>,
    /// The current time, epoch milliseconds (the core never reads a clock).
    pub now_ms: Option<i64>,
    /// The largest accepted age of `utc_timestamp` / `notify_time`, relative to `now_ms`.
    pub max_age_seconds: Option<u64>,
    /// Certificate mode: Alipay's root bundle (`alipayRootCert.crt`). When set, the key given as
    /// a certificate must chain to it and be valid at `now_ms` (see
    /// [`check_key_chain`](crate::trust::check_key_chain)).
    pub alipay_root_cert: Option<String>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            variant: VariantChoice::Auto,
            sign_types: vec![SignType::Rsa2],
            empty_values: EmptyValues::Keep,
            charset: None,
            app_id: None,
            now_ms: None,
            max_age_seconds: None,
            alipay_root_cert: None,
        }
    }
}

/// The option names [`VerifyOptions::from_json`] accepts (JS spelling).
pub const VERIFY_OPTION_NAMES: &[&str] = &[
    "variant",
    "signTypes",
    "emptyValues",
    "charset",
    "appId",
    "now",
    "maxAgeSeconds",
    "alipayRootCert",
];

impl VerifyOptions {
    /// Reads the JS-style option object, e.g. `{"variant":"v1","signTypes":["RSA2","RSA"]}`.
    /// An empty string or `null` means the defaults. Unknown names and bad values are
    /// [`Error::InvalidOptions`]; a `null` value means "not set".
    ///
    /// ```
    /// use alipay_notify::VerifyOptions;
    /// let o = VerifyOptions::from_json(r#"{"emptyValues":"skip"}"#).unwrap();
    /// assert_eq!(o.empty_values, alipay_notify::notify::EmptyValues::Skip);
    /// assert_eq!(VerifyOptions::from_json(r#"{"bogus":1}"#).unwrap_err().code(), "INVALID_OPTIONS");
    /// ```
    pub fn from_json(json: &str) -> Result<Self> {
        let mut o = VerifyOptions::default();
        for (name, value) in object(json)? {
            if value.is_null() {
                continue;
            }
            match name.as_str() {
                "variant" => {
                    o.variant = match str_value(name.as_str(), &value)? {
                        "auto" => VariantChoice::Auto,
                        "v1" => VariantChoice::Only(Variant::V1),
                        "v2" => VariantChoice::Only(Variant::V2),
                        other => {
                            return Err(bad(&name, &format!("`{other}` is not auto, v1 or v2")))
                        }
                    }
                }
                "signTypes" => o.sign_types = sign_types(&value)?,
                "emptyValues" => {
                    o.empty_values = match str_value(&name, &value)? {
                        "keep" => EmptyValues::Keep,
                        "skip" => EmptyValues::Skip,
                        other => return Err(bad(&name, &format!("`{other}` is not keep or skip"))),
                    }
                }
                "charset" => {
                    let label = str_value(&name, &value)?;
                    o.charset = Some(
                        Charset::from_label(label.as_bytes())
                            .map_err(|_| bad(&name, &format!("`{label}` is not UTF-8 or GBK")))?,
                    );
                }
                "appId" => {
                    let id = str_value(&name, &value)?;
                    if id.is_empty() {
                        return Err(bad(&name, "must not be empty"));
                    }
                    o.app_id = Some(id.to_owned());
                }
                "now" => o.now_ms = Some(epoch_ms(&name, &value)?),
                "maxAgeSeconds" => {
                    let n = value
                        .as_u64()
                        .or_else(|| {
                            value
                                .as_f64()
                                .filter(|f| *f >= 0.0 && f.fract() == 0.0 && *f < 1e15)
                                .map(|f| f as u64)
                        })
                        .ok_or_else(|| bad(&name, "must be a whole number of seconds ≥ 0"))?;
                    o.max_age_seconds = Some(n);
                }
                "alipayRootCert" => {
                    let pem = str_value(&name, &value)?;
                    if !pem.contains("-----BEGIN CERTIFICATE-----") {
                        return Err(bad(
                            &name,
                            "must be the PEM root bundle (alipayRootCert.crt)",
                        ));
                    }
                    o.alipay_root_cert = Some(pem.to_owned());
                }
                other => return Err(unknown(other, VERIFY_OPTION_NAMES)),
            }
        }
        if o.alipay_root_cert.is_some() && o.now_ms.is_none() {
            return Err(Error::options(
                "`alipayRootCert` needs `now` (epoch milliseconds) to check validity dates",
            ));
        }
        if o.max_age_seconds.is_some() && o.now_ms.is_none() {
            return Err(Error::options(
                "`maxAgeSeconds` needs `now` (epoch milliseconds): the core never reads a clock",
            ));
        }
        Ok(o)
    }
}

/// Options of the Java-compatible `rsaCheckV1` / `rsaCheckV2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RsaCheckOptions {
    /// The charset of the values (default UTF-8). Values given as text are encoded to it.
    pub charset: Charset,
    /// The algorithm (default `RSA2`; Java's three-argument overload defaults to `RSA`, a legacy
    /// default not copied here).
    pub sign_type: SignType,
}

impl Default for RsaCheckOptions {
    fn default() -> Self {
        RsaCheckOptions {
            charset: Charset::Utf8,
            sign_type: SignType::Rsa2,
        }
    }
}

impl RsaCheckOptions {
    /// Reads `{"charset": …, "signType": …}`; anything else is [`Error::InvalidOptions`].
    pub fn from_json(json: &str) -> Result<Self> {
        let mut o = RsaCheckOptions::default();
        for (name, value) in object(json)? {
            if value.is_null() {
                continue;
            }
            match name.as_str() {
                "charset" => {
                    let label = str_value(&name, &value)?;
                    o.charset = Charset::from_label(label.as_bytes())
                        .map_err(|_| bad(&name, &format!("`{label}` is not UTF-8 or GBK")))?;
                }
                "signType" => {
                    let t = str_value(&name, &value)?;
                    o.sign_type = SignType::from_wire(t.as_bytes())
                        .ok_or_else(|| bad(&name, &format!("`{t}` is not RSA2 or RSA")))?;
                }
                other => return Err(unknown(other, &["charset", "signType"])),
            }
        }
        Ok(o)
    }
}

fn object(json: &str) -> Result<Map<String, Value>> {
    if json.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(_) => Err(Error::options("options must be an object")),
        Err(e) => Err(Error::options(format!("options are not JSON: {e}"))),
    }
}

fn bad(name: &str, why: &str) -> Error {
    Error::options(format!("`{name}` {why}"))
}

fn unknown(name: &str, known: &[&str]) -> Error {
    let shown: String = name.chars().take(40).collect();
    Error::options(format!(
        "unknown option `{shown}` (known: {})",
        known.join(", ")
    ))
}

fn str_value<'v>(name: &str, v: &'v Value) -> Result<&'v str> {
    v.as_str().ok_or_else(|| bad(name, "must be a string"))
}

fn sign_types(v: &Value) -> Result<Vec<SignType>> {
    let list = v
        .as_array()
        .ok_or_else(|| bad("signTypes", "must be an array such as [\"RSA2\"]"))?;
    if list.is_empty() {
        return Err(bad("signTypes", "must not be empty"));
    }
    let mut out = Vec::new();
    for item in list {
        let s = item
            .as_str()
            .ok_or_else(|| bad("signTypes", "must contain strings"))?;
        let t = SignType::from_wire(s.as_bytes())
            .ok_or_else(|| bad("signTypes", &format!("`{s}` is not RSA2 or RSA")))?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

fn epoch_ms(name: &str, v: &Value) -> Result<i64> {
    v.as_i64()
        .or_else(|| {
            v.as_f64()
                .filter(|f| f.is_finite() && f.abs() < 1e16)
                .map(|f| f.trunc() as i64)
        })
        .ok_or_else(|| bad(name, "must be epoch milliseconds (a number or a Date)"))
}
