//! Load balance: open leads per owner by status and age, and stale leads (next action past due
//! by more than `stale_days`).

use crate::config::Config;
use crate::store::ts;
use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// Age buckets by `created_at`, in whole days.
pub const AGE_BUCKETS: [&str; 4] = ["0-1d", "2-7d", "8-30d", ">30d"];

/// One owner's open leads.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OwnerLoad {
    pub owner: String,
    pub open: u64,
    /// status key → count.
    pub by_status: BTreeMap<String, u64>,
    /// age bucket → count, in [`AGE_BUCKETS`] order.
    pub by_age: [u64; 4],
    /// Open leads whose next action is past due by more than `stale_days`.
    pub stale: u64,
}

/// A stale lead, for the flag list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleLead {
    pub lead_id: i64,
    pub company: String,
    pub owner: String,
    pub due: String,
    pub days_overdue: i64,
}

/// The load balance.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Balance {
    pub stale_days: u32,
    pub owners: Vec<OwnerLoad>,
    /// The most overdue stale leads (at most 20).
    pub stale: Vec<StaleLead>,
}

/// The open statuses.
const OPEN: [&str; 4] = ["new", "approaching", "scheduling", "nurturing"];

/// Compute the load balance at `now`.
///
/// Per owner and open status, the age buckets are created_at ranges of `leads_owner_created`
/// and the stale leads a next_at range of `leads_owner_next` (migration 003): counted from the
/// indexes, never a read of every open lead.
pub fn compute(conn: &Connection, cfg: &Config, now: DateTime<Utc>) -> rusqlite::Result<Balance> {
    let t2 = ts(now - Duration::days(2));
    let t8 = ts(now - Duration::days(8));
    let t31 = ts(now - Duration::days(31));
    let stale_before = ts(now - Duration::days(i64::from(cfg.stale_days)));
    let mut owners: BTreeMap<String, OwnerLoad> = BTreeMap::new();
    let mut counts = conn.prepare_cached(
        "SELECT
           (SELECT count(*) FROM leads INDEXED BY leads_owner_created
            WHERE owner = ?1 AND status = ?2 AND created_at > ?3),
           (SELECT count(*) FROM leads INDEXED BY leads_owner_created
            WHERE owner = ?1 AND status = ?2 AND created_at <= ?3 AND created_at > ?4),
           (SELECT count(*) FROM leads INDEXED BY leads_owner_created
            WHERE owner = ?1 AND status = ?2 AND created_at <= ?4 AND created_at > ?5),
           (SELECT count(*) FROM leads INDEXED BY leads_owner_created
            WHERE owner = ?1 AND status = ?2 AND created_at <= ?5),
           (SELECT count(*) FROM leads INDEXED BY leads_owner_next
            WHERE owner = ?1 AND status = ?2 AND next_at IS NOT NULL AND next_at < ?6)",
    )?;
    // The 20 most overdue of each (owner, status), in index order; merged below.
    let mut oldest = conn.prepare_cached(
        "SELECT id, next_at FROM leads INDEXED BY leads_owner_next
         WHERE owner = ?1 AND status = ?2 AND next_at IS NOT NULL AND next_at < ?3
         ORDER BY next_at, id LIMIT 20",
    )?;
    let mut candidates: Vec<(String, i64)> = Vec::new();
    for owner in super::metrics::lead_owners(conn)? {
        for status in OPEN {
            let (ages, stale) = counts.query_row(
                rusqlite::params![owner, status, t2, t8, t31, stale_before],
                |r| {
                    let g = |i| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                    Ok(([g(0)?, g(1)?, g(2)?, g(3)?], g(4)?))
                },
            )?;
            let n: u64 = ages.iter().sum();
            if n == 0 {
                continue;
            }
            let o = owners.entry(owner.clone()).or_insert_with(|| OwnerLoad {
                owner: crate::domain::text::sanitize_line(&owner),
                ..OwnerLoad::default()
            });
            o.open += n;
            o.stale += stale;
            *o.by_status.entry(status.to_string()).or_default() += n;
            for (slot, a) in o.by_age.iter_mut().zip(ages) {
                *slot += a;
            }
            if stale > 0 {
                let rows = oldest
                    .query_map(rusqlite::params![owner, status, stale_before], |r| {
                        Ok((r.get::<_, String>(1)?, r.get::<_, i64>(0)?))
                    })?;
                for row in rows {
                    candidates.push(row?);
                }
            }
        }
    }
    candidates.sort();
    candidates.truncate(20);
    let mut lead = conn.prepare_cached(
        "SELECT l.id, c.name, l.owner, l.next_at FROM leads l JOIN companies c ON c.id = l.company_id
         WHERE l.id = ?1",
    )?;
    let stale = candidates
        .iter()
        .map(|(_, id)| {
            lead.query_row([id], |r| {
                let due: String = r.get(3)?;
                let days = crate::store::parse_ts(&due)
                    .map(|d| (now - d).num_days())
                    .unwrap_or(0);
                Ok(StaleLead {
                    lead_id: r.get(0)?,
                    company: crate::domain::text::sanitize_line(&r.get::<_, String>(1)?),
                    owner: crate::domain::text::sanitize_line(&r.get::<_, String>(2)?),
                    due,
                    days_overdue: days,
                })
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Balance {
        stale_days: cfg.stale_days,
        owners: owners.into_values().collect(),
        stale,
    })
}
