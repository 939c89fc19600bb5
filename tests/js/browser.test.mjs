// The debugging page (www/) and the package's browser entry in real headless Chromium (Debian's
// `chromium` driven by playwright-core): every built-in sample, the paste hazards users hit, the
// shared vector suite inside the page, no request to any other origin, no console errors, and
// the screenshots (into docs/screenshots/ only with SCREENSHOTS=1: `make screenshots`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { installed, jsDir, prepareScratch, root } from "./lib/scratch.mjs";
import { serve } from "./lib/serve.mjs";
import { notificationVectors, realFiles, testAlipayKey } from "./lib/load.mjs";
import { realVectors } from "./lib/vectors.mjs";
import { certData } from "./lib/cert-data.mjs";
import { CERT_CODES, runCertVectors } from "./lib/cert-vectors.mjs";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Screenshots go to docs/screenshots/ only when asked (SCREENSHOTS=1, `make screenshots`) and
// where Chinese can be drawn (a CJK font is installed, e.g. Debian's fonts-noto-cjk); otherwise
// to a temporary folder, so a test run never rewrites the committed ones.
const cjkFont = (() => {
  try {
    return execFileSync("fc-list", [":lang=zh"], { encoding: "utf8" }).trim() !== "";
  } catch {
    return false;
  }
})();
let shots = join(root, "docs/screenshots");
const samples = JSON.parse(readFileSync(join(root, "www/samples.json"), "utf8"));
const sample = (id) => {
  const s = samples.find((x) => x.id === id);
  assert.ok(s, `no sample ${id}`);
  return s;
};

let server;
let origin;
let context;
let page;
let profile;
let temp;
let pkgCopy;
const requests = [];
const foreign = [];
const consoleErrors = [];

/**
 * The installed tarball (packed afresh when missing or older than the built package), copied
 * aside so that a repack during the run cannot pull the package from under the page.
 */
function installedCopy(into) {
  const built = join(root, "pkg/dist/web/alipay_notify_bg.wasm");
  const got = join(installed, "dist/web/alipay_notify_bg.wasm");
  const same = existsSync(got) && (!existsSync(built) || readFileSync(built).equals(readFileSync(got)));
  if (!same) prepareScratch();
  cpSync(installed, into, { recursive: true });
  return into;
}

async function openPage(viewport, query = "") {
  const p = await context.newPage();
  await p.setViewportSize(viewport);
  p.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(`console: ${m.text()}`);
  });
  p.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await p.goto(`${origin}/${query}`);
  const ready = await p
    .waitForFunction(() => document.body.dataset.ready, null, { timeout: 15000 })
    .then(
      () => true,
      () => false,
    );
  assert.ok(ready, `the page did not start: ${consoleErrors.join("\n")}`);
  assert.equal(
    await p.evaluate(() => document.body.dataset.ready),
    "true",
    `the page did not load the package: ${consoleErrors.join("\n")}`,
  );
  return p;
}

