//! The RSA public key: modulus and exponent, read from DER (SubjectPublicKeyInfo or PKCS#1) and
//! checked once (size, odd modulus, exponent). The leaf every signature check uses; it knows
//! nothing of PEM, certificates or configuration.

use crate::crypto::der::{tag, Der};
use crate::error::{Error, Result};

/// Smallest modulus accepted, in bits (Alipay's legacy RSA keys are 1024-bit).
pub const MIN_KEY_BITS: usize = 1024;
/// Largest modulus accepted, in bits.
pub const MAX_KEY_BITS: usize = 4096;

/// `rsaEncryption` (1.2.840.113549.1.1.1), content octets.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// `id-ecPublicKey` (1.2.840.10045.2.1), content octets: EC keys (ECDSA, SM2).
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

/// An RSA public key, parsed and checked once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaPublicKey {
    /// Modulus, big-endian, no leading zero bytes.
    n: Vec<u8>,
    /// Public exponent (odd, at least 3).
    e: u32,
}

impl AsRef<RsaPublicKey> for RsaPublicKey {
    fn as_ref(&self) -> &RsaPublicKey {
        self
    }
}

impl RsaPublicKey {
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
        Ok(RsaPublicKey { n: n.to_vec(), e })
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

pub(crate) fn private_key_error() -> Error {
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
