// One build: release wasm → wasm-bindgen (web + nodejs) → wasm-opt -Oz → sizes.
// Run from anywhere: `node pkg/scripts/build.mjs`.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const root = dirname(pkg);
const dist = join(pkg, "dist");
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });

run("cargo", ["build", "--release", "--locked", "--target", "wasm32-unknown-unknown", "--lib"]);
const built = join(root, "target/wasm32-unknown-unknown/release/alipay_notify.wasm");

rmSync(dist, { recursive: true, force: true });
for (const target of ["web", "nodejs"]) {
  const out = join(dist, target === "web" ? "web" : "node");
  run("wasm-bindgen", ["--target", target, "--no-typescript", "--out-dir", out, built]);
}

// Optimise once and use the same bytes for both glues.
const wasmOpt = join(root, "tests/js/node_modules/.bin/wasm-opt");
const web = join(dist, "web/alipay_notify_bg.wasm");
if (existsSync(wasmOpt)) {
  run(wasmOpt, ["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
    "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue", web, "-o", web]);
} else {
  console.warn("wasm-opt not found (run `make setup`); the .wasm is not size-optimised");
}
copyFileSync(web, join(dist, "node/alipay_notify_bg.wasm"));
// The nodejs glue is CommonJS; the package is "type": "module".
writeFileSync(join(dist, "node/package.json"), '{ "type": "commonjs" }\n');

const api = readFileSync(join(pkg, "src/api.mjs"), "utf8");
writeFileSync(join(dist, "api.mjs"), api);
const cjs = api.replace(/^export \{([^}]*)\};\s*$/m, "module.exports = {$1};\n");
if (cjs === api) throw new Error("api.mjs must end with a single `export { … };` line");
writeFileSync(join(dist, "api.cjs"), '"use strict";\n' + cjs);

const bytes = readFileSync(web);
const kib = (n) => (n / 1024).toFixed(1) + " KiB";
console.log(`alipay_notify_bg.wasm: ${kib(bytes.length)} raw, ${kib(gzipSync(bytes, { level: 9 }).length)} gzipped`);
