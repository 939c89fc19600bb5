// Types of `alipay-notify/sandbox` (Node only): a local Service Market that plays Alipay for one
// ISV app. It posts signed notifications to the ISV's gateway and serves the Service Market
// OpenAPI (v3 and v2), with keys of its own, never Alipay's.

/** Options of `startSandbox`. */
export interface SandboxOptions {
  /** The ISV's notify URL (应用网关), where notifications are POSTed. Required. */
  gateway: string;
  /** The ISV app's `app_id` (default: a generated one). */
  appId?: string;
  /**
   * The app public key (应用公钥) that requests are verified with: PEM (SPKI or PKCS#1), bare
   * base64, or a certificate. Default: the sandbox generates the app key pair and exposes
   * `appPrivateKey`.
   */
  appPublicKey?: string;
  /** The sandbox's own "Alipay" private key (PEM or bare base64), for a fixed `alipayPublicKey`. Default: generated. */
  alipayPrivateKey?: string;
  /** Port on `host`; `0` (default) picks a free one. */
  port?: number;
  /** Default `"127.0.0.1"`. */
  host?: string;
  /** Algorithm of the notifications' signatures: `"RSA2"` (default, SHA-256) or `"RSA"` (SHA-1). */
  signType?: "RSA2" | "RSA";
  /** Start of the sandbox clock, epoch ms (default: now). The clock then runs with real time, plus `advance()`. */
  now?: number;
  /** How long one delivery waits for the gateway's answer (default 15000 ms). */
  deliveryTimeoutMs?: number;
  /** The `commodity_id` of the service ordered (default: a generated one). */
  commodityId?: string;
  /** The promotion relations `promotiontask.relation.query` answers with (snake_case, as on the wire). Default: one sample relation for `commodityId`. */
  promotions?: Array<Record<string, string>>;
  /** Called with each log entry as it happens, and its timeline line. */
  onLog?: (entry: SandboxLogEntry, line: string) => void;
}

/** An implementation item (实施项): a shop or a mini app. */
export type SandboxItem = { shopId: string } | { miniAppId: string };

/** Options of `createOrder`. */
export interface CreateOrderOptions {
  /** `item_code` of the order notification (default `AM010101000000110306`). */
  itemCode?: string;
  /** The items, 1–100 (default: one generated mini app). */
  items?: SandboxItem[];
  /** Whether the order has a price (default `true`). Free orders are never refunded. */
  needsPayment?: boolean;
  /** Whether the merchant paid when ordering (default `true`); `false` waits for `pay()` (`WAIT_FOR_PAYMENT`, cancelled after 3 days). */
  paid?: boolean;
  /** Charset of the notifications for this order (default `"UTF-8"`). */
  charset?: "UTF-8" | "GBK";
  /** The merchant's PID (digits); default: a new merchant. A known PID reuses that merchant's `app_auth_token`. */
  merchantPid?: string;
  /** The merchant's name (`name` in the order notification). */
  merchantName?: string;
  /** Sign content of the order notification: `"v2"` (default, as documented) or `"v1"` (as some real ones). */
  notifyVariant?: "v1" | "v2";
  /** `total_price`, `"0.00"` form (default `"99.00"`, `"0.00"` when `needsPayment` is false). */
  totalPrice?: string;
  /** `isv_ticket` (default: a generated one; `""` sends it empty, as real notifications often do). */
  isvTicket?: string;
  /**
   * Whether the merchant authorises the ISV's app when ordering (default `true`: the
   * authorization notification comes first). `false`: it comes only with `authorize()`, so the
   * order waits in implementation without an `app_auth_token`.
   */
  authorize?: boolean;
  /** `promoter_master_name` / `promoter_master_pid` (default: a sample promoter; `null` leaves them out). */
  promoter?: { name: string; pid: string } | null;
}

