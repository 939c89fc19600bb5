//! Public-key certificate mode (公钥证书模式): the RSA key inside an X.509 certificate, the
//! certificate serial numbers Alipay computes (`app_cert_sn`, `alipay_cert_sn`,
//! `alipay_root_cert_sn`), an optional check that the Alipay certificate chains to Alipay's
//! root bundle, and a check that a certificate is Alipay's own (not an application's under the
//! same root). Certificate texts are read by `pem.rs`, the reader keys use too.
//!
//! # Why a small DER walker and not a full X.509 parser
//!
//! The serial numbers must be byte-for-byte what Alipay's Java SDK derives, and Java is lenient:
//! the production root bundle holds an ECDSA root whose algorithm identifier carries an
//! explicit NULL, which strict parsers refuse. Only a handful of fields are needed (serial,
//! issuer, subject, validity, key, signature, basic constraints), so they are read with a
//! tolerant tag-length-value walker, and a certificate is only rejected when a field that is
//! actually used cannot be read.
//!
//! # The serial number (SN)
//!
//! `SN = md5_hex(issuer + decimal(serialNumber))`, where `issuer` is the issuer name exactly as
//! Java's `X500Principal.getName()` (RFC 2253 form) renders it — see [`java_rfc2253_name`] for
//! the rules, including the places where Java differs from RFC 4514 renderers such as Python's
//! `cryptography`. The string is hashed as UTF-8 (what Alipay's Node and .NET SDKs do; Java uses
//! the platform charset, which only matters for non-ASCII issuers — no Alipay CA has one).

use md5::Digest as _;

use crate::crypto::der::{self, tag, Der, Tlv};
use crate::crypto::pem::{self, Label, Pem};
use crate::crypto::rsa::pkcs1v15::{verify_pkcs1v15, SignType};
use crate::crypto::RsaPublicKey;
use crate::encoding::base64::{decode as decode_base64, Policy};
use crate::encoding::hex;
use crate::encoding::time::{civil_to_epoch_seconds, digits};
use crate::error::{Error, Result};

/// Largest certificate or bundle text accepted, in bytes (Alipay's root bundle is about 4 KiB).
pub const MAX_CERT_TEXT_BYTES: usize = 64 * 1024;

/// Longest serial number accepted, in bytes (RFC 5280: at most 20).
const MAX_SERIAL_BYTES: usize = 256;

/// Longest issuer chain walked by [`verify_cert_chain`] (Alipay's has one intermediate).
const MAX_CHAIN_LEN: usize = 8;

/// `sha1WithRSAEncryption` (1.2.840.113549.1.1.5), content octets.
const SHA1_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
/// `sha256WithRSAEncryption` (1.2.840.113549.1.1.11), content octets.
const SHA256_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
/// `basicConstraints` (2.5.29.19), content octets.
const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
/// `commonName` (2.5.4.3), content octets.
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];

/// The CN of the CA that issues Alipay's own certificates (application certificates are issued
/// by `… Class 1 R1`; sandbox certificates of both kinds by `… Class 2 R1 test`).
const ALIPAY_ISSUER_CN: &str = "Ant Financial Certification Authority Class 2 R1";
/// How the CN of Alipay's certificate starts; a PID (`2088…`, digits) follows. An application
/// certificate's CN is `<PID>-<APPID>`.
const ALIPAY_SUBJECT_CN_PREFIX: &str = "支付宝(中国)网络技术有限公司-";

fn bad(reason: impl Into<String>) -> Error {
    Error::InvalidCertificate {
        reason: reason.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// DER walking
// ---------------------------------------------------------------------------------------------

/// The first OID of an `AlgorithmIdentifier`; parameters (absent, NULL or anything) are ignored.
fn algorithm_oid<'a>(alg: Tlv<'a>, what: &str) -> Result<&'a [u8]> {
    Ok(Der::new(bad, alg.content).expect(tag::OID, what)?.content)
}

/// Dotted-decimal form of OID content octets (`1.2.840.113549.1.1.11`).
fn oid_string(content: &[u8]) -> Result<String> {
    let mut arcs: Vec<u128> = Vec::new();
    let mut acc: u128 = 0;
    let mut pending = false;
    for &b in content {
        acc = acc
            .checked_mul(128)
            .ok_or_else(|| bad("object identifier arc too large"))?
            | u128::from(b & 0x7f);
        pending = b & 0x80 != 0;
        if !pending {
            arcs.push(acc);
            acc = 0;
        }
    }
    if pending || arcs.is_empty() {
        return Err(bad("malformed object identifier"));
    }
    let mut out = String::new();
    let mut iter = arcs.into_iter();
    if let Some(first) = iter.next() {
        // The first subidentifier packs the first two arcs: 40·x + y, with x ≤ 2.
        let (x, y) = match first {
            0..=39 => (0, first),
            40..=79 => (1, first - 40),
            _ => (2, first - 80),
        };
        out.push_str(&format!("{x}.{y}"));
    }
    for arc in iter {
        out.push_str(&format!(".{arc}"));
    }
    Ok(out)
}

