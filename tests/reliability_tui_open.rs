//! Issue 6: three processes × 60 results on the same file with the TUI open on it (and the TUI
//! recording results by keystroke meanwhile) → zero errors, every result present, and the TUI
//! still alive and answering keys afterwards.
#![allow(clippy::unwrap_used)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-24T10:00:00+09:00";
const WRITERS: usize = 3;
const RESULTS: usize = 60;
/// Generous: a debug build on a busy machine. Polled, never slept through.
const DEADLINE: Duration = Duration::from_secs(120);

struct Tui {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Tui {
    fn start(args: &[&str], dir: &Path) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_kaden"));
        cmd.args(args);
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

    fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Poll until `ok(screen)` holds; fails if kaden exits or the deadline passes.
    fn wait_until(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.contents();
            if ok(&s) {
                return s;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("kaden exited ({status:?}) before {what}:\n{s}");
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for(&mut self, text: &str) -> String {
        self.wait_until(text, |s| s.contains(text))
    }

    fn send(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Record Unconnected by keystroke: the form opens, Enter closes it with the toast, and
    /// the TUI's `n`th result is then on disk.
    fn record_unconnected(&mut self, db: &Path, n: i64) {
        self.send("u");
        self.wait_for("Next action");
        self.send("\r");
        let s = self.wait_until("the form to close with the toast", |s| {
            !s.contains("Next action") && s.contains("Unconnected · next try")
        });
        assert!(!s.contains("Could not save"), "{s}");
        assert_eq!(activities(db, TUI_RESULTS), n, "{s}");
    }

    /// The row of the selection marker.
    fn selected_line(&self) -> Option<usize> {
        self.contents().lines().position(|l| l.starts_with("│>"))
    }
}

/// The TUI's results (the writers log recalls).
const TUI_RESULTS: &str =
    "WHERE result = 'unconnected' AND rep = 'me' AND at = '2026-11-24T01:00:00Z'";

fn kaden(dir: &Path, db: &Path, cfg: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kaden"));
    c.current_dir(dir)
        .env("KADEN_NOW", NOW)
        .env("TZ", "Asia/Tokyo")
        .env("HOME", dir)
        .env_remove("KADEN_DB")
        .env_remove("KADEN_CONFIG")
        .arg("--config")
        .arg(cfg)
        .arg("--db")
        .arg(db);
    c
}

fn activities(db: &Path, filter: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(
        &format!("SELECT count(*) FROM activities {filter}"),
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn three_writers_and_an_open_tui_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cfg: PathBuf = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        "rep = \"me\"\ntime_zone = \"Asia/Tokyo\"\nlang = \"en\"\n",
    )
    .unwrap();
    let db: PathBuf = dir.path().join("kaden.db");
    let out = kaden(dir.path(), &db, &cfg)
        .args(["demo", "--no-tui"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // Each writer logs on its own open leads (recall: always takes a next action).
    let leads: Vec<i64> = {
        let c = rusqlite::Connection::open(&db).unwrap();
        let mut st = c
            .prepare(
                "SELECT id FROM leads WHERE status IN ('new', 'approaching') ORDER BY id LIMIT 9",
            )
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(leads.len(), 9);
    let before = activities(&db, "");

    let (d, c) = (db.display().to_string(), cfg.display().to_string());
    let mut tui = Tui::start(&["--config", &c, "--db", &d], dir.path());
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
                    let out = kaden(&dir, &db, &cfg)
                        .args(["log", &lead, "recall", "--next", "2h", "--note", &note])
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
    tui.record_unconnected(&db, 1);
    while done.load(std::sync::atomic::Ordering::SeqCst) < WRITERS * RESULTS / 2 {
        assert!(started.elapsed() < DEADLINE, "writers made no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Move off the lead just recorded so the second result is on another one.
    tui.send("j");
    tui.record_unconnected(&db, 2);
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
    let c = rusqlite::Connection::open(&db).unwrap();
    let distinct: i64 = c
        .query_row(
            "SELECT count(DISTINCT note) FROM activities WHERE note GLOB 'w[0-9]-*'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(distinct, i64::try_from(WRITERS * RESULTS).unwrap());
    assert_eq!(activities(&db, TUI_RESULTS), 2);
    assert_eq!(
        activities(&db, ""),
        before + i64::try_from(WRITERS * RESULTS).unwrap() + 2
    );
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");

    // The TUI is alive and answers: `j` moves the selection (the screen changes), no error.
    let screen = tui.contents();
    assert!(!screen.contains("Could not save"), "{screen}");
    let row = tui.selected_line().expect("a selected row");
    tui.send("j");
    let start = Instant::now();
    while tui.selected_line() == Some(row) {
        assert!(start.elapsed() < DEADLINE, "j did not move the selection");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(tui.selected_line(), Some(row + 1));
    tui.send("q");
    let start = Instant::now();
    let status = loop {
        if let Some(st) = tui.child.try_wait().unwrap() {
            break st;
        }
        assert!(start.elapsed() < DEADLINE, "q did not quit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}
