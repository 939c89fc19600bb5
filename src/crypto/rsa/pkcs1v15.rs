//! RSASSA-PKCS1-v1_5 verification, strict: the expected encoded message is built from the hash
//! and compared whole with the result of the public operation (encode-then-compare). The padding
//! is never parsed, so the classic Bleichenbacher-style forgeries on lax parsers do not apply.

use sha1::Digest as _;

use crate::crypto::rsa::key::RsaPublicKey;
use crate::crypto::rsa::modexp::rsa_public;
use crate::error::{Error, Result};

/// The hash of a `sign_type`: `RSA2` = SHA-256, `RSA` = SHA-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignType {
    /// `RSA2`: SHA256withRSA (the default and the only type allowed unless widened).
    Rsa2,
    /// `RSA`: SHA1withRSA (legacy notifications; must be allowed explicitly).
    Rsa,
}

impl SignType {
    /// The wire name (`"RSA2"` or `"RSA"`).
    pub fn as_str(self) -> &'static str {
        match self {
            SignType::Rsa2 => "RSA2",
            SignType::Rsa => "RSA",
        }
    }

    /// Parses a wire name exactly as Alipay sends it (case-sensitive).
    pub fn from_wire(s: &[u8]) -> Option<Self> {
        match s {
            b"RSA2" => Some(SignType::Rsa2),
            b"RSA" => Some(SignType::Rsa),
            _ => None,
        }
    }

    /// The digest of `message` under this sign type's hash.
    pub(crate) fn digest(self, message: &[u8]) -> Vec<u8> {
        match self {
            SignType::Rsa2 => sha2::Sha256::digest(message).to_vec(),
            SignType::Rsa => sha1::Sha1::digest(message).to_vec(),
        }
    }

    /// DER `DigestInfo` for `hash` under this sign type's algorithm.
    fn digest_info(self, message: &[u8]) -> Vec<u8> {
        match self {
            SignType::Rsa2 => {
                let mut v = SHA256_PREFIX.to_vec();
                v.extend_from_slice(&sha2::Sha256::digest(message));
                v
            }
            SignType::Rsa => {
                let mut v = SHA1_PREFIX.to_vec();
                v.extend_from_slice(&sha1::Sha1::digest(message));
                v
            }
        }
    }
}

/// `DigestInfo` header for SHA-256 (RFC 8017 §9.2, note 1).
const SHA256_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
/// `DigestInfo` header for SHA-1.
const SHA1_PREFIX: [u8; 15] = [
    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
];

impl serde::Serialize for SignType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The result of the public operation on a signature, ready to be compared with the encoding of
/// any number of candidate messages. Alipay's variants differ only in the message, so one
/// modular exponentiation serves V1 and V2 (and both hashes) alike.
#[derive(Debug, Clone)]
pub(crate) struct Recovered {
    em: Option<Vec<u8>>,
}

impl Recovered {
    /// Runs the public operation once. Fails only on a signature of the wrong length.
    pub(crate) fn new(key: &RsaPublicKey, sig: &[u8]) -> Result<Self> {
        check_length(key, sig)?;
        Ok(Recovered {
            em: rsa_public(key.modulus(), key.exponent(), sig),
        })
    }

    /// Whether the signature is valid for `message` under `sign_type`.
    pub(crate) fn matches(&self, sign_type: SignType, message: &[u8]) -> bool {
        self.matches_digest_info(&sign_type.digest_info(message))
    }

    /// The digest the signature holds, when the public operation gave a well-formed PKCS#1 v1.5
    /// block for SHA-256 or SHA-1 (padding, DigestInfo header) — what the right key gives even
    /// when the content was changed after signing; any other key gives noise (`None`). For
    /// diagnosis only: verification compares whole encodings, never this.
    pub(crate) fn recovered_digest(&self) -> Option<(SignType, &[u8])> {
        let em = self.em.as_deref()?;
        let (head, rest) = em.split_at_checked(2)?;
        if head != [0x00, 0x01] {
            return None;
        }
        let ps_len = rest.iter().take_while(|b| **b == 0xff).count();
        let rest = rest.get(ps_len..)?.strip_prefix(&[0x00])?;
        if ps_len < 8 {
            return None;
        }
        [
            (SignType::Rsa2, &SHA256_PREFIX[..], 32),
            (SignType::Rsa, &SHA1_PREFIX[..], 20),
        ]
        .into_iter()
        .find_map(|(t, prefix, len)| {
            rest.strip_prefix(prefix)
                .filter(|d| d.len() == len)
                .map(|d| (t, d))
        })
    }

    fn matches_digest_info(&self, digest_info: &[u8]) -> bool {
        let Some(em) = self.em.as_deref() else {
            return false;
        };
        let k = em.len();
        // EM = 0x00 || 0x01 || PS (0xff…, at least 8) || 0x00 || DigestInfo — compared whole,
        // never parsed. Everything here is public (signature and message are both sent in the
        // clear), so a plain comparison is fine.
        let Some(ps_len) = k.checked_sub(digest_info.len() + 3).filter(|n| *n >= 8) else {
            return false;
        };
        let Some((head, rest)) = em.split_at_checked(2) else {
            return false;
        };
        let Some((ps, rest)) = rest.split_at_checked(ps_len) else {
            return false;
        };
        head == [0x00, 0x01]
            && ps.iter().all(|b| *b == 0xff)
            && rest.first() == Some(&0x00)
            && rest.get(1..) == Some(digest_info)
    }
}

fn check_length(key: &RsaPublicKey, sig: &[u8]) -> Result<()> {
    let k = key.size();
    if sig.len() == k {
        Ok(())
    } else {
        Err(Error::signature(format!(
            "signature is {} bytes; a {}-bit key needs {k}",
            sig.len(),
            key.bits()
        )))
    }
}

/// Verifies an RSASSA-PKCS1-v1_5 signature over `message` (hashed here with the sign type's hash).
///
/// `sig` must be exactly as long as the modulus ([`Error::MalformedSignature`] otherwise); a
/// well-formed signature that does not match is [`Error::SignatureMismatch`].
pub fn verify_pkcs1v15(
    key: &impl AsRef<RsaPublicKey>,
    sign_type: SignType,
    message: &[u8],
    sig: &[u8],
) -> Result<()> {
    verify_digest_info_with(key.as_ref(), &sign_type.digest_info(message), sig)
}

/// The primitive under [`verify_pkcs1v15`]: checks `sig` against a caller-built DER `DigestInfo`
/// (any hash). Exposed, behind the `hazmat` feature, for test suites such as Wycheproof that use
/// other hashes.
#[cfg(any(feature = "hazmat", test))]
pub fn verify_digest_info(
    key: &impl AsRef<RsaPublicKey>,
    digest_info: &[u8],
    sig: &[u8],
) -> Result<()> {
    verify_digest_info_with(key.as_ref(), digest_info, sig)
}

fn verify_digest_info_with(key: &RsaPublicKey, digest_info: &[u8], sig: &[u8]) -> Result<()> {
    if Recovered::new(key, sig)?.matches_digest_info(digest_info) {
        Ok(())
    } else {
        Err(Error::SignatureMismatch)
    }
}
