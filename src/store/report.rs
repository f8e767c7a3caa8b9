//! The counts behind `kaden report` and the dashboard: aggregates over index ranges, never a
//! read of every activity. The arithmetic (rates, comparisons, pace) is `crate::report`'s.
//!
//! Engine notes: on SQLite the counts name their index (`INDEXED BY`, migrations 002/003) and
//! list distinct reps/owners by a recursive skip scan, because SQLite's planner would otherwise
//! pick a worse index or scan; PostgreSQL plans those queries well by itself and gets the plain
//! form. That is the one place report SQL differs between engines.

use super::sql::{Db, DbExt, EngineKind, params};
use super::{Result, Store, ts};
use crate::domain::{CallResult, Channel};
use chrono::{DateTime, Duration, Utc};

/// Every lead status, so `leads_new (status, created_at)` answers a created_at range.
const ALL_STATUSES: &str =
    "('new', 'approaching', 'scheduling', 'meeting', 'pending', 'nurturing', 'out_of_scope')";

/// The touches of one (rep, channel, result) cell of a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub rep: String,
    pub channel: &'static str,
    pub result: Option<&'static str>,
    pub n: u64,
}

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
    /// Every rep with a touch (on SQLite: one seek per rep of `activities_counts`).
    pub fn touch_reps(&self) -> Result<Vec<String>> {
        let db = self.db();
        let sql = if sqlite(db) {
            "WITH RECURSIVE r(rep) AS (
               SELECT (SELECT min(rep) FROM activities INDEXED BY activities_counts WHERE kind = 'touch')
               UNION ALL
               SELECT (SELECT min(a.rep) FROM activities a INDEXED BY activities_counts
                       WHERE a.kind = 'touch' AND a.rep > r.rep)
               FROM r WHERE r.rep IS NOT NULL)
             SELECT rep FROM r WHERE rep IS NOT NULL"
        } else {
            "SELECT DISTINCT rep FROM activities WHERE kind = 'touch' ORDER BY rep"
        };
        db.rows(sql, params![], |r| r.get(0))
    }

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

    /// The touch counts of `[lo, hi)` per (rep, channel, result), non-empty cells only. Each
    /// cell is one range of the `activities_counts` index `(kind, rep, channel, result, at, …)`,
    /// counted without decoding its rows.
    pub fn touch_cells(&self, lo: &str, hi: &str) -> Result<Vec<Cell>> {
        let db = self.db();
        let sql = if sqlite(db) {
            "SELECT count(*) FROM activities a INDEXED BY activities_counts
             WHERE a.kind = 'touch' AND a.rep = ?1 AND a.channel = ?2 AND a.result IS NOT DISTINCT FROM ?3
               AND a.at >= ?4 AND a.at < ?5"
        } else {
            "SELECT count(*) FROM activities a
             WHERE a.kind = 'touch' AND a.rep = ?1 AND a.channel = ?2 AND a.result IS NOT DISTINCT FROM ?3
               AND a.at >= ?4 AND a.at < ?5"
        };
        let mut out = Vec::new();
        for rep in self.touch_reps()? {
            for ch in Channel::ALL {
                let results =
                    std::iter::once(None).chain(CallResult::ALL.iter().map(|r| Some(r.key())));
                for res in results {
                    let n: i64 = db.value(sql, params![rep, ch.key(), res, lo, hi])?;
                    if n > 0 {
                        out.push(Cell {
                            rep: rep.clone(),
                            channel: ch.key(),
                            result: res,
                            n: count(n),
                        });
                    }
                }
            }
        }
        Ok(out)
    }

    /// The touches of each cell split by a field of their lead: (key, cell index, n). Each
    /// non-empty cell's index range is joined to its leads.
    pub fn touch_cells_by(
        &self,
        lo: &str,
        hi: &str,
        cells: &[Cell],
        field: LeadField,
    ) -> Result<Vec<(String, usize, u64)>> {
        let db = self.db();
        let hint = if sqlite(db) {
            "INDEXED BY activities_counts"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {} AS k, count(*)
             FROM activities a {hint} JOIN leads l ON l.id = a.lead_id
             WHERE a.kind = 'touch' AND a.rep = ?1 AND a.channel = ?2 AND a.result IS NOT DISTINCT FROM ?3
               AND a.at >= ?4 AND a.at < ?5
             GROUP BY k",
            field.column()
        );
        let mut out = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            db.each(
                &sql,
                params![c.rep, c.channel, c.result, lo, hi],
                &mut |r| {
                    let k: Option<String> = r.get(0)?;
                    out.push((k.unwrap_or_default(), i, count(r.get(1)?)));
                    Ok(())
                },
            )?;
        }
        Ok(out)
    }

    /// Leads created in `[lo, hi)`, in total (key "") or per field.
    pub fn leads_created(
        &self,
        lo: &str,
        hi: &str,
        by: Option<LeadField>,
    ) -> Result<Vec<(String, u64)>> {
        let db = self.db();
        match by {
            None => {
                let n: i64 = db.value(
                    &format!(
                        "SELECT count(*) FROM leads l
                         WHERE l.status IN {ALL_STATUSES} AND l.created_at >= ?1 AND l.created_at < ?2"
                    ),
                    params![lo, hi],
                )?;
                Ok(vec![(String::new(), count(n))])
            }
            Some(LeadField::Owner) => {
                let hint = if sqlite(db) {
                    "INDEXED BY leads_owner_created"
                } else {
                    ""
                };
                let sql = format!(
                    "SELECT count(*) FROM leads l {hint}
                     WHERE l.owner = ?1 AND l.status IN {ALL_STATUSES}
                       AND l.created_at >= ?2 AND l.created_at < ?3"
                );
                let mut out = Vec::new();
                for owner in self.lead_owners()? {
                    let n: i64 = db.value(&sql, params![owner, lo, hi])?;
                    out.push((owner, count(n)));
                }
                Ok(out)
            }
            Some(field) => db.rows(
                &format!(
                    "SELECT {} AS k, count(*) FROM leads l
                     WHERE l.status IN {ALL_STATUSES} AND l.created_at >= ?1 AND l.created_at < ?2
                     GROUP BY k",
                    field.column()
                ),
                params![lo, hi],
                |r| {
                    let k: Option<String> = r.get(0)?;
                    Ok((k.unwrap_or_default(), count(r.get(1)?)))
                },
            ),
        }
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

    /// Call touches of `[lo, hi)` per result (`none` for a call without one).
    pub fn call_results(&self, lo: &str, hi: &str) -> Result<Vec<(String, u64)>> {
        let db = self.db();
        let hint = if sqlite(db) {
            "INDEXED BY activities_report"
        } else {
            ""
        };
        db.rows(
            &format!(
                "SELECT coalesce(a.result, 'none') AS r, count(*) FROM activities a {hint}
                 WHERE a.at >= ?1 AND a.at < ?2 AND a.kind = 'touch' AND a.channel = 'call'
                 GROUP BY r"
            ),
            params![lo, hi],
            |r| Ok((r.get(0)?, count(r.get(1)?))),
        )
    }

    /// Per day (given by consecutive UTC bounds `starts[0] ≤ … < end`): (calls, leads created),
    /// two aggregate queries bucketed by the days' ends.
    pub fn daily_counts(&self, start: &str, ends: &[String]) -> Result<Vec<(u64, u64)>> {
        let mut out = vec![(0u64, 0u64); ends.len()];
        let Some(end) = ends.last() else {
            return Ok(out);
        };
        // CASE over the day ends (parameters only; the SQL text holds nothing but numbers).
        let case = |col: &str| {
            let mut s = String::from("CASE");
            for i in 0..ends.len() {
                s.push_str(&format!(" WHEN {col} < ?{} THEN {i}", i + 3));
            }
            s.push_str(" END");
            s
        };
        let mut params: Vec<super::sql::Value> = vec![start.into(), end.as_str().into()];
        params.extend(ends.iter().map(|e| e.as_str().into()));
        let db = self.db();
        let hint = if sqlite(db) {
            "INDEXED BY activities_report"
        } else {
            ""
        };
        let calls = format!(
            "SELECT {} AS d, count(*) FROM activities a {hint}
             WHERE a.at >= ?1 AND a.at < ?2 AND a.kind = 'touch' AND a.channel = 'call' GROUP BY d",
            case("a.at")
        );
        db.each(&calls, &params, &mut |r| {
            if let Some(slot) = out.get_mut(r.get::<usize>(0)?) {
                slot.0 = count(r.get(1)?);
            }
            Ok(())
        })?;
        let created = format!(
            "SELECT {} AS d, count(*) FROM leads l
             WHERE l.status IN {ALL_STATUSES} AND l.created_at >= ?1 AND l.created_at < ?2 GROUP BY d",
            case("l.created_at")
        );
        db.each(&created, &params, &mut |r| {
            if let Some(slot) = out.get_mut(r.get::<usize>(0)?) {
                slot.1 = count(r.get(1)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// Open leads per (owner, open status), by age and stale (next action before
    /// `stale_before`), and the 20 most overdue stale leads. Per owner and status, the age
    /// buckets are created_at ranges of `leads_owner_created` and the stale leads a next_at
    /// range of `leads_owner_next` (migration 003).
    pub fn open_load(
        &self,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<(Vec<OwnerStatusLoad>, Vec<OverdueLead>)> {
        let db = self.db();
        let (by_created, by_next) = if sqlite(db) {
            (
                "INDEXED BY leads_owner_created",
                "INDEXED BY leads_owner_next",
            )
        } else {
            ("", "")
        };
        let counts = format!(
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
        );
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
        let mut loads = Vec::new();
        let mut candidates: Vec<(String, i64)> = Vec::new();
        for owner in self.lead_owners()? {
            for status in OPEN {
                let (by_age, stale) = db.one(
                    &counts,
                    params![owner, status, t2, t8, t31, stale_before],
                    |r| {
                        let g = |i| r.get::<i64>(i).map(count);
                        Ok(([g(0)?, g(1)?, g(2)?, g(3)?], g(4)?))
                    },
                )?;
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