before(async () => {
  temp = mkdtempSync(join(tmpdir(), "alipay-notify-browser-"));
  const pkg = installedCopy(join(temp, "alipay-notify"));
  pkgCopy = pkg;
  if (!cjkFont || process.env.SCREENSHOTS !== "1") shots = join(temp, "screenshots");
  ({ server } = await serve({ port: 0, mounts: { "/pkg/": pkg, "/__test__/": join(jsDir, "lib") } }));
  origin = `http://127.0.0.1:${server.address().port}`;
  profile = join(temp, "profile");
  context = await chromium.launchPersistentContext(profile, {
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
  // Every request is logged; any that is not for the page's own origin is refused and recorded.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith(`${origin}/`) || url.startsWith("data:")) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  page = await openPage({ width: 1280, height: 900 });
});

after(async () => {
  await context?.close();
  server?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

const verdict = () =>
  page.evaluate(() => {
    const v = /** @type {HTMLElement} */ (document.querySelector('[data-testid="verdict"]'));
    return {
      status: v.dataset.status,
      variant: v.dataset.variant ?? null,
      code: v.querySelector('[data-testid="error-code"]')?.textContent ?? null,
      text: v.textContent,
      kind: /** @type {HTMLElement} */ (document.querySelector('[data-testid="kind"]'))?.dataset.kind ?? null,
      problems: [
        .../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-testid="problems"] [data-code]')),
      ].map((li) => ({
        code: li.dataset.code,
        hint: li.querySelector('[data-testid="hint"]')?.textContent ?? "",
      })),
    };
  });

/** The bytes of one value of a form body, decoded once (what Alipay signed). */
function formBytes(body, name) {
  const value = body
    .split("&")
    .find((p) => p.startsWith(`${name}=`))
    .slice(name.length + 1);
  const bytes = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === "%") {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(value[i] === "+" ? 0x20 : value.charCodeAt(i));
  }
  return Uint8Array.from(bytes);
}

/** Pastes into the inputs as a user does (input events), then waits for the debounced update. */
async function paste(body, key) {
  await page.getByTestId("key-input").fill(key);
  await page.getByTestId("body-input").fill(body);
  await page.waitForFunction(() => !document.body.dataset.pending);
  return verdict();
}

test("the page loads the package's browser entry and its wasm from /pkg/; the CSP admits the importmap", async () => {
  const html = readFileSync(join(root, "www/index.html"), "utf8");
  const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)[1];
  assert.deepEqual(JSON.parse(map), { imports: { "alipay-notify": "./pkg/index.browser.mjs" } });
  const hash = createHash("sha256").update(map).digest("base64");
  assert.ok(html.includes(`'sha256-${hash}'`), "the CSP must carry the importmap's hash");
  assert.ok(requests.includes(`${origin}/pkg/index.browser.mjs`));
  assert.ok(requests.includes(`${origin}/pkg/dist/web/alipay_notify_bg.wasm`));
  const wasm = await fetch(`${origin}/pkg/dist/web/alipay_notify_bg.wasm`);
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
  assert.equal((await verdict()).status, "idle");
  assert.match(await page.getByTestId("privacy").textContent(), /不会离开你的浏览器/);
});

test("every built-in sample shows the right verdict, variant, kind and error code", async () => {
  assert.ok(samples.length >= 12);
  const kinds = new Set();
  for (const s of samples) {
    await page.click(`[data-sample="${s.id}"]`);
    const v = await verdict();
    if (s.expect.verified) {
      assert.equal(v.status, "verified", `${s.id}: ${v.text}`);
      assert.equal(v.variant, s.expect.variant, s.id);
      assert.ok(v.text.includes(s.expect.signType), s.id);
      assert.equal(v.kind, s.expect.kind, s.id);
      assert.equal(v.code, null, s.id);
      kinds.add(v.kind);
    } else {
      assert.equal(v.status, "failed", `${s.id}: ${v.text}`);
      assert.equal(v.code, s.expect.error, s.id);
      assert.equal(v.variant, null, s.id);
      assert.ok(v.problems.length > 0 && v.problems.every((p) => p.hint.length > 0), `${s.id}: no hint`);
    }
    // The V1 / V2 sign contents shown are the package's own, character for character.
    const shown = await page.evaluate(() =>
      ["v1", "v2"].map((x) => document.querySelector(`[data-testid="sign-content-${x}"]`).textContent),
    );
    const report = JSON.parse(await page.evaluate(() => document.querySelector("#raw-json").textContent));
    assert.deepEqual(shown, [report.signContentV1, report.signContentV2], s.id);
  }
  assert.equal(kinds.size, 5, `every kind among the samples: ${[...kinds]}`);
  assert.ok(
    samples.some((s) => s.body.includes("charset=GBK") && s.expect.verified),
    "a GBK sample",
  );
});

test("a pasted tampered notification shows SIGNATURE_MISMATCH and says the content changed (not the key); V1 and V2 differ only by sign_type", async () => {
  const s = sample("order-utf-8-rsa2-spki-base64-v2");
  assert.ok(s.body.includes("total_price=0.01"));
  const v = await paste(s.body.replace("total_price=0.01", "total_price=100.00"), s.key);
  assert.equal(v.status, "failed");
  assert.equal(v.code, "SIGNATURE_MISMATCH");
  // The right key, changed content: CONTENT_CHANGED, never the wrong-key hint.
  const hint = v.problems.find((p) => p.code === "CONTENT_CHANGED");
  assert.ok(hint && /签名后被改动/.test(hint.hint), JSON.stringify(v.problems));
  assert.ok(!v.problems.some((p) => p.code === "WRONG_KEY"), JSON.stringify(v.problems));
  const diff = await page.getByTestId("sign-diff").textContent();
  assert.match(diff, /sign_type=RSA2/);
  const v2 = await page.getByTestId("sign-content-v2").textContent();
  assert.match(v2, /total_price=100\.00/);
  assert.equal(
    await page
      .locator('[data-testid="sign-content-v2"] mark')
      .allTextContents()
      .then((m) => m.join()),
    "sign_type=RSA2",
  );
  // The copy button copies the exact sign content.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  await page.getByTestId("copy-v2").click();
  let copied = "";
  for (let i = 0; i < 50 && copied !== v2; i++) {
    copied = await page.evaluate(() => navigator.clipboard.readText());
    if (copied !== v2) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(copied, v2);
});

test("a GBK notification verifies and shows readable Chinese; bytes that are not text are shown as bytes", async () => {
  const s = sample("order-gbk-rsa2-spki-pem-v1");
  const v = await paste(s.body, s.key);
  assert.equal(v.status, "verified");
  assert.equal(v.variant, "v1");
  const name = new TextDecoder("gbk").decode(formBytes(s.body, "name"));
  assert.match(name, /^[\u4e00-\u9fff]+$/, `decoded name ${name}`);
  const row = await page.locator('tr[data-param="name"] td.value').textContent();
  assert.equal(row, name);
  assert.ok((await page.locator('[data-field="name"] dd').textContent()).includes(name));
  assert.ok((await page.getByTestId("sign-content-v1").textContent()).includes(`name=${name}`));
  assert.ok(v.problems.some((p) => p.code === "GBK_DECLARED"));

  const bad = sample("charset-utf8-declared-gbk-bytes");
  const w = await paste(bad.body, bad.key);
  assert.equal(w.code, "CHARSET_MISMATCH");
  const bytes = await page.getByTestId("raw-bytes").first().textContent();
  assert.match(bytes, /(%[0-9A-F]{2}){2,}/);
});

test("the JSON dump shape of Alipay's docs verifies (escaped, and as the docs print it with biz_content unescaped)", async () => {
  const s = sample("auth-utf-8-rsa2-spki-base64-v1");
  const data = Object.fromEntries(new URLSearchParams(s.body));
  const dump = {
    headers: { "User-Agent": "Mozilla/4.0", "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8" },
    data,
    method: "POST",
    pid: "2088500000000002",
    url: "https://isv.example.com/gateway.do",
    timeout: 16000,
  };
  let v = await paste(JSON.stringify(dump, null, 2), s.key);
  assert.equal(v.status, "verified", v.text);
  assert.equal(v.variant, "v1");
  assert.equal(v.kind, "open_app_auth_notify");
  assert.equal(await page.locator("#input-notes [data-format]").getAttribute("data-format"), "json-dump");

  // As the docs show it: after `…&Data=`, biz_content not escaped, a stray character at the end.
  const marker = "@@BIZ@@";
  const docs = `ISV_GATEWAY_URL?****&Data=${JSON.stringify({ ...dump, data: { ...data, biz_content: marker } }).replace(
    `"${marker}"`,
    () => `"${data.biz_content}"`,
  )}r`;
  assert.throws(() => JSON.parse(docs.slice(docs.indexOf("{"), -1)));
  v = await paste(docs, s.key);
  assert.equal(v.status, "verified", v.text);
  assert.equal(await page.getByTestId("biz-raw").textContent(), data.biz_content);

  // A plain JSON object of params verifies too, and the page's own JSON sample does.
  v = await paste(JSON.stringify(data), s.key);
  assert.equal(v.status, "verified");
  await page.click('[data-sample="derived-json-dump"]');
  assert.equal((await verdict()).status, "verified");
});

test("a Java Map.toString() paste is read as a Java map (not as broken JSON), verifies, and says it is lossy", async () => {
  const s = sample("order-utf-8-rsa2-spki-base64-v2");
  const java = `{${[...new URLSearchParams(s.body)].map(([k, v]) => `${k}=${v}`).join(", ")}}`;
  const v = await paste(java, s.key);
  assert.equal(v.status, "verified", v.text);
  const notes = await page.getByTestId("input-notes").textContent();
  assert.equal(await page.locator("#input-notes [data-format]").getAttribute("data-format"), "java-map");
  assert.doesNotMatch(notes, /无法解析/);
  assert.match(notes, /Map\.toString\(\) 不做任何转义/);
});

test("the `¬ify_` paste is detected (PASTED_NOT_ENTITY) and fixed with one click", async () => {
  const s = sample("order-utf-8-rsa2-spki-base64-v2");
  const broken = s.body.replaceAll("&notify_", "¬ify_");
  assert.notEqual(broken, s.body);
  const v = await paste(broken, s.key);
  assert.notEqual(v.status, "verified");
  assert.ok(
    v.problems.some((p) => p.code === "PASTED_NOT_ENTITY"),
    JSON.stringify(v.problems),
  );
  await page.getByTestId("fix-not-entity").click();
  assert.equal(await page.getByTestId("body-input").inputValue(), s.body);
  const fixed = await verdict();
  assert.equal(fixed.status, "verified");
  assert.ok(!fixed.problems.some((p) => p.code === "PASTED_NOT_ENTITY"));
});

test("the page answers as the user types, shows missing-key and option errors, and switches to English", async () => {
  const s = sample("change-signed-v2-auto");
  let v = await paste(s.body, "");
  assert.equal(v.status, "error");
  assert.equal(v.code, "INVALID_PUBLIC_KEY");
  // Without a key nothing was verified: the problem list says so, never "no problems".
  const problemsText = await page.getByTestId("problems").textContent();
  assert.doesNotMatch(problemsText, /未发现问题/);
  const missing = v.problems.find((p) => p.code === "INVALID_PUBLIC_KEY");
  assert.ok(missing && /没有粘贴公钥/.test(missing.hint) && /什么都没有验证/.test(missing.hint), problemsText);
  v = await paste(s.body, s.key);
  assert.equal(v.status, "verified");
  assert.equal(v.variant, "v2");
  assert.ok(await page.getByTestId("deadline").isVisible());
  await page.getByTestId("opt-variant").selectOption("v1");
  v = await verdict();
  assert.equal(v.code, "SIGNATURE_MISMATCH");
  await page.getByTestId("opt-variant").selectOption("auto");
  await page.click('[data-lang="en"]');
  v = await verdict();
  assert.match(v.text, /Verified/);
  assert.equal(await page.locator("h1").textContent(), "Alipay notification debugger");
  await page.click('[data-lang="zh"]');
  assert.match((await verdict()).text, /验签通过/);
});

test("certificate mode: a certificate as the key shows its SN; a root bundle adds the root SN and the chain's verdict", async () => {
  const data = certData();
  const fx = data.fixture;
  const productionRoot = data.certSn.vectors[2];
  const certInfo = () =>
    page.evaluate(() => {
      const box = /** @type {HTMLElement} */ (document.querySelector('[data-testid="cert-info"]'));
      const chain = /** @type {HTMLElement} */ (box.querySelector('[data-testid="chain-verdict"]'));
      const check = /** @type {HTMLElement} */ (box.querySelector('[data-testid="cert-sn-check"]'));
      return {
        hidden: box.hidden,
        certSn: box.querySelector('[data-testid="cert-sn"]')?.textContent ?? null,
        rootSn: box.querySelector('[data-testid="root-sn"]')?.textContent ?? null,
        chain: chain ? { status: chain.dataset.status, code: chain.dataset.code ?? null } : null,
        snMatch: check ? check.dataset.match : null,
        text: box.textContent,
      };
    });
  const pasteAll = async (body, key, root) => {
    await page.getByTestId("root-input").fill(root);
    return paste(body, key);
  };
  const hinted = (v, code) => v.problems.some((p) => p.code === code && p.hint.length > 0);

  // The built-in certificate-mode sample (real, from Alipay's .NET SDK tests): verified with the
  // key taken from the certificate; the SN is the one Alipay's SDKs compute.
  const s = sample("certmode-v2-rsa2-utf8-chinese-dotnet");
  assert.match(s.key, /^-----BEGIN CERTIFICATE-----/);
  await page.click(`[data-sample="${s.id}"]`);
  let v = await verdict();
  assert.equal(v.status, "verified", v.text);
  assert.equal(v.variant, "v2");
  let c = await certInfo();
  assert.equal(c.hidden, false);
  assert.equal(c.certSn, data.certmode[2].verification.results["derived appCertSn (getSN)"]);
  assert.equal(c.certSn, "47a27aac8ae3b5c589576f371da36dc2");
  assert.equal(c.rootSn, null);
  assert.equal(c.chain, null);

  // The production root bundle: its SN, and this certificate (no intermediate in its file)
  // does not chain to it — in the panel and in the verdict, with a hint.
  await page.locator('[data-testid="cert-mode"] summary').click();
  assert.equal(await page.getByTestId("root-input").isVisible(), true);
  v = await pasteAll(s.body, s.key, productionRoot.pem);
  c = await certInfo();
  assert.equal(c.rootSn, productionRoot.sn_alipay_sdk_4_14_getSN);
  assert.deepEqual(c.chain, { status: "failed", code: "CERT_UNTRUSTED" });
  assert.equal(v.status, "failed");
  assert.equal(v.code, "CERT_UNTRUSTED");
  assert.ok(hinted(v, "CERT_UNTRUSTED"), JSON.stringify(v.problems));

  // A notification signed by the key of a certificate that chains to the pasted root.
  v = await pasteAll(fx.signed, fx.leafPem, fx.rootPem);
  assert.equal(v.status, "verified", v.text);
  assert.equal(v.variant, "v1");
  c = await certInfo();
  assert.equal(c.certSn, fx.leafSn);
  assert.equal(c.rootSn, fx.rootSn);
  assert.deepEqual(c.chain, { status: "ok", code: null });
  assert.equal(c.snMatch, "true");
  assert.match(c.text, /可信/);

  // Validly signed, but alipay_cert_sn names another certificate.
  v = await pasteAll(fx.signedOtherSn, fx.leafPem, "");
  assert.equal(v.code, "CERT_SN_MISMATCH");
  assert.ok(hinted(v, "CERT_SN_MISMATCH"), JSON.stringify(v.problems));
  c = await certInfo();
  assert.equal(c.snMatch, "false");
  assert.equal(c.chain, null, "no root bundle, no chain");

  // A bare key with a root bundle: nothing to chain; verifyNotification refuses the options.
  v = await pasteAll(fx.signedNoSn, fx.bareKey, fx.rootPem);
  assert.equal(v.status, "error");
  assert.equal(v.code, "INVALID_OPTIONS");
  c = await certInfo();
  assert.equal(c.certSn, null);
  assert.deepEqual(c.chain, { status: "na", code: null });
  assert.equal(c.rootSn, fx.rootSn);

  // A certificate block that is not a certificate: the panel says why, the verdict has no key.
  v = await pasteAll(fx.signed, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "");
  assert.equal(v.code, "INVALID_PUBLIC_KEY");
  c = await certInfo();
  assert.equal(c.certSn, null);
  assert.match(c.text, /INVALID_CERTIFICATE/);

  // A bare key alone: no certificate panel.
  await pasteAll(fx.signedNoSn, fx.bareKey, "");
  assert.equal((await certInfo()).hidden, true);

  // The help text names certificate mode, in Chinese first and in English.
  assert.match(
    await page.locator('[data-i18n="keyHelp"]').textContent(),
    /公钥证书模式.*alipayCertPublicKey_RSA2\.crt/,
  );
  await page.click('[data-lang="en"]');
  assert.match(
    await page.locator('[data-i18n="keyHelp"]').textContent(),
    /Certificate mode.*alipayCertPublicKey_RSA2\.crt/,
  );
  assert.match(await page.locator('[data-i18n="certMode"]').textContent(), /Certificate mode/);
  await page.click('[data-lang="zh"]');
  assert.match(await page.locator('[data-i18n="certMode"]').textContent(), /公钥证书模式/);
});

test("the certificate-mode vectors run in Chromium through the browser entry, as in Node", async () => {
  const data = certData();
  const out = await page.evaluate(async (data) => {
    const api = await import("alipay-notify");
    await api.default();
    // @ts-expect-error: a path the test server maps to tests/js/lib, imported inside the page.
    const { runCertVectors } = await import("/__test__/cert-vectors.mjs");
    return runCertVectors(api, data);
  }, data);
  assert.deepEqual(out.mismatches, []);
  assert.ok(out.count >= 500, `only ${out.count} checks`);
  for (const code of CERT_CODES) assert.ok(out.codes.includes(code), `no vector produced ${code} in Chromium`);
  const node = await import(pathToFileURL(join(pkgCopy, "index.node.mjs")).href);
  assert.deepEqual(out, runCertVectors(node, data));
});

test("the shared vector suite runs in Chromium through the browser entry, in the page", async () => {
  const vectors = [...notificationVectors(), ...realVectors(realFiles())];
  const out = await page.evaluate(
    async ({ vectors, key }) => {
      const api = await import("alipay-notify");
      await api.default();
      // @ts-expect-error: a path the test server maps to tests/js/lib, imported inside the page.
      const { runVectors, runHostile } = await import("/__test__/vectors.mjs");
      const result = runVectors(api, vectors);
      const hostile = runHostile(api, 1000, key);
      const after = runVectors(
        api,
        vectors.filter((v) => v.expect.verified),
      );
      return { result, hostile, after, ua: navigator.userAgent };
    },
    { vectors, key: testAlipayKey() },
  );
  assert.match(out.ua, /Chrome\//);
  assert.deepEqual(out.result.mismatches, []);
  assert.equal(out.result.count, vectors.length);
  assert.ok(out.result.count >= 90);
  assert.ok(out.result.codes.includes("SIGNATURE_MISMATCH") && out.result.codes.includes("INVALID_ARGUMENT"));
  assert.ok(out.hostile.calls >= 6000);
  assert.deepEqual(out.hostile.bad, []);
  assert.deepEqual(out.after.mismatches, []);
  assert.ok(out.after.count > 50);
});

/** The page from `from` (a selector's top, or 0) down to the bottom of `to` plus a margin. */
async function shoot(p, file, to, from = null) {
  const box = await p.evaluate(
    ([to, from]) => {
      const top = from ? document.querySelector(from).getBoundingClientRect().top + scrollY - 12 : 0;
      const bottom = document.querySelector(to).getBoundingClientRect().bottom + scrollY + 12;
      return { top: Math.max(0, Math.floor(top)), bottom: Math.ceil(bottom) };
    },
    [to, from],
  );
  const width = p.viewportSize().width;
  const png = await p.screenshot({ fullPage: true, clip: { x: 0, y: box.top, width, height: box.bottom - box.top } });
  const path = join(shots, file);
  // Rendering differs by a few anti-aliased pixels between runs: keep the file unless it changed.
  if (!existsSync(path) || !(await looksSame(readFileSync(path), png))) writeFileSync(path, png);
}

/** Same size, and at most 1 pixel in 2,000 visibly different. */
function looksSame(a, b) {
  return page.evaluate(
    async ([a, b]) => {
      const pixels = async (data) => {
        const img = new Image();
        img.src = `data:image/png;base64,${data}`;
        await img.decode();
        const canvas = new OffscreenCanvas(img.width, img.height);
        const ctx = canvas.getContext("2d");
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, img.width, img.height);
      };
      const [x, y] = await Promise.all([pixels(a), pixels(b)]);
      if (x.width !== y.width || x.height !== y.height) return false;
      let differ = 0;
      for (let i = 0; i < x.data.length; i += 4) {
        if (
          Math.max(
            Math.abs(x.data[i] - y.data[i]),
            Math.abs(x.data[i + 1] - y.data[i + 1]),
            Math.abs(x.data[i + 2] - y.data[i + 2]),
          ) > 24
        )
          differ++;
      }
      return differ <= (x.width * x.height) / 2000;
    },
    [a.toString("base64"), b.toString("base64")],
  );
}

/** A fresh page showing one sample, so the pictures do not depend on what earlier tests did. */
async function samplePage(viewport, lang, id) {
  const p = await openPage(viewport, `?lang=${lang}`);
  await p.click(`[data-sample="${id}"]`);
  await p.mouse.move(0, 0);
  await p.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
  return p;
}

test("screenshots: desktop and phone width (no sideways scrolling on a phone)", async (t) => {
  if (process.env.SCREENSHOTS === "1" && !cjkFont)
    t.diagnostic("no CJK font installed: screenshots taken but not written to docs/screenshots/");
  mkdirSync(shots, { recursive: true });
  const desktop = { width: 1280, height: 900 };
  let p = await samplePage(desktop, "zh", "change-signed-v2-auto");
  await shoot(p, "page-desktop.png", '[data-testid="status"]');
  await p.close();
  p = await samplePage(desktop, "en", "mismatch-tampered-total-price");
  await shoot(p, "page-desktop-en-failed.png", "#problems-card");
  await p.close();

  p = await samplePage({ width: 390, height: 844 }, "zh", "order-gbk-rsa2-spki-pem-v1");
  const widths = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(widths[0] <= widths[1], `page is ${widths[0]}px wide in a ${widths[1]}px window`);
  await shoot(p, "page-phone.png", '[data-field="miniappReleaseBundle"]', ".inputs");
  await p.close();
});

test("no request left for any origin but the page's own, and the console stayed clean", () => {
  assert.ok(requests.length > 0);
  assert.deepEqual(foreign, []);
  assert.deepEqual(consoleErrors, []);
});
