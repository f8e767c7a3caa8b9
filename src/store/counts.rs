//! The report counts from the aggregates of migration 009: touches per (rep, channel, result,
//! reason, lead source, lead tier) and leads created per (source, tier, owner), per UTC day and
//! per UTC hour, kept exact by triggers in every writing transaction (on both engines).
//!
//! A period `[lo, hi)` (local midnights in the rep's zone) is cut into whole UTC days, whole UTC
//! hours at its two ends, and, when the zone's offset is not whole hours, the minutes left at
//! each end, which are counted from the activities and leads themselves. A month is about 30 day
//! buckets and 24 hour buckets, whatever the number of leads.
//!
//! [`Store::set_plain_scan`] makes every count come from the plain scan of the whole period
//! instead: the equivalence tests compare every report figure both ways.

use super::sql::DbExt;
use super::sql::{Db, params};
use super::{Result, Store, parse_ts};
use crate::domain::{CallResult, Channel};
use chrono::{DateTime, Duration, DurationRound, Utc};
use std::collections::{BTreeMap, HashMap};

/// Touches of one key of a period.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TouchCount {
    pub rep: String,
    pub channel: &'static str,
    /// `None`: a touch without a result.
    pub result: Option<&'static str>,
    /// `""`: none given.
    pub reason: String,
    /// The lead's source and tier (as they are now).
    pub source: String,
    pub tier: i64,
    pub n: u64,
}

/// Leads created in a period, of one (source, tier, owner).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LeadCount {
    pub source: String,
    pub tier: i64,
    pub owner: String,
    pub n: u64,
}

/// A piece of a period: counted from the aggregates of a grain, or from the rows themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    /// `grain` ('d' or 'h') buckets `[from, to)`.
    Grain(&'static str, String, String),
    /// Stored times `[lo, hi)`.
    Rows(String, String),
}

fn day(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

fn hour(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H").to_string()
}

fn ceil(t: DateTime<Utc>, unit: Duration) -> DateTime<Utc> {
    let f = t.duration_trunc(unit).unwrap_or(t);
    if f == t { t } else { f + unit }
}

fn floor(t: DateTime<Utc>, unit: Duration) -> DateTime<Utc> {
    t.duration_trunc(unit).unwrap_or(t)
}

/// `[lo, hi)` as whole UTC days, whole UTC hours around them and the rows left at the ends.
pub(super) fn pieces(lo: &str, hi: &str) -> Vec<Piece> {
    let (Some(l), Some(h)) = (parse_ts(lo), parse_ts(hi)) else {
        return vec![Piece::Rows(lo.into(), hi.into())];
    };
    let (hr, d) = (Duration::hours(1), Duration::days(1));
    let (lh, hh) = (ceil(l, hr), floor(h, hr));
    if lh >= hh {
        return vec![Piece::Rows(lo.into(), hi.into())];
    }
    let mut out = Vec::new();
    if l < lh {
        out.push(Piece::Rows(lo.into(), super::ts(lh)));
    }
    let (ld, hd) = (ceil(lh, d), floor(hh, d));
    if ld < hd {
        if lh < ld {
            out.push(Piece::Grain("h", hour(lh), hour(ld)));
        }
        out.push(Piece::Grain("d", day(ld), day(hd)));
        if hd < hh {
            out.push(Piece::Grain("h", hour(hd), hour(hh)));
        }
    } else {
        out.push(Piece::Grain("h", hour(lh), hour(hh)));
    }
    if hh < h {
        out.push(Piece::Rows(super::ts(hh), hi.into()));
    }
    out
}

fn channel(key: &str) -> Option<&'static str> {
    Channel::ALL.iter().map(|c| c.key()).find(|c| *c == key)
}

fn result(key: &str) -> Option<&'static str> {
    CallResult::ALL.iter().map(|r| r.key()).find(|r| *r == key)
}

/// Sums per bucket of one grain.
type BucketSums = BTreeMap<String, i64>;

type TouchKey = (
    String,
    &'static str,
    Option<&'static str>,
    String,
    String,
    i64,
);

