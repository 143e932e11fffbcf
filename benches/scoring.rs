//! How fast the core scores forms: the seed department form, and a generated form of 1 000
//! level-3 indicators, each reported in leaves scored per second.
//!
//! `score/*` measures what the service does with a submitted form: `validation::evaluate`,
//! which checks every field and then scores the whole form (rule scores, explanations, every
//! finding placed on the paper form). `score-only/*` measures the scoring step alone, for
//! telling the two apart.
//!
//! `cargo bench --bench scoring`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jixiao::domain::document::EvaluationDocument;
use jixiao::domain::rulesets::Rulesets;
use jixiao::domain::{scoring, validation};
use serde_json::{Value, json};

/// The service's allocator (see `src/main.rs`), so that scoring is measured as it runs there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SEED: &str = include_str!("../data/examples/hengyang-2020-department.json");

/// The seed's leaves, repeated into a form of `leaves` leaves under the seed's level-2 groups,
/// the weights rescaled so that the form still adds up to 100 and each declared score kept in
/// proportion: the same mix of quantitative, percentage, reverse and qualitative indicators.
fn generated(leaves: usize) -> EvaluationDocument {
    let seed: Value = serde_json::from_str(SEED).expect("the seed is JSON");
    let mut form = seed.clone();
    let templates: Vec<Value> = seed["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .flat_map(|l1| l1["children"].as_array().expect("level 2"))
        .flat_map(|l2| l2["children"].as_array().expect("leaves"))
        .cloned()
        .collect();
    let groups: usize = seed["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .map(|l1| l1["children"].as_array().expect("level 2").len())
        .sum();
    // 90 points over the leaves (the execution block keeps its 10), in hundredths.
    let per_leaf = 9000 / leaves;
    let mut made = 0;
    let mut group = 0;
    for level1 in form["indicators"].as_array_mut().expect("indicators") {
        level1.as_object_mut().expect("object").remove("weight");
        for level2 in level1["children"].as_array_mut().expect("level 2") {
            level2.as_object_mut().expect("object").remove("weight");
            group += 1;
            let count = leaves * group / groups - made;
            let children: Vec<Value> = (made..made + count)
                .map(|i| {
                    let mut leaf = templates[i % templates.len()].clone();
                    let weight = if i + 1 == leaves {
                        9000 - per_leaf * (leaves - 1)
                    } else {
                        per_leaf
                    };
                    leaf["name"] = json!(format!("指标{i}"));
                    leaf["weight"] = json!(hundredths(weight));
                    leaf["declared_score"] = json!(hundredths(weight * 9 / 10));
                    leaf
                })
                .collect();
            made += count;
            level2["children"] = Value::Array(children);
        }
    }
    form.as_object_mut()
        .expect("object")
        .remove("declared_total");
    serde_json::from_value(form).expect("the generated form is a document")
}

fn hundredths(n: usize) -> String {
    format!("{}.{:02}", n / 100, n % 100)
}

fn leaf_count(document: &EvaluationDocument) -> u64 {
    let leaves = document
        .indicators
        .iter()
        .flat_map(|l1| &l1.children)
        .map(|l2| l2.children.len())
        .sum::<usize>();
    u64::try_from(leaves).unwrap_or(u64::MAX)
}

fn scoring(c: &mut Criterion) {
    let rulesets = Rulesets::built_in("national-2020").expect("the built-in rulesets load");
    let seed: EvaluationDocument = serde_json::from_str(SEED).expect("the seed is a document");
    let large = generated(1000);
    assert_eq!(leaf_count(&large), 1000);
    // Both are valid forms: what is measured is scoring, not the refusal of bad input.
    for document in [&seed, &large] {
        validation::evaluate(document, &rulesets).expect("a valid form");
    }
    let forms = [("seed", &seed), ("generated-1000", &large)];
    let mut group = c.benchmark_group("score");
    for (name, document) in forms {
        group.throughput(Throughput::Elements(leaf_count(document)));
        group.bench_function(name, |b| {
            b.iter(|| validation::evaluate(black_box(document), black_box(&rulesets)));
        });
    }
    group.finish();
    let mut group = c.benchmark_group("score-only");
    for (name, document) in forms {
        let ruleset = rulesets
            .for_form(document.ruleset.as_deref())
            .expect("the form's ruleset");
        group.throughput(Throughput::Elements(leaf_count(document)));
        group.bench_function(name, |b| {
            b.iter(|| scoring::score(black_box(document), black_box(ruleset)));
        });
    }
    group.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
