// What a new user trips on, through the packed package (ESM and CJS): the mistake is named,
// with a coded error, instead of a misleading one (issue: truthful diagnosis, forgiving inputs).
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { constants, createHash, createPublicKey, publicDecrypt } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { keysDir, startMockAlipay } from "./lib/mock-alipay.mjs";
import { jsDir, prepareScratch, scratch } from "./lib/scratch.mjs";

/** The local Alipay (127.0.0.1) in each mode, for the client's keys given as bytes and KeyObjects. */
const mocks = {};

before(async () => {
  prepareScratch();
  for (const mode of ["key", "cert"]) mocks[mode] = await startMockAlipay({ mode });
});

after(async () => {
  for (const m of Object.values(mocks)) await m.close();
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

/** `runIn`, asynchronously: the local Alipay serves meanwhile. The body sees `api`, `client`, `K` (the key files' folder). */
async function runClientIn(kind, body) {
  const load =
    kind === "esm"
      ? `const api = await import("alipay-notify"); const client = await import("alipay-notify/client");`
      : `const api = require("alipay-notify"); const client = require("alipay-notify/client");`;
  const source = `(async () => { ${load}
    const K = ${JSON.stringify(keysDir)};
    const attempt = async (f) => { try { await f(); return "returned"; } catch (e) { return e.name + ":" + e.code + ":" + e.message; } };
    ${body}
  })().catch((e) => { console.error(e); process.exit(1); });`;
  const args = kind === "esm" ? ["--input-type=module", "-e", source] : ["-e", source];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: scratch, encoding: "utf8" });
  return JSON.parse(stdout);
}

const KEY_FORMS =
  "pass the key as text (PEM or base64), a Buffer / Uint8Array of its PEM or DER bytes, or a Node KeyObject";
/** `text` as a regular expression matching itself. */
const literal = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const ROOT_BUNDLE =
  "invalid public key: this is alipayRootCert.crt (the root bundle): pass it as `alipayRootCert`, and the Alipay public key or `alipayCertPublicKey_RSA2.crt` as the key";
const APP_CERT =
  "invalid public key: this is your app certificate (appCertPublicKey_…): Alipay's certificate is alipayCertPublicKey_RSA2.crt";

