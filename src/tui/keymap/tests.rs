#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn parses_and_shows_keys() {
    assert_eq!(Key::parse("G"), Some(Key::plain(KeyCode::Char('G'))));
    assert_eq!(Key::parse("enter"), Some(Key::plain(KeyCode::Enter)));
    assert_eq!(
        Key::parse("ctrl-d").map(|k| k.mods),
        Some(KeyModifiers::CONTROL)
    );
    assert_eq!(Key::parse("ctrl-?"), None);
    assert_eq!(Key::parse("hyper-x"), None);
    assert_eq!(Key::parse("f5"), Some(Key::plain(KeyCode::F(5))));
    assert_eq!(
        Key::parse("shift-tab").map(|k| k.display()).as_deref(),
        Some("S-Tab")
    );
}

#[test]
fn remap_replaces_and_steals_only_from_an_action_that_keeps_a_key() {
    let mut cfg = Config::default();
    cfg.keys
        .insert("record_unconnected".into(), vec!["n".into(), "1".into()]);
    // taking add_note's only key would make it unreachable: refused
    let e = Keymap::from_config(&cfg).unwrap_err();
    assert_eq!(
        e.reason(),
        "\"n\" is add_note's only key; give add_note a key of its own (e.g. add_note = \"N\")"
    );
    assert_eq!(e.action(), "record_unconnected");
    // with add_note given its own key, both are reachable (add_note used to vanish)
    cfg.keys.insert("add_note".into(), vec!["N".into()]);
    let km = Keymap::from_config(&cfg).unwrap();
    let n = Key::plain(KeyCode::Char('n'));
    let big_n = Key::plain(KeyCode::Char('N'));
    let u = Key::plain(KeyCode::Char('u'));
    assert_eq!(km.lookup(Mode::Queue, n), Some(Action::RecordUnconnected));
    assert_eq!(km.lookup(Mode::Queue, u), None);
    assert_eq!(km.keys_for(Mode::Queue, Action::AddNote), vec![big_n]);
    // taking one of two keys is fine: start_call keeps c
    let mut cfg = Config::default();
    cfg.keys.insert("undo".into(), vec!["enter".into()]);
    let km = Keymap::from_config(&cfg).unwrap();
    assert_eq!(
        km.keys_for(Mode::Queue, Action::StartCall),
        vec![Key::plain(KeyCode::Char('c'))]
    );
}

#[test]
fn two_actions_on_one_key_is_a_conflict() {
    let mut cfg = Config::default();
    cfg.keys.insert("add_note".into(), vec!["N".into()]);
    cfg.keys.insert("edit_lead".into(), vec!["N".into()]);
    let e = Keymap::from_config(&cfg).unwrap_err();
    assert!(matches!(&e, KeyError::Conflict { .. }), "{e:?}");
    assert!(e.reason().contains("\"N\" is also given to"), "{e}");
}

#[test]
fn bad_entries_name_the_key() {
    let mut cfg = Config::default();
    cfg.keys.insert("record_lost".into(), vec!["ctrl-?".into()]);
    let e = Keymap::from_config(&cfg).unwrap_err().to_string();
    assert_eq!(e, "config: [keys] record_lost: unknown key \"ctrl-?\"");
    let mut cfg = Config::default();
    cfg.keys.insert("fly".into(), vec!["f".into()]);
    let e = Keymap::from_config(&cfg).unwrap_err().to_string();
    assert!(e.contains("[keys] fly: unknown action"), "{e}");
}
