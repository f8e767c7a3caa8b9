//! Flows through the real `update` (and the real loop) on the demo database: what the screen
//! says is what is on disk.
#![allow(clippy::unwrap_used)]

mod support;

use chrono::Duration;
use kaden::clock::Clock;
use kaden::i18n::Lang;
use kaden::store::ts;
use kaden::tui::{self, Mode};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use support::tui::*;

const ACTS: &str = "SELECT count(*) FROM activities";

#[test]
fn u_enter_records_and_the_lead_leaves_the_top() {
    let mut e = env(Lang::En);
    let top = e.app.rows[0].id;
    let before = e.count(ACTS);
    key(&mut e.app, KeyCode::Char('u'));
    assert_eq!(e.app.mode(), Mode::Form);
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Queue);
    assert_eq!(e.count(ACTS), before + 1);
    let n = e.count(&format!(
        "SELECT count(*) FROM activities WHERE lead_id = {top} AND result = 'unconnected' AND at = '{}'",
        ts(now())
    ));
    assert_eq!(n, 1);
    assert_ne!(e.app.rows[0].id, top);
    assert!(e.app.rows.iter().all(|r| r.id != top));
    let toast = e.app.toast.as_ref().unwrap().text.clone();
    // The toast names the reason saved (the form's default for unconnected: absent).
    assert_eq!(toast, "Unconnected · Absent · next try 12:00");
    assert!(screen(&e.app, 120, 40).contains("Unconnected · Absent · next try 12:00"));
}

#[test]
fn typing_replaces_the_prefilled_time() {
    let mut e = env(Lang::En);
    let top = e.app.rows[0].id;
    key(&mut e.app, KeyCode::Char('u'));
    typed(&mut e.app, "2h");
    assert!(screen(&e.app, 120, 40).contains("Next action   2h_"));
    key(&mut e.app, KeyCode::Enter);
    let next: String = e.one("SELECT next_at FROM leads WHERE id = ?1", [top]);
    assert_eq!(next, ts(now() + Duration::hours(2)));
}

#[test]
fn bad_time_shows_an_error_and_writes_nothing() {
    let mut e = env(Lang::En);
    let before = e.count(ACTS);
    key(&mut e.app, KeyCode::Char('u'));
    typed(&mut e.app, "someday");
    assert!(screen(&e.app, 120, 40).contains("cannot read that time"));
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Form);
    assert_eq!(e.count(ACTS), before);
    // Backspace edits
    for _ in 0.."someday".len() {
        key(&mut e.app, KeyCode::Backspace);
    }
    typed(&mut e.app, "30m");
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.count(ACTS), before + 1);
}

#[test]
fn esc_writes_nothing() {
    let mut e = env(Lang::En);
    let before = e.count(ACTS);
    let top = e.app.rows[0].id;
    for k in ['u', 'r', 'a', 'l', 'x', '1', '5'] {
        key(&mut e.app, KeyCode::Char(k));
        assert_eq!(e.app.mode(), Mode::Form);
        typed(&mut e.app, "1h");
        key(&mut e.app, KeyCode::Esc);
        assert_eq!(e.app.mode(), Mode::Queue);
    }
    assert_eq!(e.count(ACTS), before);
    assert_eq!(e.app.rows[0].id, top);
}

#[test]
fn recall_needs_a_time() {
    let mut e = env(Lang::En);
    let before = e.count(ACTS);
    let top = e.app.rows[0].id;
    key(&mut e.app, KeyCode::Char('r'));
    assert!(screen(&e.app, 120, 40).contains("when did they ask you to call back?"));
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Form);
    assert_eq!(e.count(ACTS), before);
    assert!(screen(&e.app, 120, 40).contains("a time is required"));
    typed(&mut e.app, "14:00");
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Queue);
    assert_eq!(
        e.app.toast.as_ref().unwrap().text,
        "Recall · callback 14:00"
    );
    let (next, cb): (String, i64) = e
        .db()
        .query_row(
            "SELECT next_at, next_callback FROM leads WHERE id = ?1",
            [top],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(next, "2026-11-24T05:00:00Z");
    assert_eq!(cb, 1);
}

