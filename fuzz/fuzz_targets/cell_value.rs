//! Any text read as a form cell (指标值, 完成值) gives a parsed value, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let value = jixiao::domain::value::parse_cell(text);
    assert_eq!(value.raw, text);
});
