//! Plain vocabulary types, stored in SQLite as the SPEC's text keys.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A value could not be read as one of the vocabulary's keys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} '{value}' (expected one of: {expected})")]
pub struct UnknownKey {
    pub kind: &'static str,
    pub value: String,
    pub expected: String,
}

macro_rules! keyed_enum {
    ($(#[$meta:meta])* $name:ident, $kind:literal, { $($(#[$vmeta:meta])* $variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable text key stored in the database and used on the command line.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownKey;
            fn from_str(s: &str) -> Result<Self, UnknownKey> {
                let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                match norm.as_str() {
                    $($key => Ok($name::$variant),)+
                    _ => Err(UnknownKey {
                        kind: $kind,
                        value: s.to_string(),
                        expected: [$($key),+].join(", "),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

keyed_enum!(
    /// Where a lead stands (リードステータス).
    LeadStatus, "lead status", {
    /// Acquired, no action yet.
    New => "new",
    /// Calls/emails made, no conversation yet.
    Approaching => "approaching",
    /// Wants a meeting, date not fixed.
    Scheduling => "scheduling",
    /// Meeting set: handed off to field sales.
    Meeting => "meeting",
    /// Never reached after the cadence ran out; parked.
    Pending => "pending",
    /// Not now; carries a nurturing reason.
    Nurturing => "nurturing",
    /// Not a target.
    OutOfScope => "out_of_scope",
});

impl LeadStatus {
    /// Statuses that never appear in the call queue, whatever their next action.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            LeadStatus::Meeting | LeadStatus::Pending | LeadStatus::OutOfScope
        )
    }
}

keyed_enum!(
    /// What one call produced (アクションステータス). One keystroke each.
    CallResult, "result", {
    /// Absent, voicemail, blocked by reception.
    Unconnected => "unconnected",
    /// Reached the person, busy: call back at a stated time.
    Recall => "recall",
    /// Meeting won.
    Appointment => "appointment",
    /// Real conversation, no meeting.
    Lost => "lost",
    /// Person left, wrong person, not a target.
    OutOfScope => "out_of_scope",
});

impl CallResult {
    /// Whether this result means the rep actually talked to the person.
    pub fn is_conversation(self) -> bool {
        !matches!(self, CallResult::Unconnected)
    }
    /// Whether the form must carry a reason from the pick list.
    pub fn reason_required(self) -> bool {
        matches!(self, CallResult::Lost | CallResult::OutOfScope)
    }
    /// Whether this result has a pick list of reasons at all.
    pub fn has_reasons(self) -> bool {
        matches!(
            self,
            CallResult::Unconnected | CallResult::Lost | CallResult::OutOfScope
        )
    }
}

keyed_enum!(
    /// How a touch or a next action happens.
    Channel, "channel", {
    Call => "call",
    Email => "email",
    Linkedin => "linkedin",
    Sms => "sms",
    /// The meeting itself (the next action of a won appointment).
    Meeting => "meeting",
    Other => "other",
});

keyed_enum!(
    /// Persona of a contact in the buying group.
    Role, "role", {
    Initiator => "initiator",
    User => "user",
    Influencer => "influencer",
    DecisionMaker => "decision_maker",
    EconomicBuyer => "economic_buyer",
    Gatekeeper => "gatekeeper",
});

keyed_enum!(
    /// What field sales reported for an appointment.
    MeetingOutcome, "meeting outcome", {
    Won => "won",
    Lost => "lost",
});

keyed_enum!(
    /// How a meeting is closed out: held (the deal still open), not held, won or lost.
    MeetingClose, "meeting result", {
    /// The meeting took place; the deal is not decided yet.
    Held => "held",
    /// The prospect did not show up: back to nurturing.
    NoShow => "no_show",
    /// Won (with the amount).
    Won => "won",
    /// Held and lost: back to nurturing.
    Lost => "lost",
});

/// ICP priority of the company: 1 (best) to 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Tier(u8);

impl Tier {
    pub const T1: Tier = Tier(1);
    pub const T2: Tier = Tier(2);
    pub const T3: Tier = Tier(3);
    pub fn new(n: u8) -> Option<Tier> {
        (1..=3).contains(&n).then_some(Tier(n))
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Tier {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Tier::new(n).ok_or_else(|| format!("tier must be 1, 2 or 3, not {n}"))
    }
}

impl From<Tier> for u8 {
    fn from(t: Tier) -> u8 {
        t.0
    }
}

impl FromStr for Tier {
    type Err = UnknownKey;
    fn from_str(s: &str) -> Result<Self, UnknownKey> {
        let t = s.trim().trim_start_matches(['T', 't']);
        t.parse::<u8>()
            .ok()
            .and_then(Tier::new)
            .ok_or_else(|| UnknownKey {
                kind: "tier",
                value: s.to_string(),
                expected: "1, 2, 3".into(),
            })
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T{}", self.0)
    }
}

/// The lead's one open next action: who, when, how, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextAction {
    pub owner: String,
    pub due: DateTime<Utc>,
    pub channel: Channel,
    pub note: Option<String>,
    /// A promised callback (from a `recall`): ranked above everything once due.
    pub callback: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for s in LeadStatus::ALL {
            assert_eq!(s.key().parse::<LeadStatus>(), Ok(*s));
        }
        for r in CallResult::ALL {
            assert_eq!(r.key().parse::<CallResult>(), Ok(*r));
        }
        for c in Channel::ALL {
            assert_eq!(c.key().parse::<Channel>(), Ok(*c));
        }
        for r in Role::ALL {
            assert_eq!(r.key().parse::<Role>(), Ok(*r));
        }
    }

    #[test]
    fn parsing_is_forgiving_about_case_and_dashes() {
        assert_eq!(
            "Out-Of-Scope".parse::<CallResult>(),
            Ok(CallResult::OutOfScope)
        );
        assert_eq!("decision maker".parse::<Role>(), Ok(Role::DecisionMaker));
    }

    #[test]
    fn unknown_key_names_the_choices() {
        let err = "maybe".parse::<CallResult>().unwrap_err();
        assert!(err.to_string().contains("unknown result 'maybe'"));
        assert!(err.to_string().contains("unconnected, recall"));
    }

    #[test]
    fn tier_bounds() {
        assert!(Tier::new(0).is_none());
        assert!(Tier::new(4).is_none());
        assert_eq!("T2".parse::<Tier>(), Ok(Tier::T2));
        assert!("7".parse::<Tier>().is_err());
    }

    #[test]
    fn closed_statuses() {
        assert!(LeadStatus::Meeting.is_closed());
        assert!(LeadStatus::Pending.is_closed());
        assert!(LeadStatus::OutOfScope.is_closed());
        assert!(!LeadStatus::Nurturing.is_closed());
        assert!(!LeadStatus::New.is_closed());
    }
}
