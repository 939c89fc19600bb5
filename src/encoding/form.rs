//! Strict `application/x-www-form-urlencoded` parsing over bytes.
//!
//! One decode only (`+` → space, `%XX` → byte); values stay bytes so the sign content can be
//! rebuilt exactly as signed in any charset. Order is kept; repeated names are refused.

use crate::error::{excerpt, Error, Result};

/// Largest body accepted, in bytes. Real notifications are 1–3 KiB.
pub const MAX_BODY_BYTES: usize = 128 * 1024;
/// Most parameters accepted in one notification. Real ones have about 25.
pub const MAX_PARAMS: usize = 256;
/// Longest decoded parameter value accepted, in bytes (`biz_content` included).
pub const MAX_VALUE_BYTES: usize = 64 * 1024;
/// Longest decoded parameter name accepted, in bytes.
pub const MAX_NAME_BYTES: usize = 256;

/// One decoded parameter: name and value as raw bytes (charset not applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The decoded name.
    pub name: Vec<u8>,
    /// The decoded value (may be empty).
    pub value: Vec<u8>,
}

/// The parameters of a notification, in received order, names unique.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    params: Vec<Param>,
}

impl Form {
    /// Parses a form body, a query string (with or without `?`) or a whole URL.
    ///
    /// ```
    /// use alipay_notify::encoding::Form;
    /// let form = Form::parse(b"?a=1&b=x+y%21").unwrap();
    /// assert_eq!(form.get("b"), Some(&b"x y!"[..]));
    /// assert_eq!(Form::parse(b"a=%zz").unwrap_err().code(), "MALFORMED_FORM");
    /// assert_eq!(Form::parse(b"a=1&a=2").unwrap_err().code(), "DUPLICATE_PARAMETER");
    /// ```
    pub fn parse(input: &[u8]) -> Result<Self> {
        let mut params = Vec::new();
        for item in Pairs::new(input)? {
            params.push(item?);
        }
        Self::from_params(params)
    }

    /// Builds a form from already-decoded pairs (e.g. a JS object or `URLSearchParams`):
    /// applies the same limits and duplicate check as [`Form::parse`], decodes nothing.
    pub fn from_params(params: Vec<Param>) -> Result<Self> {
        if params.len() > MAX_PARAMS {
            return Err(Error::too_large(format!(
                "more than {MAX_PARAMS} parameters"
            )));
        }
        for p in &params {
            check_param_limits(p)?;
        }
        if let Some(name) = first_duplicate(&params) {
            return Err(Error::DuplicateParameter {
                name: excerpt(name),
            });
        }
        Ok(Form { params })
    }

    /// The parameters in received order.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The value of parameter `name`, if present.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.params
            .iter()
            .find(|p| p.name == name.as_bytes())
            .map(|p| p.value.as_slice())
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.params.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }
}

/// A parameter's own checks: a non-empty name, name and value lengths.
pub(crate) fn check_param_limits(p: &Param) -> Result<()> {
    if p.name.is_empty() {
        return Err(Error::MalformedForm {
            reason: "a parameter has an empty name".into(),
        });
    }
    if p.name.len() > MAX_NAME_BYTES {
        return Err(Error::too_large(format!(
            "a parameter name is over {MAX_NAME_BYTES} bytes"
        )));
    }
    if p.value.len() > MAX_VALUE_BYTES {
        return Err(Error::too_large(format!(
            "value of `{}` is over {MAX_VALUE_BYTES} bytes",
            excerpt(&p.name)
        )));
    }
    Ok(())
}

/// The parameters sorted by name bytes. The one sort of the crate: the sign content and the
/// duplicate check share it (each sort instance costs kilobytes of wasm).
pub(crate) fn sorted_by_name(params: &[Param]) -> Vec<&Param> {
    let mut sorted: Vec<&Param> = params.iter().collect();
    sorted.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    sorted
}

/// The first name that occurs twice, if any.
pub(crate) fn first_duplicate(params: &[Param]) -> Option<&[u8]> {
    sorted_by_name(params).windows(2).find_map(|w| match w {
        [a, b] if a.name == b.name => Some(a.name.as_slice()),
        _ => None,
    })
}

/// Strips what surrounds the form: a URL up to its `?` (and its `#fragment`), a leading `?`,
/// and line breaks a paste leaves at either end.
pub(crate) fn form_part(input: &[u8]) -> &[u8] {
    let trimmed = trim_line_breaks(input);
    let is_url = starts_with_ignore_case(trimmed, b"http://")
        || starts_with_ignore_case(trimmed, b"https://");
    if is_url {
        let query = match trimmed.iter().position(|b| *b == b'?') {
            Some(q) => trimmed.get(q + 1..).unwrap_or(&[]),
            None => &[],
        };
        match query.iter().position(|b| *b == b'#') {
            Some(h) => query.get(..h).unwrap_or(&[]),
            None => query,
        }
    } else {
        trimmed.strip_prefix(b"?").unwrap_or(trimmed)
    }
}

