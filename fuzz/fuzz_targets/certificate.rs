#![no_main]
//! Fuzz target `certificate`: see `alipay_notify_fuzz::certificate` (fuzz/src/lib.rs).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| alipay_notify_fuzz::certificate(data));
