//! How a log line is written: tracing-subscriber's default text line, or its JSON line, with the
//! request being handled ([`super::request`]) written where its span `request{…}` used to be.
//!
//! Text: `2026-12-02T03:19:39.085282Z  INFO request{request_id=32e2… token_id=1 role="admin"}:
//! jixiao::http::middleware: request finished method=GET path=/api/v1/evaluations/1 status=200
//! latency_ms=2.5`, coloured as tracing-subscriber colours it when standard error is a
//! terminal. JSON: `{"timestamp":…,"level":"INFO","fields":{"message":…},"target":…,
//! "span":{"request_id":…,"role":…,"token_id":…,"name":"request"},"spans":[…]}`.

use std::fmt;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::FormatTime;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

use super::request::{self, Request};
use super::timestamps::Timestamps;

/// The layout of every log line.
#[derive(Clone, Copy, Debug)]
pub enum LineFormat {
    /// One line of text per event.
    Text,
    /// One JSON object per line.
    Json,
}

impl<S, N> FormatEvent<S, N> for LineFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        request::with_current(|request| match self {
            Self::Text => text_line(ctx, writer.by_ref(), event, request),
            Self::Json => json_line(ctx, writer.by_ref(), event, request),
        })
    }
}

/// The ANSI escapes tracing-subscriber writes in colour.
const BOLD: &str = "\x1b[1m";
const DIMMED: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

fn text_line<S, N>(
    ctx: &FmtContext<'_, S, N>,
    mut w: Writer<'_>,
    event: &Event<'_>,
    request: Option<&Request>,
) -> fmt::Result
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    let ansi = w.has_ansi_escapes();
    let paint = |w: &mut Writer<'_>, style: &str, text: &str| {
        if ansi {
            write!(w, "{style}{text}{RESET}")
        } else {
            w.write_str(text)
        }
    };
    Timestamps.format_time(&mut w)?;
    w.write_char(' ')?;
    let meta = event.metadata();
    let (colour, level) = level_text(*meta.level());
    if ansi {
        write!(w, "\x1b[{colour}m{level}{RESET} ")?;
    } else {
        write!(w, "{level} ")?;
    }
    let mut spans = false;
    if let Some(request) = request {
        paint(&mut w, BOLD, "request")?;
        paint(&mut w, BOLD, "{")?;
        write!(w, "request_id={}", request.id())?;
        if let Some(caller) = request.caller() {
            write!(w, " token_id={} role=\"{}\"", caller.token_id, caller.role)?;
        }
        paint(&mut w, BOLD, "}")?;
        paint(&mut w, DIMMED, ":")?;
        spans = true;
    }
    // Spans of the libraries the service uses, written as tracing-subscriber writes them.
    for span in ctx
        .event_scope()
        .into_iter()
        .flat_map(|scope| scope.from_root())
    {
        paint(&mut w, BOLD, span.metadata().name())?;
        let extensions = span.extensions();
        if let Some(fields) = extensions.get::<FormattedFields<N>>()
            && !fields.is_empty()
        {
            paint(&mut w, BOLD, "{")?;
            w.write_str(fields)?;
            paint(&mut w, BOLD, "}")?;
        }
        paint(&mut w, DIMMED, ":")?;
        spans = true;
    }
    if spans {
        w.write_char(' ')?;
    }
    paint(&mut w, DIMMED, meta.target())?;
    paint(&mut w, DIMMED, ":")?;
    w.write_char(' ')?;
    ctx.format_fields(w.by_ref(), event)?;
    writeln!(w)
}

/// The colour code and the level as tracing-subscriber writes them, five characters wide.
fn level_text(level: Level) -> (u8, &'static str) {
    match level {
        Level::TRACE => (35, "TRACE"),
        Level::DEBUG => (34, "DEBUG"),
        Level::INFO => (32, " INFO"),
        Level::WARN => (33, " WARN"),
        Level::ERROR => (31, "ERROR"),
    }
}

fn json_line<S, N>(
    ctx: &FmtContext<'_, S, N>,
    mut w: Writer<'_>,
    event: &Event<'_>,
    request: Option<&Request>,
) -> fmt::Result
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    let meta = event.metadata();
    let mut timestamp = String::new();
    Timestamps.format_time(&mut Writer::new(&mut timestamp))?;
    let mut fields = JsonFields::default();
    event.record(&mut fields);
    let mut spans: Vec<String> = Vec::new();
    if let Some(request) = request {
        let mut span = serde_json::Map::new();
        span.insert("request_id".into(), request.id().into());
        if let Some(caller) = request.caller() {
            span.insert("role".into(), caller.role.into());
            span.insert("token_id".into(), caller.token_id.into());
        }
        span.insert("name".into(), "request".into());
        spans.push(serde_json::Value::Object(span).to_string());
    }
    for span in ctx
        .event_scope()
        .into_iter()
        .flat_map(|scope| scope.from_root())
    {
        // A library's span: its fields as the JSON field formatter stored them, and its name.
        let extensions = span.extensions();
        let mut object = extensions
            .get::<FormattedFields<N>>()
            .and_then(|fields| serde_json::from_str::<serde_json::Value>(fields).ok())
            .and_then(|value| value.as_object().cloned())
            .unwrap_or_default();
        object.insert("name".into(), span.metadata().name().into());
        spans.push(serde_json::Value::Object(object).to_string());
    }
    write!(
        w,
        "{{\"timestamp\":{},\"level\":{},\"fields\":{{{}}},\"target\":{}",
        json_string(&timestamp),
        json_string(meta.level().as_str()),
        fields.0,
        json_string(meta.target()),
    )?;
    if let Some(innermost) = spans.last() {
        write!(w, ",\"span\":{innermost},\"spans\":[{}]", spans.join(","))?;
    }
    writeln!(w, "}}")
}

