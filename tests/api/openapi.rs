//! The committed OpenAPI document is the one the code generates, and the served one too.

use crate::helpers::spawn_app;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

#[test]
fn committed_openapi_matches_the_code() {
    let generated = jixiao::http::openapi_json().unwrap();
    assert!(
        generated.trim() == COMMITTED.trim(),
        "openapi/openapi.json is stale; regenerate it with `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[actix_web::test]
async fn the_served_document_is_the_committed_one() {
    let app = spawn_app().await;
    let reply = app.get("/openapi.json").await;
    assert_eq!(reply.status, 200);
    let served = reply.json();
    let committed: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    assert!(
        served == committed,
        "/openapi.json differs from openapi/openapi.json"
    );
}

#[actix_web::test]
async fn the_docs_page_is_served_by_the_binary() {
    let app = spawn_app().await;
    let reply = app.get("/docs/").await;
    assert_eq!(reply.status, 200);
    let page = String::from_utf8_lossy(&reply.body);
    assert!(page.contains("swagger"), "{page}");
    let reply = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(reply.status, 200, "the UI's script is served locally");
    assert!(reply.body.len() > 100_000);
}

#[test]
fn every_operation_documents_its_errors_as_problems() {
    let api = serde_json::to_value(jixiao::http::openapi()).unwrap();
    for (path, item) in api["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let response = match response["$ref"].as_str() {
                    Some(name) => {
                        let name = name.trim_start_matches("#/components/responses/");
                        &api["components"]["responses"][name]
                    }
                    None => response,
                };
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{method} {path} {status} must be a problem document"
                    );
                }
            }
            assert!(
                operation["description"].is_string() || operation["summary"].is_string(),
                "{method} {path} needs a description"
            );
        }
    }
}

#[test]
fn operation_ids_are_unique() {
    let api = serde_json::to_value(jixiao::http::openapi()).unwrap();
    let mut ids: Vec<&str> = api["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|operation| operation["operationId"].as_str().unwrap())
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        count,
        "generated clients need one name per operation: {ids:?}"
    );
}

#[test]
fn every_operation_says_who_may_call_it_and_how_it_refuses() {
    let api = serde_json::to_value(jixiao::http::openapi()).unwrap();
    assert_eq!(
        api["components"]["securitySchemes"]["bearer"],
        serde_json::json!({
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "jx_ followed by 64 hex digits",
            "description": "A token issued by `jixiao token create` or `POST /api/v1/tokens`."
        })
    );
    // Operations open to anyone inherit the document's default: no token, or any valid one.
    // Generators type an operation that states its own `security` as needing a token.
    assert_eq!(api["security"], serde_json::json!([{}, { "bearer": [] }]));
    let known_roles = ["admin", "reviewer", "unit"];
    for (path, item) in api["paths"].as_object().unwrap() {
        if !path.starts_with("/api/") {
            assert_eq!(
                item["get"]["security"],
                serde_json::json!([]),
                "{path} reads no token"
            );
            continue;
        }
        for (method, operation) in item.as_object().unwrap() {
            let security = operation
                .get("security")
                .unwrap_or(&api["security"])
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path} declares no security"));
            if let Some(own) = operation.get("security") {
                assert!(
                    !own.as_array().unwrap().contains(&serde_json::json!({})),
                    "{method} {path}: an anonymous operation should inherit the default"
                );
            }
            let anonymous = security.iter().any(|r| r == &serde_json::json!({}));
            let roles: Vec<&str> = security
                .iter()
                .filter_map(|r| r["bearer"].as_array())
                .flatten()
                .filter_map(|r| r.as_str())
                .collect();
            assert!(
                roles.iter().all(|r| known_roles.contains(r)),
                "{method} {path}: {roles:?}"
            );
            assert!(
                anonymous || !roles.is_empty(),
                "{method} {path} names neither anonymous access nor roles"
            );
            let responses = operation["responses"].as_object().unwrap();
            assert!(responses.contains_key("401"), "{method} {path} lacks 401");
            let restricted = !anonymous && roles.len() < known_roles.len();
            if restricted {
                assert!(responses.contains_key("403"), "{method} {path} lacks 403");
            }
            let description = operation["description"].as_str().unwrap_or_default();
            assert!(
                description.contains("Callers:"),
                "{method} {path} does not say who may call it"
            );
        }
    }
    let approve = &api["paths"]["/api/v1/evaluations/{id}/approve"]["post"];
    assert_eq!(
        approve["security"],
        serde_json::json!([{ "bearer": ["admin", "reviewer"] }])
    );
    let create = &api["paths"]["/api/v1/evaluations"]["post"];
    assert_eq!(
        create["security"],
        serde_json::json!([{ "bearer": ["admin", "unit"] }])
    );
    let read = &api["paths"]["/api/v1/evaluations/{id}"]["get"];
    assert!(read.get("security").is_none(), "{read}");
}
