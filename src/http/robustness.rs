//! Property tests of the request-body reader: whatever bytes a caller sends, reading them as a
//! document and scoring what is read ends in a result or a list of errors, never a panic.

use proptest::prelude::*;
use serde_json::Value;

use crate::domain::reading::read_document;
use crate::domain::rulesets::Rulesets;
use crate::domain::validation::evaluate;

const SEED: &str = include_str!("../../data/examples/hengyang-2020-department.json");

/// Reads `text` as a posted document and scores it, as a create does.
fn read_and_score(text: &str, rulesets: &Rulesets) {
    if let Ok(document) = read_document(text, Some(rulesets)) {
        let _ = evaluate(&document, rulesets);
    }
}

/// Every JSON pointer into `value`, its root included.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (name, field) in fields {
                pointers(field, format!("{at}/{name}"), out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        "[-+]?[0-9０-９]{0,20}([.。．][0-9]{0,20})?(%|％|万元|元)?".prop_map(Value::String),
        "(≥|≤|>|<|=|不低于|不超过)?[0-9]{1,6}(%|个|家)?".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let rulesets = Rulesets::built_in("national-2020").expect("the built-in rulesets");
        read_and_score(&String::from_utf8_lossy(&bytes), &rulesets);
    }

    #[test]
    fn the_seed_with_any_field_replaced_never_panics(
        choice in any::<prop::sample::Index>(),
        replacement in any_json(),
    ) {
        let rulesets = Rulesets::built_in("national-2020").expect("the built-in rulesets");
        let mut seed: Value = serde_json::from_str(SEED).expect("the seed is JSON");
        let mut all = Vec::new();
        pointers(&seed, String::new(), &mut all);
        let target = choice.get(&all).clone();
        if let Some(field) = seed.pointer_mut(&target) {
            *field = replacement;
        }
        read_and_score(&seed.to_string(), &rulesets);
    }
}
