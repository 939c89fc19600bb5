// The Node example (examples/node) as a user who copies it has it: its files in a project of its
// own, `alipay-notify` installed there from the packed tarball (`make pack`), and better-sqlite3
// linked from the repository's own install (`.ci/setup js`: npm compiled it once; installing it
// again per test run would compile it again). Also which SQLite drivers load on the running Node,
// and a reader of the example's database files that is neither of them (Python's sqlite3).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { installPacked, packedTarball, root } from "./scratch.mjs";

export const exampleSource = join(root, "examples/node");

/** A fresh copy of the example in a temporary project; returns its folder. */
export function prepareNodeExample(prefix = "alipay-node-example-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of readdirSync(exampleSource)) {
    if (f.endsWith(".mjs") || f === "package.json") cpSync(join(exampleSource, f), join(dir, f));
  }
  installPacked(dir, packedTarball());
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  const installed = join(root, "node_modules", "better-sqlite3");
  if (!existsSync(installed))
    throw new Error("better-sqlite3 is not installed: run `.ci/setup js` (npm ci at the repository root)");
  symlinkSync(installed, join(dir, "node_modules", "better-sqlite3"), "dir");
  return dir;
}

/** Imports a module of the copied example (e.g. "server.mjs"). */
export function importExample(dir, file = "server.mjs") {
  return import(pathToFileURL(join(dir, file)).href);
}

/**
 * The example's SQLite drivers that load on this Node, found without the example's code: node:sqlite
 * where it is built in (Node 22.13+, 24), better-sqlite3 where its native module was compiled
 * for this Node (`.ci/setup js` compiles it for the machine's Node 20 only).
 * @returns {Promise<string[]>}
 */
export async function availableDrivers() {
  const found = [];
  try {
    await import(["node", "sqlite"].join(":")); // not a literal: Node 20's type declarations lack it
    found.push("node:sqlite");
  } catch {}
  try {
    const Database = createRequire(join(root, "package.json"))("better-sqlite3");
    new Database(":memory:").close();
    found.push("better-sqlite3");
  } catch {}
  return found;
}

/**
 * The driver the example must pick on this Node by itself: node:sqlite from Node 22.13 (where it
 * is built in without a flag), better-sqlite3 before.
 */
export function expectedDriver(version = process.versions.node) {
  const [major, minor] = version.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 13) ? "node:sqlite" : "better-sqlite3";
}

const PYTHON_READER = `
import json, pathlib, sqlite3, sys
db = sqlite3.connect(pathlib.Path(sys.argv[1]).resolve().as_uri() + "?mode=ro", uri=True)
db.row_factory = sqlite3.Row
queries = json.loads(sys.argv[2])
print(json.dumps({name: [dict(row) for row in db.execute(sql)] for name, sql in queries.items()}))
db.close()
`;

/**
 * Reads the database file `file` with Python's sqlite3 (read-only): an independent check of what
 * the example wrote, whichever driver wrote it. `queries`: name → SQL; returns name → rows.
 * @template {Record<string, string>} Q
 * @param {string} file
 * @param {Q} queries
 * @returns {{ [K in keyof Q]: Array<Record<string, any>> }}
 */
export function readWithPython(file, queries) {
  if (!existsSync(file)) throw new Error(`no database file ${file}`);
  const out = execFileSync("python3", ["-c", PYTHON_READER, file, JSON.stringify(queries)], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out);
}

/** Node's own warning that node:sqlite is experimental (Node 22 prints it on stderr; not a log line). */
export const isSqliteWarning = (text) =>
  /^\(node:\d+\) ExperimentalWarning: SQLite is an experimental feature/.test(text) ||
  /^\(Use `node --trace-warnings/.test(text);
