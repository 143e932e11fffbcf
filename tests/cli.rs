//! The `jixiao` binary as a user runs it: `score`, `openapi`, and `serve` until SIGTERM.
#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error"
)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
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

/// Starts `jixiao serve` on a free port and returns the child and its port, read from the log.
fn serve(db: &std::path::Path) -> (std::process::Child, u16) {
    let mut child = jixiao()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let port = loop {
        assert!(
            Instant::now() < deadline,
            "the server did not report its port"
        );
        let line = lines.next().expect("the server exited early").unwrap();
        if let Some(rest) = line.split("port=").nth(1) {
            break rest.split_whitespace().next().unwrap().parse().unwrap();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, port)
}

fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
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
    let (mut child, port) = serve(&db);

    let health = http_get(port, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let list = http_get(port, "/api/v1/evaluations?sort=id");
    assert!(list.contains("\"total\":\"93.55\""), "{list}");
    assert!(list.contains("\"total\":\"95.77\""), "{list}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(40);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");

    // A second start on the same file keeps what is there and adds no second copy.
    let (mut child, port) = serve(&db);
    let list = http_get(port, "/api/v1/evaluations");
    assert_eq!(list.matches("\"kind\":").count(), 2, "{list}");
    child.kill().unwrap();
    child.wait().unwrap();
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
    let listed = String::from_utf8(token(&db, &["list"]).stdout).unwrap();
    assert!(
        !listed.lines().nth(1).unwrap().contains("\t-\t"),
        "revoked: {listed}"
    );

    let unscoped = token(&db, &["create", "--role", "unit"]);
    assert_eq!(unscoped.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unscoped.stderr).contains("--unit"));
    assert_eq!(token(&db, &["revoke", "9"]).status.code(), Some(1));
}
