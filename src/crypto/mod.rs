//! Cryptographic primitives over public data: DER and PEM reading, the RSA public key and
//! RSASSA-PKCS1-v1_5 verification, AES-128-CBC decryption. Above [`crate::encoding`]; knows
//! nothing of certificates or of what a key is configured for.

pub(crate) mod aes;
pub(crate) mod der;
pub(crate) mod pem;
pub(crate) mod rsa;

pub use aes::{aes_decrypt, aes_decrypt_bytes, MAX_CIPHERTEXT_BYTES};
pub use pem::MAX_KEY_TEXT_BYTES;
#[cfg(feature = "hazmat")]
pub use rsa::verify_digest_info;
pub use rsa::{verify_pkcs1v15, RsaPublicKey, SignType, MAX_KEY_BITS, MIN_KEY_BITS};
