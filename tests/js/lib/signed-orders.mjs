// Signed notifications about given orders, merchants and times, for the lifecycle tests of the
// gateways: 订购通知 (commodity_order_id, merchant_pid, item_code), 订单状态变更 (order_no, status,
// operate_time) and 第三方应用授权通知 (detail.user_id = the merchant PID). Built on sign.mjs's
// params and signed by it (Node `crypto`, never the code under test). Times are epoch ms, written
// as Alipay does (Beijing time; operate_time with microseconds).
import { KINDS, documentedVariant, notificationParams, signNotification } from "./sign.mjs";

const pad = (n, w) => String(n).padStart(w, "0");

/** Epoch ms → Beijing "YYYY-MM-DD HH:MM:SS" (and the milliseconds). */
export function beijing(atMs) {
  const d = new Date(atMs + 8 * 3600_000);
  const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return { text, ms: d.getUTCMilliseconds() };
}

/** Beijing second precision: an instant at a whole second, so `notify_time` carries it exactly. */
export const wholeSecond = (atMs) => Math.ceil(atMs / 1000) * 1000;

function signed(kind, params) {
  return { notifyId: params.notify_id, params, body: signNotification(params, { variant: documentedVariant(kind) }) };
}

/**
 * 订购通知 number `i` (its notify_id) for `orderId` at `atMs` (rounded up to a whole second).
 * @param {{ i: number, orderId: string, merchantPid: string, itemCode?: string, atMs: number }} o
 */
export function orderNotification({ i, orderId, merchantPid, itemCode = "AM012348384052768807", atMs }) {
  const t = beijing(wholeSecond(atMs)).text;
  const p = notificationParams(KINDS[0], i, { order: orderId });
  return signed(KINDS[0], {
    ...p,
    notify_time: t,
    timestamp: t,
    order_time: t,
    merchant_pid: merchantPid,
    item_code: itemCode,
  });
}

/**
 * 订单状态变更 number `i`: `orderId` is now `status`, as of `atMs` (operate_time, to the ms).
 * @param {{ i: number, orderId: string, status: string, atMs: number }} o
 */
export function changeNotification({ i, orderId, status, atMs }) {
  const p = notificationParams(KINDS[1], i, { order: orderId, status });
  const { text, ms } = beijing(atMs);
  const biz = JSON.parse(p.biz_content);
  biz.operate_time = `${text}.${pad(ms * 1000, 6)}`;
  return signed(KINDS[1], {
    ...p,
    notify_time: beijing(wholeSecond(atMs)).text,
    utc_timestamp: String(atMs),
    biz_content: JSON.stringify(biz),
  });
}

/**
 * 第三方应用授权通知 number `i`: the merchant `merchantPid` authorised the ISV's app (or withdrew it).
 * @param {{ i: number, merchantPid: string, atMs: number, granted?: boolean, token?: string }} o
 */
export function authNotification({ i, merchantPid, atMs, granted = true, token }) {
  const p = notificationParams(KINDS[3], i);
  const biz = JSON.parse(p.biz_content);
  biz.detail.user_id = merchantPid;
  if (token) biz.detail.app_auth_token = token;
  return signed(KINDS[3], {
    ...p,
    status: granted ? "execute_auth" : "cancel_auth",
    notify_time: beijing(wholeSecond(atMs)).text,
    biz_content: JSON.stringify(biz),
  });
}

/** 续费订单 number `i` (no order, no merchant). */
export function renewalNotification({ i }) {
  return signed(KINDS[2], notificationParams(KINDS[2], i));
}
