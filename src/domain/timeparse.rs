//! Time input as a rep types it (SPEC §2): `30m 2h 3d 2w 3mo`, `14:00`, `tomorrow 10:00`,
//! `mon 14:00`, `2026-12-01 15:30`, `明日 10:00`, read in the rep's local zone.

use super::hours::local_to_utc;
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use unicode_normalization::UnicodeNormalization;

/// Why a time could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error(
        "cannot read '{0}' as a time (try 30m, 2h, 3d, 14:00, tomorrow 10:00, mon 14:00, 2026-12-01 15:30)"
    )]
    Unreadable(String),
    #[error("'{0}' is in the past")]
    Past(String),
    #[error("time is required")]
    Empty,
    #[error("'{0}' is in the future (give a past date: 3d, yesterday, 2026-11-01)")]
    Future(String),
}

/// The time used when a day is given without one ("tomorrow").
pub const DEFAULT_TIME: (u32, u32) = (10, 0);

/// Read `input` relative to `now`, in `zone`. Times of day that have passed today mean tomorrow.
/// Anything outside the years 1000–9999 is refused as unreadable.
pub fn parse_when(input: &str, now: DateTime<Utc>, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
    let t = parse_any(input, now, zone)?;
    if (1000..=9999).contains(&t.year()) {
        Ok(t)
    } else {
        Err(TimeError::Unreadable(input.trim().to_string()))
    }
}

fn parse_any(input: &str, now: DateTime<Utc>, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
    let norm: String = input.nfkc().collect::<String>().trim().to_lowercase();
    let norm = norm.trim_start_matches("in ").trim().to_string();
    if norm.is_empty() {
        return Err(TimeError::Empty);
    }
    let bad = || TimeError::Unreadable(input.trim().to_string());
    if norm == "now" || norm == "今" || norm == "いま" {
        return Ok(now);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&norm.to_uppercase()) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Some(d) = parse_relative(&norm) {
        return d(now).ok_or_else(bad);
    }
    let local_now = now.with_timezone(&zone);
    let today = local_now.date_naive();

    // Split into a day part and a time part.
    let (day_part, time_part) = split_day_time(&norm);
    let time = match time_part {
        Some(t) => Some(parse_clock(t).ok_or_else(bad)?),
        None => None,
    };
    let default_time =
        NaiveTime::from_hms_opt(DEFAULT_TIME.0, DEFAULT_TIME.1, 0).ok_or_else(bad)?;

    let Some(day) = day_part else {
        // Time of day only: today, or tomorrow if it has passed.
        let t = time.ok_or_else(bad)?;
        let at = local_to_utc(zone, today.and_time(t));
        return Ok(if at <= now {
            local_to_utc(zone, (today + Duration::days(1)).and_time(t))
        } else {
            at
        });
    };
    let t = time.unwrap_or(default_time);
    if let Some(offset) = day_offset(day) {
        return Ok(local_to_utc(
            zone,
            (today + Duration::days(offset)).and_time(t),
        ));
    }
    if let Some(wd) = weekday(day) {
        for i in 0..8 {
            let d = today + Duration::days(i);
            if d.weekday() == wd {
                let at = local_to_utc(zone, d.and_time(t));
                if at > now {
                    return Ok(at);
                }
            }
        }
        return Err(bad());
    }
    if let Some(d) = parse_date(day, today) {
        return Ok(local_to_utc(zone, d.and_time(t)));
    }
    Err(bad())
}

/// Like [`parse_when`], but a time before `now` is an error.
pub fn parse_future(input: &str, now: DateTime<Utc>, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
    let t = parse_when(input, now, zone)?;
    if t < now - Duration::minutes(1) {
        return Err(TimeError::Past(input.trim().to_string()));
    }
    Ok(t)
}

