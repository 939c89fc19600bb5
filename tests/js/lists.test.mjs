// Lists kept in more than one place must agree; each test reads every copy from its file (or
// from the packed package), so a code, export or field added in one place and not the others fails
// here. The sources:
// - error codes: `ERROR_CODES` in the Rust core (and its `code()`), copied to the `ErrorCode`
//   union of index.d.ts, `errorCodes()`, the page's ERRORS labels and both READMEs;
// - export names: the runtime exports of each entry of the packed package (Node ESM and CJS,
//   browser), against its declarations (.d.ts / .d.cts) and the workerd entry's re-exports;
// - typed fields: the Rust structs of each notification kind (serde camelCase), against the
//   index.d.ts interfaces and the page's FIELDS labels; the kinds' wire names (Rust `wire`)
//   against the d.ts `kind` literals and the page's KINDS labels;
// - the Service Market APIs: the client's catalogue (Rust `APIS`), against the routes the
//   sandbox serves.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { installPacked, root } from "./lib/scratch.mjs";
import { ERRORS, FIELDS, KINDS, NOT_FIELDS } from "../../www/i18n.js";

/** Codes only the JS layer produces (the browser entry before `init()`), not the Rust core. */
const JS_ONLY_CODES = ["NOT_INITIALIZED"];

let dir;
let installed;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "alipay-lists-"));
  installed = installPacked(dir);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const read = (path) => readFileSync(join(root, path), "utf8");

/** Every .rs file under src/ (the layout may change; the lists are found by what they are). */
function rustSources(d = join(root, "src")) {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    if (statSync(p).isDirectory()) return rustSources(p);
    return f.endsWith(".rs") ? [{ path: p, text: readFileSync(p, "utf8") }] : [];
  });
}

/** The one Rust source that contains `pattern`. */
function rustDefining(pattern) {
  const hits = rustSources().filter((f) => pattern.test(f.text));
  assert.equal(
    hits.length,
    1,
    `${pattern} should be defined in exactly one file under src/ (found ${hits.map((h) => h.path)})`,
  );
  return hits[0].text;
}

/** The text of the `{ … }` block opening at the first `{` at or after `from` (braces balanced). */
function block(text, from) {
  const open = text.indexOf("{", from);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error("unbalanced braces");
}

// ─── error codes ──────────────────────────────────────────────────────────────────────────

function rustErrorCodes() {
  const text = rustDefining(/pub const ERROR_CODES\b/);
  const m = /pub const ERROR_CODES: &\[&str\] = &\[([^\]]*)\];/.exec(text);
  assert.ok(m, "ERROR_CODES is a `&[&str]` literal");
  const list = [...m[1].matchAll(/"([A-Z0-9_]+)"/g)].map((x) => x[1]);
  const at = text.indexOf("fn code(&self)");
  assert.ok(at >= 0, "Error::code() is beside ERROR_CODES");
  const fromCode = [...block(text, at).matchAll(/=>\s*"([A-Z0-9_]+)"/g)].map((x) => x[1]);
  return { list, fromCode };
}

