//! Loading the Alipay public key from the forms users paste: bare base64 SPKI (the Alipay console
//! form), PEM SPKI, PEM PKCS#1, or bare base64 PKCS#1 — whitespace, line wraps and armour optional;
//! and, in certificate mode, a PEM X.509 certificate (its RSA key, see `x509`). PEM is read by
//! `pem.rs`, the reader the certificate functions use too. Bytes (a file read as it is) are
//! that text when they are UTF-8 text, and DER otherwise ([`PublicKey::from_bytes`]).
//!
//! The root bundle (`alipayRootCert.crt`) passed as the key is named as such: its certificates
//! are real, so without this it would fail as a key that is not RSA or a signature that does
//! not match.

use std::borrow::Cow;

use crate::crypto::pem::{self, Block, Label, Pem, MAX_KEY_TEXT_BYTES};
use crate::crypto::rsa::key::private_key_error;
use crate::crypto::RsaPublicKey;
use crate::encoding::base64::{decode as decode_base64, Policy};
use crate::error::{Error, Result};
use crate::x509::certificate::is_self_signed;

/// The message for the root bundle passed as a key.
const ROOT_BUNDLE_GIVEN: &str = "this is alipayRootCert.crt (the root bundle): pass it as \
     `alipayRootCert`, and the Alipay public key or `alipayCertPublicKey_RSA2.crt` as the key";

/// The message for the application's own key configured where Alipay's belongs, when it came
/// from a certificate: the app certificate (`appCertPublicKey_<appId>.crt`).
// Used by the OpenAPI client's bindings only (wasm32, not in the verify-only module).
#[cfg_attr(
    any(not(target_arch = "wasm32"), alipay_notify_verify_only),
    allow(dead_code)
)]
const APP_CERT_GIVEN: &str = "this is your app certificate (appCertPublicKey_…): Alipay's \
     certificate is alipayCertPublicKey_RSA2.crt";

/// The message for the application's own public key (应用公钥) configured as Alipay's.
// Used by the OpenAPI client's bindings only (wasm32, not in the verify-only module).
#[cfg_attr(
    any(not(target_arch = "wasm32"), alipay_notify_verify_only),
    allow(dead_code)
)]
const APP_KEY_GIVEN: &str = "the Alipay public key configured is the app's own public key \
     (应用公钥); configure the Alipay public key (支付宝公钥)";

/// An RSA public key, parsed and checked once, then reused for any number of verifications.
///
/// ```
/// use alipay_notify::PublicKey;
/// let err = PublicKey::parse("not a key").unwrap_err();
/// assert_eq!(err.code(), "INVALID_PUBLIC_KEY");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// The RSA key itself.
    rsa: RsaPublicKey,
    /// Alipay's SN of the certificate the key was taken from (`None` for a bare key).
    cert_sn: Option<String>,
    /// The DER of the certificate the key was taken from, then of the other certificates of its
    /// text (the intermediates), for the optional chain check: the chain is checked from exactly
    /// the certificate whose key this is, never from a re-reading of the text.
    cert_chain: Option<Vec<Vec<u8>>>,
}

