//! The one PEM reader of the crate: keys (`trust::public_key`) and certificates (`x509`) both read their
//! text here, so the block whose key is used is always the block whose chain and SN are checked.
//!
//! Two readers that disagree on where a block starts are a bypass: one took
//! `-----BEGIN CERTIFICATE -----` (a trailing space) for armour, the other skipped it, so an
//! attacker's certificate put before Alipay's genuine file supplied the key while the genuine
//! certificates passed the chain check. Hence the rules:
//!
//! - **Exact armour**: `-----BEGIN <LABEL>-----` and `-----END <LABEL>-----`, five dashes, one
//!   space, a label from [`Label`] in capitals, the same label on both lines.
//! - **Anything else that looks like armour is an error, never skipped**: outside exact armour,
//!   a run of two or more `-` (base64 has none; every mangled armour line keeps some) fails the
//!   whole text; so do an END without its BEGIN, a BEGIN inside a block, a block never closed.
//! - **The tolerance users need**: base64 wrapped at any width or not at all, CRLF (any ASCII
//!   whitespace inside a body is ignored), whitespace around armour lines, a block on one line
//!   (`-----BEGIN PUBLIC KEY----- MIIB… -----END PUBLIC KEY-----`, as pasted into an environment
//!   variable), and free text outside the blocks (a comment, `openssl`'s `subject=` lines) as
//!   long as it holds no such dash run.
//!
//! The scan is one pass over the text, linear in its length.

use crate::error::{Error, Result};

/// Largest key text accepted, in bytes (a 4096-bit PEM is under 1 KiB; a certificate a few KiB).
pub const MAX_KEY_TEXT_BYTES: usize = 16 * 1024;

/// The PEM labels this crate knows. The private-key labels are known only to refuse them with a
/// useful message (the application's private key pasted where Alipay's public key belongs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    /// `CERTIFICATE`: X.509 (公钥证书模式).
    Certificate,
    /// `PUBLIC KEY`: SubjectPublicKeyInfo.
    PublicKey,
    /// `RSA PUBLIC KEY`: PKCS#1 `RSAPublicKey`.
    RsaPublicKey,
    /// `PRIVATE KEY`: PKCS#8.
    PrivateKey,
    /// `RSA PRIVATE KEY`: PKCS#1 private key.
    RsaPrivateKey,
    /// `ENCRYPTED PRIVATE KEY`: encrypted PKCS#8.
    EncryptedPrivateKey,
    /// `EC PRIVATE KEY`: SEC 1.
    EcPrivateKey,
}

impl Label {
    const ALL: [Label; 7] = [
        Label::Certificate,
        Label::PublicKey,
        Label::RsaPublicKey,
        Label::PrivateKey,
        Label::RsaPrivateKey,
        Label::EncryptedPrivateKey,
        Label::EcPrivateKey,
    ];

    /// The label as written in the armour.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Label::Certificate => "CERTIFICATE",
            Label::PublicKey => "PUBLIC KEY",
            Label::RsaPublicKey => "RSA PUBLIC KEY",
            Label::PrivateKey => "PRIVATE KEY",
            Label::RsaPrivateKey => "RSA PRIVATE KEY",
            Label::EncryptedPrivateKey => "ENCRYPTED PRIVATE KEY",
            Label::EcPrivateKey => "EC PRIVATE KEY",
        }
    }
}

/// One exactly armoured block: its label and its body (the text between the armour lines, not
/// yet decoded, so that a private key is refused by its label whatever its body holds).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Block<'a> {
    /// The label of both armour lines.
    pub(crate) label: Label,
    body: &'a str,
}

impl Block<'_> {
    /// The body decoded: standard base64, ASCII whitespace ignored, padding optional. Anything
    /// else in it (PEM headers, stray characters) is `err`.
    pub(crate) fn der(&self, err: fn(String) -> Error) -> Result<Vec<u8>> {
        crate::encoding::base64::decode(
            self.body.as_bytes(),
            crate::encoding::base64::Policy::KEY_TEXT,
        )
        .ok()
        .ok_or_else(|| {
            err(format!(
                "the {} PEM body is not base64",
                self.label.as_str()
            ))
        })
    }
}

/// What a text holds.
#[derive(Debug)]
pub(crate) enum Pem<'a> {
    /// No armour at all: the caller may read the text as bare base64 DER.
    Bare,
    /// One or more exactly armoured blocks, in order.
    Blocks(Vec<Block<'a>>),
}

/// The two kinds of armour line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Begin,
    End,
}

