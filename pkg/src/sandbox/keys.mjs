// Keys of the sandbox: it plays Alipay, so it holds "Alipay's" private key (generated, never a
// real one) and the app's public key (given, or generated with the app's private key). Key text
// is accepted as users download it: PEM (SPKI, PKCS#1, PKCS#8), bare base64 or a certificate.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, X509Certificate } from "node:crypto";
import { coded } from "./errors.mjs";

/** Node's digest name for each `sign_type`. */
const DIGESTS = { RSA2: "sha256", RSA: "sha1" };

/** A fresh RSA-2048 key pair. */
function generateKeyPair() {
  return generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
}

/** Base64 text without PEM armour or whitespace, or `null` when it is not base64. */
function bareBase64(text) {
  const body = text.replace(/\s+/g, "");
  return /^[A-Za-z0-9+/]+={0,2}$/.test(body) && body.length % 4 === 0 ? Buffer.from(body, "base64") : null;
}

/**
 * A public key from its text: PEM SPKI or PKCS#1, a certificate (its key), or bare base64 of
 * either DER form. Throws `INVALID_PUBLIC_KEY` (the message never repeats the text).
 * @param {string} text
 * @param {string} what the option's name, for the message
 */
function loadPublicKey(text, what) {
  if (typeof text !== "string" || text.trim() === "")
    throw coded("INVALID_PUBLIC_KEY", `${what} must be the key's text (PEM or base64)`, { reason: "not a string" });
  const t = text.trim();
  try {
    if (t.includes("-----BEGIN CERTIFICATE-----")) return new X509Certificate(t).publicKey;
    if (t.startsWith("-----")) return checkRsa(createPublicKey(t), what);
    const der = bareBase64(t);
    if (der) {
      for (const type of /** @type {const} */ (["spki", "pkcs1"])) {
        try {
          return checkRsa(createPublicKey({ key: der, format: "der", type }), what);
        } catch {
          // try the other DER form
        }
      }
    }
  } catch (e) {
    if (e?.code === "INVALID_PUBLIC_KEY") throw e;
  }
  throw coded("INVALID_PUBLIC_KEY", `${what} is not an RSA public key (PEM, bare base64 or a certificate)`, {
    reason: "unreadable key",
  });
}

/**
 * A private key from PEM (PKCS#1 or PKCS#8) or bare base64 of either. Throws `INVALID_PRIVATE_KEY`.
 * @param {string} text
 * @param {string} what
 */
function loadPrivateKey(text, what) {
  if (typeof text === "string" && text.trim() !== "") {
    const t = text.trim();
    try {
      if (t.startsWith("-----")) return checkRsa(createPrivateKey(t), what, "INVALID_PRIVATE_KEY");
    } catch {
      // fall through to the coded error
    }
    const der = t.startsWith("-----") ? null : bareBase64(t);
    for (const type of /** @type {const} */ (["pkcs8", "pkcs1"])) {
      if (!der) break;
      try {
        return checkRsa(createPrivateKey({ key: der, format: "der", type }), what, "INVALID_PRIVATE_KEY");
      } catch {
        // try the other DER form
      }
    }
  }
  throw coded("INVALID_PRIVATE_KEY", `${what} is not an RSA private key (PKCS#1 or PKCS#8, PEM or bare base64)`, {
    reason: "unreadable key",
  });
}

function checkRsa(key, what, code = "INVALID_PUBLIC_KEY") {
  if (key.asymmetricKeyType !== "rsa") throw coded(code, `${what} is not an RSA key`, { reason: "not RSA" });
  return key;
}

/** SPKI PEM of a key's public half (what an ISV pastes as the Alipay public key). */
function publicPem(key) {
  const pub = key.type === "public" ? key : createPublicKey(key);
  return /** @type {string} */ (pub.export({ type: "spki", format: "pem" }));
}

/** PKCS#8 PEM of a private key. */
function privatePem(key) {
  return /** @type {string} */ (key.export({ type: "pkcs8", format: "pem" }));
}

/**
 * Base64 RSA PKCS#1 v1.5 signature of `data` (`RSA2` = SHA-256, `RSA` = SHA-1).
 * @param {Buffer | string} data
 * @param {import("node:crypto").KeyObject} key
 * @param {"RSA2" | "RSA"} [signType]
 */
function rsaSign(data, key, signType = "RSA2") {
  return sign(DIGESTS[signType], typeof data === "string" ? Buffer.from(data, "utf8") : data, key).toString("base64");
}

/**
 * Whether `signature` (base64) signs `data` under `key`.
 * @param {Buffer | string} data
 * @param {import("node:crypto").KeyObject} key
 * @param {string} signature
 * @param {"RSA2" | "RSA"} [signType]
 */
function rsaVerify(data, key, signature, signType = "RSA2") {
  if (typeof signature !== "string" || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return verify(DIGESTS[signType], bytes, key, Buffer.from(signature, "base64"));
}

export { DIGESTS, generateKeyPair, loadPublicKey, loadPrivateKey, publicPem, privatePem, rsaSign, rsaVerify };
