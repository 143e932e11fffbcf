//! The language of the text a response holds, from `Accept-Language`: Chinese unless the
//! first acceptable tag is English. Findings, score explanations and problem titles and
//! details follow it; machine fields (`code`, `type`, `path`) never do.

use std::future::{Ready, ready};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
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

/// Writes the problem document of an error response in the language the request asked for.
/// Errors are rendered in Chinese where they arise (which knows nothing of the request); an
/// English caller gets the same problem with its title and detail in English. The body is
/// replaced whole, so any content coding applied to the Chinese one is dropped with it.
///
/// # Errors
/// The inner service's error, its problem written in `lang`.
pub fn in_language<B: MessageBody + 'static>(
    answered: Result<ServiceResponse<B>, Error>,
    lang: Lang,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if lang == Lang::Zh {
        return answered.map(ServiceResponse::map_into_boxed_body);
    }
    match answered {
        Ok(response) => {
            let Some(api_error) = response
                .response()
                .error()
                .and_then(|error| error.as_error::<ApiError>())
            else {
                return Ok(response.map_into_boxed_body());
            };
            let body = problem_body(api_error, lang);
            let (request, mut response) = response.into_parts();
            rewrite_headers(response.headers_mut(), lang);
            Ok(ServiceResponse::new(
                request,
                response.set_body(body).map_into_boxed_body(),
            ))
        }
        Err(error) => {
            let Some(api_error) = error.as_error::<ApiError>() else {
                return Err(error);
            };
            let mut response = actix_web::ResponseError::error_response(api_error);
            rewrite_headers(response.headers_mut(), lang);
            let response = response.set_body(BoxBody::new(problem_body(api_error, lang)));
            Err(InternalError::from_response(api_error.to_string(), response).into())
        }
    }
}

fn problem_body(error: &ApiError, lang: Lang) -> String {
    serde_json::to_string(&error.problem_in(lang)).unwrap_or_default()
}

fn rewrite_headers(headers: &mut HeaderMap, lang: Lang) {
    headers.remove(header::CONTENT_ENCODING);
    headers.remove(header::CONTENT_LENGTH);
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.tag()),
    );
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
