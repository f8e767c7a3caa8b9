//! The report fast path equals a plain scan: random fixture data (results of every kind, undo,
//! meeting outcomes, tier edits, source changes and touches written behind kaden's back), then
//! every report — each period kind at several dates, with `--compare`, by every key — and the
//! dashboard computed from the aggregates and again from the activities and leads themselves
//! (`Store::set_plain_scan`). Reports are compared whole (`Report: PartialEq`), so every figure
//! is covered: counts, rates, the funnel and its leak, reasons, speed-to-lead.

use crate::engine::Fixture;
use crate::support::{config_in_zone, new_lead, now};
use crate::vals;
use chrono::{DateTime, Duration, Utc};
use kaden::cli::{Period, ReportBy};
use kaden::domain::{CallResult, Channel, MeetingClose, Tier};
use kaden::report::{self, Options};
use kaden::store::{FunnelKind, LeadEdit, NextChoice, ResultInput};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const REPS: [&str; 3] = ["me", "sato", "suzuki"];
const SOURCES: [&str; 3] = ["webinar", "ads", "referral"];

/// One result at `t`, with what its kind needs; `None` when the store refused it.
fn record(fx: &mut Fixture, rng: &mut StdRng, lead: i64, t: DateTime<Utc>) -> Option<i64> {
    let result = match rng.random_range(0..10) {
        0..=4 => CallResult::Unconnected,
        5 => CallResult::Recall,
        6 | 7 => CallResult::Appointment,
        8 => CallResult::Lost,
        _ => CallResult::OutOfScope,
    };
    let mut input = ResultInput::new(lead, result, REPS[rng.random_range(0..REPS.len())]);
    if rng.random_bool(0.2) {
        input.channel = Channel::Email;
    }
    match result {
        CallResult::Unconnected if rng.random_bool(0.5) => input.reason = Some("absent".into()),
        CallResult::Lost => {
            input.reason = Some(["timing", "no_budget"][rng.random_range(0..2)].into())
        }
        CallResult::OutOfScope => input.reason = Some("not_icp".into()),
        CallResult::Recall => {
            input.next = NextChoice::At {
                due: t + Duration::hours(3),
                channel: Channel::Call,
                owner: None,
                note: None,
            };
            input.off_hours_ok = true;
        }
        CallResult::Appointment => {
            input.meeting_at = Some(t + Duration::days(rng.random_range(1..10)));
        }
        _ => {}
    }
    let cfg = fx.cfg.clone();
    fx.store
        .record_result(&input, &cfg, t)
        .ok()
        .map(|r| r.activity_id)
}

/// About 40 leads over the last ten weeks and what happened to them.
fn random_history(fx: &mut Fixture, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut leads = Vec::new();
    for i in 0..40 {
        let created = now() - Duration::minutes(rng.random_range(1..60 * 24 * 70));
        let mut l = new_lead(&format!("Company {}", i % 12), created);
        l.source = SOURCES[rng.random_range(0..SOURCES.len())].into();
        l.owner = REPS[rng.random_range(0..REPS.len())].into();
        let id = fx.add(&l);
        leads.push((id, created));
    }
    for &(id, created) in &leads {
        let span = (now() - created).num_minutes().max(2);
        let mut times: Vec<i64> = (0..rng.random_range(0..7))
            .map(|_| rng.random_range(1..span))
            .collect();
        times.sort_unstable();
        for m in times {
            let t = created + Duration::minutes(m);
            let Some(activity) = record(fx, &mut rng, id, t) else {
                continue;
            };
            if rng.random_bool(0.12) {
                let cfg = fx.cfg.clone();
                fx.store.undo(activity, &cfg).unwrap();
            } else if rng.random_bool(0.25) {
                let close = [
                    MeetingClose::Held,
                    MeetingClose::NoShow,
                    MeetingClose::Won,
                    MeetingClose::Lost,
                ][rng.random_range(0..4)];
                let cfg = fx.cfg.clone();
                let _ = fx.store.close_meeting(
                    id,
                    close,
                    Some(500_000.0),
                    None,
                    "me",
                    &cfg,
                    t + Duration::hours(2),
                );
            }
        }
    }
    // A company's tier edited (all its leads move), a source changed behind kaden's back, and
    // touches written and removed by another program.
    for &(id, _) in leads.iter().step_by(9) {
        let lead = fx.store.lead(id).unwrap();
        let mut e = LeadEdit::from_lead(&lead);
        e.tier = Tier::new(rng.random_range(1..=3)).unwrap();
        let cfg = fx.cfg.clone();
        fx.store.update_lead(id, &e, &cfg, now()).unwrap();
    }
    for &(id, _) in leads.iter().skip(3).step_by(7) {
        fx.raw.execute(
            "UPDATE leads SET source = ?1 WHERE id = ?2",
            vals!["event", id],
        );
    }
    for &(id, created) in leads.iter().skip(1).step_by(5) {
        let t = created + Duration::minutes(rng.random_range(1..600));
        let when = t.to_rfc3339();
        fx.touch(id, &when, "call", Some("recall"), "tanaka");
    }
    fx.raw.execute(
        "DELETE FROM activities WHERE id = (SELECT min(a.id) FROM activities a
         WHERE a.kind = 'touch' AND a.result = 'unconnected'
           AND NOT EXISTS (SELECT 1 FROM appointments p WHERE p.activity_id = a.id))",
        vals![],
    );
}

