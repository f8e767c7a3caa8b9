//! Calling hours and business days, in the lead's own time zone.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use std::collections::BTreeSet;

/// Which days are business days, per zone.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessCalendar {
    /// Working weekdays (default Mon–Fri).
    pub workdays: Vec<Weekday>,
    /// Public holidays (dates in the zone's local calendar).
    pub holidays: BTreeSet<NaiveDate>,
    /// Zones the holidays apply to; `None` means every zone.
    pub holiday_zones: Option<Vec<Tz>>,
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        BusinessCalendar {
            workdays: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            holidays: BTreeSet::new(),
            holiday_zones: Some(vec![chrono_tz::Asia::Tokyo]),
        }
    }
}

impl BusinessCalendar {
    /// Whether `date` (local to `zone`) is a business day there.
    pub fn is_business_day(&self, zone: Tz, date: NaiveDate) -> bool {
        if !self.workdays.contains(&date.weekday()) {
            return false;
        }
        let applies = match &self.holiday_zones {
            None => true,
            Some(zs) => zs.contains(&zone),
        };
        !(applies && self.holidays.contains(&date))
    }

    /// The first business day strictly after `date`.
    pub fn next_business_day(&self, zone: Tz, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        for _ in 0..370 {
            d = d.succ_opt().unwrap_or(d);
            if self.is_business_day(zone, d) {
                return d;
            }
        }
        d
    }

    /// `n` business days after `date`.
    pub fn add_business_days(&self, zone: Tz, date: NaiveDate, n: u32) -> NaiveDate {
        (0..n).fold(date, |d, _| self.next_business_day(zone, d))
    }

    /// Business days in `[start, end)` (local dates).
    pub fn business_days_between(&self, zone: Tz, start: NaiveDate, end: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = start;
        while d < end {
            if self.is_business_day(zone, d) {
                n += 1;
            }
            match d.succ_opt() {
                Some(x) => d = x,
                None => break,
            }
        }
        n
    }
}

/// A local wall-clock time in `zone` as an instant. A time that does not exist (the DST gap)
/// moves forward by an hour; an ambiguous one takes the earlier instant.
pub fn local_to_utc(zone: Tz, naive: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&naive).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => zone
            .from_local_datetime(&(naive + Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&naive)),
    }
}

/// The daily calling window plus the business calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct CallingHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub calendar: BusinessCalendar,
}

impl Default for CallingHours {
    fn default() -> Self {
        CallingHours {
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
            calendar: BusinessCalendar::default(),
        }
    }
}

