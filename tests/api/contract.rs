//! The service keeps to its committed OpenAPI document, as a generated client reads it: the
//! example forms are valid request bodies, and every answer of a review from creation to
//! approval validates against the schema its operation declares (patterns, enums, formats).

use serde_json::{Value, json};

use crate::support::*;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

struct Contract {
    api: Value,
}

impl Contract {
    fn new() -> Self {
        Self {
            api: serde_json::from_str(COMMITTED).expect("the committed document is JSON"),
        }
    }

    /// Validates `instance` against `schema`, whose `#/components/…` references resolve in the
    /// document; formats (`date-time`, `date`) are checked too.
    fn validate(&self, schema: &Value, instance: &Value) -> Result<(), String> {
        let mut resource = schema.clone();
        resource["components"] = self.api["components"].clone();
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V2020_12);
        compiler.enable_format_assertions();
        compiler
            .add_resource("urn:jixiao:contract", resource)
            .map_err(|e| e.to_string())?;
        let mut schemas = boon::Schemas::new();
        let index = compiler
            .compile("urn:jixiao:contract", &mut schemas)
            .map_err(|e| format!("{e:#}"))?;
        schemas
            .validate(instance, index)
            .map_err(|e| format!("{e:#}"))
    }

    fn schema(name: &str) -> Value {
        json!({ "$ref": format!("#/components/schemas/{name}") })
    }

    /// Checks a reply against the JSON schema `method path` declares for its status.
    fn check(&self, method: &str, path: &str, reply: &Reply) {
        let response = &self.api["paths"][path][method]["responses"][reply.status.to_string()];
        let schema = &response["content"]["application/json"]["schema"];
        let problem = &response["content"]["application/problem+json"]["schema"];
        let (schema, body) = if schema.is_object() {
            (schema.clone(), reply.json())
        } else if problem.is_object() || response["$ref"].is_string() {
            (Self::schema("Problem"), reply.json())
        } else {
            panic!(
                "{method} {path} declares no JSON answer for {}",
                reply.status
            );
        };
        if let Err(error) = self.validate(&schema, &body) {
            panic!("{method} {path} {}: {error}\n{body:#}", reply.status);
        }
    }
}

#[test]
fn the_example_forms_are_valid_request_bodies() {
    let contract = Contract::new();
    let document = Contract::schema("EvaluationDocument");
    let mut examples = 0;
    for entry in std::fs::read_dir(data_dir().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        let form: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if let Err(error) = contract.validate(&document, &form) {
            panic!("{}: {error}", path.display());
        }
        examples += 1;
    }
    assert!(examples >= 2);
    // The check has teeth: a negative weight and a project form without its project fail.
    let mut negative = seed();
    negative["funds"]["weight"] = json!("-10");
    assert!(contract.validate(&document, &negative).is_err());
    let mut project = seed();
    project["kind"] = json!("project");
    assert!(contract.validate(&document, &project).is_err());
}

#[actix_web::test]
async fn every_answer_of_a_review_validates_against_its_declared_schema() {
    // Arrange
    let app = spawn_app().await;
    let contract = Contract::new();
    let item = "/api/v1/evaluations/{id}";

    // Act & Assert, step by step.
    let created = app.post_json(EVALUATIONS, &seed()).await;
    contract.check("post", "/api/v1/evaluations", &created);
    let id = id_of(&created.json());
    let declared = &contract.api["paths"]["/api/v1/evaluations"]["post"]["responses"]["201"]["content"]
        ["application/json"]["schema"];
    for (field, wrong) in [
        ("created_at", json!("yesterday")),
        ("status", json!("lost")),
    ] {
        let mut broken = created.json();
        broken[field] = wrong;
        assert!(
            contract.validate(declared, &broken).is_err(),
            "the check has teeth: {field}"
        );
    }
    let submitted = move_to(&app, id, "submit", None, Some("\"1\"")).await;
    contract.check("post", &format!("{item}/submit"), &submitted);
    let review = json!({
        "execution": { "score": "8", "reason": "年末资金未及时执行" },
        "leaves": [{
            "path": "/indicators/1/children/1/children/0",
            "score": "12",
            "reason": "安全感提升证据不足"
        }],
    });
    let reviewed = app
        .put_json(
            &format!("{}/review", evaluation(id)),
            &review,
            Some("\"2\""),
        )
        .await;
    assert!(
        body_text(&reviewed).contains("\"-"),
        "a review lower than the rule shows a negative difference"
    );
    contract.check("put", &format!("{item}/review"), &reviewed);
    let approved = move_to(&app, id, "approve", None, Some("\"3\"")).await;
    contract.check("post", &format!("{item}/approve"), &approved);
    let deadline = app
        .put_json(
            "/api/v1/deadlines/2030/project",
            &json!({ "due_on": "2030-06-30" }),
            None,
        )
        .await;
    contract.check("put", "/api/v1/deadlines/{fiscal_year}/{kind}", &deadline);

    for (path, template) in [
        (evaluation(id), item.to_owned()),
        (
            format!("{}/history", evaluation(id)),
            format!("{item}/history"),
        ),
        (
            format!("{}/versions/3", evaluation(id)),
            format!("{item}/versions/{{n}}"),
        ),
        (format!("{}/form", evaluation(id)), format!("{item}/form")),
        (format!("{EVALUATIONS}?limit=1"), EVALUATIONS.to_owned()),
        ("/api/v1/me".to_owned(), "/api/v1/me".to_owned()),
        ("/api/v1/tokens".to_owned(), "/api/v1/tokens".to_owned()),
        ("/api/v1/rulesets".to_owned(), "/api/v1/rulesets".to_owned()),
        (
            "/api/v1/rulesets/hunan-2020".to_owned(),
            "/api/v1/rulesets/{id}".to_owned(),
        ),
        (
            "/api/v1/deadlines".to_owned(),
            "/api/v1/deadlines".to_owned(),
        ),
        ("/api/v1/units".to_owned(), "/api/v1/units".to_owned()),
        (evaluation(999), item.to_owned()),
    ] {
        let reply = app.get(&path).await;
        contract.check("get", &template, &reply);
    }
    let workbook = app.get(&format!("{}/form.xlsx", evaluation(id))).await;
    let imported = app
        .post_raw(
            "/api/v1/imports?dry_run=true",
            "application/octet-stream",
            &workbook.body,
        )
        .await;
    assert_eq!(imported.status, 200, "{}", body_text(&imported));
    contract.check("post", "/api/v1/imports", &imported);
    let report = std::fs::read(data_dir().join("reports/hengyang-2020.txt")).unwrap();
    let read = app
        .post_raw("/api/v1/imports?dry_run=true", "text/plain", &report)
        .await;
    assert_eq!(read.status, 200, "{}", body_text(&read));
    contract.check("post", "/api/v1/imports", &read);
    let refused = app
        .post_raw(
            "/api/v1/imports?dry_run=true",
            "text/plain",
            "无表".as_bytes(),
        )
        .await;
    contract.check("post", "/api/v1/imports", &refused);
}
