//! Loading the Alipay public key from the forms users paste: bare base64 SPKI (the Alipay console
//! form), PEM SPKI, PEM PKCS#1, or bare base64 PKCS#1 — whitespace, line wraps and armour optional;
//! and, in certificate mode, a PEM X.509 certificate (its RSA key, see `cert.rs`). PEM is read by
//! `pem.rs`, the reader the certificate functions use too.

use crate::der::{tag, Der};
use crate::error::{Error, Result};
use crate::pem::{self, decode_base64_lenient, Block, Label, Pem};

/// Smallest modulus accepted, in bits (Alipay's legacy RSA keys are 1024-bit).
pub const MIN_KEY_BITS: usize = 1024;
/// Largest modulus accepted, in bits.
pub const MAX_KEY_BITS: usize = 4096;
/// Largest key text accepted, in bytes (a 4096-bit PEM is under 1 KiB; a certificate a few KiB).
pub const MAX_KEY_TEXT_BYTES: usize = 16 * 1024;

/// `rsaEncryption` (1.2.840.113549.1.1.1), content octets.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// `id-ecPublicKey` (1.2.840.10045.2.1), content octets: EC keys (ECDSA, SM2).
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

/// An RSA public key, parsed and checked once, then reused for any number of verifications.
///
/// ```
/// use alipay_notify::PublicKey;
/// let err = PublicKey::parse("not a key").unwrap_err();
/// assert_eq!(err.code(), "INVALID_PUBLIC_KEY");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// Modulus, big-endian, no leading zero bytes.
    n: Vec<u8>,
    /// Public exponent (odd, at least 3).
    e: u32,
    /// Alipay's SN of the certificate the key was taken from (`None` for a bare key).
    cert_sn: Option<String>,
    /// The DER of the certificate the key was taken from, then of the other certificates of its
    /// text (the intermediates), for the optional chain check: the chain is checked from exactly
    /// the certificate whose key this is, never from a re-reading of the text.
    cert_chain: Option<Vec<Vec<u8>>>,
}

