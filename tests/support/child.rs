//! Child processes that re-execute this test binary to run one test function of it (the
//! crash and concurrency tests: a writer to kill with SIGKILL, several writers at once).

use std::process::{Command, Stdio};

/// This test binary, re-executed to run only `test` with `env` set.
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
