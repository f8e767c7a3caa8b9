//! Snapshots of the TUI on a TestBackend over the demo database at a fixed "now".
#![allow(clippy::unwrap_used)]

mod support;

use insta::assert_snapshot;
use kaden::domain::text::{is_unsafe_char, width};
use kaden::i18n::Lang;
use ratatui::crossterm::event::KeyCode;
use support::tui::*;

#[test]
fn queue_en_120x40() {
    let e = env(Lang::En);
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}

#[test]
fn queue_ja_120x40() {
    let e = env(Lang::Ja);
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}

#[test]
fn queue_en_80x24() {
    let e = env(Lang::En);
    let s = screen(&e.app, 80, 24);
    // header, footer hints, and the queue all fit
    assert!(s.contains("to call"), "{s}");
    assert!(s.contains("? help") && s.contains("q quit"), "{s}");
    assert_snapshot!(terminal(&e.app, 80, 24).backend());
}

#[test]
fn queue_ja_80x24() {
    let e = env(Lang::Ja);
    assert_snapshot!(terminal(&e.app, 80, 24).backend());
}

#[test]
fn form_prefilled_from_the_cadence() {
    let mut e = env(Lang::En);
    key(&mut e.app, KeyCode::Char('u'));
    let s = screen(&e.app, 120, 40);
    assert!(s.contains("> Next action   2026-11-24 12:00"), "{s}");
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}

#[test]
fn form_ja_lost() {
    let mut e = env(Lang::Ja);
    key(&mut e.app, KeyCode::Char('l'));
    let s = screen(&e.app, 120, 40);
    assert!(s.contains("2027-02-22 10:00"), "{s}");
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}

#[test]
fn form_appointment_asks_meeting_time_and_open_sal() {
    let mut e = env(Lang::En);
    key(&mut e.app, KeyCode::Char('a'));
    let s = screen(&e.app, 120, 40);
    for label in ["Meeting at", "Budget", "Consideration", "Timing"] {
        assert!(s.contains(label), "{label}: {s}");
    }
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}

#[test]
fn help_en() {
    let mut e = env(Lang::En);
    key(&mut e.app, KeyCode::Char('?'));
    let s = screen(&e.app, 120, 40);
    assert!(
        s.contains("Undo the last result recorded in this session."),
        "{s}"
    );
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}

#[test]
fn help_ja() {
    let mut e = env(Lang::Ja);
    key(&mut e.app, KeyCode::Char('?'));
    let s = screen(&e.app, 120, 40);
    assert!(s.contains("未接続を記録"), "{s}");
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}

#[test]
fn mono_theme_marks_the_selection_without_colour() {
    let mut e = env_with(config("").clone(), Lang::En, now(), |_| {});
    e.app.theme = kaden::tui::theme::Theme::new(true, true);
    key(&mut e.app, KeyCode::Char('j'));
    key(&mut e.app, KeyCode::Char('j'));
    let t = terminal(&e.app, 120, 40);
    let buf = t.backend().buffer();
    // no colour anywhere
    for cell in buf.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset);
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
    let s = screen(&e.app, 120, 40);
    let marked: Vec<&str> = s.lines().filter(|l| l.starts_with("|>")).collect();
    assert_eq!(marked.len(), 1, "{s}");
    assert!(marked[0].starts_with("|>  3 "), "{}", marked[0]);
    assert_snapshot!(t.backend());
}

#[test]
fn empty_queue_shows_who_opens_next() {
    // Sunday: nobody is callable, in any zone.
    let sat = at("2026-11-29T10:00:00+09:00");
    let e = env_with(config(""), Lang::En, sat, |_| {});
    assert!(e.app.rows.is_empty());
    let s = screen(&e.app, 120, 40);
    assert!(s.contains("Nobody to call right now"), "{s}");
    assert!(s.contains("Opens next:"), "{s}");
    assert!(s.contains("Mon 2026-11-30 09:00"), "{s}");
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}

#[test]
fn empty_queue_ja() {
    let sat = at("2026-11-29T10:00:00+09:00");
    let e = env_with(config(""), Lang::Ja, sat, |_| {});
    let s = screen(&e.app, 120, 40);
    assert!(s.contains("今すぐ架電できる相手はいません"), "{s}");
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}

