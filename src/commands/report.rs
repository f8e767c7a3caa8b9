//! `kaden report`: funnel numbers for a day, week or month, optionally compared, broken down,
//! against targets; or (`--tags`) the tagged notes of the period.

use super::Ctx;
use crate::cli::{ReportArgs, ReportFormat};
use crate::report::{self, Options, Span, output, period, tags, tags_output};
use anyhow::Result;
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: &ReportArgs) -> Result<ExitCode> {
    let now = ctx.now();
    let zone = ctx.cfg.time_zone;
    let at = match &args.at {
        Some(s) => period::parse_at(s, now, zone)?,
        None => now.with_timezone(&zone).date_naive(),
    };
    let mut store = ctx.open_store()?;
    // The funnel's counts for this zone (built once) and any change another program left: when
    // that cannot be written (a read-only file), the report counts from the activities instead.
    let _ = store.prepare_reports(zone);
    let text = if args.tags {
        let span = Span::containing(args.period, at, zone);
        let t = tags::collect(&store, &span)?;
        match args.format {
            ReportFormat::Json => {
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&tags_output::tags_json(&span, &t))?
                )
            }
            ReportFormat::Csv => tags_output::tags_csv(&t)?,
            ReportFormat::Table => tags_output::tags_text(&span, &t, ctx.lang),
        }
    } else {
        let o = Options {
            period: args.period,
            at,
            compare: args.compare,
            by: args.by,
        };
        let r = report::build(&store, &ctx.cfg, now, &o)?;
        match args.format {
            ReportFormat::Json => {
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&output::json(&r, ctx.lang))?
                )
            }
            ReportFormat::Csv => output::csv(&r)?,
            ReportFormat::Table => output::text(&r, ctx.lang),
        }
    };
    super::output::to_stdout(|out| Ok(out.write_all(text.as_bytes())?))?;
    Ok(ExitCode::SUCCESS)
}
