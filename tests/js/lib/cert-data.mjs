// Node side of the certificate-mode suite: loads the vectors (tests/vectors/cert) and builds a
// small PKI for end-to-end checks — a root CA and a leaf whose key is the test signer's
// (tests/vectors/notifications/keys), DER written here, signed by Node `crypto`, checked by Node's
// own X509Certificate — plus notifications signed with that key. Nothing here comes from the code
// under test. The result is plain JSON, handed to lib/cert-vectors.mjs in every runtime.
import { X509Certificate, createHash, createPublicKey, sign as rsaSign } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./scratch.mjs";
import { KINDS, notificationParams, privateKey, publicKeyPem, signNotification } from "./sign.mjs";

const certDir = join(root, "tests/vectors/cert");
const json = (path) => JSON.parse(readFileSync(join(certDir, path), "utf8"));

// ─── DER ──────────────────────────────────────────────────────────────────────────────────

function tlv(tag, ...parts) {
  const body = Buffer.concat(parts.map((p) => Buffer.from(p)));
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
}
const seq = (...p) => tlv(0x30, ...p);
const set = (...p) => tlv(0x31, ...p);
function int(n) {
  let hex = BigInt(n).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, "hex");
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}
function oid(text) {
  const [a, b, ...rest] = text.split(".").map(Number);
  const out = [40 * a + b];
  for (let v of rest) {
    const bytes = [v & 0x7f];
    for (v >>= 7; v > 0; v >>= 7) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return tlv(0x06, Buffer.from(out));
}
const utcTime = (iso) => tlv(0x17, Buffer.from(`${iso.replace(/[-:T]/g, "").slice(2, 14)}Z`));
const SHA256_RSA = seq(oid("1.2.840.113549.1.1.11"), tlv(0x05));

/** C, O, CN (encoded in that order, so Java's RFC 2253 form is `CN=…,O=…,C=…`). */
function name({ c, o, cn }) {
  return seq(
    set(seq(oid("2.5.4.6"), tlv(0x13, Buffer.from(c)))),
    set(seq(oid("2.5.4.10"), tlv(0x0c, Buffer.from(o, "utf8")))),
    set(seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(cn, "utf8")))),
  );
}

function certificate({ serial, issuer, subject, notBefore, notAfter, publicKey, signingKey, ca }) {
  const basicConstraints = seq(oid("2.5.29.19"), tlv(0x01, [0xff]), tlv(0x04, seq(...(ca ? [tlv(0x01, [0xff])] : []))));
  const tbs = seq(
    tlv(0xa0, int(2)),
    int(serial),
    SHA256_RSA,
    name(issuer),
    seq(utcTime(notBefore), utcTime(notAfter)),
    name(subject),
    publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, seq(basicConstraints)),
  );
  const signature = rsaSign("sha256", tbs, signingKey);
  const der = seq(tbs, SHA256_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** Alipay's SN as its Java SDK computes it: md5(issuer DN in RFC 2253 form + decimal serial). */
function javaStyleSn(x509) {
  // Node prints the issuer one attribute per line, in encoded order; RFC 2253 reverses it.
  const dn = x509.issuer.split("\n").reverse().join(",");
  return createHash("md5")
    .update(dn + BigInt(`0x${x509.serialNumber}`).toString(10))
    .digest("hex");
}

// ─── the fixture ──────────────────────────────────────────────────────────────────────────

/**
 * A root CA (key: app-rsa2048) and Alipay's certificate (key: alipay-rsa2048, the test signer),
 * valid 2024-01-01 … 2044-01-01, and notifications signed by the test signer.
 */
export function certFixture() {
  const rootKey = privateKey("app-rsa2048");
  const leafKey = privateKey("alipay-rsa2048");
  const rootName = { c: "CN", o: "Notify Test Root", cn: "Notify Test Root CA" };
  const leafName = { c: "CN", o: "Notify Test", cn: "2088000000000000-2021004112345678" };
  const rootPem = certificate({
    serial: 1001,
    issuer: rootName,
    subject: rootName,
    notBefore: "2020-01-01T00:00:00Z",
    notAfter: "2049-12-31T00:00:00Z",
    publicKey: createPublicKey(rootKey),
    signingKey: rootKey,
    ca: true,
  });
  const leafPem = certificate({
    serial: 20240101000000000000000001n,
    issuer: rootName,
    subject: leafName,
    notBefore: "2024-01-01T00:00:00Z",
    notAfter: "2044-01-01T00:00:00Z",
    publicKey: createPublicKey(leafKey),
    signingKey: rootKey,
    ca: false,
  });
  // Checked by an independent X.509 implementation before anything uses them.
  const rootX = new X509Certificate(rootPem);
  const leafX = new X509Certificate(leafPem);
  if (!rootX.verify(rootX.publicKey) || !leafX.checkIssued(rootX) || !leafX.verify(rootX.publicKey)) {
    throw new Error("the test PKI does not verify with Node's X509Certificate");
  }
  const leafSn = javaStyleSn(leafX);
  const rootSn = javaStyleSn(rootX);
  const otherSn = createHash("md5").update("a rotated certificate").digest("hex");

  const params = (i, extra) => ({ ...notificationParams(KINDS[1], i), ...extra });
  return {
    rootPem,
    leafPem,
    leafSn,
    rootSn,
    bareKey: publicKeyPem("alipay-rsa2048"),
    leafValidFromMs: Date.parse("2024-01-01T00:00:00Z"),
    leafValidToMs: Date.parse("2044-01-01T00:00:00Z"),
    // Order status changes (documented V1), signed by the leaf's key.
    signed: signNotification(params(900, { alipay_cert_sn: leafSn }), { variant: "v1" }),
    signedOtherSn: signNotification(params(901, { alipay_cert_sn: otherSn }), { variant: "v1" }),
    signedNoSn: signNotification(params(902), { variant: "v1" }),
    signedByOtherKey: signNotification(params(903, { alipay_cert_sn: leafSn }), {
      variant: "v1",
      key: privateKey("app-rsa2048"),
    }),
    otherSn,
  };
}

// ─── everything the runner needs ──────────────────────────────────────────────────────────

/** The data of lib/cert-vectors.mjs's `runCertVectors`, as plain JSON. */
export function certData() {
  return {
    generated: json("generated.json"),
    certSn: json("real/cert-sn-vectors.json"),
    certmode: [
      "real/certmode-v2-rsa-sha1-dotnet.json",
      "real/certmode-v2-rsa2-dotnet.json",
      "real/certmode-v2-rsa2-utf8-chinese-dotnet.json",
    ].map(json),
    syncResponses: ["real/sync-response-alipay-open-file-upload.json", "real/sync-response-trade-query-gopay.json"].map(
      json,
    ),
    aes: json("real/aes-vectors.json"),
    fixture: certFixture(),
  };
}
