//! Recording a call result: the activity, the lead's new status and touches, and its next
//! action — one `BEGIN IMMEDIATE` transaction, committed before anyone is told. And undo.

use super::leads::Lead;
use super::leads::{get_lead, queue_keys};
use super::sql::{Db, DbExt, params};
use super::{Result, Store, StoreError};
use crate::config::Config;
use crate::domain::cadence::{LeadState, Transition};
use crate::domain::{CallResult, LeadStatus, NextAction};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

mod input;
mod write;
pub use input::*;
pub(super) use write::new_uid;
use write::{insert_appointment, insert_touch, update_lead};

/// The lead's state before a result, kept with the activity so undo can restore it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct PrevState {
    pub(super) status: String,
    pub(super) touches: u32,
    pub(super) unanswered: u32,
    pub(super) nurture_reason: Option<String>,
    pub(super) updated_at: String,
    pub(super) next_at: Option<String>,
    pub(super) next_owner: Option<String>,
    pub(super) next_channel: Option<String>,
    pub(super) next_note: Option<String>,
    pub(super) next_callback: bool,
    #[serde(default)]
    pub(super) next_off_hours: bool,
    /// The open appointment a rescheduling call changed, as it was (restored by undo).
    #[serde(default)]
    pub(super) appointment: Option<PrevAppointment>,
    /// The owner before the assignment model moved the lead (by stage; restored by undo).
    #[serde(default)]
    pub(super) owner: Option<String>,
}

/// An open appointment before a second `appointment` on the lead moved it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct PrevAppointment {
    pub(super) id: i64,
    pub(super) meeting_at: Option<String>,
    pub(super) budget: Option<bool>,
    pub(super) consideration: Option<bool>,
    pub(super) timing: Option<bool>,
    pub(super) sal_rank: Option<String>,
    pub(super) probability: Option<f64>,
    pub(super) amount: Option<f64>,
}

/// The open appointment of a lead in `scheduling` or `meeting`: a second `appointment` on it
/// fixes or moves that meeting instead of counting a new one.
fn open_appointment(db: &dyn Db, lead: &Lead) -> Result<Option<PrevAppointment>> {
    if !matches!(lead.status, LeadStatus::Scheduling | LeadStatus::Meeting) {
        return Ok(None);
    }
    db.opt(
        "SELECT id, meeting_at, budget, consideration, timing, sal_rank, probability, amount
         FROM appointments WHERE lead_id = ?1 AND outcome IS NULL
         ORDER BY booked_at DESC, id DESC LIMIT 1",
        params![lead.id],
        |r| {
            Ok(PrevAppointment {
                id: r.get(0)?,
                meeting_at: r.get(1)?,
                budget: r.get(2)?,
                consideration: r.get(3)?,
                timing: r.get(4)?,
                sal_rank: r.get(5)?,
                probability: r.get(6)?,
                amount: r.get(7)?,
            })
        },
    )
}

/// Check a result against the rules before anything is written.
pub fn validate(input: &ResultInput, cfg: &Config) -> Result<()> {
    let r = input.result;
    let reasons = cfg.reasons.for_result(r);
    match &input.reason {
        Some(reason) if !reasons.is_empty() && !reasons.iter().any(|x| x == reason) => {
            return Err(StoreError::Invalid(format!(
                "unknown reason '{reason}' for {r} (expected one of: {})",
                reasons.join(", ")
            )));
        }
        Some(reason) if reasons.is_empty() => {
            return Err(StoreError::Invalid(format!(
                "{r} takes no reason (got '{reason}')"
            )));
        }
        None if r.reason_required() => {
            return Err(StoreError::Invalid(format!(
                "{r} needs a reason (one of: {})",
                reasons.join(", ")
            )));
        }
        _ => {}
    }
    if r == CallResult::Recall && !matches!(input.next, NextChoice::At { .. }) {
        return Err(StoreError::Invalid(
            "recall needs the time they asked you to call back".into(),
        ));
    }
    Ok(())
}

/// What the cadence does with `result` on `lead` at `now`: the one computation behind both the
/// result form's prefilled next action and the record transaction.
pub fn cadence_for(
    lead: &Lead,
    result: CallResult,
    cfg: &Config,
    now: DateTime<Utc>,
    meeting_at: Option<DateTime<Utc>>,
) -> Transition {
    cfg.cadence.transition(
        result,
        LeadState {
            status: lead.status,
            unanswered: lead.unanswered,
        },
        now,
        &lead.zone(cfg.default_time_zone),
        &cfg.hours,
        meeting_at,
    )
}

