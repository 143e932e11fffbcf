//! Qualitative leaves: which tier the actual implies, and where the score may lie in it.

use rust_decimal::Decimal;

use crate::domain::decimal::{hundredth, write_plain};
use crate::domain::messages::TierReason;
use crate::domain::ruleset::TierCode;
use crate::domain::value::{ParsedValue, ValueKind};

/// Phrases that say a target was not met. Read first, since `未完成` contains `完成`.
const NOT_ACHIEVED: &[&str] = &[
    "未达成",
    "未完成",
    "未达到",
    "未实现",
    "没有完成",
    "没有达到",
    "未按时",
    "未达标",
    "不达标",
    "未公开",
    "滞后",
    "未能",
    "没能",
    "不能",
    "未按期",
    "未如期",
    "未按计划",
    "延期",
    "推迟",
    "逾期",
];
/// Phrases that say a target was partly met. Read before the achieved ones (`基本完成`).
const PARTIAL: &[&str] = &[
    "部分达成",
    "部分完成",
    "部分实现",
    "部分达到",
    "基本达成",
    "基本完成",
    "基本实现",
    "基本达到",
    "基本达标",
    "未全部",
    "大部分",
    "有待",
];
/// Phrases that say a target was met.
const ACHIEVED: &[&str] = &[
    "达成预期",
    "全部达成",
    "全部完成",
    "完成",
    "达成",
    "达到",
    "实现",
    "达标",
    "已公开",
    "已落实",
    "落实到位",
    "未突破",
    "没有突破",
];
/// Whole-cell answers too short to search for inside longer text.
const ACHIEVED_EXACT: &[&str] = &["是", "已", "有", "好", "良好", "优", "优秀"];
const NOT_ACHIEVED_EXACT: &[&str] = &["否", "无", "没有", "差"];

/// The text of a cell for comparing words: its folded text (see
/// [`normalize`](crate::domain::value::normalize)) without
/// trailing punctuation (`有所提升。`).
fn comparable(folded: &str) -> &str {
    folded.trim_end_matches(|c: char| {
        c.is_ascii_punctuation()
            || matches!(c, '。' | '，' | '、' | '；' | '：' | '！' | '？' | '…')
    })
}

/// Why a tier was chosen, for the explanation.
pub(super) struct TierReading {
    pub tier: TierCode,
    pub reason: TierReason,
}

/// The tier the actual implies: met when it repeats the target or says so in words.
#[cfg(test)]
pub(super) fn tier_from_actual(target: &ParsedValue, actual: &ParsedValue) -> Option<TierReading> {
    let folded = |cell: &ParsedValue| crate::domain::value::normalize(&cell.raw);
    tier_from_folded(target, actual, &folded(target), &folded(actual))
}

/// The tier the actual implies, for cells whose folded text
/// ([`normalize`](crate::domain::value::normalize)) is at hand: met when the actual repeats the
/// target or says so in words.
pub(super) fn tier_from_folded(
    target: &ParsedValue,
    actual: &ParsedValue,
    target_folded: &str,
    actual_folded: &str,
) -> Option<TierReading> {
    if actual.kind == ValueKind::Empty {
        return None;
    }
    let actual_text = comparable(actual_folded);
    if target.kind != ValueKind::Empty && actual_text == comparable(target_folded) {
        return Some(TierReading {
            tier: TierCode::Achieved,
            reason: TierReason::RepeatsTarget,
        });
    }
    let said = |tier: TierCode, phrase: &str| TierReading {
        tier,
        reason: TierReason::Says(phrase.to_owned()),
    };
    if let Some(p) = NOT_ACHIEVED_EXACT.iter().find(|p| actual_text == **p) {
        return Some(said(TierCode::NotAchieved, p));
    }
    if let Some(p) = ACHIEVED_EXACT.iter().find(|p| actual_text == **p) {
        return Some(said(TierCode::Achieved, p));
    }
    for (phrases, tier) in [
        (NOT_ACHIEVED, TierCode::NotAchieved),
        (PARTIAL, TierCode::Partial),
        (ACHIEVED, TierCode::Achieved),
    ] {
        if let Some(p) = phrases.iter().find(|p| actual_text.contains(**p)) {
            return Some(said(tier, p));
        }
    }
    None
}

