// The debugging page: reads what the user pastes, runs `inspectNotification` from the npm
// package (browser entry) and shows everything it reports; in certificate mode also the
// certificate's SN, the root bundle's SN and the chain's verdict. No framework, no network: the
// only requests are this page's own files (the package, its wasm, samples.json).
import init, { getCertSN, getRootCertSN, inspectNotification, verifyCertChain } from "alipay-notify";

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// Text (Chinese first)

const KINDS = {
  servicemarket_order_notify: ["订购通知", "Order notification"],
  "alipay.open.servicemarket.order.change.notify": ["订单状态变更", "Order status change"],
  "alipay.open.servicemarket.orderrenew.notify": ["续费订单", "Renewal orders"],
  open_app_auth_notify: ["第三方应用授权通知", "App authorisation"],
  generic: ["其他通知", "Other notification"],
};

const ERRORS = {
  MALFORMED_FORM: ["请求体格式错误", "Malformed form body"],
  DUPLICATE_PARAMETER: ["参数重复(参数污染)", "Duplicate parameter (pollution)"],
  MISSING_PARAMETER: ["缺少必需参数", "Missing parameter"],
  UNSUPPORTED_SIGN_TYPE: ["签名类型不支持或未被允许", "Sign type not supported or not allowed"],
  UNSUPPORTED_CHARSET: ["不支持的字符集", "Unsupported charset"],
  CHARSET_MISMATCH: ["内容不是所声明字符集的文本", "Bytes are not text in the declared charset"],
  INVALID_PUBLIC_KEY: ["公钥缺失或无效", "Missing or invalid public key"],
  MALFORMED_SIGNATURE: ["sign 不是有效的签名值", "sign is not a valid signature"],
  SIGNATURE_MISMATCH: ["签名与内容不匹配", "The signature does not match the content"],
  INVALID_BIZ_CONTENT: ["biz_content 不是 JSON 对象", "biz_content is not a JSON object"],
  APP_ID_MISMATCH: ["app_id 不符", "app_id mismatch"],
  NOTIFICATION_EXPIRED: ["通知已过期", "Notification expired"],
  INPUT_TOO_LARGE: ["输入过大", "Input too large"],
  INVALID_OPTIONS: ["选项无效", "Invalid options"],
  INVALID_ARGUMENT: ["输入类型无效", "Invalid argument"],
  CERT_SN_MISMATCH: ["alipay_cert_sn 与所配置证书的 SN 不一致", "alipay_cert_sn is not the configured certificate's SN"],
  CERT_UNTRUSTED: ["证书无法链接到根证书", "The certificate does not chain to the root bundle"],
  CERT_EXPIRED: ["证书不在有效期内", "A certificate is outside its validity dates"],
  INVALID_CERTIFICATE: ["不是可读取的证书", "Not a readable certificate"],
  MALFORMED_RESPONSE: ["响应格式错误", "Malformed response"],
  INVALID_AES_KEY: ["AES 密钥无效", "Invalid AES key"],
  MALFORMED_CIPHERTEXT: ["密文格式错误", "Malformed ciphertext"],
  DECRYPTION_FAILED: ["解密失败", "Decryption failed"],
  AMBIGUOUS_FRAMING: ["参数可被另一种方式拆分(重新分帧)", "The parameters admit another framing of the signed content"],
  CERT_NOT_ALIPAY: ["不是支付宝证书", "Not an Alipay certificate"],
};

// Labels of the typed fields (camelCase, as the JS API returns them).
const FIELDS = {
  notifyId: ["通知 ID", "Notification ID"],
  notifyTime: ["通知时间", "Notification time"],
  notifyType: ["通知类型", "Notification type"],
  msgMethod: ["消息方法", "Message method"],
  appId: ["应用 APPID", "App ID"],
  version: ["版本", "Version"],
  utcTimestamp: ["UTC 时间戳", "UTC timestamp"],
  commodityOrderId: ["订单编号", "Order ID"],
  orderTime: ["订购时间", "Order time"],
  title: ["服务名称", "Service name"],
  name: ["商户名称", "Merchant name"],
  merchantPid: ["商户 UID", "Merchant PID"],
  contactor: ["联系人", "Contact"],
  phone: ["联系电话", "Phone"],
  orderItemNum: ["门店数", "Shops"],
  totalPrice: ["订单价格", "Total price"],
  bizType: ["业务分类", "Business type"],
  itemCode: ["商品 code", "Item code"],
  specifications: ["规格名称", "Specification"],
  packageCount: ["套餐数量", "Package count"],
  periodDay: ["订购周期(天)", "Period (days)"],
  orderTicket: ["订单授权码", "Order ticket"],
  serviceCode: ["服务码", "Service code"],
  isvTicket: ["服务商透传标识", "ISV ticket"],
  consumerMiniAppId: ["小程序 APPID", "Mini program app ID"],
  merchantShopId: ["商家门店 ID", "Shop ID"],
  miniappReleaseBundle: ["发布端", "Release channels"],
  promoterMasterName: ["推广商主账号名称", "Promoter name"],
  promoterMasterPid: ["推广商主账号 PID", "Promoter PID"],
  orderNo: ["订单编号", "Order no."],
  orderLineNo: ["子订单编号", "Order line no."],
  operateTime: ["状态变更时间", "Status changed at"],
  status: ["状态", "Status"],
  cancelMemo: ["取消原因", "Cancel reason"],
  cancelOperatorType: ["订单取消主体", "Cancelled by"],
  cancelTime: ["取消时间", "Cancelled at"],
  waitForRenewOrderCount30Day: ["30 天内待续费订单数", "Orders due for renewal (30 days)"],
  waitForRenewMerchantCount30Day: ["30 天内待续费商家数", "Merchants due for renewal (30 days)"],
  authAppId: ["授权应用 APPID", "Authorised app ID"],
  trigger: ["触发来源", "Trigger"],
  triggerContext: ["触发上下文", "Trigger context"],
  detail: ["授权详情", "Authorisation detail"],
  error: ["错误", "Error"],
  appAuthToken: ["应用授权令牌", "App auth token"],
  appRefreshToken: ["刷新令牌", "Refresh token"],
  userId: ["授权商户 user_id", "Merchant user_id"],
  expiresIn: ["令牌有效期", "Token lifetime"],
  reExpiresIn: ["刷新令牌有效期", "Refresh token lifetime"],
  authTime: ["授权时间", "Authorised at"],
  appAuthCode: ["授权码", "Auth code"],
};

