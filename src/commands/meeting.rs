//! `kaden meeting LEAD won|lost`: what field sales reported for the lead's latest appointment.

use super::Ctx;
use crate::cli::MeetingArgs;
use crate::domain::MeetingOutcome;
use crate::report::output::money;
use crate::store::{find_lead, ts};
use anyhow::{Result, bail};
use rusqlite::OptionalExtension;
use std::process::ExitCode;

pub fn run(ctx: &Ctx, a: &MeetingArgs) -> Result<ExitCode> {
    let outcome: MeetingOutcome = a.outcome.trim().parse()?;
    if let Some(x) = a.amount {
        crate::domain::amount::check_amount("--amount", x).map_err(anyhow::Error::msg)?;
    }
    let note = match a.note.as_deref() {
        Some(n) => crate::domain::text::note_arg(n).map_err(anyhow::Error::msg)?,
        None => None,
    };
    let now = ctx.now();
    let mut store = ctx.open_store()?;
    let lead_id = find_lead(store.conn(), &a.lead, &ctx.cfg.phone_region)?;
    let tx = store.write()?;
    let row: Option<(i64, String, Option<String>)> = tx
        .query_row(
            "SELECT id, booked_at, outcome FROM appointments WHERE lead_id = ?1
             ORDER BY booked_at DESC, id DESC LIMIT 1",
            [lead_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, booked, before)) = row else {
        bail!(
            "lead {lead_id} has no appointment to judge (record one first: kaden log {lead_id} appointment)"
        );
    };
    tx.execute(
        "UPDATE appointments SET outcome = ?2, outcome_at = ?3, outcome_amount = ?4, outcome_note = ?5
         WHERE id = ?1",
        rusqlite::params![id, outcome.key(), ts(now), a.amount, note],
    )?;
    let company: String = tx.query_row(
        "SELECT c.name FROM leads l JOIN companies c ON c.id = l.company_id WHERE l.id = ?1",
        [lead_id],
        |r| r.get(0),
    )?;
    tx.commit()?;
    let company = crate::domain::text::sanitize_line(&company);
    let booked_local = crate::store::parse_ts(&booked)
        .map(|t| {
            t.with_timezone(&ctx.cfg.time_zone)
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or(booked);
    let l = ctx.lang;
    let what = match outcome {
        MeetingOutcome::Won => l.pick("won", "受注"),
        MeetingOutcome::Lost => l.pick("lost", "失注"),
    };
    let mut msg = format!(
        "{} {lead_id} ({company}): {} {booked_local} → {what}",
        l.pick("Lead", "リード"),
        l.pick("appointment of", "アポ")
    );
    if let Some(x) = a.amount {
        msg.push_str(&format!(" · {}", money(x)));
    }
    if let Some(b) = before {
        msg.push_str(&format!(" ({} {b})", l.pick("was", "変更前:")));
    }
    let saved = l.pick("the meeting result was saved", "商談結果は保存しました");
    super::output::confirm(l, saved, &msg);
    Ok(ExitCode::SUCCESS)
}
