//! Review samples (抽查复核): drawing a reproducible random sample of a year's handed-in forms
//! for review, and following the review of its forms.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::auth::{Authorized, Review as Reviewing};
use super::extract::JsonBody;
use super::query::Query;
use crate::domain::decimal::Dec;
use crate::domain::document::FormKind;
use crate::domain::messages::Detail;
use crate::domain::sampling::{MAX_SEED, SampleSize, StratifyBy, seed_from_bits};
use crate::domain::validation::{FISCAL_YEARS, FieldError};
use crate::error::ApiError;
use crate::storage::samples::{self, Draw, ReviewSample};

/// What to draw: a year's forms, a size or a rate, and optionally strata and a seed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleRequest {
    /// The year of the forms.
    #[schema(example = 2020)]
    pub fiscal_year: i32,
    /// Only forms of this kind; absent: both kinds.
    #[serde(default)]
    pub kind: Option<FormKind>,
    /// How many forms to draw (give this or `rate`).
    #[serde(default)]
    #[schema(minimum = 1)]
    pub size: Option<u32>,
    /// The percentage of the eligible forms to draw, rounded up to a whole form (give this
    /// or `size`); above 0, at most 100.
    #[serde(default)]
    pub rate: Option<Dec>,
    /// Share the sample among strata in proportion to their sizes (largest remainder), at
    /// least one form from each non-empty stratum: `grade` is the grade a list shows.
    #[serde(default)]
    pub stratify_by: Option<StratifyBy>,
    /// The seed, 0 to 2^53 − 1. The same seed over the same eligible forms draws the same
    /// sample; absent: the service chooses one and returns it.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 9_007_199_254_740_991_u64)]
    pub seed: Option<u64>,
    /// Whether forms already in a stored sample of the year may be drawn again; default
    /// false.
    #[serde(default)]
    pub include_sampled: bool,
}

impl SampleRequest {
    fn read(self) -> Result<Draw, ApiError> {
        let mut errors = Vec::new();
        if !FISCAL_YEARS.contains(&self.fiscal_year) {
            errors.push(FieldError::worded(
                "/fiscal_year",
                "不是本服务接受的年度",
                "not a fiscal year this service accepts",
            ));
        }
        let size = match (self.size, self.rate) {
            (Some(0), None) => {
                errors.push(FieldError::worded(
                    "/size",
                    "至少抽取一份",
                    "draw at least one form",
                ));
                None
            }
            (Some(n), None) => Some(SampleSize::Count(n)),
            (None, Some(rate)) if rate.get().is_sign_positive() && !rate.get().is_zero() => {
                if rate.get() > rust_decimal::Decimal::ONE_HUNDRED {
                    errors.push(FieldError::worded(
                        "/rate",
                        "抽取比例至多为 100（百分比）",
                        "a rate is at most 100 (percent)",
                    ));
                }
                Some(SampleSize::Percent(rate.get()))
            }
            (None, Some(_)) => {
                errors.push(FieldError::worded(
                    "/rate",
                    "抽取比例须大于 0（百分比）",
                    "a rate is above 0 (percent)",
                ));
                None
            }
            _ => {
                errors.push(FieldError::worded(
                    "",
                    "须给出 `size` 或 `rate` 之一",
                    "give either `size` or `rate`",
                ));
                None
            }
        };
        if self.seed.is_some_and(|s| s > MAX_SEED) {
            errors.push(FieldError::worded(
                "/seed",
                "种子至多为 2^53 − 1",
                "a seed is at most 2^53 − 1",
            ));
        }
        match size {
            Some(size) if errors.is_empty() => Ok(Draw {
                fiscal_year: self.fiscal_year,
                kind: self.kind,
                size,
                stratify_by: self.stratify_by,
                seed: self
                    .seed
                    .unwrap_or_else(|| seed_from_bits(uuid::Uuid::new_v4().as_u64_pair().0)),
                include_sampled: self.include_sampled,
            }),
            _ => Err(ApiError::InvalidDocument(errors)),
        }
    }
}

/// Draws a random sample of a year's submitted and approved forms for review, and keeps it.
///
/// The draw is reproducible: the same `seed` over the same eligible forms gives the same
/// sample. Forms already in a stored sample of the year are left out unless
/// `include_sampled` is true. A sample never holds more forms than are eligible; stratified,
/// it holds at least one form of every non-empty stratum, so it may be larger than asked.
#[utoipa::path(
    operation_id = "draw_review_sample",
    tag = "review",
    request_body(content = SampleRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Drawn and kept; `Location` names it", body = ReviewSample,
            headers(("Location" = String, description = "URL of the sample"))),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No form is eligible: none of the year and kind is submitted or approved, or all are in earlier samples", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The request is not valid, or stratifies by something this service does not record; `errors` names the field", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review-samples")]
pub async fn draw(
    who: Authorized<Reviewing>,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<SampleRequest>,
) -> Result<HttpResponse, ApiError> {
    let draw = body.value.read()?;
    let actor = who.principal;
    let sample = state
        .storage(move |conn| samples::draw(conn, &draw, &actor))
        .await?;
    let location = format!("{}/{}", req.path().trim_end_matches('/'), sample.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(sample))
}

/// A sample with the review progress of its forms: each form's status, whether review scores
/// are recorded, its rule and review totals and their difference, and the counts.
#[utoipa::path(
    operation_id = "read_review_sample",
    tag = "review",
    params(("id" = i64, Path, description = "Sample id")),
    responses(
        (status = 200, description = "The sample", body = ReviewSample),
        (status = 404, description = "No sample with this id", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/review-samples/{id}")]
pub async fn read(
    _who: Authorized<Reviewing>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<ReviewSample>, ApiError> {
    let id = id.into_inner();
    state
        .storage(move |conn| samples::read(conn, id))
        .await?
        .map(web::Json)
        .ok_or(ApiError::NotFound(Detail::NoSample { id }))
}

/// Which samples to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SampleListParams {
    /// Only samples of this year.
    #[param(value_type = i32, required = false)]
    fiscal_year: Option<String>,
}

/// Lists stored samples, oldest first, each with its forms and progress.
#[utoipa::path(
    operation_id = "list_review_samples",
    tag = "review",
    params(SampleListParams),
    responses(
        (status = 200, description = "The samples", body = Vec<ReviewSample>),
        (status = 400, description = "A query parameter is invalid; `errors` names it", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/review-samples")]
pub async fn list(
    _who: Authorized<Reviewing>,
    state: web::Data<AppState>,
    params: Query<SampleListParams>,
) -> Result<web::Json<Vec<ReviewSample>>, ApiError> {
    let fiscal_year = params
        .0
        .fiscal_year
        .map(|text| {
            text.parse::<i32>().map_err(|_| ApiError::BadRequest {
                detail: Detail::QueryInvalid,
                errors: vec![FieldError::worded(
                    "/fiscal_year",
                    format!("“{text}”不是年度"),
                    format!("`{text}` is not a year"),
                )],
            })
        })
        .transpose()?;
    Ok(web::Json(
        state
            .storage(move |conn| samples::list(conn, fiscal_year))
            .await?,
    ))
}
