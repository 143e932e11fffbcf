//! `jixiao token create|list|revoke`: token management on the database file, offline.

use std::process::ExitCode;

use crate::config::{TokenArgs, TokenCommand};
use crate::storage::tokens::{self, Token};
use crate::storage::{Database, StorageError};

/// Runs a token subcommand. `create` prints the secret alone, so scripts can capture it.
#[must_use]
pub fn run(args: &TokenArgs) -> ExitCode {
    match execute(args) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("jixiao token: {message}");
            ExitCode::FAILURE
        }
    }
}

fn execute(args: &TokenArgs) -> Result<String, String> {
    let db = Database::open(&args.db).map_err(|e| e.to_string())?;
    let conn = db.connection().map_err(|e| e.to_string())?;
    match &args.command {
        TokenCommand::Create { role, units, label } => {
            let units = tokens::scope(*role, units).map_err(|e| e.to_string())?;
            let (_, secret) = tokens::create(&conn, *role, &units, label.as_deref())
                .map_err(|e| e.to_string())?;
            Ok(secret)
        }
        TokenCommand::List => Ok(table(&tokens::list(&conn).map_err(|e| e.to_string())?)),
        TokenCommand::Revoke { id } => match tokens::revoke(&conn, *id) {
            Ok(token) => Ok(format!("token {} revoked", token.id)),
            Err(StorageError::NotFound) => Err(format!("no token {id}")),
            Err(error) => Err(error.to_string()),
        },
    }
}

fn table(tokens: &[Token]) -> String {
    let mut lines = vec!["id\trole\tunits\tcreated\trevoked\tlabel".to_owned()];
    for token in tokens {
        lines.push(format!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            token.id,
            token.role.as_str(),
            token.units.join(","),
            token.created_at,
            token.revoked_at.as_deref().unwrap_or("-"),
            token.label.as_deref().unwrap_or(""),
        ));
    }
    lines.join("\n")
}
