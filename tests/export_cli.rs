//! `kaden export`: CSV safe for Excel (BOM, CRLF, formula guard), JSON, the `.ics` calendar
//! read back by a standard iCalendar parser, and export → import round trips.
#![allow(clippy::unwrap_used)]

mod support;
use support::Ws;

/// A database with the fixtures, a lead named like a formula and an appointment.
fn populated() -> Ws {
    let ws = Ws::for_import();
    ws.import_ok(&ws.fixture("salesforce_report.csv"), &[]);
    ws.import_ok(&ws.fixture("japanese_cp932.csv"), &[]);
    ws.import_ok(&ws.fixture("hubspot_labels.csv"), &[]);
    let f = ws.file(
        "evil.csv",
        b"company,name,phone,email,title\n=HYPERLINK(\"http://evil.example\"),@Eve,03-9999-0000,eve@evil.example,-1+2\n",
    );
    ws.import_ok(&f, &[]);
    ws.kaden(&[
        "log",
        "1",
        "appointment",
        "--next",
        "2026-12-01 15:30",
        "--note",
        "Wants a demo, bring the price list",
    ])
    .assert()
    .success();
    ws.kaden(&["log", "2", "unconnected"]).assert().success();
    ws
}

fn export(ws: &Ws, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    let out = ws.kaden(&all).output().unwrap();
    support::assert_success(&out);
    out.stdout
}

fn csv_text(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    String::from_utf8(bytes[3..].to_vec()).unwrap()
}

#[test]
fn leads_csv_has_bom_crlf_and_the_documented_columns() {
    let ws = populated();
    let text = csv_text(&export(&ws, &["leads"]));
    assert!(text.ends_with("\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'));
    let first = text.split("\r\n").next().unwrap();
    assert_eq!(
        first,
        "id,company,name,title,role,phone,email,source,tier,status,owner,time_zone,next_action_at,next_action_channel,next_action_note,touches,created_at"
    );
    assert_eq!(
        text.split("\r\n").filter(|l| !l.is_empty()).count(),
        1 + ws.lead_count() as usize
    );
    assert!(text.contains("1,Acme KK,Taro Yamada,CTO,,'+81312345678,taro.yamada@acme.example,Web,1,meeting,Kenji Sato,Asia/Tokyo,2026-12-01T15:30:00+09:00,meeting,\"Wants a demo, bring the price list\",1,2026-11-20T09:00:00+09:00\r\n"), "{text}");
}

#[test]
fn formula_cells_are_neutralised_unless_raw() {
    let ws = populated();
    let safe = csv_text(&export(&ws, &["leads"]));
    assert!(
        safe.contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\",'@Eve,'-1+2,"),
        "{safe}"
    );
    let raw = csv_text(&export(&ws, &["leads", "--raw"]));
    assert!(
        raw.contains("\"=HYPERLINK(\"\"http://evil.example\"\")\",@Eve,-1+2,"),
        "{raw}"
    );
    // Every cell of the safe export: none starts like a formula.
    let mut rdr = csv::ReaderBuilder::new().from_reader(safe.as_bytes());
    for rec in rdr.records() {
        for cell in rec.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell}"
            );
        }
    }
}

#[test]
fn json_has_the_same_keys_and_local_times_with_the_offset() {
    let ws = populated();
    let v: serde_json::Value =
        serde_json::from_slice(&export(&ws, &["leads", "--format", "json"])).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len() as i64, ws.lead_count());
    let keys: Vec<&str> = arr[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), kaden::export::LEAD_COLUMNS.len());
    for k in kaden::export::LEAD_COLUMNS {
        assert!(keys.contains(k), "{k}");
    }
    assert_eq!(arr[0]["phone"], "+81312345678");
    assert_eq!(arr[0]["tier"], 1);
    assert_eq!(arr[1]["next_action_channel"], "call");
    // Local time in the configured zone (Asia/Tokyo), with its offset.
    assert_eq!(arr[1]["next_action_at"], "2026-11-24T12:00:00+09:00");

    let acts: serde_json::Value =
        serde_json::from_slice(&export(&ws, &["activities", "--format", "json"])).unwrap();
    let acts = acts.as_array().unwrap();
    assert_eq!(acts.len(), 2);
    assert_eq!(acts[0]["result"], "appointment");
    assert_eq!(acts[0]["at"], "2026-11-24T10:00:00+09:00");
    assert_eq!(acts[0]["note"], "Wants a demo, bring the price list");
    assert_eq!(acts[0]["company"], "Acme KK");
}

