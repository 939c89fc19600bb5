// The other direction — what an ISV sends to Alipay and what Alipay answers: reading a pasted
// response, and showing a string to sign with its line breaks visible. Pure: no DOM, no
// package (the request itself is read by the package's `inspectRequest`).

/**
 * A pasted response: a v3 one (status line optional, headers, blank line, raw body) or a v2 one
 * (the JSON text alone). Returns `{ protocol, headers, body, trimmed }`: `protocol` is `"v3"`
 * when an `alipay-signature`/`alipay-timestamp`/`alipay-nonce` header is present, `"v2"`
 * otherwise, `"empty"` for nothing; header names lower case; `trimmed` says the line breaks
 * after the body were dropped (an editor adds them; Alipay's body has none).
 */
export function readResponse(text) {
  const s = text.replace(/\r\n/g, "\n").replace(/^\s+/, "");
  if (!s) return { protocol: "empty", headers: {}, body: "", trimmed: false };
  const lines = s.split("\n");
  let i = /^HTTP\/\d(\.\d)? \d{3}/.test(lines[0]) ? 1 : 0;
  /** @type {Record<string, string>} */
  const headers = {};
  for (; i < lines.length; i++) {
    const m = /^([A-Za-z0-9_-]+):\s*(.*)$/.exec(lines[i]);
    if (!m) break;
    headers[m[1].toLowerCase()] = m[2].trim();
  }
  if (i < lines.length && lines[i].trim() === "") i++;
  const rest = lines.slice(i).join("\n");
  const body = rest.replace(/\n+$/, "");
  const v3 = ["alipay-signature", "alipay-timestamp", "alipay-nonce"].some((h) => h in headers);
  return { protocol: v3 ? "v3" : "v2", headers, body, trimmed: body !== rest };
}

/** A string to sign split at its line breaks: `[line, endsWithNewline]` pairs, in order. */
export function visibleLines(text) {
  const parts = text.split("\n");
  const out = parts.slice(0, -1).map((line) => [line, true]);
  const last = parts[parts.length - 1];
  if (last !== "") out.push([last, false]);
  return out;
}
