//! Helpers shared by the reliability tests: a small database, child processes that re-execute
//! this test binary, and the checks every test ends with.
#![allow(dead_code, clippy::unwrap_used)]

use chrono::{DateTime, Utc};
use kaden::config::Config;
use kaden::store::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The fixed "now" of every reliability test (a Tuesday, 10:00 in Tokyo: calling hours).
pub const NOW: &str = "2026-11-24T10:00:00+09:00";

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn cfg() -> Config {
    Config::parse(
        "time_zone = \"Asia/Tokyo\"\nrep = \"tester\"\n",
        "test.toml",
    )
    .unwrap()
}

/// A database with `n` synthetic leads (ids 1..=n), as `kaden demo --leads n` builds it.
pub fn make_db(dir: &Path, n: u32) -> PathBuf {
    let path = dir.join("kaden.db");
    let cfg = cfg();
    let mut store = Store::open(&path).unwrap();
    store.ensure_rank_keys(&cfg).unwrap();
    kaden::demo::build_synthetic(&mut store, &cfg, now(), n).unwrap();
    path
}

/// A config file for the binary.
pub fn write_config(dir: &Path, extra: &str) -> PathBuf {
    let p = dir.join("config.toml");
    std::fs::write(
        &p,
        format!("time_zone = \"Asia/Tokyo\"\nrep = \"tester\"\n{extra}"),
    )
    .unwrap();
    p
}

/// This test binary, re-executed to run only `test` with `env` set: the child-process pattern.
pub fn child(test: &str, env: &[(&str, String)]) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--exact", test, "--nocapture", "--test-threads=1", "-q"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

/// Ids printed by a child as `committed <id>` lines.
pub fn committed_ids(stdout: &str) -> Vec<i64> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("committed "))
        .map(|s| s.trim().parse().unwrap())
        .collect()
}

pub fn integrity(path: &Path) -> String {
    let c = rusqlite::Connection::open(path).unwrap();
    let rows: Vec<String> = c
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.join("; ")
}

pub fn count(path: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(path).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[cfg(unix)]
pub fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// The whole content of a file, to compare byte for byte.
pub fn content(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}
