#![no_main]
//! Fuzz target `verify_options`: see `alipay_notify_fuzz::verify_options` (fuzz/src/lib.rs).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| alipay_notify_fuzz::verify_options(data));
