//! AES content decryption (`encrypt_type=AES`, 内容加密): what Alipay's SDKs call
//! `aesDecrypt` — AES-128-CBC with a zero IV and PKCS#7 (PKCS5) padding, key and ciphertext in
//! standard base64.
//!
//! CBC without a MAC gives no integrity: verify the signature over the ciphertext (Alipay signs
//! the encrypted content) **before** decrypting, and treat the error kinds below as diagnostics.

use crate::encoding::base64::{decode as decode_base64, Policy};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut as _, KeyIvInit as _};

use crate::crypto::pem::MAX_KEY_TEXT_BYTES;
use crate::error::{Error, Result};

/// Largest ciphertext text accepted, in bytes of base64.
pub const MAX_CIPHERTEXT_BYTES: usize = 8 * 1024 * 1024;

/// AES block size; Alipay's key size (AES-128) is the same.
const BLOCK: usize = 16;

/// Decrypts Alipay AES content (`encrypt_type=AES`) and returns it as UTF-8 text.
///
/// `key_b64` is the AES key from the Alipay console (接口内容加密方式, 24 base64 characters).
/// Errors: [`Error::InvalidAesKey`] (not base64 of 16 bytes), [`Error::MalformedCiphertext`]
/// (not base64), [`Error::DecryptionFailed`] (not whole blocks, bad padding — usually the wrong
/// key — or a plaintext that is not UTF-8; use [`aes_decrypt_bytes`] for other charsets),
/// [`Error::InputTooLarge`] (ciphertext over [`MAX_CIPHERTEXT_BYTES`], key text over
/// [`MAX_KEY_TEXT_BYTES`](crate::crypto::MAX_KEY_TEXT_BYTES), the limit of all key text).
///
/// ```
/// let text = alipay_notify::crypto::aes_decrypt("ILpoMowjIQjfYMR847rnFQ==", "aa4BtZ4tspm2wnXLb1ThQA==")?;
/// assert_eq!(text, "test1234567");
/// # Ok::<(), alipay_notify::Error>(())
/// ```
pub fn aes_decrypt(ciphertext_b64: &str, key_b64: &str) -> Result<String> {
    String::from_utf8(aes_decrypt_bytes(ciphertext_b64, key_b64)?).map_err(|_| {
        Error::DecryptionFailed {
            reason: "the plaintext is not UTF-8 (wrong key, or another charset)".into(),
        }
    })
}

/// Like [`aes_decrypt`], but returns the plaintext bytes as they are (for a GBK `charset`).
pub fn aes_decrypt_bytes(ciphertext_b64: &str, key_b64: &str) -> Result<Vec<u8>> {
    if ciphertext_b64.len() > MAX_CIPHERTEXT_BYTES {
        return Err(Error::too_large(format!(
            "ciphertext is over {MAX_CIPHERTEXT_BYTES} bytes"
        )));
    }
    if key_b64.len() > MAX_KEY_TEXT_BYTES {
        return Err(Error::too_large(format!(
            "AES key text is over {MAX_KEY_TEXT_BYTES} bytes"
        )));
    }
    let key = decode(key_b64).map_err(|reason| Error::InvalidAesKey {
        reason: format!("not base64: {reason}"),
    })?;
    if key.len() != BLOCK {
        return Err(Error::InvalidAesKey {
            reason: format!(
                "{} bytes; an AES-128 key is {BLOCK} bytes (24 base64 characters)",
                key.len()
            ),
        });
    }
    let mut data = decode(ciphertext_b64).map_err(|reason| Error::MalformedCiphertext {
        reason: format!("not base64: {reason}"),
    })?;
    if data.is_empty() || data.len() % BLOCK != 0 {
        return Err(Error::DecryptionFailed {
            reason: format!(
                "{} bytes of ciphertext is not a positive multiple of the {BLOCK}-byte block",
                data.len()
            ),
        });
    }
    let decryptor =
        cbc::Decryptor::<::aes::Aes128>::new_from_slices(&key, &[0u8; BLOCK]).map_err(|_| {
            Error::InvalidAesKey {
                reason: "rejected by the cipher".into(),
            }
        })?;
    let plain_len = decryptor
        .decrypt_padded_mut::<Pkcs7>(&mut data)
        .map_err(|_| Error::DecryptionFailed {
            reason: "bad PKCS#7 padding (wrong key?)".into(),
        })?
        .len();
    data.truncate(plain_len);
    Ok(data)
}

/// Standard base64 with surrounding whitespace ignored and padding optional. Inner spaces are
/// refused with a hint: they are `+` signs lost in a form or query string.
fn decode(text: &str) -> core::result::Result<Vec<u8>, String> {
    decode_base64(text.trim().as_bytes(), Policy::CIPHERTEXT)
}