for (const kind of ["esm", "cjs"]) {
  // Every form a key arrives in verifies a real vector; the DER and KeyObjects are made by
  // node:crypto from the vector's PEM, never by the package.
  test(`${kind}: the Alipay public key as PEM bytes, an ArrayBuffer, SPKI and PKCS#1 DER and a KeyObject verifies`, () => {
    const r = runIn(
      kind,
      `const { createPublicKey } = await import("node:crypto");
      const v = notificationVectors().find((x) => x.expect.verified && x.keyFormat === "spki-pem" && Object.keys(x.options ?? {}).length === 0 && typeof x.body === "string");
      const ko = createPublicKey(v.key);
      const forms = {
        buffer: Buffer.from(v.key),
        uint8: new TextEncoder().encode(v.key),
        arrayBuffer: new TextEncoder().encode(v.key).buffer,
        spkiDer: ko.export({ format: "der", type: "spki" }),
        pkcs1Der: new Uint8Array(ko.export({ format: "der", type: "pkcs1" })),
        keyObject: ko,
      };
      const params = Object.fromEntries(new URLSearchParams(v.body));
      const out = {};
      for (const [name, key] of Object.entries(forms)) {
        out[name] = [
          api.verifyNotification(v.body, key).verified,
          api.inspectNotification(v.body, key).outcome.status,
          api.rsaCheckV1(params, key) || api.rsaCheckV2(params, key),
        ];
      }
      console.log(JSON.stringify(out));`,
    );
    assert.deepEqual(Object.keys(r), ["buffer", "uint8", "arrayBuffer", "spkiDer", "pkcs1Der", "keyObject"]);
    for (const [name, got] of Object.entries(r)) assert.deepEqual(got, [true, "verified", true], name);
  });

  // A real v2 gateway answer; a v3 answer signed here by node:crypto with the test Alipay key.
  test(`${kind}: verifyResponse and verifyV3Response take the key as DER, a KeyObject and PEM bytes`, () => {
    const r = runIn(
      kind,
      `const { createPrivateKey, createPublicKey, sign } = await import("node:crypto");
      const { readFileSync } = await import("node:fs");
      const K = ${JSON.stringify(keysDir)} + "/";
      const v2 = JSON.parse(readFileSync(${JSON.stringify(join(jsDir, "../vectors/cert/real/sync-response-alipay-open-file-upload.json"))}, "utf8"));
      const v3 = { timestamp: "1700000000000", nonce: "5f0b3c8e", body: '{"code":"10000"}' };
      v3.signature = sign("sha256", Buffer.from(v3.timestamp + "\\n" + v3.nonce + "\\n" + v3.body + "\\n"), createPrivateKey(readFileSync(K + "alipay-private-pkcs8.pem"))).toString("base64");
      const forms = (pem) => {
        const ko = createPublicKey(pem);
        return { der: ko.export({ format: "der", type: "spki" }), keyObject: ko, bytes: Buffer.from(pem) };
      };
      const out = { v2: {}, v3: {} };
      for (const [name, key] of Object.entries(forms(v2.alipay_public_key))) {
        out.v2[name] = api.verifyResponse(v2.raw_response_body, key, { method: v2.method }).verified;
      }
      for (const [name, key] of Object.entries(forms(readFileSync(K + "alipay-public.pem", "utf8")))) {
        out.v3[name] = [api.verifyV3Response(v3, key), attempt(() => api.verifyV3Response({ ...v3, body: '{"code":"10001"}' }, key))];
      }
      console.log(JSON.stringify(out));`,
    );
    assert.deepEqual(r.v2, { der: true, keyObject: true, bytes: true });
    for (const name of ["der", "keyObject", "bytes"]) {
      assert.equal(r.v3[name][0], true, name);
      assert.match(r.v3[name][1], /^AlipayNotifyError:SIGNATURE_MISMATCH:/, `${name}: a changed body fails`);
    }
  });

  test(`${kind}: a number, an object, a CryptoKey, private and secret KeyObjects are INVALID_ARGUMENT; the root bundle is named`, () => {
    const r = runIn(
      kind,
      `const { createPrivateKey, createPublicKey, createSecretKey, webcrypto } = await import("node:crypto");
      const { readFileSync } = await import("node:fs");
      const K = ${JSON.stringify(keysDir)} + "/";
      const v = notificationVectors().find((x) => x.expect.verified && x.keyFormat === "spki-pem" && Object.keys(x.options ?? {}).length === 0 && typeof x.body === "string");
      const spki = createPublicKey(v.key).export({ format: "der", type: "spki" });
      const cryptoKey = await webcrypto.subtle.importKey("spki", spki, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["verify"]);
      const bundle = readFileSync(K + "alipayRootCert.crt");
      const bad = {
        number: 42,
        object: {},
        map: new Map(),
        cryptoKey,
        privateKeyObject: createPrivateKey(readFileSync(K + "alipay-private-pkcs8.pem")),
        secretKeyObject: createSecretKey(Buffer.alloc(16)),
        derGarbage: new Uint8Array([0x30, 0x82, 0x01, 0x22, 0x00]),
        bundleText: bundle.toString("utf8"),
        bundleBytes: bundle,
        missing: undefined,
      };
      const out = {};
      for (const [name, key] of Object.entries(bad)) {
        const report = api.inspectNotification(v.body, key);
        out[name] = {
          verify: attempt(() => api.verifyNotification(v.body, key)),
          v3: attempt(() => api.verifyV3Response({ timestamp: "1", nonce: "n", body: "{}", signature: "AAAA" }, key)),
          inspect: [report.outcome.status, report.key.error?.code ?? null],
        };
      }
      console.log(JSON.stringify(out));`,
    );
    const arg = (what) =>
      new RegExp(
        `^${literal(`AlipayNotifyError:INVALID_ARGUMENT:invalid argument: the Alipay public key is ${what}: ${KEY_FORMS}`)}$`,
      );
    const expected = {
      number: arg("a number"),
      object: arg("an object"),
      map: arg("an object (Map)"),
      cryptoKey: arg(
        'a CryptoKey (WebCrypto), whose bytes come only through a Promise (`await crypto.subtle.exportKey("spki" or "pkcs8", key)`)',
      ),
      privateKeyObject: arg("a private KeyObject (node:crypto): a private key"),
      secretKeyObject: arg("a secret KeyObject (node:crypto): not an RSA key"),
    };
    for (const [name, re] of Object.entries(expected)) {
      assert.match(r[name].verify, re, name);
      assert.match(r[name].v3, re, `${name} (verifyV3Response)`);
      assert.deepEqual(r[name].inspect, ["error", "INVALID_ARGUMENT"], `${name} (inspectNotification never throws)`);
    }
    assert.match(r.derGarbage.verify, /^AlipayNotifyError:INVALID_PUBLIC_KEY:/);
    for (const name of ["bundleText", "bundleBytes"]) {
      assert.equal(r[name].verify, `AlipayNotifyError:INVALID_PUBLIC_KEY:${ROOT_BUNDLE}`, name);
      assert.equal(r[name].v3, `AlipayNotifyError:INVALID_PUBLIC_KEY:${ROOT_BUNDLE}`, name);
    }
    assert.match(r.missing.verify, /^AlipayNotifyError:INVALID_PUBLIC_KEY:invalid public key: no public key given/);
  });

  test(`${kind}: the client takes KeyObjects and file bytes, and says when the app certificate is configured as Alipay's`, async () => {
    const r = await runClientIn(
      kind,
      `const { createPrivateKey, createPublicKey, webcrypto } = await import("node:crypto");
      const { readFileSync } = await import("node:fs");
      const file = (f) => readFileSync(K + "/" + f);
      const key = ${JSON.stringify(mocks.key.clientOptions)};
      const cert = ${JSON.stringify(mocks.cert.clientOptions)};
      const calls = {};
      // Key mode: the private key as a KeyObject and as PKCS#1 DER, Alipay's as a KeyObject and DER.
      const privateKo = createPrivateKey(key.privateKey);
      const alipayKo = createPublicKey(key.alipayPublicKey);
      const keyForms = {
        keyObjects: { privateKey: privateKo, alipayPublicKey: alipayKo },
        der: { privateKey: privateKo.export({ format: "der", type: "pkcs1" }), alipayPublicKey: alipayKo.export({ format: "der", type: "spki" }) },
        arrayBuffers: { privateKey: new TextEncoder().encode(key.privateKey).buffer, alipayPublicKey: new TextEncoder().encode(key.alipayPublicKey).buffer },
      };
      for (const [name, forms] of Object.entries(keyForms)) {
        const c = client.createClient({ ...key, ...forms });
        calls[name] = [(await c.orderQuery({ commodityOrderId: "1" })).raw.protocol, (await c.orderQuery({ commodityOrderId: "1" }, { protocol: "v2" })).raw.protocol];
      }
      // Certificate mode: the three files as read from disk (Buffers).
      const certBytes = { appCert: Buffer.from(cert.appCert), alipayCert: Buffer.from(cert.alipayCert), alipayRootCert: Buffer.from(cert.alipayRootCert) };
      const cc = client.createClient({ ...cert, ...certBytes, privateKey: createPrivateKey(cert.privateKey) });
      calls.certBytes = [(await cc.orderQuery({ commodityOrderId: "1" })).raw.alipayCertSn, client.getCertSN(certBytes.alipayCert) === client.getCertSN(cert.alipayCert)];
      // The same signature as from the PEM text (PKCS#1 v1.5 is deterministic).
      const request = { method: "alipay.open.servicemarket.order.query", params: { commodity_order_id: "1" }, timestamp: 1700000000000, nonce: "n" };
      const signs = [];
      for (const privateKey of [key.privateKey, privateKo, privateKo.export({ format: "der", type: "pkcs8" })]) {
        signs.push((await client.signV3Request({ appId: key.appId, privateKey }, request)).sign);
      }
      const cryptoKey = await webcrypto.subtle.importKey("spki", alipayKo.export({ format: "der", type: "spki" }), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["verify"]);
      const refused = {
        appCertAsAlipays: await attempt(() => client.createClient({ ...cert, alipayCert: cert.appCert })),
        appCertBytesAsAlipays: await attempt(() => client.createClient({ ...cert, alipayCert: Buffer.from(cert.appCert) })),
        appKeyAsAlipays: await attempt(() => client.createClient({ ...key, alipayPublicKey: createPublicKey(privateKo) })),
        rootAsAlipays: await attempt(() => client.createClient({ ...cert, alipayCert: cert.alipayRootCert })),
        number: await attempt(() => client.createClient({ ...key, alipayPublicKey: 42 })),
        cryptoKey: await attempt(() => client.createClient({ ...key, alipayPublicKey: cryptoKey })),
        privateNumber: await attempt(() => client.createClient({ ...key, privateKey: 7 })),
      };
      console.log(JSON.stringify({ calls, signs, refused, sn: cert.appCert === undefined ? null : client.getCertSN(file("alipayCertPublicKey_RSA2.crt")) }));`,
    );
    for (const name of ["keyObjects", "der", "arrayBuffers"]) assert.deepEqual(r.calls[name], ["v3", "v2"], name);
    assert.equal(r.calls.certBytes[0], mocks.cert.sn.alipayCertSn);
    assert.equal(r.calls.certBytes[1], true);
    assert.equal(r.signs.length, 3);
    assert.ok(
      r.signs.every((s) => s === r.signs[0] && typeof s === "string" && s.length > 300),
      "the same signature from every form",
    );
    assert.equal(r.refused.appCertAsAlipays, `AlipayNotifyError:INVALID_PUBLIC_KEY:${APP_CERT}`);
    assert.equal(r.refused.appCertBytesAsAlipays, `AlipayNotifyError:INVALID_PUBLIC_KEY:${APP_CERT}`);
    assert.match(
      r.refused.appKeyAsAlipays,
      /^AlipayNotifyError:INVALID_PUBLIC_KEY:.*app's own public key \(应用公钥\)/,
    );
    assert.equal(r.refused.rootAsAlipays, `AlipayNotifyError:INVALID_PUBLIC_KEY:${ROOT_BUNDLE}`);
    assert.match(
      r.refused.number,
      new RegExp(`^AlipayNotifyError:INVALID_ARGUMENT:.*${literal(`the Alipay public key is a number: ${KEY_FORMS}`)}`),
    );
    assert.match(r.refused.cryptoKey, /^AlipayNotifyError:INVALID_ARGUMENT:.*the Alipay public key is a CryptoKey/);
    // The client's own code for its private key, whatever is wrong with it.
    assert.match(r.refused.privateNumber, /^AlipayNotifyError:INVALID_PRIVATE_KEY:.*the private key is a number/);
    assert.equal(r.sn, mocks.cert.sn.alipayCertSn);
  });

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

// The app certificate where Alipay's belongs: the verifier cannot use it, and the report says
// which certificate file was meant (a plain public key keeps the public-key hint).
test("an app certificate given as the Alipay key gets the certificate-files hint", () => {
  const real = JSON.parse(
    readFileSync(join(jsDir, "../vectors/real/notify-servicemarket-order-2019-03-08-v2.json"), "utf8"),
  );
  const appCert = readFileSync(join(jsDir, "../vectors/openapi/keys/appCertPublicKey_2021000000000001.crt"), "utf8");
  const appKey = readFileSync(join(jsDir, "../vectors/openapi/keys/app-public.pem"), "utf8");
  const r = runIn(
    "cjs",
    `const body = ${JSON.stringify(real.derived_form_body.body)};
    const hint = (key) => api.inspectNotification(body, key).problems.find((p) => p.code === "WRONG_KEY")?.hint ?? null;
    console.log(JSON.stringify({ cert: hint(${JSON.stringify(appCert)}), key: hint(${JSON.stringify(appKey)}),
      verify: attempt(() => api.verifyNotification(body, ${JSON.stringify(appCert)})) }));`,
  );
  assert.match(r.cert, /appCertPublicKey_<appId>\.crt/);
  assert.match(r.cert, /alipayCertPublicKey_RSA2\.crt/);
  assert.match(r.key, /应用公钥/);
  assert.doesNotMatch(r.key, /appCertPublicKey/);
  assert.match(r.verify, /^AlipayNotifyError:SIGNATURE_MISMATCH/);
});
