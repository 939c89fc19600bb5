#![no_main]
//! Fuzz target `parse`: see `alipay_notify_fuzz::parse_notification` (fuzz/src/lib.rs).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| alipay_notify_fuzz::parse_notification(data));
