//! The application private key (应用私钥) in every form users have: PKCS#1 PEM
//! (`BEGIN RSA PRIVATE KEY`), PKCS#8 PEM (`BEGIN PRIVATE KEY`), or the bare base64 of either
//! (Alipay's key tool gives both, "PKCS1(非Java适用)" and "PKCS8(Java适用)") — line-wrapped or
//! not, CRLF or LF, even with the `\n` escapes of an environment file. The form is detected from
//! the DER itself, never from a label alone, and the key is handed on as canonical PKCS#8 (what
//! WebCrypto imports).
//!
//! Errors are [`Error::InvalidPrivateKey`] with a fixed reason: nothing of the key text is ever
//! put in an error, a log or `Debug` output.

use core::fmt;

use base64::Engine as _;

use crate::crypto::der;
use crate::error::{Error, Result};
use crate::PublicKey;

/// Largest private-key text accepted, in bytes (a 4096-bit PKCS#1 PEM is about 3.3 KiB).
pub const MAX_PRIVATE_KEY_TEXT_BYTES: usize = 16 * 1024;

/// `rsaEncryption` (1.2.840.113549.1.1.1), content octets.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const OCTET_STRING: u8 = 0x04;
const OID: u8 = 0x06;
const NULL: u8 = 0x05;
const BIT_STRING: u8 = 0x03;

/// Which encoding the key was given in (for diagnostics; the key is PKCS#8 either way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivateKeyFormat {
    /// `RSAPrivateKey` (PKCS#1), PEM or bare base64.
    Pkcs1,
    /// `PrivateKeyInfo` (PKCS#8), PEM or bare base64.
    Pkcs8,
}

/// An RSA private key, checked once and kept as canonical PKCS#8 DER.
///
/// ```
/// use alipay_notify::openapi::PrivateKey;
/// let err = PrivateKey::parse("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA").unwrap_err();
/// assert_eq!(err.code(), "INVALID_PRIVATE_KEY");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey {
    pkcs8: Vec<u8>,
    modulus: Vec<u8>,
    exponent: Vec<u8>,
    format: PrivateKeyFormat,
}

impl fmt::Debug for PrivateKey {
    /// Size and format only: key material never reaches a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("bits", &self.bits())
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

fn invalid(reason: &'static str) -> Error {
    Error::InvalidPrivateKey {
        reason: reason.to_string(),
    }
}

const PUBLIC_KEY: &str =
    "this is a public key (the Alipay public key 支付宝公钥, or the app public key); \
     signing needs the application private key (应用私钥)";

impl PrivateKey {
    /// Parses the key text (see the module docs for the accepted forms).
    pub fn parse(text: &str) -> Result<Self> {
        if text.len() > MAX_PRIVATE_KEY_TEXT_BYTES {
            return Err(Error::InputTooLarge {
                reason: format!("private key text is over {MAX_PRIVATE_KEY_TEXT_BYTES} bytes"),
            });
        }
        // Environment files often hold the PEM on one line with literal `\n` escapes.
        let text = crate::crypto::pem::unescape_newlines(text);
        let text = text.trim();
        if text.is_empty() {
            return Err(invalid("the private key is empty"));
        }
        let der = if text.starts_with("-----") {
            pem_body(text)?
        } else {
            decode_base64(text)?
        };
        Self::from_der(&der)
    }

    /// Parses DER: PKCS#8 `PrivateKeyInfo` or PKCS#1 `RSAPrivateKey`, told apart by structure.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let mut outer = Reader(der);
        let (tag, seq) = outer.tlv()?;
        if tag != SEQUENCE || !outer.0.is_empty() {
            return Err(invalid("not a DER SEQUENCE (not a key)"));
        }
        let mut fields = Reader(seq);
        let (first_tag, first) = fields.tlv()?;
        match first_tag {
            INTEGER => {}
            // SubjectPublicKeyInfo { AlgorithmIdentifier, BIT STRING } or a certificate.
            SEQUENCE => {
                let (second, _) = fields.tlv()?;
                return Err(match second {
                    BIT_STRING => invalid(PUBLIC_KEY),
                    _ => invalid(
                        "this is a certificate; signing needs the application private key (应用私钥)",
                    ),
                });
            }
            _ => return Err(invalid("not an RSA private key")),
        }
        let (second_tag, _) = Reader(fields.0).tlv()?;
        match (first, second_tag) {
            // PrivateKeyInfo: version 0 or 1, then the AlgorithmIdentifier.
            ([0] | [1], SEQUENCE) => Self::from_pkcs8_fields(fields),
            // RSAPrivateKey: version 0, then the modulus.
            ([0], INTEGER) => Self::from_pkcs1(seq, PrivateKeyFormat::Pkcs1),
            ([1], OCTET_STRING) => Err(invalid(
                "this is an EC private key; Alipay's RSA2 needs an RSA key",
            )),
            ([1], INTEGER) => Err(invalid(
                "multi-prime RSA keys are not supported (use a two-prime key)",
            )),
            // RSAPublicKey { modulus, exponent }: two positive integers.
            (_, INTEGER) if Reader(fields.0).count()? == 1 => Err(invalid(PUBLIC_KEY)),
            _ => Err(invalid("not an RSA private key")),
        }
    }

