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
        TokenCommand::Revoke { id } => revoke(&conn, *id),
    }
}

/// Revokes a live token. A token that is already revoked, or that was never issued, is an
/// error: the operator asked for a change that did not happen, and a script must see that.
fn revoke(conn: &rusqlite::Connection, id: i64) -> Result<String, String> {
    let issued = tokens::list(conn).map_err(|e| e.to_string())?;
    match issued.iter().find(|token| token.id == id) {
        None => Err(format!("没有编号为 {id} 的令牌，未作任何更改")),
        Some(Token {
            revoked_at: Some(at),
            ..
        }) => Err(format!("令牌 {id} 已于 {at} 吊销，未作任何更改")),
        Some(_) => match tokens::revoke(conn, id) {
            Ok(token) => Ok(format!("令牌 {} 已吊销，即时失效", token.id)),
            Err(StorageError::NotFound) => Err(format!("没有编号为 {id} 的令牌，未作任何更改")),
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
