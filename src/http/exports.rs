//! Choosing between JSON, HTML, CSV and XLSX by `Accept`, and answering with a file.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpMessage as _, HttpRequest, HttpResponse};

use super::caching::VariesOnAccept;
use crate::error::ApiError;
use crate::render::{self, CSV, HTML, XLSX};
use crate::storage::listing::EvaluationSummary;

/// The media type of JSON.
pub const JSON: &str = "application/json";

/// The media type of bytes of any kind: a workbook is also offered under it, because some
/// client generators (openapi-python-client) read binary answers only of this type.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// The OpenAPI schema of a downloaded workbook: bytes, not an array of numbers, so that
/// generated clients hand them over as a file or a byte buffer.
pub struct Workbook;

impl utoipa::PartialSchema for Workbook {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaFormat, SchemaType, Type};
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .format(Some(SchemaFormat::KnownFormat(
                utoipa::openapi::schema::KnownFormat::Binary,
            )))
            .content_media_type(XLSX)
            .into()
    }
}

impl utoipa::ToSchema for Workbook {}

/// The media type to answer with: the one of `offered` the client's `Accept` prefers, or the
/// first offered (JSON) when it names none of them or sends no `Accept`. The response then
/// says in `Vary` that it depends on `Accept`.
#[must_use]
pub fn negotiate(req: &HttpRequest, offered: &[&'static str]) -> &'static str {
    req.extensions_mut().insert(VariesOnAccept);
    let fallback = offered.first().copied().unwrap_or(JSON);
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return fallback;
    };
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(position, range)| {
            let mut parts = range.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (quality > 0.0).then_some((quality, position, media))
        })
        .collect();
    // Highest quality first; among equals, the order the client wrote.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, media) in ranges {
        if let Some(found) = offered.iter().find(|o| **o == media) {
            return found;
        }
        if media == "*/*" || media == "application/*" {
            return fallback;
        }
    }
    fallback
}

/// A file to download.
#[must_use]
pub fn attachment(media: &str, file_name: &str, body: impl Into<Bytes>) -> HttpResponse {
    let content_type = if media == CSV || media == HTML {
        format!("{media}; charset=utf-8")
    } else {
        media.to_owned()
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .body(body.into())
}

/// A workbook to download, as the XLSX media type unless the client's `Accept` prefers
/// `application/octet-stream`.
#[must_use]
pub fn workbook(req: &HttpRequest, file_name: &str, body: impl Into<Bytes>) -> HttpResponse {
    attachment(negotiate(req, &[XLSX, OCTET_STREAM]), file_name, body)
}

/// A list as CSV or XLSX.
///
/// # Errors
/// `Internal` when the workbook cannot be built.
pub fn list(
    req: &HttpRequest,
    media: &str,
    items: &[EvaluationSummary],
) -> Result<HttpResponse, ApiError> {
    if media == XLSX {
        let body = render::xlsx::list_workbook(items)
            .map_err(|e| ApiError::Internal(format!("list workbook: {e}")))?;
        Ok(workbook(req, "evaluations.xlsx", body))
    } else {
        let body = render::csv::list_csv(items).into_bytes();
        Ok(attachment(CSV, "evaluations.csv", body))
    }
}
