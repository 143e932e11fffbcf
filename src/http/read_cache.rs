//! Reads served from memory: the bytes of each stored form's representations, list pages and
//! verified tokens, kept so that a repeated read is a lookup and a copy instead of a query, a
//! parse and a serialization.
//!
//! Nothing here decides access: a kept form carries the facts the access rules read (its unit
//! code and whether it is approved), and every read still asks the same rules with them.
//!
//! Freshness rests on SQLite's `PRAGMA data_version` ([`Database::generation`]), which changes
//! whenever anything commits to the file, from this process or another one such as the CLI.
//! What depends on more than one row (a list page, a token) is kept only for the generation it
//! was read in. A form's representation is kept by id and version, which no write reuses; what
//! can change without a new version (whose the form is, its state, its deadline) is its
//! [`Head`], read again with one indexed query once the generation has moved on. `overdue`
//! follows the calendar, so it is computed from the head at each read and written into the
//! kept bytes, never kept itself.

use std::sync::{Arc, OnceLock};

use actix_web::web::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::domain::access::{Caller, Role, Visibility};
use crate::storage::Database;
use crate::storage::evaluations::Head;

/// Memory given to kept form representations, in bytes.
const FORM_BYTES: u64 = 48 * 1024 * 1024;
/// Memory given to kept list pages, in bytes.
const LIST_BYTES: u64 = 16 * 1024 * 1024;
/// How many form heads are kept.
const HEADS: usize = 20_000;
/// How many verified tokens are kept.
const TOKENS: usize = 4_096;

/// The language a representation is written in, as the request negotiated it.
pub use crate::domain::messages::Lang;

/// One representation of a stored form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Representation {
    /// The form with its result, as JSON.
    Json,
    /// The paper form's grid, as JSON.
    Grid,
    /// The printable page.
    Page,
    /// The printable page with rule scores and findings.
    AnnotatedPage,
    /// The workbook.
    Workbook,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct FormKey {
    id: i64,
    version: i64,
    representation: Representation,
    lang: Lang,
}

/// The bytes of one representation of one stored version.
#[derive(Clone, Debug)]
pub struct Kept {
    /// When the form was first stored: tells this form from a later one given the same id.
    pub created_at: String,
    /// The grade legend a rendering prints; `None` for the JSON.
    pub legend: Option<Legend>,
    /// The body.
    pub body: Bytes,
    /// Where `false` stands as the value of `overdue` in a JSON body, to be written over with
    /// `true` when the form is overdue at the time of the read.
    pub overdue_at: Option<usize>,
    /// The body gzipped, made at the first read that asks for it and shared by every copy of
    /// this entry; `None` inside when compressing it does not pay.
    pub gzipped: Arc<OnceLock<Option<Bytes>>>,
}

impl Kept {
    /// The body as it reads when the form is, or is not, overdue.
    #[must_use]
    pub fn body(&self, overdue: bool) -> Bytes {
        match (self.overdue_at, overdue) {
            (Some(at), true) => {
                let mut bytes = Vec::with_capacity(self.body.len() - 1);
                bytes.extend_from_slice(&self.body[..at]);
                bytes.extend_from_slice(b"true");
                bytes.extend_from_slice(&self.body[at + FALSE.len()..]);
                Bytes::from(bytes)
            }
            _ => self.body.clone(),
        }
    }

    /// The body as it reads when the form is, or is not, overdue, gzipped when `gzip` asks for
    /// it and that pays; and whether it is.
    #[must_use]
    pub fn body_in(&self, overdue: bool, gzip: bool) -> (Bytes, bool) {
        match gzip.then(|| self.gzipped(overdue)).flatten() {
            Some(gzipped) => (gzipped, true),
            None => (self.body(overdue), false),
        }
    }

    /// The body gzipped, as it reads when the form is, or is not, overdue: `None` when the
    /// body is too small to gain from it, or is written over for an overdue form (which
    /// compression then handles at that read).
    #[must_use]
    pub fn gzipped(&self, overdue: bool) -> Option<Bytes> {
        if overdue && self.overdue_at.is_some() {
            return None;
        }
        self.gzipped.get_or_init(|| gzip(&self.body)).clone()
    }
}

/// `body` gzipped at the best ratio, since it is done once for every read of the version, or
/// `None` when the body is too small to gain from it.
fn gzip(body: &[u8]) -> Option<Bytes> {
    use std::io::Write as _;
    if (body.len() as u64) < crate::http::encoding::WORTH_COMPRESSING {
        return None;
    }
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        flate2::Compression::best(),
    );
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