    /// The fields of a `PrivateKeyInfo` after its version.
    fn from_pkcs8_fields(mut fields: Reader<'_>) -> Result<Self> {
        let (_, alg) = fields.expect(SEQUENCE)?;
        let mut alg = Reader(alg);
        let (_, oid) = alg.expect(OID)?;
        if oid != RSA_ENCRYPTION {
            return Err(invalid(
                "the PKCS#8 key is not an RSA key (Alipay's RSA2 needs one)",
            ));
        }
        if !alg.0.is_empty() {
            alg.expect(NULL)?;
        }
        let (_, inner) = fields.expect(OCTET_STRING)?;
        // Optional attributes [0] and public key [1] may follow; they are not carried over.
        let mut key = Self::from_pkcs1(inner, PrivateKeyFormat::Pkcs8)?;
        key.format = PrivateKeyFormat::Pkcs8;
        Ok(key)
    }

    /// An `RSAPrivateKey` body (the contents of its SEQUENCE, or the whole DER when `der` still
    /// holds the SEQUENCE header).
    fn from_pkcs1(der: &[u8], format: PrivateKeyFormat) -> Result<Self> {
        // `der` is either the SEQUENCE contents (PKCS#1 given directly) or a whole DER (the
        // OCTET STRING of PKCS#8); normalise to the contents.
        let contents = match Reader(der).tlv() {
            Ok((SEQUENCE, c)) if format == PrivateKeyFormat::Pkcs8 => c,
            _ if format == PrivateKeyFormat::Pkcs8 => {
                return Err(invalid("the PKCS#8 key does not hold an RSAPrivateKey"))
            }
            _ => der,
        };
        let mut ints = Reader(contents);
        let mut parts: Vec<&[u8]> = Vec::with_capacity(9);
        while !ints.0.is_empty() {
            let (_, v) = ints.expect(INTEGER)?;
            parts.push(v);
        }
        let [version, n, e, d, p, q, dp, dq, qinv] = parts.as_slice() else {
            return Err(invalid("an RSAPrivateKey has nine integers"));
        };
        if *version != [0] {
            return Err(invalid("unsupported RSAPrivateKey version"));
        }
        for int in [n, e, d, p, q, dp, dq, qinv] {
            if int.first().is_none_or(|b| b & 0x80 != 0) {
                return Err(invalid("the key holds an empty or negative integer"));
            }
        }
        let modulus = strip_zeros(n).to_vec();
        let bits = bit_len(&modulus);
        if !(crate::crypto::MIN_KEY_BITS..=crate::crypto::MAX_KEY_BITS).contains(&bits) {
            return Err(invalid(
                "unsupported key size (RSA keys of 1024 to 4096 bits are accepted; Alipay's tool makes 2048)",
            ));
        }
        let pkcs1 = der::tlv(SEQUENCE, contents);
        let mut alg = der::tlv(OID, RSA_ENCRYPTION);
        alg.extend_from_slice(&[NULL, 0]);
        let mut info = der::tlv(INTEGER, &[0]);
        info.extend(der::tlv(SEQUENCE, &alg));
        info.extend(der::tlv(OCTET_STRING, &pkcs1));
        Ok(PrivateKey {
            pkcs8: der::tlv(SEQUENCE, &info),
            modulus,
            exponent: strip_zeros(e).to_vec(),
            format,
        })
    }

    /// The key as canonical PKCS#8 `PrivateKeyInfo` DER (version 0, no attributes): the form
    /// WebCrypto's `importKey("pkcs8", …)` takes.
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The form the key was given in.
    pub fn format(&self) -> PrivateKeyFormat {
        self.format
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        bit_len(&self.modulus)
    }

    /// The matching public key (the app public key, 应用公钥).
    pub fn public_key(&self) -> Result<PublicKey> {
        PublicKey::from_components(&self.modulus, &self.exponent)
    }

    /// Whether `key` is this key's own public half — i.e. the app public key was configured
    /// where the Alipay public key belongs (the most common set-up mistake).
    pub fn is_own_public_key(&self, key: &PublicKey) -> bool {
        key.modulus() == self.modulus.as_slice()
    }
}

