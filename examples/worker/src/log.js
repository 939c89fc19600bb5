// One JSON line per event of the gateway (a refusal, a call, a stopped service…): `{ level, msg,
// …fields }`, the same shape as the Node example's, so logs can be searched by field. Never pass a
// body, a key or a token: only codes, ids, hints and the package's messages (which quote no key).

/**
 * Writes `{ level, msg, ...fields }` as one line: `info` with `console.log`, the rest with
 * `console.error`.
 * @param {"info" | "warn" | "error"} level
 * @param {string} msg
 * @param {Record<string, unknown>} [fields]
 */
export function log(level, msg, fields = {}) {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === "info") console.log(line);
  else console.error(line);
}
