//! Where a lead is in time: the zone its own data or its phone number fixes, or "zone unknown"
//! when the number leaves several zones open (a US mobile, an area code across a zone line, a
//! country kaden has no zone for). A lead of unknown zone is callable only while the calling
//! hours hold in every zone it may be in. The mapping from number prefixes to zones is data,
//! `assets/phone-zones.txt`.
//!
//! Stored in `leads.time_zone` as text: an IANA name (`America/New_York`), or `?` followed by
//! the prefix that left the zones open (`?1` a NANP number of no known area code, `?1850` an
//! area code across a zone line), or `?` alone (a country not in the data: checked in the
//! config's default zone, and shown as unknown).

use super::hours::CallingHours;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../assets/phone-zones.txt");

/// What one prefix of the data says.
#[derive(Debug, Clone, PartialEq)]
enum Entry {
    One(Tz),
    Several(Vec<Tz>),
}

/// The parsed data: prefix → entry, and the longest prefix length.
#[derive(Debug)]
struct Table {
    by_prefix: HashMap<String, Entry>,
    longest: usize,
}

/// A line of the data that cannot be read (the data ships with kaden; a test reads every line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
    pub why: String,
}

fn parse_zone(name: &str, line: usize) -> Result<Tz, BadLine> {
    name.parse::<Tz>().map_err(|_| BadLine {
        line,
        why: format!("unknown zone '{name}'"),
    })
}

/// Read the data (`text` is `assets/phone-zones.txt`). A prefix given twice is an error.
fn parse_table(text: &str) -> Result<Table, BadLine> {
    let mut by_prefix = HashMap::new();
    let mut longest = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.split('#').next().unwrap_or("").trim();
        if l.is_empty() {
            continue;
        }
        let (zones, prefixes) = l.split_once(':').ok_or_else(|| BadLine {
            line,
            why: "expected 'ZONE: PREFIX …'".into(),
        })?;
        let zones = zones.trim();
        let entry = match zones.strip_prefix('?') {
            Some(rest) => {
                let zs = rest
                    .split_whitespace()
                    .map(|z| parse_zone(z, line))
                    .collect::<Result<Vec<_>, _>>()?;
                if zs.len() < 2 {
                    return Err(BadLine {
                        line,
                        why: "a '?' line names at least two zones".into(),
                    });
                }
                Entry::Several(zs)
            }
            None => Entry::One(parse_zone(zones, line)?),
        };
        for p in prefixes.split_whitespace() {
            if !p.chars().all(|c| c.is_ascii_digit()) {
                return Err(BadLine {
                    line,
                    why: format!("prefix '{p}' is not digits"),
                });
            }
            if by_prefix.insert(p.to_string(), entry.clone()).is_some() {
                return Err(BadLine {
                    line,
                    why: format!("prefix {p} is given twice"),
                });
            }
            longest = longest.max(p.len());
        }
    }
    Ok(Table { by_prefix, longest })
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse_table(DATA).unwrap_or_else(|_| Table {
            by_prefix: HashMap::new(),
            longest: 0,
        })
    })
}

/// Check the shipped data (for tests and `doctor`).
pub fn check_data() -> Result<usize, BadLine> {
    parse_table(DATA).map(|t| t.by_prefix.len())
}

/// The longest prefix of `digits` the data knows, with its entry.
fn lookup(digits: &str) -> Option<(&'static str, &'static Entry)> {
    let t = table();
    (1..=digits.len().min(t.longest))
        .rev()
        .find_map(|n| t.by_prefix.get_key_value(&digits[..n]))
        .map(|(k, e)| (k.as_str(), e))
}

/// Where a lead is in time.
#[derive(Debug, Clone, PartialEq)]
pub enum LeadZone {
    /// One zone: the lead's own, or the one its number fixes.
    Known(Tz),
    /// Several zones are possible; `key` is what is stored (`?1`, `?1850`, `?`).
    Unknown { key: String, zones: Vec<Tz> },
}

impl LeadZone {
    /// The zone a number (E.164) implies: `None` for a number kaden cannot place at all.
    pub fn of_number(e164: &str) -> Option<LeadZone> {
        let digits = e164.strip_prefix('+')?;
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some(match lookup(digits) {
            Some((_, Entry::One(z))) => LeadZone::Known(*z),
            Some((p, Entry::Several(zs))) => LeadZone::Unknown {
                key: format!("?{p}"),
                zones: zs.clone(),
            },
            None => LeadZone::Unknown {
                key: "?".into(),
                zones: Vec::new(),
            },
        })
    }