impl PublicKey {
    /// Parses a key in any accepted text form (see the module docs). Private keys, unknown
    /// formats and the root bundle are refused with [`Error::InvalidPublicKey`] and a reason.
    ///
    /// ```
    /// use alipay_notify::PublicKey;
    /// let bundle = include_str!("../../tests/vectors/openapi/keys/alipayRootCert.crt");
    /// let err = PublicKey::parse(bundle).unwrap_err();
    /// assert!(err.to_string().contains("pass it as `alipayRootCert`"));
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        if text.len() > MAX_KEY_TEXT_BYTES {
            return Err(Error::too_large(format!(
                "public key text is over {MAX_KEY_TEXT_BYTES} bytes"
            )));
        }
        // The usual `.env` form: line breaks written as `\n`.
        let text = pem::unescape_newlines(text);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Error::key("the key is empty"));
        }
        match pem::read(trimmed, key_error)? {
            Pem::Blocks(blocks) => Self::from_blocks(&blocks),
            Pem::Bare => {
                let der = decode_base64(trimmed.as_bytes(), Policy::KEY_TEXT)
                    .ok()
                    .ok_or_else(|| {
                        Error::key("not PEM and not base64 (expected the Alipay public key)")
                    })?;
                Self::from_der(&der)
            }
        }
    }

    /// Parses key bytes: UTF-8 text (PEM or base64, as [`parse`](Self::parse) reads it) when
    /// they are text — valid UTF-8 without control characters other than tab, CR and LF —
    /// and DER otherwise (SPKI or PKCS#1, as [`from_der`](Self::from_der)). A DER key is
    /// never text: its second byte, the length, is not a character.
    ///
    /// ```
    /// use alipay_notify::PublicKey;
    /// let pem = include_bytes!("../../tests/vectors/openapi/keys/alipay-public.pem");
    /// assert_eq!(PublicKey::from_bytes(pem).unwrap().bits(), 2048);
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        Self::parse(&key_text(bytes, MAX_KEY_TEXT_BYTES)?)
    }

    /// Parses PEM: one `PUBLIC KEY` (SPKI) or `RSA PUBLIC KEY` (PKCS#1) block, or `CERTIFICATE`
    /// blocks only (X.509: the first certificate's RSA key, remembering its
    /// [`cert_sn`](Self::cert_sn); the others are its intermediates). The armour must be exact
    /// (see the crate's README, certificate mode): a look-alike BEGIN or END line, an unknown
    /// label or a block of another kind is [`Error::InvalidPublicKey`], never skipped.
    pub fn from_pem(pem: &str) -> Result<Self> {
        if pem.len() > MAX_KEY_TEXT_BYTES {
            return Err(Error::too_large(format!(
                "public key text is over {MAX_KEY_TEXT_BYTES} bytes"
            )));
        }
        match pem::read(pem, key_error)? {
            Pem::Blocks(blocks) => Self::from_blocks(&blocks),
            Pem::Bare => Err(Error::key("PEM without a BEGIN line")),
        }
    }

    /// The key of a PEM text's blocks (see [`from_pem`](Self::from_pem)).
    fn from_blocks(blocks: &[Block<'_>]) -> Result<Self> {
        let Some((first, rest)) = blocks.split_first() else {
            return Err(Error::key("PEM without a BEGIN line"));
        };
        match first.label {
            Label::PrivateKey
            | Label::RsaPrivateKey
            | Label::EncryptedPrivateKey
            | Label::EcPrivateKey => Err(private_key_error()),
            Label::PublicKey | Label::RsaPublicKey if !rest.is_empty() => Err(Error::key(format!(
                "{} PEM blocks; a key text holds one key",
                blocks.len()
            ))),
            Label::PublicKey => Self::from_spki_der(&first.der(key_error)?),
            Label::RsaPublicKey => Self::from_pkcs1_der(&first.der(key_error)?),
            // Certificate mode (公钥证书模式): the first certificate's key, with its SN; the
            // other certificates are kept for the chain check.
            Label::Certificate => {
                let mut chain = Vec::with_capacity(blocks.len());
                for block in blocks {
                    if block.label != Label::Certificate {
                        return Err(Error::key(format!(
                            "a {} PEM block among the certificates",
                            block.label.as_str()
                        )));
                    }
                    chain.push(block.der(key_error)?);
                }
                root_bundle_given(&chain)?;
                let leaf = chain.first().map(Vec::as_slice).unwrap_or_default();
                let (rsa, sn) =
                    crate::x509::certificate::public_key_and_sn(leaf).map_err(|e| match e {
                        Error::InvalidCertificate { reason } => {
                            Error::key(format!("certificate: {reason}"))
                        }
                        other => other,
                    })?;
                Ok(PublicKey {
                    rsa,
                    cert_sn: Some(sn),
                    cert_chain: Some(chain),
                })
            }
        }
    }

    /// Parses DER: SubjectPublicKeyInfo first, then a bare PKCS#1 `RSAPublicKey`.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        RsaPublicKey::from_der(der).map(Self::bare)
    }

    /// Parses a DER SubjectPublicKeyInfo holding an `rsaEncryption` key.
    pub fn from_spki_der(der: &[u8]) -> Result<Self> {
        RsaPublicKey::from_spki_der(der).map(Self::bare)
    }

    /// Parses a DER PKCS#1 `RSAPublicKey` (modulus, exponent).
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self> {
        RsaPublicKey::from_pkcs1_der(der).map(Self::bare)
    }

    /// Builds a key from big-endian modulus and exponent, applying the size and exponent checks.
    pub fn from_components(modulus: &[u8], exponent: &[u8]) -> Result<Self> {
        RsaPublicKey::from_components(modulus, exponent).map(Self::bare)
    }

    /// A key that did not come from a certificate.
    fn bare(rsa: RsaPublicKey) -> Self {
        PublicKey {
            rsa,
            cert_sn: None,
            cert_chain: None,
        }
    }

    /// The RSA key.
    pub fn rsa(&self) -> &RsaPublicKey {
        &self.rsa
    }

    /// The modulus, big-endian, without leading zeros.
    pub fn modulus(&self) -> &[u8] {
        self.rsa.modulus()
    }

    /// The public exponent.
    pub fn exponent(&self) -> u32 {
        self.rsa.exponent()
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.rsa.bits()
    }

    /// The modulus size in bytes: the length every signature must have.
    pub fn size(&self) -> usize {
        self.rsa.size()
    }

    /// The certificate serial number Alipay computes (`alipay_cert_sn`, see
    /// [`get_cert_sn`](crate::x509::get_cert_sn)) when the key was taken from a certificate; `None`
    /// for a bare key.
    pub fn cert_sn(&self) -> Option<&str> {
        self.cert_sn.as_deref()
    }

    /// The DER of the certificate the key was taken from, followed by the other certificates of
    /// its text (`None` for a bare key).
    pub(crate) fn cert_chain(&self) -> Option<&[Vec<u8>]> {
        self.cert_chain.as_deref()
    }
}

