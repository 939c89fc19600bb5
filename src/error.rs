//! The one error type of the crate and its stable codes.

use core::fmt;

/// Everything that can go wrong while parsing or verifying a notification.
///
/// Each variant maps to a stable, SCREAMING_SNAKE code ([`Error::code`]) that is part of the
/// public API (the JS binding exposes it as `error.code`). Codes are added, never renamed.
/// Context carried by a variant is what a caller can act on; the body is never echoed whole.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The body is not a well-formed `application/x-www-form-urlencoded` form
    /// (a bad `%` escape, a parameter without a name, …).
    MalformedForm {
        /// What is wrong, with the byte offset where it was found.
        reason: String,
    },
    /// A parameter name occurs twice (parameter pollution); the notification is refused whole.
    DuplicateParameter {
        /// The repeated name (lossily decoded for display).
        name: String,
    },
    /// A parameter the operation needs is absent (e.g. `sign`).
    MissingParameter {
        /// The wire name of the missing parameter.
        name: String,
    },
    /// `sign_type` is not one of the allowed sign types (default: `RSA2` only).
    UnsupportedSignType {
        /// The `sign_type` as received (truncated).
        sign_type: String,
    },
    /// The declared `charset` is not one this crate can verify (UTF-8, GBK and its aliases).
    UnsupportedCharset {
        /// The charset label as received (truncated).
        charset: String,
    },
    /// A parameter's bytes are not valid text in the declared charset.
    CharsetMismatch {
        /// The parameter whose value does not decode.
        name: String,
        /// The charset it was decoded with.
        charset: &'static str,
    },
    /// The public key could not be used.
    InvalidPublicKey {
        /// Why (wrong format, private key given, unsupported size, …).
        reason: String,
    },
    /// `sign` is not standard base64 or has the wrong length for the key.
    MalformedSignature {
        /// Why the signature could not be used.
        reason: String,
    },
    /// The signature does not match the notification under any variant that was tried.
    /// Deliberately opaque; `inspect` explains it.
    SignatureMismatch,
    /// `biz_content` is present but is not a JSON object.
    InvalidBizContent {
        /// The JSON parser's message.
        reason: String,
    },
    /// The notification's `app_id` is not the one the caller expects.
    AppIdMismatch {
        /// The expected `app_id`.
        expected: String,
        /// The `app_id` received (empty when absent).
        actual: String,
    },
    /// The notification is older than `maxAgeSeconds` (or has no usable time to check).
    NotificationExpired {
        /// Why (age, or which time field was missing or unreadable).
        reason: String,
    },
    /// A documented size limit was exceeded (body, parameter count, value length, key size).
    InputTooLarge {
        /// Which limit, and its value.
        reason: String,
    },
    /// An option name is unknown or an option value is invalid.
    InvalidOptions {
        /// Which option and why.
        reason: String,
    },
    /// An argument has the wrong type or shape (e.g. a number where a body is expected).
    InvalidArgument {
        /// Which argument and why.
        reason: String,
    },
    /// The message's `alipay_cert_sn` is not the SN of the configured Alipay certificate
    /// (typically Alipay rotated its certificate and the configured one is stale).
    CertSnMismatch {
        /// The SN of the configured certificate.
        expected: String,
        /// The `alipay_cert_sn` received (truncated).
        actual: String,
    },
    /// The Alipay certificate does not chain to the root bundle (no issuer found, or no
    /// issuer's signature verifies).
    CertUntrusted {
        /// Which certificate had no trusted issuer.
        reason: String,
    },
    /// A certificate on the chain is expired or not yet valid at the time given.
    CertExpired {
        /// Which certificate, and its validity bound.
        reason: String,
    },
    /// A certificate (or bundle) could not be read.
    InvalidCertificate {
        /// Which field could not be read, or why.
        reason: String,
    },
    /// An OpenAPI response body is not a JSON object, or is ambiguous (duplicate keys).
    MalformedResponse {
        /// What is wrong.
        reason: String,
    },
    /// The AES key (`encrypt_key`) is not base64 of a 16-byte AES-128 key.
    InvalidAesKey {
        /// Why.
        reason: String,
    },
    /// The AES ciphertext is not base64.
    MalformedCiphertext {
        /// Why.
        reason: String,
    },
    /// AES decryption failed: length not a multiple of the block, bad padding (usually a wrong
    /// key), or a plaintext that is not UTF-8.
    DecryptionFailed {
        /// Why.
        reason: String,
    },
    /// The received parameters are not the one reading of the signed content: a name holds `&`
    /// or `=`, or a value holds `&name=` with a name that sorts after its own parameter's — so
    /// the same signature also covers a different split into parameters (re-framing).
    AmbiguousFraming {
        /// The parameter concerned and what it holds.
        reason: String,
    },
    /// A certificate that chains to the root is not an Alipay certificate (issuer
    /// `… Class 2 R1`, subject CN `支付宝(中国)网络技术有限公司-…`); e.g. an app certificate.
    CertNotAlipay {
        /// What differs.
        reason: String,
    },
    /// Alipay answered an OpenAPI call with an error (a business error such as
    /// `ORDER_NOT_EXIST`, or a gateway error such as `isv.invalid-signature`): its codes and
    /// texts, the HTTP status, the trace id, and whether the error body's signature verified.
    AlipayApiError {
        /// What Alipay said.
        detail: Box<ApiError>,
    },
    /// The application private key (应用私钥) could not be used: not PEM or base64, not an
    /// RSA private key (a public key, a certificate, an encrypted or EC key), or a bad size.
    /// The reason never quotes the key.
    InvalidPrivateKey {
        /// Why.
        reason: String,
    },
    /// The OpenAPI request did not reach Alipay or its answer did not arrive (DNS, TLS,
    /// connection reset). Raised by the transport (the JS client).
    NetworkError {
        /// The transport's message.
        reason: String,
    },
    /// The OpenAPI call took longer than its timeout. Raised by the transport (the JS client).
    Timeout {
        /// Which timeout.
        reason: String,
    },
    /// The answer is not one of Alipay's: an HTML error page (a 502 from a proxy), an empty
    /// body, a status and body that fit no protocol rule.
    UnexpectedResponse {
        /// The HTTP status received.
        http_status: u16,
        /// What was unexpected.
        reason: String,
    },
}