/// The scores a tier allows: `[weight × min %, weight × max %)`, closed at the top for the
/// tier that reaches 100 %, since the next tier begins where this one ends.
pub(super) struct Band {
    pub low: Decimal,
    pub high: Decimal,
    pub closed: bool,
}

/// The smallest step a score is shown in; the highest score below an open edge is one step under it.
const STEP: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

impl Band {
    pub(super) fn of(weight: Decimal, min_percent: Decimal, max_percent: Decimal) -> Self {
        Self {
            low: hundredth(weight * min_percent),
            high: hundredth(weight * max_percent),
            closed: max_percent >= Decimal::ONE_HUNDRED,
        }
    }

    pub(super) fn contains(&self, score: Decimal) -> bool {
        score >= self.low && (score < self.high || (self.closed && score == self.high))
    }

    /// The highest score in the band, shown to two places.
    pub(super) fn top(&self) -> Decimal {
        if self.closed {
            self.high
        } else {
            (self.high - STEP).max(self.low)
        }
    }

    /// `[8, 10]` or `[6, 8)`.
    pub(super) fn notation(&self) -> String {
        // As `plain` shows each edge, written into one string.
        let mut text = String::with_capacity(16);
        text.push('[');
        write_plain(&mut text, self.low);
        text.push_str(", ");
        write_plain(&mut text, self.high);
        text.push(if self.closed { ']' } else { ')' });
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::value::parse_cell;

    fn tier(target: &str, actual: &str) -> Option<TierCode> {
        tier_from_actual(&parse_cell(target), &parse_cell(actual)).map(|r| r.tier)
    }

    #[test]
    fn words_are_compared_without_trailing_punctuation() {
        for mark in "。，、；：！？…!.,;:?".chars() {
            assert_eq!(
                comparable(&format!("有所提升{mark}{mark}")),
                "有所提升",
                "{mark}"
            );
        }
        assert_eq!(comparable("有所提升）"), "有所提升）");
        assert_eq!(comparable("。有所提升"), "。有所提升");
    }

    #[test]
    fn a_band_is_written_with_its_edges_as_on_a_form() {
        let percent = |n: i64| Decimal::new(n, 0);
        let band = |weight: Decimal, min: i64, max: i64| {
            Band::of(weight, percent(min), percent(max)).notation()
        };
        assert_eq!(band(Decimal::new(1000, 2), 80, 100), "[8, 10]");
        assert_eq!(band(Decimal::TEN, 60, 80), "[6, 8)");
        assert_eq!(band(Decimal::new(25, 1), 20, 50), "[0.5, 1.25)");
        assert_eq!(band(Decimal::ZERO, 0, 100), "[0, 0]");
    }

    #[test]
    fn reads_tiers_from_actuals() {
        use TierCode::{Achieved, NotAchieved, Partial};
        for (target, actual, expected) in [
            ("有所提升", "有所提升", Some(Achieved)),
            ("不突破预算", "不突破预算", Some(Achieved)),
            ("按时完成", "达成预期指标", Some(Achieved)),
            ("按时完成", "完成", Some(Achieved)),
            ("按时完成", "全部达成", Some(Achieved)),
            ("信息公开", "已公开", Some(Achieved)),
            ("按时完成", "未完成", Some(NotAchieved)),
            ("按时完成", "基本完成", Some(Partial)),
            ("有所提升", "部分达成", Some(Partial)),
            ("合规", "否", Some(NotAchieved)),
            ("合规", "是", Some(Achieved)),
            ("有所提升", "有待加强", Some(Partial)),
            ("有所提升", "有所提升。", Some(Achieved)),
            ("按时完成", "未能完成", Some(NotAchieved)),
            ("按时完成", "未按期完成", Some(NotAchieved)),
            ("按时完成", "不能按时完成", Some(NotAchieved)),
            ("按时完成", "未如期完成", Some(NotAchieved)),
            ("按时完成", "延期完成", Some(NotAchieved)),
            ("按时完成", "推迟完成", Some(NotAchieved)),
            ("按时完成", "未全部完成", Some(Partial)),
            ("不突破预算", "未突破预算", Some(Achieved)),
            ("不突破预算", "没有突破预算", Some(Achieved)),
            ("有所提升", "较好", None),
            ("有所提升", "", None),
            ("有所提升", "—", None),
        ] {
            assert_eq!(tier(target, actual), expected, "{target} → {actual}");
        }
    }
}
