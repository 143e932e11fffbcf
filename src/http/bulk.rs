//! Many forms in one request, and every matching form in one response, as NDJSON (one JSON
//! document per line): the reading of lines under limits, their scoring and storing in
//! batched transactions, and the result line of each.

use std::collections::VecDeque;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::parse_json;
use crate::domain::access::Principal;
use crate::domain::document::EvaluationDocument;
use crate::domain::messages::Lang;
use crate::domain::rulesets::Rulesets;
use crate::domain::scoring::result::ScoreResult;
use crate::domain::validation::evaluate;
use crate::error::{ApiError, Problem};
use crate::storage::evaluations::{self as store, Encoded, FIRST_VERSION, Submission};
use crate::storage::listing::{self, Cursor, ListFilter, SortOrder};
use crate::storage::{Database, StorageError};
use crate::telemetry::request as log;

/// The media type of newline-delimited JSON.
pub const NDJSON: &str = "application/x-ndjson";

/// The largest NDJSON body accepted, unless configured otherwise: 512 MiB.
pub const DEFAULT_BULK_LIMIT: usize = 512 * 1024 * 1024;

/// The status of an NDJSON create: each line has its own outcome (RFC 4918's 207, which is
/// also what keeps client generators taking the 201 of a single create as the operation's
/// answer).
const MULTI_STATUS: actix_web::http::StatusCode = actix_web::http::StatusCode::MULTI_STATUS;

/// How many lines are scored together and handed to the writer as one write.
const CHUNK: usize = 512;

/// How many chunks may wait for the writer while the next ones are read and scored; the writer
/// commits those waiting together, so that up to a couple of thousand forms share one sync.
const IN_FLIGHT: usize = 4;

/// How many forms an export reads from the database at a time.
const EXPORT_CHUNK: u32 = 256;

/// Options of a create.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreateParams {
    /// For an NDJSON body only: store every line or none. With `true` the lines are stored in
    /// one transaction; if any line fails, nothing is stored and the answer (422) lists only
    /// the lines that failed. Without it, each line is stored or refused on its own.
    #[serde(default, deserialize_with = "super::query::switch")]
    pub atomic: bool,
}

/// The result of one line of an NDJSON create: the stored form's `id` and `version`, or the
/// `problem` that refused the line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LineResult {
    /// The line's number in the body, from 1 (blank lines are counted and skipped).
    pub line: u64,
    /// The id of the stored evaluation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Its version (always 1 for a new form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Why the line was not stored, as the problem a single create would have answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}

impl LineResult {
    fn stored(line: u64, id: i64) -> Self {
        Self {
            line,
            id: Some(id),
            version: Some(FIRST_VERSION),
            problem: None,
        }
    }

    fn refused(line: u64, error: &ApiError) -> Self {
        if let ApiError::Internal(cause) = error {
            tracing::error!(%cause, line, "a line of a bulk create failed");
        }
        Self {
            line,
            id: None,
            version: None,
            problem: Some(error.problem()),
        }
    }

    /// Whether the line was stored.
    #[must_use]
    pub fn is_stored(&self) -> bool {
        self.id.is_some()
    }
}

/// Whether the request body is NDJSON.
#[must_use]
pub fn is_ndjson(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| {
            let media = media.trim().to_ascii_lowercase();
            media == NDJSON || media == "application/jsonl" || media == "application/x-jsonlines"
        })
}

/// One line of the body.
#[derive(Debug)]
pub struct Line {
    /// Its number, from 1.
    pub number: u64,
    /// Its text, or why it cannot be read.
    pub text: Result<String, ApiError>,
}

/// Cuts a byte stream into lines, holding at most one line (of at most `max_line` bytes).
#[derive(Debug)]
pub struct Lines {
    buffer: Vec<u8>,
    number: u64,
    overlong: bool,
    max_line: usize,
}

impl Lines {
    /// A splitter refusing lines longer than `max_line` bytes.
    #[must_use]
    pub fn new(max_line: usize) -> Self {
        Self {
            buffer: Vec::new(),
            number: 0,
            overlong: false,
            max_line,
        }
    }

    /// Takes the next bytes, adding each line they complete to `out`.
    pub fn push(&mut self, mut bytes: &[u8], out: &mut Vec<Line>) {
        while let Some(end) = bytes.iter().position(|&b| b == b'\n') {
            self.take(&bytes[..end]);
            self.end_line(out);
            bytes = &bytes[end + 1..];
        }
        self.take(bytes);
    }

