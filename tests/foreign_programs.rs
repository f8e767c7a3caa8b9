//! Issue 9, point 2: foreign readers and writers. A TUI in a real pseudo-terminal records results
//! by keystroke, `kaden log` writes from other processes, and other SQLite programs (the `sqlite3`
//! shell and Python's `sqlite3` module) open the file, read, write a row to a table of their own
//! and close, at random moments. Then everything is killed with SIGKILL. Every result a screen or
//! a command acknowledged (the form closed with its toast, exit status 0) is in the file exactly
//! once, nothing is there twice, and `PRAGMA integrity_check` is `ok`. Fifty rounds on one file.
//!
//! Before the fix, the first foreign program to close deleted the WAL under the TUI (kaden had
//! dropped its own POSIX locks), and the TUI's next acknowledged results went to a deleted file.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod support;

use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use support::db::*;
use support::pty::Session;
use support::*;

const ROUNDS: u64 = 50;
const LEADS: u32 = 2500;

/// The TUI on the file, as the `tui` rep.
fn start_tui(dir: &Path, db: &Path, cfg: &Path) -> Session {
    let (db, cfg) = (db.to_str().unwrap(), cfg.to_str().unwrap());
    Session::start(&["--db", db, "--config", cfg, "--as", "tui", "--all"], dir)
}

/// What one round's actors saw acknowledged.
#[derive(Default)]
struct Acks {
    tui: Vec<String>,
    log: Vec<String>,
    foreign: Vec<String>,
}

/// Record Unconnected by keystroke with `note` typed into the form's note field (Shift-Tab from
/// the first field), then Enter. Acknowledged when the form closes with the result's toast.
fn tui_records(tui: &mut Session, stop: &AtomicBool, note: &str) -> bool {
    tui.send_if_alive("u");
    if !tui.wait_unless_stopped(stop, |s| s.contains("Next action")) {
        return false;
    }
    tui.send_if_alive("\x1b[Z");
    tui.send_if_alive(note);
    if !tui.wait_unless_stopped(stop, |s| s.contains(note)) {
        return false;
    }
    tui.send_if_alive("\r");
    tui.wait_unless_stopped(stop, |s| {
        !s.contains("Next action") && s.contains("Unconnected ·") && !s.contains("Could not")
    })
}

/// Run `cmd` to the end, or SIGKILL it the moment the round stops. `true` = exit status 0.
fn run_or_kill(mut cmd: Command, stop: &AtomicBool) -> bool {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st.success();
        }
        if stop.load(Ordering::SeqCst) {
            let _ = child.kill(); // SIGKILL
            let _ = child.wait();
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

const FOREIGN_SQL: &str = "SELECT count(*) FROM activities; \
     CREATE TABLE IF NOT EXISTS foreign_notes (id INTEGER PRIMARY KEY, note TEXT NOT NULL);";

/// Another SQLite program opens the file, reads, maybe writes a row of its own, closes.
fn foreign(db: &Path, rng: &mut rand::rngs::StdRng, note: &str) -> (Command, bool) {
    let writes = rng.random_bool(0.6);
    let insert = if writes {
        format!("INSERT INTO foreign_notes (note) VALUES ('{note}');")
    } else {
        String::new()
    };
    let c = if rng.random_bool(0.5) {
        let mut c = Command::new("sqlite3");
        c.args(["-cmd", ".timeout 5000"])
            .arg(db)
            .arg(format!("{FOREIGN_SQL} {insert}"));
        c
    } else {
        let mut c = Command::new("python3");
        c.arg("-c")
            .arg(
                "import sqlite3, sys\n\
                 c = sqlite3.connect(sys.argv[1], timeout=5)\n\
                 c.execute('SELECT count(*) FROM leads').fetchone()\n\
                 c.executescript(sys.argv[2])\n\
                 c.commit()\n\
                 c.close()\n",
            )
            .arg(db)
            .arg(format!("{FOREIGN_SQL} {insert}"));
        c
    };
    (c, writes)
}

fn kaden_log(dir: &Path, db: &Path, cfg: &Path, lead: u32, note: &str) -> Command {
    let mut c = kaden_on(dir, db, cfg);
    c.args(["--as", "script", "log", &lead.to_string(), "unconnected"])
        .args(["--note", note]);
    c
}

fn one_round(round: u64, dir: &Path, db: &Path, cfg: &Path) -> Acks {
    let stop = Arc::new(AtomicBool::new(false));
    let mut rng = rand::rngs::StdRng::seed_from_u64(round);
    let mut tui = start_tui(dir, db, cfg);
    let never = AtomicBool::new(false);
    assert!(
        tui.wait_unless_stopped(&never, |s| s.contains("to call")),
        "round {round}: no queue"
    );

    let logs = {
        let (dir, db, cfg, stop) = (
            dir.to_path_buf(),
            db.to_path_buf(),
            cfg.to_path_buf(),
            stop.clone(),
        );
        let mut rng = rand::rngs::StdRng::seed_from_u64(1000 + round);
        std::thread::spawn(move || {
            let mut acked = Vec::new();
            for k in 0.. {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let note = format!("log-{round}-{k}");
                let lead = rng.random_range(1..=LEADS);
                if run_or_kill(kaden_log(&dir, &db, &cfg, lead, &note), &stop) {
                    acked.push(note);
                }
            }
            acked
        })
    };
    let foreigners = {
        let (db, stop) = (db.to_path_buf(), stop.clone());
        let mut rng = rand::rngs::StdRng::seed_from_u64(2000 + round);
        std::thread::spawn(move || {
            let mut acked = Vec::new();
            for k in 0.. {
                std::thread::sleep(Duration::from_millis(rng.random_range(0..60)));
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let note = format!("foreign-{round}-{k}");
                let (cmd, writes) = foreign(&db, &mut rng, &note);
                if run_or_kill(cmd, &stop) && writes {
                    acked.push(note);
                }
            }
            acked
        })
    };
    let tui_thread = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut acked = Vec::new();
            for k in 0.. {
                let note = format!("tui-{round}-{k}");
                if !tui_records(&mut tui, &stop, &note) {
                    break;
                }
                acked.push(note);
            }
            (tui, acked)
        })
    };
    // Let them run, then kill everything at a random moment.
    std::thread::sleep(Duration::from_millis(rng.random_range(300..1200)));
    stop.store(true, Ordering::SeqCst);
    let (mut tui, tui_acked) = tui_thread.join().unwrap();
    tui.kill9();
    Acks {
        tui: tui_acked,
        log: logs.join().unwrap(),
        foreign: foreigners.join().unwrap(),
    }
}

