// The debugging page's request and response modes in real headless Chromium (as
// browser.test.mjs): requests sent by alipay-sdk@4.14.0 (the captures of
// tests/vectors/openapi/requests.json) and by this package's own client (`signV3Request` /
// `signV2Request` from the packed tarball) show "signature matches" with the string Alipay
// verifies; every mistake of the reference's pitfalls — made on purpose by signing the wrong
// string with node:crypto, or by pasting the wrong key — gets its own hint; good and tampered
// responses (v3 and v2) verify or say why not. Nothing leaves the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, sign as rsaSign } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { installed, prepareScratch, root } from "./lib/scratch.mjs";
import { serve } from "./lib/serve.mjs";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const vectors = join(root, "tests/vectors/openapi");
const keyText = (name) => readFileSync(join(vectors, "keys", name), "utf8");
const cases = JSON.parse(readFileSync(join(vectors, "requests.json"), "utf8")).cases;
const captured = (id) => {
  const c = cases.find((x) => x.id === id);
  assert.ok(c, `no captured case ${id}`);
  return c;
};
const APP_PUBLIC = keyText("app-public.pem");
const APP_PRIVATE = keyText("app-private-pkcs1.pem");
const ALIPAY_PUBLIC = keyText("alipay-public.pem");

/** RSA2 over `text` with the app private key: node:crypto, never the code under test. */
const signWith = (text, key = APP_PRIVATE) => rsaSign("sha256", Buffer.from(text, "utf8"), key).toString("base64");

/** A request as a proxy log shows it: request line, headers, blank line, body. */
const asPasted = (method, target, headers, body) =>
  `${method} ${target} HTTP/1.1\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n")}\n\n${body}`;
const capturedText = (c) => asPasted(c.request.method, c.request.target, c.request.headers, c.request.body);

/** The v3 request `text` with its authorization's sign made over `signed` instead. */
const resignV3 = (text, signed) => text.replace(/,sign=[^\n]*/, `,sign=${signWith(signed)}`);

let server;
let origin;
let context;
let page;
let temp;
let client;
const foreign = [];
const consoleErrors = [];

before(async () => {
  temp = mkdtempSync(join(tmpdir(), "alipay-notify-browser-request-"));
  // The installed tarball (packed afresh when older than the built package), copied aside.
  const built = join(root, "pkg/dist/web/alipay_notify_bg.wasm");
  const got = join(installed, "dist/web/alipay_notify_bg.wasm");
  if (!existsSync(got) || (existsSync(built) && !readFileSync(built).equals(readFileSync(got)))) prepareScratch();
  const pkg = join(temp, "alipay-notify");
  cpSync(installed, pkg, { recursive: true });
  client = await import(pathToFileURL(join(pkg, "client.node.mjs")).href);
  ({ server } = await serve({ port: 0, mounts: { "/pkg/": pkg } }));
  origin = `http://127.0.0.1:${server.address().port}`;
  context = await chromium.launchPersistentContext(join(temp, "profile"), {
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
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith("data:")) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), "true", consoleErrors.join("\n"));
});

