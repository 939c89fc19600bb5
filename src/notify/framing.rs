//! One reading per signature: refuses parameters that are not the only way to read the content
//! they were verified against.
//!
//! Alipay signs `name=value` pairs joined by `&` with raw values, so the signed bytes do not say
//! where one parameter ends. `a=x&b=y` is also the single parameter `a = "x&b=y"` (sent as
//! `a=x%26b%3Dy`), and both verify with the same signature. An attacker holding one genuine
//! notification could thereby hide a signed parameter inside its neighbour or change a value.
//!
//! The rule, over every parameter but `sign` (a superset of any variant's sign content, so it is
//! checked first, before the charset and the signature, and whatever the variant):
//!
//! 1. no name holds `&` or `=`;
//! 2. no value holds `&k=` where `k` is a run without `&` and `=` that sorts **after** the value's
//!    own parameter name (byte order, as the sign content is sorted).
//!
//! Why this gives exactly one reading: take two readings of one sign content that both pass,
//! and the first `&` that separates parameters in one of them but not in the other. Up to it they
//! agree, so in both it follows the same parameter name `n`. In the reading where it separates,
//! the next name `k` has no `&` or `=` (rule 1) and sorts after `n` (the content is sorted); in
//! the other reading that same `&k=` sits inside `n`'s value, which rule 2 refuses.
//!
//! Re-framing by merging always trips rule 2 (the hidden neighbour sorts after its host), and
//! splitting a value needs an `&k=` that rule 2 already refused in the genuine notification.
//! Values that legitimately hold `&` pass when what follows is not `name=` with a name sorting
//! after theirs: a URL in `biz_content` (`…?a=1&b=2`: `a`, `b` sort before `biz_content`),
//! `a & b`, `&&`. A value such as `passback_params` = `x&q=1` (`q` after `passback_params`) is
//! refused — its signature genuinely reads two ways.

use crate::encoding::form::{Form, Param};
use crate::error::{excerpt, Error, Result};

/// Checks rules 1 and 2 (module docs) for every parameter but `sign`;
/// [`Error::AmbiguousFraming`] names the parameter and the other reading.
///
/// Checking a parameter a variant leaves out (`sign_type` in V1, an empty value under
/// `emptyValues: "skip"`) only refuses more: such a name or value never comes from Alipay with
/// `&` or `=` in it (`sign_type` must be `RSA2` or `RSA`).
pub(crate) fn check_framing(form: &Form) -> Result<()> {
    for p in form.params().iter().filter(|p| p.name != b"sign") {
        if let Some(reason) = other_reading(p) {
            return Err(Error::AmbiguousFraming { reason });
        }
    }
    Ok(())
}

/// Describes the other reading one parameter admits, if any.
fn other_reading(p: &Param) -> Option<String> {
    let name = excerpt(&p.name);
    if let Some(b) = p.name.iter().find(|b| matches!(b, b'&' | b'=')) {
        let sep = char::from(*b);
        return Some(format!(
            "the name `{name}` holds `{sep}`, so the signed text also reads with `{sep}` as a separator"
        ));
    }
    let k = hidden_name(&p.value, &p.name)?;
    let k = excerpt(k);
    Some(format!(
        "the value of `{name}` holds `&{k}=`, so the signed text also reads as two parameters, `{name}` and `{k}`"
    ))
}