#[test]
fn appointment_with_meeting_time_and_sal() {
    let mut e = env(Lang::En);
    let top = e.app.rows[0].id;
    key(&mut e.app, KeyCode::Char('a'));
    typed(&mut e.app, "2026-12-01 15:00");
    key(&mut e.app, KeyCode::Tab);
    typed(&mut e.app, "y");
    key(&mut e.app, KeyCode::Tab);
    typed(&mut e.app, " ");
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(
        e.app.toast.as_ref().unwrap().text,
        "Appointment · meeting Tue 12-01 15:00"
    );
    let (rank, budget, timing): (String, i64, i64) = e
        .db()
        .query_row(
            "SELECT sal_rank, budget, timing FROM appointments WHERE lead_id = ?1",
            [top],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((rank.as_str(), budget, timing), ("B", 1, 0));
    let status: String = e.one("SELECT status FROM leads WHERE id = ?1", [top]);
    assert_eq!(status, "meeting");
}

#[test]
fn lost_and_out_of_scope_store_the_preselected_reason() {
    let mut e = env(Lang::Ja);
    let first = e.app.rows[0].id;
    key(&mut e.app, KeyCode::Char('l'));
    key(&mut e.app, KeyCode::Enter);
    assert!(
        e.app
            .toast
            .as_ref()
            .unwrap()
            .text
            .starts_with("失注 · ニーズなし · 再アプローチ")
    );
    let second = e.app.rows[0].id;
    key(&mut e.app, KeyCode::Char('x'));
    // no time field: the reason list has the focus; pick the second reason
    key(&mut e.app, KeyCode::Right);
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(
        e.app.toast.as_ref().unwrap().text,
        "対象外 · 担当違い · クローズ"
    );
    let reason = |id: i64| -> String {
        e.one(
            "SELECT reason FROM activities WHERE lead_id = ?1 ORDER BY id DESC LIMIT 1",
            [id],
        )
    };
    assert_eq!(reason(first), "no_need");
    assert_eq!(reason(second), "wrong_person");
}

#[test]
fn z_undoes_the_last_result() {
    let mut e = env(Lang::En);
    let top = e.app.rows[0].id;
    let q = "SELECT status, touches, next_at, next_callback FROM leads WHERE id = ?1";
    let state = |e: &Env| -> (String, i64, Option<String>, i64) {
        e.db()
            .query_row(q, [top], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap()
    };
    let before = state(&e);
    let acts = e.count(ACTS);
    key(&mut e.app, KeyCode::Char('l'));
    key(&mut e.app, KeyCode::Enter);
    assert_ne!(state(&e), before);
    key(&mut e.app, KeyCode::Char('z'));
    assert_eq!(state(&e), before);
    assert_eq!(e.count(ACTS), acts);
    assert_eq!(e.app.toast.as_ref().unwrap().text, "Undone");
    assert_eq!(e.app.rows[0].id, top);
    key(&mut e.app, KeyCode::Char('z'));
    assert_eq!(
        e.app.toast.as_ref().unwrap().text,
        "Nothing to undo in this session"
    );
}

#[test]
fn search_finds_any_lead_and_esc_returns_to_the_queue() {
    let mut e = env(Lang::En);
    let all = e.app.rows.len();
    let all_count = e.app.count;
    key(&mut e.app, KeyCode::Char('/'));
    assert_eq!(e.app.mode(), Mode::Filter);
    typed(&mut e.app, "robotics");
    let hits = &e.app.search.as_ref().unwrap().hits;
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h.company.to_lowercase().contains("robotics"))
    );
    // the queue itself is not touched while typing
    assert_eq!((e.app.rows.len(), e.app.count), (all, all_count));
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Queue);
    assert!(screen(&e.app, 120, 40).contains("search: robotics"));
    key(&mut e.app, KeyCode::Esc);
    assert!(e.app.search.is_none());
    assert_eq!(e.app.rows.len(), all);
    assert_eq!(e.app.count, all_count);
}

