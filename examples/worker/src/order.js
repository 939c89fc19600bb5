/// <reference path="./workers.d.ts" />
// One Durable Object per order (`ORDERS.idFromName(commodityOrderId)`): the single place that
// order's notifications and API results are applied, one at a time. Its SQLite storage holds
//   record   the order's record: lifecycle state, next action, calls, last error, service stopped
//   events   every event applied (notification, authorization, call result), by id: each once
//   handled  the notify_id / fingerprint of every notification fully handled (answered `success`)
// An event and the record it produced are written in one transaction, so an event is applied
// exactly once, and strongly consistently: there is one instance of the object in the world.

import { DurableObject } from "cloudflare:workers";
import { applyOrderEvent } from "alipay-notify";
import { act, Unavailable } from "./act.js";
import { clientFor } from "./config.js";
import { dedupeIds } from "./dedupe.js";
import { decide, forward } from "./handle.js";

/** Calls remembered per order (the oldest dropped first). */
const MAX_CALLS = 200;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS record (k INTEGER PRIMARY KEY CHECK (k = 1), json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY, type TEXT NOT NULL, at_ms INTEGER NOT NULL, effect TEXT NOT NULL, applied_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS handled (id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL);
`;

/**
 * What an RPC method of the object answers: `status` "handled" (now) or "duplicate" (before),
 * or a coded failure `error` (`status` 5xx: Alipay delivers the notification again).
 * @typedef {{ status?: "handled" | "duplicate", error?: { status: number, code: string } }} Handled
 */

/** The order Durable Object (binding `ORDERS`, SQLite-backed: `new_sqlite_classes`). */
export class OrderObject extends DurableObject {
  #sql;
  /** @type {Promise<unknown>} */
  #tail;

  constructor(ctx, env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(SCHEMA);
    // Storage calls are atomic on their own, but an outgoing fetch (an OpenAPI call) lets the
    // next request in: this queue keeps one handling at a time, calls included.
    this.#tail = Promise.resolve();
  }

  /**
   * Handles a verified notification of this order: applies its event once, links the order to
   * its merchant, acts on the next action, forwards it, then marks it handled.
   * @param {import("alipay-notify").Notification} n
   * @returns {Promise<Handled>}
   */
  notify(n) {
    return this.#serial(() => this.#handleNotification(n));
  }

  /**
   * `notify`, inside the queue.
   * @param {import("alipay-notify").Notification} n
   * @returns {Promise<Handled>}
   */
  async #handleNotification(n) {
    const ids = dedupeIds(n);
    if (ids.some((id) => this.#handled(id))) return { status: "duplicate" };
    const order = this.#order(n.orderEvent.orderId);
    if (n.kind === "servicemarket_order_notify") {
      order.record.merchantPid ??= n.merchantPid ?? null;
      order.record.itemCode ??= n.itemCode ?? null;
    }
    order.apply(n.orderEvent.event);
    await this.#linkMerchant(order);
    const failed = await this.#actOn(order);
    if (failed) return failed;
    await forward(n, this.env);
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const id of ids) this.#sql.exec("INSERT OR IGNORE INTO handled (id, at_ms) VALUES (?, ?)", id, now);
    });
    return { status: "handled" };
  }

  /**
   * Applies the merchant's authorization (`authorizationNotified`, id `auth:<notify_id>:<order>`)
   * and acts on it. Called for every order of the merchant when the authorization arrives.
   * @param {string} orderId
   * @param {import("alipay-notify").OrderEvent} event
   * @returns {Promise<Handled>}
   */
  authorization(orderId, event) {
    return this.#serial(async () => {
      const order = this.#order(orderId);
      order.apply(event);
      return (await this.#actOn(order)) ?? /** @type {Handled} */ ({ status: "handled" });
    });
  }

  /** The stored record with its events, or `null` for an order never seen (the admin route). */
  read() {
    const record = this.#load();
    if (!record) return null;
    const events = this.#sql
      .exec("SELECT id, type, at_ms, effect FROM events ORDER BY rowid")
      .toArray()
      .map((e) => ({ id: e.id, type: e.type, atMs: e.at_ms, effect: e.effect }));
    const handled = this.#sql
      .exec("SELECT id FROM handled ORDER BY rowid")
      .toArray()
      .map((h) => h.id);
    return { ...record, events, handled };
  }

  // ─── inside the object (private: not callable through the binding) ───

  /**
   * Runs `fn` after every earlier handling of this order has finished.
   * @template T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  #serial(fn) {
    const run = this.#tail.then(fn);
    this.#tail = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  #handled(id) {
    return this.#sql.exec("SELECT 1 FROM handled WHERE id = ?", id).toArray().length > 0;
  }

  #load() {
    const row = this.#sql.exec("SELECT json FROM record WHERE k = 1").toArray()[0];
    return row ? JSON.parse(row.json) : null;
  }

  /** The order as `act` sees it (act.js `ActingOrder`), over the stored record. */
  #order(orderId) {
    const record = this.#load() ?? {
      orderId,
      merchantPid: null,
      itemCode: null,
      state: null,
      next: null,
      deadline: null,
      serviceStopped: false,
      serviceStoppedAtMs: null,
      calls: [],
      lastError: null,
      seq: 0,
    };
    const save = () =>
      this.#sql.exec(
        "INSERT INTO record (k, json) VALUES (1, ?) ON CONFLICT (k) DO UPDATE SET json = excluded.json",
        JSON.stringify(record),
      );
    const sql = this.#sql;
    const storage = this.ctx.storage;
    return {
      id: orderId,
      record,
      save,
      apply(event) {
        if (sql.exec("SELECT 1 FROM events WHERE id = ?", event.id).toArray().length > 0) return;
        const outcome = applyOrderEvent(record.state, event);
        record.state = outcome.state;
        record.next = outcome.next;
        record.deadline = outcome.deadline;
        // The event and the state it produced: one transaction.
        storage.transactionSync(() => {
          sql.exec(
            "INSERT INTO events (id, type, at_ms, effect, applied_at_ms) VALUES (?, ?, ?, ?, ?)",
            event.id,
            event.type,
            event.atMs,
            outcome.effect.type,
            Date.now(),
          );
          save();
        });
      },
      noteCall(call, error) {
        record.calls.push(call);
        if (record.calls.length > MAX_CALLS) record.calls.shift();
        if (error) record.lastError = call;
        save();
      },
      nextSeq() {
        record.seq += 1;
        save();
        return record.seq;
      },
      stopService(atMs) {
        record.serviceStopped = true;
        record.serviceStoppedAtMs = atMs;
        save();
      },
    };
  }

  /** Registers the order with its merchant; applies the merchant's authorization, if any. */
  async #linkMerchant(order) {
    const pid = order.record.merchantPid;
    if (!pid || !this.env.MERCHANTS) return;
    const auth = await this.env.MERCHANTS.get(this.env.MERCHANTS.idFromName(pid)).registerOrder(order.id);
    if (auth) order.apply(authorizationEvent(auth, order.id));
    else order.save();
  }

  /**
   * Acts when a client is configured; a coded 5xx result when a call could not be made now.
   * @returns {Promise<Handled | null>}
   */
  async #actOn(order) {
    const client = clientFor(this.env);
    if (!client) return null;
    try {
      await act(order, client, (o) => decide(o, this.env));
      return null;
    } catch (e) {
      if (e instanceof Unavailable) return { error: { status: 503, code: e.code } };
      throw e;
    }
  }
}

/**
 * The `authorizationNotified` event a merchant's authorization means for one of its orders.
 * @param {{ notifyId: string, atMs: number, granted: boolean }} auth
 * @param {string} orderId
 * @returns {import("alipay-notify").OrderEvent}
 */
export function authorizationEvent(auth, orderId) {
  return {
    type: "authorizationNotified",
    id: `auth:${auth.notifyId}:${orderId}`,
    atMs: auth.atMs,
    granted: auth.granted,
  };
}
