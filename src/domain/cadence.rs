//! The cadence (engagement flow): what a call result does to the lead — its new status and
//! the default next action the result form is prefilled with.

use super::hours::CallingHours;
use super::zone::LeadZone;
use super::{CallResult, Channel, LeadStatus};
use chrono::{DateTime, Duration, Months, NaiveTime, Utc};
use chrono_tz::Tz;
use std::fmt;
use std::str::FromStr;

/// One rung of a retry ladder, relative to the moment the result is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A fixed delay (`2h`, `1w`, `90d`).
    After(Duration),
    /// Calendar months (`3mo`).
    Months(u32),
    /// `n` business days later, same local time (`2bd`).
    BusinessDays(u32),
    /// The next business day at a local time (`next-morning 10:00`).
    NextBusinessMorning(NaiveTime),
}

impl Step {
    /// When this step lands for a lead in `zone`, counted from `now`.
    pub fn due(self, now: DateTime<Utc>, zone: Tz, hours: &CallingHours) -> DateTime<Utc> {
        match self {
            Step::After(d) => now.checked_add_signed(d).unwrap_or(now),
            Step::Months(m) => now.checked_add_months(Months::new(m)).unwrap_or(now),
            Step::BusinessDays(n) => hours.add_business_days(zone, now, n),
            Step::NextBusinessMorning(t) => hours.next_business_morning(zone, now, t),
        }
    }
}

impl FromStr for Step {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().trim_start_matches('+').to_ascii_lowercase();
        if let Some(rest) = t.strip_prefix("next-morning") {
            let rest = rest.trim();
            let time = if rest.is_empty() { "10:00" } else { rest };
            return NaiveTime::parse_from_str(time, "%H:%M")
                .map(Step::NextBusinessMorning)
                .map_err(|_| format!("bad time in cadence step '{s}' (e.g. next-morning 10:00)"));
        }
        let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(|| {
            format!("cadence step '{s}' needs a unit (e.g. 2h, 2bd, 1w, 3mo, next-morning 10:00)")
        })?;
        let n: i64 = t[..split]
            .parse()
            .map_err(|_| format!("cadence step '{s}' needs a number (e.g. 2h)"))?;
        let unit = &t[split..];
        let bad = || format!("cadence step '{s}' is out of range");
        Ok(match unit {
            "m" => Step::After(Duration::try_minutes(n).ok_or_else(bad)?),
            "h" => Step::After(Duration::try_hours(n).ok_or_else(bad)?),
            "d" => Step::After(Duration::try_days(n).ok_or_else(bad)?),
            "w" => Step::After(Duration::try_weeks(n).ok_or_else(bad)?),
            "mo" => Step::Months(u32::try_from(n).map_err(|_| bad())?),
            "bd" => Step::BusinessDays(u32::try_from(n).map_err(|_| bad())?),
            _ => {
                return Err(format!(
                    "unknown unit in cadence step '{s}' (use m, h, d, w, mo, bd or next-morning HH:MM)"
                ));
            }
        })
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::After(d) if d.num_minutes() % (60 * 24 * 7) == 0 && d.num_minutes() > 0 => {
                write!(f, "{}w", d.num_weeks())
            }
            Step::After(d) if d.num_minutes() % (60 * 24) == 0 && d.num_minutes() > 0 => {
                write!(f, "{}d", d.num_days())
            }
            Step::After(d) if d.num_minutes() % 60 == 0 => write!(f, "{}h", d.num_hours()),
            Step::After(d) => write!(f, "{}m", d.num_minutes()),
            Step::Months(m) => write!(f, "{m}mo"),
            Step::BusinessDays(n) => write!(f, "{n}bd"),
            Step::NextBusinessMorning(t) => write!(f, "next-morning {}", t.format("%H:%M")),
        }
    }
}

/// The configurable engagement flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Cadence {
    /// Retry ladder after each unanswered call (1st, 2nd, …; the last rung repeats).
    pub unconnected: Vec<Step>,
    /// After this many calls in a row without a conversation the lead is parked as `pending`.
    pub attempt_cap: u32,
    /// Re-approach of a lost lead.
    pub lost_nurture: Step,
    /// Follow-up of an appointment whose date is not fixed yet.
    pub scheduling_follow_up: Step,
}

impl Default for Cadence {
    fn default() -> Self {
        let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default();
        Cadence {
            unconnected: vec![
                Step::After(Duration::hours(2)),
                Step::NextBusinessMorning(ten),
                Step::BusinessDays(2),
                Step::After(Duration::weeks(1)),
                Step::After(Duration::weeks(2)),
            ],
            attempt_cap: 6,
            lost_nurture: Step::After(Duration::days(90)),
            scheduling_follow_up: Step::NextBusinessMorning(ten),
        }
    }
}

/// What the cadence needs to know about the lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadState {
    pub status: LeadStatus,
    /// Calls in a row without a conversation.
    pub unanswered: u32,
}

/// The default next action a result leads to (the form's prefill).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultNext {
    pub due: DateTime<Utc>,
    pub channel: Channel,
}