/// A starting point in the past (`export --since`): `3d`, `2w`, `12h`, `3mo` count back from
/// `now`; `today`, `yesterday` (今日, 昨日) and a date (`2026-11-01`) mean the start of that
/// day in `zone`; any other time input must not be in the future.
pub fn parse_since(input: &str, now: DateTime<Utc>, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
    let norm: String = input.nfkc().collect::<String>().trim().to_lowercase();
    let bad = || TimeError::Unreadable(input.trim().to_string());
    if norm.is_empty() {
        return Err(TimeError::Empty);
    }
    let today = now.with_timezone(&zone).date_naive();
    let midnight = |d: NaiveDate| -> Result<DateTime<Utc>, TimeError> {
        Ok(local_to_utc(zone, d.and_hms_opt(0, 0, 0).ok_or_else(bad)?))
    };
    let back = norm
        .strip_suffix(" ago")
        .or_else(|| norm.strip_prefix('-'))
        .unwrap_or(&norm)
        .trim();
    let t = if let Some(shift) = parse_relative_back(back) {
        shift(now).ok_or_else(bad)?
    } else if let Some(d) = match norm.as_str() {
        "today" | "今日" | "きょう" | "本日" => Some(today),
        "yesterday" | "昨日" | "きのう" => today.pred_opt(),
        _ => None,
    } {
        midnight(d)?
    } else if let Some(d) = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(&norm, f).ok())
    {
        midnight(d)?
    } else {
        parse_when(input, now, zone)?
    };
    if !(1000..=9999).contains(&t.year()) {
        return Err(bad());
    }
    if t > now {
        return Err(TimeError::Future(input.trim().to_string()));
    }
    Ok(t)
}

/// `3d` as "three days before".
fn parse_relative_back(s: &str) -> Option<Shift> {
    let s = s.trim();
    if s.starts_with('+') {
        return None;
    }
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let n: i64 = s[..split].parse().ok()?;
    let unit = s[split..].trim();
    Some(match unit {
        "m" | "min" | "mins" | "minute" | "minutes" | "分" | "分前" => {
            Box::new(move |t| t.checked_sub_signed(Duration::try_minutes(n)?))
        }
        "h" | "hr" | "hrs" | "hour" | "hours" | "時間" | "時間前" => {
            Box::new(move |t| t.checked_sub_signed(Duration::try_hours(n)?))
        }
        "d" | "day" | "days" | "日" | "日前" => {
            Box::new(move |t| t.checked_sub_signed(Duration::try_days(n)?))
        }
        "w" | "wk" | "week" | "weeks" | "週" | "週間" | "週間前" => {
            Box::new(move |t| t.checked_sub_signed(Duration::try_weeks(n)?))
        }
        "mo" | "month" | "months" | "ヶ月" | "か月" | "カ月" | "ヶ月前" | "か月前" | "カ月前" =>
        {
            let m = u32::try_from(n).ok()?;
            Box::new(move |t| t.checked_sub_months(Months::new(m)))
        }
        _ => return None,
    })
}

type Shift = Box<dyn Fn(DateTime<Utc>) -> Option<DateTime<Utc>>>;

fn parse_relative(s: &str) -> Option<Shift> {
    let s = s.trim_start_matches('+').trim();
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    if split == 0 {
        return None;
    }
    let n: i64 = s[..split].parse().ok()?;
    let unit = s[split..].trim();
    let f: Shift = match unit {
        "m" | "min" | "mins" | "minute" | "minutes" | "分" | "分後" => {
            Box::new(move |t| t.checked_add_signed(Duration::try_minutes(n)?))
        }
        "h" | "hr" | "hrs" | "hour" | "hours" | "時間" | "時間後" => {
            Box::new(move |t| t.checked_add_signed(Duration::try_hours(n)?))
        }
        "d" | "day" | "days" | "日" | "日後" => {
            Box::new(move |t| t.checked_add_signed(Duration::try_days(n)?))
        }
        "w" | "wk" | "week" | "weeks" | "週" | "週間" | "週間後" => {
            Box::new(move |t| t.checked_add_signed(Duration::try_weeks(n)?))
        }
        "mo" | "mon" | "month" | "months" | "ヶ月" | "か月" | "カ月" | "ヶ月後" | "か月後"
        | "カ月後" => {
            let m = u32::try_from(n).ok()?;
            Box::new(move |t| t.checked_add_months(Months::new(m)))
        }
        _ => return None,
    };
    Some(f)
}

fn split_day_time(s: &str) -> (Option<&str>, Option<&str>) {
    let parts: Vec<&str> = s.split_whitespace().collect();
    match parts.as_slice() {
        [one] => {
            if parse_clock(one).is_some() {
                (None, Some(one))
            } else if let Some(pos) = japanese_day_end(one) {
                // 明日10時 — a Japanese day word glued to the time
                let (d, t) = one.split_at(pos);
                if t.is_empty() {
                    (Some(d), None)
                } else {
                    (Some(d), Some(t))
                }
            } else {
                (Some(one), None)
            }
        }
        [d, t] => (Some(d), Some(t)),
        _ => (Some(s), None),
    }
}

