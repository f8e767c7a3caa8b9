//! What a result is recorded from (the form's answers) and what recording it gives back.

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
