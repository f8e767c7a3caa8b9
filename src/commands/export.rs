//! `kaden export`.

use super::Ctx;
use anyhow::{Result, bail};
use std::process::ExitCode;

/// Placeholder until the export command lands.
pub fn run(ctx: &Ctx, _args: &crate::cli::Command) -> Result<ExitCode> {
    bail!("`kaden export` is not available yet ({})", ctx.db.display())
}
