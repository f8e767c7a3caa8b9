//! Meetings closed out (issue 15): held, no-show, won or lost on a `meeting` lead's latest
//! appointment, in one transaction. A meeting lost or not held puts the lead back in
//! `nurturing` with a re-approach call (`[meetings] reapproach_days`, default 90) instead of
//! leaving it `meeting` forever; the change is a note in its history. "Meetings to report" are
//! the meetings whose time has passed without a result.

use super::leads::{get_lead, queue_keys};
use super::sql::{DbExt, params};
use super::{Result, Store, StoreError};
use crate::config::Config;
use crate::domain::{Channel, LeadStatus, MeetingClose, NextAction};
use chrono::{DateTime, Duration, Utc};

/// The nurturing reason of a lead whose meeting was lost.
pub const MEETING_LOST: &str = "meeting_lost";
/// The nurturing reason of a lead whose meeting did not take place.
pub const NO_SHOW: &str = "no_show";

/// A meeting whose time has passed and whose result is not in (held but undecided included).
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingDue {
    pub appointment_id: i64,
    pub lead_id: i64,
    pub company: String,
    pub name: String,
    pub meeting_at: DateTime<Utc>,
    /// Reported held, the deal still open.
    pub held: bool,
    pub sal_rank: Option<String>,
    /// The expected amount.
    pub amount: Option<f64>,
    /// Who booked it.
    pub rep: String,
}

/// What closing a meeting did.
#[derive(Debug, Clone, PartialEq)]
pub struct Closed {
    pub appointment_id: i64,
    pub lead_id: i64,
    pub close: MeetingClose,
    /// The lead's status afterwards.
    pub status: LeadStatus,
    /// The re-approach, when the lead went back to nurturing.
    pub next: Option<NextAction>,
}

impl Store {
    /// The meetings to report at `now`: each `meeting` lead's latest appointment whose meeting
    /// time has passed, not reported won, lost or not held; oldest first.
    pub fn meetings_to_report(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<MeetingDue>> {
        self.db().rows(
            "SELECT p.id, p.lead_id, c.name, l.name, p.meeting_at, coalesce(p.held, 0), p.sal_rank,
                    p.amount, b.rep
             FROM appointments p JOIN leads l ON l.id = p.lead_id
                  JOIN companies c ON c.id = l.company_id
                  JOIN activities b ON b.id = p.activity_id
             WHERE p.meeting_at IS NOT NULL AND p.meeting_at <= ?1 AND p.outcome IS NULL
               AND (p.held IS NULL OR p.held = 1) AND l.status = 'meeting'
               AND p.id = (SELECT max(q.id) FROM appointments q WHERE q.lead_id = p.lead_id)
             ORDER BY p.meeting_at, p.id LIMIT ?2",
            params![now, i64::from(limit)],
            |r| {
                Ok(MeetingDue {
                    appointment_id: r.get(0)?,
                    lead_id: r.get(1)?,
                    company: r.get(2)?,
                    name: r.get(3)?,
                    meeting_at: r.get(4)?,
                    held: r.get(5)?,
                    sal_rank: r.get(6)?,
                    amount: r.get(7)?,
                    rep: r.get(8)?,
                })
            },
        )
    }

    /// Close out the latest appointment of `lead_id`: held, no-show, won (`amount`: the amount
    /// won) or lost, in one transaction. Lost and no-show move a `meeting` lead to `nurturing`
    /// with a re-approach call in `[meetings] reapproach_days`, owned by the lead's owner (or
    /// `rep`), and note it in the history. Refused for a lead without an appointment.
    #[allow(clippy::too_many_arguments)]
    pub fn close_meeting(
        &mut self,
        lead_id: i64,
        close: MeetingClose,
        amount: Option<f64>,
        note: Option<&str>,
        rep: &str,
        cfg: &Config,
        now: DateTime<Utc>,
    ) -> Result<Closed> {
        self.tx(|db| {
            let lead = get_lead(db, lead_id)?;
            let Some(appointment_id) = db.opt(
                "SELECT id FROM appointments WHERE lead_id = ?1
                 ORDER BY booked_at DESC, id DESC LIMIT 1",
                params![lead_id],
                |r| r.get::<i64>(0),
            )?
            else {
                return Err(StoreError::Invalid(format!(
                    "lead {lead_id} has no appointment to close out (record one first: kaden log {lead_id} appointment)"
                )));
            };
            let (held, outcome) = match close {
                MeetingClose::Held => (true, None),
                MeetingClose::NoShow => (false, None),
                MeetingClose::Won => (true, Some("won")),
                MeetingClose::Lost => (true, Some("lost")),
            };
            db.execute(
                "UPDATE appointments SET held = ?2, held_at = ?3, outcome = ?4,
                        outcome_at = CASE WHEN ?5 = 1 THEN ?3 ELSE NULL END,
                        outcome_amount = ?6, outcome_note = ?7
                 WHERE id = ?1",
                params![
                    appointment_id,
                    held,
                    now,
                    outcome,
                    outcome.is_some(),
                    amount.filter(|_| close == MeetingClose::Won),
                    note,
                ],
            )?;
            let reason = match close {
                MeetingClose::NoShow => Some(NO_SHOW),
                MeetingClose::Lost => Some(MEETING_LOST),
                MeetingClose::Held | MeetingClose::Won => None,
            };
            let (Some(reason), LeadStatus::Meeting) = (reason, lead.status) else {
                return Ok(Closed {
                    appointment_id,
                    lead_id,
                    close,
                    status: lead.status,
                    next: None,
                });
            };
            let owner = if lead.owner.trim().is_empty() {
                rep.to_string()
            } else {
                lead.owner.clone()
            };
            let next = NextAction {
                owner,
                due: now + Duration::days(i64::from(cfg.meeting_reapproach_days)),
                channel: Channel::Call,
                note: Some(match close {
                    MeetingClose::NoShow => "re-approach after a no-show".to_string(),
                    _ => "re-approach after a lost meeting".to_string(),
                }),
                callback: false,
            };
            let status = LeadStatus::Nurturing;
            let (band, key) = queue_keys(
                &cfg.weights,
                status,
                Some(next.due),
                false,
                lead.created_at,
                lead.touches,
            );
            db.execute(
                "INSERT INTO activities (lead_id, at, kind, channel, reason, note, rep, status_from,
                                         status_to, version)
                 VALUES (?1, ?2, 'note', 'meeting', ?3, ?4, ?5, 'meeting', 'nurturing', ?6)",
                params![
                    lead_id,
                    now,
                    reason,
                    note.unwrap_or(match close {
                        MeetingClose::NoShow => "meeting not held (no-show)",
                        _ => "meeting lost",
                    }),
                    rep,
                    lead.version + 1,
                ],
            )?;
            db.execute(
                "UPDATE leads SET status = 'nurturing', nurture_reason = ?2, updated_at = ?3,
                        version = ?4, next_at = ?5, next_owner = ?6, next_channel = 'call',
                        next_note = ?7, next_callback = 0, q_band = ?8, rank_key = ?9
                 WHERE id = ?1",
                params![
                    lead_id,
                    reason,
                    now,
                    lead.version + 1,
                    next.due,
                    next.owner,
                    next.note,
                    band,
                    key,
                ],
            )?;
            super::assign::after_result(db, &lead, status, rep, cfg)?;
            Ok(Closed {
                appointment_id,
                lead_id,
                close,
                status,
                next: Some(next),
            })
        })
    }
}