const FALSE: &[u8] = b"false";

/// Which grade legend a rendering printed: that of the ruleset in force for the form's own
/// ruleset when it was rendered. Publishing a ruleset changes it without changing the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Legend {
    /// The ruleset the form was scored with.
    pub of: String,
    /// The ruleset whose legend was printed (the default one when the form's is retired).
    pub id: String,
    /// Its version.
    pub version: u32,
}

/// Where the value of `"overdue":false` stands in a serialized form, if it does.
#[must_use]
pub fn overdue_value_at(body: &[u8]) -> Option<usize> {
    const FIELD: &[u8] = b"\"overdue\":false";
    body.windows(FIELD.len())
        .position(|window| window == FIELD)
        .map(|at| at + FIELD.len() - FALSE.len())
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ListKey {
    visibility: Visibility,
    query: String,
    lang: Lang,
    /// The day in China Standard Time: each item's `overdue` follows it.
    today: String,
}

/// A verified token: who it makes the caller.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The token's id.
    pub id: i64,
    /// Its role.
    pub role: Role,
    /// The caller it makes.
    pub caller: Caller,
}

#[derive(Clone, Copy, Debug)]
struct BodySize;

impl Weighter<FormKey, Kept> for BodySize {
    fn weight(&self, _: &FormKey, kept: &Kept) -> u64 {
        (kept.body.len() + kept.created_at.len() + 128) as u64
    }
}

impl Weighter<ListKey, (i64, Bytes)> for BodySize {
    fn weight(&self, key: &ListKey, kept: &(i64, Bytes)) -> u64 {
        (kept.1.len() + key.query.len() + 128) as u64
    }
}

/// What is kept in memory for reads; see the module's documentation for when it is fresh.
pub struct ReadCache {
    heads: Cache<i64, (i64, Head)>,
    forms: Cache<FormKey, Kept, BodySize>,
    lists: Cache<ListKey, (i64, Bytes), BodySize>,
    tokens: Cache<String, (i64, Verified)>,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache")
            .field("heads", &self.heads.len())
            .field("forms", &self.forms.len())
            .field("lists", &self.lists.len())
            .field("tokens", &self.tokens.len())
            .finish()
    }
}

impl Default for ReadCache {
    fn default() -> Self {
        Self {
            heads: Cache::new(HEADS),
            forms: Cache::with_weighter(4_096, FORM_BYTES, BodySize),
            lists: Cache::with_weighter(1_024, LIST_BYTES, BodySize),
            tokens: Cache::new(TOKENS),
        }
    }
}

impl ReadCache {
    /// The head of form `id` read in `generation`, if one is kept.
    #[must_use]
    pub fn head(&self, id: i64, generation: i64) -> Option<Head> {
        self.heads
            .get(&id)
            .filter(|(kept_in, _)| *kept_in == generation)
            .map(|(_, head)| head)
    }

    /// Keeps the head of form `id` as read in `generation`.
    pub fn keep_head(&self, id: i64, generation: i64, head: Head) {
        self.heads.insert(id, (generation, head));
    }

    /// The kept bytes of `representation` of version `head.version` of form `id`.
    #[must_use]
    pub fn form(
        &self,
        id: i64,
        head: &Head,
        representation: Representation,
        lang: Lang,
    ) -> Option<Kept> {
        let key = FormKey {
            id,
            version: head.version,
            representation,
            lang,
        };
        self.forms
            .get(&key)
            .filter(|kept| kept.created_at == head.created_at)
    }

    /// Keeps the bytes of `representation` of `version` of form `id`.
    pub fn keep_form(
        &self,
        id: i64,
        version: i64,
        representation: Representation,
        lang: Lang,
        kept: Kept,
    ) {
        let key = FormKey {
            id,
            version,
            representation,
            lang,
        };
        self.forms.insert(key, kept);
    }

    /// The kept page of a list query read in `generation`.
    #[must_use]
    pub fn list(
        &self,
        visibility: &Visibility,
        query: &str,
        lang: Lang,
        today: &str,
        generation: i64,
    ) -> Option<Bytes> {
        let key = ListKey {
            visibility: visibility.clone(),
            query: query.to_owned(),
            lang,
            today: today.to_owned(),
        };
        self.lists
            .get(&key)
            .filter(|(kept_in, _)| *kept_in == generation)
            .map(|(_, body)| body)
    }

