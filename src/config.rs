//! Configuration: defaults, then environment variables, then command-line flags.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// jixiao: stores, scores, grades and checks budget performance self-evaluations (预算绩效自评表).
///
/// Without a subcommand it serves the HTTP API.
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings for `serve` when no subcommand is given.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API (the default).
    Serve(ServeArgs),
    /// Score a form from a JSON file offline and print the result.
    Score(ScoreArgs),
    /// Print the OpenAPI document.
    Openapi,
    /// Issue, list and revoke API tokens in the database, offline.
    Token(TokenArgs),
    /// Write a stored form as the paper form (XLSX, HTML or CSV), offline.
    Export(ExportArgs),
    /// Read a filled-in workbook or a published report's text into a new stored form, or an
    /// NDJSON file into many, offline.
    Import(ImportArgs),
    /// Developer tools: fill a database with generated forms for load measurements.
    Dev(DevArgs),
    /// Ask a running service whether it is ready (`GET /healthz`); exit 0 when it answers 200.
    Healthcheck(HealthcheckArgs),
}

/// Arguments of `healthcheck`.
#[derive(Debug, Clone, Args)]
pub struct HealthcheckArgs {
    /// Address the service listens on; an unspecified address (`0.0.0.0`) is asked on loopback.
    #[arg(long, env = "JIXIAO_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Seconds to wait for the answer.
    #[arg(long, default_value_t = 3)]
    pub timeout: u64,
}

/// Arguments of `dev`.
#[derive(Debug, Clone, Args)]
pub struct DevArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: DevCommand,
}

/// The developer subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum DevCommand {
    /// Store N generated, varied forms (and about N/5 registered units), as the service would.
    SeedForms(SeedArgs),
}

/// Arguments of `dev seed-forms`.
#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// How many forms to store.
    pub count: u64,
    /// The same seed gives the same forms.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Forms written per transaction.
    #[arg(long, default_value_t = 1000)]
    pub batch: u64,
    /// SQLite database file; created and migrated if needed.
    #[arg(long, env = "JIXIAO_DB", default_value = "data/jixiao.db")]
    pub db: PathBuf,
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// An Excel workbook in the official layout.
    Xlsx,
    /// A printable HTML page.
    Html,
    /// The form's grid as CSV.
    Csv,
}

/// Arguments of `export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The evaluation's id.
    pub id: i64,
    /// What to write.
    #[arg(long, value_enum, default_value_t = ExportFormat::Xlsx)]
    pub format: ExportFormat,
    /// For HTML: print the rule scores and findings beside the declared ones.
    #[arg(long)]
    pub annotate: bool,
    /// The file to write; standard output when omitted.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// SQLite database file.
    #[arg(long, env = "JIXIAO_DB", default_value = "data/jixiao.db")]
    pub db: PathBuf,
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// Arguments of `import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The .xlsx workbook, the text (.txt, UTF-8) of a published report holding the form, or a
    /// .ndjson (.jsonl) file of forms, one JSON document a line.
    pub file: PathBuf,
    /// Only read and score it; store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also print the document read, as JSON, on standard output.
    #[arg(long)]
    pub json: bool,
    /// SQLite database file.
    #[arg(long, env = "JIXIAO_DB", default_value = "data/jixiao.db")]
    pub db: PathBuf,
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// Arguments of `token`.
#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// SQLite database file; created and migrated if needed.
    #[arg(
        long,
        env = "JIXIAO_DB",
        default_value = "data/jixiao.db",
        global = true
    )]
    pub db: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: TokenCommand,
}

/// The token subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum TokenCommand {
    /// Issue a token and print its secret alone on standard output (shown only this once).
    Create {
        /// What the token may do.
        #[arg(long, value_enum)]
        role: crate::domain::access::Role,
        /// A unit code (预算编码) a unit token covers; repeat for several.
        #[arg(long = "unit")]
        units: Vec<String>,
        /// A note on whom the token is issued to.
        #[arg(long)]
        label: Option<String>,
    },
    /// List every token (never their secrets).
    List,
    /// Revoke a token by id.
    Revoke {
        /// The token's id, as `token list` shows it.
        id: i64,
    },
}

