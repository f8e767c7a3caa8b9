//! Issue 6: three processes × 60 results on the same file with the TUI open on it (and the TUI
//! recording results by keystroke meanwhile) → zero errors, every result present, and the TUI
//! still alive and answering keys afterwards.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::pty::{DEADLINE, Session};
use support::{NOW_UTC, Ws, db, kaden_on};

const WRITERS: usize = 3;
const RESULTS: usize = 60;

/// Record Unconnected by keystroke: the form opens, Enter closes it with the toast, and the
/// TUI's `n`th result is then on disk.
fn record_unconnected(tui: &mut Session, db: &Path, n: i64) {
    tui.send("u");
    tui.wait_for("Next action");
    tui.send("\r");
    let s = tui.wait_until("the form to close with the toast", |s| {
        !s.contains("Next action") && s.contains("Unconnected · Absent · next try")
    });
    assert!(!s.contains("Could not save"), "{s}");
    assert_eq!(activities(db, &tui_results()), n, "{s}");
}

/// The row of the selection marker.
fn selected_line(tui: &Session) -> Option<usize> {
    tui.screen().lines().position(|l| l.starts_with("│>"))
}

/// The TUI's results (the writers log recalls).
fn tui_results() -> String {
    format!("WHERE result = 'unconnected' AND rep = 'me' AND at = '{NOW_UTC}'")
}

fn activities(db: &Path, filter: &str) -> i64 {
    db::count(db, &format!("SELECT count(*) FROM activities {filter}"))
}

#[test]
fn three_writers_and_an_open_tui_lose_nothing() {
    let ws = Ws::with_config("lang = \"en\"\n");
    let (dir, db, cfg) = (&ws.dir, ws.db.clone(), ws.config.clone());
    ws.demo();
    // Each writer logs on its own open leads (recall: always takes a next action).
    let leads: Vec<i64> = ws
        .rows("SELECT id FROM leads WHERE status IN ('new', 'approaching') ORDER BY id LIMIT 9")
        .iter()
        .map(|r| r[0].parse().unwrap())
        .collect();
    assert_eq!(leads.len(), 9);
    let before = activities(&db, "");

    let (d, c) = (db.display().to_string(), cfg.display().to_string());
    let mut tui = Session::start(&["--config", &c, "--db", &d], dir.path());
    tui.wait_for("to call");

    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (dir, db, cfg) = (dir.path().to_path_buf(), db.clone(), cfg.clone());
            let mine: Vec<i64> = leads[w * 3..w * 3 + 3].to_vec();
            let done = done.clone();
            std::thread::spawn(move || {
                let mut errors = Vec::new();
                for i in 0..RESULTS {
                    let lead = mine[i % mine.len()].to_string();
                    let note = format!("w{w}-{i}");
                    let out = kaden_on(&dir, &db, &cfg)
                        .args([
                            "log",
                            &lead,
                            "recall",
                            "--next",
                            "2h",
                            "--off-hours",
                            "--note",
                            &note,
                        ])
                        .output()
                        .unwrap();
                    if !out.status.success() || !out.stderr.is_empty() {
                        errors.push(format!(
                            "{note}: {:?} {}",
                            out.status,
                            String::from_utf8_lossy(&out.stderr)
                        ));
                    }
                    done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                errors
            })
        })
        .collect();

    // The TUI records two results by keystroke while the writers run.
    let started = Instant::now();
    while done.load(std::sync::atomic::Ordering::SeqCst) < WRITERS * RESULTS / 4 {
        assert!(started.elapsed() < DEADLINE, "writers made no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    record_unconnected(&mut tui, &db, 1);
    while done.load(std::sync::atomic::Ordering::SeqCst) < WRITERS * RESULTS / 2 {
        assert!(started.elapsed() < DEADLINE, "writers made no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Move off the lead just recorded so the second result is on another one.
    tui.send("j");
    record_unconnected(&mut tui, &db, 2);
    let tui_during = done.load(std::sync::atomic::Ordering::SeqCst);

    let errors: Vec<String> = writers
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert!(errors.is_empty(), "writers reported errors: {errors:#?}");
    assert!(
        tui_during < WRITERS * RESULTS,
        "the TUI's results were not recorded while the writers ran"
    );

    // Every result is present: 180 from the writers, each note once, plus the TUI's two.
    assert_eq!(
        activities(&db, "WHERE note GLOB 'w[0-9]-*' AND result = 'recall'"),
        i64::try_from(WRITERS * RESULTS).unwrap()
    );
    let distinct = db::count(
        &db,
        "SELECT count(DISTINCT note) FROM activities WHERE note GLOB 'w[0-9]-*'",
    );
    assert_eq!(distinct, i64::try_from(WRITERS * RESULTS).unwrap());
    assert_eq!(activities(&db, &tui_results()), 2);
    assert_eq!(
        activities(&db, ""),
        before + i64::try_from(WRITERS * RESULTS).unwrap() + 2
    );
    assert_eq!(db::integrity(&db), "ok");

    // The TUI is alive and answers: `j` moves the selection (the screen changes), no error.
    let screen = tui.screen();
    assert!(!screen.contains("Could not save"), "{screen}");
    let row = selected_line(&tui).expect("a selected row");
    tui.send("j");
    let start = Instant::now();
    while selected_line(&tui) == Some(row) {
        assert!(start.elapsed() < DEADLINE, "j did not move the selection");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(selected_line(&tui), Some(row + 1));
    tui.send("q");
    let status = tui.wait_exit("q did not quit");
    assert!(status.success(), "{status:?}");
}
