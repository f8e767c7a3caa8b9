#![allow(clippy::unwrap_used)]
//! `kaden report` and `kaden meeting` through the binary: the acceptance scenario (calls logged
//! with `kaden log` over two weeks), JSON shape, CSV, tables in en/ja, tags, outcomes.

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use kaden::config::Config;
use kaden::domain::LeadStatus;
use kaden::store::{CompanyInput, NewLead, Store};
use serde_json::Value;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-11-24T18:00:00+09:00";

struct Env {
    _dir: tempfile::TempDir,
    db: PathBuf,
    config: PathBuf,
}

fn env(config: &str, leads: u32) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let cfg_path = dir.path().join("config.toml");
    std::fs::write(&cfg_path, config).unwrap();
    let c = Config::parse(config, "config.toml").unwrap();
    let mut s = Store::open(&db).unwrap();
    for i in 0..leads {
        s.insert_lead(
            &NewLead {
                company: CompanyInput {
                    name: format!("会社{i}"),
                    ..CompanyInput::default()
                },
                name: format!("Lead {i}"),
                title: String::new(),
                department: String::new(),
                role: None,
                phone: None,
                mobile: None,
                email: None,
                source: if i % 2 == 0 { "webinar" } else { "ads" }.into(),
                owner: "me".into(),
                time_zone: None,
                status: LeadStatus::New,
                created_at: DateTime::parse_from_rfc3339("2026-11-02T09:00:00+09:00")
                    .unwrap()
                    .with_timezone(&Utc),
            },
            &c,
        )
        .unwrap();
    }
    drop(s);
    Env {
        _dir: dir,
        db,
        config: cfg_path,
    }
}

fn kaden(e: &Env, now: &str) -> Command {
    let mut c = Command::cargo_bin("kaden").unwrap();
    c.env("KADEN_NOW", now)
        .env("TZ", "Asia/Tokyo")
        .env_remove("KADEN_DB")
        .env_remove("KADEN_CONFIG")
        .arg("--db")
        .arg(&e.db)
        .arg("--config")
        .arg(&e.config);
    c
}

fn log(e: &Env, lead: u32, result: &str, at: &str) {
    let mut c = kaden(e, at);
    c.args(["log", &lead.to_string(), result]);
    match result {
        "lost" => {
            c.args(["--reason", "no_need"]);
        }
        "appointment" => {
            c.args(["--next", "2026-12-10 15:00", "--sal", "budget,timing"]);
        }
        _ => {}
    }
    c.assert().success();
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap()
}

fn db_bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

const CONFIG: &str = "time_zone = \"Asia/Tokyo\"\nrep = \"me\"\n";

/// Previous week: 10 calls, 5 connects, 2 appointments. This week: 10 calls, 2 connects,
/// 1 appointment. Connect rate 50 % → 20 % drives appointments 2 → 1.
fn two_weeks(e: &Env) {
    let plan = |lead0: u32, day: &str, results: &[&str]| {
        for (i, r) in results.iter().enumerate() {
            let at = format!("{day}T10:{:02}:00+09:00", i * 3);
            log(e, lead0 + i as u32, r, &at);
        }
    };
    plan(
        1,
        "2026-11-17",
        &[
            "appointment",
            "appointment",
            "lost",
            "lost",
            "lost",
            "unconnected",
            "unconnected",
            "unconnected",
            "unconnected",
            "unconnected",
        ],
    );
    plan(
        11,
        "2026-11-24",
        &[
            "appointment",
            "lost",
            "unconnected",
            "unconnected",
            "unconnected",
            "unconnected",
            "unconnected",
            "unconnected",
            "unconnected",
            "unconnected",
        ],
    );
}

