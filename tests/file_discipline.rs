//! Issue 9, point 1: kaden never opens its own descriptor of the database, `-wal` or `-shm`
//! while SQLite has them open. Closing any descriptor of a file drops every POSIX lock the
//! process holds on it (SQLite's "How To Corrupt", §2.2); another SQLite program then takes the
//! exclusive lock on close, checkpoints and deletes the WAL under kaden, and what kaden writes
//! next goes to a deleted file.
//!
//! The guard is the kernel's own lock table: a store is held open in this process, every command
//! path runs in this same process, and after each one `/proc/locks` must still show this
//! process's shared locks on the database and on its `-shm`. Any stray `File::open` + close of
//! those files, anywhere on the path (kaden's code or a crate's), removes them and fails here.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

mod support;

use clap::Parser;
use kaden::cli::{Cli, Command};
use kaden::clock::Clock;
use kaden::commands::Ctx;
use kaden::store::{QueueQuery, Store, backup, checkup, sidecar};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use support::db::*;
use support::*;

/// The POSIX locks this process holds on `path` (by inode), as `/proc/locks` lines.
fn my_locks(path: &Path) -> Vec<String> {
    let ino = std::fs::metadata(path).unwrap().ino();
    let pid = std::process::id().to_string();
    let table = std::fs::read_to_string("/proc/locks").unwrap();
    table
        .lines()
        .filter(|l| !l.contains("->"))
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.get(1) == Some(&"POSIX")
                && f.get(4) == Some(&pid.as_str())
                && f.get(5)
                    .is_some_and(|d| d.rsplit(':').next() == Some(&ino.to_string()))
        })
        .map(str::to_string)
        .collect()
}

fn assert_still_locked(db: &Path, after: &str) {
    for f in [db.to_path_buf(), sidecar(db, "-shm")] {
        // `/proc/locks` is not read atomically: with other processes locking and unlocking files
        // meanwhile, one read can skip a line. A lock this idle process holds shows in one of a
        // few reads; one that was dropped never comes back (nothing here takes it again).
        let held = (0..20).any(|_| {
            let found = !my_locks(&f).is_empty();
            if !found {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            found
        });
        assert!(
            held,
            "after {after}: this process no longer holds SQLite's lock on {} — something opened \
             and closed its own descriptor of it",
            f.display()
        );
    }
}

/// Run a command line in this process, as `main` would (the result is not the point here,
/// the locks afterwards are).
fn run(args: &[&str]) -> String {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => panic!("{args:?}: {e}"),
    };
    let mut ctx = match Ctx::from_cli(&cli) {
        Ok(c) => c,
        Err(e) => return format!("error: {e:#}"),
    };
    ctx.clock = Clock::Fixed(now());
    if cli.command.is_none() {
        panic!("the TUI is not run in-process");
    }
    if let Some(Command::Demo(a)) = &cli.command {
        assert!(a.no_tui, "the demo runs in-process only with --no-tui");
    }
    match kaden::dispatch::run(&cli, ctx) {
        Ok(_) => "ok".into(),
        Err(e) => format!("error: {e:#}"),
    }
}

#[test]
fn no_command_path_drops_sqlite_locks_on_an_open_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 30);
    let config = write_config(dir.path(), "");
    let csv = dir.path().join("leads.csv");
    std::fs::write(
        &csv,
        "company,name,phone,email\nAcme,Ann,03-1234-5678,ann@acme.example\nBad,Bob,,\n",
    )
    .unwrap();

    // The holder: a store open in this process, as the TUI keeps it.
    let cfg = support::config();
    let holder = Store::open(&db).unwrap();
    holder
        .queue(&QueueQuery {
            now: now(),
            cfg: &cfg,
            limit: 5,
            filter: None,
            owner: None,
        })
        .unwrap();
    assert_still_locked(&db, "opening the store");

    let d = db.to_str().unwrap();
    let c = config.to_str().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let base = |rest: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["kaden", "--db", d, "--config", c]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(rest.iter().map(|s| s.to_string()));
        v
    };
    let lines: Vec<Vec<String>> = vec![
        base(&["log", "1", "unconnected", "--note", "in-process"]),
        base(&["log", "2", "unconnected", "--via", "email"]),
        base(&["queue", "--limit", "1"]),
        base(&["report", "--format", "json"]),
        base(&["export", "leads", "--out", &out("leads-out.csv")]),
        base(&["export", "calendar", "--out", &out("cal.ics")]),
        base(&["import", csv.to_str().unwrap(), "--dry-run"]),
        base(&["import", csv.to_str().unwrap(), "--skip-bad"]),
        base(&["doctor"]),
        base(&["backup", &out("copy.db")]),
        base(&["meeting", "1", "won"]),
        base(&["demo", "--no-tui"]),
        // Mistakes that name the database itself as another file.
        base(&["import", d]),
        base(&["export", "leads", "--out", d]),
        base(&["backup", d]),
        vec![
            "kaden".into(),
            "--db".into(),
            d.into(),
            "--config".into(),
            d.into(),
            "queue".into(),
        ],
    ];
    for line in &lines {
        let args: Vec<&str> = line.iter().map(String::as_str).collect();
        let outcome = run(&args);
        assert_still_locked(&db, &format!("{:?} ({outcome})", &args[5..]));
    }

    // The library paths under the commands.
    drop(Store::open(&db).unwrap());
    assert_still_locked(&db, "a second Store::open");
    drop(Store::open_read_only(&db).unwrap());
    assert_still_locked(&db, "Store::open_read_only");
    checkup(&db).unwrap();
    assert_still_locked(&db, "checkup");
    backup(&db, &dir.path().join("lib-copy.db")).unwrap();
    assert_still_locked(&db, "backup");

    // What the locks are for: another SQLite program opening and closing the file leaves the
    // WAL (with what this process wrote and has not checkpointed) where it is.
    let wal = sidecar(&db, "-wal");
    let wal_ino = std::fs::metadata(&wal).unwrap().ino();
    let st = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg("SELECT count(*) FROM activities;")
        .output()
        .unwrap();
    assert!(st.status.success(), "{st:?}");
    assert!(wal.exists(), "the foreign program deleted kaden's WAL");
    assert_eq!(std::fs::metadata(&wal).unwrap().ino(), wal_ino);
    assert_still_locked(&db, "a foreign sqlite3 open and close");
    drop(holder);
    assert_eq!(integrity(&db), "ok");
}
