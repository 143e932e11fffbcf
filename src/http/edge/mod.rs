//! The edge of the service: each connection's bytes are read here before the HTTP library
//! parses them, so that every refusal, even of a request the library could not parse, is a
//! problem document, a URL written in raw UTF-8 is read, and every request head has a deadline.
//!
//! A head that cannot be answered (a request line that cannot be read, a URL over 16 KiB, a
//! head over 64 KiB, a head that did not arrive in time) is replaced by a request of the
//! service's own, marked with a secret of this process, to a path no route in the API uses; the
//! handler answers it with the refusal's status and problem document and closes the connection.
//! Responses keep their order on a connection that sent several requests at once.

pub mod framing;
mod guarded;

use std::sync::LazyLock;

use actix_web::http::ConnectionType;
use actix_web::{HttpRequest, HttpResponse, ResponseError as _};

pub use guarded::Guarded;

use crate::error::ApiError;

/// The path of the service's own requests that stand for refused heads.
pub const REFUSED_PATH: &str = "/.edge/refused";

/// Marks a request as the service's own: a client cannot guess it.
static SECRET: LazyLock<String> = LazyLock::new(|| uuid::Uuid::new_v4().simple().to_string());

const SECRET_HEADER: &str = "x-jixiao-edge";
const STATUS_HEADER: &str = "x-jixiao-edge-status";
const DETAIL_HEADER: &str = "x-jixiao-edge-detail";

/// The request that stands for a refused head.
fn stand_in(refusal: &framing::Refusal) -> Vec<u8> {
    // The detail is the service's own ASCII text; keep it to what a header may carry anyway.
    let detail: String = refusal
        .detail
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .collect();
    format!(
        "GET {REFUSED_PATH} HTTP/1.1\r\nhost: jixiao\r\nconnection: close\r\n\
         {SECRET_HEADER}: {}\r\n{STATUS_HEADER}: {}\r\n{DETAIL_HEADER}: {detail}\r\n\r\n",
        SECRET.as_str(),
        refusal.status,
    )
    .into_bytes()
}

/// Answers the service's own stand-in for a refused head with its problem document, and
/// closes the connection; a client that calls the path itself gets the 404 of any unknown path.
pub async fn refused(req: HttpRequest) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    let status = header(STATUS_HEADER)
        .parse::<u16>()
        .ok()
        .and_then(|s| actix_web::http::StatusCode::from_u16(s).ok())
        .filter(actix_web::http::StatusCode::is_client_error);
    let (true, Some(status)) = (header(SECRET_HEADER) == SECRET.as_str(), status) else {
        return ApiError::NoResource(req.path().to_owned()).error_response();
    };
    let mut response = ApiError::Refused {
        status,
        detail: header(DETAIL_HEADER).to_owned(),
    }
    .error_response();
    response
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    response
}
