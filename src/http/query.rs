//! Query strings read as strictly as bodies. A query must be percent-encoded UTF-8 and may hold
//! only the parameters its operation declares in the OpenAPI document, each once unless it is
//! declared as an array (a repeatable filter: `kind=a&kind=b`). Anything else is a 400 problem
//! naming the parameter, so that a misspelt filter never silently returns everything.

use std::collections::BTreeMap;
use std::future::{Ready, ready};
use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{Error, FromRequest, HttpMessage as _, HttpRequest, ResponseError as _};
use serde::Deserialize as _;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde_json::{Map, Value};
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Schema};

use super::extract::{escape, pointer};
use crate::domain::messages::Detail;
use crate::domain::validation::FieldError;
use crate::error::ApiError;

/// The query parameters each documented operation declares, read from the OpenAPI document so
/// that what is refused can never disagree with what is documented.
#[derive(Clone, Debug)]
pub struct QueryRules(Arc<Vec<Operation>>);

#[derive(Debug)]
struct Operation {
    path: ResourceDef,
    /// The path's segments, when each is either literal or one whole parameter, as in every
    /// path of this API: matched segment by segment, without the pattern's regular
    /// expression, which is kept for any other kind of path.
    segments: Option<Vec<Segment>>,
    method: Method,
    declared: Vec<Declared>,
}

#[derive(Debug)]
struct Declared {
    name: String,
    /// Declared as an array: may be given more than once.
    repeatable: bool,
}

impl QueryRules {
    /// Collects the query parameters of every operation of `api`.
    #[must_use]
    pub fn from_openapi(api: &OpenApi) -> Self {
        let mut operations = Vec::new();
        for (path, item) in &api.paths.paths {
            let methods = [
                (Method::GET, &item.get),
                (Method::PUT, &item.put),
                (Method::POST, &item.post),
                (Method::DELETE, &item.delete),
                (Method::PATCH, &item.patch),
            ];
            for (method, operation) in methods {
                let Some(operation) = operation else { continue };
                let declared = operation
                    .parameters
                    .iter()
                    .flatten()
                    .filter_map(|parameter| match parameter {
                        RefOr::T(p) if p.parameter_in == ParameterIn::Query => Some(Declared {
                            name: p.name.clone(),
                            repeatable: matches!(p.schema, Some(RefOr::T(Schema::Array(_)))),
                        }),
                        _ => None,
                    })
                    .collect();
                operations.push(Operation {
                    path: ResourceDef::new(path.as_str()),
                    segments: Segment::all_of(path),
                    method,
                    declared,
                });
            }
        }
        Self(Arc::new(operations))
    }

    fn find(&self, method: &Method, path: &str) -> Option<&Operation> {
        let depth = path.bytes().filter(|&b| b == b'/').count() + 1;
        self.0.iter().find(|op| {
            op.method == method
                && match &op.segments {
                    Some(segments) => segments.len() == depth && Segment::match_all(segments, path),
                    None => op.path.is_match(path),
                }
        })
    }
}

/// One segment of a path pattern.
#[derive(Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// `{name}`: any text that is not empty and holds no `/`.
    Parameter,
}

impl Segment {
    /// The segments of `pattern`; `None` when a segment mixes text and a parameter.
    fn all_of(pattern: &str) -> Option<Vec<Self>> {
        pattern
            .split('/')
            .map(|segment| {
                let whole = segment.starts_with('{')
                    && segment.ends_with('}')
                    && segment.matches('{').count() == 1;
                if whole {
                    Some(Self::Parameter)
                } else if segment.contains(['{', '}']) {
                    None
                } else {
                    Some(Self::Literal(segment.to_owned()))
                }
            })
            .collect()
    }

    fn match_all(segments: &[Self], path: &str) -> bool {
        // From the last segment back: the operations share their first segments (`/api/v1/…`)
        // and differ in their last ones, so a path that does not match is told at once.
        let mut given = path.rsplit('/');
        segments
            .iter()
            .rev()
            .all(|segment| match (segment, given.next()) {
                (Self::Literal(literal), Some(text)) => literal == text,
                (Self::Parameter, Some(text)) => !text.is_empty(),
                (_, None) => false,
            })
            && given.next().is_none()
    }
}

