#![no_main]
//! Fuzz target `inspect_request`: see `alipay_notify_fuzz::request` (fuzz/src/lib.rs).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| alipay_notify_fuzz::request(data));
