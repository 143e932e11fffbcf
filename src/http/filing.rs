//! Who has filed: every registered unit's standing for one year and kind.

use actix_web::{get, web};
use utoipa::IntoParams;

use super::AppState;
use super::auth::{Authorized, Oversight};
use super::filter_params::{each, finish, listed, one, unique};
use super::query::Query;
use crate::domain::document::FormKind;
use crate::domain::filing::Filing;
use crate::domain::placement::RegionPrefix;
use crate::domain::validation::{FISCAL_YEARS, FieldError};
use crate::error::ApiError;
use crate::storage::filing::{self, FilingQuery};

/// Which year, kind and units.
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilingParams {
    /// The year evaluated.
    #[param(value_type = i32, minimum = 1990, maximum = 2100, required = true)]
    fiscal_year: Option<String>,
    /// Department (default) or project forms, by code or label: `department` (部门整体支出),
    /// `project` (项目支出).
    #[param(value_type = FormKind, required = false)]
    kind: Option<String>,
    /// Only units registered under these 主管部门; repeat for several.
    #[param(value_type = Vec<String>, explode, style = Form)]
    #[serde(default)]
    department: Vec<String>,
    /// Only units registered in these 行政区划: six digits for one region, two or four for
    /// every region they begin (`43`: 湖南省, `4304`: 衡阳市); repeat for several.
    #[param(value_type = Vec<String>, explode, style = Form)]
    #[serde(default)]
    region: Vec<String>,
}

impl FilingParams {
    fn parse(self) -> Result<FilingQuery, ApiError> {
        let mut errors = Vec::new();
        let years = || {
            format!(
                "a year from {} to {}",
                FISCAL_YEARS.start(),
                FISCAL_YEARS.end()
            )
        };
        let fiscal_year = one(
            &mut errors,
            "fiscal_year",
            self.fiscal_year.clone(),
            read_year,
            years,
        );
        if self.fiscal_year.is_none() {
            errors.push(FieldError::new(
                "/fiscal_year",
                "required: the year evaluated",
            ));
        }
        let kind = one(
            &mut errors,
            "kind",
            self.kind,
            |text| {
                FormKind::ALL
                    .into_iter()
                    .find(|k| k.as_str() == text || k.label() == text)
            },
            || listed(FormKind::ALL.map(|k| (k.as_str().to_owned(), vec![k.label()]))),
        );
        let regions = each(
            &mut errors,
            "region",
            self.region,
            |text| RegionPrefix::parse(text).map(|r| vec![r]),
            || "2, 4 or 6 digits of a 行政区划 code (43, 4304, 430421)".to_owned(),
        );
        let departments = unique(
            self.department
                .iter()
                .map(|d| d.trim())
                .filter(|d| !d.is_empty())
                .map(|d| vec![d.to_owned()]),
        );
        finish(errors)?;
        Ok(FilingQuery {
            fiscal_year: fiscal_year.unwrap_or_default(),
            kind: kind.unwrap_or(FormKind::Department),
            departments,
            regions,
        })
    }
}

fn read_year(text: &str) -> Option<i32> {
    text.parse().ok().filter(|y| FISCAL_YEARS.contains(y))
}

/// Lists every registered unit with what it has filed for one year and kind: its forms (id,
/// status, shown grade, overdue), or `status: missing` when it has none, with counts per
/// status. A unit's `status` is that of its least advanced form (`draft`, `returned`,
/// `submitted`, `approved`), so on project forms `approved` means every project is; a unit
/// has filed project forms when it has at least one. A unit is `overdue` when a form of it
/// is, or when it has none and the year's deadline for the kind has passed.
///
/// Units are those of the registry (`PUT /api/v1/units/{code}`), matched to forms by
/// `unit.code`; forms of unregistered units are not shown. A unit token is refused: the list
/// names every unit.
#[utoipa::path(
    operation_id = "read_filing",
    tag = "evaluations",
    params(FilingParams),
    responses(
        (status = 200, description = "Every registered unit matching the filters, by code, with the counts", body = Filing),
        (status = 400, description = "A query parameter is missing or invalid; `errors` names it", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/filing")]
pub async fn read(
    _who: Authorized<Oversight>,
    state: web::Data<AppState>,
    params: Query<FilingParams>,
) -> Result<web::Json<Filing>, ApiError> {
    let query = params.0.parse()?;
    Ok(web::Json(
        state
            .storage(move |conn| filing::filing(conn, &query))
            .await?,
    ))
}
