//! Speed-to-lead: for the leads created in a period, the time to their first touch — the median
//! and the share within the SLA (`[queue] sla_minutes`, default 5) — in total, by source and by
//! rep (who made the first touch; the owner while untouched). A lead still inside its SLA window
//! and untouched is not judged yet; an untouched lead past it counts as missed.

use super::period::Span;
use crate::domain::text::sanitize_line;
use crate::store::{self, FirstTouch, Store, parse_ts};
use chrono::{DateTime, Duration, Utc};
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
    /// Delays of the leads read one by one.
    secs: Vec<i64>,
    within: u64,
    judged: u64,
    /// Touched leads of the histogram per delay bucket.
    hist: BTreeMap<i64, u64>,
    median_s: Option<i64>,
}

impl Acc {
    /// One lead read as a row.
    fn add_row(&mut self, secs: Option<i64>, within: bool, judged: bool) {
        self.leads += 1;
        if let Some(s) = secs {
            self.secs.push(s);
        }
        self.within += u64::from(within);
        self.judged += u64::from(judged);
    }

    /// `n` leads of the histogram in `bucket` (all judged: see [`compute`]).
    fn add_cell(&mut self, bucket: i64, n: u64, sla_bucket: i64) {
        self.leads += n;
        self.judged += n;
        if bucket >= 0 {
            *self.hist.entry(bucket).or_default() += n;
            if bucket < sla_bucket {
                self.within += n;
            }
        }
    }

    fn touched(&self) -> u64 {
        self.secs.len() as u64 + self.hist.values().sum::<u64>()
    }

    /// The bucket of the `k`-th smallest delay (from 0) and how many are below that bucket,
    /// counting the histogram and the rows together.
    fn bucket_of(&self, k: u64) -> Option<(i64, u64)> {
        let mut per: BTreeMap<i64, u64> = self.hist.clone();
        for s in &self.secs {
            *per.entry(store::delay_bucket(*s)).or_default() += 1;
        }
        let mut below = 0;
        for (b, n) in per {
            if k < below + n {
                return Some((b, below));
            }
            below += n;
        }
        None
    }

    /// The buckets whose exact delays the median needs from the store.
    fn median_buckets(&self) -> Vec<i64> {
        let n = self.touched();
        if n == 0 || self.hist.is_empty() {
            return Vec::new();
        }
        [(n - 1) / 2, n / 2]
            .into_iter()
            .filter_map(|k| self.bucket_of(k))
            .map(|(b, _)| b)
            .filter(|b| self.hist.contains_key(b))
            .collect()
    }

    /// The median, given the exact delays of this group's leads in the buckets it needs.
    fn settle(&mut self, fetched: &BTreeMap<i64, Vec<i64>>) {
        let n = self.touched();
        if n == 0 {
            return;
        }
        if self.hist.is_empty() {
            self.median_s = median(&mut self.secs);
            return;
        }
        let at = |k: u64| -> Option<i64> {
            let (b, below) = self.bucket_of(k)?;
            let mut xs: Vec<i64> = self
                .secs
                .iter()
                .copied()
                .filter(|s| store::delay_bucket(*s) == b)
                .collect();
            if self.hist.contains_key(&b) {
                xs.extend(fetched.get(&b).into_iter().flatten().copied());
            }
            xs.sort_unstable();
            xs.get(usize::try_from(k - below).ok()?).copied()
        };
        self.median_s = match (at((n - 1) / 2), at(n / 2)) {
            (Some(a), Some(b)) => Some((a + b).div_euclid(2)),
            _ => None,
        };
    }

    fn row(self, key: String) -> SpeedRow {
        let touched = self.touched();
        let median_s = if self.hist.is_empty() {
            let mut secs = self.secs;
            median(&mut secs)
        } else {
            self.median_s
        };
        SpeedRow {
            key,
            leads: self.leads,
            touched,
            median_s,
            within_sla: self.within,
            judged: self.judged,
            share: (self.judged > 0).then(|| self.within as f64 / self.judged as f64),
        }
    }
}

/// The groups speed-to-lead reports: in total, by source, by rep.
#[derive(Default)]
struct Groups {
    total: Acc,
    by_source: BTreeMap<String, Acc>,
    by_rep: BTreeMap<String, Acc>,
}

impl Groups {
    fn add_rows(&mut self, rows: &[FirstTouch], sla: i64, now: DateTime<Utc>) {
        for r in rows {
            let Some(created) = parse_ts(&r.created_at) else {
                continue;
            };
            let first = r.first_at.as_deref().and_then(parse_ts);
            let secs = first.map(|f| (f - created).num_seconds().max(0));
            let judged = secs.is_some() || (now - created).num_seconds() > sla;
            let within = secs.is_some_and(|s| s <= sla);
            // Reps and sources are untrusted text (imported, or `--as`): sanitised like every key.
            let rep = sanitize_line(r.first_rep.as_deref().unwrap_or(&r.owner));
            for acc in [
                &mut self.total,
                self.by_source.entry(sanitize_line(&r.source)).or_default(),
                self.by_rep.entry(rep).or_default(),
            ] {
                acc.add_row(secs, within, judged);
            }
        }
    }

