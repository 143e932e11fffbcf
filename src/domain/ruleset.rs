//! Rulesets: the published scoring rules of one jurisdiction and period, as data.
//!
//! A ruleset states the expected weights, the qualitative tiers, the grade bands, the
//! over-achievement threshold and the tolerances; `Ruleset::parse` refuses one whose bands or
//! tiers leave gaps or overlap.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::decimal::Dec;
use super::value::{contains_short, normalize, normalized};

/// A set of scoring rules, versioned so that a stored score can name what produced it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ruleset {
    /// Stable identifier, e.g. `hunan-2020`.
    pub id: String,
    /// Increases whenever the rules change; 1 to 2147483647.
    #[schema(minimum = 1, maximum = 2_147_483_647)]
    pub version: u32,
    /// Human-readable name.
    pub name: String,
    /// What the ruleset is for and where it differs from the national default.
    pub description: String,
    /// The documents the rules come from.
    #[serde(default)]
    pub sources: Vec<String>,
    /// The weights a form is expected to use; a form that deviates gets a finding.
    pub weights: ExpectedWeights,
    /// Qualitative tiers from best to worst, in percent of a leaf's weight.
    pub qualitative_tiers: Vec<QualitativeTier>,
    /// Grade bands from best to worst, on the 100-point scale.
    pub grade_bands: Vec<GradeBand>,
    /// Whether a form must state a grade (some systems allow none).
    pub grade_required: bool,
    /// A quantitative leaf whose actual reaches this multiple of its target is flagged as a
    /// possibly too-low target (偏离度); no points are deducted.
    pub over_achievement_ratio: Dec,
    /// An execution rate (percent) below which the form must explain itself.
    pub reason_required_below_rate: Dec,
    /// How many points the indicator score rate may exceed the execution rate before the
    /// results are flagged as out of line with spending.
    pub results_exceed_spending_points: Dec,
    /// How far a declared figure may be from the computed one before it is reported.
    pub tolerances: Tolerances,
}

/// The weights the ruleset expects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectedWeights {
    /// Weight of the budget-execution block.
    pub execution: Dec,
    /// Total weight of all indicators.
    pub indicators: Dec,
    /// Expected level-1 weights; empty where the ruleset sets no split.
    #[serde(default)]
    pub level1: Vec<Level1Expectation>,
    /// How the indicator weight is shared among the leaves of a form printed without weights
    /// when the ruleset sets no level-1 split (`level1` empty): only `equal` applies there.
    #[serde(default)]
    pub share: LeafShare,
}

/// How an expected weight is shared among the leaves of a form printed without weights
/// (no 分值 column): the inferred weights stand in for the missing ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeafShare {
    /// Every leaf gets the same share: the weight divided by the number of leaves, to 2
    /// places, the cents left over added one by one to the first leaves.
    #[default]
    Equal,
    /// Each level-2 indicator gets the weight the ruleset's `level2` list gives it, shared
    /// equally by its leaves.
    Level2,
}

impl LeafShare {
    /// The machine name used in findings.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equal => "equal",
            Self::Level2 => "level2",
        }
    }
}

/// The expected weight of a level-2 indicator, where a ruleset shares a level-1 weight by
/// level-2 indicators (`share: level2`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Level2Expectation {
    /// How the expectation is named in findings (`数量指标`).
    pub label: String,
    /// A level-2 indicator belongs here when its name contains one of these words.
    pub matches: Vec<String>,
    /// The expected weight of the matching level-2 indicators together.
    pub weight: Dec,
}

impl Level2Expectation {
    /// Whether a level-2 indicator of this name belongs to the expectation.
    #[must_use]
    pub fn matches_name(&self, name: &str) -> bool {
        let name = normalized(name);
        self.matches.iter().any(|word| contains_short(&name, word))
    }
}

/// The expected weight of one level-1 indicator, or of several taken together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Level1Expectation {
    /// How the expectation is named in findings (`产出指标`).
    pub label: String,
    /// A level-1 indicator belongs here when its name contains one of these words.
    pub matches: Vec<String>,
    /// The expected weight of the matching indicators together.
    pub weight: Dec,
    /// How the weight is shared among the leaves of a form printed without weights: `equal`
    /// (the default) or by the `level2` weights.
    #[serde(default)]
    pub share: LeafShare,
    /// The level-2 weights the level-1 weight is shared by, when `share` is `level2`; they
    /// add up to `weight`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub level2: Vec<Level2Expectation>,
}