    /// Keeps the page of a list query as read in `generation`.
    pub fn keep_list(
        &self,
        visibility: Visibility,
        query: String,
        lang: Lang,
        today: String,
        generation: i64,
        body: Bytes,
    ) {
        let key = ListKey {
            visibility,
            query,
            lang,
            today,
        };
        self.lists.insert(key, (generation, body));
    }

    /// The token whose secret hashes to `hash`, verified in `generation`.
    #[must_use]
    pub fn token(&self, hash: &str, generation: i64) -> Option<Verified> {
        self.tokens
            .get(hash)
            .filter(|(kept_in, _)| *kept_in == generation)
            .map(|(_, verified)| verified)
    }

    /// Keeps a token verified in `generation`.
    pub fn keep_token(&self, hash: String, generation: i64, verified: Verified) {
        self.tokens.insert(hash, (generation, verified));
    }
}

/// The generation of the database asked as the request's token was verified: a read of the
/// same request takes it rather than asking again, and so sees the database as it stood when
/// the request was let in.
#[derive(Clone, Copy, Debug)]
pub struct GenerationAsked(pub i64);

impl GenerationAsked {
    /// The generation asked for `req`, if its token was verified against one.
    #[must_use]
    pub fn of(req: &actix_web::HttpRequest) -> Option<i64> {
        use actix_web::HttpMessage as _;
        req.extensions().get::<Self>().map(|asked| asked.0)
    }
}

/// The generation of `db` now; see [`Database::generation`].
#[must_use]
pub fn generation(db: &Database) -> Option<i64> {
    db.generation()
}

/// Today in China Standard Time (UTC+8), as `YYYY-MM-DD`: the day deadlines are read in.
#[must_use]
pub fn today_in_china() -> String {
    // Written out once a day per thread, not at every read.
    thread_local! {
        static TODAY: std::cell::RefCell<(i64, String)> =
            const { std::cell::RefCell::new((i64::MIN, String::new())) };
    }
    let now = chrono::Utc::now() + chrono::Duration::hours(8);
    let day = now.timestamp().div_euclid(86_400);
    TODAY.with_borrow_mut(|(kept_day, text)| {
        if *kept_day != day {
            *text = now.format("%Y-%m-%d").to_string();
            *kept_day = day;
        }
        text.clone()
    })
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn overdue_is_written_into_the_kept_bytes() {
        let body = br#"{"id":1,"overdue":false,"kind":"x","note":"\"overdue\":false"}"#;
        let at = overdue_value_at(body);
        assert_eq!(at, Some(18));
        let kept = Kept {
            created_at: String::new(),
            legend: None,
            body: Bytes::from_static(body),
            overdue_at: at,
            gzipped: Arc::default(),
        };
        assert_eq!(kept.body(false).as_ref(), body);
        assert_eq!(
            kept.body(true).as_ref(),
            br#"{"id":1,"overdue":true,"kind":"x","note":"\"overdue\":false"}"#
        );
    }

    #[test]
    fn the_gzipped_copy_is_made_once_for_every_copy_of_an_entry_and_only_where_it_pays() {
        let text = format!(r#"{{"overdue":false,"rows":"{}"}}"#, "指标".repeat(800));
        let body = Bytes::from(text.clone());
        let kept = Kept {
            created_at: String::new(),
            legend: None,
            overdue_at: overdue_value_at(&body),
            body,
            gzipped: Arc::default(),
        };
        let other = kept.clone();
        let (zipped, gzipped) = kept.body_in(false, true);
        assert!(gzipped);
        assert!(zipped.len() * 10 < text.len(), "{} bytes", zipped.len());
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&zipped[..]), &mut plain)
            .unwrap();
        assert_eq!(plain, text);
        // The other copy finds it made: the very same bytes.
        assert_eq!(
            other.gzipped.get().cloned().flatten().map(|b| b.as_ptr()),
            Some(zipped.as_ptr())
        );
        // Written over when overdue, and not asked for: plain.
        assert_eq!(kept.body_in(true, true), (kept.body(true), false));
        assert_eq!(kept.body_in(false, false), (kept.body(false), false));
        // Too small to gain.
        let small = Kept {
            body: Bytes::from_static(b"{}"),
            overdue_at: None,
            gzipped: Arc::default(),
            ..kept
        };
        assert_eq!(
            small.body_in(false, true),
            (Bytes::from_static(b"{}"), false)
        );
    }
}
