//! The charsets Alipay declares in `charset`: UTF-8 (the default) and GBK with its aliases.
//! Only used to show text; signatures are always checked over the received bytes.

use crate::error::{excerpt, Error, Result};

/// A charset a notification may declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Charset {
    /// `UTF-8` (also `utf8`), the default when none is declared.
    Utf8,
    /// `GBK`, and the labels Alipay uses for it: `GB2312`, `GB18030` (decoded as GB18030,
    /// which is a superset of both).
    Gbk,
}

impl Charset {
    /// Reads a `charset` label, case-insensitively.
    ///
    /// ```
    /// use alipay_notify::encoding::Charset;
    /// assert_eq!(Charset::from_label(b"gb2312").unwrap(), Charset::Gbk);
    /// assert_eq!(Charset::from_label(b"latin1").unwrap_err().code(), "UNSUPPORTED_CHARSET");
    /// ```
    pub fn from_label(label: &[u8]) -> Result<Self> {
        let l = label.trim_ascii();
        let is = |s: &str| l.eq_ignore_ascii_case(s.as_bytes());
        if is("UTF-8") || is("UTF8") {
            Ok(Charset::Utf8)
        } else if is("GBK") || is("GB2312") || is("GB18030") || is("CP936") {
            Ok(Charset::Gbk)
        } else {
            Err(Error::UnsupportedCharset {
                charset: excerpt(label),
            })
        }
    }

    /// The canonical name (`"UTF-8"` or `"GBK"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Gbk => "GBK",
        }
    }

    /// Decodes bytes strictly; `None` if they are not valid in this charset.
    pub fn decode(self, bytes: &[u8]) -> Option<String> {
        match self {
            Charset::Utf8 => core::str::from_utf8(bytes).ok().map(str::to_owned),
            Charset::Gbk => crate::encoding::gbk::decode(bytes),
        }
    }

    /// Decodes bytes, replacing invalid sequences with U+FFFD (for display only).
    pub fn decode_lossy(self, bytes: &[u8]) -> String {
        match self {
            Charset::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Charset::Gbk => crate::encoding::gbk::decode_lossy(bytes),
        }
    }
}

impl serde::Serialize for Charset {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Encodes text to `charset` bytes (GBK via GB18030, which writes GBK's characters identically).
pub(crate) fn encode(text: &str, charset: Charset) -> Result<Vec<u8>> {
    match charset {
        Charset::Utf8 => Ok(text.as_bytes().to_vec()),
        Charset::Gbk if text.is_ascii() => Ok(text.as_bytes().to_vec()),
        Charset::Gbk => crate::encoding::gbk::encode(text).ok_or_else(|| Error::InvalidArgument {
            reason: "a value cannot be written in GBK".into(),
        }),
    }
}
