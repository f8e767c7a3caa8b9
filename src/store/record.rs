//! Recording a call result: the activity, the lead's new status and touches, and its next
//! action — one `BEGIN IMMEDIATE` transaction, committed before anyone is told. And undo.

use super::leads::Lead;
use super::leads::{get_lead, queue_keys};
use super::sql::{Db, DbExt, params};
use super::{Result, Store, StoreError};
use crate::config::Config;
use crate::domain::cadence::{LeadState, Transition};
use crate::domain::{CallResult, Channel, LeadStatus, NextAction};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What the rep chose for the next action in the form.
#[derive(Debug, Clone, PartialEq)]
pub enum NextChoice {
    /// The cadence's default.
    Cadence,
    /// A time (and how/who/why) the rep typed or kept.
    At {
        due: DateTime<Utc>,
        channel: Channel,
        owner: Option<String>,
        note: Option<String>,
    },
    /// No next action (only where the result allows it).
    None,
}

/// The three Open SAL axes asked when an appointment is won.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SalAnswers {
    pub budget: bool,
    pub consideration: bool,
    pub timing: bool,
}

impl SalAnswers {
    /// A: all three; B: two; C: one; `None` (unqualified, 0 %) when all three are "no".
    pub fn rank(self) -> Option<char> {
        match u8::from(self.budget) + u8::from(self.consideration) + u8::from(self.timing) {
            3 => Some('A'),
            2 => Some('B'),
            1 => Some('C'),
            _ => None,
        }
    }
}

/// One recorded result, as the form or `kaden log` gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultInput {
    pub lead_id: i64,
    pub result: CallResult,
    /// Who made the call.
    pub rep: String,
    /// The touch's channel (a call, unless logged otherwise).
    pub channel: Channel,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub duration_s: Option<u32>,
    pub next: NextChoice,
    /// For an appointment: the meeting time, if fixed.
    pub meeting_at: Option<DateTime<Utc>>,
    /// For an appointment: the Open SAL axes.
    pub sal: Option<SalAnswers>,
    /// For an appointment: expected amount (default: the config's deal size).
    pub amount: Option<f64>,
    /// The rep confirmed a callback time outside the lead's calling hours (the prospect asked
    /// for it): it is kept and offered at that time.
    pub off_hours_ok: bool,
}

impl ResultInput {
    /// A result with the cadence's defaults and nothing else.
    pub fn new(lead_id: i64, result: CallResult, rep: &str) -> ResultInput {
        ResultInput {
            lead_id,
            result,
            rep: rep.to_string(),
            channel: Channel::Call,
            reason: None,
            note: None,
            duration_s: None,
            next: NextChoice::Cadence,
            meeting_at: None,
            sal: None,
            amount: None,
            off_hours_ok: false,
        }
    }
}

/// What was recorded (for the toast and for undo).
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub activity_id: i64,
    pub lead_id: i64,
    pub result: CallResult,
    /// The reason saved with the result, if any.
    pub reason: Option<String>,
    pub status: LeadStatus,
    pub next: Option<NextAction>,
}

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

/// Insert the touch; returns its id.
fn insert_touch(
    db: &dyn Db,
    input: &ResultInput,
    lead: &Lead,
    t: &Transition,
    moved: Option<PrevAppointment>,
    now: DateTime<Utc>,
    uid: &str,
) -> Result<i64> {
    // A call that moves a meeting already won is a touch, not a second appointment: no result,
    // so the reports count the call but not another appointment.
    let (result, reason) = if moved.is_some() {
        (None, Some("rescheduled"))
    } else {
        (Some(input.result.key()), input.reason.as_deref())
    };
    let prev_json = prev_state(db, lead.id, moved)?;
    db.value(
        "INSERT INTO activities (lead_id, at, kind, channel, result, reason, note, rep, duration_s,
                                 status_from, status_to, prev_state, version, uid)
         VALUES (?1, ?2, 'touch', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         RETURNING id",
        params![
            input.lead_id,
            now,
            input.channel.key(),
            result,
            reason,
            input.note.as_deref().filter(|n| !n.trim().is_empty()),
            input.rep,
            input.duration_s,
            lead.status.key(),
            t.status.key(),
            prev_json,
            lead.version + 1,
            uid,
        ],
    )
}

