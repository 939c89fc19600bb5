//! Bytes and text: the strict form parser, charsets (UTF-8, GBK), base64 with named policies,
//! Beijing time. The lowest layer above [`crate::Error`]: it knows nothing of keys or signatures.

pub(crate) mod base64;
pub(crate) mod charset;
pub(crate) mod form;
pub(crate) mod gbk;
mod gbk_table;
pub(crate) mod hex;
pub(crate) mod time;

pub use charset::Charset;
pub use form::{Form, Param, MAX_BODY_BYTES, MAX_NAME_BYTES, MAX_PARAMS, MAX_VALUE_BYTES};
pub use time::{beijing_to_epoch_ms, epoch_ms_to_beijing};
