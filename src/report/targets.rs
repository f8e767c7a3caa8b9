//! Targets and pace: business days elapsed (today included when it is one) over business days in
//! the period, from the config's calendar in the rep's zone; achievement = actual / (target × pace).

use super::metrics::Metrics;
use super::period::Span;
use crate::cli::Period;
use crate::config::Config;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Business days elapsed and in the period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pace {
    pub elapsed: u32,
    pub total: u32,
    /// elapsed / total (`None` for a period without business days).
    pub share: Option<f64>,
}

/// The pace of `span` at `now`.
pub fn pace(span: &Span, cfg: &Config, now: DateTime<Utc>) -> Pace {
    let cal = &cfg.hours.calendar;
    let zone = span.zone;
    let today = now.with_timezone(&zone).date_naive();
    let total = cal.business_days_between(zone, span.start, span.end);
    let upto = (today + Duration::days(1)).clamp(span.start, span.end);
    let elapsed = cal.business_days_between(zone, span.start, upto);
    Pace {
        elapsed,
        total,
        share: (total > 0).then(|| f64::from(elapsed) / f64::from(total)),
    }
}

/// One metric against its target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TargetRow {
    pub target: f64,
    pub actual: Option<f64>,
    pub pace: Option<f64>,
    /// actual / (target × pace); `None` when that is 0 or the actual is undefined.
    pub achievement: Option<f64>,
}

/// The configured targets of the period's kind (none for a day).
pub fn configured(kind: Period, cfg: &Config) -> &BTreeMap<String, f64> {
    static EMPTY: BTreeMap<String, f64> = BTreeMap::new();
    match kind {
        Period::Week => &cfg.targets.week,
        Period::Month => &cfg.targets.month,
        Period::Day => &EMPTY,
    }
}

/// Targets vs actuals of `span`. An unknown metric name in the config is an error naming it.
pub fn evaluate(
    span: &Span,
    m: &Metrics,
    cfg: &Config,
    now: DateTime<Utc>,
) -> anyhow::Result<BTreeMap<String, TargetRow>> {
    let p = pace(span, cfg, now).share;
    let section = match span.kind {
        Period::Week => "week",
        Period::Month => "month",
        Period::Day => "day",
    };
    let mut out = BTreeMap::new();
    for (metric, target) in configured(span.kind, cfg) {
        let Some(v) = m.get(metric) else {
            anyhow::bail!(
                "config [targets.{section}]: unknown metric '{metric}' (known: {})",
                super::metrics::METRICS.join(", ")
            );
        };
        let actual = v.num();
        let denom = p.map(|p| target * p).filter(|d| *d > 0.0);
        out.insert(
            metric.clone(),
            TargetRow {
                target: *target,
                actual,
                pace: p,
                achievement: match (actual, denom) {
                    (Some(a), Some(d)) => Some(a / d),
                    _ => None,
                },
            },
        );
    }
    Ok(out)
}
