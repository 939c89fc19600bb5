// Generates node-crypto.json: RSASSA-PKCS1-v1_5 signatures made and judged by Node's `crypto`
// (OpenSSL), used as an independent oracle by tests/rsa_differential.rs.
//
//   node tests/vectors/rsa-oracle/generate.mjs > tests/vectors/rsa-oracle/node-crypto.json
//
// Keys and messages come from Node's CSPRNG, so every run writes a different (equally valid)
// file. Node only signs and verifies here; the Rust code under test is never involved.

import crypto from "node:crypto";

const CASES = 320;

// Accepted sizes (1024..=4096 bits), mostly 2048; exponent 3 and another odd exponent too.
const KEY_SPECS = [
  { bits: 2048, e: 65537 },
  { bits: 2048, e: 65537 },
  { bits: 2048, e: 3 },
  { bits: 2048, e: 17 },
  { bits: 1024, e: 65537 },
  { bits: 1024, e: 3 },
  { bits: 3072, e: 65537 },
  { bits: 4096, e: 65537 },
];

// How a correct signature is spoiled before Node judges it.
const MUTATIONS = [
  "flip-sig-bit",
  "n-minus-1",
  "zero",
  "one",
  "equal-n",
  "above-n",
  "all-ff",
  "random-below-n",
  "truncated",
  "extended-zero",
  "extended-byte",
  "message-changed",
  "other-hash",
  "other-key",
];

const randInt = (n) => crypto.randomInt(n);
const hex = (buf) => Buffer.from(buf).toString("hex");
const toBig = (buf) => BigInt(`0x${buf.length ? hex(buf) : "0"}`);
const toLen = (big, len) => Buffer.from(big.toString(16).padStart(len * 2, "0"), "hex");

const keys = KEY_SPECS.map(({ bits, e }) => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", {
    modulusLength: bits,
    publicExponent: e,
  });
  const jwk = publicKey.export({ format: "jwk" });
  const n = toBig(Buffer.from(jwk.n, "base64url"));
  return { bits, e, publicKey, privateKey, n, len: bits / 8 };
});

const cases = [];
for (let i = 0; i < CASES; i++) {
  // Half the cases on the two plain 2048-bit keys.
  const keyIndex = randInt(2) === 0 ? randInt(2) : randInt(keys.length);
  const key = keys[keyIndex];
  const hash = randInt(10) < 7 ? "sha256" : "sha1";
  const msg = crypto.randomBytes(randInt(300));
  const good = crypto.sign(hash, msg, key.privateKey);
  const mutation = i % 3 === 0 ? "none" : MUTATIONS[randInt(MUTATIONS.length)];

  let sig = Buffer.from(good);
  let verifyMsg = Buffer.from(msg);
  let verifyHash = hash;
  switch (mutation) {
    case "none":
      break;
    case "flip-sig-bit": {
      const bit = randInt(key.len * 8);
      sig[bit >> 3] ^= 1 << (bit & 7);
      break;
    }
    case "n-minus-1":
      sig = toLen(key.n - 1n, key.len);
      break;
    case "zero":
      sig = Buffer.alloc(key.len);
      break;
    case "one":
      sig = toLen(1n, key.len);
      break;
    case "equal-n":
      sig = toLen(key.n, key.len);
      break;
    case "above-n":
      sig = toLen(key.n + BigInt(1 + randInt(1000)), key.len);
      break;
    case "all-ff":
      sig = Buffer.alloc(key.len, 0xff);
      break;
    case "random-below-n":
      sig = toLen(toBig(crypto.randomBytes(key.len)) % key.n, key.len);
      break;
    case "truncated":
      sig = randInt(2) ? sig.subarray(1) : sig.subarray(0, sig.length - 1);
      break;
    case "extended-zero":
      sig = Buffer.concat([Buffer.from([0]), sig]);
      break;
    case "extended-byte":
      sig = Buffer.concat([sig, Buffer.from([randInt(256)])]);
      break;
    case "message-changed":
      if (verifyMsg.length === 0) {
        verifyMsg = Buffer.from([randInt(256)]);
      } else {
        const bit = randInt(verifyMsg.length * 8);
        verifyMsg[bit >> 3] ^= 1 << (bit & 7);
      }
      break;
    case "other-hash":
      verifyHash = hash === "sha256" ? "sha1" : "sha256";
      break;
    case "other-key": {
      const other = keys[(keyIndex + 1 + randInt(keys.length - 1)) % keys.length];
      sig = crypto.sign(hash, msg, other.privateKey);
      break;
    }
    default:
      throw new Error(`unknown mutation ${mutation}`);
  }

  let valid;
  try {
    valid = crypto.verify(verifyHash, verifyMsg, key.publicKey, sig);
  } catch {
    // OpenSSL errors (e.g. a malformed signature) count as a rejection.
    valid = false;
  }
  if (mutation === "none" && !valid) throw new Error("Node rejected its own signature");
  cases.push({
    key: keyIndex,
    hash: verifyHash,
    mutation,
    msg: hex(verifyMsg),
    sig: hex(sig),
    valid,
  });
}

const out = {
  generator: "tests/vectors/rsa-oracle/generate.mjs",
  node: process.version,
  openssl: process.versions.openssl,
  padding: "RSASSA-PKCS1-v1_5 (crypto.sign / crypto.verify defaults for RSA keys)",
  keys: keys.map(({ bits, e, publicKey }) => ({
    bits,
    e,
    spki: hex(publicKey.export({ type: "spki", format: "der" })),
  })),
  cases,
};
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
