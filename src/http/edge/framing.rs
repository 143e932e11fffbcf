//! The request side of HTTP/1.1 framing, just far enough to find each request's head: where a
//! head ends, how long the body after it is, and whether the head is one the service can
//! answer. Pure: bytes in, bytes and decisions out.
//!
//! The HTTP library answers a head it cannot parse (a request line it cannot read, a URL over
//! 64 KiB or with raw non-ASCII bytes, a head over 128 KiB) with a bare status line before any
//! request exists. Reading each head here first lets the service answer those with a problem
//! document like every other refusal, and read a URL written in raw UTF-8 as the percent-encoded
//! URL it means.

use std::fmt::Write as _;

/// The largest request head read; a larger one is refused with 431.
pub const MAX_HEAD: usize = 64 * 1024;
/// The longest request target (URL) read; a longer one is refused with 414.
pub const MAX_TARGET: usize = 16 * 1024;
/// The most header fields in one head; more are refused with 431.
pub const MAX_HEADERS: usize = 96;

/// Why a head is refused, with the status the service answers it with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// 400, 408, 414 or 431.
    pub status: u16,
    /// What was wrong, for the problem document.
    pub detail: String,
}

impl Refusal {
    fn new(status: u16, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
        }
    }

    /// The answer to a head that did not arrive in time.
    #[must_use]
    pub fn too_slow(seconds: u64) -> Self {
        Self::new(
            408,
            format!("the request head did not arrive within {seconds} s"),
        )
    }
}

/// What a chunk of input became.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Fed {
    /// Bytes to hand on, in order: bodies as they came, heads once complete (with the URL
    /// percent-encoded where it held raw bytes).
    pub out: Vec<u8>,
    /// The head that was refused, if one was; nothing after it is read.
    pub refusal: Option<Refusal>,
}

/// Where the reader is in the stream of requests.
#[derive(Debug)]
enum State {
    /// Collecting a head.
    Head(Vec<u8>),
    /// Passing on this many more body bytes.
    Body(u64),
    /// Passing on a chunked body.
    Chunked(Chunk),
    /// Past a refusal, or past framing it could not follow: passing bytes on unread, and
    /// leaving it to the HTTP library to end the connection.
    Opaque,
}

/// Where the reader is within a chunked body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunk {
    /// Reading the size line; the size so far, and whether an extension has begun.
    Size {
        size: u64,
        digits: u8,
        in_extension: bool,
    },
    /// Passing on this many data bytes.
    Data(u64),
    /// Expecting the CRLF after the data.
    DataEnd,
    /// Reading trailer lines; whether the current line has any bytes yet.
    Trailer { line_has_bytes: bool },
}

/// Follows requests on one connection.
#[derive(Debug)]
pub struct Framing {
    state: State,
}

impl Default for Framing {
    fn default() -> Self {
        Self {
            state: State::Head(Vec::new()),
        }
    }
}

impl Framing {
    /// Whether part of a head has arrived and the rest is awaited.
    #[must_use]
    pub fn in_partial_head(&self) -> bool {
        matches!(&self.state, State::Head(buf) if !buf.is_empty())
    }

    /// Whether the next byte would start a new head.
    #[must_use]
    pub fn between_requests(&self) -> bool {
        matches!(&self.state, State::Head(buf) if buf.is_empty())
    }

    /// Stops reading: whatever comes next is passed on unread.
    pub fn give_up(&mut self) {
        self.state = State::Opaque;
    }

    /// Reads the next bytes of the connection.
    pub fn feed(&mut self, mut input: &[u8]) -> Fed {
        let mut fed = Fed::default();
        while !input.is_empty() {
            match &mut self.state {
                State::Opaque => {
                    fed.out.extend_from_slice(input);
                    input = &[];
                }
                State::Body(remaining) => {
                    let take =
                        usize::try_from(*remaining).map_or(input.len(), |r| r.min(input.len()));
                    fed.out.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    *remaining -= take as u64;
                    if *remaining == 0 {
                        self.state = State::Head(Vec::new());
                    }
                }
                State::Chunked(chunk) => {
                    let (used, next) = chunk_step(*chunk, input);
                    fed.out.extend_from_slice(&input[..used]);
                    input = &input[used..];
                    self.state = next;
                }
                State::Head(buf) => {
                    // Blank lines before a request line are ignored (RFC 9112 §2.2).
                    if buf.is_empty() {
                        let blank = input
                            .iter()
                            .take_while(|b| matches!(b, b'\r' | b'\n'))
                            .count();
                        input = &input[blank..];
                        if input.is_empty() {
                            break;
                        }
                    }
                    let Some(end) = head_end(buf, input) else {
                        buf.extend_from_slice(input);
                        let line_too_long = !buf.contains(&b'\n') && buf.len() > MAX_TARGET + 32;
                        if buf.len() > MAX_HEAD || line_too_long {
                            let refusal = too_large_head(buf);
                            return self.refuse(fed, refusal);
                        }
                        break;
                    };
                    buf.extend_from_slice(&input[..end]);
                    input = &input[end..];
                    if buf.len() > MAX_HEAD {
                        let refusal = too_large_head(buf);
                        return self.refuse(fed, refusal);
                    }
                    let head = std::mem::take(buf);
                    match read_head(&head) {
                        Ok((rewritten, body)) => {
                            fed.out.extend_from_slice(&rewritten);
                            self.state = match body {
                                BodyLength::None => State::Head(Vec::new()),
                                BodyLength::Fixed(n) => State::Body(n),
                                BodyLength::Chunked => State::Chunked(Chunk::Size {
                                    size: 0,
                                    digits: 0,
                                    in_extension: false,
                                }),
                            };
                        }
                        Err(refusal) => return self.refuse(fed, refusal),
                    }
                }
            }
        }
        fed
    }

