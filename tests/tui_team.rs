//! Two reps' TUIs on one database (SPEC §5), on TestBackends: opening the result form claims
//! the lead and hides it from the other rep; cancelling gives it back; a save by one shows in
//! the other's queue at its next tick without moving the other's selection; a lead claimed by
//! the other rep cannot be opened.
#![allow(clippy::unwrap_used)]

mod support;

use kaden::clock::Clock;
use kaden::ctx::Ctx;
use kaden::i18n::Lang;
use kaden::store::Store;
use kaden::tui::action::Msg;
use kaden::tui::app::App;
use ratatui::crossterm::event::KeyCode;
use support::now;
use support::tui::{config, env, key};

/// A second rep's app on the same file.
fn second(path: &std::path::Path, rep: &str) -> App {
    let ctx = Ctx {
        cfg: config(""),
        clock: Clock::Fixed(now()),
        lang: Lang::En,
        rep: rep.into(),
        db: path.to_path_buf(),
        db_explicit: true,
        db_url: None,
        mine_only: false,
    };
    let mut store = Store::open(path).unwrap();
    store.set_rep(rep);
    let mut app = App::new(store, &ctx).unwrap();
    app.use_clipboard = false;
    app
}

fn ids(app: &App) -> Vec<i64> {
    app.rows.iter().map(|r| r.id).collect()
}

#[test]
fn a_lead_in_one_reps_form_is_hidden_from_the_other_until_cancelled() {
    let mut ann = env(Lang::En);
    ann.app.store.set_rep("me");
    let mut bob = second(&ann.db_path(), "bob");
    let first = ids(&ann.app)[0];
    assert_eq!(ids(&bob)[0], first);
    key(&mut ann.app, KeyCode::Char('u'));
    assert!(ann.app.result_form.is_some());
    bob.update(Msg::Tick);
    assert!(
        !ids(&bob).contains(&first),
        "claimed by ann: gone from bob's queue"
    );
    assert!(ids(&ann.app).contains(&first), "still in ann's own");
    key(&mut ann.app, KeyCode::Esc);
    bob.update(Msg::Tick);
    assert_eq!(ids(&bob)[0], first, "back after the cancel");
}

#[test]
fn a_save_shows_in_the_other_queue_at_the_next_tick_and_keeps_its_selection() {
    let mut ann = env(Lang::En);
    let mut bob = second(&ann.db_path(), "bob");
    // Bob looks at the third lead.
    key(&mut bob, KeyCode::Char('j'));
    key(&mut bob, KeyCode::Char('j'));
    let bobs = bob.selected_row().unwrap().id;
    let first = ids(&ann.app)[0];
    key(&mut ann.app, KeyCode::Char('u'));
    key(&mut ann.app, KeyCode::Enter);
    assert!(ann.app.result_form.is_none(), "saved: {:?}", ann.app.toast);
    bob.update(Msg::Tick);
    assert!(
        !ids(&bob).contains(&first),
        "ann's result moved the lead on"
    );
    assert_eq!(
        bob.selected_row().unwrap().id,
        bobs,
        "bob's selection stayed on his lead"
    );
}

#[test]
fn a_lead_the_other_rep_holds_cannot_be_opened() {
    let mut ann = env(Lang::En);
    let first = ids(&ann.app)[0];
    let mut bob = second(&ann.db_path(), "bob");
    key(&mut ann.app, KeyCode::Char('u'));
    // Bob's screen has not ticked yet: the lead is still shown as his first row.
    assert_eq!(bob.selected_row().unwrap().id, first);
    key(&mut bob, KeyCode::Char('u'));
    assert!(bob.result_form.is_none(), "no form on a lead ann holds");
    let toast = bob.toast.as_ref().unwrap();
    assert!(toast.text.contains("being worked by me"), "{}", toast.text);
    assert!(!ids(&bob).contains(&first), "and bob's queue was re-read");
}
