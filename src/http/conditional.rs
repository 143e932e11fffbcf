//! Conditional reads: entity tags, and `If-None-Match` answered with 304 Not Modified (RFC 9110
//! §13.1.2, §15.4.5), so that a client holding the current representation is not sent it again.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use utoipa::IntoParams;

use crate::error::ApiError;

/// The header a conditional read sends, as the OpenAPI document declares it.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[expect(dead_code, reason = "declares the header for the OpenAPI document")]
pub struct ConditionalRead {
    /// The `ETag` of the copy the caller holds (several, comma-separated, or `*` for any).
    /// When it is the current one, the answer is 304 Not Modified, without a body. Tags are
    /// compared weakly (RFC 9110 §13.1.2): `W/"3"` matches `"3"`.
    #[param(rename = "If-None-Match", value_type = String, required = false)]
    if_none_match: Option<String>,
}

/// What a 304 answer says, in the OpenAPI document.
pub const NOT_MODIFIED: &str = "Not modified: the `ETag` in `If-None-Match` is current. No \
    body; the caller's copy is still good";

/// An entity tag (RFC 9110 §8.8.3). A strong tag promises the same bytes; a weak one only the
/// same content, for representations whose bytes differ from one response to the next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityTag {
    opaque: String,
    weak: bool,
}

impl EntityTag {
    /// A strong tag. `opaque` must hold only characters a tag may hold (`!`, `#` to `~`).
    #[must_use]
    pub fn strong(opaque: impl Into<String>) -> Self {
        Self {
            opaque: opaque.into(),
            weak: false,
        }
    }

    /// A weak tag. `opaque` must hold only characters a tag may hold (`!`, `#` to `~`).
    #[must_use]
    pub fn weak(opaque: impl Into<String>) -> Self {
        Self {
            opaque: opaque.into(),
            weak: true,
        }
    }

    /// The tag of a version of a form's JSON: the version itself, strong, as `If-Match`
    /// compares it.
    #[must_use]
    pub fn of_version(version: i64) -> Self {
        Self::strong(version.to_string())
    }

    /// The tag of a version of a form's JSON as sent in `lang`: the version for Chinese, the
    /// version and `-en` for English, so that a cache or an `If-None-Match` never takes one
    /// language's copy for the other's. `If-Match` reads either as the version.
    #[must_use]
    pub fn of_version_in(version: i64, lang: crate::domain::messages::Lang) -> Self {
        match lang {
            crate::domain::messages::Lang::Zh => Self::of_version(version),
            crate::domain::messages::Lang::En => {
                Self::strong(format!("{version}{}", super::extract::EN_SUFFIX))
            }
        }
    }

    /// The tag as the `ETag` header sends it: `"3"` or `W/"3-xlsx"`.
    #[must_use]
    pub fn header_text(&self) -> String {
        let prefix = if self.weak { "W/" } else { "" };
        format!("{prefix}\"{}\"", self.opaque)
    }

    fn header_value(&self) -> Result<HeaderValue, ApiError> {
        HeaderValue::from_str(&self.header_text())
            .map_err(|_| ApiError::Internal(format!("unsendable entity tag {:?}", self.opaque)))
    }

    /// Weak comparison (§8.8.3.2): the same opaque text, whether either tag is weak or not.
    fn weakly_matches(&self, other: &Self) -> bool {
        self.opaque == other.opaque
    }
}

/// What an `If-None-Match` header asks.
#[derive(Debug, PartialEq, Eq)]
enum IfNoneMatch {
    /// No header: send the representation.
    Absent,
    /// `*`: the caller holds some representation, whichever is current.
    Any,
    /// The tags of the representations the caller holds.
    Tags(Vec<EntityTag>),
}

impl IfNoneMatch {
    /// The condition of a request, from all its `If-None-Match` lines.
    fn of(req: &HttpRequest) -> Self {
        let mut lines = req.headers().get_all(header::IF_NONE_MATCH).peekable();
        if lines.peek().is_none() {
            return Self::Absent;
        }
        let mut tags = Vec::new();
        for line in lines {
            // A line that is not text names no tag of ours, so it cannot match.
            let text = line.to_str().unwrap_or_default();
            if text.trim() == "*" {
                return Self::Any;
            }
            tags.extend(parse_tags(text));
        }
        Self::Tags(tags)
    }

