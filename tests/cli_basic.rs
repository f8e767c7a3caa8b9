//! The CLI as a script sees it: `kaden queue`, `kaden log`, bad input, KADEN_NOW.
#![allow(clippy::unwrap_used)]

mod support;
use predicates::prelude::*;
use predicates::str::contains;
use support::Ws;

const ACTIVITIES: &str = "SELECT count(*) FROM activities";

#[test]
fn queue_json_has_the_documented_fields_and_a_reason_on_every_row() {
    let ws = Ws::new();
    ws.demo();
    let out = ws
        .kaden(&["queue", "--format", "json", "--limit", "200"])
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
    let ws = Ws::new();
    ws.demo();
    let first = |ws: &Ws| -> i64 {
        let out = ws
            .kaden(&["queue", "--format", "json", "--limit", "1"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v[0]["id"].as_i64().unwrap()
    };
    let top = first(&ws);
    let before = ws.count(ACTIVITIES);
    ws.kaden(&[
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
    assert_eq!(ws.count(ACTIVITIES), before + 1);
    assert_ne!(first(&ws), top);
}

#[test]
fn log_with_a_custom_time_and_channel() {
    let ws = Ws::new();
    ws.demo();
    ws.kaden(&[
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
    assert_eq!(
        ws.rows("SELECT next_at, next_channel FROM leads WHERE id = 1"),
        [["2026-11-25T05:00:00Z", "email"]]
    );
}

#[test]
fn bad_input_is_one_line_nonzero_and_writes_nothing() {
    let ws = Ws::new();
    ws.demo();
    // With no kaden running, the demo's WAL is checkpointed into the file: these are all the
    // bytes, and a command that refuses must leave every one of them as it was.
    let before = ws.db_bytes();
    assert!(!before.is_empty());
    let acts = ws.count(ACTIVITIES);
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
        let out = ws.kaden(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(msg), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(
            ws.db_bytes() == before,
            "{args:?} changed the database file"
        );
    }
    assert_eq!(ws.count(ACTIVITIES), acts);
}

#[test]
fn a_bad_kaden_now_is_refused() {
    let ws = Ws::new();
    ws.kaden(&[])
        .env("KADEN_NOW", "yesterday")
        .args(["queue"])
        .assert()
        .failure()
        .stderr(contains("KADEN_NOW='yesterday'"));
}

#[test]
fn a_bad_config_names_file_line_and_key() {
    let ws = Ws::new();
    std::fs::write(&ws.config, "rep = \"me\"\n[hours]\nstart = \"9am\"\n").unwrap();
    ws.kaden(&["queue"])
        .assert()
        .failure()
        .stderr(contains("config.toml:3:").and(contains("9am")));
}

#[test]
fn the_demo_never_touches_an_existing_database() {
    let ws = Ws::new();
    ws.demo();
    ws.kaden(&["demo", "--no-tui"])
        .assert()
        .failure()
        .stderr(contains("already holds leads"));
}

#[test]
fn synthetic_demo_builds_n_leads() {
    let ws = Ws::new();
    ws.kaden(&["demo", "--no-tui", "--leads", "2000"])
        .assert()
        .success();
    assert_eq!(ws.count("SELECT count(*) FROM leads"), 2000);
    assert!(ws.count(ACTIVITIES) > 1000);
    let out = ws
        .kaden(&["queue", "--format", "json", "--limit", "50"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 50);
}
