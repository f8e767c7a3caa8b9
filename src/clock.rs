//! "Now", injected. `KADEN_NOW` (RFC 3339) fixes it for the whole program so tests, demos and
//! bug reports are reproducible; otherwise the system clock.

use chrono::{DateTime, Utc};

/// The source of "now" every rule is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

/// `KADEN_NOW` could not be read.
#[derive(Debug, thiserror::Error)]
#[error("KADEN_NOW='{0}' is not an RFC 3339 time (e.g. 2026-11-24T10:00:00+09:00)")]
pub struct BadNow(String);

impl Clock {
    /// The clock from `KADEN_NOW`, or the system clock when it is unset or empty.
    pub fn from_env() -> Result<Clock, BadNow> {
        match std::env::var("KADEN_NOW") {
            Ok(v) if !v.trim().is_empty() => DateTime::parse_from_rfc3339(v.trim())
                .map(|t| Clock::Fixed(t.with_timezone(&Utc)))
                .map_err(|_| BadNow(v)),
            _ => Ok(Clock::System),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }
}