    /// Ends the stream, adding a last line without a newline to `out`.
    pub fn finish(&mut self, out: &mut Vec<Line>) {
        if !self.buffer.is_empty() || self.overlong {
            self.end_line(out);
        }
    }

    /// How many lines have been read.
    #[must_use]
    pub fn count(&self) -> u64 {
        self.number
    }

    fn take(&mut self, bytes: &[u8]) {
        if self.overlong {
            return;
        }
        if self.buffer.len() + bytes.len() > self.max_line {
            self.overlong = true;
            self.buffer = Vec::new();
        } else {
            self.buffer.extend_from_slice(bytes);
        }
    }

    fn end_line(&mut self, out: &mut Vec<Line>) {
        self.number += 1;
        let bytes = std::mem::take(&mut self.buffer);
        if std::mem::take(&mut self.overlong) {
            out.push(Line {
                number: self.number,
                text: Err(ApiError::PayloadTooLarge {
                    limit: self.max_line,
                }),
            });
            return;
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let text = String::from_utf8(bytes).map_err(|_| ApiError::MalformedJson(not_utf8().into()));
        out.push(Line {
            number: self.number,
            text,
        });
    }
}

fn not_utf8() -> &'static str {
    "该行不是 UTF-8 文本"
}

/// A line read into a form and scored, ready to store.
pub struct Prepared {
    /// The line's number.
    pub line: u64,
    raw: String,
    document: EvaluationDocument,
    result: ScoreResult,
    encoded: Encoded,
}

impl Prepared {
    fn submission(&self) -> Submission<'_> {
        Submission {
            submitted_json: &self.raw,
            document: &self.document,
            result: &self.result,
        }
    }
}

/// Reads and scores each line: the forms ready to store, and the result line of each line
/// refused on the way.
#[must_use]
pub fn prepare(lines: Vec<Line>, rulesets: &Rulesets) -> (Vec<Prepared>, Vec<LineResult>) {
    let mut ready = Vec::with_capacity(lines.len());
    let mut refused = Vec::new();
    for Line { number, text } in lines {
        let prepared = text.and_then(|raw| {
            let document: EvaluationDocument = parse_json(&raw)?;
            let result = evaluate(&document, rulesets).map_err(ApiError::InvalidDocument)?;
            let encoded = Encoded::of(&Submission {
                submitted_json: &raw,
                document: &document,
                result: &result,
            })?;
            Ok(Prepared {
                line: number,
                raw,
                document,
                result,
                encoded,
            })
        });
        match prepared {
            Ok(prepared) => ready.push(prepared),
            Err(error) => refused.push(LineResult::refused(number, &error)),
        }
    }
    (ready, refused)
}

/// Stores each prepared form on `conn`, inside the caller's transaction, leaving out alone each
/// form that is refused; answers the result line of each.
///
/// # Errors
/// As [`store::insert_each`]: the caller's transaction must then be rolled back.
pub fn store_each(
    conn: &rusqlite::Connection,
    forms: &mut [Prepared],
    actor: &Principal,
) -> Result<Vec<LineResult>, StorageError> {
    let encoded: Vec<Encoded> = forms
        .iter_mut()
        .map(|form| std::mem::replace(&mut form.encoded, Encoded::EMPTY))
        .collect();
    let submissions = forms.iter().map(Prepared::submission).zip(encoded);
    let outcomes = store::insert_each(conn, submissions, actor)?;
    Ok(forms
        .iter()
        .zip(outcomes)
        .map(|(form, outcome)| match outcome {
            Ok(id) => LineResult::stored(form.line, id),
            Err(error) => LineResult::refused(form.line, &error.into()),
        })
        .collect())
}

/// Stores every prepared form or none: answers whether they were stored, and each line's
/// result (when nothing was stored, only the lines that failed).
///
/// # Errors
/// When the savepoint cannot be set or released, or as [`store_each`].
pub fn store_all(
    conn: &rusqlite::Connection,
    forms: &mut [Prepared],
    actor: &Principal,
) -> Result<(bool, Vec<LineResult>), StorageError> {
    conn.execute_batch("SAVEPOINT all_forms")?;
    let results = store_each(conn, forms, actor)?;
    if results.iter().all(LineResult::is_stored) {
        conn.execute_batch("RELEASE all_forms")?;
        Ok((true, results))
    } else {
        conn.execute_batch("ROLLBACK TO all_forms; RELEASE all_forms")?;
        Ok((
            false,
            results.into_iter().filter(|r| !r.is_stored()).collect(),
        ))
    }
}

