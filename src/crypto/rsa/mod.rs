//! RSA public keys and PKCS#1 v1.5 signature verification (public operations only).

pub(crate) mod key;
pub(crate) mod modexp;
pub(crate) mod pkcs1v15;

pub use key::{RsaPublicKey, MAX_KEY_BITS, MIN_KEY_BITS};
#[cfg(feature = "hazmat")]
pub use pkcs1v15::verify_digest_info;
pub use pkcs1v15::{verify_pkcs1v15, SignType};
