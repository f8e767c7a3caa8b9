//! Import under kill -9: all or nothing. A 50,000-row CSV is imported with `kaden import` and
//! the process is killed with SIGKILL at random moments; afterwards the lead count is either the
//! count before or that plus every row, and the file is intact.
#![allow(clippy::unwrap_used)]

mod support;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::db::*;
use support::*;

const ROWS: usize = 50_000;

fn csv(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("leads.csv");
    let mut s = String::from("Company,First Name,Last Name,Phone,Email\n");
    for i in 0..ROWS {
        s.push_str(&format!(
            "株式会社インポート{},太郎{},山田,06-{:04}-{:04},import{i}@example.co.jp\n",
            i / 2,
            i % 97,
            1000 + i / 10_000,
            i % 10_000
        ));
    }
    std::fs::write(&p, s).unwrap();
    p
}

fn import_cmd(dir: &Path, db: &Path, file: &Path) -> Command {
    let mut c = kaden_on(dir, db, &write_config(dir, ""));
    c.arg("import")
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn leads(db: &Path) -> i64 {
    count(db, "SELECT count(*) FROM leads")
}

#[test]
fn sigkill_during_import_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pristine = make_db(dir.path(), 100);
    let file = csv(dir.path());
    let help = command(dir.path())
        .args(["import", "--help"])
        .output()
        .unwrap();
    assert!(help.status.success(), "kaden import --help failed");
    let work = dir.path().join("work.db");
    let reset = || {
        for s in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{s}", work.display()));
        }
        std::fs::copy(&pristine, &work).unwrap();
    };
    let before = leads(&pristine);

    // One import to the end: every row arrives (and how long that takes sets the kill moments).
    reset();
    let started = Instant::now();
    let out = import_cmd(dir.path(), &work, &file).output().unwrap();
    let full = started.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "import failed: {err}");
    assert_eq!(leads(&work), before + ROWS as i64);
    assert_eq!(integrity(&work), "ok");

    let mut rng = StdRng::seed_from_u64(0x1_4b0d);
    let mut outcomes = (0, 0);
    for round in 0..10 {
        reset();
        let mut child = import_cmd(dir.path(), &work, &file).spawn().unwrap();
        let upto = (full.as_micros() as u64).max(1000) * 12 / 10;
        std::thread::sleep(Duration::from_micros(rng.random_range(0..upto)));
        child.kill().unwrap();
        child.wait().unwrap();
        let n = leads(&work);
        assert!(
            n == before || n == before + ROWS as i64,
            "round {round}: {n} leads after SIGKILL (before {before}, file {ROWS} rows)"
        );
        if n == before {
            outcomes.0 += 1;
        } else {
            outcomes.1 += 1;
        }
        assert_eq!(integrity(&work), "ok", "round {round}");
    }
    eprintln!(
        "import killed 10 times: {} left nothing, {} had finished",
        outcomes.0, outcomes.1
    );
}
