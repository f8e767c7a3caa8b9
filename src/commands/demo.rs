//! `kaden demo`: build a demo database; `main` then opens the TUI on it (unless `--no-tui`).

use super::output::stderr_line;
use super::{Ctx, data_dir};
use crate::cli::DemoArgs;
use anyhow::{Result, bail};
use std::time::Instant;

/// Build the demo database and return the context to run on it: the demo's own file (unless
/// `--db`), and at night a clock moved to Tokyo's next opening.
pub fn build(mut ctx: Ctx, args: &DemoArgs) -> Result<Ctx> {
    if !ctx.db_explicit && ctx.db_url.is_none() {
        // The demo's own file: rebuilt every time, never the user's database.
        ctx.db = data_dir()?.join("demo.db");
        crate::files::remove_database(&ctx.db)?;
    }
    let mut store = ctx.open_plain()?;
    if store.lead_count()? > 0 {
        bail!(
            "{} already holds leads: give `kaden demo --db` a new file",
            ctx.db.display()
        );
    }
    store.ensure_rank_keys(&ctx.cfg)?;
    if let Some(at) = demo_moment(&ctx) {
        // Outside Tokyo's calling hours the sample would show an empty queue: run the demo from
        // the next opening instead (as KADEN_NOW would, but the clock keeps running so the
        // call timer counts and toasts expire).
        stderr_line(&format!(
            "kaden: it is outside calling hours in Tokyo now; the demo runs at {} (KADEN_NOW={})",
            at.with_timezone(&chrono_tz::Asia::Tokyo)
                .format("%a %Y-%m-%d %H:%M JST"),
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ));
        ctx.clock = crate::clock::Clock::starting_at(at);
    }
    let now = ctx.now();
    let started = Instant::now();
    match args.leads {
        Some(n) => {
            let (leads, acts) = crate::demo::build_synthetic(&mut store, &ctx.cfg, now, n)?;
            stderr_line(&format!(
                "kaden: demo database {} — {leads} synthetic leads, {acts} activities in {:.1} s",
                ctx.db.display(),
                started.elapsed().as_secs_f64()
            ));
        }
        None => {
            let n = crate::demo::build_sample(&mut store, &ctx.cfg, now)?;
            stderr_line(&format!(
                "kaden: demo database {} — {n} sample leads",
                ctx.db.display()
            ));
        }
    }
    Ok(ctx)
}

/// When the sample demo runs on the system clock outside calling hours in Tokyo (where most
/// sample leads are), the next business day at 10:00 JST; otherwise `None`.
pub fn demo_moment(ctx: &Ctx) -> Option<chrono::DateTime<chrono::Utc>> {
    if ctx.clock != crate::clock::Clock::System {
        return None;
    }
    moment_for(&ctx.cfg.hours, ctx.now())
}

/// See [`demo_moment`]: `None` inside Tokyo's calling hours, else an hour after they open next.
fn moment_for(
    hours: &crate::domain::hours::CallingHours,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let tokyo = chrono_tz::Asia::Tokyo;
    if hours.is_open(tokyo, now) {
        return None;
    }
    Some(hours.next_open(tokyo, now) + chrono::Duration::hours(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    }

    #[test]
    fn the_demo_moves_to_the_next_opening_outside_calling_hours() {
        let h = Config::default().hours;
        // Sunday evening UTC = Monday 06:38 JST, before the window (and 2026-11-23 is a holiday).
        assert_eq!(
            moment_for(&h, at("2026-11-22T21:38:00Z")),
            Some(at("2026-11-24T10:00:00+09:00"))
        );
        // Inside the window nothing changes.
        assert_eq!(moment_for(&h, at("2026-11-24T10:30:00+09:00")), None);
    }
}
