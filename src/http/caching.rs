//! What caches may do with each response: `Cache-Control`, and `Vary` naming every request
//! header the response depends on (RFC 9111 §5.2, RFC 9110 §12.5.5).
//!
//! The policy, for responses that do not set their own:
//! - a successful read (GET or HEAD answered 2xx or 304) with a token is `private, no-cache`:
//!   what a token reads may be a unit's unpublished form, which no shared cache may keep, and
//!   the holder revalidates before each use, cheaply with `If-None-Match`;
//! - a successful read without a token is `public, no-cache`: anonymous callers read only
//!   published forms (决算公开) and public data, which a shared cache may keep as long as it
//!   revalidates, so that a reopened form is never served from a cache as still approved;
//! - anything else — writes, and every error — is `no-store`: it answers one request, and an
//!   error can describe what the caller may not see.
//!
//! Responses that hold secrets (an issued token) set `no-store` themselves.

use actix_web::HttpMessage as _;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};

/// Marks a request whose response was chosen by its `Accept` header, so that it says so in
/// `Vary`. Set by content negotiation.
#[derive(Clone, Copy, Debug)]
pub struct VariesOnAccept;

/// Sets `Cache-Control` where the response has none, and merges `Vary` into one header that
/// names `Authorization` for API responses (what they hold depends on the caller),
/// `Accept-Encoding` for every response (any may be compressed), and `Accept` where the
/// representation was negotiated. Applied outside `Compress` and CORS, whose `Vary` it merges.
pub fn set_cache_headers<B>(response: &mut ServiceResponse<B>, asked: Asked) {
    let Asked {
        is_read,
        with_token,
        is_api,
    } = asked;
    let negotiated = response.request().extensions().contains::<VariesOnAccept>();
    let policy = policy(is_read, response.status(), with_token);
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| {
            v.as_bytes()
                .starts_with(crate::error::PROBLEM_JSON.as_bytes())
        });
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    // Findings, explanations and problem documents are written in the caller's language.
    let ours = OurVary {
        authorization: is_api,
        language: is_api || is_problem,
        accept: negotiated,
    };
    if headers.contains_key(header::VARY) {
        merge_vary_kept(headers, ours);
    } else {
        // Most responses name nothing else: their line is one of eight, made once.
        headers.insert(header::VARY, ours.line());
    }
}

/// What the cache headers of a response depend on in its request.
#[derive(Clone, Copy, Debug)]
pub struct Asked {
    is_read: bool,
    with_token: bool,
    is_api: bool,
}

impl Asked {
    /// What `req` asks that its response's cache headers depend on.
    #[must_use]
    pub fn of(req: &ServiceRequest) -> Self {
        Self {
            is_read: matches!(*req.method(), Method::GET | Method::HEAD),
            with_token: req.headers().contains_key(header::AUTHORIZATION),
            is_api: req.path().starts_with("/api/"),
        }
    }
}

/// The request headers a response of the API varies on, besides `Accept-Encoding`, which
/// every response names.
#[derive(Clone, Copy)]
struct OurVary {
    authorization: bool,
    language: bool,
    accept: bool,
}

impl OurVary {
    fn names(self) -> impl Iterator<Item = &'static str> {
        [
            self.authorization.then_some("Authorization"),
            self.language.then_some("Accept-Language"),
            self.accept.then_some("Accept"),
            Some("Accept-Encoding"),
        ]
        .into_iter()
        .flatten()
    }

    /// The `Vary` line naming these headers alone.
    fn line(self) -> HeaderValue {
        static LINES: std::sync::LazyLock<Vec<HeaderValue>> = std::sync::LazyLock::new(|| {
            (0..8_u8)
                .map(|bits| {
                    let names: Vec<&str> = OurVary::from_bits(bits).names().collect();
                    HeaderValue::from_str(&names.join(", "))
                        .unwrap_or_else(|_| HeaderValue::from_static("*"))
                })
                .collect()
        });
        LINES[usize::from(self.bits())].clone()
    }

    fn bits(self) -> u8 {
        u8::from(self.authorization) | u8::from(self.language) << 1 | u8::from(self.accept) << 2
    }

    fn from_bits(bits: u8) -> Self {
        Self {
            authorization: bits & 1 != 0,
            language: bits & 2 != 0,
            accept: bits & 4 != 0,
        }
    }
}

fn policy(is_read: bool, status: StatusCode, with_token: bool) -> &'static str {
    let kept = is_read && (status.is_success() || status == StatusCode::NOT_MODIFIED);
    match (kept, with_token) {
        (false, _) => "no-store",
        (true, true) => "private, no-cache",
        (true, false) => "public, no-cache",
    }
}

