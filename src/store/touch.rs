//! Recording a touch on another channel (`domain::touch`): one transaction, like a call result,
//! with the lead's state kept for undo.

use super::leads::{get_lead, queue_keys};
use super::record::{cadence_for, new_uid, prev_state};
use super::sql::{DbExt, params};
use super::{Result, Store};
use crate::config::Config;
use crate::domain::touch::TouchKind;
use crate::domain::{CallResult, LeadStatus, NextAction};
use chrono::{DateTime, Utc};

/// A touch to record.
#[derive(Debug, Clone, PartialEq)]
pub struct TouchInput {
    pub lead_id: i64,
    pub kind: TouchKind,
    pub note: Option<String>,
    pub rep: String,
}

/// What a recorded touch did.
#[derive(Debug, Clone, PartialEq)]
pub struct Touched {
    pub activity_id: i64,
    pub lead_id: i64,
    pub kind: TouchKind,
    pub status: LeadStatus,
    pub next: Option<NextAction>,
}

impl Store {
    /// Record a touch: an outbound one on a lead still being approached moves it on by the
    /// cadence (as an attempt without a conversation); an inbound one resets the unanswered
    /// count. Any other lead keeps its status and next action; the touch is history and counts.
    pub fn record_touch(
        &mut self,
        input: &TouchInput,
        cfg: &Config,
        now: DateTime<Utc>,
    ) -> Result<Touched> {
        if input
            .note
            .as_ref()
            .is_some_and(|n| n.len() > crate::domain::text::MAX_NOTE_BYTES)
        {
            return Err(super::StoreError::Invalid(
                "the note is over the limit of 64 KiB".to_string(),
            ));
        }
        let token = self.held_token(input.lead_id);
        let uid = new_uid();
        let out = self.tx(|db| {
            let lead = get_lead(db, input.lead_id)?;
            super::claim::check_and_end(db, input.lead_id, &input.rep, token, now)?;
            let approaching = matches!(lead.status, LeadStatus::New | LeadStatus::Approaching);
            let (status, unanswered, next) = if input.kind.inbound() {
                let status = if lead.status == LeadStatus::New {
                    LeadStatus::Approaching
                } else {
                    lead.status
                };
                (status, 0, lead.next.clone())
            } else if approaching {
                let t = cadence_for(&lead, CallResult::Unconnected, cfg, now, None);
                let next = t.next.map(|d| NextAction {
                    owner: input.rep.clone(),
                    due: d.due,
                    channel: d.channel,
                    note: None,
                    callback: false,
                });
                (t.status, t.unanswered, next)
            } else {
                (lead.status, lead.unanswered, lead.next.clone())
            };
            let touches = lead.touches + 1;
            let prev = prev_state(db, lead.id, None)?;
            let activity_id: i64 = db.value(
                "INSERT INTO activities (lead_id, at, kind, channel, result, reason, note, rep,
                                         status_from, status_to, prev_state, version, uid)
                 VALUES (?1, ?2, 'touch', ?3, NULL, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 RETURNING id",
                params![
                    lead.id,
                    now,
                    input.kind.channel().key(),
                    input.kind.key(),
                    input.note.as_deref().filter(|n| !n.trim().is_empty()),
                    input.rep,
                    lead.status.key(),
                    status.key(),
                    prev,
                    lead.version + 1,
                    uid,
                ],
            )?;
            let (band, key) = queue_keys(
                &cfg.weights,
                status,
                next.as_ref().map(|n| n.due),
                next.as_ref().is_some_and(|n| n.callback),
                lead.created_at,
                touches,
            );
            db.execute(
                "UPDATE leads SET status = ?2, touches = ?3, unanswered = ?4, updated_at = ?5,
                        version = ?6, next_at = ?7, next_owner = ?8, next_channel = ?9,
                        next_note = ?10, next_callback = ?11, q_band = ?12, rank_key = ?13
                 WHERE id = ?1",
                params![
                    lead.id,
                    status.key(),
                    touches,
                    unanswered,
                    now,
                    lead.version + 1,
                    next.as_ref().map(|n| n.due),
                    next.as_ref().map(|n| n.owner.as_str()),
                    next.as_ref().map(|n| n.channel.key()),
                    next.as_ref().and_then(|n| n.note.as_deref()),
                    next.as_ref().is_some_and(|n| n.callback),
                    band,
                    key,
                ],
            )?;
            Ok(Touched {
                activity_id,
                lead_id: lead.id,
                kind: input.kind,
                status,
                next,
            })
        });
        if out.is_ok() {
            self.forget_claim(input.lead_id);
        }
        out
    }
}
