//! Reports: funnel metrics of a period (SQL aggregates), comparison with the previous period and
//! the funnel driver, targets and pace, breakdowns, load balance, the Open SAL forecast, tagged
//! notes, and the data of the TUI dashboard. Output formats live in `output`.

pub mod actuals;
pub mod balance;
mod balance_output;
pub mod compare;
pub mod dashboard;
pub mod fair;
pub mod forecast;
pub mod funnel;
pub mod funnel_output;
pub mod metrics;
pub mod output;
pub mod period;
pub mod reasons;
pub mod speed;
pub mod tags;
pub mod tags_output;
pub mod targets;

pub use dashboard::{Dashboard, dashboard};
pub use metrics::Metrics;
pub use period::Span;

use crate::cli::{Period, ReportBy};
use crate::config::Config;
use chrono::{DateTime, NaiveDate, Utc};
use compare::{Change, Driver};
use std::collections::BTreeMap;

/// What to report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub period: Period,
    /// A local date inside the period.
    pub at: NaiveDate,
    pub compare: bool,
    pub by: Option<ReportBy>,
}

/// The previous period and how it compares.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub span: Span,
    pub metrics: Metrics,
    pub driver: Option<Driver>,
    /// Whole, or cut to the business days elapsed in a running period.
    pub basis: fair::Basis,
}

impl Comparison {
    /// The change of each metric, in display order.
    pub fn changes(&self, cur: &Metrics) -> Vec<(&'static str, Change)> {
        cur.values()
            .into_iter()
            .filter_map(|(m, v)| self.metrics.get(m).map(|p| (m, compare::change(p, v))))
            .collect()
    }
}

/// A breakdown by a key.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    pub by: ReportBy,
    pub rows: Vec<(String, Metrics)>,
    /// With `--by rep`: the load balance.
    pub balance: Option<balance::Balance>,
}

/// A computed report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub span: Span,
    pub metrics: Metrics,
    pub previous: Option<Comparison>,
    pub by: Option<Breakdown>,
    pub pace: targets::Pace,
    /// Configured targets of the period's kind (empty when none).
    pub targets: BTreeMap<String, targets::TargetRow>,
    pub forecast: forecast::Forecast,
    /// The funnel step by step, against targets or the previous period.
    pub funnel: funnel::Funnel,
    /// Speed-to-lead of the leads created in the period.
    pub speed: speed::Speed,
    /// With `--by reason`: counts by reason.
    pub reasons: Option<reasons::Reasons>,
}

/// Compute a report at `now`.
pub fn build(
    store: &crate::store::Store,
    cfg: &Config,
    now: DateTime<Utc>,
    o: &Options,
) -> anyhow::Result<Report> {
    let span = Span::containing(o.period, o.at, cfg.time_zone);
    let m = metrics::total(store, &span)?;
    let (ps, basis) = fair::previous(&span, cfg, now);
    let previous = if o.compare {
        let pm = metrics::total(store, &ps)?;
        let driver = compare::driver(&pm, &m);
        Some(Comparison {
            span: ps,
            metrics: pm,
            driver,
            basis,
        })
    } else {
        None
    };
    let by = match o.by {
        Some(ReportBy::Reason) => None,
        Some(b) => Some(Breakdown {
            by: b,
            rows: metrics::compute(store, &span, Some(b))?
                .into_iter()
                .collect(),
            balance: if b == ReportBy::Rep {
                Some(balance::compute(store, cfg, now)?)
            } else {
                None
            },
        }),
        None => None,
    };
    Ok(Report {
        span,
        pace: targets::pace(&span, cfg, now),
        targets: targets::evaluate(&span, &m, cfg, now)?,
        metrics: m,
        previous,
        by,
        forecast: forecast::compute(store)?,
        funnel: funnel::compute(store, cfg, &span, &ps, now, o.by)?,
        speed: speed::compute(store, &span, cfg.sla_minutes, now)?,
        reasons: match o.by {
            Some(ReportBy::Reason) => Some(reasons::compute(store, &span)?),
            _ => None,
        },
    })
}
