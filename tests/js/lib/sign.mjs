// A small, independent signer for tests (Node `crypto`, never the code under test): builds
// notifications of the four kinds, signs them as Alipay does (SPEC §2) and encodes the form body.
import { createPrivateKey, sign as rsaSign } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./scratch.mjs";

const keysDir = join(root, "tests/vectors/notifications/keys");

/** A private key from tests/vectors/notifications/keys (e.g. "alipay-rsa2048"). */
export function privateKey(name = "alipay-rsa2048") {
  return createPrivateKey(readFileSync(join(keysDir, `${name}-private.pem`), "utf8"));
}

/** The matching public key as users paste it (PEM). */
export function publicKeyPem(name = "alipay-rsa2048") {
  return readFileSync(join(keysDir, `${name}-public.pem`), "utf8");
}

let gbkTable = null;
/** Encodes text as GBK bytes (reverse of Node's GBK TextDecoder; tests only). */
function gbkEncode(text) {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder("gbk", { fatal: true });
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        let ch;
        try {
          ch = dec.decode(new Uint8Array([a, b]));
        } catch {
          continue;
        }
        if (ch.length === 1 && !gbkTable.has(ch)) gbkTable.set(ch, [a, b]);
      }
    }
  }
  const out = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    if (cp < 0x80) out.push(cp);
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new Error(`not encodable in GBK: ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

function encode(text, charset) {
  return /^gbk$/i.test(charset) ? gbkEncode(text) : Buffer.from(text, "utf8");
}

/** Form encoding: bytes outside [A-Za-z0-9*-._] as %XX, space as '+'. */
function formEncode(bytes) {
  let s = "";
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9*\-._]/.test(c)) s += c;
    else if (b === 0x20) s += "+";
    else s += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return s;
}

/**
 * Signs `params` (an object of decoded values; insertion order is the wire order) and returns the
 * form body (ASCII string). `variant`: "v1" (sign, sign_type left out) or "v2" (only sign left out).
 */
export function signNotification(params, { key = privateKey(), variant = "v1", signType = "RSA2" } = {}) {
  const charset = params.charset ?? "UTF-8";
  const p = { ...params, sign_type: params.sign_type ?? signType };
  delete p.sign;
  const entries = Object.entries(p)
    .filter(([k]) => !(variant === "v1" && k === "sign_type"))
    .map(([k, v]) => [encode(k, charset), encode(String(v), charset)])
    .sort((x, y) => Buffer.compare(x[0], y[0]));
  const content = Buffer.concat(
    entries.flatMap(([k, v], i) => [i ? Buffer.from("&") : Buffer.alloc(0), k, Buffer.from("="), v]),
  );
  const sign = rsaSign(signType === "RSA" ? "sha1" : "sha256", content, key).toString("base64");
  return Object.entries({ ...p, sign })
    .map(([k, v]) => `${formEncode(encode(k, charset))}=${formEncode(encode(String(v), charset))}`)
    .join("&");
}

const pad = (n, w) => String(n).padStart(w, "0");
/** "YYYY-MM-DD HH:MM:SS" for second `i` after a fixed start (Beijing time, as Alipay writes it). */
function stamp(i) {
  const d = new Date(Date.UTC(2026, 5, 1, 2, 0, 0) + i * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
}

export const APP_ID = "2021004112345678";
export const KINDS = [
  "servicemarket_order_notify",
  "alipay.open.servicemarket.order.change.notify",
  "alipay.open.servicemarket.orderrenew.notify",
  "open_app_auth_notify",
];

/**
 * The params of notification number `i` of `kind`, with a distinct notify_id and order number.
 * `order` overrides the order number (commodity_order_id / order_no), `time` the second offset.
 * @param {string} kind
 * @param {number} i
 * @param {{ charset?: string, order?: string, status?: string, time?: number }} [options]
 * @returns {Record<string, string>}
 */
export function notificationParams(kind, i, { charset = "UTF-8", order, status = "ISV_ACCEPTED", time = i } = {}) {
  const notifyId = `2026060100${pad(i, 8)}${kind.length}${charset === "GBK" ? "g" : "u"}`;
  const orderNo = order ?? `20260601${pad(i, 10)}`;
  const envelope = { app_id: APP_ID, charset, version: "1.0", notify_id: notifyId, notify_time: stamp(time) };
  switch (kind) {
    case "servicemarket_order_notify":
      return {
        notify_type: kind,
        ...envelope,
        method: "alipay.open.servicemarket.order.notify",
        timestamp: stamp(time),
        commodity_order_id: orderNo,
        order_time: stamp(time),
        title: "金牛店长",
        name: "成都锦江区老码头火锅",
        merchant_pid: "2088750919868413",
        contactor: "赵华杰",
        phone: "15114022139",
        order_item_num: "1",
        total_price: "0.01",
        biz_type: "商品管理",
        item_code: "AM012348384052768807",
        specifications: "基础版",
        package_count: "1",
        period_day: "90",
        order_ticket: `202606BB${pad(i, 10)}D00`,
        service_code: "58208168",
        isv_ticket: "",
      };
    case "alipay.open.servicemarket.order.change.notify":
      return {
        msg_method: kind,
        ...envelope,
        version: "1.1",
        utc_timestamp: String(Date.UTC(2026, 5, 1) + time * 1000),
        biz_content: JSON.stringify({
          order_no: orderNo,
          order_line_no: `L${orderNo}`,
          item_code: "AM010101000000110306",
          order_time: `${stamp(time)}.000000`,
          operate_time: `${stamp(time)}.000000`,
          status,
          cancel_memo: "商家取消了订单",
        }),
      };
    case "alipay.open.servicemarket.orderrenew.notify":
      return {
        msg_method: kind,
        ...envelope,
        version: "1.1",
        utc_timestamp: String(Date.UTC(2026, 5, 1) + time * 1000),
        biz_content: JSON.stringify({
          wait_for_renew_order_count_30_day: String(i),
          wait_for_renew_merchant_count_30_day: "3",
        }),
      };
    case "open_app_auth_notify":
      return {
        notify_type: kind,
        ...envelope,
        status: "update_auth",
        auth_app_id: order ?? `2021${pad(i, 12)}`,
        biz_content: JSON.stringify({
          notify_context: { trigger: "mrchiscore", trigger_context: { out_biz_no: `2026${pad(i, 12)}` } },
          detail: {
            app_auth_token: `202606BB${pad(i, 8)}token授权`,
            app_refresh_token: `202606BB${pad(i, 8)}refresh`,
            user_id: "2088180415000000",
            auth_app_id: order ?? `2021${pad(i, 12)}`,
            app_id: APP_ID,
            expires_in: 31536000,
            re_expires_in: 32140800,
            auth_time: Date.UTC(2026, 5, 1) + time * 1000,
          },
        }),
      };
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

/** The variant Alipay documents for a kind (order: V2, the rest: V1). */
export function documentedVariant(kind) {
  return kind === "servicemarket_order_notify" ? "v2" : "v1";
}

/**
 * `n` distinct signed notifications, the four kinds in turn, every fourth pair in GBK:
 * `[{ i, kind, charset, notifyId, orderKey, body }]` (`orderKey`: order number or auth_app_id).
 */
export function signedBatch(n, { start = 0, key = privateKey() } = {}) {
  const out = [];
  for (let j = 0; j < n; j++) {
    const i = start + j;
    const kind = KINDS[i % 4];
    const charset = Math.floor(i / 4) % 4 === 3 ? "GBK" : "UTF-8";
    const params = notificationParams(kind, i, { charset });
    const body = signNotification(params, { key, variant: documentedVariant(kind) });
    const orderKey =
      kind === "servicemarket_order_notify"
        ? params.commodity_order_id
        : kind === "alipay.open.servicemarket.order.change.notify"
          ? JSON.parse(params.biz_content).order_no
          : kind === "open_app_auth_notify"
            ? params.auth_app_id
            : null;
    out.push({ i, kind, charset, notifyId: params.notify_id, orderKey, body });
  }
  return out;
}
