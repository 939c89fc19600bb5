//! The one base64 decoder of the crate (standard alphabet), with the space policy of each place
//! base64 arrives from. Spaces are the whole question: a key text is wrapped at any width, a
//! `sign` in a form or query string may have had its `+` decoded as a space, and a signature in a
//! JSON body or an HTTP header has neither excuse.

use base64::Engine as _;

/// What to do with spaces and padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Policy {
    spaces: Spaces,
    padding_optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spaces {
    /// Any ASCII whitespace anywhere is line wrapping: ignored.
    Wrapping,
    /// A space is a `+` lost in a form decode (base64 has no spaces, so this is unambiguous).
    ArePlus,
    /// Surrounding whitespace is trimmed; a space inside is refused with a hint.
    Refused,
}

impl Policy {
    /// Key and certificate texts: whitespace ignored anywhere, padding optional.
    pub(crate) const KEY_TEXT: Policy = Policy {
        spaces: Spaces::Wrapping,
        padding_optional: true,
    };
    /// A notification's `sign`: spaces read as `+`, padding required.
    pub(crate) const FORM_SIGN: Policy = Policy {
        spaces: Spaces::ArePlus,
        padding_optional: false,
    };
    /// A signature in a JSON body or an HTTP header: trimmed, inner spaces refused, padding
    /// required.
    pub(crate) const SIGNATURE: Policy = Policy {
        spaces: Spaces::Refused,
        padding_optional: false,
    };
    /// AES keys and ciphertexts: trimmed, inner spaces refused, padding optional.
    pub(crate) const CIPHERTEXT: Policy = Policy {
        spaces: Spaces::Refused,
        padding_optional: true,
    };
}

/// Why a text is not base64 under its policy (a message for the caller's coded error).
pub(crate) type DecodeError = String;

/// Decodes `text` under `policy`.
pub(crate) fn decode(text: &[u8], policy: Policy) -> Result<Vec<u8>, DecodeError> {
    let cleaned: Vec<u8> = match policy.spaces {
        Spaces::Wrapping => text
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect(),
        Spaces::ArePlus => text
            .iter()
            .map(|b| if *b == b' ' { b'+' } else { *b })
            .collect(),
        Spaces::Refused => {
            let trimmed = text.trim_ascii();
            if trimmed.contains(&b' ') {
                return Err("contains a space (a `+` turned into a space on the way?)".into());
            }
            trimmed.to_vec()
        }
    };
    if cleaned.is_empty() {
        return Err("empty".into());
    }
    let strict = base64::engine::general_purpose::STANDARD.decode(&cleaned);
    match strict {
        Err(_) if policy.padding_optional => base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(&cleaned)
            .map_err(|e| describe(&e)),
        other => other.map_err(|e| describe(&e)),
    }
}

/// The base64 crate's error in this crate's words (its own wording is not part of our API).
fn describe(e: &base64::DecodeError) -> DecodeError {
    match e {
        base64::DecodeError::InvalidByte(at, b) => {
            let shown = if b.is_ascii_graphic() {
                format!("`{}`", char::from(*b))
            } else {
                format!("byte 0x{b:02x}")
            };
            format!("{shown} at position {at} is not a base64 character")
        }
        base64::DecodeError::InvalidLength(n) => {
            format!("{n} characters cannot be base64 (cut or joined?)")
        }
        base64::DecodeError::InvalidLastSymbol(at, _) => {
            format!("the character at position {at} cannot end base64 text (cut?)")
        }
        base64::DecodeError::InvalidPadding => "the `=` padding is wrong (cut?)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_policy_treats_spaces_its_way() {
        assert_eq!(decode(b"QU\nJD", Policy::KEY_TEXT).unwrap(), b"ABC");
        assert_eq!(decode(b"+w==", Policy::FORM_SIGN).unwrap(), [0xfb]);
        assert_eq!(decode(b" w==", Policy::FORM_SIGN).unwrap(), [0xfb]);
        assert!(decode(b" w==", Policy::SIGNATURE).is_err());
        assert_eq!(decode(b" +w== ", Policy::SIGNATURE).unwrap(), [0xfb]);
        assert!(decode(b"+w", Policy::SIGNATURE).is_err());
        assert_eq!(decode(b"+w", Policy::CIPHERTEXT).unwrap(), [0xfb]);
        assert!(decode(b"a b", Policy::CIPHERTEXT)
            .unwrap_err()
            .contains("space"));
        assert!(decode(b"", Policy::KEY_TEXT).is_err());
        // Our words, not the base64 crate's.
        assert_eq!(
            decode(b"ab$d", Policy::SIGNATURE).unwrap_err(),
            "`$` at position 2 is not a base64 character"
        );
        assert!(decode(b"abcde", Policy::SIGNATURE)
            .unwrap_err()
            .contains("cannot be base64"));
    }
}
