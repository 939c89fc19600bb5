// Reading what the user pasted: a form body, query string, URL, the JSON dump Alipay's docs show
// (with biz_content unescaped inside it), a JSON object of params or a Java `Map.toString()` log
// line. Pure: no DOM, no package.

/**
 * What the user pasted, as a body for the API: a string (form, query, URL) or, for JSON, a
 * plain object of params. Returns `{ format, body, headerCharset, notes }`.
 */
export function readInput(text) {
  const notes = [];
  const s = text.trim();
  if (!s) return { format: "empty", body: null, headerCharset: null, notes };
  if (looksLikeJavaMap(s)) {
    const body = readJavaMap(s, notes);
    if (body) return { format: "java-map", body, headerCharset: null, notes };
  }
  const start = s.startsWith("{") ? 0 : jsonAfterData(s);
  if (start >= 0) {
    const json = readJson(s.slice(start, s.lastIndexOf("}") + 1), notes);
    if (json) return { ...json, notes };
  }
  const format = /^https?:\/\//i.test(s) ? "url" : s.startsWith("?") ? "query" : "form";
  if (/[\u0080-\uffff]/.test(s.replace(/¬/g, "")) && /(^|[?&])charset=(gbk|gb2312|gb18030)(&|$)/i.test(s)) {
    notes.push({ level: "warning", key: "noteGbkText" });
  }
  return { format, body: s, headerCharset: null, notes };
}

/** `…?…&Data={…}`: the docs' dump is logged after `Data=`. */
export function jsonAfterData(s) {
  const m = /(?:^|[?&\s])data=\{/i.exec(s);
  return m ? m.index + m[0].length - 1 : -1;
}

export function readJson(s, notes) {
  let obj;
  try {
    obj = JSON.parse(s);
  } catch (e) {
    const repaired = repairBizContent(s);
    try {
      if (repaired === null) throw e;
      obj = JSON.parse(repaired);
      notes.push({ level: "info", key: "noteBizRepaired" });
    } catch {
      notes.push({ level: "warning", key: "noteJsonInvalid", arg: e.message });
      return null;
    }
  }
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return null;
  let params = obj;
  let format = "json-params";
  let headerCharset = null;
  if (obj.data && typeof obj.data === "object" && !Array.isArray(obj.data)) {
    params = obj.data;
    format = "json-dump";
    const headers = obj.headers && typeof obj.headers === "object" ? obj.headers : {};
    const type = Object.entries(headers).find(([k]) => k.toLowerCase() === "content-type")?.[1];
    const m = typeof type === "string" ? /charset=([\w-]+)/i.exec(type) : null;
    if (m) {
      headerCharset = m[1];
      notes.push({ level: "info", key: "noteHeaderCharset", arg: m[1] });
    }
  }
  const body = {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === "string") {
      body[k] = v;
    } else {
      body[k] = v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
      notes.push({ level: "warning", key: "noteJsonValue", arg: k });
    }
  }
  return { format, body, headerCharset };
}

/**
 * The docs' dump prints biz_content unescaped: `"biz_content":"{"a":1}"`. Puts the exact text
 * between the quotes back as a JSON string; `null` when there is nothing to repair.
 */
export function repairBizContent(s) {
  const re = /"biz_content"\s*:\s*"(?=\s*\{\s*")/g;
  let out = "";
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const valueStart = m.index + m[0].length;
    const close = matchingBrace(s, s.indexOf("{", valueStart));
    if (close < 0) return null;
    let q = close + 1;
    while (q < s.length && /\s/.test(s[q])) q++;
    if (s[q] !== '"') return null;
    out += s.slice(last, valueStart - 1) + JSON.stringify(s.slice(valueStart, q));
    last = q + 1;
    re.lastIndex = last;
  }
  return last === 0 ? null : out + s.slice(last);
}

export function matchingBrace(s, i) {
  let depth = 0;
  let inString = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

// A Java `Map.toString()`: `{app_id=2021…, sign=…, charset=UTF-8}`. Keys are Alipay's parameter
// names (letters, digits, `_`, `.`), so an entry starts at `, name=`; what a JSON parser would
// call an opening `{"` or `{}` never starts one.
const JAVA_KEY = /^[A-Za-z_][\w.]*=/;

/** Whether `s` (trimmed) is a Java map's `toString()` rather than JSON. */
export function looksLikeJavaMap(s) {
  return s.startsWith("{") && s.endsWith("}") && JAVA_KEY.test(s.slice(1).trimStart());
}

/**
 * The params of a Java `Map.toString()` as a plain object, `null` if it is not one. The
 * format is lossy — `Map.toString` escapes nothing, so a value containing `, name=` cannot be
 * told from a new entry — and says so in `notes`. A value that starts with `{` or `[` (JSON,
 * such as `biz_content`) runs to its matching bracket, so commas inside it never split it.
 */
export function readJavaMap(s, notes) {
  const inner = s.slice(1, -1);
  const body = {};
  let i = 0;
  while (i < inner.length) {
    while (inner[i] === " ") i++;
    const key = JAVA_KEY.exec(inner.slice(i));
    if (!key) return null;
    const name = key[0].slice(0, -1);
    const start = i + key[0].length;
    let end = -1;
    if (inner[start] === "{" || inner[start] === "[") {
      const close = matchingBracket(inner, start);
      if (close >= 0 && (close + 1 === inner.length || nextEntry(inner, close + 1) === close + 1)) end = close + 1;
    }
    if (end < 0) end = nextEntry(inner, start);
    if (Object.hasOwn(body, name)) return null;
    body[name] = inner.slice(start, end);
    i = end + 1;
  }
  if (Object.keys(body).length === 0) return null;
  notes.push({ level: "warning", key: "noteJavaMap" });
  const arrays = Object.keys(body).filter((k) => /^\[L[\w.$]+;@[0-9a-f]+$/.test(body[k]));
  if (arrays.length > 0) notes.push({ level: "error", key: "noteJavaArray", arg: arrays.join(", ") });
  return body;
}

/** Where the entry after `from` begins (the index of its `,`), or the end of `inner`. */
function nextEntry(inner, from) {
  for (let j = inner.indexOf(", ", from); j >= 0; j = inner.indexOf(", ", j + 1)) {
    if (JAVA_KEY.test(inner.slice(j + 2))) return j;
  }
  return inner.length;
}

/** The index of the bracket closing the `{` or `[` at `i` (JSON strings skipped), or -1. */
function matchingBracket(s, i) {
  const stack = [];
  let inString = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") stack.push(c === "{" ? "}" : "]");
    else if (c === "}" || c === "]") {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}
