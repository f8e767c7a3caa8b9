//! The CLI as a script sees it: `kaden queue`, `kaden log`, bad input, KADEN_NOW.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use predicates::prelude::*;
use predicates::str::contains;

fn demo(db: &TestDb) {
    kaden(db).args(["demo", "--no-tui"]).assert().success();
}

#[test]
fn queue_json_has_the_documented_fields_and_a_reason_on_every_row() {
    let db = temp_db();
    demo(&db);
    let out = kaden(&db)
        .args(["queue", "--format", "json", "--limit", "200"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert!(rows.len() >= 20, "{}", rows.len());
    for (i, r) in rows.iter().enumerate() {
        for k in [
            "id",
            "rank",
            "tier",
            "company",
            "contact",
            "title",
            "phone",
            "status",
            "touches",
            "due",
            "local_time",
            "time_zone",
            "reason",
        ] {
            assert!(r.get(k).is_some(), "row {i} lacks {k}");
        }
        assert_eq!(r["rank"], i + 1);
        assert!(!r["reason"].as_str().unwrap().is_empty());
        assert_eq!(r["local_time"].as_str().unwrap().len(), 5);
    }
    // the first rows are the due callbacks
    assert!(
        rows[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("callback promised")
    );
}

#[test]
fn log_records_and_the_lead_leaves_the_top() {
    let db = temp_db();
    demo(&db);
    let first = |db: &TestDb| -> i64 {
        let out = kaden(db)
            .args(["queue", "--format", "json", "--limit", "1"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v[0]["id"].as_i64().unwrap()
    };
    let top = first(&db);
    let before = count(&db.path, "SELECT count(*) FROM activities");
    kaden(&db)
        .args([
            "log",
            &top.to_string(),
            "unconnected",
            "--reason",
            "absent",
            "--note",
            "no answer",
        ])
        .assert()
        .success()
        .stdout(contains("Unconnected"));
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM activities"),
        before + 1
    );
    assert_ne!(first(&db), top);
}

#[test]
fn log_with_a_custom_time_and_channel() {
    let db = temp_db();
    demo(&db);
    kaden(&db)
        .args([
            "log",
            "1",
            "recall",
            "--next",
            "tomorrow 14:00",
            "--via",
            "email",
        ])
        .assert()
        .success();
    let (next, ch): (String, String) = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT next_at, next_channel FROM leads WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(next, "2026-11-25T05:00:00Z");
    assert_eq!(ch, "email");
}

#[test]
fn bad_input_is_one_line_nonzero_and_writes_nothing() {
    let db = temp_db();
    demo(&db);
    let before = std::fs::read(&db.path).unwrap();
    let acts = count(&db.path, "SELECT count(*) FROM activities");
    for (args, msg) in [
        (vec!["log", "1", "maybe"], "unknown result 'maybe'"),
        (
            vec!["log", "1", "recall", "--next", "soonish"],
            "cannot read 'soonish'",
        ),
        (vec!["log", "1", "recall"], "recall needs"),
        (vec!["log", "99999", "unconnected"], "no lead with id 99999"),
        (
            vec!["log", "1", "lost", "--reason", "aliens"],
            "unknown reason 'aliens'",
        ),
        (
            vec!["log", "1", "unconnected", "--next", "2020-01-01 10:00"],
            "in the past",
        ),
        (
            vec!["log", "nobody@example.com", "unconnected"],
            "no lead 'nobody@example.com'",
        ),
    ] {
        let out = kaden(&db).args(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(msg), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    assert_eq!(count(&db.path, "SELECT count(*) FROM activities"), acts);
    let _ = before;
}

#[test]
fn a_bad_kaden_now_is_refused() {
    let db = temp_db();
    kaden(&db)
        .env("KADEN_NOW", "yesterday")
        .args(["queue"])
        .assert()
        .failure()
        .stderr(contains("KADEN_NOW='yesterday'"));
}

#[test]
fn a_bad_config_names_file_line_and_key() {
    let db = temp_db();
    std::fs::write(&db.config_path, "rep = \"me\"\n[hours]\nstart = \"9am\"\n").unwrap();
    kaden(&db)
        .args(["queue"])
        .assert()
        .failure()
        .stderr(contains("config.toml:3:").and(contains("9am")));
}

#[test]
fn the_demo_never_touches_an_existing_database() {
    let db = temp_db();
    demo(&db);
    kaden(&db)
        .args(["demo", "--no-tui"])
        .assert()
        .failure()
        .stderr(contains("already holds leads"));
}

#[test]
fn synthetic_demo_builds_n_leads() {
    let db = temp_db();
    kaden(&db)
        .args(["demo", "--no-tui", "--leads", "2000"])
        .assert()
        .success();
    assert_eq!(count(&db.path, "SELECT count(*) FROM leads"), 2000);
    assert!(count(&db.path, "SELECT count(*) FROM activities") > 1000);
    let out = kaden(&db)
        .args(["queue", "--format", "json", "--limit", "50"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 50);
}
