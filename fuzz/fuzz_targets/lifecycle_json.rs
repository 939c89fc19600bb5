#![no_main]
//! Fuzz target `lifecycle_json`: see `alipay_notify_fuzz::lifecycle_json` (fuzz/src/lib.rs).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| alipay_notify_fuzz::lifecycle_json(data));
