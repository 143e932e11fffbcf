//! The committed OpenAPI document is the one the code generates, and the served one too.

use crate::helpers::spawn_app;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

#[test]
fn committed_openapi_matches_the_code() {
    let generated = jixiao::http::openapi().to_pretty_json().unwrap();
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
