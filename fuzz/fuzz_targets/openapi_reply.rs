#![no_main]
//! Fuzz target `openapi_reply`: see `alipay_notify_fuzz::openapi_reply` (fuzz/src/lib.rs).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| alipay_notify_fuzz::openapi_reply(data));
