// One JSON line per event of the gateway (a refusal, a call, a stopped service…), so logs can be
// searched by field. Never pass a body, a key or a token: only codes, ids and hints.

/**
 * Writes `{ "event": event, ...fields }` as one line (`console.error` for `level: "error"`).
 * @param {string} event
 * @param {Record<string, unknown>} [fields]
 * @param {"info" | "error"} [level]
 */
export function log(event, fields = {}, level = "info") {
  const line = JSON.stringify({ event, ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
}
