//! Request deadlines: a client too slow with its head or its body is answered 408 and cut off,
//! while the service's own work on a request that arrived in time has no deadline.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::*;

/// What a raw client saw: all the server wrote until it closed the connection (or the client
/// gave up), how long that took, and whether the server closed it.
struct Seen {
    text: String,
    elapsed: Duration,
    closed: bool,
}

/// Sends `head`, then `body` a byte every 300 ms until the server answers, and reads until the
/// server closes the connection or 6 s have passed.
fn trickle(port: u16, head: &str, body: &[u8]) -> Seen {
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("a connection");
    stream.write_all(head.as_bytes()).expect("the head is sent");
    stream
        .set_read_timeout(Some(Duration::from_millis(300)))
        .expect("a read timeout");
    let (mut received, mut buffer, mut body) = (Vec::new(), [0; 4096], body.iter());
    let closed = loop {
        if started.elapsed() > Duration::from_secs(6) {
            break false;
        }
        match stream.read(&mut buffer) {
            Ok(0) => break true,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if received.is_empty()
                    && let Some(byte) = body.next()
                {
                    // The server may close at any moment; a failed write shows in the read.
                    let _ = stream.write_all(&[*byte]);
                }
            }
            // Bytes the server never read make it reset the connection rather than close it.
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break true,
            Err(e) => panic!("reading the response: {e}"),
        }
    };
    Seen {
        text: String::from_utf8_lossy(&received).into_owned(),
        elapsed: started.elapsed(),
        closed,
    }
}

async fn spawn_with_timeout_of_1s() -> TestApp {
    spawn_with(|args| args.request_timeout = 1).await
}

#[actix_web::test]
async fn a_body_sent_too_slowly_gets_a_408_problem_and_the_connection_is_closed() {
    // Arrange: a request for each way a body is read, each announcing 1000 bytes.
    let app = spawn_with_timeout_of_1s().await;
    let (port, token) = (app.port(), app.admin.clone());
    let cases = [
        ("JSON", "POST /api/v1/evaluations", "application/json", ""),
        (
            "raw bytes",
            "POST /api/v1/evaluations/1/submit",
            "application/json",
            "If-Match: \"1\"\r\n",
        ),
        (
            "raw workbook",
            "POST /api/v1/imports",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "",
        ),
        (
            "multipart",
            "POST /api/v1/imports",
            "multipart/form-data; boundary=XYZ",
            "",
        ),
    ];

    // Act: all at once, each trickling its body in.
    let clients: Vec<_> = cases
        .iter()
        .map(|(_, request_line, content_type, extra)| {
            let head = format!(
                "{request_line} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\
                 Content-Type: {content_type}\r\n{extra}Content-Length: 1000\r\n\r\n"
            );
            actix_web::rt::task::spawn_blocking(move || {
                trickle(
                    port,
                    &head,
                    b"--XYZ\r\nContent-Disposition: form-data; name=\"file\"",
                )
            })
        })
        .collect();
    let mut seen = Vec::new();
    for client in clients {
        seen.push(client.await.expect("the client finishes"));
    }

    // Assert
    for ((case, ..), seen) in cases.iter().zip(&seen) {
        let text = seen.text.to_ascii_lowercase();
        assert!(text.starts_with("http/1.1 408"), "{case}: {}", seen.text);
        assert!(
            text.contains("content-type: application/problem+json"),
            "{case}: {}",
            seen.text
        );
        assert!(text.contains("connection: close"), "{case}: {}", seen.text);
        assert!(
            text.contains("urn:jixiao:problem:request-timeout"),
            "{case}: {}",
            seen.text
        );
        assert!(seen.closed, "{case}: the connection stays open");
        assert!(
            seen.elapsed >= Duration::from_millis(900) && seen.elapsed < Duration::from_secs(4),
            "{case}: answered after {:?}",
            seen.elapsed
        );
    }
    assert_nothing_stored(&app, "the timed-out requests").await;
}

#[actix_web::test]
async fn a_head_sent_too_slowly_is_answered_408_and_the_connection_is_closed() {
    // Arrange
    let app = spawn_with_timeout_of_1s().await;
    let port = app.port();

    // Act: half a head, then nothing.
    let seen = actix_web::rt::task::spawn_blocking(move || {
        trickle(
            port,
            "POST /api/v1/evaluations HTTP/1.1\r\nHost: localh",
            b"",
        )
    })
    .await
    .expect("the client finishes");

    // Assert: a problem document like every other refusal, and the connection closed.
    let text = seen.text.to_ascii_lowercase();
    assert!(
        text.starts_with("http/1.1 408 request timeout\r\n"),
        "{}",
        seen.text
    );
    assert!(
        text.contains("content-type: application/problem+json"),
        "{}",
        seen.text
    );
    assert!(
        text.contains("urn:jixiao:problem:request-timeout"),
        "{}",
        seen.text
    );
    assert!(text.contains("connection: close\r\n"), "{}", seen.text);
    assert!(seen.closed, "the connection stays open");
    assert!(
        seen.elapsed >= Duration::from_millis(900) && seen.elapsed < Duration::from_secs(4),
        "answered after {:?}",
        seen.elapsed
    );
}

#[actix_web::test]
async fn a_later_head_sent_too_slowly_on_a_kept_alive_connection_is_cut_off_too() {
    // Arrange
    let app = spawn_with_timeout_of_1s().await;
    let port = app.port();

    // Act: one whole request, then half of the next, then nothing.
    let seen = actix_web::rt::task::spawn_blocking(move || {
        trickle(
            port,
            "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: loc",
            b"",
        )
    })
    .await
    .expect("the client finishes");

    // Assert: the first is answered; the connection does not stay open for the second.
    assert!(seen.text.starts_with("HTTP/1.1 200 OK"), "{}", seen.text);
    assert!(seen.closed, "the connection stays open: {}", seen.text);
    assert!(
        seen.elapsed < Duration::from_secs(6),
        "closed after {:?}",
        seen.elapsed
    );
}

#[actix_web::test]
async fn a_request_that_arrived_in_time_is_not_cut_short_while_it_is_stored() {
    // Arrange: another writer holds the database for longer than the request deadline.
    let app = spawn_with_timeout_of_1s().await;
    let db = app.db_path.clone();
    let (locked, lock_taken) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(db).expect("the database opens");
        conn.execute_batch("BEGIN IMMEDIATE")
            .expect("the write lock");
        locked.send(()).expect("the test waits");
        std::thread::sleep(Duration::from_millis(2500));
        conn.execute_batch("COMMIT").expect("the lock is released");
    });
    lock_taken.recv().expect("the lock is taken");
    let started = Instant::now();

    // Act
    let reply = app.post_json(EVALUATIONS, &seed()).await;

    // Assert: it waited for the lock, well past the deadline, and was stored.
    assert_eq!(reply.status, 201, "{}", body_text(&reply));
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    holder.join().expect("the lock holder finishes");
    assert_eq!(listed_ids(&app, "").await, [id_of(&reply.json())]);
}