/// A random id for a new activity (so a save cut off by a dropped connection can be found).
pub(super) fn new_uid() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    format!("{:016x}{:016x}", rng.random::<u64>(), rng.random::<u64>())
}

/// The appointment row of an `appointment` result, with its Open SAL rank and probability.
fn insert_appointment(
    db: &dyn Db,
    activity_id: i64,
    input: &ResultInput,
    moved: Option<&PrevAppointment>,
    cfg: &Config,
    now: DateTime<Utc>,
) -> Result<()> {
    let rank = input.sal.unwrap_or_default().rank();
    let p = match (input.sal, rank) {
        (_, Some('A')) => cfg.sal.rank_a,
        (_, Some('B')) => cfg.sal.rank_b,
        (_, Some(_)) | (None, None) => cfg.sal.rank_c,
        // all three axes "no": unqualified, nothing in the forecast
        (Some(_), None) => 0.0,
    };
    if let Some(m) = moved {
        // the meeting that was won moves (or gets its date); answers not given are kept
        db.execute(
            "UPDATE appointments SET meeting_at = COALESCE(?2, meeting_at),
                    budget = COALESCE(?3, budget), consideration = COALESCE(?4, consideration),
                    timing = COALESCE(?5, timing),
                    sal_rank = CASE WHEN ?6 = 1 THEN ?7 ELSE sal_rank END,
                    probability = CASE WHEN ?6 = 1 THEN ?8 ELSE probability END,
                    amount = COALESCE(?9, amount)
             WHERE id = ?1",
            params![
                m.id,
                input.meeting_at,
                input.sal.map(|s| s.budget),
                input.sal.map(|s| s.consideration),
                input.sal.map(|s| s.timing),
                input.sal.is_some(),
                rank,
                p,
                input.amount,
            ],
        )?;
        return Ok(());
    }
    db.execute(
        "INSERT INTO appointments (activity_id, lead_id, booked_at, meeting_at, budget, consideration,
                                   timing, sal_rank, probability, amount)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            activity_id,
            input.lead_id,
            now,
            input.meeting_at,
            input.sal.map(|s| s.budget),
            input.sal.map(|s| s.consideration),
            input.sal.map(|s| s.timing),
            rank,
            p,
            input.amount.unwrap_or(cfg.sal.deal_size),
        ],
    )?;
    Ok(())
}

/// The lead after the result: status, counts, next action and the stored queue keys.
#[allow(clippy::too_many_arguments)]
fn update_lead(
    db: &dyn Db,
    lead: &Lead,
    input: &ResultInput,
    t: &Transition,
    next: Option<&NextAction>,
    off_hours: bool,
    cfg: &Config,
    now: DateTime<Utc>,
) -> Result<()> {
    let touches = lead.touches + 1;
    let nurture_reason = match input.result {
        CallResult::Lost => input.reason.clone(),
        _ if t.status == LeadStatus::Nurturing => lead.nurture_reason.clone(),
        _ => None,
    };
    let (band, key) = queue_keys(
        &cfg.weights,
        t.status,
        next.map(|n| n.due),
        next.is_some_and(|n| n.callback),
        lead.created_at,
        touches,
    );
    db.execute(
        "UPDATE leads SET status = ?2, touches = ?3, unanswered = ?4, nurture_reason = ?5, updated_at = ?6,
                version = ?7, next_at = ?8, next_owner = ?9, next_channel = ?10, next_note = ?11,
                next_callback = ?12, q_band = ?13, rank_key = ?14, next_off_hours = ?15
         WHERE id = ?1",
        params![
            lead.id,
            t.status.key(),
            touches,
            t.unanswered,
            nurture_reason,
            now,
            lead.version + 1,
            next.map(|n| n.due),
            next.map(|n| n.owner.as_str()),
            next.map(|n| n.channel.key()),
            next.and_then(|n| n.note.as_deref()),
            next.is_some_and(|n| n.callback),
            band,
            key,
            off_hours,
        ],
    )?;
    Ok(())
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
