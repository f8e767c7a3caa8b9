//! Undo: a recorded result or touch is taken back in one transaction — the activity removed,
//! the lead's status, counts, next action (and a moved appointment, a changed owner) restored
//! from the state kept with it. Refused when the lead changed since.

use super::leads::{get_lead, queue_keys};
use super::record::PrevState;
use super::sql::{DbExt, params};
use super::{Result, Store, StoreError, parse_ts};
use crate::config::Config;
use crate::domain::LeadStatus;

impl Store {
    /// Undo a recorded result: the activity is removed and the lead's status, counts and next
    /// action restored — one transaction. Refused if the lead changed since.
    pub fn undo(&mut self, activity_id: i64, cfg: &Config) -> Result<i64> {
        self.tx(|db| {
            let row: Option<(i64, Option<String>, Option<i64>)> = db.opt(
                "SELECT lead_id, prev_state, version FROM activities WHERE id = ?1",
                params![activity_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let Some((lead_id, Some(prev), Some(version))) = row else {
                return Err(StoreError::Invalid(
                    "nothing to undo: that result is gone".into(),
                ));
            };
            let lead = get_lead(db, lead_id)?;
            if lead.version != version {
                return Err(StoreError::Invalid(
                    "cannot undo: the lead changed after that result (recorded again elsewhere?)"
                        .into(),
                ));
            }
            let p: PrevState = serde_json::from_str(&prev)
                .map_err(|e| StoreError::Invalid(format!("cannot read undo state: {e}")))?;
            let status: LeadStatus = p
                .status
                .parse()
                .map_err(|e| StoreError::Invalid(format!("{e}")))?;
            let (band, key) = queue_keys(
                &cfg.weights,
                status,
                p.next_at.as_deref().and_then(parse_ts),
                p.next_callback,
                lead.created_at,
                p.touches,
            );
            db.execute(
                "DELETE FROM appointments WHERE activity_id = ?1",
                params![activity_id],
            )?;
            if let Some(a) = &p.appointment {
                db.execute(
                    "UPDATE appointments SET meeting_at = ?2, budget = ?3, consideration = ?4,
                            timing = ?5, sal_rank = ?6, probability = ?7, amount = ?8
                     WHERE id = ?1",
                    params![
                        a.id,
                        a.meeting_at,
                        a.budget,
                        a.consideration,
                        a.timing,
                        a.sal_rank,
                        a.probability,
                        a.amount
                    ],
                )?;
            }
            db.execute("DELETE FROM activities WHERE id = ?1", params![activity_id])?;
            super::crm::keep_watermarks_below_max(db)?;
            db.execute(
                "UPDATE leads SET status = ?2, touches = ?3, unanswered = ?4, nurture_reason = ?5, updated_at = ?6,
                        version = version + 1, next_at = ?7, next_owner = ?8, next_channel = ?9, next_note = ?10,
                        next_callback = ?11, q_band = ?12, rank_key = ?13, next_off_hours = ?14
                 WHERE id = ?1",
                params![
                    lead_id,
                    p.status,
                    p.touches,
                    p.unanswered,
                    p.nurture_reason,
                    p.updated_at,
                    p.next_at,
                    p.next_owner,
                    p.next_channel,
                    p.next_note,
                    p.next_callback,
                    band,
                    key,
                    p.next_off_hours
                ],
            )?;
            if let Some(owner) = &p.owner {
                db.execute(
                    "UPDATE leads SET owner = ?2 WHERE id = ?1",
                    params![lead_id, owner],
                )?;
            }
            Ok(lead_id)
        })
    }
}
