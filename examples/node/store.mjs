// The gateway's store: which deliveries were handled (dedupe) and the state of every order, behind
// one small interface with two implementations:
//
//   SqliteStore   the default of `node server.mjs`: one SQLite file (node:sqlite or
//                 better-sqlite3, see sqlite.mjs), survives restarts, shared by the processes of
//                 one machine
//   MemoryStore   one process, in memory (lost on restart): tests, and a model of the interface
//
// The interface (every method synchronous; an async store, e.g. Postgres, would need an async
// `transact` and is not part of this example):
//
//   begin(id)       → "done" if handled before, "busy" if another delivery holds it, else claims
//                     it and returns "new"
//   finish(id)      remembers `id` as handled for `doneTtlMs` (≥ 25 h: Alipay's retries)
//   abort(id)       drops the claim, so Alipay's next delivery is handled again
//   transact(fn)    runs `fn(tx)` as one transaction and returns its result: everything `fn`
//                   wrote commits together, or nothing does (when it throws). `tx` has:
//     markApplied(key, info) → true the first time `key` (a notification) is applied, else false
//     getOrder(id) → record | null         putOrder(record)
//     ordersOf(merchantPid) → order ids    linkOrder(merchantPid, orderId)
//     getAuth(merchantPid) → auth | null   putAuth(auth)
//   getOrder(id), getAuth(merchantPid), countOrders(), countAuths()   reads outside a transaction
//   close()
//
// Records and auths are plain JSON objects (see orders.mjs); the store never interprets them
// beyond the columns it indexes (`orderId`, `merchantPid`, `state.status`, `next.id`).
import { openDatabase } from "./sqlite.mjs";

/** How long a handled notify_id is remembered: longer than Alipay's ~25 h of retries. */
export const DONE_TTL_MS = 48 * 3600 * 1000;
/** How long a delivery being handled holds its notify_id, should the process die mid-way. */
export const CLAIM_TTL_MS = 60 * 1000;

/** A deep copy, so a caller never changes a stored record outside a transaction. */
const copy = (value) => (value == null ? null : structuredClone(value));

/** The in-memory store: exact within one process, forgets on restart. */
export class MemoryStore {
  #deliveries = new Map(); // id → { state: "busy" | "done", until: epoch ms }
  #applied = new Map(); // notification key → info
  #orders = new Map(); // order id → record
  #merchants = new Map(); // merchant PID → Set of order ids
  #auths = new Map(); // merchant PID → auth
  #ops = 0;

  constructor({ doneTtlMs = DONE_TTL_MS, claimTtlMs = CLAIM_TTL_MS, now = Date.now } = {}) {
    this.doneTtlMs = doneTtlMs;
    this.claimTtlMs = claimTtlMs;
    this.now = now;
  }