/// Decimal form of a big-endian two's complement integer (Java's `BigInteger.toString()`).
/// Serial numbers exceed 64 bits (Alipay's are 128, iTrusChina's root 160), hence bignum.
fn signed_decimal(twos_complement: &[u8]) -> String {
    let negative = twos_complement.first().is_some_and(|b| b & 0x80 != 0);
    let mut magnitude: Vec<u8> = twos_complement.to_vec();
    if negative {
        // |x| = !x + 1 in two's complement.
        let mut carry = true;
        for b in magnitude.iter_mut().rev() {
            let (v, c) = (!*b).overflowing_add(u8::from(carry));
            *b = v;
            carry = c;
        }
    }
    // Repeated division by 10^9, most significant byte first; each remainder is 9 digits.
    let mut chunks: Vec<u32> = Vec::new();
    while magnitude.iter().any(|b| *b != 0) {
        let mut rem: u64 = 0;
        for b in magnitude.iter_mut() {
            let cur = (rem << 8) | u64::from(*b);
            *b = (cur / 1_000_000_000) as u8;
            rem = cur % 1_000_000_000;
        }
        chunks.push(rem as u32);
        let zeros = magnitude.iter().take_while(|b| **b == 0).count();
        magnitude.drain(..zeros);
    }
    let mut out = String::from(if negative { "-" } else { "" });
    match chunks.split_last() {
        None => out.push('0'),
        Some((top, rest)) => {
            out.push_str(&top.to_string());
            for c in rest.iter().rev() {
                out.push_str(&format!("{c:09}"));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

/// The fields of a certificate this crate uses, borrowed from its DER.
#[derive(Debug, Clone)]
pub(crate) struct Certificate<'a> {
    /// The whole `TBSCertificate` encoding: the bytes the issuer signed.
    tbs: &'a [u8],
    /// Outer `signatureAlgorithm` OID content octets.
    sig_alg: &'a [u8],
    /// `TBSCertificate.signature` OID content octets (must equal `sig_alg`).
    tbs_sig_alg: &'a [u8],
    /// Signature value (the BIT STRING without its unused-bits octet).
    signature: &'a [u8],
    /// Serial number INTEGER content octets (two's complement, big-endian).
    serial: &'a [u8],
    /// Issuer `Name`.
    issuer: Tlv<'a>,
    /// `Validity` (read only when checking the chain).
    validity: Tlv<'a>,
    /// Subject `Name`.
    subject: Tlv<'a>,
    /// `SubjectPublicKeyInfo`, whole encoding.
    spki: &'a [u8],
    /// `[3] Extensions`, if present.
    extensions: Option<Tlv<'a>>,
}

/// Reads the outer structure: `(TBSCertificate, signatureAlgorithm OID, signature BIT STRING)`.
/// Split out so that a bundle reader can learn the algorithm before judging the rest.
fn outer(der: &[u8]) -> Result<(Tlv<'_>, &[u8], &[u8])> {
    let mut top = Der::new(bad, der);
    let cert = top.expect(tag::SEQUENCE, "certificate")?;
    if !top.is_empty() {
        return Err(bad("data after the certificate"));
    }
    let mut c = Der::new(bad, cert.content);
    let tbs = c.expect(tag::SEQUENCE, "tbsCertificate")?;
    let sig_alg = algorithm_oid(
        c.expect(tag::SEQUENCE, "signatureAlgorithm")?,
        "signatureAlgorithm",
    )?;
    let sig_bits = c.expect(tag::BIT_STRING, "signatureValue")?.content;
    Ok((tbs, sig_alg, sig_bits))
}

impl<'a> Certificate<'a> {
    fn parse(der: &'a [u8]) -> Result<Self> {
        let (tbs, sig_alg, sig_bits) = outer(der)?;
        let signature = match sig_bits.split_first() {
            Some((0, bits)) => bits,
            _ => return Err(bad("signatureValue: not a whole number of bytes")),
        };
        let mut t = Der::new(bad, tbs.content);
        if t.peek_tag() == Some(tag::CONTEXT_0) {
            t.read("version")?;
        }
        let serial = t.expect(tag::INTEGER, "serialNumber")?.content;
        if serial.is_empty() || serial.len() > MAX_SERIAL_BYTES {
            // RFC 5280 allows 20 octets; the cap only bounds the quadratic decimal conversion.
            return Err(bad(format!("serialNumber: {} bytes", serial.len())));
        }
        let tbs_sig_alg = algorithm_oid(t.expect(tag::SEQUENCE, "signature")?, "signature")?;
        let issuer = t.expect(tag::SEQUENCE, "issuer")?;
        let validity = t.expect(tag::SEQUENCE, "validity")?;
        let subject = t.expect(tag::SEQUENCE, "subject")?;
        let spki = t.expect(tag::SEQUENCE, "subjectPublicKeyInfo")?.raw;
        let mut extensions = None;
        while !t.is_empty() {
            // issuerUniqueID [1] and subjectUniqueID [2] are skipped; [3] holds the extensions.
            let field = t.read("tbsCertificate field")?;
            if field.tag == tag::CONTEXT_3 {
                extensions = Some(field);
            }
        }
        Ok(Certificate {
            tbs: tbs.raw,
            sig_alg,
            tbs_sig_alg,
            signature,
            serial,
            issuer,
            validity,
            subject,
            spki,
            extensions,
        })
    }

    /// Alipay's certificate serial number of this certificate (see the module docs).
    fn sn(&self) -> Result<String> {
        let issuer = java_rfc2253_name(self.issuer.content)?;
        // Java's `getSerialNumber()` is a signed BigInteger; `toString()` is its decimal form.
        let serial = signed_decimal(self.serial);
        let digest = md5::Md5::digest(format!("{issuer}{serial}").as_bytes());
        Ok(hex::lower(&digest))
    }

    /// The subject's RSA public key.
    fn public_key(&self) -> Result<RsaPublicKey> {
        RsaPublicKey::from_spki_der(self.spki)
    }

    /// Whether `basicConstraints` says this certificate is a CA (absent means it is not).
    fn is_ca(&self) -> Result<bool> {
        let Some(ext) = self.extensions else {
            return Ok(false);
        };
        let list = Der::new(bad, ext.content).expect(tag::SEQUENCE, "extensions")?;
        let mut exts = Der::new(bad, list.content);
        while !exts.is_empty() {
            let e = exts.expect(tag::SEQUENCE, "extension")?;
            let mut fields = Der::new(bad, e.content);
            let id = fields.expect(tag::OID, "extnID")?.content;
            if id != BASIC_CONSTRAINTS {
                continue;
            }
            if fields.peek_tag() == Some(tag::BOOLEAN) {
                fields.read("critical")?;
            }
            let value = fields.expect(tag::OCTET_STRING, "extnValue")?;
            let bc = Der::new(bad, value.content).expect(tag::SEQUENCE, "basicConstraints")?;
            let mut inner = Der::new(bad, bc.content);
            if inner.peek_tag() == Some(tag::BOOLEAN) {
                let ca = inner.read("cA")?;
                return Ok(ca.content.iter().any(|b| *b != 0));
            }
            return Ok(false);
        }
        Ok(false)
    }

    /// `(notBefore, notAfter)` in epoch seconds, with their display forms.
    fn validity(&self) -> Result<((i64, String), (i64, String))> {
        let mut v = Der::new(bad, self.validity.content);
        let not_before = parse_time(v.read("notBefore")?)?;
        let not_after = parse_time(v.read("notAfter")?)?;
        Ok((not_before, not_after))
    }

    /// The subject name for messages.
    fn subject_name(&self) -> String {
        java_rfc2253_name(self.subject.content).unwrap_or_else(|_| "(unreadable subject)".into())
    }

    /// The issuer name for messages.
    fn issuer_name(&self) -> String {
        java_rfc2253_name(self.issuer.content).unwrap_or_else(|_| "(unreadable issuer)".into())
    }
}

/// Parses a UTCTime (`YYMMDDHHMMSSZ`, years 1950–2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`),
/// the two forms RFC 5280 allows, into epoch seconds and an ISO 8601 display form.
fn parse_time(t: Tlv<'_>) -> Result<(i64, String)> {
    let s = t.content;
    let (year, rest) = match (t.tag, s.len()) {
        (tag::UTC_TIME, 13) => {
            let (yy, rest) = s.split_at_checked(2).ok_or_else(|| bad("time"))?;
            let yy = digits(yy).ok_or_else(|| bad("UTCTime: bad year"))?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, rest)
        }
        (tag::GENERALIZED_TIME, 15) => {
            let (yyyy, rest) = s.split_at_checked(4).ok_or_else(|| bad("time"))?;
            (
                digits(yyyy).ok_or_else(|| bad("GeneralizedTime: bad year"))?,
                rest,
            )
        }
        _ => {
            return Err(bad(format!(
                "validity: unsupported time `{}`",
                String::from_utf8_lossy(s)
            )))
        }
    };
    let field = |i: usize| rest.get(i..i + 2).and_then(digits);
    let (Some(month), Some(day), Some(hour), Some(minute), Some(second), Some(b'Z')) = (
        field(0),
        field(2),
        field(4),
        field(6),
        field(8),
        rest.get(10).copied(),
    ) else {
        return Err(bad(format!(
            "validity: malformed time `{}`",
            String::from_utf8_lossy(s)
        )));
    };
    let secs = civil_to_epoch_seconds(year, month, day, hour, minute, second).ok_or_else(|| {
        bad(format!(
            "validity: impossible time `{}`",
            String::from_utf8_lossy(s)
        ))
    })?;
    let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
    Ok((secs, text))
}

// ---------------------------------------------------------------------------------------------
// Java's X500Principal.getName() (RFC 2253)
// ---------------------------------------------------------------------------------------------

/// The attribute keywords Java's `getName()` uses (its RFC 2253-compliant `AVAKeyword`s); every
/// other attribute type is written as a dotted OID with a `#hex` value.
fn rfc2253_keyword(oid: &[u8]) -> Option<&'static str> {
    Some(match oid {
        [0x55, 0x04, 0x03] => "CN",
        [0x55, 0x04, 0x06] => "C",
        [0x55, 0x04, 0x07] => "L",
        [0x55, 0x04, 0x08] => "ST",
        [0x55, 0x04, 0x0a] => "O",
        [0x55, 0x04, 0x0b] => "OU",
        [0x55, 0x04, 0x09] => "STREET",
        // 0.9.2342.19200300.100.1.25 and .1.1
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01] => "UID",
        _ => return None,
    })
}

