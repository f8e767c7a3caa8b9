//! Key-to-screen through a real terminal (issue 13 "How it is measured"): the bench-profile
//! binary in a pseudo-terminal of 120×40, its output fed to a terminal emulator (vt100) by a
//! reader thread, on databases of 100,000 and 1,000,000 synthetic leads.
//!
//! Each figure is the time from the write of the key bytes to the master side of the pty until
//! the emulated screen shows the result of that key (the waiter is woken by the reader thread
//! after every chunk it parses, so there is no sleep in the measurement):
//! - cold start: process spawn → the first full frame (header with "to call", the queue, the
//!   selected row, the key hints), with the page cache dropped first (`/proc/sys/vm/drop_caches`,
//!   needs root; skipped with a note otherwise) and warm;
//! - `j` / `k`: the `>` marker on the next / previous row and the detail pane on that lead;
//! - `u`: the result form; `Enter` in it (the form's defaults): the form gone, the toast, and
//!   the saved lead gone from the selection;
//! - search: `/`, then a query typed one character at a time: the search line and the result
//!   list's title both show the text typed so far.
//!
//! - the start again, until the header shows the queue count (the TUI draws its first frame
//!   before the count is made, `…` in its place; `src/tui/counter.rs`).
//!
//! `cargo bench --bench pty`; `KADEN_BENCH_SIZES=100000` limits the sizes,
//! `KADEN_BENCH_SAMPLES=N` sets the samples per key figure (30), `KADEN_BENCH_COLD=N` the cold
//! starts per cache state (10), `KADEN_BENCH_DROP_CACHES=0` skips dropping the page cache.
//! `KADEN_BENCH_RAW=1` prints every sample in the order taken (which one was slow).
//! `KADEN_BENCH_BIN=PATH` runs another kaden binary (a before/after on the same data and load).
//! The databases are the ones `benches/scale.rs` caches in `bench-data/` (built here the same way
//! when missing); the writes go to a copy.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use kaden::config::Config;
use kaden::store::Store;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-24T10:00:00+09:00";
/// What `benches/scale.rs` builds its databases with.
const BUILD_CONFIG: &str = "time_zone = \"Asia/Tokyo\"\nrep = \"bench\"\n";
/// The TUI's config: the same, in English (the screen is matched on English text).
const CONFIG: &str = "time_zone = \"Asia/Tokyo\"\nrep = \"bench\"\nlang = \"en\"\n";
const ROWS: u16 = 40;
const COLS: u16 = 120;
/// A wait longer than this is a hang (or a key the screen never answered).
const DEADLINE: Duration = Duration::from_secs(60);

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(default)
}

fn sizes() -> Vec<u32> {
    std::env::var("KADEN_BENCH_SIZES")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

fn data_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The TUI's config file, private (0600) as kaden expects of a file it reads.
fn config_file() -> PathBuf {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let p = data_dir().join("pty-config.toml");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&p)
        .unwrap();
    f.write_all(CONFIG.as_bytes()).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    p
}

/// The cached database of `n` synthetic leads (as `benches/scale.rs` builds it).
fn bench_db(n: u32) -> PathBuf {
    let dir = data_dir();
    let db = dir.join(format!("leads-{n}.db"));
    if db.exists() {
        return db;
    }
    let tmp = dir.join(format!("leads-{n}.db.tmp"));
    remove_db(&tmp);
    eprintln!("building {} (once; cached for later runs)…", db.display());
    let t = Instant::now();
    let cfg = Config::parse(BUILD_CONFIG, "bench-data/config.toml").unwrap();
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339(NOW).unwrap().into();
    let mut store = Store::open(&tmp).unwrap();
    store.ensure_rank_keys(&cfg).unwrap();
    let (l, a) = kaden::demo::build_synthetic(&mut store, &cfg, now, n).unwrap();
    drop(store);
    std::fs::rename(&tmp, &db).unwrap();
    eprintln!(
        "built {l} leads, {a} activities in {:.0} s",
        t.elapsed().as_secs_f64()
    );
    db
}

fn remove_db(p: &Path) {
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", p.display()));
    }
}

/// A fresh copy of the cached database to write to.
fn work_db(n: u32) -> PathBuf {
    let src = bench_db(n);
    let work = data_dir().join(format!("pty-{n}.db"));
    remove_db(&work);
    std::fs::copy(&src, &work).unwrap();
    work
}