/// What recording a result does, before the rep edits the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub status: LeadStatus,
    /// Calls in a row without a conversation, after this one.
    pub unanswered: u32,
    /// The prefilled next action; `None` when the result closes the lead or the time must be
    /// typed (a `recall`, an appointment's meeting time).
    pub next: Option<DefaultNext>,
    /// Whether the result has a next action at all.
    pub has_next: bool,
    /// Whether the rep must type the time (a `recall`).
    pub time_required: bool,
    /// Whether a reason from the pick list is required.
    pub reason_required: bool,
}

impl Cadence {
    /// The transition for `result` on a lead in `state`, recorded at `now`. For an
    /// appointment, `meeting_at` is the meeting time when one is fixed.
    // Over 80 lines on purpose: one arm per call result, each a full `Transition`, so the
    // whole cadence (SPEC §1, result → status + default next action) reads in one place.
    pub fn transition(
        &self,
        result: CallResult,
        state: LeadState,
        now: DateTime<Utc>,
        zone: &LeadZone,
        hours: &CallingHours,
        meeting_at: Option<DateTime<Utc>>,
    ) -> Transition {
        // An automatic retry never lands outside the lead's calling hours: a step that falls
        // after closing (17:30 + 2 h) moves to the next opening in every zone the lead may be in.
        let auto = |step: Step| {
            let due = step.due(now, zone.reference(), hours);
            zone.next_open(hours, due).unwrap_or(due)
        };
        let keep_or = |default: LeadStatus| match state.status {
            LeadStatus::Scheduling | LeadStatus::Nurturing => state.status,
            _ => default,
        };
        match result {
            CallResult::Unconnected => {
                let unanswered = state.unanswered + 1;
                if unanswered >= self.attempt_cap {
                    return Transition {
                        status: LeadStatus::Pending,
                        unanswered,
                        next: None,
                        has_next: false,
                        time_required: false,
                        reason_required: false,
                    };
                }
                let idx = (unanswered as usize).saturating_sub(1);
                let step = self
                    .unconnected
                    .get(idx)
                    .or(self.unconnected.last())
                    .copied()
                    .unwrap_or(Step::After(Duration::hours(2)));
                Transition {
                    status: keep_or(LeadStatus::Approaching),
                    unanswered,
                    next: Some(DefaultNext {
                        due: auto(step),
                        channel: Channel::Call,
                    }),
                    has_next: true,
                    time_required: false,
                    reason_required: false,
                }
            }
            CallResult::Recall => Transition {
                status: keep_or(LeadStatus::Approaching),
                unanswered: 0,
                next: None,
                has_next: true,
                time_required: true,
                reason_required: false,
            },
            CallResult::Appointment => match meeting_at {
                Some(at) => Transition {
                    status: LeadStatus::Meeting,
                    unanswered: 0,
                    next: Some(DefaultNext {
                        due: at,
                        channel: Channel::Meeting,
                    }),
                    has_next: true,
                    time_required: false,
                    reason_required: false,
                },
                None => Transition {
                    status: LeadStatus::Scheduling,
                    unanswered: 0,
                    next: Some(DefaultNext {
                        due: auto(self.scheduling_follow_up),
                        channel: Channel::Call,
                    }),
                    has_next: true,
                    time_required: false,
                    reason_required: false,
                },
            },
            CallResult::Lost => Transition {
                status: LeadStatus::Nurturing,
                unanswered: 0,
                next: Some(DefaultNext {
                    due: auto(self.lost_nurture),
                    channel: Channel::Call,
                }),
                has_next: true,
                time_required: false,
                reason_required: true,
            },
            CallResult::OutOfScope => Transition {
                status: LeadStatus::OutOfScope,
                unanswered: 0,
                next: None,
                has_next: false,
                time_required: false,
                reason_required: true,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Tokyo;

    fn jst(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&format!("{s}+09:00"))
            .expect("t")
            .with_timezone(&Utc)
    }
    fn state(status: LeadStatus, unanswered: u32) -> LeadState {
        LeadState { status, unanswered }
    }
    fn run(
        result: CallResult,
        s: LeadState,
        now: &str,
        meeting: Option<DateTime<Utc>>,
    ) -> Transition {
        let mut hours = CallingHours::default();
        hours
            .calendar
            .holidays
            .insert("2026-11-23".parse().expect("d"));
        Cadence::default().transition(
            result,
            s,
            jst(now),
            &LeadZone::Known(Tokyo),
            &hours,
            meeting,
        )
    }

    #[test]
    fn unconnected_ladder() {
        // Friday 2026-11-20 15:00 JST; Monday 23rd is a holiday.
        let now = "2026-11-20T15:00:00";
        let due = |n| {
            run(
                CallResult::Unconnected,
                state(LeadStatus::Approaching, n),
                now,
                None,
            )
        };
        assert_eq!(due(0).next.map(|x| x.due), Some(jst("2026-11-20T17:00:00")));
        assert_eq!(due(1).next.map(|x| x.due), Some(jst("2026-11-24T10:00:00")));
        assert_eq!(due(2).next.map(|x| x.due), Some(jst("2026-11-25T15:00:00")));
        assert_eq!(due(3).next.map(|x| x.due), Some(jst("2026-11-27T15:00:00")));
        assert_eq!(due(4).next.map(|x| x.due), Some(jst("2026-12-04T15:00:00")));
        assert_eq!(due(4).unanswered, 5);
        // the sixth unanswered call parks the lead
        let t = due(5);
        assert_eq!(t.status, LeadStatus::Pending);
        assert_eq!(t.next, None);
        assert!(!t.has_next);
    }

    #[test]
    fn first_unanswered_call_moves_new_to_approaching() {
        let t = run(
            CallResult::Unconnected,
            state(LeadStatus::New, 0),
            "2026-11-24T10:00:00",
            None,
        );
        assert_eq!(t.status, LeadStatus::Approaching);
        assert_eq!(t.unanswered, 1);
        assert_eq!(t.next.map(|n| n.channel), Some(Channel::Call));
    }

    #[test]
    fn recall_needs_a_time_and_resets_the_count() {
        let t = run(
            CallResult::Recall,
            state(LeadStatus::Approaching, 4),
            "2026-11-24T10:00:00",
            None,
        );
        assert_eq!(t.status, LeadStatus::Approaching);
        assert!(t.time_required);
        assert_eq!(t.next, None);
        assert_eq!(t.unanswered, 0);
    }

    #[test]
    fn appointment_with_and_without_a_date() {
        let at = jst("2026-12-01T15:00:00");
        let t = run(
            CallResult::Appointment,
            state(LeadStatus::Approaching, 0),
            "2026-11-24T10:00:00",
            Some(at),
        );
        assert_eq!(t.status, LeadStatus::Meeting);
        assert_eq!(
            t.next,
            Some(DefaultNext {
                due: at,
                channel: Channel::Meeting
            })
        );
        let t = run(
            CallResult::Appointment,
            state(LeadStatus::Approaching, 0),
            "2026-11-24T10:00:00",
            None,
        );
        assert_eq!(t.status, LeadStatus::Scheduling);
        assert_eq!(t.next.map(|n| n.due), Some(jst("2026-11-25T10:00:00")));
    }

    #[test]
    fn lost_nurtures_for_ninety_days() {
        let t = run(
            CallResult::Lost,
            state(LeadStatus::Approaching, 0),
            "2026-11-24T10:00:00",
            None,
        );
        assert_eq!(t.status, LeadStatus::Nurturing);
        assert!(t.reason_required);
        assert_eq!(t.next.map(|n| n.due), Some(jst("2027-02-22T10:00:00")));
    }

    #[test]
    fn out_of_scope_closes() {
        let t = run(
            CallResult::OutOfScope,
            state(LeadStatus::New, 0),
            "2026-11-24T10:00:00",
            None,
        );
        assert_eq!(t.status, LeadStatus::OutOfScope);
        assert!(t.reason_required);
        assert!(!t.has_next);
        assert!(t.status.is_closed());
    }

    #[test]
    fn retries_never_land_outside_calling_hours() {
        // 17:30 + 2 h is 19:30, after closing: the retry moves to the next morning's opening.
        let t = run(
            CallResult::Unconnected,
            state(LeadStatus::Approaching, 0),
            "2026-11-24T17:30:00",
            None,
        );
        assert_eq!(t.next.map(|n| n.due), Some(jst("2026-11-25T09:00:00")));
        // Friday evening → Monday morning (and a holiday Monday → Tuesday).
        let t = run(
            CallResult::Unconnected,
            state(LeadStatus::Approaching, 0),
            "2026-11-20T17:00:00",
            None,
        );
        assert_eq!(t.next.map(|n| n.due), Some(jst("2026-11-24T09:00:00")));
    }

    #[test]
    fn retries_of_an_unknown_zone_wait_for_every_zone() {
        // A Florida panhandle number (Eastern or Central): 13:00 New York + 2 h = 15:00, open in
        // both; 16:30 + 2 h = 18:30 New York, closed there → next day 10:00 New York (09:00 Chicago).
        let fl = LeadZone::of_number("+18505550100").expect("fl");
        let hours = CallingHours::default();
        let ny = |s: &str| {
            DateTime::parse_from_rfc3339(&format!("{s}-05:00"))
                .expect("t")
                .with_timezone(&Utc)
        };
        let t = Cadence::default().transition(
            CallResult::Unconnected,
            state(LeadStatus::Approaching, 0),
            ny("2026-11-24T16:30:00"),
            &fl,
            &hours,
            None,
        );
        assert_eq!(t.next.map(|n| n.due), Some(ny("2026-11-25T10:00:00")));
    }

    #[test]
    fn steps_parse_and_print() {
        for s in [
            "2h",
            "next-morning 10:00",
            "2bd",
            "1w",
            "2w",
            "90d",
            "3mo",
            "30m",
        ] {
            let step: Step = s.parse().expect(s);
            assert_eq!(step.to_string(), s);
        }
        assert!("2x".parse::<Step>().is_err());
        assert!("h".parse::<Step>().is_err());
        assert!("next-morning 25:00".parse::<Step>().is_err());
    }
}