/** What `createOrder` made. */
export interface CreatedOrder {
  /** `commodity_order_id`. */
  commodityOrderId: string;
  /** `merchant_pid` (= `detail.user_id` of the authorization notification). */
  merchantPid: string;
  /** The merchant's `app_auth_token` (sent in the authorization notification). */
  appAuthToken: string;
  items: SandboxItem[];
}

/** The sandbox's view of an order. */
export interface SandboxOrder {
  commodityOrderId: string;
  merchantPid: string;
  itemCode: string;
  commodityId: string;
  /** The order status (`MERCHANT_ORDED`, `ISV_ACCEPTED`, …). */
  status: string;
  /** When the status was set (sandbox clock, epoch ms). */
  statusAt: number;
  orderTime: number;
  needsPayment: boolean;
  paid: boolean;
  /** Whether the payment was returned (a cancel or rejection of a paid order). */
  refunded: boolean;
  charset: "UTF-8" | "GBK";
  /** Each item's `order_status` (`TO_DO`, `DOING`, `TO_CONFIRM`, `CONFIRMED`, `DONE`, …) and, for shops, `shop_status`. */
  items: Array<SandboxItem & { orderStatus: string; shopStatus: string | null }>;
  /** Every status the order had, with its time. */
  history: Array<{ status: string; atMs: number }>;
  /** Who cancelled or rejected, and why. */
  cancel: { memo: string; operatorType: "MERCHANT" | "ISV"; atMs: number } | null;
  /** The product codes of a successful `order.upgrade`. */
  upgradedProductCodes: string[] | null;
}

/** One attempt to deliver a notification. */
export interface SandboxAttempt {
  /** Sandbox clock when it was sent (epoch ms). */
  at: number;
  /** When it was due (the first send, or the retry time). */
  dueAt: number;
  /** The gateway's HTTP status (`null`: no answer). */
  httpStatus: number | null;
  /** The gateway's answer text (first 2000 bytes). */
  answer: string | null;
  /** Why there was no answer (connection refused, timeout). */
  error: string | null;
}

/** A notification the sandbox sent. */
export interface SandboxNotification {
  notifyId: string;
  /** `servicemarket_order_notify`, `open_app_auth_notify` or `alipay.open.servicemarket.order.change.notify`. */
  kind: string;
  /** The order status (order change) or the authorization status (`execute_auth`, `update_auth`). */
  status: string | null;
  orderId: string | null;
  merchantPid: string | null;
  charset: "UTF-8" | "GBK";
  variant: "v1" | "v2";
  /** The form body exactly as POSTed (ASCII, values `%XX`-encoded in `charset`). */
  body: string;
  /** The parameters, decoded. */
  params: Record<string, string>;
  /** `delivered` (answered `success`), `retrying`, `given-up` (after 8 attempts), or `queued`/`sending`. */
  state: "queued" | "sending" | "retrying" | "delivered" | "given-up";
  nextAttemptAt: number | null;
  attempts: SandboxAttempt[];
}

/** An entry of `log`; `at` is the sandbox clock (epoch ms). */
export type SandboxLogEntry =
  | {
      type: "delivery";
      seq: number;
      at: number;
      notifyId: string;
      kind: string;
      status: string | null;
      orderId: string | null;
      merchantPid: string | null;
      /** 1 for the first attempt. */
      attempt: number;
      httpStatus: number | null;
      answer: string | null;
      error: string | null;
      state: SandboxNotification["state"];
      nextAttemptAt: number | null;
    }
  | {
      type: "call";
      seq: number;
      at: number;
      protocol: "v3" | "v2" | null;
      httpMethod: string;
      target: string;
      /** The client method name (`orderAccept`, …), when the route or method is known. */
      api: string | null;
      /** The v2 method name. */
      method: string | null;
      /** Whether the request's signature verified with the app public key. */
      verified: boolean;
      /** Why it was refused before the business rules (`INVALID_SIGNATURE`, `MISSING_APP_AUTH_TOKEN`, …), or `null`. */
      refusal: string | null;
      /** Whether an `app_auth_token` came with it. */
      appAuthToken: boolean;
      orderId: string | null;
      httpStatus: number;
      /** The answer's code (v3 `code` / HTTP status, v2 `code` and `sub_code`) and message. */
      answer: { code: string; subCode?: string; message?: string } | null;
    }
  | {
      type: "merchant";
      seq: number;
      at: number;
      action: "order" | "authorize" | "pay" | "refund" | "confirm";
      orderId: string;
      status: string;
    }
  | {
      type: "rule";
      seq: number;
      at: number;
      /** The Service Market rule that fired. */
      rule: "UNPAID_AUTO_CANCEL" | "IMPLEMENTATION_TIMEOUT" | "AUTO_CONFIRM";
      orderId: string;
      status: string;
    };

