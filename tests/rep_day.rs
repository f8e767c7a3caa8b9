//! A rep's whole day (issue 12), as the CLI and the screen show it: zones from the area code,
//! "zone unknown", promised callbacks outside calling hours warned then kept.
#![allow(clippy::unwrap_used)]

mod support;

use kaden::i18n::Lang;
use kaden::tui::Mode;
use ratatui::crossterm::event::KeyCode;
use support::Ws;
use support::tui::*;

const ACTS: &str = "SELECT count(*) FROM activities";

/// A workspace with one Tokyo lead (id 1) and one New York lead (id 2), imported from a CSV
/// without any zone column.
fn two_leads() -> Ws {
    let ws = Ws::new();
    let csv = ws.file(
        "leads.csv",
        "company,name,phone\nTokyo Co,Sato,03-4567-8801\nNY Co,Smith,+1 212 555 0100\nAU Co,Jones,+61 412 345 678\n"
            .as_bytes(),
    );
    ws.import_ok(&csv, &[]);
    ws
}

#[test]
fn cli_queue_shows_the_area_code_zone_and_zone_unknown() {
    let ws = two_leads();
    // Tue 23:30 JST = 09:30 New York; Sydney 01:30: only New York is open
    let out = ws
        .kaden(&["queue", "--format", "json"])
        .env("KADEN_NOW", "2026-11-24T23:30:00+09:00")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{v}");
    assert_eq!(rows[0]["company"], "NY Co");
    assert_eq!(rows[0]["time_zone"], "America/New_York");
    assert_eq!(rows[0]["local_time"], "09:30");
    assert_eq!(rows[0]["zone_unknown"], false);
    // Tue 10:30 JST: Tokyo open, Sydney 12:30 and Perth 09:30 open: the mobile is offered,
    // marked unknown, with the span of local times
    let out = ws
        .kaden(&["queue", "--format", "json"])
        .env("KADEN_NOW", "2026-11-24T10:30:00+09:00")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let au = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["company"] == "AU Co")
        .expect("the mobile is offered while every Australian zone is open");
    assert_eq!(au["zone_unknown"], true);
    assert_eq!(au["local_time"], "09:30–12:30");
}

#[test]
fn cli_log_warns_on_a_recall_outside_calling_hours_and_keeps_it_when_confirmed() {
    let ws = two_leads();
    let before = ws.count(ACTS);
    let (ok, _, err) = ws.run(&["log", "1", "recall", "--next", "20:00"]);
    assert!(!ok);
    assert!(
        err.contains("their time 20:00 is outside calling hours — the prospect asked for it? If so, add --off-hours"),
        "{err}"
    );
    assert_eq!(ws.count(ACTS), before, "nothing written");
    let (ok, out, err) = ws.run(&["log", "1", "recall", "--next", "20:00", "--off-hours"]);
    assert!(ok, "{err}");
    assert!(out.contains("2026-11-24 20:00"), "{out}");
    // at 20:05 the promise is offered, Tokyo closed or not
    let out = ws
        .kaden(&["queue"])
        .env("KADEN_NOW", "2026-11-24T20:05:00+09:00")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Tokyo Co"), "{text}");
    assert!(text.contains("callback promised 20:00"), "{text}");
    // in Japanese too
    let (ok, _, err) = ws.run(&["--lang", "ja", "log", "1", "recall", "--next", "21:00"]);
    assert!(!ok);
    assert!(err.contains("先方の時刻 21:00 は架電時間外です"), "{err}");
}

