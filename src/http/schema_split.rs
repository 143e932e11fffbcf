//! Separate response schemas where a request schema is more lenient than what the service
//! returns. A request may send a figure as a string with thousands separators (or a JSON
//! number); a response always carries it as a plain decimal string. Where one schema serves
//! both, a generated client types every returned figure as the request's looser form. So each
//! schema that holds a request-only schema and is also returned gets an `…Output` twin in
//! which the figures are `Decimal`, and every response points at the twins.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, Schema};
use utoipa::openapi::{OpenApi, RefOr};

const SCHEMAS: &str = "#/components/schemas/";

/// Request-only schemas and the schema a response carries in their place.
const REQUEST_ONLY: [(&str, &str); 2] = [("DecimalInput", "Decimal"), ("PercentInput", "Decimal")];

/// The suffix of a response twin.
pub const OUTPUT: &str = "Output";

/// Gives responses their own schemas wherever a request schema is looser; see the module.
pub fn split(api: &mut OpenApi) {
    let Some(components) = api.components.as_mut() else {
        return;
    };
    let direct: BTreeMap<String, BTreeSet<String>> = components
        .schemas
        .iter()
        .map(|(name, schema)| (name.clone(), refs_of(schema)))
        .collect();
    let request_only: BTreeSet<String> = REQUEST_ONLY.iter().map(|(n, _)| (*n).into()).collect();
    let loose: BTreeSet<String> = direct
        .keys()
        .filter(|name| !request_only.contains(*name))
        .filter(|name| !closure(&direct, [(*name).clone()]).is_disjoint(&request_only))
        .cloned()
        .collect();
    let (mut requested, mut returned) = (BTreeSet::new(), BTreeSet::new());
    for item in api.paths.paths.values() {
        for operation in operations(item) {
            if let Some(RefOr::T(body)) = &operation.request_body {
                for content in body.content.values() {
                    if let RefOr::T(content) = content {
                        requested.extend(content.schema.iter().flat_map(refs_of));
                    }
                }
            }
            for response in operation.responses.responses.values() {
                if let RefOr::T(response) = response {
                    for content in response.content.values() {
                        if let RefOr::T(content) = content {
                            returned.extend(content.schema.iter().flat_map(refs_of));
                        }
                    }
                }
            }
        }
    }
    let requested = closure(&direct, requested);
    let returned = closure(&direct, returned);
    // Schemas used both ways get a twin; those only ever returned are tightened in place.
    let twinned: BTreeSet<String> = loose
        .iter()
        .filter(|n| requested.contains(*n) && returned.contains(*n))
        .cloned()
        .collect();
    let mut rename = |name: &str| -> Option<String> {
        if let Some((_, output)) = REQUEST_ONLY.iter().find(|(input, _)| *input == name) {
            Some((*output).to_owned())
        } else if twinned.contains(name) {
            Some(format!("{name}{OUTPUT}"))
        } else {
            None
        }
    };
    let components = api.components.as_mut().expect("checked above");
    for name in &twinned {
        let mut twin = components.schemas[name].clone();
        rewrite_refs(&mut twin, &mut rename);
        components.schemas.insert(format!("{name}{OUTPUT}"), twin);
    }
    for name in loose.iter().filter(|n| !requested.contains(*n)) {
        if let Some(schema) = components.schemas.get_mut(name) {
            rewrite_refs(schema, &mut rename);
        }
    }
    for item in api.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            for response in operation.responses.responses.values_mut() {
                if let RefOr::T(response) = response {
                    for content in response.content.values_mut() {
                        if let RefOr::T(content) = content {
                            content
                                .schema
                                .iter_mut()
                                .for_each(|s| rewrite_refs(s, &mut rename));
                        }
                    }
                }
            }
        }
    }
}

fn operations(
    item: &utoipa::openapi::PathItem,
) -> impl Iterator<Item = &utoipa::openapi::path::Operation> {
    [&item.get, &item.put, &item.post, &item.delete, &item.patch]
        .into_iter()
        .flatten()
}

fn operations_mut(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

/// Every schema reachable from `roots`, the roots included.
fn closure(
    direct: &BTreeMap<String, BTreeSet<String>>,
    roots: impl IntoIterator<Item = String>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = roots.into_iter().collect();
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone()) {
            pending.extend(direct.get(&name).into_iter().flatten().cloned());
        }
    }
    seen
}

/// The component schemas `schema` refers to directly.
fn refs_of(schema: &RefOr<Schema>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut schema = schema.clone();
    rewrite_refs(&mut schema, &mut |name| {
        found.insert(name.to_owned());
        None
    });
    found
}

/// Replaces each reference to a component schema `name` by `rename(name)`, where that is
/// `Some`, throughout `schema`, including the JSON kept in extensions (conditionals).
fn rewrite_refs(schema: &mut RefOr<Schema>, rename: &mut dyn FnMut(&str) -> Option<String>) {
    match schema {
        RefOr::Ref(reference) => rewrite_location(&mut reference.ref_location, rename),
        RefOr::T(Schema::Object(object)) => {
            for property in object.properties.values_mut() {
                rewrite_refs(property, rename);
            }
            if let Some(additional) = object.additional_properties.as_deref_mut()
                && let AdditionalProperties::RefOr(inner) = additional
            {
                rewrite_refs(inner, rename);
            }
            if let Some(extensions) = object.extensions.as_mut() {
                extensions
                    .values_mut()
                    .for_each(|v| rewrite_json(v, rename));
            }
        }
        RefOr::T(Schema::Array(array)) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                rewrite_refs(items, rename);
            }
        }
        RefOr::T(Schema::OneOf(one_of)) => {
            one_of
                .items
                .iter_mut()
                .for_each(|s| rewrite_refs(s, rename));
        }
        RefOr::T(Schema::AllOf(all_of)) => {
            all_of
                .items
                .iter_mut()
                .for_each(|s| rewrite_refs(s, rename));
        }
        RefOr::T(Schema::AnyOf(any_of)) => {
            any_of
                .items
                .iter_mut()
                .for_each(|s| rewrite_refs(s, rename));
        }
        RefOr::T(_) => {}
    }
}

fn rewrite_json(value: &mut Value, rename: &mut dyn FnMut(&str) -> Option<String>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                match field {
                    Value::String(location) if key == "$ref" => {
                        rewrite_location(location, rename);
                    }
                    other => rewrite_json(other, rename),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_json(v, rename)),
        _ => {}
    }
}

fn rewrite_location(location: &mut String, rename: &mut dyn FnMut(&str) -> Option<String>) {
    if let Some(name) = location.strip_prefix(SCHEMAS)
        && let Some(renamed) = rename(name)
    {
        *location = format!("{SCHEMAS}{renamed}");
    }
}
