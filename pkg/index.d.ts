// Types of alipay-notify. Every function is the same in Node (ESM and CJS), Workers and
// browsers; `init()` is needed only in browsers.

/** The body a gateway must answer with once a notification is handled: `"success"`. */
export declare const ACK: "success";

/**
 * A Node `KeyObject` (`node:crypto`), as far as this package reads it; declared here so that
 * the types need no Node typings.
 */
export interface NodeKeyObject {
  readonly type: "public" | "private" | "secret";
  export(options: { format: "der"; type: "spki" | "pkcs8" }): Uint8Array;
}
/**
 * A public key as it is really passed: its text (base64 as the console shows it, or PEM; a
 * certificate's PEM in certificate mode), the bytes of its file (`Buffer`, `Uint8Array`,
 * `ArrayBuffer`: read as that text when they are UTF-8 text, else as DER — SPKI or PKCS#1), or
 * a public Node `KeyObject` (read as its SPKI DER). Anything else — a private or secret
 * `KeyObject`, a WebCrypto `CryptoKey` (its bytes come only through a Promise), a number, an
 * object — is `INVALID_ARGUMENT`, naming it and what to pass.
 */
export type PublicKeyInput = string | Uint8Array | ArrayBuffer | NodeKeyObject;
/**
 * A certificate file (`.crt`) or the root bundle: its PEM text, or the file's bytes (UTF-8 PEM
 * text; bytes that are not text are read as one DER certificate).
 */
export type CertificateInput = string | Uint8Array | ArrayBuffer;
/**
 * The application private key (应用私钥): its text (PKCS#1 or PKCS#8, PEM or bare base64,
 * detected), its file's bytes (that text as UTF-8, else DER), or a private Node `KeyObject`
 * (exported as PKCS#8 DER inside this process, then imported into a non-extractable CryptoKey).
 */
export type PrivateKeyInput = string | Uint8Array | ArrayBuffer | NodeKeyObject;

/** Stable error codes (public API: added, never renamed). */
export type ErrorCode =
  | "MALFORMED_FORM"
  | "DUPLICATE_PARAMETER"
  | "MISSING_PARAMETER"
  | "UNSUPPORTED_SIGN_TYPE"
  | "UNSUPPORTED_CHARSET"
  | "CHARSET_MISMATCH"
  | "INVALID_PUBLIC_KEY"
  | "MALFORMED_SIGNATURE"
  | "SIGNATURE_MISMATCH"
  | "INVALID_BIZ_CONTENT"
  | "APP_ID_MISMATCH"
  | "NOTIFICATION_EXPIRED"
  | "INPUT_TOO_LARGE"
  | "INVALID_OPTIONS"
  | "INVALID_ARGUMENT"
  | "CERT_SN_MISMATCH"
  | "CERT_UNTRUSTED"
  | "CERT_EXPIRED"
  | "INVALID_CERTIFICATE"
  | "MALFORMED_RESPONSE"
  | "INVALID_AES_KEY"
  | "MALFORMED_CIPHERTEXT"
  | "DECRYPTION_FAILED"
  | "AMBIGUOUS_FRAMING"
  | "CERT_NOT_ALIPAY"
  | "ALIPAY_API_ERROR"
  | "INVALID_PRIVATE_KEY"
  | "NETWORK_ERROR"
  | "TIMEOUT"
  | "UNEXPECTED_RESPONSE"
  /** Browser entry only: a function was called before `await init()`. */
  | "NOT_INITIALIZED";

/** Whether `e` is an error of this package (narrows `catch (e)`). */
export declare function isAlipayNotifyError(e: unknown): e is AlipayNotifyError;

/** What every function throws: a real `Error` with `name === "AlipayNotifyError"` and a `code`. */
export interface AlipayNotifyError extends Error {
  name: "AlipayNotifyError";
  code: ErrorCode;
  /** The parameter concerned (DUPLICATE_PARAMETER, MISSING_PARAMETER, CHARSET_MISMATCH). */
  parameter?: string;
  /** The expected and received `app_id` (APP_ID_MISMATCH) or certificate SN (CERT_SN_MISMATCH). */
  expected?: string;
  actual?: string;
  /** The `sign_type` received (UNSUPPORTED_SIGN_TYPE). */
  signType?: string;
  /** The charset concerned (UNSUPPORTED_CHARSET, CHARSET_MISMATCH). */
  charset?: string;
  /** Why, for codes that carry a reason. */
  reason?: string;
  /** OpenAPI client: the HTTP status (ALIPAY_API_ERROR, UNEXPECTED_RESPONSE). */
  httpStatus?: number;
  /** ALIPAY_API_ERROR: Alipay's `code` (v3 e.g. `ORDER_NOT_EXIST`; v2 e.g. `40004`). */
  alipayCode?: string;
  /** ALIPAY_API_ERROR: v3 `message` / v2 `msg`. */
  alipayMessage?: string;
  /** ALIPAY_API_ERROR, v2: `sub_code` / `sub_msg` (`null` in v3). */
  subCode?: string | null;
  subMsg?: string | null;
  /** ALIPAY_API_ERROR, v3: the `links` Alipay points to. */
  links?: AlipayErrorLink[];
  /** ALIPAY_API_ERROR: `alipay-trace-id`, when sent. */
  traceId?: string | null;
  /** ALIPAY_API_ERROR: whether the error body's signature verified (some are unsigned). */
  verified?: boolean;
  /** TIMEOUT: the timeout that elapsed. */
  timeoutMs?: number;
}