/// Says in `api` that every operation answers 400 to a query it does not take: operations
/// that declare no 400 get a shared one, and those that declare a 400 for their body alone
/// have their description extended.
pub fn declare(api: &mut OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    components.responses.insert(
        BAD_QUERY.into(),
        RefOr::T(
            ResponseBuilder::new()
                .description(
                    "The query string holds a parameter this operation does not take, takes \
                     once but is given more often, or is not percent-encoded UTF-8; `errors` \
                     names the parameter",
                )
                .content(
                    crate::error::PROBLEM_JSON,
                    Content::new(Some(Ref::from_schema_name("Problem"))),
                )
                .build(),
        ),
    );
    for item in api.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let takes_query = operation
                .parameters
                .iter()
                .flatten()
                .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
            match operation.responses.responses.get_mut("400") {
                None => {
                    operation
                        .responses
                        .responses
                        .insert("400".into(), RefOr::Ref(Ref::from_response_name(BAD_QUERY)));
                }
                Some(RefOr::T(response)) if !takes_query => {
                    response.description.push_str(
                        "; or the query string holds a parameter (this operation takes none)",
                    );
                }
                Some(_) => {}
            }
        }
    }
}

const BAD_QUERY: &str = "BadQuery";

/// A query as its operation declares it: each parameter a string, or a list of strings for a
/// repeatable one. Left in the request for [`Query`].
#[derive(Clone, Debug)]
struct ReadQuery(Map<String, Value>);

/// Refuses, before any handler runs, a query string of a documented operation that is not
/// percent-encoded UTF-8, names a parameter the operation does not declare, or repeats one it
/// takes once, naming each such parameter. Requests to undocumented paths pass untouched.
///
/// # Errors
/// Whatever the inner service fails with, unchanged.
pub async fn strict_query(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let read = req
        .app_data::<Data<QueryRules>>()
        .and_then(|rules| rules.find(req.method(), req.path()))
        .map(|operation| read_query(req.query_string(), &operation.declared));
    match read {
        Some(Err(error)) => Ok(req
            .into_response(error.error_response())
            .map_into_right_body()),
        Some(Ok(read)) => {
            req.extensions_mut().insert(read);
            Ok(next.call(req).await?.map_into_left_body())
        }
        None => Ok(next.call(req).await?.map_into_left_body()),
    }
}

fn read_query(query: &str, declared: &[Declared]) -> Result<ReadQuery, ApiError> {
    let mut given: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, value) in decode_pairs(query)? {
        match declared.iter().find(|d| d.name == name) {
            Some(d) => given.entry(d.name.as_str()).or_default().push(value),
            None => errors.push(FieldError::worded(
                format!("/{}", escape(&name)),
                format!("没有参数 `{name}`；{}", takes_zh(declared)),
                format!("unknown parameter `{name}`; {}", takes(declared)),
            )),
        }
    }
    let mut read = Map::new();
    for declared in declared {
        let Some(values) = given.remove(declared.name.as_str()) else {
            continue;
        };
        let value = if declared.repeatable {
            Value::Array(values.into_iter().map(Value::String).collect())
        } else if let [value] = values.as_slice() {
            Value::String(value.clone())
        } else {
            errors.push(FieldError::worded(
                format!("/{}", escape(&declared.name)),
                format!("`{}` 给了 {} 次；只能给一次", declared.name, values.len()),
                format!(
                    "`{}` is given {} times; give it once",
                    declared.name,
                    values.len()
                ),
            ));
            continue;
        };
        read.insert(declared.name.clone(), value);
    }
    if errors.is_empty() {
        Ok(ReadQuery(read))
    } else {
        Err(ApiError::BadRequest {
            detail: Detail::QueryInvalid,
            errors,
        })
    }
}

/// What an operation takes, in Chinese.
fn takes_zh(declared: &[Declared]) -> String {
    if declared.is_empty() {
        return "此操作不带查询参数".into();
    }
    let names: Vec<&str> = declared.iter().map(|d| d.name.as_str()).collect();
    format!("此操作的参数为：{}", names.join("、"))
}

