// `make demo`, second part: the order lifecycle end to end, on this machine only. The sandbox
// (`alipay-notify/sandbox`, from the packed tarball) plays Alipay with keys of its own; the Node
// example's gateway (examples/node, its in-memory store: `make demo` installs no database
// driver) verifies each notification, applies it to the order's lifecycle and makes the calls
// the next action names through `alipay-notify/client`. Two stories: the happy path (ordered →
// accepted → implemented → auto-confirmed after 7 days → DONE) and a refund during
// implementation (the gateway queries the order and stops the service). Exits non-zero when an
// order does not end where the story says.
import http from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, "tests/js/.scratch/package.json"));
// The packed package as a user has it; typed from its declarations (pkg/*.d.ts), which exist
// before the build does.
const load = (subpath) => require(`alipay-notify/${subpath}`);
/** @type {typeof import("../pkg/sandbox.js")} */
const { startSandbox } = load("sandbox");
/** @type {typeof import("../pkg/client.js")} */
const { createClient } = load("client");
const { createGateway, MemoryStore } = await import(pathToFileURL(join(root, "examples/node/server.mjs")).href);

const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

/** What the gateway logs, as short lines under the sandbox's (its JSON lines condensed). */
function gatewayLogger() {
  const say = (text) => {
    const l = JSON.parse(text);
    if (l.msg === "notification")
      for (const o of l.orders) console.log(dim(`                       ISV  applied → next ${o.next}`));
    else if (l.msg === "call")
      console.log(dim(`                       ISV  ${l.api}${l.item ? ` ${l.item}` : ""} → ${l.outcome}`));
    else if (l.msg === "service stopped")
      console.log(`                       ISV  ${bold("service stopped")} (${l.status})`);
    else if (l.level !== "info") console.log(dim(`                       ISV  ${l.msg} ${l.error ?? l.code ?? ""}`));
  };
  return { log: say, error: say };
}

/** A sandbox and the Node gateway wired to it; the sandbox's timeline printed as it happens. */
async function wire() {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  const sb = await startSandbox({
    gateway: `http://127.0.0.1:${port}/`,
    onLog: (_entry, line) => console.log(line),
  });
  const client = createClient({
    appId: sb.appId,
    privateKey: sb.appPrivateKey,
    alipayPublicKey: sb.alipayPublicKey,
    endpoint: sb.url,
    gateway: sb.gateway,
  });
  const { handler, app } = createGateway({
    alipayPublicKey: sb.alipayPublicKey,
    appId: sb.appId,
    store: new MemoryStore(),
    client,
    now: () => sb.now(),
    logger: gatewayLogger(),
  });
  server.on("request", handler);
  return {
    sb,
    app,
    async close() {
      await sb.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

let failed = 0;
function expect(what, actual, wanted) {
  const ok = actual === wanted;
  if (!ok) failed += 1;
  console.log(`  ${ok ? "✔" : "✘"} ${what}: ${actual}${ok ? "" : ` (expected ${wanted})`}`);
}

console.log(bold("\n● The order lifecycle against a local Service Market (alipay-notify sandbox)"));
console.log(
  dim("  sandbox lines: ● merchant or rule, → notification, ← call received; ISV lines: what the gateway did"),
);
console.log(dim("  (a notification's line comes when the gateway answers it: after the calls it made meanwhile)\n"));

console.log(bold("  1. Happy path: ordered, accepted, implemented, confirmed automatically after 7 days"));
{
  const w = await wire();
  try {
    const { commodityOrderId: id } = await w.sb.createOrder({ items: [{ shopId: "2015052000077000000000182140" }] });
    console.log(dim("  … 7 days pass without the merchant confirming"));
    await w.sb.advance({ days: 7, minutes: 1 });
    await w.sb.settle();
    expect("sandbox order", w.sb.order(id).status, "DONE");
    expect("gateway's lifecycle state", w.app.orders.get(id)?.state.status, "DONE");
  } finally {
    await w.close();
  }
}

console.log(bold("\n  2. The merchant refunds during implementation (before authorising the app)"));
{
  const w = await wire();
  try {
    const { commodityOrderId: id } = await w.sb.createOrder({ authorize: false });
    console.log(dim("  … 2 days later the merchant asks for a refund"));
    await w.sb.advance({ days: 2 });
    await w.sb.merchantRefund(id);
    await w.sb.settle();
    expect("sandbox order", w.sb.order(id).status, "MERCHANT_CANCELLED");
    expect("refunded", w.sb.order(id).refunded, true);
    expect("gateway stopped the service", w.app.orders.get(id)?.serviceStopped, true);
  } finally {
    await w.close();
  }
}

if (failed) {
  console.log(`\n${failed} expectation(s) failed.`);
  process.exit(1);
}
