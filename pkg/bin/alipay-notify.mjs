#!/usr/bin/env node
// The `alipay-notify` command: a local Service Market (`sandbox`), and the package's checks on
// files (`verify`, `inspect`, `cert-sn`). Exit codes: 0 done, 1 the check failed, 2 bad usage.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import {
  getCertSN,
  getRootCertSN,
  inspectNotification,
  isAlipayNotifyError,
  verifyNotification,
} from "../index.node.mjs";
import { startSandbox } from "../sandbox.mjs";

const USAGE = `Usage:
  alipay-notify sandbox --gateway URL [--port N] [--app-id ID] [--app-public-key FILE] [--order]
      A local Service Market on 127.0.0.1: prints one JSON line {url, appId, alipayPublicKey,
      appPrivateKey?}, then the timeline (notifications sent, calls received) as it happens.
      Commands on standard input, one a line: order [paid=false] [authorize=false] [charset=GBK]
      [variant=v1] [merchant=PID] [items=shop:ID,miniApp:ID] · authorize ID · pay ID · refund ID ·
      confirm ID · show ID ·
      advance 3d 4h 10m (fires the retries and 3/30/7-day rules that fall due).
  alipay-notify verify <body-file|-> --key <key-file> [--app-id ID]
      Verifies a notification body with the Alipay public key (or certificate) in key-file.
  alipay-notify inspect <body-file|-> [--key <key-file>] [--json]
      Everything about a notification: sign contents, variants, problems and hints.
  alipay-notify cert-sn <cert-file> [--root]
      The certificate SN as Alipay computes it (app_cert_sn, alipay_cert_sn); --root (or a file
      named *root*) gives the root bundle's alipay_root_cert_sn.
  alipay-notify --help`;

/** A usage error: exit 2 with the usage. */
class UsageError extends Error {}

function parse(args, options, positionals) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (parsed.positionals.length !== positionals)
    throw new UsageError(positionals ? "expected one file argument" : "unexpected argument");
  return parsed;
}