/// Alipay's answer to a failed call (a business or gateway error).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status (v2 answers 200 even for errors).
    pub http_status: u16,
    /// Alipay's `code` (v3: e.g. `ORDER_NOT_EXIST`; v2: e.g. `40004`).
    pub code: String,
    /// v3 `message` / v2 `msg`.
    pub message: String,
    /// v2 `sub_code` (e.g. `ORDER_NOT_EXIST`, `isv.invalid-signature`).
    pub sub_code: Option<String>,
    /// v2 `sub_msg`.
    pub sub_msg: Option<String>,
    /// v3 `links`: `(link, desc)` pairs (a bare string becomes one link without a desc).
    pub links: Vec<(String, String)>,
    /// `alipay-trace-id` (v3), when sent.
    pub trace_id: Option<String>,
    /// Whether the error body's signature was verified (unsigned error bodies exist: some v3
    /// 4xx and v2 gateway errors are not signed).
    pub verified: bool,
}

/// Every stable error code, in declaration order. Used by tests and by the TypeScript union.
pub const ERROR_CODES: &[&str] = &[
    "MALFORMED_FORM",
    "DUPLICATE_PARAMETER",
    "MISSING_PARAMETER",
    "UNSUPPORTED_SIGN_TYPE",
    "UNSUPPORTED_CHARSET",
    "CHARSET_MISMATCH",
    "INVALID_PUBLIC_KEY",
    "MALFORMED_SIGNATURE",
    "SIGNATURE_MISMATCH",
    "INVALID_BIZ_CONTENT",
    "APP_ID_MISMATCH",
    "NOTIFICATION_EXPIRED",
    "INPUT_TOO_LARGE",
    "INVALID_OPTIONS",
    "INVALID_ARGUMENT",
    "CERT_SN_MISMATCH",
    "CERT_UNTRUSTED",
    "CERT_EXPIRED",
    "INVALID_CERTIFICATE",
    "MALFORMED_RESPONSE",
    "INVALID_AES_KEY",
    "MALFORMED_CIPHERTEXT",
    "DECRYPTION_FAILED",
    "AMBIGUOUS_FRAMING",
    "CERT_NOT_ALIPAY",
    "ALIPAY_API_ERROR",
    "INVALID_PRIVATE_KEY",
    "NETWORK_ERROR",
    "TIMEOUT",
    "UNEXPECTED_RESPONSE",
];

