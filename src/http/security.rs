//! The OpenAPI description of who may call what: the bearer scheme, each operation's roles,
//! and the 401 and 403 answers, derived from the access rules themselves.

use utoipa::openapi::content::Content;
use utoipa::openapi::header::Header;
use utoipa::openapi::path::Operation as ApiOperation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::Type;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Ref, RefOr};

use crate::domain::access::{Need, Operation, Role};

/// Who may call an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Callers {
    /// Anyone; a token, if sent, must be valid.
    Anyone,
    /// Anyone for published (approved) forms; otherwise a token with access to the form.
    Published,
    /// A token whose role may do this operation on a form it may read.
    Form(Operation),
    /// A token with this need.
    Token(Need),
    /// A token whose role may do this operation, on no form in particular.
    Role(Operation),
}

/// Who may call each operation, by operation id. Every API operation is listed: a test fails
/// for one that is not.
#[must_use]
pub fn callers(operation_id: &str) -> Option<Callers> {
    use Callers::{Anyone, Form, Published, Role as ByRole, Token};
    Some(match operation_id {
        "list_rulesets" | "read_ruleset" | "download_template" => Anyone,
        "list_evaluations"
        | "export_evaluations_csv"
        | "export_evaluations_xlsx"
        | "read_stats"
        | "read_unit_trend"
        | "read_evaluation"
        | "read_evaluation_form"
        | "print_evaluation_form"
        | "export_evaluation_form"
        | "read_evaluation_version" => Published,
        "create_evaluation" | "replace_evaluation" | "delete_evaluation" => Form(Operation::Edit),
        "read_evaluation_history" => Form(Operation::ReadHistory),
        "submit_evaluation" => Form(Operation::Submit),
        "return_evaluation" | "approve_evaluation" | "review_evaluation" => Form(Operation::Review),
        "reopen_evaluation" => Form(Operation::Reopen),
        "draw_review_sample" | "read_review_sample" | "list_review_samples" => {
            ByRole(Operation::Review)
        }
        "score_form" | "list_deadlines" | "read_me" | "import_evaluation" | "list_units" => {
            Token(Need::AnyToken)
        }
        "set_deadline" | "remove_deadline" | "list_tokens" | "create_token" | "revoke_token"
        | "set_unit" | "remove_unit" | "publish_ruleset" => Token(Need::Admin),
        "read_filing" => Token(Need::Oversight),
        _ => return None,
    })
}

const SCHEME: &str = "bearer";
const UNAUTHORIZED: &str = "Unauthorized";
const FORBIDDEN: &str = "Forbidden";

/// Declares the bearer scheme and the shared 401/403 responses, and gives every `/api/v1`
/// operation its security requirement, a sentence on who may call it, and those responses.
pub fn declare(api: &mut utoipa::openapi::OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        SCHEME,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("jx_ followed by 64 hex digits")
                .description(Some(
                    "A token issued by `jixiao token create` or `POST /api/v1/tokens`.",
                ))
                .build(),
        ),
    );
    components.responses.insert(
        UNAUTHORIZED.into(),
        problem(
            "No token on a call that needs one, or a token that is unknown, revoked or \
             malformed; `WWW-Authenticate` says which (`error=\"invalid_token\"`)",
            true,
        ),
    );
    components.responses.insert(
        FORBIDDEN.into(),
        problem(
            "The token's role may not do this, or a unit token names a unit it does not cover",
            false,
        ),
    );
    // The default for every operation that states none: no token needed, a valid one
    // accepted. Public operations inherit it rather than repeating it, because generators
    // (openapi-python-client) type any operation with its own `security` as needing a token.
    api.security = Some(vec![SecurityRequirement::default(), bearer(&[])]);
    for (path, item) in &mut api.paths.paths {
        if !path.starts_with("/api/") {
            // Outside the API (the health check) no token is read at all.
            for operation in [&mut item.get, &mut item.head].into_iter().flatten() {
                operation.security = Some(Vec::new());
            }
            continue;
        }
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let id = operation.operation_id.clone().unwrap_or_default();
            if let Some(callers) = callers(&id) {
                describe(operation, callers);
            }
        }
    }
}

fn describe(operation: &mut ApiOperation, callers: Callers) {
    let roles = |roles: &[Role]| roles.iter().map(|r| r.as_str()).collect::<Vec<_>>();
    let (requirements, sentence, forbidden) = match callers {
        Callers::Anyone => (
            None,
            "Callers: anyone; no token is needed.".to_owned(),
            false,
        ),
        Callers::Published => (
            None,
            "Callers: anyone for approved (published) forms while public reading is on; \
             a unit token also for its own units' forms in any state; reviewer and admin \
             tokens for every form."
                .to_owned(),
            false,
        ),
        Callers::Form(op) => {
            let allowed = roles(op.roles());
            let own = if op.roles().contains(&Role::Unit) {
                " (unit tokens: only forms whose `unit.code` they cover)"
            } else {
                ""
            };
            (
                Some(vec![bearer(&allowed)]),
                format!("Callers: {}{own}.", allowed.join(", ")),
                true,
            )
        }
        Callers::Role(op) => {
            let allowed = roles(op.roles());
            (
                Some(vec![bearer(&allowed)]),
                format!("Callers: {} tokens.", allowed.join(", ")),
                true,
            )
        }
        Callers::Token(need) => {
            let allowed = roles(need.roles());
            (
                Some(vec![bearer(&allowed)]),
                format!("Callers: {} tokens.", allowed.join(", ")),
                need != Need::AnyToken,
            )
        }
    };
    operation.security = requirements;
    let description = operation.description.get_or_insert_with(String::new);
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&sentence);
    let responses = &mut operation.responses.responses;
    responses
        .entry("401".into())
        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(UNAUTHORIZED)));
    if forbidden {
        responses
            .entry("403".into())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(FORBIDDEN)));
    }
}

fn bearer(roles: &[&str]) -> SecurityRequirement {
    SecurityRequirement::new(SCHEME, roles.iter().copied())
}

fn problem(description: &str, challenge: bool) -> RefOr<utoipa::openapi::Response> {
    let mut response = ResponseBuilder::new().description(description).content(
        crate::error::PROBLEM_JSON,
        Content::new(Some(Ref::from_schema_name("Problem"))),
    );
    if challenge {
        response = response.header(
            "WWW-Authenticate",
            Header::builder()
                .schema(Some(utoipa::openapi::schema::Object::with_type(
                    Type::String,
                )))
                .description(Some(
                    "`Bearer realm=\"jixiao\"`, with `error=\"invalid_token\"` for a bad token",
                ))
                .build(),
        );
    }
    RefOr::T(response.build())
}
