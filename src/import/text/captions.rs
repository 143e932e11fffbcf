//! Captions outside the tables: `填报单位：…`, `填报时间：…`, the year line, `(50分)`.

use rust_decimal::Decimal;

use super::lines::{compact, squeeze};

/// The captions a report prints outside its tables, as `label：value`.
pub(super) const KEYS: [&str; 11] = [
    "填报单位",
    "填报时间",
    "填表人",
    "填报人",
    "联系电话",
    "预算编码",
    "单位负责人签字",
    "部门(单位)名称",
    "评价方式",
    "评价机构",
    "报告日期",
];

/// Every `label：value` in `text`, with the value up to the next caption (`填表人：张三 联系电
/// 话：0838…` holds two). A label may carry a parenthesis (`填报单位（盖章）：`).
pub(super) fn captions(text: &str) -> Vec<(&'static str, String)> {
    let text = compact_parens(text);
    let mut found: Vec<(usize, usize, &'static str)> = Vec::new();
    for key in KEYS {
        let mut from = 0;
        while let Some(at) = text[from..].find(key) {
            let start = from + at;
            let after = &text[start + key.len()..];
            let mut rest = after.trim_start();
            if rest.starts_with(['（', '(']) {
                if let Some(close) = rest.find(['）', ')']).filter(|c| *c <= 30) {
                    let width = rest[close..].chars().next().map_or(1, char::len_utf8);
                    rest = rest[close + width..].trim_start();
                }
            }
            if let Some(colon) = rest.chars().next().filter(|c| matches!(c, ':' | '：')) {
                let value_start = text.len() - rest.len() + colon.len_utf8();
                found.push((start, value_start, key));
            }
            from = start + key.len();
        }
    }
    found.sort_unstable();
    // A shorter key inside a longer one (填报单位 inside nothing, but 单位负责人签字 …) keeps the
    // first match at each place only.
    found.dedup_by_key(|f| f.0);
    let mut out = Vec::new();
    for (i, &(_, value_start, key)) in found.iter().enumerate() {
        let value_end = found.get(i + 1).map_or(text.len(), |f| f.0);
        if value_end < value_start {
            continue;
        }
        out.push((key, squeeze(&text[value_start..value_end])));
    }
    out
}

/// `部门(单位)名称` as printed with spaces or full-width parentheses, made findable.
fn compact_parens(text: &str) -> String {
    text.replace("部门（单位）", "部门(单位)")
        .replace("部门 (单位)", "部门(单位)")
        .replace("部门（单位)", "部门(单位)")
}

/// The year of `(2020 年度)`, `2020年度` or `2021年7月13日`: four digits before `年`.
pub(super) fn year_in(text: &str) -> Option<i32> {
    let text = compact(text);
    let chars: Vec<char> = text.chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年' && w[..4].iter().all(char::is_ascii_digit))
            .then(|| digits.parse().ok())
            .flatten()
            .filter(|y| (1990..=2100).contains(y))
    })
}

/// The date of `2021 年 7 月 11 日`.
pub(super) fn date_in(text: &str) -> Option<chrono::NaiveDate> {
    let text = compact(text);
    let mut numbers = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty() && s.len() <= 4)
        .map(|s| s.parse::<u32>().ok());
    let year = i32::try_from(numbers.next()??).ok()?;
    let month = numbers.next()??;
    let day = numbers.next()??;
    chrono::NaiveDate::from_ymd_opt(year, month, day)
}

/// `万元` or `元` from `部门 资金 (万元)`.
pub(super) fn currency_in(text: &str) -> Option<&'static str> {
    if text.contains("万元") {
        Some("万元")
    } else if text.contains('元') {
        Some("元")
    } else {
        None
    }
}

/// `产出指标 (50分)`, `产出指标（50分）`, `产出指标 50分` → (`产出指标`, `50`).
pub(super) fn split_points(label: &str) -> (String, Option<String>) {
    let label = compact(label);
    for (open, close) in [('（', "分）"), ('(', "分)")] {
        if let Some(before) = label.strip_suffix(close) {
            if let Some((name, points)) = before.rsplit_once(open) {
                if points.parse::<Decimal>().is_ok() {
                    return (name.to_owned(), Some(points.to_owned()));
                }
            }
        }
    }
    if let Some(before) = label.strip_suffix('分') {
        let digits = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .count();
        let (name, points) = before.split_at(before.len() - digits);
        if digits > 0 && !name.is_empty() && points.parse::<Decimal>().is_ok() {
            return (name.to_owned(), Some(points.to_owned()));
        }
    }
    (label, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_are_split_at_each_label() {
        assert_eq!(
            captions("填报单位（盖章）：衡阳县 工伤保险服务中心"),
            vec![("填报单位", "衡阳县工伤保险服务中心".to_owned())]
        );
        assert_eq!(
            captions("填表人：刘永好  联系电话：17769395763"),
            vec![
                ("填表人", "刘永好".to_owned()),
                ("联系电话", "17769395763".to_owned())
            ]
        );
        assert_eq!(
            captions("部门(单位)名称:"),
            vec![("部门(单位)名称", String::new())]
        );
        assert!(captions("填报单位自己决定").is_empty());
    }

    #[test]
    fn years_dates_and_points_are_read_from_captions() {
        assert_eq!(year_in("(2020 年度)"), Some(2020));
        assert_eq!(
            date_in("2021 年 7 月 11 日"),
            chrono::NaiveDate::from_ymd_opt(2021, 7, 11)
        );
        assert_eq!(
            split_points("产出 指标 (50分)"),
            ("产出指标".into(), Some("50".into()))
        );
        assert_eq!(split_points("满意度 指标"), ("满意度指标".into(), None));
    }
}