// Shown elsewhere (verdict, status block, biz_content, params), not in the field list.
const NOT_FIELDS = new Set(["verified", "variant", "signType", "kind", "charset", "params", "bizContent",
  "bizContentRaw", "statusInfo", "deadline", "cancelOperator"]);

const FORMATS = {
  form: ["表单请求体", "form body"],
  query: ["查询串", "query string"],
  url: ["完整 URL", "whole URL"],
  "json-dump": ["JSON 日志({\"headers\":…,\"data\":{…}})", "JSON dump ({\"headers\":…,\"data\":{…}})"],
  "json-params": ["参数 JSON 对象", "JSON object of params"],
};

const TEXT = {
  title: ["支付宝通知验签调试", "Alipay notification debugger"],
  subtitle: ["粘贴一条服务市场通知,看它为什么验签通过或失败。", "Paste a Service Market notification and see exactly why it does or doesn't verify."],
  privacy: ["全部在本页面内完成(WebAssembly):通知和公钥不会离开你的浏览器,本页面不发送任何网络请求。",
    "Everything runs inside this page (WebAssembly): your notification and key never leave the browser; the page sends no network requests."],
  samples: ["内置示例", "Built-in samples"],
  samplesNote: ["点击加载:通知与对应公钥(测试密钥签名;“真实”示例由支付宝签名)。",
    "One click loads a notification and its key (signed with a bundled test key; the “real” ones are Alipay-signed)."],
  bodyLabel: ["通知内容", "Notification"],
  bodyHelp: ["原始请求体、查询串、完整 URL、文档中的 JSON 日志({\"headers\":…,\"data\":{…}})或参数 JSON 对象。GBK 通知请粘贴原始的百分号编码请求体,字节才能保持不变。",
    "Raw form body, query string, whole URL, the JSON dump shown in Alipay's docs ({\"headers\":…,\"data\":{…}}) or a JSON object of params. Paste a GBK notification as its raw percent-encoded body, so its bytes survive."],
  keyLabel: ["支付宝公钥或公钥证书", "Alipay public key or certificate"],
  keyHelp: ["开放平台控制台中的“支付宝公钥”(不是应用公钥):base64 或 PEM。公钥证书模式:粘贴支付宝公钥证书 alipayCertPublicKey_RSA2.crt 的全部内容(不是应用公钥证书 appCertPublicKey_*.crt)。",
    "The “Alipay public key” (支付宝公钥) from the open platform console — not your app's key: base64 or PEM. Certificate mode (公钥证书模式): paste the whole of Alipay's certificate, alipayCertPublicKey_RSA2.crt (not your app's appCertPublicKey_*.crt)."],
  certMode: ["公钥证书模式:支付宝根证书(可选)", "Certificate mode: Alipay root certificate (optional)"],
  rootHelp: ["粘贴 alipayRootCert.crt 的全部内容:显示根证书 SN(alipay_root_cert_sn),并按本机当前时间检查支付宝公钥证书能否链接到根证书、是否在有效期内。",
    "Paste the whole of alipayRootCert.crt: shows the root SN (alipay_root_cert_sn) and checks, at this computer's current time, that Alipay's certificate chains to it and is within its validity dates."],
  certSn: ["证书 SN(alipay_cert_sn)", "Certificate SN (alipay_cert_sn)"],
  certCount: [(n) => `文件含 ${n} 张证书`, (n) => `${n} certificate${n === 1 ? "" : "s"} in the file`],
  certUnreadable: ["证书无法读取", "Certificate not readable"],
  snInNotification: ["通知中的 alipay_cert_sn", "alipay_cert_sn in the notification"],
  snMatch: ["一致", "matches"],
  snMismatch: ["不一致:支付宝可能已更换证书,请下载最新的 alipayCertPublicKey_RSA2.crt", "differs: Alipay may have renewed its certificate; download the current alipayCertPublicKey_RSA2.crt"],
  rootSn: ["根证书 SN(alipay_root_cert_sn)", "Root SN (alipay_root_cert_sn)"],
  chain: ["证书链", "Chain"],
  chainOk: [(d) => `可信,在有效期内 · ${d}`, (d) => `trusted, within its validity dates · ${d}`],
  chainNeedsCert: ["公钥不是证书:无法检查证书链。", "The key is not a certificate: there is no chain to check."],
  options: ["选项", "Options"],
  optVariant: ["验签方式", "Variant"],
  optAuto: ["自动(先按文档,再试另一种)", "auto (documented first, then the other)"],
  optSignTypes: ["允许的签名类型", "Allowed sign types"],
  optEmpty: ["空值参数", "Empty values"],
  optKeep: ["保留(默认,支付宝实际签名方式)", "keep (default: what Alipay signs)"],
  optSkip: ["跳过(Java SDK 行为)", "skip (Java SDK behaviour)"],
  optCharset: ["字符集(通知未声明时)", "Charset (when the body declares none)"],
  optCharsetDefault: ["默认 UTF-8", "default UTF-8"],
  problems: ["问题与提示", "Problems and hints"],
  params: ["参数(按收到的顺序)", "Parameters (in received order)"],
  signContent: ["待验签字符串", "Sign content"],
  signContentHelp: ["参数按键名排序,值为解码一次后的原始字节,以 & 连接。V1 不含 sign 与 sign_type;V2 只去掉 sign。两者的差别已高亮。",
    "Params sorted by name, values as the raw bytes decoded once, joined by &. V1 leaves out sign and sign_type; V2 only sign. The difference is highlighted."],
  bizPretty: ["解析后", "Parsed"],
  bizRaw: ["原始字符串(按此签名)", "Raw string (what was signed)"],
  rawJson: ["完整检查结果(inspectNotification 的 JSON)", "Full report (inspectNotification JSON)"],
  footer: ["alipay-notify:Rust 核心编译为 WebAssembly,与 npm 包同一份代码(browser 入口)。",
    "alipay-notify: a Rust core compiled to WebAssembly — the same code as the npm package (browser entry)."],
  idle: ["粘贴通知(或点击示例)开始检查。", "Paste a notification (or click a sample) to begin."],
  loading: ["正在加载 WebAssembly…", "Loading WebAssembly…"],
  loadFailed: ["无法加载 WebAssembly 模块:", "Could not load the WebAssembly module: "],
  verified: ["验签通过", "Verified"],
  failed: ["验签失败", "Not verified"],
  error: ["无法验签", "Cannot verify"],
  documentedOther: [(d, v) => `文档规定为 ${d},实际按 ${v} 签名(自动模式两种都试)。`,
    (d, v) => `Documented as ${d}, actually signed ${v} (auto tries both).`],
  keyBits: [(b) => `公钥 ${b} 位`, (b) => `${b}-bit key`],
  documented: ["文档规定", "documented"],
  matched: ["匹配", "matches"],
  mismatch: ["不匹配", "mismatch"],
  notChecked: ["未检查", "not checked"],
  noProblems: ["未发现问题。", "No problems found."],
  sevError: ["错误", "error"],
  sevWarning: ["警告", "warning"],
  sevInfo: ["提示", "info"],
  fixNot: ["一键修复:把 ¬ 换回 &not", "Fix it: replace ¬ with &not"],
  unverified: ["未通过验签:以下字段仅供排查,不可信。", "Not verified: these fields are for debugging only, not to be trusted."],
  verifiedFields: ["已验签:以下字段来自通过验签的通知。", "Verified: these fields come from a verified notification."],
  statusTitle: ["订单状态", "Order status"],
  terminal: ["终态", "final"],
  notTerminal: ["进行中", "in progress"],
  next: ["下一步", "Next"],
  rule: ["规则", "Rule"],
  deadline: ["期限", "Deadline"],
  beijing: ["北京时间", "Beijing time"],
  from: ["起算", "from"],
  unknownChannel: ["未知端", "unknown channel"],
  empty: ["(空值)", "(empty)"],
  none: ["—", "—"],
  seconds: [(s) => `${s} 秒(约 ${Math.round(s / 86400)} 天)`, (s) => `${s} s (about ${Math.round(s / 86400)} days)`],
  notText: [(cs) => `不是有效的 ${cs} 文本;原始字节:`, (cs) => `not valid ${cs} text; raw bytes:`],
  undocumented: ["文档未列出", "not in the docs"],
  colName: ["参数", "Name"],
  colValue: ["值", "Value"],
  v1Title: ["V1 · rsaCheckV1 · 不含 sign、sign_type", "V1 · rsaCheckV1 · without sign, sign_type"],
  v2Title: ["V2 · rsaCheckV2 · 只去掉 sign", "V2 · rsaCheckV2 · without sign only"],
  copy: ["复制", "Copy"],
  copied: ["已复制", "Copied"],
  chars: [(n) => `${n} 个字符`, (n) => `${n} characters`],
  diffNone: ["两者相同。", "They are identical."],
  diffOnlyV2: ["仅 V2 含有:", "Only in V2: "],
  diffOnlyV1: ["仅 V1 含有:", "Only in V1: "],
  gbkSigned: ["签名针对的是这个字符串的 GBK 字节。", "The signature is over this string's GBK bytes."],
  bizNotJson: ["(不是合法 JSON)", "(not valid JSON)"],
  detected: [(f) => `识别为:${f}`, (f) => `Read as: ${f}`],
  noteBizRepaired: ["JSON 中的 biz_content 没有转义(与文档示例相同),已按原样还原为字符串。",
    "biz_content was not escaped inside the JSON (as in the docs' example); restored verbatim as a string."],
  noteJsonInvalid: [(m) => `看起来是 JSON,但无法解析(${m}),按表单处理。`, (m) => `Looks like JSON but does not parse (${m}); read as a form.`],
  noteJsonValue: [(k) => `${k} 不是字符串:已转换,可能与签名的原始内容不同。`, (k) => `${k} is not a string: converted, may differ from what was signed.`],
  noteHeaderCharset: [(c) => `请求头声明 charset=${c}(通知未声明时使用)。`, (c) => `The headers declare charset=${c} (used when the params declare none).`],
  noteGbkText: ["通知声明 GBK,但粘贴的文本含有未编码的汉字:浏览器只能以 UTF-8 传递它们,GBK 字节已丢失。请粘贴原始的百分号编码请求体。",
    "The notification declares GBK but the pasted text has unencoded Chinese: a browser can only pass it on as UTF-8, so the GBK bytes are lost. Paste the raw percent-encoded body."],
  jsonSample: ["文档 JSON 日志格式(应用授权)", "Docs' JSON dump shape (app auth)"],
  notSample: ["从文档复制的 ¬ify(一键修复)", "Copied from the docs: ¬ify (one-click fix)"],
};

