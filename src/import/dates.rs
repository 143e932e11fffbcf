//! Dates in number cells. Excel stores a date as a serial number of days and shows it through a
//! date format; the reader shows such a cell as ISO text (`2021-07-13`, with ` 12:00:00` when
//! the format shows a time), since the form's date fields (填报时间) are text.

use chrono::{Days, NaiveDate};
use rust_decimal::prelude::ToPrimitive as _;
use rust_decimal::{Decimal, RoundingStrategy};

/// What a date or time format shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateParts {
    /// A year, month or day.
    pub date: bool,
    /// An hour, minute or second.
    pub time: bool,
}

/// The date and time parts a format code shows, `None` for a format that shows no date or time
/// (`0.00`, `General`, `"days"` in quotes). Quoted text, `\`-escaped characters, `_`/`*` fill
/// characters and bracketed colours or locales (`[Red]`, `[$-804]`, `[DBNum1]`) are not parts.
#[must_use]
pub fn date_parts(format: &str) -> Option<DateParts> {
    let section = format.split(';').next().unwrap_or_default();
    if section.eq_ignore_ascii_case("general") {
        return None;
    }
    let (mut year_or_day, mut month_or_minute, mut time) = (false, false, false);
    let mut chars = section.chars();
    while let Some(c) = chars.next() {
        match c.to_ascii_lowercase() {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let inside: String = chars.by_ref().take_while(|&b| b != ']').collect();
                // Elapsed time, `[h]:mm:ss`, is the one bracket that shows a part.
                let inside = inside.to_ascii_lowercase();
                if !inside.is_empty() && inside.chars().all(|b| matches!(b, 'h' | 'm' | 's')) {
                    time = true;
                }
            }
            'y' | 'd' => year_or_day = true,
            'm' => month_or_minute = true,
            'h' | 's' => time = true,
            _ => {}
        }
    }
    // `m` is a month beside a year or day, or alone; next to hours or seconds it is minutes.
    let date = year_or_day || (month_or_minute && !time);
    (date || time).then_some(DateParts { date, time })
}

/// The serial number as ISO text, `None` where Excel itself would show no date (a negative
/// serial, day 0 under a date format, or beyond 9999-12-31).
#[must_use]
pub fn serial_to_text(serial: Decimal, parts: DateParts, date1904: bool) -> Option<String> {
    if serial.is_sign_negative() && !serial.is_zero() {
        return None;
    }
    let mut days = serial.trunc().to_u64()?;
    let fraction = serial - serial.trunc();
    let mut seconds = (fraction * Decimal::from(86_400))
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_u64()?;
    if seconds >= 86_400 {
        days += 1;
        seconds -= 86_400;
    }
    let time = format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    );
    if !parts.date {
        return Some(time);
    }
    let date = date_of(days, date1904)?;
    Some(if parts.time {
        format!("{date} {time}")
    } else {
        date
    })
}

/// Day `days` of the workbook's calendar, as `YYYY-MM-DD`.
fn date_of(days: u64, date1904: bool) -> Option<String> {
    const LAST_SERIAL: u64 = 2_958_465; // 9999-12-31
    if days > LAST_SERIAL {
        return None;
    }
    let (epoch, offset) = if date1904 {
        ((1904, 1, 1), days)
    } else {
        match days {
            0 => return None,
            // Excel keeps Lotus 1-2-3's 29 February 1900, a day that never was.
            60 => return Some("1900-02-29".to_owned()),
            1..60 => ((1899, 12, 31), days),
            _ => ((1899, 12, 30), days),
        }
    };
    let (y, m, d) = epoch;
    let date = NaiveDate::from_ymd_opt(y, m, d)?.checked_add_days(Days::new(offset))?;
    Some(date.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(date: bool, time: bool) -> Option<DateParts> {
        Some(DateParts { date, time })
    }

    #[test]
    fn date_formats_are_told_from_number_formats() {
        assert_eq!(date_parts("yyyy-mm-dd"), parts(true, false));
        assert_eq!(date_parts("yyyy\"年\"m\"月\"d\"日\""), parts(true, false));
        assert_eq!(date_parts("[$-804]yyyy\"年\"m\"月\""), parts(true, false));
        assert_eq!(date_parts("mmm-yy"), parts(true, false));
        assert_eq!(date_parts("m/d/yy h:mm"), parts(true, true));
        assert_eq!(date_parts("h:mm AM/PM"), parts(false, true));
        assert_eq!(date_parts("mm:ss"), parts(false, true));
        assert_eq!(date_parts("[h]:mm:ss"), parts(false, true));
        for number in [
            "General",
            "0.00",
            "#,##0.00;[Red]-#,##0.00",
            "0.00 \"days\"",
            "0.00E+00",
            "_(* #,##0_);_(* \\(#,##0\\)",
            "@",
            "[DBNum1][$-804]General",
        ] {
            assert_eq!(date_parts(number), None, "{number}");
        }
    }

    #[test]
    fn serials_are_days_since_excels_epoch() {
        let date = parts(true, false).unwrap();
        let text = |serial: &str| serial_to_text(serial.parse().unwrap(), date, false);
        assert_eq!(text("1").as_deref(), Some("1900-01-01"));
        assert_eq!(text("59").as_deref(), Some("1900-02-28"));
        assert_eq!(text("60").as_deref(), Some("1900-02-29"));
        assert_eq!(text("61").as_deref(), Some("1900-03-01"));
        assert_eq!(text("44390").as_deref(), Some("2021-07-13"));
        assert_eq!(text("2958465").as_deref(), Some("9999-12-31"));
        assert_eq!(text("2958466"), None);
        assert_eq!(text("0"), None);
        assert_eq!(text("-1"), None);
        assert_eq!(
            serial_to_text("0".parse().unwrap(), date, true).as_deref(),
            Some("1904-01-01")
        );
    }

    #[test]
    fn times_round_to_the_second() {
        let both = parts(true, true).unwrap();
        let time = parts(false, true).unwrap();
        let at = |serial: &str, parts| serial_to_text(serial.parse().unwrap(), parts, false);
        assert_eq!(at("44390.5", both).as_deref(), Some("2021-07-13 12:00:00"));
        assert_eq!(at("0.99999999", time).as_deref(), Some("00:00:00"));
        assert_eq!(at("0.25", time).as_deref(), Some("06:00:00"));
    }
}
