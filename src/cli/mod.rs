//! The offline commands and the entry point that starts the server.

pub mod bulk;
pub mod dev;
pub mod files;
pub mod health;
pub mod table;
pub mod tokens;

use std::process::ExitCode;

use crate::config::{ScoreArgs, ServeArgs};
use crate::domain::validation::evaluate;
use crate::error::ApiError;
use crate::startup::{Application, load_rulesets};
use crate::telemetry;

/// Serves the HTTP API until SIGINT/SIGTERM.
#[must_use]
pub fn serve(args: ServeArgs) -> ExitCode {
    let _log_writer = telemetry::init(args.log_format);
    let outcome = actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&args)?;
        if let Some(secret) = app.first_admin_token() {
            // On standard output, apart from the log on standard error: shown this once.
            println!(
                "数据库中还没有接口令牌，已创建一个管理员令牌。它只显示这一次，请妥善保存：\n\n    \
                 {secret}\n\n(The database had no API token, so an admin token was created. It is \
                 shown only now; keep it safe.)\n"
            );
        }
        app.run_until_stopped().await?;
        Ok::<_, crate::startup::StartupError>(())
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "jixiao could not start");
            eprintln!("jixiao: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Scores a form file and prints it as a table, or as JSON with `--json`. Exits 1 when the
/// file cannot be read or is not a valid form, naming each bad field.
#[must_use]
pub fn score(args: &ScoreArgs) -> ExitCode {
    match score_file(args) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("jixiao: {}: {message}", args.file.display());
            ExitCode::FAILURE
        }
    }
}

fn score_file(args: &ScoreArgs) -> Result<String, String> {
    let text = std::fs::read_to_string(&args.file).map_err(|e| e.to_string())?;
    let rulesets = load_rulesets(&args.rules).map_err(|e| e.to_string())?;
    let document =
        crate::domain::reading::read_document(&text, Some(&rulesets)).map_err(|e| e.to_string())?;
    let mut result = evaluate(&document, &rulesets)
        .map_err(|errors| ApiError::InvalidDocument(errors).to_string())?;
    if args.json {
        result.localize(crate::domain::messages::Lang::negotiate(Some(&args.lang)));
        serde_json::to_string_pretty(&result).map_err(|e| e.to_string())
    } else {
        Ok(table::render(&document, &result))
    }
}

/// Prints the OpenAPI document.
#[must_use]
pub fn openapi() -> ExitCode {
    match crate::http::openapi_json() {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("jixiao: {error}");
            ExitCode::FAILURE
        }
    }
}
