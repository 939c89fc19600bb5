// Signed notifications of one order's life at times the test chooses (epoch ms, whole seconds:
// Alipay's times have second precision), shaped as Alipay — and the sandbox — sends them: the
// order notification with `commodity_order_id`, `merchant_pid`, `item_code`; the authorization
// with `detail.user_id` = the merchant PID; order changes with `order_no`, `status`,
// `operate_time`. Signed by lib/sign.mjs (node:crypto), never by the code under test.
import { KINDS, documentedVariant, notificationParams, signNotification } from "./sign.mjs";

const [ORDER, CHANGE, , AUTH] = KINDS;
const pad = (n) => String(n).padStart(2, "0");

/** Epoch ms → "YYYY-MM-DD HH:MM:SS", Beijing time (UTC+8), as Alipay writes it. */
export function beijing(ms) {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Now, rounded down to the second (a time Alipay could have written). */
export const nowSecond = () => Math.floor(Date.now() / 1000) * 1000;

/** A distinct 16-digit merchant PID for number `i`. */
export const merchantPid = (i) => `2088${String(i).padStart(12, "0")}`;

const sign = (kind, params) => signNotification(params, { variant: documentedVariant(kind) });

/**
 * 订购通知 number `seq` (its notify_id) for `order`, sent at `atMs`.
 * @param {{ seq: number, order: string, merchant: string, itemCode?: string, atMs: number, charset?: string }} o
 */
export function orderNotification({ seq, order, merchant, itemCode = "AM012348384052768807", atMs, charset }) {
  const p = notificationParams(ORDER, seq, { order, charset });
  const t = beijing(atMs);
  const params = { ...p, notify_time: t, timestamp: t, order_time: t, merchant_pid: merchant, item_code: itemCode };
  return { kind: ORDER, notifyId: p.notify_id, order, atMs, status: "MERCHANT_ORDED", body: sign(ORDER, params) };
}

/**
 * 订单状态变更 number `seq`: `order` reached `status` at `atMs` (`operate_time`).
 * @param {{ seq: number, order: string, status: string, atMs: number }} o
 */
export function changeNotification({ seq, order, status, atMs }) {
  const p = notificationParams(CHANGE, seq, { order, status });
  const biz = JSON.parse(p.biz_content);
  const t = beijing(atMs);
  const params = {
    ...p,
    notify_time: t,
    utc_timestamp: String(atMs),
    biz_content: JSON.stringify({ ...biz, order_time: `${t}.000000`, operate_time: `${t}.000000`, status }),
  };
  return { kind: CHANGE, notifyId: p.notify_id, order, atMs, status, body: sign(CHANGE, params) };
}

/**
 * 第三方应用授权通知 number `seq`: `merchant` authorised (`execute_auth`; `cancel_auth` withdraws) at `atMs`.
 * @param {{ seq: number, merchant: string, atMs: number, status?: string, token?: string }} o
 */
export function authNotification({ seq, merchant, atMs, status = "execute_auth", token }) {
  const authAppId = `2021${String(seq).padStart(12, "0")}`;
  const p = notificationParams(AUTH, seq, { order: authAppId });
  const appAuthToken = token ?? `202612BB${String(seq).padStart(8, "0")}token`;
  const params = {
    ...p,
    notify_time: beijing(atMs),
    status,
    biz_content: JSON.stringify({
      notify_context: { trigger: "merchant", trigger_context: { out_biz_no: `2026${String(seq).padStart(12, "0")}` } },
      detail: {
        app_auth_token: appAuthToken,
        app_refresh_token: `${appAuthToken}refresh`,
        user_id: merchant,
        auth_app_id: authAppId,
        app_id: p.app_id,
        expires_in: 31536000,
        re_expires_in: 32140800,
        auth_time: atMs,
      },
    }),
  };
  return { kind: AUTH, notifyId: p.notify_id, merchant, authAppId, appAuthToken, atMs, body: sign(AUTH, params) };
}