/// Turns the literal `\n` / `\r\n` escapes of a key kept in an environment variable (the
/// usual `.env` form) into line breaks, and drops a stray `\r`. PEM and base64 never contain a
/// backslash, so this cannot change a key that has none; text without one is borrowed as is.
pub(crate) fn unescape_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\\') {
        std::borrow::Cow::Owned(
            text.replace("\\r\\n", "\n")
                .replace("\\n", "\n")
                .replace("\\r", ""),
        )
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Reads `text` (see the module docs); malformed armour is `err(reason)`.
pub(crate) fn read(text: &str, err: fn(String) -> Error) -> Result<Pem<'_>> {
    let bytes = text.as_bytes();
    let mut blocks = Vec::new();
    // The open block: its label and where its body starts.
    let mut open: Option<(Label, usize)> = None;
    let mut at = 0;
    while let Some(offset) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'-'))
    {
        let start = at + offset;
        if run_of_dashes(bytes, start) == 1 {
            // A lone `-` is no armour (a body holding one fails as base64 later).
            at = start + 1;
            continue;
        }
        let (edge, label, end) = armour_at(text, start).ok_or_else(|| {
            err(format!(
                "malformed PEM armour `{}`: expected `-----BEGIN <LABEL>-----` or \
                 `-----END <LABEL>-----` exactly, with LABEL one of {}",
                line_excerpt(text, start),
                known_labels()
            ))
        })?;
        match (edge, open) {
            (Edge::Begin, None) => open = Some((label, end)),
            (Edge::End, Some((open_label, body_start))) if open_label == label => {
                let body = text.get(body_start..start).unwrap_or("");
                blocks.push(Block { label, body });
                open = None;
            }
            (Edge::End, Some((open_label, _))) => {
                return Err(err(format!(
                    "`-----BEGIN {}-----` is closed by `-----END {}-----`",
                    open_label.as_str(),
                    label.as_str()
                )))
            }
            (Edge::Begin, Some((open_label, _))) => {
                return Err(err(format!(
                    "`-----BEGIN {}-----` inside the `{}` block",
                    label.as_str(),
                    open_label.as_str()
                )))
            }
            (Edge::End, None) => {
                return Err(err(format!(
                    "`-----END {}-----` without its BEGIN line",
                    label.as_str()
                )))
            }
        }
        at = end;
    }
    if let Some((label, _)) = open {
        return Err(err(format!(
            "PEM block without `-----END {}-----`",
            label.as_str()
        )));
    }
    Ok(if blocks.is_empty() {
        Pem::Bare
    } else {
        Pem::Blocks(blocks)
    })
}

/// How many `-` start at `start`.
fn run_of_dashes(bytes: &[u8], start: usize) -> usize {
    bytes
        .get(start..)
        .map_or(0, |rest| rest.iter().take_while(|&&b| b == b'-').count())
}

/// The exact armour line starting at `start`, if there is one: its kind, label and end offset.
/// Exact means five dashes (not four, not six), `BEGIN ` or `END ` with one space, a known
/// label as written in [`Label::as_str`], five dashes, and no sixth dash after them (except the
/// next BEGIN line glued to an END line).
fn armour_at(text: &str, start: usize) -> Option<(Edge, Label, usize)> {
    const DASHES: &str = "-----";
    let rest = text.get(start..)?;
    let after_dashes = rest.strip_prefix(DASHES)?;
    if after_dashes.starts_with('-') {
        return None;
    }
    let (edge, after_keyword) = if let Some(r) = after_dashes.strip_prefix("BEGIN ") {
        (Edge::Begin, r)
    } else {
        (Edge::End, after_dashes.strip_prefix("END ")?)
    };
    let label = Label::ALL.into_iter().find(|l| {
        after_keyword
            .strip_prefix(l.as_str())
            .and_then(|tail| tail.strip_prefix(DASHES))
            .is_some_and(|tail| {
                // `cat` of a file without a final newline glues END to the next BEGIN:
                // `-----END CERTIFICATE----------BEGIN CERTIFICATE-----` is still two exact lines.
                !tail.starts_with('-') || (edge == Edge::End && tail.starts_with("-----BEGIN "))
            })
    })?;
    let end = start + (rest.len() - after_keyword.len()) + label.as_str().len() + DASHES.len();
    Some((edge, label, end))
}

/// The armour-like line around `start`, shortened and with control characters escaped (a tab or
/// a CR in the armour is exactly what the caller must be shown).
fn line_excerpt(text: &str, start: usize) -> String {
    let line_start = text
        .get(..start)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = text.get(line_start..).unwrap_or("");
    let line = line.split('\n').next().unwrap_or("").trim_matches(' ');
    let short: String = line.chars().take(48).collect();
    let mut shown = short.escape_debug().to_string();
    if line.chars().count() > 48 {
        shown.push('…');
    }
    shown
}

