//! Speed-to-lead from the histogram of first-touch delays (migration 011) equals a plain scan:
//! hundreds of new leads with delays at every bucket edge (one-second buckets below 16 s, then
//! eight per doubling), at the SLA and around it, untouched leads inside and past their SLA
//! window, first touches written, moved and removed behind kaden's back, owners and sources
//! changed, and two raw sources that read the same once cleaned; every period kind at several
//! dates, in a whole-hour zone and a half-hour one, for several SLAs.

use crate::engine::Fixture;
use crate::support::{config_in_zone, new_lead, now};
use crate::vals;
use chrono::{Duration, Utc};
use kaden::cli::Period;
use kaden::report::{Span, speed};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const REPS: [&str; 3] = ["me", "sato", "suzuki"];
const SOURCES: [&str; 3] = ["webinar", "ads", "referral"];

fn delay(rng: &mut StdRng) -> i64 {
    const EDGES: [i64; 22] = [
        0, 1, 2, 15, 16, 17, 18, 31, 32, 59, 60, 61, 239, 240, 299, 300, 301, 319, 320, 3599, 3600,
        86_400,
    ];
    match rng.random_range(0..4) {
        0 => EDGES[rng.random_range(0..EDGES.len())],
        1 => (1_i64 << rng.random_range(4..22)) - rng.random_range(0..2),
        2 => rng.random_range(0..600),
        _ => rng.random_range(0..30 * 86_400),
    }
}

fn history(fx: &mut Fixture, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut leads = Vec::new();
    for i in 0..300 {
        let created = now() - Duration::seconds(rng.random_range(1..45 * 86_400));
        leads.push((i, created));
    }
    // Around the end of the SLA window (5 min): judged or not yet.
    for (i, s) in [(300, 299), (301, 300), (302, 301), (303, 302), (304, 10)] {
        leads.push((i, now() - Duration::seconds(s)));
    }
    let mut ids = Vec::new();
    for &(i, created) in &leads {
        let mut l = new_lead(&format!("Company {}", i % 17), created);
        l.source = SOURCES[rng.random_range(0..SOURCES.len())].into();
        l.owner = REPS[rng.random_range(0..REPS.len())].into();
        let id = fx.add(&l);
        ids.push((id, created));
        if i >= 300 || rng.random_bool(0.2) {
            continue;
        }
        let first = created + Duration::seconds(delay(&mut rng));
        let rep = REPS[rng.random_range(0..REPS.len())];
        fx.touch(id, &first.to_rfc3339(), "call", Some("unconnected"), rep);
        if rng.random_bool(0.3) {
            let later = first + Duration::seconds(rng.random_range(0..3 * 86_400));
            fx.touch(id, &later.to_rfc3339(), "call", Some("recall"), "tanaka");
        }
    }
    // Behind kaden's back: first touches removed (the next one becomes first), moved earlier,
    // written before the lead was created; owners and sources changed.
    fx.raw.execute(
        "DELETE FROM activities WHERE id IN (SELECT min(id) FROM activities
         WHERE kind = 'touch' GROUP BY lead_id HAVING count(*) > 1) AND lead_id % 3 = 0",
        vals![],
    );
    for &(id, created) in ids.iter().step_by(11) {
        let t = (created - Duration::seconds(40)).with_timezone(&Utc);
        fx.touch(id, &t.to_rfc3339(), "email", None, "sato");
    }
    for &(id, _) in ids.iter().skip(2).step_by(13) {
        fx.raw.execute(
            "UPDATE leads SET owner = ?1 WHERE id = ?2",
            vals!["suzuki", id],
        );
    }
    for &(id, _) in ids.iter().skip(5).step_by(9) {
        // "ads\u{7}" reads "ads" once cleaned: one key in the report, two in the store.
        fx.raw.execute(
            "UPDATE leads SET source = ?1 WHERE id = ?2",
            vals!["ads\u{7}", id],
        );
    }
}

fn check(mut fx: Fixture, zone: &str, seed: u64) {
    fx.cfg = config_in_zone(zone);
    history(&mut fx, seed);
    let tz = fx.cfg.time_zone;
    let mut from_histogram = 0;
    for period in [Period::Day, Period::Week, Period::Month] {
        for back in [0, 1, 3, 9, 20, 33] {
            let span = Span::at(period, now() - Duration::days(back), tz);
            let (lo, hi) = span.bounds();
            if !fx.store.speed_counts(&lo, &hi).unwrap().cells.is_empty() {
                from_histogram += 1;
            }
            for sla in [5, 0, 1, 60] {
                let fast = speed::compute(&fx.store, &span, sla, now()).unwrap();
                fx.store.set_plain_scan(true);
                let scan = speed::compute(&fx.store, &span, sla, now()).unwrap();
                fx.store.set_plain_scan(false);
                assert_eq!(
                    fast, scan,
                    "{period:?} {back} days back, SLA {sla} min, {zone}"
                );
            }
        }
    }
    assert!(from_histogram >= 12, "{from_histogram}");
    let month = Span::at(Period::Month, now(), tz);
    let s = speed::compute(&fx.store, &month, 5, now()).unwrap();
    assert!(
        s.total.touched > 60 && s.total.judged < s.total.leads,
        "{s:?}"
    );
    assert!(s.by_source.iter().all(|r| r.key != "ads\u{7}"), "{s:?}");
}

pub fn speed_to_lead_from_the_histogram_equals_a_plain_scan_in_tokyo(fx: Fixture) {
    check(fx, "Asia/Tokyo", 3);
}

/// +05:30: the minutes at each end of a day are read from the rows and merged in.
pub fn speed_to_lead_from_the_histogram_equals_a_plain_scan_in_kolkata(fx: Fixture) {
    check(fx, "Asia/Kolkata", 5);
}
