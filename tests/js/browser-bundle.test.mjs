// The package as a bundled browser app uses it: a small page (bundle-page/) importing
// `alipay-notify` and its wasm through the exports map (`alipay-notify/alipay_notify_bg.wasm`),
// built by esbuild from a project where the packed tarball is installed, served on 127.0.0.1 and
// run in headless Chromium. The page loads the wasm the documented way (`init(url)` with the
// asset's URL) and verifies real notifications from www/samples.json.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { installPacked, jsDir, packedTarball, root, scratch } from "./lib/scratch.mjs";
import { serve } from "./lib/serve.mjs";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const samples = JSON.parse(readFileSync(join(root, "www/samples.json"), "utf8"));
const picked = ["order-utf-8-rsa2-spki-base64-v2", "change-gbk-rsa2-pkcs1-pem-v1", "mismatch-tampered-total-price"].map(
  (id) => samples.find((s) => s.id === id) ?? assert.fail(`no sample ${id}`),
);

const project = join(scratch, "bundle-project");
const out = join(project, "dist");
let server;
let origin;
let context;
let metafile;
const requests = [];
const problems = [];

before(async () => {
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  const pkg = installPacked(project, packedTarball());
  for (const f of ["main.js", "index.html"]) copyFileSync(join(jsDir, "bundle-page", f), join(project, f));
  const result = await build({
    absWorkingDir: project,
    entryPoints: ["main.js"],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir: out,
    loader: { ".wasm": "file" },
    assetNames: "[name]-[hash]",
    metafile: true,
    logLevel: "silent",
  });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.warnings, [], "esbuild warned");
  metafile = result.metafile;
  // The notifications go into the page as JSON (`<` escaped: the text sits inside a <script>).
  const data = JSON.stringify(picked.map(({ id, body, key }) => ({ id, body, key }))).replaceAll("<", "\\u003c");
  writeFileSync(
    join(out, "index.html"),
    readFileSync(join(project, "index.html"), "utf8").replace('id="notifications">[]<', `id="notifications">${data}<`),
  );
  assert.ok(readFileSync(join(pkg, "package.json"), "utf8").includes('"./alipay_notify_bg.wasm"'));
  ({ server } = await serve({ port: 0, mounts: { "/app/": out } }));
  origin = `http://127.0.0.1:${server.address().port}`;
  context = await chromium.launchPersistentContext(join(project, "profile"), {
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  // Only the page's own origin is reachable; anything else is refused and recorded.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith(`${origin}/`)) return route.continue();
    problems.push(`foreign request: ${url}`);
    return route.abort();
  });
});

after(async () => {
  await context?.close();
  await new Promise((resolve) => (server ? server.close(() => resolve(undefined)) : resolve(undefined)));
});

test("esbuild emits the package's browser wasm as an asset, byte for byte, and bundles the browser entry", () => {
  const assets = readdirSync(out).filter((f) => f.endsWith(".wasm"));
  assert.equal(assets.length, 1, `one wasm asset: ${assets}`);
  assert.match(assets[0], /^alipay_notify_bg-[A-Z0-9]+\.wasm$/);
  const shipped = readFileSync(join(project, "node_modules/alipay-notify/dist/web/alipay_notify_bg.wasm"));
  assert.ok(readFileSync(join(out, assets[0])).equals(shipped), "the emitted wasm is the package's verify-only one");
  const inputs = Object.keys(metafile.inputs);
  assert.ok(inputs.includes("node_modules/alipay-notify/index.browser.mjs"), inputs.join("\n"));
  assert.ok(
    !inputs.some((f) => f.includes("index.node") || f.includes("dist/node/")),
    "no Node entry in a browser bundle",
  );
});

test("the bundled page loads the wasm through init(url) and verifies real notifications in Chromium", async () => {
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(`${origin}/app/`);
  await page
    .waitForFunction(() => document.body.dataset.results, null, { timeout: 15_000 })
    .catch(() => {
      assert.fail(`the page gave no results: ${problems.join("\n")}`);
    });
  const results = JSON.parse(await page.evaluate(() => document.body.dataset.results));
  assert.deepEqual(results, {
    "order-utf-8-rsa2-spki-base64-v2": { verified: true, kind: "servicemarket_order_notify", variant: "v2" },
    "change-gbk-rsa2-pkcs1-pem-v1": {
      verified: true,
      kind: "alipay.open.servicemarket.order.change.notify",
      variant: "v1",
    },
    "mismatch-tampered-total-price": { error: "SIGNATURE_MISMATCH" },
  });
  const shown = await page.locator("#results li").allTextContents();
  assert.equal(shown.length, 3);
  assert.match(shown[2], /refused \(SIGNATURE_MISMATCH\)/);
  const wasm = requests.filter((u) => u.endsWith(".wasm"));
  assert.deepEqual(
    wasm.map((u) => new URL(u).pathname.replace(/-[A-Z0-9]+\.wasm$/, ".wasm")),
    ["/app/alipay_notify_bg.wasm"],
  );
  assert.deepEqual(problems, []);
  await page.close();
});