#[test]
fn acceptance_two_weeks_compare_json() {
    let e = env(CONFIG, 20);
    two_weeks(&e);
    let out = kaden(&e, NOW)
        .args([
            "report",
            "--period",
            "week",
            "--compare",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = json(&out.stdout);
    assert_eq!(j["period"]["start"], "2026-11-23");
    assert_eq!(j["period"]["end"], "2026-11-29");
    let m = &j["metrics"];
    assert_eq!(m["calls"], 10);
    assert_eq!(m["connects"], 2);
    assert_eq!(m["connect_rate"], 0.2);
    assert_eq!(m["appointments"], 1);
    assert_eq!(m["appointment_rate"], 0.5);
    assert_eq!(m["lost"], 1);
    assert_eq!(m["activities"], 10);
    assert_eq!(m["leads_created"], 0);
    assert_eq!(m["appointment_win_rate"], Value::Null);
    let p = &j["previous"];
    assert_eq!(p["calls"], 10);
    assert_eq!(p["connects"], 5);
    assert_eq!(p["connect_rate"], 0.5);
    assert_eq!(p["appointments"], 2);
    assert_eq!(p["appointment_rate"], 0.4);
    assert_eq!(j["change"]["appointments"]["abs"], -1.0);
    assert_eq!(j["change"]["appointments"]["rel"], -0.5);
    assert_eq!(j["change"]["calls"]["rel"], 0.0);
    assert_eq!(j["driver"], "connect_rate");
    // Keys present only when asked for.
    assert!(j.get("by").is_none());
    assert!(j.get("targets").is_none());
    let plain = json(
        &kaden(&e, NOW)
            .args(["report", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    for k in ["previous", "change", "driver", "by", "targets"] {
        assert!(plain.get(k).is_none(), "{k} without being asked");
    }
    for k in ["period", "metrics", "forecast"] {
        assert!(plain.get(k).is_some(), "{k}");
    }
    assert_eq!(plain["forecast"]["open_appointments"], 3);
}

#[test]
fn table_says_the_driver_in_en_and_ja() {
    let e = env(CONFIG, 20);
    two_weeks(&e);
    let out = kaden(&e, NOW)
        .args(["report", "--compare"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("Appointments 2 → 1 (−50 %): connect rate 50 % → 20 % explains most of it; call volume held; conversion 40 % → 50 % moved less."),
        "{s}"
    );
    assert!(s.contains("Week 2026-11-23 – 2026-11-29"), "{s}");
    let out = kaden(&e, NOW)
        .args(["report", "--compare", "--lang", "ja"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("主因は接続率 50 % → 20 %"), "{s}");
    assert!(s.contains("接続率"), "{s}");
}

#[test]
fn by_source_and_rep_with_load_balance() {
    let e = env(CONFIG, 20);
    two_weeks(&e);
    let j = json(
        &kaden(&e, NOW)
            .args(["report", "--by", "source", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    let by = j["by"].as_array().unwrap();
    let keys: Vec<&str> = by.iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert_eq!(keys, vec!["ads", "webinar"]);
    // Leads 11..20 this week: odd ids are webinar? ids start at 1: id i+1 → i even → webinar.
    let calls: u64 = by
        .iter()
        .map(|r| r["metrics"]["calls"].as_u64().unwrap())
        .sum();
    assert_eq!(calls, 10);
    let j = json(
        &kaden(&e, NOW)
            .args(["report", "--by", "rep", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(j["by"][0]["key"], "me");
    assert_eq!(j["balance"]["owners"][0]["owner"], "me");
    assert!(j["balance"]["owners"][0]["open"].as_u64().unwrap() >= 1);
    let s = String::from_utf8(
        kaden(&e, NOW)
            .args(["report", "--by", "rep"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(s.contains("Load balance"), "{s}");
}

#[test]
fn targets_and_pace_in_json_and_csv() {
    let e = env(
        "time_zone = \"Asia/Tokyo\"\nrep = \"me\"\n[targets.week]\nappointments = 4\ncalls = 40\n",
        20,
    );
    two_weeks(&e);
    let j = json(
        &kaden(&e, NOW)
            .args(["report", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    let t = &j["targets"]["calls"];
    assert_eq!(t["target"], 40.0);
    assert_eq!(t["actual"], 10.0);
    assert_eq!(
        t["pace"], 0.25,
        "Tuesday of a week with a Monday holiday: 1/4"
    );
    assert_eq!(t["achievement"], 1.0);
    let csv = String::from_utf8(
        kaden(&e, NOW)
            .args(["report", "--compare", "--format", "csv"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(csv.starts_with("scope,key,metric,value\n"), "{csv}");
    assert!(csv.contains("current,,calls,10\n"), "{csv}");
    assert!(csv.contains("previous,,connect_rate,0.5\n"), "{csv}");
    assert!(csv.contains("driver,,appointments,connect_rate\n"), "{csv}");
    assert!(csv.contains("achievement,,calls,1\n"), "{csv}");
}

#[test]
fn at_picks_the_period_and_bad_at_is_one_line() {
    let e = env(CONFIG, 20);
    two_weeks(&e);
    let j = json(
        &kaden(&e, NOW)
            .args(["report", "--at", "2026-11-22", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(j["period"]["start"], "2026-11-16");
    assert_eq!(j["metrics"]["calls"], 10);
    let out = kaden(&e, NOW)
        .args(["report", "--at", "someday"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--at 'someday'"), "{err}");
}

#[test]
fn meeting_won_and_lost_judge_the_latest_appointment() {
    let e = env(CONFIG, 20);
    two_weeks(&e);
    let out = kaden(&e, "2026-11-25T10:00:00+09:00")
        .args([
            "meeting",
            "1",
            "won",
            "--amount",
            "1500000",
            "--note",
            "signed #voice",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("won") && s.contains("1,500,000"), "{s}");
    kaden(&e, "2026-11-25T11:00:00+09:00")
        .args(["meeting", "2", "lost"])
        .assert()
        .success();
    let st = Store::open(&e.db).unwrap();
    let (o, at, amt, note): (String, String, f64, String) = rusqlite::Connection::open(st.path()).unwrap()
        .query_row(
            "SELECT outcome, outcome_at, outcome_amount, outcome_note FROM appointments WHERE lead_id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (o.as_str(), at.as_str(), amt, note.as_str()),
        ("won", "2026-11-25T01:00:00Z", 1_500_000.0, "signed #voice")
    );
    drop(st);
    let j = json(
        &kaden(&e, NOW)
            .args([
                "report",
                "--at",
                "2026-11-25",
                "--format",
                "json",
                "--by",
                "source",
            ])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(j["metrics"]["meetings_won"], 1);
    assert_eq!(j["metrics"]["appointment_win_rate"], 0.5);
    assert_eq!(j["forecast"]["open_appointments"], 1);
    // No appointment: a clear error, nothing written.
    let before = db_bytes(&e.db);
    let out = kaden(&e, NOW)
        .args(["meeting", "5", "won"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no appointment"), "{err}");
    assert_eq!(err.lines().count(), 1);
    assert_eq!(before, db_bytes(&e.db));
    let out = kaden(&e, NOW)
        .args(["meeting", "1", "maybe"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = kaden(&e, NOW)
        .args(["meeting", "1", "won", "--amount", "-5"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr).unwrap().contains("--amount"));
}

#[test]
fn tags_listing() {
    let e = env(CONFIG, 3);
    let mut c = kaden(&e, "2026-11-24T11:00:00+09:00");
    c.args([
        "log",
        "1",
        "lost",
        "--reason",
        "competitor",
        "--note",
        "went with a rival #competitor #価格",
    ])
    .assert()
    .success();
    let s = String::from_utf8(
        kaden(&e, NOW)
            .args(["report", "--tags"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(s.contains("#competitor (1)"), "{s}");
    assert!(s.contains("#価格 (1)"), "{s}");
    assert!(s.contains("2026-11-24 11:00"), "{s}");
    assert!(s.contains("会社0"), "{s}");
    let j = json(
        &kaden(&e, NOW)
            .args(["report", "--tags", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(j["tags"][0]["tag"], "competitor");
    assert_eq!(j["tags"][0]["notes"][0]["lead_id"], 1);
}
