//! The `jixiao` binary as a user runs it: `score`, `openapi`, and `serve` until SIGTERM.
#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error"
)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn jixiao() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command.env_remove("RUST_LOG");
    command
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/examples")
        .join(name)
}

#[test]
fn score_prints_the_seed_as_a_table() {
    let output = jixiao()
        .args(["score"])
        .arg(example("hengyang-2020-department.json"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let table = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "部门整体支出绩效自评表",
        "93.55",
        "优秀",
        "6.40",
        "4.75",
        "9.40",
        "declared_score_differs",
    ] {
        assert!(table.contains(expected), "missing {expected} in\n{table}");
    }
}

#[test]
fn score_json_is_the_result_document() {
    let output = jixiao()
        .args(["score", "--json"])
        .arg(example("sichuan-2022-project-example.json"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["ruleset"]["id"], "sichuan-2023");
    assert_eq!(result["total"], "95.77");
    assert_eq!(result["grade"]["label"], "优");
    let explanation = result["total_explanation"].as_str().unwrap();
    assert!(explanation.starts_with("总分"), "{explanation}");
}

#[test]
fn score_json_speaks_english_on_request() {
    let output = jixiao()
        .args(["score", "--json", "--lang", "en"])
        .arg(example("hengyang-2020-department.json"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        result["findings"][0]["message"],
        "The declared execution score 8 differs from the rule score 9.40."
    );
    assert_eq!(result["findings"][0]["location"], "部门资金 › 得分");
}

#[test]
fn score_names_the_bad_field_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    let mut form: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(example("hengyang-2020-department.json")).unwrap(),
    )
    .unwrap();
    form["indicators"][0]["children"][0]["children"][1]["weight"] = "-10".into();
    std::fs::write(&file, form.to_string()).unwrap();
    let output = jixiao().arg("score").arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/indicators/0/children/0/children/1/weight"),
        "{stderr}"
    );
}