/// The next action the lead gets: the meeting itself, the cadence's default, the rep's choice,
/// or none where the result allows it.
fn next_action(input: &ResultInput, t: &Transition) -> Result<Option<NextAction>> {
    if !t.has_next {
        return Ok(None);
    }
    let from_cadence = |note: Option<String>| {
        t.next.map(|d| NextAction {
            owner: input.rep.clone(),
            due: d.due,
            channel: d.channel,
            note,
            callback: false,
        })
    };
    if input.result == CallResult::Appointment && input.meeting_at.is_some() {
        return Ok(from_cadence(input.note.clone()));
    }
    match &input.next {
        NextChoice::Cadence => Ok(from_cadence(None)),
        NextChoice::At {
            due,
            channel,
            owner,
            note,
        } => Ok(Some(NextAction {
            owner: owner
                .clone()
                .filter(|o| !o.trim().is_empty())
                .unwrap_or_else(|| input.rep.clone()),
            due: *due,
            channel: *channel,
            note: note.clone().filter(|n| !n.trim().is_empty()),
            callback: input.result == CallResult::Recall,
        })),
        NextChoice::None if t.status == LeadStatus::Nurturing => Ok(None),
        NextChoice::None => Err(StoreError::Invalid(format!(
            "{} needs a next action (only a nurturing lead may have none)",
            input.result
        ))),
    }
}

/// Add the owner a result changed to the activity's undo state.
fn keep_owner_for_undo(db: &dyn Db, activity_id: i64, owner: &str) -> Result<()> {
    let prev: Option<String> = db.one(
        "SELECT prev_state FROM activities WHERE id = ?1",
        params![activity_id],
        |r| r.get(0),
    )?;
    let Some(text) = prev else { return Ok(()) };
    let mut p: PrevState = serde_json::from_str(&text)
        .map_err(|e| StoreError::Invalid(format!("cannot keep undo state: {e}")))?;
    p.owner = Some(owner.to_string());
    let text = serde_json::to_string(&p)
        .map_err(|e| StoreError::Invalid(format!("cannot keep undo state: {e}")))?;
    db.execute(
        "UPDATE activities SET prev_state = ?2 WHERE id = ?1",
        params![activity_id, text],
    )?;
    Ok(())
}

/// The lead's state before this result, as JSON, for undo.
pub(super) fn prev_state(
    db: &dyn Db,
    lead_id: i64,
    appointment: Option<PrevAppointment>,
) -> Result<String> {
    let prev = db.one(
        "SELECT status, touches, unanswered, nurture_reason, updated_at, next_at, next_owner,
                next_channel, next_note, next_callback, next_off_hours FROM leads WHERE id = ?1",
        params![lead_id],
        |r| {
            Ok(PrevState {
                status: r.get(0)?,
                touches: r.get(1)?,
                unanswered: r.get(2)?,
                nurture_reason: r.get(3)?,
                updated_at: r.get(4)?,
                next_at: r.get(5)?,
                next_owner: r.get(6)?,
                next_channel: r.get(7)?,
                next_note: r.get(8)?,
                next_callback: r.get(9)?,
                next_off_hours: r.get(10)?,
                appointment: appointment.clone(),
                owner: None,
            })
        },
    )?;
    serde_json::to_string(&prev)
        .map_err(|e| StoreError::Invalid(format!("cannot keep undo state: {e}")))
}

/// Whether `next` is a promised callback outside the lead's calling hours; refused unless the
/// rep confirmed it (`off_hours_ok`), since the queue would otherwise hide it at that time.
fn promise_off_hours(
    lead: &Lead,
    input: &ResultInput,
    next: Option<&NextAction>,
    cfg: &Config,
) -> Result<bool> {
    let Some(n) = next.filter(|n| n.callback) else {
        return Ok(false);
    };
    let zone = lead.zone(cfg.default_time_zone);
    if zone.is_open(&cfg.hours, n.due) {
        return Ok(false);
    }
    if input.off_hours_ok {
        return Ok(true);
    }
    Err(StoreError::OffHours {
        their_time: their_time(&zone, n.due),
    })
}

/// A time as the lead reads it: `20:00`, or `sat 10:00` when it is not a business day there.
pub fn their_time(zone: &crate::domain::zone::LeadZone, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&zone.reference());
    let hhmm = zone.local_hhmm(at);
    if chrono::Datelike::weekday(&local).number_from_monday() >= 6 {
        format!("{} {hhmm}", local.format("%a").to_string().to_lowercase())
    } else {
        hhmm
    }
}

