//! Requests as bytes on a socket: what the HTTP library could not parse is answered with a
//! problem document too, a URL in raw UTF-8 is read, and the framing of bodies and pipelined
//! requests is kept.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::*;

/// Sends `bytes` and reads until the server closes the connection or 5 s have passed.
async fn exchange(app: &TestApp, bytes: Vec<u8>) -> String {
    let port = app.port();
    actix_web::rt::task::spawn_blocking(move || {
        let started = Instant::now();
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("a connection");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("a read timeout");
        // The server may answer and close before all is sent; what it said is what counts.
        let _ = stream.write_all(&bytes);
        let (mut received, mut buffer) = (Vec::new(), [0; 8192]);
        while started.elapsed() < Duration::from_secs(5) {
            match stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
                Err(e) => panic!("reading the response: {e}"),
            }
        }
        String::from_utf8_lossy(&received).into_owned()
    })
    .await
    .expect("the client finishes")
}

fn assert_problem_text(text: &str, status_line: &str, code: &str, case: &str) {
    assert!(text.starts_with(status_line), "{case}: {text}");
    let lower = text.to_ascii_lowercase();
    assert!(
        lower.contains("content-type: application/problem+json"),
        "{case}: {text}"
    );
    assert!(
        text.contains(&format!("urn:jixiao:problem:{code}")),
        "{case}: {text}"
    );
    assert!(lower.contains("connection: close"), "{case}: {text}");
}

#[actix_web::test]
async fn heads_the_library_could_not_parse_are_answered_with_problems() {
    let app = spawn_app().await;
    let long_query = format!(
        "GET /api/v1/evaluations?unit={} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    let huge_header = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n\r\n",
        "a".repeat(1024 * 1024)
    );
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "a 100 KB query string",
            long_query.into_bytes(),
            "HTTP/1.1 414 URI Too Long",
            "uri-too-long",
        ),
        (
            "a 1 MB header",
            huge_header.into_bytes(),
            "HTTP/1.1 431 Request Header Fields Too Large",
            "header-fields-too-large",
        ),
        (
            "a request line that is not HTTP",
            b"HELLO\r\n\r\n".to_vec(),
            "HTTP/1.1 400 Bad Request",
            "bad-request",
        ),
        (
            "a header line without a colon",
            b"GET /healthz HTTP/1.1\r\nHost x\r\n\r\n".to_vec(),
            "HTTP/1.1 400 Bad Request",
            "bad-request",
        ),
        (
            "both framings at once",
            b"POST /api/v1/score HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}"
                .to_vec(),
            "HTTP/1.1 400 Bad Request",
            "bad-request",
        ),
    ];
    for (case, bytes, status_line, code) in cases {
        let text = exchange(&app, bytes).await;
        assert_problem_text(&text, status_line, code, case);
    }
    // The service still serves.
    assert_eq!(app.get("/healthz").await.status, 200);
}

#[actix_web::test]
async fn a_url_in_raw_utf8_is_read_as_the_encoded_url_it_means() {
    let app = spawn_app().await;
    let stored = app.create(&seed()).await;

    let text = exchange(
        &app,
        format!(
            "GET /api/v1/evaluations?unit={SEED_UNIT} HTTP/1.1\r\nHost: x\r\n\
             Authorization: Bearer {}\r\nConnection: close\r\n\r\n",
            app.admin
        )
        .into_bytes(),
    )
    .await;

    assert!(text.starts_with("HTTP/1.1 200 OK"), "{text}");
    assert!(
        text.contains(&format!("\"id\":{}", id_of(&stored))),
        "the seed is listed: {text}"
    );
}

#[actix_web::test]
async fn pipelined_requests_with_bodies_are_answered_in_order() {
    let app = spawn_app().await;
    let chunked_body = SEED_TEXT.as_bytes();
    let mut bytes =
        b"POST /api/v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n".to_vec();
    bytes.extend(format!("Authorization: Bearer {}\r\n", app.admin).into_bytes());
    bytes.extend(b"Transfer-Encoding: chunked\r\n\r\n");
    for piece in chunked_body.chunks(700) {
        bytes.extend(format!("{:x}\r\n", piece.len()).into_bytes());
        bytes.extend(piece);
        bytes.extend(b"\r\n");
    }
    bytes.extend(b"0\r\n\r\n");
    bytes.extend(
        "GET /api/v1/evaluations?unit=衡阳县 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            .as_bytes()
            .to_vec(),
    );

    let text = exchange(&app, bytes).await;

    let first = text.find("HTTP/1.1 200 OK").expect("the score is answered");
    let second = text[first + 1..]
        .find("HTTP/1.1 200 OK")
        .expect("the list is answered");
    assert!(second > 0);
    assert!(text.contains("\"total\":\"93.55\""), "{text}");
    assert!(text.trim_end().ends_with("\"next_cursor\":null}"), "{text}");
}

#[actix_web::test]
async fn the_stand_in_for_a_refused_head_cannot_be_called_from_outside() {
    let app = spawn_app().await;

    let reply = app
        .send(
            app.client
                .get(app.url("/.edge/refused"))
                .insert_header(("x-jixiao-edge", "guess"))
                .insert_header(("x-jixiao-edge-status", "418")),
            None,
        )
        .await;

    assert_problem(&reply, 404, "not-found", None);
}