impl Error {
    /// The stable code of this error (public API: never renamed).
    pub fn code(&self) -> &'static str {
        match self {
            Error::MalformedForm { .. } => "MALFORMED_FORM",
            Error::DuplicateParameter { .. } => "DUPLICATE_PARAMETER",
            Error::MissingParameter { .. } => "MISSING_PARAMETER",
            Error::UnsupportedSignType { .. } => "UNSUPPORTED_SIGN_TYPE",
            Error::UnsupportedCharset { .. } => "UNSUPPORTED_CHARSET",
            Error::CharsetMismatch { .. } => "CHARSET_MISMATCH",
            Error::InvalidPublicKey { .. } => "INVALID_PUBLIC_KEY",
            Error::MalformedSignature { .. } => "MALFORMED_SIGNATURE",
            Error::SignatureMismatch => "SIGNATURE_MISMATCH",
            Error::InvalidBizContent { .. } => "INVALID_BIZ_CONTENT",
            Error::AppIdMismatch { .. } => "APP_ID_MISMATCH",
            Error::NotificationExpired { .. } => "NOTIFICATION_EXPIRED",
            Error::InputTooLarge { .. } => "INPUT_TOO_LARGE",
            Error::InvalidOptions { .. } => "INVALID_OPTIONS",
            Error::InvalidArgument { .. } => "INVALID_ARGUMENT",
            Error::CertSnMismatch { .. } => "CERT_SN_MISMATCH",
            Error::CertUntrusted { .. } => "CERT_UNTRUSTED",
            Error::CertExpired { .. } => "CERT_EXPIRED",
            Error::InvalidCertificate { .. } => "INVALID_CERTIFICATE",
            Error::MalformedResponse { .. } => "MALFORMED_RESPONSE",
            Error::InvalidAesKey { .. } => "INVALID_AES_KEY",
            Error::MalformedCiphertext { .. } => "MALFORMED_CIPHERTEXT",
            Error::DecryptionFailed { .. } => "DECRYPTION_FAILED",
            Error::AmbiguousFraming { .. } => "AMBIGUOUS_FRAMING",
            Error::CertNotAlipay { .. } => "CERT_NOT_ALIPAY",
            Error::AlipayApiError { .. } => "ALIPAY_API_ERROR",
            Error::InvalidPrivateKey { .. } => "INVALID_PRIVATE_KEY",
            Error::NetworkError { .. } => "NETWORK_ERROR",
            Error::Timeout { .. } => "TIMEOUT",
            Error::UnexpectedResponse { .. } => "UNEXPECTED_RESPONSE",
        }
    }

    /// Builds [`Error::InvalidPublicKey`].
    pub(crate) fn key(reason: impl Into<String>) -> Self {
        Error::InvalidPublicKey {
            reason: reason.into(),
        }
    }

    /// Builds [`Error::MalformedSignature`].
    pub(crate) fn signature(reason: impl Into<String>) -> Self {
        Error::MalformedSignature {
            reason: reason.into(),
        }
    }

    /// Builds [`Error::InvalidOptions`].
    pub(crate) fn options(reason: impl Into<String>) -> Self {
        Error::InvalidOptions {
            reason: reason.into(),
        }
    }

    /// Builds [`Error::InputTooLarge`].
    pub(crate) fn too_large(reason: impl Into<String>) -> Self {
        Error::InputTooLarge {
            reason: reason.into(),
        }
    }
}

