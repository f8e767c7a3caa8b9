//! The rows behind "where does the funnel leak": the touches of a period by result (one range
//! of `activities_outcomes` per result, migration 006), the appointments booked in it, counts by
//! reason, each new lead's first touch, and the lead keys a breakdown groups by. The arithmetic
//! (steps, conversions, the leaking step, medians) is `crate::report`'s.

use super::report::LeadField;
use super::sql::{Db, DbExt, EngineKind, params};
use super::{Result, Store};
use crate::domain::CallResult;
use std::collections::HashMap;

/// Every lead status, so `leads_new (status, created_at)` answers a created_at range.
const ALL_STATUSES: &str =
    "('new', 'approaching', 'scheduling', 'meeting', 'pending', 'nurturing', 'out_of_scope')";

/// One touch of a period, as the funnel needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelTouch {
    pub lead_id: i64,
    pub rep: String,
    pub result: Option<CallResult>,
}

/// An appointment booked in a period, with how its meeting went so far.
#[derive(Debug, Clone, PartialEq)]
pub struct BookedMeeting {
    pub lead_id: i64,
    /// The rep who booked it.
    pub rep: String,
    /// Stored UTC time of the meeting, when fixed.
    pub meeting_at: Option<String>,
    /// 1 held, 0 no-show, `None` not reported.
    pub held: Option<bool>,
    /// `won` or `lost`.
    pub outcome: Option<String>,
    /// Open SAL rank (`None`: not asked).
    pub sal_rank: Option<String>,
    /// The lead's source, tier and owner.
    pub source: String,
    pub tier: i64,
    pub owner: String,
}

/// A lead created in a period and its first touch.
#[derive(Debug, Clone, PartialEq)]
pub struct FirstTouch {
    pub lead_id: i64,
    pub created_at: String,
    pub source: String,
    pub owner: String,
    /// Stored UTC time of the first touch, if any.
    pub first_at: Option<String>,
    /// Who made it.
    pub first_rep: Option<String>,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn hint(db: &dyn Db, index: &str) -> String {
    if db.engine() == EngineKind::Sqlite {
        format!("INDEXED BY {index}")
    } else {
        String::new()
    }
}

/// The results the reasons report counts (the ones with a reason list).
pub const REASON_RESULTS: [CallResult; 3] = [
    CallResult::Unconnected,
    CallResult::Lost,
    CallResult::OutOfScope,
];

impl Store {
    /// Every touch of `[lo, hi)`: one range of `activities_outcomes` per result (and one for
    /// touches without a result), read from the index alone.
    pub fn each_funnel_touch(
        &self,
        lo: &str,
        hi: &str,
        f: &mut dyn FnMut(FunnelTouch),
    ) -> Result<()> {
        let db = self.db();
        let h = hint(db, "activities_outcomes");
        let with = format!(
            "SELECT a.lead_id, a.rep FROM activities a {h}
             WHERE a.result = ?1 AND a.at >= ?2 AND a.at < ?3 AND a.kind = 'touch'"
        );
        let without = format!(
            "SELECT a.lead_id, a.rep FROM activities a {h}
             WHERE a.result IS NULL AND a.at >= ?1 AND a.at < ?2 AND a.kind = 'touch'"
        );
        for &r in CallResult::ALL.iter() {
            db.each(&with, params![r.key(), lo, hi], &mut |row| {
                f(FunnelTouch {
                    lead_id: row.get(0)?,
                    rep: row.get(1)?,
                    result: Some(r),
                });
                Ok(())
            })?;
        }
        db.each(&without, params![lo, hi], &mut |row| {
            f(FunnelTouch {
                lead_id: row.get(0)?,
                rep: row.get(1)?,
                result: None,
            });
            Ok(())
        })
    }

    /// The appointments booked in `[lo, hi)` (by `appointments_booked`).
    pub fn booked_meetings(&self, lo: &str, hi: &str) -> Result<Vec<BookedMeeting>> {
        self.db().rows(
            "SELECT p.lead_id, b.rep, p.meeting_at, p.held, p.outcome, p.sal_rank,
                    l.source, l.tier, l.owner
             FROM appointments p JOIN activities b ON b.id = p.activity_id
                  JOIN leads l ON l.id = p.lead_id
             WHERE p.booked_at >= ?1 AND p.booked_at < ?2
             ORDER BY p.booked_at, p.id",
            params![lo, hi],
            |r| {
                Ok(BookedMeeting {
                    lead_id: r.get(0)?,
                    rep: r.get(1)?,
                    meeting_at: r.get(2)?,
                    held: r.get(3)?,
                    outcome: r.get(4)?,
                    sal_rank: r.get(5)?,
                    source: r.get(6)?,
                    tier: r.get(7)?,
                    owner: r.get(8)?,
                })
            },
        )
    }

