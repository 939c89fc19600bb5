/// <reference path="./workers.d.ts" />
// One Durable Object per merchant (`MERCHANTS.idFromName(merchant PID)`): the merchant → orders
// index and the merchant's latest authorization (app_auth_token). The authorization notification
// (第三方应用授权通知) carries no order id; it is linked to orders by the merchant's PID
// (`detail.user_id` there, `merchant_pid` in the order notification). Its SQLite storage holds
//   orders    the merchant's order ids
//   auth      the newest authorization: notify_id, time, granted, app_auth_token, auth_app_id
//   handled   the notify_id / fingerprint of every authorization notification fully handled
//   claims    authorization notifications being handled right now (applied to the orders)
// Every method is synchronous storage work (no outgoing I/O), so each runs atomically.

import { DurableObject } from "cloudflare:workers";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS auth (k INTEGER PRIMARY KEY CHECK (k = 1), json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS handled (id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS claims (id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL);
`;

/**
 * A claim older than this is taken to be abandoned (the Worker handling it failed without
 * saying so): another delivery may then handle the notification. Far longer than a handling.
 */
export const CLAIM_TTL_MS = 120_000;

/**
 * The authorization as orders see it (never the token).
 * @typedef {{ notifyId: string, atMs: number, granted: boolean }} Authorization
 */

/** The merchant Durable Object (binding `MERCHANTS`, SQLite-backed: `new_sqlite_classes`). */
export class MerchantObject extends DurableObject {
  #sql;

  constructor(ctx, env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(SCHEMA);
  }

  /**
   * Adds an order to the index; returns the merchant's newest authorization (or `null`), for
   * the order to apply.
   * @param {string} orderId
   * @returns {Authorization | null}
   */
  registerOrder(orderId) {
    this.#sql.exec("INSERT OR IGNORE INTO orders (id, at_ms) VALUES (?, ?)", orderId, Date.now());
    const auth = this.#auth();
    return auth ? { notifyId: auth.notifyId, atMs: auth.atMs, granted: auth.granted } : null;
  }

  /**
   * Claims and records an authorization notification, keeping the newest authorization by its
   * time; returns the orders to apply it to — none when a newer authorization is in force (the
   * lifecycle cannot tell an old grant or withdrawal from a new one). `handled` if one of `ids`
   * was handled already, `busy` while another delivery of it is being handled (then `finish` or
   * `abort` follows).
   * @param {{ ids: string[], notifyId: string, atMs: number, granted: boolean,
   *   appAuthToken: string | null, authAppId: string | null }} a
   * @returns {{ state: "handled" | "busy" } | { state: "claimed", orders: string[] }}
   */
  authorize(a) {
    const now = Date.now();
    if (a.ids.some((id) => this.#sql.exec("SELECT 1 FROM handled WHERE id = ?", id).toArray().length > 0))
      return { state: "handled" };
    const fresh = (id) =>
      this.#sql.exec("SELECT 1 FROM claims WHERE id = ? AND at_ms > ?", id, now - CLAIM_TTL_MS).toArray().length > 0;
    if (a.ids.some(fresh)) return { state: "busy" };
    for (const id of a.ids)
      this.#sql.exec(
        "INSERT INTO claims (id, at_ms) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET at_ms = excluded.at_ms",
        id,
        now,
      );
    const current = this.#auth();
    const newest = !current || current.atMs <= a.atMs;
    if (newest) {
      const next = {
        notifyId: a.notifyId,
        atMs: a.atMs,
        granted: a.granted,
        // The latest granted token; a withdrawal leaves none.
        appAuthToken: a.granted ? a.appAuthToken : null,
        authAppId: a.authAppId,
      };
      this.#sql.exec(
        "INSERT INTO auth (k, json) VALUES (1, ?) ON CONFLICT (k) DO UPDATE SET json = excluded.json",
        JSON.stringify(next),
      );
    }
    return { state: "claimed", orders: newest ? this.#orders() : [] };
  }

  /** Marks an authorization notification handled (after every order applied it). */
  finish(ids) {
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const id of ids) {
        this.#sql.exec("INSERT OR IGNORE INTO handled (id, at_ms) VALUES (?, ?)", id, now);
        this.#sql.exec("DELETE FROM claims WHERE id = ?", id);
      }
    });
  }

  /** Drops the claim of an authorization notification whose handling failed (Alipay retries). */
  abort(ids) {
    for (const id of ids) this.#sql.exec("DELETE FROM claims WHERE id = ?", id);
  }

  /**
   * The token for calls made on the merchant's behalf (`{ appAuthToken }`: order.item.confirm,
   * commodity.shop.online / offline), or `null` when the merchant has not authorised.
   */
  appAuthToken() {
    return this.#auth()?.appAuthToken ?? null;
  }

  /** What the admin route shows: the orders and the authorization, without the token. */
  read() {
    const auth = this.#auth();
    return {
      orders: this.#orders(),
      authorization: auth
        ? {
            notifyId: auth.notifyId,
            atMs: auth.atMs,
            granted: auth.granted,
            authAppId: auth.authAppId,
            hasToken: auth.appAuthToken !== null,
          }
        : null,
      handled: this.#sql
        .exec("SELECT id FROM handled ORDER BY rowid")
        .toArray()
        .map((h) => h.id),
    };
  }

  #auth() {
    const row = this.#sql.exec("SELECT json FROM auth WHERE k = 1").toArray()[0];
    return row ? JSON.parse(row.json) : null;
  }

  #orders() {
    return this.#sql
      .exec("SELECT id FROM orders ORDER BY rowid")
      .toArray()
      .map((o) => o.id);
  }
}
