//! The `kaden` binary: parse the command line, run a command or the TUI, exit non-zero with a
//! one-line message on any error.

use clap::Parser;
use kaden::cli::{Cli, Command};
use kaden::commands::{self, Ctx};
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

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::from_cli(cli)?;
    match &cli.command {
        None => kaden::tui::run(&ctx).map(|_| ExitCode::SUCCESS),
        Some(Command::Demo(a)) => commands::demo::run(ctx, a).map(|_| ExitCode::SUCCESS),
        Some(Command::Queue(a)) => commands::queue::run(&ctx, a).map(|_| ExitCode::SUCCESS),
        Some(Command::Log(a)) => commands::log::run(&ctx, a).map(|_| ExitCode::SUCCESS),
        Some(Command::Keys) => kaden::tui::print_keys(&ctx).map(|_| ExitCode::SUCCESS),
        Some(other) => commands::run_other(&ctx, other),
    }
}
