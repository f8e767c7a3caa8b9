//! Around the round trip: calendar UIDs that are unique across databases and stable for one
//! event, and CSV/JSON exports whose times are local time with the offset of the configured zone.
#![allow(clippy::unwrap_used)]

mod support;
use support::Ws;

fn worked() -> Ws {
    let ws = Ws::for_import();
    ws.import_ok(&ws.fixture("salesforce_report.csv"), &[]);
    for args in [
        &["log", "1", "appointment", "--next", "2026-12-01 15:30"][..],
        &["log", "2", "unconnected"][..],
    ] {
        ws.kaden(args).assert().success();
    }
    ws
}

fn stdout(ws: &Ws, args: &[&str]) -> String {
    let out = ws.kaden(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn uids(ics: &str) -> Vec<String> {
    use icalendar::Component;
    let cal: icalendar::Calendar = ics.parse().unwrap();
    cal.events()
        .map(|e| e.get_uid().unwrap().to_string())
        .collect()
}

#[test]
fn calendar_uids_differ_between_databases_and_stay_for_one_event() {
    let (a, b) = (worked(), worked());
    let ua = uids(&stdout(&a, &["export", "calendar", "--next-actions"]));
    let ub = uids(&stdout(&b, &["export", "calendar", "--next-actions"]));
    assert_eq!(ua.len(), 2, "{ua:?}");
    // Two reps' calendars: same lead and appointment numbers, no shared UID.
    assert!(ua.iter().all(|u| !ub.contains(u)), "{ua:?} {ub:?}");
    let db_id = a.rows("SELECT value FROM meta WHERE key = 'database_id'")[0][0].clone();
    assert_eq!(ua[0], format!("appointment-1.{db_id}@kaden"));
    assert_eq!(ua[1], format!("next-2.{db_id}@kaden"));
    // Stable: the same event keeps its UID in a later export, after more work.
    a.kaden(&["log", "3", "unconnected"]).assert().success();
    let again = uids(&stdout(&a, &["export", "calendar", "--next-actions"]));
    assert!(ua.iter().all(|u| again.contains(u)), "{again:?}");
}

#[test]
fn csv_and_json_times_are_local_with_the_offset() {
    let ws = worked();
    let csv = stdout(&ws, &["export", "activities"]);
    let mut r = csv::Reader::from_reader(csv.trim_start_matches('\u{FEFF}').as_bytes());
    let at: Vec<String> = r.records().map(|x| x.unwrap()[4].to_string()).collect();
    assert_eq!(
        at,
        ["2026-11-24T10:00:00+09:00", "2026-11-24T10:00:00+09:00"]
    );
    let leads = stdout(&ws, &["export", "leads"]);
    let mut r = csv::Reader::from_reader(leads.trim_start_matches('\u{FEFF}').as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let first = r.records().next().unwrap().unwrap();
    // The meeting at 15:30 Tokyo; created 2026/11/20 09:00 Tokyo.
    assert_eq!(&first[col("next_action_at")], "2026-12-01T15:30:00+09:00");
    assert_eq!(&first[col("created_at")], "2026-11-20T09:00:00+09:00");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&ws, &["export", "activities", "--format", "json"])).unwrap();
    assert_eq!(json[0]["at"], "2026-11-24T10:00:00+09:00");
    // Another zone in the config, another offset; the instant is the same.
    std::fs::write(
        &ws.config,
        "time_zone = \"America/New_York\"\nphone_region = \"JP\"\n",
    )
    .unwrap();
    let ny = stdout(&ws, &["export", "activities"]);
    assert!(ny.contains("2026-11-23T20:00:00-05:00"), "{ny}");
}