#[test]
fn activities_csv_and_since() {
    let ws = populated();
    let text = csv_text(&export(&ws, &["activities"]));
    assert!(
        text.starts_with(
            "id,lead_id,company,name,at,channel,result,reason,note,rep,duration_s\r\n"
        )
    );
    assert_eq!(text.matches("\r\n").count(), 3);
    // A date after today is refused, not an empty export.
    let later = ws
        .kaden(&["export", "activities", "--since", "2026-11-25"])
        .output()
        .unwrap();
    assert!(!later.status.success());
    assert!(String::from_utf8_lossy(&later.stderr).contains("is in the future"));
    let today = csv_text(&export(&ws, &["activities", "--since", "2026-11-24"]));
    assert_eq!(today.matches("\r\n").count(), 3, "{today}");
    let bad = ws
        .kaden(&["export", "activities", "--since", "someday"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--since 'someday'"));
}

#[test]
fn calendar_is_read_back_by_an_icalendar_parser() {
    use icalendar::{CalendarDateTime, Component, DatePerhapsTime};
    let ws = populated();
    let out = ws.path("kaden.ics");
    ws.kaden(&[
        "export",
        "calendar",
        "--next-actions",
        "--out",
        out.to_str().unwrap(),
    ])
    .assert()
    .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(text.lines().all(|l| l.len() <= 75), "unfolded line");
    let cal: icalendar::Calendar = text.parse().unwrap();
    let events: Vec<_> = cal.events().collect();
    // UIDs carry the database's id, so two databases' events never collide.
    let db_id = ws.rows("SELECT value FROM meta WHERE key = 'database_id'")[0][0].clone();
    let uid = |kind: &str| format!("{kind}.{db_id}@kaden");
    let appt = events
        .iter()
        .find(|e| e.get_uid() == Some(uid("appointment-1").as_str()))
        .expect("the appointment");
    let at = |d: Option<DatePerhapsTime>| match d {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => t.to_rfc3339(),
        other => panic!("not a UTC time: {other:?}"),
    };
    // 2026-12-01 15:30 in Tokyo.
    assert_eq!(at(appt.get_start()), "2026-12-01T06:30:00+00:00");
    assert_eq!(at(appt.get_end()), "2026-12-01T07:30:00+00:00");
    assert_eq!(appt.get_summary(), Some("Acme KK — Taro Yamada"));
    let desc = appt.get_description().unwrap();
    assert!(
        desc.contains("+81312345678") && desc.contains("Wants a demo, bring the price list"),
        "{desc}"
    );
    // The scheduled call of lead 2 (after an unconnected call), 15 minutes.
    let next = events
        .iter()
        .find(|e| e.get_uid() == Some(uid("next-2").as_str()))
        .expect("lead 2's next call");
    assert_eq!(next.get_summary(), Some("Call: Beta Corp — Hanako Suzuki"));
    // No next action for the lead whose meeting is set.
    assert!(
        !events
            .iter()
            .any(|e| e.get_uid() == Some(uid("next-1").as_str()))
    );
    // Stable UIDs: a second export is identical (DTSTAMP comes from the fixed clock).
    let again = export(&ws, &["calendar", "--next-actions"]);
    assert_eq!(String::from_utf8(again).unwrap(), text);
    // Without --next-actions: the appointments only.
    let only = String::from_utf8(export(&ws, &["calendar"])).unwrap();
    assert_eq!(only.matches("BEGIN:VEVENT").count(), 1);
}

/// (company, name, dial number, email, tier, status), sorted.
fn identity(ws: &Ws) -> Vec<Vec<String>> {
    let mut r = ws.rows(
        "SELECT c.name, l.name, COALESCE(l.phone, l.mobile, ''), COALESCE(l.email, ''), l.tier, l.status
         FROM leads l JOIN companies c ON c.id = l.company_id",
    );
    r.sort();
    r
}

#[test]
fn export_then_import_round_trips_leads() {
    let ws = populated();
    for args in [&["leads"][..], &["leads", "--raw"][..]] {
        let csv = ws.file("out.csv", &export(&ws, args));
        let other = Ws::for_import();
        let out = other.import_ok(&csv, &[]);
        assert!(
            out.contains(&format!("{} new, 0 merged, 0 bad", ws.lead_count())),
            "{out}"
        );
        assert_eq!(identity(&other), identity(&ws), "{args:?}");
        let keep = "SELECT l.name, l.title, l.source, l.owner, l.time_zone, l.created_at FROM leads l ORDER BY l.name";
        assert_eq!(other.rows(keep), ws.rows(keep));
        // And importing it back into the database it came from adds nothing.
        let out = ws.import_ok(&csv, &[]);
        assert!(out.contains("0 new"), "{out}");
    }
}

#[test]
fn json_calendar_is_refused() {
    let ws = populated();
    let out = ws
        .kaden(&["export", "calendar", "--format", "json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(".ics"));
}
