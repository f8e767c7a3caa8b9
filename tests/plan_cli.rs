#![allow(clippy::unwrap_used)]
//! `kaden plan`: the source document's example, quarters, and every validation error.

mod support;

use serde_json::Value;
use support::{PLAN_EXAMPLE as EXAMPLE, Ws, plan_with};

#[test]
fn source_example_gives_40m_40_50_150() {
    let d = Ws::new();
    let out = d
        .kaden(EXAMPLE)
        .args([
            "--lead-time",
            "6",
            "--quarter",
            "2025Q1",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    support::assert_success(&out);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["pipeline"], 40_000_000.0);
    assert_eq!(j["sql"], 40);
    assert_eq!(j["sal"], 50);
    assert_eq!(j["conversations"], 150);
    assert_eq!(j["pipeline_by"], "2024-07-01");
    assert_eq!(j["pipeline_quarter"], "2024Q3");
    let out = d
        .kaden(EXAMPLE)
        .args(["--lead-time", "6", "--quarter", "2025Q1"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("40,000,000"), "{s}");
    assert!(s.contains("2024-07-01 (2024Q3)"), "{s}");
}

#[test]
fn default_quarter_is_the_current_one_and_rounding_ignores_float_noise() {
    let d = Ws::new();
    let out = d
        .kaden(EXAMPLE)
        .args(["--lead-time", "6", "--format", "json"])
        .output()
        .unwrap();
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["quarter"], "2026Q4");
    assert_eq!(j["pipeline_by"], "2026-04-01");
    // 0.7 / 0.1 style float noise: 3,000,000 / 0.3 / 1,000,000 = 10 SQL, not 11.
    let out = d
        .kaden(&[])
        .args([
            "plan",
            "--target",
            "3000000",
            "--win-rate",
            "0.3",
            "--deal-size",
            "1000000",
            "--sal-to-sql",
            "0.7",
            "--calls-per-sal",
            "0.1",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["sql"], 10);
    assert_eq!(j["sal"], 15, "10 / 0.7 = 14.29 → 15");
    assert_eq!(j["conversations"], 2, "15 × 0.1 = 1.5 → 2");
    assert_eq!(j["pipeline_by"], Value::Null);
}

#[test]
fn every_bad_input_is_one_clear_line() {
    let d = Ws::new();
    let cases: &[(&str, &str, &str)] = &[
        ("--win-rate", "0", "--win-rate"),
        ("--win-rate", "1.5", "--win-rate"),
        ("--sal-to-sql", "0", "--sal-to-sql"),
        ("--sal-to-sql", "-0.2", "--sal-to-sql"),
        ("--target", "0", "--target"),
        ("--target", "-100", "--target"),
        ("--deal-size", "0", "--deal-size"),
        ("--calls-per-sal", "0", "--calls-per-sal"),
        ("--win-rate", "NaN", "--win-rate"),
    ];
    for (flag, value, expect) in cases {
        let args = plan_with(flag, value);
        let out = d.kaden(&[]).args(&args).output().unwrap();
        assert!(!out.status.success(), "{flag} {value}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{flag} {value}: {err}");
        assert!(err.contains(expect), "{flag} {value}: {err}");
    }
    let out = d
        .kaden(EXAMPLE)
        .args(["--quarter", "2025Q5"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr).unwrap().contains("2025Q5"));
}

#[test]
fn the_plan_is_set_against_the_database_and_a_past_date_is_flagged() {
    let d = Ws::new();
    // Without a database: the plan alone, and kaden plan creates none.
    let out = d
        .kaden(EXAMPLE)
        .args(["--format", "json"])
        .output()
        .unwrap();
    support::assert_success(&out);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["actuals"], Value::Null);
    assert!(!d.db.exists());
    d.demo();
    // Revenue in 2027Q2 with 3 months of lead time: the pipeline must exist by 2027-01-01.
    let out = d
        .kaden(EXAMPLE)
        .args(["--quarter", "2027Q2", "--lead-time", "3"])
        .output()
        .unwrap();
    support::assert_success(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("What the database says (2026-10-27 – 2026-11-23, 18 business days)"),
        "{s}"
    );
    assert!(s.contains("Calls per business day"), "{s}");
    assert!(s.contains("Open SAL pipeline (forecast)"), "{s}");
    assert!(s.contains("business days until 2027-01-01"), "{s}");
    assert!(!s.contains("already past"), "{s}");
    let j: Value = serde_json::from_slice(
        &d.kaden(EXAMPLE)
            .args([
                "--quarter",
                "2027Q2",
                "--lead-time",
                "3",
                "--format",
                "json",
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(j["actuals"]["business_days"], 18);
    assert_eq!(j["actuals"]["business_days_left"], 28);
    assert_eq!(j["pipeline_by_past"], false);
    // 2026Q4 with 6 months of lead time: 2026-04-01 is past on 24 Nov 2026 — flagged, in
    // Japanese too.
    let out = d
        .kaden(EXAMPLE)
        .args(["--lead-time", "6"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("2026-04-01 (2026Q2)  ⚠ already past"), "{s}");
    assert!(
        s.contains("⚠ 2026-04-01 is already past: flagged, not planned"),
        "{s}"
    );
    let out = d
        .kaden(EXAMPLE)
        .args(["--lead-time", "6", "--lang", "ja"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("期限切れ") && s.contains("1営業日あたり架電数"),
        "{s}"
    );
}
