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

// The CommonJS declarations: the same types, `init` as a named no-op instead of the default
// export (a CJS module has no default export to describe).
const dts = readFileSync(join(pkg, "index.d.ts"), "utf8");
const initDecl = /declare function init\([^)]*\): Promise<void>;\nexport default init;\nexport \{ init \};\n/;
if (!initDecl.test(dts)) throw new Error("index.d.ts: the init declaration changed; update build.mjs");
writeFileSync(
  join(dist, "index.d.cts"),
  dts
    .replace(/^\/\/ Types of alipay-notify\./, "// Types of alipay-notify (CommonJS view: `init` is a named export).")
    .replace(initDecl, "/** A no-op in Node: the module is ready at `require`. */\nexport declare function init(): Promise<void>;\n"),
);

// Named exports shared by the entries that instantiate synchronously (Node ESM, workerd).
writeFileSync(join(dist, "exports.mjs"), readFileSync(join(pkg, "src/exports.mjs"), "utf8"));

const bytes = readFileSync(web);
const kib = (n) => (n / 1024).toFixed(1) + " KiB";
console.log(`alipay_notify_bg.wasm: ${kib(bytes.length)} raw, ${kib(gzipSync(bytes, { level: 9 }).length)} gzipped`);
