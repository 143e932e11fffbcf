//! Any request body read as an evaluation document and scored gives a result or a list of
//! errors, never a panic.
#![no_main]

use std::sync::LazyLock;

use jixiao::domain::document::EvaluationDocument;
use jixiao::domain::rulesets::Rulesets;
use libfuzzer_sys::fuzz_target;

static RULESETS: LazyLock<Rulesets> =
    LazyLock::new(|| Rulesets::built_in("national-2020").expect("the built-in rulesets"));

fuzz_target!(|text: &str| {
    if let Ok(document) = jixiao::http::extract::parse_json::<EvaluationDocument>(text) {
        let _ = jixiao::domain::validation::evaluate(&document, &RULESETS);
    }
});
