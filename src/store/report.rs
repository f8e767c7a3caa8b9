//! The counts behind `kaden report` and the dashboard: aggregates over index ranges, never a
//! read of every activity. The arithmetic (rates, comparisons, pace) is `crate::report`'s.
//!
//! Touches and leads created are counted from the aggregates (`counts.rs`, migration 009).
//! Engine notes: on SQLite the counts name their index (`INDEXED BY`, migration 003) and
//! list distinct owners by a recursive skip scan, because SQLite's planner would otherwise
//! pick a worse index or scan; PostgreSQL plans those queries well by itself and gets the plain
//! form. That is the one place report SQL differs between engines.

use super::sql::{Db, DbExt, EngineKind, params};
use super::{Result, Store, ts};
use chrono::{DateTime, Duration, Utc};

/// A field of the lead that a breakdown groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadField {
    Source,
    Tier,
    Owner,
}

impl LeadField {
    fn column(self) -> &'static str {
        match self {
            LeadField::Source => "l.source",
            LeadField::Tier => "CAST(l.tier AS TEXT)",
            LeadField::Owner => "l.owner",
        }
    }
}

/// How appointments judged in a period are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JudgedBy {
    /// One group, key "".
    All,
    Lead(LeadField),
    /// By the rep who booked it.
    Rep,
    /// One group, key "appointment" (the breakdown by result).
    Appointment,
}

/// Won and judged appointments of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub key: String,
    pub won: u64,
    pub judged: u64,
}

/// Open leads of one owner and status: counts by age (< 2 d, 2–7 d, 8–30 d, older) and stale.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerStatusLoad {
    pub owner: String,
    pub status: &'static str,
    pub by_age: [u64; 4],
    pub stale: u64,
}

/// A lead whose next action is long overdue.
#[derive(Debug, Clone, PartialEq)]
pub struct OverdueLead {
    pub lead_id: i64,
    pub company: String,
    pub owner: String,
    /// The stored UTC time of the overdue next action.
    pub due: String,
}

/// Open appointments of one Open SAL rank (`unrated` when the axes were not asked).
#[derive(Debug, Clone, PartialEq)]
pub struct OpenAppointments {
    pub rank: String,
    pub count: u64,
    /// Σ amount × probability.
    pub expected: f64,
}

/// A note of the period that may carry `#tags`.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodNote {
    pub lead_id: i64,
    pub company: String,
    /// Stored UTC time.
    pub at: String,
    pub note: String,
}

/// The open statuses.
const OPEN: [&str; 4] = ["new", "approaching", "scheduling", "nurturing"];

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn sqlite(db: &dyn Db) -> bool {
    db.engine() == EngineKind::Sqlite
}

