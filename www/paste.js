// Reading what the user pasted: a form body, query string, URL, the JSON dump Alipay's docs show
// (with biz_content unescaped inside it) or a JSON object of params. Pure: no DOM, no package.

/**
 * What the user pasted, as a body for the API: a string (form, query, URL) or, for JSON, a
 * plain object of params. Returns `{ format, body, headerCharset, notes }`.
 */
export function readInput(text) {
  const notes = [];
  const s = text.trim();
  if (!s) return { format: "empty", body: null, headerCharset: null, notes };
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