/// How many times each note is in the file.
fn note_counts(db: &Path, sql: &str) -> std::collections::HashMap<String, i64> {
    rows(db, sql)
        .into_iter()
        .map(|r| (r[0].clone(), r[1].parse().unwrap()))
        .collect()
}

#[test]
fn foreign_sqlite_programs_and_kill_9_lose_no_acknowledged_result() {
    for tool in ["sqlite3", "python3"] {
        assert!(
            Command::new(tool).arg("--version").output().is_ok(),
            "{tool} is needed by this test (.ci/run installs it)"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = make_db(dir.path(), LEADS);
    let cfg = write_config(dir.path(), "lang = \"en\"\n");
    let mut totals = (0usize, 0usize, 0usize);
    for round in 0..ROUNDS {
        let acks = one_round(round, dir.path(), &db, &cfg);
        totals.0 += acks.tui.len();
        totals.1 += acks.log.len();
        totals.2 += acks.foreign.len();

        assert_eq!(integrity(&db), "ok", "round {round}");
        let kaden_notes = note_counts(
            &db,
            // kaden's own notes on recycled leads ("recycled · pending since …") repeat by design.
            "SELECT note, count(*) FROM activities WHERE note IS NOT NULL AND note NOT LIKE 'recycled · %' GROUP BY note",
        );
        let has_foreign: bool = count(
            &db,
            "SELECT count(*) FROM sqlite_master WHERE name = 'foreign_notes'",
        ) == 1;
        let foreign_notes = if has_foreign {
            note_counts(
                &db,
                "SELECT note, count(*) FROM foreign_notes GROUP BY note",
            )
        } else {
            Default::default()
        };
        for (note, n) in kaden_notes.iter().chain(foreign_notes.iter()) {
            assert_eq!(*n, 1, "round {round}: {note} is in the file {n} times");
        }
        for note in acks.tui.iter().chain(&acks.log) {
            assert_eq!(
                kaden_notes.get(note),
                Some(&1),
                "round {round}: {note} was acknowledged and is not in the file \
                 (acknowledged this round: tui {:?}, log {:?})",
                acks.tui,
                acks.log
            );
        }
        for note in &acks.foreign {
            assert_eq!(foreign_notes.get(note), Some(&1), "round {round}: {note}");
        }
    }
    eprintln!(
        "{ROUNDS} rounds: acknowledged {} TUI results, {} `kaden log` results, {} foreign rows",
        totals.0, totals.1, totals.2
    );
    // The rounds did exercise all three (a round that acknowledged nothing proves nothing).
    assert!(totals.0 >= ROUNDS as usize, "{totals:?}");
    assert!(totals.1 >= ROUNDS as usize, "{totals:?}");
    assert!(totals.2 >= ROUNDS as usize, "{totals:?}");
}
