//! Statistics agree with the list they summarize, and cover what the caller may read.

use crate::support::*;

/// Filters as name–value pairs.
type Filters = &'static [(&'static str, &'static str)];

fn query_of(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn stats(app: &TestApp, query: &str) -> Value {
    let reply = app.get(&format!("/api/v1/stats?{query}")).await;
    assert_eq!(reply.status, 200, "?{query}: {}", body_text(&reply));
    reply.json()
}

/// The figures a dashboard checks, computed from list items.
fn figures_of(items: &[&Value]) -> Value {
    let count = |grade: &str| items.iter().filter(|i| i["grade"]["code"] == grade).count();
    let totals: Vec<f64> = items
        .iter()
        .map(|i| {
            i["total"]
                .as_str()
                .expect("a total")
                .parse()
                .expect("a number")
        })
        .collect();
    let findings = |severity: &str| -> u64 {
        items
            .iter()
            .map(|i| i["findings"][severity].as_u64().expect("a count"))
            .sum()
    };
    json!({
        "count": items.len(),
        "grades": { "excellent": count("excellent"), "good": count("good"), "fair": count("fair"), "poor": count("poor") },
        "min": totals.iter().copied().fold(f64::INFINITY, f64::min),
        "max": totals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        "findings": { "error": findings("error"), "warning": findings("warning"), "info": findings("info") },
        "overdue": items.iter().filter(|i| i["overdue"] == true).count(),
    })
}

fn figures_shown(measures: &Value) -> Value {
    let number = |v: &Value| -> f64 { v.as_str().expect("a decimal").parse().expect("a number") };
    json!({
        "count": measures["count"],
        "grades": measures["grades"],
        "min": number(&measures["total"]["min"]),
        "max": number(&measures["total"]["max"]),
        "findings": measures["findings"],
        "overdue": measures["overdue"],
    })
}

#[actix_web::test]
async fn stats_agree_with_the_list_for_the_same_filters_and_groups() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;
    expect_status(&app, id_of(&stored[1]), "submit", None, "submitted").await;
    expect_status(&app, id_of(&stored[1]), "approve", None, "approved").await;
    let cases: [(Filters, &[&str]); 6] = [
        (&[], &[]),
        (&[], &["fiscal_year", "kind", "grade"]),
        (&[("fiscal_year", "2020")], &["unit"]),
        (
            &[("kind", "department"), ("grade", "优秀"), ("grade", "良好")],
            &["grade"],
        ),
        (
            &[("finding", "rule_grade_differs")],
            &["status", "declared_grade"],
        ),
        (&[("q", "财政")], &["fiscal_year", "rule_grade"]),
    ];

    for (filters, group_by) in cases {
        // Act
        let filter = query_of(filters);
        let list = page(&app, &format!("limit=1000&{filter}")).await;
        let grouped = format!("{filter}&group_by={}", group_by.join(","));
        let shown = stats(&app, &grouped).await;

        // Assert
        let items: Vec<&Value> = list["items"].as_array().expect("items").iter().collect();
        assert_eq!(
            figures_shown(&shown["overall"]),
            figures_of(&items),
            "{grouped}"
        );
        let mut from_list: Vec<(Value, Value)> = Vec::new();
        for item in &items {
            let key: Value = group_by
                .iter()
                .map(|d| {
                    let value = match *d {
                        "grade" | "rule_grade" | "declared_grade" => item[*d]["code"].clone(),
                        "unit" => item["unit"]["name"].clone(),
                        _ => item[*d].clone(),
                    };
                    ((*d).to_owned(), value)
                })
                .collect::<serde_json::Map<_, _>>()
                .into();
            if !from_list.iter().any(|(k, _)| *k == key) {
                let members: Vec<&Value> = items
                    .iter()
                    .copied()
                    .filter(|other| {
                        group_by.iter().all(|d| match *d {
                            "grade" | "rule_grade" | "declared_grade" => {
                                other[*d]["code"] == item[*d]["code"]
                            }
                            "unit" => other["unit"] == item["unit"],
                            _ => other[*d] == item[*d],
                        })
                    })
                    .collect();
                from_list.push((key, figures_of(&members)));
            }
        }
        let groups = shown["groups"].as_array().expect("groups");
        if group_by.is_empty() {
            assert!(groups.is_empty(), "{grouped}");
            continue;
        }
        assert_eq!(groups.len(), from_list.len(), "{grouped}: {shown}");
        for group in groups {
            let key: serde_json::Map<String, Value> = group_by
                .iter()
                .map(|d| ((*d).to_owned(), group["key"][*d].clone()))
                .collect();
            let expected = from_list
                .iter()
                .find(|(k, _)| *k == Value::Object(key.clone()))
                .unwrap_or_else(|| panic!("{grouped}: no listed forms for {key:?}"));
            assert_eq!(figures_shown(group), expected.1, "{grouped}: {key:?}");
        }
    }
}

