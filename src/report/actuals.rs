//! Plan against actuals (`kaden plan`, the dashboard): next to the reverse funnel the plan
//! needs, what the database says now — calls and conversations per business day over the last
//! four weeks, the Open SAL pipeline (forecast) — the gap, and the conversations per business
//! day it takes to close the gap by the date the pipeline must exist. A date already past is
//! flagged instead of planned for.

use super::forecast;
use super::metrics;
use super::period::Span;
use crate::config::Config;
use crate::plan::Plan;
use crate::store::{self, Store};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

/// Days of history the actual rates are taken over (four weeks, today excluded).
pub const WINDOW_DAYS: i64 = 28;

/// What the database says, set against a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actuals {
    /// The window: `[from, to)` local days (to = today).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Business days in the window.
    pub business_days: u32,
    pub calls: u64,
    /// Calls with a conversation (any result but unconnected).
    pub conversations: u64,
    pub calls_per_day: Option<f64>,
    pub conversations_per_day: Option<f64>,
    /// Open appointments and their Open SAL forecast (Σ amount × probability).
    pub open_appointments: u64,
    pub pipeline: f64,
    /// Pipeline still missing: the plan's pipeline − the forecast (0 when covered).
    pub gap: f64,
    /// The date the pipeline must exist by (the plan's, else the revenue quarter's first day).
    pub deadline: NaiveDate,
    /// The deadline is today or already past: nothing left to plan for.
    pub deadline_past: bool,
    /// Business days from today (included) to the deadline.
    pub business_days_left: u32,
    /// Conversations still needed: the plan's conversations × gap / pipeline, rounded up.
    pub conversations_needed: u64,
    /// conversations_needed / business_days_left.
    pub needed_per_day: Option<f64>,
}

/// The actuals at `now` for `plan`, whose pipeline must exist by `deadline`.
pub fn compute(
    store: &Store,
    cfg: &Config,
    plan: &Plan,
    deadline: NaiveDate,
    now: DateTime<Utc>,
) -> store::Result<Actuals> {
    let zone = cfg.time_zone;
    let cal = &cfg.hours.calendar;
    let today = now.with_timezone(&zone).date_naive();
    let from = today - Duration::days(WINDOW_DAYS);
    let m = metrics::total(store, &Span::days(from, today, zone))?;
    let business_days = cal.business_days_between(zone, from, today);
    let per_day = |n: u64| (business_days > 0).then(|| n as f64 / f64::from(business_days));
    let f = forecast::compute(store)?;
    let gap = (plan.pipeline - f.expected).max(0.0);
    let deadline_past = deadline <= today;
    let business_days_left = if deadline_past {
        0
    } else {
        cal.business_days_between(zone, today, deadline)
    };
    let share = if plan.pipeline > 0.0 {
        gap / plan.pipeline
    } else {
        0.0
    };
    let conversations_needed = crate::plan::ceil_count(plan.conversations as f64 * share);
    Ok(Actuals {
        from,
        to: today,
        business_days,
        calls: m.calls,
        conversations: m.connects,
        calls_per_day: per_day(m.calls),
        conversations_per_day: per_day(m.connects),
        open_appointments: f.open_appointments,
        pipeline: f.expected,
        gap,
        deadline,
        deadline_past,
        business_days_left,
        conversations_needed,
        needed_per_day: (business_days_left > 0)
            .then(|| conversations_needed as f64 / f64::from(business_days_left)),
    })
}
