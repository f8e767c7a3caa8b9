//! `kaden doctor`: look the database over (integrity, schema, counts, permissions, WAL) without
//! changing it, and say what to do about anything wrong. Exits 1 when something is wrong.

use super::Ctx;
use crate::store::{Level, checkup};
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

pub fn run(ctx: &Ctx) -> Result<ExitCode> {
    let l = ctx.lang;
    let c = match &ctx.db_url {
        Some(_) => crate::store::checkup_postgres(&ctx.open_plain()?, ctx.now())?,
        None => checkup(&ctx.db)?,
    };
    super::output::to_stdout(|out| report(&c, ctx, out))?;
    let worst = c.level();
    if worst == Level::Fail {
        let n = c.checks.iter().filter(|c| c.level == Level::Fail).count();
        super::output::stderr_line(&format!(
            "kaden: {}",
            l.pick(
                &format!("doctor found {n} problem(s) in {}", c.path.display()),
                &format!("{} に {n} 件の問題があります", c.path.display())
            )
        ));
        return Ok(ExitCode::from(1));
    }
    let last = if worst == Level::Warn {
        l.pick("no problems; see the warnings above", "問題なし (警告あり)")
    } else {
        l.pick("all good", "問題なし")
    };
    super::output::to_stdout(|out| Ok(writeln!(out, "{last}")?))?;
    Ok(ExitCode::SUCCESS)
}

/// The findings, one check a line, with what to do under each problem.
fn report(c: &crate::store::Checkup, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let l = ctx.lang;
    writeln!(
        out,
        "{} {} ({}, {})",
        l.pick("database", "データベース"),
        c.path.display(),
        human_bytes(c.file_bytes),
        l.pick(
            &format!("schema v{}", c.schema_version),
            &format!("スキーマ v{}", c.schema_version)
        )
    )?;
    if let Some(n) = &c.counts {
        let by: Vec<String> = n
            .leads_by_status
            .iter()
            .map(|(s, k)| {
                let label = s
                    .parse::<crate::domain::LeadStatus>()
                    .map(|st| crate::i18n::Label::label(&st, l).to_string())
                    .unwrap_or_else(|_| crate::domain::text::sanitize_line(s));
                format!("{label} {k}")
            })
            .collect();
        writeln!(
            out,
            "  {} {} ({})",
            l.pick("leads", "リード"),
            n.leads,
            by.join(", ")
        )?;
        writeln!(
            out,
            "  {} {} · {} {} · {} {}",
            l.pick("companies", "企業"),
            n.companies,
            l.pick("activities", "活動"),
            n.activities,
            l.pick("appointments", "アポ"),
            n.appointments
        )?;
    }
    for ch in &c.checks {
        let mark = match ch.level {
            Level::Ok => "ok  ",
            Level::Warn => "WARN",
            Level::Fail => "FAIL",
        };
        writeln!(out, "{mark} {:<13} {}", ch.name, ch.detail)?;
        if let Some(fix) = &ch.fix {
            writeln!(
                out,
                "     {:<13} {} {fix}",
                "",
                l.pick("what to do:", "対処:")
            )?;
        }
    }
    Ok(())
}

/// 1234567 → "1.2 MB".
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
