//! The real binary in a pseudo-terminal: each of the five results by keystroke, SIGKILL right
//! after the screen confirms, and the result is in the database. And `q` restores the terminal.
#![allow(clippy::unwrap_used)]

mod support;

use support::pty::Session;
use support::{NOW_UTC, Ws, db};

/// A workspace with `lang = "en"`, and its database and config paths as text.
fn setup() -> (Ws, String, String) {
    let ws = Ws::with_config("lang = \"en\"\n");
    let (db, cfg) = (ws.db.display().to_string(), ws.config.display().to_string());
    (ws, db, cfg)
}

#[test]
fn each_result_is_on_disk_when_the_screen_says_so_even_after_sigkill() {
    let (ws, db, cfg) = setup();
    // (keys, text of the form to wait for, what to type, toast to wait for)
    let steps: [(&str, &str, &str, &str, &str); 5] = [
        (
            "u",
            "Next action",
            "",
            "Unconnected · Absent · next try",
            "unconnected",
        ),
        (
            "r",
            "Call back at",
            "2h",
            "Recall · callback 12:00",
            "recall",
        ),
        (
            "a",
            "Meeting at",
            "2026-12-01 15:00",
            "Appointment · meeting",
            "appointment",
        ),
        ("l", "Reason", "", "Lost · No need · re-approach", "lost"),
        (
            "x",
            "Reason",
            "",
            "Out of scope · Left company · closed",
            "out_of_scope",
        ),
    ];
    for (i, (key, form, typed, toast, _)) in steps.iter().enumerate() {
        let args: Vec<&str> = if i == 0 {
            vec!["--config", &cfg, "demo", "--db", &db]
        } else {
            vec!["--config", &cfg, "--db", &db]
        };
        let mut s = Session::start(&args, ws.dir.path());
        s.wait_for("to call");
        s.send(key);
        s.wait_for(form);
        s.send(typed);
        s.send("\r");
        s.wait_for(toast);
        // The screen confirmed: kill -9 at once.
        s.kill9();
    }
    assert_eq!(db::integrity(&ws.db), "ok");
    for (_, _, _, _, result) in steps {
        let n: i64 = db::one(
            &ws.db,
            "SELECT count(*) FROM activities WHERE result = ?1 AND at = ?2",
            [result, NOW_UTC],
        );
        assert_eq!(n, 1, "{result} is not on disk");
    }
    let reason: String = db::one(
        &ws.db,
        "SELECT reason FROM activities WHERE result = 'lost' AND at = ?1",
        [NOW_UTC],
    );
    assert_eq!(reason, "no_need");
}

#[test]
fn q_quits_and_restores_the_terminal() {
    let (ws, db, cfg) = setup();
    let mut s = Session::start(&["--config", &cfg, "demo", "--db", &db], ws.dir.path());
    s.wait_for("to call");
    s.send("q");
    let status = s.wait_exit("kaden did not quit");
    assert!(status.success(), "{status:?}");
    // Let the reader drain what is left, then look at the tail of the output.
    let raw = s.wait_raw("never left the alternate screen", |raw| {
        raw.contains("\x1b[?1049l")
    });
    let left = raw.rfind("\x1b[?1049l").unwrap();
    let entered = raw
        .find("\x1b[?1049h")
        .expect("entered the alternate screen");
    assert!(entered < left);
    assert!(raw[left..].contains("\x1b[?25h") || raw.rfind("\x1b[?25h") > raw.rfind("\x1b[?25l"));
    assert!(!s.alternate_screen());
    assert!(!s.hide_cursor());
}

#[test]
fn slash_and_an_email_find_a_lead_outside_the_queue_and_a_note_lands_on_it() {
    let (ws, db, cfg) = setup();
    let mut s = Session::start(&["--config", &cfg, "demo", "--db", &db], ws.dir.path());
    s.wait_for("to call");
    s.send("/");
    // 加藤 由美 of 山田製作所, pending (another 加藤 由美 is new, in the queue)
    s.send("kato31@");
    s.wait_for("not in the queue");
    s.send("\r");
    s.send("n");
    s.wait_for("Note:");
    s.send("found by search");
    s.send("\r");
    s.wait_for("Note saved");
    s.kill9();
    let n: i64 = db::one(
        &ws.db,
        "SELECT count(*) FROM activities a JOIN leads l ON l.id = a.lead_id
         WHERE l.email = 'kato31@yamada-ss.example.jp' AND l.status = 'pending' AND a.note = ?1",
        ["found by search"],
    );
    assert_eq!(n, 1);
}

/// The queue count in the header ("33 to call"); `None` while it is pending (`…`).
fn header_count(screen: &str) -> Option<u64> {
    let head = screen.lines().next()?.split(" to call").next()?;
    head.rsplit(' ').next()?.trim_end_matches('+').parse().ok()
}

#[test]
fn the_count_made_after_the_first_frame_lands_and_follows_a_save() {
    // On a real terminal the count is made by a thread after the first frame (`…` until then,
    // src/tui/counter.rs): it must land, and a save must be counted again.
    let (ws, db, cfg) = setup();
    let mut s = Session::start(&["--config", &cfg, "demo", "--db", &db], ws.dir.path());
    let screen = s.wait_until("the count", |sc| header_count(sc).is_some());
    let n = header_count(&screen).unwrap();
    assert!(n > 1, "{screen}");
    assert!(
        screen.contains(&format!("Queue ({n})")),
        "the queue's title has the count too:\n{screen}"
    );
    s.send("u");
    s.wait_for("Next action");
    s.send("\r");
    s.wait_for("Unconnected · Absent · next try");
    s.wait_until("the count one less", |sc| header_count(sc) == Some(n - 1));
    s.kill9();
}
