//! Fair comparisons: a period still running is compared with the same number of business days
//! at the start of the previous period (today counted as a whole day), not with all of it. A
//! Tuesday of a five-day week compares with the previous Monday and Tuesday, not the whole
//! previous week. A period that is over (or not begun), and a day, compare with the whole
//! previous one.

use super::period::Span;
use crate::cli::Period;
use crate::config::Config;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// What the previous period was cut to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    /// The whole previous period.
    Whole,
    /// The first `days` of the previous period's `of` business days, like the `days` elapsed
    /// in the current one.
    SameBusinessDays { days: u32, of: u32 },
}

/// The previous period of `span` to compare with at `now`, and how it was cut.
pub fn previous(span: &Span, cfg: &Config, now: DateTime<Utc>) -> (Span, Basis) {
    let prev = span.previous();
    if span.kind == Period::Day || !span.contains(now) {
        return (prev, Basis::Whole);
    }
    let cal = &cfg.hours.calendar;
    let zone = span.zone;
    let today = now.with_timezone(&zone).date_naive();
    let elapsed = cal.business_days_between(zone, span.start, today + Duration::days(1));
    let total = cal.business_days_between(zone, span.start, span.end);
    let of = cal.business_days_between(zone, prev.start, prev.end);
    if elapsed == 0 || elapsed >= total || elapsed >= of {
        return (prev, Basis::Whole);
    }
    // The day after the previous period's `elapsed`-th business day.
    let mut seen = 0;
    let mut d = prev.start;
    while d < prev.end {
        if cal.is_business_day(zone, d) {
            seen += 1;
        }
        d += Duration::days(1);
        if seen == elapsed {
            break;
        }
    }
    let cut = Span {
        kind: prev.kind,
        zone,
        start: prev.start,
        end: d,
    };
    (cut, Basis::SameBusinessDays { days: elapsed, of })
}

/// How the comparison was made, in words.
pub fn describe(b: Basis, lang: crate::i18n::Lang) -> String {
    use crate::i18n::Lang;
    match (b, lang) {
        (Basis::Whole, Lang::En) => "the whole previous period".into(),
        (Basis::Whole, Lang::Ja) => "前期間全体".into(),
        (Basis::SameBusinessDays { days: 1, of }, Lang::En) => format!(
            "its first business day of {of}, as 1 has passed in this one, today counted whole"
        ),
        (Basis::SameBusinessDays { days, of }, Lang::En) => format!(
            "its first {days} of {of} business days, as {days} have passed in this one, today counted whole"
        ),
        (Basis::SameBusinessDays { days, of }, Lang::Ja) => {
            format!(
                "前期間の最初の{days}営業日（全{of}営業日中）、今期の経過{days}営業日と同じ長さ・今日は1日として計算"
            )
        }
    }
}
