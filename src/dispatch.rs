//! Every subcommand, dispatched here and only here: one typed `match` over the command line.
//! `main` calls it, and tests run commands in-process through it exactly as `main` does.

use crate::cli::{Cli, Command};
use crate::commands;
use crate::ctx::Ctx;
use crate::tui;
use std::process::ExitCode;

/// Run what the command line asks for: a command, or the TUI when none is given.
pub fn run(cli: &Cli, ctx: Ctx) -> anyhow::Result<ExitCode> {
    let success = |r: anyhow::Result<()>| r.map(|()| ExitCode::SUCCESS);
    match &cli.command {
        None => success(tui::run(&ctx)),
        Some(Command::Demo(a)) => {
            let demo = commands::demo::build(ctx, a)?;
            success(if a.no_tui { Ok(()) } else { tui::run(&demo) })
        }
        Some(Command::Queue(a)) => success(commands::queue::run(&ctx, a)),
        Some(Command::Log(a)) => success(commands::log::run(&ctx, a)),
        Some(Command::Touch(a)) => success(commands::log::touch(&ctx, a)),
        Some(Command::Import(a)) => commands::import::run(&ctx, a),
        Some(Command::Export(a)) => commands::export::run(&ctx, a),
        Some(Command::Meeting(a)) => commands::meeting::run(&ctx, a),
        Some(Command::Dnc(a)) => success(commands::dnc::run(&ctx, a)),
        Some(Command::Report(a)) => commands::report::run(&ctx, a),
        Some(Command::Plan(a)) => commands::plan::run(&ctx, a),
        Some(Command::Doctor) => commands::doctor::run(&ctx),
        Some(Command::Backup(a)) => commands::backup::run(&ctx, a),
        Some(Command::Team(t)) => success(commands::team::run(&ctx, t)),
        Some(Command::Keys) => success(tui::print_keys(&ctx)),
        Some(Command::Completions(a)) => success(commands::shell::completions(a)),
        Some(Command::Man(a)) => success(commands::shell::man(a)),
    }
}