    fn into_speed(self, sla_minutes: u32) -> Speed {
        Speed {
            sla_minutes,
            total: self.total.row(String::new()),
            by_source: self.by_source.into_iter().map(|(k, a)| a.row(k)).collect(),
            by_rep: self.by_rep.into_iter().map(|(k, a)| a.row(k)).collect(),
        }
    }
}

/// Speed-to-lead from the first touches, at `now`.
pub fn from_rows(rows: &[FirstTouch], sla_minutes: u32, now: DateTime<Utc>) -> Speed {
    let mut g = Groups::default();
    g.add_rows(rows, i64::from(sla_minutes) * 60, now);
    g.into_speed(sla_minutes)
}

/// Speed-to-lead of the leads created in `span`. The whole UTC days and hours of the period come
/// from the histogram of first-touch delays (`store::speed_counts`), the minutes at its ends
/// and the leads created in the last SLA window before `now` (untouched ones are not judged yet)
/// from the rows. The median is exact: the bucket counts say which bucket holds it, and only
/// that bucket's delays are read; so are those of the bucket that holds the SLA.
pub fn compute(
    store: &Store,
    span: &Span,
    sla_minutes: u32,
    now: DateTime<Utc>,
) -> store::Result<Speed> {
    let (lo, hi) = span.bounds();
    let sla = i64::from(sla_minutes) * 60;
    // An untouched lead created before `cut` is past its SLA window: (now - created) > sla.
    let cut = store::ts(now - Duration::seconds(sla + 1));
    let mid = if cut < hi {
        cut.max(lo.clone())
    } else {
        hi.clone()
    };
    let counts = store.speed_counts(&lo, &mid)?;
    let mut g = Groups::default();
    g.add_rows(&counts.rows, sla, now);
    if mid < hi {
        g.add_rows(&store.first_touches(&mid, &hi)?, sla, now);
    }
    let sla_bucket = store::delay_bucket(sla);
    for c in &counts.cells {
        let n = u64::try_from(c.n).unwrap_or(0);
        let key = sanitize_line(&c.key);
        if c.by_rep {
            g.by_rep
                .entry(key)
                .or_default()
                .add_cell(c.bucket, n, sla_bucket);
        } else {
            g.total.add_cell(c.bucket, n, sla_bucket);
            g.by_source
                .entry(key)
                .or_default()
                .add_cell(c.bucket, n, sla_bucket);
        }
    }
    // The buckets to read: the SLA's, and each group's median's.
    let groups = || {
        std::iter::once(&g.total)
            .chain(g.by_source.values())
            .chain(g.by_rep.values())
    };
    let mut wanted: Vec<i64> = groups().flat_map(Acc::median_buckets).collect();
    if groups().any(|a| a.hist.contains_key(&sla_bucket)) {
        wanted.push(sla_bucket);
    }
    wanted.sort_unstable();
    wanted.dedup();
    // Per bucket, per group: the exact delays (keys sanitised as above).
    let mut total: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut by_source: BTreeMap<&str, BTreeMap<i64, Vec<i64>>> = BTreeMap::new();
    let mut by_rep: BTreeMap<&str, BTreeMap<i64, Vec<i64>>> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut fetched = Vec::new();
    for b in wanted {
        for r in store.speed_bucket(&counts, b)? {
            debug_assert_eq!(store::delay_bucket(r.delay), b, "{r:?}");
            for k in [&r.source, &r.rep] {
                if !names.contains_key(k) {
                    names.insert(k.clone(), sanitize_line(k));
                }
            }
            fetched.push((b, r));
        }
    }
    for (b, r) in &fetched {
        total.entry(*b).or_default().push(r.delay);
        by_source
            .entry(names[&r.source].as_str())
            .or_default()
            .entry(*b)
            .or_default()
            .push(r.delay);
        by_rep
            .entry(names[&r.rep].as_str())
            .or_default()
            .entry(*b)
            .or_default()
            .push(r.delay);
    }
    let none = BTreeMap::new();
    let settle = |acc: &mut Acc, f: &BTreeMap<i64, Vec<i64>>| {
        if let Some(xs) = f.get(&sla_bucket) {
            debug_assert_eq!(acc.hist.get(&sla_bucket).copied(), Some(xs.len() as u64));
            acc.within += xs.iter().filter(|d| **d <= sla).count() as u64;
        }
        acc.settle(f);
    };
    settle(&mut g.total, &total);
    for (k, acc) in g.by_source.iter_mut() {
        settle(acc, by_source.get(k.as_str()).unwrap_or(&none));
    }
    for (k, acc) in g.by_rep.iter_mut() {
        settle(acc, by_rep.get(k.as_str()).unwrap_or(&none));
    }
    Ok(g.into_speed(sla_minutes))
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
