# alipay-notify — `make demo` and `make test` work on a fresh machine (they run the set-up).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
NODE_TEST := node --test --test-reporter=spec

.PHONY: setup build pack demo test lint-js test-rust test-vectors test-js test-workerd test-node-server test-checkout test-browser test-node-lts test-sandbox screenshots bench fuzz deny clean

setup:
	.ci/setup

# Release wasm → wasm-bindgen (web + nodejs) → wasm-opt -Oz → prints raw and gzipped size.
build: setup
	node pkg/scripts/build.mjs

# The packed tarball, installed into a scratch project (what the JS tests and the demo use).
pack: build
	node tests/js/lib/scratch.mjs

# The samples through the package, the order lifecycle story (the sandbox and the Node example's
# gateway: scripts/demo-story.mjs), then the debugging page on 127.0.0.1 (keeps serving: Ctrl-C).
# Needs only the build tools (`.ci/setup`), not the test tools.
demo: pack
	node scripts/demo.mjs
	node scripts/demo-story.mjs
	node tests/js/lib/serve.mjs

test: lint-js test-rust test-vectors test-js test-workerd test-node-server test-sandbox test-checkout test-browser test-node-lts

test-rust: setup
	cargo fmt --all --check
	cargo clippy --all-targets --locked -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --locked -- -D warnings
	RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps --locked
	cargo test --locked

# The JS, TS, CSS and JSON are formatted and lint-clean (biome.jsonc), and the JavaScript
# type-checks through its JSDoc (tsconfig.checkjs.json). Needs no build. `npx biome check --write` fixes
# the formatting.
lint-js:
	.ci/setup js
	npx --no-install biome check
	npx --no-install tsc -p tsconfig.checkjs.json

# The committed vectors are what their generators produce (each checks, writes nothing).
test-vectors: setup
	.ci/setup js vectors
	python3 tests/vectors/notifications/generate.py --check
	python3 tests/vectors/reframing/generate.py --check
	node www/make-samples.mjs --check
	cd tests/js && node ../vectors/openapi/capture.mjs --check
	python3 tests/vectors/openapi/verify.py

# lists.test.mjs: every copy of the error codes, export names and typed fields agrees.
test-js: build
	.ci/setup js
	cd tests/js && $(NODE_TEST) www.test.mjs lists.test.mjs package.test.mjs oracle.test.mjs cert.test.mjs robustness.test.mjs form-differential.test.mjs reframing.test.mjs new-user.test.mjs mock-alipay.test.mjs openapi-client.test.mjs lifecycle.test.mjs sandbox.test.mjs cli.test.mjs readme.test.mjs

# The Cloudflare Worker example (examples/worker) bundled by wrangler and run in workerd
# (Miniflare, real KV, Queue and SQLite Durable Object bindings): behaviour, replays, failures,
# 500-notification load, CPU (worker.test.mjs); the order lifecycle driven through the OpenAPI
# against the mock Alipay on 127.0.0.1 — accept, reject, implement, refusals, network failures,
# 500 shuffled notifications for 50 orders (worker-lifecycle.test.mjs); and the OpenAPI client
# inside workerd (openapi-worker.test.mjs).
test-workerd: pack
	.ci/setup js
	cd tests/js && $(NODE_TEST) worker.test.mjs worker-lifecycle.test.mjs openapi-worker.test.mjs

# The Node example (examples/node) on 127.0.0.1: node:http, Express, `node server.mjs`, load,
# refusal logging; the order lifecycle it drives on SQLite and in memory (500 notifications of 50
# orders), and its calls against the mock Alipay (node-lifecycle.test.mjs).
test-node-server: pack
	.ci/setup js
	cd tests/js && $(NODE_TEST) node-server.test.mjs node-lifecycle.test.mjs

# The whole story against both example gateways: the sandbox (alipay-notify/sandbox) plays Alipay,
# the Node example runs as `node server.mjs` over HTTP and the Worker example in workerd; happy
# path, rejection, refund during implementation, the 30- and 7-day rules, retries, a bad signature.
test-sandbox: pack
	.ci/setup js
	cd tests/js && $(NODE_TEST) sandbox-scenarios.test.mjs

# Both examples run from the checkout as their READMEs say, `alipay-notify` resolved through the
# npm workspaces to pkg/: `node examples/node/server.mjs` over HTTP, the Worker bundled by
# wrangler in examples/worker and run in workerd.
test-checkout: build
	.ci/setup js
	cd tests/js && $(NODE_TEST) checkout.test.mjs

# The package and example suites again on the current LTS lines, Node 22 and 24 (pinned binaries from
# the npm registry, .ci/setup nodes); the suites above run on the machine's Node (20).
NODE_LTS_SUITES := package.test.mjs new-user.test.mjs reframing.test.mjs lifecycle.test.mjs openapi-client.test.mjs node-server.test.mjs node-lifecycle.test.mjs worker.test.mjs openapi-worker.test.mjs worker-lifecycle.test.mjs sandbox.test.mjs cli.test.mjs sandbox-scenarios.test.mjs
test-node-lts: pack
	.ci/setup js nodes
	for v in 22 24; do \
	  echo "== Node $$(.tools/node-$$v/node_modules/.bin/node --version)"; \
	  (cd tests/js && PATH="$(CURDIR)/.tools/node-$$v/node_modules/.bin:$$PATH" $(NODE_TEST) $(NODE_LTS_SUITES)); \
	done

# The debugging page (www/) and the browser entry in headless Chromium (screenshots into a
# temporary folder; `make screenshots` rewrites docs/screenshots/); its request and response
# modes on alipay-sdk's and the client's requests and on mistakes made on purpose; a page bundled by
# esbuild from the installed tarball, its wasm loaded through the exports map (browser-bundle.test.mjs).
test-browser: pack
	.ci/setup js browser
	cd tests/js && $(NODE_TEST) browser.test.mjs browser-request.test.mjs browser-bundle.test.mjs

screenshots: pack
	.ci/setup js browser
	cd tests/js && SCREENSHOTS=1 $(NODE_TEST) --test-name-pattern=screenshots browser.test.mjs

# Each fuzz target in turn for FUZZ_SECONDS (one process), starting from the committed corpus
# (fuzz/corpus/<target>, left as is; new inputs go to fuzz/target/corpus/). Needs nightly and
# cargo-fuzz (installed by `.ci/setup fuzz`). A crash stops the run; its input is in fuzz/artifacts/.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= form_parse parse verify inspect public_key verify_options certificate verify_response openapi_reply private_key lifecycle_json inspect_request
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
	rm -rf pkg/dist pkg/LICENSE-MIT pkg/LICENSE-APACHE tests/js/.scratch

# Speed against the native floor and alipay-sdk; writes docs/bench/. `make bench QUICK=1` is shorter.
bench: pack
	.ci/setup js
	node tests/js/bench/bench.mjs $(if $(QUICK),--quick,)