/// Every report kind, date, comparison and key, and the dashboard: fast path == plain scan.
fn assert_fast_equals_scan(fx: &Fixture) {
    let zone = fx.cfg.time_zone;
    let today = now().with_timezone(&zone).date_naive();
    let mut compared = 0;
    for period in [Period::Day, Period::Week, Period::Month] {
        for back in [0, 1, 6, 13, 31, 45] {
            let at = today - Duration::days(back);
            for by in [
                None,
                Some(ReportBy::Source),
                Some(ReportBy::Rep),
                Some(ReportBy::Tier),
                Some(ReportBy::Result),
                Some(ReportBy::Reason),
            ] {
                let o = Options {
                    period,
                    at,
                    compare: true,
                    by,
                };
                let fast = report::build(&fx.store, &fx.cfg, now(), &o).unwrap();
                fx.store.set_plain_scan(true);
                let scan = report::build(&fx.store, &fx.cfg, now(), &o).unwrap();
                fx.store.set_plain_scan(false);
                assert_eq!(fast, scan, "{period:?} at {at} by {by:?} in {zone}");
                compared += 1;
            }
        }
    }
    let fast = report::dashboard(&fx.store, &fx.cfg, now()).unwrap();
    fx.store.set_plain_scan(true);
    let scan = report::dashboard(&fx.store, &fx.cfg, now()).unwrap();
    fx.store.set_plain_scan(false);
    assert_eq!(fast, scan, "the dashboard in {zone}");
    assert_eq!(compared, 108);
}

fn funnel_counts_ready(fx: &Fixture) -> bool {
    let d = now().with_timezone(&fx.cfg.time_zone).date_naive();
    fx.store
        .funnel_counts(
            fx.cfg.time_zone,
            FunnelKind::Month,
            d,
            d + Duration::days(1),
        )
        .unwrap()
        .is_some()
}

fn check_in(mut fx: Fixture, zone: &str, seed: u64) {
    fx.cfg = config_in_zone(zone);
    // Counts kept from the start: every write below folds its change in.
    fx.store.prepare_reports(fx.cfg.time_zone).unwrap();
    random_history(&mut fx, seed);
    let touches = fx
        .raw
        .rows("SELECT count(*) FROM activities WHERE kind = 'touch'", &[]);
    assert!(touches[0][0].int() > 60, "too few touches: {touches:?}");
    // Another program wrote: until that is folded in, the funnel counts from the activities.
    assert!(!funnel_counts_ready(&fx));
    assert_fast_equals_scan(&fx);
    fx.store.prepare_reports(fx.cfg.time_zone).unwrap();
    assert!(funnel_counts_ready(&fx));
    assert_fast_equals_scan(&fx);
    // More of kaden's own writes keep the counts ready and exact.
    let mut rng = StdRng::seed_from_u64(seed + 1);
    for id in 1..=10 {
        let recorded = record(&mut fx, &mut rng, id, now() - Duration::hours(id));
        if let Some(a) = recorded.filter(|_| id % 3 == 0) {
            let cfg = fx.cfg.clone();
            fx.store.undo(a, &cfg).unwrap();
        }
    }
    assert!(funnel_counts_ready(&fx));
    assert_fast_equals_scan(&fx);
}

