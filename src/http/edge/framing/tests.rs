use super::*;

fn feed_all(parts: &[&[u8]]) -> (Vec<u8>, Option<Refusal>) {
    let mut framing = Framing::default();
    let mut out = Vec::new();
    for part in parts {
        let fed = framing.feed(part);
        out.extend(fed.out);
        if fed.refusal.is_some() {
            return (out, fed.refusal);
        }
    }
    (out, None)
}

#[test]
fn a_plain_head_passes_unchanged() {
    let head = b"GET /api/v1/evaluations?grade=excellent HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_eq!(feed_all(&[head]), (head.to_vec(), None));
}

#[test]
fn a_head_is_handed_on_only_once_complete_whatever_the_pieces() {
    let head = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    for cut in 1..head.len() {
        let mut framing = Framing::default();
        let first = framing.feed(&head[..cut]);
        assert!(first.out.is_empty(), "cut at {cut}");
        assert!(framing.in_partial_head(), "cut at {cut}");
        let second = framing.feed(&head[cut..]);
        assert_eq!(second.out, head.to_vec(), "cut at {cut}");
        assert!(framing.between_requests(), "cut at {cut}");
    }
}

#[test]
fn raw_utf8_in_the_url_is_percent_encoded() {
    let (out, refusal) =
        feed_all(&["GET /api/v1/evaluations?grade=优秀 HTTP/1.1\r\n\r\n".as_bytes()]);
    assert_eq!(refusal, None);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "GET /api/v1/evaluations?grade=%E4%BC%98%E7%A7%80 HTTP/1.1\r\n\r\n"
    );
}

#[test]
fn an_encoded_url_stays_as_it_was() {
    let head = b"GET /a?b=%E4%BC%98&c=1+2 HTTP/1.1\r\n\r\n";
    assert_eq!(feed_all(&[head]).0, head.to_vec());
}

#[test]
fn bodies_of_a_fixed_length_pass_and_the_next_head_is_read() {
    let stream: &[u8] = b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello\
GET /b?x=\xE4\xBC\x98 HTTP/1.1\r\n\r\n";
    let (out, refusal) = feed_all(&[stream]);
    assert_eq!(refusal, None);
    assert_eq!(
        out,
        b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b?x=%E4%BC%98 HTTP/1.1\r\n\r\n"
    );
}

#[test]
fn a_body_that_looks_like_a_head_is_a_body() {
    let stream: &[u8] = b"POST /a HTTP/1.1\r\nContent-Length: 19\r\n\r\nGET /\xE4 HTTP/1.1\r\n\r\n";
    assert_eq!(feed_all(&[stream]), (stream.to_vec(), None));
}

#[test]
fn chunked_bodies_are_followed_to_their_end() {
    let stream: &[u8] = b"POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\
5;ext=1\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\nGET /\xE4 HTTP/1.1\r\n\r\n";
    for cut in 1..stream.len() {
        let (out, refusal) = feed_all(&[&stream[..cut], &stream[cut..]]);
        assert_eq!(refusal, None, "cut at {cut}");
        assert!(out.ends_with(b"GET /%E4 HTTP/1.1\r\n\r\n"), "cut at {cut}");
    }
}

#[test]
fn heads_that_cannot_be_read_are_refused_with_their_status() {
    let long_url = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_TARGET + 1));
    let many_fields = format!(
        "GET / HTTP/1.1\r\n{}\r\n",
        "A: b\r\n".repeat(MAX_HEADERS + 1)
    );
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("no version", b"GET /\r\n\r\n".to_vec(), 400),
        ("HTTP/2", b"GET / HTTP/2.0\r\n\r\n".to_vec(), 400),
        (
            "garbage",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n".to_vec(),
            400,
        ),
        ("two spaces", b"GET  / HTTP/1.1\r\n\r\n".to_vec(), 400),
        (
            "a control character",
            b"GET /a\x01 HTTP/1.1\r\n\r\n".to_vec(),
            400,
        ),
        (
            "a field without a colon",
            b"GET / HTTP/1.1\r\nHost x\r\n\r\n".to_vec(),
            400,
        ),
        (
            "a field name with a space",
            b"GET / HTTP/1.1\r\nHo st: x\r\n\r\n".to_vec(),
            400,
        ),
        (
            "a length that is not a number",
            b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n".to_vec(),
            400,
        ),
        (
            "two lengths",
            b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n".to_vec(),
            400,
        ),
        (
            "both framings",
            b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec(),
            400,
        ),
        (
            "a coding that is not chunked",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n".to_vec(),
            400,
        ),
        ("a long URL", long_url.into_bytes(), 414),
        ("many fields", many_fields.into_bytes(), 431),
        (
            "a request line without end",
            vec![b'a'; MAX_TARGET + 64],
            414,
        ),
        (
            "a head without end",
            [b"GET / HTTP/1.1\r\n".as_slice(), &vec![b'a'; MAX_HEAD]].concat(),
            431,
        ),
    ];
    for (case, head, status) in cases {
        let (out, refusal) = feed_all(&[&head]);
        assert_eq!(refusal.map(|r| r.status), Some(status), "{case}");
        assert!(
            out.is_empty(),
            "{case}: nothing of a refused head is handed on"
        );
    }
}

#[test]
fn after_a_refusal_nothing_is_read() {
    let mut framing = Framing::default();
    let fed = framing.feed(b"GET /\r\n\r\nGET / HTTP/1.1\r\n\r\n");
    assert!(fed.refusal.is_some());
    assert!(fed.out.is_empty());
    assert!(!framing.in_partial_head() && !framing.between_requests());
}

#[test]
fn blank_lines_before_a_request_are_skipped() {
    let (out, _) = feed_all(&[b"\r\n\r\nGET / HTTP/1.1\r\n\r\n"]);
    assert_eq!(out, b"GET / HTTP/1.1\r\n\r\n");
}

#[test]
fn bare_line_feeds_end_lines_too() {
    let (out, refusal) = feed_all(&[b"GET /\xE4 HTTP/1.1\nHost: x\n\n"]);
    assert_eq!(refusal, None);
    assert_eq!(out, b"GET /%E4 HTTP/1.1\r\nHost: x\n\n");
}

proptest::proptest! {
    #[test]
    fn any_bytes_in_any_pieces_never_panic(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048),
        cuts in proptest::collection::vec(0usize..2048, 0..8),
    ) {
        let mut framing = Framing::default();
        let mut cuts: Vec<usize> = cuts.into_iter().filter(|&c| c <= bytes.len()).collect();
        cuts.sort_unstable();
        let mut start = 0;
        for cut in cuts.into_iter().chain([bytes.len()]) {
            let _ = framing.feed(&bytes[start..cut]);
            start = cut;
        }
    }

    #[test]
    fn ascii_heads_of_pieces_come_out_as_they_went_in(
        path in "/[a-z0-9/?=&%]{0,40}",
        body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
        cut in 0usize..200,
    ) {
        let stream = [
            format!("POST {path} HTTP/1.1\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes(),
            body,
            format!("GET {path} HTTP/1.1\r\n\r\n").into_bytes(),
        ]
        .concat();
        let cut = cut.min(stream.len());
        let (out, refusal) = feed_all(&[&stream[..cut], &stream[cut..]]);
        proptest::prop_assert_eq!(refusal, None);
        proptest::prop_assert_eq!(out, stream);
    }
}
