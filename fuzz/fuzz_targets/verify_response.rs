#![no_main]
//! Fuzz target `verify_response`: see `alipay_notify_fuzz::response` (fuzz/src/lib.rs).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| alipay_notify_fuzz::response(data));
