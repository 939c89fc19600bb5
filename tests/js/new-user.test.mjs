// What a new user trips on, through the packed package (ESM and CJS): the mistake is named,
// with a coded error, instead of a misleading one (issue: truthful diagnosis, forgiving inputs).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { constants, createHash, createPublicKey, publicDecrypt } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { jsDir, prepareScratch, scratch } from "./lib/scratch.mjs";

before(() => {
  prepareScratch();
});

function runIn(kind, body) {
  const load = kind === "esm" ? `const api = await import("alipay-notify");` : `const api = require("alipay-notify");`;
  const source = `(async () => { ${load}
    const { notificationVectors } = await import(${JSON.stringify(join(jsDir, "lib/load.mjs"))});
    const attempt = (f) => { try { f(); return "returned"; } catch (e) { return e.name + ":" + e.code + ":" + e.message; } };
    ${body}
  })().catch((e) => { console.error(e); process.exit(1); });`;
  const args = kind === "esm" ? ["--input-type=module", "-e", source] : ["-e", source];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: scratch, encoding: "utf8", maxBuffer: 1 << 26 }));
}

for (const kind of ["esm", "cjs"]) {
  test(`${kind}: JSON bodies, Promises, Requests and streams are named; decodeOrderStatus(42) is INVALID_ARGUMENT`, () => {
    const r = runIn(
      kind,
      `const v = notificationVectors().find((x) => x.expect.verified && typeof x.body === "string" && !x.body.startsWith("http") && Object.keys(x.options ?? {}).length === 0);
      const params = Object.fromEntries(new URLSearchParams(v.body));
      const out = {
        json: attempt(() => api.verifyNotification(JSON.stringify(params), v.key)),
        jsonBytes: attempt(() => api.verifyNotification(new TextEncoder().encode(" " + JSON.stringify(params)), v.key)),
        parsedObject: api.verifyNotification(params, v.key).verified,
        promise: attempt(() => api.verifyNotification(Promise.resolve(v.body), v.key)),
        request: attempt(() => api.verifyNotification(new Request("http://gw.test/", { method: "POST", body: v.body }), v.key)),
        stream: attempt(() => api.verifyNotification(new Response(v.body).body, v.key)),
        status42: attempt(() => api.decodeOrderStatus(42)),
        statusUndefined: attempt(() => api.decodeOrderStatus(undefined)),
        unknown: api.decodeOrderStatus("NOPE"),
        guard: [
          (() => { try { api.decodeOrderStatus(42); } catch (e) { return api.isAlipayNotifyError(e); } })(),
          api.isAlipayNotifyError(new Error("x")),
          api.isAlipayNotifyError({ name: "AlipayNotifyError", code: "X" }),
          api.isAlipayNotifyError(undefined),
        ],
        after: api.verifyNotification(v.body, v.key).verified,
      };
      console.log(JSON.stringify(out));`,
    );
    assert.match(r.json, /^AlipayNotifyError:INVALID_ARGUMENT:.*JSON, not a form.*JSON\.parse/);
    assert.match(r.jsonBytes, /^AlipayNotifyError:INVALID_ARGUMENT:.*JSON, not a form/);
    assert.equal(r.parsedObject, true, "the parsed object is the documented way");
    assert.match(r.promise, /^AlipayNotifyError:INVALID_ARGUMENT:.*Promise.*await/);
    assert.match(r.request, /^AlipayNotifyError:INVALID_ARGUMENT:.*Request or Response.*arrayBuffer/);
    assert.match(r.stream, /^AlipayNotifyError:INVALID_ARGUMENT:.*stream/);
    assert.match(r.status42, /^AlipayNotifyError:INVALID_ARGUMENT:.*must be a string/);
    assert.match(r.statusUndefined, /^AlipayNotifyError:INVALID_ARGUMENT:/);
    assert.equal(r.unknown, null);
    assert.deepEqual(r.guard, [true, false, false, false], "isAlipayNotifyError narrows only our errors");
    assert.equal(r.after, true);
  });

  test(`${kind}: an .env-style key with literal \\n loads; a missing app_id and a corrupted sign say so in our words`, () => {
    const r = runIn(
      kind,
      `const v = notificationVectors().find((x) => x.expect.verified && x.keyFormat === "spki-pem" && Object.keys(x.options ?? {}).length === 0 && typeof x.body === "string");
      const envKey = v.key.trim().split("\\n").join("\\\\n");
      const params = Object.fromEntries(new URLSearchParams(v.body));
      const noAppId = { ...params };
      delete noAppId.app_id;
      const badSign = { ...params, sign: params.sign.slice(0, 10) + "$" + params.sign.slice(11) };
      console.log(JSON.stringify({
        literal: envKey.includes("\\\\n") && !envKey.includes("\\n"),
        env: api.verifyNotification(v.body, envKey).verified,
        noAppId: attempt(() => api.verifyNotification(noAppId, v.key, { appId: "2021000000000000" })),
        badSign: attempt(() => api.verifyNotification(badSign, v.key)),
      }));`,
    );
    assert.equal(r.literal, true);
    assert.equal(r.env, true);
    // Without app_id the signature no longer matches; with the signature right, the app_id check
    // names the missing parameter (asserted natively in tests/), so here only the code.
    assert.match(r.noAppId, /^AlipayNotifyError:(SIGNATURE_MISMATCH|APP_ID_MISMATCH)/);
    assert.match(r.badSign, /^AlipayNotifyError:MALFORMED_SIGNATURE:.*`\$` at position 10 is not a base64 character/);
    assert.doesNotMatch(r.badSign, /Invalid symbol|Invalid byte/);
  });
}