let lang = pickLanguage();

function t(key, ...args) {
  const entry = TEXT[key];
  if (!entry) return key;
  const v = entry[lang === "en" ? 1 : 0];
  return typeof v === "function" ? v(...args) : v;
}

/** Picks zh or en from a pair. */
const pick = (pair) => (pair ? pair[lang === "en" ? 1 : 0] : null);

function pickLanguage() {
  const q = new URLSearchParams(location.search).get("lang");
  if (q === "en" || q === "zh") return q;
  try {
    const saved = localStorage.getItem("alipay-notify-lang");
    if (saved === "en" || saved === "zh") return saved;
  } catch {
    // storage may be unavailable; Chinese is the default
  }
  return "zh";
}

function applyLanguage() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.title = `${t("title")} · alipay-notify`;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
}

// ---------------------------------------------------------------------------------------------
// Reading the input

/**
 * What the user pasted, as a body for the API: a string (form, query, URL) or, for JSON, a
 * plain object of params. Returns `{ format, body, headerCharset, notes }`.
 */
function readInput(text) {
  const notes = [];
  const s = text.trim();
  if (!s) return { format: "empty", body: null, headerCharset: null, notes };
  const start = s.startsWith("{") ? 0 : jsonAfterData(s);
  if (start >= 0) {
    const json = readJson(s.slice(start, s.lastIndexOf("}") + 1), notes);
    if (json) return { ...json, notes };
  }
  const format = /^https?:\/\//i.test(s) ? "url" : s.startsWith("?") ? "query" : "form";
  if (/[^\x00-\x7f]/.test(s.replace(/¬/g, "")) && /(^|[?&])charset=(gbk|gb2312|gb18030)(&|$)/i.test(s)) {
    notes.push({ level: "warning", key: "noteGbkText" });
  }
  return { format, body: s, headerCharset: null, notes };
}