    /// Read a stored `leads.time_zone`. `default` is the config's `default_time_zone`, in which
    /// a lead of a country kaden does not know (`?`) is checked.
    pub fn from_stored(s: &str, default: Tz) -> LeadZone {
        match s.strip_prefix('?') {
            None => LeadZone::Known(s.parse().unwrap_or(chrono_tz::UTC)),
            Some(p) => {
                let zones = match (!p.is_empty()).then(|| table().by_prefix.get(p)).flatten() {
                    Some(Entry::Several(zs)) => zs.clone(),
                    Some(Entry::One(z)) => vec![*z],
                    None => vec![default],
                };
                LeadZone::Unknown {
                    key: s.to_string(),
                    zones,
                }
            }
        }
    }

    /// What `leads.time_zone` holds.
    pub fn key(&self) -> String {
        match self {
            LeadZone::Known(z) => z.name().to_string(),
            LeadZone::Unknown { key, .. } => key.clone(),
        }
    }

    /// Whether the number left the zone open.
    pub fn is_unknown(&self) -> bool {
        matches!(self, LeadZone::Unknown { .. })
    }

    /// The zones the lead may be in (one when known).
    pub fn zones(&self) -> Vec<Tz> {
        match self {
            LeadZone::Known(z) => vec![*z],
            LeadZone::Unknown { zones, .. } => zones.clone(),
        }
    }

    /// The zone local dates are counted in (business days of a retry, the local time shown
    /// beside an unknown zone): the zone itself, else the first possible one.
    pub fn reference(&self) -> Tz {
        match self {
            LeadZone::Known(z) => *z,
            LeadZone::Unknown { zones, .. } => zones.first().copied().unwrap_or(chrono_tz::UTC),
        }
    }

    /// Whether the lead may be called at `at`: calling hours hold in every zone it may be in.
    pub fn is_open(&self, hours: &CallingHours, at: DateTime<Utc>) -> bool {
        let zs = self.zones();
        !zs.is_empty() && zs.iter().all(|z| hours.is_open(*z, at))
    }

    /// The first instant at or after `from` when calling hours hold in every zone the lead may
    /// be in; `None` when they never overlap within two weeks (zones too far apart).
    pub fn next_open(&self, hours: &CallingHours, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let zs = self.zones();
        if zs.is_empty() {
            return None;
        }
        let limit = from + Duration::days(14);
        let mut t = from;
        while t <= limit {
            match zs.iter().find(|z| !hours.is_open(**z, t)) {
                None => return Some(t),
                Some(z) => {
                    let next = hours.next_open(*z, t);
                    // Open in that zone now but closed in another: the other moves `t` on.
                    t = if next > t {
                        next
                    } else {
                        t + Duration::minutes(1)
                    };
                }
            }
        }
        None
    }

