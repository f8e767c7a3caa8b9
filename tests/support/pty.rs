//! The real binary in a pseudo-terminal (120×40), its screen read through a terminal emulator
//! (vt100). Waits poll the screen, never sleep through: the deadline only guards against a hang
//! of a debug build on a busy machine.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest a wait may take before the test calls it a hang.
pub const DEADLINE: Duration = Duration::from_secs(120);

const ROWS: u16 = 40;
const COLS: u16 = 120;
const POLL: Duration = Duration::from_millis(5);

/// A running `kaden` on a pseudo-terminal.
pub struct Session {
    pub child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    /// `kaden ARGS` in `dir` (its working directory and `HOME`), with the test clock and zone,
    /// a UTF-8 locale, and no display for a clipboard.
    pub fn start(args: &[&str], dir: &Path) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_kaden"));
        cmd.args(args);
        cmd.cwd(dir);
        cmd.env("KADEN_NOW", super::NOW);
        cmd.env("TZ", "Asia/Tokyo");
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("HOME", dir);
        cmd.env_remove("DISPLAY");
        cmd.env_remove("WAYLAND_DISPLAY");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("KADEN_DB");
        cmd.env_remove("KADEN_CONFIG");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
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

    /// The screen as text.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Everything kaden wrote to the terminal so far (escape sequences included).
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    pub fn hide_cursor(&self) -> bool {
        self.parser.lock().unwrap().screen().hide_cursor()
    }

    /// Poll until `ok(screen)` holds; returns that screen. Fails if kaden exits first or the
    /// [`DEADLINE`] passes.
    pub fn wait_until(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
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
            std::thread::sleep(POLL);
        }
    }

    /// Poll until the screen shows `text`.
    pub fn wait_for(&mut self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Poll until `ok(screen)`: `false` as soon as `stop` is set or kaden is gone (a round of
    /// a kill test ending), instead of failing.
    pub fn wait_unless_stopped(&mut self, stop: &AtomicBool, ok: impl Fn(&str) -> bool) -> bool {
        let start = Instant::now();
        loop {
            if ok(&self.screen()) {
                return true;
            }
            if stop.load(Ordering::SeqCst) || matches!(self.child.try_wait(), Ok(Some(_))) {
                return false;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the TUI hung:\n{}",
                self.screen()
            );
            std::thread::sleep(POLL);
        }
    }

    /// Type `s`.
    pub fn send(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Type `s` to a kaden that may already be dead (killed): a failed write is ignored.
    pub fn send_if_alive(&mut self, s: &str) {
        let _ = self.writer.write_all(s.as_bytes());
        let _ = self.writer.flush();
    }

    /// Poll until kaden exits; its status.
    pub fn wait_exit(&mut self, what: &str) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st;
            }
            assert!(start.elapsed() < DEADLINE, "{what}");
            std::thread::sleep(POLL);
        }
    }

    /// Poll until `ok(everything written so far)` holds.
    pub fn wait_raw(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let raw = self.raw();
            if ok(&raw) {
                return raw;
            }
            assert!(start.elapsed() < DEADLINE, "{what}: {raw:?}");
            std::thread::sleep(POLL);
        }
    }

    /// SIGKILL (a real `kill -9`: portable-pty's own `kill` sends SIGHUP first), then reap.
    pub fn kill9(&mut self) {
        if let Some(pid) = self.child.process_id() {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
        let _ = self.child.wait();
    }
}