/// [`merge_vary`], its answers kept per thread: responses bring few different `Vary` lines
/// (CORS and compression add the same ones every time), so the merge is made once for each.
fn merge_vary_kept(headers: &mut HeaderMap, ours: OurVary) {
    /// Enough for every combination the service makes; others are merged each time.
    const KEPT_AT_MOST: usize = 64;
    thread_local! {
        static MERGED: std::cell::RefCell<std::collections::HashMap<(u8, Vec<u8>), HeaderValue>> =
            std::cell::RefCell::default();
    }
    let mut present = Vec::new();
    for value in headers.get_all(header::VARY) {
        present.extend_from_slice(value.as_bytes());
        present.push(b'\n');
    }
    let key = (ours.bits(), present);
    if let Some(line) = MERGED.with_borrow(|kept| kept.get(&key).cloned()) {
        headers.insert(header::VARY, line);
        return;
    }
    merge_vary(headers, ours.names());
    if let Some(line) = headers.get(header::VARY).cloned() {
        MERGED.with_borrow_mut(|kept| {
            if kept.len() < KEPT_AT_MOST {
                kept.insert(key, line);
            }
        });
    }
}

/// Replaces every `Vary` line by one naming each header once: `ours` first, then those
/// already named, so that a response reads the same whether `Compress` named
/// `Accept-Encoding` (a 200) or not (its 304).
fn merge_vary(headers: &mut HeaderMap, ours: impl IntoIterator<Item = &'static str>) {
    let present: Vec<String> = headers
        .get_all(header::VARY)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|text| text.split(','))
        .map(str::to_owned)
        .collect();
    let named: Vec<String> = ours
        .into_iter()
        .map(str::to_owned)
        .chain(present)
        .map(|name| canonical(name.trim()))
        .filter(|name| !name.is_empty())
        .fold(Vec::new(), |mut names, name| {
            if !names.iter().any(|n: &String| n.eq_ignore_ascii_case(&name)) {
                names.push(name);
            }
            names
        });
    // `*` already says the response varies on everything.
    let text = if named.iter().any(|n| n == "*") {
        "*".to_owned()
    } else {
        named.join(", ")
    };
    if let Ok(value) = HeaderValue::from_str(&text) {
        headers.insert(header::VARY, value);
    }
}

/// A header name as written in documents: `accept-encoding` → `Accept-Encoding`.
fn canonical(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
            })
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_successful_reads_are_kept_and_only_anonymous_ones_publicly() {
        assert_eq!(policy(true, StatusCode::OK, true), "private, no-cache");
        assert_eq!(
            policy(true, StatusCode::NOT_MODIFIED, true),
            "private, no-cache"
        );
        assert_eq!(policy(true, StatusCode::OK, false), "public, no-cache");
        assert_eq!(policy(true, StatusCode::NOT_FOUND, false), "no-store");
        assert_eq!(policy(false, StatusCode::CREATED, true), "no-store");
        assert_eq!(policy(false, StatusCode::OK, false), "no-store");
    }

    #[test]
    fn vary_names_each_header_once() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::VARY,
            HeaderValue::from_static("Origin, accept-encoding"),
        );
        headers.append(
            header::VARY,
            HeaderValue::from_static("access-control-request-method"),
        );
        merge_vary(&mut headers, ["Authorization", "Accept-Encoding"]);
        assert_eq!(
            headers.get(header::VARY).unwrap(),
            "Authorization, Accept-Encoding, Origin, Access-Control-Request-Method"
        );
        assert_eq!(headers.get_all(header::VARY).count(), 1);
    }

    #[test]
    fn a_star_stands_alone() {
        let mut headers = HeaderMap::new();
        headers.append(header::VARY, HeaderValue::from_static("*"));
        merge_vary(&mut headers, ["Accept"]);
        assert_eq!(headers.get(header::VARY).unwrap(), "*");
    }

    #[test]
    fn the_ready_made_vary_lines_are_what_merging_into_nothing_gives() {
        for bits in 0..8 {
            let ours = OurVary::from_bits(bits);
            let mut headers = HeaderMap::new();
            merge_vary(&mut headers, ours.names());
            assert_eq!(headers.get(header::VARY), Some(&ours.line()), "{bits}");
        }
        assert_eq!(
            OurVary::from_bits(0b011).line(),
            "Authorization, Accept-Language, Accept-Encoding"
        );
    }

    #[test]
    fn a_kept_merge_is_the_merge() {
        let cors = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
        for bits in 0..8 {
            for present in [
                vec![cors],
                vec!["accept-encoding", cors],
                vec!["*"],
                vec!["X-One, x-two"],
            ] {
                let fill = || {
                    let mut headers = HeaderMap::new();
                    for value in &present {
                        headers.append(header::VARY, HeaderValue::from_static(value));
                    }
                    headers
                };
                let (mut merged, mut kept) = (fill(), fill());
                merge_vary(&mut merged, OurVary::from_bits(bits).names());
                // Twice: once merged and kept, once from what was kept.
                for _ in 0..2 {
                    let mut again = kept.clone();
                    merge_vary_kept(&mut again, OurVary::from_bits(bits));
                    assert_eq!(
                        again.get(header::VARY),
                        merged.get(header::VARY),
                        "{bits} {present:?}"
                    );
                    assert_eq!(again.get_all(header::VARY).count(), 1);
                }
                kept.clear();
            }
        }
    }
}
