// Packs pkg/ with `npm pack` and installs the tarball into a scratch project, so tests use the
// package exactly as a user gets it (files list, exports map), never the source folder.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const jsDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const root = dirname(dirname(jsDir));
export const scratch = join(jsDir, ".scratch");

/** The installed package folder inside the scratch project. */
export const installed = join(scratch, "node_modules", "alipay-notify");

/** Packs and installs (always fresh: a stale install would test old code). */
export function prepareScratch() {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", scratch, join(root, "pkg")], {
    encoding: "utf8",
  }).trim();
  const tarball = out.split("\n").pop();
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify({ name: "scratch", private: true, type: "commonjs", dependencies: { "alipay-notify": `file:./${tarball}` } }, null, 2),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", "--silent"], { cwd: scratch, stdio: "inherit" });
  if (!existsSync(join(installed, "package.json"))) throw new Error("the tarball did not install");
  return { tarball: join(scratch, tarball), files: readdirSync(installed) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { tarball } = prepareScratch();
  console.log(`installed ${tarball} into ${scratch}`);
}
