//! What the caller configured and the policy applied to it: [`PublicKey`] (a bare key or
//! Alipay's certificate with its chain) and the checks around it — the chain to the configured
//! root, the certificate SN a message names, the identity of an Alipay certificate.

pub(crate) mod policy;
pub(crate) mod public_key;

pub use policy::check_key_chain;
pub use public_key::PublicKey;
// Used by the JS bindings (wasm32): keys given as bytes, the client's own-key check.
#[cfg_attr(not(target_arch = "wasm32"), allow(unused_imports))]
pub(crate) use public_key::key_text;
#[cfg_attr(
    any(not(target_arch = "wasm32"), alipay_notify_verify_only),
    allow(unused_imports)
)]
pub(crate) use public_key::own_key_error;