/// `text` as a JSON string.
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// An event's fields as the members of a JSON object, in the order they were logged.
#[derive(Default)]
struct JsonFields(String);

impl JsonFields {
    fn member(&mut self, field: &Field, value: &serde_json::Value) {
        if !self.0.is_empty() {
            self.0.push(',');
        }
        self.0.push_str(&json_string(field.name()));
        self.0.push(':');
        self.0.push_str(&value.to_string());
    }
}

impl Visit for JsonFields {
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.member(field, &value.into());
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.member(field, &value.into());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.member(field, &value.into());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.member(field, &value.into());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.member(field, &value.into());
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.member(field, &value.to_string().into());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.member(field, &format!("{value:?}").into());
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::fmt::MakeWriter;

    use super::*;
    use crate::telemetry::request::{Request, set_caller, within_sync};

    /// What a subscriber wrote, shared with the test.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Captured {
        type Writer = Self;

        fn make_writer(&'a self) -> Self {
            self.clone()
        }
    }

    /// The lines written while `log` runs, by a subscriber writing `format`.
    fn lines(format: LineFormat, log: impl FnOnce()) -> Vec<String> {
        let captured = Captured::default();
        let builder = tracing_subscriber::fmt()
            .with_writer(captured.clone())
            .with_ansi(false);
        match format {
            LineFormat::Text => {
                tracing::subscriber::with_default(builder.event_format(format).finish(), log);
            }
            LineFormat::Json => tracing::subscriber::with_default(
                builder
                    .fmt_fields(tracing_subscriber::fmt::format::JsonFields::new())
                    .event_format(format)
                    .finish(),
                log,
            ),
        }
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        text.lines().map(str::to_owned).collect()
    }

    fn log_a_request() {
        tracing::info!(port = 8080, "outside");
        within_sync(Some(Request::new("abc-1".into())), || {
            tracing::info!(status = 200_u16, path = "/x", "before the token");
            set_caller(7, "reviewer");
            tracing::warn!(latency_ms = 2.5, "after the token");
        });
    }

    /// The part of a text line after its timestamp.
    fn after_time(line: &str) -> &str {
        let (time, rest) = line.split_once(' ').unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{line}");
        rest
    }

    #[test]
    fn a_text_line_names_the_request_where_its_span_stood() {
        let lines = lines(LineFormat::Text, log_a_request);
        let target = module_path!();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(
            after_time(&lines[0]),
            format!(" INFO {target}: outside port=8080")
        );
        assert_eq!(
            after_time(&lines[1]),
            format!(
                " INFO request{{request_id=abc-1}}: {target}: before the token status=200 path=\"/x\""
            )
        );
        assert_eq!(
            after_time(&lines[2]),
            format!(
                " WARN request{{request_id=abc-1 token_id=7 role=\"reviewer\"}}: {target}: \
                 after the token latency_ms=2.5"
            )
        );
    }

    #[test]
    fn library_spans_are_written_after_the_request() {
        let lines = lines(LineFormat::Text, || {
            within_sync(Some(Request::new("r".into())), || {
                tracing::info_span!("pool", size = 4).in_scope(|| tracing::info!("inside"));
            });
        });
        assert!(
            lines[0].ends_with(&format!(
                " INFO request{{request_id=r}}:pool{{size=4}}: {}: inside",
                module_path!()
            )),
            "{lines:?}"
        );
    }

    #[test]
    fn a_json_line_is_an_object_with_the_request_as_its_span() {
        let lines = lines(LineFormat::Json, log_a_request);
        let parsed: Vec<serde_json::Value> = lines
            .iter()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(parsed[0]["level"], "INFO");
        assert_eq!(parsed[0]["fields"]["message"], "outside");
        assert_eq!(parsed[0]["fields"]["port"], 8080);
        assert_eq!(parsed[0]["target"], module_path!());
        assert!(parsed[0].get("span").is_none());
        assert!(parsed[0]["timestamp"].as_str().unwrap().ends_with('Z'));
        assert_eq!(parsed[1]["span"]["request_id"], "abc-1");
        assert_eq!(parsed[1]["span"]["name"], "request");
        assert!(parsed[1]["span"].get("token_id").is_none());
        assert_eq!(parsed[1]["fields"]["path"], "/x");
        assert_eq!(parsed[2]["level"], "WARN");
        assert_eq!(parsed[2]["fields"]["latency_ms"], 2.5);
        assert_eq!(parsed[2]["span"]["token_id"], 7);
        assert_eq!(parsed[2]["span"]["role"], "reviewer");
        assert_eq!(parsed[2]["spans"][0], parsed[2]["span"]);
    }

    #[test]
    fn json_fields_escape_what_they_hold() {
        let lines = lines(LineFormat::Json, || {
            tracing::error!(detail = ?"a \"quoted\"\nline", "odd {}", "text");
        });
        let parsed: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(parsed["fields"]["message"], "odd text");
        assert_eq!(parsed["fields"]["detail"], "\"a \\\"quoted\\\"\\nline\"");
    }
}