/** A link of a v3 error answer (`{ link, desc }`). */
export interface AlipayErrorLink {
  link: string;
  desc: string;
}

/**
 * A notification body: the raw form body or query string (`string`, with or without `?`, or a
 * whole URL), raw bytes (`Uint8Array`, the best choice: GBK survives), `URLSearchParams`, or a
 * plain object / `[name, value]` pairs of already-decoded params.
 */
export type NotificationBody =
  | string
  | Uint8Array
  | ArrayBuffer
  | URLSearchParams
  | ReadonlyArray<readonly [string, string]>
  | Readonly<Record<string, string>>;

export type Variant = "v1" | "v2";
export type SignType = "RSA2" | "RSA";
export type Charset = "UTF-8" | "GBK";

/** The charset labels accepted (upper or lower case; GB2312, GB18030 and CP936 are read as GBK). */
export type CharsetLabel =
  | Charset
  | "utf-8"
  | "UTF8"
  | "utf8"
  | "gbk"
  | "GB2312"
  | "gb2312"
  | "GB18030"
  | "gb18030"
  | "CP936"
  | "cp936";

/** Options of `verifyNotification` / `parseNotification` / `inspectNotification`. */
export interface VerifyOptions {
  /** `"auto"` (default): the kind's documented variant first, then the other. */
  variant?: "auto" | Variant;
  /** Sign types admitted (default `["RSA2"]`; add `"RSA"` for legacy SHA-1 notifications). */
  signTypes?: ReadonlyArray<SignType>;
  /** `"keep"` (default) or `"skip"` empty values in the sign content (Java's SDK skips). */
  emptyValues?: "keep" | "skip";
  /** Charset when the body declares none (`UTF-8`, `GBK`, `GB2312`, `GB18030`). */
  charset?: CharsetLabel;
  /** The `app_id` the notification must carry. */
  appId?: string;
  /** The current time (default `Date.now()` when `maxAgeSeconds` or `alipayRootCert` is set). */
  now?: number | Date;
  /** Largest accepted age of `utc_timestamp` / `notify_time`, in seconds. */
  maxAgeSeconds?: number;
  /**
   * Certificate mode: the contents of `alipayRootCert.crt`. The key must then be Alipay's
   * certificate (`alipayCertPublicKey_RSA2.crt`, with its intermediate), chain to this bundle and
   * be valid at `now`: otherwise `CERT_UNTRUSTED` / `CERT_EXPIRED` (`INVALID_OPTIONS` for a bare key).
   */
  alipayRootCert?: string;
}

/** Options of `rsaCheckV1` / `rsaCheckV2`. */
export interface RsaCheckOptions {
  /** Charset of the values (default UTF-8). */
  charset?: CharsetLabel;
  /** Algorithm (default `"RSA2"`). */
  signType?: SignType;
}

export interface LifecycleRule {
  id: "UNPAID_AUTO_CANCEL" | "IMPLEMENTATION_TIMEOUT" | "AUTO_CONFIRM";
  days: number;
  en: string;
  zh: string;
}

/** What an order `status` means. */
export interface OrderStatus {
  code: OrderStatusCode;
  zh: string;
  en: string;
  terminal: boolean;
  /** What the ISV should do next. */
  next: string;
  nextZh: string;
  rule: LifecycleRule | null;
}

export type OrderStatusCode =
  | "MERCHANT_ORDED"
  | "WAIT_FOR_PAYMENT"
  | "ISV_ACCEPTED"
  | "MERCHANT_CHECKING"
  | "CONFIRMED"
  | "WAIT_FOR_SUBMIT_CONFIRM"
  | "DONE"
  | "MERCHANT_CANCELLED"
  | "ISV_REJECTED"
  | "ISV_CANCELLED";

export interface Label {
  code: string;
  zh: string;
  en: string;
}

export interface ReleaseChannel {
  code: string;
  zh: string | null;
  en: string | null;
}