impl Store {
    /// Every lead owner (on SQLite: one seek per owner of `leads_owner_created`).
    pub fn lead_owners(&self) -> Result<Vec<String>> {
        let db = self.db();
        let sql = if sqlite(db) {
            "WITH RECURSIVE o(owner) AS (
               SELECT (SELECT min(owner) FROM leads INDEXED BY leads_owner_created)
               UNION ALL
               SELECT (SELECT min(l.owner) FROM leads l INDEXED BY leads_owner_created
                       WHERE l.owner > o.owner)
               FROM o WHERE o.owner IS NOT NULL)
             SELECT owner FROM o WHERE owner IS NOT NULL"
        } else {
            "SELECT DISTINCT owner FROM leads ORDER BY owner"
        };
        db.rows(sql, params![], |r| r.get(0))
    }

    /// Appointments judged (won or lost) in `[lo, hi)` by outcome time, grouped.
    pub fn meetings_judged(&self, lo: &str, hi: &str, by: JudgedBy) -> Result<Vec<Judged>> {
        let key = match by {
            JudgedBy::All => "''",
            JudgedBy::Lead(f) => f.column(),
            JudgedBy::Rep => "b.rep",
            JudgedBy::Appointment => "'appointment'",
        };
        self.db().rows(
            &format!(
                "SELECT {key} AS k, count(*) FILTER (WHERE p.outcome = 'won'), count(*)
                 FROM appointments p JOIN leads l ON l.id = p.lead_id JOIN activities b ON b.id = p.activity_id
                 WHERE p.outcome IS NOT NULL AND p.outcome_at >= ?1 AND p.outcome_at < ?2
                 GROUP BY k"
            ),
            params![lo, hi],
            |r| {
                let k: Option<String> = r.get(0)?;
                Ok(Judged {
                    key: k.unwrap_or_default(),
                    won: count(r.get(1)?),
                    judged: count(r.get(2)?),
                })
            },
        )
    }

    /// Open leads per (owner, open status), by age and stale (next action before
    /// `stale_before`), and the 20 most overdue stale leads. On SQLite the counts come from
    /// `open_counts` (migration 012: leads per owner, status and UTC day of creation or next
    /// action) plus, for the day a bound falls on, a short range of `leads_owner_created` /
    /// `leads_owner_next`. On PostgreSQL (where a shared counter row would make every rep's save
    /// wait on the others') and for the plain scan, each count is one range of those indexes.
    pub fn open_load(
        &self,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<(Vec<OwnerStatusLoad>, Vec<OverdueLead>)> {
        let db = self.db();
        let from_counts = sqlite(db) && !self.plain_scan.get();
        let (by_created, by_next) = if sqlite(db) {
            (
                "INDEXED BY leads_owner_created",
                "INDEXED BY leads_owner_next",
            )
        } else {
            ("", "")
        };
        let counts = if from_counts {
            // Leads created at or before a bound: the days before the bound's day, summed,
            // plus the bound's own day up to the bound. ?3..?5 the bounds, ?7..?9 their days;
            // ?6 the stale bound and ?10 its day.
            let upto = |t: u8, d: u8| {
                format!(
                    "(SELECT coalesce(sum(n), 0) FROM open_counts
                      WHERE kind = 'c' AND owner = ?1 AND status = ?2 AND day < ?{d})
                     + (SELECT count(*) FROM leads {by_created} WHERE owner = ?1 AND status = ?2
                        AND created_at >= ?{d} AND created_at <= ?{t})"
                )
            };
            format!(
                "SELECT total - a2, a2 - a8, a8 - a31, a31, stale FROM (SELECT
                   (SELECT coalesce(sum(n), 0) FROM open_counts
                    WHERE kind = 'c' AND owner = ?1 AND status = ?2) AS total,
                   {} AS a2, {} AS a8, {} AS a31,
                   (SELECT coalesce(sum(n), 0) FROM open_counts
                    WHERE kind = 'n' AND owner = ?1 AND status = ?2 AND day < ?10)
                   + (SELECT count(*) FROM leads {by_next} WHERE owner = ?1 AND status = ?2
                      AND next_at >= ?10 AND next_at < ?6) AS stale)",
                upto(3, 7),
                upto(4, 8),
                upto(5, 9)
            )
        } else {
            format!(
                "SELECT
                   (SELECT count(*) FROM leads {by_created}
                    WHERE owner = ?1 AND status = ?2 AND created_at > ?3),
                   (SELECT count(*) FROM leads {by_created}
                    WHERE owner = ?1 AND status = ?2 AND created_at <= ?3 AND created_at > ?4),
                   (SELECT count(*) FROM leads {by_created}
                    WHERE owner = ?1 AND status = ?2 AND created_at <= ?4 AND created_at > ?5),
                   (SELECT count(*) FROM leads {by_created}
                    WHERE owner = ?1 AND status = ?2 AND created_at <= ?5),
                   (SELECT count(*) FROM leads {by_next}
                    WHERE owner = ?1 AND status = ?2 AND next_at IS NOT NULL AND next_at < ?6)"
            )
        };
        // The 20 most overdue of each (owner, status), in index order; merged below.
        let oldest = format!(
            "SELECT id, next_at FROM leads {by_next}
             WHERE owner = ?1 AND status = ?2 AND next_at IS NOT NULL AND next_at < ?3
             ORDER BY next_at, id LIMIT 20"
        );
        let t2 = ts(now - Duration::days(2));
        let t8 = ts(now - Duration::days(8));
        let t31 = ts(now - Duration::days(31));
        let stale_before = ts(stale_before);
        let day = |t: &str| t.get(..10).unwrap_or(t).to_string();
        let days = [day(&t2), day(&t8), day(&t31), day(&stale_before)];
        let mut loads = Vec::new();
        let mut candidates: Vec<(String, i64)> = Vec::new();
        for owner in self.lead_owners()? {
            for status in OPEN {
                let all = params![
                    owner,
                    status,
                    t2,
                    t8,
                    t31,
                    stale_before,
                    days[0],
                    days[1],
                    days[2],
                    days[3]
                ];
                let (by_age, stale) =
                    db.one(&counts, if from_counts { all } else { &all[..6] }, |r| {
                        let g = |i| r.get::<i64>(i).map(count);
                        Ok(([g(0)?, g(1)?, g(2)?, g(3)?], g(4)?))
                    })?;
                if by_age.iter().sum::<u64>() == 0 {
                    continue;
                }
                if stale > 0 {
                    candidates.extend(db.rows(
                        &oldest,
                        params![owner, status, stale_before],
                        |r| Ok((r.get(1)?, r.get(0)?)),
                    )?);
                }
                loads.push(OwnerStatusLoad {
                    owner: owner.clone(),
                    status,
                    by_age,
                    stale,
                });
            }
        }
        candidates.sort();
        candidates.truncate(20);
        let mut overdue = Vec::new();
        for (_, id) in candidates {
            overdue.push(db.one(
                "SELECT l.id, c.name, l.owner, l.next_at FROM leads l
                 JOIN companies c ON c.id = l.company_id WHERE l.id = ?1",
                params![id],
                |r| {
                    Ok(OverdueLead {
                        lead_id: r.get(0)?,
                        company: r.get(1)?,
                        owner: r.get(2)?,
                        due: r.get(3)?,
                    })
                },
            )?);
        }
        Ok((loads, overdue))
    }

    /// Appointments without an outcome (a no-show is no longer pipeline), by Open SAL rank.
    pub fn open_appointments(&self) -> Result<Vec<OpenAppointments>> {
        self.db().rows(
            "SELECT CASE WHEN sal_rank IS NOT NULL THEN sal_rank
                         WHEN budget = 0 AND consideration = 0 AND timing = 0 THEN 'unqualified'
                         ELSE 'unrated' END AS rank, count(*),
                    coalesce(sum(coalesce(amount, 0) * coalesce(probability, 0)), 0)
             FROM appointments WHERE outcome IS NULL AND (held IS NULL OR held = 1) GROUP BY rank",
            params![],
            |r| {
                Ok(OpenAppointments {
                    rank: r.get(0)?,
                    count: count(r.get(1)?),
                    expected: r.get(2)?,
                })
            },
        )
    }

    /// Notes of `[lo, hi)` that contain a `#` (or a full-width `＃`), oldest first.
    pub fn notes_with_hash(&self, lo: &str, hi: &str) -> Result<Vec<PeriodNote>> {
        let db = self.db();
        let hint = if sqlite(db) {
            "INDEXED BY activities_at"
        } else {
            ""
        };
        db.rows(
            &format!(
                "SELECT a.lead_id, c.name, a.at, a.note FROM activities a {hint}
                 JOIN leads l ON l.id = a.lead_id JOIN companies c ON c.id = l.company_id
                 WHERE a.at >= ?1 AND a.at < ?2 AND a.note IS NOT NULL
                   AND (a.note LIKE '%#%' OR a.note LIKE '%＃%')
                 ORDER BY a.at, a.id"
            ),
            params![lo, hi],
            |r| {
                Ok(PeriodNote {
                    lead_id: r.get(0)?,
                    company: r.get(1)?,
                    at: r.get(2)?,
                    note: r.get(3)?,
                })
            },
        )
    }
}