impl PublicKey {
    /// Parses a key in any accepted text form (see the module docs). Private keys and unknown
    /// formats are refused with [`Error::InvalidPublicKey`] and a reason.
    pub fn parse(text: &str) -> Result<Self> {
        if text.len() > MAX_KEY_TEXT_BYTES {
            return Err(Error::too_large(format!(
                "public key text is over {MAX_KEY_TEXT_BYTES} bytes"
            )));
        }
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Error::key("the key is empty"));
        }
        match pem::read(trimmed, key_error)? {
            Pem::Blocks(blocks) => Self::from_blocks(&blocks),
            Pem::Bare => {
                let der = decode_base64_lenient(trimmed).ok_or_else(|| {
                    Error::key("not PEM and not base64 (expected the Alipay public key)")
                })?;
                Self::from_der(&der)
            }
        }
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
                let leaf = chain.first().map(Vec::as_slice).unwrap_or_default();
                let key =
                    crate::cert::public_key_from_certificate_der(leaf).map_err(|e| match e {
                        Error::InvalidCertificate { reason } => {
                            Error::key(format!("certificate: {reason}"))
                        }
                        other => other,
                    })?;
                Ok(PublicKey {
                    cert_chain: Some(chain),
                    ..key
                })
            }
        }
    }

    /// Parses DER: SubjectPublicKeyInfo first, then a bare PKCS#1 `RSAPublicKey`.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        match Self::from_spki_der(der) {
            Ok(k) => Ok(k),
            Err(spki_err) => match Self::from_pkcs1_der(der) {
                Ok(k) => Ok(k),
                Err(_) if looks_like_private_key(der) => Err(private_key_error()),
                // A well-formed PKCS#1 key refused by the checks (size, exponent): say why.
                Err(e) if pkcs1_parts(der).is_ok() => Err(e),
                Err(_) => Err(spki_err),
            },
        }
    }

    /// Parses a DER SubjectPublicKeyInfo holding an `rsaEncryption` key.
    pub fn from_spki_der(der: &[u8]) -> Result<Self> {
        let mut outer = Der::new(key_error, der);
        let spki = outer.expect(tag::SEQUENCE, "SubjectPublicKeyInfo")?;
        if !outer.is_empty() {
            return Err(Error::key("data after the SubjectPublicKeyInfo"));
        }
        let mut fields = Der::new(key_error, spki.content);
        let algorithm = fields.expect(tag::SEQUENCE, "algorithm")?;
        let oid = Der::new(key_error, algorithm.content)
            .expect(tag::OID, "algorithm")?
            .content;
        if oid == EC_PUBLIC_KEY {
            return Err(Error::key(
                "an EC key (ECDSA or SM2); Alipay signs notifications with RSA",
            ));
        }
        if oid != RSA_ENCRYPTION {
            return Err(Error::key("not an RSA key"));
        }
        let bits = fields.expect(tag::BIT_STRING, "subjectPublicKey")?;
        if !fields.is_empty() {
            return Err(Error::key("data after the subjectPublicKey"));
        }
        match bits.content.split_first() {
            Some((0, key)) => Self::from_pkcs1_der(key),
            _ => Err(Error::key("public key bit string has unused bits")),
        }
    }

    /// Parses a DER PKCS#1 `RSAPublicKey` (modulus, exponent).
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self> {
        let (n, e) = pkcs1_parts(der)?;
        Self::from_components(n, e)
    }

    /// Builds a key from big-endian modulus and exponent, applying the size and exponent checks.
    pub fn from_components(modulus: &[u8], exponent: &[u8]) -> Result<Self> {
        let n = strip_leading_zeros(modulus);
        let bits = bit_len(n);
        if !(MIN_KEY_BITS..=MAX_KEY_BITS).contains(&bits) {
            return Err(Error::key(format!(
                "{bits}-bit modulus; {MIN_KEY_BITS} to {MAX_KEY_BITS} bits are accepted"
            )));
        }
        if n.last().is_none_or(|b| b & 1 == 0) {
            return Err(Error::key("modulus is even"));
        }
        let e_bytes = strip_leading_zeros(exponent);
        if e_bytes.len() > 4 {
            return Err(Error::key("public exponent is larger than 2^32"));
        }
        let e = e_bytes
            .iter()
            .fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
        if e < 3 || e & 1 == 0 {
            return Err(Error::key(format!(
                "public exponent {e} is not an odd number ≥ 3"
            )));
        }
        Ok(PublicKey {
            n: n.to_vec(),
            e,
            cert_sn: None,
            cert_chain: None,
        })
    }

    /// The modulus, big-endian, without leading zeros.
    pub fn modulus(&self) -> &[u8] {
        &self.n
    }

    /// The public exponent.
    pub fn exponent(&self) -> u32 {
        self.e
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        bit_len(&self.n)
    }

    /// The modulus size in bytes: the length every signature must have.
    pub fn size(&self) -> usize {
        self.n.len()
    }

    /// The certificate serial number Alipay computes (`alipay_cert_sn`, see
    /// [`get_cert_sn`](crate::get_cert_sn)) when the key was taken from a certificate; `None`
    /// for a bare key.
    pub fn cert_sn(&self) -> Option<&str> {
        self.cert_sn.as_deref()
    }

    /// The DER of the certificate the key was taken from, followed by the other certificates of
    /// its text (`None` for a bare key).
    pub(crate) fn cert_chain(&self) -> Option<&[Vec<u8>]> {
        self.cert_chain.as_deref()
    }

    /// Records the SN of the certificate this key came from.
    pub(crate) fn with_cert_sn(mut self, sn: String) -> Self {
        self.cert_sn = Some(sn);
        self
    }
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`: the two
/// integers' magnitudes, refusing negative ones.
fn pkcs1_parts(der: &[u8]) -> Result<(&[u8], &[u8])> {
    let mut outer = Der::new(key_error, der);
    let seq = outer.expect(tag::SEQUENCE, "RSAPublicKey")?;
    if !outer.is_empty() {
        return Err(Error::key("data after the RSAPublicKey"));
    }
    let mut ints = Der::new(key_error, seq.content);
    let n = ints.expect(tag::INTEGER, "modulus")?.content;
    let e = ints.expect(tag::INTEGER, "publicExponent")?.content;
    if !ints.is_empty() {
        return Err(Error::key("not an RSA public key (more than two integers)"));
    }
    for (what, int) in [("modulus", n), ("exponent", e)] {
        if int.first().is_none_or(|b| b & 0x80 != 0) {
            return Err(Error::key(format!("the {what} is empty or negative")));
        }
    }
    Ok((n, e))
}

/// The error [`Der`] raises while reading a key.
fn key_error(reason: String) -> Error {
    Error::key(reason)
}

fn private_key_error() -> Error {
    Error::key(
        "this is a private key; verification needs the Alipay public key (支付宝公钥), \
         not the application's private key",
    )
}

/// A PKCS#8 or PKCS#1 private key is `SEQUENCE { INTEGER 0 | 1, … }`; a public key never is.
fn looks_like_private_key(der: &[u8]) -> bool {
    let Some((&0x30, rest)) = der.split_first() else {
        return false;
    };
    // Skip the SEQUENCE length (short or long form).
    let body = match rest.split_first() {
        Some((&len, tail)) if len < 0x80 => tail,
        Some((&len, tail)) => tail.get(usize::from(len & 0x7f)..).unwrap_or(&[]),
        None => return false,
    };
    matches!(body, [0x02, 0x01, 0x00 | 0x01, ..])
}

fn strip_leading_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|x| *x != 0).unwrap_or(b.len());
    b.get(first..).unwrap_or(&[])
}

fn bit_len(n: &[u8]) -> usize {
    match n.first() {
        None => 0,
        Some(top) => (n.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}
