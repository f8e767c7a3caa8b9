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
