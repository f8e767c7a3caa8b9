//! The `kaden` binary: parse the command line, run a command or the TUI, exit non-zero with a
//! one-line message on any error.
#![deny(clippy::disallowed_methods, clippy::disallowed_macros)]

use clap::Parser;
use kaden::cli::Cli;
use kaden::commands::output::{is_closed_output, one_line, stderr_line};
use kaden::ctx::Ctx;
use kaden::i18n::Lang;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = match Ctx::from_cli(&cli) {
        Ok(ctx) => ctx,
        Err(e) => return fail(&e, cli.lang.unwrap_or_else(Lang::from_system), None),
    };
    let (lang, db) = (ctx.lang, ctx.db.clone());
    match kaden::dispatch::run(&cli, ctx) {
        Ok(code) => code,
        Err(e) => fail(&e, lang, Some(&db)),
    }
}

/// One line on stderr and status 1; a reader that went away (`| head`) is not a failure.
fn fail(e: &anyhow::Error, lang: Lang, db: Option<&Path>) -> ExitCode {
    if is_closed_output(e) {
        return ExitCode::SUCCESS;
    }
    stderr_line(&format!("kaden: {}", one_line(e, lang, db)));
    ExitCode::from(1)
}
