// The gateway's configuration, read from the Worker's vars and secrets, checked before any
// notification is handled (a broken configuration answers 5xx, so Alipay keeps the notification).

import { createClient } from "alipay-notify/client";

/** Default v3 origin of the OpenAPI. */
export const DEFAULT_ENDPOINT = "https://openapi.alipay.com";

/**
 * A configuration error: the gateway answers 500 with `code` and logs `message`, which names the
 * setting and never contains key material.
 */
export function configError(message, code) {
  return Object.assign(new Error(message), { name: "AlipayNotifyError", code });
}

/** Verify options from `ALIPAY_VERIFY_OPTIONS` (JSON) and `ALIPAY_APP_ID`. */
export function verifyOptions(env) {
  let options = {};
  const raw = env.ALIPAY_VERIFY_OPTIONS;
  if (raw) {
    try {
      options = typeof raw === "string" ? JSON.parse(raw) : { ...raw };
    } catch {
      throw configError("ALIPAY_VERIFY_OPTIONS is not valid JSON", "INVALID_OPTIONS");
    }
  }
  if (env.ALIPAY_APP_ID) options.appId = env.ALIPAY_APP_ID;
  return options;
}

/** The Alipay public key (支付宝公钥), required. */
export function alipayPublicKey(env) {
  if (!env.ALIPAY_PUBLIC_KEY) throw configError("ALIPAY_PUBLIC_KEY is not set", "INVALID_PUBLIC_KEY");
  return env.ALIPAY_PUBLIC_KEY;
}

// One client per configuration and isolate: the key is parsed and imported into WebCrypto once.
const clients = new Map();

/**
 * The OpenAPI client (`alipay-notify/client`), or `null` when `ALIPAY_APP_PRIVATE_KEY` is not
 * set (then the gateway only records). Throws the client's coded error (`INVALID_PRIVATE_KEY`,
 * `INVALID_OPTIONS`, …) with the setting named, when the configuration is wrong.
 * @returns {import("alipay-notify/client").Client | null}
 */
export function clientFor(env) {
  if (!env.ALIPAY_APP_PRIVATE_KEY) return null;
  const endpoint = env.ALIPAY_OPENAPI_ENDPOINT || DEFAULT_ENDPOINT;
  const options = {
    appId: env.ALIPAY_APP_ID,
    privateKey: env.ALIPAY_APP_PRIVATE_KEY,
    alipayPublicKey: alipayPublicKey(env),
    endpoint,
    gateway: env.ALIPAY_OPENAPI_GATEWAY || `${endpoint.replace(/\/+$/, "")}/gateway.do`,
  };
  const id = JSON.stringify(options);
  let client = clients.get(id);
  if (!client) {
    try {
      client = createClient(options);
    } catch (e) {
      const setting =
        e?.code === "INVALID_PRIVATE_KEY"
          ? "ALIPAY_APP_PRIVATE_KEY"
          : e?.code === "INVALID_PUBLIC_KEY"
            ? "ALIPAY_PUBLIC_KEY"
            : "ALIPAY_APP_ID / ALIPAY_OPENAPI_ENDPOINT / ALIPAY_OPENAPI_GATEWAY";
      throw configError(`${setting}: ${e?.message ?? e}`, e?.code ?? "INVALID_OPTIONS");
    }
    clients.clear(); // a new configuration replaces the old one (a Worker has one)
    clients.set(id, client);
  }
  return client;
}

/** The `item_code`s listed in `REJECT_ITEM_CODES` (comma-separated). */
export function rejectedItemCodes(env) {
  return new Set(
    String(env.REJECT_ITEM_CODES ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
}