/// Renders a DER `Name` (its contents: the RDN sequence) exactly as Java's
/// `X500Principal.getName()` does, which is what Alipay hashes into a certificate SN:
///
/// - RDNs most specific first (reverse of the encoding), joined by `,` with no spaces; the
///   attributes of a multi-valued RDN in encoded order, joined by `+`.
/// - Keywords only for CN, C, L, ST, O, OU, STREET, DC and UID. Any other type (e.g.
///   `emailAddress`, `serialNumber`, `title`) is its dotted OID followed by `=#` and the
///   lowercase hex of the value's whole DER encoding: `1.2.840.113549.1.9.1=#1611…`.
/// - Values of type PrintableString, TeletexString, IA5String, GeneralString, BMPString and
///   UTF8String are text; any other string type (NumericString, VisibleString,
///   UniversalString, …) is `#hex` as above. The text is the value's raw bytes decoded **as
///   UTF-8 whatever the type** (a Java quirk: a BMPString comes out as its UTF-16 bytes read as
///   UTF-8), invalid sequences becoming U+FFFD.
/// - Escaping (Java's, not RFC 4514's): each of `, = + < > # ; " \` anywhere in the value gets a
///   backslash; NUL is written `\00`; leading and trailing spaces and carriage returns get a
///   backslash. Nothing else is escaped: non-ASCII and control characters are kept as is.
///
/// Python `cryptography`'s `rfc4514_string()` differs: it does not escape `=` or a non-leading
/// `#`, knows more keywords (e.g. `1.2.840.113549.1.9.1`, `2.5.4.5`), writes unknown types as
/// text, and decodes BMPString as UTF-16.
fn java_rfc2253_name(rdn_sequence: &[u8]) -> Result<String> {
    let mut rdns = Vec::new();
    let mut name = Der::new(bad, rdn_sequence);
    while !name.is_empty() {
        let rdn = name.expect(tag::SET, "RelativeDistinguishedName")?;
        let mut avas = Vec::new();
        let mut set = Der::new(bad, rdn.content);
        while !set.is_empty() {
            let ava = set.expect(tag::SEQUENCE, "AttributeTypeAndValue")?;
            let mut fields = Der::new(bad, ava.content);
            let oid = fields.expect(tag::OID, "attribute type")?.content;
            let value = fields.read("attribute value")?;
            if !fields.is_empty() {
                return Err(bad("AttributeTypeAndValue: extra data"));
            }
            avas.push(java_rfc2253_ava(oid, value)?);
        }
        rdns.push(avas.join("+"));
    }
    rdns.reverse();
    Ok(rdns.join(","))
}

