//! The queue's order, explained. Bands first — (0) promised callbacks whose time has come,
//! (1) new leads inside the speed-to-lead SLA, (2) everyone else due — then tier 1 → 3, then
//! an additive score (Taskwarrior-style) whose every term can be shown:
//!
//! `score = overdue_per_hour × hours overdue − age_per_day × lead age in days − per_touch × touches`
//!
//! Because every term is linear in "now", the score is a stored constant (`rank_key`) plus a
//! term that is the same for every lead at a given moment, so the store can keep `rank_key`
//! in an indexed column and the order within a tier never needs a full scan.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{LeadStatus, Tier};

/// Configurable weights of the score within a tier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Points per hour the next action is overdue.
    pub overdue_per_hour: f64,
    /// Points lost per day of lead age (a lead loses value as it ages).
    pub age_per_day: f64,
    /// Points lost per touch already made (fewer touches first).
    pub per_touch: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            overdue_per_hour: 1.0,
            age_per_day: 0.5,
            per_touch: 2.0,
        }
    }
}

impl Weights {
    /// A fingerprint stored with the database so stored keys are rebuilt when weights change.
    pub fn fingerprint(&self) -> String {
        format!(
            "{}|{}|{}",
            self.overdue_per_hour, self.age_per_day, self.per_touch
        )
    }
}

/// The band a queued lead sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// A `recall` whose promised time has come.
    Callback = 0,
    /// A new lead younger than the speed-to-lead SLA.
    SpeedToLead = 1,
    /// Everyone else who is due, by tier and score.
    Due = 2,
}

fn hours(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64 / 3600.0
}
fn days(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64 / 86_400.0
}

/// The stored, now-independent part of the score.
pub fn rank_key(
    w: &Weights,
    next_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    touches: u32,
) -> f64 {
    -w.overdue_per_hour * hours(next_at) + w.age_per_day * days(created_at)
        - w.per_touch * f64::from(touches)
}

/// The score at `now` from a stored key.
pub fn score_from_key(w: &Weights, key: f64, now: DateTime<Utc>) -> f64 {
    key + w.overdue_per_hour * hours(now) - w.age_per_day * days(now)
}

/// One line of the breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "term", rename_all = "snake_case")]
pub enum Term {
    Overdue { hours: f64, points: f64 },
    Age { days: f64, points: f64 },
    Touches { touches: u32, points: f64 },
}

impl Term {
    pub fn points(&self) -> f64 {
        match *self {
            Term::Overdue { points, .. }
            | Term::Age { points, .. }
            | Term::Touches { points, .. } => points,
        }
    }
}

/// Why a lead is where it is: band, tier and the score's terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub band: Band,
    pub tier: Tier,
    pub terms: Vec<Term>,
    pub score: f64,
}

/// The full breakdown for a lead at `now`.
pub fn explain(
    w: &Weights,
    band: Band,
    tier: Tier,
    now: DateTime<Utc>,
    next_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    touches: u32,
) -> Explanation {
    let overdue_h = hours(now) - hours(next_at);
    let age_d = days(now) - days(created_at);
    let terms = vec![
        Term::Overdue {
            hours: overdue_h,
            points: w.overdue_per_hour * overdue_h,
        },
        Term::Age {
            days: age_d,
            points: -w.age_per_day * age_d,
        },
        Term::Touches {
            touches,
            points: -w.per_touch * f64::from(touches),
        },
    ];
    let score = terms.iter().map(Term::points).sum();
    Explanation {
        band,
        tier,
        terms,
        score,
    }
}

/// The queue order: smaller sorts first.
pub fn order_key(band: Band, tier: Tier, score: f64) -> (Band, u8, i64) {
    let t = if band == Band::Due { tier.get() } else { 0 };
    (band, t, -(score * 1000.0).round() as i64)
}

/// The short reason a row is in the queue, before it is put into words (see `i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// A promised callback whose time has come (`now`: to say its date when not today).
    Callback {
        promised: DateTime<Utc>,
        #[serde(skip)]
        now: DateTime<Utc>,
    },
    /// A new lead inside the speed-to-lead SLA.
    NewLead { minutes: i64 },
    /// Due by the cadence: tier and how overdue.
    Due {
        tier: Tier,
        overdue_minutes: i64,
        status: LeadStatus,
        age_minutes: i64,
    },
}

/// The reason for a queued row.
pub fn reason(
    band: Band,
    tier: Tier,
    status: LeadStatus,
    next_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Reason {
    let age_minutes = (now - created_at).num_minutes().max(0);
    match band {
        Band::Callback => Reason::Callback {
            promised: next_at.unwrap_or(now),
            now,
        },
        Band::SpeedToLead => Reason::NewLead {
            minutes: age_minutes,
        },
        Band::Due => Reason::Due {
            tier,
            overdue_minutes: next_at.map(|n| (now - n).num_minutes().max(0)).unwrap_or(0),
            status,
            age_minutes,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-24T01:00:00Z")
            .expect("t")
            .with_timezone(&Utc)
    }

    #[test]
    fn overdue_adds_age_and_touches_subtract() {
        let w = Weights::default();
        let now = t0();
        let e = explain(
            &w,
            Band::Due,
            Tier::T1,
            now,
            now - Duration::hours(48),
            now - Duration::days(10),
            3,
        );
        assert!((e.terms[0].points() - 48.0).abs() < 1e-9);
        assert!((e.terms[1].points() + 5.0).abs() < 1e-9);
        assert!((e.terms[2].points() + 6.0).abs() < 1e-9);
        assert!((e.score - 37.0).abs() < 1e-9);
    }

    proptest! {
        #[test]
        fn terms_add_up_and_stored_key_agrees(
            overdue_min in -100_000i64..1_000_000,
            age_min in 0i64..10_000_000,
            touches in 0u32..50,
            wo in 0.0f64..10.0, wa in 0.0f64..10.0, wt in 0.0f64..10.0,
        ) {
            let w = Weights { overdue_per_hour: wo, age_per_day: wa, per_touch: wt };
            let now = t0();
            let next = now - Duration::minutes(overdue_min);
            let created = now - Duration::minutes(age_min);
            let e = explain(&w, Band::Due, Tier::T2, now, next, created, touches);
            let sum: f64 = e.terms.iter().map(Term::points).sum();
            prop_assert!((sum - e.score).abs() < 1e-6);
            let from_key = score_from_key(&w, rank_key(&w, next, created, touches), now);
            prop_assert!((from_key - e.score).abs() < 1e-4, "{} vs {}", from_key, e.score);
        }

        #[test]
        fn a_due_callback_outranks_everything_else(
            s1 in -1e6f64..1e6, s2 in -1e6f64..1e6, t in 1u8..=3, b in 1u8..=2
        ) {
            let tier = Tier::new(t).expect("tier");
            let other = if b == 1 { Band::SpeedToLead } else { Band::Due };
            prop_assert!(order_key(Band::Callback, Tier::T3, s1) < order_key(other, tier, s2));
        }

        #[test]
        fn tier_order_holds_within_the_due_band(s1 in -1e6f64..1e6, s2 in -1e6f64..1e6) {
            prop_assert!(order_key(Band::Due, Tier::T1, s1) < order_key(Band::Due, Tier::T2, s2));
            prop_assert!(order_key(Band::Due, Tier::T2, s1) < order_key(Band::Due, Tier::T3, s2));
        }
    }
}
