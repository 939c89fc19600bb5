// Loads the project's vectors (Node only).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { root } from "./scratch.mjs";
import { realVectors } from "./vectors.mjs";

export function notificationVectors() {
  return JSON.parse(readFileSync(join(root, "tests/vectors/notifications/vectors.json"), "utf8")).vectors;
}

export function realFiles() {
  const dir = join(root, "tests/vectors/real");
  return readdirSync(dir)
    .filter((f) => f.startsWith("notify-") && f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
}

/** Every vector: generated and real. */
export function allVectors() {
  return [...notificationVectors(), ...realVectors(realFiles())];
}

/** The test signer's public key (stands in for Alipay's), as users paste it (bare base64). */
export function testAlipayKey() {
  const v = notificationVectors().find((x) => x.keyFormat === "spki-base64" && x.expect.verified);
  return v.key;
}

/** The re-framing sources (tests/vectors/reframing/reframings.json). */
export function reframingSources() {
  return JSON.parse(readFileSync(join(root, "tests/vectors/reframing/reframings.json"), "utf8")).sources;
}
