//! A request as users paste it from a log or a proxy: an HTTP request line (`POST /v3/… HTTP/1.1`,
//! the target possibly a whole URL), header lines, a blank line and the body; or a whole URL; or
//! a bare v2 form body / query string. Pure text handling: what was signed is decided in
//! `request_inspect`.

use crate::error::{Error, Result};

/// Longest pasted request accepted (a v2 body is at most 128 KiB; headers add little).
pub const MAX_PASTED_REQUEST_BYTES: usize = 256 * 1024;

/// Most header lines read (a request has a dozen).
const MAX_HEADERS: usize = 200;

/// The HTTP methods a request line may start with.
const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// The parts of a pasted request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pasted {
    /// The method as written (case kept: a lower-case method is a mistake worth naming).
    pub method: Option<String>,
    /// The request-target: path and query, without scheme and host (empty when none was given).
    pub target: String,
    /// `scheme://host` when the target was a whole URL, else the `Host` header's value.
    pub origin: Option<String>,
    /// Header lines in order, names lower-cased, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body, line breaks as `\n`, trailing line breaks removed.
    pub body: String,
}

impl Pasted {
    /// The first header called `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Splits the pasted text into its parts. Fails only on over-long input or too many headers.
pub(crate) fn read(text: &str) -> Result<Pasted> {
    if text.len() > MAX_PASTED_REQUEST_BYTES {
        return Err(Error::too_large(format!(
            "the pasted request is over {MAX_PASTED_REQUEST_BYTES} bytes"
        )));
    }
    // Logs and terminals write CRLF; what was signed used `\n` between lines and no trailing one.
    let normalised = text.replace("\r\n", "\n");
    let trimmed = normalised
        .trim_start()
        .trim_end_matches(['\n', '\r', ' ', '\t']);
    let mut out = Pasted::default();
    let mut lines = trimmed.split('\n').peekable();
    let first = lines.peek().copied().unwrap_or("").trim();

    if let Some((method, target)) = request_line(first) {
        out.method = Some(method.to_string());
        set_target(&mut out, target);
        lines.next();
    } else if is_url(first) {
        set_target(&mut out, first);
        lines.next();
    } else if header_line(first).is_none() {
        // A bare form body or query string: everything is the body.
        out.body = trimmed.to_string();
        return Ok(out);
    }

    let mut rest: Vec<&str> = Vec::new();
    let mut in_headers = true;
    for line in lines {
        if in_headers {
            if line.trim().is_empty() {
                in_headers = false;
                continue;
            }
            if let Some((name, value)) = header_line(line) {
                if out.headers.len() >= MAX_HEADERS {
                    return Err(Error::too_large(format!(
                        "more than {MAX_HEADERS} header lines"
                    )));
                }
                out.headers
                    .push((name.to_ascii_lowercase(), value.to_string()));
                continue;
            }
            // No blank line before the body (a hand-written paste): the body starts here.
            in_headers = false;
        }
        rest.push(line);
    }
    out.body = rest.join("\n");
    if out.origin.is_none() {
        out.origin = out.header("host").map(|h| format!("https://{h}"));
    }
    Ok(out)
}

/// `METHOD target [HTTP/x]` → (method, target).
fn request_line(line: &str) -> Option<(&str, &str)> {
    let mut parts = line.split_whitespace();
    let method = parts.next()?;
    let target = parts.next()?;
    let version = parts.next();
    if parts.next().is_some() || version.is_some_and(|v| !v.starts_with("HTTP/")) {
        return None;
    }
    let known = METHODS.iter().any(|m| m.eq_ignore_ascii_case(method));
    (known && (target.starts_with('/') || is_url(target))).then_some((method, target))
}

fn is_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !s.contains(char::is_whitespace)
}

/// Keeps the request-target of `target` (a path or a whole URL) and the origin of a URL.
fn set_target(out: &mut Pasted, target: &str) {
    if is_url(target) {
        let after_scheme = target.find("://").map_or(0, |i| i + 3);
        let path_at = target
            .get(after_scheme..)
            .and_then(|rest| rest.find(['/', '?']))
            .map_or(target.len(), |i| i + after_scheme);
        out.origin = target.get(..path_at).map(str::to_string);
        let path = target.get(path_at..).unwrap_or("");
        out.target = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_string()
        };
    } else {
        out.target = target.to_string();
    }
}

/// `Name: value` with a token name → (name, trimmed value).
fn header_line(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let token = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
    token.then(|| (name, value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_line_headers_and_body() {
        let p = read("POST https://openapi.alipay.com/v3/a/b?x=1 HTTP/1.1\r\nAuthorization: A b\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n\r\n").unwrap();
        assert_eq!(p.method.as_deref(), Some("POST"));
        assert_eq!(p.target, "/v3/a/b?x=1");
        assert_eq!(p.origin.as_deref(), Some("https://openapi.alipay.com"));
        assert_eq!(p.header("authorization"), Some("A b"));
        assert_eq!(p.body, "{\"a\":1}");
    }

    #[test]
    fn urls_bodies_and_missing_blank_lines() {
        let p = read("https://openapi.alipay.com/gateway.do?a=1&b=2").unwrap();
        assert_eq!((p.method, p.target.as_str()), (None, "/gateway.do?a=1&b=2"));
        let p = read("http://127.0.0.1:8080?a=1").unwrap();
        assert_eq!(p.target, "/?a=1");
        assert_eq!(p.origin.as_deref(), Some("http://127.0.0.1:8080"));
        let p = read("  app_id=1&sign=x\n").unwrap();
        assert_eq!((p.body.as_str(), p.headers.len()), ("app_id=1&sign=x", 0));
        let p = read("get /v3/x\nhost: h.example\n{\"a\":\"b: c\"}").unwrap();
        assert_eq!(p.method.as_deref(), Some("get"));
        assert_eq!(p.body, "{\"a\":\"b: c\"}");
        assert_eq!(p.origin.as_deref(), Some("https://h.example"));
        let p = read("authorization: x\n\nbody").unwrap();
        assert_eq!((p.target.as_str(), p.body.as_str()), ("", "body"));
    }

    #[test]
    fn limits() {
        let big = "a".repeat(MAX_PASTED_REQUEST_BYTES + 1);
        assert_eq!(read(&big).unwrap_err().code(), "INPUT_TOO_LARGE");
        let many = format!("GET /v3/x\n{}", "h: v\n".repeat(MAX_HEADERS + 1));
        assert_eq!(read(&many).unwrap_err().code(), "INPUT_TOO_LARGE");
    }
}
