//! Loaders shared by the integration tests: paths in the repository, the JSON vector files,
//! field access with useful panics, outcomes as codes, hex. Each `tests/*.rs` is a crate of its
//! own and takes this with `mod common;`.
#![allow(dead_code)] // every test file uses a part

use std::fs;
use std::path::{Path, PathBuf};

use alipay_notify::Error;
use serde_json::Value;

/// A path relative to the repository's top folder.
pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// `tests/vectors/`.
pub fn vectors_dir() -> PathBuf {
    repo_path("tests/vectors")
}

/// A file as text; panics naming the file.
pub fn read_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A JSON file; panics naming the file.
pub fn load_json(path: &Path) -> Value {
    serde_json::from_str(&read_text(path))
        .unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// A JSON file under `tests/vectors/`, e.g. `vector_file("cert/generated.json")`.
pub fn vector_file(rel: &str) -> Value {
    load_json(&vectors_dir().join(rel))
}

/// The `vectors` of `tests/vectors/notifications/vectors.json`.
pub fn notification_vectors() -> Vec<Value> {
    match vector_file("notifications/vectors.json")["vectors"].as_array() {
        Some(list) => list.clone(),
        None => panic!("notifications/vectors.json: no `vectors` array"),
    }
}

/// The notification vector with this `id`.
pub fn notification_vector(id: &str) -> Value {
    notification_vectors()
        .into_iter()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("no vector {id}"))
}

/// A string field of a vector; panics naming the field and the vector's `id`.
pub fn str_field<'a>(v: &'a Value, name: &str) -> &'a str {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("vector {}: `{name}` is not a string", v["id"]))
}

/// `"OK"` or the error code.
pub fn outcome<T>(r: &Result<T, Error>) -> String {
    match r {
        Ok(_) => "OK".into(),
        Err(e) => e.code().into(),
    }
}

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of an even-length hex string.
pub fn from_hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd-length hex");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}
