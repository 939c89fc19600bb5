//! X.509 certificates as Alipay uses them (公钥证书模式): reading, names, Alipay's SNs, chains
//! to a root bundle. Issuers are checked from their SubjectPublicKeyInfo bytes through
//! [`crate::crypto`]; nothing here knows how a key is configured.

pub(crate) mod certificate;

pub use certificate::{
    check_alipay_certificate, get_cert_sn, get_root_cert_sn, verify_cert_chain, MAX_CERT_TEXT_BYTES,
};