/** A running sandbox. */
export interface Sandbox {
  /** The v3 endpoint (origin), e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  /** The v2 gateway: `url + "/gateway.do"`. */
  readonly gateway: string;
  /** The app's `app_id`. */
  readonly appId: string;
  /** The sandbox's "Alipay public key" (SPKI PEM): what the ISV verifies notifications and answers with. */
  readonly alipayPublicKey: string;
  /** The app public key requests are verified with (SPKI PEM). */
  readonly appPublicKey: string;
  /** The app private key (PKCS#8 PEM), only when the sandbox generated the app key pair. */
  readonly appPrivateKey?: string;
  /** The `commodity_id` of the service. */
  readonly commodityId: string;
  /** Every notification attempt, API call, merchant action and rule, in clock order. */
  readonly log: ReadonlyArray<SandboxLogEntry>;
  /** The sandbox clock, epoch ms. */
  now(): number;
  /**
   * A merchant orders: the authorization notification, then the order notification (or, unpaid,
   * an order change to `WAIT_FOR_PAYMENT`). Resolves once the deliveries have settled.
   */
  createOrder(options?: CreateOrderOptions): Promise<CreatedOrder>;
  /** The merchant authorises the ISV's app (again): the authorization notification with its `app_auth_token`. */
  authorize(commodityOrderId: string): Promise<SandboxOrder>;
  /** The merchant pays an unpaid order (`WAIT_FOR_PAYMENT` → `MERCHANT_ORDED`, order notification). */
  pay(commodityOrderId: string): Promise<SandboxOrder>;
  /** The merchant asks for a refund before completion → `MERCHANT_CANCELLED` (refunded if paid). */
  merchantRefund(commodityOrderId: string): Promise<SandboxOrder>;
  /** The merchant confirms the implementation (`MERCHANT_CHECKING` → `DONE`). */
  merchantConfirm(commodityOrderId: string): Promise<SandboxOrder>;
  /** The sandbox's view of an order; throws `INVALID_ARGUMENT` for an unknown id. */
  order(commodityOrderId: string): SandboxOrder;
  /** Every notification made, with its attempts. */
  notifications(): SandboxNotification[];
  /**
   * Moves the clock forward, firing what falls due in time order: retries (after 4m, 10m, 10m,
   * 1h, 2h, 6h, 15h), the 3-day unpaid cancel, the 30-day implementation timeout and the 7-day
   * auto-confirm. Resolves when the resulting deliveries (and the gateway's calls) have settled.
   */
  advance(span: { days?: number; hours?: number; minutes?: number }): Promise<void>;
  /** Resolves when no delivery is queued or in flight. */
  settle(): Promise<void>;
  /** The log as text, one line per entry. */
  timeline(): string;
  /** Stops the server (and the clock's timers). */
  close(): Promise<void>;
}

/**
 * Starts a sandbox on 127.0.0.1. Throws `INVALID_OPTIONS` for a bad option, `INVALID_PUBLIC_KEY` /
 * `INVALID_PRIVATE_KEY` for a key it cannot read.
 */
export declare function startSandbox(options: SandboxOptions): Promise<Sandbox>;