fn touches_of(db: &dyn Db, p: &Piece, acc: &mut HashMap<TouchKey, i64>) -> Result<()> {
    let (sql, a, b) = match p {
        Piece::Grain(g, from, to) => (
            format!(
                "SELECT rep, channel, result, reason, source, tier, sum(n) FROM touch_counts
                 WHERE grain = '{g}' AND bucket >= ?1 AND bucket < ?2
                 GROUP BY rep, channel, result, reason, source, tier"
            ),
            from,
            to,
        ),
        Piece::Rows(lo, hi) => (
            "SELECT a.rep, a.channel, coalesce(a.result, ''), coalesce(a.reason, ''), l.source,
                    l.tier, count(*)
             FROM activities a JOIN leads l ON l.id = a.lead_id
             WHERE a.kind = 'touch' AND a.at >= ?1 AND a.at < ?2
             GROUP BY a.rep, a.channel, a.result, a.reason, l.source, l.tier"
                .to_string(),
            lo,
            hi,
        ),
    };
    db.each(&sql, params![a, b], &mut |r| {
        let ch: String = r.get(1)?;
        let res: String = r.get(2)?;
        // A channel or result kaden does not know (written by another program) is not counted,
        // as the reports never counted it.
        let Some(ch) = channel(&ch) else {
            return Ok(());
        };
        let res = if res.is_empty() {
            None
        } else {
            match result(&res) {
                Some(x) => Some(x),
                None => return Ok(()),
            }
        };
        let key = (r.get(0)?, ch, res, r.get(3)?, r.get(4)?, r.get(5)?);
        *acc.entry(key).or_default() += r.get::<i64>(6)?;
        Ok(())
    })
}

fn leads_of(db: &dyn Db, p: &Piece, acc: &mut HashMap<(String, i64, String), i64>) -> Result<()> {
    let (sql, a, b) = match p {
        Piece::Grain(g, from, to) => (
            format!(
                "SELECT source, tier, owner, sum(n) FROM lead_counts
                 WHERE grain = '{g}' AND bucket >= ?1 AND bucket < ?2
                 GROUP BY source, tier, owner"
            ),
            from,
            to,
        ),
        Piece::Rows(lo, hi) => (
            "SELECT source, tier, owner, count(*) FROM leads
             WHERE created_at >= ?1 AND created_at < ?2
             GROUP BY source, tier, owner"
                .to_string(),
            lo,
            hi,
        ),
    };
    db.each(&sql, params![a, b], &mut |r| {
        *acc.entry((r.get(0)?, r.get(1)?, r.get(2)?)).or_default() += r.get::<i64>(3)?;
        Ok(())
    })
}

