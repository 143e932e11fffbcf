//! The language of the text a response holds, from `Accept-Language`: Chinese unless the
//! first acceptable tag is English. Findings, score explanations and problem titles and
//! details follow it; machine fields (`code`, `type`, `path`) never do.

use std::future::{Ready, ready};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpRequest};

use crate::domain::messages::Lang;
use crate::error::{ApiError, PROBLEM_JSON};

/// The language `req` asks for.
#[must_use]
pub fn requested(req: &HttpRequest) -> Lang {
    Lang::negotiate(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok()),
    )
}

impl FromRequest for Lang {
    type Error = Error;
    type Future = Ready<Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(requested(req)))
    }
}

/// Writes the problem document of an error response in the language the request asks for.
/// Errors are rendered in Chinese where they arise (which knows nothing of the request); an
/// English caller gets the same problem with its title and detail in English. The body is
/// replaced whole, so any content coding applied to the Chinese one is dropped with it.
///
/// # Errors
/// Never: an error from the inner service becomes its problem response.
pub async fn localize_problems(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let lang = requested(req.request());
    let request = req.request().clone();
    let response = match next.call(req).await {
        Ok(response) => response.map_into_boxed_body(),
        Err(error) => ServiceResponse::from_err(error, request),
    };
    if lang == Lang::Zh {
        return Ok(response);
    }
    let problem = response
        .response()
        .error()
        .and_then(|error| error.as_error::<ApiError>())
        .map(|error| error.problem_in(lang));
    let Some(problem) = problem else {
        return Ok(response);
    };
    let body = serde_json::to_string(&problem).unwrap_or_default();
    let (request, mut response) = response.into_parts();
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_ENCODING);
    headers.remove(header::CONTENT_LENGTH);
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    Ok(ServiceResponse::new(request, response.set_body(body).map_into_boxed_body()))
}

/// `stored` with its findings and explanations written out in `lang`.
#[must_use]
pub fn localized(
    mut stored: crate::storage::evaluations::StoredEvaluation,
    lang: Lang,
) -> crate::storage::evaluations::StoredEvaluation {
    stored.result.localize(lang);
    stored
}
