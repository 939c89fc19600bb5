// A page as an application writes it: `alipay-notify` from node_modules, its wasm imported as an
// asset (esbuild's `file` loader turns the import into the emitted file's URL) and handed to
// `init(url)`, then every notification embedded in the page verified and shown.
import init, { isAlipayNotifyError, verifyNotification } from "alipay-notify";
import wasmUrl from "alipay-notify/alipay_notify_bg.wasm";

const list = document.getElementById("results");
const results = {};
await init(wasmUrl);
for (const { id, body, key } of JSON.parse(document.getElementById("notifications").textContent)) {
  const item = list.appendChild(document.createElement("li"));
  try {
    const n = verifyNotification(body, key);
    results[id] = { verified: n.verified, kind: n.kind, variant: n.variant };
    item.textContent = `${id}: verified (${n.kind}, ${n.variant})`;
  } catch (e) {
    results[id] = { error: isAlipayNotifyError(e) ? e.code : String(e) };
    item.textContent = `${id}: refused (${results[id].error})`;
  }
}
document.body.dataset.results = JSON.stringify(results);
