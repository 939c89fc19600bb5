//! The Java-compatible `AlipaySignature.rsaCheckV1` / `rsaCheckV2` (a boolean, by design) and the
//! sign contents of decoded params (`getSignCheckContentV1` / `V2`).

use crate::crypto::rsa::pkcs1v15::Recovered;
use crate::encoding::charset::{encode, Charset};
use crate::encoding::form::{Form, Param};
use crate::error::{Error, Result};
use crate::notify::options::RsaCheckOptions;
use crate::notify::sign_content::{sign_content, EmptyValues, Variant};
use crate::notify::verify::decode_sign;
use crate::trust::PublicKey;

/// Builds a form from text pairs, encoding names and values to `charset`.
fn encode_params(params: &[(String, String)], charset: Charset) -> Result<Form> {
    let encoded = params
        .iter()
        .map(|(n, v)| {
            Ok(Param {
                name: encode(n, charset)?,
                value: encode(v, charset)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Form::from_params(encoded)
}

/// The exact V1 sign content of decoded params (`sign`, `sign_type` left out, empty values kept).
pub fn sign_check_content_v1(params: &[(String, String)]) -> Result<String> {
    sign_check_content(params, Variant::V1)
}

/// The exact V2 sign content of decoded params (`sign` left out, empty values kept).
pub fn sign_check_content_v2(params: &[(String, String)]) -> Result<String> {
    sign_check_content(params, Variant::V2)
}

fn sign_check_content(params: &[(String, String)], variant: Variant) -> Result<String> {
    let form = encode_params(params, Charset::Utf8)?;
    String::from_utf8(sign_content(&form, variant, EmptyValues::Keep)).map_err(|_| {
        Error::InvalidArgument {
            reason: "params are not text".into(),
        }
    })
}

/// Java's `AlipaySignature.rsaCheckV1` (V1 content, empty values kept): `Ok(true)` when the
/// params' `sign` matches, `Ok(false)` when it does not (or is missing or malformed); errors
/// only for bad arguments.
pub fn rsa_check_v1(
    params: &[(String, String)],
    key: &PublicKey,
    options: &RsaCheckOptions,
) -> Result<bool> {
    rsa_check(params, key, options, Variant::V1)
}

/// Java's `AlipaySignature.rsaCheckV2` (V2 content, empty values kept). See [`rsa_check_v1`].
pub fn rsa_check_v2(
    params: &[(String, String)],
    key: &PublicKey,
    options: &RsaCheckOptions,
) -> Result<bool> {
    rsa_check(params, key, options, Variant::V2)
}

fn rsa_check(
    params: &[(String, String)],
    key: &PublicKey,
    options: &RsaCheckOptions,
    variant: Variant,
) -> Result<bool> {
    let form = encode_params(params, options.charset)?;
    let Ok(sig) = decode_sign(&form) else {
        return Ok(false);
    };
    let Ok(recovered) = Recovered::new(key.rsa(), &sig) else {
        return Ok(false);
    };
    let content = sign_content(&form, variant, EmptyValues::Keep);
    Ok(recovered.matches(options.sign_type, &content))
}