/** `…?…&Data={…}`: the docs' dump is logged after `Data=`. */
function jsonAfterData(s) {
  const m = /(?:^|[?&\s])data=\{/i.exec(s);
  return m ? m.index + m[0].length - 1 : -1;
}

function readJson(s, notes) {
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
function repairBizContent(s) {
  const re = /"biz_content"\s*:\s*"(?=\s*\{\s*")/g;
  let out = "";
  let last = 0;
  let m;
  while ((m = re.exec(s))) {
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

function matchingBrace(s, i) {
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

function readOptions(headerCharset) {
  const signTypes = [];
  if ($("opt-rsa2").checked) signTypes.push("RSA2");
  if ($("opt-rsa").checked) signTypes.push("RSA");
  const options = { variant: $("opt-variant").value, signTypes, emptyValues: $("opt-empty").value };
  const charset = $("opt-charset").value || headerCharset;
  if (charset) options.charset = charset;
  return options;
}

function setOptions(o = {}) {
  $("opt-variant").value = o.variant ?? "auto";
  const types = o.signTypes ?? ["RSA2"];
  $("opt-rsa2").checked = types.includes("RSA2");
  $("opt-rsa").checked = types.includes("RSA");
  $("opt-empty").value = o.emptyValues ?? "keep";
  $("opt-charset").value = ["UTF-8", "GBK"].includes(o.charset) ? o.charset : "";
}

/**
 * Certificate mode: what the key and the optional root bundle are, through the package's own
 * functions. `null` when the key is not a certificate and no root bundle is given.
 */
function readCertificates(key, rootText, now) {
  const armoured = key.includes("-----BEGIN CERTIFICATE-----");
  const attempt = (fn) => {
    try {
      return { value: fn() };
    } catch (e) {
      return { error: { code: e.code ?? "ERROR", message: e.message } };
    }
  };
  // Bare base64 DER is a certificate too; a bare key is not (and says nothing here).
  let cert = key ? attempt(() => getCertSN(key)) : null;
  if (cert?.error && !armoured) cert = null;
  const root = rootText.trim();
  if (!cert && !root) return null;
  const out = { cert, count: (key.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length || (cert?.value ? 1 : 0), root: null, chain: null, now };
  if (root) {
    out.root = attempt(() => getRootCertSN(root));
    out.chain = cert?.value ? attempt(() => verifyCertChain(key, root, now)) : { needsCert: true };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rendering (textContent only: pasted data never becomes markup)

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

const code = (text, cls = "") => el("code", { class: cls || null, text });

let state = { input: null, report: null, options: null };

function render() {
  const { input, report } = state;
  renderNotes(input);
  renderCertificates(state.certs, report);
  renderVerdict(report, input);
  renderProblems(report);
  renderKind(report);
  renderParams(report);
  renderSign(report);
  renderBiz(report);
  $("raw-card").hidden = !report;
  $("raw-json").textContent = report ? JSON.stringify(report, null, 2) : "";
}

function renderNotes(input) {
  const list = $("input-notes");
  list.replaceChildren();
  if (!input || input.format === "empty") return;
  list.append(el("li", { class: "note info", "data-format": input.format }, t("detected", pick(FORMATS[input.format]))));
  for (const n of input.notes) list.append(el("li", { class: `note ${n.level}` }, t(n.key, n.arg)));
}

function renderCertificates(certs, report) {
  const box = $("cert-info");
  box.replaceChildren();
  box.hidden = !certs;
  if (!certs) return;
  const failure = (e) => [el("span", { class: "bad" }, "✘ ", code(e.code, "error-code")), " ", el("span", { class: "muted", text: e.message })];
  if (certs.cert) {
    box.append(el("p", {}, el("strong", { text: t("certSn") }), " ",
      certs.cert.value
        ? [code(certs.cert.value, "sn"), " ", el("span", { class: "muted", text: `· ${t("certCount", certs.count)}` })]
        : [t("certUnreadable"), " ", ...failure(certs.cert.error)]));
    box.querySelector("code.sn")?.setAttribute("data-testid", "cert-sn");
    const received = report?.params.find((p) => p.name === "alipay_cert_sn")?.value;
    if (certs.cert.value && received) {
      const same = received === certs.cert.value;
      box.append(el("p", { "data-testid": "cert-sn-check", "data-match": String(same) }, el("strong", { text: t("snInNotification") }), " ",
        code(received), " ", el("span", { class: same ? "ok" : "bad", text: `${same ? "✔" : "✘"} ${t(same ? "snMatch" : "snMismatch")}` })));
    }
  }
  if (certs.root) {
    box.append(el("p", {}, el("strong", { text: t("rootSn") }), " ",
      certs.root.value ? el("code", { "data-testid": "root-sn", text: certs.root.value }) : failure(certs.root.error)));
    const c = certs.chain;
    const status = c.needsCert ? "na" : c.error ? "failed" : "ok";
    box.append(el("p", { "data-testid": "chain-verdict", "data-status": status, "data-code": c.error?.code ?? null }, el("strong", { text: t("chain") }), " ",
      c.needsCert ? el("span", { class: "muted", text: t("chainNeedsCert") })
        : c.error ? failure(c.error)
          : el("span", { class: "ok", text: `✔ ${t("chainOk", beijing(certs.now))}` })));
  }
}

function renderVerdict(report, input) {
  const v = $("verdict");
  v.replaceChildren();
  v.removeAttribute("data-variant");
  if (!report) {
    v.dataset.status = input?.loadError ? "error" : "idle";
    v.append(el("p", { class: "verdict-main" }, input?.loadError ? t("loadFailed") + input.loadError : t(input ? "idle" : "loading")));
    return;
  }
  const { outcome } = report;
  v.dataset.status = outcome.status;
  const icon = { verified: "✔", failed: "✘", error: "⚠" }[outcome.status];
  const main = el("p", { class: "verdict-main" }, el("span", { class: "icon", "aria-hidden": "true", text: icon }), " ", t(outcome.status));
  v.append(main);
  if (outcome.status === "verified") {
    v.dataset.variant = outcome.variant;
    const V = outcome.variant.toUpperCase();
    main.append(" ", el("span", { class: "verdict-detail" },
      code(`${V} · rsaCheck${V}`), " ", code(`${outcome.signType} · ${outcome.signType === "RSA2" ? "SHA256withRSA" : "SHA1withRSA"}`),
      " ", code(report.charset ?? "UTF-8"), report.key.bits ? ` · ${t("keyBits", report.key.bits)}` : ""));
    if (outcome.variant !== report.documentedVariant) {
      v.append(el("p", { class: "verdict-sub" }, t("documentedOther", report.documentedVariant.toUpperCase(), V)));
    }
  } else if (outcome.error) {
    main.append(" ", el("code", { class: "error-code", "data-testid": "error-code", text: outcome.error.code }));
    // In Chinese: what the code means, then the package's own (English) message.
    v.append(el("p", { class: "verdict-sub" }, lang === "en" ? outcome.error.message
      : [pick(ERRORS[outcome.error.code]) ?? "", " — ", el("span", { class: "muted", text: outcome.error.message })]));
  }
  const verdictOf = (x) => ({ verified: ["ok", "✔ " + t("matched")], mismatch: ["bad", "✘ " + t("mismatch")], not_checked: ["na", t("notChecked")] })[x];
  const row = el("p", { class: "variants" });
  for (const variant of ["v1", "v2"]) {
    const [cls, label] = verdictOf(report[variant]);
    row.append(el("span", { class: `pill ${cls}`, "data-variant-check": variant },
      `${variant.toUpperCase()}: ${label}`, variant === report.documentedVariant ? ` (${t("documented")})` : ""));
  }
  if (report.key.provided && report.key.bits && outcome.status !== "verified") row.append(el("span", { class: "pill na" }, t("keyBits", report.key.bits)));
  v.append(row);
}

function renderProblems(report) {
  const list = $("problems");
  list.replaceChildren();
  $("problems-card").hidden = !report;
  if (!report) return;
  if (report.problems.length === 0) {
    list.append(el("li", { class: "problem ok" }, t("noProblems")));
    return;
  }
  const sev = { error: "sevError", warning: "sevWarning", info: "sevInfo" };
  for (const p of report.problems) {
    const li = el("li", { class: `problem ${p.severity}`, "data-code": p.code },
      el("div", { class: "problem-head" },
        el("span", { class: `badge ${p.severity}`, text: t(sev[p.severity] ?? "sevInfo") }), " ",
        code(p.code), p.param ? [" ", code(p.param, "param")] : null),
      el("p", { class: "hint", "data-testid": "hint" }, lang === "en" ? p.hint : p.hintZh),
      el("p", { class: "muted small message" }, p.message));
    if (p.code === "PASTED_NOT_ENTITY") {
      li.append(el("button", { type: "button", class: "fix", "data-testid": "fix-not-entity", onclick: fixNotEntity, text: t("fixNot") }));
    }
    list.append(li);
  }
}

function fixNotEntity() {
  const body = $("body");
  body.value = body.value.replaceAll("¬", "&not");
  run();
  body.focus();
}

function beijing(ms) {
  if (!Number.isFinite(ms)) return null;
  return `${new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace("T", " ")} (${t("beijing")})`;
}

function fieldValue(name, value) {
  if (value === null || value === undefined) return el("span", { class: "muted", text: t("none") });
  if (value === "") return el("span", { class: "muted", text: t("empty") });
  if (name === "miniappReleaseBundle" && Array.isArray(value)) {
    return el("span", { class: "channels", "data-testid": "channels" },
      value.map((c) => el("span", { class: "chip static" }, code(c.code), " ", pick([c.zh, c.en]) ?? t("unknownChannel"))));
  }
  if (name === "authTime" && typeof value === "number") return el("span", {}, code(String(value)), " ", beijing(value));
  if (name === "utcTimestamp" && /^\d{10,13}$/.test(value)) return el("span", {}, code(value), " ", beijing(Number(value)));
  if ((name === "expiresIn" || name === "reExpiresIn") && typeof value === "number") return el("span", {}, t("seconds", value));
  if (name === "detail" && typeof value === "object") {
    const list = fieldList(value);
    list.classList.add("top-fields");
    return list;
  }
  if (typeof value === "object") return el("pre", { class: "code inline-json", text: JSON.stringify(value, null, 2) });
  return el("span", { class: "value", text: String(value) });
}

function fieldList(obj, extra = {}) {
  const dl = el("dl", { class: "fields" });
  for (const [name, value] of Object.entries(obj)) {
    if (NOT_FIELDS.has(name)) continue;
    const label = pick(FIELDS[name]) ?? name;
    const wide = value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 2;
    dl.append(el("div", { class: `field-row${wide ? " wide" : ""}`, "data-field": name },
      el("dt", {}, label, " ", el("span", { class: "muted small mono", text: name })),
      el("dd", {}, fieldValue(name, value), extra[name] ?? null)));
  }
  return dl;
}

function renderKind(report) {
  const card = $("kind-card");
  card.replaceChildren();
  card.hidden = !report;
  if (!report) return;
  const n = report.notification;
  card.append(el("h2", { "data-testid": "kind", "data-kind": report.kind }, pick(KINDS[report.kind]) ?? report.kind, " ",
    code(report.kind === "generic" ? n?.notifyType ?? n?.msgMethod ?? "generic" : report.kind, "wire")));
  if (!n) return;
  card.append(el("p", { class: `trust ${n.verified ? "ok" : "bad"}` }, t(n.verified ? "verifiedFields" : "unverified")));
  if (n.statusInfo) {
    const s = n.statusInfo;
    card.append(el("div", { class: "status-block", "data-testid": "status" },
      el("p", {}, el("strong", { text: t("statusTitle") }), " ", code(s.code), " ",
        el("span", { class: "status-label", text: pick([s.zh, s.en]) }), " ",
        el("span", { class: `badge ${s.terminal ? "final" : "open"}`, text: t(s.terminal ? "terminal" : "notTerminal") })),
      el("p", {}, el("strong", { text: t("next") }), " ", pick([s.nextZh, s.next])),
      s.rule ? el("p", {}, el("strong", { text: t("rule") }), " ", pick([s.rule.zh, s.rule.en])) : null,
      n.deadline ? el("p", { "data-testid": "deadline" }, el("strong", { text: t("deadline") }), " ",
        el("span", { class: "deadline", text: `${n.deadline.at} (${t("beijing")})` }), ` · ${t("from")} ${n.deadline.from}`,
        n.deadline.rule.id !== s.rule?.id ? ` · ${pick([n.deadline.rule.zh, n.deadline.rule.en])}` : "") : null));
  }
  const extra = {};
  if (n.cancelOperator) extra.cancelOperatorType = el("span", {}, " ", pick([n.cancelOperator.zh, n.cancelOperator.en]));
  const fields = fieldList(n, extra);
  fields.classList.add("top-fields");
  card.append(fields);
}

function renderParams(report) {
  const card = $("params-card");
  card.hidden = !report || report.params.length === 0;
  const body = $("params");
  body.replaceChildren();
  if (card.hidden) return;
  card.querySelector("thead").replaceChildren(el("tr", {},
    el("th", { text: "#" }), el("th", { text: t("colName") }), el("th", { text: t("colValue") }),
    el("th", { class: "mark", text: "V1" }), el("th", { class: "mark", text: "V2" })));
  const charset = report.charset ?? "UTF-8";
  report.params.forEach((p, i) => {
    const value = el("td", { class: "value" });
    if (p.value === "") value.append(el("span", { class: "muted", text: t("empty") }));
    else value.append(el("span", { class: p.name === "biz_content" ? "pre" : null, text: p.value }));
    if (!p.validText) {
      value.append(el("div", { class: "bytes", "data-testid": "raw-bytes" }, el("span", { class: "badge warning", text: t("notText", charset) }), " ", code(p.raw ?? "")));
    }
    const name = el("td", { class: "name" }, code(p.name));
    if (p.documented === false) name.append(" ", el("span", { class: "badge info", text: t("undocumented") }));
    body.append(el("tr", { "data-param": p.name, class: p.validText ? null : "not-text" },
      el("td", { class: "num", text: String(i + 1) }), name, value,
      el("td", { class: "mark", text: p.inV1 ? "✓" : "–" }), el("td", { class: "mark", text: p.inV2 ? "✓" : "–" })));
  });
}

/** Marks the `&`-separated pieces of `a` that `b` lacks (longest common subsequence). */
function diffPieces(a, b) {
  const x = a.split("&");
  const y = b.split("&");
  const table = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      table[i][j] = x[i] === y[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < x.length) {
    if (j < y.length && x[i] === y[j]) {
      out.push([x[i], false]);
      i++;
      j++;
    } else if (j < y.length && table[i][j + 1] >= table[i + 1][j]) {
      j++;
    } else {
      out.push([x[i], true]);
      i++;
    }
  }
  return out;
}

function signBlock(variant, report) {
  const text = variant === "v1" ? report.signContentV1 : report.signContentV2;
  const other = variant === "v1" ? report.signContentV2 : report.signContentV1;
  const pre = el("pre", { class: "code sign-content", "data-testid": `sign-content-${variant}` });
  const pieces = text === "" ? [] : diffPieces(text, other);
  pieces.forEach(([piece, differs], k) => {
    if (k > 0) pre.append("&");
    pre.append(differs ? el("mark", { class: "diff", text: piece }) : piece);
  });
  const state = { verified: ["ok", "✔ " + t("matched")], mismatch: ["bad", "✘ " + t("mismatch")], not_checked: ["na", t("notChecked")] }[report[variant]];
  const button = el("button", { type: "button", class: "copy", "data-testid": `copy-${variant}`, text: t("copy") });
  button.addEventListener("click", () => copyText(text, button));
  return {
    pieces,
    nodes: [
      el("div", { class: "sign-head" }, el("h3", { text: t(`${variant}Title`) }),
        el("span", { class: `pill ${state[0]}`, text: state[1] }), button),
      pre,
      el("p", { class: "muted small" }, t("chars", [...text].length), report.charset === "GBK" ? ` · ${t("gbkSigned")}` : ""),
    ],
  };
}

function renderSign(report) {
  const card = $("sign-card");
  card.hidden = !report || report.params.length === 0;
  if (card.hidden) return;
  const v1 = signBlock("v1", report);
  const v2 = signBlock("v2", report);
  const only = (pieces) => pieces.filter(([, d]) => d).map(([p]) => p);
  const diff = el("p", { class: "diff-summary", "data-testid": "sign-diff" });
  const onlyV2 = only(v2.pieces);
  const onlyV1 = only(v1.pieces);
  if (onlyV1.length === 0 && onlyV2.length === 0) diff.append(t("diffNone"));
  if (onlyV2.length) diff.append(t("diffOnlyV2"), ...onlyV2.map((p) => el("mark", { class: "diff" }, code(p))), " ");
  if (onlyV1.length) diff.append(t("diffOnlyV1"), ...onlyV1.map((p) => el("mark", { class: "diff" }, code(p))));
  $("sign-v1").replaceChildren(...v1.nodes);
  $("sign-v2").replaceChildren(diff, ...v2.nodes);
}

function copyText(text, button) {
  const done = () => {
    button.textContent = t("copied");
    setTimeout(() => (button.textContent = t("copy")), 1200);
  };
  const fallback = () => {
    const area = el("textarea", { class: "offscreen", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      document.execCommand("copy");
      done();
    } catch {
      // nothing else to try; the text is selectable in the page
    }
    area.remove();
  };
  if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(done, fallback);
  else fallback();
}

function renderBiz(report) {
  const card = $("biz-card");
  const raw = report?.notification?.bizContentRaw ?? report?.params.find((p) => p.name === "biz_content")?.value ?? null;
  card.hidden = raw === null;
  if (raw === null) return;
  let pretty = null;
  if (report.notification?.bizContent) pretty = JSON.stringify(report.notification.bizContent, null, 2);
  else {
    try {
      pretty = JSON.stringify(JSON.parse(raw), null, 2);
    } catch {
      pretty = t("bizNotJson");
    }
  }
  $("biz-pretty").textContent = pretty;
  $("biz-raw").textContent = raw;
}

// ---------------------------------------------------------------------------------------------
// Samples

let samples = [];

/** Samples derived on the page from samples.json: the docs' JSON dump and the `¬ify_` paste. */
function derivedSamples() {
  const out = [];
  const auth = samples.find((s) => s.id === "auth-utf-8-rsa2-spki-base64-v1");
  if (auth) {
    // The docs print biz_content unescaped inside the JSON; so does this sample.
    const data = Object.fromEntries(new URLSearchParams(auth.body));
    const marker = "\u0000BIZ\u0000";
    const json = JSON.stringify({
      headers: { "User-Agent": "Mozilla/4.0", "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8" },
      data: { ...data, biz_content: marker },
      method: "POST",
      url: "https://isv.example.com/gateway.do",
      timeout: 16000,
    }).replace(JSON.stringify(marker), () => `"${data.biz_content}"`);
    out.push({ id: "derived-json-dump", text: "jsonSample", body: `ISV_GATEWAY_URL?Data=${json}`, key: auth.key, options: {}, expect: { verified: true } });
  }
  const order = samples.find((s) => s.id === "order-utf-8-rsa2-spki-base64-v2");
  if (order && order.body.includes("&notify_")) {
    out.push({ id: "derived-not-entity", text: "notSample", body: order.body.replaceAll("&notify_", "¬ify_"), key: order.key, options: {}, expect: { error: "PASTED" } });
  }
  return out;
}

function renderSamples() {
  const box = $("samples");
  box.replaceChildren();
  for (const s of [...samples, ...derivedSamples()]) {
    const label = s.text ? t(s.text) : pick([s.zh, s.en]);
    const bad = s.expect && !s.expect.verified;
    box.append(el("button", { type: "button", class: `chip${bad ? " bad" : ""}`, "data-testid": "sample", "data-sample": s.id, title: s.source ?? null,
      onclick: () => loadSample(s) }, label));
  }
}

function loadSample(s) {
  $("body").value = s.body;
  $("key").value = s.key;
  $("root").value = s.root ?? "";
  if (s.root) $("cert-mode").open = true;
  $("body").scrollTop = 0;
  $("key").scrollTop = 0;
  setOptions(s.options);
  run();
}

// ---------------------------------------------------------------------------------------------
// Wiring

let ready = false;
let timer = 0;

function run() {
  clearTimeout(timer);
  delete document.body.dataset.pending;
  if (!ready) return;
  const input = readInput($("body").value);
  const key = $("key").value.trim();
  const root = $("root").value.trim();
  const now = Date.now();
  const certs = readCertificates(key, root, now);
  if (input.format === "empty") {
    state = { input, report: null, options: null, certs };
  } else {
    const options = readOptions(input.headerCharset);
    // Certificate mode: the verdict includes the chain, exactly as verifyNotification checks it.
    if (root) Object.assign(options, { alipayRootCert: root, now });
    state = { input, options, report: inspectNotification(input.body, key || null, options), certs };
  }
  render();
}

function schedule() {
  clearTimeout(timer);
  document.body.dataset.pending = "true"; // an update is due (tests wait for it to clear)
  timer = setTimeout(run, 120);
}

function setLanguage(next) {
  lang = next;
  try {
    localStorage.setItem("alipay-notify-lang", lang);
  } catch {
    // not persisted: fine
  }
  applyLanguage();
  if (ready) {
    renderSamples();
    render();
  }
}

async function start() {
  applyLanguage();
  for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => setLanguage(b.dataset.lang));
  for (const id of ["body", "key", "root"]) $(id).addEventListener("input", schedule);
  for (const id of ["opt-variant", "opt-rsa2", "opt-rsa", "opt-empty", "opt-charset"]) $(id).addEventListener("change", run);
  state = { input: null, report: null, options: null };
  render();
  try {
    const [, response] = await Promise.all([init(), fetch(new URL("samples.json", import.meta.url))]);
    samples = response.ok ? await response.json() : [];
  } catch (e) {
    state = { input: { loadError: String(e?.message ?? e) }, report: null, options: null };
    render();
    document.body.dataset.ready = "error";
    return;
  }
  ready = true;
  renderSamples();
  run();
  document.body.dataset.ready = "true";
}

start();
