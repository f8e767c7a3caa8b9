//! Hostile input: the time parser and the phone normaliser never panic on arbitrary text
//! (including full-width digits and huge numbers), and `sanitize_line` never lets a control or
//! bidi character through. (The importer's and the TUI's own properties live with them.)
#![allow(clippy::unwrap_used)]

mod support;

use kaden::domain::phone::normalize;
use kaden::domain::text::{is_unsafe_char, sanitize_line, sanitize_multiline};
use kaden::domain::timeparse::{parse_future, parse_when};
use proptest::prelude::*;
use support::now;

/// Text built from the pieces the parsers look for, glued with arbitrary characters.
fn when_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("明日".to_string()),
        Just("明後日".to_string()),
        Just("tomorrow".to_string()),
        Just("next-morning".to_string()),
        Just("in ".to_string()),
        Just("bd".to_string()),
        Just("mo".to_string()),
        Just(":".to_string()),
        Just("-".to_string()),
        Just(" ".to_string()),
        Just("時".to_string()),
        Just("分".to_string()),
        "[0-9０-９]{1,12}",
        "[mhdwMHDW]",
        any::<char>().prop_map(String::from),
        "[\u{2066}-\u{2069}\u{202A}-\u{202E}\u{0000}-\u{001F}\u{FF10}-\u{FF19}]",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_when_never_panics_on_any_string(s in any::<String>()) {
        let _ = parse_when(&s, now(), chrono_tz::Asia::Tokyo);
        let _ = parse_future(&s, now(), chrono_tz::America::New_York);
    }

    #[test]
    fn parse_when_never_panics_on_near_misses(s in when_like()) {
        for zone in [chrono_tz::Asia::Tokyo, chrono_tz::UTC, chrono_tz::Pacific::Kiritimati] {
            if let Ok(t) = parse_when(&s, now(), zone) {
                // Whatever it accepts is a real instant that prints and reads back.
                prop_assert_eq!(kaden::store::parse_ts(&kaden::store::ts(t)), Some(t));
            }
        }
    }

    #[test]
    fn sanitize_line_output_has_no_unsafe_character(s in any::<String>()) {
        let out = sanitize_line(&s);
        prop_assert!(!out.chars().any(is_unsafe_char), "{:?} -> {:?}", s, out);
        prop_assert!(!out.contains('\n'));
    }

    #[test]
    fn sanitize_line_strips_every_control_and_bidi_mix(
        s in "[a-zアイ漢\u{0000}-\u{001F}\u{007F}-\u{009F}\u{200E}\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}\u{2028}\u{2029}\u{FEFF} ]{0,64}"
    ) {
        let out = sanitize_line(&s);
        prop_assert!(!out.chars().any(is_unsafe_char), "{:?} -> {:?}", s, out);
        // Sanitising is idempotent.
        prop_assert_eq!(sanitize_line(&out), out.clone());
        let multi = sanitize_multiline(&s);
        prop_assert!(!multi.chars().any(|c| c != '\n' && is_unsafe_char(c)), "{:?}", multi);
    }

    #[test]
    fn phone_normalize_never_panics(s in any::<String>()) {
        for region in ["JP", "US", "GB", "", "ZZ"] {
            let _ = normalize(&s, region);
        }
    }

    #[test]
    fn phone_normalize_never_panics_on_phone_like_text(
        s in "[+＋]?[0-9０-９()（）\u{2010}-\u{2015}ー－ .ext#*]{0,40}"
    ) {
        if let Ok(Some(e164)) = normalize(&s, "JP") {
            prop_assert!(e164.starts_with('+'), "{}", e164);
            prop_assert!(e164[1..].chars().all(|c| c.is_ascii_digit()), "{}", e164);
        }
    }
}
