// Differential parsing through the packed package: `parseNotification(body).params` against
// `Object.fromEntries(new URLSearchParams(body))` (WHATWG form decoding, Node's own) on random
// UTF-8 inputs made of what forms are made of. Both must give the same names and values, except
// that we reject — by design, and exactly then — a malformed `%` escape (`MALFORMED_FORM`), an
// empty name (`MALFORMED_FORM`) and a repeated name (`DUPLICATE_PARAMETER`), where
// URLSearchParams keeps the `%` literally, keeps the empty name and keeps every repetition.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installPacked } from "./lib/scratch.mjs";

const CASES = Number(process.env.DIFFERENTIAL_CASES ?? 20000);

let dir;
let api;

before(() => {
  // The packed package in a private folder (never the shared scratch project).
  dir = mkdtempSync(join(tmpdir(), "alipay-differential-"));
  installPacked(dir);
  api = createRequire(join(dir, "index.cjs"))("alipay-notify");
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Tokens: plain characters, `+` and spaces, valid escapes (ASCII, UTF-8, the separators
// themselves), malformed escapes, separators, non-ASCII text.
const TOKENS = [
  ..."abcde".split(""),
  ..."abcde".split(""),
  "=",
  "=",
  "&",
  "&",
  "+",
  " ",
  "%20",
  "%2B",
  "%26",
  "%3D",
  "%25",
  "%61",
  "%e4%b8%ad",
  "%C3%BC",
  "中",
  "ü",
  "😀",
  "%",
  "%4",
  "%g1",
  "%%",
  "#",
  ";",
  "?",
  "%3F",
  "/",
];

function generator(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  return () => {
    const n = Math.floor(next() * 20);
    let out = next() < 0.1 ? "?" : "";
    for (let i = 0; i < n; i++) out += TOKENS[Math.floor(next() * TOKENS.length)];
    // Sometimes the first segment again, so that repeated names are common enough.
    if (next() < 0.2) out += `&${out.replace(/^\?/, "").split("&")[0]}`;
    return out;
  };
}

/** Whether some `%` is not followed by two hex digits. */
const malformedEscape = (body) => /%(?![0-9A-Fa-f]{2})/.test(body);

/** What the reference sees, or null where its decoding is lossy (invalid UTF-8 → U+FFFD). */
function reference(body) {
  const pairs = [...new URLSearchParams(body)];
  if (pairs.some(([k, v]) => k.includes("\ufffd") || v.includes("\ufffd"))) return null;
  return pairs;
}

function codeOf(fn) {
  try {
    fn();
    return null;
  } catch (e) {
    assert.equal(e.name, "AlipayNotifyError", String(e));
    return e.code;
  }
}

test(`parseNotification agrees with URLSearchParams on ${CASES.toLocaleString("en")} random UTF-8 forms, and rejects exactly the malformed, empty-name and duplicate ones`, () => {
  const next = generator(20240520);
  const seen = { agreed: 0, malformed: 0, emptyName: 0, duplicate: 0, lossy: 0 };
  for (let i = 0; i < CASES; i++) {
    const body = next();
    const ref = reference(body);
    if (ref === null) {
      seen.lossy++;
      continue;
    }
    const names = ref.map(([k]) => k);
    const emptyName = names.includes("");
    const duplicate = new Set(names).size !== names.length;
    const malformed = malformedEscape(body.replace(/^\?/, ""));
    let ours;
    const code = codeOf(() => {
      ours = api.parseNotification(body).params;
    });
    if (malformed || emptyName) {
      assert.equal(code, "MALFORMED_FORM", JSON.stringify(body));
      seen[malformed ? "malformed" : "emptyName"]++;
    } else if (duplicate) {
      assert.equal(code, "DUPLICATE_PARAMETER", JSON.stringify(body));
      seen.duplicate++;
    } else {
      assert.equal(code, null, JSON.stringify(body));
      assert.deepEqual(Object.entries(ours), ref, JSON.stringify(body));
      assert.deepEqual(ours, Object.fromEntries(new URLSearchParams(body)));
      // Already-decoded input (URLSearchParams, pairs, bytes) gives the same.
      assert.deepEqual(api.parseNotification(new URLSearchParams(body)).params, ours);
      assert.deepEqual(api.parseNotification(new TextEncoder().encode(body)).params, ours);
      seen.agreed++;
    }
  }
  // Every class was exercised, and most inputs were compared.
  for (const [k, n] of Object.entries(seen)) if (k !== "lossy") assert.ok(n > CASES / 50, `${k}: ${n}`);
  assert.ok(seen.agreed > CASES / 5, JSON.stringify(seen));
  console.log(`# form differential: ${JSON.stringify(seen)}`);
});

test("the encodings a sender may choose decode alike: `+` and %20 are a space, %2B a plus, hex case is irrelevant, decoded once", () => {
  const same = (a, b) =>
    assert.deepEqual(api.parseNotification(a).params, api.parseNotification(b).params, `${a} vs ${b}`);
  same("a=x+y", "a=x%20y");
  same("a=%2b", "a=%2B");
  same("a=%e4%b8%ad", "a=中");
  same("%61=1", "a=1");
  assert.deepEqual(api.parseNotification("a=%2541").params, { a: "%41" }, "decoded once");
  assert.deepEqual(api.parseNotification("a=1+%2B+1").params, { a: "1 + 1" });
  // Encoding with URLSearchParams and parsing gives the params back.
  const params = { "名 字": "值 + %41 & = ?", b: "", c: "😀" };
  assert.deepEqual(api.parseNotification(new URLSearchParams(params).toString()).params, params);
  assert.deepEqual(
    api.parseNotification(`${encodeURIComponent("名 字")}=${encodeURIComponent(params["名 字"])}&b=&c=%F0%9F%98%80`)
      .params,
    params,
  );
});
