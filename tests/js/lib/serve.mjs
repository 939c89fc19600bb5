// A tiny static server for the debugging page: `/` is www/, `/pkg/` is the npm package — the
// packed tarball installed in tests/js/.scratch when present (what users get), else pkg/.
// Listens on 127.0.0.1 only. Run: node tests/js/lib/serve.mjs [port]   (Ctrl-C to stop)
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { installed, root } from "./scratch.mjs";

const types = {
  ".html": "text/html; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
};

/** The package folder the page loads: the installed tarball if there is one, else pkg/. */
export function packageDir() {
  return existsSync(join(installed, "package.json")) ? installed : join(root, "pkg");
}

/**
 * Starts the server. `mounts` maps URL prefixes (ending in `/`) to folders; the longest prefix
 * wins. Resolves to `{ server, url }` once listening.
 */
export function serve({ port = 0, mounts = {} } = {}) {
  const table = Object.entries({ "/": join(root, "www"), "/pkg/": packageDir(), ...mounts }).sort(
    (a, b) => b[0].length - a[0].length,
  );
  const server = createServer((req, res) => {
    const send = (status, body, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      return send(400, "bad request\n");
    }
    if (path.includes("\0")) return send(400, "bad request\n");
    const [prefix, dir] = table.find(([p]) => path.startsWith(p)) ?? [];
    if (!dir) return send(404, "not found\n");
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (file !== dir && !file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return send(403, "forbidden\n");
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file) || !statSync(file).isFile()) return send(404, "not found\n");
    send(200, readFileSync(file), types[extname(file)] ?? "application/octet-stream");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve({
        server,
        url: `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}/`,
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wanted = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  let started;
  try {
    started = await serve({ port: wanted });
  } catch (e) {
    if (e.code !== "EADDRINUSE") throw e;
    started = await serve({ port: 0 }); // the usual port is taken: any free one
  }
  const from = packageDir() === installed ? "the packed tarball" : "pkg/";
  console.log(`\nDebugging page (调试页面): ${started.url}`);
  console.log(`  serving www/ and the package from ${from} on 127.0.0.1 only — Ctrl-C to stop`);
}
