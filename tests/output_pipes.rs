//! Issue 9, point 5: an acknowledged write is reported as done. Once a result is committed, a
//! failure to print the confirmation (a closed pipe, a full disk behind stdout) is a warning on
//! stderr and exit status 0, so a script that retries on failure never records a call twice. A
//! closed pipe never makes kaden panic, whatever the command.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use support::db::*;
use support::*;

fn kaden(dir: &Path, db: &Path) -> Command {
    kaden_on(dir, db, &write_config(dir, ""))
}

/// A pipe whose reader is already gone: the first write gets EPIPE, as under `| true` or
/// `| head` once head has exited.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

fn dev_full() -> Stdio {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
        .into()
}

fn no_panic(out: &Output, what: &str) {
    let err = text(&out.stderr);
    assert_ne!(out.status.code(), Some(101), "{what} panicked: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
}

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 30);
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "company,name,phone\nPipe Co,Pat,03-5555-0101\nFull Co,Fay,03-5555-0102\n",
    )
    .unwrap();
    (dir, db, csv)
}

/// Writes that commit, each with how to count what they wrote.
fn acknowledged_writes(dir: &Path, csv: &Path) -> Vec<(Vec<String>, String)> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        (
            s(&["log", "7", "unconnected"]),
            "SELECT count(*) FROM activities WHERE lead_id = 7".into(),
        ),
        (
            s(&["import", csv.to_str().unwrap()]),
            "SELECT count(*) FROM leads".into(),
        ),
        (
            s(&[
                "backup",
                dir.join(format!("b{}.db", rand::random::<u32>()))
                    .to_str()
                    .unwrap(),
            ]),
            "SELECT 0".into(),
        ),
    ]
}

#[test]
fn a_committed_result_is_success_even_when_the_confirmation_cannot_be_printed() {
    let (dir, db, csv) = setup();
    for (sink_name, sink) in [
        ("| true", closed_pipe as fn() -> Stdio),
        ("> /dev/full", dev_full),
    ] {
        for (args, count_sql) in acknowledged_writes(dir.path(), &csv) {
            let before = count(&db, &count_sql);
            let out = kaden(dir.path(), &db)
                .args(&args)
                .stdout(sink())
                .output()
                .unwrap();
            let what = format!("{args:?} {sink_name}");
            no_panic(&out, &what);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{what}: {err}");
            assert!(
                err.starts_with("kaden: warning:") && err.contains("saved"),
                "{what}: {err}"
            );
            assert_eq!(err.trim_end().lines().count(), 1, "{what}: {err}");
            if args[0] == "log" {
                assert_eq!(count(&db, &count_sql), before + 1, "{what}");
            }
            if args[0] == "import" && before == 30 {
                assert_eq!(count(&db, &count_sql), 32, "{what}");
            }
        }
    }
    // `meeting` confirms after its commit too.
    kaden(dir.path(), &db)
        .args(["log", "3", "appointment", "--next", "tomorrow 10:00"])
        .output()
        .unwrap();
    let out = kaden(dir.path(), &db)
        .args(["meeting", "3", "won"])
        .stdout(closed_pipe())
        .output()
        .unwrap();
    no_panic(&out, "meeting");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A closed stderr as well as stdout: nothing to warn on, still success and no panic.
    let before = count(&db, "SELECT count(*) FROM activities WHERE lead_id = 8");
    let out = kaden(dir.path(), &db)
        .args(["log", "8", "unconnected"])
        .stdout(closed_pipe())
        .stderr(closed_pipe())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        count(&db, "SELECT count(*) FROM activities WHERE lead_id = 8"),
        before + 1
    );
    assert_eq!(integrity(&db), "ok");
}

#[test]
fn the_script_that_retries_on_failure_records_the_call_once() {
    let (dir, db, _) = setup();
    let before = count(&db, "SELECT count(*) FROM activities WHERE lead_id = 9");
    let script = format!(
        "for try in 1 2 3; do if {k} --db {db} --config {c} log 9 unconnected | true; then break; fi; done",
        k = env!("CARGO_BIN_EXE_kaden"),
        db = db.display(),
        c = write_config(dir.path(), "").display()
    );
    let out = test_env(&mut Command::new("bash"), dir.path())
        .args(["-o", "pipefail", "-c", &script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        count(&db, "SELECT count(*) FROM activities WHERE lead_id = 9"),
        before + 1
    );
}

#[test]
fn reading_commands_end_quietly_on_a_closed_pipe_and_fail_clearly_on_a_full_disk() {
    let (dir, db, csv) = setup();
    let csv = csv.to_str().unwrap();
    let reads: Vec<Vec<&str>> = vec![
        vec!["queue"],
        vec!["queue", "--format", "json"],
        vec!["report"],
        vec!["report", "--format", "csv"],
        vec!["export", "leads"],
        vec!["export", "activities", "--format", "json"],
        vec!["export", "calendar", "--next-actions"],
        vec!["keys"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["doctor"],
        PLAN_EXAMPLE.to_vec(),
        vec!["import", "--dry-run", csv],
    ];
    for args in &reads {
        let out = kaden(dir.path(), &db)
            .args(args)
            .stdout(closed_pipe())
            .output()
            .unwrap();
        let what = format!("{args:?} | head");
        no_panic(&out, &what);
        assert_eq!(out.status.code(), Some(0), "{what}: {}", text(&out.stderr));
        assert_eq!(text(&out.stderr), "", "{what}");

        let out = kaden(dir.path(), &db)
            .args(args)
            .stdout(dev_full())
            .output()
            .unwrap();
        let what = format!("{args:?} > /dev/full");
        no_panic(&out, &what);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {err}");
        assert!(
            err.starts_with("kaden: cannot write the output")
                && err.contains("No space left on device"),
            "{what}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{what}: {err}");
        assert_eq!(err.matches("os error").count(), 1, "{what}: {err}");
    }
}

#[test]
fn a_real_head_in_a_shell_pipeline_cuts_a_long_export_without_an_error() {
    let dir = tempfile::tempdir().unwrap();
    // Big enough to outgrow the pipe's buffer, so kaden is still writing when head leaves.
    let db = make_db(dir.path(), 3000);
    let k = env!("CARGO_BIN_EXE_kaden");
    let c = write_config(dir.path(), "");
    for what in ["leads", "activities"] {
        let script = format!(
            "{k} --db {db} --config {c} export {what} | head -c 100 >/dev/null; echo \"status=${{PIPESTATUS[0]}}\"",
            db = db.display(),
            c = c.display()
        );
        let out = test_env(&mut Command::new("bash"), dir.path())
            .args(["-c", &script])
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(text(&out.stdout).trim(), "status=0", "{what}: {err}");
        assert_eq!(err, "", "{what}");
    }
}