/// Count the aggregates again from every activity and lead (SQLite; after a bulk load that ran
/// without the triggers), and the funnel counts of every reporting zone.
pub(crate) fn recount(db: &dyn Db) -> Result<()> {
    db.batch(
        "DELETE FROM touch_counts;
         INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
         SELECT g.grain, substr(a.at, 1, g.len), a.rep, a.channel, coalesce(a.result, ''),
                coalesce(a.reason, ''), l.source, l.tier, count(*)
         FROM activities a JOIN leads l ON l.id = a.lead_id,
              (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
         WHERE a.kind = 'touch'
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
         DELETE FROM lead_counts;
         INSERT INTO lead_counts (grain, bucket, source, tier, owner, n)
         SELECT g.grain, substr(l.created_at, 1, g.len), l.source, l.tier, l.owner, count(*)
         FROM leads l, (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
         WHERE true
         GROUP BY 1, 2, 3, 4, 5;
         DELETE FROM report_log;
         DELETE FROM first_touches;
         INSERT INTO first_touches (created_at, lead_id, source, owner, first_at, first_rep, first_id)
         SELECT l.created_at, l.id, l.source, l.owner, f.at, f.rep, f.id
         FROM leads l LEFT JOIN activities f ON f.id = (
             SELECT a.id FROM activities a WHERE a.lead_id = l.id AND a.kind = 'touch'
             ORDER BY a.at, a.id LIMIT 1);
         DELETE FROM speed_counts;
         INSERT INTO speed_counts (grain, bucket, dim, key, dbucket, n)
         SELECT g.grain, substr(f.created_at, 1, g.len), k.dim,
                CASE k.dim WHEN 's' THEN f.source ELSE coalesce(f.first_rep, f.owner) END,
                f.dbucket, count(*)
         FROM first_touches f, (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g,
              (SELECT 's' AS dim UNION ALL SELECT 'r') k
         WHERE true
         GROUP BY 1, 2, 3, 4, 5;
         DELETE FROM open_counts;
         INSERT INTO open_counts (kind, owner, status, day, n)
         SELECT 'c', owner, status, substr(created_at, 1, 10), count(*)
         FROM leads WHERE true GROUP BY 2, 3, 4;
         INSERT INTO open_counts (kind, owner, status, day, n)
         SELECT 'n', owner, status, substr(next_at, 1, 10), count(*)
         FROM leads WHERE next_at IS NOT NULL GROUP BY 2, 3, 4;",
    )?;
    super::funnel_counts::rebuild_all(db)
}

impl Store {
    /// Count from the activities and leads themselves (`true`) instead of the aggregates: the
    /// plain scan, for the equivalence tests. The figures are the same either way.
    pub fn set_plain_scan(&self, on: bool) {
        self.plain_scan.set(on);
    }

    pub(super) fn pieces_of(&self, lo: &str, hi: &str) -> Vec<Piece> {
        if self.plain_scan.get() {
            vec![Piece::Rows(lo.into(), hi.into())]
        } else {
            pieces(lo, hi)
        }
    }

    /// The touches of `[lo, hi)` per (rep, channel, result, reason, lead source, lead tier),
    /// non-empty keys only, sorted.
    pub fn touch_counts(&self, lo: &str, hi: &str) -> Result<Vec<TouchCount>> {
        let mut acc = HashMap::new();
        for p in self.pieces_of(lo, hi) {
            touches_of(self.db(), &p, &mut acc)?;
        }
        let mut out: Vec<TouchCount> = acc
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(
                |((rep, channel, result, reason, source, tier), n)| TouchCount {
                    rep,
                    channel,
                    result,
                    reason,
                    source,
                    tier,
                    n: n.unsigned_abs(),
                },
            )
            .collect();
        out.sort();
        Ok(out)
    }

    /// Per period `[lo, hi)` of `spans`: (call touches, leads created), as the sums of
    /// [`Store::touch_counts`] (calls only) and [`Store::lead_counts`] would give them. The
    /// grain pieces of every period are read together, one query per grain and table over the
    /// whole stretch (the dashboard's 28 days: four queries instead of about a hundred).
    pub fn daily_counts(&self, spans: &[(String, String)]) -> Result<Vec<(u64, u64)>> {
        let results: Vec<String> = CallResult::ALL
            .iter()
            .map(|r| format!("'{}'", r.key()))
            .collect();
        let known = format!("('', {})", results.join(", "));
        let pieces: Vec<Vec<Piece>> = spans
            .iter()
            .map(|(lo, hi)| self.pieces_of(lo, hi))
            .collect();
        // Per grain: the stretch its pieces cover, and the sums per bucket there.
        let mut sums: HashMap<&'static str, (BucketSums, BucketSums)> = HashMap::new();
        for g in ["d", "h"] {
            let mut stretch: Option<(&str, &str)> = None;
            for p in pieces.iter().flatten() {
                if let Piece::Grain(pg, from, to) = p
                    && *pg == g
                {
                    stretch = Some(match stretch {
                        None => (from, to),
                        Some((a, b)) => (a.min(from.as_str()), b.max(to.as_str())),
                    });
                }
            }
            let Some((from, to)) = stretch else {
                continue;
            };
            let (calls, leads) = sums.entry(g).or_default();
            for (sql, acc) in [
                (
                    format!(
                        "SELECT bucket, sum(n) FROM touch_counts
                         WHERE grain = '{g}' AND bucket >= ?1 AND bucket < ?2
                           AND channel = 'call' AND result IN {known}
                         GROUP BY bucket"
                    ),
                    &mut *calls,
                ),
                (
                    format!(
                        "SELECT bucket, sum(n) FROM lead_counts
                         WHERE grain = '{g}' AND bucket >= ?1 AND bucket < ?2
                         GROUP BY bucket"
                    ),
                    &mut *leads,
                ),
            ] {
                self.db().each(&sql, params![from, to], &mut |r| {
                    acc.insert(r.get(0)?, r.get(1)?);
                    Ok(())
                })?;
            }
        }
        let mut out = Vec::with_capacity(spans.len());
        for ps in &pieces {
            let (mut calls, mut leads) = (0_i64, 0_i64);
            for p in ps {
                match p {
                    Piece::Grain(g, from, to) => {
                        if let Some((c, l)) = sums.get(g) {
                            calls += c
                                .range(from.clone()..to.clone())
                                .map(|(_, n)| n)
                                .sum::<i64>();
                            leads += l
                                .range(from.clone()..to.clone())
                                .map(|(_, n)| n)
                                .sum::<i64>();
                        }
                    }
                    Piece::Rows(lo, hi) => {
                        calls += self.db().value::<i64>(
                            &format!(
                                "SELECT count(*) FROM activities a JOIN leads l ON l.id = a.lead_id
                                 WHERE a.kind = 'touch' AND a.at >= ?1 AND a.at < ?2
                                   AND a.channel = 'call' AND coalesce(a.result, '') IN {known}"
                            ),
                            params![lo, hi],
                        )?;
                        leads += self.db().value::<i64>(
                            "SELECT count(*) FROM leads WHERE created_at >= ?1 AND created_at < ?2",
                            params![lo, hi],
                        )?;
                    }
                }
            }
            out.push((
                u64::try_from(calls).unwrap_or(0),
                u64::try_from(leads).unwrap_or(0),
            ));
        }
        Ok(out)
    }

    /// The leads created in `[lo, hi)` per (source, tier, owner), non-empty keys only, sorted.
    pub fn lead_counts(&self, lo: &str, hi: &str) -> Result<Vec<LeadCount>> {
        let mut acc = HashMap::new();
        for p in self.pieces_of(lo, hi) {
            leads_of(self.db(), &p, &mut acc)?;
        }
        let mut out: Vec<LeadCount> = acc
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|((source, tier, owner), n)| LeadCount {
                source,
                tier,
                owner,
                n: n.unsigned_abs(),
            })
            .collect();
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(grain: &'static str, a: &str, b: &str) -> Piece {
        Piece::Grain(grain, a.into(), b.into())
    }

    fn r(a: &str, b: &str) -> Piece {
        Piece::Rows(a.into(), b.into())
    }

    #[test]
    fn a_tokyo_month_is_days_and_hours() {
        // November in Tokyo: 2026-10-31T15:00Z .. 2026-11-30T15:00Z.
        assert_eq!(
            pieces("2026-10-31T15:00:00Z", "2026-11-30T15:00:00Z"),
            vec![
                g("h", "2026-10-31T15", "2026-11-01T00"),
                g("d", "2026-11-01", "2026-11-30"),
                g("h", "2026-11-30T00", "2026-11-30T15"),
            ]
        );
    }

    #[test]
    fn a_utc_day_is_one_day_bucket_and_a_tokyo_day_is_hours() {
        assert_eq!(
            pieces("2026-11-24T00:00:00Z", "2026-11-25T00:00:00Z"),
            vec![g("d", "2026-11-24", "2026-11-25")]
        );
        assert_eq!(
            pieces("2026-11-23T15:00:00Z", "2026-11-24T15:00:00Z"),
            vec![g("h", "2026-11-23T15", "2026-11-24T15")]
        );
    }

    #[test]
    fn half_hour_zones_read_their_minutes_from_the_rows() {
        // A day in Kolkata (+05:30).
        assert_eq!(
            pieces("2026-11-23T18:30:00Z", "2026-11-24T18:30:00Z"),
            vec![
                r("2026-11-23T18:30:00Z", "2026-11-23T19:00:00Z"),
                g("h", "2026-11-23T19", "2026-11-24T18"),
                r("2026-11-24T18:00:00Z", "2026-11-24T18:30:00Z"),
            ]
        );
        // Less than two hours: all rows.
        assert_eq!(
            pieces("2026-11-23T18:30:00Z", "2026-11-23T19:10:00Z"),
            vec![r("2026-11-23T18:30:00Z", "2026-11-23T19:10:00Z")]
        );
    }
}
