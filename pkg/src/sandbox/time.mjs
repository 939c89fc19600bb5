// Times as Alipay writes them: Beijing time (UTC+8) `YYYY-MM-DD HH:MM:SS` without a zone
// (`notify_time`, `order_time`, v2 `timestamp`), with microseconds where real messages have them
// (`operate_time`), and epoch milliseconds (`utc_timestamp`, `auth_time`, v3 timestamps).
import { coded } from "./errors.mjs";

const BEIJING_MS = 8 * 3600_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const pad = (n, w = 2) => String(n).padStart(w, "0");

/**
 * Beijing wall-clock text of `ms`; `micros` appends `.ffffff` (the milliseconds, then 000).
 * @param {number} ms
 * @param {{ micros?: boolean }} [options]
 */
function beijing(ms, { micros = false } = {}) {
  const d = new Date(ms + BEIJING_MS);
  const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return micros ? `${text}.${pad(d.getUTCMilliseconds(), 3)}000` : text;
}

/** Epoch ms of `YYYY-MM-DD HH:MM:SS` Beijing time, or `null` when it is not such a time. */
function parseBeijing(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(String(text));
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_MS;
  return beijing(ms) === text ? ms : null;
}

/** `YYYYMMDD` and `HHMMSS` of `ms` in Beijing time (for ids shaped like Alipay's). */
function compact(ms) {
  const t = beijing(ms);
  return { date: t.slice(0, 10).replaceAll("-", ""), time: t.slice(11).replaceAll(":", "") };
}

/**
 * Milliseconds of `{ days, hours, minutes }` (each a finite number ≥ 0, at least one given).
 * Throws `INVALID_ARGUMENT` otherwise.
 * @param {{ days?: number, hours?: number, minutes?: number }} span
 */
function spanMs(span) {
  if (span === null || typeof span !== "object" || Array.isArray(span))
    throw coded("INVALID_ARGUMENT", "advance() takes { days, hours, minutes }", { reason: "not an object" });
  const units = { days: DAY_MS, hours: HOUR_MS, minutes: MINUTE_MS };
  let total = 0;
  for (const [k, v] of Object.entries(span)) {
    if (!(k in units))
      throw coded("INVALID_ARGUMENT", `advance(): unknown unit \`${k}\` (days, hours, minutes)`, { reason: k });
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      throw coded("INVALID_ARGUMENT", `advance(): \`${k}\` must be a finite number ≥ 0`, { reason: k });
    total += v * units[k];
  }
  return Math.round(total);
}

export { BEIJING_MS, MINUTE_MS, HOUR_MS, DAY_MS, beijing, parseBeijing, compact, spanMs };