#[actix_web::test]
async fn grade_keys_carry_the_default_rulesets_labels_and_groups_are_sorted() {
    // Arrange
    let app = spawn_app().await;
    store_seven(&app).await;

    // Act
    let shown = stats(&app, "group_by=fiscal_year,grade").await;

    // Assert
    let keys: Vec<(i64, String, String)> = shown["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["key"]["fiscal_year"].as_i64().expect("a year"),
                g["key"]["grade"].as_str().expect("a code").to_owned(),
                g["key"]["grade_label"]
                    .as_str()
                    .expect("a label")
                    .to_owned(),
            )
        })
        .collect();
    let expected: Vec<(i64, String, String)> = [
        (2019, "poor", "差"),
        (2020, "excellent", "优"),
        (2020, "good", "良"),
        (2021, "good", "良"),
        (2021, "fair", "中"),
    ]
    .into_iter()
    .map(|(y, c, l)| (y, c.to_owned(), l.to_owned()))
    .collect();
    assert_eq!(keys, expected, "{shown}");
    assert_eq!(shown["group_by"], json!(["fiscal_year", "grade"]));
    assert_eq!(shown["overall"]["good_or_better_rate"], "71.43");
    // 587.79 / 7 = 83.970…
    assert_eq!(shown["overall"]["total"]["mean"], "83.97");
    assert_eq!(shown["overall"]["declared_vs_rule"]["grade_differs"], 4);
}

#[actix_web::test]
async fn funds_are_summed_in_wan_whatever_the_form_writes_them_in() {
    // Arrange
    let app = spawn_app().await;
    let wan = app.create(&seed()).await;
    let mut in_yuan = form_of("衡阳县教育局", 2020);
    in_yuan["currency_unit"] = json!("元");
    in_yuan["funds"]["annual_budget"] = json!("1000000.50");
    in_yuan["funds"]["executed"] = json!("500000");
    in_yuan["funds"]["breakdown"] = json!([]);
    app.create(&in_yuan).await;

    // Act
    let shown = stats(&app, "").await;

    // Assert
    let budget: rust_decimal::Decimal = wan["funds"]["annual_budget"]
        .as_str()
        .expect("a budget")
        .parse()
        .expect("a decimal");
    let expected = budget + rust_decimal::Decimal::new(10_000_005, 5);
    assert_eq!(
        shown["overall"]["funds"]["annual_budget"]
            .as_str()
            .expect("a sum")
            .parse::<rust_decimal::Decimal>()
            .expect("a decimal"),
        expected,
        "{shown}"
    );
}

#[actix_web::test]
async fn stats_cover_only_the_forms_the_caller_may_read() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;
    expect_status(&app, id_of(&stored[0]), "submit", None, "submitted").await;
    expect_status(&app, id_of(&stored[0]), "approve", None, "approved").await;
    let unit = app.issue("unit", &[FINANCE_CODE]).await;

    // Act
    let anonymous = stats(&app.anonymous(), "").await;
    let as_unit = stats(&app.as_caller(Some(&unit)), "group_by=unit").await;
    let bad = app
        .get("/api/v1/stats?group_by=fiscal_year,kind,grade,status")
        .await;
    let unknown = app.get("/api/v1/stats?group_by=colour").await;

    // Assert
    assert_eq!(anonymous["overall"]["count"], 1, "only the approved form");
    assert_eq!(
        as_unit["overall"]["count"], 4,
        "three own forms and the approved one"
    );
    let units: Vec<&Value> = as_unit["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| &g["key"]["unit"])
        .collect();
    assert_eq!(units, [&json!(SEED_UNIT), &json!(FINANCE)], "{as_unit}");
    assert_problem(&bad, 400, "bad-request", Some("/group_by"));
    assert_problem(&unknown, 400, "bad-request", Some("/group_by"));
}

/// A small deterministic generator (SplitMix64), so a failing set can be rebuilt from its seed.
struct Draws(u64);

impl Draws {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % below
    }
}

fn decimal(value: &Value) -> rust_decimal::Decimal {
    value
        .as_str()
        .unwrap_or_else(|| panic!("a decimal string: {value}"))
        .parse()
        .unwrap_or_else(|e| panic!("{value}: {e}"))
}