/// What an operation takes, for an error naming an unknown parameter.
fn takes(declared: &[Declared]) -> String {
    if declared.is_empty() {
        return "this operation takes no query parameters".into();
    }
    let names: Vec<&str> = declared.iter().map(|d| d.name.as_str()).collect();
    format!("this operation takes: {}", names.join(", "))
}

/// The name–value pairs of a query string, decoded as HTML forms encode them (`+` is a
/// space). An empty member (`a=1&&b=2`) is skipped; a member without `=` has an empty value.
///
/// # Errors
/// `BadRequest` for a malformed percent-escape or bytes that are not UTF-8.
fn decode_pairs(query: &str) -> Result<Vec<(String, String)>, ApiError> {
    query
        .split('&')
        .filter(|member| !member.is_empty())
        .map(|member| {
            let (name, value) = member.split_once('=').unwrap_or((member, ""));
            let name = decode(name).map_err(|reason| malformed(reason, None))?;
            let value = decode(value).map_err(|reason| malformed(reason, Some(&name)))?;
            Ok((name, value))
        })
        .collect()
}

fn malformed(reason: String, parameter: Option<&str>) -> ApiError {
    ApiError::BadRequest {
        errors: parameter
            .map(|name| {
                vec![FieldError::new(
                    format!("/{}", escape(name)),
                    reason.clone(),
                )]
            })
            .unwrap_or_default(),
        detail: Detail::QueryNotUtf8 { reason },
    }
}

/// One name or value, percent-decoded.
fn decode(text: &str) -> Result<String, String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, after)) = rest.split_first() {
        rest = after;
        match byte {
            b'+' => bytes.push(b' '),
            b'%' => {
                let escape = rest
                    .get(..2)
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                let Some(decoded) = escape else {
                    let shown = String::from_utf8_lossy(&rest[..rest.len().min(2)]).into_owned();
                    return Err(format!(
                        "`%{shown}` is not a percent-escape (`%` and two hex digits)"
                    ));
                };
                bytes.push(decoded);
                rest = &rest[2..];
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).map_err(|_| format!("`{text}` does not decode to UTF-8 text"))
}

/// The query of this request read into `T`, whose fields are the declared parameters: strings,
/// or lists of strings for repeatable ones. Values are checked by the handler, which can name
/// the values allowed.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> std::ops::Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let read = req.extensions().get::<ReadQuery>().cloned();
        ready(match read {
            Some(ReadQuery(map)) => serde_path_to_error::deserialize(Value::Object(map))
                .map(Query)
                .map_err(|error| {
                    let reason = error.inner().to_string();
                    ApiError::BadRequest {
                        detail: Detail::QueryInvalid,
                        errors: vec![FieldError::worded(
                            pointer(error.path()),
                            format!("参数值不合规：{reason}"),
                            reason,
                        )],
                    }
                }),
            // Only operations the OpenAPI document declares are read, so that none takes
            // parameters it does not document.
            None => Err(ApiError::Internal(format!(
                "the query of {} {} is read but not declared",
                req.method(),
                req.path()
            ))),
        })
    }
}

