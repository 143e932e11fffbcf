//! Reading one representation of a stored form through the [`ReadCache`]: the access rules
//! are asked with the form's head at every read, and the representation is rendered from the
//! stored form only when no copy of its version is kept.

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;

use super::AppState;
use super::evaluations::fetch;
use super::read_cache::{Kept, Lang, Legend, Representation, overdue_value_at, today_in_china};
use crate::domain::access::{Operation, Principal};
use crate::error::ApiError;
use crate::storage::StorageError;
use crate::storage::evaluations::{self as store, Head, StoredEvaluation};

/// A representation ready to send, with what its headers say.
#[derive(Debug)]
pub struct Served {
    /// The form's id.
    pub id: i64,
    /// The version it is of.
    pub version: i64,
    /// Whether the form awaits submission (draft or returned).
    pub awaits_submission: bool,
    /// The grade legend it prints, for renderings.
    pub legend: Option<Legend>,
    /// The body.
    pub body: Bytes,
    /// Whether the body is gzipped (see [`Served::respond`]).
    pub gzipped: bool,
}

impl Served {
    /// `response`, carrying this body, with the `Content-Encoding` the body is in.
    #[must_use]
    pub fn respond(&self, mut response: HttpResponse) -> HttpResponse {
        if self.gzipped {
            response.headers_mut().insert(
                header::CONTENT_ENCODING,
                header::HeaderValue::from_static("gzip"),
            );
        }
        response
    }
}

/// How a representation is made from a stored form, and whether a kept one still prints the
/// legend in force.
pub trait Render {
    /// Which representation this is.
    fn representation(&self) -> Representation;

    /// The legend that a rendering of a form scored with ruleset `of` prints now; `None` for
    /// representations that print none.
    ///
    /// # Errors
    /// `Internal` when no default ruleset is loaded.
    fn legend(&self, of: &str) -> Result<Option<Legend>, ApiError>;

    /// The body for `stored` with the legend `legend` (from [`Render::legend`]).
    ///
    /// # Errors
    /// `Internal` when the rendering fails.
    fn render(
        &self,
        stored: &StoredEvaluation,
        legend: Option<&Legend>,
    ) -> Result<Vec<u8>, ApiError>;
}

/// Form `id` as `how` renders it, for `principal`: 404 (or 401) for a form it may not read,
/// exactly as the stored form's own access rules say. `asked` is the generation the request
/// already asked for ([`super::read_cache::GenerationAsked`]); with `gzip`, the body is the
/// kept gzipped copy where compressing it pays.
///
/// # Errors
/// As [`fetch`], and the rendering's errors.
pub async fn read(
    state: &AppState,
    asked: Option<i64>,
    id: i64,
    principal: Principal,
    (lang, gzip): (Lang, bool),
    how: &impl Render,
) -> Result<Served, ApiError> {
    let representation = how.representation();
    if let Some(head) = head(state, asked, id).await? {
        principal
            .authorize(Operation::Read, &head.facts())
            .map_err(StorageError::from)?;
        if let Some(kept) = state.read_cache.form(id, &head, representation, lang) {
            let legend = match &kept.legend {
                Some(kept_legend) => how.legend(&kept_legend.of)?,
                None => None,
            };
            if legend == kept.legend {
                let overdue = head.overdue_on(&today_in_china());
                let (body, gzipped) = kept.body_in(overdue, gzip);
                return Ok(Served {
                    id,
                    version: head.version,
                    awaits_submission: head.status.awaits_submission(),
                    legend,
                    body,
                    gzipped,
                });
            }
        }
    }
    // Read as if nothing were kept: the stored form decides access again, and says what the
    // representation holds.
    let mut stored = fetch(state, id, principal).await?;
    let legend = how.legend(&stored.result.ruleset.id)?;
    let overdue = std::mem::replace(&mut stored.overdue, false);
    let body = Bytes::from(how.render(&stored, legend.as_ref())?);
    let kept = Kept {
        created_at: stored.created_at.clone(),
        legend: legend.clone(),
        overdue_at: (representation == Representation::Json)
            .then(|| overdue_value_at(&body))
            .flatten(),
        body,
        gzipped: std::sync::Arc::default(),
    };
    let (body, gzipped) = kept.body_in(overdue, gzip);
    state
        .read_cache
        .keep_form(id, stored.version, representation, lang, kept);
    Ok(Served {
        id,
        version: stored.version,
        awaits_submission: stored.status.awaits_submission(),
        legend,
        body,
        gzipped,
    })
}

/// The head of form `id` as stored now: kept from an earlier read while nothing has been
/// committed since, else read again. `None` when no such form is stored (or the database
/// cannot tell now), for the caller to read it in full. `asked` is the generation this
/// request already asked for (as its token was verified), if it did.
async fn head(state: &AppState, asked: Option<i64>, id: i64) -> Result<Option<Head>, ApiError> {
    // Asked before reading, so that a write committed meanwhile makes this head stale.
    let Some(generation) = asked.or_else(|| state.db.generation()) else {
        return Ok(None);
    };
    if let Some(head) = state.read_cache.head(id, generation) {
        return Ok(Some(head));
    }
    let head = state.storage(move |conn| store::head(conn, id)).await?;
    if let Some(head) = &head {
        state.read_cache.keep_head(id, generation, head.clone());
    }
    Ok(head)
}
