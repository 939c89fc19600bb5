// The Worker example (examples/worker) as a user has it, for the workerd tests: its files copied
// into a temporary project with `alipay-notify` installed from the packed tarball, bundled by
// wrangler exactly as `wrangler deploy` would (`--dry-run --outdir`), plus the Miniflare options
// of one worker running such a bundle with the example's bindings (KV, Queue, Durable Objects).
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { bin, installPacked, packedTarball, root } from "./scratch.mjs";

const run = promisify(execFile);

/** The compatibility date of examples/worker/wrangler.toml. */
export const COMPATIBILITY_DATE = "2026-04-01";

/**
 * Copies the example into a fresh temporary folder, adds `files` (path → text), and bundles
 * each of `entries` (`{ entry, outdir }`; default: the example's own `src/index.js` into `dist`).
 * Returns the folder.
 * @param {{ prefix?: string, files?: Record<string, string>, entries?: Array<{ entry?: string, outdir: string }> }} [options]
 */
export async function bundleExample({ prefix = "alipay-worker-", files = {}, entries = [{ outdir: "dist" }] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of ["src", "wrangler.toml", "package.json"])
    cpSync(join(root, "examples/worker", f), join(dir, f), { recursive: true });
  installPacked(dir, packedTarball());
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  await Promise.all(
    entries.map((e) => wrangler(dir, ["deploy", ...(e.entry ? [e.entry] : []), "--dry-run", "--outdir", e.outdir])),
  );
  return dir;
}

/** Runs the wrangler of the repository's workspaces in `dir`. */
export function wrangler(dir, args) {
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG: "warn", NO_COLOR: "1" };
  return run(bin("wrangler"), args, { cwd: dir, env, maxBuffer: 1 << 24 });
}

/** The Durable Object bindings of examples/worker/wrangler.toml (both SQLite-backed). */
export const DURABLE_OBJECTS = {
  ORDERS: { className: "OrderObject", useSQLite: true },
  MERCHANTS: { className: "MerchantObject", useSQLite: true },
};

/**
 * Miniflare options of one worker running the bundle in `dir/dist` on `host`, with the example's
 * Durable Objects; `extra` adds bindings, KV namespaces, queue producers…
 */
export function exampleWorker(name, host, dir, dist, extra = {}) {
  return {
    name,
    routes: [`${host}/*`],
    modules: true,
    scriptPath: join(dir, dist, "index.js"),
    modulesRoot: join(dir, dist),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: COMPATIBILITY_DATE,
    durableObjects: DURABLE_OBJECTS,
    ...extra,
  };
}
