//! Managing API tokens over HTTP (admin only), and asking who one is.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::auth::{Admin, AnyToken, Authorized};
use super::extract::JsonBody;
use crate::domain::access::{Caller, Role};
use crate::domain::messages::Detail;
use crate::domain::validation::FieldError;
use crate::error::ApiError;
use crate::storage::tokens::{self, Token};

/// A token to issue.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What it may do.
    pub role: Role,
    /// For a unit token, the unit codes (预算编码) it covers, at least one; empty for other
    /// roles.
    #[serde(default)]
    pub units: Vec<String>,
    /// A note on whom it is issued to.
    #[serde(default)]
    pub label: Option<String>,
}

/// A newly issued token with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedToken {
    /// The token as listed from now on.
    pub token: Token,
    /// The secret to send as `Authorization: Bearer <secret>`. Only its hash is kept, so it
    /// cannot be shown again.
    pub secret: String,
}

/// Lists every token ever issued, revoked ones included; never their secrets.
#[utoipa::path(
    operation_id = "list_tokens",
    tag = "access",
    responses((status = 200, description = "Every token, oldest first", body = Vec<Token>))
)]
#[get("/tokens")]
pub async fn list(
    _who: Authorized<Admin>,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<Token>>, ApiError> {
    Ok(web::Json(state.storage(|conn| tokens::list(conn)).await?))
}

/// Issues a token. The answer carries its secret, which is shown only this once.
#[utoipa::path(
    operation_id = "create_token",
    tag = "access",
    request_body(content = TokenRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Issued; `Location` names it", body = IssuedToken,
            headers(("Location" = String, description = "URL of the token"), ("Cache-Control" = String, description = "`no-store`: the secret must not be kept by any cache"))),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The role and units do not fit: a unit token needs a unit, other roles name none", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tokens")]
pub async fn create(
    _who: Authorized<Admin>,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.value;
    let units = tokens::scope(request.role, &request.units)
        .map_err(|e| ApiError::InvalidDocument(vec![FieldError::new("/units", e.to_string())]))?;
    let (token, secret) = state
        .storage(move |conn| tokens::create(conn, request.role, &units, request.label.as_deref()))
        .await?;
    tracing::info!(
        token_id = token.id,
        role = token.role.as_str(),
        "token issued"
    );
    let location = format!("{}/{}", req.path().trim_end_matches('/'), token.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        // The secret is shown once; no cache, browser or proxy, may keep a copy.
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(IssuedToken { token, secret }))
}

/// Revokes a token: it stops working at once and stays listed, with `revoked_at`, so the
/// history can still name it. Revoking it again changes nothing.
#[utoipa::path(
    operation_id = "revoke_token",
    tag = "access",
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 200, description = "Revoked", body = Token),
        (status = 404, description = "No token with this id", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/tokens/{id}")]
pub async fn revoke(
    _who: Authorized<Admin>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<Token>, ApiError> {
    let id = id.into_inner();
    let token = state
        .storage(move |conn| tokens::revoke(conn, id))
        .await
        .map_err(|e| e.not_found_as(|| Detail::NoToken { id }))?;
    tracing::info!(token_id = token.id, "token revoked");
    Ok(web::Json(token))
}

/// Who the caller is: its token's id, role and units.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The token's id, as the history names it.
    pub token_id: i64,
    /// What it may do.
    pub role: Role,
    /// The unit codes a unit token covers.
    pub units: Vec<String>,
}

/// Tells the caller who it is: a client checks its token and learns its units.
#[utoipa::path(
    operation_id = "read_me",
    tag = "access",
    responses((status = 200, description = "The caller's token", body = Me))
)]
#[get("/me")]
pub async fn me(who: Authorized<AnyToken>) -> Result<web::Json<Me>, ApiError> {
    match who.principal.caller {
        Caller::Token { id, role, units } => Ok(web::Json(Me {
            token_id: id,
            role,
            units,
        })),
        _ => Err(ApiError::Internal("a checked caller has no token".into())),
    }
}