fn trim_line_breaks(mut s: &[u8]) -> &[u8] {
    while let [b'\r' | b'\n', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b'\r' | b'\n'] = s {
        s = rest;
    }
    s
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// An iterator over the decoded pairs of a form, in order. Empty segments (`a=1&&b=2`, a
/// trailing `&`) are skipped, a segment without `=` is a name with an empty value.
pub(crate) struct Pairs<'a> {
    rest: Option<&'a [u8]>,
    offset: usize,
}

impl<'a> Pairs<'a> {
    /// Starts iterating; fails only on the body size limit.
    pub(crate) fn new(input: &'a [u8]) -> Result<Self> {
        if input.len() > MAX_BODY_BYTES {
            return Err(Error::too_large(format!(
                "body is over {MAX_BODY_BYTES} bytes"
            )));
        }
        let form = form_part(input);
        let offset = input.len().saturating_sub(form.len());
        Ok(Pairs {
            rest: Some(form),
            offset,
        })
    }
}

impl Iterator for Pairs<'_> {
    type Item = Result<Param>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rest = self.rest?;
            let (segment, tail) = match rest.iter().position(|b| *b == b'&') {
                Some(i) => (rest.get(..i).unwrap_or(&[]), rest.get(i + 1..)),
                None => (rest, None),
            };
            let start = self.offset;
            self.offset += segment.len() + 1;
            self.rest = tail;
            if segment.is_empty() {
                continue;
            }
            let (name, value) = split_pair(segment);
            let decoded = decode(name, start).and_then(|name| {
                Ok(Param {
                    name,
                    value: decode(value, start + segment.len() - value.len())?,
                })
            });
            return Some(decoded);
        }
    }
}

/// Splits `name=value` at the first `=`; a segment without one is a name with an empty value.
fn split_pair(segment: &[u8]) -> (&[u8], &[u8]) {
    match segment.iter().position(|b| *b == b'=') {
        Some(i) => (
            segment.get(..i).unwrap_or(&[]),
            segment.get(i + 1..).unwrap_or(&[]),
        ),
        None => (segment, &[][..]),
    }
}

/// Decodes one name or value: `+` → space, `%XX` → byte, anything else as is.
pub(crate) fn decode(raw: &[u8], offset: usize) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = raw.get(i + 1).and_then(|c| hex(*c));
                let lo = raw.get(i + 2).and_then(|c| hex(*c));
                match (hi, lo) {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        i += 2;
                    }
                    _ => {
                        return Err(Error::MalformedForm {
                            reason: format!(
                                "`%` not followed by two hex digits at byte {}",
                                offset + i
                            ),
                        })
                    }
                }
            }
            _ => out.push(b),
        }
        i += 1;
    }
    Ok(out)
}

/// Splits and decodes like [`Form::parse`] but never fails: a bad escape is kept literally and
/// reported, duplicates are kept. For showing a person what arrived.
pub(crate) fn parse_lenient(input: &[u8]) -> (Vec<Param>, Vec<String>) {
    let mut params = Vec::new();
    let mut problems = Vec::new();
    let body = input.get(..MAX_BODY_BYTES).unwrap_or(input);
    for segment in form_part(body).split(|b| *b == b'&') {
        if segment.is_empty() {
            continue;
        }
        let (name, value) = split_pair(segment);
        let mut lenient = |raw: &[u8]| match decode(raw, 0) {
            Ok(v) => v,
            Err(_) => {
                problems.push(format!(
                    "`{}` has a `%` not followed by two hex digits",
                    excerpt(name)
                ));
                raw.iter()
                    .map(|b| if *b == b'+' { b' ' } else { *b })
                    .collect()
            }
        };
        let name = lenient(name);
        let value = lenient(value);
        params.push(Param { name, value });
        if params.len() > MAX_PARAMS {
            problems.push(format!(
                "more than {MAX_PARAMS} parameters; the rest is not shown"
            ));
            break;
        }
    }
    (params, problems)
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_query_and_fragment() {
        let f = Form::parse(b"https://isv.example.com/gw?a=1&b=2#frag").unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f.get("b"), Some(&b"2"[..]));
        assert!(Form::parse(b"https://isv.example.com/gw")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn empty_segments_and_bare_names() {
        let f = Form::parse(b"a=1&&b&c=\r\n").unwrap();
        assert_eq!(f.get("b"), Some(&b""[..]));
        assert_eq!(f.get("c"), Some(&b""[..]));
        assert_eq!(f.len(), 3);
    }

    #[test]
    fn errors() {
        assert_eq!(Form::parse(b"a=%4").unwrap_err().code(), "MALFORMED_FORM");
        assert_eq!(Form::parse(b"=x").unwrap_err().code(), "MALFORMED_FORM");
        let many: Vec<u8> = (0..=MAX_PARAMS)
            .map(|i| format!("p{i}=1"))
            .collect::<Vec<_>>()
            .join("&")
            .into_bytes();
        assert_eq!(Form::parse(&many).unwrap_err().code(), "INPUT_TOO_LARGE");
    }

    #[test]
    fn decodes_once() {
        let f = Form::parse(b"a=%2541").unwrap();
        assert_eq!(f.get("a"), Some(&b"%41"[..]));
    }
}
