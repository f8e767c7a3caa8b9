//! `kaden export leads|activities|calendar`: CSV (safe for Excel), JSON or `.ics`.

use super::Ctx;
use crate::cli::{DataFormat, ExportArgs, ExportWhat};
use crate::export::{ExportOptions, export};
use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use std::process::ExitCode;

/// `--since`: a past starting point (`3d`, `yesterday`, `2026-11-01`; see
/// [`crate::domain::timeparse::parse_since`]).
pub fn parse_since(s: &str, ctx: &Ctx) -> Result<DateTime<Utc>> {
    crate::domain::timeparse::parse_since(s, ctx.now(), ctx.cfg.time_zone)
        .map_err(|e| anyhow::anyhow!("--since '{}': {e}", crate::domain::text::sanitize_line(s)))
}

pub fn run(ctx: &Ctx, args: &ExportArgs) -> Result<ExitCode> {
    if args.what == ExportWhat::Results || args.target.is_some() || args.since_last {
        return super::results::run(ctx, args);
    }
    let ExportArgs {
        what,
        out,
        since,
        format,
        raw,
        next_actions,
        reason,
        ..
    } = args;
    let reason = match reason {
        Some(_) if *what != ExportWhat::Leads => {
            bail!("--reason selects leads: use it with `kaden export leads`")
        }
        Some(r) => {
            let r = r.trim();
            let known = [
                &ctx.cfg.reasons.unconnected,
                &ctx.cfg.reasons.lost,
                &ctx.cfg.reasons.out_of_scope,
            ];
            if !known.iter().any(|l| l.iter().any(|k| k == r)) {
                let all: Vec<&str> = known
                    .iter()
                    .flat_map(|l| l.iter().map(String::as_str))
                    .collect();
                bail!(
                    "--reason '{}': not a reason of the config (known: {})",
                    crate::domain::text::sanitize_line(r),
                    all.join(", ")
                );
            }
            Some(r.to_string())
        }
        None => None,
    };
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
        zone: ctx.cfg.time_zone,
        reason,
    };
    let store = ctx.open_store()?;
    match out {
        Some(path) => {
            // Written beside the target, owner-only, and renamed: a failed export leaves neither
            // half a file nor a temporary one, and never replaces an SQLite database.
            let n = crate::files::write_private(path, |w| {
                export(&store, &opts, w).map_err(anyhow::Error::from)
            })?;
            let what = match what {
                ExportWhat::Leads => ctx.lang.pick("leads", "件のリード"),
                ExportWhat::Activities => ctx.lang.pick("activities", "件の活動"),
                ExportWhat::Calendar => ctx.lang.pick("calendar events", "件の予定"),
                ExportWhat::Results => ctx.lang.pick("rows", "行"),
            };
            super::output::stderr_line(&format!("kaden: {n} {what} → {}", path.display()));
        }
        None => {
            super::output::to_stdout(|w| Ok(export(&store, &opts, w)?))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
