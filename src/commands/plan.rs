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
    // What the database says, when there is one (`kaden plan` never creates a database).
    let deadline = p.pipeline_by.unwrap_or_else(|| quarter.first_day());
    let today = ctx.now().with_timezone(&ctx.cfg.time_zone).date_naive();
    let past = p.pipeline_by.is_some_and(|d| d <= today);
    let actuals = if ctx.db.exists() {
        let store = ctx.open_store()?;
        Some(crate::report::actuals::compute(
            &store,
            &ctx.cfg,
            &p,
            deadline,
            ctx.now(),
        )?)
    } else {
        None
    };
    match a.format {
        TableFormat::Json => {
            let mut v = serde_json::to_value(&p)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("pipeline_by_past".into(), serde_json::Value::from(past));
                o.insert("actuals".into(), serde_json::to_value(&actuals)?);
            }
            let text = serde_json::to_string_pretty(&v)?;
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
            let by_label = l.pick("Pipeline by", "パイプライン構築期限");
            let w = rows
                .iter()
                .map(|(k, _)| crate::domain::text::width(k))
                .chain([crate::domain::text::width(by_label)])
                .max()
                .unwrap_or(0);
            super::output::to_stdout(|out| {
                for (k, v) in rows {
                    writeln!(out, "{}  {v}", crate::domain::text::fit(k, w))?;
                }
                if let (Some(d), Some(q)) = (p.pipeline_by, &p.pipeline_quarter) {
                    let flag = if past {
                        l.pick(
                            "  ⚠ already past: no plan can build this pipeline in time",
                            "  ⚠ 期限切れ: この期限までにパイプラインを作る計画は立てられません",
                        )
                    } else {
                        ""
                    };
                    writeln!(
                        out,
                        "{}  {d} ({q}){flag}",
                        crate::domain::text::fit(by_label, w)
                    )?;
                }
                if let Some(x) = &actuals {
                    out.write_all(actuals_text(x, &p, l).as_bytes())?;
                }
                Ok(())
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn per_day(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())
}

/// The actuals under the plan: rates per business day, the pipeline, the gap, what it takes.
fn actuals_text(
    x: &crate::report::actuals::Actuals,
    p: &crate::plan::Plan,
    l: crate::i18n::Lang,
) -> String {
    use crate::domain::text::{fit, width};
    let mut rows: Vec<(String, String)> = vec![
        (
            l.pick("Calls per business day", "1営業日あたり架電数")
                .into(),
            format!(
                "{}  ({} {})",
                per_day(x.calls_per_day),
                x.calls,
                l.pick("calls", "件")
            ),
        ),
        (
            l.pick("Conversations per business day", "1営業日あたり会話数")
                .into(),
            format!(
                "{}  ({} {})",
                per_day(x.conversations_per_day),
                x.conversations,
                l.pick("conversations", "件")
            ),
        ),
        (
            l.pick(
                "Open SAL pipeline (forecast)",
                "Open SAL パイプライン(見込)",
            )
            .into(),
            format!(
                "{}  ({} {})",
                money(x.pipeline),
                x.open_appointments,
                l.pick("open appointments", "件の未決アポ")
            ),
        ),
        (
            l.pick("Gap", "不足").into(),
            format!(
                "{} {} {}",
                money(x.gap),
                l.pick("of", "/"),
                money(p.pipeline)
            ),
        ),
    ];
    let need = if x.deadline_past {
        match l {
            crate::i18n::Lang::En => format!(
                "⚠ {} is already past: flagged, not planned. The revenue quarter rests on the {} open now.",
                x.deadline,
                money(x.pipeline)
            ),
            crate::i18n::Lang::Ja => format!(
                "⚠ 期限 {} は過ぎています(計画対象外)。売上四半期は現在の見込 {} に依存します。",
                x.deadline,
                money(x.pipeline)
            ),
        }
    } else if x.gap <= 0.0 {
        l.pick("the pipeline is covered", "パイプラインは充足しています")
            .to_string()
    } else {
        match l {
            crate::i18n::Lang::En => format!(
                "{} conversations in {} business days until {}: {} per business day (now {})",
                x.conversations_needed,
                x.business_days_left,
                x.deadline,
                per_day(x.needed_per_day),
                per_day(x.conversations_per_day)
            ),
            crate::i18n::Lang::Ja => format!(
                "{} までの {} 営業日で会話 {} 件: 1営業日あたり {}(現状 {})",
                x.deadline,
                x.business_days_left,
                x.conversations_needed,
                per_day(x.needed_per_day),
                per_day(x.conversations_per_day)
            ),
        }
    };
    rows.push((l.pick("Needed from now", "今後必要").into(), need));
    let w = rows.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    let mut out = match l {
        crate::i18n::Lang::En => format!(
            "\nWhat the database says ({} – {}, {} business days)\n",
            x.from,
            x.to - chrono::Duration::days(1),
            x.business_days
        ),
        crate::i18n::Lang::Ja => format!(
            "\nデータベースの実績({} – {}、{}営業日)\n",
            x.from,
            x.to - chrono::Duration::days(1),
            x.business_days
        ),
    };
    for (k, v) in rows {
        out.push_str(&format!("{}  {v}\n", fit(&k, w)));
    }
    out
}