/// The first `k` of an `&k=` inside `value` (`k` non-empty, without `&` or `=`) that sorts after
/// `own`. Linear: each scan stops at the next `&`.
fn hidden_name<'a>(value: &'a [u8], own: &[u8]) -> Option<&'a [u8]> {
    let mut rest = value;
    while let Some(amp) = rest.iter().position(|b| *b == b'&') {
        let after = rest.get(amp + 1..).unwrap_or(&[]);
        match after.iter().position(|b| matches!(b, b'&' | b'=')) {
            Some(end) if end > 0 && after.get(end) == Some(&b'=') => {
                let k = after.get(..end).unwrap_or(&[]);
                if k > own {
                    return Some(k);
                }
                rest = after.get(end..).unwrap_or(&[]);
            }
            Some(end) => rest = after.get(end..).unwrap_or(&[]),
            None => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(body: &[u8]) -> Result<()> {
        check_framing(&Form::parse(body).unwrap())
    }

    #[test]
    fn merged_neighbours_are_refused() {
        assert!(check(b"a=x&b=y").is_ok());
        let err = check(b"a=x%26b%3Dy").unwrap_err();
        assert_eq!(err.code(), "AMBIGUOUS_FRAMING");
        assert!(err.to_string().contains("`a` and `b`"), "{err}");
        assert_eq!(check(b"a%3Dx=y").unwrap_err().code(), "AMBIGUOUS_FRAMING");
        assert_eq!(check(b"a%26b=y").unwrap_err().code(), "AMBIGUOUS_FRAMING");
    }

    #[test]
    fn ampersands_that_cannot_separate_pass() {
        // `&` followed by a name sorting before the own name, no `=`, an empty name, `&&`.
        for body in [
            &b"biz_content=%7B%22u%22%3A%22https%3A%2F%2Fx%3Fa%3D1%26b%3D2%22%7D"[..],
            b"t=a%26b",
            b"t=a+%26+b",
            b"t=a%26%3Db",
            b"t=a%26%26",
            b"t=%26",
            b"t=a%26t%3D1",
        ] {
            assert!(check(body).is_ok(), "{}", String::from_utf8_lossy(body));
        }
        assert_eq!(
            check(b"t=a%26u%3D1").unwrap_err().code(),
            "AMBIGUOUS_FRAMING"
        );
        assert_eq!(
            check(b"t=a%26%26x%26u%3D1").unwrap_err().code(),
            "AMBIGUOUS_FRAMING"
        );
    }

    #[test]
    fn only_sign_is_not_read() {
        assert!(check(b"sign=a%26z%3D1&b=2").is_ok());
        assert!(check(b"sign_type=R%26z%3D").is_err());
        assert!(check(b"a%3D=").is_err());
    }
}

#[cfg(test)]
mod exhaustive {
    //! The uniqueness claim of the module docs, checked on every reading of random contents.

    use super::*;
    use proptest::prelude::*;

    /// Every way `content` splits into strictly increasing `name=value` pairs: each `&` a
    /// separator or not, each piece split at any of its `=` (names may hold `=` when sent
    /// as `%3D`, values `&` as `%26`).
    fn readings(content: &[u8]) -> Vec<Vec<Param>> {
        let amps: Vec<usize> = (0..content.len()).filter(|i| content[*i] == b'&').collect();
        let mut out = Vec::new();
        for mask in 0u32..(1 << amps.len()) {
            let mut pieces = Vec::new();
            let mut start = 0;
            for (bit, at) in amps.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    pieces.push(&content[start..*at]);
                    start = at + 1;
                }
            }
            pieces.push(&content[start..]);
            let mut partial: Vec<Vec<Param>> = vec![Vec::new()];
            for piece in pieces {
                let splits: Vec<usize> = (0..piece.len()).filter(|i| piece[*i] == b'=').collect();
                let mut next = Vec::new();
                for reading in &partial {
                    for at in &splits {
                        let name = piece[..*at].to_vec();
                        if name.is_empty() || reading.last().is_some_and(|p: &Param| p.name >= name)
                        {
                            continue;
                        }
                        let mut r = reading.clone();
                        r.push(Param {
                            name,
                            value: piece[at + 1..].to_vec(),
                        });
                        next.push(r);
                    }
                }
                partial = next;
            }
            out.extend(partial);
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn at_most_one_reading_passes(content in "[abc&=]{1,14}") {
            let all = readings(content.as_bytes());
            let passing: Vec<_> = all
                .iter()
                .filter(|r| {
                    let form = Form::from_params((*r).clone()).unwrap();
                    check_framing(&form).is_ok()
                })
                .collect();
            prop_assert!(passing.len() <= 1, "{content}: {} readings pass: {passing:?}", passing.len());
            // Each reading really is one of the content.
            for r in &all {
                let form = Form::from_params(r.clone()).unwrap();
                prop_assert_eq!(
                    crate::notify::sign_content(&form, crate::Variant::V2, crate::notify::EmptyValues::Keep),
                    content.as_bytes()
                );
            }
        }
    }

    /// Contents made of genuine, unambiguous parameters: their own reading is the one that passes.
    #[test]
    fn the_genuine_reading_passes() {
        for content in ["a=1&b=2&c=3", "a=x&b=y=z", "b=a&a=1&c=2", "c=x&d=1&b=2"] {
            let passing = readings(content.as_bytes())
                .into_iter()
                .filter(|r| check_framing(&Form::from_params(r.clone()).unwrap()).is_ok())
                .count();
            assert_eq!(passing, 1, "{content}");
        }
    }
}
