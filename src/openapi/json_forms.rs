//! The common ways a JSON body gets written, for telling a user that the body they signed is
//! not the body they sent: compact in the given key order (`JSON.stringify`, the SDKs), pretty
//! with two spaces (`JSON.stringify(x, null, 2)`), Python's `json.dumps` default (`", "` and
//! `": "`), and compact with the keys sorted (Gson's alphabetical models, fastjson's sorting).
//! One writer, four settings; strings and numbers are written by serde_json (the escapes
//! `JSON.stringify` uses).

use serde_json::Value;

/// One way of writing JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JsonForm {
    /// A stable name, shown to the user.
    pub name: &'static str,
    indent: Option<&'static str>,
    item_sep: &'static str,
    key_sep: &'static str,
    sorted: bool,
}

/// The forms tried, most common first.
pub(crate) const FORMS: &[JsonForm] = &[
    JsonForm {
        name: "compact",
        indent: None,
        item_sep: ",",
        key_sep: ":",
        sorted: false,
    },
    JsonForm {
        name: "pretty-2",
        indent: Some("  "),
        item_sep: ",",
        key_sep: ": ",
        sorted: false,
    },
    JsonForm {
        name: "python-default",
        indent: None,
        item_sep: ", ",
        key_sep: ": ",
        sorted: false,
    },
    JsonForm {
        name: "compact-sorted",
        indent: None,
        item_sep: ",",
        key_sep: ":",
        sorted: true,
    },
];

/// The nesting written before giving up (a body nests a few levels).
const MAX_DEPTH: usize = 64;

impl JsonForm {
    /// `value` written this way; `None` when nested deeper than any body needs.
    pub(crate) fn write(&self, value: &Value) -> Option<String> {
        let mut out = String::new();
        self.write_into(&mut out, value, 0)?;
        Some(out)
    }

    fn write_into(&self, out: &mut String, value: &Value, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match value {
            Value::Array(items) => {
                let items: Vec<(Option<&String>, &Value)> =
                    items.iter().map(|v| (None, v)).collect();
                self.container(out, ('[', ']'), &items, depth)
            }
            Value::Object(map) => {
                let mut items: Vec<(Option<&String>, &Value)> =
                    map.iter().map(|(k, v)| (Some(k), v)).collect();
                if self.sorted {
                    // JavaScript and Java sort keys by UTF-16 code units; the keys here are ASCII.
                    items.sort_by(|a, b| a.0.cmp(&b.0));
                }
                self.container(out, ('{', '}'), &items, depth)
            }
            scalar => {
                out.push_str(&serde_json::to_string(scalar).ok()?);
                Some(())
            }
        }
    }

    fn container(
        &self,
        out: &mut String,
        (open, close): (char, char),
        items: &[(Option<&String>, &Value)],
        depth: usize,
    ) -> Option<()> {
        out.push(open);
        if items.is_empty() {
            out.push(close);
            return Some(());
        }
        for (i, (key, value)) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(self.item_sep);
            }
            self.newline(out, depth + 1);
            if let Some(k) = key {
                out.push_str(&serde_json::to_string(k).ok()?);
                out.push_str(self.key_sep);
            }
            self.write_into(out, value, depth + 1)?;
        }
        self.newline(out, depth);
        out.push(close);
        Some(())
    }

    fn newline(&self, out: &mut String, depth: usize) {
        if let Some(indent) = self.indent {
            out.push('\n');
            for _ in 0..depth {
                out.push_str(indent);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str) -> JsonForm {
        *FORMS.iter().find(|f| f.name == name).unwrap()
    }

    #[test]
    fn the_four_forms() {
        let v: Value =
            serde_json::from_str(r#"{"b":"x/y中","a":[1,2.5,{}],"c":{"z":null,"y":true}}"#)
                .unwrap();
        assert_eq!(
            form("compact").write(&v).unwrap(),
            r#"{"b":"x/y中","a":[1,2.5,{}],"c":{"z":null,"y":true}}"#
        );
        assert_eq!(
            form("pretty-2").write(&v).unwrap(),
            "{\n  \"b\": \"x/y中\",\n  \"a\": [\n    1,\n    2.5,\n    {}\n  ],\n  \"c\": {\n    \"z\": null,\n    \"y\": true\n  }\n}"
        );
        assert_eq!(
            form("python-default").write(&v).unwrap(),
            r#"{"b": "x/y中", "a": [1, 2.5, {}], "c": {"z": null, "y": true}}"#
        );
        assert_eq!(
            form("compact-sorted").write(&v).unwrap(),
            r#"{"a":[1,2.5,{}],"b":"x/y中","c":{"y":true,"z":null}}"#
        );
        // serde_json's own pretty printer is JSON.stringify(x, null, 2).
        assert_eq!(
            form("pretty-2").write(&v).unwrap(),
            serde_json::to_string_pretty(&v).unwrap()
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let mut v = Value::Null;
        for _ in 0..(MAX_DEPTH + 2) {
            v = Value::Array(vec![v]);
        }
        assert_eq!(form("compact").write(&v), None);
    }
}
