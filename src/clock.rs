//! "Now", injected. `KADEN_NOW` (RFC 3339) fixes it for the whole program so tests, demos and
//! bug reports are reproducible; otherwise the system clock. The TUI's call timer and toast
//! age are read from this clock too, so a fixed clock renders them deterministically.

use chrono::{DateTime, TimeDelta, Utc};

/// The source of "now" every rule is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
    /// The system clock moved by a constant: time runs, from another starting point (the demo
    /// outside calling hours).
    Shifted(TimeDelta),
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

    /// A running clock that reads `start` now.
    pub fn starting_at(start: DateTime<Utc>) -> Clock {
        Clock::Shifted(start - Utc::now())
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
            Clock::Shifted(d) => Utc::now() + *d,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_starts_where_it_is_told_and_runs() {
        let start = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+09:00")
            .unwrap()
            .with_timezone(&Utc);
        let c = Clock::starting_at(start);
        let (a, b) = (c.now(), c.now());
        assert!(a >= start && a < start + TimeDelta::hours(1), "{a}");
        assert!(b >= a);
    }
}
