//! The architecture, checked: `src/` is folders of layers, each module may use only modules of
//! its own layer or of layers below it, and the modules form no cycle.
//!
//! Read from the source text (code lines only; doc links may point anywhere): every
//! `crate::<layer>::<module>` a file names is an edge from its module to that one.

#![cfg(test)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The layers, lowest first. `wasm` (the JS bindings) sits on top of everything.
const LAYERS: &[&str] = &[
    "error",
    "encoding",
    "crypto",
    "x509",
    "trust",
    "servicemarket",
    "notify",
    "openapi",
    "wasm",
];

fn layer_of(module: &str) -> usize {
    let top = module.split("::").next().unwrap_or(module);
    LAYERS
        .iter()
        .position(|l| *l == top)
        .unwrap_or_else(|| panic!("`{module}` is in no layer: add its folder to LAYERS"))
}

/// `src/a/b.rs` → `a::b`; `src/a/mod.rs` → `a`; `src/error.rs` → `error`.
fn module_of(path: &Path, src: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap().with_extension("");
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p != "mod")
        .collect();
    parts.join("::")
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules a file's code names through `crate::…` paths (the longest known prefix).
fn uses(text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            for n in (1..=segments.len()).rev() {
                let candidate = segments[..n].join("::");
                if known.contains(&candidate) {
                    out.insert(candidate);
                    break;
                }
            }
        }
    }
    out
}

#[test]
fn no_module_uses_a_layer_above_it_and_there_is_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let modules: BTreeMap<String, String> = all
        .iter()
        .filter(|p| !p.ends_with("lib.rs"))
        .map(|p| (module_of(p, &src), fs::read_to_string(p).unwrap()))
        .collect();
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    let mut graph: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut upward = Vec::new();
    for (module, text) in &modules {
        let mut deps = uses(text, &known);
        deps.remove(module);
        // A folder's mod.rs declares and re-exports its children: not a use.
        deps.retain(|d| !d.starts_with(&format!("{module}::")));
        for d in &deps {
            if layer_of(d) > layer_of(module) {
                upward.push(format!("{module} uses {d}"));
            }
        }
        graph.insert(module, deps);
    }
    assert!(
        upward.is_empty(),
        "modules using a layer above theirs: {upward:#?}"
    );
    // Every module is in a layer folder (or is the error module).
    for m in graph.keys() {
        layer_of(m);
    }
    // No cycle: depth-first search with colours.
    fn visit<'a>(
        m: &'a str,
        graph: &'a BTreeMap<&'a str, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
    ) {
        match state.get(m) {
            Some(2) => return,
            Some(1) => panic!("module cycle: {} → {m}", stack.join(" → ")),
            _ => {}
        }
        state.insert(m, 1);
        stack.push(m);
        for d in graph.get(m).into_iter().flatten() {
            if let Some((key, _)) = graph.get_key_value(d.as_str()) {
                visit(key, graph, state, stack);
            }
        }
        stack.pop();
        state.insert(m, 2);
    }
    let mut state = BTreeMap::new();
    for m in graph.keys() {
        visit(m, &graph, &mut state, &mut Vec::new());
    }
    assert!(graph.len() >= 25, "{} modules", graph.len());
}
