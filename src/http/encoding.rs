//! Request bodies are read in the content codings this service can undo: none, gzip and
//! deflate. Any other coding is refused before a handler runs, rather than being read as if it
//! were plain (RFC 9110 §8.4: a server refuses a coding it does not know with 415).

use actix_web::Error;
use actix_web::ResponseError as _;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

use crate::error::ApiError;

/// The codings a request body may be sent in, as a 415 lists them in `Accept-Encoding`.
pub const ACCEPTED: &str = "gzip, deflate, identity";

/// Refuses a request whose `Content-Encoding` names a coding other than gzip, deflate or
/// identity (a list of them is taken in order), with 415 and `Accept-Encoding`.
///
/// # Errors
/// Whatever the inner service fails with, unchanged.
pub async fn refuse_unknown_codings(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let unknown = req
        .headers()
        .get_all(header::CONTENT_ENCODING)
        .flat_map(codings)
        .find(|coding| !is_known(coding));
    if let Some(coding) = unknown {
        let mut response = ApiError::UnsupportedEncoding(coding).error_response();
        response
            .headers_mut()
            .insert(header::ACCEPT_ENCODING, HeaderValue::from_static(ACCEPTED));
        return Ok(req.into_response(response).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// The codings a `Content-Encoding` value lists; an unreadable value is one unknown coding.
fn codings(value: &HeaderValue) -> Vec<String> {
    match value.to_str() {
        Ok(text) => text
            .split(',')
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty())
            .collect(),
        Err(_) => vec![String::from_utf8_lossy(value.as_bytes()).into_owned()],
    }
}

fn is_known(coding: &str) -> bool {
    matches!(coding, "gzip" | "x-gzip" | "deflate" | "identity")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codings_actix_decodes_are_known_and_others_are_not() {
        for known in ["gzip", "x-gzip", "deflate", "identity"] {
            assert!(is_known(known), "{known}");
        }
        for unknown in ["br", "zstd", "compress", "gzip;q=1", "bogus"] {
            assert!(!is_known(unknown), "{unknown}");
        }
    }

    #[test]
    fn a_list_of_codings_is_read_in_order() {
        let value = HeaderValue::from_static("gzip, BR");
        assert_eq!(codings(&value), vec!["gzip", "br"]);
    }
}
