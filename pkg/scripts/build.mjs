// One build: release wasm → wasm-bindgen (web + nodejs) → wasm-opt -Oz → sizes.
// Run from anywhere: `node pkg/scripts/build.mjs`.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const root = dirname(pkg);
const dist = join(pkg, "dist");
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });

// Two modules from one crate. The main entry's is verify-only (built with
// `--cfg alipay_notify_verify_only`, without the OpenAPI client's bindings, in its own target
// folder so the two builds never invalidate each other); `alipay-notify/client` has the whole
// core. A user who only verifies notifications never loads the client's code.
// binaryen is the package's devDependency (npm workspaces hoist it to the root node_modules).
const wasmOpt = [root, pkg].map((d) => join(d, "node_modules/.bin/wasm-opt")).find((f) => existsSync(f)) ?? "";
const modules = [
  {
    name: "verify-only",
    web: "web",
    node: "node",
    targetDir: join(root, "target/verify-only"),
    cfg: "--cfg alipay_notify_verify_only",
  },
  { name: "with client", web: "client-web", node: "client-node", targetDir: join(root, "target"), cfg: "" },
];
rmSync(dist, { recursive: true, force: true });
/** @type {[(typeof modules)[number], Buffer][]} */
const sizes = [];
for (const m of modules) {
  const rustflags = [process.env.RUSTFLAGS ?? "", m.cfg].join(" ").trim();
  run("cargo", ["build", "--release", "--locked", "--target", "wasm32-unknown-unknown", "--lib"], {
    env: { ...process.env, CARGO_TARGET_DIR: m.targetDir, ...(rustflags ? { RUSTFLAGS: rustflags } : {}) },
  });
  const built = join(m.targetDir, "wasm32-unknown-unknown/release/alipay_notify.wasm");
  for (const [target, dir] of [
    ["web", m.web],
    ["nodejs", m.node],
  ]) {
    run("wasm-bindgen", ["--target", target, "--no-typescript", "--out-dir", join(dist, dir), built]);
  }
  // Optimise once and use the same bytes for both glues.
  const web = join(dist, m.web, "alipay_notify_bg.wasm");
  if (existsSync(wasmOpt)) {
    run(wasmOpt, [
      "-Oz",
      "--enable-bulk-memory",
      "--enable-nontrapping-float-to-int",
      "--enable-sign-ext",
      "--enable-mutable-globals",
      "--enable-reference-types",
      "--enable-multivalue",
      web,
      "-o",
      web,
    ]);
  } else {
    console.warn("wasm-opt not found (run `make setup`); the .wasm is not size-optimised");
  }
  copyFileSync(web, join(dist, m.node, "alipay_notify_bg.wasm"));
  // The nodejs glue is CommonJS; the package is "type": "module".
  writeFileSync(join(dist, m.node, "package.json"), '{ "type": "commonjs" }\n');
  sizes.push([m, readFileSync(web)]);
}

const api = readFileSync(join(pkg, "src/api.mjs"), "utf8");
writeFileSync(join(dist, "api.mjs"), api);
const cjs = api.replace(/^export \{([^}]*)\};\s*$/m, "module.exports = {$1};\n");
if (cjs === api) throw new Error("api.mjs must end with a single `export { … };` line");
writeFileSync(join(dist, "api.cjs"), `"use strict";\n${cjs}`);
// The OpenAPI client, converted the same way.
const client = readFileSync(join(pkg, "src/client.mjs"), "utf8");
writeFileSync(join(dist, "client.mjs"), client);
const clientCjs = client.replace(/^export \{([^}]*)\};\s*$/m, "module.exports = {$1};\n");
if (clientCjs === client) throw new Error("client.mjs must end with a single `export { … };` line");
writeFileSync(join(dist, "client.cjs"), `"use strict";\n${clientCjs}`);

// The sandbox (`alipay-notify/sandbox`, Node only): its modules as they are, and each as CommonJS
// for `require`. They import only named bindings and end with one `export { … };` line, so the
// conversion is textual; anything else is refused here rather than shipped half-converted.
const sandboxSrc = join(pkg, "src/sandbox");
const sandboxDist = join(dist, "sandbox");
mkdirSync(sandboxDist, { recursive: true });
for (const file of readdirSync(sandboxSrc).filter((f) => f.endsWith(".mjs"))) {
  const text = readFileSync(join(sandboxSrc, file), "utf8");
  writeFileSync(join(sandboxDist, file), text);
  const cjsText = text
    .replace(/^import \{([^}]*)\} from "([^"]+)";$/gm, (_, names, from) => {
      const bindings = names.replace(/\s+as\s+/g, ": ");
      return `const {${bindings}} = require(${JSON.stringify(from.replace(/\.mjs$/, ".cjs"))});`;
    })
    .replace(/^export \{([^}]*)\};\s*$/m, "module.exports = {$1};\n");
  if (/^\s*(import|export)\b/m.test(cjsText))
    throw new Error(`src/sandbox/${file}: only named imports and one final export { … } line`);
  writeFileSync(join(sandboxDist, file.replace(/\.mjs$/, ".cjs")), `"use strict";\n${cjsText}`);
}
// Its declarations for CommonJS: the same text (they import nothing).
copyFileSync(join(pkg, "sandbox.d.ts"), join(dist, "sandbox.d.cts"));

// The CommonJS declarations: the same types, `init` as a named no-op instead of the default
// export (a CJS module has no default export to describe).
const dts = readFileSync(join(pkg, "index.d.ts"), "utf8");
const initDecl = /declare function init\([^)]*\): Promise<void>;\nexport default init;\nexport \{ init \};\n/;
if (!initDecl.test(dts)) throw new Error("index.d.ts: the init declaration changed; update build.mjs");
writeFileSync(
  join(dist, "index.d.cts"),
  dts
    .replace(/^\/\/ Types of alipay-notify\./, "// Types of alipay-notify (CommonJS view: `init` is a named export).")
    .replace(
      initDecl,
      "/** A no-op in Node: the module is ready at `require`. */\nexport declare function init(): Promise<void>;\n",
    ),
);

// Named exports shared by the entries that instantiate synchronously (Node ESM, workerd).
writeFileSync(join(dist, "exports.mjs"), readFileSync(join(pkg, "src/exports.mjs"), "utf8"));

// The licenses live at the repository's top; the tarball ships copies (package.json `files`).
for (const file of ["LICENSE-MIT", "LICENSE-APACHE"]) copyFileSync(join(root, file), join(pkg, file));
writeFileSync(join(dist, "client-exports.mjs"), readFileSync(join(pkg, "src/client-exports.mjs"), "utf8"));

// The client entry's declarations for CommonJS: the shared types from the CJS view.
const clientDts = readFileSync(join(pkg, "client.d.ts"), "utf8");
if (!clientDts.includes('from "./index.js"')) throw new Error("client.d.ts must import its types from ./index.js");
// As for index.d.cts: a CJS module has no default export to describe; `init` stays named.
if (!clientDts.includes("export default init;\n"))
  throw new Error("client.d.ts: the init declaration changed; update build.mjs");
writeFileSync(
  join(dist, "client.d.cts"),
  clientDts.replaceAll('from "./index.js"', 'from "./index.cjs"').replace("export default init;\n", ""),
);

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const [m, bytes] of sizes) {
  console.log(
    `${m.web}/alipay_notify_bg.wasm (${m.name}): ${kib(bytes.length)} raw, ${kib(gzipSync(bytes, { level: 9 }).length)} gzipped`,
  );
}
