//! The policy around the configured key: its certificate must chain to the configured root, and
//! a message must name the configured certificate's SN.

use crate::error::{Error, Result};
use crate::trust::PublicKey;
use crate::x509::certificate::verify_chain_der;

/// Certificate mode's optional chain check: when `alipay_root_cert` is given, `key` must have
/// been parsed from Alipay's certificate, which must chain to that root bundle and be valid at
/// `now_ms` ([`crate::x509::verify_cert_chain`]). Does nothing otherwise. [`crate::verify`]
/// calls it with the `alipayRootCert` and `now` options.
///
/// The chain is checked from the very certificate `key` was taken from (its DER, kept by
/// [`PublicKey::parse`]), never from a second reading of the text.
pub fn check_key_chain(
    key: &PublicKey,
    alipay_root_cert: Option<&str>,
    now_ms: Option<i64>,
) -> Result<()> {
    let Some(root) = alipay_root_cert else {
        return Ok(());
    };
    let now = now_ms.ok_or_else(|| {
        Error::options("`alipayRootCert` needs `now` (epoch milliseconds) to check validity dates")
    })?;
    let chain = key.cert_chain().ok_or_else(|| {
        Error::options(
            "`alipayRootCert` is set but the key is not a certificate (alipayCertPublicKey_RSA2.crt)",
        )
    })?;
    verify_chain_der(chain, root, now).map(|_| ())
}

/// Checks the `alipay_cert_sn` a message carries against the certificate the key came from.
///
/// Passes when the message carries none (or an empty one) or when the key did not come from a
/// certificate (nothing to compare with); otherwise the two must be equal, or
/// [`Error::CertSnMismatch`] names both — typically Alipay has rotated its certificate and the
/// configured one is stale.
pub(crate) fn check_cert_sn(key: &PublicKey, received: Option<&str>) -> Result<()> {
    match (key.cert_sn(), received) {
        (Some(expected), Some(actual)) if !actual.is_empty() && actual != expected => {
            Err(Error::CertSnMismatch {
                expected: expected.to_string(),
                actual: crate::error::excerpt(actual.as_bytes()),
            })
        }
        _ => Ok(()),
    }
}