/// One `type=value` of [`java_rfc2253_name`].
fn java_rfc2253_ava(oid: &[u8], value: Tlv<'_>) -> Result<String> {
    let keyword = rfc2253_keyword(oid);
    let mut out = match keyword {
        Some(k) => k.to_string(),
        None => oid_string(oid)?,
    };
    out.push('=');
    let is_text = matches!(
        value.tag,
        tag::PRINTABLE_STRING
            | tag::T61_STRING
            | tag::IA5_STRING
            | tag::GENERAL_STRING
            | tag::BMP_STRING
            | tag::UTF8_STRING
    );
    if keyword.is_none() || !is_text {
        out.push('#');
        out.push_str(&hex::lower(&der::tlv(value.tag, value.content)));
        return Ok(out);
    }
    let text = String::from_utf8_lossy(value.content);
    let mut escaped: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ',' | '=' | '+' | '<' | '>' | '#' | ';' | '"' | '\\' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '\0' => escaped.extend(['\\', '0', '0']),
            _ => escaped.push(c),
        }
    }
    let is_ws = |c: &char| *c == ' ' || *c == '\r';
    let lead = escaped.iter().take_while(|c| is_ws(c)).count();
    let trail_start = escaped.len() - escaped.iter().rev().take_while(|c| is_ws(c)).count();
    for (i, c) in escaped.into_iter().enumerate() {
        if i < lead || i >= trail_start {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// PEM
// ---------------------------------------------------------------------------------------------

/// The DER of every certificate of a certificate text, in order: its exactly armoured
/// `CERTIFICATE` blocks (read by `pem.rs`, as keys are), or — when the text has no armour at all
/// — the whole text as one base64 DER. A block of another kind, or anything that looks like armour
/// without being exact, fails the text: a block that one reading skips and another uses is how a
/// chain check ends up vouching for a certificate it never saw.
fn certificates_der(text: &str) -> Result<Vec<Vec<u8>>> {
    if text.len() > MAX_CERT_TEXT_BYTES {
        return Err(Error::too_large(format!(
            "certificate text is over {MAX_CERT_TEXT_BYTES} bytes"
        )));
    }
    match pem::read(text, bad)? {
        Pem::Bare => {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                return Err(bad("no CERTIFICATE block found"));
            }
            let der = decode_base64(trimmed.as_bytes(), Policy::KEY_TEXT)
                .ok()
                .ok_or_else(|| bad("not PEM and not base64 DER"))?;
            Ok(vec![der])
        }
        Pem::Blocks(blocks) => blocks
            .iter()
            .map(|block| {
                if block.label != Label::Certificate {
                    return Err(bad(format!(
                        "a {} PEM block where certificates are expected",
                        block.label.as_str()
                    )));
                }
                block.der(bad)
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// The certificate serial number Alipay computes for a certificate: `app_cert_sn` for the
/// application's certificate (`appCertPublicKey_*.crt`), `alipay_cert_sn` for Alipay's
/// (`alipayCertPublicKey_RSA2.crt`). When the text holds several certificates (Alipay's file
/// also carries its intermediate CA), the first one counts.
///
/// The value is `md5_hex(issuer + serial)` exactly as Alipay's Java SDK derives it (see the
/// module docs). Fails with [`Error::InvalidCertificate`] on anything but a readable
/// certificate: exactly armoured `CERTIFICATE` blocks only (the rules of
/// [`PublicKey::from_pem`](crate::PublicKey::from_pem), the same reader), or base64 DER without any armour.
///
/// ```
/// # let pem = include_str!("../../tests/vectors/cert/real/alipayCertPublicKey_RSA2.crt");
/// // `pem`: the contents of alipayCertPublicKey_RSA2.crt
/// let sn = alipay_notify::x509::get_cert_sn(pem)?;
/// assert_eq!(sn, "7513daaaa48aa3ba2e4018d84402479c");
/// # Ok::<(), alipay_notify::Error>(())
/// ```
pub fn get_cert_sn(cert_pem: &str) -> Result<String> {
    let chain = certificates_der(cert_pem)?;
    let leaf = chain
        .first()
        .ok_or_else(|| bad("no CERTIFICATE block found"))?;
    Certificate::parse(leaf)?.sn()
}

/// The root certificate serial number (`alipay_root_cert_sn`) of Alipay's root bundle
/// (`alipayRootCert.crt`): the SNs (as [`get_cert_sn`]) of the bundle's certificates whose
/// signature algorithm is in the RSA family, in file order, joined by `_`.
///
/// As in Alipay's SDKs, a certificate counts when its signature algorithm OID starts with
/// `1.2.840.113549.1.1`; the others (the SM2 and ECDSA roots) are skipped. A block that cannot
/// be read far enough to learn its algorithm is skipped too (the production bundle's ECDSA root
/// is not strict DER); a counted RSA certificate that cannot be read is an error. A bundle
/// without any RSA certificate, with a block that is not an exactly armoured `CERTIFICATE`, or
/// with a block whose base64 is broken, is [`Error::InvalidCertificate`].
///
/// ```
/// # let bundle = include_str!("../../tests/vectors/cert/real/alipayRootCert.crt");
/// // `bundle`: the contents of alipayRootCert.crt
/// let sn = alipay_notify::x509::get_root_cert_sn(bundle)?;
/// assert_eq!(sn, "687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6");
/// # Ok::<(), alipay_notify::Error>(())
/// ```
pub fn get_root_cert_sn(bundle_pem: &str) -> Result<String> {
    let mut sns = Vec::new();
    for der in certificates_der(bundle_pem)? {
        let Ok((_, sig_alg, _)) = outer(&der) else {
            continue;
        };
        // A string prefix, exactly as the SDKs test it (Java: `getSigAlgOID().startsWith`).
        if !oid_string(sig_alg).is_ok_and(|oid| oid.starts_with("1.2.840.113549.1.1")) {
            continue;
        }
        sns.push(Certificate::parse(&der)?.sn()?);
    }
    if sns.is_empty() {
        return Err(bad("no RSA certificate in the root bundle"));
    }
    Ok(sns.join("_"))
}

/// Checks that Alipay's certificate is trusted by Alipay's root bundle at time `now_ms`
/// (milliseconds since the Unix epoch, supplied by the caller: the core never reads a clock).
///
/// `alipay_cert_pem` is Alipay's certificate file: the Alipay certificate first, optionally
/// followed by intermediate CA certificates (Alipay's file carries one). Both texts are read as
/// [`PublicKey::parse`](crate::PublicKey::parse) reads a certificate (exact armour; a look-alike block is
/// [`Error::InvalidCertificate`], never skipped), so the certificate checked here is the one whose
/// key verifies. The check, like
/// Alipay's SDK's but stricter about intermediates:
///
/// 1. Starting from the first certificate, find the certificate that issued it — a certificate
///    of `root_bundle_pem` whose subject equals its issuer (byte for byte) and whose key
///    verifies its signature (sha1WithRSA or sha256WithRSA, PKCS#1 v1.5); failing that, an
///    intermediate from `alipay_cert_pem` that is a CA (`basicConstraints cA`), and continue
///    from there. No issuer → [`Error::CertUntrusted`].
/// 2. Every certificate on that path except the root must be valid at `now_ms` (`notBefore ≤
///    now ≤ notAfter`) → otherwise [`Error::CertExpired`].
///
/// It does not check revocation, key usage or name constraints.
///
/// ```
/// # let alipay_cert = include_str!("../../tests/vectors/cert/real/alipayCertPublicKey_RSA2.php-sdk.crt");
/// # let root_bundle = include_str!("../../tests/vectors/cert/real/alipayRootCert.crt");
/// // `alipay_cert`: Alipay's certificate file (leaf + intermediate); `root_bundle`: alipayRootCert.crt
/// let now_ms = 1_717_243_200_000; // 2024-06-01, from the caller's clock
/// alipay_notify::x509::verify_cert_chain(alipay_cert, root_bundle, now_ms)?;
/// # Ok::<(), alipay_notify::Error>(())
/// ```
pub fn verify_cert_chain(alipay_cert_pem: &str, root_bundle_pem: &str, now_ms: i64) -> Result<()> {
    let chain = certificates_der(alipay_cert_pem)?;
    verify_chain_der(&chain, root_bundle_pem, now_ms).map(|_| ())
}

/// Checks that a certificate is **Alipay's own** certificate, trusted by Alipay's root bundle at
/// `now_ms` — for a certificate that comes from anywhere but your configuration (e.g. the new
/// certificate of `alipay.open.app.alipaycert.download` after Alipay rotated its certificate).
///
/// A chain check alone ([`verify_cert_chain`]) cannot tell Alipay's certificate from an
/// application's: both are issued under the same root, and anyone with an application holds an
/// application certificate and its private key. So, after the chain check, this requires of
/// the first certificate (the one whose key would be used):
///
/// 1. issuer CN exactly `Ant Financial Certification Authority Class 2 R1` (application
///    certificates are issued by `… Class 1 R1`) — trustworthy because the chain check verified
///    that the CA of that name signed it;
/// 2. subject CN `支付宝(中国)网络技术有限公司-<PID>`, the PID being ASCII digits (an
///    application certificate's CN is `<PID>-<APPID>`).
///
/// Each name must hold exactly one CN, a UTF8String or PrintableString. Failures:
/// [`Error::InvalidCertificate`] (unreadable text, see [`PublicKey::from_pem`](crate::PublicKey::from_pem) for the armour
/// rules), [`Error::CertUntrusted`] / [`Error::CertExpired`] (the chain), then
/// [`Error::CertNotAlipay`]. Sandbox certificates (issuer `… Class 2 R1 test`) are refused:
/// this checks production identity.
///
/// ```
/// # let sn = serde_json::from_str::<serde_json::Value>(include_str!("../../tests/vectors/cert/real/cert-sn-vectors.json")).unwrap();
/// # let app_cert = format!("{}\n{}", sn["vectors"][10]["pem"].as_str().unwrap(),
/// #     sn["vectors"][9]["pem"].as_str().unwrap().split_inclusive("-----END CERTIFICATE-----\n").nth(1).unwrap());
/// # let alipay_cert = include_str!("../../tests/vectors/cert/real/alipayCertPublicKey_RSA2.php-sdk.crt");
/// # let root_bundle = include_str!("../../tests/vectors/cert/real/alipayRootCert.crt");
/// use alipay_notify::x509::{check_alipay_certificate, verify_cert_chain};
/// let now_ms = 1_717_243_200_000; // 2024-06-01, from the caller's clock
/// check_alipay_certificate(alipay_cert, root_bundle, now_ms)?;
///
/// // An application certificate (with its `… Class 1 R1` intermediate) chains to the same root…
/// verify_cert_chain(&app_cert, root_bundle, now_ms)?;
/// // …but it is not Alipay's.
/// let err = check_alipay_certificate(&app_cert, root_bundle, now_ms).unwrap_err();
/// assert_eq!(err.code(), "CERT_NOT_ALIPAY");
/// # Ok::<(), alipay_notify::Error>(())
/// ```
pub fn check_alipay_certificate(
    alipay_cert_pem: &str,
    root_bundle_pem: &str,
    now_ms: i64,
) -> Result<()> {
    let chain = certificates_der(alipay_cert_pem)?;
    let leaf = verify_chain_der(&chain, root_bundle_pem, now_ms)?;
    check_alipay_identity(&leaf)
}

/// The identity half of [`check_alipay_certificate`], on a certificate whose chain was checked.
fn check_alipay_identity(cert: &Certificate<'_>) -> Result<()> {
    let not_alipay = |reason: String| Error::CertNotAlipay { reason };
    let issuer_cn = sole_common_name(cert.issuer, "issuer")?;
    if issuer_cn != ALIPAY_ISSUER_CN {
        return Err(not_alipay(format!(
            "issued by `{}`, not by `{ALIPAY_ISSUER_CN}` (application certificates are issued \
             by `… Class 1 R1`, sandbox ones by `… Class 2 R1 test`)",
            crate::error::excerpt(issuer_cn.as_bytes())
        )));
    }
    let subject_cn = sole_common_name(cert.subject, "subject")?;
    let pid = subject_cn
        .strip_prefix(ALIPAY_SUBJECT_CN_PREFIX)
        .unwrap_or("");
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_alipay(format!(
            "subject CN `{}` is not `{ALIPAY_SUBJECT_CN_PREFIX}<PID>` (an application \
             certificate's is `<PID>-<APPID>`)",
            crate::error::excerpt(subject_cn.as_bytes())
        )));
    }
    Ok(())
}

/// The one CN of a `Name` as text; [`Error::CertNotAlipay`] when there is none, more than one,
/// or one that is not a UTF8String or PrintableString.
fn sole_common_name<'a>(name: Tlv<'a>, what: &str) -> Result<&'a str> {
    let mut found: Vec<Tlv<'a>> = Vec::new();
    let mut rdns = Der::new(bad, name.content);
    while !rdns.is_empty() {
        let rdn = rdns.expect(tag::SET, "RelativeDistinguishedName")?;
        let mut avas = Der::new(bad, rdn.content);
        while !avas.is_empty() {
            let ava = avas.expect(tag::SEQUENCE, "AttributeTypeAndValue")?;
            let mut fields = Der::new(bad, ava.content);
            if fields.expect(tag::OID, "attribute type")?.content == COMMON_NAME {
                found.push(fields.read("attribute value")?);
            }
        }
    }
    let not_alipay = |reason: String| Error::CertNotAlipay { reason };
    match found.as_slice() {
        [value] if matches!(value.tag, tag::UTF8_STRING | tag::PRINTABLE_STRING) => {
            core::str::from_utf8(value.content)
                .map_err(|_| not_alipay(format!("the {what} CN is not UTF-8")))
        }
        [_] => Err(not_alipay(format!(
            "the {what} CN is not a UTF8String or PrintableString"
        ))),
        [] => Err(not_alipay(format!("the {what} has no CN"))),
        _ => Err(not_alipay(format!(
            "the {what} has {} CN attributes",
            found.len()
        ))),
    }
}

/// The chain check of [`verify_cert_chain`] on DER, from `chain_der[0]` (the certificate whose
/// key is used) through the others (its intermediates) to a certificate of `root_bundle_pem`.
/// Returns that first certificate, parsed, so that whatever is checked next (its identity) is
/// read from the same bytes.
pub(crate) fn verify_chain_der<'a>(
    chain_der: &'a [Vec<u8>],
    root_bundle_pem: &str,
    now_ms: i64,
) -> Result<Certificate<'a>> {
    let chain = chain_der
        .iter()
        .map(|d| Certificate::parse(d))
        .collect::<Result<Vec<_>>>()?;
    let leaf = chain
        .first()
        .ok_or_else(|| bad("no CERTIFICATE block in the Alipay certificate"))?;
    // Roots that cannot be read are skipped, as in `get_root_cert_sn`.
    let roots_der = certificates_der(root_bundle_pem)?;
    let roots: Vec<Certificate<'_>> = roots_der
        .iter()
        .filter_map(|d| Certificate::parse(d).ok())
        .collect();
    if roots.is_empty() {
        return Err(bad("no readable certificate in the root bundle"));
    }

    let mut path: Vec<&Certificate<'_>> = vec![leaf];
    let mut used = vec![false; chain.len()];
    if let Some(u) = used.first_mut() {
        *u = true;
    }
    let mut current = leaf;
    loop {
        if roots.iter().any(|root| is_issued_by(current, root)) {
            break;
        }
        let next = chain.iter().enumerate().find(|(i, c)| {
            !used.get(*i).copied().unwrap_or(true)
                && c.is_ca().unwrap_or(false)
                && is_issued_by(current, c)
        });
        match next {
            Some((i, c)) if path.len() < MAX_CHAIN_LEN => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                path.push(c);
                current = c;
            }
            _ => {
                return Err(Error::CertUntrusted {
                    reason: format!(
                        "no certificate in the root bundle issued `{}` (issuer of `{}`)",
                        current.issuer_name(),
                        current.subject_name()
                    ),
                })
            }
        }
    }

    let now_s = now_ms.div_euclid(1000);
    for cert in path {
        let ((not_before, nb_text), (not_after, na_text)) = cert.validity()?;
        if now_s < not_before {
            return Err(Error::CertExpired {
                reason: format!("`{}` is not valid before {nb_text}", cert.subject_name()),
            });
        }
        if now_s > not_after {
            return Err(Error::CertExpired {
                reason: format!("`{}` expired at {na_text}", cert.subject_name()),
            });
        }
    }
    Ok(leaf.clone())
}