/// Shortens a received value for an error message, so that errors never echo large input.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    const MAX: usize = 64;
    let text = String::from_utf8_lossy(bytes);
    if text.chars().count() <= MAX {
        text.into_owned()
    } else {
        let mut s: String = text.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::MalformedForm { reason } => write!(f, "malformed form body: {reason}"),
            Error::DuplicateParameter { name } => {
                write!(f, "parameter `{name}` occurs more than once")
            }
            Error::MissingParameter { name } => write!(f, "missing parameter `{name}`"),
            Error::UnsupportedSignType { sign_type } => {
                write!(f, "sign_type `{sign_type}` is not allowed")
            }
            Error::UnsupportedCharset { charset } => {
                write!(f, "charset `{charset}` is not supported")
            }
            Error::CharsetMismatch { name, charset } => {
                write!(f, "value of `{name}` is not valid {charset}")
            }
            Error::InvalidPublicKey { reason } => write!(f, "invalid public key: {reason}"),
            Error::MalformedSignature { reason } => write!(f, "malformed signature: {reason}"),
            Error::SignatureMismatch => f.write_str("signature does not match the notification"),
            Error::InvalidBizContent { reason } => {
                write!(f, "biz_content is not a JSON object: {reason}")
            }
            Error::AppIdMismatch { expected, actual } if actual.is_empty() => {
                write!(f, "app_id is missing (expected `{expected}`)")
            }
            Error::AppIdMismatch { expected, actual } => {
                write!(f, "app_id `{actual}` is not the expected `{expected}`")
            }
            Error::NotificationExpired { reason } => write!(f, "notification expired: {reason}"),
            Error::InputTooLarge { reason } => write!(f, "input too large: {reason}"),
            Error::InvalidOptions { reason } => write!(f, "invalid options: {reason}"),
            Error::InvalidArgument { reason } => write!(f, "invalid argument: {reason}"),
            Error::CertSnMismatch { expected, actual } => write!(
                f,
                "alipay_cert_sn `{actual}` is not the configured certificate's SN `{expected}`"
            ),
            Error::CertUntrusted { reason } => write!(f, "certificate not trusted: {reason}"),
            Error::CertExpired { reason } => write!(f, "certificate not valid now: {reason}"),
            Error::InvalidCertificate { reason } => write!(f, "invalid certificate: {reason}"),
            Error::MalformedResponse { reason } => write!(f, "malformed response: {reason}"),
            Error::InvalidAesKey { reason } => write!(f, "invalid AES key: {reason}"),
            Error::MalformedCiphertext { reason } => write!(f, "malformed ciphertext: {reason}"),
            Error::DecryptionFailed { reason } => write!(f, "decryption failed: {reason}"),
            Error::AmbiguousFraming { reason } => {
                write!(
                    f,
                    "the parameters admit another reading of the signed content: {reason}"
                )
            }
            Error::CertNotAlipay { reason } => write!(f, "not an Alipay certificate: {reason}"),
            Error::AlipayApiError { detail } => {
                write!(f, "Alipay answered with an error: {}", detail.code)?;
                if let Some(sub) = &detail.sub_code {
                    write!(f, " / {sub}")?;
                }
                let text = detail.sub_msg.as_deref().unwrap_or(&detail.message);
                if !text.is_empty() {
                    write!(f, " ({text})")?;
                }
                Ok(())
            }
            Error::InvalidPrivateKey { reason } => write!(f, "invalid private key: {reason}"),
            Error::NetworkError { reason } => write!(f, "network error: {reason}"),
            Error::Timeout { reason } => write!(f, "timed out: {reason}"),
            Error::UnexpectedResponse {
                http_status,
                reason,
            } => write!(f, "unexpected answer (HTTP {http_status}): {reason}"),
        }
    }
}

impl std::error::Error for Error {}

/// The result type of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