#[test]
fn remapped_key_works_and_shows_in_the_footer() {
    let cfg = config("[keys]\nrecord_unconnected = \"w\"\nquit = [\"Q\", \"ctrl-q\"]\n");
    let mut e = env_with(cfg, Lang::En, now(), |_| {});
    let s = screen(&e.app, 120, 40);
    let footer = s.lines().last().unwrap();
    assert!(footer.contains("w unconnected"), "{footer}");
    assert!(footer.contains("Q quit"), "{footer}");
    assert!(!footer.contains("u unconnected"), "{footer}");
    key(&mut e.app, KeyCode::Char('u'));
    assert_eq!(e.app.mode(), Mode::Queue);
    key(&mut e.app, KeyCode::Char('w'));
    assert_eq!(e.app.mode(), Mode::Form);
    key(&mut e.app, KeyCode::Esc);
    key(&mut e.app, KeyCode::Char('?'));
    assert!(screen(&e.app, 120, 40).contains("Q/C-q"));
}

#[test]
fn bad_key_config_names_the_file_line_and_key() {
    let e = kaden::config::Config::parse(
        "rep = \"me\"\n[keys]\nrecord_lost = \"ctrl-?\"\n",
        "test.toml",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "test.toml:3: keys.record_lost: unknown key \"ctrl-?\""
    );
}

#[test]
fn note_is_added_to_history() {
    let mut e = env(Lang::En);
    let top = e.app.rows[0].id;
    key(&mut e.app, KeyCode::Char('n'));
    typed(&mut e.app, "HR plans headcount in March");
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.toast.as_ref().unwrap().text, "Note saved");
    let n = e.count(&format!(
        "SELECT count(*) FROM activities WHERE lead_id = {top} AND kind = 'note' AND note = 'HR plans headcount in March'"
    ));
    assert_eq!(n, 1);
    assert!(screen(&e.app, 120, 40).contains("HR plans headcount in March"));
}

#[test]
fn call_shows_the_number_and_its_duration_is_stored() {
    let mut e = env(Lang::En);
    let top = e.app.rows[0].id;
    let phone = e.app.rows[0].phone.clone().unwrap();
    // Shown as people read it at home; the call itself holds the E.164 number.
    let shown = kaden::domain::phone::display(&phone, &e.app.cfg.phone_region);
    assert_eq!(shown, "03-4567-8801");
    key(&mut e.app, KeyCode::Char('c'));
    assert_eq!(e.app.call.as_ref().unwrap().phone, phone);
    // headless (clipboard off): the number as a message, plus an OSC 52 copy
    assert_eq!(
        e.app.toast.as_ref().unwrap().text,
        format!("number: {shown}")
    );
    assert_eq!(e.app.outbox.len(), 1);
    assert!(e.app.outbox[0].starts_with("\x1b]52;c;"));
    let s = screen(&e.app, 120, 40);
    assert!(s.contains(&format!("On call {shown}  00:00")), "{s}");
    key(&mut e.app, KeyCode::Char('u'));
    key(&mut e.app, KeyCode::Enter);
    assert!(e.app.call.is_none());
    let d: Option<i64> = e.one(
        "SELECT duration_s FROM activities WHERE lead_id = ?1 ORDER BY id DESC LIMIT 1",
        [top],
    );
    assert!(d.is_some());
}

#[test]
fn the_call_timer_and_the_stored_duration_come_from_the_clock() {
    let mut e = env(Lang::En);
    let top = e.app.rows[0].id;
    let phone = e.app.rows[0].phone.clone().unwrap();
    let phone = kaden::domain::phone::display(&phone, &e.app.cfg.phone_region);
    key(&mut e.app, KeyCode::Char('c'));
    // 75 s later by the injected clock: the header and the detail pane both say 01:15.
    e.app.clock = Clock::Fixed(now() + Duration::seconds(75));
    e.app.update(tui::Msg::Tick);
    let s = screen(&e.app, 120, 40);
    assert!(s.contains(&format!("On call {phone} 01:15")), "{s}");
    assert!(s.contains(&format!("On call {phone}  01:15")), "{s}");
    key(&mut e.app, KeyCode::Char('u'));
    key(&mut e.app, KeyCode::Enter);
    let d: Option<i64> = e.one(
        "SELECT duration_s FROM activities WHERE lead_id = ?1 ORDER BY id DESC LIMIT 1",
        [top],
    );
    assert_eq!(d, Some(75));
}

