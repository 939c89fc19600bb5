// Re-framed notifications through the packed package (ESM and CJS): the same signed bytes split
// into other parameters are refused with AMBIGUOUS_FRAMING, legitimate spellings share one
// fingerprint; `inspectNotification` never says verified where `verifyNotification` refuses;
// duplicate names compare as text.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { prepareScratch, scratch, jsDir } from "./lib/scratch.mjs";

before(() => {
  prepareScratch();
});

function runIn(kind, body) {
  const load = kind === "esm" ? `const api = await import("alipay-notify");` : `const api = require("alipay-notify");`;
  const source = `(async () => { ${load}
    const { reframingSources } = await import(${JSON.stringify(join(jsDir, "lib/load.mjs"))});
    const { runReframings } = await import(${JSON.stringify(join(jsDir, "lib/reframing.mjs"))});
    ${body}
  })().catch((e) => { console.error(e); process.exit(1); });`;
  const args = kind === "esm" ? ["--input-type=module", "-e", source] : ["-e", source];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: scratch, encoding: "utf8", maxBuffer: 1 << 26 }));
}

for (const kind of ["esm", "cjs"]) {
  test(`${kind}: every re-framing is refused, every spelling verifies with one fingerprint`, () => {
    const r = runIn(kind, `console.log(JSON.stringify(runReframings(api, reframingSources())));`);
    assert.deepEqual(r.bad, []);
    assert.ok(r.reframed >= 200, `${r.reframed} re-framings`);
    assert.ok(r.same >= 30, `${r.same} spellings`);
  });

  test(`${kind}: inspect follows verify on a bare %, and duplicate names compare as text`, () => {
    const r = runIn(
      kind,
      `const src = reframingSources().find((s) => s.id === "doc-order-notify-2020");
      const out = {};
      for (const [name, body] of [["tail", src.body + "&a=100%"], ["head", "a=100%&" + src.body]]) {
        let code = null;
        try { api.verifyNotification(body, src.key); } catch (e) { code = e.code; }
        const report = api.inspectNotification(body, src.key);
        out[name] = { code, status: report.outcome.status, inspectCode: report.outcome.error?.code,
          verified: report.notification?.verified, fingerprint: report.notification?.fingerprint };
      }
      const gbk = new Uint8Array([...new TextEncoder().encode("charset=GBK&a%80=1&a"), 0x25, 0x41, 0x32, 0x25, 0x45, 0x33, 0x3d, 0x32]);
      try { api.parseNotification(gbk); out.gbk = "parsed"; } catch (e) { out.gbk = e.code; }
      const genuine = api.verifyNotification(src.body, src.key, src.options);
      out.fingerprint = genuine.fingerprint === src.fingerprint;
      out.unverified = api.parseNotification(src.body).fingerprint;
      console.log(JSON.stringify(out));`,
    );
    for (const name of ["tail", "head"]) {
      assert.equal(r[name].code, "MALFORMED_FORM", name);
      assert.equal(r[name].status, "failed", name);
      assert.equal(r[name].inspectCode, "MALFORMED_FORM", name);
      assert.equal(r[name].verified, false, name);
      assert.equal(r[name].fingerprint, null, name);
    }
    assert.equal(r.gbk, "DUPLICATE_PARAMETER");
    assert.equal(r.fingerprint, true);
    assert.equal(r.unverified, null);
  });
}
