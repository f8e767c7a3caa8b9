//! `kaden log`: record a result from a script — the same transaction as the TUI.

use super::Ctx;
use crate::cli::LogArgs;
use crate::domain::timeparse::parse_future;
use crate::domain::{CallResult, Channel};
use crate::i18n::Label;
use crate::store::{Lead, NextChoice, ResultInput, SalAnswers, StoreError, cadence_for};
use anyhow::{Result, anyhow, bail};

/// Build the input from the arguments; every check happens before anything is written.
pub fn input_from_args(ctx: &Ctx, lead: &Lead, args: &LogArgs) -> Result<ResultInput> {
    let result: CallResult = args.result.parse()?;
    let now = ctx.now();
    let mut input = ResultInput::new(lead.id, result, &ctx.rep);
    if let Some(c) = &args.channel {
        input.channel = c.parse()?;
    }
    input.reason = args.reason.clone();
    input.note = match args.note.as_deref() {
        Some(n) => crate::domain::text::note_arg(n).map_err(anyhow::Error::msg)?,
        None => None,
    };
    input.duration_s = args.duration;
    input.off_hours_ok = args.off_hours;
    let via: Option<Channel> = args.via.as_deref().map(str::parse).transpose()?;
    let when = args
        .next
        .as_deref()
        .map(|w| parse_future(w, now, ctx.cfg.time_zone).map_err(|e| anyhow!("--next: {e}")))
        .transpose()?;
    match result {
        CallResult::Appointment => {
            input.meeting_at = when;
            let mut sal = SalAnswers::default();
            for axis in &args.sal {
                match axis.trim() {
                    "budget" => sal.budget = true,
                    "consideration" => sal.consideration = true,
                    "timing" => sal.timing = true,
                    "" => {}
                    other => bail!("--sal: unknown axis '{other}' (budget, consideration, timing)"),
                }
            }
            if !args.sal.is_empty() {
                input.sal = Some(sal);
            }
            input.amount = args.amount;
        }
        CallResult::OutOfScope if when.is_some() => {
            bail!("out_of_scope closes the lead: it takes no --next")
        }
        _ => {
            if let Some(due) = when {
                input.next = NextChoice::At {
                    due,
                    channel: via.unwrap_or(Channel::Call),
                    owner: None,
                    note: None,
                };
            } else if let Some(ch) = via {
                // keep the cadence's time, change how
                let t = cadence_for(lead, result, &ctx.cfg, now, None);
                if let Some(d) = t.next {
                    input.next = NextChoice::At {
                        due: d.due,
                        channel: ch,
                        owner: None,
                        note: None,
                    };
                }
            }
        }
    }
    if args.no_next {
        if result != CallResult::Lost {
            bail!("--no-next is for lost (nurturing without a next action)");
        }
        input.next = NextChoice::None;
    }
    if args.amount.is_some() && result != CallResult::Appointment {
        bail!("--amount is for appointments");
    }
    if let Some(x) = args.amount {
        crate::domain::amount::check_amount("--amount", x).map_err(anyhow::Error::msg)?;
    }
    Ok(input)
}

pub fn run(ctx: &Ctx, args: &LogArgs) -> Result<()> {
    // Parse the result first so a typo is reported before the database is even opened.
    let _: CallResult = args.result.parse()?;
    let mut store = ctx.open_store()?;
    let lead_id = store.find_lead(&args.lead, &ctx.cfg.phone_region)?;
    let input = input_from_args(ctx, &store.lead(lead_id)?, args)?;
    let rec = match store.record_result(&input, &ctx.cfg, ctx.now()) {
        Err(StoreError::OffHours { their_time }) => bail!(
            "{}",
            ctx.lang.pick(
                &format!(
                    "--next: their time {their_time} is outside calling hours — the prospect asked for it? If so, add --off-hours (nothing was written)"
                ),
                &format!(
                    "--next: 先方の時刻 {their_time} は架電時間外です。先方の希望なら --off-hours を付けてください(何も書き込んでいません)"
                ),
            )
        ),
        r => r?,
    };
    let lead = store.lead(lead_id)?;
    let l = ctx.lang;
    let next = match &rec.next {
        Some(n) => format!(
            "{} {} {}",
            l.pick("next:", "次:"),
            n.channel.label(l),
            n.due
                .with_timezone(&ctx.cfg.time_zone)
                .format("%Y-%m-%d %H:%M")
        ),
        None => l
            .pick("no next action", "ネクストアクションなし")
            .to_string(),
    };
    let line = format!(
        "#{} {} · {} → {} · {} (activity {})",
        lead.id,
        crate::domain::text::sanitize_line(&lead.company),
        rec.result.label(l),
        rec.status.label(l),
        next,
        rec.activity_id
    );
    let saved = match l {
        crate::i18n::Lang::En => format!("the result was saved (activity {})", rec.activity_id),
        crate::i18n::Lang::Ja => format!("結果は保存しました (活動 {})", rec.activity_id),
    };
    super::output::confirm(l, &saved, &line);
    Ok(())
}

/// `kaden touch LEAD KIND`: a touch on another channel, one transaction.
pub fn touch(ctx: &Ctx, args: &crate::cli::TouchArgs) -> Result<()> {
    use crate::domain::touch::TouchKind;
    let kind: TouchKind = args.kind.parse().map_err(anyhow::Error::msg)?;
    let note = match args.note.as_deref() {
        Some(n) => crate::domain::text::note_arg(n).map_err(anyhow::Error::msg)?,
        None => None,
    };
    let mut store = ctx.open_store()?;
    let lead_id = store.find_lead(&args.lead, &ctx.cfg.phone_region)?;
    let input = crate::store::TouchInput {
        lead_id,
        kind,
        note,
        rep: ctx.rep.clone(),
    };
    let t = store.record_touch(&input, &ctx.cfg, ctx.now())?;
    let lead = store.lead(lead_id)?;
    let l = ctx.lang;
    let next = match &t.next {
        Some(n) => format!(
            "{} {} {}",
            l.pick("next:", "次:"),
            n.channel.label(l),
            n.due
                .with_timezone(&ctx.cfg.time_zone)
                .format("%Y-%m-%d %H:%M")
        ),
        None => l
            .pick("no next action", "ネクストアクションなし")
            .to_string(),
    };
    let line = format!(
        "#{} {} · {} → {} · {} (activity {})",
        lead.id,
        crate::domain::text::sanitize_line(&lead.company),
        kind.label(l),
        t.status.label(l),
        next,
        t.activity_id
    );
    let saved = match l {
        crate::i18n::Lang::En => format!("the touch was saved (activity {})", t.activity_id),
        crate::i18n::Lang::Ja => format!("接触を保存しました (活動 {})", t.activity_id),
    };
    super::output::confirm(l, &saved, &line);
    Ok(())
}
