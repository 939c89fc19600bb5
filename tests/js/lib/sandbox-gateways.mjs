// The two example gateways as a sandbox sees them, for the end-to-end scenarios: the Node example
// run as `node server.mjs` (its SQLite file read back with Python's sqlite3) and the Worker
// example bundled by wrangler and served by Miniflare (workerd) on 127.0.0.1 (its Durable
// Objects read through the admin route). Both are configured only through their documented
// settings, pointed at a sandbox's keys and endpoints.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { exampleWorker } from "./worker-bundle.mjs";

/** A port free on 127.0.0.1 right now (the gateway is started on it after the sandbox). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return port;
}

/** Rows of `sql` on the SQLite file `file`, read by Python's sqlite3 (read-only), as objects. */
export function sqliteRows(file, sql, params = []) {
  const script = `
import json, sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
db.row_factory = sqlite3.Row
rows = db.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()
print(json.dumps([dict(r) for r in rows]))
`;
  return JSON.parse(execFileSync("python3", ["-c", script, file, sql, JSON.stringify(params)], { encoding: "utf8" }));
}

/**
 * `node server.mjs` of the copied Node example (`dir`) on `port`, with `env` (the sandbox's
 * settings) and its database in `dbFile`.
 */
export async function startNodeGateway({ dir, port, env, dbFile }) {
  const child = spawn(process.execPath, [join(dir, "server.mjs")], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ALIPAY_DB: dbFile, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  const exited = once(child, "exit");
  await new Promise((resolve, reject) => {
    const check = () => (out.includes("listening on") ? resolve(undefined) : undefined);
    child.stdout.on("data", check);
    child.on("exit", (code) => reject(new Error(`node server.mjs exited (${code}): ${out}`)));
  });
  return {
    kind: "node",
    url: `http://127.0.0.1:${port}/`,
    /** The order's stored record (the `orders` table's JSON), or null. */
    async order(id) {
      const [row] = sqliteRows(dbFile, "SELECT record FROM orders WHERE id = ?", [id]);
      return row ? JSON.parse(row.record) : null;
    },
    log: () => out,
    async close() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The Worker example's bundle (`dir/dist`) in Miniflare on `port`, with `bindings`. */
export async function startWorkerGateway({ dir, port, bindings, adminToken }) {
  let out = "";
  const mf = new Miniflare({
    host: "127.0.0.1",
    port,
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (d) => {
        out += d;
      });
      stderr.on("data", (d) => {
        out += d;
      });
    },
    workers: [
      exampleWorker("gateway", "127.0.0.1", dir, "dist", {
        routes: undefined,
        bindings: { ...bindings, ADMIN_TOKEN: adminToken },
        kvNamespaces: { NOTIFY_KV: "kv" },
        queueProducers: { NOTIFY_QUEUE: { queueName: "alipay-notifications" } },
      }),
    ],
  });
  const url = await mf.ready;
  return {
    kind: "worker",
    url: url.href,
    /** The order's record, read from its Durable Object through the admin route, or null. */
    async order(id) {
      const res = await fetch(new URL(`/orders/${id}`, url), { headers: { Authorization: `Bearer ${adminToken}` } });
      if (res.status === 404) return null;
      if (res.status !== 200) throw new Error(`GET /orders/${id}: ${res.status} ${await res.text()}`);
      const record = await res.json();
      return record.state === null || record.state === undefined ? null : record;
    },
    log: () => out,
    close: () => mf.dispose(),
  };
}

/**
 * An HTTP proxy on 127.0.0.1 in front of `target` (an origin) that forwards requests byte for
 * byte, or — while `down(true)` — answers every request `503` itself, at once: the OpenAPI
 * unavailable, deterministically (no connection left hanging).
 */
export async function startSwitchableProxy(target) {
  const upstream = new URL(target);
  let down = false;
  let refused = 0;
  const server = http.createServer((req, res) => {
    if (down) {
      refused += 1;
      res.writeHead(503, { "content-type": "text/html" });
      res.end("<html><body>503 Service Unavailable</body></html>");
      return;
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    /** While true, every request is answered 503 by the proxy. */
    down(value) {
      down = value;
    },
    get refused() {
      return refused;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
