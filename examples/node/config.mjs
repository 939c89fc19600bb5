// `node server.mjs`'s configuration, from the environment (README "Run it"). Every problem is
// found here, before the server listens: a bad key says why (the package's error message, which
// never contains key material) and the process stops.
import { inspectNotification } from "alipay-notify";
import { DRIVERS } from "./sqlite.mjs";
import { openStore } from "./store.mjs";

/** `ALIPAY_OPENAPI_ENDPOINT`'s default: Alipay's v3 origin. */
export const DEFAULT_ENDPOINT = "https://openapi.alipay.com";

/** A configuration error: the message says what to fix. */
export class ConfigError extends Error {
  constructor(message, code = "INVALID_CONFIGURATION") {
    super(message);
    this.name = "ConfigError";
    this.code = code;
  }
}

/** `REJECT_ITEM_CODES`: comma-separated `item_code`s, blanks ignored. */
export function parseList(text) {
  return (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The OpenAPI client when `ALIPAY_APP_PRIVATE_KEY` is set (else `null`: the gateway only records).
 * Its private key is used once here (a signature computed locally, nothing sent), so a key
 * WebCrypto cannot import fails at start-up rather than at the first order. `overrides`: more
 * `createClient` options (`timeoutMs`, `protocol`, `retries`, …).
 * @param {Record<string, string | undefined>} env
 * @param {Partial<import("alipay-notify").CommonClientOptions>} [overrides]
 */
export async function clientFromEnv(env, overrides = {}) {
  if (!env.ALIPAY_APP_PRIVATE_KEY) return null;
  if (!env.ALIPAY_APP_ID)
    throw new ConfigError("ALIPAY_APP_PRIVATE_KEY needs ALIPAY_APP_ID (the app the key belongs to)");
  const { createClient, signV3Request } = await import("alipay-notify/client");
  const endpoint = env.ALIPAY_OPENAPI_ENDPOINT || DEFAULT_ENDPOINT;
  /** @type {import("alipay-notify/client").ClientOptions} */
  const options = {
    appId: env.ALIPAY_APP_ID,
    privateKey: env.ALIPAY_APP_PRIVATE_KEY,
    alipayPublicKey: env.ALIPAY_PUBLIC_KEY,
    endpoint,
    gateway: env.ALIPAY_OPENAPI_GATEWAY || `${endpoint.replace(/\/+$/, "")}/gateway.do`,
    ...overrides,
  };
  const client = createClient(options);
  await signV3Request(
    { appId: options.appId, privateKey: options.privateKey },
    { method: "alipay.open.servicemarket.order.query", params: { commodity_order_id: "0" } },
  );
  return client;
}

/**
 * Everything `createGateway` (server.mjs) needs, from `env`: the keys checked, the client made,
 * the store opened (`ALIPAY_DB`, default `./alipay-notify.db`; `:memory:` allowed) with the
 * SQLite driver `ALIPAY_SQLITE_DRIVER` names (`node:sqlite` | `better-sqlite3`; unset: picked by
 * the running Node, sqlite.mjs).
 * @param {Record<string, string | undefined>} env
 */
export async function gatewayOptionsFromEnv(env) {
  if (!env.ALIPAY_PUBLIC_KEY) throw new ConfigError("set ALIPAY_PUBLIC_KEY to the Alipay public key (支付宝公钥)");
  const keyError = inspectNotification("", env.ALIPAY_PUBLIC_KEY).key.error;
  if (keyError) throw new ConfigError(`ALIPAY_PUBLIC_KEY: ${keyError.message}`, keyError.code);
  let verifyOptions = {};
  if (env.ALIPAY_VERIFY_OPTIONS) {
    try {
      verifyOptions = JSON.parse(env.ALIPAY_VERIFY_OPTIONS);
    } catch (e) {
      throw new ConfigError(`ALIPAY_VERIFY_OPTIONS is not JSON: ${e.message}`);
    }
  }
  let client;
  try {
    client = await clientFromEnv(env);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`ALIPAY_APP_PRIVATE_KEY / OpenAPI settings: ${e.message}`, e.code);
  }
  const rejectItemCodes = parseList(env.REJECT_ITEM_CODES);
  const driver = env.ALIPAY_SQLITE_DRIVER || undefined;
  if (driver !== undefined && !DRIVERS.includes(/** @type {any} */ (driver)))
    throw new ConfigError(`ALIPAY_SQLITE_DRIVER: unknown driver ${JSON.stringify(driver)} (${DRIVERS.join(" or ")})`);
  const db = env.ALIPAY_DB || "./alipay-notify.db";
  let store;
  try {
    store = await openStore(db, { driver });
  } catch (e) {
    // A driver that cannot load here is a setting to change, not a problem of the file.
    const what = e.name !== "DriverError" ? `ALIPAY_DB ${db}: ` : driver ? "ALIPAY_SQLITE_DRIVER: " : "";
    throw new ConfigError(`${what}${e.message}`, "STORE_UNAVAILABLE");
  }
  const path = env.GATEWAY_PATH || "/";
  return {
    alipayPublicKey: env.ALIPAY_PUBLIC_KEY,
    appId: env.ALIPAY_APP_ID || undefined,
    verifyOptions,
    path,
    store,
    client,
    rejectItemCodes,
    /** What the start-up line reports (no key material). */
    summary: { db, driver: store.driver, acting: client !== null, rejectItemCodes, path },
  };
}
