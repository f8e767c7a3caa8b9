//! `kaden meeting LEAD held|no_show|won|lost`: how the lead's latest meeting went. Lost and
//! no-show put a `meeting` lead back in nurturing with a re-approach date.

use super::Ctx;
use crate::cli::MeetingArgs;
use crate::domain::MeetingClose;
use crate::report::output::money;
use anyhow::Result;
use std::process::ExitCode;

/// The word for a close-out, in the rep's language.
pub fn close_label(c: MeetingClose, l: crate::i18n::Lang) -> &'static str {
    match c {
        MeetingClose::Held => l.pick("held", "商談実施"),
        MeetingClose::NoShow => l.pick("not held (no-show)", "不実施（ノーショー）"),
        MeetingClose::Won => l.pick("won", "受注"),
        MeetingClose::Lost => l.pick("lost", "失注"),
    }
}

pub fn run(ctx: &Ctx, a: &MeetingArgs) -> Result<ExitCode> {
    let close: MeetingClose = a.outcome.trim().parse()?;
    if let Some(x) = a.amount {
        crate::domain::amount::check_amount("--amount", x).map_err(anyhow::Error::msg)?;
        if close != MeetingClose::Won {
            anyhow::bail!("--amount is the amount won: use it with `won`");
        }
    }
    let note = match a.note.as_deref() {
        Some(n) => crate::domain::text::note_arg(n).map_err(anyhow::Error::msg)?,
        None => None,
    };
    let now = ctx.now();
    let mut store = ctx.open_store()?;
    let lead_id = store.find_lead(&a.lead, &ctx.cfg.phone_region)?;
    let before = store.latest_appointment(lead_id)?;
    let closed = store.close_meeting(
        lead_id,
        close,
        a.amount,
        note.as_deref(),
        &ctx.rep,
        &ctx.cfg,
        now,
    )?;
    let company = crate::domain::text::sanitize_line(&store.lead(lead_id)?.company);
    let l = ctx.lang;
    let booked_local = before
        .as_ref()
        .map(|b| {
            b.booked_at
                .with_timezone(&ctx.cfg.time_zone)
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_default();
    let mut msg = format!(
        "{} {lead_id} ({company}): {} {booked_local} → {}",
        l.pick("Lead", "リード"),
        l.pick("appointment of", "アポ"),
        close_label(close, l)
    );
    if let Some(x) = a.amount {
        msg.push_str(&format!(" · {}", money(x)));
    }
    if let Some(b) = before.and_then(|b| b.outcome) {
        msg.push_str(&format!(" ({} {b})", l.pick("was", "変更前:")));
    }
    if let Some(n) = &closed.next {
        let when = n
            .due
            .with_timezone(&ctx.cfg.time_zone)
            .format("%Y-%m-%d")
            .to_string();
        msg.push_str(&format!(
            " · {} {when}",
            l.pick("nurturing, re-approach", "ナーチャリング・再アプローチ")
        ));
    }
    let saved = l.pick("the meeting result was saved", "商談結果は保存しました");
    super::output::confirm(l, saved, &msg);
    Ok(ExitCode::SUCCESS)
}