/// Whether `issuer` issued `cert`: names match and `issuer`'s RSA key verifies the signature.
fn is_issued_by(cert: &Certificate<'_>, issuer: &Certificate<'_>) -> bool {
    if cert.issuer.raw != issuer.subject.raw || cert.sig_alg != cert.tbs_sig_alg {
        return false;
    }
    let sign_type = match cert.sig_alg {
        SHA256_WITH_RSA => SignType::Rsa2,
        SHA1_WITH_RSA => SignType::Rsa,
        _ => return false,
    };
    let Ok(key) = issuer.public_key() else {
        return false;
    };
    verify_pkcs1v15(&key, sign_type, cert.tbs, cert.signature).is_ok()
}

/// Whether a DER certificate is self-signed (issuer = subject, byte for byte): a root, as in
/// `alipayRootCert.crt` — for naming that file passed as a key, never for trust (nothing is
/// verified here). `false` when it cannot be read (the caller's own parse then says why).
pub(crate) fn is_self_signed(der: &[u8]) -> bool {
    Certificate::parse(der).is_ok_and(|c| c.issuer.raw == c.subject.raw)
}

/// The RSA public key of a DER certificate and the certificate's SN (`alipay_cert_sn`).
pub(crate) fn public_key_and_sn(der: &[u8]) -> Result<(RsaPublicKey, String)> {
    let cert = Certificate::parse(der)?;
    Ok((cert.public_key()?, cert.sn()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(attribute type OID, value tag, value)`.
    type Ava<'a> = (&'a [u8], u8, &'a [u8]);

    fn name(rdns: &[&[Ava<'_>]]) -> Vec<u8> {
        let mut seq = Vec::new();
        for rdn in rdns {
            let mut set = Vec::new();
            for (oid, t, v) in *rdn {
                let mut ava = der::tlv(tag::OID, oid);
                ava.extend(der::tlv(*t, v));
                set.extend(der::tlv(tag::SEQUENCE, &ava));
            }
            seq.extend(der::tlv(tag::SET, &set));
        }
        seq
    }

    const CN: &[u8] = &[0x55, 0x04, 0x03];
    const O: &[u8] = &[0x55, 0x04, 0x0a];
    const EMAIL: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];

    #[test]
    fn java_name_rendering() {
        let n = name(&[
            &[(O, tag::PRINTABLE_STRING, b"Ant")],
            &[(CN, tag::UTF8_STRING, b" a,b=c#d+\"\\<>; ")],
        ]);
        assert_eq!(
            java_rfc2253_name(&n).unwrap(),
            r#"CN=\ a\,b\=c\#d\+\"\\\<\>\;\ ,O=Ant"#
        );
        let n = name(&[&[
            (CN, tag::UTF8_STRING, b"x"),
            (EMAIL, tag::IA5_STRING, b"a@b"),
        ]]);
        assert_eq!(
            java_rfc2253_name(&n).unwrap(),
            "CN=x+1.2.840.113549.1.9.1=#1603614062"
        );
        // NumericString is not a "DER string" for Java: hex even under a keyword.
        let n = name(&[&[(CN, 0x12, b"12")]]);
        assert_eq!(java_rfc2253_name(&n).unwrap(), "CN=#12023132");
        // BMPString bytes read as UTF-8; NUL is \00.
        let n = name(&[&[(CN, tag::BMP_STRING, &[0, b'A'])]]);
        assert_eq!(java_rfc2253_name(&n).unwrap(), "CN=\\00A");
        assert_eq!(java_rfc2253_name(&[]).unwrap(), "");
    }

    #[test]
    fn decimal_serials() {
        assert_eq!(signed_decimal(&[0]), "0");
        assert_eq!(signed_decimal(&[0x7f]), "127");
        assert_eq!(signed_decimal(&[0x80]), "-128");
        assert_eq!(signed_decimal(&[0xff]), "-1");
        assert_eq!(signed_decimal(&[0x00, 0xff]), "255");
        assert_eq!(signed_decimal(&[0x3b, 0x9a, 0xca, 0x00]), "1000000000");
        assert_eq!(signed_decimal(&[0xc4, 0x65, 0x36, 0x00]), "-1000000000");
        // 2^128 - 1 and -2^127
        let mut max = vec![0u8];
        max.extend([0xff; 16]);
        assert_eq!(
            signed_decimal(&max),
            "340282366920938463463374607431768211455"
        );
        let mut min = vec![0x80u8];
        min.extend([0; 15]);
        assert_eq!(
            signed_decimal(&min),
            "-170141183460469231731687303715884105728"
        );
    }

    #[test]
    fn oid_rendering() {
        assert_eq!(
            oid_string(SHA256_WITH_RSA).unwrap(),
            "1.2.840.113549.1.1.11"
        );
        assert_eq!(oid_string(&[0x55, 0x1d, 0x13]).unwrap(), "2.5.29.19");
        assert_eq!(oid_string(&[0x88, 0x37, 0x01]).unwrap(), "2.999.1");
        assert!(oid_string(&[0x86]).is_err());
        assert!(oid_string(&[]).is_err());
    }

    #[test]
    fn long_lengths_are_reencoded_minimally() {
        let long = vec![b'a'; 200];
        let enc = der::tlv(tag::UTF8_STRING, &long);
        assert_eq!(enc.get(..3).unwrap(), &[0x0c, 0x81, 200]);
        let mut d = Der::new(bad, &enc);
        assert_eq!(d.read("x").unwrap().content.len(), 200);
        // Non-minimal length is tolerated when reading.
        let mut d = Der::new(bad, &[0x04, 0x82, 0x00, 0x01, 0xff]);
        assert_eq!(d.read("x").unwrap().content, &[0xff]);
        assert!(Der::new(bad, &[0x04, 0x80, 0x00, 0x00]).read("x").is_err());
        assert!(Der::new(bad, &[0x1f, 0x01, 0x00]).read("x").is_err());
        assert!(Der::new(bad, &[0x04, 0x05, 0x00]).read("x").is_err());
    }

    #[test]
    fn times() {
        let t = |tag, s: &[u8]| {
            parse_time(Tlv {
                tag,
                content: s,
                raw: s,
            })
        };
        assert_eq!(t(tag::UTC_TIME, b"700101000000Z").unwrap().0, 0);
        assert_eq!(t(tag::UTC_TIME, b"491231235959Z").unwrap().0, 2_524_607_999);
        assert_eq!(t(tag::UTC_TIME, b"500101000000Z").unwrap().0, -631_152_000);
        assert_eq!(
            t(tag::GENERALIZED_TIME, b"20500101000000Z").unwrap(),
            (2_524_608_000, "2050-01-01T00:00:00Z".to_string())
        );
        assert_eq!(t(tag::UTC_TIME, b"240229120000Z").unwrap().0, 1_709_208_000);
        assert!(t(tag::UTC_TIME, b"230229120000Z").is_err());
        assert!(t(tag::UTC_TIME, b"230101120000+0800").is_err());
        assert!(t(tag::UTC_TIME, b"2301011200Z").is_err());
        assert!(t(tag::OCTET_STRING, b"230101120000Z").is_err());
    }
}