/// The known labels, for messages.
fn known_labels() -> String {
    Label::ALL
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn env_escapes_become_line_breaks() {
        use super::unescape_newlines as u;
        assert_eq!(u("a\\nb\\r\\nc\\rd"), "a\nb\ncd");
        assert!(matches!(u("no escapes\n"), std::borrow::Cow::Borrowed(_)));
    }

    use super::*;

    fn e(reason: String) -> Error {
        Error::InvalidCertificate { reason }
    }

    fn labels(text: &str) -> Vec<(&'static str, String)> {
        match read(text, e).unwrap() {
            Pem::Bare => Vec::new(),
            Pem::Blocks(b) => b
                .iter()
                .map(|b| (b.label.as_str(), b.body.trim().to_string()))
                .collect(),
        }
    }

    #[test]
    fn exact_armour_is_read() {
        assert_eq!(
            labels("-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"),
            [("CERTIFICATE", "QUJD".to_string())]
        );
        assert_eq!(
            labels("x\r\n  -----BEGIN PUBLIC KEY-----  \r\nQU\r\nJD\r\n\t-----END PUBLIC KEY-----\r\nnote - y\n-----BEGIN RSA PUBLIC KEY----- QUJD -----END RSA PUBLIC KEY-----"),
            [
                ("PUBLIC KEY", "QU\r\nJD".to_string()),
                ("RSA PUBLIC KEY", "QUJD".to_string())
            ]
        );
        assert_eq!(
            labels("-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE----------BEGIN CERTIFICATE-----\nREVG\n-----END CERTIFICATE-----"),
            [
                ("CERTIFICATE", "QUJD".to_string()),
                ("CERTIFICATE", "REVG".to_string())
            ]
        );
        assert!(matches!(read("MIIB AAAA", e), Ok(Pem::Bare)));
        assert!(matches!(read("a-b", e), Ok(Pem::Bare)));
        assert!(matches!(read("", e), Ok(Pem::Bare)));
        // Private keys are recognised by their label, whatever their body.
        let Ok(Pem::Blocks(b)) = read(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----",
            e,
        ) else {
            panic!("not read");
        };
        assert_eq!(b[0].label, Label::RsaPrivateKey);
        assert!(b[0].der(e).is_err());
    }

    #[test]
    fn anything_armour_like_that_is_not_exact_is_an_error() {
        let body = "\nQUJD\n";
        for (begin, end) in [
            ("-----BEGIN CERTIFICATE -----", "-----END CERTIFICATE-----"),
            ("-----BEGIN CERTIFICATE\t-----", "-----END CERTIFICATE-----"),
            ("-----BEGIN CERTIFICATE\r-----", "-----END CERTIFICATE-----"),
            ("-----BEGIN  CERTIFICATE-----", "-----END CERTIFICATE-----"),
            ("-----begin certificate-----", "-----end certificate-----"),
            ("-----BEGIN Certificate-----", "-----END Certificate-----"),
            ("-----BEGIN CERTIFICATE-----", "-----END PUBLIC KEY-----"),
            ("-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE -----"),
            ("----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"),
            ("------BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"),
            ("-----BEGIN CERTIFICATE------", "-----END CERTIFICATE-----"),
            ("-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE------"),
            (
                "-----BEGIN CERTIFICATE-----",
                "-----END CERTIFICATE----------",
            ),
            (
                "-----BEGIN CERTIFICATE-----",
                "-----END CERTIFICATE----------BEGIN",
            ),
            (
                "-----BEGIN X509 CERTIFICATE-----",
                "-----END X509 CERTIFICATE-----",
            ),
            ("-----BEGIN CERTIFICATE-----", ""),
            ("", "-----END CERTIFICATE-----"),
            ("-----BEGINCERTIFICATE-----", "-----ENDCERTIFICATE-----"),
            ("----- BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"),
            ("-----BEGIN CERTIFICATE", "-----END CERTIFICATE-----"),
        ] {
            let text = format!("{begin}{body}{end}");
            assert!(read(&text, e).is_err(), "{text:?} was accepted");
            // Also before an exact block: never skipped.
            let before =
                format!("{text}\n-----BEGIN CERTIFICATE-----{body}-----END CERTIFICATE-----");
            assert!(read(&before, e).is_err(), "{before:?} was accepted");
        }
        for text in [
            "-- a comment\n-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----\nQU--JD\n-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n-----END CERTIFICATE-----",
            "MIIB--AAAA",
        ] {
            assert!(read(text, e).is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn messages_show_the_offending_line() {
        let err = read("x\n-----BEGIN CERTIFICATE\t-----\nQUJD", e).unwrap_err();
        assert!(
            err.to_string().contains(r"`-----BEGIN CERTIFICATE\t-----`"),
            "{err}"
        );
        let long = format!("-----BEGIN {}-----", "A".repeat(10_000));
        assert!(read(&long, e).unwrap_err().to_string().len() < 400);
    }
}