function dtsErrorCodes() {
  const dts = read("pkg/index.d.ts");
  const m = /export type ErrorCode =([^;]*);/.exec(dts);
  assert.ok(m, "index.d.ts declares `export type ErrorCode = … ;`");
  return [...m[1].replace(/\/\*[\s\S]*?\*\//g, "").matchAll(/\|\s*"([A-Z0-9_]+)"/g)].map((x) => x[1]);
}

function readmeErrorCodes() {
  const readme = read("README.md");
  const start = readme.indexOf("### Error codes");
  assert.ok(start >= 0, "README has an `### Error codes` section");
  const end = readme.indexOf("\n#", start + 4);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((x) => x[1]);
}

test("error codes: Rust's ERROR_CODES has no repeats and is exactly what Error::code() returns", () => {
  const { list, fromCode } = rustErrorCodes();
  assert.ok(list.length >= 20, `read ${list.length} codes`);
  assert.equal(new Set(list).size, list.length, "a code is listed twice");
  assert.deepEqual([...new Set(fromCode)].sort(), [...list].sort(), "code() and ERROR_CODES differ");
});

test("error codes: index.d.ts's ErrorCode and README's table list ERROR_CODES, in its order, plus the JS-only codes", () => {
  const { list } = rustErrorCodes();
  assert.deepEqual(dtsErrorCodes(), [...list, ...JS_ONLY_CODES], "pkg/index.d.ts ErrorCode");
  assert.deepEqual(readmeErrorCodes(), [...list, ...JS_ONLY_CODES], "README.md error table");
});

test("error codes: pkg/README.md names every code", () => {
  const { list } = rustErrorCodes();
  const named = new Set(
    [...read("pkg/README.md").matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|TIMEOUT)`/g)].map((x) => x[1]),
  );
  for (const code of [...list, ...JS_ONLY_CODES]) assert.ok(named.has(code), `pkg/README.md does not mention ${code}`);
});

test("error codes: the page has a label for exactly ERROR_CODES (www/i18n.js ERRORS)", () => {
  const { list } = rustErrorCodes();
  const page = Object.keys(ERRORS).filter((c) => !JS_ONLY_CODES.includes(c));
  assert.deepEqual([...page].sort(), [...list].sort());
});

test("error codes: errorCodes() of the packed package is ERROR_CODES", () => {
  const api = createRequire(join(dir, "index.cjs"))("alipay-notify");
  assert.deepEqual(api.errorCodes(), rustErrorCodes().list);
});

// ─── export names ─────────────────────────────────────────────────────────────────────────

/** The value names a declaration file exports (functions, consts, classes, `export { … }`, default). */
function declaredValues(file) {
  const text = readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "");
  const names = new Set();
  for (const m of text.matchAll(/^export (?:declare )?(?:async )?(?:function|const|let|var|class) (\w+)/gm))
    names.add(m[1]);
  for (const m of text.matchAll(/^export \{([^}]*)\};?/gm)) {
    for (const part of m[1].split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (name && !/^type\s/.test(part.trim())) names.add(name);
    }
  }
  if (/^export default /m.test(text)) names.add("default");
  return names;
}

const sorted = (names) => [...names].filter((n) => n !== "default").sort();

/** The subpaths of the packed package's exports map that are modules (not `./package.json`). */
function entries() {
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  return Object.entries(manifest.exports).filter(([, v]) => typeof v === "object");
}

test("exports: every entry of the exports map exports the same names in Node ESM, Node CJS and the browser, as declared", async () => {
  const list = entries();
  assert.ok(
    list.some(([k]) => k === "."),
    "the main entry",
  );
  assert.ok(
    list.some(([k, c]) => k === "./sandbox" && !c.browser && !c.workerd && !c.default),
    "the sandbox entry, Node only",
  );
  for (const [subpath, c] of list) {
    const at = (rel) => join(installed, rel);
    if (!c.browser) {
      // A Node-only entry (the sandbox): ESM and CJS alike, as declared; no `init` (no wasm).
      const esm = await import(pathToFileURL(at(c.node.import.default)).href);
      const cjs = createRequire(join(dir, "index.cjs"))(at(c.node.require.default));
      const names = sorted(Object.keys(esm));
      assert.ok(names.length >= 1, `${subpath}: ${names.length} exports`);
      assert.deepEqual(sorted(Object.keys(cjs)), names, `${subpath}: CJS vs ESM`);
      assert.deepEqual(sorted(declaredValues(at(c.node.import.types))), names, `${subpath}: ${c.node.import.types}`);
      assert.deepEqual(sorted(declaredValues(at(c.node.require.types))), names, `${subpath}: ${c.node.require.types}`);
      continue;
    }
    const esm = await import(pathToFileURL(at(c.node.import.default)).href);
    const cjs = createRequire(join(dir, "index.cjs"))(at(c.node.require.default));
    const browser = await import(pathToFileURL(at(c.browser.default)).href);
    const names = sorted(Object.keys(esm));
    assert.ok(names.length >= 10, `${subpath}: ${names.length} exports`);
    assert.ok("default" in esm && "init" in esm, `${subpath}: ESM has init as default and named export`);
    assert.deepEqual(sorted(Object.keys(cjs)), names, `${subpath}: CJS (${c.node.require.default}) vs ESM`);
    assert.deepEqual(sorted(Object.keys(browser)), names, `${subpath}: browser (${c.browser.default}) vs Node ESM`);
    for (const types of new Set([c.node.import.types, c.browser.types, c.workerd.types, c.default.types])) {
      assert.deepEqual(sorted(declaredValues(at(types))), names, `${subpath}: ${types} vs the runtime exports`);
    }
    assert.deepEqual(sorted(declaredValues(at(c.node.require.types))), names, `${subpath}: ${c.node.require.types}`);
    // workerd imports a .wasm module, so it is compared by text: init plus the Node ESM entry's
    // shared re-export.
    const workerd = readFileSync(at(c.workerd.default), "utf8");
    const nodeEsm = readFileSync(at(c.node.import.default), "utf8");
    const reexports = (s) => [...s.matchAll(/^export \* from "([^"]+)";/gm)].map((m) => m[1]);
    assert.deepEqual(
      reexports(workerd),
      reexports(nodeEsm),
      `${subpath}: workerd and Node ESM re-export the same module`,
    );
    assert.match(workerd, /^export default async function init\(\)/m);
    assert.match(workerd, /^export \{ init \};/m);
  }
});

test("exports: the shared named-export list (src/exports.mjs) is exactly createApi()'s API", async () => {
  const api = createRequire(join(dir, "index.cjs"))(join(installed, "dist/api.cjs"));
  const wasm = createRequire(join(dir, "index.cjs"))(join(installed, "dist/node/alipay_notify.js"));
  const made = Object.keys(api.createApi(wasm)).sort();
  const text = read("pkg/src/exports.mjs");
  const m = /export const \{([^}]*)\} = createApi\(/.exec(text);
  assert.ok(m, "exports.mjs destructures createApi(wasm)");
  const listed = m[1]
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();
  assert.deepEqual(listed, made);
});

// ─── typed fields ─────────────────────────────────────────────────────────────────────────

/** serde's `rename_all = "camelCase"` of a snake_case field name. */
const camel = (snake) => snake.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** The serialized field names of a Rust struct (camelCase; flattened and skipped ones apart). */
function rustFields(name) {
  const text = rustDefining(new RegExp(`pub struct ${name} \\{`));
  const start = text.indexOf(`pub struct ${name} {`);
  const head = text.slice(Math.max(0, text.lastIndexOf("\n\n", start)), start);
  assert.match(head, /rename_all = "camelCase"/, `${name} is serialized camelCase`);
  const fields = [];
  const flattened = [];
  let attrs = "";
  for (const line of block(text, start).split("\n")) {
    const t = line.trim();
    if (t.startsWith("#[")) attrs += t;
    const m = /^pub (\w+):/.exec(t);
    if (!m) continue;
    const rename = /rename = "([^"]+)"/.exec(attrs)?.[1];
    if (/flatten/.test(attrs)) flattened.push(m[1]);
    else if (!/skip(?:_serializing)?\b(?!_serializing_if)/.test(attrs)) fields.push(rename ?? camel(m[1]));
    attrs = "";
  }
  return { fields, flattened };
}

/** The member names of a TypeScript interface in index.d.ts. */
function dtsMembers(name) {
  const dts = read("pkg/index.d.ts");
  const at = new RegExp(`^(?:export )?interface ${name}\\b[^{]*\\{`, "m").exec(dts);
  assert.ok(at, `index.d.ts declares interface ${name}`);
  const body = block(dts, at.index).replace(/\/\*[\s\S]*?\*\//g, "");
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]);
}

// Each notification kind: its Rust struct (flattened into Notification) and its d.ts interface.
const KIND_TYPES = [
  ["OrderNotifyFields", "OrderNotification"],
  ["OrderChangeFields", "OrderChangeNotification"],
  ["OrderRenewFields", "OrderRenewNotification"],
  ["AppAuthFields", "AppAuthNotification"],
];

test("typed fields: each kind's Rust struct and its index.d.ts interface have the same fields, in order", () => {
  const base = rustFields("Notification");
  assert.deepEqual(base.flattened, ["fields"], "Notification flattens the kind's fields");
  // `kind` is a base field in Rust; d.ts repeats it per interface as the discriminant.
  assert.deepEqual(
    ["kind", ...dtsMembers("NotificationBase")].sort(),
    [...base.fields].sort(),
    "Notification vs NotificationBase",
  );
  for (const [rust, ts] of KIND_TYPES) {
    assert.deepEqual(
      dtsMembers(ts).filter((f) => f !== "kind"),
      rustFields(rust).fields,
      `${rust} vs ${ts}`,
    );
  }
  assert.deepEqual(dtsMembers("AppAuthDetail"), rustFields("AppAuthDetail").fields, "AppAuthDetail");
  assert.deepEqual(dtsMembers("GenericNotification"), ["kind"], "GenericNotification adds nothing");
});

test("typed fields: the page labels every field it lists, and only fields that exist (www/i18n.js FIELDS)", () => {
  const all = new Set([
    ...rustFields("Notification").fields,
    ...KIND_TYPES.flatMap(([rust]) => rustFields(rust).fields),
    ...rustFields("AppAuthDetail").fields,
  ]);
  for (const name of NOT_FIELDS) assert.ok(all.has(name), `NOT_FIELDS names ${name}, which no notification has`);
  for (const name of all) {
    if (!NOT_FIELDS.has(name))
      assert.ok(name in FIELDS, `the page has no label for ${name} (add it to FIELDS or NOT_FIELDS)`);
  }
  for (const name of Object.keys(FIELDS)) assert.ok(all.has(name), `FIELDS labels ${name}, which no notification has`);
});

test("kinds: Rust's wire names are the d.ts `kind` literals and the page's KINDS", () => {
  const text = rustDefining(/pub mod wire \{/);
  const wire = [...block(text, text.indexOf("pub mod wire {")).matchAll(/pub const \w+: &str = "([^"]+)";/g)].map(
    (m) => m[1],
  );
  assert.ok(wire.length >= 5, `read ${wire.length} kinds`);
  const dts = [...read("pkg/index.d.ts").matchAll(/^ {2}kind: "([^"]+)";/gm)].map((m) => m[1]);
  assert.deepEqual([...dts].sort(), [...wire].sort(), "index.d.ts kind literals");
  assert.deepEqual(Object.keys(KINDS).sort(), [...wire].sort(), "www/i18n.js KINDS");
});

// The Node versions: `engines` promises no older major than the one `make test` runs on (this
// machine's Node) and the LTS lines `.ci/setup nodes` installs for `make test-node-lts`.
test("engines.node matches the Node versions make test runs", () => {
  const engines = JSON.parse(read("pkg/package.json")).engines.node;
  const min = Number(/^>=(\d+)$/.exec(engines)?.[1]);
  const setup = read(".ci/setup");
  const pinned = [...(/for v in ([\d. ]+); do/.exec(setup)?.[1] ?? "").matchAll(/(\d+)\.\d+\.\d+/g)].map((m) =>
    Number(m[1]),
  );
  assert.deepEqual(pinned, [22, 24], "the LTS lines .ci/setup installs");
  assert.match(read("Makefile"), /for v in 22 24; do/, "make test-node-lts runs both");
  const here = Number(process.versions.node.split(".")[0]);
  const tested = new Set([here, ...pinned]);
  assert.ok(tested.has(min), `engines ${engines}: Node ${min} is not among the tested ${[...tested]}`);
  for (const doc of ["README.md"])
    assert.ok(read(doc).includes(`Node ${[min, ...pinned].join(", ")}`), `${doc} names the tested versions`);
});

// ─── the Service Market APIs ──────────────────────────────────────────────────────────────

test("APIs: the sandbox serves exactly the client's catalogue (src/openapi/catalogue.rs): names, methods, v3 routes, merchant tokens", async () => {
  const text = rustDefining(/pub const APIS: &\[Api\] = &\[/);
  const table = text.slice(text.indexOf("pub const APIS: &[Api] = &["));
  const rust = [
    ...table.matchAll(
      /Api \{\s*name: "(\w+)",\s*method: "([\w.]+)",\s*v3: (?:(get|post)\("([^"]+)"\)|None),\s*needs_app_auth_token: (true|false),/g,
    ),
  ].map((m) => [m[1], m[2], m[3] ? `${m[3].toUpperCase()} ${m[4]}` : null, m[5] === "true"]);
  assert.equal(rust.length, 10, "the catalogue's ten APIs");
  const { APIS } = await import(pathToFileURL(join(installed, "dist/sandbox/openapi.mjs")).href);
  const sandbox = APIS.map((a) => [a.name, a.method, a.v3 ? `${a.v3[0]} ${a.v3[1]}` : null, a.token]);
  assert.deepEqual(sandbox, rust);
});