/// Result lines in the order of the body.
fn in_order(mut results: Vec<LineResult>) -> Bytes {
    results.sort_by_key(|r| r.line);
    let mut out = Vec::with_capacity(results.len() * 48);
    for result in &results {
        if serde_json::to_writer(&mut out, result).is_ok() {
            out.push(b'\n');
        }
    }
    Bytes::from(out)
}

/// Refuses a body announced over the bulk limit before reading any of it.
fn check_length(req: &HttpRequest, limit: usize) -> Result<(), ApiError> {
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    match length {
        Some(length) if length > limit => Err(ApiError::PayloadTooLarge { limit }),
        _ => Ok(()),
    }
}

/// Stores the forms of an NDJSON body, each line on its own or (with `atomic`) all or none.
///
/// # Errors
/// 413 when the body is announced over the bulk limit; otherwise each line's failure is in its
/// result line.
pub async fn create(
    req: &HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    payload: web::Payload,
    atomic: bool,
) -> Result<HttpResponse, ApiError> {
    check_length(req, state.bulk_limit)?;
    if atomic {
        return create_all(state, principal, payload).await;
    }
    let (sender, receiver) = mpsc::channel::<Bytes>(IN_FLIGHT);
    // The payload is tied to this worker's thread, so the reading runs here as a local task;
    // scoring runs on the blocking pool and storing on the writer thread.
    actix_web::rt::spawn(pump(state, principal, payload, sender));
    let body = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver
            .recv()
            .await
            .map(|bytes| (Ok::<_, actix_web::Error>(bytes), receiver))
    });
    Ok(HttpResponse::build(MULTI_STATUS)
        .content_type(NDJSON)
        .streaming(body))
}

/// A chunk of lines handed to the writer, with the lines refused before it.
struct Waiting {
    refused: Vec<LineResult>,
    /// The lines handed to the writer, and its answer for them.
    stored: Option<(Vec<u64>, Stored)>,
}

type Stored = oneshot::Receiver<Result<(Vec<LineResult>, Vec<Prepared>), StorageError>>;

impl Waiting {
    async fn results(self) -> Bytes {
        let mut results = self.refused;
        if let Some((numbers, stored)) = self.stored {
            match stored.await {
                Ok(Ok((lines, _forms))) => results.extend(lines),
                // The whole chunk failed to commit: none of its lines is stored.
                Ok(Err(error)) => {
                    let error = ApiError::from(error);
                    results.extend(numbers.into_iter().map(|n| LineResult::refused(n, &error)));
                }
                Err(_) => {
                    let error = ApiError::Internal("the writer has stopped".into());
                    results.extend(numbers.into_iter().map(|n| LineResult::refused(n, &error)));
                }
            }
        }
        in_order(results)
    }
}

/// Reads the body a chunk of lines at a time, scores each chunk, hands it to the writer and
/// sends each chunk's result lines as they are known.
async fn pump(
    state: web::Data<AppState>,
    principal: Principal,
    mut payload: web::Payload,
    sender: mpsc::Sender<Bytes>,
) {
    let mut lines = Lines::new(state.body_limit);
    let mut pending = Vec::new();
    let mut waiting: VecDeque<Waiting> = VecDeque::new();
    let mut read = 0usize;
    let mut failure = None;
    loop {
        let chunk = match payload.next().await {
            None => break,
            Some(Ok(chunk)) => chunk,
            Some(Err(error)) => {
                failure = Some(ApiError::MalformedJson(error.to_string()));
                break;
            }
        };
        read += chunk.len();
        if read > state.bulk_limit {
            failure = Some(ApiError::PayloadTooLarge {
                limit: state.bulk_limit,
            });
            break;
        }
        lines.push(&chunk, &mut pending);
        while pending.len() >= CHUNK {
            let rest = pending.split_off(CHUNK);
            let chunk = std::mem::replace(&mut pending, rest);
            waiting.push_back(hand_over(&state, &principal, chunk).await);
            if waiting.len() >= IN_FLIGHT && !send_next(&mut waiting, &sender).await {
                return;
            }
        }
    }
    if failure.is_none() {
        lines.finish(&mut pending);
    }
    if !pending.is_empty() {
        waiting.push_back(hand_over(&state, &principal, pending).await);
    }
    while !waiting.is_empty() {
        if !send_next(&mut waiting, &sender).await {
            return;
        }
    }
    if let Some(error) = failure {
        // The body broke off or outgrew the limit: what follows the last whole line is not read.
        let _ = sender
            .send(in_order(vec![LineResult::refused(
                lines.count() + 1,
                &error,
            )]))
            .await;
    }
}