/// `sync` and drop the page cache; false (with the reason printed once) when not allowed.
fn drop_caches() -> bool {
    if env_num("KADEN_BENCH_DROP_CACHES", 1) == 0 {
        return false;
    }
    let _ = std::process::Command::new("sync").status();
    match std::fs::write("/proc/sys/vm/drop_caches", "3\n") {
        Ok(()) => true,
        Err(e) => {
            eprintln!("cannot drop the page cache ({e}): cold-cache start not measured");
            false
        }
    }
}

/// The emulated screen, and a condition variable the reader thread signals after each chunk.
type Shared = Arc<(Mutex<vt100::Parser>, Condvar)>;

/// A running `kaden` on a pseudo-terminal.
struct Term {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    shared: Shared,
    _master: Box<dyn MasterPty + Send>,
}

impl Term {
    /// Spawn `kaden --db DB --config CFG` in `home`; returns the session and the instant just
    /// before the spawn.
    fn spawn(db: &Path, cfg: &Path, home: &Path) -> (Term, Instant) {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let bin = std::env::var_os("KADEN_BENCH_BIN")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_kaden").into());
        let mut cmd = CommandBuilder::new(bin);
        cmd.arg("--db");
        cmd.arg(db);
        cmd.arg("--config");
        cmd.arg(cfg);
        cmd.cwd(home);
        cmd.env("KADEN_NOW", NOW);
        cmd.env("TZ", "Asia/Tokyo");
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("HOME", home);
        for v in [
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "NO_COLOR",
            "KADEN_DB",
            "KADEN_CONFIG",
            "LC_ALL",
            "LC_MESSAGES",
        ] {
            cmd.env_remove(v);
        }
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let shared: Shared = Arc::new((
            Mutex::new(vt100::Parser::new(
                std::num::NonZeroU16::new(ROWS).unwrap(),
                std::num::NonZeroU16::new(COLS).unwrap(),
                0,
            )),
            Condvar::new(),
        ));
        let s = shared.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.0.lock().unwrap().process(&buf[..n]);
                s.1.notify_all();
            }
            s.1.notify_all();
        });
        let t0 = Instant::now();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        (
            Term {
                child,
                writer,
                shared,
                _master: pair.master,
            },
            t0,
        )
    }

    /// Write `keys`; the instant just before the write.
    fn send(&mut self, keys: &str) -> Instant {
        let t = Instant::now();
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        t
    }

    /// The screen's rows.
    fn rows(&self) -> Vec<String> {
        rows_of(&self.shared.0.lock().unwrap())
    }

    /// Wait (woken by each chunk of output) until `ok(rows)`; the instant it first held, or
    /// `None` after `limit`.
    fn wait_for(&mut self, limit: Duration, ok: impl Fn(&[String]) -> bool) -> Option<Instant> {
        let start = Instant::now();
        let (m, cv) = &*self.shared;
        let mut g = m.lock().unwrap();
        loop {
            if ok(&rows_of(&g)) {
                return Some(Instant::now());
            }
            if start.elapsed() > limit {
                return None;
            }
            let (g2, timeout) = cv.wait_timeout(g, Duration::from_millis(50)).unwrap();
            g = g2;
            if timeout.timed_out() && matches!(self.child.try_wait(), Ok(Some(_))) {
                let screen = g.screen().contents();
                panic!("kaden exited; screen:\n{screen}");
            }
        }
    }

    /// [`Term::wait_for`], failing on a hang.
    fn wait(&mut self, what: &str, ok: impl Fn(&[String]) -> bool) -> Instant {
        match self.wait_for(DEADLINE, ok) {
            Some(t) => t,
            None => panic!("timed out waiting for {what}; screen:\n{}", self.screen()),
        }
    }

    fn screen(&self) -> String {
        self.shared.0.lock().unwrap().screen().contents()
    }

    /// Esc, then `q`; waits for the exit (kills after the deadline).
    fn quit(mut self) {
        let _ = self.writer.write_all(b"\x1b");
        let _ = self.writer.flush();
        std::thread::sleep(Duration::from_millis(100));
        let _ = self.writer.write_all(b"q");
        let _ = self.writer.flush();
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rows_of(p: &vt100::Parser) -> Vec<String> {
    p.screen().rows(0, COLS).collect()
}

/// The first full frame of the queue: the header, the queue block with a selected row, the
/// key hints on the last line.
fn first_frame(rows: &[String]) -> bool {
    rows.first()
        .is_some_and(|r| r.starts_with(" kaden · ") && r.contains(" to call"))
        && rows.iter().any(|r| r.starts_with("╭ Queue ("))
        && selected_row(rows).is_some()
        && rows.last().is_some_and(|r| r.contains("q quit"))
}

/// The `#` of the queue row with the `>` marker.
fn selected_row(rows: &[String]) -> Option<u32> {
    rows.iter().find_map(|r| {
        let rest = r.strip_prefix("│>")?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// The detail pane's email line (every synthetic lead has a unique one): which lead it shows.
fn detail_email(rows: &[String]) -> Option<String> {
    rows.iter().find_map(|r| {
        let rest = r.strip_prefix("│Email")?;
        Some(rest.split_whitespace().next()?.to_string())
    })
}

fn result_form_open(rows: &[String]) -> bool {
    rows.iter().any(|r| r.contains("Next action"))
}

/// The search line shows `text` (and the cursor) and the results' title the same query.
fn search_shows(rows: &[String], text: &str) -> bool {
    let line = rows.iter().any(|r| {
        r.strip_prefix("Search: ")
            .map(|t| t.trim_end().trim_end_matches('_'))
            == Some(text)
    });
    let title = text.is_empty() || {
        let t = format!("Search \"{text}\"");
        rows.iter().any(|r| r.contains(&t))
    };
    line && title
}

/// The header shows the queue count (a number before "to call", not the pending `…`).
fn count_shown(rows: &[String]) -> bool {
    rows.first().is_some_and(|r| {
        r.split(" to call").next().is_some_and(|head| {
            head.trim_end_matches('+')
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_digit())
        }) && r.contains(" to call")
    })
}

fn queue_shown(rows: &[String]) -> bool {
    first_frame(rows) && !rows.iter().any(|r| r.starts_with("Search: "))
}

/// Samples in milliseconds for one figure.
struct Figure {
    name: String,
    size: u32,
    ms: Vec<f64>,
}

impl Figure {
    fn new(name: &str, size: u32) -> Figure {
        Figure {
            name: name.into(),
            size,
            ms: Vec::new(),
        }
    }
    fn add(&mut self, from: Instant, to: Instant) {
        self.ms.push(to.duration_since(from).as_secs_f64() * 1e3);
    }
}

/// Nearest-rank percentile of sorted samples.
fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn print_table(figs: &[Figure]) {
    println!();
    println!("kaden through a pty ({COLS}×{ROWS}), ms from the key write to the screen showing it");
    println!(
        "{:<44} {:>8} {:>4} {:>8} {:>8} {:>8} {:>8}",
        "figure", "leads", "n", "min", "p50", "p99", "max"
    );
    for f in figs {
        let mut s = f.ms.clone();
        s.sort_by(f64::total_cmp);
        // Padded by display width: a Japanese query takes two columns a character.
        let pad = 44usize.saturating_sub(unicode_width::UnicodeWidthStr::width(f.name.as_str()));
        println!(
            "{}{} {:>8} {:>4} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            f.name,
            " ".repeat(pad),
            f.size,
            s.len(),
            s.first().copied().unwrap_or(f64::NAN),
            pct(&s, 50.0),
            pct(&s, 99.0),
            s.last().copied().unwrap_or(f64::NAN)
        );
    }
    println!("(p99 is nearest-rank: with fewer than 100 samples it is the slowest sample)");
    if env_num("KADEN_BENCH_RAW", 0) == 1 {
        for f in figs {
            let ms: Vec<String> = f.ms.iter().map(|m| format!("{m:.1}")).collect();
            println!("{} ({}): {}", f.name, f.size, ms.join(" "));
        }
    }
}

fn cold_start(n: u32, db: &Path, cfg: &Path, home: &Path, figs: &mut Vec<Figure>) {
    let runs = env_num("KADEN_BENCH_COLD", 10);
    // One unmeasured start: anything a first open of this file does once is not a cold start.
    let (t, _) = Term::spawn(db, cfg, home);
    let mut t = t;
    t.wait("the first frame", first_frame);
    t.quit();
    let mut cold = Figure::new("cold start → first full frame, cache dropped", n);
    let mut warm = Figure::new("cold start → first full frame, warm cache", n);
    let mut cold_count = Figure::new("cold start → the count shown, cache dropped", n);
    let mut warm_count = Figure::new("cold start → the count shown, warm cache", n);
    for i in 0..runs * 2 {
        let dropped = i % 2 == 0 && drop_caches();
        if i % 2 == 0 && !dropped {
            continue;
        }
        let (mut t, t0) = Term::spawn(db, cfg, home);
        let done = t.wait("the first frame", first_frame);
        let counted = t.wait("the count", count_shown);
        if dropped {
            cold.add(t0, done);
            cold_count.add(t0, counted);
        } else {
            warm.add(t0, done);
            warm_count.add(t0, counted);
        }
        t.quit();
    }
    if !cold.ms.is_empty() {
        figs.push(cold);
        figs.push(cold_count);
    }
    figs.push(warm);
    figs.push(warm_count);
}

fn keys(n: u32, db: &Path, cfg: &Path, home: &Path, figs: &mut Vec<Figure>) {
    let samples = env_num("KADEN_BENCH_SAMPLES", 30);
    let (mut t, _) = Term::spawn(db, cfg, home);
    t.wait("the first frame", first_frame);

    // j down `samples` rows (scrolling past the 15 on screen), then k back up.
    let mut j = Figure::new("j → marker on the next row + its detail", n);
    let mut k = Figure::new("k → marker on the previous row + its detail", n);
    for (key, fig, step) in [("j", &mut j, 1i64), ("k", &mut k, -1)] {
        for _ in 0..samples {
            let rows = t.rows();
            let at = i64::from(selected_row(&rows).unwrap());
            let email = detail_email(&rows);
            let want = u32::try_from(at + step).unwrap();
            let sent = t.send(key);
            let done = t.wait(key, |r| {
                selected_row(r) == Some(want) && detail_email(r) != email
            });
            fig.add(sent, done);
        }
    }
    figs.push(j);
    figs.push(k);

    // u (the form), Enter (saved with its defaults: the lead leaves the queue).
    let mut u = Figure::new("u → result form", n);
    let mut enter = Figure::new("Enter in the form → saved, toast, next lead", n);
    let mut skipped = 0;
    for _ in 0..samples {
        let before = detail_email(&t.rows());
        let sent = t.send("u");
        let done = t.wait("the result form", result_form_open);
        u.add(sent, done);
        let sent = t.send("\r");
        let done = t.wait_for(Duration::from_secs(10), |r| {
            !result_form_open(r)
                && r.iter().any(|l| l.contains("Unconnected"))
                && detail_email(r).is_some()
                && detail_email(r) != before
        });
        match done {
            Some(done) => enter.add(sent, done),
            None => {
                // The form refused (an error in it): close it and go on.
                skipped += 1;
                t.send("\x1b");
                t.wait("the form closed", |r| !result_form_open(r));
                t.send("j");
            }
        }
    }
    if skipped > 0 {
        eprintln!("{n}: {skipped} result forms did not save with their defaults (skipped)");
    }
    figs.push(u);
    figs.push(enter);

    // Search: `/`, a query one character at a time, Esc.
    let mut open = Figure::new("/ → search line", n);
    let mut per_query = Vec::new();
    for query in ["テック", "lead99999@"] {
        let mut fig = Figure::new(&format!("search \"{query}\", per keystroke"), n);
        let chars: Vec<char> = query.chars().collect();
        let reps = samples.div_ceil(chars.len()).max(3);
        for _ in 0..reps {
            let sent = t.send("/");
            let done = t.wait("the search line", |r| search_shows(r, ""));
            open.add(sent, done);
            let mut typed = String::new();
            for c in &chars {
                typed.push(*c);
                let sent = t.send(&c.to_string());
                let done = t.wait(&format!("search {typed:?}"), |r| search_shows(r, &typed));
                fig.add(sent, done);
            }
            t.send("\x1b");
            t.wait("the queue again", queue_shown);
        }
        per_query.push(fig);
    }
    figs.push(open);
    figs.extend(per_query);
    t.quit();
}

fn main() {
    // `cargo bench -- FILTER` passes arguments; `cargo test --benches` passes `--bench`-less
    // ones: only run when invoked as a bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let cfg = config_file();
    let home = data_dir().join("pty-home");
    std::fs::create_dir_all(&home).unwrap();
    let mut figs = Vec::new();
    for n in sizes() {
        eprintln!("{n} leads: copying the database…");
        let db = work_db(n);
        eprintln!("{n} leads: cold start…");
        cold_start(n, &db, &cfg, &home, &mut figs);
        eprintln!("{n} leads: keys…");
        keys(n, &db, &cfg, &home, &mut figs);
        remove_db(&db);
    }
    print_table(&figs);
}
