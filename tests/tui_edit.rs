//! The `e` edit form through the real `update` on the demo database: what is saved is on disk,
//! Esc and refused fields write nothing, and the form as drawn (en, ja).
#![allow(clippy::unwrap_used)]

mod support;

use insta::assert_snapshot;
use kaden::i18n::Lang;
use kaden::tui::Mode;
use ratatui::crossterm::event::KeyCode;
use support::tui::*;

/// The selected lead's row as text (every editable column), to see that nothing changed.
fn lead_row(e: &Env, id: i64) -> String {
    e.one(
        "SELECT l.name || '|' || l.title || '|' || l.department || '|' || COALESCE(l.role, '')
                    || '|' || COALESCE(l.phone, '') || '|' || COALESCE(l.mobile, '') || '|'
                    || COALESCE(l.email, '') || '|' || l.time_zone || '|' || l.owner || '|'
                    || l.tier || '|' || l.version || '|' || c.name || '|' || c.tier
             FROM leads l JOIN companies c ON c.id = l.company_id WHERE l.id = ?1",
        [id],
    )
}

/// Move the focus down to the field labelled `label`.
fn focus(e: &mut Env, label: &str) {
    for _ in 0..12 {
        if screen(&e.app, 120, 40)
            .lines()
            .any(|l| l.contains(&format!("> {label} ")))
        {
            return;
        }
        key(&mut e.app, KeyCode::Down);
    }
    panic!("no field {label}");
}

#[test]
fn e_edits_the_title_and_enter_stores_it() {
    let mut e = env(Lang::En);
    let id = e.app.rows[0].id;
    let old_title = e.app.detail.as_ref().unwrap().lead.title.clone();
    key(&mut e.app, KeyCode::Char('e'));
    assert_eq!(e.app.mode(), Mode::Form);
    focus(&mut e, "Title");
    // Typing replaces the prefilled value (as in the result form)…
    typed(&mut e.app, "CTO");
    assert!(screen(&e.app, 120, 40).contains("CTO_"));
    // …and moving the cursor first keeps it for editing: End, then append; Backspace deletes.
    key(&mut e.app, KeyCode::Tab);
    key(&mut e.app, KeyCode::BackTab);
    key(&mut e.app, KeyCode::End);
    typed(&mut e.app, " XY");
    key(&mut e.app, KeyCode::Backspace);
    let want = "CTO X".to_string();
    assert_ne!(old_title, want, "the demo lead's title was something else");
    assert!(screen(&e.app, 120, 40).contains(&format!("{want}_")));
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Queue);
    let stored: String = e.one("SELECT title FROM leads WHERE id = ?1", [id]);
    assert_eq!(stored, want);
    // The window and the detail were re-read; the selection stayed on the lead.
    assert_eq!(e.app.selected_row().unwrap().id, id);
    assert_eq!(e.app.detail.as_ref().unwrap().lead.title, want);
    assert_eq!(e.app.toast.as_ref().unwrap().text, "Lead updated");
    assert!(screen(&e.app, 120, 40).contains("Lead updated"));
}

#[test]
fn esc_closes_the_form_and_writes_nothing() {
    let mut e = env(Lang::En);
    let id = e.app.rows[0].id;
    let before = lead_row(&e, id);
    key(&mut e.app, KeyCode::Char('e'));
    typed(&mut e.app, "Renamed");
    focus(&mut e, "Tier");
    key(&mut e.app, KeyCode::Right);
    key(&mut e.app, KeyCode::Esc);
    assert_eq!(e.app.mode(), Mode::Queue);
    assert!(e.app.edit_form.is_none());
    assert_eq!(lead_row(&e, id), before);
}

#[test]
fn a_bad_email_shows_the_error_and_keeps_the_form() {
    let mut e = env(Lang::En);
    let id = e.app.rows[0].id;
    let before = lead_row(&e, id);
    key(&mut e.app, KeyCode::Char('e'));
    focus(&mut e, "Email");
    for _ in 0..80 {
        key(&mut e.app, KeyCode::Backspace);
    }
    typed(&mut e.app, "nobody-at-example");
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Form);
    let s = screen(&e.app, 120, 40);
    assert!(
        s.contains("email: 'nobody-at-example' is not an email address"),
        "{s}"
    );
    assert_eq!(lead_row(&e, id), before);
    // Fixing it saves.
    typed(&mut e.app, "@example.com");
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Queue);
    let email: String = e.one("SELECT email FROM leads WHERE id = ?1", [id]);
    assert_eq!(email, "nobody-at-example@example.com");
}

#[test]
fn tier_cycles_and_reaches_the_company() {
    let mut e = env(Lang::En);
    let id = e.app.rows[0].id;
    key(&mut e.app, KeyCode::Char('e'));
    focus(&mut e, "Tier");
    assert!(screen(&e.app, 120, 40).contains("every lead of the company"));
    let company = format!("(SELECT company_id FROM leads WHERE id = {id})");
    let leads = e.count(&format!(
        "SELECT count(*) FROM leads WHERE company_id = {company}"
    ));
    assert!(leads >= 2, "the demo company should have several leads");
    assert_eq!(
        e.count(&format!(
            "SELECT count(*) FROM leads WHERE company_id = {company} AND tier = 3"
        )),
        0
    );
    key(&mut e.app, KeyCode::Left);
    assert!(screen(&e.app, 120, 40).contains("< T3 >"));
    key(&mut e.app, KeyCode::Right);
    typed(&mut e.app, "3");
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Queue);
    let n = e.count(&format!(
        "SELECT count(*) FROM leads WHERE company_id = {company} AND tier = 3"
    ));
    assert_eq!(n, leads);
    assert_eq!(
        e.count(&format!("SELECT tier FROM companies WHERE id = {company}")),
        3
    );
    assert_eq!(e.app.selected_row().unwrap().id, id);
    assert_eq!(e.app.detail.as_ref().unwrap().lead.tier.get(), 3);
}

#[test]
fn e_is_in_the_help_and_remappable() {
    let mut e = env(Lang::En);
    key(&mut e.app, KeyCode::Char('?'));
    assert!(screen(&e.app, 120, 40).contains("Edit the selected lead"));
    let km = kaden::tui::Keymap::from_config(&config("[keys]\nedit_lead = \"E\"\n")).unwrap();
    let table = kaden::tui::help::keys_table(&km, Lang::Ja);
    assert!(table.contains("edit_lead"), "{table}");
    assert!(table.contains("選択中のリードを編集"), "{table}");
    let mut e = env_with(
        config("[keys]\nedit_lead = \"E\"\n"),
        Lang::En,
        now(),
        |_| {},
    );
    key(&mut e.app, KeyCode::Char('e'));
    assert_eq!(e.app.mode(), Mode::Queue);
    key(&mut e.app, KeyCode::Char('E'));
    assert_eq!(e.app.mode(), Mode::Form);
}

#[test]
fn edit_form_en() {
    let mut e = env(Lang::En);
    key(&mut e.app, KeyCode::Char('e'));
    let s = screen(&e.app, 120, 40);
    assert!(s.contains("Edit lead"), "{s}");
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}

#[test]
fn edit_form_ja() {
    let mut e = env(Lang::Ja);
    key(&mut e.app, KeyCode::Char('e'));
    let s = screen(&e.app, 120, 40);
    assert!(s.contains("リード編集"), "{s}");
    assert_snapshot!(terminal(&e.app, 120, 40).backend());
}