fn japanese_day_end(s: &str) -> Option<usize> {
    ["明後日", "明日", "今日", "あさって", "あした", "きょう"]
        .iter()
        .find(|w| s.starts_with(*w))
        .map(|w| w.len())
}

fn parse_clock(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    if let Some((h, m)) = s.split_once(':') {
        let h: u32 = h.parse().ok()?;
        let m: u32 = m.parse().ok()?;
        return NaiveTime::from_hms_opt(h, m, 0);
    }
    if let Some(rest) = s.strip_suffix('分') {
        let (h, m) = rest.split_once('時')?;
        return NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0);
    }
    if let Some(h) = s.strip_suffix('時') {
        return NaiveTime::from_hms_opt(h.parse().ok()?, 0, 0);
    }
    if let Some(h) = s.strip_suffix("時半") {
        return NaiveTime::from_hms_opt(h.parse().ok()?, 30, 0);
    }
    for (suffix, add) in [("am", 0), ("pm", 12)] {
        if let Some(h) = s.strip_suffix(suffix) {
            let h: u32 = h.trim().parse().ok()?;
            if !(1..=12).contains(&h) {
                return None;
            }
            return NaiveTime::from_hms_opt(h % 12 + add, 0, 0);
        }
    }
    None
}

fn day_offset(s: &str) -> Option<i64> {
    match s {
        "today" | "今日" | "きょう" | "本日" => Some(0),
        "tomorrow" | "tmr" | "明日" | "あした" | "あす" => Some(1),
        "明後日" | "あさって" => Some(2),
        _ => None,
    }
}

fn weekday(s: &str) -> Option<Weekday> {
    let s = s.trim_end_matches("曜日").trim_end_matches('曜');
    Some(match s {
        "mon" | "monday" | "月" => Weekday::Mon,
        "tue" | "tues" | "tuesday" | "火" => Weekday::Tue,
        "wed" | "wednesday" | "水" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" | "木" => Weekday::Thu,
        "fri" | "friday" | "金" => Weekday::Fri,
        "sat" | "saturday" | "土" => Weekday::Sat,
        "sun" | "sunday" | "日" => Weekday::Sun,
        _ => return None,
    })
}

