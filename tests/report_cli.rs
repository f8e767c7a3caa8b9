#![allow(clippy::unwrap_used)]
//! `kaden report` and `kaden meeting` through the binary: the acceptance scenario (calls logged
//! with `kaden log` over two weeks), JSON shape, CSV, tables in en/ja, tags, outcomes.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use support::{Ws, at, config_with, new_lead};

/// The evening of the day the reports look at (later than [`support::NOW`]: the day's calls
/// are all in).
const EVENING: &str = "2026-11-24T18:00:00+09:00";

/// A workspace with the config [`support::CONFIG`] + `extra` and `leads` leads (ids 1..),
/// sources alternating webinar / ads.
fn env(extra: &str, leads: u32) -> Ws {
    let ws = Ws::with_config(extra);
    let cfg = config_with(extra);
    let mut s = ws.store();
    for i in 0..leads {
        let mut l = new_lead(&format!("会社{i}"), at("2026-11-02T09:00:00+09:00"));
        l.name = format!("Lead {i}");
        l.source = if i % 2 == 0 { "webinar" } else { "ads" }.into();
        s.insert_lead(&l, &cfg).unwrap();
    }
    ws
}

/// `kaden ARGS…` with the clock at `now`.
fn kaden(e: &Ws, now: &str, args: &[&str]) -> Command {
    let mut c = e.kaden(args);
    c.env("KADEN_NOW", now);
    c
}