/// Column starts (in cells) of every data row line up, Japanese names or not.
#[test]
fn japanese_names_keep_columns_aligned() {
    for lang in [Lang::En, Lang::Ja] {
        let e = env(lang);
        let s = screen(&e.app, 120, 40);
        let lines: Vec<&str> = s.lines().collect();
        let header = lines[2];
        let local_label = if lang == Lang::En { "Local" } else { "現地" };
        let due_label = if lang == Lang::En { "Due" } else { "期限" };
        let col = |line: &str, label: &str| width(&line[..line.find(label).unwrap()]);
        let local_col = col(header, local_label);
        let due_col = col(header, due_label);
        let rows: Vec<&str> = lines[3..]
            .iter()
            .take_while(|l| !l.starts_with('╰'))
            .copied()
            .collect();
        assert!(rows.len() > 5);
        let (mut ja, mut en) = (0, 0);
        for r in &rows {
            // the cell at the Local column starts HH:MM in every row
            let cells: Vec<char> = {
                let mut v = Vec::new();
                for ch in r.chars() {
                    v.push(ch);
                    if width(&ch.to_string()) == 2 {
                        v.push('\0');
                    }
                }
                v
            };
            let at = |c: usize, n: usize| cells[c..c + n].iter().collect::<String>();
            let local = at(local_col, 5);
            assert!(
                local.as_bytes()[2] == b':' && cells[local_col - 1] == ' ',
                "row {r:?}: local column {local:?}"
            );
            let due = at(due_col, 5);
            assert!(
                due.as_bytes()[2] == b':' || due.as_bytes()[2] == b'-',
                "row {r:?}: due column {due:?}"
            );
            let company = at(9, 12);
            if company.chars().any(|c| width(&c.to_string()) == 2) {
                ja += 1;
            } else {
                en += 1;
            }
        }
        assert!(ja > 0 && en > 0, "need both Japanese and English rows");
    }
}

#[test]
fn control_and_bidi_chars_never_reach_a_cell() {
    use kaden::domain::{LeadStatus, Tier};
    use kaden::store::{CompanyInput, NewLead};
    let cfg = config("");
    let store_cfg = cfg.clone();
    let mut e = env_with(cfg, Lang::En, now(), |store| {
        let lead = NewLead {
            company: CompanyInput {
                name: "Evil\u{1b}[31m\u{202E}Corp".into(),
                industry: "Bad\u{7}Industry".into(),
                employees: Some(10),
                website: "evil\u{2066}.example".into(),
                tier: Some(Tier::T1),
            },
            name: "Mal\u{1b}]0;pwned\u{7}lory\u{202E}".into(),
            title: "CEO\r\nSecond line".into(),
            department: "\u{1b}[2J".into(),
            role: None,
            phone: Some("+81312349999".into()),
            mobile: None,
            email: Some("evil@example.com".into()),
            source: "list\u{1b}[0m".into(),
            owner: "me".into(),
            time_zone: Some(chrono_tz::Asia::Tokyo),
            status: LeadStatus::New,
            created_at: now() - chrono::Duration::minutes(1),
            salesforce_id: None,
            hubspot_id: None,
            do_not_call: false,
        };
        store.insert_lead(&lead, &store_cfg).unwrap();
    });
    key(&mut e.app, KeyCode::Char('/'));
    typed(&mut e.app, "evil");
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.search.as_ref().unwrap().hits.len(), 1);
    for (w, h) in [(120, 40), (80, 24)] {
        let t = terminal(&e.app, w, h);
        for cell in t.backend().buffer().content() {
            assert!(
                !cell.symbol().chars().any(is_unsafe_char),
                "unsafe char in cell {:?}",
                cell.symbol()
            );
        }
        let s = screen(&e.app, w, h);
        assert!(s.contains("Evil[31mCorp"), "{s}");
    }
    // and in the form and the history
    key(&mut e.app, KeyCode::Char('u'));
    let t = terminal(&e.app, 120, 40);
    for cell in t.backend().buffer().content() {
        assert!(!cell.symbol().chars().any(is_unsafe_char));
    }
}

/// On a real terminal the first frame reads only the rows the screen can show; the rest of the
/// window comes on the first tick, or before a move that would reach the end of the cut rows.
/// The selection stays on the same lead and the count is not asked again.
#[test]
fn the_first_window_is_cut_to_the_screen_and_widened_after_the_frame() {
    let ids = |a: &kaden::tui::App| a.rows.iter().map(|r| r.id).collect::<Vec<_>>();
    let whole = env(Lang::En);
    let full = whole.app.rows.len();
    assert!(full > 24, "the demo queue is longer than the cuts: {full}");
    // The cut window is the head of the whole one, so a screen no taller than the cut shows
    // the same leads (the columns may be sized again once the rest is read).
    let mut e = env_cut(24);
    assert_eq!(ids(&e.app), ids(&whole.app)[..24]);
    assert_eq!(e.app.count_label(), whole.app.count_label());
    // A move that stays well inside the cut rows reads nothing more.
    key(&mut e.app, KeyCode::Char('j'));
    key(&mut e.app, KeyCode::Char('j'));
    assert_eq!(e.app.rows.len(), 24);
    let on = e.app.selected_row().unwrap().id;
    // The first tick reads the rest; the selection stays.
    e.app.update(kaden::tui::Msg::Tick);
    assert_eq!(e.app.rows.len(), full);
    assert_eq!(e.app.selected_row().unwrap().id, on);
    e.app.widen_window().unwrap();
    assert_eq!(e.app.rows.len(), full, "widening again reads nothing more");
    // Before any tick, `G` reads the rest first and lands on the last lead of the whole window.
    let mut e = env_cut(12);
    key(&mut e.app, KeyCode::Char('G'));
    assert_eq!(e.app.rows.len(), full);
    assert_eq!(
        e.app.selected_row().unwrap().id,
        *ids(&whole.app).last().unwrap()
    );
}