    /// Whether the caller already holds the representation tagged `current`: the condition
    /// evaluates to false, and a GET is answered 304.
    fn holds(&self, current: &EntityTag) -> bool {
        match self {
            Self::Absent => false,
            Self::Any => true,
            Self::Tags(tags) => tags.iter().any(|tag| tag.weakly_matches(current)),
        }
    }
}

/// The entity tags of a comma-separated list (`"1", W/"2-html"`). A malformed member ends the
/// list: the members read so far are kept, and the rest, whose boundaries are unknown, is not
/// guessed at.
fn parse_tags(text: &str) -> Vec<EntityTag> {
    let mut tags = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches([',', ' ', '\t']);
        if rest.is_empty() {
            return tags;
        }
        let (weak, quoted) = match rest.strip_prefix("W/") {
            Some(after) => (true, after),
            None => (false, rest),
        };
        let Some(opaque_and_rest) = quoted.strip_prefix('"') else {
            return tags;
        };
        let Some((opaque, after)) = opaque_and_rest.split_once('"') else {
            return tags;
        };
        let opaque = opaque.to_owned();
        tags.push(if weak {
            EntityTag::weak(opaque)
        } else {
            EntityTag::strong(opaque)
        });
        rest = after;
    }
}

/// The answer to a GET of a representation tagged `tag`: 304 Not Modified, with the tag and
/// no body, when `If-None-Match` says the caller holds it; else the response `full` builds,
/// with the tag as its `ETag`. Call it once the caller is known to be allowed to read the
/// resource, so that a 304 never confirms what a 404 hides.
///
/// # Errors
/// What `full` fails with.
pub fn unless_held(
    req: &HttpRequest,
    tag: &EntityTag,
    full: impl FnOnce() -> Result<HttpResponse, ApiError>,
) -> Result<HttpResponse, ApiError> {
    if IfNoneMatch::of(req).holds(tag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, tag.header_value()?))
            .finish());
    }
    tagged(full()?, tag)
}

/// `response` with `tag` as its `ETag`, for a representation that is always sent whole.
///
/// # Errors
/// `Internal` when the tag cannot be sent as a header.
pub fn tagged(mut response: HttpResponse, tag: &EntityTag) -> Result<HttpResponse, ApiError> {
    response
        .headers_mut()
        .insert(header::ETAG, tag.header_value()?);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn condition(lines: &[&str]) -> IfNoneMatch {
        let mut request = TestRequest::default();
        for line in lines {
            request = request.append_header((header::IF_NONE_MATCH, *line));
        }
        IfNoneMatch::of(&request.to_http_request())
    }

    #[test]
    fn lists_star_and_several_lines_are_read() {
        assert_eq!(condition(&[]), IfNoneMatch::Absent);
        assert_eq!(condition(&["*"]), IfNoneMatch::Any);
        assert_eq!(
            condition(&[r#""1", W/"2-html""#, r#""3""#]),
            IfNoneMatch::Tags(vec![
                EntityTag::strong("1"),
                EntityTag::weak("2-html"),
                EntityTag::strong("3"),
            ])
        );
        assert_eq!(
            condition(&[r#""a,b" ,, "c""#]),
            IfNoneMatch::Tags(vec![EntityTag::strong("a,b"), EntityTag::strong("c")]),
            "a comma inside a tag is part of it"
        );
    }

    #[test]
    fn a_malformed_member_ends_the_list() {
        assert_eq!(
            condition(&[r#""1", 2, "3""#]),
            IfNoneMatch::Tags(vec![EntityTag::strong("1")])
        );
        assert_eq!(condition(&[r#""unterminated"#]), IfNoneMatch::Tags(vec![]));
        assert_eq!(condition(&["w/\"1\""]), IfNoneMatch::Tags(vec![]));
    }

    #[test]
    fn comparison_is_weak() {
        let current = EntityTag::strong("3");
        assert!(condition(&[r#"W/"3""#]).holds(&current));
        assert!(condition(&[r#""2", "3""#]).holds(&current));
        assert!(condition(&["*"]).holds(&current));
        assert!(!condition(&[r#""2""#]).holds(&current));
        assert!(!condition(&[r#""3-html""#]).holds(&current));
        assert!(!condition(&[]).holds(&current));
        assert!(condition(&[r#""3-xlsx""#]).holds(&EntityTag::weak("3-xlsx")));
    }

    #[test]
    fn tags_are_sent_quoted() {
        assert_eq!(EntityTag::strong("3").header_text(), r#""3""#);
        assert_eq!(EntityTag::weak("3-xlsx").header_text(), r#"W/"3-xlsx""#);
    }
}
