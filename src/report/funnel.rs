//! The funnel step by step: leads worked → reached (a conversation) → appointment → meeting
//! held → won, each step's count and conversion, and the step that leaks most, judged against
//! the founder's step targets (`[funnel.targets]`) where set and the previous period otherwise.
//!
//! Counts are distinct leads for the first three steps (from the period's touches, one index
//! range per result); held and won are counted over the appointments booked in the period.
//! A meeting whose time has not come yet is not a leak: "held" is over the meetings that are
//! *due* (time passed, or already reported), "won" over the meetings *decided* (won or lost).

use super::period::Span;
use crate::cli::ReportBy;
use crate::config::{Config, FunnelTargets};
use crate::i18n::Lang;
use crate::store::{self, Store};
use chrono::{DateTime, Utc};
pub use counting::counts;
use counting::{Key, key_of};
use serde::Serialize;

#[path = "funnel_counts.rs"]
mod counting;

/// A step of the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Worked,
    Reached,
    Appointment,
    Held,
    Won,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Worked,
        Step::Reached,
        Step::Appointment,
        Step::Held,
        Step::Won,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Step::Worked => "worked",
            Step::Reached => "reached",
            Step::Appointment => "appointment",
            Step::Held => "held",
            Step::Won => "won",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Step::Worked => lang.pick("Leads worked", "アプローチ"),
            Step::Reached => lang.pick("Reached", "接続"),
            Step::Appointment => lang.pick("Appointment", "アポ獲得"),
            Step::Held => lang.pick("Meeting held", "商談実施"),
            Step::Won => lang.pick("Won", "受注"),
        }
    }

    /// A short label for narrow places (the dashboard).
    pub fn short(self, lang: Lang) -> &'static str {
        match self {
            Step::Worked => lang.pick("Worked", "接触"),
            Step::Reached => lang.pick("Reached", "接続"),
            Step::Appointment => lang.pick("Appt", "アポ"),
            Step::Held => lang.pick("Held", "実施"),
            Step::Won => lang.pick("Won", "受注"),
        }
    }
}

/// The counts of one funnel (a period, or one key of a breakdown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Distinct leads with a touch.
    pub worked: u64,
    /// Distinct leads with a conversation (recall, appointment, lost, out of scope).
    pub reached: u64,
    /// Distinct leads with an appointment.
    pub appointment: u64,
    /// Appointments booked (rows; a lead can book twice).
    pub booked: u64,
    /// Booked appointments whose meeting is due: its time has passed, or it was reported.
    pub due: u64,
    /// Meetings held (reported held, won or lost).
    pub held: u64,
    /// Held meetings with a won or lost result.
    pub decided: u64,
    pub won: u64,
}

impl Counts {
    /// The count shown for a step.
    pub fn of(&self, s: Step) -> u64 {
        match s {
            Step::Worked => self.worked,
            Step::Reached => self.reached,
            Step::Appointment => self.appointment,
            Step::Held => self.held,
            Step::Won => self.won,
        }
    }

    /// The conversion into step `s` (from the step before): (numerator, denominator).
    pub fn conversion(&self, s: Step) -> Option<(u64, u64)> {
        match s {
            Step::Worked => None,
            Step::Reached => Some((self.reached, self.worked)),
            Step::Appointment => Some((self.appointment, self.reached)),
            Step::Held => Some((self.held, self.due)),
            Step::Won => Some((self.won, self.decided)),
        }
    }

    /// The conversion rate into `s` (`None` when its denominator is 0).
    pub fn rate(&self, s: Step) -> Option<f64> {
        self.conversion(s)
            .and_then(|(n, d)| (d > 0).then(|| n as f64 / d as f64))
    }
}

/// What a step's conversion is judged against.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Target,
    Previous,
}

/// One step's conversion and its benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StepRow {
    pub step: Step,
    pub count: u64,
    /// The conversion into this step (none for the first).
    pub rate: Option<f64>,
    pub benchmark: Option<f64>,
    pub basis: Option<Basis>,
}

/// The step that leaks most, and why it was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Leak {
    pub step: Step,
    pub rate: f64,
    /// The benchmark it fell short of (`None`: no benchmark, it is simply the lowest).
    pub benchmark: Option<f64>,
    pub basis: Option<Basis>,
}

