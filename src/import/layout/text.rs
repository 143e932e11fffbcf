//! Reading captions: the year, the currency unit, and points written into indicator names.

use rust_decimal::Decimal;

/// The year in `（2020年度）` or `2020年度部门整体支出绩效自评表`.
pub(super) fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年' && w[..4].iter().all(char::is_ascii_digit))
            .then(|| digits.parse().ok())
            .flatten()
            .filter(|y| (1990..=2100).contains(y))
    })
}

/// `万元` or `元` from `部门资金（万元）`, `单位：元`, `金额单位：万元`.
pub(super) fn currency_in(text: &str) -> Option<&'static str> {
    if text.contains("万元") {
        Some("万元")
    } else if text.contains('元') {
        Some("元")
    } else {
        None
    }
}

/// `产出指标（50分）`, `产出指标(50分)`, `产出指标 50分` → (`产出指标`, `50`).
pub(super) fn split_points(label: &str) -> (String, Option<String>) {
    let trimmed = label.trim();
    for (open, close) in [('（', "分）"), ('(', "分)")] {
        if let Some(before) = trimmed.strip_suffix(close) {
            if let Some((name, points)) = before.rsplit_once(open) {
                if points.trim().parse::<Decimal>().is_ok() {
                    return (name.trim().to_owned(), Some(points.trim().to_owned()));
                }
            }
        }
    }
    if let Some(before) = trimmed.strip_suffix('分') {
        let digits: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let name = before[..before.len() - digits.len()].trim();
        if !digits.is_empty() && !name.is_empty() && digits.parse::<Decimal>().is_ok() {
            return (name.to_owned(), Some(digits));
        }
    }
    (trimmed.to_owned(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_in_labels_become_weights() {
        assert_eq!(
            split_points("产出指标（50分）"),
            ("产出指标".into(), Some("50".into()))
        );
        assert_eq!(
            split_points("产出指标(50分)"),
            ("产出指标".into(), Some("50".into()))
        );
        assert_eq!(
            split_points("效益指标 30分"),
            ("效益指标".into(), Some("30".into()))
        );
        assert_eq!(split_points("满意度指标"), ("满意度指标".into(), None));
        assert_eq!(split_points("得分"), ("得分".into(), None));
    }

    #[test]
    fn the_year_and_the_currency_are_read_from_their_captions() {
        assert_eq!(year_in("（2020年度）"), Some(2020));
        assert_eq!(year_in("2022年度项目支出绩效自评表"), Some(2022));
        assert_eq!(year_in("填报时间：2021年7月13日"), Some(2021));
        assert_eq!(year_in("部门整体支出绩效自评表"), None);
        assert_eq!(currency_in("部门资金（万元）"), Some("万元"));
        assert_eq!(currency_in("单位：元"), Some("元"));
    }
}
