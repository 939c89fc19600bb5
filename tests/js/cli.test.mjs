// The `alipay-notify` command as users get it: the packed tarball installed with npm into a
// project of its own, run as `node_modules/.bin/alipay-notify`. verify and inspect on real
// Alipay-signed notifications (tests/vectors/real), cert-sn against SNs computed here with
// node:crypto's X509Certificate, and the sandbox (its first JSON line, one call signed by
// alipay-sdk@4.14.0, then stopped).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync, spawn } from "node:child_process";
import { createHash, generateKeyPairSync, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { AlipaySdk } from "alipay-sdk";
import { packInto, root } from "./lib/scratch.mjs";
import { startGateway } from "./lib/gateway.mjs";

const REAL = join(root, "tests/vectors/real");
const KEYS = join(root, "tests/vectors/openapi/keys");
let project;
let cli;
let files;

before(() => {
  project = mkdtempSync(join(tmpdir(), "alipay-notify-cli-"));
  const tarball = packInto(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "cli-test",
      private: true,
      dependencies: { "alipay-notify": `file:./${tarball.slice(project.length + 1)}` },
    }),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", "--silent"], {
    cwd: project,
    stdio: "inherit",
  });
  cli = join(project, "node_modules/.bin/alipay-notify");
  // Bodies and keys as a user saves them: the body with a trailing newline, the key as published.
  const v2 = JSON.parse(readFileSync(join(REAL, "notify-servicemarket-order-2019-03-08-v2.json"), "utf8"));
  const v1 = JSON.parse(readFileSync(join(REAL, "notify-servicemarket-order-2020-03-25-v1-empty-kept.json"), "utf8"));
  const tampered = v2.derived_form_body.body.replace("service_code=58621634", "service_code=58621634111");
  files = { v2, v1 };
  for (const [name, text] of Object.entries({
    "v2.txt": `${v2.derived_form_body.body}\n`,
    "v2-key.pem": v2.alipay_public_key,
    "v1.txt": `${v1.derived_form_body.body}\r\n`,
    "v1-key.txt": v1.alipay_public_key,
    "tampered.txt": tampered,
    "bad-key.txt": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA-not-a-key",
  }))
    writeFileSync(join(project, name), text);
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/** Runs the command; resolves with the exit code and both outputs (never rejects). */
function run(args, input) {
  return new Promise((resolve) => {
    const child = execFile(cli, args, { cwd: project, encoding: "utf8" }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

test("verify: exit 0 and one line for a real notification (V2 with a PEM key, V1 from stdin with a bare key)", async () => {
  const a = await run(["verify", "v2.txt", "--key", "v2-key.pem"]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(
    a.stdout,
    "verified servicemarket_order_notify (v2, RSA2, UTF-8) notify_id=2019030800222102023008121054923345 order=2019030800000018079639\n",
  );
  const b = await run(
    ["verify", "-", "--key", "v1-key.txt", "--app-id", files.v1.params.app_id],
    readFileSync(join(project, "v1.txt")),
  );
  assert.equal(b.code, 0, b.stderr);
  assert.match(
    b.stdout,
    /^verified servicemarket_order_notify \(v1, RSA2, UTF-8\) notify_id=\d+ order=202003250000000005945192\n$/,
  );
});

test("verify: exit 1 with the code and message when it does not verify; keys never echoed", async () => {
  const tampered = await run(["verify", "tampered.txt", "--key", "v2-key.pem"]);
  assert.equal(tampered.code, 1);
  assert.match(tampered.stderr, /^SIGNATURE_MISMATCH: .+\n$/);
  assert.equal(tampered.stdout, "");
  const app = await run(["verify", "v2.txt", "--key", "v2-key.pem", "--app-id", "2021000000000000"]);
  assert.equal(app.code, 1);
  assert.match(app.stderr, /^APP_ID_MISMATCH: /);
  const badKey = await run(["verify", "v2.txt", "--key", "bad-key.txt"]);
  assert.equal(badKey.code, 1);
  assert.match(badKey.stderr, /^INVALID_PUBLIC_KEY: /);
  assert.doesNotMatch(badKey.stderr, /MIIBIjAN/);
  const noKey = await run(["verify", "v2.txt"]);
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /--key/);
});

test("inspect: the report as text and as JSON; the sign contents are the reference implementations'", async () => {
  const text = await run(["inspect", "v2.txt", "--key", "v2-key.pem"]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^outcome: verified \(v2, RSA2\)$/m);
  assert.match(
    text.stdout,
    /^kind: servicemarket_order_notify; charset: UTF-8; sign_type: RSA2; documented variant: v2$/m,
  );
  assert.ok(text.stdout.includes(`sign content V2: ${files.v2.expected.canonical_string}\n`));
  const json = await run(["inspect", "tampered.txt", "--key", "v2-key.pem", "--json"]);
  assert.equal(json.code, 0);
  const report = JSON.parse(json.stdout);
  assert.equal(report.outcome.status, "failed");
  assert.equal(report.outcome.error.code, "SIGNATURE_MISMATCH");
  assert.equal(report.kind, "servicemarket_order_notify");
  const v1 = JSON.parse((await run(["inspect", "v1.txt", "--json"])).stdout);
  assert.equal(v1.signContentV1, files.v1.expected.canonical_string);
  assert.equal(v1.key.provided, false);
});

/** Alipay's SN, computed here: md5(issuer DN most specific first, comma-joined + decimal serial). */
function sn(pem) {
  const x = new X509Certificate(pem);
  const issuer = x.issuer.split("\n").reverse().join(",");
  return createHash("md5")
    .update(issuer + BigInt(`0x${x.serialNumber}`).toString(10))
    .digest("hex");
}

function certs(bundle) {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

test("cert-sn: app and Alipay certificates, and the root bundle's SN (RSA certificates only), as computed with node:crypto", async () => {
  for (const file of ["appCertPublicKey_2021000000000001.crt", "alipayCertPublicKey_RSA2.crt"]) {
    const out = await run(["cert-sn", join(KEYS, file)]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, `${sn(certs(readFileSync(join(KEYS, file), "utf8"))[0])}\n`, file);
  }
  const bundle = readFileSync(join(KEYS, "alipayRootCert.crt"), "utf8");
  const rsa = certs(bundle).filter((c) => new X509Certificate(c).publicKey.asymmetricKeyType === "rsa");
  assert.ok(rsa.length >= 1 && rsa.length < certs(bundle).length, "the bundle mixes RSA and other certificates");
  const expected = rsa.map(sn).join("_");
  const byName = await run(["cert-sn", join(KEYS, "alipayRootCert.crt")]);
  assert.equal(byName.stdout, `${expected}\n`);
  writeFileSync(join(project, "bundle.pem"), bundle);
  assert.equal((await run(["cert-sn", "bundle.pem", "--root"])).stdout, `${expected}\n`);
  // The committed SNs (computed with Python cryptography) agree.
  const committed = JSON.parse(readFileSync(join(KEYS, "sn.json"), "utf8"));
  assert.equal(expected, committed.alipay_root_cert_sn);
  const missing = await run(["cert-sn", "nope.crt"]);
  assert.equal(missing.code, 2);
});

test("usage: --help prints it; an unknown command or option exits 2 with it", async () => {
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage:\n {2}alipay-notify sandbox --gateway URL/);
  for (const args of [["frobnicate"], [], ["verify", "v2.txt", "--key", "v2-key.pem", "--colour"], ["sandbox"]]) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, /Usage:/);
  }
});

/**
 * Starts `alipay-notify sandbox …`: the process, its output lines so far, `until` (the first
 * matching line) and its exit.
 * @param {string[]} args
 * @param {"ignore" | "pipe"} [stdin]
 */
function startCli(args, stdin = "ignore") {
  const child = spawn(cli, ["sandbox", ...args], { cwd: project, stdio: [stdin, "pipe", "pipe"] });
  const lines = [];
  let waiting = null;
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    waiting?.();
  });
  /** The first line after the `from`-th that matches. */
  const until = (pred, from = 0) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out; got:\n${lines.join("\n")}`)), 20_000);
      const check = () => {
        const hit = lines.slice(from).find(pred);
        if (hit) {
          clearTimeout(t);
          waiting = null;
          resolve(hit);
        }
      };
      waiting = check;
      check();
    });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, lines, until, exited };
}

test("sandbox: the first line is the configuration; alipay-sdk's signed call is answered and shows in the timeline", async () => {
  const gw = await startGateway();
  const s = startCli(["--gateway", gw.url, "--port", "0", "--order"]);
  try {
    const config = JSON.parse(await s.until(() => true));
    assert.deepEqual(Object.keys(config).sort(), ["alipayPublicKey", "appId", "appPrivateKey", "url"]);
    assert.match(config.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await s.until((l) => l.includes("→ order notify"));
    const order = gw.received.find((r) => r.params.notify_type === "servicemarket_order_notify");
    assert.ok(order);
    const sdk = new AlipaySdk({
      appId: config.appId,
      privateKey: config.appPrivateKey,
      keyType: "PKCS8",
      alipayPublicKey: config.alipayPublicKey,
      endpoint: config.url,
      gateway: `${config.url}/gateway.do`,
    });
    assert.equal(sdk.checkNotifySignV2(order.params), true);
    const q = await sdk.curl("GET", "/v3/alipay/open/servicemarket/order/query", {
      query: { commodity_order_id: order.params.commodity_order_id },
    });
    assert.equal(q.data.status, "MERCHANT_ORDED");
    const line = await s.until((l) => l.includes("← v3 orderQuery"));
    assert.match(line, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} {2}← v3 orderQuery \d+: verified → 200 Success$/);
  } finally {
    s.child.kill("SIGTERM");
    const exit = await s.exited;
    assert.equal(exit.code, 0);
    await gw.close();
  }
});

test("sandbox --app-public-key: no private key printed; requests signed with the matching key verify", async () => {
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  writeFileSync(join(project, "app-public.pem"), String(pair.publicKey.export({ type: "spki", format: "pem" })));
  const gw = await startGateway();
  const s = startCli(["--gateway", gw.url, "--app-id", "2021004100000002", "--app-public-key", "app-public.pem"]);
  try {
    const config = JSON.parse(await s.until(() => true));
    assert.deepEqual(Object.keys(config).sort(), ["alipayPublicKey", "appId", "url"]);
    assert.equal(config.appId, "2021004100000002");
    const sdk = new AlipaySdk({
      appId: config.appId,
      privateKey: String(pair.privateKey.export({ type: "pkcs1", format: "pem" })),
      alipayPublicKey: config.alipayPublicKey,
      endpoint: config.url,
      gateway: `${config.url}/gateway.do`,
    });
    const r = await sdk.exec(
      "alipay.open.servicemarket.order.query",
      { bizContent: { commodity_order_id: "1" } },
      { validateSign: true },
    );
    assert.deepEqual([r.code, r.subCode], ["40004", "QUERY_FAILD"]);
    assert.match(await s.until((l) => l.includes("← v2")), /← v2 orderQuery 1: verified → 200 40004 QUERY_FAILD$/);
  } finally {
    s.child.kill("SIGTERM");
    await s.exited;
    await gw.close();
  }
});

test("sandbox: commands on standard input place an order and move the clock past the 3-day rule", async () => {
  const gw = await startGateway();
  const s = startCli(["--gateway", gw.url], "pipe");
  const send = (line) => s.child.stdin?.write(`${line}\n`);
  try {
    JSON.parse(await s.until(() => true));
    send("order paid=false charset=GBK");
    const made = JSON.parse((await s.until((l) => l.startsWith("= "))).slice(2));
    assert.match(made.commodityOrderId, /^\d{23}$/);
    const change = gw.received.find((r) => r.params.msg_method === "alipay.open.servicemarket.order.change.notify");
    assert.equal(JSON.parse(change?.params.biz_content ?? "{}").status, "WAIT_FOR_PAYMENT");
    let mark = s.lines.length;
    send("advance 2d 23h 59m");
    await s.until((l) => l.startsWith('= {"now"'), mark);
    assert.equal(
      s.lines.slice(mark).filter((l) => l.includes("MERCHANT_CANCELLED")).length,
      0,
      "one minute before: nothing",
    );
    mark = s.lines.length;
    send("advance 2m");
    await s.until((l) => l.startsWith('= {"now"'), mark);
    assert.ok(s.lines.slice(mark).some((l) => /● UNPAID_AUTO_CANCEL \d+ → MERCHANT_CANCELLED$/.test(l)));
    assert.ok(
      s.lines
        .slice(mark)
        .some((l) => /→ order change MERCHANT_CANCELLED \d+ \(attempt 1\): 200 "success" → delivered$/.test(l)),
    );
    mark = s.lines.length;
    send(`show ${made.commodityOrderId}`);
    const shown = JSON.parse((await s.until((l) => l.startsWith("= "), mark)).slice(2));
    assert.equal(shown.status, "MERCHANT_CANCELLED");
    mark = s.lines.length;
    send("pay 1");
    assert.match(await s.until((l) => l.startsWith("! "), mark), /^! INVALID_ARGUMENT: /);
    mark = s.lines.length;
    send("frobnicate");
    assert.match(await s.until((l) => l.startsWith("! "), mark), /^! USAGE: unknown command/);
  } finally {
    s.child.kill("SIGTERM");
    await s.exited;
    await gw.close();
  }
});
