//! Phone numbers: NFKC first (full-width digits and dashes from Japanese Excel), then E.164 in
//! the configured default region; and the time zone a number's country implies.

use chrono_tz::Tz;
use unicode_normalization::UnicodeNormalization;

/// Why a phone number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read phone number '{0}'")]
pub struct BadPhone(pub String);

/// The most digits a phone field may have (E.164 allows 15; a few more for a trunk prefix
/// and an extension).
pub const MAX_DIGITS: usize = 17;

/// How many digits `raw` has (full-width digits count).
pub fn digit_count(raw: &str) -> usize {
    raw.nfkc().filter(char::is_ascii_digit).count()
}

/// Normalise to E.164 (`+81312345678`). `region` is an ISO 3166 code used when the number has
/// no country code. Empty input gives `Ok(None)`.
pub fn normalize(raw: &str, region: &str) -> Result<Option<String>, BadPhone> {
    let s: String = raw.nfkc().collect();
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    // Keep what a phone parser understands; drop labels like "TEL:" and extensions' noise.
    let cleaned: String = s
        .trim_start_matches(|c: char| c.is_alphabetic() || c == ':' || c == ' ')
        .chars()
        .map(|c| match c {
            '‐' | '‑' | '‒' | '–' | '—' | '―' | 'ー' | '−' => '-',
            _ => c,
        })
        .collect();
    let digits = cleaned.chars().filter(|c| c.is_ascii_digit()).count();
    if !(5..=MAX_DIGITS).contains(&digits) {
        return Err(BadPhone(raw.trim().to_string()));
    }
    if let Some(e164) = japanese_fast_path(&cleaned, region) {
        return Ok(Some(e164));
    }
    let id = region.parse::<phonenumber::country::Id>().ok();
    let parsed = phonenumber::parse(id, &cleaned).map_err(|_| BadPhone(raw.trim().to_string()))?;
    // E.164 is "+" country code, the national number's significant leading zeros, and the
    // number itself — built directly (the crate's formatter runs regexes and costs ~30 % of
    // an import).
    let e164 = format!("+{}{}", parsed.code().value(), parsed.national());
    if e164.len() < 6 {
        return Err(BadPhone(raw.trim().to_string()));
    }
    Ok(Some(e164))
}

/// The common Japanese shapes (`03-1234-5678`, `090 1234 5678`, `+81 3 1234 5678`) without
/// the general parser, which is the slowest step of a large import. Anything unusual (an
/// extension, `(0)`, a wrong length) falls back to the parser.
fn japanese_fast_path(s: &str, region: &str) -> Option<String> {
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '+' | '(' | ')'))
    {
        return None;
    }
    let plus = s.trim_start().starts_with('+');
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let national = if plus {
        digits.strip_prefix("81")?
    } else if region == "JP" && !s.contains('+') {
        digits.strip_prefix('0')?
    } else {
        return None;
    };
    // National significant numbers are 9 (fixed lines) or 10 (mobile, IP, 0120…) digits and
    // never start with 0.
    if !(9..=10).contains(&national.len()) || national.starts_with('0') || (plus && s.contains('('))
    {
        return None;
    }
    Some(format!("+81{national}"))
}

/// The one zone a number fixes (by country, or area code where the country has several zones;
/// see [`super::zone`]); `None` when it leaves several open or kaden cannot place it.
pub fn zone_for(e164: &str) -> Option<Tz> {
    match super::zone::LeadZone::of_number(e164)? {
        super::zone::LeadZone::Known(z) => Some(z),
        super::zone::LeadZone::Unknown { .. } => None,
    }
}

/// Every country calling code (1, 81, 44, 358, …), read once from the numbering metadata.
pub fn country_codes() -> &'static [u16] {
    static CODES: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| {
        (1..1000u16)
            .filter(|c| phonenumber::metadata::DATABASE.by_code(c).is_some())
            .collect()
    })
}