impl CallingHours {
    /// Whether a lead in `zone` may be called at `at`.
    pub fn is_open(&self, zone: Tz, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&zone);
        let t = local.time();
        self.calendar.is_business_day(zone, local.date_naive()) && t >= self.start && t < self.end
    }

    /// The first instant at or after `from` when a lead in `zone` may be called.
    pub fn next_open(&self, zone: Tz, from: DateTime<Utc>) -> DateTime<Utc> {
        if self.is_open(zone, from) {
            return from;
        }
        let local = from.with_timezone(&zone);
        let mut date = local.date_naive();
        if !(self.calendar.is_business_day(zone, date) && local.time() < self.start) {
            date = self.calendar.next_business_day(zone, date);
        }
        local_to_utc(zone, date.and_time(self.start))
    }

    /// The next business day after `from` (in `zone`) at local time `at`.
    pub fn next_business_morning(
        &self,
        zone: Tz,
        from: DateTime<Utc>,
        at: NaiveTime,
    ) -> DateTime<Utc> {
        let date = self
            .calendar
            .next_business_day(zone, from.with_timezone(&zone).date_naive());
        local_to_utc(zone, date.and_time(at))
    }

    /// `n` business days after `from`, same local time of day.
    pub fn add_business_days(&self, zone: Tz, from: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        let local = from.with_timezone(&zone);
        let date = self.calendar.add_business_days(zone, local.date_naive(), n);
        local_to_utc(zone, date.and_time(local.time()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;
    use chrono_tz::Asia::Tokyo;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .expect("time")
    }

    fn hours_with_holiday(d: &str) -> CallingHours {
        let mut h = CallingHours::default();
        h.calendar.holidays.insert(d.parse().expect("date"));
        h
    }

    #[test]
    fn tokyo_window() {
        let h = CallingHours::default();
        // Tue 2026-11-24 10:00 JST
        assert!(h.is_open(Tokyo, utc("2026-11-24T10:00:00+09:00")));
        assert!(h.is_open(Tokyo, utc("2026-11-24T09:00:00+09:00")));
        assert!(!h.is_open(Tokyo, utc("2026-11-24T08:59:59+09:00")));
        assert!(!h.is_open(Tokyo, utc("2026-11-24T18:00:00+09:00")));
        // Saturday
        assert!(!h.is_open(Tokyo, utc("2026-11-28T10:00:00+09:00")));
    }

    #[test]
    fn same_instant_differs_by_zone() {
        let h = CallingHours::default();
        let t = utc("2026-11-24T10:00:00+09:00"); // 20:00 in New York the day before
        assert!(h.is_open(Tokyo, t));
        assert!(!h.is_open(New_York, t));
        assert_eq!(h.next_open(New_York, t), utc("2026-11-24T09:00:00-05:00"));
    }

    #[test]
    fn holiday_closes_tokyo_but_not_new_york() {
        // 2026-11-23 (Mon) is Labour Thanksgiving Day in Japan.
        let h = hours_with_holiday("2026-11-23");
        assert!(!h.is_open(Tokyo, utc("2026-11-23T10:00:00+09:00")));
        assert!(h.is_open(New_York, utc("2026-11-23T10:00:00-05:00")));
        assert_eq!(
            h.next_open(Tokyo, utc("2026-11-23T10:00:00+09:00")),
            utc("2026-11-24T09:00:00+09:00")
        );
    }

    #[test]
    fn dst_in_new_york() {
        let h = CallingHours::default();
        // 2026-03-08 DST starts in the US; Monday 9:00 is EDT (-04:00).
        let from = utc("2026-03-07T12:00:00-05:00"); // Saturday
        assert_eq!(
            h.next_open(New_York, from),
            utc("2026-03-09T09:00:00-04:00")
        );
        assert!(h.is_open(New_York, utc("2026-03-09T09:30:00-04:00")));
        assert!(!h.is_open(New_York, utc("2026-03-09T08:30:00-04:00")));
        // November: back to EST.
        assert!(h.is_open(New_York, utc("2026-11-02T09:30:00-05:00")));
    }

    #[test]
    fn next_open_before_and_after_window() {
        let h = CallingHours::default();
        assert_eq!(
            h.next_open(Tokyo, utc("2026-11-24T07:00:00+09:00")),
            utc("2026-11-24T09:00:00+09:00")
        );
        // Friday evening → Monday morning
        assert_eq!(
            h.next_open(Tokyo, utc("2026-11-27T19:00:00+09:00")),
            utc("2026-11-30T09:00:00+09:00")
        );
    }

    #[test]
    fn business_morning_skips_weekend_and_holiday() {
        let h = hours_with_holiday("2026-11-23");
        let ten = NaiveTime::from_hms_opt(10, 0, 0).expect("t");
        // Friday → Tuesday (Monday is a holiday)
        assert_eq!(
            h.next_business_morning(Tokyo, utc("2026-11-20T15:00:00+09:00"), ten),
            utc("2026-11-24T10:00:00+09:00")
        );
        assert_eq!(
            h.add_business_days(Tokyo, utc("2026-11-20T15:00:00+09:00"), 2),
            utc("2026-11-25T15:00:00+09:00")
        );
    }

    #[test]
    fn counts_business_days() {
        let h = hours_with_holiday("2026-11-23");
        let d = |s: &str| s.parse::<NaiveDate>().expect("d");
        assert_eq!(
            h.calendar
                .business_days_between(Tokyo, d("2026-11-23"), d("2026-11-30")),
            4
        );
        assert_eq!(
            h.calendar
                .business_days_between(New_York, d("2026-11-23"), d("2026-11-30")),
            5
        );
    }
}
