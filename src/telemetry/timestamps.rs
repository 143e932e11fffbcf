//! The time at the head of each log line, as tracing-subscriber writes it by default (RFC 3339
//! in UTC, to the microsecond: `2026-12-02T01:14:05.123456Z`), with the date and time of day
//! worked out once a second on each thread rather than for every line.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::FormatTime;

/// The log's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timestamps;

/// The second last written on this thread, and its text up to the seconds.
struct Second {
    at: u64,
    text: String,
}

impl FormatTime for Timestamps {
    fn format_time(&self, w: &mut Writer<'_>) -> fmt::Result {
        thread_local! {
            static SECOND: RefCell<Second> = const {
                RefCell::new(Second { at: u64::MAX, text: String::new() })
            };
        }
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let seconds = since_epoch.as_secs();
        SECOND.with_borrow_mut(|second| {
            if second.at != seconds {
                second.at = seconds;
                second.text.clear();
                write_second(&mut second.text, seconds)?;
            }
            w.write_str(&second.text)
        })?;
        write_fraction(w, since_epoch.subsec_micros())
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of `seconds` after the epoch, in UTC.
fn write_second(out: &mut String, seconds: u64) -> fmt::Result {
    let at = i64::try_from(seconds)
        .ok()
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .unwrap_or_default();
    write!(out, "{}", at.format("%Y-%m-%dT%H:%M:%S"))
}

/// `.ffffffZ`: the microseconds, six digits, and the zone.
fn write_fraction(w: &mut impl fmt::Write, micros: u32) -> fmt::Result {
    let mut text = *b".000000Z";
    let mut rest = micros.min(999_999);
    for digit in text[1..7].iter_mut().rev() {
        *digit = b'0' + u8::try_from(rest % 10).unwrap_or_default();
        rest /= 10;
    }
    w.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(seconds: u64, micros: u32) -> String {
        let mut text = String::new();
        write_second(&mut text, seconds).unwrap();
        write_fraction(&mut text, micros).unwrap();
        text
    }

    #[test]
    fn a_time_is_written_as_rfc_3339_in_utc_to_the_microsecond() {
        assert_eq!(written(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(written(1_764_637_445, 7), "2025-12-02T01:04:05.000007Z");
        assert_eq!(
            written(1_764_637_445, 999_999),
            "2025-12-02T01:04:05.999999Z"
        );
    }

    #[test]
    fn the_clock_writes_the_time_it_is() {
        let mut text = String::new();
        let before = chrono::Utc::now();
        Timestamps.format_time(&mut Writer::new(&mut text)).unwrap();
        let after = chrono::Utc::now();
        let read = chrono::DateTime::parse_from_rfc3339(&text).unwrap();
        assert_eq!(text.len(), "2026-12-02T01:14:05.123456Z".len());
        assert!(before.timestamp_micros() <= read.timestamp_micros());
        assert!(read.timestamp_micros() <= after.timestamp_micros());
    }
}
