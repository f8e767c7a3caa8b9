//! `kaden queue`: the queue printed, in the TUI's order.

use super::Ctx;
use crate::cli::{QueueArgs, TableFormat};
use crate::domain::text::{fit, sanitize_line, width};
use crate::i18n::{Label, reason_text};
use crate::store::{QueueQuery, QueueRow};
use anyhow::Result;
use serde_json::json;
use std::io::Write;

/// One row as JSON.
pub fn row_json(rank: usize, r: &QueueRow, ctx: &Ctx) -> serde_json::Value {
    let now = ctx.now();
    json!({
        "id": r.id,
        "rank": rank,
        "tier": r.tier.get(),
        "company": sanitize_line(&r.company),
        "contact": sanitize_line(&r.name),
        "title": sanitize_line(&r.title),
        "phone": r.phone.as_deref().map(sanitize_line),
        "status": r.status.key(),
        "touches": r.touches,
        "due": r.next_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        "local_time": r.zone(ctx.cfg.default_time_zone).local_hhmm(now),
        "zone_unknown": r.zone(ctx.cfg.default_time_zone).is_unknown(),
        "time_zone": sanitize_line(&r.time_zone),
        "band": r.band,
        "score": (r.score * 100.0).round() / 100.0,
        "reason": reason_text(&r.reason(now), ctx.lang, ctx.cfg.time_zone),
    })
}

pub fn run(ctx: &Ctx, args: &QueueArgs) -> Result<()> {
    let mut store = ctx.open_store()?;
    let now = ctx.now();
    // Pending leads whose rest is over come back first (the same as opening the TUI).
    store.recycle_pending(&ctx.cfg, &ctx.rep, now)?;
    let rows = store.queue(&QueueQuery {
        now,
        cfg: &ctx.cfg,
        limit: args.limit,
        filter: None,
        owner: ctx.mine_only.then_some(ctx.rep.as_str()),
    })?;
    super::output::to_stdout(|out| print(ctx, &store, &rows, args, out))
}

/// The queue as JSON or a table.
fn print(
    ctx: &Ctx,
    store: &crate::store::Store,
    rows: &[QueueRow],
    args: &QueueArgs,
    out: &mut dyn Write,
) -> Result<()> {
    let now = ctx.now();
    match args.format {
        TableFormat::Json => {
            let v: Vec<_> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| row_json(i + 1, r, ctx))
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        TableFormat::Table => {
            if rows.is_empty() {
                let next = store.upcoming(&ctx.cfg, now, 3)?;
                let msg = ctx.lang.pick(
                    "Nobody to call right now.",
                    "今すぐ架電できるリードはありません。",
                );
                writeln!(out, "{msg}")?;
                if next.is_empty() {
                    let hint = ctx.lang.pick(
                        "No lead has an open next action. Add leads with `kaden import FILE` (or try `kaden demo`).",
                        "ネクストアクションのあるリードはありません。`kaden import FILE` でリードを取り込めます(お試しは `kaden demo`)。",
                    );
                    writeln!(out, "{hint}")?;
                }
                for u in next {
                    let at = u
                        .opens_at
                        .with_timezone(&ctx.cfg.time_zone)
                        .format("%m-%d %H:%M");
                    writeln!(
                        out,
                        "  {} {at}: {} {} ({})",
                        ctx.lang.pick("next", "次"),
                        sanitize_line(&u.company),
                        sanitize_line(&u.name),
                        sanitize_line(&u.time_zone)
                    )?;
                }
                return Ok(());
            }
            let l = ctx.lang;
            let header = [
                ("#", 4),
                (l.pick("T", "T"), 3),
                (l.pick("Company", "会社"), 24),
                (l.pick("Contact", "担当者"), 22),
                (l.pick("Local", "現地"), 6),
                (l.pick("Status", "ステータス"), 13),
                (l.pick("Tch", "回数"), 4),
                (l.pick("Due", "期限"), 12),
            ];
            let mut line = String::new();
            for (h, w) in header {
                line.push_str(&fit(h, w));
                line.push(' ');
            }
            line.push_str(l.pick("Reason", "理由"));
            writeln!(out, "{}", line.trim_end())?;
            for (i, r) in rows.iter().enumerate() {
                let contact = if r.title.is_empty() {
                    sanitize_line(&r.name)
                } else {
                    format!("{} ({})", sanitize_line(&r.name), sanitize_line(&r.title))
                };
                let due = r
                    .next_at
                    .map(|t| {
                        t.with_timezone(&ctx.cfg.time_zone)
                            .format("%m-%d %H:%M")
                            .to_string()
                    })
                    .unwrap_or_default();
                let cells = [
                    (format!("{}", i + 1), 4),
                    (r.tier.to_string(), 3),
                    (sanitize_line(&r.company), 24),
                    (contact, 22),
                    (
                        crate::tui::view::local_cell(&r.zone(ctx.cfg.default_time_zone), now),
                        6,
                    ),
                    (r.status.label(l).to_string(), 13),
                    (r.touches.to_string(), 4),
                    (due, 12),
                ];
                let mut line = String::new();
                for (c, w) in cells {
                    line.push_str(&fit(&c, w));
                    line.push(' ');
                }
                line.push_str(&reason_text(&r.reason(now), l, ctx.cfg.time_zone));
                debug_assert!(width(&line) > 0);
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}
