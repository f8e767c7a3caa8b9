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

mod reliability_common;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use rand::{Rng, SeedableRng};
use reliability_common::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROUNDS: u64 = 50;
const LEADS: u32 = 2500;
/// Only a guard against a hang (a debug build on a busy machine); polled, never slept through.
const HANG: Duration = Duration::from_secs(120);

struct Tui {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Tui {
    fn start(dir: &Path, db: &Path, cfg: &Path) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_kaden"));
        cmd.arg("--db");
        cmd.arg(db);
        cmd.arg("--config");
        cmd.arg(cfg);
        cmd.args(["--as", "tui"]);
        cmd.cwd(dir);
        cmd.env("KADEN_NOW", NOW);
        cmd.env("TZ", "Asia/Tokyo");
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("HOME", dir);
        cmd.env_remove("DISPLAY");
        cmd.env_remove("WAYLAND_DISPLAY");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(40).unwrap(),
            std::num::NonZeroU16::new(120).unwrap(),
            0,
        )));
        let p = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
            }
        });
        Tui {
            child,
            writer,
            parser,
            _master: pair.master,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Poll until `ok(screen)`; `false` once the round is over (or kaden is gone).
    fn wait(&mut self, stop: &AtomicBool, ok: impl Fn(&str) -> bool) -> bool {
        let start = Instant::now();
        loop {
            if ok(&self.screen()) {
                return true;
            }
            if stop.load(Ordering::SeqCst) || matches!(self.child.try_wait(), Ok(Some(_))) {
                return false;
            }
            assert!(start.elapsed() < HANG, "the TUI hung:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn send(&mut self, s: &str) {
        // The TUI may already be dead (killed): a failed write just ends the round for it.
        let _ = self.writer.write_all(s.as_bytes());
        let _ = self.writer.flush();
    }

    fn kill9(&mut self) {
        if let Some(pid) = self.child.process_id() {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
        let _ = self.child.wait();
    }
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
fn tui_records(tui: &mut Tui, stop: &AtomicBool, note: &str) -> bool {
    tui.send("u");
    if !tui.wait(stop, |s| s.contains("Next action")) {
        return false;
    }
    tui.send("\x1b[Z");
    tui.send(note);
    if !tui.wait(stop, |s| s.contains(note)) {
        return false;
    }
    tui.send("\r");
    tui.wait(stop, |s| {
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
    let mut c = Command::new(env!("CARGO_BIN_EXE_kaden"));
    c.current_dir(dir)
        .env("KADEN_NOW", NOW)
        .env("TZ", "Asia/Tokyo")
        .env("HOME", dir)
        .arg("--db")
        .arg(db)
        .arg("--config")
        .arg(cfg)
        .args(["--as", "script", "log", &lead.to_string(), "unconnected"])
        .args(["--note", note]);
    c
}

fn one_round(round: u64, dir: &Path, db: &Path, cfg: &Path) -> Acks {
    let stop = Arc::new(AtomicBool::new(false));
    let mut rng = rand::rngs::StdRng::seed_from_u64(round);
    let mut tui = Tui::start(dir, db, cfg);
    let never = AtomicBool::new(false);
    assert!(
        tui.wait(&never, |s| s.contains("to call")),
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
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c.prepare(sql).unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
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
            "SELECT note, count(*) FROM activities WHERE note IS NOT NULL GROUP BY note",
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