/// Sends the result lines of the oldest chunk; false when the client has gone.
async fn send_next(waiting: &mut VecDeque<Waiting>, sender: &mpsc::Sender<Bytes>) -> bool {
    match waiting.pop_front() {
        Some(next) => sender.send(next.results().await).await.is_ok(),
        None => true,
    }
}

/// Scores a chunk of lines, in as many parts at once as there are cores, and queues its forms
/// for the writer.
async fn hand_over(state: &AppState, principal: &Principal, chunk: Vec<Line>) -> Waiting {
    let rulesets = state.rulesets.current();
    let parts = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let size = chunk.len().div_ceil(parts).max(1);
    let mut lines = chunk.into_iter();
    // Each part starts on the blocking pool as it is handed there; the parts are awaited in
    // order, so that the forms keep the order of the body.
    let mut scoring = Vec::with_capacity(parts);
    loop {
        let part: Vec<Line> = lines.by_ref().take(size).collect();
        if part.is_empty() {
            break;
        }
        let numbers: Vec<u64> = part.iter().map(|l| l.number).collect();
        let rulesets = Arc::clone(&rulesets);
        let request = log::current();
        let scored = web::block(move || log::within_sync(request, || prepare(part, &rulesets)));
        scoring.push((numbers, scored));
    }
    let mut ready: Vec<Prepared> = Vec::new();
    let mut refused = Vec::new();
    for (numbers, scored) in scoring {
        match scored.await {
            Ok((part_ready, part_refused)) => {
                ready.extend(part_ready);
                refused.extend(part_refused);
            }
            Err(error) => {
                let error = ApiError::from(error);
                refused.extend(numbers.into_iter().map(|n| LineResult::refused(n, &error)));
            }
        }
    }
    if ready.is_empty() {
        return Waiting {
            refused,
            stored: None,
        };
    }
    let actor = principal.clone();
    let numbers = ready.iter().map(|p| p.line).collect();
    let stored = state.db.writer().queue(move |conn| {
        // The forms go back with their results, so that the writer does not spend its time
        // freeing them.
        store_each(conn, &mut ready, &actor).map(|results| (results, ready))
    });
    Waiting {
        refused,
        stored: Some((numbers, stored)),
    }
}

/// Reads the whole body, then stores every form in one transaction or none.
async fn create_all(
    state: web::Data<AppState>,
    principal: Principal,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let mut lines = Lines::new(state.body_limit);
    let mut all = Vec::new();
    let mut read = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::MalformedJson(e.to_string()))?;
        read += chunk.len();
        if read > state.bulk_limit {
            return Err(ApiError::PayloadTooLarge {
                limit: state.bulk_limit,
            });
        }
        lines.push(&chunk, &mut all);
    }
    lines.finish(&mut all);
    let rulesets = state.rulesets.current();
    let (mut ready, refused) = super::blocking(move || prepare(all, &rulesets)).await?;
    let (stored, results) = if refused.is_empty() {
        state
            .write(move |conn| store_all(conn, &mut ready, &principal))
            .await?
    } else {
        (false, refused)
    };
    let status = if stored {
        MULTI_STATUS
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(HttpResponse::build(status)
        .content_type(NDJSON)
        .body(in_order(results)))
}

/// Streams every evaluation matching `filter`, in `sort` order from `cursor` on, one JSON
/// document per line, as `GET /evaluations/{id}` answers it; a chunk at a time, so that memory
/// stays the same however many match.
#[must_use]
pub fn export(
    db: Database,
    filter: ListFilter,
    sort: SortOrder,
    cursor: Option<Cursor>,
    lang: Lang,
) -> HttpResponse {
    let (sender, receiver) = mpsc::channel::<Result<Bytes, ApiError>>(2);
    let request = log::current();
    std::thread::spawn(move || {
        log::within_sync(request, || {
            stream_out(&db, &filter, sort, cursor, lang, &sender);
        });
    });
    let body = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let next = receiver.recv().await?;
        Some((next.map_err(actix_web::Error::from), receiver))
    });
    HttpResponse::Ok().content_type(NDJSON).streaming(body)
}