#[test]
fn openapi_prints_the_committed_document() {
    let output = jixiao().arg("openapi").output().unwrap();
    assert!(output.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let committed: serde_json::Value =
        serde_json::from_str(include_str!("../openapi/openapi.json")).unwrap();
    assert!(
        printed == committed,
        "`jixiao openapi` differs from openapi/openapi.json"
    );
}

/// A running `jixiao serve`, with what it has written so far.
struct Served {
    child: std::process::Child,
    port: u16,
    stdout: Arc<Mutex<String>>,
    log: Arc<Mutex<String>>,
}

/// Starts `jixiao serve` on a free port, learning the port from the log, and keeps reading
/// both outputs so the server never blocks on a full pipe.
fn serve(db: &std::path::Path) -> Served {
    serve_with(db, &[])
}

/// [`serve`] with further options.
fn serve_with(db: &std::path::Path, options: &[&str]) -> Served {
    let mut child = jixiao()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .args(options)
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = Arc::new(Mutex::new(String::new()));
    let out = child.stdout.take().unwrap();
    let sink = Arc::clone(&stdout);
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let mut text = sink.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let log = Arc::new(Mutex::new(String::new()));
    let deadline = Instant::now() + Duration::from_secs(60);
    let port = loop {
        assert!(
            Instant::now() < deadline,
            "the server did not report its port"
        );
        let line = lines.next().expect("the server exited early").unwrap();
        log.lock().unwrap().push_str(&line);
        log.lock().unwrap().push('\n');
        // `port=8080` in a text line, `"port":8080` in a JSON one.
        let written = line
            .split("port=")
            .nth(1)
            .or(line.split("\"port\":").nth(1));
        if let Some(rest) = written {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            break digits.parse().unwrap();
        }
    };
    let sink = Arc::clone(&log);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let mut text = sink.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
    Served {
        child,
        port,
        stdout,
        log,
    }
}

impl Served {
    /// Sends SIGTERM and waits for a clean exit.
    fn stop(mut self) -> Self {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(40);
        let exit = loop {
            if let Some(exit) = self.child.try_wait().unwrap() {
                break exit;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(exit.success(), "{exit:?}");
        self
    }

    /// Waits until standard output holds `needle`, and returns it all.
    fn stdout_with(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = self.stdout.lock().unwrap().clone();
            if text.contains(needle) || Instant::now() > deadline {
                return text;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn http_get(port: u16, path: &str) -> String {
    http(port, path, None)
}

fn http(port: u16, path: &str, token: Option<&str>) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let authorization = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\n{authorization}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn serve_loads_the_examples_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested/jixiao.db");
    let server = serve(&db);

    let health = http_get(server.port, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let address = format!("127.0.0.1:{}", server.port);
    let checked = jixiao()
        .args(["healthcheck", "--addr", &address])
        .output()
        .unwrap();
    assert!(checked.status.success(), "{checked:?}");
    // The examples are published forms: anyone may read them.
    let list = http_get(server.port, "/api/v1/evaluations?sort=id");
    assert!(list.contains("\"total\":\"93.55\""), "{list}");
    assert!(list.contains("\"total\":\"95.77\""), "{list}");
    assert!(list.contains("\"status\":\"approved\""), "{list}");
    server.stop();
    let refused = jixiao()
        .args(["healthcheck", "--addr", &address, "--timeout", "1"])
        .output()
        .unwrap();
    assert_eq!(
        refused.status.code(),
        Some(1),
        "a stopped service is unhealthy"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("无法连接"));

    // A second start on the same file keeps what is there and adds no second copy.
    let mut server = serve(&db);
    let list = http_get(server.port, "/api/v1/evaluations");
    assert_eq!(list.matches("\"kind\":").count(), 2, "{list}");
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

#[test]
fn the_first_start_prints_an_admin_token_once_and_never_logs_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jixiao.db");

    let server = serve(&db);
    let printed = server.stdout_with("jx_");
    let secret = printed
        .split_whitespace()
        .find(|word| word.starts_with("jx_"))
        .unwrap_or_else(|| panic!("no token on standard output: {printed:?}"))
        .to_owned();
    let me = http(server.port, "/api/v1/me", Some(&secret));
    assert!(me.starts_with("HTTP/1.1 200"), "{me}");
    assert!(me.contains("\"role\":\"admin\""), "{me}");
    let tokens = http(server.port, "/api/v1/tokens", Some(&secret));
    assert!(tokens.contains("created on first start"), "{tokens}");
    let refused = http(server.port, "/api/v1/tokens", Some("jx_wrong"));
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    let server = server.stop();
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("request finished"), "{log}");
    assert!(
        !log.contains("ERROR"),
        "a clean first start logs no error: {log}"
    );
    assert!(
        log.lines().any(|line| line.contains("request{request_id=")
            && line.contains(" token_id=1 role=\"admin\"}: ")
            && line.contains("path=/api/v1/me ")),
        "the request and its caller are logged: {log}"
    );
    assert!(!log.contains(&secret), "the token leaked into the log");
    assert!(
        !log.contains("jx_wrong"),
        "a presented token leaked into the log"
    );

    // The next start finds a token and prints none.
    let server = serve(&db);
    let health = http_get(server.port, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let server = server.stop();
    assert!(!server.stdout.lock().unwrap().contains("jx_"));
    let listed = token(&db, &["list"]);
    assert_eq!(
        String::from_utf8(listed.stdout).unwrap().lines().count(),
        2,
        "a header and the one admin token"
    );
}

#[test]
fn json_log_lines_name_the_request_and_its_caller() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jixiao.db");
    let server = serve_with(&db, &["--log-format", "json"]);
    let secret = server
        .stdout_with("jx_")
        .split_whitespace()
        .find(|word| word.starts_with("jx_"))
        .unwrap()
        .to_owned();
    let me = http(server.port, "/api/v1/me", Some(&secret));
    assert!(me.starts_with("HTTP/1.1 200"), "{me}");
    let request_id = me
        .lines()
        .find_map(|line| line.strip_prefix("x-request-id: "))
        .unwrap_or_else(|| panic!("no request id: {me}"))
        .trim()
        .to_owned();
    let server = server.stop();
    let log = server.log.lock().unwrap().clone();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "jixiao is listening"),
        "{log}"
    );
    let finished = lines
        .iter()
        .find(|l| l["fields"]["path"] == "/api/v1/me")
        .unwrap_or_else(|| panic!("no line for the request: {log}"));
    assert_eq!(finished["fields"]["message"], "request finished");
    assert_eq!(finished["fields"]["status"], 200);
    assert_eq!(finished["level"], "INFO");
    assert_eq!(finished["span"]["request_id"], request_id.as_str());
    assert_eq!(finished["span"]["token_id"], 1);
    assert_eq!(finished["span"]["role"], "admin");
    assert_eq!(finished["spans"][0], finished["span"]);
    assert!(!log.contains(&secret), "the token leaked into the log");
}

fn token(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    jixiao()
        .arg("token")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

#[test]
fn tokens_are_issued_listed_and_revoked_offline_and_the_secret_is_printed_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tokens.db");

    let created = token(
        &db,
        &[
            "create",
            "--role",
            "unit",
            "--unit",
            "430421",
            "--label",
            "衡阳县",
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let secret = String::from_utf8(created.stdout).unwrap();
    let secret = secret.trim_end_matches('\n');
    assert!(
        secret.starts_with("jx_") && secret.len() == 67 && !secret.contains(char::is_whitespace),
        "only the secret is printed: {secret:?}"
    );

    let listed = String::from_utf8(token(&db, &["list"]).stdout).unwrap();
    assert!(listed.contains("unit\t430421"), "{listed}");
    assert!(!listed.contains(&secret[3..]), "the secret is never listed");

    let revoked = token(&db, &["revoke", "1"]);
    assert!(revoked.status.success());
    assert!(String::from_utf8_lossy(&revoked.stdout).contains("令牌 1 已吊销"));
    let again = token(&db, &["revoke", "1"]);
    assert_eq!(again.status.code(), Some(1), "revoking twice is an error");
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("已于") && said.contains("吊销，未作任何更改"),
        "{said}"
    );
    let listed = String::from_utf8(token(&db, &["list"]).stdout).unwrap();
    assert!(
        !listed.lines().nth(1).unwrap().contains("\t-\t"),
        "revoked: {listed}"
    );

    let unscoped = token(&db, &["create", "--role", "unit"]);
    assert_eq!(unscoped.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unscoped.stderr).contains("--unit"));
    let unknown = token(&db, &["revoke", "9"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("没有编号为 9 的令牌"));
}

#[test]
fn forms_are_exported_and_imported_offline() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jixiao.db");
    // The first start loads the examples; the seed is evaluation 1.
    let server = serve(&db);
    assert!(http_get(server.port, "/healthz").starts_with("HTTP/1.1 200"));
    let _ = server.stop();
    let workbook = dir.path().join("seed.xlsx");
    let run = |args: &[&str]| {
        let output = jixiao().args(args).arg("--db").arg(&db).output().unwrap();
        (
            output.status.code(),
            output.stdout,
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };

    let (code, _, said) = run(&[
        "export",
        "1",
        "--format",
        "xlsx",
        "-o",
        workbook.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{said}");
    assert!(std::fs::read(&workbook).unwrap().starts_with(b"PK"));
    let (code, html, _) = run(&["export", "1", "--format", "html", "--annotate"]);
    assert_eq!(code, Some(0));
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("部门整体支出绩效自评表") && html.contains("规则 9.40"));
    let (code, csv, _) = run(&["export", "1", "--format", "csv"]);
    assert_eq!(code, Some(0));
    assert!(
        String::from_utf8(csv)
            .unwrap()
            .contains("年度资金总额,144.22,254.48,239.31,94,10,8")
    );
    let (code, _, said) = run(&["export", "99"]);
    assert_eq!(code, Some(1));
    assert!(said.contains("no evaluation"), "{said}");

    let (code, _, said) = run(&["import", workbook.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("total 93.55 优秀"), "{said}");
    assert!(
        said.contains("自评表!B21: weight 50 read from the label"),
        "{said}"
    );
    let (code, _, said) = run(&["import", workbook.to_str().unwrap()]);
    assert_eq!(code, Some(1), "the seed is already stored: {said}");
    assert!(
        said.contains("已有 2020 年度的部门整体支出绩效自评表"),
        "{said}"
    );

    let other = dir.path().join("other.db");
    let output = jixiao()
        .args(["import", workbook.to_str().unwrap(), "--db"])
        .arg(&other)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("stored as evaluation 1"), "{said}");
}

/// One HTTP/1.1 request on its own connection; the status and body, or `None` when the
/// connection failed or the response did not arrive whole.
fn request(
    port: u16,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let body = body.unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let response = String::from_utf8(response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(body.len());
    (body.len() == length).then(|| (status, body.to_owned()))
}

#[test]
fn every_acknowledged_write_survives_a_kill_9_mid_stream() {
    // A SIGKILL loses no page-cache data, so this proves crash consistency: every write that was
    // answered 201 was committed, and the file is intact. A power cut or OS crash would also
    // drop what is only in the page cache; `synchronous=FULL` is what covers that, and no test
    // here can cause one.
    const THREADS: usize = 4;
    const PER_THREAD: usize = 40;
    const KILL_AFTER: usize = 16;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let mut server = serve(&db);
    let admin = server.stdout_with("jx_");
    let admin = admin
        .split_whitespace()
        .find(|word| word.starts_with("jx_"))
        .unwrap()
        .to_owned();
    let seed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(example("hengyang-2020-department.json")).unwrap(),
    )
    .unwrap();

    // Act: four writers store distinct forms until the server dies under them.
    let acknowledged = Arc::new(Mutex::new(Vec::<(i64, serde_json::Value)>::new()));
    let writers: Vec<_> = (0..THREADS)
        .map(|writer| {
            let (acknowledged, admin, port) =
                (Arc::clone(&acknowledged), admin.clone(), server.port);
            let mut form = seed.clone();
            std::thread::spawn(move || {
                for i in 0..PER_THREAD {
                    form["unit"] =
                        serde_json::json!({ "name": format!("断电测试单位{writer}-{i}") });
                    form["fiscal_year"] = (2001 + i).into();
                    let body = form.to_string();
                    let Some((status, reply)) =
                        request(port, "POST", "/api/v1/evaluations", &admin, Some(&body))
                    else {
                        return;
                    };
                    assert_eq!(status, 201, "{reply}");
                    let stored: serde_json::Value = serde_json::from_str(&reply).unwrap();
                    let id = stored["id"].as_i64().unwrap();
                    acknowledged.lock().unwrap().push((id, stored));
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < KILL_AFTER && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let first_log = server.log.lock().unwrap().clone();
    assert!(!first_log.contains("database is locked"), "{first_log}");
    for writer in writers {
        writer.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= KILL_AFTER,
        "only {} writes were acknowledged before the deadline",
        acknowledged.len()
    );
    assert!(
        acknowledged.len() < THREADS * PER_THREAD,
        "the server was killed after every write had finished"
    );

    // Assert: after a restart on the same file, each acknowledged form reads as it was answered.
    let server = serve(&db);
    for (id, stored) in &acknowledged {
        let path = format!("/api/v1/evaluations/{id}");
        let (status, body) = request(server.port, "GET", &path, &admin, None).unwrap();
        assert_eq!(status, 200, "evaluation {id}: {body}");
        let read: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(&read, stored, "evaluation {id}");
    }
    let server = server.stop();
    let log = server.log.lock().unwrap().clone();
    assert!(!log.contains("database is locked"), "{log}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn dev_seed_forms_stores_varied_forms_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let seed = |db: &std::path::Path| {
        let output = jixiao()
            .args(["dev", "seed-forms", "300", "--seed", "7", "--batch", "100"])
            .arg("--db")
            .arg(db)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let summary = seed(&dir.path().join("a.db"));
    assert!(
        summary.contains("stored 300 forms of 60 units"),
        "{summary}"
    );

    let conn = rusqlite::Connection::open(dir.path().join("a.db")).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM evaluations"), 300);
    assert_eq!(count("SELECT count(*) FROM units"), 60);
    for (what, column, at_least) in [
        ("years", "fiscal_year", 6),
        ("kinds", "kind", 2),
        ("statuses", "status", 3),
        ("grades", "computed_grade", 3),
        ("departments", "department", 5),
        ("regions", "region", 10),
        (
            "currency units",
            "json_extract(document_json, '$.currency_unit')",
            2,
        ),
    ] {
        let distinct = count(&format!("SELECT count(DISTINCT {column}) FROM evaluations"));
        assert!(distinct >= at_least, "{distinct} {what}");
    }
    // Every form is placed in its unit's department and region, and every status change is
    // in the history.
    assert_eq!(
        count("SELECT count(*) FROM evaluations WHERE department IS NULL OR region IS NULL"),
        0
    );
    assert_eq!(
        count("SELECT count(*) FROM evaluations WHERE status = 'approved'"),
        count("SELECT count(*) FROM evaluation_history WHERE action = 'approved'"),
    );

    // The same seed gives the same forms.
    let again = dir.path().join("b.db");
    seed(&again);
    let forms = |path: &std::path::Path| -> Vec<(String, String)> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut statement = conn
            .prepare("SELECT status, document_json FROM evaluations ORDER BY id")
            .unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(forms(&dir.path().join("a.db")), forms(&again));
}

/// The README's curl session is `scripts/session.sh`, shown in the README from its `set` line on.
#[test]
fn the_readme_shows_the_session_script() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let script = std::fs::read_to_string(root.join("scripts/session.sh")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let shown = &script[script.find("set -euo pipefail").unwrap()..];
    assert!(
        readme.contains(&format!("```sh\n{shown}```\n")),
        "README.md must show scripts/session.sh from its `set` line on"
    );
}

fn session(port: u16, admin: &str) -> std::process::Output {
    Command::new("bash")
        .arg("scripts/session.sh")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("API", format!("127.0.0.1:{port}/api/v1"))
        .env("ADMIN", admin)
        .output()
        .expect("bash, curl and jq run the session (scripts/test installs them)")
}

#[test]
fn the_readme_session_runs_against_a_fresh_service_and_stops_on_an_empty_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("session.db");
    let server = serve(&db);
    let printed = server.stdout_with("jx_");
    let admin = printed
        .split_whitespace()
        .find(|word| word.starts_with("jx_"))
        .unwrap()
        .to_owned();

    let empty = session(server.port, "");
    assert_eq!(empty.status.code(), Some(1));
    let said = String::from_utf8_lossy(&empty.stderr);
    assert!(said.contains("ADMIN 为空"), "{said}");
    assert!(empty.stdout.is_empty(), "nothing ran: {:?}", empty.stdout);

    let refused = session(server.port, "jx_not_a_token");
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("未签发令牌"), "{said}");

    let run = session(server.port, &admin);
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for line in [
        r#"{"id":3,"version":1,"status":"draft"}"#,
        r#"{"version":7,"status":"approved"}"#,
        r#"{"status":"approved","total":"93.55","review":"92.55"}"#,
        r#"{"grade":"优秀","grade_source":"review"}"#,
    ] {
        assert!(
            out.lines().any(|printed| printed == line),
            "{line} in {out}"
        );
    }
    let codes: Vec<&str> = out
        .lines()
        .filter(|line| line.len() == 3 && line.chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(codes, ["404", "403", "401", "428"], "{out}");
    server.stop();
}

#[test]
fn import_reads_a_published_reports_text_as_the_example_form() {
    let report = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/reports/hengyang-2020.txt");
    let output = jixiao()
        .args(["import", "--dry-run", "--json"])
        .arg(&report)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let mut document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fields = document.as_object_mut().unwrap();
    let basic = fields.remove("basic_data").unwrap();
    let report = fields.remove("report").unwrap();
    let example: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(example("hengyang-2020-department.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(document, example);
    assert_eq!(basic["spending"].as_array().unwrap().len(), 12);
    assert_eq!(report["method"], "部门(单位)自评");
    assert!(
        stderr.contains("第 556 行：按行首空白判断“质量指标”属于“产出指标”"),
        "{stderr}"
    );
    assert!(stderr.contains("total 93.55 优秀"), "{stderr}");
}

#[test]
fn import_names_the_line_where_text_stops_reading() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.txt");
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/reports/hengyang-2020.txt"),
    )
    .unwrap()
    .replace(
        "\t减少三公开支\t5000\t3200\t10\t7",
        "\t减少三公开支\t5000\t3200\t十\t7",
    );
    std::fs::write(&file, text).unwrap();
    let output = jixiao()
        .args(["import", "--dry-run"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("第 555 行"), "{stderr}");
}

#[test]
fn an_ndjson_file_is_imported_offline_with_a_summary_of_refused_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jixiao.db");
    let seed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(example("hengyang-2020-department.json")).unwrap(),
    )
    .unwrap();
    let form = |name: &str| {
        let mut form = seed.clone();
        form["unit"] = serde_json::json!({ "name": name });
        form.to_string()
    };
    // Lines 2 (not JSON) and 4 (a second form of 单位甲 for 2020) are refused; line 5 is blank.
    let text = [
        form("单位甲"),
        "{oops".into(),
        form("单位乙"),
        form("单位甲"),
        String::new(),
        form("单位丙"),
    ]
    .join("\n");
    let file = dir.path().join("forms.ndjson");
    std::fs::write(&file, text).unwrap();
    let run = |extra: &[&str]| {
        let output = jixiao()
            .arg("import")
            .arg(&file)
            .args(extra)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };

    let (code, said) = run(&["--dry-run"]);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("可保存 4 份，拒收 1 行"), "{said}");

    let (code, said) = run(&[]);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("已保存 3 份，拒收 2 行"), "{said}");
    assert!(said.contains("第 2 行："), "{said}");
    assert!(
        said.contains("第 4 行：") && said.contains("单位“单位甲”") && said.contains("已有"),
        "{said}"
    );
    assert!(!said.contains("第 5 行"), "{said}");

    let conn = rusqlite::Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM evaluations"), 3);
    assert_eq!(
        count("SELECT count(*) FROM evaluation_history WHERE action = 'created'"),
        3
    );

    let good = dir.path().join("more.jsonl");
    std::fs::write(&good, form("单位丁") + "\n").unwrap();
    let output = jixiao()
        .arg("import")
        .arg(&good)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("已保存 1 份，拒收 0 行"), "{said}");
}

#[test]
fn a_token_revoked_offline_is_refused_at_its_next_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("revoke.db");
    let created = token(&db, &["create", "--role", "admin"]);
    assert!(created.status.success());
    let secret = String::from_utf8(created.stdout).unwrap();
    let secret = secret.trim_end_matches('\n');
    let server = serve(&db);
    // The second request is answered with the verification kept from the first.
    for _ in 0..2 {
        let me = http(server.port, "/api/v1/me", Some(secret));
        assert!(me.starts_with("HTTP/1.1 200"), "{me}");
    }

    let revoked = token(&db, &["revoke", "1"]);
    assert!(revoked.status.success());

    let me = http(server.port, "/api/v1/me", Some(secret));
    assert!(me.starts_with("HTTP/1.1 401"), "{me}");
    let _ = server.stop();
}

#[test]
fn forms_stored_offline_appear_in_the_next_list_and_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("offline.db");
    let created = token(&db, &["create", "--role", "admin"]);
    let secret = String::from_utf8(created.stdout).unwrap();
    let secret = secret.trim_end_matches('\n');
    let server = serve(&db);
    let list = "/api/v1/evaluations?sort=id&limit=100";
    for _ in 0..2 {
        let page = http(server.port, list, Some(secret));
        assert_eq!(page.matches("\"kind\":").count(), 2, "the examples: {page}");
        let missing = http(server.port, "/api/v1/evaluations/3", Some(secret));
        assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    }

    let seeded = jixiao()
        .args(["dev", "seed-forms", "3", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );

    let page = http(server.port, list, Some(secret));
    assert_eq!(page.matches("\"kind\":").count(), 5, "{page}");
    let read = http(server.port, "/api/v1/evaluations/3", Some(secret));
    assert!(read.starts_with("HTTP/1.1 200"), "{read}");
    let _ = server.stop();
}
