//! `jixiao dev seed-forms N`: fills a database with generated, varied forms for load
//! measurements, written through the same storage functions as the service so that every
//! summary column, placement and history entry is what a real form would have.

use std::process::ExitCode;
use std::str::FromStr;
use std::time::Instant;

use rusqlite::TransactionBehavior;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::config::{DevArgs, DevCommand, SeedArgs};
use crate::domain::access::Principal;
use crate::domain::document::EvaluationDocument;
use crate::domain::lifecycle::Transition;
use crate::domain::precondition::Expected;
use crate::domain::rulesets::Rulesets;
use crate::domain::sampling::SplitMix64;
use crate::domain::validation::evaluate;
use crate::error::ApiError;
use crate::http::extract::parse_json;
use crate::startup::load_rulesets;
use crate::storage::evaluations::{Submission, insert_in};
use crate::storage::review::transition_in;
use crate::storage::units::{Registration, set_in};
use crate::storage::{Database, StorageError};

/// The form every generated one is varied from.
const TEMPLATE: &str = include_str!("../../data/examples/hengyang-2020-department.json");

/// Six-digit 行政区划 codes of one province (湖南) with their names.
const REGIONS: [(&str, &str); 12] = [
    ("430102", "芙蓉区"),
    ("430103", "天心区"),
    ("430104", "岳麓区"),
    ("430105", "开福区"),
    ("430111", "雨花区"),
    ("430121", "长沙县"),
    ("430181", "浏阳市"),
    ("430182", "宁乡市"),
    ("430421", "衡阳县"),
    ("430422", "衡南县"),
    ("430423", "衡山县"),
    ("430424", "衡东县"),
];

/// Supervising departments (主管部门): budget code and name.
const DEPARTMENTS: [(&str, &str); 20] = [
    ("101", "财政局"),
    ("102", "教育局"),
    ("103", "卫生健康局"),
    ("104", "人力资源和社会保障局"),
    ("105", "农业农村局"),
    ("106", "水利局"),
    ("107", "交通运输局"),
    ("108", "住房和城乡建设局"),
    ("109", "自然资源局"),
    ("110", "生态环境局"),
    ("111", "民政局"),
    ("112", "文化旅游广电局"),
    ("113", "科学技术局"),
    ("114", "公安局"),
    ("115", "司法局"),
    ("116", "市场监督管理局"),
    ("117", "应急管理局"),
    ("118", "林业局"),
    ("119", "商务局"),
    ("120", "医疗保障局"),
];

const PROJECTS: [&str; 8] = [
    "高标准农田建设",
    "义务教育薄弱环节改善",
    "基层医疗卫生服务能力提升",
    "农村公路养护",
    "城镇老旧小区改造",
    "就业创业补助",
    "水毁工程修复",
    "公共文化服务体系建设",
];

const YEARS: i32 = 6;
const FIRST_YEAR: i32 = 2019;

/// Runs a `dev` subcommand.
#[must_use]
pub fn run(args: &DevArgs) -> ExitCode {
    let DevCommand::SeedForms(seed) = &args.command;
    match seed_forms(seed) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("jixiao dev seed-forms: {message}");
            ExitCode::FAILURE
        }
    }
}

fn seed_forms(args: &SeedArgs) -> Result<String, String> {
    let started = Instant::now();
    let rulesets = load_rulesets(&args.rules).map_err(|e| e.to_string())?;
    let template: Value = serde_json::from_str(TEMPLATE).map_err(|e| e.to_string())?;
    let db = Database::open(&args.db).map_err(|e| e.to_string())?;
    let mut conn = db.connection().map_err(|e| e.to_string())?;
    let units = (args.count / 5).max(1);
    let batch = args.batch.max(1);
    let actor = Principal::system();
    let mut rng = SplitMix64::new(args.seed);
    // Codes carry the seed's digits so that runs with different seeds can share a database.
    let prefix = args.seed % 1000;

    let mut registered = 0;
    while registered < units {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        for u in registered..(registered + batch).min(units) {
            set_in(&tx, &registration(prefix, u)).map_err(|e| e.to_string())?;
        }
        tx.commit().map_err(|e| e.to_string())?;
        registered = (registered + batch).min(units);
    }

    let mut counts = [0_u64; 3];
    let mut written = 0;
    while written < args.count {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        for i in written..(written + batch).min(args.count) {
            let form = generate(&template, prefix, i, units, &mut rng);
            let status = store(&tx, &form, &rulesets, &actor, &mut rng)
                .map_err(|e| format!("form {i}: {e}"))?;
            counts[status] += 1;
            if (i + 1) % 10_000 == 0 {
                eprintln!(
                    "{} forms stored ({:.1} s)",
                    i + 1,
                    started.elapsed().as_secs_f64()
                );
            }
        }
        tx.commit().map_err(|e| e.to_string())?;
        written = (written + batch).min(args.count);
    }
    let seconds = started.elapsed().as_secs_f64();
    #[expect(clippy::cast_precision_loss, reason = "a rate printed to one decimal")]
    let rate = args.count as f64 / seconds.max(f64::EPSILON);
    Ok(format!(
        "stored {} forms of {units} units in {seconds:.1} s ({rate:.0} forms/s): \
         draft {}, submitted {}, approved {}",
        args.count, counts[0], counts[1], counts[2]
    ))
}

