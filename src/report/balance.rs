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

const OPEN: &str = "l.status IN ('new', 'approaching', 'scheduling', 'nurturing')";

/// Compute the load balance at `now`.
pub fn compute(conn: &Connection, cfg: &Config, now: DateTime<Utc>) -> rusqlite::Result<Balance> {
    let t2 = ts(now - Duration::days(2));
    let t8 = ts(now - Duration::days(8));
    let t31 = ts(now - Duration::days(31));
    let stale_before = ts(now - Duration::days(i64::from(cfg.stale_days)));
    let mut owners: BTreeMap<String, OwnerLoad> = BTreeMap::new();
    // A plain scan: the owner index would cost a random lookup per open lead.
    let sql = format!(
        "SELECT l.owner, l.status,
                count(*) FILTER (WHERE l.created_at > ?1),
                count(*) FILTER (WHERE l.created_at <= ?1 AND l.created_at > ?2),
                count(*) FILTER (WHERE l.created_at <= ?2 AND l.created_at > ?3),
                count(*) FILTER (WHERE l.created_at <= ?3),
                count(*) FILTER (WHERE l.next_at IS NOT NULL AND l.next_at < ?4)
         FROM leads l NOT INDEXED WHERE {OPEN} GROUP BY 1, 2"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query([&t2, &t8, &t31, &stale_before])?;
    while let Some(r) = rows.next()? {
        let owner: String = r.get(0)?;
        let status: String = r.get(1)?;
        let ages = [
            r.get::<_, i64>(2)?.max(0) as u64,
            r.get::<_, i64>(3)?.max(0) as u64,
            r.get::<_, i64>(4)?.max(0) as u64,
            r.get::<_, i64>(5)?.max(0) as u64,
        ];
        let n: u64 = ages.iter().sum();
        let stale = r.get::<_, i64>(6)?.max(0) as u64;
        let o = owners.entry(owner.clone()).or_insert_with(|| OwnerLoad {
            owner,
            ..OwnerLoad::default()
        });
        o.open += n;
        o.stale += stale;
        *o.by_status.entry(status).or_default() += n;
        for (slot, a) in o.by_age.iter_mut().zip(ages) {
            *slot += a;
        }
    }
    let sql = format!(
        "SELECT s.id, c.name, s.owner, s.next_at FROM
           (SELECT l.id, l.company_id, l.owner, l.next_at FROM leads l NOT INDEXED
            WHERE {OPEN} AND l.next_at IS NOT NULL AND l.next_at < ?1
            ORDER BY l.next_at, l.id LIMIT 20) s
         JOIN companies c ON c.id = s.company_id ORDER BY s.next_at, s.id"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let stale = st
        .query_map([&stale_before], |r| {
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
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Balance {
        stale_days: cfg.stale_days,
        owners: owners.into_values().collect(),
        stale,
    })
}
