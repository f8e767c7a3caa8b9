//! Appointments after the call: what field sales reported (won / lost, with the amount).

use super::sql::{DbExt, Key, params};
use super::{Result, Store, StoreError};
use crate::domain::MeetingOutcome;
use chrono::{DateTime, Utc};

/// An appointment as booked, with its outcome once reported.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Appointment {
    pub id: i64,
    pub lead_id: i64,
    pub booked_at: DateTime<Utc>,
    pub meeting_at: Option<DateTime<Utc>>,
    /// The expected amount.
    pub amount: Option<f64>,
    pub outcome: Option<MeetingOutcome>,
}

/// What field sales reported for an appointment.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingReport {
    pub outcome: MeetingOutcome,
    pub at: DateTime<Utc>,
    /// The amount won.
    pub amount: Option<f64>,
    pub note: Option<String>,
}

impl Store {
    /// The lead's latest appointment, if it has one.
    pub fn latest_appointment(&self, lead_id: i64) -> Result<Option<Appointment>> {
        self.db().opt(
            "SELECT id, lead_id, booked_at, meeting_at, amount, outcome FROM appointments
             WHERE lead_id = ?1 ORDER BY booked_at DESC, id DESC LIMIT 1",
            params![lead_id],
            |r| {
                Ok(Appointment {
                    id: r.get(0)?,
                    lead_id: r.get(1)?,
                    booked_at: r.get(2)?,
                    meeting_at: r.get(3)?,
                    amount: r.get(4)?,
                    outcome: r.get::<Option<Key<MeetingOutcome>>>(5)?.map(|k| k.0),
                })
            },
        )
    }

    /// Record what field sales reported for appointment `id` (replacing an earlier report).
    pub fn report_meeting(&mut self, id: i64, report: &MeetingReport) -> Result<()> {
        let changed = self.tx(|db| {
            db.execute(
                "UPDATE appointments SET outcome = ?2, outcome_at = ?3, outcome_amount = ?4,
                                         outcome_note = ?5
                 WHERE id = ?1",
                params![
                    id,
                    report.outcome.key(),
                    report.at,
                    report.amount,
                    report.note
                ],
            )
        })?;
        if changed == 0 {
            return Err(StoreError::Invalid(format!("no appointment with id {id}")));
        }
        Ok(())
    }
}