fn registration(prefix: u64, u: u64) -> Registration {
    let (region, region_name) = REGIONS[index(u, REGIONS.len())];
    let (department, department_name) = DEPARTMENTS[index(u / 12, DEPARTMENTS.len())];
    Registration {
        code: unit_code(prefix, u),
        name: unit_name(prefix, u, region_name, department_name),
        department: Some(format!("{}{department}", &region[..4])),
        region: Some(region.to_owned()),
    }
}

fn unit_code(prefix: u64, u: u64) -> String {
    format!("9{prefix:03}{u:07}")
}

fn unit_name(prefix: u64, u: u64, region: &str, department: &str) -> String {
    format!("{region}{department}所属第{prefix}-{u}单位")
}

fn index(value: u64, len: usize) -> usize {
    usize::try_from(value % len as u64).unwrap_or_default()
}

/// The `i`-th form: of unit `i % units`, its `i / units`-th. A unit's first six forms cover the
/// six years once, and only they may be department forms, so that a unit never has two
/// department forms of a year; later ones are projects with names of their own.
fn generate(template: &Value, prefix: u64, i: u64, units: u64, rng: &mut SplitMix64) -> Value {
    let u = i % units;
    let k = i / units;
    let year = FIRST_YEAR + i32::try_from((k + u) % YEARS as u64).unwrap_or_default();
    let department_form = k < YEARS as u64 && rng.below(5) < 2;
    let mut form = template.clone();
    let (_, region_name) = REGIONS[index(u, REGIONS.len())];
    let (_, department_name) = DEPARTMENTS[index(u / 12, DEPARTMENTS.len())];
    form["fiscal_year"] = year.into();
    form["unit"] = json!({
        "name": unit_name(prefix, u, region_name, department_name),
        "code": unit_code(prefix, u),
    });
    if department_form {
        form["kind"] = "department".into();
    } else {
        form["kind"] = "project".into();
        let project = PROJECTS[index(rng.below(PROJECTS.len() as u64), PROJECTS.len())];
        form["project"] = json!({ "name": format!("{project}项目（第{k}期）") });
    }
    // How well the year went, in percent: it moves actuals, execution and declared scores
    // together, so that grades spread from 差 to 优秀.
    let quality = Decimal::from(40 + rng.below(66));
    vary_funds(&mut form, quality, rng);
    vary_indicators(&mut form, quality, rng);
    if rng.below(10) < 3 {
        form["currency_unit"] = "元".into();
        scale_amounts(&mut form["funds"], Decimal::from(10_000));
    }
    form
}

fn decimal(value: &Value) -> Option<Decimal> {
    value
        .as_str()
        .and_then(|text| Decimal::from_str(text.trim_end_matches('%')).ok())
}

fn percent_of(value: Decimal, percent: Decimal) -> Decimal {
    (value * percent / Decimal::ONE_HUNDRED).round_dp(2)
}