impl Store {
    /// Record a call result in one transaction: the touch (with the lead's previous state, for
    /// undo), the appointment where there is one, and the lead's new status, counts and next
    /// action. Nothing is written if any step fails; it is on disk when this returns `Ok`.
    pub fn record_result(
        &mut self,
        input: &ResultInput,
        cfg: &Config,
        now: DateTime<Utc>,
    ) -> Result<Recorded> {
        validate(input, cfg)?;
        let token = self.held_token(input.lead_id);
        let uid = new_uid();
        let saved = self.tx(|db| {
            let lead = get_lead(db, input.lead_id)?;
            super::claim::check_and_end(db, input.lead_id, &input.rep, token, now)?;
            let t = cadence_for(&lead, input.result, cfg, now, input.meeting_at);
            let next = next_action(input, &t)?;
            let off_hours = promise_off_hours(&lead, input, next.as_ref(), cfg)?;
            let moved = match input.result {
                CallResult::Appointment => open_appointment(db, &lead)?,
                _ => None,
            };
            let activity_id = insert_touch(db, input, &lead, &t, moved.clone(), now, &uid)?;
            if input.result == CallResult::Appointment {
                insert_appointment(db, activity_id, input, moved.as_ref(), cfg, now)?;
            }
            update_lead(db, &lead, input, &t, next.as_ref(), off_hours, cfg, now)?;
            if let Some(was) = super::assign::after_result(db, &lead, t.status, &input.rep, cfg)? {
                keep_owner_for_undo(db, activity_id, &was)?;
            }
            Ok(Recorded {
                activity_id,
                lead_id: input.lead_id,
                result: input.result,
                reason: input.reason.clone(),
                status: t.status,
                next,
            })
        });
        let out = match saved {
            Err(StoreError::ConnectionLost(why)) => self.find_recorded(input, &uid, &why),
            other => other,
        };
        if out.is_ok() {
            self.forget_claim(input.lead_id);
        }
        out
    }

    /// After the connection dropped during a save: reconnect and look the save up by its uid.
    /// Present → it was committed (acknowledged now); absent → it was not (said so).
    fn find_recorded(&mut self, input: &ResultInput, uid: &str, why: &str) -> Result<Recorded> {
        let unknown = |e: StoreError| {
            StoreError::NotSaved(format!(
                "the connection dropped during the save ({why}) and the server cannot be reached to check ({e}); look at lead {}'s history once it is back",
                input.lead_id
            ))
        };
        if let super::Conn::Postgres(pg) = &self.conn {
            pg.revive().map_err(unknown)?;
        }
        let found: Option<i64> = self
            .db()
            .opt(
                "SELECT id FROM activities WHERE uid = ?1",
                params![uid],
                |r| r.get(0),
            )
            .map_err(unknown)?;
        let Some(activity_id) = found else {
            return Err(StoreError::NotSaved(format!(
                "the connection dropped during the save ({why}); nothing was written — save it again"
            )));
        };
        let lead = get_lead(self.db(), input.lead_id)?;
        Ok(Recorded {
            activity_id,
            lead_id: input.lead_id,
            result: input.result,
            reason: input.reason.clone(),
            status: lead.status,
            next: lead.next,
        })
    }

    /// Add a note to a lead's history (not a touch).
    pub fn add_note(
        &mut self,
        lead_id: i64,
        rep: &str,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let note = crate::domain::text::sanitize_multiline(note);
        if note.is_empty() {
            return Err(StoreError::Invalid("the note is empty".into()));
        }
        self.tx(|db| {
            get_lead(db, lead_id)?;
            db.value(
                "INSERT INTO activities (lead_id, at, kind, channel, note, rep)
                 VALUES (?1, ?2, 'note', 'other', ?3, ?4) RETURNING id",
                params![lead_id, now, note, rep],
            )
        })
    }

    /// Recompute every stored `rank_key` when the ranking weights changed since last time.
    pub fn ensure_rank_keys(&mut self, cfg: &Config) -> Result<bool> {
        let fp = cfg.weights.fingerprint();
        if self.meta("rank_weights")?.as_deref() == Some(fp.as_str()) {
            return Ok(false);
        }
        let w = cfg.weights;
        self.tx(|db| {
            // In pages of 10,000 leads, so memory stays flat at a million.
            let mut after = 0i64;
            loop {
                let rows: Vec<(i64, DateTime<Utc>, DateTime<Utc>, u32)> = db.rows(
                    "SELECT id, next_at, created_at, touches FROM leads
                     WHERE q_band IS NOT NULL AND id > ?1 ORDER BY id LIMIT 10000",
                    params![after],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?;
                let Some(last) = rows.last() else { break };
                after = last.0;
                for (id, next_at, created, touches) in rows {
                    db.execute(
                        "UPDATE leads SET rank_key = ?2 WHERE id = ?1",
                        params![
                            id,
                            crate::domain::ranking::rank_key(&w, next_at, created, touches)
                        ],
                    )?;
                }
            }
            set_meta(db, "rank_weights", &fp)
        })?;
        Ok(true)
    }
}

/// Set a value of the meta table.
pub(crate) fn set_meta(db: &dyn Db, key: &str, value: &str) -> Result<()> {
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
