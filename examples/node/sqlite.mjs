// The SQLite driver under the store (store.mjs), behind one small interface so the store's code is
// the same whichever runs:
//
//   node:sqlite     built into Node 22.13+ and 24 (`DatabaseSync`): nothing to install
//   better-sqlite3  the npm package, compiled by npm against the installed Node: Node 20's driver
//
// `openDatabase(path, { driver })` picks node:sqlite where the running Node has it, else
// better-sqlite3; `driver` forces one. Both are synchronous, which is what makes a transaction safe
// in the gateway: nothing else of the process runs between its first read and its commit.
//
// The connection it returns has only what the store uses:
//
//   driver                 "node:sqlite" | "better-sqlite3"
//   memory, open           an in-memory database? still open?
//   prepare(sql)           → statement: run(...params) → { changes }, get(...params) → row | undefined,
//                            all(...params) → rows (rows are plain objects, column → value)
//   exec(sql)              runs statements that return nothing
//   pragma(text)           runs `PRAGMA text`, returns the first column of its first row (or undefined)
//   immediate(fn)          fn()'s result, in one BEGIN IMMEDIATE transaction: committed when fn
//                          returns, rolled back when it throws (fn must be synchronous)
//   close()                idempotent

/** The drivers, in the order `openDatabase` tries them. */
export const DRIVERS = /** @type {const} */ (["node:sqlite", "better-sqlite3"]);

/** @typedef {(typeof DRIVERS)[number]} DriverName */

/** A driver that is unknown (`INVALID_CONFIGURATION`) or cannot load on this Node (`STORE_UNAVAILABLE`). */
export class DriverError extends Error {
  /** @param {string} message @param {"INVALID_CONFIGURATION" | "STORE_UNAVAILABLE"} code */
  constructor(message, code) {
    super(message);
    this.name = "DriverError";
    this.code = code;
  }
}

// A variable, not a literal: the type declarations of Node 20 (the oldest supported) have no
// `node:sqlite`, and the module is only imported where it exists.
const NODE_SQLITE = "node:sqlite";

/** Each driver's loader: resolves to `open(path) → connection`, or throws why it cannot load here. */
const LOADERS = {
  async "node:sqlite"() {
    let DatabaseSync;
    try {
      ({ DatabaseSync } = await import(NODE_SQLITE));
    } catch {
      // Absent before Node 22.5 and behind --experimental-sqlite until 22.13.
      throw new DriverError(
        `the SQLite driver node:sqlite is not built into Node ${process.version} (it is from Node 22.13)`,
        "STORE_UNAVAILABLE",
      );
    }
    return (path) => connection("node:sqlite", path, new DatabaseSync(path));
  },
  async "better-sqlite3"() {
    let Database;
    try {
      ({ default: Database } = await import("better-sqlite3"));
      // The native module loads on first use: a build for another Node fails here, not later.
      new Database(":memory:").close();
    } catch (e) {
      const why = String(e?.message ?? e).replace(/\s+/g, " ");
      throw new DriverError(
        `the SQLite driver better-sqlite3 cannot be loaded on Node ${process.version} (install it with this ` +
          `Node, \`npm install\` or \`npm rebuild better-sqlite3\`): ${why}`,
        "STORE_UNAVAILABLE",
      );
    }
    return (path) => connection("better-sqlite3", path, new Database(path));
  },
};

/** Each driver is loaded once per process: whether it loads does not change. */
const loaded = new Map();
const load = (name) => {
  if (!loaded.has(name)) loaded.set(name, LOADERS[name]());
  return loaded.get(name);
};

/**
 * Loads a driver: `name`, or the first of `DRIVERS` that loads on this Node. Throws a `DriverError`
 * for an unknown name, an unavailable driver, or when none loads (with each one's reason).
 * @param {string} [name]
 * @returns {Promise<{ name: DriverName, open: (path: string) => Connection }>}
 */
export async function loadDriver(name) {
  if (name !== undefined) {
    if (!Object.hasOwn(LOADERS, name))
      throw new DriverError(
        `unknown SQLite driver ${JSON.stringify(name)} (one of ${DRIVERS.join(", ")})`,
        "INVALID_CONFIGURATION",
      );
    return { name: /** @type {DriverName} */ (name), open: await load(name) };
  }
  const reasons = [];
  for (const candidate of DRIVERS) {
    try {
      return { name: candidate, open: await load(candidate) };
    } catch (e) {
      reasons.push(e.message);
    }
  }
  throw new DriverError(`no SQLite driver loads: ${reasons.join("; ")}`, "STORE_UNAVAILABLE");
}

/**
 * Opens (creating when missing) the database file `path` (`":memory:"`: a private in-memory
 * database) with `driver` (default: picked as `loadDriver` does).
 * @param {string} path
 * @param {{ driver?: string }} [options]
 */
export async function openDatabase(path, { driver } = {}) {
  return (await loadDriver(driver)).open(path);
}

/**
 * @typedef {object} Statement
 * @property {(...params: any[]) => { changes: number | bigint }} run
 * @property {(...params: any[]) => any} get
 * @property {(...params: any[]) => any[]} all
 */

/**
 * @typedef {object} Connection
 * @property {DriverName} driver
 * @property {boolean} memory
 * @property {boolean} open
 * @property {(sql: string) => Statement} prepare
 * @property {(sql: string) => void} exec
 * @property {(text: string) => any} pragma
 * @property {<T>(fn: () => T) => T} immediate
 * @property {() => void} close
 */

/**
 * One connection over either driver's database object: their `prepare`/`exec`/`close` and
 * statements agree; pragmas and transactions are done here the same way for both.
 * @param {DriverName} driver
 * @param {string} path
 * @param {any} db a node:sqlite `DatabaseSync` or a better-sqlite3 `Database`
 * @returns {Connection}
 */
function connection(driver, path, db) {
  let open = true;
  // better-sqlite3's statements refuse `get` when they return no data (`PRAGMA x = y`); its own
  // `pragma` handles both. node:sqlite's `get` gives undefined then.
  const pragma =
    driver === "better-sqlite3"
      ? (text) => db.pragma(text, { simple: true })
      : (text) => {
          const row = db.prepare(`PRAGMA ${text}`).get();
          return row === undefined ? undefined : Object.values(row)[0];
        };
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = () => {
    try {
      db.exec("ROLLBACK");
    } catch {
      // SQLite rolled back already (it does on a full disk or an I/O error): nothing to undo.
    }
  };
  return {
    driver,
    memory: path === ":memory:" || path === "",
    get open() {
      return open;
    },
    prepare: (sql) => db.prepare(sql),
    exec: (sql) => void db.exec(sql),
    pragma,
    immediate(fn) {
      // IMMEDIATE: the write lock is taken before the first read, so no other process's commit
      // can land between what the transaction read and what it writes.
      begin.run();
      let result;
      try {
        result = fn();
        if (result && typeof (/** @type {any} */ (result).then) === "function")
          throw new TypeError("a transaction's function must be synchronous");
        commit.run();
      } catch (e) {
        rollback();
        throw e;
      }
      return result;
    },
    close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}
