// Bytes of text in the two charsets Alipay uses (UTF-8, GBK) and the form encoding of its
// notifications and gateway requests. Node decodes GBK but has no GBK encoder, so the encoder
// is the decoder's table, reversed once on first use.

/** @type {Map<string, number[]> | null} */
let gbkTable = null;

function gbkBytes() {
  if (gbkTable) return gbkTable;
  const table = new Map();
  const dec = new TextDecoder("gbk", { fatal: true });
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      let ch;
      try {
        ch = dec.decode(new Uint8Array([a, b]));
      } catch {
        continue;
      }
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [a, b]);
    }
  }
  gbkTable = table;
  return table;
}

/** `"GBK"` for the GBK family of labels, else `"UTF-8"`; `null` for an unknown label. */
function normalizeCharset(label) {
  if (typeof label !== "string") return null;
  if (/^(utf-?8)$/i.test(label)) return "UTF-8";
  if (/^(gbk|gb2312|gb18030|cp936)$/i.test(label)) return "GBK";
  return null;
}

/**
 * The bytes of `text` in `charset`. Throws a `TypeError` for a character GBK cannot write.
 * @param {string} text
 * @param {"UTF-8" | "GBK"} charset
 */
function encodeText(text, charset) {
  if (charset !== "GBK") return Buffer.from(text, "utf8");
  const table = gbkBytes();
  const out = [];
  for (const ch of text) {
    const cp = /** @type {number} */ (ch.codePointAt(0));
    if (cp < 0x80) out.push(cp);
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new TypeError(`not encodable in GBK: U+${cp.toString(16).toUpperCase()}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

/** application/x-www-form-urlencoded of bytes: `[A-Za-z0-9*-._]` kept, space as `+`, the rest `%XX`. */
function formEncodeBytes(bytes) {
  let s = "";
  for (const b of bytes) {
    if (
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      "*-._".includes(String.fromCharCode(b))
    )
      s += String.fromCharCode(b);
    else if (b === 0x20) s += "+";
    else s += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return s;
}

/**
 * A form body of `[name, value]` pairs, each written in `charset`.
 * @param {Array<[string, string]>} pairs
 * @param {"UTF-8" | "GBK"} charset
 */
function formEncode(pairs, charset) {
  return pairs
    .map(([k, v]) => `${formEncodeBytes(encodeText(k, charset))}=${formEncodeBytes(encodeText(v, charset))}`)
    .join("&");
}

/**
 * Strict form decoding to byte pairs (`+` is a space, `%XX` a byte, anything else as written in
 * UTF-8). Throws a `TypeError` on a broken escape.
 * @param {string} text
 * @returns {Array<[Buffer, Buffer]>}
 */
function decodeForm(text) {
  if (text === "") return [];
  return text.split("&").map((part) => {
    const eq = part.indexOf("=");
    const [k, v] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    return [formBytes(k), formBytes(v)];
  });
}

function formBytes(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b) out.push(0x20);
    else if (c === 0x25) {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new TypeError("bad percent escape");
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) out.push(c);
    else {
      const ch = String.fromCodePoint(/** @type {number} */ (s.codePointAt(i)));
      out.push(...Buffer.from(ch, "utf8"));
      i += ch.length - 1;
    }
  }
  return Buffer.from(out);
}

export { normalizeCharset, encodeText, formEncode, decodeForm };