fn mean_half_up(sum: rust_decimal::Decimal, count: usize) -> rust_decimal::Decimal {
    (sum / rust_decimal::Decimal::from(count))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

#[actix_web::test]
async fn funds_and_means_agree_with_the_forms_they_cover_for_random_form_sets() {
    use rust_decimal::Decimal;
    let ten_thousand = Decimal::from(10_000);
    for seed in 1..=4_u64 {
        // Arrange: forms in 元 and 万元 with drawn spending, years, statuses and indicators that
        // do not apply, some reviewed.
        let app = spawn_app().await;
        let mut draws = Draws(seed);
        let mut forms = Vec::new();
        for i in 0..10 {
            let year = 2020 + i64::try_from(draws.next(2)).expect("a year");
            let mut form = form_of(&format!("随机单位{seed}-{i}"), year);
            let executed =
                Decimal::new(i64::try_from(10_000 + draws.next(15_448)).expect("fen"), 2);
            let in_yuan = draws.next(2) == 1;
            let (budget, executed) = if in_yuan {
                form["currency_unit"] = json!("元");
                form["funds"]["breakdown"] = json!([]);
                form["funds"]["initial_budget"] = Value::Null;
                (
                    Decimal::new(25_448, 2) * ten_thousand,
                    executed * ten_thousand,
                )
            } else {
                (Decimal::new(25_448, 2), executed)
            };
            if draws.next(4) == 0 {
                // An indicator that does not apply: the total is rescaled without it.
                form["indicators"][0]["children"][0]["children"][1]["method"] =
                    json!("not_applicable");
            }
            form["funds"]["annual_budget"] = json!(budget.to_string());
            form["funds"]["executed"] = json!(executed.to_string());
            let id = id_of(&app.create(&form).await);
            if draws.next(3) == 0 {
                expect_status(&app, id, "submit", None, "submitted").await;
                let score = json!({ "execution": { "score": draws.next(10).to_string(), "reason": "复核" } });
                let reply = app
                    .put_json(&format!("{}/review", evaluation(id)), &score, Some("\"2\""))
                    .await;
                assert_eq!(reply.status, 200, "{}", body_text(&reply));
                expect_status(&app, id, "approve", None, "approved").await;
            }
            let in_wan = if in_yuan { ten_thousand } else { Decimal::ONE };
            forms.push((id, year, budget / in_wan, executed / in_wan));
        }
        let listed = page(&app, "limit=1000").await;

        // Act
        let shown = stats(&app, "group_by=fiscal_year").await;

        // Assert: each year's funds, mean total and reviews, from the forms themselves.
        for group in shown["groups"].as_array().expect("groups") {
            let year = group["key"]["fiscal_year"].as_i64().expect("a year");
            let mine: Vec<_> = forms.iter().filter(|f| f.1 == year).collect();
            let items: Vec<&Value> = listed["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter(|i| i["fiscal_year"] == year)
                .collect();
            let case = format!("seed {seed}, year {year}: {group}");
            assert_eq!(group["count"], mine.len(), "{case}");
            let budget: Decimal = mine.iter().map(|f| f.2).sum();
            let executed: Decimal = mine.iter().map(|f| f.3).sum();
            assert_eq!(decimal(&group["funds"]["annual_budget"]), budget, "{case}");
            assert_eq!(decimal(&group["funds"]["executed"]), executed, "{case}");
            let totals: Decimal = items.iter().map(|i| decimal(&i["total"])).sum();
            assert_eq!(
                decimal(&group["total"]["mean"]),
                mean_half_up(totals, items.len()),
                "{case}"
            );
            let reviewed = items
                .iter()
                .filter(|i| !i["review_grade"].is_null())
                .count();
            assert_eq!(group["review"]["reviewed"], reviewed, "{case}");
        }
    }
}

#[actix_web::test]
async fn stats_asked_again_count_every_change_made_in_between() {
    // Arrange: the same question asked before and after each write.
    let app = spawn_app().await;
    let first = app.create(&form_of("衡阳县教育局", 2020)).await;
    let before = stats(&app, "group_by=fiscal_year").await;
    assert_eq!(before["overall"]["count"], 1, "{before}");

    // Act
    app.create(&form_of("衡阳县卫生健康局", 2020)).await;
    let after_create = stats(&app, "group_by=fiscal_year").await;
    let id = first["id"].as_i64().expect("an id");
    let etag = app.etag(id).await;
    let deleted = app
        .delete(&format!("/api/v1/evaluations/{id}"), Some(&etag))
        .await;
    let after_delete = stats(&app, "group_by=fiscal_year").await;

    // Assert
    assert_eq!(after_create["overall"]["count"], 2, "{after_create}");
    assert_eq!(deleted.status, 204, "{}", body_text(&deleted));
    assert_eq!(after_delete["overall"]["count"], 1, "{after_delete}");
}
