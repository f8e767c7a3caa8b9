//! Misused commands, through the binary: a LEAD given as a phone, ambiguous LEADs, amounts and
//! weights that are not numbers, `--since` in the past only, hostile text in `--as` and in
//! arguments never reaching the terminal, `queue --limit 0`.
#![allow(clippy::unwrap_used)]

mod support;
use support::{Ws, plan_with};

/// Two leads: #1 Acme (03-4567-8801), #2 Beta (03-2222-3333, beta@beta.example).
fn two_leads() -> Ws {
    let ws = Ws::for_import();
    let f = ws.file(
        "leads.csv",
        b"company,name,phone,email\nAcme,Taro,03-4567-8801,\nBeta,Jiro,03-2222-3333,beta@beta.example\n",
    );
    ws.import_ok(&f, &[]);
    ws
}

fn touches(ws: &Ws) -> Vec<Vec<String>> {
    ws.rows("SELECT id, touches FROM leads ORDER BY id")
}

fn has_terminal_controls(s: &str) -> bool {
    s.chars().any(|c| {
        c == '\u{1b}'
            || c == '\u{7}'
            || c == '\u{9b}'
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    })
}

#[test]
fn log_finds_the_lead_by_phone_in_national_and_e164_form() {
    let ws = two_leads();
    for lead in ["0345678801", "+81345678801", "03-4567-8801"] {
        let (ok, out, err) = ws.run(&["log", lead, "unconnected"]);
        assert!(ok, "{lead}: {err}");
        assert!(out.starts_with("#1 Acme"), "{lead}: {out}");
    }
    let (ok, out, err) = ws.run(&["log", "#2", "unconnected"]);
    assert!(ok && out.starts_with("#2 Beta"), "{out}{err}");
    let (ok, out, _) = ws.run(&["log", "id:2", "unconnected"]);
    assert!(ok && out.starts_with("#2 Beta"), "{out}");
    let (ok, out, _) = ws.run(&["log", "2", "unconnected"]);
    assert!(ok && out.starts_with("#2 Beta"), "{out}");
    let (ok, out, _) = ws.run(&["log", "BETA@beta.example", "unconnected"]);
    assert!(ok && out.starts_with("#2 Beta"), "{out}");
    assert_eq!(
        touches(&ws),
        vec![
            vec!["1".to_string(), "3".into()],
            vec!["2".into(), "4".into()]
        ]
    );
    // a phone nobody has is not read as an id
    let (ok, _, err) = ws.run(&["log", "+81399999999", "unconnected"]);
    assert!(!ok);
    assert!(err.contains("no lead '+81399999999'"), "{err}");
}

#[test]
fn a_lead_argument_that_is_both_an_id_and_a_phone_is_refused_with_the_candidates() {
    let ws = two_leads();
    // Give Beta the id that Acme's number reads as without its leading 0.
    let conn = rusqlite::Connection::open(&ws.db).unwrap();
    conn.execute("UPDATE leads SET id = 345678801 WHERE id = 2", [])
        .unwrap();
    drop(conn);
    let before = ws.db_bytes();
    let (ok, _, err) = ws.run(&["log", "345678801", "unconnected"]);
    assert!(!ok);
    assert!(
        err.contains("'345678801' could be more than one lead"),
        "{err}"
    );
    assert!(err.contains("#345678801 Beta (its id)"), "{err}");
    assert!(err.contains("#1 Acme (phone +81345678801)"), "{err}");
    assert_eq!(ws.db_bytes(), before);
    // both explicit forms work
    let (ok, out, _) = ws.run(&["log", "#345678801", "unconnected"]);
    assert!(ok && out.starts_with("#345678801 Beta"), "{out}");
    let (ok, out, _) = ws.run(&["log", "+81345678801", "unconnected"]);
    assert!(ok && out.starts_with("#1 Acme"), "{out}");
}

