// Both examples run from the checkout exactly as their READMEs say, with `alipay-notify`
// resolved through the npm workspaces (the root package.json) to pkg/ — nothing packed or
// published: `node examples/node/server.mjs` over HTTP, and `npx wrangler dev` in examples/worker
// (workerd, local KV and Queue). Needs `make build` and the root `npm ci` (`.ci/setup js`).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify, stripVTControlCharacters } from "node:util";
import { bin, root } from "./lib/scratch.mjs";
import { testAlipayKey } from "./lib/load.mjs";
import { APP_ID, KINDS, documentedVariant, notificationParams, signNotification } from "./lib/sign.mjs";

const run = promisify(execFile);
const children = [];
const temps = [];

after(() => {
  for (const c of children) {
    try {
      process.kill(-c.pid, "SIGTERM"); // the whole group: wrangler runs workerd as a child
    } catch {
      // already gone
    }
  }
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** Starts `cmd` in its own process group; resolves with the first match of `ready` in its output. */
function start(cmd, args, { cwd, env, ready, timeout = 60000 }) {
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.push(child);
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start:\n${out}`)), timeout);
    const onData = (d) => {
      out += d;
      const m = ready.exec(stripVTControlCharacters(out));
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited (${code}):\n${out}`));
    });
  });
}

/** A port nobody listens on right now. */
function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

async function post(url, body) {
  const res = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
  });
  return { status: res.status, text: await res.text() };
}

const signed = (kind, i) => signNotification(notificationParams(kind, i), { variant: documentedVariant(kind) });

/** What a gateway from the checkout answers: `success` for each kind, once per notification; coded 4xx otherwise. */
async function exercise(url, what) {
  for (const [i, kind] of KINDS.entries()) {
    const r = await post(url, signed(kind, 900 + i));
    assert.deepEqual(r, { status: 200, text: "success" }, `${what}: ${kind}`);
  }
  const again = await post(url, signed(KINDS[0], 900));
  assert.deepEqual(again, { status: 200, text: "success" }, `${what}: a retry is acknowledged`);
  const tampered = signed(KINDS[0], 901).replace(/total_price=[^&]*/, "total_price=9999.00");
  const bad = await post(url, tampered);
  assert.equal(bad.status, 400, `${what}: tampered (${bad.text})`);
  assert.deepEqual(JSON.parse(bad.text), { code: "SIGNATURE_MISMATCH" });
}

test("examples/node resolves alipay-notify to the checkout's pkg/ (npm workspaces)", async () => {
  const { stdout } = await run(
    process.execPath,
    ["--input-type=module", "-e", 'console.log(import.meta.resolve("alipay-notify"))'],
    {
      cwd: join(root, "examples/node"),
    },
  );
  assert.equal(stdout.trim(), pathToFileURL(join(realpathSync(root), "pkg/index.node.mjs")).href);
});

test("`node examples/node/server.mjs` from the checkout answers over HTTP", async () => {
  const state = mkdtempSync(join(tmpdir(), "alipay-checkout-node-"));
  temps.push(state);
  const [, url] = await start(process.execPath, [join(root, "examples/node/server.mjs")], {
    cwd: root,
    env: {
      ALIPAY_PUBLIC_KEY: testAlipayKey(),
      ALIPAY_APP_ID: APP_ID,
      ALIPAY_DB: join(state, "alipay-notify.db"), // its SQLite store, outside the checkout
      PORT: "0",
      HOST: "127.0.0.1",
      GATEWAY_PATH: "/notify",
    },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+\/notify)/,
  });
  await exercise(url, "node");
});

test("`npx wrangler dev` in examples/worker serves the Worker in workerd, alipay-notify from pkg/", async () => {
  const state = mkdtempSync(join(tmpdir(), "alipay-checkout-worker-"));
  temps.push(state);
  const port = await freePort();
  const [, url] = await start(
    bin("wrangler"),
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      state,
      "--var",
      `ALIPAY_PUBLIC_KEY:${testAlipayKey()}`,
      "--var",
      `ALIPAY_APP_ID:${APP_ID}`,
      "--show-interactive-dev-session=false",
    ],
    {
      cwd: join(root, "examples/worker"),
      env: { WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" },
      ready: /Ready on (http:\/\/127\.0\.0\.1:\d+)/,
    },
  );
  await exercise(`${url}/`, "worker");
  const wrongApp = await post(
    `${url}/`,
    signNotification({ ...notificationParams(KINDS[3], 950), app_id: "2021000000000001" }),
  );
  assert.equal(wrongApp.status, 400);
  assert.deepEqual(JSON.parse(wrongApp.text), { code: "APP_ID_MISMATCH" });
});
