//! The `kaden` binary: parse the command line, run a command or the TUI, exit non-zero with a
//! one-line message on any error.

use clap::Parser;
use kaden::cli::{Cli, Command};
use kaden::commands;
use kaden::ctx::Ctx;
use kaden::tui;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            // Messages quote user input (file names, arguments): never let it drive the terminal.
            let msg = kaden::domain::text::sanitize_line(&format!("{e:#}"));
            eprintln!("kaden: {msg}");
            ExitCode::from(1)
        }
    }
}

/// Every subcommand, dispatched here and only here.
fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::from_cli(cli)?;
    let success = |r: anyhow::Result<()>| r.map(|()| ExitCode::SUCCESS);
    match &cli.command {
        None => success(tui::run(&ctx)),
        Some(Command::Demo(a)) => {
            let demo = commands::demo::build(ctx, a)?;
            success(if a.no_tui { Ok(()) } else { tui::run(&demo) })
        }
        Some(Command::Queue(a)) => success(commands::queue::run(&ctx, a)),
        Some(Command::Log(a)) => success(commands::log::run(&ctx, a)),
        Some(Command::Import(a)) => commands::import::run(&ctx, a),
        Some(Command::Export(a)) => commands::export::run(&ctx, a),
        Some(Command::Meeting(a)) => commands::meeting::run(&ctx, a),
        Some(Command::Report(a)) => commands::report::run(&ctx, a),
        Some(Command::Plan(a)) => commands::plan::run(&ctx, a),
        Some(Command::Doctor) => commands::doctor::run(&ctx),
        Some(Command::Backup(a)) => commands::backup::run(&ctx, a),
        Some(Command::Keys) => success(tui::print_keys(&ctx)),
    }
}
