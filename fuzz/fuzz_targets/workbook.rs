//! Any bytes posted as a workbook are read as a form or refused, never a panic.
#![no_main]

use jixiao::import::{Limits, read_workbook};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = read_workbook(bytes, &Limits::default());
});
