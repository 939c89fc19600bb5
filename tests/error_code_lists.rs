//! Every list of the stable error codes is the same list, in the same order: `ERROR_CODES`, the
//! TypeScript `ErrorCode` union, the debugging page's labels and the README's table (the last
//! two and the union add the browser-only `NOT_INITIALIZED`).

#![cfg(test)]

use std::fs;
use std::path::Path;

use alipay_notify::ERROR_CODES;

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The SCREAMING_SNAKE words found by `pick` on each line of `text` between `start` and `end`.
fn codes(text: &str, start: &str, end: &str, pick: fn(&str) -> Option<&str>) -> Vec<String> {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"));
    let rest = &text[from + start.len()..];
    let to = rest.find(end).unwrap_or(rest.len());
    rest[..to]
        .lines()
        .filter_map(pick)
        .filter(|c| *c != "NOT_INITIALIZED")
        .map(String::from)
        .collect()
}

#[test]
fn every_error_code_list_is_the_same() {
    let want: Vec<String> = ERROR_CODES.iter().map(|c| c.to_string()).collect();
    let dts = codes(
        &read("pkg/index.d.ts"),
        "export type ErrorCode =",
        ";",
        |l| l.trim().strip_prefix("| \"")?.strip_suffix('"'),
    );
    assert_eq!(dts, want, "pkg/index.d.ts ErrorCode");
    let i18n = codes(&read("www/i18n.js"), "export const ERRORS = {", "};", |l| {
        l.trim().split_once(": [").map(|(k, _)| k)
    });
    assert_eq!(i18n, want, "www/i18n.js ERRORS");
    let readme = codes(&read("README.md"), "| code | when |", "\n\n", |l| {
        l.strip_prefix("| `")?.split_once('`').map(|(k, _)| k)
    });
    assert_eq!(readme, want, "README error table");
}