export interface Deadline {
  rule: LifecycleRule;
  /** Reference time (Beijing time, as received). */
  from: string;
  /** Deadline, Beijing time `YYYY-MM-DD HH:MM:SS`. */
  at: string;
  atMs: number;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type Kind =
  | "servicemarket_order_notify"
  | "alipay.open.servicemarket.order.change.notify"
  | "alipay.open.servicemarket.orderrenew.notify"
  | "open_app_auth_notify"
  | "generic";

interface NotificationBase {
  /** `true` only from `verifyNotification`. */
  verified: boolean;
  variant: Variant | null;
  /**
   * Identity of a verified notification (`null` unless verified): hex SHA-256 of the decoded
   * signature, the same for every spelling of one signed body. De-duplicate on it together with
   * `notifyId` (which Alipay's retries share).
   */
  fingerprint: string | null;
  /** What the notification means for the order lifecycle (`null` unless verified). */
  orderEvent: { orderId: string | null; event: OrderEvent } | null;
  signType: SignType | null;
  charset: Charset;
  notifyId: string | null;
  notifyTime: string | null;
  notifyType: string | null;
  msgMethod: string | null;
  appId: string | null;
  version: string | null;
  utcTimestamp: string | null;
  /** Every parameter, decoded once, under its wire name, in received order. */
  params: Record<string, string>;
  bizContent: { [key: string]: JsonValue } | null;
  bizContentRaw: string | null;
}

/** 订购通知. */
export interface OrderNotification extends NotificationBase {
  kind: "servicemarket_order_notify";
  commodityOrderId: string | null;
  orderTime: string | null;
  title: string | null;
  name: string | null;
  merchantPid: string | null;
  contactor: string | null;
  phone: string | null;
  orderItemNum: string | null;
  totalPrice: string | null;
  bizType: string | null;
  itemCode: string | null;
  specifications: string | null;
  packageCount: string | null;
  periodDay: string | null;
  orderTicket: string | null;
  serviceCode: string | null;
  isvTicket: string | null;
  consumerMiniAppId: string | null;
  merchantShopId: string | null;
  miniappReleaseBundle: ReleaseChannel[];
  promoterMasterName: string | null;
  promoterMasterPid: string | null;
}

/** 订单状态变更. */
export interface OrderChangeNotification extends NotificationBase {
  kind: "alipay.open.servicemarket.order.change.notify";
  orderNo: string | null;
  orderLineNo: string | null;
  itemCode: string | null;
  orderTime: string | null;
  operateTime: string | null;
  status: string | null;
  statusInfo: OrderStatus | null;
  cancelMemo: string | null;
  cancelOperatorType: string | null;
  cancelOperator: Label | null;
  cancelTime: string | null;
  deadline: Deadline | null;
}

/** 续费订单. */
export interface OrderRenewNotification extends NotificationBase {
  kind: "alipay.open.servicemarket.orderrenew.notify";
  waitForRenewOrderCount30Day: string | null;
  waitForRenewMerchantCount30Day: string | null;
}

export interface AppAuthDetail {
  appAuthToken: string | null;
  appRefreshToken: string | null;
  userId: string | null;
  authAppId: string | null;
  appId: string | null;
  expiresIn: number | null;
  reExpiresIn: number | null;
  /** Epoch milliseconds. */
  authTime: number | null;
  appAuthCode: string | null;
}

/** 第三方应用授权通知. */
export interface AppAuthNotification extends NotificationBase {
  kind: "open_app_auth_notify";
  authAppId: string | null;
  status: string | null;
  trigger: string | null;
  triggerContext: JsonValue | null;
  detail: AppAuthDetail | null;
  error: JsonValue | null;
}

/** Anything else (e.g. `trade_status_sync`). */
export interface GenericNotification extends NotificationBase {
  kind: "generic";
}

/**
 * A parsed or verified notification, narrowed by `kind`. Named so that it does not collide with
 * the DOM's `Notification` (Web Notifications API) in browser TypeScript projects.
 */
export type AlipayNotification =
  | OrderNotification
  | OrderChangeNotification
  | OrderRenewNotification
  | AppAuthNotification
  | GenericNotification;

/**
 * The former name of {@link AlipayNotification}.
 * @deprecated Use `AlipayNotification`: `Notification` shadows the DOM's global of that name.
 */
export type Notification = AlipayNotification;

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export interface InspectedParam {
  name: string;
  value: string;
  validText: boolean;
  /** `%XX` escapes of the value's bytes, when they are not valid text. */
  raw: string | null;
  inV1: boolean;
  inV2: boolean;
  documented: boolean | null;
}

export type ProblemCode =
  | ErrorCode
  | "PASTED_NOT_ENTITY"
  | "GBK_DECLARED"
  | "SIGN_HAS_SPACES"
  | "UNDOCUMENTED_VARIANT"
  | "EMPTY_VALUES"
  | "SIGN_TYPE_MISMATCH"
  | "DOUBLE_ENCODING"
  | "UNDOCUMENTED_PARAMETERS"
  | "WRONG_KEY";

export interface Problem {
  code: ProblemCode;
  severity: "error" | "warning" | "info";
  message: string;
  hint: string;
  hintZh: string;
  param: string | null;
}

export interface Inspection {
  outcome: {
    status: "verified" | "failed" | "error";
    variant: Variant | null;
    signType: SignType | null;
    error: ErrorInfo | null;
  };
  params: InspectedParam[];
  kind: Kind;
  charset: Charset | null;
  signType: string | null;
  signContentV1: string;
  signContentV2: string;
  documentedVariant: Variant;
  v1: "verified" | "mismatch" | "not_checked";
  v2: "verified" | "mismatch" | "not_checked";
  key: { provided: boolean; bits: number | null; error: ErrorInfo | null };
  notification: AlipayNotification | null;
  problems: Problem[];
}

/** What `inspectRequest` can find about a request (beside the error codes of `error`). */
export type RequestProblemCode =
  | "KEY_MISSING"
  | "KEY_UNREADABLE"
  | "PRIVATE_KEY_GIVEN"
  | "PRIVATE_KEY_ARMOUR"
  | "KEY_ARMOUR"
  | "WRONG_KEY"
  | "SIGNED_OTHER_CONTENT"
  | "SIGNATURE_MISSING"
  | "MALFORMED_SIGNATURE"
  | "AUTHORIZATION_MALFORMED"
  | "TOKEN_LINE_MISSING"
  | "TOKEN_LINE_WITHOUT_HEADER"
  | "QUERY_NOT_SIGNED"
  | "BODY_RESERIALISED"
  | "METHOD_CASE"
  | "HOST_SIGNED"
  | "TIMESTAMP_SECONDS"
  | "EMPTY_VALUE_SIGNED"
  | "SIGN_TYPE_SHA1"
  | "TIMESTAMP_FORMAT"
  | "TIMESTAMP_NOT_BEIJING";

/** A finding of `inspectRequest`, with advice in English and Chinese. */
export interface RequestProblem extends Omit<Problem, "code"> {
  code: RequestProblemCode;
}

/** Options of `inspectRequest`. */
export interface InspectRequestOptions {
  /**
   * The current time (default `Date.now()`): a v2 `timestamp` a whole number of hours away from
   * Beijing time is named as the signer's local time. `null`: the timestamp is not compared.
   */
  now?: number | Date | null;
}

/** What Alipay verifies in a request, and why it would not verify (`inspectRequest`). */
export interface RequestInspection {
  /** `"v3"` (an `authorization` header or a `/v3/` path) or `"v2"` (gateway params). */
  protocol: "v3" | "v2";
  /** The HTTP method as pasted, `null` without a request line. */
  httpMethod: string | null;
  /** The request-target (path and query) as pasted, `""` if none. */
  target: string;
  /** The exact string Alipay verifies (v3 lines end in `\n`; v2: sorted non-empty `key=value`). */
  stringToSign: string;
  /** `RSA2` (SHA256withRSA), or `RSA` for a v2 request that declares it. */
  signType: SignType;
  /** The signature as sent (base64), `null` if the request carries none. */
  signature: string | null;
  /** Whether the signature matches `stringToSign` under the app public key. */
  verdict: "matches" | "mismatch" | "not_checked";
  /** Why the verdict is not `"matches"` (`SIGNATURE_MISMATCH`, `INVALID_PUBLIC_KEY`, …). */
  error: ErrorInfo | null;
  /** The key as read. */
  key: { provided: boolean; bits: number | null; error: ErrorInfo | null };
  /** The string the signature does match, when a known mistake produced it. */
  signedInstead: { code: RequestProblemCode; stringToSign: string } | null;
  /** v3: the `authorization` fields in order; v2: the params in received order (decoded). */
  fields: Array<[string, string]>;
  /** Findings with advice, the one that explains the verdict first. */
  problems: RequestProblem[];
}

/** What `inspectResponse` can find (beside the error codes of `error`). */
export type ResponseProblemCode = ErrorCode | "KEY_MISSING" | "KEY_UNREADABLE" | "CONTENT_CHANGED" | "WRONG_KEY";

/** A finding of `inspectResponse`, with advice in English and Chinese. */
export interface ResponseProblem extends Omit<Problem, "code"> {
  code: ResponseProblemCode;
}

/** Why an answer from Alipay does or does not verify (`inspectResponse`). */
export interface ResponseInspection {
  protocol: "v3" | "v2";
  verified: boolean;
  /** v3: `timestamp\nnonce\nbody\n`; v2: the signed member's raw text once verified, else `null`. */
  signedContent: string | null;
  error: ErrorInfo | null;
  key: { provided: boolean; bits: number | null; error: ErrorInfo | null };
  /** `true`: signed by this key's pair (over other text when not verified: `CONTENT_CHANGED`); `false`: by another key (`WRONG_KEY`); `null`: not known. */
  signedByKey: boolean | null;
  /** Findings with advice, the one that explains the verdict first. */
  problems: ResponseProblem[];
}

/**
 * The input limits (README "Limits"), in bytes unless named otherwise. Exceeding one throws
 * `INPUT_TOO_LARGE` (`INVALID_PUBLIC_KEY` for the key size). A string counts in UTF-8 bytes; one
 * longer than the limit in UTF-16 units is refused before it is copied into wasm memory.
 */
export interface Limits {
  /** A notification body (string, bytes). */
  maxBodyBytes: number;
  /** Parameters in one notification (also objects, pairs, `URLSearchParams`). */
  maxParams: number;
  /** One decoded parameter value (also in objects, pairs, `URLSearchParams`). */
  maxValueBytes: number;
  /** One decoded parameter name. */
  maxNameBytes: number;
  /** Key text: a public key, a certificate used as the key, the AES key of `aesDecrypt`. */
  maxKeyTextBytes: number;
  /** Smallest RSA modulus, in bits. */
  minKeyBits: number;
  /** Largest RSA modulus, in bits. */
  maxKeyBits: number;
  /** Certificate or root bundle text (`getCertSN`, `getRootCertSN`, `verifyCertChain`, `alipayRootCert`). */
  maxCertTextBytes: number;
  /** A response body, for `verifyResponse` and `verifyV3Response` alike. */
  maxResponseBytes: number;
  /** The base64 ciphertext of `aesDecrypt`. */
  maxCiphertextBytes: number;
  /** Each of `timestamp`, `nonce` and `signature` of `verifyV3Response`. */
  maxV3HeaderBytes: number;
  /** The options object as JSON text (`alipayRootCert` included). */
  maxOptionsBytes: number;
}

/** Loads the module: required (once) in browsers, a no-op in Node and Workers. */
declare function init(input?: string | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;
export default init;
export { init };

/** Parses without verifying (`verified: false`). Throws only on malformed input. */
export declare function parseNotification(body: NotificationBody, options?: VerifyOptions): AlipayNotification;
/**
 * Parses and verifies with the Alipay public key (支付宝公钥: base64 SPKI, PEM SPKI or PKCS#1,
 * as text, file bytes or a `KeyObject`, see `PublicKeyInput`). Returns the notification with
 * `verified: true` and the matching `variant`; throws an `AlipayNotifyError` otherwise. Parsed
 * keys are cached by their text.
 */
export declare function verifyNotification(
  body: NotificationBody,
  alipayPublicKey: PublicKeyInput,
  options?: VerifyOptions,
): AlipayNotification;
/** Everything known about a notification, for debugging. Never throws. */
export declare function inspectNotification(
  body: NotificationBody,
  alipayPublicKey?: PublicKeyInput | null,
  options?: VerifyOptions,
): Inspection;
/**
 * What Alipay verifies in a request you sent (`isv.invalid-signature`, 验签出错): paste it as a
 * proxy or log shows it — v3: request line, headers (`authorization`, `alipay-app-auth-token`),
 * blank line, body; v2: the URL with its query and/or the form body — with the app public key
 * (应用公钥). Returns the exact string to sign, whether the signature matches it, and a hint for
 * each known mistake that explains a mismatch. Never throws on the request's content.
 */
export declare function inspectRequest(
  request: string,
  appPublicKey?: PublicKeyInput | null,
  options?: InspectRequestOptions,
): RequestInspection;
/**
 * Why an answer from Alipay does or does not verify with the Alipay public key: v3 when
 * `timestamp`, `nonce` or `signature` is given (the `alipay-*` headers; or `protocol: "v3"`),
 * else v2 (`body` is the JSON text; `method` optional, read from the body). A signature that
 * does not match is told apart: the right key over changed text (`CONTENT_CHANGED`) or another
 * key (`WRONG_KEY`). Never throws on content.
 */
export declare function inspectResponse(
  response: {
    body: string | Uint8Array;
    timestamp?: string | null;
    nonce?: string | null;
    signature?: string | null;
    method?: string | null;
    protocol?: "v3" | "v2";
  },
  alipayPublicKey?: PublicKeyInput | null,
): ResponseInspection;
/** Java `AlipaySignature.rsaCheckV1` (empty values kept): `false` on mismatch; throws on a bad key. */
export declare function rsaCheckV1(
  params: Readonly<Record<string, string>> | URLSearchParams | ReadonlyArray<readonly [string, string]>,
  alipayPublicKey: PublicKeyInput,
  options?: RsaCheckOptions,
): boolean;
/** Java `AlipaySignature.rsaCheckV2` (empty values kept). */
export declare function rsaCheckV2(
  params: Readonly<Record<string, string>> | URLSearchParams | ReadonlyArray<readonly [string, string]>,
  alipayPublicKey: PublicKeyInput,
  options?: RsaCheckOptions,
): boolean;
/** The exact V1 string that is signed (`sign`, `sign_type` left out; sorted; empty values kept). */
export declare function getSignCheckContentV1(
  params: Readonly<Record<string, string>> | URLSearchParams | ReadonlyArray<readonly [string, string]>,
): string;
/** The exact V2 string that is signed (`sign` left out). */
export declare function getSignCheckContentV2(
  params: Readonly<Record<string, string>> | URLSearchParams | ReadonlyArray<readonly [string, string]>,
): string;
/** The meaning of an order `status`, or `null` for an unknown code. */
/** `null` for an unknown code; throws `INVALID_ARGUMENT` for a non-string. */
export declare function decodeOrderStatus(code: string): OrderStatus | null;

/**
 * What happened to an order, for `applyOrderEvent`. Verified notifications carry theirs as
 * `notification.orderEvent.event`; the ISV's own successful calls and `order.query` answers are
 * built by the caller. `id` de-duplicates; `atMs` (epoch ms) orders events.
 */
export type OrderEvent =
  | { type: "orderNotified"; id: string; atMs: number; orderTimeMs: number | null }
  | { type: "statusChanged"; id: string; atMs: number; status: OrderStatusCode }
  | { type: "renewalNotified"; id: string; atMs: number }
  | { type: "authorizationNotified"; id: string; atMs: number; granted: boolean }
  | { type: "accepted"; id: string; atMs: number }
  | { type: "rejected"; id: string; atMs: number }
  | { type: "itemCompleted"; id: string; atMs: number; item: string }
  | { type: "itemCancelled"; id: string; atMs: number; item: string }
  | { type: "itemConfirmed"; id: string; atMs: number; item: string }
  | { type: "queried"; id: string; atMs: number; status: OrderStatusCode | null; items: Record<string, string> };

/** The lifecycle state of one order: store it as JSON between events. */
export interface OrderState {
  status: OrderStatusCode | null;
  statusAtMs: number | null;
  orderedAtMs: number | null;
  /** Item → `TO_DO`, `DOING`, `TO_CONFIRM`, `CONFIRMED`, `DONE`, … (as `order.query` reports). */
  items: Record<string, string>;
  authorized: boolean;
  /** When the authorization in force was notified (epoch ms); an older one never overrides it. */
  authorizedAtMs: number | null;
  /** Ids of the events applied (dedupe). */
  applied: string[];
}

/** What the ISV should do next, with the API to call. */
export interface OrderAction {
  id:
    | "QUERY_ORDER"
    | "ACCEPT_OR_REJECT"
    | "WAIT_FOR_PAYMENT"
    | "WAIT_FOR_AUTHORIZATION"
    | "IMPLEMENT"
    | "WAIT_FOR_MERCHANT_CONFIRMATION"
    | "WAIT"
    | "SERVE"
    | "STOP_SERVICE"
    | "NOTHING";
  api: string | null;
  en: string;
  zh: string;
}

/** What one event did to the order. */
export type OrderEffect =
  | { type: "applied" }
  | { type: "duplicate" }
  | { type: "stale" }
  | { type: "impossible"; from: OrderStatusCode | null; to: OrderStatusCode }
  | { type: "unchanged" };

/** The result of `applyOrderEvent`. */
export interface OrderOutcome {
  state: OrderState;
  effect: OrderEffect;
  next: OrderAction;
  deadline: Deadline | null;
  /** The deadline passed at `now`: Alipay cancels or completes on its own; query the order. */
  deadlinePassed: boolean;
}

/** One allowed status transition and whether Alipay documents it. */
export interface OrderTransition {
  from: OrderStatusCode | null;
  to: OrderStatusCode;
  source: "documented" | "inferred";
  why: string;
}

/**
 * The order lifecycle as a pure function: `state` (or `null` for a new order) + `event` → the new
 * state, what the event did, the next action and the deadline in force at `now` (default
 * `Date.now()`). Duplicates are no-ops, older events never roll the state back, terminal
 * statuses are sticky, impossible transitions are reported; throws `INVALID_ARGUMENT` on a
 * malformed state or event.
 */
export declare function applyOrderEvent(
  state: OrderState | null,
  event: OrderEvent,
  options?: { now?: number },
): OrderOutcome;

/** The transition table `applyOrderEvent` follows. */
export declare function orderTransitions(): OrderTransition[];
/** Every stable error code. */
export declare function errorCodes(): ErrorCode[];
/** The documented input limits. */
export declare function limits(): Limits;

/** Certificate mode: `rsaCheckV1` with the key taken from Alipay's certificate (Java's name). */
export declare function rsaCertCheckV1(
  params: Readonly<Record<string, string>> | URLSearchParams | ReadonlyArray<readonly [string, string]>,
  alipayCertPem: CertificateInput,
  options?: RsaCheckOptions,
): boolean;
/** Certificate mode: `rsaCheckV2` with the key taken from Alipay's certificate (Java's name). */
export declare function rsaCertCheckV2(
  params: Readonly<Record<string, string>> | URLSearchParams | ReadonlyArray<readonly [string, string]>,
  alipayCertPem: CertificateInput,
  options?: RsaCheckOptions,
): boolean;
/** The certificate SN Alipay computes (`app_cert_sn`, `alipay_cert_sn`): md5(issuer DN) + decimal serial. */
export declare function getCertSN(certPem: CertificateInput): string;
/** The root SN Alipay computes (`alipay_root_cert_sn`): the RSA-signed certificates' SNs joined by `_`. */
export declare function getRootCertSN(rootBundlePem: CertificateInput): string;
/** Checks that Alipay's certificate chains to the root bundle and is valid at `now` (default: now); throws `CERT_UNTRUSTED` / `CERT_EXPIRED`. */
export declare function verifyCertChain(
  alipayCertPem: CertificateInput,
  rootBundlePem: CertificateInput,
  now?: number | Date,
): true;
/**
 * For a certificate from anywhere but your configuration: `verifyCertChain`, then Alipay's identity — issuer CN
 * `Ant Financial Certification Authority Class 2 R1` and subject CN `支付宝(中国)网络技术有限公司-<PID>`.
 * Throws `CERT_NOT_ALIPAY` for an application certificate under the same root.
 */
export declare function checkAlipayCertificate(
  alipayCertPem: CertificateInput,
  rootBundlePem: CertificateInput,
  now?: number | Date,
): true;

/** A verified synchronous OpenAPI response. */
export interface VerifiedResponse {
  verified: true;
  /** `<method>_response` (dots as underscores) or `error_response`. */
  responseKey: string;
  isError: boolean;
  /** The verified value, parsed from exactly the bytes that were signed. */
  response: JsonValue;
  /** The signed text, as received. */
  signedContent: string;
  alipayCertSn: string | null;
}
/**
 * Verifies a gateway response's `sign` over the raw text of `<method>_response` (or `error_response`).
 * `rawBody` up to `limits().maxResponseBytes`; bytes are decoded as UTF-8 as `TextDecoder` does.
 */
export declare function verifyResponse(
  rawBody: string | Uint8Array,
  alipayPublicKey: PublicKeyInput,
  options: { method: string; signType?: SignType },
): VerifiedResponse;
/**
 * Verifies a v3 response: RSA2 over `timestamp\nnonce\nbody\n`. Throws unless it verifies.
 * `body` up to `limits().maxResponseBytes` (as `verifyResponse`), each header up to `maxV3HeaderBytes`.
 */
export declare function verifyV3Response(
  parts: { timestamp: string; nonce: string; body: string | Uint8Array; signature: string },
  alipayPublicKey: PublicKeyInput,
): true;
/** Decrypts `encrypt_type=AES` content: AES-128-CBC, zero IV, PKCS#7. Ciphertext up to `limits().maxCiphertextBytes`. */
export declare function aesDecrypt(ciphertextBase64: string, aesKeyBase64: string): string;

// ─── The OpenAPI client: types of `alipay-notify/client` (its functions are declared there) ───

/** The OpenAPI wire protocol: v3 (REST, `Authorization` header) or v2 (`gateway.do`). */
export type Protocol = "v3" | "v2";

/** The part of `fetch` the client uses (default `globalThis.fetch`). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; arrayBuffer(): Promise<ArrayBuffer> }>;

export interface CommonClientOptions {
  /** The application's `app_id`. */
  appId: string;
  /** The application private key (应用私钥): PKCS#1 or PKCS#8, PEM or bare base64 (detected); see `PrivateKeyInput`. */
  privateKey: PrivateKeyInput;
  /** v3 base, origin only (default `https://openapi.alipay.com`). */
  endpoint?: string;
  /** v2 gateway (default `https://openapi.alipay.com/gateway.do`). */
  gateway?: string;
  /** Default `"v3"`; `orderUpgrade` always uses v2. */
  protocol?: Protocol;
  fetch?: FetchLike;
  /** Per attempt, default 15000. */
  timeoutMs?: number;
  /** Epoch milliseconds (default `Date.now`): injectable for reproducible requests. */
  now?: () => number;
  /** v3 nonce (default `crypto.randomUUID()`). */
  nonce?: () => string;
  /** Retries of idempotent queries after a network error, a timeout or a 5xx (default 2). */
  retries?: number;
  /** First retry delay (doubled each time, jittered), default 200. */
  retryDelayMs?: number;
  /** WebCrypto (default `globalThis.crypto`). */
  crypto?: Crypto;
}

/** Public-key mode: Alipay's answers are verified with the Alipay public key (支付宝公钥). */
export interface KeyModeOptions extends CommonClientOptions {
  alipayPublicKey: PublicKeyInput;
  appCert?: never;
  alipayCert?: never;
  alipayRootCert?: never;
  rotateAlipayCert?: never;
  onAlipayCertRotated?: never;
}

/** Certificate mode (公钥证书模式): the three certificate files (their PEM text or bytes). */
export interface CertModeOptions extends CommonClientOptions {
  alipayPublicKey?: never;
  /** `appCertPublicKey_<appId>.crt`: only its SN is sent (`app_cert_sn`). */
  appCert: CertificateInput;
  /** `alipayCertPublicKey_RSA2.crt`: verifies Alipay's answers. */
  alipayCert: CertificateInput;
  /** `alipayRootCert.crt` (the root bundle): its SN is sent; a rotated certificate must chain to it. */
  alipayRootCert: CertificateInput;
  /**
   * When Alipay answers with another `alipay_cert_sn`, download it
   * (`alipay.open.app.alipaycert.download`) and use it only if it chains to `alipayRootCert` and
   * is Alipay's own certificate. Default `false` (the answer is refused with CERT_SN_MISMATCH).
   */
  rotateAlipayCert?: boolean;
  /** Called with the new certificate after a rotation (to store it). */
  onAlipayCertRotated?: (rotated: { alipayCert: string; alipayCertSn: string }) => void | Promise<void>;
}

export type ClientOptions = KeyModeOptions | CertModeOptions;

/** Options of one call. */
export interface CallOptions {
  /** Overrides the client's protocol (ignored by `orderUpgrade`, v2 only). */
  protocol?: Protocol;
  timeoutMs?: number;
  /** Queries only: retries for this call. State-changing calls are never retried. */
  retries?: number;
  signal?: AbortSignal;
  /** v3 `alipay-request-id` (default: the nonce without dashes). */
  requestId?: string;
}

/** A call made on a merchant's behalf: the merchant's `app_auth_token` is required. */
export interface MerchantCallOptions extends CallOptions {
  appAuthToken: string;
}

/** `call()` of another API: wire (snake_case) params, and how to reach it. */
export interface GenericCallOptions extends CallOptions {
  appAuthToken?: string;
  /** v3: default POST (the ten known APIs: their own). */
  httpMethod?: "GET" | "POST";
  /** v3: default `/v3/` + the method with dots as slashes. */
  path?: string;
  /** Whether the call only reads (then it may be retried). Default `false`. */
  idempotent?: boolean;
}

/** What every result carries besides its camelCase fields. */
export interface RawResponse {
  protocol: Protocol;
  httpStatus: number;
  traceId: string | null;
  /** The verified data as Alipay sent it (snake_case; v2 with `code` and `msg`). */
  data: JsonValue;
  /** The text whose signature was verified. */
  signedContent: string;
  /** The Alipay certificate SN the answer named (certificate mode). */
  alipayCertSn: string | null;
}

export interface ApiResult {
  raw: RawResponse;
}

export interface OrderQueryParams {
  commodityOrderId: string;
  /** 1 = the first page (text, as Alipay declares it). */
  startPage?: string;
}
export interface OrderAcceptParams {
  commodityOrderId: string;
}
export interface OrderRejectParams {
  commodityOrderId: string;
  rejectReason: string;
}
export interface OrderItemCancelParams {
  commodityOrderId: string;
  cancelReason: string;
  shopId?: string;
  miniAppId?: string;
}
export interface OrderItemParams {
  commodityOrderId: string;
  shopId?: string;
  miniAppId?: string;
}
export interface CommodityShopParams {
  commodityId: string;
  shopId: string;
}
export interface PromotionRelationQueryParams {
  commodityId: string;
  /** 1–100, default 10. */
  pageSize?: number;
  /** From 1, default 1. */
  pageNum?: number;
}
export interface OrderUpgradeParams {
  commodityOrderId: string;
  /** Up to 10 product codes. */
  productCodes?: string[];
}

/** One implementation item (实施项) of an order: a shop or a mini app. */
export interface ServicemarketOrderItem {
  address?: string;
  brandName?: string;
  category?: string;
  city?: string;
  cityCode?: string;
  commodityId?: string;
  contacts?: string;
  creator?: string;
  expireDate?: string;
  merchantName?: string;
  merchantPid?: string;
  miniAppId?: string;
  miniAppName?: string;
  onlineTime?: string;
  openIdModel?: string;
  /** TO_DO, DOING, TO_CONFIRM, CONFIRMED, DONE, MERCHANT_REJECTED, MERCHANT_CANCELLED, ISV_REJECTED, ISV_CANCELLED. */
  orderStatus?: string;
  phoneNo?: string;
  province?: string;
  serviceEffectDate?: string;
  serviceExpireDate?: string;
  shopId?: string;
  shopName?: string;
  /** ONLINE, OFFLINE, AVAILABLE, INIT, EXPIRED. */
  shopStatus?: string;
  status?: string;
}

export interface OrderQueryResult extends ApiResult {
  autoUpgrade?: boolean;
  commodityId?: string;
  currentPage?: number;
  orderItems?: ServicemarketOrderItem[];
  specifications?: string;
  /** e.g. MERCHANT_ORDED (see `decodeOrderStatus`). */
  status?: string;
  totalSize?: number;
}

export interface PromotionRelation {
  applyReason?: string;
  commodityId?: string;
  commodityName?: string;
  createTime?: string;
  promoterContactName?: string;
  promoterContactPhone?: string;
  promoterName?: string;
  promoterPid?: string;
  promotionId?: string;
  promotionName?: string;
}

export interface PromotionRelationQueryResult extends ApiResult {
  currentPage?: number;
  pageSize?: number;
  totalSize?: number;
  promotionRelations?: PromotionRelation[];
}

/** The result of an API without business fields (accept, reject, …). */
export type EmptyResult = ApiResult;

/** The result of `call()`: the verified fields in camelCase, and `raw`. */
export interface CallResult extends ApiResult {
  [field: string]: JsonValue | RawResponse | undefined;
}

/** A client (see `createClient` in `alipay-notify/client`). Every answer is verified first. */
export interface Client {
  orderQuery(params: OrderQueryParams, options?: CallOptions): Promise<OrderQueryResult>;
  orderAccept(params: OrderAcceptParams, options?: CallOptions): Promise<EmptyResult>;
  orderReject(params: OrderRejectParams, options?: CallOptions): Promise<EmptyResult>;
  orderItemCancel(params: OrderItemCancelParams, options?: CallOptions): Promise<EmptyResult>;
  orderItemComplete(params: OrderItemParams, options?: CallOptions): Promise<EmptyResult>;
  orderItemConfirm(params: OrderItemParams, options: MerchantCallOptions): Promise<EmptyResult>;
  commodityShopOnline(params: CommodityShopParams, options: MerchantCallOptions): Promise<EmptyResult>;
  commodityShopOffline(params: CommodityShopParams, options: MerchantCallOptions): Promise<EmptyResult>;
  promotionRelationQuery(
    params: PromotionRelationQueryParams,
    options?: CallOptions,
  ): Promise<PromotionRelationQueryResult>;
  /** v2 only. */
  orderUpgrade(params: OrderUpgradeParams, options?: CallOptions): Promise<EmptyResult>;
  /** Any other API, by its v2 method name, with wire (snake_case) params. */
  call(method: string, params?: Record<string, JsonValue>, options?: GenericCallOptions): Promise<CallResult>;
  /**
   * Certificate mode: the Alipay certificate in use — as configured (text, or its bytes), then the
   * rotated one's PEM after a rotation; else `null`.
   */
  readonly alipayCert: string | Uint8Array | null;
}

/** What `signV3Request` / `signV2Request` sign with. */
export interface SignConfig {
  appId: string;
  privateKey: PrivateKeyInput;
  /** Certificate mode: the certificates (or their SNs). */
  appCert?: CertificateInput;
  alipayRootCert?: CertificateInput;
  appCertSn?: string;
  alipayRootCertSn?: string;
  /** Optional: refuses an Alipay key that is the app's own public key. */
  alipayPublicKey?: PublicKeyInput;
  alipayCert?: CertificateInput;
  /** When given, the result's `url` is the full URL. */
  endpoint?: string;
  gateway?: string;
  now?: () => number;
  nonce?: () => string;
  crypto?: Crypto;
}

/** One request to sign. */
export interface SignRequest {
  /** The v2 API name, e.g. `alipay.open.servicemarket.order.query`. */
  method: string;
  params?: Record<string, JsonValue>;
  appAuthToken?: string;
  httpMethod?: "GET" | "POST";
  path?: string;
  /** Convert camelCase param keys to snake_case. Default `false` (wire names). */
  camelCase?: boolean;
  /** Epoch ms (default: `config.now()` or `Date.now()`). */
  timestamp?: number;
  nonce?: string;
  requestId?: string;
}

/** A signed request, exactly as it would be sent. */
export interface SignedRequest {
  protocol: Protocol;
  httpMethod: "GET" | "POST";
  /** `endpoint`/`gateway` + `target`, or `null` when neither was given. */
  url: string | null;
  /** v3: path and query; v2: `?` and the query string. */
  target: string;
  headers: Record<string, string>;
  body: string;
  stringToSign: string;
  sign: string;
}