fn vary_funds(form: &mut Value, quality: Decimal, rng: &mut SplitMix64) {
    let rate = (quality + Decimal::from(rng.below(10))).min(Decimal::ONE_HUNDRED);
    let funds = &mut form["funds"];
    let mut new = None;
    if let Some(budget) = decimal(&funds["annual_budget"]) {
        let executed = percent_of(budget, rate);
        new = Some(executed);
        funds["executed"] = executed.to_string().into();
        funds["declared_rate"] = rate.to_string().into();
        let weight = decimal(&funds["weight"]).unwrap_or(Decimal::TEN);
        funds["declared_score"] = percent_of(weight, rate).round_dp(1).to_string().into();
    }
    // The breakdown's spending moves with the total, so the two still agree.
    let executed = Decimal::from_str("239.31").unwrap_or(Decimal::ONE);
    if let (Some(breakdown), Some(new)) = (funds["breakdown"].as_array_mut(), new) {
        for line in breakdown {
            if let Some(old) = decimal(&line["executed"]) {
                line["executed"] = (old * new / executed).round_dp(2).to_string().into();
            }
        }
    }
}

fn vary_indicators(form: &mut Value, quality: Decimal, rng: &mut SplitMix64) {
    let Some(level1) = form["indicators"].as_array_mut() else {
        return;
    };
    for group in level1.iter_mut().flat_map(children) {
        for leaf in children(group) {
            let spread = quality + Decimal::from(rng.below(21)) - Decimal::TEN;
            if let Some(target) = decimal(&leaf["target"]) {
                let is_percent = leaf["target"].as_str().is_some_and(|t| t.ends_with('%'));
                let actual = percent_of(target, spread).round_dp(0);
                leaf["actual"] = if is_percent {
                    format!("{}%", actual.min(Decimal::ONE_HUNDRED))
                } else {
                    actual.to_string()
                }
                .into();
            }
            if let Some(weight) = decimal(&leaf["weight"]) {
                let declared = percent_of(weight, spread.min(Decimal::ONE_HUNDRED)).round_dp(0);
                leaf["declared_score"] = declared.max(Decimal::ZERO).to_string().into();
            }
        }
    }
}

fn children(node: &mut Value) -> impl Iterator<Item = &mut Value> {
    node["children"]
        .as_array_mut()
        .into_iter()
        .flat_map(|list| list.iter_mut())
}

fn scale_amounts(funds: &mut Value, factor: Decimal) {
    for key in ["initial_budget", "annual_budget", "executed"] {
        if let Some(amount) = decimal(&funds[key]) {
            funds[key] = (amount * factor).to_string().into();
        }
        if let Some(breakdown) = funds["breakdown"].as_array_mut() {
            for line in breakdown {
                if let Some(amount) = decimal(&line[key]) {
                    line[key] = (amount * factor).to_string().into();
                }
            }
        }
    }
}

/// Scores the form, declares a total and grade near the computed ones, stores it and moves it
/// to draft (0), submitted (1) or approved (2), all in `tx`.
fn store(
    tx: &rusqlite::Transaction<'_>,
    form: &Value,
    rulesets: &Rulesets,
    actor: &Principal,
    rng: &mut SplitMix64,
) -> Result<usize, String> {
    let invalid = |errors| ApiError::InvalidDocument(errors).to_string();
    let mut form = form.clone();
    let draft: EvaluationDocument = parse_json(&form.to_string()).map_err(|e| e.to_string())?;
    let first = evaluate(&draft, rulesets).map_err(invalid)?;
    // Most units declare what the rules give; some round up a little.
    let declared = first.total.get() + Decimal::from(rng.below(4)) * Decimal::from(rng.below(2));
    form["declared_total"] = declared.min(Decimal::ONE_HUNDRED).to_string().into();
    form["declared_grade"] = first.grade.label.clone().into();
    let submitted_json = form.to_string();
    let document: EvaluationDocument = parse_json(&submitted_json).map_err(|e| e.to_string())?;
    let result = evaluate(&document, rulesets).map_err(invalid)?;
    let submission = Submission {
        submitted_json: &submitted_json,
        document: &document,
        result: &result,
    };
    let stored = insert_in(tx, &submission, actor).map_err(storage)?;
    let status = index(rng.below(10), 10);
    let steps: &[Transition] = match status {
        0..=2 => &[],
        3..=5 => &[Transition::Submit],
        _ => &[Transition::Submit, Transition::Approve],
    };
    for step in steps {
        transition_in(tx, stored.id, Expected::Any, *step, actor, None).map_err(storage)?;
    }
    Ok(steps.len())
}

fn storage(error: StorageError) -> String {
    ApiError::from(error).to_string()
}
