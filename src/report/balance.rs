//! Load balance: open leads per owner by status and age, and stale leads (next action past due
//! by more than `stale_days`).

use crate::config::Config;
use crate::store::{self, Store};
use chrono::{DateTime, Duration, Utc};
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

/// Compute the load balance at `now`: counted from the store's indexes, never a read of every
/// open lead.
pub fn compute(store: &Store, cfg: &Config, now: DateTime<Utc>) -> store::Result<Balance> {
    let stale_before = now - Duration::days(i64::from(cfg.stale_days));
    let (loads, overdue) = store.open_load(now, stale_before)?;
    let mut owners: BTreeMap<String, OwnerLoad> = BTreeMap::new();
    for l in loads {
        let n: u64 = l.by_age.iter().sum();
        let o = owners.entry(l.owner.clone()).or_insert_with(|| OwnerLoad {
            owner: crate::domain::text::sanitize_line(&l.owner),
            ..OwnerLoad::default()
        });
        o.open += n;
        o.stale += l.stale;
        *o.by_status.entry(l.status.to_string()).or_default() += n;
        for (slot, a) in o.by_age.iter_mut().zip(l.by_age) {
            *slot += a;
        }
    }
    let stale = overdue
        .into_iter()
        .map(|l| {
            let days = crate::store::parse_ts(&l.due)
                .map(|d| (now - d).num_days())
                .unwrap_or(0);
            StaleLead {
                lead_id: l.lead_id,
                company: crate::domain::text::sanitize_line(&l.company),
                owner: crate::domain::text::sanitize_line(&l.owner),
                due: l.due,
                days_overdue: days,
            }
        })
        .collect();
    Ok(Balance {
        stale_days: cfg.stale_days,
        owners: owners.into_values().collect(),
        stale,
    })
}
