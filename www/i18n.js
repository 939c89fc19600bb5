// The page's text (Chinese first, English second): labels of the notification kinds, error
// codes, typed fields and input formats, the UI strings, and the current language. No DOM here:
// the tables and `t` / `pick` are importable in Node (tests/js/www.test.mjs).

export const KINDS = {
  servicemarket_order_notify: ["订购通知", "Order notification"],
  "alipay.open.servicemarket.order.change.notify": ["订单状态变更", "Order status change"],
  "alipay.open.servicemarket.orderrenew.notify": ["续费订单", "Renewal orders"],
  open_app_auth_notify: ["第三方应用授权通知", "App authorisation"],
  generic: ["其他通知", "Other notification"],
};

export const ERRORS = {
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
  CERT_SN_MISMATCH: [
    "alipay_cert_sn 与所配置证书的 SN 不一致",
    "alipay_cert_sn is not the configured certificate's SN",
  ],
  CERT_UNTRUSTED: ["证书无法链接到根证书", "The certificate does not chain to the root bundle"],
  CERT_EXPIRED: ["证书不在有效期内", "A certificate is outside its validity dates"],
  INVALID_CERTIFICATE: ["不是可读取的证书", "Not a readable certificate"],
  MALFORMED_RESPONSE: ["响应格式错误", "Malformed response"],
  INVALID_AES_KEY: ["AES 密钥无效", "Invalid AES key"],
  MALFORMED_CIPHERTEXT: ["密文格式错误", "Malformed ciphertext"],
  DECRYPTION_FAILED: ["解密失败", "Decryption failed"],
  AMBIGUOUS_FRAMING: ["参数可被另一种方式拆分(重新分帧)", "The parameters admit another framing of the signed content"],
  CERT_NOT_ALIPAY: ["不是支付宝证书", "Not an Alipay certificate"],
  ALIPAY_API_ERROR: ["支付宝返回业务或网关错误", "Alipay answered with a business or gateway error"],
  INVALID_PRIVATE_KEY: ["应用私钥缺失或无效", "Missing or invalid application private key"],
  NETWORK_ERROR: ["网络错误,未收到支付宝的响应", "Network error: no answer from Alipay"],
  TIMEOUT: ["调用超时", "The call timed out"],
  UNEXPECTED_RESPONSE: [
    "响应不是支付宝的格式(如 HTML 502、空响应)",
    "The answer is not Alipay's (an HTML 502, an empty body)",
  ],
};

