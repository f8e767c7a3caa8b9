//! Report periods: a day, a Monday–Sunday week or a calendar month in the rep's zone, with the
//! UTC bounds the store's text times are compared against.

use crate::cli::Period;
use crate::domain::hours::local_to_utc;
use crate::domain::timeparse::parse_when;
use crate::store::ts;
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use chrono_tz::Tz;

/// One period: local dates `[start, end)` in `zone`, and the matching UTC instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub kind: Period,
    pub zone: Tz,
    /// First local day.
    pub start: NaiveDate,
    /// The day after the last local day (exclusive).
    pub end: NaiveDate,
}

impl Span {
    /// The period of `kind` containing the local date `date`.
    pub fn containing(kind: Period, date: NaiveDate, zone: Tz) -> Span {
        let (start, end) = match kind {
            Period::Day => (date, date + Duration::days(1)),
            Period::Week => {
                let s = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
                (s, s + Duration::days(7))
            }
            Period::Month => {
                let s = date.with_day(1).unwrap_or(date);
                (s, s.checked_add_months(Months::new(1)).unwrap_or(s))
            }
        };
        Span {
            kind,
            zone,
            start,
            end,
        }
    }

    /// The period of `kind` containing the instant `at` (in `zone`).
    pub fn at(kind: Period, at: DateTime<Utc>, zone: Tz) -> Span {
        Span::containing(kind, at.with_timezone(&zone).date_naive(), zone)
    }

    /// A span of arbitrary local days `[start, end)`, e.g. one day of a chart.
    pub fn days(start: NaiveDate, end: NaiveDate, zone: Tz) -> Span {
        Span {
            kind: Period::Day,
            zone,
            start,
            end,
        }
    }

    /// The previous period of the same kind (the day, week or calendar month before).
    pub fn previous(&self) -> Span {
        let before = self.start - Duration::days(1);
        match self.kind {
            Period::Day if self.end - self.start > Duration::days(1) => {
                let len = self.end - self.start;
                Span::days(self.start - len, self.start, self.zone)
            }
            k => Span::containing(k, before, self.zone),
        }
    }

    /// The last local day of the period (inclusive).
    pub fn last_day(&self) -> NaiveDate {
        self.end - Duration::days(1)
    }

    pub fn start_utc(&self) -> DateTime<Utc> {
        local_to_utc(self.zone, self.start.and_time(chrono::NaiveTime::MIN))
    }

    pub fn end_utc(&self) -> DateTime<Utc> {
        local_to_utc(self.zone, self.end.and_time(chrono::NaiveTime::MIN))
    }

    /// The stored-text bounds `[lo, hi)` for SQL.
    pub fn bounds(&self) -> (String, String) {
        (ts(self.start_utc()), ts(self.end_utc()))
    }

    /// Whether the instant falls in the period.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        t >= self.start_utc() && t < self.end_utc()
    }
}

/// The local date `--at` names: `YYYY-MM-DD`, or any time input (`tomorrow`, `mon 10:00`…).
pub fn parse_at(input: &str, now: DateTime<Utc>, zone: Tz) -> anyhow::Result<NaiveDate> {
    let s = input.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d);
    }
    parse_when(s, now, zone)
        .map(|t| t.with_timezone(&zone).date_naive())
        .map_err(|e| anyhow::anyhow!("--at '{s}': {e} (use a date like 2026-11-24)"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn week_is_monday_to_sunday() {
        let z = chrono_tz::Asia::Tokyo;
        let s = Span::containing(Period::Week, d("2026-11-29"), z);
        assert_eq!((s.start, s.end), (d("2026-11-23"), d("2026-11-30")));
        assert_eq!(s.bounds().0, "2026-11-22T15:00:00Z");
        let p = s.previous();
        assert_eq!((p.start, p.end), (d("2026-11-16"), d("2026-11-23")));
    }

    #[test]
    fn month_and_previous_month() {
        let z = chrono_tz::UTC;
        let s = Span::containing(Period::Month, d("2026-03-31"), z);
        assert_eq!((s.start, s.end), (d("2026-03-01"), d("2026-04-01")));
        let p = s.previous();
        assert_eq!((p.start, p.end), (d("2026-02-01"), d("2026-03-01")));
    }
}