impl AsRef<RsaPublicKey> for PublicKey {
    fn as_ref(&self) -> &RsaPublicKey {
        &self.rsa
    }
}

/// The error for `configured`, Alipay's key or certificate, found to be the application's own
/// (its modulus is the private key's): named as the app certificate when it came from one, else
/// as the app public key. Told only where the private key is at hand (the OpenAPI client's
/// set-up): a certificate alone does not say reliably whose it is (the sandbox issues both from
/// one CA).
// Used by the OpenAPI client's bindings only (wasm32, not in the verify-only module).
#[cfg_attr(
    any(not(target_arch = "wasm32"), alipay_notify_verify_only),
    allow(dead_code)
)]
pub(crate) fn own_key_error(configured: &PublicKey) -> Error {
    Error::key(if configured.cert_sn().is_some() {
        APP_CERT_GIVEN
    } else {
        APP_KEY_GIVEN
    })
}

/// Refuses the root bundle: several certificates, the first a root (self-signed). Alipay's
/// certificate file starts with Alipay's own certificate, whatever follows it; a lone root is
/// left to fail as the wrong key.
fn root_bundle_given(chain: &[Vec<u8>]) -> Result<()> {
    if chain.len() > 1 && chain.first().is_some_and(|der| is_self_signed(der)) {
        return Err(Error::key(ROOT_BUNDLE_GIVEN));
    }
    Ok(())
}

/// Key bytes as key text (see [`PublicKey::from_bytes`]): the text itself, or the DER as base64,
/// which the key readers (this one and the private key's) read as DER. Text over `max` bytes, or
/// DER whose base64 would be, → [`Error::InputTooLarge`].
pub(crate) fn key_text(bytes: &[u8], max: usize) -> Result<Cow<'_, str>> {
    if let Ok(text) = core::str::from_utf8(bytes) {
        if !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
        {
            if text.len() > max {
                return Err(Error::too_large(format!(
                    "the key text is over {max} bytes"
                )));
            }
            return Ok(Cow::Borrowed(text));
        }
    }
    if bytes.len() > max / 4 * 3 {
        return Err(Error::too_large(format!(
            "the key's DER is over {} bytes",
            max / 4 * 3
        )));
    }
    use base64::Engine as _;
    Ok(Cow::Owned(
        base64::engine::general_purpose::STANDARD.encode(bytes),
    ))
}

/// The error the PEM and DER readers raise while reading a key.
fn key_error(reason: String) -> Error {
    Error::key(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/openapi/keys/");

    fn file(name: &str) -> String {
        std::fs::read_to_string(format!("{KEYS}{name}")).unwrap()
    }

    #[test]
    fn the_own_key_is_named_by_its_form() {
        let cert = PublicKey::parse(&file("appCertPublicKey_2021000000000001.crt")).unwrap();
        let e = own_key_error(&cert);
        assert_eq!(e.code(), "INVALID_PUBLIC_KEY");
        assert_eq!(
            e.to_string(),
            format!("invalid public key: {APP_CERT_GIVEN}")
        );
        assert!(e.to_string().contains("appCertPublicKey_"));
        let bare = PublicKey::parse(&file("app-public.pem")).unwrap();
        assert!(own_key_error(&bare).to_string().contains("应用公钥"));
    }
}
