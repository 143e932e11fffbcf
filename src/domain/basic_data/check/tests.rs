use serde_json::json;

use super::*;
use crate::domain::basic_data::BasicData;

fn data(value: serde_json::Value) -> BasicData {
    serde_json::from_value(value).unwrap()
}

/// The seed's 经费控制情况 in 万元, or the same figures in 元.
fn seed(yuan: bool) -> serde_json::Value {
    let f = |wan: &str| {
        if yuan {
            let value = Decimal::from_str_exact(wan).unwrap() * Decimal::from(10_000);
            value.normalize().to_string()
        } else {
            wan.to_owned()
        }
    };
    json!({
        "currency_unit": if yuan { "元" } else { "万元" },
        "staffing": {"authorized": "21", "actual": "21", "declared_control_rate": "100"},
        "spending": [
            {"name": "一、部门基本支出", "actual": f("239.31"), "budget": f("144.22"), "last_year_actual": f("177.56")},
            {"name": "其中：1、压缩一般性支出", "parent": 0},
            {"name": "2、三公经费", "parent": 0, "actual": f("2.87"), "budget": f("4.27"), "last_year_actual": f("16.99")},
            {"name": "公务用车购置和维护经费", "parent": 2, "actual": f("1.81"), "budget": f("2.31"), "last_year_actual": f("15.81")},
            {"name": "其中：公车购置", "parent": 3, "actual": "0", "budget": "0", "last_year_actual": f("13.80")},
            {"name": "公车运行维护", "parent": 3, "actual": f("1.81"), "budget": f("2.31"), "last_year_actual": f("2.01")},
            {"name": "公务接待", "parent": 2, "actual": f("1.06"), "budget": f("1.96"), "last_year_actual": f("1.18")},
            {"name": "出国经费", "parent": 2, "actual": "0", "budget": "0", "last_year_actual": "0"},
            {"name": "二、部门项目支出"},
            {"name": "1、业务工作专项(一个项目一行)", "parent": 8}
        ]
    })
}

fn run(value: serde_json::Value) -> (BasicDataResult, Vec<Finding>) {
    let mut findings = Vec::new();
    let result = check_basic_data(&data(value), &mut findings);
    (result, findings)
}

fn codes(findings: &[Finding]) -> Vec<(&'static str, &str)> {
    findings
        .iter()
        .map(|f| (f.code.as_str(), f.path.as_str()))
        .collect()
}

#[test]
fn the_seed_sums_hold_and_only_the_budget_overrun_is_reported_in_both_units() {
    for yuan in [false, true] {
        let (result, findings) = run(seed(yuan));
        assert_eq!(
            codes(&findings),
            [(
                "basic_spending_over_budget",
                "/basic_data/spending/0/actual"
            )],
            "元: {yuan}"
        );
        assert_eq!(findings[0].severity, Severity::Info);
        assert_eq!(result.control_rate.unwrap().to_string(), "100.00");
        let three = &result.rows[2];
        let last_year = three.against_last_year.as_ref().unwrap();
        let scale = if yuan { "-141200" } else { "-14.12" };
        assert_eq!(
            last_year.amount.get().normalize().to_string(),
            scale,
            "元: {yuan}"
        );
        assert_eq!(last_year.percent.unwrap().to_string(), "-83.11");
        let reception = result.rows[6].against_last_year.as_ref().unwrap();
        assert_eq!(reception.percent.unwrap().to_string(), "-10.17");
        let budget = result.rows[0].against_budget.as_ref().unwrap();
        assert_eq!(budget.percent.unwrap().to_string(), "65.93");
        assert!(result.rows[1].against_budget.is_none());
    }
}

