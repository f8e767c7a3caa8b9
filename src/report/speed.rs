//! Speed-to-lead: for the leads created in a period, the time to their first touch — the median
//! and the share within the SLA (`[queue] sla_minutes`, default 5) — in total, by source and by
//! rep (who made the first touch; the owner while untouched). A lead still inside its SLA window
//! and untouched is not judged yet; an untouched lead past it counts as missed.

use super::period::Span;
use crate::store::{self, FirstTouch, Store, parse_ts};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Speed-to-lead of one group of new leads.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SpeedRow {
    pub key: String,
    /// Leads created in the period.
    pub leads: u64,
    /// Of those, touched at least once.
    pub touched: u64,
    /// Median seconds to the first touch, over the touched leads.
    pub median_s: Option<i64>,
    /// Touched within the SLA.
    pub within_sla: u64,
    /// Leads whose SLA window is over or that were touched (the share's denominator).
    pub judged: u64,
    /// within_sla / judged.
    pub share: Option<f64>,
}

/// Speed-to-lead of a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Speed {
    pub sla_minutes: u32,
    pub total: SpeedRow,
    pub by_source: Vec<SpeedRow>,
    pub by_rep: Vec<SpeedRow>,
}

/// The median of `xs` (sorted here); the mean of the two middle values for an even count,
/// rounded down to a second.
pub fn median(xs: &mut [i64]) -> Option<i64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_unstable();
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]).div_euclid(2)
    })
}

#[derive(Default)]
struct Acc {
    leads: u64,
    secs: Vec<i64>,
    within: u64,
    judged: u64,
}

impl Acc {
    fn row(mut self, key: String) -> SpeedRow {
        SpeedRow {
            key,
            leads: self.leads,
            touched: self.secs.len() as u64,
            median_s: median(&mut self.secs),
            within_sla: self.within,
            judged: self.judged,
            share: (self.judged > 0).then(|| self.within as f64 / self.judged as f64),
        }
    }
}

/// Speed-to-lead from the first touches, at `now`.
pub fn from_rows(rows: &[FirstTouch], sla_minutes: u32, now: DateTime<Utc>) -> Speed {
    let sla = i64::from(sla_minutes) * 60;
    let mut total = Acc::default();
    let mut by_source: BTreeMap<String, Acc> = BTreeMap::new();
    let mut by_rep: BTreeMap<String, Acc> = BTreeMap::new();
    for r in rows {
        let Some(created) = parse_ts(&r.created_at) else {
            continue;
        };
        let first = r.first_at.as_deref().and_then(parse_ts);
        let secs = first.map(|f| (f - created).num_seconds().max(0));
        let judged = secs.is_some() || (now - created).num_seconds() > sla;
        let within = secs.is_some_and(|s| s <= sla);
        // Reps and sources are untrusted text (imported, or `--as`): sanitised like every key.
        let rep = crate::domain::text::sanitize_line(r.first_rep.as_deref().unwrap_or(&r.owner));
        for acc in [
            &mut total,
            by_source
                .entry(crate::domain::text::sanitize_line(&r.source))
                .or_default(),
            by_rep.entry(rep).or_default(),
        ] {
            acc.leads += 1;
            if let Some(s) = secs {
                acc.secs.push(s);
            }
            acc.within += u64::from(within);
            acc.judged += u64::from(judged);
        }
    }
    Speed {
        sla_minutes,
        total: total.row(String::new()),
        by_source: by_source.into_iter().map(|(k, a)| a.row(k)).collect(),
        by_rep: by_rep.into_iter().map(|(k, a)| a.row(k)).collect(),
    }
}

/// Speed-to-lead of the leads created in `span`.
pub fn compute(
    store: &Store,
    span: &Span,
    sla_minutes: u32,
    now: DateTime<Utc>,
) -> store::Result<Speed> {
    let (lo, hi) = span.bounds();
    Ok(from_rows(&store.first_touches(&lo, &hi)?, sla_minutes, now))
}

/// "4 min 30 s", "2 h 5 min", "3 d 4 h".
pub fn duration(secs: i64) -> String {
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else if m > 0 {
        format!("{m} min {s} s")
    } else {
        format!("{s} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [300, 60, 120]), Some(120));
        // (60 + 120) / 2 = 90.
        assert_eq!(median(&mut [600, 60, 120, 30]), Some(90));
    }

    #[test]
    fn durations_read_like_a_person_says_them() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(270), "4 min 30 s");
        assert_eq!(duration(7500), "2 h 5 min");
        assert_eq!(duration(3 * 86_400 + 4 * 3600), "3 d 4 h");
    }
}
