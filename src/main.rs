//! The `kaden` binary: parse the command line, run a command or the TUI, exit non-zero with a
//! one-line message on any error.
#![deny(clippy::disallowed_methods, clippy::disallowed_macros)]

use clap::Parser;
use kaden::cli::{Cli, Command};
use kaden::commands::output::{is_closed_output, one_line, stderr_line};
use kaden::commands::{self, Ctx};
use kaden::i18n::Lang;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = match Ctx::from_cli(&cli) {
        Ok(ctx) => ctx,
        Err(e) => return fail(&e, cli.lang.unwrap_or_else(Lang::from_system), None),
    };
    match run(&cli, &ctx) {
        Ok(code) => code,
        Err(e) => fail(&e, ctx.lang, Some(&ctx.db)),
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

fn run(cli: &Cli, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match &cli.command {
        None => kaden::tui::run(ctx).map(|_| ExitCode::SUCCESS),
        Some(Command::Demo(a)) => commands::demo::run(ctx.clone(), a).map(|_| ExitCode::SUCCESS),
        Some(Command::Queue(a)) => commands::queue::run(ctx, a).map(|_| ExitCode::SUCCESS),
        Some(Command::Log(a)) => commands::log::run(ctx, a).map(|_| ExitCode::SUCCESS),
        Some(Command::Keys) => kaden::tui::print_keys(ctx).map(|_| ExitCode::SUCCESS),
        Some(other) => commands::run_other(ctx, other),
    }
}