#[test]
fn parts_of_the_three_public_expenses_must_sum_exactly() {
    let mut value = seed(false);
    // 公务接待 1.07: 1.81 + 1.07 + 0 = 2.88, one cent off 2.87.
    value["spending"][6]["actual"] = json!("1.07");
    // 公车运行维护 1.80 last year would leave 13.80 + 2.00 ≠ 15.81.
    value["spending"][5]["last_year_actual"] = json!("2.00");
    let (_, findings) = run(value);
    let sums: Vec<_> = codes(&findings)
        .into_iter()
        .filter(|(code, _)| *code == "basic_data_does_not_sum")
        .collect();
    assert_eq!(
        sums,
        [
            ("basic_data_does_not_sum", "/basic_data/spending/2/actual"),
            (
                "basic_data_does_not_sum",
                "/basic_data/spending/3/last_year_actual"
            ),
        ]
    );
    let first = findings
        .iter()
        .find(|f| f.code == FindingCode::BasicDataDoesNotSum)
        .unwrap();
    assert_eq!(first.expected.as_deref(), Some("2.87"));
    assert_eq!(first.actual.as_deref(), Some("2.88"));
    assert!(
        first
            .message
            .to_string()
            .contains("1.81 + 1.07 + 0 = 2.88 万元"),
        "{}",
        first.message
    );
}

#[test]
fn in_yuan_a_one_yuan_gap_is_reported_too() {
    let mut value = seed(true);
    value["spending"][2]["actual"] = json!("28701");
    let (_, findings) = run(value);
    assert!(
        codes(&findings).contains(&("basic_data_does_not_sum", "/basic_data/spending/2/actual"))
    );
}

#[test]
fn other_parts_may_not_exceed_their_parent() {
    let mut value = seed(false);
    value["spending"][1]["actual"] = json!("240");
    value["spending"][8]["actual"] = json!("10");
    value["spending"][9]["actual"] = json!("10");
    let (_, findings) = run(value);
    let parts: Vec<_> = codes(&findings)
        .into_iter()
        .filter(|(code, _)| *code == "basic_data_part_exceeds_parent")
        .collect();
    assert_eq!(
        parts,
        [(
            "basic_data_part_exceeds_parent",
            "/basic_data/spending/1/actual"
        )]
    );
}

#[test]
fn the_control_rate_is_rounded_half_up_and_compared_at_the_printed_places() {
    for (authorized, actual, declared, rate, differs) in [
        ("21", "21", "100", "100.00", false),
        ("21", "20", "95.24", "95.24", false),
        ("21", "20", "95.2", "95.24", false),
        ("21", "20", "95", "95.24", false),
        ("21", "20", "95.3", "95.24", true),
        ("8", "7", "87.5", "87.50", false),
        // 1 ÷ 8 = 12.5 %: 12.5 → 13 when printed without decimals.
        ("8", "1", "13", "12.50", false),
        ("8", "1", "12", "12.50", true),
        ("20", "22", "100", "110.00", true),
    ] {
        let (result, findings) = run(json!({
            "staffing": {"authorized": authorized, "actual": actual, "declared_control_rate": declared}
        }));
        assert_eq!(
            result.control_rate.unwrap().to_string(),
            rate,
            "{actual}/{authorized}"
        );
        let reported = findings
            .iter()
            .any(|f| f.code == FindingCode::ControlRateDiffers);
        assert_eq!(
            reported, differs,
            "{actual}/{authorized} printed {declared}"
        );
    }
    let (result, _) = run(json!({"staffing": {"authorized": "0", "actual": "3"}}));
    assert!(result.control_rate.is_none());
}

#[test]
fn three_public_expenses_that_grew_are_reported() {
    let mut value = seed(false);
    value["spending"][2]["last_year_actual"] = json!("2.00");
    value["spending"][3]["last_year_actual"] = json!("0.94");
    value["spending"][4]["last_year_actual"] = json!("0");
    value["spending"][5]["last_year_actual"] = json!("0.94");
    value["spending"][6]["last_year_actual"] = json!("1.06");
    let (_, findings) = run(value);
    let grew = findings
        .iter()
        .find(|f| f.code == FindingCode::ThreePublicExpensesGrew)
        .unwrap();
    assert_eq!(grew.path, "/basic_data/spending/2/actual");
    assert!(
        grew.message
            .to_string()
            .contains("增加 0.87 万元，增长 43.50%"),
        "{}",
        grew.message
    );
    assert_eq!(FindingCounts::of(&findings).warning, 1);
}

use crate::domain::scoring::findings::FindingCounts;
