//! `kaden plan`.

use super::Ctx;
use anyhow::{Result, bail};
use std::process::ExitCode;

/// Placeholder until the plan command lands.
pub fn run(ctx: &Ctx, _args: &crate::cli::Command) -> Result<ExitCode> {
    bail!("`kaden plan` is not available yet ({})", ctx.db.display())
}