/// Reads a boolean switch (`annotate=true`), naming the values allowed when it is neither.
///
/// # Errors
/// For any text but `true` and `false`.
pub fn switch<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    let text = String::deserialize(deserializer)?;
    match text.as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(D::Error::custom(format!(
            "`{other}` is not allowed; allowed: true, false"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(names: &[(&str, bool)]) -> Vec<Declared> {
        names
            .iter()
            .map(|(name, repeatable)| Declared {
                name: (*name).to_owned(),
                repeatable: *repeatable,
            })
            .collect()
    }

    fn pointers(error: ApiError) -> Vec<String> {
        match error {
            ApiError::BadRequest { errors, .. } => errors.into_iter().map(|e| e.pointer).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn values_are_percent_decoded_and_plus_is_a_space() {
        let pairs = decode_pairs("grade=%E4%BC%98%E7%A7%80&unit=a+b%2Bc&&flag").unwrap();
        assert_eq!(
            pairs,
            [
                ("grade".to_owned(), "优秀".to_owned()),
                ("unit".to_owned(), "a b+c".to_owned()),
                ("flag".to_owned(), String::new()),
            ]
        );
    }

    #[test]
    fn malformed_escapes_and_broken_utf8_are_refused_naming_the_parameter() {
        for (query, pointer) in [
            ("grade=%zz", Some("/grade")),
            ("grade=%E4%BC", Some("/grade")),
            ("grade=%", Some("/grade")),
            ("grade=%4", Some("/grade")),
            ("gr%FFade=1", None),
        ] {
            let error = decode_pairs(query).unwrap_err();
            let expected: Vec<String> = pointer.map(str::to_owned).into_iter().collect();
            assert_eq!(pointers(error), expected, "{query}");
        }
    }

    #[test]
    fn unknown_and_repeated_parameters_are_named_and_filters_may_repeat() {
        let rules = declared(&[("kind", true), ("limit", false)]);
        let read = read_query("kind=a&kind=b&limit=2", &rules).unwrap();
        assert_eq!(read.0["kind"], serde_json::json!(["a", "b"]));
        assert_eq!(read.0["limit"], "2");
        let error = read_query("year=2020&limit=1&limit=2&overdue=true", &rules).unwrap_err();
        assert_eq!(pointers(error), ["/year", "/overdue", "/limit"]);
        assert!(read_query("x=1", &[]).is_err());
        assert!(read_query("", &[]).unwrap().0.is_empty());
    }

    #[test]
    fn each_path_finds_its_own_operation_whatever_the_order() {
        let rules = QueryRules::from_openapi(&crate::http::openapi());
        let pattern = |method: Method, path: &str| {
            rules
                .find(&method, path)
                .and_then(|op| op.path.pattern().map(str::to_owned))
        };
        for (method, path, expected) in [
            (
                Method::GET,
                "/api/v1/evaluations/12",
                Some("/api/v1/evaluations/{id}"),
            ),
            (
                Method::GET,
                "/api/v1/evaluations/12/form.xlsx",
                Some("/api/v1/evaluations/{id}/form.xlsx"),
            ),
            (
                Method::GET,
                "/api/v1/evaluations/12/versions/3",
                Some("/api/v1/evaluations/{id}/versions/{n}"),
            ),
            (
                Method::PUT,
                "/api/v1/deadlines/2020/project",
                Some("/api/v1/deadlines/{fiscal_year}/{kind}"),
            ),
            (
                Method::GET,
                "/api/v1/evaluations",
                Some("/api/v1/evaluations"),
            ),
            (Method::GET, "/api/v1/evaluations/12/form/extra", None),
            (Method::GET, "/api/v1/evaluations/", None),
            (Method::PATCH, "/api/v1/evaluations/12", None),
        ] {
            assert_eq!(pattern(method, path).as_deref(), expected, "{path}");
        }
    }

    #[test]
    fn segments_match_exactly_what_the_patterns_regular_expressions_match() {
        let rules = QueryRules::from_openapi(&crate::http::openapi());
        assert!(rules.0.iter().all(|op| op.segments.is_some()));
        let paths = [
            "/api/v1/evaluations/12",
            "/api/v1/evaluations/12/",
            "/api/v1/evaluations//form",
            "/api/v1/evaluations/a b/form.xlsx",
            "/api/v1/evaluations/12/form.xlsx/x",
            "/api/v1/evaluations",
            "/api/v1/evaluations/",
            "/api/v1//evaluations",
            "/api/v1",
            "/api/v1/units/4301/trend",
            "/api/v1/units//trend",
            "/api/v1/deadlines/2020/",
            "/api/v1/deadlines/2020/project",
            "/healthz",
            "/healthz/",
            "",
            "/",
        ];
        for op in rules.0.iter() {
            for path in paths {
                let by_segments = Segment::match_all(op.segments.as_ref().unwrap(), path);
                assert_eq!(
                    by_segments,
                    op.path.is_match(path),
                    "{:?} {path}",
                    op.path.pattern()
                );
            }
        }
        assert_eq!(Segment::all_of("/a/{x}.xlsx"), None);
    }
}
