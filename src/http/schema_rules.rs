//! Rules of request bodies that the schema derives cannot state, added to the OpenAPI
//! document so that a client or a fuzzer generated from it sends only what the service takes.

use serde_json::{Value, json};
use utoipa::openapi::schema::{SchemaType, Type};
use utoipa::openapi::{OpenApi, RefOr, Required, Schema};

/// Adds every rule below to the components of `api`.
pub fn add(api: &mut OpenApi) {
    optional_bodies(api);
    // A project form carries its `project`; a department form does not. The conditional
    // stands beside the properties rather than in an `allOf`, which generators (Go's, Java's)
    // take for a composition and answer with wrapper types for every nullable field.
    extend(
        api,
        "EvaluationDocument",
        "if",
        json!({ "properties": { "kind": { "const": "project" } } }),
    );
    extend(
        api,
        "EvaluationDocument",
        "then",
        json!({
            "required": ["project"],
            "properties": { "project": { "$ref": "#/components/schemas/Project" } }
        }),
    );
    extend(
        api,
        "EvaluationDocument",
        "else",
        json!({ "properties": { "project": { "type": "null" } } }),
    );
    // A review records at least one score: the execution block's, or a leaf's.
    extend(
        api,
        "ReviewRequest",
        "anyOf",
        json!([
            {
                "required": ["execution"],
                "properties": { "execution": { "$ref": "#/components/schemas/ReviewEntry" } }
            },
            { "required": ["leaves"], "properties": { "leaves": { "minItems": 1 } } }
        ]),
    );
    // A unit token covers at least one budget code, each one written out; other roles none.
    extend(
        api,
        "TokenRequest",
        "allOf",
        json!([{
            "properties": { "units": { "items": { "minLength": 1, "pattern": "\\S" } } },
            "if": { "properties": { "role": { "const": "unit" } } },
            "then": { "required": ["units"], "properties": { "units": { "minItems": 1 } } },
            "else": { "properties": { "units": { "maxItems": 0 } } }
        }]),
    );
    // A ruleset has an id, with no white space in it.
    extend(
        api,
        "Ruleset",
        "properties",
        json!({ "id": { "minLength": 1, "pattern": "^\\S+$" } }),
    );
}

/// Declares an optional body (`Option<T>` in a handler's description, which the derive writes
/// as `oneOf: [T, null]`) as a body of `T` that may be left out: generated clients then send
/// nothing when the caller gives no body, where a nullable union made them send a placeholder
/// they cannot serialize.
fn optional_bodies(api: &mut OpenApi) {
    let operations = api.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
    });
    for operation in operations {
        let Some(RefOr::T(body)) = operation.request_body.as_mut() else {
            continue;
        };
        let mut optional = false;
        for content in body.content.values_mut() {
            let RefOr::T(content) = content else {
                continue;
            };
            let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema else {
                continue;
            };
            let is_null = |s: &RefOr<Schema>| matches!(s, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null));
            let values: Vec<&RefOr<Schema>> = one_of.items.iter().filter(|s| !is_null(s)).collect();
            if let [value] = values.as_slice()
                && one_of.items.len() == 2
            {
                content.schema = Some((*value).clone());
                optional = true;
            }
        }
        if optional {
            body.required = Some(Required::False);
        }
    }
}

/// Adds `keyword: value` to a component schema. The derives leave `allOf`, `anyOf` and
/// conditionals alone on an object schema, so they sit beside its properties as extensions;
/// `properties` are merged into the derived ones with `allOf`, keeping both.
fn extend(api: &mut OpenApi, name: &str, keyword: &str, value: Value) {
    let schema = api
        .components
        .as_mut()
        .and_then(|c| c.schemas.get_mut(name));
    let Some(RefOr::T(Schema::Object(object))) = schema else {
        return;
    };
    let (keyword, value) = if keyword == "properties" {
        ("allOf", json!([{ "properties": value }]))
    } else {
        (keyword, value)
    };
    let extensions = object.extensions.get_or_insert_with(Default::default);
    match (extensions.get_mut(keyword), value) {
        (Some(Value::Array(existing)), Value::Array(more)) => existing.extend(more),
        (_, value) => {
            extensions.insert(keyword.to_owned(), value);
        }
    }
}