    /// The hour `at` wall-clock time `HH:MM` in the lead's zone, or in each possible zone
    /// (`09:05–12:05`) when unknown.
    pub fn local_hhmm(&self, at: DateTime<Utc>) -> String {
        let zs = self.zones();
        let times: Vec<(i32, String)> = zs
            .iter()
            .map(|z| {
                let l = at.with_timezone(z);
                (
                    chrono::Offset::fix(l.offset()).local_minus_utc(),
                    l.format("%H:%M").to_string(),
                )
            })
            .collect();
        let (Some(lo), Some(hi)) = (
            times.iter().min_by_key(|t| t.0),
            times.iter().max_by_key(|t| t.0),
        ) else {
            return "--:--".into();
        };
        if lo.1 == hi.1 {
            lo.1.clone()
        } else {
            format!("{}–{}", lo.1, hi.1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Australia};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .expect("time")
    }

    #[test]
    fn the_shipped_data_reads() {
        let n = check_data().expect("assets/phone-zones.txt");
        assert!(n > 500, "{n} prefixes");
    }

    #[test]
    fn bad_data_is_refused_with_its_line() {
        let e = parse_table("Asia/Tokyo: 81\nMars/Olympus: 99\n").expect_err("bad zone");
        assert_eq!(e.line, 2);
        let e = parse_table("Asia/Tokyo: 81\nAsia/Seoul: 81\n").expect_err("twice");
        assert!(e.why.contains("twice"), "{e:?}");
        assert!(parse_table("Asia/Tokyo 81\n").is_err());
        assert!(parse_table("? Asia/Tokyo: 81\n").is_err());
        assert!(parse_table("Asia/Tokyo: 8x\n").is_err());
    }

    #[test]
    fn area_codes_fix_the_zone() {
        let z = |n: &str| LeadZone::of_number(n).expect(n);
        assert_eq!(z("+12125550100"), LeadZone::Known(America::New_York));
        assert_eq!(z("+13125550100"), LeadZone::Known(America::Chicago));
        assert_eq!(z("+14155550100"), LeadZone::Known(America::Los_Angeles));
        assert_eq!(z("+16045550100"), LeadZone::Known(America::Vancouver));
        assert_eq!(z("+61255550100"), LeadZone::Known(Australia::Sydney));
        assert_eq!(z("+61892345678"), LeadZone::Known(Australia::Perth));
        assert_eq!(z("+5511987654321"), LeadZone::Known(America::Sao_Paulo));
        assert_eq!(z("+5592987654321"), LeadZone::Known(America::Manaus));
        assert_eq!(z("+525512345678"), LeadZone::Known(America::Mexico_City));
        assert_eq!(z("+526641234567"), LeadZone::Known(America::Tijuana));
        assert_eq!(
            z("+74951234567"),
            LeadZone::Known(chrono_tz::Europe::Moscow)
        );
        assert_eq!(z("+73832123456"), LeadZone::Known(Asia::Novosibirsk));
        assert_eq!(z("+62215551234"), LeadZone::Known(Asia::Jakarta));
        assert_eq!(z("+623612345678"), LeadZone::Known(Asia::Makassar));
        assert_eq!(z("+81345678801"), LeadZone::Known(Asia::Tokyo));
    }

    #[test]
    fn numbers_that_do_not_fix_a_zone_are_unknown() {
        let z = |n: &str| LeadZone::of_number(n).expect(n);
        // an Australian mobile, a Russian mobile, an Indonesian mobile
        assert_eq!(z("+61412345678").key(), "?61");
        assert_eq!(z("+79161234567").key(), "?7");
        assert_eq!(z("+628123456789").key(), "?62");
        // the Florida panhandle is Eastern and Central
        let fl = z("+18505550100");
        assert_eq!(fl.key(), "?1850");
        assert_eq!(fl.zones(), vec![America::New_York, America::Chicago]);
        // a country kaden has no zone for
        assert_eq!(z("+2693123456").key(), "?");
        assert!(LeadZone::of_number("81345678801").is_none());
    }

    #[test]
    fn stored_keys_round_trip() {
        for n in [
            "+12125550100",
            "+18505550100",
            "+61412345678",
            "+2693123456",
        ] {
            let z = LeadZone::of_number(n).expect(n);
            let back = LeadZone::from_stored(&z.key(), Asia::Tokyo);
            if z.key() == "?" {
                assert_eq!(back.zones(), vec![Asia::Tokyo]);
            } else {
                assert_eq!(back, z, "{n}");
            }
        }
    }

    #[test]
    fn unknown_is_open_only_when_every_zone_is() {
        let h = CallingHours::default();
        let fl = LeadZone::of_number("+18505550100").expect("fl");
        // Tue 2026-11-24 09:30 New York = 08:30 Chicago: Eastern open, Central not yet.
        let t = utc("2026-11-24T09:30:00-05:00");
        assert!(h.is_open(America::New_York, t));
        assert!(!fl.is_open(&h, t));
        assert_eq!(fl.next_open(&h, t), Some(utc("2026-11-24T10:00:00-05:00")));
        // Australia: Sydney 17:30 is Perth 14:30 in summer: open in Perth, closing in Sydney.
        let au = LeadZone::of_number("+61412345678").expect("au");
        assert!(au.is_open(&h, utc("2026-11-24T17:30:00+11:00")));
        assert!(!au.is_open(&h, utc("2026-11-24T18:30:00+11:00")));
        // Sydney 09:00 is Perth 06:00: the window opens at Perth 09:00 = Sydney 12:00.
        assert_eq!(
            au.next_open(&h, utc("2026-11-24T09:00:00+11:00")),
            Some(utc("2026-11-24T12:00:00+11:00"))
        );
    }

    #[test]
    fn zones_too_far_apart_never_open() {
        // Russia spans Kaliningrad (UTC+2) to Kamchatka (UTC+12): a 9-hour window never holds
        // in all of them, so a Russian mobile waits for its zone to be set by hand.
        let ru = LeadZone::of_number("+79161234567").expect("ru");
        let h = CallingHours::default();
        assert_eq!(ru.next_open(&h, utc("2026-11-24T10:00:00+03:00")), None);
    }

    #[test]
    fn local_time_of_an_unknown_zone_is_a_span() {
        let fl = LeadZone::of_number("+18505550100").expect("fl");
        assert_eq!(
            fl.local_hhmm(utc("2026-11-24T10:00:00-05:00")),
            "09:00–10:00"
        );
        let ny = LeadZone::Known(America::New_York);
        assert_eq!(ny.local_hhmm(utc("2026-11-24T10:00:00-05:00")), "10:00");
    }
}
