//! The rows a result writes: the touch, the appointment, the lead's new state.

use super::*;

/// Insert the touch; returns its id.
pub(super) fn insert_touch(
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
pub(in crate::store) fn new_uid() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    format!("{:016x}{:016x}", rng.random::<u64>(), rng.random::<u64>())
}

/// The appointment row of an `appointment` result, with its Open SAL rank and probability.
pub(super) fn insert_appointment(
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
pub(super) fn update_lead(
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