#[test]
fn a_toast_expires_by_the_clock_on_a_tick() {
    let mut e = env(Lang::En);
    key(&mut e.app, KeyCode::Char('z'));
    assert_eq!(
        e.app.toast.as_ref().unwrap().text,
        "Nothing to undo in this session"
    );
    e.app.clock = Clock::Fixed(now() + Duration::seconds(7));
    e.app.update(tui::Msg::Tick);
    assert!(screen(&e.app, 120, 40).contains("Nothing to undo"));
    e.app.clock = Clock::Fixed(now() + Duration::seconds(9));
    e.app.update(tui::Msg::Tick);
    assert!(e.app.toast.is_none());
    assert!(!screen(&e.app, 120, 40).contains("Nothing to undo"));
}

#[test]
fn a_failing_dial_command_is_a_message() {
    let cfg = config("dial_command = \"/nonexistent/softphone --call {phone}\"\n");
    let mut e = env_with(cfg, Lang::En, now(), |_| {});
    key(&mut e.app, KeyCode::Enter);
    let t = e.app.toast.as_ref().unwrap();
    assert!(
        t.error && t.text.starts_with("dial command failed"),
        "{}",
        t.text
    );
}

#[test]
fn the_real_loop_runs_on_a_test_backend() {
    let mut e = env(Lang::En);
    let before = e.count(ACTS);
    let k = |c: KeyCode| Ok(Some(Event::Key(KeyEvent::new(c, KeyModifiers::NONE))));
    let events = vec![
        k(KeyCode::Char('j')),
        Ok(None),
        k(KeyCode::Char('u')),
        k(KeyCode::Enter),
        k(KeyCode::Char('q')),
        k(KeyCode::Char('u')),
    ];
    let mut term = ratatui::Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut out = Vec::new();
    tui::run_app(&mut term, &mut e.app, events, &mut out).unwrap();
    assert!(e.app.quit);
    // the `u` after `q` was never handled
    assert_eq!(e.count(ACTS), before + 1);
    assert!(
        term.backend()
            .to_string()
            .contains("Unconnected · Absent · next try")
    );
}

#[test]
fn tab_switches_view_and_back() {
    let mut e = env(Lang::En);
    key(&mut e.app, KeyCode::Tab);
    assert_eq!(e.app.view, kaden::tui::View::Dashboard);
    key(&mut e.app, KeyCode::Char('u'));
    assert_eq!(e.app.mode(), Mode::Queue);
    // Queue → dashboard → meetings to report → queue.
    key(&mut e.app, KeyCode::Tab);
    assert_eq!(e.app.view, kaden::tui::View::Meetings);
    assert_eq!(e.app.mode(), Mode::Meetings);
    key(&mut e.app, KeyCode::Tab);
    assert_eq!(e.app.view, kaden::tui::View::Queue);
}

#[test]
fn tab_opens_the_dashboard_with_its_own_footer_and_tab_returns() {
    let mut e = env(Lang::En);
    key(&mut e.app, KeyCode::Tab);
    assert_eq!(e.app.view, tui::View::Dashboard);
    assert!(e.app.dashboard.is_some(), "dashboard numbers computed");
    let s = screen(&e.app, 120, 40);
    let footer = s.lines().last().unwrap().to_string();
    assert!(footer.contains("Tab view"), "{footer}");
    assert!(!footer.contains("unconnected"), "{footer}");
    assert!(s.contains("Week over week"), "{s}");
    // result keys do nothing here
    let before = e.count("SELECT count(*) FROM activities");
    key(&mut e.app, KeyCode::Char('u'));
    assert!(e.app.result_form.is_none());
    assert_eq!(e.count("SELECT count(*) FROM activities"), before);
    key(&mut e.app, KeyCode::Tab);
    key(&mut e.app, KeyCode::Tab);
    assert_eq!(e.app.view, tui::View::Queue);
}

