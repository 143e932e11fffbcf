//! Tracing set-up: one subscriber for the process, filtered by `RUST_LOG` (default `info`), its
//! lines naming the request they were logged for ([`request`]).

use std::io::IsTerminal;

mod batched;
mod format;
pub mod request;
mod timestamps;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::JsonFields;

pub use batched::{BatchedWriter, FlushGuard};

use crate::config::LogFormat;

/// Installs the global subscriber; does nothing if one is already installed. Log lines are
/// written to standard error in batches by a thread of their own (see [`BatchedWriter`]), so
/// that a slow reader of it (a pipe, a terminal, a full disk) never holds up a request; keep
/// the returned guard until the process ends, as dropping it writes out what is still queued.
#[must_use = "dropping the guard stops the log writer"]
pub fn init(format: LogFormat) -> Option<FlushGuard> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = BatchedWriter::start(std::io::stderr()).ok()?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal());
    // A second call (tests start many apps in one process) must not fail.
    let installed = match format {
        LogFormat::Text => builder.event_format(format::LineFormat::Text).try_init(),
        LogFormat::Json => builder
            .fmt_fields(JsonFields::new())
            .event_format(format::LineFormat::Json)
            .try_init(),
    };
    installed.ok().map(|()| guard)
}