fn stream_out(
    db: &Database,
    filter: &ListFilter,
    sort: SortOrder,
    mut cursor: Option<Cursor>,
    lang: Lang,
    sender: &mpsc::Sender<Result<Bytes, ApiError>>,
) {
    loop {
        let chunk = export_chunk(db, filter, sort, cursor.as_ref(), lang);
        let (bytes, next) = match chunk {
            Ok(chunk) => chunk,
            Err(error) => {
                tracing::error!(%error, "an NDJSON export failed");
                let _ = sender.blocking_send(Err(ApiError::from(error)));
                return;
            }
        };
        if sender.blocking_send(Ok(bytes)).is_err() {
            return;
        }
        match next {
            Some(next) => cursor = Some(next),
            None => return,
        }
    }
}

/// One chunk of an export as NDJSON, and where the next one starts.
fn export_chunk(
    db: &Database,
    filter: &ListFilter,
    sort: SortOrder,
    cursor: Option<&Cursor>,
    lang: Lang,
) -> Result<(Bytes, Option<Cursor>), StorageError> {
    let conn = db.connection()?;
    // One read transaction, so that every form of the chunk is read as the page listed it.
    let tx = conn.unchecked_transaction()?;
    let (items, next) = listing::list_from(&tx, filter, sort, EXPORT_CHUNK, cursor)?;
    let mut out = Vec::with_capacity(items.len() * 8 * 1024);
    for item in &items {
        if let Some(stored) = store::read(&tx, item.id)? {
            serde_json::to_writer(&mut out, &super::language::localized(stored, lang))?;
            out.push(b'\n');
        }
    }
    tx.commit()?;
    Ok((Bytes::from(out), next))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines of `chunks` fed one after another: their numbers, and text or error code.
    fn split(chunks: &[&[u8]], max_line: usize) -> Vec<(u64, String)> {
        let mut lines = Lines::new(max_line);
        let mut out = Vec::new();
        for chunk in chunks {
            lines.push(chunk, &mut out);
        }
        lines.finish(&mut out);
        out.into_iter()
            .map(|line| {
                let text = line
                    .text
                    .unwrap_or_else(|e| format!("!{}", e.problem().problem_type));
                (line.number, text)
            })
            .collect()
    }

    #[test]
    fn lines_are_cut_at_newlines_whatever_the_chunks() {
        let whole = split(&[b"{\"a\":1}\n{\"b\":2}\n{\"c\":3}"], 100);
        let cut = split(
            &[b"{\"a\"", b":1}\n{", b"\"b\":2}", b"\n", b"{\"c\":3}"],
            100,
        );
        let expected =
            [(1, "{\"a\":1}"), (2, "{\"b\":2}"), (3, "{\"c\":3}")].map(|(n, t)| (n, t.to_owned()));
        assert_eq!(whole, expected);
        assert_eq!(cut, expected);
    }

    #[test]
    fn blank_lines_are_counted_and_skipped_and_a_final_newline_adds_no_line() {
        let lines = split(&[b"a\n\n  \r\nb\r\n"], 100);
        assert_eq!(lines, [(1, "a".to_owned()), (4, "b\r".to_owned())]);
    }

    #[test]
    fn a_line_over_the_limit_is_refused_alone_without_being_held() {
        let long = [b'x'; 50];
        let lines = split(&[b"short\n", &long[..30], &long[30..], b"\nnext"], 20);
        assert_eq!(
            lines,
            [
                (1, "short".to_owned()),
                (2, "!urn:jixiao:problem:payload-too-large".to_owned()),
                (3, "next".to_owned()),
            ]
        );
        // At the limit exactly is still a line.
        assert_eq!(split(&[&long[..20]], 20), [(1, "x".repeat(20))]);
    }

    #[test]
    fn a_line_that_is_not_utf8_is_refused_as_malformed() {
        let lines = split(&[b"ok\n\xff\xfe\n"], 100);
        assert_eq!(
            lines,
            [
                (1, "ok".to_owned()),
                (2, "!urn:jixiao:problem:malformed-json".to_owned()),
            ]
        );
    }
}
