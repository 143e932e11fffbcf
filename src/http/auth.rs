//! Bearer tokens: the middleware that turns `Authorization: Bearer <token>` into the caller,
//! and the extractors handlers use to learn who is calling and to refuse early.
//!
//! The secret is hashed and looked up, then dropped; it is never logged or kept.

use std::marker::PhantomData;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{Error, FromRequest, HttpMessage as _, HttpRequest, ResponseError as _};

use super::AppState;
use super::read_cache::{GenerationAsked, Verified};
use crate::domain::access::{Caller, Need, Operation, Principal};
use crate::domain::messages::Detail;
use crate::error::ApiError;
use crate::storage::tokens;

/// Resolves the bearer token of every API request into the caller, kept in the request's
/// extensions for the extractors. A request without `Authorization` is anonymous; one with an
/// unknown, revoked or malformed token is refused with 401 whatever it asks for, so that a
/// client never mistakes a dead token for anonymous access.
///
/// # Errors
/// Whatever the inner service fails with, unchanged.
pub async fn authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let presented = req.headers().get(header::AUTHORIZATION).map(bearer);
    if let (Some(presented), true) = (presented, req.path().starts_with("/api/")) {
        match resolve(&req, presented).await {
            Ok((caller, generation)) => {
                req.extensions_mut().insert(caller);
                if let Some(generation) = generation {
                    req.extensions_mut().insert(GenerationAsked(generation));
                }
            }
            Err(error) => {
                let response = error.error_response();
                return Ok(req.into_response(response).map_into_right_body());
            }
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// The secret of a `Bearer` credential; `None` for any other scheme or a malformed header.
fn bearer(value: &header::HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?.trim();
    let (scheme, secret) = text.split_once(' ')?;
    let secret = secret.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !secret.is_empty() && !secret.contains(' '))
        .then(|| secret.to_owned())
}

async fn resolve(
    req: &ServiceRequest,
    presented: Option<String>,
) -> Result<(Caller, Option<i64>), ApiError> {
    let Some(secret) = presented else {
        return Err(ApiError::InvalidToken(Detail::TokenMalformed));
    };
    let state = req
        .app_data::<Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("the application state is missing".into()))?
        .clone();
    let hash = tokens::secret_hash(&secret);
    drop(secret);
    // Asked before the lookup, so that a revocation committed meanwhile, here or by the CLI,
    // makes this verification stale.
    let generation = state.db.generation();
    let kept = generation.and_then(|generation| state.read_cache.token(&hash, generation));
    let verified = match kept {
        Some(verified) => verified,
        None => {
            let lookup = hash.clone();
            let token = state
                .storage(move |conn| tokens::find_active_by_hash(conn, &lookup))
                .await?;
            let token = token.ok_or(ApiError::InvalidToken(Detail::TokenUnknown))?;
            let verified = Verified {
                id: token.id,
                role: token.role,
                caller: token.caller(),
            };
            if let Some(generation) = generation {
                state
                    .read_cache
                    .keep_token(hash, generation, verified.clone());
            }
            verified
        }
    };
    crate::telemetry::request::set_caller(verified.id, verified.role.as_str());
    Ok((verified.caller, generation))
}

/// The caller of this request, anonymous without a token.
impl FromRequest for Principal {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(principal_of(req)))
    }
}

fn principal_of(req: &HttpRequest) -> Principal {
    let public_reading = req
        .app_data::<Data<AppState>>()
        .is_some_and(|state| state.public_reading);
    Principal {
        caller: req
            .extensions()
            .get::<Caller>()
            .cloned()
            .unwrap_or(Caller::Anonymous),
        public_reading,
    }
}

/// What a handler requires of its caller before anything else is read.
pub trait Requirement {
    /// Refuses a caller that can never make this call.
    ///
    /// # Errors
    /// 401 without a token, 403 for a role that may not.
    fn check(principal: &Principal) -> Result<(), ApiError>;
}

/// The caller, checked against `R` as the request arrives. Put it first among a handler's
/// arguments: extractors are polled in order, so the refusal comes before the body is read.
pub struct Authorized<R> {
    /// The caller.
    pub principal: Principal,
    _requirement: PhantomData<R>,
}

impl<R: Requirement> FromRequest for Authorized<R> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let principal = principal_of(req);
        std::future::ready(R::check(&principal).map(|()| Self {
            principal,
            _requirement: PhantomData,
        }))
    }
}

macro_rules! requirement {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl Requirement for $name {
            fn check(principal: &Principal) -> Result<(), ApiError> {
                let check: fn(&Principal) -> Result<(), crate::domain::access::Denial> = $check;
                check(principal).map_err(ApiError::from)
            }
        }
    };
}

requirement!(
    /// Creating, replacing or deleting forms: admin or unit.
    Edit,
    |p| p.may_attempt(Operation::Edit)
);
requirement!(
    /// Submitting forms: admin or unit.
    Submit,
    |p| p.may_attempt(Operation::Submit)
);
requirement!(
    /// Review scores, returning and approving: admin or reviewer.
    Review,
    |p| p.may_attempt(Operation::Review)
);
requirement!(
    /// Reopening approved forms: admin or reviewer.
    Reopen,
    |p| p.may_attempt(Operation::Reopen)
);
requirement!(
    /// Reading a form's history: any token.
    ReadHistory,
    |p| p.may_attempt(Operation::ReadHistory)
);
requirement!(
    /// Any valid token.
    AnyToken,
    |p| p.require(Need::AnyToken)
);
requirement!(
    /// An admin token.
    Admin,
    |p| p.require(Need::Admin)
);
requirement!(
    /// An admin or reviewer token.
    Oversight,
    |p| p.require(Need::Oversight)
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_well_formed_bearer_credential_is_read() {
        let read = |text: &str| bearer(&header::HeaderValue::from_str(text).unwrap());
        assert_eq!(read("Bearer jx_abc").as_deref(), Some("jx_abc"));
        assert_eq!(read("bearer   jx_abc ").as_deref(), Some("jx_abc"));
        assert_eq!(read("Basic dXNlcjpwYXNz"), None);
        assert_eq!(read("Bearer"), None);
        assert_eq!(read("Bearer a b"), None);
        assert_eq!(read("jx_abc"), None);
    }
}
