//! The string Alipay signs: `k=v` pairs sorted by key bytes, joined by `&`, built from the decoded
//! bytes (so GBK needs no transcoding).

use crate::encoding::form::{sorted_by_name, Form, Param};

/// Which parameters are left out of the sign content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Variant {
    /// `rsaCheckV1`: leaves out `sign` and `sign_type`.
    #[serde(rename = "v1")]
    V1,
    /// `rsaCheckV2`: leaves out only `sign`.
    #[serde(rename = "v2")]
    V2,
}

impl Variant {
    /// `"v1"` or `"v2"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::V1 => "v1",
            Variant::V2 => "v2",
        }
    }

    /// The other variant.
    pub fn other(self) -> Self {
        match self {
            Variant::V1 => Variant::V2,
            Variant::V2 => Variant::V1,
        }
    }
}

/// What to do with parameters whose value is empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum EmptyValues {
    /// Keep them as `name=` (the default: a real 2020 notification verifies only this way).
    #[default]
    Keep,
    /// Leave them out, as Alipay's Java SDK does.
    Skip,
}

/// Whether `p` is part of the sign content of `variant` under the empty-value rule `empty`.
pub(crate) fn included(p: &Param, variant: Variant, empty: EmptyValues) -> bool {
    p.name != b"sign"
        && !(variant == Variant::V1 && p.name == b"sign_type")
        && !(empty == EmptyValues::Skip && p.value.is_empty())
}

/// Builds the exact bytes that are signed.
///
/// ```
/// use alipay_notify::{Variant};
/// use alipay_notify::encoding::{Form};
/// use alipay_notify::notify::{sign_content, EmptyValues};
/// let form = Form::parse(b"sign=x&b=2&sign_type=RSA2&a=&c=3").unwrap();
/// assert_eq!(sign_content(&form, Variant::V1, EmptyValues::Keep), b"a=&b=2&c=3");
/// assert_eq!(sign_content(&form, Variant::V2, EmptyValues::Skip), b"b=2&c=3&sign_type=RSA2");
/// ```
pub fn sign_content(form: &Form, variant: Variant, empty: EmptyValues) -> Vec<u8> {
    // Names are unique (duplicates are refused), so an unstable sort gives the one order.
    let signed: Vec<_> = sorted_by_name(form.params())
        .into_iter()
        .filter(|p| included(p, variant, empty))
        .collect();
    let size = signed
        .iter()
        .map(|p| p.name.len() + p.value.len() + 2)
        .sum();
    let mut out = Vec::with_capacity(size);
    for (i, p) in signed.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        out.extend_from_slice(&p.name);
        out.push(b'=');
        out.extend_from_slice(&p.value);
    }
    out
}