  /** Claims delivery key `id`: `"new"`, or `"busy"` / `"done"` (see the interface above). */
  begin(id) {
    const now = this.now();
    if (++this.#ops % 1024 === 0) this.#prune(now);
    const entry = this.#deliveries.get(id);
    if (entry && entry.until > now) return entry.state === "done" ? "done" : "busy";
    this.#deliveries.set(id, { state: "busy", until: now + this.claimTtlMs });
    return "new";
  }

  /** Marks `id` handled for `doneTtlMs`. */
  finish(id) {
    this.#deliveries.set(id, { state: "done", until: this.now() + this.doneTtlMs });
  }

  /** Drops the claim on `id` (a handled mark stays). */
  abort(id) {
    if (this.#deliveries.get(id)?.state === "busy") this.#deliveries.delete(id);
  }

  /** How many delivery keys are remembered as handled (two per notification: see `dedupeIds`). */
  get size() {
    let n = 0;
    const now = this.now();
    for (const e of this.#deliveries.values()) if (e.state === "done" && e.until > now) n++;
    return n;
  }

  /**
   * Runs `fn(tx)` with the writes staged and applies them only when `fn` returns: all or nothing.
   * `fn` must be synchronous, so no other delivery runs in between.
   */
  transact(fn) {
    const staged = { applied: new Map(), orders: new Map(), links: [], auths: new Map() };
    const tx = {
      markApplied: (key, info) => {
        if (this.#applied.has(key) || staged.applied.has(key)) return false;
        staged.applied.set(key, copy(info));
        return true;
      },
      getOrder: (id) => copy(staged.orders.get(id) ?? this.#orders.get(id)),
      putOrder: (record) => void staged.orders.set(record.orderId, copy(record)),
      ordersOf: (pid) => {
        const ids = new Set(this.#merchants.get(pid));
        for (const [p, id] of staged.links) if (p === pid) ids.add(id);
        return [...ids].sort();
      },
      linkOrder: (pid, id) => void staged.links.push([pid, id]),
      getAuth: (pid) => copy(staged.auths.get(pid) ?? this.#auths.get(pid)),
      putAuth: (auth) => void staged.auths.set(auth.merchantPid, copy(auth)),
    };
    const result = fn(tx);
    if (result && typeof result.then === "function") throw new TypeError("transact: `fn` must be synchronous");
    for (const [k, v] of staged.applied) this.#applied.set(k, v);
    for (const [k, v] of staged.orders) this.#orders.set(k, v);
    for (const [pid, id] of staged.links) {
      if (!this.#merchants.has(pid)) this.#merchants.set(pid, new Set());
      this.#merchants.get(pid).add(id);
    }
    for (const [k, v] of staged.auths) this.#auths.set(k, v);
    return result;
  }

  /** The record of order `id`, or null. */
  getOrder(id) {
    return copy(this.#orders.get(id));
  }

  /** The latest authorization of merchant `pid`, or null. */
  getAuth(pid) {
    return copy(this.#auths.get(pid));
  }

  /** Every notification applied: key → what `markApplied` was given. */
  appliedKeys() {
    return [...this.#applied.keys()];
  }

  /** How many orders are stored. */
  countOrders() {
    return this.#orders.size;
  }

  /** How many merchants' authorizations are stored. */
  countAuths() {
    return this.#auths.size;
  }

  /** Nothing to release. */
  close() {}

  #prune(now) {
    for (const [id, e] of this.#deliveries) if (e.until <= now) this.#deliveries.delete(id);
  }
}

/** The tables, one statement each (run in order; `user_version` says which are in place). */
export const SCHEMA = [
  // Delivery dedupe: a claim ("busy") while a delivery is handled, then "done" for doneTtlMs.
  `CREATE TABLE IF NOT EXISTS deliveries (
     id       TEXT PRIMARY KEY,
     state    TEXT NOT NULL CHECK (state IN ('busy', 'done')),
     until_ms INTEGER NOT NULL
   ) WITHOUT ROWID`,
  // One row per notification whose events were applied: written in the same transaction as the
  // orders it changed, so an event is applied exactly once even when a delivery is handled twice.
  `CREATE TABLE IF NOT EXISTS applied (
     key        TEXT PRIMARY KEY,
     kind       TEXT,
     order_id   TEXT,
     applied_ms INTEGER NOT NULL
   ) WITHOUT ROWID`,
  // The per-order record (JSON, see orders.mjs); the other columns are copies for queries.
  `CREATE TABLE IF NOT EXISTS orders (
     id           TEXT PRIMARY KEY,
     merchant_pid TEXT,
     status       TEXT,
     next_action  TEXT,
     record       TEXT NOT NULL,
     updated_ms   INTEGER NOT NULL
   ) WITHOUT ROWID`,
  // Merchant PID → its orders: an authorization (which names no order) reaches them through it.
  `CREATE TABLE IF NOT EXISTS merchant_orders (
     merchant_pid TEXT NOT NULL,
     order_id     TEXT NOT NULL,
     PRIMARY KEY (merchant_pid, order_id)
   ) WITHOUT ROWID`,
  // The latest authorization of each merchant (app_auth_token while granted).
  `CREATE TABLE IF NOT EXISTS auth_tokens (
     merchant_pid   TEXT PRIMARY KEY,
     auth_app_id    TEXT,
     app_auth_token TEXT,
     granted        INTEGER NOT NULL,
     at_ms          INTEGER NOT NULL,
     record         TEXT NOT NULL
   ) WITHOUT ROWID`,
];
const SCHEMA_VERSION = 1;

/**
 * The SQLite store, on either driver of sqlite.mjs (both synchronous, so a transaction never
 * interleaves with another delivery of this process; other processes wait on the file lock,
 * `busy_timeout`). `SqliteStore.open(path)` loads the driver only when it is used.
 */
export class SqliteStore {
  #db;
  #q;
  #tx;
  #ops = 0;

  /**
   * @param {import("./sqlite.mjs").Connection} db an open connection (`openDatabase` of sqlite.mjs)
   * @param {{ doneTtlMs?: number, claimTtlMs?: number, now?: () => number }} [options]
   */
  constructor(db, { doneTtlMs = DONE_TTL_MS, claimTtlMs = CLAIM_TTL_MS, now = Date.now } = {}) {
    this.doneTtlMs = doneTtlMs;
    this.claimTtlMs = claimTtlMs;
    this.now = now;
    this.#db = db;
    if (!db.memory) db.pragma("journal_mode = WAL"); // readers never block the writer
    // FULL: a transaction is on disk before the gateway answers `success`.
    db.pragma("synchronous = FULL");
    db.pragma("busy_timeout = 5000");
    const version = db.pragma("user_version");
    if (version > SCHEMA_VERSION) throw new Error(`alipay-notify store: schema ${version} is newer than this code`);
    db.immediate(() => {
      for (const sql of SCHEMA) db.exec(sql);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    });
    const p = (sql) => db.prepare(sql);
    this.#q = {
      delivery: p("SELECT state, until_ms FROM deliveries WHERE id = ?"),
      claim: p("INSERT OR REPLACE INTO deliveries (id, state, until_ms) VALUES (?, 'busy', ?)"),
      done: p("INSERT OR REPLACE INTO deliveries (id, state, until_ms) VALUES (?, 'done', ?)"),
      abort: p("DELETE FROM deliveries WHERE id = ? AND state = 'busy'"),
      prune: p("DELETE FROM deliveries WHERE until_ms <= ?"),
      doneCount: p("SELECT count(*) AS n FROM deliveries WHERE state = 'done' AND until_ms > ?"),
      markApplied: p("INSERT OR IGNORE INTO applied (key, kind, order_id, applied_ms) VALUES (?, ?, ?, ?)"),
      getOrder: p("SELECT record FROM orders WHERE id = ?"),
      putOrder: p(
        `INSERT INTO orders (id, merchant_pid, status, next_action, record, updated_ms) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET merchant_pid = excluded.merchant_pid, status = excluded.status,
           next_action = excluded.next_action, record = excluded.record, updated_ms = excluded.updated_ms`,
      ),
      ordersOf: p("SELECT order_id FROM merchant_orders WHERE merchant_pid = ? ORDER BY order_id"),
      link: p("INSERT OR IGNORE INTO merchant_orders (merchant_pid, order_id) VALUES (?, ?)"),
      getAuth: p("SELECT record FROM auth_tokens WHERE merchant_pid = ?"),
      putAuth: p(
        `INSERT OR REPLACE INTO auth_tokens (merchant_pid, auth_app_id, app_auth_token, granted, at_ms, record)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      countOrders: p("SELECT count(*) AS n FROM orders"),
      countAuths: p("SELECT count(*) AS n FROM auth_tokens"),
    };
    const q = this.#q;
    const json = (row) => (row ? JSON.parse(row.record) : null);
    this.#tx = {
      markApplied: (key, info = {}) =>
        Number(q.markApplied.run(key, info.kind ?? null, info.orderId ?? null, this.now()).changes) === 1,
      getOrder: (id) => json(q.getOrder.get(id)),
      putOrder: (r) =>
        void q.putOrder.run(
          r.orderId,
          r.merchantPid ?? null,
          r.state?.status ?? null,
          r.next?.id ?? null,
          JSON.stringify(r),
          this.now(),
        ),
      ordersOf: (pid) => q.ordersOf.all(pid).map((row) => row.order_id),
      linkOrder: (pid, id) => void q.link.run(pid, id),
      getAuth: (pid) => json(q.getAuth.get(pid)),
      putAuth: (a) =>
        void q.putAuth.run(
          a.merchantPid,
          a.authAppId ?? null,
          a.appAuthToken ?? null,
          a.granted ? 1 : 0,
          a.atMs,
          JSON.stringify(a),
        ),
    };
  }

  /**
   * Opens (creating when missing) the database file `path` (`":memory:"` for a private
   * in-memory database) and its tables. `driver`: `"node:sqlite"` or `"better-sqlite3"`; by
   * default node:sqlite where this Node has it, else better-sqlite3 (sqlite.mjs). An unknown or
   * unavailable driver throws a `DriverError` (`code` INVALID_CONFIGURATION / STORE_UNAVAILABLE).
   * @param {string} path
   * @param {ConstructorParameters<typeof SqliteStore>[1] & { driver?: string }} [options]
   */
  static async open(path, { driver, ...options } = {}) {
    const db = await openDatabase(path, { driver });
    try {
      return new SqliteStore(db, options);
    } catch (e) {
      db.close(); // e.g. a schema newer than this code: the file stays as it is
      throw e;
    }
  }

  /** The driver in use: `"node:sqlite"` or `"better-sqlite3"`. */
  get driver() {
    return this.#db.driver;
  }

  /** Claims delivery key `id` in one IMMEDIATE transaction (processes sharing the file agree). */
  begin(id) {
    return this.#db.immediate(() => {
      const now = this.now();
      if (++this.#ops % 1024 === 0) this.#q.prune.run(now);
      const row = this.#q.delivery.get(id);
      if (row && row.until_ms > now) return row.state === "done" ? "done" : "busy";
      this.#q.claim.run(id, now + this.claimTtlMs);
      return "new";
    });
  }

  /** Marks `id` handled for `doneTtlMs`. */
  finish(id) {
    this.#q.done.run(id, this.now() + this.doneTtlMs);
  }

  /** Drops the claim on `id` (a handled mark stays). */
  abort(id) {
    this.#q.abort.run(id);
  }

  /** How many delivery keys are remembered as handled. */
  get size() {
    return this.#q.doneCount.get(this.now()).n;
  }

  /** `fn(tx)` in one IMMEDIATE transaction (taken before the first read: no lost update). */
  transact(fn) {
    return this.#db.immediate(() => fn(this.#tx));
  }

  /** The record of order `id`, or null. */
  getOrder(id) {
    return this.#tx.getOrder(id);
  }

  /** The latest authorization of merchant `pid`, or null. */
  getAuth(pid) {
    return this.#tx.getAuth(pid);
  }

  /** How many orders are stored. */
  countOrders() {
    return this.#q.countOrders.get().n;
  }

  /** How many merchants' authorizations are stored. */
  countAuths() {
    return this.#q.countAuths.get().n;
  }

  /** Closes the database file. */
  close() {
    this.#db.close();
  }
}

/**
 * The store of `node server.mjs`: SQLite at `path` (`ALIPAY_DB`, default `./alipay-notify.db`;
 * `:memory:` for a database that lives as long as the process); `options` as `SqliteStore.open`'s
 * (`driver`: `ALIPAY_SQLITE_DRIVER`).
 * @param {string} [path]
 * @param {Parameters<typeof SqliteStore.open>[1]} [options]
 */
export function openStore(path = "./alipay-notify.db", options = undefined) {
  return SqliteStore.open(path, options);
}
