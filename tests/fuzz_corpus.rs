//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the same checks the fuzz
//! targets run (`fuzz/src/lib.rs`), on stable Rust, in `cargo test`: every seed and every input
//! the fuzzer kept gives a result or a coded error, never a panic. Fuzzing itself needs nightly:
//! `make fuzz` (or `cargo +nightly fuzz run <target>` in `fuzz/`).

#![cfg(test)]

use std::fs;
use std::path::Path;

#[path = "../fuzz/src/lib.rs"]
mod harness;

/// The fewest inputs each target's corpus must hold (the seeds alone are more).
const MIN_INPUTS: usize = 20;

#[test]
fn committed_fuzz_corpus_replays_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join("corpus");
    let mut total = 0;
    for target in harness::TARGETS {
        let dir = root.join(target);
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        assert!(
            files.len() >= MIN_INPUTS,
            "{target}: only {} corpus inputs",
            files.len()
        );
        for path in &files {
            let data = fs::read(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let outcome = std::panic::catch_unwind(|| harness::run(target, &data));
            assert!(outcome.is_ok(), "{target}/{name} panicked");
        }
        total += files.len();
    }
    assert!(total >= MIN_INPUTS * harness::TARGETS.len());
}

#[test]
fn every_fuzz_target_has_a_corpus_and_a_target_file() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let manifest = fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
    for target in harness::TARGETS {
        assert!(
            fuzz.join("corpus").join(target).is_dir(),
            "no corpus for {target}"
        );
        let file = fuzz.join("fuzz_targets").join(format!("{target}.rs"));
        assert!(file.is_file(), "no {}", file.display());
        assert!(
            manifest.contains(&format!("name = \"{target}\"")),
            "{target} not in fuzz/Cargo.toml"
        );
    }
}