    fn refuse(&mut self, mut fed: Fed, refusal: Refusal) -> Fed {
        self.state = State::Opaque;
        fed.refusal = Some(refusal);
        fed
    }
}

/// The refusal of a head that grew past the limit: 414 while its request line has not ended
/// (the URL is what is long), 431 after.
fn too_large_head(head: &[u8]) -> Refusal {
    if head.contains(&b'\n') {
        Refusal::new(
            431,
            format!(
                "the request head is larger than {} KiB; send long data in the body",
                MAX_HEAD / 1024
            ),
        )
    } else {
        too_long_url()
    }
}

fn too_long_url() -> Refusal {
    Refusal::new(
        414,
        format!(
            "the URL is longer than {} KiB; send long data in the body",
            MAX_TARGET / 1024
        ),
    )
}

/// Where the head ends within `input` (the index just past its blank line), given the head
/// bytes `before` it; a line may end in CRLF or a bare LF, and the blank line may begin in
/// `before`.
fn head_end(before: &[u8], input: &[u8]) -> Option<usize> {
    // The byte `back` places before `input[i]`, looking into `before` where needed.
    let byte_before = |i: usize, back: usize| -> Option<u8> {
        match i.checked_sub(back) {
            Some(k) => input.get(k).copied(),
            None => before
                .len()
                .checked_sub(back - i)
                .and_then(|k| before.get(k).copied()),
        }
    };
    input
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .map(|(i, _)| i)
        .find(|&i| {
            byte_before(i, 1) == Some(b'\n')
                || (byte_before(i, 1) == Some(b'\r') && byte_before(i, 2) == Some(b'\n'))
        })
        .map(|i| i + 1)
}

/// How a request's body is framed.
#[derive(Debug, PartialEq, Eq)]
enum BodyLength {
    None,
    Fixed(u64),
    Chunked,
}

/// Checks a complete head and returns it with its URL percent-encoded where needed, and how its
/// body is framed.
fn read_head(head: &[u8]) -> Result<(Vec<u8>, BodyLength), Refusal> {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let request_line = lines.next().unwrap_or_default();
    let (method, target, version) = split_request_line(request_line)?;
    let target = encode_target(target);
    if target.len() > MAX_TARGET {
        return Err(too_long_url());
    }
    let mut length: Option<u64> = None;
    let mut chunked = false;
    let mut transfer_encoding = false;
    let mut fields = 0;
    for line in lines.filter(|l| !l.is_empty()) {
        fields += 1;
        if fields > MAX_HEADERS {
            return Err(Refusal::new(
                431,
                format!("the request has more than {MAX_HEADERS} header fields"),
            ));
        }
        let (name, value) = split_field(line)?;
        if name.eq_ignore_ascii_case(b"content-length") {
            let value = std::str::from_utf8(value)
                .ok()
                .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or_else(|| bad_request("Content-Length is not a number of bytes"))?;
            if length.is_some_and(|l| l != value) {
                return Err(bad_request(
                    "the request has two different Content-Length fields",
                ));
            }
            length = Some(value);
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            transfer_encoding = true;
            let last = value
                .split(|&b| b == b',')
                .map(<[u8]>::trim_ascii)
                .rfind(|c| !c.is_empty())
                .unwrap_or_default();
            chunked = last.eq_ignore_ascii_case(b"chunked");
        }
    }
    let body = match (transfer_encoding, length) {
        // Both framings at once is how requests are smuggled past proxies (RFC 9112 §6.1).
        (true, Some(_)) => {
            return Err(bad_request(
                "the request has both Transfer-Encoding and Content-Length",
            ));
        }
        (true, None) if chunked => BodyLength::Chunked,
        (true, None) => {
            return Err(bad_request(
                "a request body's Transfer-Encoding must end in chunked",
            ));
        }
        (false, Some(0) | None) => BodyLength::None,
        (false, Some(n)) => BodyLength::Fixed(n),
    };
    let mut rewritten = Vec::with_capacity(head.len() + target.len());
    rewritten.extend_from_slice(method);
    rewritten.push(b' ');
    rewritten.extend_from_slice(target.as_bytes());
    rewritten.push(b' ');
    rewritten.extend_from_slice(version);
    rewritten.extend_from_slice(b"\r\n");
    let fields_start = head
        .iter()
        .position(|&b| b == b'\n')
        .map_or(head.len(), |i| i + 1);
    rewritten.extend_from_slice(&head[fields_start..]);
    Ok((rewritten, body))
}

