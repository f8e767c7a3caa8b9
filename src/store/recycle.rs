//! Recycling (issue 15): a `pending` lead (the cadence ran out without a conversation) comes
//! back for a new attempt after a rest (`[recycle] pending_rest_days`, default 60). It becomes
//! `nurturing` (reason `recycled`) with a call due now, its unanswered count reset so the
//! cadence gets a full new round, the next action's note saying "recycled · pending since
//! DATE", and a note in its history. Found by `leads_status_updated (status, updated_at)`.

use super::leads::queue_keys;
use super::sql::{DbExt, params};
use super::{Result, Store};
use crate::config::Config;
use crate::domain::LeadStatus;
use chrono::{DateTime, Duration, Utc};

/// The nurturing reason of a recycled lead.
pub const RECYCLED: &str = "recycled";

/// Leads recycled per transaction.
const BATCH: i64 = 500;

impl Store {
    /// Bring back every `pending` lead parked at least `[recycle] pending_rest_days` before
    /// `now`; the number recycled. Writes nothing (and opens no write transaction) when there is
    /// none.
    pub fn recycle_pending(&mut self, cfg: &Config, rep: &str, now: DateTime<Utc>) -> Result<u64> {
        let cutoff = now - Duration::days(i64::from(cfg.pending_rest_days));
        let find = "SELECT id FROM leads WHERE status = 'pending' AND updated_at <= ?1
                    ORDER BY updated_at, id LIMIT ?2";
        let mut total = 0;
        loop {
            let any: Vec<i64> = self.db().rows(find, params![cutoff, 1i64], |r| r.get(0))?;
            if any.is_empty() {
                return Ok(total);
            }
            total += self.tx(|db| {
                let ids: Vec<(i64, String, String, DateTime<Utc>, u32, i64)> = db.rows(
                    "SELECT id, updated_at, owner, created_at, touches, version FROM leads
                     WHERE status = 'pending' AND updated_at <= ?1 ORDER BY updated_at, id LIMIT ?2",
                    params![cutoff, BATCH],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
                )?;
                let mut n = 0u64;
                for (id, since, owner, created, touches, version) in ids {
                    let since_day = since.get(..10).unwrap_or(&since).to_string();
                    let note = format!("recycled · pending since {since_day}");
                    let owner = if owner.trim().is_empty() {
                        rep.to_string()
                    } else {
                        owner
                    };
                    let (band, key) = queue_keys(
                        &cfg.weights,
                        LeadStatus::Nurturing,
                        Some(now),
                        false,
                        created,
                        touches,
                    );
                    db.execute(
                        "INSERT INTO activities (lead_id, at, kind, channel, reason, note, rep,
                                                 status_from, status_to, version)
                         VALUES (?1, ?2, 'note', 'other', ?3, ?4, ?5, 'pending', 'nurturing', ?6)",
                        params![id, now, RECYCLED, note, rep, version + 1],
                    )?;
                    db.execute(
                        "UPDATE leads SET status = 'nurturing', nurture_reason = ?2, unanswered = 0,
                                updated_at = ?3, version = ?4, next_at = ?3, next_owner = ?5,
                                next_channel = 'call', next_note = ?6, next_callback = 0,
                                q_band = ?7, rank_key = ?8
                         WHERE id = ?1 AND status = 'pending'",
                        params![id, RECYCLED, now, version + 1, owner, note, band, key],
                    )?;
                    n += 1;
                }
                Ok::<u64, super::StoreError>(n)
            })?;
        }
    }
}