impl Level1Expectation {
    /// Whether a level-1 indicator of this name belongs to the expectation.
    #[must_use]
    pub fn matches_name(&self, name: &str) -> bool {
        self.matches_normalized(&normalized(name))
    }

    /// [`Self::matches_name`] for a name already [`normalize`]d, for a caller that compares
    /// one name with several expectations.
    #[must_use]
    pub fn matches_normalized(&self, name: &str) -> bool {
        self.matches.iter().any(|word| contains_short(name, word))
    }
}

/// How far a qualitative leaf got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TierCode {
    /// 达成: the target was met.
    Achieved,
    /// 部分达成: partly met.
    Partial,
    /// 未达成: not met.
    NotAchieved,
}

impl TierCode {
    /// The machine name used in results and explanations.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Achieved => "achieved",
            Self::Partial => "partial",
            Self::NotAchieved => "not_achieved",
        }
    }
}

/// A qualitative tier and its band of the weight, in percent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QualitativeTier {
    /// Which tier.
    pub code: TierCode,
    /// Its label (`达成年度指标`).
    pub label: String,
    /// Lowest share of the weight in this tier, percent, inclusive.
    pub min_percent: Dec,
    /// Highest share of the weight, percent; the next tier starts here.
    pub max_percent: Dec,
}

/// Grade codes, from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GradeCode {
    /// 优 / 优秀.
    Excellent,
    /// 良 / 良好.
    Good,
    /// 中 / 较差.
    Fair,
    /// 差.
    Poor,
}

impl GradeCode {
    /// Every grade, best first.
    pub const ALL: [Self; 4] = [Self::Excellent, Self::Good, Self::Fair, Self::Poor];

    /// The machine name used in filters and storage.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Excellent => "excellent",
            Self::Good => "good",
            Self::Fair => "fair",
            Self::Poor => "poor",
        }
    }
}

/// A grade band: totals from `min` (inclusive) up to `max` (exclusive, except the top band,
/// which includes 100).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    /// The grade's code.
    pub code: GradeCode,
    /// The label this ruleset prints (`优秀` or `优`).
    pub label: String,
    /// Other spellings a form may declare for this grade (`优`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Lowest total in the band, inclusive.
    pub min: Dec,
    /// Highest total in the band, exclusive (inclusive for the top band).
    pub max: Dec,
}

/// How close a declared figure must be to the computed one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Tolerances {
    /// For scores and totals, in points.
    pub score: Dec,
    /// For amounts, in the form's currency unit.
    pub amount: Dec,
    /// For printed rates, in percentage points.
    pub rate_points: Dec,
}

