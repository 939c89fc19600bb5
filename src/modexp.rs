//! The RSA public operation `s^e mod n` on big-endian byte strings.
//!
//! Everything in a verification is public, so this may run in variable time; it must never be
//! used with a private exponent.

use num_bigint::BigUint;

/// Computes `sig^e mod n`, big-endian, left-padded to `n.len()` bytes.
/// Returns `None` when `sig` is not smaller than `n` (such a signature is invalid).
pub(crate) fn rsa_public(n: &[u8], e: u32, sig: &[u8]) -> Option<Vec<u8>> {
    let m = BigUint::from_bytes_be(n);
    let s = BigUint::from_bytes_be(sig);
    if s >= m {
        return None;
    }
    let out = s.modpow(&BigUint::from(e), &m).to_bytes_be();
    let mut em = vec![0u8; n.len().checked_sub(out.len())?];
    em.extend_from_slice(&out);
    Some(em)
}