// Labels of the typed fields (camelCase, as the JS API returns them).
export const FIELDS = {
  notifyId: ["通知 ID", "Notification ID"],
  notifyTime: ["通知时间", "Notification time"],
  notifyType: ["通知类型", "Notification type"],
  msgMethod: ["消息方法", "Message method"],
  appId: ["应用 APPID", "App ID"],
  version: ["版本", "Version"],
  utcTimestamp: ["UTC 时间戳", "UTC timestamp"],
  fingerprint: ["签名指纹(去重用)", "Signature fingerprint (for de-duplication)"],
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
export const NOT_FIELDS = new Set([
  "verified",
  "variant",
  "signType",
  "kind",
  "charset",
  "params",
  "bizContent",
  "bizContentRaw",
  "statusInfo",
  "deadline",
  "cancelOperator",
  "orderEvent",
]);

export const FORMATS = {
  form: ["表单请求体", "form body"],
  query: ["查询串", "query string"],
  url: ["完整 URL", "whole URL"],
  "json-dump": ['JSON 日志({"headers":…,"data":{…}})', 'JSON dump ({"headers":…,"data":{…}})'],
  "json-params": ["参数 JSON 对象", "JSON object of params"],
  "java-map": ["Java Map.toString() 日志({key=value, …})", "Java Map.toString() log ({key=value, …})"],
};

export const TEXT = {
  title: ["支付宝通知验签调试", "Alipay notification debugger"],
  subtitle: [
    "粘贴一条服务市场通知,看它为什么验签通过或失败。",
    "Paste a Service Market notification and see exactly why it does or doesn't verify.",
  ],
  privacy: [
    "全部在本页面内完成(WebAssembly):通知和公钥不会离开你的浏览器,本页面不发送任何网络请求。",
    "Everything runs inside this page (WebAssembly): your notification and key never leave the browser; the page sends no network requests.",
  ],
  samples: ["内置示例", "Built-in samples"],
  samplesNote: [
    "点击加载:通知与对应公钥(测试密钥签名;“真实”示例由支付宝签名)。",
    "One click loads a notification and its key (signed with a bundled test key; the “real” ones are Alipay-signed).",
  ],
  bodyLabel: ["通知内容", "Notification"],
  bodyHelp: [
    '原始请求体、查询串、完整 URL、文档中的 JSON 日志({"headers":…,"data":{…}})、参数 JSON 对象或 Java Map.toString() 日志({key=value, …})。GBK 通知请粘贴原始的百分号编码请求体,字节才能保持不变。',
    'Raw form body, query string, whole URL, the JSON dump shown in Alipay\'s docs ({"headers":…,"data":{…}}) a JSON object of params or a Java Map.toString() log line ({key=value, …}). Paste a GBK notification as its raw percent-encoded body, so its bytes survive.',
  ],
  keyLabel: ["支付宝公钥或公钥证书", "Alipay public key or certificate"],
  keyHelp: [
    "开放平台控制台中的“支付宝公钥”(不是应用公钥):base64 或 PEM。公钥证书模式:粘贴支付宝公钥证书 alipayCertPublicKey_RSA2.crt 的全部内容(不是应用公钥证书 appCertPublicKey_*.crt)。",
    "The “Alipay public key” (支付宝公钥) from the open platform console — not your app's key: base64 or PEM. Certificate mode (公钥证书模式): paste the whole of Alipay's certificate, alipayCertPublicKey_RSA2.crt (not your app's appCertPublicKey_*.crt).",
  ],
  certMode: ["公钥证书模式:支付宝根证书(可选)", "Certificate mode: Alipay root certificate (optional)"],
  rootHelp: [
    "粘贴 alipayRootCert.crt 的全部内容:显示根证书 SN(alipay_root_cert_sn),并按本机当前时间检查支付宝公钥证书能否链接到根证书、是否在有效期内。",
    "Paste the whole of alipayRootCert.crt: shows the root SN (alipay_root_cert_sn) and checks, at this computer's current time, that Alipay's certificate chains to it and is within its validity dates.",
  ],
  certSn: ["证书 SN(alipay_cert_sn)", "Certificate SN (alipay_cert_sn)"],
  certCount: [(n) => `文件含 ${n} 张证书`, (n) => `${n} certificate${n === 1 ? "" : "s"} in the file`],
  certUnreadable: ["证书无法读取", "Certificate not readable"],
  snInNotification: ["通知中的 alipay_cert_sn", "alipay_cert_sn in the notification"],
  snMatch: ["一致", "matches"],
  snMismatch: [
    "不一致:支付宝可能已更换证书,请下载最新的 alipayCertPublicKey_RSA2.crt",
    "differs: Alipay may have renewed its certificate; download the current alipayCertPublicKey_RSA2.crt",
  ],
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
  signContentHelp: [
    "参数按键名排序,值为解码一次后的原始字节,以 & 连接。V1 不含 sign 与 sign_type;V2 只去掉 sign。两者的差别已高亮。",
    "Params sorted by name, values as the raw bytes decoded once, joined by &. V1 leaves out sign and sign_type; V2 only sign. The difference is highlighted.",
  ],
  bizPretty: ["解析后", "Parsed"],
  bizRaw: ["原始字符串(按此签名)", "Raw string (what was signed)"],
  rawJson: ["完整检查结果(inspectNotification 的 JSON)", "Full report (inspectNotification JSON)"],
  footer: [
    "alipay-notify:Rust 核心编译为 WebAssembly,与 npm 包同一份代码(browser 入口)。",
    "alipay-notify: a Rust core compiled to WebAssembly — the same code as the npm package (browser entry).",
  ],
  idle: ["粘贴通知(或点击示例)开始检查。", "Paste a notification (or click a sample) to begin."],
  loading: ["正在加载 WebAssembly…", "Loading WebAssembly…"],
  loadFailed: ["无法加载 WebAssembly 模块:", "Could not load the WebAssembly module: "],
  verified: ["验签通过", "Verified"],
  failed: ["验签失败", "Not verified"],
  error: ["无法验签", "Cannot verify"],
  documentedOther: [
    (d, v) => `文档规定为 ${d},实际按 ${v} 签名(自动模式两种都试)。`,
    (d, v) => `Documented as ${d}, actually signed ${v} (auto tries both).`,
  ],
  keyBits: [(b) => `公钥 ${b} 位`, (b) => `${b}-bit key`],
  documented: ["文档规定", "documented"],
  matched: ["匹配", "matches"],
  mismatch: ["不匹配", "mismatch"],
  notChecked: ["未检查", "not checked"],
  noProblems: ["未发现问题。", "No problems found."],
  noKeyHint: [
    "没有粘贴公钥:什么都没有验证。请在右侧粘贴开放平台控制台中的“支付宝公钥”(不是应用公钥)或支付宝公钥证书。",
    "No key was pasted: nothing was verified. Paste the Alipay public key from the Open Platform console (not the app public key) or the Alipay public-key certificate.",
  ],
  unexplained: ["未能验签;详细原因见上方的结论。", "Not verified; the verdict above says why."],
  sevError: ["错误", "error"],
  sevWarning: ["警告", "warning"],
  sevInfo: ["提示", "info"],
  fixNot: ["一键修复:把 ¬ 换回 &not", "Fix it: replace ¬ with &not"],
  unverified: [
    "未通过验签:以下字段仅供排查,不可信。",
    "Not verified: these fields are for debugging only, not to be trusted.",
  ],
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
  noteBizRepaired: [
    "JSON 中的 biz_content 没有转义(与文档示例相同),已按原样还原为字符串。",
    "biz_content was not escaped inside the JSON (as in the docs' example); restored verbatim as a string.",
  ],
  noteJsonInvalid: [
    (m) => `看起来是 JSON,但无法解析(${m}),按表单处理。`,
    (m) => `Looks like JSON but does not parse (${m}); read as a form.`,
  ],
  noteJsonValue: [
    (k) => `${k} 不是字符串:已转换,可能与签名的原始内容不同。`,
    (k) => `${k} is not a string: converted, may differ from what was signed.`,
  ],
  noteHeaderCharset: [
    (c) => `请求头声明 charset=${c}(通知未声明时使用)。`,
    (c) => `The headers declare charset=${c} (used when the params declare none).`,
  ],
  noteGbkText: [
    "通知声明 GBK,但粘贴的文本含有未编码的汉字:浏览器只能以 UTF-8 传递它们,GBK 字节已丢失。请粘贴原始的百分号编码请求体。",
    "The notification declares GBK but the pasted text has unencoded Chinese: a browser can only pass it on as UTF-8, so the GBK bytes are lost. Paste the raw percent-encoded body.",
  ],
  noteJavaMap: [
    "Java Map.toString() 不做任何转义:值中含有“, 名称=”时无法与下一个参数区分,值也已是解码后的文字(GBK 通知的原始字节已丢失)。能拿到原始请求体时请粘贴原始请求体。",
    "Java's Map.toString() escapes nothing: a value containing “, name=” cannot be told from the next parameter, and the values are already decoded text (a GBK notification's bytes are gone). Paste the raw body when you can.",
  ],
  noteJavaArray: [
    (k) =>
      `${k} 的值是 Java 数组的 toString()(如 [Ljava.lang.String;@1b6d3586),原值不在日志里:请打印 request.getParameter(name) 或原始请求体。`,
    (k) =>
      `The value of ${k} is a Java array's toString() (like [Ljava.lang.String;@1b6d3586); the value itself is not in the log: log request.getParameter(name) or the raw body.`,
  ],
  modeNotification: ["通知验签", "Notifications"],
  modeRequest: ["我发出的请求", "My request"],
  modeResponse: ["支付宝的响应", "Alipay's response"],
  requestLabel: ["你发出的请求", "The request you sent"],
  requestHelp: [
    "v3:请求行、请求头(authorization,代商家调用时还有 alipay-app-auth-token)、空行、请求体。v2:完整 URL(含查询串)和/或表单请求体。",
    "v3: the request line, headers (authorization, and alipay-app-auth-token when calling for a merchant), a blank line, the body. v2: the whole URL (with its query) and/or the form body.",
  ],
  appKeyLabel: ["应用公钥", "App public key"],
  appKeyHelp: [
    "上传到开放平台控制台的“应用公钥”(你的应用私钥对应的公钥),不是支付宝公钥。",
    "The app public key (应用公钥) you uploaded to the Open Platform console — the public half of your app private key — not the Alipay public key.",
  ],
  requestSignTitle: ["支付宝验签的字符串", "The string Alipay verifies"],
  requestSignHelp: [
    "逐字节就是这个字符串;↵ 表示换行符 \\n(v3 每一行都以 \\n 结尾)。",
    "Byte for byte this string; ↵ marks a line break \\n (every v3 line ends in \\n).",
  ],
  requestFields: ["请求中的签名参数", "Signed fields of the request"],
  requestIdle: [
    "粘贴你发出的请求和应用公钥,查看支付宝验签的字符串。",
    "Paste the request you sent and the app public key to see the string Alipay verifies.",
  ],
  requestMatches: ["签名匹配", "Signature matches"],
  requestMismatch: [
    "签名不匹配(支付宝会返回 isv.invalid-signature)",
    "Signature does not match (Alipay answers isv.invalid-signature)",
  ],
  requestNotChecked: ["未能检查签名", "Signature not checked"],
  signedInstead: ["你的签名实际对应的字符串:", "The string your signature does match:"],
  responseLabel: ["支付宝返回的响应", "Alipay's response"],
  responseHelp: [
    "v3:响应头 alipay-timestamp、alipay-nonce、alipay-signature(证书模式还有 alipay-sn)、空行、原始响应体。v2:原始 JSON 文本。",
    "v3: the headers alipay-timestamp, alipay-nonce, alipay-signature (alipay-sn in certificate mode), a blank line, the raw body. v2: the raw JSON text.",
  ],
  responseKeyHelp: [
    "开放平台控制台中的“支付宝公钥”(不是应用公钥)。",
    "The Alipay public key (支付宝公钥) from the Open Platform console (not the app public key).",
  ],
  responseSignTitle: ["被验签的内容", "The content verified"],
  responseIdle: [
    "粘贴支付宝的响应和支付宝公钥,检查它能否验签。",
    "Paste Alipay's response and the Alipay public key to check it.",
  ],
  responseVerified: ["响应验签通过", "Response verified"],
  responseFailed: ["响应验签失败", "Response not verified"],
  respPretty: [
    "响应体看起来被格式化过(换行和缩进):支付宝签名的是收到的原始文本,请粘贴原始字节,不要粘贴格式化后的 JSON。",
    "The body looks pretty-printed (line breaks and indentation): Alipay signs the raw text it sent; paste the raw bytes, not re-formatted JSON.",
  ],
  respTrimmed: [
    "已去掉响应体末尾的换行(编辑器常会加上;支付宝的响应体没有)。",
    "The line breaks after the body were dropped (editors add them; Alipay's body has none).",
  ],
  respSnMismatch: [
    (got, want) =>
      `alipay-sn 为 ${got},而所粘贴证书的 SN 为 ${want}:支付宝用另一张证书签名(可能已轮换),请下载最新的支付宝公钥证书。`,
    (got, want) =>
      `alipay-sn is ${got} but the pasted certificate's SN is ${want}: Alipay signed with another certificate (perhaps rotated); download the current Alipay public-key certificate.`,
  ],
  jsonSample: ["文档 JSON 日志格式(应用授权)", "Docs' JSON dump shape (app auth)"],
  notSample: ["从文档复制的 ¬ify(一键修复)", "Copied from the docs: ¬ify (one-click fix)"],
};

/** The language in use, "zh" (default) or "en"; change it with `setLang`. */
export let lang = "zh";

/** Sets the language ("en" or anything else for Chinese). */
export function setLang(next) {
  lang = next === "en" ? "en" : "zh";
}

/** A UI string in the current language; function entries are called with `args`. */
export function t(key, ...args) {
  const entry = TEXT[key];
  if (!entry) return key;
  const v = entry[lang === "en" ? 1 : 0];
  return typeof v === "function" ? v(...args) : v;
}

/** A UI string in the given language ("zh" or "en"), whatever the current one. */
export function pickIn(language, key, ...args) {
  const entry = TEXT[key];
  if (!entry) return null;
  const v = entry[language === "en" ? 1 : 0];
  return typeof v === "function" ? v(...args) : v;
}

/** Picks zh or en from a pair. */
export const pick = (pair) => (pair ? pair[lang === "en" ? 1 : 0] : null);

/**
 * The language to start with: `?lang=` in the URL's `search`, else the one `saved()` returns
 * (it reads `localStorage`, which may be missing or throw), else Chinese.
 */
export function pickLanguage(search, saved) {
  const q = new URLSearchParams(search).get("lang");
  if (q === "en" || q === "zh") return q;
  try {
    const s = saved?.();
    if (s === "en" || s === "zh") return s;
  } catch {
    // storage may be unavailable; Chinese is the default
  }
  return "zh";
}

/** Milliseconds since the epoch as Beijing time (UTC+8), `null` for a non-finite number. */
export function beijing(ms) {
  if (!Number.isFinite(ms)) return null;
  return `${new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace("T", " ")} (${t("beijing")})`;
}
