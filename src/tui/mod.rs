//! The terminal app (placeholder until the TUI lands).

use crate::commands::Ctx;

pub mod dashboard;

pub fn run(_ctx: &Ctx) -> anyhow::Result<()> {
    anyhow::bail!("the TUI is not built yet")
}

pub fn print_keys(_ctx: &Ctx) -> anyhow::Result<()> {
    anyhow::bail!("the TUI is not built yet")
}
