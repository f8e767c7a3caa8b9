//! The data the TUI dashboard shows, computed by the same queries as `kaden report` so both
//! always agree: today and this week, the week-over-week driver, call results and leads over the
//! last 7 days, daily calls over 4 weeks, appointments by lead source this month.

use super::compare::{self, Driver};
use super::metrics::{self, Metrics};
use super::period::Span;
use super::targets::{self, Pace};
use crate::cli::{Period, ReportBy};
use crate::config::Config;
use crate::store::Store;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Everything the dashboard draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub today_span: Span,
    pub week_span: Span,
    pub today: Metrics,
    pub week: Metrics,
    pub previous_week: Metrics,
    /// How the previous week was cut to compare like with like (see [`super::fair`]).
    pub previous_basis: super::fair::Basis,
    pub driver: Option<Driver>,
    /// This week's funnel step by step, judged against the targets or the previous week.
    pub funnel: super::funnel::Judged,
    /// The week's appointment target, if configured.
    pub appointment_target: Option<f64>,
    /// The week's pace (business days elapsed / in the week).
    pub pace: Pace,
    /// Call results over the last 7 days (today included), in funnel order; `none` last.
    pub results_7d: Vec<(String, u64)>,
    /// Calls per local day over the last 28 days, oldest first.
    pub daily_calls: Vec<(NaiveDate, u64)>,
    /// Leads created per local day over the last 7 days, oldest first.
    pub leads_7d: Vec<(NaiveDate, u64)>,
    /// Appointments by lead source this month, most first.
    pub month_by_source: Vec<(String, u64)>,
}

impl Dashboard {
    /// The week-over-week sentence with its driver.
    pub fn driver_sentence(&self, lang: crate::i18n::Lang) -> String {
        let s = compare::sentence(&self.previous_week, &self.week, self.driver.as_ref(), lang);
        match (self.previous_basis, lang) {
            (super::fair::Basis::SameBusinessDays { days: 1, .. }, crate::i18n::Lang::En) => {
                format!("{s} (Against the first business day of last week.)")
            }
            (super::fair::Basis::SameBusinessDays { days, .. }, crate::i18n::Lang::En) => {
                format!("{s} (Against the first {days} business days of last week.)")
            }
            (super::fair::Basis::SameBusinessDays { days, .. }, crate::i18n::Lang::Ja) => {
                format!("{s}（前週の最初の{days}営業日と比較）")
            }
            (super::fair::Basis::Whole, _) => s,
        }
    }
}

const RESULT_ORDER: [&str; 6] = [
    "unconnected",
    "recall",
    "appointment",
    "lost",
    "out_of_scope",
    "none",
];

/// Compute the dashboard at `now`.
pub fn dashboard(store: &Store, cfg: &Config, now: DateTime<Utc>) -> anyhow::Result<Dashboard> {
    let zone = cfg.time_zone;
    let today_span = Span::at(Period::Day, now, zone);
    let week_span = Span::at(Period::Week, now, zone);
    let today = metrics::total(store, &today_span)?;
    let week = metrics::total(store, &week_span)?;
    let (prev_span, previous_basis) = super::fair::previous(&week_span, cfg, now);
    let previous_week = metrics::total(store, &prev_span)?;
    let funnel = super::funnel::compute(store, cfg, &week_span, &prev_span, now, None)?.total;
    let driver = compare::driver(&previous_week, &week);
    let day0 = today_span.start;
    let last7 = Span::days(day0 - Duration::days(6), today_span.end, zone);
    let found = metrics::call_results(store, &last7)?;
    let results_7d = RESULT_ORDER
        .iter()
        .map(|r| {
            let n = found
                .iter()
                .find(|(k, _)| k == r)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            (r.to_string(), n)
        })
        .filter(|(r, n)| r != "none" || *n > 0)
        .collect();
    let days: Vec<Span> = (0..28)
        .rev()
        .map(|i| {
            let d = day0 - Duration::days(i);
            Span::days(d, d + Duration::days(1), zone)
        })
        .collect();
    let daily = metrics::daily(store, &days)?;
    let daily_calls: Vec<(NaiveDate, u64)> = days
        .iter()
        .zip(&daily)
        .map(|(s, (c, _))| (s.start, *c))
        .collect();
    let leads_7d: Vec<(NaiveDate, u64)> = days
        .iter()
        .zip(&daily)
        .skip(21)
        .map(|(s, (_, l))| (s.start, *l))
        .collect();
    let month = Span::at(Period::Month, now, zone);
    let mut month_by_source: Vec<(String, u64)> =
        metrics::compute(store, &month, Some(ReportBy::Source))?
            .into_iter()
            .filter(|(_, m)| m.appointments > 0)
            .map(|(k, m)| (k, m.appointments))
            .collect();
    month_by_source.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Dashboard {
        today_span,
        week_span,
        today,
        week,
        previous_week,
        previous_basis,
        driver,
        funnel,
        appointment_target: cfg.targets.week.get("appointments").copied(),
        pace: targets::pace(&week_span, cfg, now),
        results_7d,
        daily_calls,
        leads_7d,
        month_by_source,
    })
}
