//! One log line per request, and a request id that follows the request through logs and back
//! to the client as `X-Request-Id`.

use std::cell::Cell;
use std::sync::Arc;
use std::time::Instant;

use actix_web::Error;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, Next};

use crate::telemetry::request as log;

use super::caching::{Asked, set_cache_headers};
use super::language::{in_language, requested};

/// The header carrying the request id, both ways.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Answers every request: logs method, path, status, latency and request id once per
/// request, and answers with the request id (the caller's own `X-Request-Id` when it is a sane
/// token, else a new UUID); writes a problem in the caller's language
/// ([`super::language::in_language`]); and sets the cache headers
/// ([`super::caching::set_cache_headers`]). One layer does the three, since every request
/// passes through each of them.
///
/// # Errors
/// Whatever the inner service fails with, its problem in the caller's language.
pub async fn respond(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map_or_else(fresh_request_id, str::to_owned);
    // Lines logged while the request runs name it, and its caller once the token is verified.
    // Method and path are on the closing line alone.
    let logged_as = log::Request::new(request_id);
    let method = req.method().clone();
    let path = req.path().to_owned();
    let asked = Asked::of(&req);
    let lang = requested(req.request());
    let started = Instant::now();
    let answered = log::within(Arc::clone(&logged_as), next.call(req)).await;
    let mut response = in_language(answered, lang)?;
    set_cache_headers(&mut response, asked);
    let status = response.status().as_u16();
    if let Ok(value) = HeaderValue::from_str(logged_as.id()) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    // Milliseconds to a tenth, as a number: formatting it costs no allocation.
    #[expect(
        clippy::cast_precision_loss,
        reason = "a latency shown to a tenth of a millisecond"
    )]
    let latency_ms = (started.elapsed().as_micros() / 100) as f64 / 10.0;
    log::within_sync(Some(logged_as), || {
        tracing::info!(
            method = %method,
            path = %path,
            status,
            latency_ms,
            "request finished"
        );
    });
    Ok(response)
}

/// A new request id: a random (version 4) UUID, drawn from a generator of each worker thread
/// that the operating system seeds once, rather than from a system call for 16 random bytes on
/// every request. An id has to be unique, not unguessable: it names a request in the log.
fn fresh_request_id() -> String {
    thread_local! {
        static STATE: Cell<u64> = Cell::new(uuid::Uuid::new_v4().as_u64_pair().0);
    }
    let (high, low) = STATE.with(|state| (split_mix(state), split_mix(state)));
    let bits = (u128::from(high) << 64) | u128::from(low);
    uuid::Builder::from_random_bytes(bits.to_be_bytes())
        .into_uuid()
        .to_string()
}

/// One step of SplitMix64: every state gives a different output, over a period of 2^64.
fn split_mix(state: &Cell<u64>) -> u64 {
    let next = state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
    state.set(next);
    let mut z = next;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Admits a request: refuses a body in a content coding the service cannot read
/// ([`super::encoding::unknown_coding`]), and routes a HEAD request as the GET it mirrors (the
/// HTTP layer remembers that the request was HEAD and sends the headers without the body).
///
/// # Errors
/// Whatever the inner service fails with, unchanged.
pub async fn admit(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    if let Some(refusal) = super::encoding::unknown_coding(&req) {
        return Ok(req.into_response(refusal).map_into_right_body());
    }
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// Turns a client error produced outside the handlers (a refused CORS preflight, a 404 of the
/// documentation pages) into the problem document every other error is, keeping its status
/// and headers.
///
/// # Errors
/// Never: it only rewrites the response.
pub fn problem_for_plain_client_error<B>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = response
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|v| {
            // An NDJSON answer (a refused atomic bulk create) names each failed line itself.
            v.as_bytes()
                .starts_with(crate::error::PROBLEM_JSON.as_bytes())
                || v.as_bytes().starts_with(super::bulk::NDJSON.as_bytes())
        });
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let detail = response.response().error().map_or_else(
        || {
            status
                .canonical_reason()
                .unwrap_or("client error")
                .to_owned()
        },
        ToString::to_string,
    );
    // Built with the error kept, so that its problem can be written in the caller's language.
    let mut problem =
        actix_web::HttpResponse::from_error(crate::error::ApiError::Refused { status, detail });
    for (name, value) in response.headers() {
        if name != actix_web::http::header::CONTENT_TYPE
            && name != actix_web::http::header::CONTENT_LENGTH
        {
            problem.headers_mut().append(name.clone(), value.clone());
        }
    }
    let (request, _) = response.into_parts();
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, problem).map_into_right_body(),
    ))
}

#[cfg(test)]
mod tests {
    use super::fresh_request_id;

    #[test]
    fn fresh_request_ids_are_distinct_version_4_uuids() {
        let ids: std::collections::HashSet<String> =
            (0..10_000).map(|_| fresh_request_id()).collect();
        assert_eq!(ids.len(), 10_000);
        for id in ids.iter().take(100) {
            let parsed = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(parsed.get_version_num(), 4);
            assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
        }
    }
}
