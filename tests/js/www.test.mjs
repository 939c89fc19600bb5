// The debugging page's pure modules (www/i18n.js, paste.js, diff.js, samples.js) in Node: paste
// parsing of every input format, the V1/V2 difference, the text tables, the derived samples. The
// page itself (DOM, wiring) runs in Chromium in browser.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installPacked, root } from "./lib/scratch.mjs";
import { ERRORS, FIELDS, FORMATS, KINDS, TEXT, beijing, lang, pick, pickLanguage, setLang, t } from "../../www/i18n.js";
import { looksLikeJavaMap, matchingBrace, readInput, readJavaMap, repairBizContent } from "../../www/paste.js";
import { diffPieces } from "../../www/diff.js";
import { derivedSamples } from "../../www/samples.js";
import { problemsOf } from "../../www/render.js";
import { readResponse, visibleLines } from "../../www/exchange.js";

const samples = JSON.parse(readFileSync(join(root, "www/samples.json"), "utf8"));
const sample = (id) => samples.find((s) => s.id === id);

let dir;
let api;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "alipay-www-"));
  installPacked(dir);
  api = createRequire(join(dir, "index.cjs"))("alipay-notify");
});

after(() => {
  setLang("zh");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ─── paste.js ─────────────────────────────────────────────────────────────────────────────

test("readInput: empty, form, query string and URL stay strings (their bytes are what was signed)", () => {
  assert.deepEqual(readInput("  \n "), { format: "empty", body: null, headerCharset: null, notes: [] });
  assert.deepEqual(readInput(" a=1&b=2\n"), { format: "form", body: "a=1&b=2", headerCharset: null, notes: [] });
  assert.equal(readInput("?a=1").format, "query");
  assert.equal(readInput("?a=1").body, "?a=1");
  assert.equal(readInput("HTTPS://isv.example.com/gw?a=1").format, "url");
});

test("readInput: a JSON object of params; non-string values are converted with a warning", () => {
  const r = readInput('{"a":"1","n":2,"z":null,"o":{"k":true}}');
  assert.equal(r.format, "json-params");
  assert.deepEqual(r.body, { a: "1", n: "2", z: "", o: '{"k":true}' });
  assert.deepEqual(
    r.notes.map((n) => [n.level, n.key, n.arg]),
    [
      ["warning", "noteJsonValue", "n"],
      ["warning", "noteJsonValue", "z"],
      ["warning", "noteJsonValue", "o"],
    ],
  );
  assert.equal(readInput("[1,2]").format, "form", "an array is not params");
});

test("readInput: the docs' JSON dump after `Data=`, with the header charset and biz_content unescaped", () => {
  const text =
    'ISV_GATEWAY_URL?Data={"headers":{"Content-Type":"application/x-www-form-urlencoded; charset=GBK"},' +
    '"data":{"biz_content":"{"a":"x","b":{"c":"}"}}","sign":"s"},"method":"POST"}';
  const r = readInput(text);
  assert.equal(r.format, "json-dump");
  assert.equal(r.headerCharset, "GBK");
  assert.deepEqual(r.body, { biz_content: '{"a":"x","b":{"c":"}"}}', sign: "s" });
  assert.deepEqual(
    r.notes.map((n) => n.key),
    ["noteBizRepaired", "noteHeaderCharset"],
  );
});

test("readInput: JSON that cannot be read is taken as a form, with a note", () => {
  const r = readInput('{"a": nope}');
  assert.equal(r.format, "form");
  assert.equal(r.notes[0].key, "noteJsonInvalid");
  assert.equal(r.notes[0].level, "warning");
});

test("readInput: unencoded Chinese in a body that declares GBK is flagged (the GBK bytes are lost)", () => {
  assert.deepEqual(
    readInput("charset=GBK&title=中文").notes.map((n) => n.key),
    ["noteGbkText"],
  );
  assert.deepEqual(readInput("charset=GBK&title=%D6%D0").notes, []);
  assert.deepEqual(readInput("charset=UTF-8&title=中文").notes, []);
  assert.deepEqual(readInput("charset=GBK&x=1¬ify_id=2").notes, [], "a pasted ¬ is not Chinese");
});

test("readInput: a Java Map.toString() log line is read as params (JSON values whole), with the lossy note; it verifies", () => {
  const s = sample("order-utf-8-rsa2-spki-base64-v2");
  const params = Object.fromEntries(new URLSearchParams(s.body));
  // What `String.valueOf(map)` prints for a HashMap/LinkedHashMap<String, String>: no escaping.
  const java = `{${Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ")}}`;
  assert.ok(java.includes("sign=") && /=[^,]*==/.test(java), "the sign ends in '=' padding");
  const r = readInput(java);
  assert.equal(r.format, "java-map");
  assert.deepEqual(r.body, params);
  assert.deepEqual(
    r.notes.map((n) => [n.level, n.key]),
    [["warning", "noteJavaMap"]],
  );
  assert.match(t("noteJavaMap"), /不做任何转义/);
  const report = api.inspectNotification(r.body, s.key);
  assert.equal(report.outcome.status, "verified", JSON.stringify(report.outcome));

  // JSON values (biz_content) with ", " and "=" inside stay whole; a plain value with ", name="
  // inside is split: the lossiness the note warns about.
  const body = readJavaMap('{biz_content={"a":"x, y=1","b":[1, 2]}, sign=ab+/c==, note=hello, world=1}', []);
  assert.deepEqual(body, { biz_content: '{"a":"x, y=1","b":[1, 2]}', sign: "ab+/c==", note: "hello", world: "1" });
  assert.deepEqual(readJavaMap("{a=, b=x=y}", []), { a: "", b: "x=y" });
  assert.equal(readJavaMap("{a=1, a=2}", []), null, "a map has no duplicate keys");
  // request.getParameterMap() itself prints arrays: the values are not in the log at all.
  const notes = [];
  assert.deepEqual(readJavaMap("{sign=[Ljava.lang.String;@1b6d3586, a=1}", notes), {
    sign: "[Ljava.lang.String;@1b6d3586",
    a: "1",
  });
  assert.deepEqual(
    notes.map((n) => [n.level, n.key, n.arg]),
    [
      ["warning", "noteJavaMap", undefined],
      ["error", "noteJavaArray", "sign"],
    ],
  );
  // JSON is not a Java map, and still reads as JSON.
  assert.equal(looksLikeJavaMap('{"a":"1"}'), false);
  assert.equal(looksLikeJavaMap("{}"), false);
  assert.equal(readInput('{"app_id":"1"}').format, "json-params");
  assert.equal(readInput('{"a": nope}').format, "form");
});

test("repairBizContent and matchingBrace", () => {
  assert.equal(repairBizContent('{"biz_content":"x"}'), null, "nothing to repair");
  assert.equal(repairBizContent('{"biz_content":"{"a":1}"}'), '{"biz_content":"{\\"a\\":1}"}');
  assert.equal(repairBizContent('{"biz_content":"{"a":1}'), null, "no closing quote");
  assert.equal(matchingBrace('{"a":"}"}', 0), 8);
  assert.equal(matchingBrace('{"a":"\\"}"}', 0), 10);
  assert.equal(matchingBrace("{{}", 0), -1);
});

// ─── render.js ────────────────────────────────────────────────────────────────────────────

test("problemsOf: without a key the list says the key is missing and nothing was verified, never empty", () => {
  const s = sample("change-signed-v2-auto");
  const none = api.inspectNotification(s.body, null);
  assert.equal(none.outcome.error.code, "INVALID_PUBLIC_KEY");
  const listed = problemsOf(none);
  assert.equal(listed.length, 1);
  assert.equal(listed[0].code, "INVALID_PUBLIC_KEY");
  assert.match(listed[0].hintZh, /什么都没有验证/);
  assert.match(listed[0].hint, /nothing was verified/);
  const good = api.inspectNotification(s.body, s.key);
  assert.equal(good.outcome.status, "verified");
  assert.deepEqual(problemsOf(good), good.problems, "a verified report keeps its own list");
});

// ─── exchange.js ──────────────────────────────────────────────────────────────────────────

test("readResponse: a v3 response (status line, headers, body) and a v2 JSON text; trailing line breaks named", () => {
  const v3 = readResponse(
    'HTTP/1.1 200 OK\r\nAlipay-Timestamp: 1735747200210\r\nalipay-nonce: n-1\r\nalipay-signature: AB+/==\r\n\r\n{"a":"b: c"}\r\n',
  );
  assert.deepEqual(v3, {
    protocol: "v3",
    headers: { "alipay-timestamp": "1735747200210", "alipay-nonce": "n-1", "alipay-signature": "AB+/==" },
    body: '{"a":"b: c"}',
    trimmed: true,
  });
  const v2 = readResponse('  {"x_response":{"code":"10000"},"sign":"s"}');
  assert.deepEqual(v2, {
    protocol: "v2",
    headers: {},
    body: '{"x_response":{"code":"10000"},"sign":"s"}',
    trimmed: false,
  });
  assert.equal(readResponse(" \n ").protocol, "empty");
  // A body line that looks like a header is the body once the blank line has passed.
  assert.equal(readResponse("alipay-nonce: n\n\nx: y").body, "x: y");
});

test("visibleLines: every line break of a string to sign is kept and marked", () => {
  assert.deepEqual(visibleLines("a\nGET\n/p\n\n"), [
    ["a", true],
    ["GET", true],
    ["/p", true],
    ["", true],
  ]);
  assert.deepEqual(visibleLines("k=v&x=y"), [["k=v&x=y", false]]);
  assert.deepEqual(visibleLines(""), []);
});

test("inspectRequest through the packed package: a captured alipay-sdk request matches; no key says so", () => {
  const c = JSON.parse(readFileSync(join(root, "tests/vectors/openapi/requests.json"), "utf8")).cases[0];
  const r = c.request;
  const text = `${r.method} ${r.target}\n${Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n")}\n\n${r.body}`;
  const key = readFileSync(join(root, "tests/vectors/openapi/keys/app-public.pem"), "utf8");
  const good = api.inspectRequest(text, key);
  assert.equal(good.verdict, "matches");
  assert.equal(good.stringToSign, c.stringToSign);
  const none = api.inspectRequest(text);
  assert.equal(none.verdict, "not_checked");
  assert.equal(none.error.code, "INVALID_PUBLIC_KEY");
  assert.deepEqual(
    none.problems.map((p) => p.code),
    ["KEY_MISSING"],
  );
  assert.throws(() => api.inspectRequest(42), { code: "INVALID_ARGUMENT" });
});

test("inspectResponse through the packed package: a captured v2 answer verifies; the app key is WRONG_KEY", () => {
  const c = JSON.parse(readFileSync(join(root, "tests/vectors/openapi/requests.json"), "utf8")).cases.find(
    (x) => x.id === "key/v2/orderQuery/no-token",
  );
  const keys = join(root, "tests/vectors/openapi/keys");
  const alipay = readFileSync(join(keys, "alipay-public.pem"), "utf8");
  const good = api.inspectResponse({ body: c.response.body }, alipay);
  assert.equal(good.verified, true);
  assert.equal(good.signedContent, c.response.signedContent);
  const wrong = api.inspectResponse({ body: c.response.body }, readFileSync(join(keys, "app-public.pem"), "utf8"));
  assert.deepEqual(
    [wrong.verified, wrong.error.code, wrong.signedByKey, wrong.problems.map((p) => p.code)],
    [false, "SIGNATURE_MISMATCH", false, ["WRONG_KEY"]],
  );
  assert.throws(() => api.inspectResponse({ body: "{}", protocol: /** @type {any} */ ("v4") }, alipay), {
    code: "INVALID_ARGUMENT",
  });
});

// ─── diff.js ──────────────────────────────────────────────────────────────────────────────

test("diffPieces: the pieces one sign content has and the other lacks", () => {
  assert.deepEqual(diffPieces("a=1&b=2", "a=1&b=2"), [
    ["a=1", false],
    ["b=2", false],
  ]);
  assert.deepEqual(diffPieces("a=1&sign_type=RSA2&z=3", "a=1&z=3"), [
    ["a=1", false],
    ["sign_type=RSA2", true],
    ["z=3", false],
  ]);
  assert.deepEqual(diffPieces("a=1&z=3", "a=1&sign_type=RSA2&z=3"), [
    ["a=1", false],
    ["z=3", false],
  ]);
  assert.deepEqual(diffPieces("b=2&a=1", "a=1&b=2").filter(([, d]) => d).length, 1, "order matters");
});

test("diffPieces on real sign contents: V2 has exactly sign_type more than V1", () => {
  const s = sample("order-utf-8-rsa2-spki-base64-v2");
  const { signContentV1: v1, signContentV2: v2 } = api.inspectNotification(s.body, s.key);
  assert.deepEqual(
    diffPieces(v2, v1)
      .filter(([, d]) => d)
      .map(([p]) => p),
    ["sign_type=RSA2"],
  );
  assert.deepEqual(
    diffPieces(v1, v2).filter(([, d]) => d),
    [],
  );
  assert.equal(
    diffPieces(v2, v1)
      .map(([p]) => p)
      .join("&"),
    v2,
    "the pieces rebuild the text",
  );
});

// ─── i18n.js ──────────────────────────────────────────────────────────────────────────────

test("every text entry has Chinese and English of the same kind; every data-i18n key of index.html exists", () => {
  for (const [name, table] of Object.entries({ KINDS, ERRORS, FIELDS, FORMATS, TEXT })) {
    for (const [key, pair] of Object.entries(table)) {
      assert.equal(pair.length, 2, `${name}.${key}`);
      assert.equal(typeof pair[0], typeof pair[1], `${name}.${key}`);
      assert.ok(["string", "function"].includes(typeof pair[0]), `${name}.${key}`);
    }
  }
  const html = readFileSync(join(root, "www/index.html"), "utf8");
  const keys = [...html.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(keys.length > 20);
  for (const k of keys) assert.ok(k in TEXT, `index.html uses data-i18n="${k}", which TEXT lacks`);
  // The page's static Chinese is TEXT's: switching back to Chinese shows the same words.
  for (const m of html.matchAll(/data-i18n="([^"]+)">([^<]*)</g)) assert.equal(TEXT[m[1]][0], m[2], m[1]);
});

test("t, pick and setLang: Chinese first, English on request; unknown keys show themselves", () => {
  setLang("zh");
  assert.equal(lang, "zh");
  assert.equal(t("verified"), "验签通过");
  assert.equal(t("chars", 3), "3 个字符");
  assert.equal(pick(ERRORS.SIGNATURE_MISMATCH), "签名与内容不匹配");
  setLang("en");
  assert.equal(lang, "en");
  assert.equal(t("verified"), "Verified");
  assert.equal(t("certCount", 1), "1 certificate in the file");
  assert.equal(t("certCount", 2), "2 certificates in the file");
  assert.equal(pick(KINDS.generic), "Other notification");
  assert.equal(pick(undefined), null);
  assert.equal(t("no-such-key"), "no-such-key");
  setLang("fr");
  assert.equal(lang, "zh", "anything but en is Chinese");
});

test("pickLanguage: ?lang= first, then the saved choice, else Chinese (storage may throw)", () => {
  assert.equal(
    pickLanguage("?lang=en", () => "zh"),
    "en",
  );
  assert.equal(
    pickLanguage("?lang=xx", () => "en"),
    "en",
  );
  assert.equal(
    pickLanguage("", () => null),
    "zh",
  );
  assert.equal(
    pickLanguage("", () => "de"),
    "zh",
  );
  assert.equal(
    pickLanguage("", () => {
      throw new Error("SecurityError");
    }),
    "zh",
  );
  assert.equal(pickLanguage("?lang=zh", undefined), "zh");
});

test("beijing: epoch milliseconds as UTC+8", () => {
  setLang("en");
  assert.equal(beijing(Date.UTC(2020, 2, 25, 8, 27, 8)), "2020-03-25 16:27:08 (Beijing time)");
  assert.equal(beijing(NaN), null);
  setLang("zh");
  assert.equal(beijing(0), "1970-01-01 08:00:00 (北京时间)");
});

// ─── samples.js ───────────────────────────────────────────────────────────────────────────

test("derived samples: the docs' JSON dump reads back to the original params and verifies; the ¬ paste is PASTED_NOT_ENTITY", () => {
  const derived = derivedSamples(samples);
  assert.deepEqual(
    derived.map((s) => s.id),
    ["derived-json-dump", "derived-not-entity"],
  );
  for (const s of derived) assert.ok(s.text in TEXT, s.id);

  const dump = derived[0];
  const input = readInput(dump.body);
  assert.equal(input.format, "json-dump");
  assert.deepEqual(
    input.notes.map((n) => n.key),
    ["noteBizRepaired", "noteHeaderCharset"],
  );
  assert.deepEqual(input.body, Object.fromEntries(new URLSearchParams(sample("auth-utf-8-rsa2-spki-base64-v1").body)));
  assert.equal(api.verifyNotification(input.body, dump.key).verified, true);

  const not = derived[1];
  assert.match(not.body, /¬ify_/);
  const report = api.inspectNotification(readInput(not.body).body, not.key);
  assert.ok(
    report.problems.some((p) => p.code === "PASTED_NOT_ENTITY"),
    JSON.stringify(report.problems.map((p) => p.code)),
  );

  assert.deepEqual(derivedSamples([]), [], "nothing to derive from");
});
