//! `kaden meeting LEAD won|lost`: what field sales reported for the lead's latest appointment.

use super::Ctx;
use crate::cli::MeetingArgs;
use crate::domain::MeetingOutcome;
use crate::report::output::money;
use crate::store::MeetingReport;
use anyhow::{Result, bail};
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
    let lead_id = store.find_lead(&a.lead, &ctx.cfg.phone_region)?;
    let Some(appointment) = store.latest_appointment(lead_id)? else {
        bail!(
            "lead {lead_id} has no appointment to judge (record one first: kaden log {lead_id} appointment)"
        );
    };
    store.report_meeting(
        appointment.id,
        &MeetingReport {
            outcome,
            at: now,
            amount: a.amount,
            note,
        },
    )?;
    let company = store.lead(lead_id)?.company;
    let before = appointment.outcome.map(|o| o.key());
    let booked = appointment.booked_at;
    let company = crate::domain::text::sanitize_line(&company);
    let booked_local = booked
        .with_timezone(&ctx.cfg.time_zone)
        .format("%Y-%m-%d")
        .to_string();
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