fn log(e: &Ws, lead: u32, result: &str, at: &str) {
    let mut c = kaden(e, at, &["log", &lead.to_string(), result]);
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

/// What `kaden ARGS…` prints in the evening.
fn stdout_of(e: &Ws, args: &[&str]) -> String {
    String::from_utf8(kaden(e, EVENING, args).output().unwrap().stdout).unwrap()
}

/// What `kaden ARGS…` prints in the evening, read as JSON.
fn json_of(e: &Ws, args: &[&str]) -> Value {
    json(kaden(e, EVENING, args).output().unwrap().stdout.as_slice())
}

/// Previous week (on its Monday): 10 calls, 5 connects, 2 appointments. This week (Tuesday;
/// Monday is a holiday): 10 calls, 2 connects, 1 appointment. Connect rate 50 % → 20 % drives
/// appointments 2 → 1. The running week's one business day compares with the previous week's
/// first, its Monday, which holds all of it.
fn two_weeks(e: &Ws) {
    let plan = |lead0: u32, day: &str, results: &[&str]| {
        for (i, r) in results.iter().enumerate() {
            let at = format!("{day}T10:{:02}:00+09:00", i * 3);
            log(e, lead0 + i as u32, r, &at);
        }
    };
    plan(
        1,
        "2026-11-16",
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
    let e = env("", 20);
    two_weeks(&e);
    let out = kaden(
        &e,
        EVENING,
        &[
            "report",
            "--period",
            "week",
            "--compare",
            "--format",
            "json",
        ],
    )
    .output()
    .unwrap();
    support::assert_success(&out);
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
    let plain = json_of(&e, &["report", "--format", "json"]);
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
    let e = env("", 20);
    two_weeks(&e);
    let out = kaden(&e, EVENING, &["report", "--compare"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("Appointments 2 → 1 (−50 %): connect rate 50 % → 20 % explains most of it; call volume held; conversion 40 % → 50 % moved less."),
        "{s}"
    );
    assert!(s.contains("Week 2026-11-23 – 2026-11-29"), "{s}");
    let out = kaden(&e, EVENING, &["report", "--compare", "--lang", "ja"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("主因は接続率 50 % → 20 %"), "{s}");
    assert!(s.contains("接続率"), "{s}");
}

#[test]
fn by_source_and_rep_with_load_balance() {
    let e = env("", 20);
    two_weeks(&e);
    let j = json_of(&e, &["report", "--by", "source", "--format", "json"]);
    let by = j["by"].as_array().unwrap();
    let keys: Vec<&str> = by.iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert_eq!(keys, vec!["ads", "webinar"]);
    // Leads 11..20 this week: odd ids are webinar? ids start at 1: id i+1 → i even → webinar.
    let calls: u64 = by
        .iter()
        .map(|r| r["metrics"]["calls"].as_u64().unwrap())
        .sum();
    assert_eq!(calls, 10);
    let j = json_of(&e, &["report", "--by", "rep", "--format", "json"]);
    assert_eq!(j["by"][0]["key"], "me");
    assert_eq!(j["balance"]["owners"][0]["owner"], "me");
    assert!(j["balance"]["owners"][0]["open"].as_u64().unwrap() >= 1);
    let s = stdout_of(&e, &["report", "--by", "rep"]);
    assert!(s.contains("Load balance"), "{s}");
}

#[test]
fn targets_and_pace_in_json_and_csv() {
    let e = env("[targets.week]\nappointments = 4\ncalls = 40\n", 20);
    two_weeks(&e);
    let j = json_of(&e, &["report", "--format", "json"]);
    let t = &j["targets"]["calls"];
    assert_eq!(t["target"], 40.0);
    assert_eq!(t["actual"], 10.0);
    assert_eq!(
        t["pace"], 0.25,
        "Tuesday of a week with a Monday holiday: 1/4"
    );
    assert_eq!(t["achievement"], 1.0);
    let csv = stdout_of(&e, &["report", "--compare", "--format", "csv"]);
    assert!(csv.starts_with("scope,key,metric,value\n"), "{csv}");
    assert!(csv.contains("current,,calls,10\n"), "{csv}");
    assert!(csv.contains("previous,,connect_rate,0.5\n"), "{csv}");
    assert!(csv.contains("driver,,appointments,connect_rate\n"), "{csv}");
    assert!(csv.contains("achievement,,calls,1\n"), "{csv}");
}

#[test]
fn at_picks_the_period_and_bad_at_is_one_line() {
    let e = env("", 20);
    two_weeks(&e);
    let j = json_of(&e, &["report", "--at", "2026-11-22", "--format", "json"]);
    assert_eq!(j["period"]["start"], "2026-11-16");
    assert_eq!(j["metrics"]["calls"], 10);
    let out = kaden(&e, EVENING, &["report", "--at", "someday"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--at 'someday'"), "{err}");
}

#[test]
fn meeting_won_and_lost_judge_the_latest_appointment() {
    let e = env("", 20);
    two_weeks(&e);
    let out = kaden(
        &e,
        "2026-11-25T10:00:00+09:00",
        &[
            "meeting",
            "1",
            "won",
            "--amount",
            "1500000",
            "--note",
            "signed #voice",
        ],
    )
    .output()
    .unwrap();
    support::assert_success(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("won") && s.contains("1,500,000"), "{s}");
    kaden(&e, "2026-11-25T11:00:00+09:00", &["meeting", "2", "lost"])
        .assert()
        .success();
    let r = &e.rows(
        "SELECT outcome, outcome_at, outcome_amount, outcome_note FROM appointments WHERE lead_id = 1",
    )[0];
    assert_eq!(
        (
            r[0].as_str(),
            r[1].as_str(),
            r[2].parse::<f64>().unwrap(),
            r[3].as_str()
        ),
        ("won", "2026-11-25T01:00:00Z", 1_500_000.0, "signed #voice")
    );
    let j = json_of(
        &e,
        &[
            "report",
            "--at",
            "2026-11-25",
            "--format",
            "json",
            "--by",
            "source",
        ],
    );
    assert_eq!(j["metrics"]["meetings_won"], 1);
    assert_eq!(j["metrics"]["appointment_win_rate"], 0.5);
    assert_eq!(j["forecast"]["open_appointments"], 1);
    // No appointment: a clear error, nothing written.
    let before = e.db_bytes();
    let out = kaden(&e, EVENING, &["meeting", "5", "won"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no appointment"), "{err}");
    assert_eq!(err.lines().count(), 1);
    assert_eq!(before, e.db_bytes());
    let out = kaden(&e, EVENING, &["meeting", "1", "maybe"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = kaden(&e, EVENING, &["meeting", "1", "won", "--amount", "-5"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr).unwrap().contains("--amount"));
}

#[test]
fn tags_listing() {
    let e = env("", 3);
    kaden(
        &e,
        "2026-11-24T11:00:00+09:00",
        &[
            "log",
            "1",
            "lost",
            "--reason",
            "competitor",
            "--note",
            "went with a rival #competitor #価格",
        ],
    )
    .assert()
    .success();
    let s = stdout_of(&e, &["report", "--tags"]);
    assert!(s.contains("#competitor (1)"), "{s}");
    assert!(s.contains("#価格 (1)"), "{s}");
    assert!(s.contains("2026-11-24 11:00"), "{s}");
    assert!(s.contains("会社0"), "{s}");
    let j = json_of(&e, &["report", "--tags", "--format", "json"]);
    assert_eq!(j["tags"][0]["tag"], "competitor");
    assert_eq!(j["tags"][0]["notes"][0]["lead_id"], 1);
}

#[test]
fn meeting_no_show_and_held_from_the_command_line() {
    let e = env("", 20);
    two_weeks(&e);
    // Lead 1 booked an appointment on Mon 16 Nov. A no-show reported Wed 25 Nov 10:00 Tokyo
    // puts it in nurturing, re-approached 90 days later: 25 Nov + 90 d = 23 Feb 2027.
    let out = kaden(
        &e,
        "2026-11-25T10:00:00+09:00",
        &["meeting", "1", "no_show"],
    )
    .output()
    .unwrap();
    support::assert_success(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("not held (no-show)") && s.contains("re-approach 2027-02-23"),
        "{s}"
    );
    let r = &e.rows("SELECT status, nurture_reason, next_at FROM leads WHERE id = 1")[0];
    assert_eq!(
        (r[0].as_str(), r[1].as_str(), r[2].as_str()),
        ("nurturing", "no_show", "2027-02-23T01:00:00Z")
    );
    // Held keeps lead 2 a meeting lead; Japanese output.
    let out = kaden(&e, EVENING, &["meeting", "2", "held", "--lang", "ja"])
        .output()
        .unwrap();
    support::assert_success(&out);
    assert!(String::from_utf8(out.stdout).unwrap().contains("商談実施"));
    assert_eq!(
        e.rows("SELECT status FROM leads WHERE id = 2")[0][0],
        "meeting"
    );
    // An amount belongs to a win only; an unknown result names the four.
    let before = e.db_bytes();
    let out = kaden(&e, EVENING, &["meeting", "2", "held", "--amount", "5"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("amount won")
    );
    let out = kaden(&e, EVENING, &["meeting", "2", "maybe"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("held, no_show, won, lost"), "{err}");
    assert_eq!(before, e.db_bytes());
}

#[test]
fn report_by_reason_and_export_of_the_leads_behind_a_reason() {
    let e = env("", 6);
    // Leads 1..=6 alternate webinar (odd ids) / ads (even ids). This week: 1 and 2 lost for no
    // budget, 3 lost for timing, 4 unconnected (absent).
    for (lead, result, reason) in [
        ("1", "lost", "no_budget"),
        ("2", "lost", "no_budget"),
        ("3", "lost", "timing"),
        ("4", "unconnected", "absent"),
    ] {
        kaden(
            &e,
            "2026-11-24T11:00:00+09:00",
            &["log", lead, result, "--reason", reason],
        )
        .assert()
        .success();
    }
    let s = stdout_of(&e, &["report", "--by", "reason"]);
    // Lost: no_budget 2 of 3 (67 %: webinar 1, ads 1), timing 1 (33 %); unconnected: absent 1.
    assert!(
        s.contains("No budget      2   67 %  ads 1 · webinar 1"),
        "{s}"
    );
    assert!(s.contains("Timing         1   33 %  webinar 1"), "{s}");
    assert!(s.contains("Absent         1  100 %  ads 1"), "{s}");
    let j = json_of(&e, &["report", "--by", "reason", "--format", "json"]);
    assert_eq!(j["reasons"]["rows"][1]["reason"], "no_budget");
    assert_eq!(j["reasons"]["rows"][1]["count"], 2);
    // The leads behind no_budget, as a CSV for a campaign: leads 1 and 2 only.
    let out = kaden(
        &e,
        EVENING,
        &[
            "export",
            "leads",
            "--reason",
            "no_budget",
            "--format",
            "json",
        ],
    )
    .output()
    .unwrap();
    support::assert_success(&out);
    let v = json(&out.stdout);
    let ids: Vec<i64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![1, 2]);
    // --since after the calls (11:00): none.
    let out = kaden(
        &e,
        EVENING,
        &[
            "export",
            "leads",
            "--reason",
            "no_budget",
            "--since",
            "2026-11-24 12:00",
            "--format",
            "json",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(json(&out.stdout).as_array().unwrap().len(), 0);
    // A reason that is not in the config is refused with the known ones; so is --reason on
    // another export.
    let out = kaden(&e, EVENING, &["export", "leads", "--reason", "nobudget"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("not a reason") && err.contains("no_budget"),
        "{err}"
    );
    let out = kaden(&e, EVENING, &["export", "activities", "--reason", "timing"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn kaden_queue_brings_back_pending_leads_after_their_rest() {
    let e = env("", 2);
    // Lead 1 parked as pending on 20 Sep: 65 days before 24 Nov, past the 60-day rest.
    support::db::batch(
        &e.db,
        "UPDATE leads SET status = 'pending', updated_at = '2026-09-20T00:00:00Z', next_at = NULL,
                next_owner = NULL, next_channel = NULL, q_band = NULL, rank_key = NULL WHERE id = 1",
    );
    let out = kaden(&e, support::NOW, &["queue", "--format", "json"])
        .output()
        .unwrap();
    support::assert_success(&out);
    let ids: Vec<i64> = json(&out.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&1), "{ids:?}");
    let r = &e.rows("SELECT status, nurture_reason, next_note FROM leads WHERE id = 1")[0];
    assert_eq!(
        (r[0].as_str(), r[1].as_str(), r[2].as_str()),
        (
            "nurturing",
            "recycled",
            "recycled · pending since 2026-09-20"
        )
    );
}