// The CONTENT_CHANGED report's digests, recomputed independently: the signed digest recovered with
// node:crypto (publicDecrypt of the signature → DigestInfo), the V1/V2 contents hashed by
// node:crypto over sign strings this test builds itself (sorted, `sign` / `sign_type` dropped as
// each variant says, empty values kept as the default does). Real Alipay notifications, one value
// changed after signing, the right key.
test("CONTENT_CHANGED shows the digests node:crypto computes, on every real notification", () => {
  const dir = join(jsDir, "../vectors/real");
  const files = readdirSync(dir)
    .filter((f) => f.startsWith("notify-") && f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
  assert.equal(files.length, 5);
  const cases = files.map((f) => {
    const name = Object.keys(f.params).find((k) => !["sign", "sign_type", "charset"].includes(k) && f.params[k] !== "");
    const params = { ...f.params, [name]: `${f.params[name]}0` };
    const options = f.expected.sign_type === "RSA" ? { signTypes: ["RSA2", "RSA"] } : {};
    return {
      id: f.id,
      key: f.alipay_public_key,
      params,
      body: new URLSearchParams(params).toString(),
      options,
      signType: f.expected.sign_type,
    };
  });
  const r = runIn(
    "esm",
    `const cases = ${JSON.stringify(cases)};
    console.log(JSON.stringify(cases.map((c) => api.inspectNotification(c.body, c.key, c.options).problems.map((p) => [p.code, p.message]))));`,
  );
  cases.forEach((c, i) => {
    const codes = r[i].map(([code]) => code);
    assert.ok(codes.includes("CONTENT_CHANGED"), `${c.id}: ${codes}`);
    assert.ok(!codes.includes("WRONG_KEY"), c.id);
    const message = r[i].find(([code]) => code === "CONTENT_CHANGED")[1];
    const [, signed, v1, v2] = /signed ([0-9a-f]+), V1 content ([0-9a-f]+), V2 content ([0-9a-f]+)/.exec(message) ?? [];
    const der = c.key.includes("BEGIN")
      ? c.key
      : { key: Buffer.from(c.key.replace(/\s/g, ""), "base64"), format: "der", type: "spki" };
    const key = createPublicKey(der);
    const digestInfo = publicDecrypt(
      { key, padding: constants.RSA_PKCS1_PADDING },
      Buffer.from(c.params.sign, "base64"),
    );
    const hash = c.signType === "RSA" ? "sha1" : "sha256";
    const size = hash === "sha1" ? 20 : 32;
    assert.equal(signed, digestInfo.subarray(digestInfo.length - size).toString("hex"), `${c.id}: signed digest`);
    const content = (drop) =>
      Object.keys(c.params)
        .filter((k) => !drop.includes(k))
        .sort()
        .map((k) => `${k}=${c.params[k]}`)
        .join("&");
    const digest = (text) => createHash(hash).update(text, "utf8").digest("hex");
    assert.equal(v1, digest(content(["sign", "sign_type"])), `${c.id}: V1 content digest`);
    assert.equal(v2, digest(content(["sign"])), `${c.id}: V2 content digest`);
    assert.notEqual(signed, v1);
    assert.notEqual(signed, v2);
  });
});