/// A funnel, judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judged {
    pub counts: Counts,
    pub steps: Vec<StepRow>,
    pub leak: Option<Leak>,
}

/// The funnel of a report: the period's, judged, and one per key of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Funnel {
    pub total: Judged,
    pub previous: Counts,
    /// Per breakdown key (source, rep, tier), judged against the targets and the key's own
    /// previous period.
    pub by: Vec<(String, Judged)>,
    /// Appointment → won per Open SAL rank, over the appointments judged in the period:
    /// (rank, won, judged). "A good appointment is one that led to a win."
    pub won_by_rank: Vec<(String, u64, u64)>,
}

fn target(t: &FunnelTargets, s: Step) -> Option<f64> {
    match s {
        Step::Worked => None,
        Step::Reached => t.reach,
        Step::Appointment => t.appointment,
        Step::Held => t.held,
        Step::Won => t.won,
    }
}

/// Judge `cur` against the targets, else `prev`: each step's benchmark, and the leak — the
/// step whose conversion is furthest below its benchmark (as a share of it); without any
/// benchmark below, none; without any benchmark at all, the lowest conversion.
pub fn judge(cur: &Counts, prev: &Counts, targets: &FunnelTargets) -> Judged {
    let mut steps = Vec::new();
    for s in Step::ALL {
        let rate = cur.rate(s);
        let (benchmark, basis) = match (target(targets, s), prev.rate(s)) {
            (Some(t), _) => (Some(t), Some(Basis::Target)),
            (None, Some(p)) if s != Step::Worked => (Some(p), Some(Basis::Previous)),
            _ => (None, None),
        };
        steps.push(StepRow {
            step: s,
            count: cur.of(s),
            rate,
            benchmark,
            basis,
        });
    }
    let mut worst: Option<(f64, &StepRow)> = None;
    let mut any_benchmark = false;
    for row in &steps {
        let (Some(r), Some(b)) = (row.rate, row.benchmark) else {
            continue;
        };
        any_benchmark = true;
        if b <= 0.0 || r >= b {
            continue;
        }
        let share = r / b;
        if worst.is_none_or(|(w, _)| share < w) {
            worst = Some((share, row));
        }
    }
    let leak = match worst {
        Some((_, row)) => row.rate.map(|rate| Leak {
            step: row.step,
            rate,
            benchmark: row.benchmark,
            basis: row.basis,
        }),
        None if !any_benchmark => steps
            .iter()
            .filter_map(|row| row.rate.map(|r| (r, row.step)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(rate, step)| Leak {
                step,
                rate,
                benchmark: None,
                basis: None,
            }),
        None => None,
    };
    Judged {
        counts: *cur,
        steps,
        leak,
    }
}

/// The step before `s` (the step a conversion starts from).
pub fn before(s: Step) -> Step {
    match s {
        Step::Worked | Step::Reached => Step::Worked,
        Step::Appointment => Step::Reached,
        Step::Held => Step::Appointment,
        Step::Won => Step::Held,
    }
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// Two rates as percentages, with a decimal when whole percents would look equal.
fn pcts(a: f64, b: f64) -> (String, String) {
    if pct(a) == pct(b) {
        (format!("{:.1} %", a * 100.0), format!("{:.1} %", b * 100.0))
    } else {
        (pct(a), pct(b))
    }
}

/// The leak in one sentence.
pub fn sentence(j: &Judged, lang: Lang) -> String {
    let Some(l) = j.leak else {
        return if j.steps.iter().any(|s| s.benchmark.is_some()) {
            lang.pick(
                "No step is below its target or the previous period.",
                "目標・前期を下回っているステップはありません。",
            )
            .to_string()
        } else {
            lang.pick("No conversions yet.", "まだ転換データがありません。")
                .to_string()
        };
    };
    let from = before(l.step).label(lang);
    let to = l.step.label(lang);
    match (l.benchmark, l.basis) {
        (Some(b), Some(Basis::Target)) => {
            let (r, b) = pcts(l.rate, b);
            match lang {
                Lang::En => {
                    format!("The funnel leaks most at {from} → {to}: {r} against a target of {b}.")
                }
                Lang::Ja => format!("最も漏れているのは {from} → {to}：{r}（目標 {b}）。"),
            }
        }
        (Some(b), _) => {
            let (r, b) = pcts(l.rate, b);
            match lang {
                Lang::En => format!(
                    "The funnel leaks most at {from} → {to}: {r}, down from {b} the previous period."
                ),
                Lang::Ja => format!("最も漏れているのは {from} → {to}：{r}（前期 {b}）。"),
            }
        }
        _ => match lang {
            Lang::En => format!(
                "The weakest step is {from} → {to}: {} (no target or previous period to compare).",
                pct(l.rate)
            ),
            Lang::Ja => format!(
                "最も低い転換は {from} → {to}：{}（比較する目標・前期なし）。",
                pct(l.rate)
            ),
        },
    }
}

/// The funnel of `span` against `previous`, with the breakdown of `by` (source, rep, tier).
pub fn compute(
    store: &Store,
    cfg: &Config,
    span: &Span,
    previous: &Span,
    now: DateTime<Utc>,
    by: Option<ReportBy>,
) -> store::Result<Funnel> {
    let cur = counts(store, span, now, None)?
        .remove("")
        .unwrap_or_default();
    let prev = counts(store, previous, now, None)?
        .remove("")
        .unwrap_or_default();
    let t = &cfg.funnel_targets;
    let by = match key_of(by) {
        Key::All => Vec::new(),
        _ => {
            let c = counts(store, span, now, by)?;
            let p = counts(store, previous, now, by)?;
            c.into_iter()
                .map(|(k, v)| {
                    let pv = p.get(&k).copied().unwrap_or_default();
                    let j = judge(&v, &pv, t);
                    (k, j)
                })
                .collect()
        }
    };
    let (lo, hi) = span.bounds();
    Ok(Funnel {
        total: judge(&cur, &prev, t),
        previous: prev,
        by,
        won_by_rank: store.judged_by_rank(&lo, &hi)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(worked: u64, reached: u64, appointment: u64, due: u64, held: u64) -> Counts {
        Counts {
            worked,
            reached,
            appointment,
            booked: appointment,
            due,
            held,
            decided: 0,
            won: 0,
        }
    }

    #[test]
    fn the_leak_is_the_step_furthest_below_its_benchmark() {
        // Previous: reach 50/100 = 50 %, appointment 10/50 = 20 %, held 8/10 = 80 %.
        let prev = c(100, 50, 10, 10, 8);
        // Now: reach 40/100 = 40 % (0.8 of 50 %), appointment 4/40 = 10 % (0.5 of 20 %),
        // held 3/4 = 75 % (0.94 of 80 %): appointment is the leak.
        let cur = c(100, 40, 4, 4, 3);
        let j = judge(&cur, &prev, &FunnelTargets::default());
        let l = j.leak.unwrap();
        assert_eq!(l.step, Step::Appointment);
        assert_eq!(l.basis, Some(Basis::Previous));
        assert!((l.rate - 0.10).abs() < 1e-9);
        assert!(sentence(&j, Lang::En).contains("Reached → Appointment: 10 %, down from 20 %"));
        // A reach target of 80 % makes reach 40/80 = 0.5 of it... tied with appointment's
        // 0.5; a 90 % target (0.44) makes reach the leak.
        let t = FunnelTargets {
            reach: Some(0.9),
            ..FunnelTargets::default()
        };
        let j = judge(&cur, &prev, &t);
        assert_eq!(j.leak.unwrap().step, Step::Reached);
        assert!(sentence(&j, Lang::Ja).contains("目標 90 %"));
    }

    #[test]
    fn nothing_below_means_no_leak_and_no_benchmark_means_the_lowest() {
        let cur = c(10, 5, 1, 1, 1);
        let j = judge(&cur, &cur, &FunnelTargets::default());
        assert_eq!(j.leak, None);
        // No previous period: reach 50 %, appointment 20 %, held 100 %: the lowest is 20 %.
        let j = judge(&cur, &Counts::default(), &FunnelTargets::default());
        assert_eq!(j.leak.unwrap().step, Step::Appointment);
        assert_eq!(j.leak.unwrap().benchmark, None);
    }
}
