# alipay-notify — `make demo` and `make test` work on a fresh machine (they run the set-up).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
NODE_TEST := node --test --test-reporter=spec

.PHONY: setup build pack demo test test-rust test-js test-workerd test-browser bench fuzz clean

setup:
	.ci/setup

# Release wasm → wasm-bindgen (web + nodejs) → wasm-opt -Oz → prints raw and gzipped size.
build: setup
	node pkg/scripts/build.mjs

# The packed tarball, installed into a scratch project (what the JS tests and the demo use).
pack: build
	node tests/js/lib/scratch.mjs

demo: pack
	node examples/demo.mjs

test: test-rust test-js

test-rust: setup
	cargo fmt --all --check
	cargo clippy --all-targets --locked -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --locked -- -D warnings
	RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps --locked
	cargo test --locked

test-js: build
	cd tests/js && $(NODE_TEST) package.test.mjs oracle.test.mjs

clean:
	cargo clean
	rm -rf pkg/dist tests/js/.scratch
