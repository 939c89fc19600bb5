#![no_main]
//! Fuzz target `public_key`: see `alipay_notify_fuzz::public_key` (fuzz/src/lib.rs).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| alipay_notify_fuzz::public_key(data));