after(async () => {
  await context?.close();
  server?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/** What the request mode shows. */
const requestView = () =>
  page.evaluate(() => {
    const v = /** @type {HTMLElement} */ (document.querySelector('[data-testid="request-verdict"]'));
    const instead = document.querySelector('[data-testid="request-instead"]');
    return {
      status: v.dataset.status,
      verdict: v.dataset.verdict ?? null,
      code: v.dataset.code ?? null,
      text: v.textContent,
      sign: document.querySelector('[data-testid="request-sign"]')?.textContent ?? "",
      instead: instead?.textContent ?? null,
      problems: [
        .../** @type {NodeListOf<HTMLElement>} */ (
          document.querySelectorAll('[data-testid="request-problems"] [data-code]')
        ),
      ].map((li) => ({ code: li.dataset.code, hint: li.querySelector('[data-testid="hint"]')?.textContent ?? "" })),
    };
  });

/** What the response mode shows. */
const responseView = () =>
  page.evaluate(() => {
    const v = /** @type {HTMLElement} */ (document.querySelector('[data-testid="response-verdict"]'));
    return {
      status: v.dataset.status,
      code: v.dataset.code ?? null,
      text: v.textContent,
      sign: document.querySelector('[data-testid="response-sign"]')?.textContent ?? null,
      problems: [
        .../** @type {NodeListOf<HTMLElement>} */ (
          document.querySelectorAll('[data-testid="response-problems"] [data-code]')
        ),
      ].map((li) => ({ code: li.dataset.code, hint: li.querySelector('[data-testid="hint"]')?.textContent ?? "" })),
    };
  });

async function mode(name) {
  await page.click(`[data-mode="${name}"]`);
  assert.equal(await page.evaluate(() => document.body.dataset.mode), name);
}

/** Pastes into the request mode as a user does, then waits for the debounced update. */
async function pasteRequest(text, key) {
  await page.getByTestId("app-key-input").fill(key);
  await page.getByTestId("request-input").fill(text);
  await page.waitForFunction(() => !document.body.dataset.pending);
  return requestView();
}

async function pasteResponse(text, key) {
  await page.getByTestId("response-key-input").fill(key);
  await page.getByTestId("response-input").fill(text);
  await page.waitForFunction(() => !document.body.dataset.pending);
  return responseView();
}

/** The line breaks of a string to sign as the page shows them (↵ before each). */
const shown = (s) => s.replaceAll("\n", "↵\n");

test("the modes switch; the request mode without a key says nothing was verified", async () => {
  assert.equal(await page.getByTestId("request-input").isVisible(), false);
  await mode("request");
  assert.equal(await page.getByTestId("request-input").isVisible(), true);
  assert.equal(await page.getByTestId("body-input").isVisible(), false);
  const c = captured("key/v3/orderQuery/no-token");
  const v = await pasteRequest(capturedText(c), "");
  assert.equal(v.verdict, "not_checked");
  assert.equal(v.code, "INVALID_PUBLIC_KEY");
  assert.deepEqual(
    v.problems.map((p) => p.code),
    ["KEY_MISSING"],
  );
  assert.match(v.problems[0].hint, /什么都没有验证/);
  assert.equal(v.sign, shown(c.stringToSign), "the string is shown, line breaks visible");
});

test("requests sent by alipay-sdk@4.14.0 (v3 GET/POST with and without token, v2, certificate mode): signature matches", async () => {
  await mode("request");
  const ids = [
    "key/v3/orderQuery/no-token",
    "key/v3/orderQuery/token",
    "key/v3/orderAccept/token",
    "cert/v3/orderItemConfirm/token",
    "key/v2/orderQuery/no-token",
    "key/v2/orderQuery/token",
    "cert/v2/orderAccept/no-token",
  ];
  for (const id of ids) {
    const c = captured(id);
    const v = await pasteRequest(capturedText(c), APP_PUBLIC);
    assert.equal(v.verdict, "matches", `${id}: ${v.text} ${JSON.stringify(v.problems)}`);
    assert.equal(v.status, "verified", id);
    assert.match(v.text, /签名匹配/, id);
    assert.equal(v.sign, shown(c.stringToSign), id);
    assert.deepEqual(v.problems, [], id);
  }
});

test("requests signed by this package's client (signV3Request, signV2Request): signature matches", async () => {
  await mode("request");
  const config = { appId: "2021000000000001", privateKey: APP_PRIVATE };
  const v3 = await client.signV3Request(config, {
    method: "alipay.open.servicemarket.order.item.confirm",
    params: { commodity_order_id: "20250102000000000012345", shop_id: "2015052000077000000000182140" },
    appAuthToken: "202501BBa1b2c3d4e5f60718293a4b5c6d7e8X56",
  });
  let v = await pasteRequest(asPasted(v3.httpMethod, v3.target, v3.headers, v3.body), APP_PUBLIC);
  assert.equal(v.verdict, "matches", JSON.stringify(v.problems));
  assert.equal(v.sign, shown(v3.stringToSign));
  const v2 = await client.signV2Request(config, {
    method: "alipay.open.servicemarket.order.query",
    params: { commodity_order_id: "20250102000000000012345", start_page: "1" },
  });
  v = await pasteRequest(asPasted("POST", `/gateway.do${v2.target}`, v2.headers, v2.body), APP_PUBLIC);
  assert.equal(v.verdict, "matches", JSON.stringify(v.problems));
  assert.equal(v.sign, v2.stringToSign);
});

/** Asserts the request shows a mismatch explained by exactly `code`, with the string it signed. */
async function expectHint(text, key, code, signed, hintPattern) {
  const v = await pasteRequest(text, key);
  assert.equal(v.verdict, "mismatch", `${code}: ${v.text}`);
  assert.equal(v.code, "SIGNATURE_MISMATCH", code);
  assert.deepEqual(
    v.problems.map((p) => p.code),
    [code],
  );
  assert.match(v.problems[0].hint, hintPattern, code);
  if (signed !== null) assert.equal(v.instead, shown(signed), code);
  return v;
}

test("v3 mistakes, each signed on purpose with node:crypto, get their own hint and the string they signed", async () => {
  await mode("request");
  const token = captured("key/v3/orderAccept/token");
  const post = captured("key/v3/orderAccept/no-token");
  const get = captured("key/v3/orderQuery/no-token");

  // The alipay-app-auth-token header sent, its line left out of the signed string.
  const noTokenLine = token.stringToSign.replace(/\n[^\n]+\n$/, "\n");
  assert.notEqual(noTokenLine, token.stringToSign);
  await expectHint(
    resignV3(capturedText(token), noTokenLine),
    APP_PUBLIC,
    "TOKEN_LINE_MISSING",
    noTokenLine,
    /最后一行/,
  );

  // No token header, but an (empty) token line signed.
  const extraLine = `${post.stringToSign}\n`;
  await expectHint(resignV3(capturedText(post), extraLine), APP_PUBLIC, "TOKEN_LINE_WITHOUT_HEADER", extraLine, /空的/);

  // GET: the path signed without its query string.
  const target = get.request.target;
  const pathOnly = get.stringToSign.replace(target, target.split("?")[0]);
  await expectHint(resignV3(capturedText(get), pathOnly), APP_PUBLIC, "QUERY_NOT_SIGNED", pathOnly, /查询串/);

  // POST: the body signed pretty-printed, sent compact (a re-serialised body).
  const body = post.request.body;
  const pretty = post.stringToSign.replace(body, JSON.stringify(JSON.parse(body), null, 2));
  await expectHint(resignV3(capturedText(post), pretty), APP_PUBLIC, "BODY_RESERIALISED", pretty, /同一段文本/);
});

test("v2 mistakes: an empty value signed, and a timestamp in the server's local time", async () => {
  await mode("request");
  const c = captured("key/v2/orderQuery/no-token");
  const params = [...c.request.query, ...c.request.form].filter(([k]) => k !== "sign");
  const signString = (list, keepEmpty) =>
    list
      .filter(([, v]) => keepEmpty || v !== "")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
  const request = (list, signed) => {
    const all = [...list, ["sign", signWith(signed)]];
    const query = new URLSearchParams(all.filter(([k]) => k !== "biz_content")).toString();
    const body = new URLSearchParams(all.filter(([k]) => k === "biz_content")).toString();
    return `POST /gateway.do?${query} HTTP/1.1\ncontent-type: application/x-www-form-urlencoded;charset=utf-8\n\n${body}`;
  };
  // alipay-sdk's `appAuthToken: ''`: sent empty, signed as `app_auth_token=`.
  const withEmpty = [...params, ["app_auth_token", ""]];
  const kept = signString(withEmpty, true);
  assert.match(kept, /^app_auth_token=&/);
  const v = await expectHint(request(withEmpty, kept), APP_PUBLIC, "EMPTY_VALUE_SIGNED", kept, /去掉空值/);
  assert.equal(v.sign, signString(withEmpty, false), "the string Alipay verifies drops it");

  // A UTC server formats the timestamp in its own zone: signed correctly, but not Beijing time.
  const utcNow = new Date().toISOString().slice(0, 19).replace("T", " ");
  const local = params.map(([k, v]) => [k, k === "timestamp" ? utcNow : v]);
  const w = await pasteRequest(request(local, signString(local, false)), APP_PUBLIC);
  assert.equal(w.verdict, "matches", "the signature is right; the clock is not");
  assert.deepEqual(
    w.problems.map((p) => p.code),
    ["TIMESTAMP_NOT_BEIJING"],
  );
  assert.match(w.problems[0].hint, /UTC\+0/);
  assert.match(w.problems[0].hint, /北京时间/);
});

test("keys: the Alipay public key pasted, a private key pasted, PKCS#1/PKCS#8 and armour mix-ups", async () => {
  await mode("request");
  const text = capturedText(captured("key/v3/orderAccept/token"));
  const codes = async (key) => (await pasteRequest(text, key)).problems.map((p) => p.code);

  // The Alipay public key where the app public key belongs: WRONG_KEY, naming the swap.
  let v = await pasteRequest(text, ALIPAY_PUBLIC);
  assert.equal(v.verdict, "mismatch");
  assert.deepEqual(
    v.problems.map((p) => p.code),
    ["WRONG_KEY"],
  );
  assert.match(v.problems[0].hint, /支付宝公钥/);
  // The app private key pasted: checked with its public half, and said so.
  v = await pasteRequest(text, APP_PRIVATE);
  assert.equal(v.verdict, "matches");
  assert.deepEqual(
    v.problems.map((p) => p.code),
    ["PRIVATE_KEY_GIVEN"],
  );
  // PKCS#8 under the PKCS#1 label (what makes Node's signer fail with DECODER routines::unsupported).
  const pkcs8 = createPrivateKey(APP_PRIVATE).export({ type: "pkcs8", format: "pem" }).toString();
  assert.deepEqual(await codes(pkcs8.replaceAll("PRIVATE KEY", "RSA PRIVATE KEY")), [
    "PRIVATE_KEY_GIVEN",
    "PRIVATE_KEY_ARMOUR",
  ]);
  // An SPKI public key under the PKCS#1 public label, and a PKCS#1 one under the SPKI label.
  assert.deepEqual(await codes(APP_PUBLIC.replaceAll("PUBLIC KEY", "RSA PUBLIC KEY")), ["KEY_ARMOUR"]);
  const pkcs1 = createPublicKey(APP_PUBLIC).export({ type: "pkcs1", format: "pem" }).toString();
  assert.deepEqual(await codes(pkcs1), [], "PKCS#1 under its own label is fine");
  assert.deepEqual(await codes(pkcs1.replaceAll("RSA PUBLIC KEY", "PUBLIC KEY")), ["KEY_ARMOUR"]);
  v = await pasteRequest(text, "not a key");
  assert.equal(v.code, "INVALID_PUBLIC_KEY");
  assert.deepEqual(
    v.problems.map((p) => p.code),
    ["KEY_UNREADABLE"],
  );
});

test("responses: v3 and v2 from the captures verify with the Alipay public key; tampered ones and the wrong key say why", async () => {
  await mode("response");
  const v3 = captured("key/v3/orderQuery/no-token").response;
  const v3Text = (headers, body) =>
    `HTTP/1.1 200 OK\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n")}\n\n${body}\n`;
  let v = await pasteResponse(v3Text(v3.headers, v3.body), ALIPAY_PUBLIC);
  assert.equal(v.status, "verified", `${v.text} ${JSON.stringify(v.problems)}`);
  assert.equal(v.sign, shown(`${v3.headers["alipay-timestamp"]}\n${v3.headers["alipay-nonce"]}\n${v3.body}\n`));
  assert.ok(
    v.problems.some((p) => p.code === "BODY_TRIMMED"),
    "the editor's trailing newline is named",
  );

  v = await pasteResponse(v3Text(v3.headers, v3.body.replace("MERCHANT_ORDED", "MERCHANT_PAID")), ALIPAY_PUBLIC);
  assert.equal(v.status, "failed");
  assert.equal(v.code, "SIGNATURE_MISMATCH");
  // The right key over changed text: CONTENT_CHANGED, never the wrong-key hint.
  assert.equal(v.problems[0].code, "CONTENT_CHANGED");
  assert.match(v.problems[0].hint, /被改动/);
  assert.ok(!v.problems.some((p) => p.code === "WRONG_KEY"));
  // The app public key pasted instead of the Alipay public key.
  v = await pasteResponse(v3Text(v3.headers, v3.body), APP_PUBLIC);
  assert.equal(v.code, "SIGNATURE_MISMATCH");
  assert.equal(v.problems[0].code, "WRONG_KEY");
  assert.match(v.problems[0].hint, /应用公钥/);
  // A header missing.
  const { "alipay-nonce": _nonce, ...noNonce } = v3.headers;
  v = await pasteResponse(v3Text(noNonce, v3.body), ALIPAY_PUBLIC);
  assert.equal(v.code, "MISSING_PARAMETER");
  assert.match(v.problems[0].hint, /alipay-nonce/);

  const v2 = captured("key/v2/orderQuery/no-token").response;
  v = await pasteResponse(v2.body, ALIPAY_PUBLIC);
  assert.equal(v.status, "verified", `${v.text} ${JSON.stringify(v.problems)}`);
  assert.equal(v.sign, shown(v2.signedContent));
  v = await pasteResponse(v2.body.replace('"10000"', '"10001"'), ALIPAY_PUBLIC);
  assert.equal(v.status, "failed");
  assert.equal(v.code, "SIGNATURE_MISMATCH");
  assert.equal(v.problems[0].code, "CONTENT_CHANGED");
  v = await pasteResponse(v2.body, APP_PUBLIC);
  assert.equal(v.problems[0].code, "WRONG_KEY");
  // Pretty-printed JSON (re-formatted by a log viewer) is named as the likely cause.
  v = await pasteResponse(JSON.stringify(JSON.parse(v2.body), null, 2), ALIPAY_PUBLIC);
  assert.equal(v.code, "SIGNATURE_MISMATCH");
  assert.ok(
    v.problems.some((p) => p.code === "BODY_REFORMATTED"),
    JSON.stringify(v.problems),
  );
  // No key: nothing verified.
  v = await pasteResponse(v2.body, "");
  assert.equal(v.code, "INVALID_PUBLIC_KEY");
  assert.match(v.problems[0].hint, /什么都没有验证/);
});

test("nothing left the page and nothing went wrong in it", () => {
  assert.deepEqual(foreign, []);
  assert.deepEqual(consoleErrors, []);
});
