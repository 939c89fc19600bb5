// Coded errors of the sandbox: the same shape as the rest of the package (`AlipayNotifyError`
// with a stable `code`), so one `isAlipayNotifyError` test covers every entry.

/**
 * An `AlipayNotifyError` with `code` and optional extra fields.
 * @param {string} code
 * @param {string} message
 * @param {Record<string, unknown>} [extra]
 */
function coded(code, message, extra) {
  const err = /** @type {Error & { code?: string }} */ (new Error(message));
  err.name = "AlipayNotifyError";
  err.code = code;
  if (extra) Object.assign(err, extra);
  return err;
}

/**
 * A refusal of an OpenAPI call by the Service Market's rules (an Alipay business error code such
 * as `ORDER_NOT_EXIST`), turned into a v3 or v2 answer by the server. Internal to the sandbox.
 */
class BusinessError extends Error {
  /**
   * @param {string} code Alipay's business code (v3 `code`, v2 `sub_code`).
   * @param {string} message Alipay's wording (v3 `message`, v2 `sub_msg`).
   */
  constructor(code, message) {
    super(message);
    this.name = "BusinessError";
    this.code = code;
  }
}

export { coded, BusinessError };