    /// The key of each lead in `ids` for a breakdown by a field of the lead (one primary-key
    /// lookup per distinct lead).
    pub fn lead_keys(&self, ids: &[i64], field: LeadField) -> Result<HashMap<i64, String>> {
        let col = match field {
            LeadField::Source => "source",
            LeadField::Tier => "CAST(tier AS TEXT)",
            LeadField::Owner => "owner",
        };
        let sql = format!("SELECT {col} FROM leads WHERE id = ?1");
        let db = self.db();
        let mut out = HashMap::with_capacity(ids.len());
        for &id in ids {
            if out.contains_key(&id) {
                continue;
            }
            let k: Option<String> = db.opt(&sql, params![id], |r| r.get(0))?.flatten();
            out.insert(id, k.unwrap_or_default());
        }
        Ok(out)
    }

    /// The leads with a touch of `reason` (any result that has reasons) at or after `since`,
    /// by id.
    pub fn leads_with_reason(&self, reason: &str, since: &str) -> Result<Vec<i64>> {
        let db = self.db();
        let h = hint(db, "activities_outcomes");
        let sql = format!(
            "SELECT DISTINCT a.lead_id FROM activities a {h}
             WHERE a.result = ?1 AND a.at >= ?2 AND a.kind = 'touch' AND a.reason = ?3"
        );
        let mut ids = Vec::new();
        for result in REASON_RESULTS {
            ids.extend(db.rows(&sql, params![result.key(), since, reason], |r| {
                r.get::<i64>(0)
            })?);
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The leads created in `[lo, hi)` and the first touch of each (the earliest, by time then
    /// id): one range of `first_touches` (migration 009, kept by triggers); with the plain scan,
    /// one seek of `activities_lead (lead_id, at)` per lead.
    pub fn first_touches(&self, lo: &str, hi: &str) -> Result<Vec<FirstTouch>> {
        let db = self.db();
        let sql = if self.plain_scan.get() {
            let h = hint(db, "activities_lead");
            format!(
                "SELECT l.id, l.created_at, l.source, l.owner, f.at, f.rep
                 FROM leads l LEFT JOIN activities f ON f.id = (
                     SELECT a.id FROM activities a {h}
                     WHERE a.lead_id = l.id AND a.kind = 'touch' ORDER BY a.at, a.id LIMIT 1)
                 WHERE l.status IN {ALL_STATUSES} AND l.created_at >= ?1 AND l.created_at < ?2
                 ORDER BY l.created_at, l.id"
            )
        } else {
            "SELECT lead_id, created_at, source, owner, first_at, first_rep FROM first_touches
             WHERE created_at >= ?1 AND created_at < ?2
             ORDER BY created_at, lead_id"
                .to_string()
        };
        db.rows(&sql, params![lo, hi], |r| {
            Ok(FirstTouch {
                lead_id: r.get(0)?,
                created_at: r.get(1)?,
                source: r.get(2)?,
                owner: r.get(3)?,
                first_at: r.get(4)?,
                first_rep: r.get(5)?,
            })
        })
    }

    /// Appointments judged (won or lost) in `[lo, hi)` by outcome time, per Open SAL rank
    /// (`unrated` when the axes were not asked): (rank, won, judged).
    pub fn judged_by_rank(&self, lo: &str, hi: &str) -> Result<Vec<(String, u64, u64)>> {
        self.db().rows(
            "SELECT coalesce(sal_rank, 'unrated') AS k, count(*) FILTER (WHERE outcome = 'won'),
                    count(*)
             FROM appointments
             WHERE outcome IS NOT NULL AND outcome_at >= ?1 AND outcome_at < ?2
             GROUP BY k ORDER BY k",
            params![lo, hi],
            |r| Ok((r.get(0)?, count(r.get(1)?), count(r.get(2)?))),
        )
    }
}
