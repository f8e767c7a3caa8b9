//! The pace of a period against its targets: business days elapsed of the period's business
//! days, holidays counted out (pure: no database; achievement on stored data is in the store
//! contract, `contract/report.rs`).
#![allow(clippy::unwrap_used)]

mod support;

use kaden::cli::Period;
use kaden::config::Config;
use kaden::report::{Span, targets};
use support::at;

fn cfg() -> Config {
    support::config_with("[targets.week]\nappointments = 4\ncalls = 40\n")
}

fn span(kind: Period, d: &str) -> Span {
    Span::containing(kind, d.parse().unwrap(), chrono_tz::Asia::Tokyo)
}

#[test]
fn pace_in_the_holiday_week_of_2026_11_23() {
    let c = cfg();
    let w = span(Period::Week, "2026-11-23");
    let p = targets::pace(&w, &c, at("2026-11-24T10:00:00+09:00"));
    assert_eq!(
        (p.elapsed, p.total),
        (1, 4),
        "Monday is Labour Thanksgiving Day"
    );
    let p = targets::pace(&w, &c, at("2026-11-23T10:00:00+09:00"));
    assert_eq!((p.elapsed, p.share), (0, Some(0.0)));
    let p = targets::pace(&w, &c, at("2026-11-28T10:00:00+09:00"));
    assert_eq!((p.elapsed, p.share), (4, Some(1.0)));
    let p = targets::pace(&w, &c, at("2026-12-10T10:00:00+09:00"));
    assert_eq!(p.elapsed, 4);
}

#[test]
fn month_pace_counts_business_days() {
    let c = cfg();
    let m = span(Period::Month, "2026-11-10");
    let p = targets::pace(&m, &c, at("2026-11-10T10:00:00+09:00"));
    // November 2026: 21 weekdays, minus 11-03 and 11-23 holidays = 19; elapsed 11-02..11-10 minus 11-03 = 6.
    assert_eq!((p.elapsed, p.total), (6, 19));
}