/// Settings of the HTTP service.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "JIXIAO_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// SQLite database file; created and migrated on first start.
    #[arg(long, env = "JIXIAO_DB", default_value = "data/jixiao.db")]
    pub db: PathBuf,
    /// Do not load the example forms into an empty database.
    #[arg(long, env = "JIXIAO_NO_EXAMPLES")]
    pub no_examples: bool,
    /// Folder of example forms loaded into an empty database.
    #[arg(long, env = "JIXIAO_EXAMPLES_DIR", default_value = "data/examples")]
    pub examples_dir: PathBuf,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Browser origin allowed to call the API (CORS); repeat for several, e.g.
    /// `--cors-origin https://dashboard.example.gov.cn`.
    #[arg(
        long = "cors-origin",
        env = "JIXIAO_CORS_ORIGINS",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// Whether anyone may read approved (published) forms, their grid and grades without a
    /// token; `--public-reading false` makes every call need a token.
    #[arg(long, env = "JIXIAO_PUBLIC_READING", default_value_t = true, action = clap::ArgAction::Set)]
    pub public_reading: bool,
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "JIXIAO_BODY_LIMIT", default_value_t = crate::http::DEFAULT_BODY_LIMIT)]
    pub body_limit: usize,
    /// Largest NDJSON body (many forms, one a line) accepted, in bytes; each of its lines is
    /// held to the body limit.
    #[arg(long, env = "JIXIAO_BULK_LIMIT", default_value_t = crate::http::bulk::DEFAULT_BULK_LIMIT)]
    pub bulk_limit: usize,
    /// Seconds a client has to send a request's head, and then as many to send its body; a
    /// request slower than that gets 408 and its connection is closed.
    #[arg(
        long,
        env = "JIXIAO_REQUEST_TIMEOUT",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub request_timeout: u64,
    /// Worker threads; the number of cores when 0.
    #[arg(long, env = "JIXIAO_WORKERS", default_value_t = 0)]
    pub workers: usize,
    /// Log line format.
    #[arg(long, env = "JIXIAO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// Where rulesets come from and which is the default.
#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    /// Folder of ruleset files (`*.json`); the built-in rulesets are used when it does not exist.
    #[arg(long, env = "JIXIAO_RULESETS_DIR", default_value = "data/rulesets")]
    pub rulesets_dir: PathBuf,
    /// Ruleset for forms that name none.
    #[arg(long, env = "JIXIAO_DEFAULT_RULESET", default_value = "national-2020")]
    pub default_ruleset: String,
}

/// Arguments of `score`.
#[derive(Debug, Clone, Args)]
pub struct ScoreArgs {
    /// The form, as the JSON document the API accepts.
    pub file: PathBuf,
    /// Print the result as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// The language of the findings and explanations in `--json` output: `zh` (the default)
    /// or `en`. The table is always Chinese, like the paper form.
    #[arg(long, default_value = "zh")]
    pub lang: String,
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;

    fn serve_args(flags: &[&str]) -> Result<ServeArgs, clap::Error> {
        let cli = Cli::try_parse_from(["jixiao", "serve"].iter().chain(flags))?;
        match cli.command {
            Some(Command::Serve(args)) => Ok(args),
            other => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn a_request_has_30_seconds_unless_told_otherwise_and_never_none() {
        assert_eq!(serve_args(&[]).unwrap().request_timeout, 30);
        let flag = serve_args(&["--request-timeout", "5"]).unwrap();
        assert_eq!(flag.request_timeout, 5);
        // 0 would switch actix's head deadline off.
        assert!(serve_args(&["--request-timeout", "0"]).is_err());
    }
}