/** A file's bytes (`-`: standard input), without trailing line ends (a saved body often has one). */
function readBody(file) {
  let bytes = readFileSync(file === "-" ? 0 : file);
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  bytes = bytes.subarray(0, end);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

const readText = (file) => readFileSync(file, "utf8");

function verify(args) {
  const { values, positionals } = parse(args, { key: { type: "string" }, "app-id": { type: "string" } }, 1);
  if (!values.key) throw new UsageError("verify needs --key <key-file>");
  const n = verifyNotification(
    readBody(positionals[0]),
    readText(values.key),
    values["app-id"] ? { appId: values["app-id"] } : undefined,
  );
  const order = "commodityOrderId" in n ? n.commodityOrderId : "orderNo" in n ? n.orderNo : null;
  const status = "status" in n && n.kind === "alipay.open.servicemarket.order.change.notify" ? n.status : null;
  const parts = [
    `verified ${n.kind}`,
    `(${n.variant}, ${n.signType}, ${n.charset})`,
    n.notifyId ? `notify_id=${n.notifyId}` : null,
    order ? `order=${order}` : null,
    status ? `status=${status}` : null,
  ];
  console.log(parts.filter(Boolean).join(" "));
  return 0;
}

function inspect(args) {
  const { values, positionals } = parse(args, { key: { type: "string" }, json: { type: "boolean" } }, 1);
  const report = inspectNotification(readBody(positionals[0]), values.key ? readText(values.key) : null);
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  const o = report.outcome;
  const lines = [
    `outcome: ${o.status}${o.variant ? ` (${o.variant}, ${o.signType})` : ""}${o.error ? ` — ${o.error.code}: ${o.error.message}` : ""}`,
    `kind: ${report.kind}; charset: ${report.charset ?? "?"}; sign_type: ${report.signType ?? "?"}; documented variant: ${report.documentedVariant}`,
    `V1: ${report.v1}; V2: ${report.v2}; key: ${report.key.provided ? (report.key.error ? report.key.error.code : `${report.key.bits} bits`) : "not given"}`,
    `sign content V1: ${report.signContentV1}`,
    `sign content V2: ${report.signContentV2}`,
    `params (${report.params.length}):`,
    ...report.params.map((p) => `  ${p.name}=${p.value}${p.documented === false ? "  (undocumented)" : ""}`),
    `problems (${report.problems.length}):`,
    ...report.problems.map(
      (p) => `  [${p.severity}] ${p.code}${p.param ? ` (${p.param})` : ""}: ${p.message}\n    → ${p.hint}`,
    ),
  ];
  console.log(lines.join("\n"));
  return 0;
}

function certSn(args) {
  const { values, positionals } = parse(args, { root: { type: "boolean" } }, 1);
  const file = positionals[0];
  const text = readText(file);
  const root = values.root || /root/i.test(basename(file));
  console.log(root ? getRootCertSN(text) : getCertSN(text));
  return 0;
}

async function sandbox(args) {
  const { values } = parse(
    args,
    {
      gateway: { type: "string" },
      port: { type: "string" },
      "app-id": { type: "string" },
      "app-public-key": { type: "string" },
      order: { type: "boolean" },
    },
    0,
  );
  if (!values.gateway) throw new UsageError("sandbox needs --gateway URL (the ISV's notify URL)");
  if (values.port !== undefined && !/^\d+$/.test(values.port)) throw new UsageError("--port takes a number");
  const sb = await startSandbox({
    gateway: values.gateway,
    ...(values.port !== undefined ? { port: Number(values.port) } : {}),
    ...(values["app-id"] ? { appId: values["app-id"] } : {}),
    ...(values["app-public-key"] ? { appPublicKey: readText(values["app-public-key"]) } : {}),
    onLog: (_entry, line) => console.log(line),
  });
  console.log(
    JSON.stringify({
      url: sb.url,
      appId: sb.appId,
      alipayPublicKey: sb.alipayPublicKey,
      ...(sb.appPrivateKey ? { appPrivateKey: sb.appPrivateKey } : {}),
    }),
  );
  const stop = () => {
    sb.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  if (values.order) await sb.createOrder();
  // Commands on standard input drive the merchant's side and the clock (see USAGE).
  const rl = createInterface({ input: process.stdin, terminal: false });
  let queue = Promise.resolve();
  rl.on("line", (line) => {
    queue = queue.then(() => command(sb, line.trim()));
  });
  return null;
}

/** Runs one standard-input command; prints `= result` or `! CODE: message`. */
async function command(sb, line) {
  if (line === "") return;
  const [verb, ...args] = line.split(/\s+/);
  try {
    let result;
    if (verb === "order") result = await sb.createOrder(orderOptions(args));
    else if (verb === "pay") result = await sb.pay(args[0]);
    else if (verb === "authorize") result = await sb.authorize(args[0]);
    else if (verb === "refund") result = await sb.merchantRefund(args[0]);
    else if (verb === "confirm") result = await sb.merchantConfirm(args[0]);
    else if (verb === "show") result = sb.order(args[0]);
    else if (verb === "advance") {
      const span = { days: 0, hours: 0, minutes: 0 };
      for (const a of args) {
        const m = /^(\d+(?:\.\d+)?)([dhm])$/.exec(a);
        if (!m) throw new UsageError(`advance takes e.g. 3d 4h 10m, not ${a}`);
        span[{ d: "days", h: "hours", m: "minutes" }[m[2]]] += Number(m[1]);
      }
      await sb.advance(span);
      result = { now: sb.now() };
    } else throw new UsageError(`unknown command \`${verb}\` (order, authorize, pay, refund, confirm, show, advance)`);
    console.log(`= ${JSON.stringify(result)}`);
  } catch (e) {
    console.log(`! ${e?.code ?? "USAGE"}: ${e?.message ?? e}`);
  }
}

/** `order` arguments: paid=false, charset=GBK, variant=v1, merchant=PID, items=shop:ID,miniApp:ID. */
function orderOptions(args) {
  const options = {};
  for (const a of args) {
    const [k, v = ""] = a.split("=");
    if (k === "paid" || k === "needsPayment" || k === "authorize") options[k] = v !== "false";
    else if (k === "charset") options.charset = v.toUpperCase();
    else if (k === "variant") options.notifyVariant = v;
    else if (k === "merchant") options.merchantPid = v;
    else if (k === "items")
      options.items = v.split(",").map((i) => {
        const [type, id] = i.split(":");
        return type === "shop" ? { shopId: id } : { miniAppId: id };
      });
    else
      throw new UsageError(
        `order takes paid=, needsPayment=, authorize=, charset=, variant=, merchant=, items=; not ${k}`,
      );
  }
  return options;
}

const COMMANDS = { sandbox, verify, inspect, "cert-sn": certSn };

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(command ? `unknown command \`${command}\`` : "no command");
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (e) => {
    if (e instanceof UsageError) {
      console.error(`alipay-notify: ${e.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (isAlipayNotifyError(e)) {
      console.error(`${e.code}: ${e.message}`);
      process.exitCode = 1;
    } else if (e?.code === "ENOENT" || e?.code === "EISDIR" || e?.code === "EACCES") {
      console.error(`alipay-notify: cannot read ${e.path}: ${e.code}`);
      process.exitCode = 2;
    } else {
      console.error(`alipay-notify: ${e?.message ?? e}`);
      process.exitCode = 1;
    }
  },
);
