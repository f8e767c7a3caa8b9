//! `/` searches every lead as you type (issue 12 "Finding any lead", issue 13 point 1): any
//! status, with where each stands today; a found lead gets a result or a note although it is not
//! in today's queue; Esc returns to the queue with its selection where it was.
#![allow(clippy::unwrap_used)]

mod support;

use insta::assert_snapshot;
use kaden::domain::LeadStatus;
use kaden::i18n::Lang;
use kaden::tui::keymap::Mode;
use ratatui::crossterm::event::KeyCode;
use support::tui::*;

fn search(e: &mut Env, text: &str) {
    key(&mut e.app, KeyCode::Char('/'));
    typed(&mut e.app, text);
}

fn hits(e: &Env) -> Vec<(String, String, LeadStatus)> {
    e.app
        .search
        .as_ref()
        .unwrap()
        .hits
        .iter()
        .map(|h| (h.company.clone(), h.name.clone(), h.status))
        .collect()
}

#[test]
fn every_status_is_found_with_where_it_stands_en_120x40() {
    let mut e = env(Lang::En);
    search(&mut e, "山田");
    assert_eq!(e.app.mode(), Mode::Filter);
    let statuses: Vec<LeadStatus> = hits(&e).iter().map(|h| h.2).collect();
    for s in [
        LeadStatus::Pending,
        LeadStatus::Meeting,
        LeadStatus::Nurturing,
    ] {
        assert!(statuses.contains(&s), "{s:?} in {statuses:?}");
    }
    let s = screen(&e.app, 120, 40);
    assert!(s.contains("Search \"山田\""), "{s}");
    assert!(s.contains("Pending      not in the queue"), "{s}");
    assert!(s.contains("Meeting won  not in the queue"), "{s}");
    assert!(s.contains("in today's queue"), "{s}");
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}

#[test]
fn search_results_ja_80x24() {
    let mut e = env(Lang::Ja);
    search(&mut e, "山田");
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Queue);
    let s = screen(&e.app, 80, 24);
    assert!(s.contains("検索「山田」"), "{s}");
    assert!(s.contains("キュー対象外"), "{s}");
    assert_snapshot!(terminal(&e.app, 80, 24).backend());
}

#[test]
fn a_phone_in_national_or_international_format_finds_the_lead() {
    for q in ["06-5911-5070", "+81659115070", "0659115070"] {
        let mut e = env(Lang::En);
        search(&mut e, q);
        assert_eq!(
            hits(&e),
            vec![(
                "山田製作所".to_string(),
                "中村 さくら".to_string(),
                LeadStatus::Nurturing
            )],
            "{q}"
        );
    }
}

#[test]
fn more_than_a_page_shows_50_plus_without_counting() {
    let mut e = env(Lang::En);
    search(&mut e, "example");
    let s = e.app.search.as_ref().unwrap();
    assert_eq!(s.hits.len(), 50);
    assert_eq!(s.count_label(), "50+");
    assert!(screen(&e.app, 120, 40).contains("50+ found"));
    // nothing found: said, not a blank table
    key(&mut e.app, KeyCode::Esc);
    search(&mut e, "zzzznomatch");
    assert!(screen(&e.app, 120, 40).contains("No lead matches \"zzzznomatch\""));
}

#[test]
fn a_found_lead_outside_the_queue_gets_a_note_and_a_result() {
    let mut e = env(Lang::En);
    // 加藤 由美 of 山田製作所 is pending: not in today's queue
    search(&mut e, "kato31@");
    key(&mut e.app, KeyCode::Enter);
    let id = e.app.search.as_ref().unwrap().hits[0].id;
    assert!(!e.app.rows.iter().any(|r| r.id == id));
    assert_eq!(e.app.detail.as_ref().unwrap().lead.id, id);
    let before: i64 = e.one("SELECT count(*) FROM activities WHERE lead_id = ?1", [id]);
    key(&mut e.app, KeyCode::Char('n'));
    typed(&mut e.app, "called us back");
    key(&mut e.app, KeyCode::Enter);
    let note: String = e.one(
        "SELECT note FROM activities WHERE lead_id = ?1 ORDER BY id DESC LIMIT 1",
        [id],
    );
    assert_eq!(note, "called us back");
    // a recall at 15:00: the lead is approaching again, with the callback
    key(&mut e.app, KeyCode::Char('r'));
    assert!(e.app.result_form.is_some());
    typed(&mut e.app, "15:00");
    key(&mut e.app, KeyCode::Enter);
    assert!(e.app.result_form.is_none(), "{:?}", e.app.error);
    let after: i64 = e.one("SELECT count(*) FROM activities WHERE lead_id = ?1", [id]);
    assert_eq!(after, before + 2);
    let status: String = e.one("SELECT status FROM leads WHERE id = ?1", [id]);
    assert_eq!(status, "approaching");
    // the result list shows its new standing at once
    let s = screen(&e.app, 120, 40);
    assert!(s.contains("not due · next 15:00"), "{s}");
}

#[test]
fn esc_returns_to_the_queue_with_the_selection_where_it_was() {
    let mut e = env(Lang::En);
    key(&mut e.app, KeyCode::Char('j'));
    key(&mut e.app, KeyCode::Char('j'));
    let (at, id) = (e.app.selected, e.app.rows[2].id);
    search(&mut e, "山田");
    key(&mut e.app, KeyCode::Enter);
    key(&mut e.app, KeyCode::Char('j'));
    assert_ne!(e.app.detail.as_ref().unwrap().lead.id, id);
    key(&mut e.app, KeyCode::Esc);
    assert!(e.app.search.is_none());
    assert_eq!(e.app.mode(), Mode::Queue);
    assert_eq!((e.app.selected, e.app.rows[e.app.selected].id), (at, id));
    assert_eq!(e.app.detail.as_ref().unwrap().lead.id, id);
    // Esc while typing goes back too
    search(&mut e, "山");
    key(&mut e.app, KeyCode::Esc);
    assert!(e.app.search.is_none());
    assert_eq!(e.app.rows[e.app.selected].id, id);
}
