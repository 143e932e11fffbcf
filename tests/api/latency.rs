//! Kept-alive connections: a compressed response must not wait for the client's delayed ACK.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::*;

/// One response read off a kept-alive connection: its head, lower-cased, and its body size.
struct RawReply {
    head: String,
    body_len: usize,
}

/// Reads one HTTP/1.1 response whole: the head, then a chunked body to its last chunk or a
/// body of `Content-Length` bytes.
fn read_reply(reader: &mut BufReader<TcpStream>) -> RawReply {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("a header line");
        assert!(!line.is_empty(), "the server closed the connection");
        if line == "\r\n" {
            break;
        }
        head.push_str(&line.to_ascii_lowercase());
    }
    let mut body_len = 0;
    if head.contains("transfer-encoding: chunked") {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).expect("a chunk size");
            let size = usize::from_str_radix(size.trim(), 16).expect("a hex chunk size");
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).expect("a chunk and its CRLF");
            body_len += size;
            if size == 0 {
                break;
            }
        }
    } else {
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length: "))
            .map_or(0, |n| n.trim().parse().expect("a length"));
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("the body");
        body_len = length;
    }
    RawReply { head, body_len }
}

/// The time each of `count` GETs of `path` takes on one connection that leaves Nagle's
/// algorithm on, as Python's http.client before 3.7 and many other plain clients connect.
fn timed_gets(address: &str, path: &str, count: usize) -> (Vec<Duration>, RawReply) {
    let stream = TcpStream::connect(address).expect("a connection");
    stream.set_nodelay(false).expect("Nagle on");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    let mut writer = stream.try_clone().expect("a second handle");
    let mut reader = BufReader::new(stream);
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept-Encoding: gzip\r\nConnection: keep-alive\r\n\r\n"
    );
    let mut timings = Vec::with_capacity(count);
    let mut last = None;
    // The first exchange opens the connection and leaves TCP's quick-ACK start behind; the
    // delay this test is about shows from the second response on.
    for attempt in 0..=count {
        let started = Instant::now();
        writer.write_all(request.as_bytes()).expect("the request");
        let reply = read_reply(&mut reader);
        if attempt > 0 {
            timings.push(started.elapsed());
        }
        last = Some(reply);
    }
    (timings, last.expect("at least one reply"))
}

#[actix_web::test]
async fn gzip_responses_on_a_kept_alive_connection_do_not_wait_for_delayed_acks() {
    // Arrange: a published form, big enough to be compressed in more than one piece.
    let app = spawn_with(|args| args.no_examples = false).await;
    let address = app.address.trim_start_matches("http://").to_owned();

    // Act
    let (mut timings, last) =
        actix_web::rt::task::spawn_blocking(move || timed_gets(&address, &evaluation(1), 20))
            .await
            .expect("the client thread finishes");

    // Assert
    assert!(last.head.starts_with("http/1.1 200"), "{}", last.head);
    assert!(
        last.head.contains("content-encoding: gzip"),
        "{}",
        last.head
    );
    assert!(last.body_len > 0, "{}", last.head);
    timings.sort();
    let median = timings[timings.len() / 2];
    // A response on loopback takes well under a millisecond; one held back by Nagle waits for
    // the client's delayed ACK, 40 ms on Linux. A median under 20 ms therefore means most
    // responses did not wait, and it leaves a 20-fold margin for a loaded machine: this is
    // not a timing test of the service, only of whether it waits for an ACK.
    assert!(
        median < Duration::from_millis(20),
        "median {median:?} over {} kept-alive gzip responses: {timings:?}",
        timings.len()
    );
}
