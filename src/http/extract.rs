//! Extractors that turn a request into domain input, failing with `ApiError` only.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::web::{Bytes, Data};
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use serde::de::DeserializeOwned;
use serde_path_to_error::{Path, Segment};

use super::AppState;
use crate::domain::precondition::Expected;
use crate::domain::validation::FieldError;
use crate::error::ApiError;

/// A JSON body read into `T`, with the text exactly as sent.
pub struct JsonBody<T> {
    /// The parsed value.
    pub value: T,
    /// The body as received.
    pub raw: String,
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|media| {
                let media = media.trim().to_ascii_lowercase();
                media == "application/json" || media.ends_with("+json")
            });
        let limit = req
            .app_data::<Data<AppState>>()
            .map_or(super::DEFAULT_BODY_LIMIT, |s| s.body_limit);
        let bytes = Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    ApiError::PayloadTooLarge { limit }
                } else {
                    ApiError::MalformedJson(e.to_string())
                }
            })?;
            let raw = String::from_utf8(bytes.to_vec())
                .map_err(|_| ApiError::MalformedJson("the body is not UTF-8 text".into()))?;
            let value = parse_json(&raw)?;
            Ok(Self { value, raw })
        })
    }
}

/// Reads a JSON object into `T`, naming the failing field by JSON pointer. Fields `T` does not
/// know are refused, so a misspelt field never vanishes silently.
///
/// # Errors
/// `MalformedJson` for text that is not JSON, `InvalidDocument` for JSON of the wrong shape.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    if !text.trim_start().starts_with('{') {
        serde_json::from_str::<serde::de::IgnoredAny>(text)
            .map_err(|e| ApiError::MalformedJson(e.to_string()))?;
        return Err(ApiError::InvalidDocument(vec![FieldError::new(
            "",
            "the document must be a JSON object",
        )]));
    }
    let mut unknown = Vec::new();
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let mut record = |path: serde_ignored::Path<'_>| unknown.push(ignored_pointer(&path));
    let tracked = serde_ignored::Deserializer::new(deserializer, &mut record);
    let value = serde_path_to_error::deserialize(tracked).map_err(|error| {
        let pointer = pointer(error.path());
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                ApiError::InvalidDocument(vec![field_error(pointer, &inner)])
            }
            _ => ApiError::MalformedJson(inner.to_string()),
        }
    })?;
    if unknown.is_empty() {
        Ok(value)
    } else {
        Err(ApiError::InvalidDocument(
            unknown
                .into_iter()
                .map(|pointer| {
                    let name = pointer.rsplit('/').next().unwrap_or_default().to_owned();
                    FieldError::new(pointer, format!("unknown field `{name}`"))
                })
                .collect(),
        ))
    }
}

/// The JSON pointer of a field serde skipped.
fn ignored_pointer(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path as P;
    match path {
        P::Root => String::new(),
        P::Seq { parent, index } => format!("{}/{index}", ignored_pointer(parent)),
        P::Map { parent, key } => format!("{}/{}", ignored_pointer(parent), escape(key)),
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            ignored_pointer(parent)
        }
    }
}

pub(super) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

pub(super) fn pointer(path: &Path) -> String {
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(escape(key)),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .fold(String::new(), |mut out, part| {
            out.push('/');
            out.push_str(&part);
            out
        })
}

/// Points a missing field at the field itself, and says plainly when an indicator
/// tree goes deeper than three levels.
fn field_error(pointer: String, error: &serde_json::Error) -> FieldError {
    let message = error.to_string();
    let detail = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    let named = |prefix: &str| {
        detail
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    // The path of an unknown field already ends at the field itself.
    if named("unknown field `").as_deref() == Some("children") {
        let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        if is_leaf_pointer(parent) {
            return FieldError::new(
                pointer,
                "the indicator tree has three levels at most: a level-3 indicator (三级指标) cannot have children",
            );
        }
    }
    if let Some(field) = named("missing field `") {
        return FieldError::new(format!("{pointer}/{field}"), "this field is required");
    }
    FieldError::new(pointer, detail)
}

fn is_leaf_pointer(pointer: &str) -> bool {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    matches!(
        parts.as_slice(),
        ["indicators", _, "children", _, "children", _]
    )
}

/// The version an `If-Match` header requires: `Unstated` without the header, `Any` for `*`
/// (RFC 9110 §13.1.1: it matches any current representation, so the caller accepts
/// last-write-wins). If-Match compares strongly, so a weak tag (`W/"1"`) never matches; a
/// header that names no version of ours requires version 0, which never exists, so it fails
/// with 412.
#[must_use]
pub fn if_match(req: &HttpRequest) -> Expected {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Expected::Unstated;
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Expected::Any;
    }
    let version = text.split(',').find_map(|tag| {
        let tag = tag.trim();
        let opaque = tag.strip_prefix('"')?.strip_suffix('"')?;
        // Either language's tag of a version names that version.
        opaque
            .strip_suffix(EN_SUFFIX)
            .unwrap_or(opaque)
            .parse()
            .ok()
    });
    Expected::Version(version.unwrap_or(0))
}

/// What an English copy's entity tag adds to the version.
pub const EN_SUFFIX: &str = "-en";

/// The `ETag` of a version: the tag of the form's JSON, which `If-Match` compares with.
#[must_use]
pub fn etag(version: i64) -> String {
    super::conditional::EntityTag::of_version(version).header_text()
}

/// The `ETag` of a version as sent in `lang`: `"3"` in Chinese, `"3-en"` in English, since
/// the two carry different text.
#[must_use]
pub fn etag_in(version: i64, lang: crate::domain::messages::Lang) -> String {
    super::conditional::EntityTag::of_version_in(version, lang).header_text()
}
