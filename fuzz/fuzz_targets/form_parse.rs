#![no_main]
//! Fuzz target `form_parse`: see `alipay_notify_fuzz::form_parse` (fuzz/src/lib.rs).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| alipay_notify_fuzz::form_parse(data));