#[test]
fn help_scrolls_when_the_terminal_is_short() {
    let mut e = env(Lang::En);
    key(&mut e.app, KeyCode::Char('?'));
    let top = screen(&e.app, 80, 24);
    assert!(top.contains("Move the selection down"), "{top}");
    for _ in 0..40 {
        key(&mut e.app, KeyCode::Char('j'));
    }
    let bottom = screen(&e.app, 80, 24);
    assert!(!bottom.contains("Move the selection down"), "{bottom}");
    assert!(bottom.contains("Cancel: close without writing"), "{bottom}");
    key(&mut e.app, KeyCode::Char('g'));
    assert!(screen(&e.app, 80, 24).contains("Move the selection down"));
    key(&mut e.app, KeyCode::Esc);
    assert!(!e.app.help);
}

#[test]
fn the_dashboard_fits_80x24_in_both_languages() {
    for lang in [Lang::En, Lang::Ja] {
        let mut e = env(lang);
        key(&mut e.app, KeyCode::Tab);
        let s = screen(&e.app, 80, 24);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 24);
        // Every panel has its bottom border on screen, the footer is the last line.
        let (funnel, wow) = match lang {
            Lang::En => ("Funnel, this week", "Week over week"),
            Lang::Ja => ("ファネル(今週)", "前週比"),
        };
        assert!(s.contains(funnel) && s.contains(wow), "{s}");
        assert!(
            lines[21].starts_with('└') || lines[21].starts_with('╰'),
            "{s}"
        );
        assert!(lines[23].contains("Tab"), "{s}");
        insta::assert_snapshot!(
            format!("dashboard_80x24_{}", lang.pick("en", "ja")),
            terminal(&e.app, 80, 24).backend()
        );
    }
}

#[test]
fn power_mode_dials_the_next_lead_as_soon_as_a_result_is_saved_and_p_pauses_it() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("dialed.txt");
    let cfg = config(&format!(
        "dial_command = \"sh -c 'echo {{phone}} >> {}'\"\n[queue]\npower_mode = true\n",
        log.display()
    ));
    let mut e = env_with(cfg, Lang::En, now(), |_| {});
    assert!(e.app.power, "one config line turns it on");
    assert!(
        screen(&e.app, 120, 40)
            .lines()
            .last()
            .unwrap()
            .contains("POWER")
    );
    let first = e.app.rows[0].id;
    key(&mut e.app, KeyCode::Char('u'));
    key(&mut e.app, KeyCode::Enter);
    // Saved, and the next lead is on the line already: two keys a call.
    let next = e.app.rows[0].clone();
    assert_ne!(next.id, first);
    let call = e.app.call.as_ref().expect("the next lead is being dialed");
    assert_eq!(call.lead_id, next.id);
    let toast = e.app.toast.as_ref().unwrap().text.clone();
    assert!(
        toast.starts_with("Unconnected · ") && toast.contains(" → Dialing 0"),
        "{toast}"
    );
    // The dial command ran with the next lead's number.
    let want = call.phone.clone();
    let mut dialed = String::new();
    for _ in 0..100 {
        dialed = std::fs::read_to_string(&log).unwrap_or_default();
        if !dialed.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(dialed.trim(), want);
    // P pauses: the next save dials nobody.
    key(&mut e.app, KeyCode::Char('P'));
    assert!(!e.app.power);
    assert!(
        !screen(&e.app, 120, 40)
            .lines()
            .last()
            .unwrap()
            .contains("POWER")
    );
    key(&mut e.app, KeyCode::Char('u'));
    key(&mut e.app, KeyCode::Enter);
    assert!(e.app.call.is_none(), "paused: nothing dialed");
}

#[test]
fn power_mode_is_off_by_default() {
    let mut e = env(Lang::En);
    assert!(!e.app.power);
    key(&mut e.app, KeyCode::Char('u'));
    key(&mut e.app, KeyCode::Enter);
    assert!(e.app.call.is_none());
    assert!(!screen(&e.app, 120, 40).contains("POWER"));
}
