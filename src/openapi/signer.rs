//! Signing the bytes a request builder produced. The builder never signs: it hands out the
//! string to sign and assembles the request from a signature it is given, so the private-key
//! operation is whatever the platform does safely — WebCrypto where JS runs, [`RsaSigner`]
//! (constant-time `rsa` 0.10, blinded with the platform CSPRNG) natively. The crate's own
//! modular exponentiation is variable-time and only ever sees public keys.

use crate::error::Result;

/// Produces an RSASSA-PKCS1-v1_5 / SHA-256 ("RSA2", SHA256withRSA) signature of a message with
/// the application private key.
pub trait Signer {
    /// The raw signature bytes (as long as the modulus) of `message`.
    fn sign_rsa2(&self, message: &[u8]) -> Result<Vec<u8>>;
}

#[cfg(feature = "rsa-signer")]
pub use rsa_signer::RsaSigner;

#[cfg(feature = "rsa-signer")]
mod rsa_signer {
    use rsa_ct::pkcs1v15::SigningKey;
    use rsa_ct::pkcs8::DecodePrivateKey as _;
    use rsa_ct::sha2::Sha256;
    use rsa_ct::signature::{SignatureEncoding as _, Signer as _};

    use super::Signer;
    use crate::error::{Error, Result};
    use crate::openapi::PrivateKey;

    /// A [`Signer`] on the `rsa` crate 0.10 (constant-time arithmetic; every signature is
    /// blinded with randomness from the operating system's CSPRNG through `getrandom`).
    /// Feature `rsa-signer`.
    ///
    /// ```
    /// use alipay_notify::openapi::{PrivateKey, RsaSigner, Signer};
    /// # let text = include_str!("../../tests/vectors/openapi/keys/app-private-pkcs1.txt");
    /// let signer = RsaSigner::new(&PrivateKey::parse(text)?)?;
    /// assert_eq!(signer.sign_rsa2(b"abc")?.len(), 256);
    /// # Ok::<(), alipay_notify::Error>(())
    /// ```
    #[derive(Clone)]
    pub struct RsaSigner {
        key: SigningKey<Sha256>,
    }

    impl core::fmt::Debug for RsaSigner {
        /// Nothing of the key is shown.
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("RsaSigner { .. }")
        }
    }

    impl RsaSigner {
        /// Prepares the signing key (parsed once; sign any number of requests).
        pub fn new(key: &PrivateKey) -> Result<Self> {
            let inner = rsa_ct::PrivateKey::from_pkcs8_der(key.pkcs8_der()).map_err(|_| {
                Error::InvalidPrivateKey {
                    reason: "the RSA key is inconsistent (its primes do not match its modulus)"
                        .into(),
                }
            })?;
            Ok(RsaSigner {
                key: SigningKey::<Sha256>::new(inner),
            })
        }
    }

    impl Signer for RsaSigner {
        fn sign_rsa2(&self, message: &[u8]) -> Result<Vec<u8>> {
            self.key
                .try_sign(message)
                .map(|s| s.to_vec())
                .map_err(|_| Error::InvalidPrivateKey {
                    reason: "the RSA signing operation failed".into(),
                })
        }
    }
}
