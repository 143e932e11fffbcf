//! `spawn_app()` and typed request helpers.

use std::path::PathBuf;

use awc::Client;
use jixiao::config::{LogFormat, RulesArgs, ServeArgs};
use jixiao::startup::Application;
use serde_json::Value;

/// A running app on its own port and database, and the token its requests carry: the admin
/// token created on first start, unless the test chooses another caller.
#[derive(Clone)]
pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub db_path: PathBuf,
    /// The admin token the app created on first start.
    pub admin: String,
    /// The token sent with each request; `None` calls anonymously.
    pub token: Option<String>,
    // Held so the database folder lives as long as the app.
    _dir: std::rc::Rc<tempfile::TempDir>,
}

/// A response reduced to what tests look at.
pub struct Reply {
    pub status: u16,
    pub headers: awc::http::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("a text header").to_owned())
    }

    pub fn content_type(&self) -> String {
        self.header("content-type").unwrap_or_default()
    }
}

/// The repository's own `data/` folder.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The seed form, as the JSON value in `data/examples`.
pub fn seed() -> Value {
    let text = std::fs::read_to_string(data_dir().join("examples/hengyang-2020-department.json"))
        .expect("the seed is readable");
    serde_json::from_str(&text).expect("the seed is JSON")
}

/// Starts the app with an empty database (no examples).
pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

/// Starts the app after letting the test change its settings.
pub async fn spawn_with(change: impl FnOnce(&mut ServeArgs)) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db_path = dir.path().join("jixiao.db");
    let mut args = ServeArgs {
        addr: "127.0.0.1:0".parse().expect("an address"),
        db: db_path.clone(),
        no_examples: true,
        examples_dir: data_dir().join("examples"),
        rules: RulesArgs {
            rulesets_dir: data_dir().join("rulesets"),
            default_ruleset: "national-2020".into(),
        },
        cors_origins: vec!["https://dashboard.example.org".into()],
        body_limit: jixiao::http::DEFAULT_BODY_LIMIT,
        bulk_limit: jixiao::http::bulk::DEFAULT_BULK_LIMIT,
        request_timeout: 30,
        public_reading: true,
        workers: 2,
        log_format: LogFormat::Text,
    };
    change(&mut args);
    let app = Application::build(&args).expect("the app builds");
    // A database that already had tokens gets none; the test brings its own.
    let admin = app.first_admin_token().unwrap_or_default().to_owned();
    let address = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .finish(),
        db_path,
        token: Some(admin.clone()).filter(|t| !t.is_empty()),
        admin,
        _dir: std::rc::Rc::new(dir),
    }
}

impl TestApp {
    /// The port the app listens on, for raw socket clients.
    pub fn port(&self) -> u16 {
        self.address
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .expect("the app's port")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The same app, called with `token` (`None`: anonymously).
    pub fn as_caller(&self, token: Option<&str>) -> Self {
        Self {
            token: token.map(str::to_owned),
            ..self.clone()
        }
    }

    /// The same app, called without a token.
    pub fn anonymous(&self) -> Self {
        self.as_caller(None)
    }

    /// Issues a token as the admin and returns its secret.
    pub async fn issue(&self, role: &str, units: &[&str]) -> String {
        let admin = self.as_caller(Some(&self.admin));
        let reply = admin
            .post_json(
                "/api/v1/tokens",
                &serde_json::json!({ "role": role, "units": units }),
            )
            .await;
        assert_eq!(
            reply.status,
            201,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        reply.json()["secret"]
            .as_str()
            .expect("the secret is shown")
            .to_owned()
    }

    pub async fn send(&self, mut request: awc::ClientRequest, body: Option<&[u8]>) -> Reply {
        if let Some(token) = &self.token
            && !request.headers().contains_key("authorization")
        {
            request = request.insert_header(("authorization", format!("Bearer {token}")));
        }
        let mut response = match body {
            Some(body) => request.send_body(body.to_vec()).await,
            None => request.send().await,
        }
        .expect("the request reaches the app");
        let body = response
            .body()
            .limit(64 * 1024 * 1024)
            .await
            .expect("the body arrives")
            .to_vec();
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(self.url(path)), None).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        let request = self
            .client
            .post(self.url(path))
            .insert_header(("content-type", "application/json"));
        self.send(request, Some(body.to_string().as_bytes())).await
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: &[u8]) -> Reply {
        let request = self
            .client
            .post(self.url(path))
            .insert_header(("content-type", content_type));
        self.send(request, Some(body)).await
    }

    pub async fn put_json(&self, path: &str, body: &Value, if_match: Option<&str>) -> Reply {
        let mut request = self
            .client
            .put(self.url(path))
            .insert_header(("content-type", "application/json"));
        if let Some(tag) = if_match {
            request = request.insert_header(("if-match", tag));
        }
        self.send(request, Some(body.to_string().as_bytes())).await
    }

    pub async fn delete(&self, path: &str, if_match: Option<&str>) -> Reply {
        let mut request = self.client.delete(self.url(path));
        if let Some(tag) = if_match {
            request = request.insert_header(("if-match", tag));
        }
        self.send(request, None).await
    }

    /// The `ETag` of an evaluation as this caller reads it now, for `If-Match`; fails the test
    /// unless the caller can read it.
    pub async fn etag(&self, id: i64) -> String {
        let reply = self.get(&format!("/api/v1/evaluations/{id}")).await;
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        reply.header("etag").expect("an ETag")
    }

    /// Stores a form and returns the stored evaluation, failing the test unless it is 201.
    pub async fn create(&self, body: &Value) -> Value {
        let reply = self.post_json("/api/v1/evaluations", body).await;
        assert_eq!(
            reply.status,
            201,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        reply.json()
    }
}

/// The seed changed into another unit's form, so several can be stored at once.
pub fn form_of(unit: &str, year: i64) -> Value {
    let mut form = seed();
    form["unit"] = serde_json::json!({ "name": unit });
    form["fiscal_year"] = year.into();
    form
}

/// Asserts a problem response: status, content type, `type` suffix and, optionally, the
/// pointer of the first field error.
pub fn assert_problem(reply: &Reply, status: u16, code: &str, pointer: Option<&str>) {
    let body = String::from_utf8_lossy(&reply.body);
    assert_eq!(reply.status, status, "{body}");
    assert_eq!(reply.content_type(), "application/problem+json", "{body}");
    let problem = reply.json();
    assert_eq!(
        problem["type"],
        format!("urn:jixiao:problem:{code}"),
        "{body}"
    );
    assert_eq!(problem["status"], status, "{body}");
    assert!(
        problem["title"].is_string() && problem["detail"].is_string(),
        "{body}"
    );
    if let Some(pointer) = pointer {
        let pointers: Vec<&str> = problem["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["pointer"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            pointers.contains(&pointer),
            "expected {pointer} among {pointers:?}: {body}"
        );
    }
}
