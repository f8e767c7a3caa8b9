//! Showing a stored number without waiting for the numbering plan. `phonenumber` builds its
//! metadata database (every region's patterns, each regex's syntax checked) on first use: about
//! 100 ms of CPU, which used to land on the first frame of the TUI, the first time a phone was
//! drawn. Two ways round it, both here:
//! - [`quick`]: the common Japanese shapes (Tokyo and Osaka fixed lines, mobiles) formatted by
//!   hand, exactly as the plan formats them (a test compares the two over every leading digit);
//! - [`shown`]: once [`start_warming`] has been called (the TUI on a real terminal starts a
//!   thread that runs [`warm`]), a number `quick` does not know is shown as stored (E.164) until
//!   the metadata is ready, instead of blocking the frame; the TUI draws again when it is.
//!   Nothing calls `start_warming` in tests, so there every number is formatted in full, at once.

use std::sync::atomic::{AtomicU8, Ordering};

/// Nobody asked for the metadata in the background: [`shown`] formats in full (and may build it).
const IDLE: u8 = 0;
/// A thread is building the metadata: [`shown`] does not wait for it.
const WARMING: u8 = 1;
/// The metadata is built.
const READY: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(IDLE);

/// Say that the metadata is being built off the main thread (call [`warm`] there). False if
/// it was already asked for (the caller then need not start anything).
pub fn start_warming() -> bool {
    STATE
        .compare_exchange(IDLE, WARMING, Ordering::SeqCst, Ordering::SeqCst)
        .is_ok()
}

/// Build `phonenumber`'s metadata now (blocking; ~100 ms of CPU), then mark it ready.
pub fn warm() {
    let _ = &*phonenumber::metadata::DATABASE;
    // The plan's patterns are compiled on their first use (the parser's, the validator's, the
    // formats'): ~20 ms the first time a screen shows a number `quick` does not cover, such as
    // the first search's hits. Use them here, off the frames: a Tokyo and a Kyoto line, a
    // mobile, a number the plan does not know, and the commonest foreign ones.
    for n in [
        "+81345678801",
        "+81753867864",
        "+819012345678",
        "+81300999961",
        "+12125550142",
        "+442079460000",
        "+82221234567",
    ] {
        let _ = super::phone::display_by_plan(n, "JP");
    }
    STATE.store(READY, Ordering::SeqCst);
}

/// The background build could not start: format in full again.
pub fn stop_warming() {
    let _ = STATE.compare_exchange(WARMING, IDLE, Ordering::SeqCst, Ordering::SeqCst);
}

/// The metadata is being built in the background and is not ready yet.
pub fn warming() -> bool {
    STATE.load(Ordering::SeqCst) == WARMING
}

/// A stored number as the screen shows it: [`super::phone::display`], except that while the
/// metadata is being built in the background a number [`quick`] cannot format is shown as
/// stored rather than waiting for it.
pub fn shown(e164: &str, region: &str) -> String {
    if let Some(s) = quick(e164, region) {
        return s;
    }
    if warming() {
        return e164.to_string();
    }
    super::phone::display(e164, region)
}

/// [`super::phone::display`] for the shapes most numbers in a Japanese queue have, without the
/// metadata; `None` for anything else. For the rep region `JP` only:
/// - `+813` / `+816[1-9]` and 8 more digits (Tokyo, Osaka): `03-1234-5678`, or, when the
///   plan has no such number (`+8130…`), `+81 3-0123-4567` as the plan prints it;
/// - `+81[789]0[1-9]` and 7 more digits (mobiles): `090-1234-5678`.
pub fn quick(e164: &str, region: &str) -> Option<String> {
    if region != "JP" {
        return None;
    }
    let nsn = e164.strip_prefix("+81")?.as_bytes();
    if !nsn.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let s = |r: std::ops::Range<usize>| std::str::from_utf8(&nsn[r]).unwrap_or_default();
    match (nsn.len(), nsn.first()?, nsn.get(1)?) {
        // `(\d)(\d{4})(\d{4})` for leading 3 and 6[1-9]; a fixed line is `[36][1-9]\d{7}`.
        (9, b'3', second) => Some(if *second == b'0' {
            format!("+81 3-{}-{}", s(1..5), s(5..9))
        } else {
            format!("03-{}-{}", s(1..5), s(5..9))
        }),
        (9, b'6', b'1'..=b'9') => Some(format!("06-{}-{}", s(1..5), s(5..9))),
        // `(\d{2})(\d{4})(\d{4})` for leading [25-9]; a mobile is `[6-9]0[1-9]\d{7}`.
        (10, b'7'..=b'9', b'0') if nsn[2] != b'0' => {
            Some(format!("0{}-{}-{}", s(0..2), s(2..6), s(6..10)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::phone::display_by_plan as display;

    /// Numbers of every shape `quick` takes, with every digit in each leading place and a few
    /// tails, and shapes next to them it must leave to the plan.
    fn samples() -> Vec<String> {
        let mut out = Vec::new();
        for head in ["3", "6", "7", "8", "9", "1", "2", "4", "5"] {
            for d2 in 0..10 {
                for d3 in 0..10 {
                    for tail in ["000000", "123456", "999999", "5678"] {
                        out.push(format!("+81{head}{d2}{d3}{tail}"));
                        out.push(format!("+81{head}{d2}{d3}{tail}0"));
                    }
                }
            }
        }
        out.extend(
            [
                "+813",
                "+81",
                "+81312345678x",
                "+8131234567",
                "+813123456789",
            ]
            .map(String::from),
        );
        out
    }

    #[test]
    fn the_quick_form_is_the_plans_form() {
        let mut taken = 0;
        for n in samples() {
            if let Some(fast) = quick(&n, "JP") {
                taken += 1;
                assert_eq!(fast, display(&n, "JP"), "{n}");
            }
        }
        assert!(taken > 500, "{taken}");
        assert_eq!(quick("+81312345678", "JP").as_deref(), Some("03-1234-5678"));
        assert_eq!(
            quick("+81300001234", "JP").as_deref(),
            Some("+81 3-0000-1234")
        );
        assert_eq!(
            quick("+819012345678", "JP").as_deref(),
            Some("090-1234-5678")
        );
        assert_eq!(quick("+81661234567", "JP").as_deref(), Some("06-6123-4567"));
    }

    #[test]
    fn other_shapes_and_regions_are_left_to_the_plan() {
        for n in [
            "+81120123456",
            "+81452223333",
            "+819001234567",
            "+12125550100",
            "+81601234567",
        ] {
            assert_eq!(quick(n, "JP"), None, "{n}");
        }
        assert_eq!(quick("+81312345678", "US"), None);
    }

    #[test]
    fn shown_formats_in_full_unless_warming() {
        // No test starts the background build: every number is formatted at once.
        assert!(!warming());
        assert_eq!(shown("+12125550100", "JP"), "+1 212-555-0100");
        assert_eq!(shown("+81312345678", "JP"), "03-1234-5678");
    }
}
