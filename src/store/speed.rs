//! Speed-to-lead from the histogram of migration 011: how many leads were created per (UTC day
//! or hour, lead source or rep, first-touch delay bucket), kept by triggers on `first_touches`,
//! and the exact delays of one bucket read through `first_touches_speed`. The arithmetic (which
//! bucket holds the median, the share within the SLA) is `crate::report::speed`'s.

use super::counts::Piece;
use super::funnel::FirstTouch;
use super::sql::{Col, DbExt, EngineKind, params};
use super::{Result, Store};
use std::collections::HashMap;

/// The histogram bucket of a first-touch delay in seconds, as the schema computes it
/// (`first_touches.dbucket`): one per second below 16 s, then eight per doubling, each 1/8 of
/// its power of two wide. Monotonic: a smaller delay never has a larger bucket.
pub fn delay_bucket(d: i64) -> i64 {
    if d < 16 {
        return d.max(0);
    }
    if d >= 1 << 47 {
        return 16 + 8 * 43;
    }
    let e = 63 - i64::from(d.leading_zeros());
    16 + 8 * (e - 4) + ((d >> (e - 3)) & 7)
}

/// Bucket of a lead not touched yet.
pub const UNTOUCHED: i64 = -1;

/// Leads of one (source or rep, bucket) of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeedCell {
    /// `true`: `key` is the rep (who made the first touch, the owner while untouched);
    /// `false`: the lead's source.
    pub by_rep: bool,
    pub key: String,
    /// [`delay_bucket`] of the delay, or [`UNTOUCHED`].
    pub bucket: i64,
    pub n: i64,
}

/// The leads created in a period for speed-to-lead: the histogram of the whole UTC days and
/// hours in it, and the leads of the minutes at its ends one by one.
#[derive(Debug, Clone, Default)]
pub struct SpeedCounts {
    pub cells: Vec<SpeedCell>,
    /// The leads of the period the histogram does not cover.
    pub rows: Vec<FirstTouch>,
    /// The creation times `[from, to)` the histogram covers, if any.
    covered: Option<(String, String)>,
}

/// One touched lead of a bucket: its delay, source and rep (raw keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketLead {
    pub delay: i64,
    pub source: String,
    pub rep: String,
}

impl Store {
    /// The leads created in `[lo, hi)`, as histogram cells where whole UTC days or hours allow
    /// (none with the plain scan) and as rows for the rest.
    pub fn speed_counts(&self, lo: &str, hi: &str) -> Result<SpeedCounts> {
        let pieces = self.pieces_of(lo, hi);
        let mut out = SpeedCounts::default();
        // Per (rep?, key): leads per bucket, offset by 2 (the buckets start at -2).
        let mut acc: [HashMap<String, Vec<i64>>; 2] = Default::default();
        for p in &pieces {
            match p {
                Piece::Rows(a, b) => out.rows.extend(self.first_touches(a, b)?),
                // Read cell by cell: SQLite's GROUP BY sorter costs more than summing here.
                Piece::Grain(g, from, to) => self.db().each(
                    &format!(
                        "SELECT dim, key, dbucket, n FROM speed_counts
                         WHERE grain = '{g}' AND bucket >= ?1 AND bucket < ?2"
                    ),
                    params![from, to],
                    &mut |r| {
                        let Col::Text(key) = r.col(1)? else {
                            return Ok(());
                        };
                        let dim = usize::from(matches!(r.col(0)?, Col::Text("r")));
                        let bucket = usize::try_from(r.get::<i64>(2)? + 2).unwrap_or(0);
                        let n: i64 = r.get(3)?;
                        let cells = match acc[dim].get_mut(key) {
                            Some(c) => c,
                            None => acc[dim].entry(key.to_string()).or_default(),
                        };
                        if cells.len() <= bucket {
                            cells.resize(bucket + 1, 0);
                        }
                        cells[bucket] += n;
                        Ok(())
                    },
                )?,
            }
        }
        // The grain pieces are contiguous, between the rows of the two ends.
        if pieces.iter().any(|p| matches!(p, Piece::Grain(..))) {
            let from = match pieces.first() {
                Some(Piece::Rows(_, b)) => b.clone(),
                _ => lo.to_string(),
            };
            let to = match pieces.last() {
                Some(Piece::Rows(a, _)) => a.clone(),
                _ => hi.to_string(),
            };
            out.covered = Some((from, to));
        }
        for (dim, keys) in acc.into_iter().enumerate() {
            for (key, cells) in keys {
                for (i, n) in cells.into_iter().enumerate() {
                    let bucket = i as i64 - 2;
                    if n != 0 && bucket >= UNTOUCHED {
                        out.cells.push(SpeedCell {
                            by_rep: dim == 1,
                            key: key.clone(),
                            bucket,
                            n,
                        });
                    }
                }
            }
        }
        out.cells
            .sort_by(|a, b| (a.by_rep, &a.key, a.bucket).cmp(&(b.by_rep, &b.key, b.bucket)));
        Ok(out)
    }

    /// The touched leads of `counts`' histogram whose delay is in `bucket`, with their delays:
    /// one range of `first_touches_speed`.
    pub fn speed_bucket(&self, counts: &SpeedCounts, bucket: i64) -> Result<Vec<BucketLead>> {
        let Some((from, to)) = &counts.covered else {
            return Ok(Vec::new());
        };
        let db = self.db();
        let hint = if db.engine() == EngineKind::Sqlite {
            "INDEXED BY first_touches_speed"
        } else {
            ""
        };
        db.rows(
            &format!(
                "SELECT delay, source, coalesce(first_rep, owner) FROM first_touches {hint}
                 WHERE dbucket = ?1 AND created_at >= ?2 AND created_at < ?3"
            ),
            params![bucket, from, to],
            |r| {
                Ok(BucketLead {
                    delay: r.get(0)?,
                    source: r.get(1)?,
                    rep: r.get(2)?,
                })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_seconds_then_eighths_of_each_doubling() {
        assert_eq!(delay_bucket(-5), 0);
        assert_eq!(delay_bucket(15), 15);
        assert_eq!(delay_bucket(16), 16);
        assert_eq!(delay_bucket(17), 16);
        assert_eq!(delay_bucket(18), 17);
        assert_eq!(delay_bucket(31), 23);
        assert_eq!(delay_bucket(32), 24);
        // 2,424,060 s: 2^21 + 1/8 of it.
        assert_eq!(delay_bucket(2_424_060), 153);
        assert_eq!(delay_bucket(1 << 47), 360);
        assert_eq!(delay_bucket(i64::MAX), 360);
        let mut last = 0;
        for d in (0..5_000_000).step_by(7) {
            let b = delay_bucket(d);
            assert!(b >= last);
            last = b;
        }
    }
}