#[test]
fn amounts_that_are_not_finite_positive_numbers_are_refused() {
    let ws = two_leads();
    let (ok, _, err) = ws.run(&["log", "1", "appointment", "--next", "tomorrow 10:00"]);
    assert!(ok, "{err}");
    let before = ws.db_bytes();
    for amount in ["inf", "NaN", "1e308", "-5", "0"] {
        let (ok, _, err) = ws.run(&["meeting", "1", "won", "--amount", amount]);
        assert!(!ok, "meeting --amount {amount}");
        assert!(err.contains("--amount"), "{amount}: {err}");
        let (ok, _, err) = ws.run(&[
            "log",
            "2",
            "appointment",
            "--next",
            "tomorrow 11:00",
            "--amount",
            amount,
        ]);
        assert!(!ok, "log --amount {amount}");
        assert!(err.contains("--amount"), "{amount}: {err}");
    }
    assert_eq!(ws.db_bytes(), before);
    let plan = |target: &str| {
        let args = plan_with("--target", target);
        ws.run(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    for target in ["1e308", "inf", "NaN", "-1"] {
        let (ok, out, err) = plan(target);
        assert!(!ok, "plan --target {target}: {out}");
        assert!(err.contains("--target"), "{target}: {err}");
        assert!(!out.contains("18,446,744"), "{out}");
    }
    let (ok, out, err) = ws.run(&[
        "plan",
        "--target",
        "1e15",
        "--win-rate",
        "0.000001",
        "--deal-size",
        "1",
        "--sal-to-sql",
        "0.8",
        "--calls-per-sal",
        "3",
    ]);
    assert!(!ok, "{out}");
    assert!(err.contains("more than kaden can count"), "{err}");
    assert!(plan("10000000").0);
}

#[test]
fn a_nan_ranking_weight_in_the_config_is_refused_with_file_and_line() {
    let ws = two_leads();
    let mut cfg = std::fs::read_to_string(&ws.config).unwrap();
    cfg.push_str("\n[ranking]\noverdue_per_hour = nan\n");
    let lines = cfg.lines().count();
    std::fs::write(&ws.config, cfg).unwrap();
    let (ok, out, err) = ws.run(&["queue"]);
    assert!(!ok, "{out}");
    assert!(
        err.contains(&format!(
            "config.toml:{lines}: ranking.overdue_per_hour: weight NaN is not a number"
        )),
        "{err}"
    );
}

#[test]
fn export_since_means_the_past() {
    let ws = two_leads();
    // touches 5 days ago and 1 day ago (now is 2026-11-24 10:00 JST)
    let at = |now: &str, lead: &str| {
        let out = ws
            .kaden(&["log", lead, "unconnected"])
            .env("KADEN_NOW", now)
            .output()
            .unwrap();
        support::assert_success(&out);
    };
    at("2026-11-19T10:00:00+09:00", "1");
    at("2026-11-23T15:00:00+09:00", "2");
    let ids = |since: &str| {
        let (ok, out, err) =
            ws.run(&["export", "activities", "--format", "json", "--since", since]);
        assert!(ok, "{since}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a["lead_id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("3d"), [2]);
    assert_eq!(ids("yesterday"), [2]);
    assert_eq!(ids("2026-11-01"), [1, 2]);
    assert_eq!(ids("1w"), [1, 2]);
    for future in ["2026-12-01", "tomorrow"] {
        let (ok, _, err) = ws.run(&["export", "activities", "--since", future]);
        assert!(!ok, "{future}");
        assert!(err.contains("is in the future"), "{future}: {err}");
    }
}

#[test]
fn hostile_rep_names_and_arguments_never_reach_the_terminal() {
    let ws = two_leads();
    let evil = "\u{1b}]0;pwned\u{7}Eve\u{1b}[2J\u{202E}lin\u{2066}";
    let (ok, out, err) = ws.run(&["--as", evil, "log", "1", "unconnected"]);
    assert!(ok, "{err}");
    assert!(!has_terminal_controls(&out), "{out:?}");
    assert_eq!(
        ws.rows("SELECT rep FROM activities")[0][0],
        "]0;pwnedEve[2Jlin"
    );
    // Text stored by an older kaden, before names were cleaned on the way in.
    let conn = rusqlite::Connection::open(&ws.db).unwrap();
    conn.execute(
        "UPDATE activities SET rep = ?1, note = ?1",
        [format!("Mallory{evil}")],
    )
    .unwrap();
    conn.execute(
        "UPDATE leads SET owner = ?1, name = ?1",
        [format!("Mal{evil}")],
    )
    .unwrap();
    drop(conn);
    for args in [
        vec!["export", "activities"],
        vec!["export", "activities", "--format", "json"],
        vec!["export", "activities", "--raw"],
        vec!["export", "leads"],
        vec!["export", "leads", "--format", "json"],
        vec!["queue"],
        vec!["queue", "--format", "json"],
        vec!["report", "--by", "rep"],
        vec!["report", "--by", "rep", "--format", "json"],
        vec!["report", "--by", "rep", "--format", "csv"],
    ] {
        let (ok, out, err) = ws.run(&args);
        assert!(ok, "{args:?}: {err}");
        assert!(!has_terminal_controls(&out), "{args:?}: {out:?}");
        assert!(!has_terminal_controls(&err), "{args:?}: {err:?}");
    }
    // an error message quoting a hostile argument, and one quoting a hostile file name
    let (ok, _, err) = ws.run(&["log", evil, "unconnected"]);
    assert!(!ok);
    assert!(err.contains("no lead"), "{err}");
    assert!(!has_terminal_controls(&err), "{err:?}");
    let name = ws.path("x\u{1b}[31m\u{202E}.csv");
    let (ok, _, err) = ws.run(&["import", name.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("no such file"), "{err}");
    assert!(!has_terminal_controls(&err), "{err:?}");
}

#[test]
fn a_note_over_64_kib_is_refused() {
    let ws = two_leads();
    let before = ws.db_bytes();
    let long = "n".repeat(70 * 1024);
    let (ok, _, err) = ws.run(&["log", "1", "unconnected", "--note", &long]);
    assert!(!ok);
    assert!(
        err.contains("--note is 71680 bytes long, over the limit of 64 KiB"),
        "{err}"
    );
    assert!(err.chars().count() < 200, "{err}");
    assert_eq!(ws.db_bytes(), before);
}

#[test]
fn queue_limit_zero_is_refused() {
    let ws = two_leads();
    let (ok, out, err) = ws.run(&["queue", "--limit", "0"]);
    assert!(!ok, "{out}");
    assert!(!out.contains("Nobody to call"), "{out}");
    assert!(err.contains("--limit"), "{err}");
    let (ok, out, _) = ws.run(&["queue", "--limit", "1"]);
    assert!(ok && out.lines().count() == 2, "{out}");
}
