//! The "meetings to report" view (Tab, Tab): meetings whose time has passed without a result,
//! closed out with one key — held, no-show, won (with the amount typed), lost — each one store
//! transaction; a no-show or a lost meeting goes back to nurturing with its re-approach date.
#![allow(clippy::unwrap_used)]

mod support;

use insta::assert_snapshot;
use kaden::domain::CallResult;
use kaden::i18n::Lang;
use kaden::store::{ResultInput, Store};
use kaden::tui::View;
use ratatui::crossterm::event::KeyCode;
use support::tui::*;

/// Two demo leads get appointments booked on Mon 16 Nov whose meetings (Thu 19 Nov 15:00 and
/// Fri 20 Nov 11:00) have passed by "now" (Tue 24 Nov 10:00) with no result.
fn with_two_past_meetings(lang: Lang) -> (Env, [i64; 2]) {
    let cfg = config("");
    let c2 = cfg.clone();
    let mut ids = [0; 2];
    let e = env_with(cfg, lang, now(), |s: &mut Store| {
        let leads: Vec<i64> = s
            .queue(&kaden::store::QueueQuery {
                now: now(),
                cfg: &c2,
                limit: 2,
                filter: None,
                owner: None,
            })
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        for (i, (id, meeting)) in leads
            .iter()
            .zip(["2026-11-19T15:00:00+09:00", "2026-11-20T11:00:00+09:00"])
            .enumerate()
        {
            let mut r = ResultInput::new(*id, CallResult::Appointment, "me");
            r.meeting_at = Some(at(meeting));
            r.amount = Some(800_000.0);
            s.record_result(&r, &c2, at("2026-11-16T10:00:00+09:00"))
                .unwrap();
            ids[i] = *id;
        }
    });
    (e, ids)
}

fn to_meetings(e: &mut Env) {
    key(&mut e.app, KeyCode::Tab);
    key(&mut e.app, KeyCode::Tab);
    assert_eq!(e.app.view, View::Meetings);
}

#[test]
fn the_view_lists_past_meetings_without_a_result() {
    let (mut e, ids) = with_two_past_meetings(Lang::En);
    to_meetings(&mut e);
    let listed: Vec<i64> = e.app.meetings.iter().map(|m| m.lead_id).collect();
    // The demo's own past meetings all have a result; the two booked here, oldest first.
    assert_eq!(&listed[listed.len() - 2..], &ids);
    let s = screen(&e.app, 100, 30);
    assert!(s.contains("Meetings to report"), "{s}");
    assert!(
        s.contains("h held") && s.contains("s no-show") && s.contains("w won"),
        "{s}"
    );
    assert_snapshot!(terminal(&e.app, 100, 30).backend());
}

#[test]
fn the_view_in_japanese() {
    let (mut e, _) = with_two_past_meetings(Lang::Ja);
    to_meetings(&mut e);
    let s = screen(&e.app, 100, 30);
    assert!(s.contains("商談結果の報告"), "{s}");
    assert_snapshot!(terminal(&e.app, 100, 30).backend());
}

#[test]
fn no_show_goes_back_to_nurturing_and_won_takes_the_amount() {
    let (mut e, [first, second]) = with_two_past_meetings(Lang::En);
    to_meetings(&mut e);
    let pos = |e: &Env, id| e.app.meetings.iter().position(|m| m.lead_id == id).unwrap();
    e.app.meetings_selected = pos(&e, first);
    key(&mut e.app, KeyCode::Char('s'));
    // Re-approach 90 days after Tue 24 Nov 10:00: Mon 22 Feb 2027 10:00.
    let toast = e.app.toast.clone().unwrap();
    assert!(!toast.error, "{toast:?}");
    assert!(
        toast
            .text
            .contains("not held (no-show) · nurturing, re-approach"),
        "{}",
        toast.text
    );
    let status: String = e.one("SELECT status FROM leads WHERE id = ?1", [first]);
    let next: String = e.one("SELECT next_at FROM leads WHERE id = ?1", [first]);
    assert_eq!(
        (status.as_str(), next.as_str()),
        ("nurturing", "2027-02-22T01:00:00Z")
    );
    assert!(!e.app.meetings.iter().any(|m| m.lead_id == first));
    // Won: a bad amount is refused and the line stays; Enter with an amount saves it.
    e.app.meetings_selected = pos(&e, second);
    key(&mut e.app, KeyCode::Char('w'));
    assert!(screen(&e.app, 100, 30).contains("Amount won (Enter keeps 800,000)"));
    typed(&mut e.app, "lots");
    key(&mut e.app, KeyCode::Enter);
    assert!(e.app.toast.as_ref().unwrap().error);
    assert!(e.app.won_amount.is_some());
    for _ in 0..4 {
        key(&mut e.app, KeyCode::Backspace);
    }
    typed(&mut e.app, "1,200,000");
    key(&mut e.app, KeyCode::Enter);
    assert!(e.app.won_amount.is_none());
    let (outcome, amount): (String, f64) = (
        e.one(
            "SELECT outcome FROM appointments WHERE lead_id = ?1",
            [second],
        ),
        e.one(
            "SELECT outcome_amount FROM appointments WHERE lead_id = ?1",
            [second],
        ),
    );
    assert_eq!((outcome.as_str(), amount), ("won", 1_200_000.0));
    assert!(e.app.toast.as_ref().unwrap().text.contains("won 1,200,000"));
    let status: String = e.one("SELECT status FROM leads WHERE id = ?1", [second]);
    assert_eq!(status, "meeting");
    // Esc on the amount line writes nothing.
    let before = e.count("SELECT count(*) FROM appointments WHERE outcome IS NOT NULL");
    if !e.app.meetings.is_empty() {
        key(&mut e.app, KeyCode::Char('w'));
        key(&mut e.app, KeyCode::Esc);
        assert!(e.app.won_amount.is_none());
    }
    assert_eq!(
        before,
        e.count("SELECT count(*) FROM appointments WHERE outcome IS NOT NULL")
    );
    // Tab goes back to the queue.
    key(&mut e.app, KeyCode::Tab);
    assert_eq!(e.app.view, View::Queue);
}

#[test]
fn nothing_to_report_says_so() {
    let mut e = env(Lang::En);
    to_meetings(&mut e);
    // Close out whatever the demo left open, then the view says there is nothing.
    while !e.app.meetings.is_empty() {
        key(&mut e.app, KeyCode::Char('h'));
        key(&mut e.app, KeyCode::Char('l'));
    }
    let s = screen(&e.app, 80, 24);
    assert!(s.contains("No meetings to report"), "{s}");
}
