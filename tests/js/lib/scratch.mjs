// The one place that packs pkg/ with `npm pack` and installs the tarball, so tests use the package
// exactly as a user gets it (files list, exports map), never the source folder:
// - `prepareScratch()`: the shared scratch project tests/js/.scratch (`make pack`);
// - `packedTarball()`: the tarball `make pack` left there;
// - `installPacked(project, tarball?)`: the tarball (a fresh one when none is given) unpacked as
//   `project/node_modules/alipay-notify`, what `npm install` does for a package without
//   dependencies, minus the network;
// - `bin(name)`: an npm tool's executable (from the repository's workspaces install).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const jsDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const root = dirname(dirname(jsDir));
export const scratch = join(jsDir, ".scratch");

/** The installed package folder inside the scratch project. */
export const installed = join(scratch, "node_modules", "alipay-notify");

/** Packs pkg/ into `dir` (`npm pack`); returns the tarball's path. */
export function packInto(dir) {
  mkdirSync(dir, { recursive: true });
  const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir, join(root, "pkg")], {
    encoding: "utf8",
  });
  return join(dir, out.trim().split("\n").pop());
}

/** The tarball `make pack` left in the scratch project; throws when there is none. */
export function packedTarball() {
  const tgz = existsSync(scratch) ? readdirSync(scratch).find((f) => f.endsWith(".tgz")) : undefined;
  if (!tgz) throw new Error("no packed tarball: run `make pack` (node tests/js/lib/scratch.mjs) first");
  return join(scratch, tgz);
}

/**
 * Unpacks `tarball` (default: a fresh `npm pack` into `project`) as
 * `project/node_modules/alipay-notify`, replacing any earlier install in one rename. Returns
 * the package folder.
 */
export function installPacked(project, tarball = packInto(project)) {
  const modules = join(project, "node_modules");
  mkdirSync(modules, { recursive: true });
  const fresh = mkdtempSync(join(modules, ".alipay-notify-"));
  execFileSync("tar", ["-xzf", tarball, "-C", fresh, "--strip-components=1"]);
  const target = join(modules, "alipay-notify");
  rmSync(target, { recursive: true, force: true });
  renameSync(fresh, target);
  return target;
}

/** Packs and installs into the shared scratch project (always fresh: a stale install would test old code). */
export function prepareScratch() {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const tarball = packInto(scratch);
  const name = tarball.slice(scratch.length + 1);
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify(
      { name: "scratch", private: true, type: "commonjs", dependencies: { "alipay-notify": `file:./${name}` } },
      null,
      2,
    ),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", "--silent"], {
    cwd: scratch,
    stdio: "inherit",
  });
  if (!existsSync(join(installed, "package.json"))) throw new Error("the tarball did not install");
  return { tarball, files: readdirSync(installed) };
}

/** The executable of an npm tool installed for the tests (hoisted to the root, or kept in tests/js). */
export function bin(name) {
  for (const dir of [root, jsDir]) {
    const file = join(dir, "node_modules", ".bin", name);
    if (existsSync(file)) return file;
  }
  throw new Error(`${name} is not installed: run \`.ci/setup js\` (npm ci at the repository root)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { tarball } = prepareScratch();
  console.log(`installed ${tarball} into ${scratch}`);
}
