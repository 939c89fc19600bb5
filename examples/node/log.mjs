// One JSON object per line: what the gateway refused, applied and called. Never a notification
// body and never a key: callers pass codes, ids and hints only.

/**
 * Writes `{ level, ...fields }` as one line: `info` through `logger.log`, the rest through
 * `logger.error` (stderr with `console`).
 * @param {Partial<Pick<Console, "log" | "error">>} logger
 * @param {"info" | "warn" | "error"} level
 * @param {Record<string, unknown>} fields
 */
export function logLine(logger, level, fields) {
  const write = level === "info" ? (logger.log ?? logger.error) : (logger.error ?? logger.log);
  write?.call(logger, JSON.stringify({ level, ...fields }));
}

/** What to log of a thrown value: its code and message (the package's errors carry no key text). */
export function describeError(e) {
  if (e && typeof e === "object") return { error: e.code ?? e.name ?? "Error", message: String(e.message ?? "") };
  return { error: "Error", message: String(e) };
}