fn bad_request(detail: &str) -> Refusal {
    Refusal::new(400, detail)
}

/// A request line's method, target and version.
type RequestLine<'a> = (&'a [u8], &'a [u8], &'a [u8]);

/// `METHOD SP target SP HTTP/1.x`.
fn split_request_line(line: &[u8]) -> Result<RequestLine<'_>, Refusal> {
    let unreadable = || bad_request("the request line is not `METHOD /path HTTP/1.1`");
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(unreadable());
    };
    let method_ok = !method.is_empty() && method.iter().all(|&b| is_token(b));
    let version_ok = matches!(version, b"HTTP/1.1" | b"HTTP/1.0");
    if !method_ok || !version_ok || target.is_empty() {
        return Err(unreadable());
    }
    if target.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return Err(bad_request("the URL holds control characters"));
    }
    Ok((method, target, version))
}

/// `name: value`, with a token for a name.
fn split_field(line: &[u8]) -> Result<(&[u8], &[u8]), Refusal> {
    let colon = line
        .iter()
        .position(|&b| b == b':')
        .ok_or_else(|| bad_request("a header line has no `:`"))?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    if name.is_empty() || !name.iter().all(|&b| is_token(b)) {
        return Err(bad_request("a header field's name is not a token"));
    }
    Ok((name, value.trim_ascii()))
}

/// A `tchar` of RFC 9110 §5.6.2.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The target with every byte a URL may not hold as it is percent-encoded: raw UTF-8 becomes
/// the `%E4%BC%98` it stands for. `%` itself is left alone, so an encoded URL stays as it was.
fn encode_target(target: &[u8]) -> String {
    let mut out = String::with_capacity(target.len());
    for &b in target {
        if b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Follows a chunked body over `input`: how many bytes belong to the body, and the state after
/// them.
fn chunk_step(mut chunk: Chunk, input: &[u8]) -> (usize, State) {
    let mut used = 0;
    while used < input.len() {
        let byte = input[used];
        match &mut chunk {
            Chunk::Data(remaining) => {
                let take = usize::try_from(*remaining)
                    .map_or(input.len() - used, |r| r.min(input.len() - used));
                used += take;
                *remaining -= take as u64;
                if *remaining == 0 {
                    chunk = Chunk::DataEnd;
                }
                continue;
            }
            Chunk::Size {
                size,
                digits,
                in_extension,
            } => {
                used += 1;
                match byte {
                    b'\n' if *digits > 0 => {
                        chunk = if *size == 0 {
                            Chunk::Trailer {
                                line_has_bytes: false,
                            }
                        } else {
                            Chunk::Data(*size)
                        };
                    }
                    b'\r' => {}
                    _ if *in_extension => {}
                    b';' | b' ' | b'\t' if *digits > 0 => *in_extension = true,
                    _ => match char::from(byte).to_digit(16) {
                        Some(d) if *digits < 15 => {
                            *size = *size * 16 + u64::from(d);
                            *digits += 1;
                        }
                        // Framing this reader cannot follow: the HTTP library refuses it.
                        _ => return (used, State::Opaque),
                    },
                }
            }
            Chunk::DataEnd => {
                used += 1;
                match byte {
                    b'\r' => {}
                    b'\n' => {
                        chunk = Chunk::Size {
                            size: 0,
                            digits: 0,
                            in_extension: false,
                        };
                    }
                    _ => return (used, State::Opaque),
                }
            }
            Chunk::Trailer { line_has_bytes } => {
                used += 1;
                match byte {
                    b'\r' => {}
                    b'\n' if !*line_has_bytes => return (used, State::Head(Vec::new())),
                    b'\n' => *line_has_bytes = false,
                    _ => *line_has_bytes = true,
                }
            }
        }
    }
    (used, State::Chunked(chunk))
}

#[cfg(test)]
mod tests;