#[test]
fn the_form_warns_on_an_off_hours_recall_then_keeps_it_on_a_second_enter() {
    for lang in [Lang::En, Lang::Ja] {
        let mut e = env(lang);
        let before = e.count(ACTS);
        let top = e.app.rows[0].id;
        key(&mut e.app, KeyCode::Char('r'));
        typed(&mut e.app, "20:00");
        let s = screen(&e.app, 120, 40);
        let warn = match lang {
            Lang::En => "their time 20:00 is outside calling hours — the prospect asked for it?",
            Lang::Ja => "先方 20:00 は架電時間外 — 先方の希望ですか?",
        };
        assert!(s.contains(warn), "{s}");
        key(&mut e.app, KeyCode::Enter);
        assert_eq!(e.app.mode(), Mode::Form, "the first Enter only warns");
        assert_eq!(e.count(ACTS), before);
        let s = screen(&e.app, 120, 40);
        let again = match lang {
            Lang::En => "Enter again keeps their 20:00 (they asked)",
            Lang::Ja => "もう一度 Enter で先方 20:00 を保存",
        };
        assert!(s.contains(again), "{s}");
        key(&mut e.app, KeyCode::Enter);
        assert_eq!(e.app.mode(), Mode::Queue);
        assert_eq!(e.count(ACTS), before + 1);
        let kept: i64 = e.one("SELECT next_off_hours FROM leads WHERE id = ?1", [top]);
        assert_eq!(kept, 1);
    }
}

