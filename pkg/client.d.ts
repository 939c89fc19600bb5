// Types of `alipay-notify/client`: the OpenAPI client (调用支付宝开放接口). Same in Node (ESM and
// CJS), Workers and browsers; `init()` is needed only in browsers.
import type { Client, ClientOptions, SignConfig, SignRequest, SignedRequest } from "./index.js";

export type {
  AlipayErrorLink,
  AlipayNotifyError,
  ApiResult,
  CallOptions,
  CallResult,
  CertificateInput,
  CertModeOptions,
  Client,
  ClientOptions,
  CommodityShopParams,
  EmptyResult,
  ErrorCode,
  FetchLike,
  GenericCallOptions,
  KeyModeOptions,
  MerchantCallOptions,
  NodeKeyObject,
  OrderAcceptParams,
  OrderItemCancelParams,
  OrderItemParams,
  OrderQueryParams,
  OrderQueryResult,
  OrderRejectParams,
  OrderUpgradeParams,
  PrivateKeyInput,
  PromotionRelation,
  PromotionRelationQueryParams,
  PromotionRelationQueryResult,
  Protocol,
  PublicKeyInput,
  RawResponse,
  ServicemarketOrderItem,
  SignConfig,
  SignedRequest,
  SignRequest,
  VerifiedResponse,
} from "./index.js";
export {
  verifyResponse,
  verifyV3Response,
  getCertSN,
  getRootCertSN,
  checkAlipayCertificate,
  errorCodes,
} from "./index.js";

/** Loads the WebAssembly module: needed in browsers; a no-op in Node and Workers. */
declare function init(input?: string | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;
export default init;
export { init };

/**
 * A client for Alipay's OpenAPI. Throws at once on a bad configuration (INVALID_OPTIONS,
 * INVALID_PRIVATE_KEY, INVALID_PUBLIC_KEY, INVALID_CERTIFICATE); calls reject with coded errors
 * (ALIPAY_API_ERROR, SIGNATURE_MISMATCH, CERT_SN_MISMATCH, UNEXPECTED_RESPONSE, NETWORK_ERROR, TIMEOUT, …).
 */
export declare function createClient(options: ClientOptions): Client;
/** The v3 request that would be sent (signed with WebCrypto). */
export declare function signV3Request(config: SignConfig, request: SignRequest): Promise<SignedRequest>;
/** The v2 gateway request that would be sent (signed with WebCrypto). */
export declare function signV2Request(config: SignConfig, request: SignRequest): Promise<SignedRequest>;
