//! The reader against the published seed report and variants of its text.

use serde_json::Value;

use super::{TextLimits, read_text};
use crate::domain::document::EvaluationDocument;
use crate::domain::rulesets::Rulesets;
use crate::import::{ImportError, Imported};

const SEED: &str = include_str!("../../../data/reports/hengyang-2020.txt");
const EXAMPLE: &str = include_str!("../../../data/examples/hengyang-2020-department.json");

fn rulesets() -> Rulesets {
    Rulesets::built_in("national-2020").expect("built-in rulesets")
}

fn read(text: &str) -> Imported {
    read_text(text, &TextLimits::default(), &rulesets()).expect("the text reads")
}

fn refusal(text: &str) -> ImportError {
    read_text(text, &TextLimits::default(), &rulesets()).expect_err("the text is refused")
}

/// The document as JSON, without the parts the example does not hold.
fn form_only(document: &EvaluationDocument) -> Value {
    let mut value = serde_json::to_value(document).expect("serializes");
    let object = value.as_object_mut().expect("an object");
    object.remove("basic_data");
    object.remove("report");
    value
}

fn example() -> Value {
    let document: EvaluationDocument = serde_json::from_str(EXAMPLE).expect("the example parses");
    serde_json::to_value(document).expect("serializes")
}

#[test]
fn the_seed_report_reads_as_the_example_form() {
    let imported = read(SEED);
    assert_eq!(form_only(&imported.document), example());
}

#[test]
fn the_seed_report_carries_its_basic_data_and_report() {
    let imported = read(SEED);
    let value = serde_json::to_value(&imported.document).expect("serializes");
    println!(
        "{}",
        serde_json::to_string_pretty(&value["basic_data"]).unwrap()
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&value["report"]).unwrap()
    );
    for n in &imported.notes {
        println!("{}", n.message);
    }
}
