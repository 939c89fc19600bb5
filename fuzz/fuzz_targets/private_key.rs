#![no_main]
//! Fuzz target `private_key`: see `alipay_notify_fuzz::private_key` (fuzz/src/lib.rs).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| alipay_notify_fuzz::private_key(data));
