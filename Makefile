# alipay-notify — `make demo` and `make test` work on a fresh machine (they run the set-up).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
NODE_TEST := node --test --test-reporter=spec

.PHONY: setup build pack demo test test-rust test-js test-workerd test-node-server test-browser bench fuzz deny clean

setup:
	.ci/setup

# Release wasm → wasm-bindgen (web + nodejs) → wasm-opt -Oz → prints raw and gzipped size.
build: setup
	node pkg/scripts/build.mjs

# The packed tarball, installed into a scratch project (what the JS tests and the demo use).
pack: build
	node tests/js/lib/scratch.mjs

# The samples through the package, then the debugging page on 127.0.0.1 (keeps serving: Ctrl-C).
demo: pack
	node examples/demo.mjs
	node tests/js/lib/serve.mjs

test: test-rust test-js test-workerd test-node-server test-browser

test-rust: setup
	cargo fmt --all --check
	cargo clippy --all-targets --locked -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --locked -- -D warnings
	RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps --locked
	cargo test --locked

test-js: build
	cd tests/js && $(NODE_TEST) package.test.mjs oracle.test.mjs cert.test.mjs robustness.test.mjs form-differential.test.mjs reframing.test.mjs lifecycle.test.mjs

# The Cloudflare Worker example (examples/worker) bundled by wrangler and run in workerd
# (Miniflare, real KV and Queue bindings): behaviour, replays, failures, 500-notification load, CPU.
test-workerd: pack
	cd tests/js && $(NODE_TEST) worker.test.mjs

# The Node example (examples/node) on 127.0.0.1: node:http, Express, `node server.mjs`, load.
test-node-server: pack
	cd tests/js && $(NODE_TEST) node-server.test.mjs

# The debugging page (www/) and the browser entry in headless Chromium; writes docs/screenshots/.
test-browser: pack
	.ci/setup browser
	cd tests/js && $(NODE_TEST) browser.test.mjs

# Each fuzz target in turn for FUZZ_SECONDS (one process), starting from the committed corpus
# (fuzz/corpus/<target>, left as is; new inputs go to fuzz/target/corpus/). Needs nightly and
# cargo-fuzz (installed by `.ci/setup fuzz`). A crash stops the run; its input is in fuzz/artifacts/.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= form_parse parse verify inspect public_key verify_options certificate verify_response
fuzz:
	.ci/setup fuzz
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  mkdir -p target/corpus/$$t; \
	  cargo +nightly fuzz run --debug-assertions $$t target/corpus/$$t corpus/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1; \
	done

# Licenses, bans and sources of every dependency (deny.toml), offline. Advisories need the
# RustSec database from GitHub: `cargo deny check advisories` where GitHub is reachable.
deny:
	@command -v cargo-deny >/dev/null || cargo install cargo-deny
	cargo deny check licenses bans sources

clean:
	cargo clean
	rm -rf pkg/dist tests/js/.scratch

# Speed against the native floor and alipay-sdk; writes docs/bench/. `make bench QUICK=1` is shorter.
bench: pack
	node tests/js/bench/bench.mjs $(if $(QUICK),--quick,)