/// The E.164 numbers a number typed in any format may be (`03-4567-8801` → `+81345678801`
/// among others, one per country code; `+81 3…` or `0081 3…` → that one), for an exact
/// lookup by the phone indexes. Empty unless `typed` is only digits and separators, with 6
/// digits or more.
pub fn e164_candidates(typed: &str) -> Vec<String> {
    let t: String = typed.trim().nfkc().collect();
    let phone_char = |c: char| c.is_ascii_digit() || " +-()./".contains(c);
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 || !t.chars().all(phone_char) {
        return Vec::new();
    }
    if t.starts_with('+') {
        return vec![format!("+{digits}")];
    }
    if let Some(intl) = digits.strip_prefix("00") {
        return vec![format!("+{intl}")];
    }
    let nsn = digits.trim_start_matches('0');
    let mut out = vec![format!("+{digits}")];
    for cc in country_codes() {
        // a trunk 0 is dropped in E.164 (Japan, UK, …) or kept (Italy)
        for n in [nsn, digits.as_str()] {
            let e = format!("+{cc}{n}");
            if e.len() <= 16 && !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

/// A stored number (E.164) the way people read it: national format for the rep's own country
/// (`region`, e.g. `03-4567-8801`), international otherwise (`+1 212-555-0100`). A number the
/// parser cannot format is shown as stored.
pub fn display(e164: &str, region: &str) -> String {
    // The common Japanese shapes without the plan (see `phone_format`): the same text.
    super::phone_format::quick(e164, region).unwrap_or_else(|| display_by_plan(e164, region))
}

/// [`display`] by the numbering plan alone (`phonenumber`; builds its metadata on first use).
pub(crate) fn display_by_plan(e164: &str, region: &str) -> String {
    let Ok(n) = phonenumber::parse(None, e164) else {
        return e164.to_string();
    };
    let own = region.parse::<phonenumber::country::Id>().ok();
    // A number the plan does not know (made up, or too new for the metadata) prints in the
    // national form without its trunk prefix ("1134722359"): not dialable. Keep it whole.
    if !phonenumber::is_valid(&n) {
        return n
            .format()
            .mode(phonenumber::Mode::International)
            .to_string();
    }
    let mode = if own.is_some() && n.country().id() == own {
        phonenumber::Mode::National
    } else {
        phonenumber::Mode::International
    };
    n.format().mode(mode).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_the_plan_does_not_know_is_shown_whole_with_its_country_code() {
        let shown = display("+811134722359", "JP");
        assert!(shown.starts_with("+81"), "{shown}");
        assert_eq!(display("+81345678801", "JP"), "03-4567-8801");
    }

    #[test]
    fn a_number_in_any_format_has_its_e164_among_the_candidates() {
        for t in [
            "03-4567-8801",
            "0345678801",
            "(03) 4567-8801",
            "０３－４５６７－８８０１",
        ] {
            assert!(
                e164_candidates(t).contains(&"+81345678801".to_string()),
                "{t}"
            );
        }
        assert_eq!(e164_candidates("+81 3-4567-8801"), vec!["+81345678801"]);
        assert_eq!(e164_candidates("0081345678801"), vec!["+81345678801"]);
        assert!(e164_candidates("212-555-0100").contains(&"+12125550100".to_string()));
        assert!(e164_candidates("06 1234 5678").contains(&"+390612345678".to_string()));
        assert!(e164_candidates("8801").is_empty());
        assert!(e164_candidates("Acme 123456").is_empty());
        assert!(country_codes().len() > 200, "{}", country_codes().len());
    }

    #[test]
    fn japanese_numbers() {
        assert_eq!(
            normalize("03-1234-5678", "JP"),
            Ok(Some("+81312345678".into()))
        );
        assert_eq!(
            normalize("０３－１２３４－５６７８", "JP"),
            Ok(Some("+81312345678".into()))
        );
        assert_eq!(
            normalize("090-1234-5678", "JP"),
            Ok(Some("+819012345678".into()))
        );
        assert_eq!(
            normalize("TEL: 03(1234)5678", "JP"),
            Ok(Some("+81312345678".into()))
        );
        assert_eq!(
            normalize("+81 3 1234 5678", "US"),
            Ok(Some("+81312345678".into()))
        );
    }

    #[test]
    fn fast_path_agrees_with_the_parser() {
        for raw in [
            "03-1234-5678",
            "090-1234-5678",
            "0120-123-456",
            "06 6123 4567",
            "+81 90 1234 5678",
            "(03) 1234-5678",
            "011-222-3333",
            "0570-01-2345",
        ] {
            let fast = japanese_fast_path(raw, "JP").expect(raw);
            let id = "JP".parse::<phonenumber::country::Id>().ok();
            let slow = phonenumber::parse(id, raw).expect(raw);
            let slow = format!("+{}{}", slow.code().value(), slow.national());
            assert_eq!(fast, slow, "{raw}");
        }
        // unusual shapes go to the parser
        assert_eq!(japanese_fast_path("+81 (0)3 1234 5678", "JP"), None);
        assert_eq!(japanese_fast_path("03-1234-5678", "US"), None);
        assert_eq!(japanese_fast_path("00-1234-5678", "JP"), None);
    }

    #[test]
    fn other_regions() {
        assert_eq!(
            normalize("(212) 555-0142", "US"),
            Ok(Some("+12125550142".into()))
        );
        assert_eq!(
            normalize("+44 20 7946 0958", "JP"),
            Ok(Some("+442079460958".into()))
        );
    }

    #[test]
    fn empty_and_bad() {
        assert_eq!(normalize("  ", "JP"), Ok(None));
        assert!(normalize("call me", "JP").is_err());
        assert!(normalize("12", "JP").is_err());
    }

    #[test]
    fn numbers_are_shown_the_way_people_read_them() {
        assert_eq!(display("+81345678801", "JP"), "03-4567-8801");
        assert_eq!(display("+819012345678", "JP"), "090-1234-5678");
        assert_eq!(display("+12125550100", "JP"), "+1 212-555-0100");
        assert_eq!(display("+12125550100", "US"), "(212) 555-0100");
        assert_eq!(display("+81345678801", "US"), "+81 3-4567-8801");
        assert_eq!(display("not a number", "JP"), "not a number");
    }

    #[test]
    fn zones_from_country_codes() {
        assert_eq!(zone_for("+81312345678"), Some(chrono_tz::Asia::Tokyo));
        assert_eq!(zone_for("+85221234567"), Some(chrono_tz::Asia::Hong_Kong));
        assert_eq!(zone_for("+12125550142"), Some(chrono_tz::America::New_York));
        assert_eq!(
            zone_for("+14155550142"),
            Some(chrono_tz::America::Los_Angeles)
        );
        assert_eq!(zone_for("+61412345678"), None); // a mobile: any Australian zone
        assert_eq!(zone_for("+442079460958"), Some(chrono_tz::Europe::London));
    }
}
