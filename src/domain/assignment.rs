//! Whose lead: the two assignment models of seed 002 (インサイドセールスの組織図), set by
//! `[team] assignment` in the config.
//!
//! - **By task** (`"task"`, the default): reps own tasks, not stages. New leads form one pool
//!   shared round-robin: an import deals the leads its file gives no owner to `[team] reps` in
//!   turn (the turn carries over from one import to the next). A result never moves a lead to
//!   another owner. Without `[team] reps`, imported leads belong to the importing rep, as in solo
//!   use.
//! - **By stage** (`"stage"`): new leads go to the SDR pool (no owner) and any rep works them;
//!   the rep whose result moves a lead to `scheduling` or `meeting` becomes its owner, and it stays
//!   with them while it is in those stages. When it leaves them for nurturing (lost, no-show) it
//!   returns to the pool for the re-approach.

use super::LeadStatus;
use serde::Deserialize;

/// `[team] assignment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Assignment {
    #[default]
    Task,
    Stage,
}

impl Assignment {
    /// The owner a lead gets from a result that moves it from `before` to `after`, when it
    /// changes: `Some(new owner)` (`""` is the pool), `None` to keep it.
    pub fn owner_after(
        self,
        before: LeadStatus,
        after: LeadStatus,
        owner: &str,
        rep: &str,
    ) -> Option<String> {
        if self == Assignment::Task {
            return None;
        }
        let held = |s: LeadStatus| matches!(s, LeadStatus::Scheduling | LeadStatus::Meeting);
        if held(after) {
            // Another rep's appointment stays theirs (a manager logging it for them).
            return owner.trim().is_empty().then(|| rep.to_string());
        }
        (held(before) && after == LeadStatus::Nurturing && !owner.is_empty()).then(String::new)
    }

    /// The owner imported leads get when their file names none: `Some("")` for the pool,
    /// `None` when the caller's default applies (task mode without reps: the importing rep).
    pub fn import_default(self, reps: &[String]) -> Option<String> {
        match self {
            Assignment::Stage => Some(String::new()),
            Assignment::Task if reps.is_empty() => None,
            Assignment::Task => Some(String::new()),
        }
    }
}

/// Deal `n` leads to `reps` round-robin starting at turn `start`: the owners in order and the
/// turn after the last one.
pub fn deal(reps: &[String], start: usize, n: usize) -> (Vec<&str>, usize) {
    if reps.is_empty() {
        return (vec![""; n], start);
    }
    let owners = (0..n)
        .map(|i| reps[(start + i) % reps.len()].as_str())
        .collect();
    (owners, (start + n) % reps.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use LeadStatus::*;

    #[test]
    fn by_task_a_result_never_changes_the_owner() {
        for (b, a) in [
            (New, Scheduling),
            (Scheduling, Meeting),
            (Meeting, Nurturing),
        ] {
            assert_eq!(Assignment::Task.owner_after(b, a, "", "aki"), None);
            assert_eq!(Assignment::Task.owner_after(b, a, "ben", "aki"), None);
        }
    }

    #[test]
    fn by_stage_the_appointment_setter_keeps_the_lead_until_it_goes_back_to_nurturing() {
        let s = Assignment::Stage;
        assert_eq!(
            s.owner_after(Approaching, Scheduling, "", "aki"),
            Some("aki".into())
        );
        assert_eq!(s.owner_after(New, Meeting, "", "aki"), Some("aki".into()));
        // Already someone's: stays theirs.
        assert_eq!(s.owner_after(Approaching, Scheduling, "ben", "aki"), None);
        assert_eq!(s.owner_after(Scheduling, Meeting, "aki", "aki"), None);
        // Lost or no-show from the held stages: back to the pool.
        assert_eq!(
            s.owner_after(Meeting, Nurturing, "aki", "aki"),
            Some(String::new())
        );
        assert_eq!(
            s.owner_after(Scheduling, Nurturing, "aki", "ben"),
            Some(String::new())
        );
        // Approaching a pool lead leaves it in the pool.
        assert_eq!(s.owner_after(New, Approaching, "", "aki"), None);
        assert_eq!(s.owner_after(Approaching, Nurturing, "", "aki"), None);
    }

    #[test]
    fn import_defaults_follow_the_model() {
        let reps = vec!["aki".to_string(), "ben".to_string()];
        assert_eq!(Assignment::Task.import_default(&[]), None);
        assert_eq!(Assignment::Task.import_default(&reps), Some(String::new()));
        assert_eq!(Assignment::Stage.import_default(&reps), Some(String::new()));
        assert_eq!(Assignment::Stage.import_default(&[]), Some(String::new()));
    }

    #[test]
    fn dealing_goes_round_and_carries_the_turn() {
        let reps: Vec<String> = ["aki", "ben", "chika"].map(String::from).to_vec();
        let (o, next) = deal(&reps, 0, 4);
        assert_eq!(o, ["aki", "ben", "chika", "aki"]);
        assert_eq!(next, 1);
        let (o, next) = deal(&reps, next, 2);
        assert_eq!(o, ["ben", "chika"]);
        assert_eq!(next, 0);
        assert_eq!(deal(&[], 3, 2), (vec!["", ""], 3));
    }
}
