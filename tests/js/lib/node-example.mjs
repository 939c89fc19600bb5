// The Node example (examples/node) as a user who copies it has it: its files in a project of its
// own, `alipay-notify` installed there from the packed tarball (`make pack`), and better-sqlite3
// linked from the repository's own install (`.ci/setup js`: npm compiled it once; installing it
// again per test run would compile it again).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
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

/** The better-sqlite3 the example uses, for tests that read its database file independently. */
export async function sqlite() {
  return (await import(pathToFileURL(join(root, "node_modules", "better-sqlite3", "lib", "index.js")).href)).default;
}
