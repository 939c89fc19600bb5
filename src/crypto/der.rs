//! A small DER reader shared by key and certificate parsing: tag, length, contents — no more.
//! (The RustCrypto `der`/`spki`/`pkcs1` stack measured 7.7 KiB gzipped of wasm for the same job.)

use crate::error::{Error, Result};

/// DER tags used below.
pub(crate) mod tag {
    pub const BOOLEAN: u8 = 0x01;
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const OID: u8 = 0x06;
    pub const UTF8_STRING: u8 = 0x0c;
    pub const PRINTABLE_STRING: u8 = 0x13;
    pub const T61_STRING: u8 = 0x14;
    pub const IA5_STRING: u8 = 0x16;
    pub const UTC_TIME: u8 = 0x17;
    pub const GENERALIZED_TIME: u8 = 0x18;
    pub const GENERAL_STRING: u8 = 0x1b;
    pub const BMP_STRING: u8 = 0x1e;
    pub const SEQUENCE: u8 = 0x30;
    pub const SET: u8 = 0x31;
    /// `[0] EXPLICIT` (the certificate version).
    pub const CONTEXT_0: u8 = 0xa0;
    /// `[3] EXPLICIT` (the extensions).
    pub const CONTEXT_3: u8 = 0xa3;
}

/// Encodes one element with a minimal length, as DER requires (and as Java's
/// `DerValue.toByteArray()` re-encodes it).
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        let significant = bytes.get(skip..).unwrap_or(&[]);
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

/// One encoded element: its tag byte, its contents and its whole encoding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    /// The tag byte.
    pub(crate) tag: u8,
    /// The contents octets.
    pub(crate) content: &'a [u8],
    /// The whole encoding (header and contents).
    pub(crate) raw: &'a [u8],
}

/// Reads consecutive elements. Tolerant where Java is (non-minimal lengths are accepted), strict
/// where ambiguity would hurt (indefinite lengths and multi-byte tags are refused).
pub(crate) struct Der<'a> {
    rest: &'a [u8],
    /// Builds the error for a malformed element (certificate or key, depending on the caller).
    err: fn(String) -> Error,
}

impl<'a> Der<'a> {
    /// Reads `bytes`; malformed elements become `err(reason)`.
    pub(crate) fn new(err: fn(String) -> Error, bytes: &'a [u8]) -> Self {
        Der { rest: bytes, err }
    }

    /// Whether everything was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next element, if any.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next element; `what` names it in the error.
    pub(crate) fn read(&mut self, what: &str) -> Result<Tlv<'a>> {
        let bad = self.err;
        let truncated = || bad(format!("{what}: truncated"));
        let (&tag, after_tag) = self.rest.split_first().ok_or_else(truncated)?;
        if tag & 0x1f == 0x1f {
            return Err(bad(format!("{what}: multi-byte tag")));
        }
        let (&first, after_len) = after_tag.split_first().ok_or_else(truncated)?;
        let (len, body) = if first < 0x80 {
            (usize::from(first), after_len)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return Err(bad(format!("{what}: unsupported length encoding")));
            }
            let (len_bytes, body) = after_len.split_at_checked(n).ok_or_else(truncated)?;
            let len = len_bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            (len, body)
        };
        let (content, rest) = body.split_at_checked(len).ok_or_else(truncated)?;
        let header = self.rest.len() - body.len();
        let raw = self.rest.get(..header + len).ok_or_else(truncated)?;
        self.rest = rest;
        Ok(Tlv { tag, content, raw })
    }

    /// Reads the next element and checks its tag.
    pub(crate) fn expect(&mut self, expected: u8, what: &str) -> Result<Tlv<'a>> {
        let tlv = self.read(what)?;
        if tlv.tag != expected {
            return Err((self.err)(format!(
                "{what}: expected tag {expected:#04x}, found {:#04x}",
                tlv.tag
            )));
        }
        Ok(tlv)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn der_lengths_are_minimal() {
        assert_eq!(super::tlv(0x04, &[1, 2]), vec![0x04, 2, 1, 2]);
        assert_eq!(&super::tlv(0x04, &[0; 200])[..3], &[0x04, 0x81, 200]);
        assert_eq!(&super::tlv(0x04, &[0; 300])[..4], &[0x04, 0x82, 1, 44]);
    }
}