pub fn reports_from_the_aggregates_equal_a_plain_scan_in_tokyo(fx: Fixture) {
    check_in(fx, "Asia/Tokyo", 7);
}

/// +05:30: the ends of each day are minutes counted from the rows.
pub fn reports_from_the_aggregates_equal_a_plain_scan_in_kolkata(fx: Fixture) {
    check_in(fx, "Asia/Kolkata", 11);
}

/// Summer time: weeks and months whose days are 23 or 25 hours long.
pub fn reports_from_the_aggregates_equal_a_plain_scan_in_new_york(fx: Fixture) {
    check_in(fx, "America/New_York", 13);
}

/// A zone whose counts are built on a database that already has history.
pub fn counts_built_late_equal_a_plain_scan(mut fx: Fixture) {
    random_history(&mut fx, 17);
    fx.store.prepare_reports(fx.cfg.time_zone).unwrap();
    assert!(funnel_counts_ready(&fx));
    assert_fast_equals_scan(&fx);
}

/// The load balance (`report --by rep`, the manager's view) from `open_counts` (SQLite) equals
/// one index range per count, at many "now"s: each moves the age and stale bounds to another
/// day and another time of day, so the summed days and the bound's own day are both exercised.
/// Leads reassigned, deleted and given a next action by another program are folded in too.
pub fn the_load_balance_from_counts_equals_index_ranges(mut fx: Fixture) {
    random_history(&mut fx, 23);
    // New leads of the last two days (the youngest age bucket), one a minute inside its edge.
    for (i, minutes) in [50, 60 * 30, 60 * 48 - 1].into_iter().enumerate() {
        let mut l = new_lead(&format!("Fresh {i}"), now() - Duration::minutes(minutes));
        l.owner = REPS[i].into();
        fx.add(&l);
    }
    // Behind kaden's back: a lead handed to another owner, one moved to another day, one gone.
    fx.raw.execute(
        "UPDATE leads SET owner = 'tanaka' WHERE id IN (2, 5, 9)",
        vals![],
    );
    fx.raw.execute(
        "UPDATE leads SET next_at = ?1, next_channel = 'call' WHERE id = 7",
        vals![kaden::store::ts(now() - Duration::days(20))],
    );
    fx.raw.execute(
        "UPDATE leads SET created_at = ?1 WHERE id = 11",
        vals![kaden::store::ts(
            now() - Duration::days(9) - Duration::minutes(17)
        )],
    );
    for table in ["appointments", "activities"] {
        fx.raw
            .execute(&format!("DELETE FROM {table} WHERE lead_id = 13"), vals![]);
    }
    fx.raw.execute("DELETE FROM leads WHERE id = 13", vals![]);
    let mut nonempty = 0;
    for hours in (0..24 * 40).step_by(7) {
        let at = now() - Duration::hours(hours) + Duration::minutes(hours % 60);
        for stale_days in [0, 3, 14] {
            let stale = at - Duration::days(stale_days);
            let fast = fx.store.open_load(at, stale).unwrap();
            fx.store.set_plain_scan(true);
            let scan = fx.store.open_load(at, stale).unwrap();
            fx.store.set_plain_scan(false);
            assert_eq!(fast, scan, "at {at}, stale before {stale}");
            if fast
                .0
                .iter()
                .any(|l| l.by_age.iter().sum::<u64>() > 0 && l.stale > 0)
            {
                nonempty += 1;
            }
        }
    }
    // The comparison saw stale leads and every age bucket filled somewhere.
    assert!(nonempty > 100, "only {nonempty} balances with stale leads");
    let (loads, _) = fx.store.open_load(now(), now()).unwrap();
    for bucket in 0..4 {
        assert!(
            loads.iter().any(|l| l.by_age[bucket] > 0),
            "age bucket {bucket} empty: {loads:?}"
        );
    }
    assert!(loads.iter().any(|l| l.owner == "tanaka"), "{loads:?}");
}