/// Why a ruleset file was refused.
#[derive(Debug, thiserror::Error)]
pub enum RulesetError {
    /// The text is not a ruleset document.
    #[error("not a ruleset document: {0}")]
    Format(#[from] serde_json::Error),
    /// The document is well-formed but its rules are not usable.
    #[error("ruleset `{id}` is not usable: {reason}")]
    Invalid {
        /// The ruleset's id.
        id: String,
        /// What is wrong.
        reason: String,
    },
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

impl Ruleset {
    /// Reads a ruleset from its JSON text and checks that it can be applied.
    ///
    /// # Errors
    /// When the JSON is not a ruleset, or its bands or tiers do not cover 0–100 exactly once.
    pub fn parse(json: &str) -> Result<Self, RulesetError> {
        let ruleset: Self = serde_json::from_str(json)?;
        ruleset.check().map_err(|reason| RulesetError::Invalid {
            id: ruleset.id.clone(),
            reason,
        })?;
        Ok(ruleset)
    }

    fn check(&self) -> Result<(), String> {
        if self.version == 0 || i32::try_from(self.version).is_err() {
            return Err("the version must be between 1 and 2147483647".into());
        }
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err("the id must be letters, digits and dashes".into());
        }
        let bands: Vec<_> = self
            .grade_bands
            .iter()
            .map(|b| (b.min.get(), b.max.get()))
            .collect();
        covers_0_to_100(&bands).map_err(|e| format!("grade bands: {e}"))?;
        let tiers: Vec<_> = self
            .qualitative_tiers
            .iter()
            .map(|t| (t.min_percent.get(), t.max_percent.get()))
            .collect();
        covers_0_to_100(&tiers).map_err(|e| format!("qualitative tiers: {e}"))?;
        for code in [TierCode::Achieved, TierCode::Partial, TierCode::NotAchieved] {
            let count = self
                .qualitative_tiers
                .iter()
                .filter(|t| t.code == code)
                .count();
            if count != 1 {
                return Err(format!(
                    "tier `{}` appears {count} times, not once",
                    code.as_str()
                ));
            }
        }
        for (i, band) in self.grade_bands.iter().enumerate() {
            if self.grade_bands[..i].iter().any(|b| b.code == band.code) {
                return Err(format!("grade `{}` appears twice", band.code.as_str()));
            }
        }
        let thresholds = [
            ("over_achievement_ratio", &self.over_achievement_ratio),
            (
                "reason_required_below_rate",
                &self.reason_required_below_rate,
            ),
            (
                "results_exceed_spending_points",
                &self.results_exceed_spending_points,
            ),
            ("tolerances.score", &self.tolerances.score),
            ("tolerances.amount", &self.tolerances.amount),
            ("tolerances.rate_points", &self.tolerances.rate_points),
        ];
        if let Some((name, value)) = thresholds.iter().find(|(_, v)| v.get() < Decimal::ZERO) {
            return Err(format!("{name} is negative ({value})"));
        }
        let weight_sum = self.weights.execution.get() + self.weights.indicators.get();
        if weight_sum != HUNDRED {
            return Err(format!(
                "execution and indicator weights add up to {weight_sum}, not 100"
            ));
        }
        let level1_sum: Decimal = self.weights.level1.iter().map(|l| l.weight.get()).sum();
        if !self.weights.level1.is_empty() && level1_sum != self.weights.indicators.get() {
            return Err(format!(
                "level-1 weights add up to {level1_sum}, not the indicator weight {}",
                self.weights.indicators
            ));
        }
        self.check_shares()
    }

    /// How a form printed without weights gets them must be complete and add up.
    fn check_shares(&self) -> Result<(), String> {
        let weights = &self.weights;
        if weights.execution.get() < Decimal::ZERO || weights.indicators.get() < Decimal::ZERO {
            return Err("the execution and indicator weights must not be negative".into());
        }
        if weights.level1.is_empty() && weights.share != LeafShare::Equal {
            return Err(
                "without level-1 weights the indicator weight can only be shared `equal`".into(),
            );
        }
        for expectation in &weights.level1 {
            if expectation
                .matches
                .iter()
                .all(|word| word.trim().is_empty())
            {
                return Err(format!(
                    "level-1 weight `{}` matches no name",
                    expectation.label
                ));
            }
            if expectation.weight.get() < Decimal::ZERO {
                return Err(format!(
                    "level-1 weight `{}` is negative",
                    expectation.label
                ));
            }
            match expectation.share {
                LeafShare::Equal if !expectation.level2.is_empty() => {
                    return Err(format!(
                        "level-1 weight `{}` lists level-2 weights but shares `equal`",
                        expectation.label
                    ));
                }
                LeafShare::Equal => {}
                LeafShare::Level2 => {
                    if expectation.level2.is_empty() {
                        return Err(format!(
                            "level-1 weight `{}` shares by level 2 but lists no level-2 weights",
                            expectation.label
                        ));
                    }
                    if let Some(level2) = expectation.level2.iter().find(|l2| {
                        l2.weight.get() < Decimal::ZERO
                            || l2.matches.iter().all(|word| word.trim().is_empty())
                    }) {
                        return Err(format!(
                            "level-2 weight `{}` is negative or matches no name",
                            level2.label
                        ));
                    }
                    let sum: Decimal = expectation.level2.iter().map(|l2| l2.weight.get()).sum();
                    if sum != expectation.weight.get() {
                        return Err(format!(
                            "level-2 weights of `{}` add up to {sum}, not {}",
                            expectation.label, expectation.weight
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The band a total falls in.
    #[must_use]
    pub fn grade_of(&self, total: Decimal) -> &GradeBand {
        let top = &self.grade_bands[0];
        if total >= top.min.get() {
            return top;
        }
        self.grade_bands
            .iter()
            .find(|band| total >= band.min.get() && total < band.max.get())
            .unwrap_or_else(|| &self.grade_bands[self.grade_bands.len() - 1])
    }

    /// The band a declared grade names, by label or alias.
    #[must_use]
    pub fn grade_named(&self, declared: &str) -> Option<&GradeBand> {
        let declared = normalize(declared);
        self.grade_bands
            .iter()
            .find(|band| band.label == declared || band.aliases.contains(&declared))
    }

    /// The tier with this code.
    #[must_use]
    pub fn tier(&self, code: TierCode) -> Option<&QualitativeTier> {
        self.qualitative_tiers.iter().find(|t| t.code == code)
    }

    /// The grade legend as printed in the form's footnote.
    #[must_use]
    pub fn grade_legend(&self) -> String {
        let parts: Vec<String> = self
            .grade_bands
            .iter()
            .enumerate()
            .map(|(i, band)| {
                let min = super::decimal::plain(band.min.get());
                let max = super::decimal::plain(band.max.get());
                let range = if i == 0 {
                    format!("S≥{min}")
                } else if band.min.get().is_zero() {
                    format!("S<{max}")
                } else {
                    format!("{max}>S≥{min}")
                };
                format!("{}（{range}）", band.label)
            })
            .collect();
        format!("评价等级分为{}。", parts.join("、"))
    }
}

/// Checks that `[min, max)` intervals, best first, tile 0–100 with no gap and no overlap.
fn covers_0_to_100(bands: &[(Decimal, Decimal)]) -> Result<(), String> {
    let (Some(first), Some(last)) = (bands.first(), bands.last()) else {
        return Err("none given".into());
    };
    if first.1 != HUNDRED {
        return Err(format!("the top band must end at 100, not {}", first.1));
    }
    if !last.0.is_zero() {
        return Err(format!("the bottom band must start at 0, not {}", last.0));
    }
    for (i, (min, max)) in bands.iter().enumerate() {
        if min >= max {
            return Err(format!("band {} is empty ({min} to {max})", i + 1));
        }
        if let Some((_, next_max)) = bands.get(i + 1)
            && next_max != min
        {
            let problem = if next_max < min {
                "a gap"
            } else {
                "an overlap"
            };
            return Err(format!(
                "{problem} between band {} (from {min}) and band {} (to {next_max})",
                i + 1,
                i + 2
            ));
        }
    }
    Ok(())
}

/// The rulesets that ship with jixiao, as (file name, JSON text).
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "national-2020.json",
        include_str!("../../data/rulesets/national-2020.json"),
    ),
    (
        "hunan-2020.json",
        include_str!("../../data/rulesets/hunan-2020.json"),
    ),
    ("hubei.json", include_str!("../../data/rulesets/hubei.json")),
    (
        "district-20-80.json",
        include_str!("../../data/rulesets/district-20-80.json"),
    ),
    (
        "sichuan-2023.json",
        include_str!("../../data/rulesets/sichuan-2023.json"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn built_in(id: &str) -> Ruleset {
        let (_, json) = BUILT_IN
            .iter()
            .find(|(name, _)| name.starts_with(id))
            .unwrap();
        Ruleset::parse(json).unwrap()
    }

    #[test]
    fn every_built_in_ruleset_is_valid() {
        for (name, json) in BUILT_IN {
            let ruleset = Ruleset::parse(json).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(format!("{}.json", ruleset.id), *name);
        }
    }

    #[test]
    fn grade_edges_are_inclusive_below() {
        let r = built_in("national-2020");
        for (total, expected) in [
            ("100", GradeCode::Excellent),
            ("90.00", GradeCode::Excellent),
            ("89.99", GradeCode::Good),
            ("80", GradeCode::Good),
            ("79.99", GradeCode::Fair),
            ("60", GradeCode::Fair),
            ("59.99", GradeCode::Poor),
            ("0", GradeCode::Poor),
        ] {
            assert_eq!(r.grade_of(d(total)).code, expected, "total {total}");
        }
    }

    #[test]
    fn labels_follow_the_ruleset() {
        assert_eq!(built_in("hunan-2020").grade_of(d("92")).label, "优秀");
        assert_eq!(built_in("national-2020").grade_of(d("92")).label, "优");
        assert_eq!(built_in("hunan-2020").grade_of(d("70")).label, "较差");
        assert_eq!(built_in("national-2020").grade_of(d("70")).label, "中");
    }

    #[test]
    fn declared_grades_are_read_by_label_or_alias() {
        let r = built_in("hunan-2020");
        assert_eq!(r.grade_named("优秀").unwrap().code, GradeCode::Excellent);
        assert_eq!(r.grade_named(" 优 ").unwrap().code, GradeCode::Excellent);
        assert_eq!(r.grade_named("良").unwrap().code, GradeCode::Good);
        assert!(r.grade_named("A+").is_none());
    }

    #[test]
    fn the_legend_reads_like_the_seed_footnote() {
        assert_eq!(
            built_in("hunan-2020").grade_legend(),
            "评价等级分为优秀（S≥90）、良好（90>S≥80）、较差（80>S≥60）、差（S<60）。"
        );
    }

    #[test]
    fn refuses_gaps_and_overlaps() {
        assert!(covers_0_to_100(&[(d("90"), d("100")), (d("0"), d("80"))]).is_err());
        assert!(covers_0_to_100(&[(d("80"), d("100")), (d("0"), d("90"))]).is_err());
        assert!(covers_0_to_100(&[(d("0"), d("90"))]).is_err());
        assert!(covers_0_to_100(&[(d("10"), d("100"))]).is_err());
        assert!(covers_0_to_100(&[]).is_err());
        assert!(covers_0_to_100(&[(d("60"), d("100")), (d("0"), d("60"))]).is_ok());
    }

    #[test]
    fn every_built_in_ruleset_says_how_a_form_without_weights_is_weighted() {
        for (name, json) in BUILT_IN {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            let weights = &value["weights"];
            assert_eq!(weights["share"], "equal", "{name}");
            for level1 in weights["level1"].as_array().unwrap() {
                assert_eq!(level1["share"], "equal", "{name}");
            }
        }
    }

    #[test]
    fn refuses_shares_that_cannot_be_applied() {
        let parse = |edit: &dyn Fn(&mut serde_json::Value), name: &str| {
            let (_, json) = BUILT_IN
                .iter()
                .find(|(file, _)| file.starts_with(name))
                .unwrap();
            let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
            edit(&mut value);
            Ruleset::parse(&value.to_string()).map_err(|e| e.to_string())
        };
        let level2 =
            serde_json::json!([{"label": "数量指标", "matches": ["数量"], "weight": "50"}]);
        type Edit = Box<dyn Fn(&mut serde_json::Value)>;
        let cases: Vec<(&str, Edit, &str)> = vec![
            (
                "hunan-2020",
                Box::new(|v| v["weights"]["level1"][0]["share"] = "level2".into()),
                "lists no level-2 weights",
            ),
            (
                "hunan-2020",
                Box::new(move |v| v["weights"]["level1"][0]["level2"] = level2.clone()),
                "shares `equal`",
            ),
            (
                "district-20-80",
                Box::new(|v| v["weights"]["share"] = "level2".into()),
                "without level-1 weights",
            ),
            (
                "hunan-2020",
                Box::new(|v| v["weights"]["level1"][0]["matches"] = serde_json::json!([" "])),
                "matches no name",
            ),
            (
                "hunan-2020",
                Box::new(|v| v["weights"]["level1"][0]["share"] = "by_level3".into()),
                "not a ruleset document",
            ),
        ];
        for (name, edit, says) in &cases {
            let err = parse(edit.as_ref(), name).unwrap_err();
            assert!(err.contains(says), "{says}: {err}");
        }
    }

    #[test]
    fn refuses_a_ruleset_with_broken_bands() {
        let (_, json) = BUILT_IN[0];
        let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
        value["grade_bands"][1]["min"] = "85".into();
        let err = Ruleset::parse(&value.to_string()).unwrap_err();
        assert!(err.to_string().contains("grade bands"), "{err}");
    }
}
