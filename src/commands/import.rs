//! `kaden import`.

use super::Ctx;
use anyhow::{Result, bail};
use std::process::ExitCode;

/// Placeholder until the import command lands.
pub fn run(ctx: &Ctx, _args: &crate::cli::Command) -> Result<ExitCode> {
    bail!("`kaden import` is not available yet ({})", ctx.db.display())
}
