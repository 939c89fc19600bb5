// `make demo`: verifies the built-in samples through the npm package (installed from its packed
// tarball, exactly as a user gets it) and prints what each one is.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const scratch = join(root, "tests/js/.scratch");
const require = createRequire(join(scratch, "package.json"));
const api = require("alipay-notify");
const samples = JSON.parse(readFileSync(join(root, "www/samples.json"), "utf8"));

const line = (label, value) => value != null && value !== "" && console.log(`    ${label.padEnd(18)} ${value}`);
let ok = 0;
for (const s of samples) {
  console.log(`\n● ${s.zh} — ${s.en}`);
  try {
    const n = api.verifyNotification(s.body, s.key, s.options);
    console.log(`  ✔ verified · ${n.variant.toUpperCase()} · ${n.signType} · ${n.charset} · ${n.kind}`);
    line("notify_id", n.notifyId);
    if (n.kind === "servicemarket_order_notify") {
      line("order", `${n.commodityOrderId} · ${n.title} · ¥${n.totalPrice}`);
      line("merchant", `${n.name} (${n.merchantPid})`);
      line("channels", n.miniappReleaseBundle.map((c) => `${c.code} ${c.zh ?? "?"}`).join(", "));
    } else if (n.kind === "alipay.open.servicemarket.order.change.notify") {
      line("order", `${n.orderNo} / ${n.orderLineNo}`);
      line(
        "status",
        n.statusInfo
          ? `${n.status} ${n.statusInfo.zh} — ${n.statusInfo.en}${n.statusInfo.terminal ? " (final)" : ""}`
          : n.status,
      );
      line("next", n.statusInfo?.next);
      line("deadline", n.deadline && `${n.deadline.at} (${n.deadline.rule.en})`);
      line("cancelled by", n.cancelOperator && `${n.cancelOperator.zh} — ${n.cancelMemo ?? ""}`);
    } else if (n.kind === "alipay.open.servicemarket.orderrenew.notify") {
      line("due in 30 days", `${n.waitForRenewOrderCount30Day} orders, ${n.waitForRenewMerchantCount30Day} merchants`);
    } else if (n.kind === "open_app_auth_notify") {
      line("auth app", `${n.authAppId} · ${n.status} · trigger ${n.trigger}`);
      line("token", n.detail && `${n.detail.appAuthToken} (expires in ${n.detail.expiresIn}s)`);
    }
    ok += s.expect.verified ? 1 : 0;
  } catch (e) {
    const report = api.inspectNotification(s.body, s.key, s.options);
    const expected = s.expect.error === e.code;
    console.log(`  ✘ ${e.code}${expected ? " (expected)" : " — UNEXPECTED"}`);
    for (const p of report.problems.slice(0, 2)) console.log(`    hint: ${p.hintZh}\n          ${p.hint}`);
    ok += expected ? 1 : 0;
  }
}
console.log(`\n${ok}/${samples.length} samples gave the expected result.`);
if (ok !== samples.length) process.exit(1);
