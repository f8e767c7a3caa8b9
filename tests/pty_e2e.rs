//! The real binary in a pseudo-terminal: each of the five results by keystroke, SIGKILL right
//! after the screen confirms, and the result is in the database. And `q` restores the terminal.
#![allow(clippy::unwrap_used)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-24T10:00:00+09:00";
const NOW_UTC: &str = "2026-11-24T01:00:00Z";
/// Generous: a debug build on a busy machine. Polled, never slept through.
const DEADLINE: Duration = Duration::from_secs(90);

struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    fn start(args: &[&str], dir: &Path) -> Session {
        let pty = native_pty_system();
        let pair = pty
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
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(40).unwrap(),
            std::num::NonZeroU16::new(120).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Session {
            child,
            writer,
            parser,
            raw,
            _master: pair.master,
        }
    }

    fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Poll the screen until it shows `text`.
    fn wait_for(&mut self, text: &str) {
        let start = Instant::now();
        loop {
            if self.contents().contains(text) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "kaden exited ({status:?}) before showing {text:?}:\n{}",
                    self.contents()
                );
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {text:?}; screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

fn setup() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        "rep = \"me\"\ntime_zone = \"Asia/Tokyo\"\nlang = \"en\"\n",
    )
    .unwrap();
    let db = dir.path().join("kaden.db");
    (dir, db.display().to_string(), cfg.display().to_string())
}

#[test]
fn each_result_is_on_disk_when_the_screen_says_so_even_after_sigkill() {
    let (dir, db, cfg) = setup();
    // (keys, text of the form to wait for, what to type, toast to wait for)
    let steps: [(&str, &str, &str, &str, &str); 5] = [
        (
            "u",
            "Next action",
            "",
            "Unconnected · next try",
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
        ("l", "Reason", "", "Lost · re-approach", "lost"),
        ("x", "Reason", "", "Out of scope · closed", "out_of_scope"),
    ];
    for (i, (key, form, typed, toast, _)) in steps.iter().enumerate() {
        let args: Vec<&str> = if i == 0 {
            vec!["--config", &cfg, "demo", "--db", &db]
        } else {
            vec!["--config", &cfg, "--db", &db]
        };
        let mut s = Session::start(&args, dir.path());
        s.wait_for("to call");
        s.send(key);
        s.wait_for(form);
        s.send(typed);
        s.send("\r");
        s.wait_for(toast);
        // The screen confirmed: kill -9 at once.
        s.child.kill().unwrap();
        let _ = s.child.wait();
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    for (_, _, _, _, result) in steps {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM activities WHERE result = ?1 AND at = ?2",
                [result, NOW_UTC],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "{result} is not on disk");
    }
    let reason: String = conn
        .query_row(
            "SELECT reason FROM activities WHERE result = 'lost' AND at = ?1",
            [NOW_UTC],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reason, "no_need");
}

#[test]
fn q_quits_and_restores_the_terminal() {
    let (dir, db, cfg) = setup();
    let mut s = Session::start(&["--config", &cfg, "demo", "--db", &db], dir.path());
    s.wait_for("to call");
    s.send("q");
    let start = Instant::now();
    let status = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st;
        }
        assert!(start.elapsed() < DEADLINE, "kaden did not quit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    // Let the reader drain what is left, then look at the tail of the output.
    let start = Instant::now();
    loop {
        let raw = String::from_utf8_lossy(&s.raw.lock().unwrap()).into_owned();
        if let Some(left) = raw.rfind("\x1b[?1049l") {
            let entered = raw
                .find("\x1b[?1049h")
                .expect("entered the alternate screen");
            assert!(entered < left);
            assert!(
                raw[left..].contains("\x1b[?25h")
                    || raw.rfind("\x1b[?25h") > raw.rfind("\x1b[?25l")
            );
            break;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "never left the alternate screen: {raw:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!s.parser.lock().unwrap().screen().alternate_screen());
    assert!(!s.parser.lock().unwrap().screen().hide_cursor());
}
