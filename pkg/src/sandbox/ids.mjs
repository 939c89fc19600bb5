// Identifiers shaped like Alipay's (lengths and prefixes as in real messages), unique within a
// sandbox (a counter) and across sandboxes (random digits), so an ISV's store can keep them.
import { randomBytes, randomInt } from "node:crypto";
import { compact } from "./time.mjs";

/** `n` random decimal digits. */
function digits(n) {
  let s = "";
  while (s.length < n) s += String(randomInt(0, 1e9)).padStart(9, "0");
  return s.slice(0, n);
}

/** `n` random lower-case hex characters. */
function hex(n) {
  return randomBytes(Math.ceil(n / 2))
    .toString("hex")
    .slice(0, n);
}

/** A source of ids for one sandbox; `now()` dates them. */
function createIds(now) {
  let seq = 0;
  const next = (width) => String(++seq).padStart(width, "0");
  return {
    /** 23 digits, e.g. `20260601` + random + counter (commodity_order_id). */
    order: () => `${compact(now()).date}${digits(10)}${next(5)}`,
    /** 34 digits: date, `00222`, time, random, counter (notify_id). */
    notify: () => {
      const c = compact(now());
      return `${c.date}00222${c.time}${digits(10)}${next(5)}`;
    },
    /** `2088` + 12 digits (a merchant PID). */
    pid: () => `2088${digits(7)}${next(5)}`,
    /** `2021` + 12 digits (an application id). */
    app: () => `2021${digits(7)}${next(5)}`,
    /** 28 digits (a shop id). */
    shop: () => `${compact(now()).date}0007${digits(11)}${next(5)}`,
    /** 40 characters `yyyyMMBB` + 32 hex (app_auth_token, app_refresh_token). */
    token: () => `${compact(now()).date.slice(0, 6)}BB${hex(32)}`,
    /** 32 hex characters (app_auth_code, order_ticket). */
    code: () => hex(32),
    /** 8 digits (service_code). */
    service: () => digits(8),
    /** A sequence number (log entries). */
    seq: () => ++seq,
  };
}

export { createIds };