#[test]
fn import_reads_salesforce_and_hubspot_do_not_call_columns() {
    let ws = Ws::new();
    let sf = ws.file(
        "sf.csv",
        b"Company,LastName,Phone,DoNotCall\nA Co,Sato,03-1111-1111,true\nB Co,Kato,03-2222-2222,false\n",
    );
    ws.import_ok(&sf, &[]);
    let hs = ws.file(
        "hs.csv",
        b"Company Name,Last Name,Phone Number,Do not call\nC Co,Ito,03-3333-3333,Yes\nD Co,Abe,03-4444-4444,\n",
    );
    ws.import_ok(&hs, &[]);
    let marked = ws.rows("SELECT name FROM leads WHERE do_not_call = 1 ORDER BY name");
    assert_eq!(
        marked,
        vec![vec!["Ito".to_string()], vec!["Sato".to_string()]]
    );
    let (ok, out, _) = ws.run(&["queue", "--format", "json"]);
    assert!(ok);
    assert!(!out.contains("A Co") && !out.contains("C Co"), "{out}");
    assert!(out.contains("B Co") && out.contains("D Co"), "{out}");
    // a merge never lifts the mark, and a value that is neither yes nor no makes the row bad
    let again = ws.file(
        "again.csv",
        b"Company,LastName,Phone,DoNotCall\nA Co,Sato,03-1111-1111,false\n",
    );
    ws.import_ok(&again, &[]);
    assert_eq!(
        ws.count("SELECT count(*) FROM leads WHERE do_not_call = 1"),
        2
    );
    let bad = ws.file(
        "bad.csv",
        b"Company,LastName,Phone,DoNotCall\nE Co,Ueda,03-5555-5555,maybe\n",
    );
    let (ok, _, err) = ws.run(&["import", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("bad.csv:2") && err.contains("do-not-call value 'maybe'"),
        "{err}"
    );
}

#[test]
fn cli_dnc_marks_a_lead_or_a_number_and_clears_a_lead() {
    let ws = two_leads();
    let (ok, out, err) = ws.run(&["dnc", "1", "--reason", "asked never to be called"]);
    assert!(ok, "{err}");
    assert!(out.contains("#1 Tokyo Co: do not call"), "{out}");
    let (_, q, _) = ws.run(&["queue"]);
    assert!(!q.contains("Tokyo Co"), "{q}");
    let (ok, out, _) = ws.run(&["dnc", "1", "--clear"]);
    assert!(ok && out.contains("may be called again"), "{out}");
    let (_, q, _) = ws.run(&["queue"]);
    assert!(q.contains("Tokyo Co"), "{q}");
    let (ok, out, err) = ws.run(&["dnc", "--number", "03-4567-8801"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("+81345678801 is on the do-not-call list · 1 lead(s) marked"),
        "{out}"
    );
    let (_, list, _) = ws.run(&["dnc", "--list"]);
    assert!(list.starts_with("+81345678801\t"), "{list}");
    let (ok, _, err) = ws.run(&["dnc", "#99"]);
    assert!(!ok && err.contains("99"), "{err}");
    let (ok, _, err) = ws.run(&["dnc"]);
    assert!(!ok && err.contains("--number"), "{err}");
}

#[test]
fn the_tui_marks_do_not_call_with_a_key_and_asks_before_dialing_one() {
    let mut e = env(Lang::En);
    let top = e.app.rows[0].id;
    key(&mut e.app, KeyCode::Char('D'));
    assert!(e.app.rows.iter().all(|r| r.id != top), "left the queue");
    let toast = e.app.toast.as_ref().unwrap().text.clone();
    assert!(
        toast.contains("do not call — removed from the queue"),
        "{toast}"
    );
    let marked: i64 = e.one("SELECT do_not_call FROM leads WHERE id = ?1", [top]);
    assert_eq!(marked, 1);
    // marked elsewhere (another kaden, `kaden dnc`) while this screen still shows the lead
    let next = e.app.rows[0].id;
    e.app
        .store
        .set_do_not_call(next, true, Some("legal hold"), now())
        .unwrap();
    key(&mut e.app, KeyCode::Char('j'));
    key(&mut e.app, KeyCode::Char('k'));
    assert_eq!(e.app.rows[0].id, next);
    assert!(screen(&e.app, 120, 40).contains("Do not call: legal hold"));
    key(&mut e.app, KeyCode::Char('c'));
    assert!(e.app.call.is_none(), "not dialed on the first press");
    let toast = e.app.toast.as_ref().unwrap().text.clone();
    assert_eq!(
        toast,
        "Do not call: legal hold — press call again to dial anyway"
    );
    key(&mut e.app, KeyCode::Char('c'));
    assert_eq!(e.app.call.as_ref().map(|c| c.lead_id), Some(next));
}

#[test]
fn lost_without_a_next_action_from_the_form_and_the_cli() {
    let mut e = env(Lang::En);
    let top = e.app.rows[0].id;
    key(&mut e.app, KeyCode::Char('l'));
    // the prefilled re-approach date goes with one Backspace; empty says what it means
    key(&mut e.app, KeyCode::Backspace);
    assert!(screen(&e.app, 120, 40).contains("empty = nurturing without a next action"));
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Queue);
    let (status, next): (String, Option<String>) = {
        let c = e.db();
        c.query_row(
            "SELECT status, next_at FROM leads WHERE id = ?1",
            [top],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    assert_eq!((status.as_str(), next), ("nurturing", None));

    let ws = two_leads();
    let (ok, out, err) = ws.run(&["log", "1", "lost", "--reason", "no_need", "--no-next"]);
    assert!(ok, "{err}");
    assert!(out.contains("Nurturing · no next action"), "{out}");
    let (ok, _, err) = ws.run(&["log", "2", "unconnected", "--no-next"]);
    assert!(!ok && err.contains("--no-next is for lost"), "{err}");
}

#[test]
fn as_rep_shows_their_queue_and_a_key_toggles_everyones() {
    let ws = Ws::new();
    let csv = ws.file(
        "leads.csv",
        b"company,name,phone,owner\nMine Co,A,03-1111-1111,sato\nFree Co,B,03-2222-2222,\nTheirs Co,C,03-3333-3333,kato\n",
    );
    ws.import_ok(&csv, &["--owner", ""]);
    let (_, out, _) = ws.run(&["queue", "--as", "sato"]);
    assert!(out.contains("Mine Co") && out.contains("Free Co"), "{out}");
    assert!(!out.contains("Theirs Co"), "{out}");
    let (_, out, _) = ws.run(&["queue", "--as", "sato", "--all"]);
    assert!(out.contains("Theirs Co"), "{out}");
    let (_, out, _) = ws.run(&["queue"]);
    assert!(out.contains("Theirs Co"), "without --as: everyone's");

    // the TUI: mine by default with --as, `A` toggles
    let mut e = env(Lang::En);
    e.app.mine_only = true;
    e.app.rep = "nobody-has-this".into();
    e.app.reload().unwrap();
    let mine = e.app.rows.len();
    key(&mut e.app, KeyCode::Char('A'));
    assert!(!e.app.mine_only);
    assert!(e.app.rows.len() > mine, "{} vs {mine}", e.app.rows.len());
    assert_eq!(e.app.toast.as_ref().unwrap().text, "everyone's leads");
    key(&mut e.app, KeyCode::Char('A'));
    assert_eq!(e.app.rows.len(), mine);
    assert!(screen(&e.app, 120, 40).contains("nobody-has-this (own + unassigned)"));
}

#[test]
fn rebinding_never_makes_an_action_unreachable() {
    let ws = Ws::with_config("[keys]\nrecord_unconnected = [\"n\", \"1\"]\nadd_note = \"N\"\n");
    let (ok, out, err) = ws.run(&["keys"]);
    assert!(ok, "{err}");
    let note = out.lines().find(|l| l.contains("add_note")).unwrap_or("");
    assert!(note.contains('N'), "add_note is bound to N: {out}");
    let ws = Ws::with_config("[keys]\nrecord_unconnected = [\"n\", \"1\"]\n");
    let (ok, _, err) = ws.run(&["keys"]);
    assert!(!ok);
    assert!(
        err.contains("config.toml:5: keys.record_unconnected: \"n\" is add_note's only key"),
        "{err}"
    );
}

#[test]
fn phones_read_nationally_at_home_and_internationally_abroad_and_old_promises_say_their_date() {
    let e = env(Lang::En);
    let s = screen(&e.app, 120, 40);
    let phone = s.lines().find(|l| l.contains("Phone ")).unwrap_or("");
    assert!(phone.contains("Phone  03-"), "{phone}");
    assert!(!phone.contains("+81"), "{phone}");

    let ws = two_leads();
    // the New York lead's number, seen from Japan
    let store = ws.store();
    let ny = store.lead(2).unwrap();
    assert_eq!(
        kaden::domain::phone::display(ny.phone.as_deref().unwrap(), "JP"),
        "+1 212-555-0100"
    );
    let (ok, _, err) = ws.run(&["log", "1", "recall", "--next", "17:00"]);
    assert!(ok, "{err}");
    let q = |when: &str| {
        let out = ws
            .kaden(&["queue"])
            .env("KADEN_NOW", when)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(q("2026-11-24T17:05:00+09:00").contains("callback promised 17:00"));
    let next_day = q("2026-11-25T10:00:00+09:00");
    assert!(
        next_day.contains("callback promised Tue 11-24 17:00"),
        "{next_day}"
    );
}

/// A touch on another channel from the CLI: saved with its channel and note, shown in the
/// history before the next dial; a kind kaden does not know is one line, exit 1, nothing
/// written.
#[test]
fn cli_touch_logs_an_email_and_refuses_an_unknown_kind_writing_nothing() {
    let ws = two_leads();
    let before = std::fs::read(&ws.db).unwrap();
    let (ok, _, err) = ws.run(&["touch", "1", "fax", "--note", "x"]);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("'fax' is not a touch"), "{err}");
    assert_eq!(std::fs::read(&ws.db).unwrap(), before, "nothing written");
    let (ok, out, err) = ws.run(&["touch", "1", "email-reply", "--note", "declined: no budget"]);
    assert!(ok, "{err}");
    assert!(out.contains("Email reply"), "{out}");
    let acts = ws.run(&["export", "activities"]).1;
    let last = acts.lines().last().unwrap();
    assert!(
        last.contains(",email,,email_reply,declined: no budget,"),
        "{last}"
    );
}

/// `t` in the queue: ←/→ picks what happened, typing writes the note, Enter saves; the detail
/// pane's history says "Email reply" with the note; `z` takes it back.
#[test]
fn t_logs_a_touch_from_the_queue_and_z_takes_it_back() {
    let mut e = env(Lang::En);
    let id = e.app.rows[0].id;
    let before = e.count(ACTS);
    key(&mut e.app, KeyCode::Char('t'));
    assert_eq!(e.app.mode(), Mode::Note);
    assert!(screen(&e.app, 120, 40).contains("Touch ←/→ < Email sent >"));
    key(&mut e.app, KeyCode::Right);
    typed(&mut e.app, "declined by email");
    assert!(screen(&e.app, 120, 40).contains("< Email reply >  Note: declined by email_"));
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Queue);
    assert_eq!(e.count(ACTS), before + 1);
    let n = e.count(&format!(
        "SELECT count(*) FROM activities WHERE lead_id = {id} AND channel = 'email' AND reason = 'email_reply' AND note = 'declined by email' AND result IS NULL"
    ));
    assert_eq!(n, 1);
    assert!(
        e.app
            .toast
            .as_ref()
            .unwrap()
            .text
            .starts_with("Email reply")
    );
    // Back on that lead, the history shows it before the next dial.
    let pos = e.app.rows.iter().position(|r| r.id == id).unwrap();
    for _ in 0..pos {
        key(&mut e.app, KeyCode::Char('j'));
    }
    let s = screen(&e.app, 120, 40);
    assert!(s.contains("Email · Email reply"), "{s}");
    assert!(s.contains("declined by email"), "{s}");
    key(&mut e.app, KeyCode::Char('z'));
    assert_eq!(e.count(ACTS), before);
    // Esc writes nothing.
    key(&mut e.app, KeyCode::Char('t'));
    typed(&mut e.app, "x");
    key(&mut e.app, KeyCode::Esc);
    assert_eq!(e.app.mode(), Mode::Queue);
    assert_eq!(e.count(ACTS), before);
}

/// At 80×24 the table drops Local, Tc and Due (company, contact and why stay readable) and
/// the detail pane puts status, next action and why-here before the reach details; at 120×40
/// every column is there.
#[test]
fn a_narrow_screen_drops_the_least_useful_columns_and_keeps_the_next_action_in_view() {
    for lang in [Lang::En, Lang::Ja] {
        let e = env(lang);
        let s = screen(&e.app, 80, 24);
        let header = s.lines().nth(2).unwrap();
        let (local, next, why) = match lang {
            Lang::En => ("Local", "Next ", "Why "),
            Lang::Ja => ("現地", "次アクション", "理由 "),
        };
        assert!(!header.contains(local), "{header}");
        let pane: Vec<&str> = s.lines().skip(12).collect();
        for want in [next, why] {
            assert!(
                pane.iter().any(|l| l.contains(want)),
                "{want} missing:\n{s}"
            );
        }
        // Japanese company names keep at least seven characters.
        assert!(s.contains("京都デザイン工房"), "{s}");
        let wide = screen(&e.app, 120, 40);
        assert!(wide.lines().nth(2).unwrap().contains(local));
    }
}

/// Text fields edit like text fields: in the result form ←/→ and Home/End move the cursor,
/// Ctrl-W deletes a word, Ctrl-U the start; a paste arrives whole on one line.
#[test]
fn text_fields_take_cursor_keys_word_deletion_and_a_paste() {
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    let ctrl = |app: &mut kaden::tui::app::App, c: char| {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    };
    let mut e = env(Lang::En);
    let id = e.app.rows[0].id;
    key(&mut e.app, KeyCode::Char('r'));
    typed(&mut e.app, "tomorrow noon");
    ctrl(&mut e.app, 'w');
    typed(&mut e.app, "11:30");
    key(&mut e.app, KeyCode::Home);
    key(&mut e.app, KeyCode::Right);
    assert_eq!(
        e.app.result_form.as_ref().unwrap().time.text(),
        "tomorrow 11:30"
    );
    assert_eq!(e.app.result_form.as_ref().unwrap().time.cursor(), 1);
    // Ctrl-U: everything before the cursor goes.
    ctrl(&mut e.app, 'u');
    assert_eq!(
        e.app.result_form.as_ref().unwrap().time.text(),
        "omorrow 11:30"
    );
    typed(&mut e.app, "t");
    key(&mut e.app, KeyCode::End);
    // A paste into the note (Tab to it) keeps its text on one line.
    for _ in 0..3 {
        key(&mut e.app, KeyCode::Tab);
    }
    e.app.paste("asked for\nthe CFO");
    assert_eq!(
        e.app.result_form.as_ref().unwrap().note.text(),
        "asked for the CFO"
    );
    key(&mut e.app, KeyCode::Enter);
    assert_eq!(e.app.mode(), Mode::Queue);
    let next: String = e.one("SELECT next_at FROM leads WHERE id = ?1", [id]);
    assert_eq!(next, "2026-11-25T02:30:00Z", "tomorrow 11:30 JST");
    let note: String = e.one(
        "SELECT note FROM activities WHERE lead_id = ?1 ORDER BY id DESC LIMIT 1",
        [id],
    );
    assert_eq!(note, "asked for the CFO");
}

/// Found working a day at 80×24: the why column was cut ("callback promised 0…") while the
/// contact column held blanks, help lines were cut mid-sentence, the on-call number read as
/// E.164 and pushed out of the header, and a lost lead kept in nurturing was toasted "closed".
#[test]
fn at_80x24_the_why_help_and_call_stay_readable() {
    for lang in [Lang::En, Lang::Ja] {
        let mut e = env(lang);
        let s = screen(&e.app, 80, 24);
        // Every promised callback's why is whole: the contact column gave up its blanks.
        let promised = match lang {
            Lang::En => "callback promised ",
            Lang::Ja => "再架電の約束",
        };
        let rows: Vec<&str> = s.lines().filter(|l| l.contains(promised)).collect();
        assert!(!rows.is_empty(), "{s}");
        for r in rows {
            assert!(
                !r.contains(&format!("{promised}…")) && !r.contains("…│"),
                "{r}"
            );
        }
        // Help wraps a long description under itself instead of cutting it.
        key(&mut e.app, KeyCode::Char('?'));
        let h = screen(&e.app, 80, 24);
        let tail = match lang {
            Lang::En => "call timer.",
            Lang::Ja => "通話タイマーを開始",
        };
        assert!(h.contains(tail), "{h}");
        key(&mut e.app, KeyCode::Esc);
        // On a call, the header keeps the number as people read it, whole.
        key(&mut e.app, KeyCode::Enter);
        let top = screen(&e.app, 80, 24);
        let header = top.lines().next().unwrap();
        let shown = kaden::domain::phone::display(&e.app.call.as_ref().unwrap().phone, "JP");
        assert!(!shown.starts_with('+'), "{shown}");
        assert!(header.contains(&shown) && !header.contains('…'), "{header}");
    }
}

#[test]
fn lost_kept_in_nurturing_is_toasted_as_that_not_as_closed() {
    let mut e = env(Lang::En);
    key(&mut e.app, KeyCode::Char('l'));
    key(&mut e.app, KeyCode::Backspace);
    key(&mut e.app, KeyCode::Enter);
    let s = screen(&e.app, 120, 40);
    assert!(s.contains("nurturing, no next action"), "{s}");
    assert!(!s.contains("· closed"), "{s}");
}

/// The demo is the first day a rep sees: the retries kaden scheduled for its leads fall in
/// calling hours (a "Next Sun 22:00" for an unanswered call was the synthetic history's).
#[test]
fn the_demo_schedules_its_retries_in_calling_hours() {
    let e = env(Lang::En);
    let cfg = support::tui::config("");
    let rows: Vec<(String, String)> = {
        let c = e.db();
        let mut st = c
            .prepare(
                "SELECT l.time_zone, l.next_at FROM leads l
                 WHERE l.next_at IS NOT NULL AND l.status = 'approaching'
                   AND (SELECT a.result FROM activities a WHERE a.lead_id = l.id
                        ORDER BY a.at DESC, a.id DESC LIMIT 1) = 'unconnected'",
            )
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(rows.len() >= 5, "{rows:?}");
    for (zone, next) in rows {
        let tz: chrono_tz::Tz = zone.parse().unwrap();
        let at: chrono::DateTime<chrono::Utc> = next.parse().unwrap();
        assert!(cfg.hours.is_open(tz, at), "{zone} {next}");
    }
}
