//! `kaden completions SHELL` and `kaden man [--dir DIR]`: shell completions and manual pages,
//! generated from the clap definitions (`crate::cli`), so they never drift from the commands.

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use anyhow::Result;
use clap::CommandFactory;

/// The completion script for `args.shell` on standard output.
pub fn completions(args: &CompletionsArgs) -> Result<()> {
    let mut cmd = Cli::command();
    // Rendered into memory first: `generate` panics when its writer fails (a closed pipe), and
    // writing goes through `output`, which ends quietly on one.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "kaden", &mut script);
    super::output::to_stdout(|w| Ok(w.write_all(&script)?))
}

/// Every manual page: kaden(1), then one per command (kaden-import(1), …), each with its name.
fn pages() -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(cmd: &clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut page = Vec::new();
        man.render(&mut page)?;
        out.push((man.get_filename(), page));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, out)?;
        }
        Ok(())
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, &mut out)?;
    Ok(out)
}

/// kaden(1) on standard output, or with `--dir` every page written into that directory.
pub fn man(args: &ManArgs) -> Result<()> {
    let pages = pages()?;
    match &args.dir {
        None => {
            let main = pages.into_iter().next().map(|(_, p)| p).unwrap_or_default();
            super::output::to_stdout(|w| Ok(w.write_all(&main)?))
        }
        Some(dir) => {
            for (name, page) in &pages {
                let path = dir.join(name);
                crate::files::write_private(&path, |w| w.write_all(page))?;
                super::output::stderr_line(&format!(
                    "kaden: {}",
                    crate::domain::text::sanitize_line(&path.display().to_string())
                ));
            }
            Ok(())
        }
    }
}