fn parse_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    // Month and day without a year: the next such date.
    let md = s
        .split_once('/')
        .or_else(|| s.strip_suffix('日').and_then(|x| x.split_once('月')))?;
    let (m, d): (u32, u32) = (md.0.parse().ok()?, md.1.parse().ok()?);
    let this_year = NaiveDate::from_ymd_opt(today.year(), m, d)?;
    if this_year >= today {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(today.year() + 1, m, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Tokyo;

    fn now() -> DateTime<Utc> {
        // Tuesday 2026-11-24 10:00 JST
        DateTime::parse_from_rfc3339("2026-11-24T10:00:00+09:00")
            .expect("t")
            .with_timezone(&Utc)
    }
    fn jst(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&format!("{s}+09:00"))
            .expect("t")
            .with_timezone(&Utc)
    }
    fn p(s: &str) -> DateTime<Utc> {
        parse_when(s, now(), Tokyo).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn relative() {
        assert_eq!(p("30m"), jst("2026-11-24T10:30:00"));
        assert_eq!(p("+2h"), jst("2026-11-24T12:00:00"));
        assert_eq!(p("3d"), jst("2026-11-27T10:00:00"));
        assert_eq!(p("2w"), jst("2026-12-08T10:00:00"));
        assert_eq!(p("3mo"), jst("2027-02-24T10:00:00"));
        assert_eq!(p("in 2 hours"), jst("2026-11-24T12:00:00"));
        assert_eq!(p("2時間"), jst("2026-11-24T12:00:00"));
    }

    #[test]
    fn clock_times() {
        assert_eq!(p("14:00"), jst("2026-11-24T14:00:00"));
        // already past today → tomorrow
        assert_eq!(p("9:30"), jst("2026-11-25T09:30:00"));
        assert_eq!(p("15時"), jst("2026-11-24T15:00:00"));
        assert_eq!(p("3pm"), jst("2026-11-24T15:00:00"));
        // full-width digits and colon
        assert_eq!(p("１４：００"), jst("2026-11-24T14:00:00"));
    }

    #[test]
    fn days() {
        assert_eq!(p("tomorrow 10:00"), jst("2026-11-25T10:00:00"));
        assert_eq!(p("tomorrow"), jst("2026-11-25T10:00:00"));
        assert_eq!(p("明日 10:00"), jst("2026-11-25T10:00:00"));
        assert_eq!(p("明日10時"), jst("2026-11-25T10:00:00"));
        assert_eq!(p("明後日 9:00"), jst("2026-11-26T09:00:00"));
        assert_eq!(p("today 16:30"), jst("2026-11-24T16:30:00"));
        assert_eq!(p("mon 14:00"), jst("2026-11-30T14:00:00"));
        assert_eq!(p("tue 14:00"), jst("2026-11-24T14:00:00"));
        assert_eq!(p("tue 9:00"), jst("2026-12-01T09:00:00"));
        assert_eq!(p("金曜 11:00"), jst("2026-11-27T11:00:00"));
    }

    #[test]
    fn dates() {
        assert_eq!(p("2026-12-01 15:30"), jst("2026-12-01T15:30:00"));
        assert_eq!(p("2026/12/01 15:30"), jst("2026-12-01T15:30:00"));
        assert_eq!(p("12/1 15:30"), jst("2026-12-01T15:30:00"));
        assert_eq!(p("12月1日 15:30"), jst("2026-12-01T15:30:00"));
        assert_eq!(p("2026-12-01"), jst("2026-12-01T10:00:00"));
        assert_eq!(p("2026-12-01T06:30:00Z"), jst("2026-12-01T15:30:00"));
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        for bad in [
            "",
            "  ",
            "soon",
            "25:00",
            "2026-13-01 10:00",
            "12:61",
            "mon 99:00",
            "3x",
            "-",
            "2026-02-30",
        ] {
            let e = parse_when(bad, now(), Tokyo);
            assert!(e.is_err(), "{bad:?} should fail, got {e:?}");
        }
        let e = parse_when("soon", now(), Tokyo).unwrap_err().to_string();
        assert!(e.contains("'soon'") && e.contains("tomorrow 10:00"), "{e}");
    }

    #[test]
    fn past_is_refused_when_future_wanted() {
        let e = parse_future("2026-11-01 10:00", now(), Tokyo).unwrap_err();
        assert_eq!(e, TimeError::Past("2026-11-01 10:00".into()));
        assert!(parse_future("2h", now(), Tokyo).is_ok());
    }

    #[test]
    fn since_counts_back_and_refuses_the_future() {
        let s = |x: &str| parse_since(x, now(), Tokyo);
        assert_eq!(s("3d"), Ok(jst("2026-11-21T10:00:00")));
        assert_eq!(s("2w"), Ok(jst("2026-11-10T10:00:00")));
        assert_eq!(s("12h"), Ok(jst("2026-11-23T22:00:00")));
        assert_eq!(s("1mo"), Ok(jst("2026-10-24T10:00:00")));
        assert_eq!(s("3 days ago"), Ok(jst("2026-11-21T10:00:00")));
        assert_eq!(s("yesterday"), Ok(jst("2026-11-23T00:00:00")));
        assert_eq!(s("昨日"), Ok(jst("2026-11-23T00:00:00")));
        assert_eq!(s("today"), Ok(jst("2026-11-24T00:00:00")));
        assert_eq!(s("2026-11-01"), Ok(jst("2026-11-01T00:00:00")));
        assert_eq!(s("2026-11-20 15:00"), Ok(jst("2026-11-20T15:00:00")));
        for future in ["2026-12-01", "tomorrow", "+3d", "2027-01-01 10:00"] {
            assert_eq!(s(future), Err(TimeError::Future(future.into())), "{future}");
        }
        assert!(matches!(s("soon"), Err(TimeError::Unreadable(_))));
        assert!(s("99999999999999d").is_err());
    }

    #[test]
    fn huge_numbers_do_not_panic() {
        assert!(parse_when("99999999999999999999m", now(), Tokyo).is_err());
        assert!(parse_when("9999999999999d", now(), Tokyo).is_err());
        assert!(parse_when("4294967295mo", now(), Tokyo).is_err());
        // representable, but not a time anyone means
        assert!(parse_when("100000000000m", now(), Tokyo).is_err());
    }
}