/// The DER inside a PEM text with a private-key label; other labels get a reason.
fn pem_body(text: &str) -> Result<Vec<u8>> {
    let mut lines = text.lines().map(str::trim);
    let begin = lines.next().unwrap_or("");
    let label = begin
        .strip_prefix("-----BEGIN ")
        .and_then(|l| l.strip_suffix("-----"))
        .ok_or_else(|| invalid("the PEM BEGIN line is malformed"))?;
    match label {
        "RSA PRIVATE KEY" | "PRIVATE KEY" => {}
        "ENCRYPTED PRIVATE KEY" => {
            return Err(invalid(
                "the private key is encrypted; export it without a passphrase",
            ))
        }
        "PUBLIC KEY" | "RSA PUBLIC KEY" => return Err(invalid(PUBLIC_KEY)),
        "CERTIFICATE" => {
            return Err(invalid(
                "this is a certificate; signing needs the application private key (应用私钥)",
            ))
        }
        "EC PRIVATE KEY" => {
            return Err(invalid(
                "this is an EC private key; Alipay's RSA2 needs an RSA key",
            ))
        }
        _ => {
            return Err(invalid(
                "unknown PEM label (expected PRIVATE KEY or RSA PRIVATE KEY)",
            ))
        }
    }
    let end = format!("-----END {label}-----");
    let mut body = String::new();
    let mut ended = false;
    for line in lines {
        if ended {
            if !line.is_empty() {
                return Err(invalid("text after the PEM END line"));
            }
            continue;
        }
        if line == end {
            ended = true;
        } else if line.contains(':') {
            // RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`): an encrypted PKCS#1 key.
            return Err(invalid(
                "the private key is encrypted; export it without a passphrase",
            ));
        } else if line.starts_with("-----") {
            return Err(invalid("the PEM END line does not match its BEGIN line"));
        } else {
            body.push_str(line);
        }
    }
    if !ended {
        return Err(invalid("the PEM END line is missing"));
    }
    decode_base64(&body)
}

/// Standard base64, whitespace anywhere, padding optional.
fn decode_base64(text: &str) -> Result<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let engine = base64::engine::general_purpose::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine
        .decode(compact.as_bytes())
        .map_err(|_| invalid("not PEM and not base64 (expected the application private key)"))
}

/// A minimal DER reader: definite lengths only, up to four length bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn tlv(&mut self) -> Result<(u8, &'a [u8])> {
        let truncated = || invalid("truncated or malformed DER (not a key)");
        let (&tag, rest) = self.0.split_first().ok_or_else(truncated)?;
        let (&first, rest) = rest.split_first().ok_or_else(truncated)?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return Err(truncated());
            }
            let bytes = rest.get(..n).ok_or_else(truncated)?;
            let len = bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            (len, rest.get(n..).ok_or_else(truncated)?)
        };
        let value = rest.get(..len).ok_or_else(truncated)?;
        self.0 = rest.get(len..).ok_or_else(truncated)?;
        Ok((tag, value))
    }

    fn expect(&mut self, want: u8) -> Result<(u8, &'a [u8])> {
        let (tag, value) = self.tlv()?;
        if tag != want {
            return Err(invalid("unexpected DER structure (not an RSA private key)"));
        }
        Ok((tag, value))
    }

    /// How many TLVs remain.
    fn count(mut self) -> Result<usize> {
        let mut n = 0;
        while !self.0.is_empty() {
            self.tlv()?;
            n += 1;
        }
        Ok(n)
    }
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|x| *x != 0).unwrap_or(b.len());
    b.get(first..).unwrap_or(&[])
}

fn bit_len(n: &[u8]) -> usize {
    match n.first() {
        None => 0,
        Some(top) => (n.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_refused_without_echo() {
        for text in [
            "",
            "   ",
            "not a key at all!",
            "MIIB",
            "-----BEGIN PRIVATE KEY-----\nMIIB\n",
            "-----BEGIN FOO-----\nAAAA\n-----END FOO-----",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----",
        ] {
            let e = PrivateKey::parse(text).unwrap_err();
            assert_eq!(e.code(), "INVALID_PRIVATE_KEY", "{text}");
            if text.len() > 4 {
                assert!(!e.to_string().contains(text.trim()), "{e}");
            }
        }
        let e = PrivateKey::parse(&"A".repeat(MAX_PRIVATE_KEY_TEXT_BYTES + 1)).unwrap_err();
        assert_eq!(e.code(), "INPUT_TOO_LARGE");
    }
}
