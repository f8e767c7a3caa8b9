//! `kaden plan`: the reverse funnel from a revenue target.

use super::Ctx;
use crate::cli::{PlanArgs, TableFormat};
use crate::plan::{PlanInput, Quarter, plan};
use crate::report::output::money;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(ctx: &Ctx, a: &PlanArgs) -> Result<ExitCode> {
    let quarter = match &a.quarter {
        Some(q) => q.parse::<Quarter>()?,
        None => Quarter::containing(ctx.now().with_timezone(&ctx.cfg.time_zone).date_naive()),
    };
    let p = plan(&PlanInput {
        target: a.target,
        win_rate: a.win_rate,
        deal_size: a.deal_size,
        sal_to_sql: a.sal_to_sql,
        calls_per_sal: a.calls_per_sal,
        lead_time_months: a.lead_time,
        quarter,
    })?;
    match a.format {
        TableFormat::Json => {
            let text = serde_json::to_string_pretty(&p)?;
            super::output::to_stdout(|out| Ok(writeln!(out, "{text}")?))?;
        }
        TableFormat::Table => {
            let l = ctx.lang;
            let rows = [
                (
                    l.pick("Revenue target", "売上目標"),
                    format!("{} ({})", money(a.target), p.quarter),
                ),
                (
                    l.pick("Pipeline needed", "必要パイプライン"),
                    format!("{}  = target / win rate {}", money(p.pipeline), a.win_rate),
                ),
                (
                    l.pick("SQL", "SQL"),
                    format!("{}  = pipeline / deal size {}", p.sql, money(a.deal_size)),
                ),
                (
                    l.pick("SAL", "SAL"),
                    format!("{}  = SQL / SAL→SQL {}", p.sal, a.sal_to_sql),
                ),
                (
                    l.pick("Qualified conversations", "有効会話数"),
                    format!("{}  = SAL × {} per SAL", p.conversations, a.calls_per_sal),
                ),
            ];
            let w = rows
                .iter()
                .map(|(k, _)| crate::domain::text::width(k))
                .max()
                .unwrap_or(0);
            super::output::to_stdout(|out| {
                for (k, v) in rows {
                    writeln!(out, "{}  {v}", crate::domain::text::fit(k, w))?;
                }
                if let (Some(d), Some(q)) = (p.pipeline_by, &p.pipeline_quarter) {
                    writeln!(
                        out,
                        "{}  {d} ({q})",
                        crate::domain::text::fit(l.pick("Pipeline by", "パイプライン構築期限"), w)
                    )?;
                }
                Ok(())
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
