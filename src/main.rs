//! The `jixiao` binary: serve the API, score a file offline, or print the OpenAPI document.

use std::process::ExitCode;

use clap::Parser;
use jixiao::config::{Cli, Command};

/// mimalloc instead of the system allocator: a request, a scoring and a bulk create each make
/// and free many small strings, and it does that in about a third of glibc's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => jixiao::cli::serve(cli.serve),
        Some(Command::Serve(args)) => jixiao::cli::serve(args),
        Some(Command::Score(args)) => jixiao::cli::score(&args),
        Some(Command::Openapi) => jixiao::cli::openapi(),
        Some(Command::Token(args)) => jixiao::cli::tokens::run(&args),
        Some(Command::Export(args)) => jixiao::cli::files::export(&args),
        Some(Command::Import(args)) => jixiao::cli::files::import(&args),
        Some(Command::Dev(args)) => jixiao::cli::dev::run(&args),
        Some(Command::Healthcheck(args)) => jixiao::cli::health::run(&args),
    }
}
