//! `kaden export leads|activities|calendar`: CSV (safe for Excel), JSON or `.ics`.

use super::Ctx;
use crate::cli::{Command, DataFormat, ExportArgs, ExportWhat};
use crate::export::{ExportOptions, export};
use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use std::io::Write;
use std::process::ExitCode;

/// `--since`: a past starting point (`3d`, `yesterday`, `2026-11-01`; see
/// [`crate::domain::timeparse::parse_since`]).
pub fn parse_since(s: &str, ctx: &Ctx) -> Result<DateTime<Utc>> {
    crate::domain::timeparse::parse_since(s, ctx.now(), ctx.cfg.time_zone)
        .map_err(|e| anyhow::anyhow!("--since '{}': {e}", crate::domain::text::sanitize_line(s)))
}

pub fn run(ctx: &Ctx, cmd: &Command) -> Result<ExitCode> {
    let Command::Export(args) = cmd else {
        bail!("internal: export::run called for {cmd:?}");
    };
    let ExportArgs {
        what,
        out,
        since,
        format,
        raw,
        next_actions,
    } = args;
    if *what == ExportWhat::Calendar && *format == DataFormat::Json {
        bail!("the calendar export is an .ics file: --format json does not apply to it");
    }
    let since = since.as_deref().map(|s| parse_since(s, ctx)).transpose()?;
    let opts = ExportOptions {
        what: *what,
        format: *format,
        raw: *raw,
        since,
        next_actions: *next_actions,
        now: ctx.now(),
    };
    let store = ctx.open_store()?;
    match out {
        Some(path) => {
            // Write beside the target, then rename: a failed export never leaves half a file.
            let tmp = path.with_extension("kaden-tmp");
            let n = {
                let f = std::fs::File::create(&tmp)
                    .with_context(|| format!("cannot create {}", tmp.display()))?;
                let mut w = std::io::BufWriter::new(f);
                let n = export(&store, &opts, &mut w);
                match n.and_then(|n| w.flush().map(|_| n).map_err(Into::into)) {
                    Ok(n) => n,
                    Err(e) => {
                        let _ = std::fs::remove_file(&tmp);
                        return Err(e.into());
                    }
                }
            };
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let what = match what {
                ExportWhat::Leads => ctx.lang.pick("leads", "件のリード"),
                ExportWhat::Activities => ctx.lang.pick("activities", "件の活動"),
                ExportWhat::Calendar => ctx.lang.pick("calendar events", "件の予定"),
            };
            eprintln!("kaden: {n} {what} → {}", path.display());
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            export(&store, &opts, &mut w)?;
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
