//! Names for the values of every enum in the OpenAPI document (`x-enum-varnames`), for the
//! generators that make constants of them. Without them a value such as `万元` becomes an
//! identifier no language accepts, and Go, which puts every enum's constants in one
//! namespace, declares `RETURNED` (a status and a history action) twice. Each name is the
//! enum's name and the value's, in capitals (`STATUS_RETURNED`, `CURRENCY_UNIT_WAN_YUAN`),
//! so it is unique in the whole document; values that are not ASCII also get a description
//! (`x-enum-descriptions`) saying what they mean.

use serde_json::{Value, json};
use utoipa::openapi::{OpenApi, RefOr, Schema};

/// Values that are not ASCII: their name and what they mean.
const NON_ASCII: [(&str, &str, &str); 2] = [
    ("万元", "WAN_YUAN", "万元: ten thousand yuan"),
    ("元", "YUAN", "元: yuan"),
];

/// Gives every string enum among the component schemas its value names.
pub fn name(api: &mut OpenApi) {
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for (schema_name, schema) in &mut components.schemas {
        let RefOr::T(Schema::Object(object)) = schema else {
            continue;
        };
        let Some(values) = &object.enum_values else {
            continue;
        };
        let values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        let prefix = screaming_snake(schema_name);
        let names: Vec<String> = values
            .iter()
            .map(|value| format!("{prefix}_{}", value_name(value)))
            .collect();
        let extensions = object.extensions.get_or_insert_with(Default::default);
        extensions.insert("x-enum-varnames".into(), json!(names));
        if values.iter().any(|v| !v.is_ascii()) {
            let descriptions: Vec<&str> = values
                .iter()
                .map(|value| {
                    NON_ASCII
                        .iter()
                        .find(|(v, _, _)| v == value)
                        .map_or(*value, |(_, _, description)| description)
                })
                .collect();
            extensions.insert("x-enum-descriptions".into(), json!(descriptions));
        }
    }
}

/// `CurrencyUnit` → `CURRENCY_UNIT`.
fn screaming_snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// `not_applicable` → `NOT_APPLICABLE`, `-total` → `TOTAL_DESC`, `万元` → `WAN_YUAN`. A value
/// that is not ASCII and not in the table keeps its characters, and the test below fails.
fn value_name(value: &str) -> String {
    if let Some((_, name, _)) = NON_ASCII.iter().find(|(v, _, _)| *v == value) {
        return (*name).to_owned();
    }
    match value.strip_prefix('-') {
        Some(ascending) => format!("{}_DESC", value_name(ascending)),
        None => value
            .chars()
            .map(|c| match c {
                '-' | ' ' | '.' => '_',
                c => c.to_ascii_uppercase(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn every_enum_value_has_a_unique_identifier_for_a_name() {
        let api = serde_json::to_value(super::super::openapi()).unwrap();
        let mut seen = BTreeSet::new();
        let mut enums = 0;
        for (name, schema) in api["components"]["schemas"].as_object().unwrap() {
            let Some(values) = schema["enum"].as_array() else {
                continue;
            };
            enums += 1;
            let names = schema["x-enum-varnames"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} has no x-enum-varnames"));
            assert_eq!(names.len(), values.len(), "{name}");
            for varname in names {
                let varname = varname.as_str().unwrap();
                let identifier = varname.starts_with(|c: char| c.is_ascii_uppercase())
                    && varname
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                assert!(identifier, "{name}: `{varname}` is not an identifier");
                assert!(seen.insert(varname.to_owned()), "{varname} is named twice");
            }
            if values
                .iter()
                .any(|v| !v.as_str().unwrap_or_default().is_ascii())
            {
                assert_eq!(
                    schema["x-enum-descriptions"].as_array().map(Vec::len),
                    Some(values.len()),
                    "{name}"
                );
            }
        }
        assert!(enums >= 10, "{enums}");
        let currency = &api["components"]["schemas"]["CurrencyUnit"];
        assert_eq!(
            currency["x-enum-varnames"],
            serde_json::json!(["CURRENCY_UNIT_WAN_YUAN", "CURRENCY_UNIT_YUAN"])
        );
    }

    #[test]
    fn value_names_read_like_the_values() {
        for (value, name) in [
            ("not_applicable", "NOT_APPLICABLE"),
            ("-updated_at", "UPDATED_AT_DESC"),
            ("id", "ID"),
            ("万元", "WAN_YUAN"),
        ] {
            assert_eq!(super::value_name(value), name, "case {value}");
        }
        assert_eq!(super::screaming_snake("CurrencyUnit"), "CURRENCY_UNIT");
    }
}
