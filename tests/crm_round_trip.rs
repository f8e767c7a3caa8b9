//! The CRM round trip: record ids kept on import (checked, deduped, re-imported), and
//! `kaden export results --for salesforce|hubspot` read back with the csv crate — every column,
//! value type and enumeration the CRMs' import tools take — with a watermark that never sends a
//! touch twice.
#![allow(clippy::unwrap_used)]

mod support;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use support::Ws;

const LEAD_REPORT: &str = "salesforce_lead_report_ids.csv";
const API_EXPORT: &str = "salesforce_api_ids.csv";

/// The ids of the two Salesforce fixtures, in their 18-character form.
const TARO: &str = "00Q5g00000Xy1AbEAJ";
const HANAKO: &str = "00Q5g00000Xy2DeEAJ";
const ICHIRO: &str = "00Q5g00000Xy3GhEAJ";
const JIRO_CONTACT: &str = "0035g00000Zz9KlAAJ";
const EMI: &str = "00Q5g00000Xy4JkEAJ";

const REP_USER: &str = "0055g00000AbCdEAAV";

/// A workspace whose rep has a Salesforce user and a HubSpot owner.
fn ws_with_owners(extra: &str) -> Ws {
    let ws = Ws::for_import();
    let cfg = format!(
        "{}\n[salesforce.owners]\nme = \"0055g00000AbCdE\"\n[hubspot.owners]\nme = \"7001\"\n{extra}",
        support::CONFIG
    );
    std::fs::write(&ws.config, cfg).unwrap();
    ws
}

fn ok(ws: &Ws, args: &[&str]) -> String {
    let out = ws.kaden(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// A parsed CSV: headers and rows as column → value.
struct Table {
    headers: Vec<String>,
    rows: Vec<HashMap<String, String>>,
}

fn read_csv(path: &PathBuf) -> Table {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        !bytes.starts_with(b"\xEF\xBB\xBF"),
        "CRM files carry no BOM"
    );
    assert!(bytes.ends_with(b"\r\n"), "CRLF line ends");
    let mut r = csv::Reader::from_reader(&bytes[..]);
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect();
    Table { headers, rows }
}

/// The files of one export (status file, activity file) and its message.
struct Export {
    status: Table,
    activity: Table,
    stderr: String,
}

/// `kaden export results --for TARGET ARGS --out <a fresh directory>`.
fn export(ws: &Ws, target: &str, args: &[&str]) -> Export {
    let n = std::fs::read_dir(ws.dir.path()).unwrap().count();
    let dir = ws.path(&format!("out{n}"));
    std::fs::create_dir(&dir).unwrap();
    let mut all = vec![
        "export",
        "results",
        "--for",
        target,
        "--out",
        dir.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let stderr = ok(ws, &all);
    let (status, activity) = match target {
        "salesforce" => ("leads", "tasks"),
        _ => ("contacts", "calls"),
    };
    let file = |kind: &str| dir.join(format!("kaden-{target}-{kind}-20261124-100000.csv"));
    for kind in [status, activity] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file(kind)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{kind} file is owner-only");
    }
    Export {
        status: read_csv(&file(status)),
        activity: read_csv(&file(activity)),
        stderr,
    }
}

fn is_sf_id(s: &str) -> bool {
    kaden::domain::crm::SalesforceId::parse(s)
        .ok()
        .flatten()
        .is_some_and(|i| i.as_str() == s)
}

/// Every column of a Task row against the Task object's field types and picklists.
fn check_task(row: &HashMap<String, String>) {
    let g = |k: &str| row.get(k).map(String::as_str).unwrap();
    assert!(is_sf_id(g("WhoId")), "WhoId {row:?}");
    let subject = g("Subject");
    assert!(!subject.is_empty() && subject.chars().count() <= 255);
    chrono::NaiveDate::parse_from_str(g("ActivityDate"), "%Y-%m-%d").unwrap();
    assert!(
        [
            "Not Started",
            "In Progress",
            "Completed",
            "Waiting on someone else",
            "Deferred"
        ]
        .contains(&g("Status"))
    );
    assert!(["High", "Normal", "Low"].contains(&g("Priority")));
    assert!(["Task", "Email", "ListEmail", "Cadence", "Call"].contains(&g("TaskSubtype")));
    assert!(["", "Internal", "Inbound", "Outbound"].contains(&g("CallType")));
    assert!(g("CallDisposition").chars().count() <= 255);
    let d = g("CallDurationInSeconds");
    assert!(d.is_empty() || d.parse::<u32>().is_ok(), "duration {d}");
    assert!(g("Description").chars().count() <= 32_000);
    assert!(["true", "false"].contains(&g("IsReminderSet")));
    let reminder = g("ReminderDateTime");
    if g("IsReminderSet") == "true" {
        // Data Loader's recommended dateTime: yyyy-MM-ddTHH:mm:ss.SSS+HHmm (no colon).
        let t = chrono::DateTime::parse_from_str(reminder, "%Y-%m-%dT%H:%M:%S%.3f%z").unwrap();
        assert_eq!(
            t.offset().local_minus_utc(),
            9 * 3600,
            "the configured zone"
        );
        assert!(reminder.ends_with("+0900"), "{reminder}");
        assert_eq!(g("Status"), "Not Started");
    } else {
        assert!(reminder.is_empty());
    }
    let owner = g("OwnerId");
    assert!(owner.is_empty() || kaden::domain::crm::SalesforceId::parse_user(owner).is_ok());
    assert!(g("Kaden_Id__c").starts_with("kaden-"));
    if g("TaskSubtype") == "Call" {
        assert_eq!(g("CallType"), "Outbound");
    }
}

fn column<'a>(t: &'a Table, k: &str) -> Vec<&'a str> {
    t.rows.iter().map(|r| r[k].as_str()).collect()
}

#[test]
fn record_ids_are_kept_in_their_18_character_form() {
    let ws = Ws::for_import();
    ws.import_ok(&ws.fixture(LEAD_REPORT), &[]);
    ws.import_ok(&ws.fixture(API_EXPORT), &[]);
    ws.import_ok(&ws.fixture("hubspot_labels.csv"), &[]);
    ws.import_ok(&ws.fixture("hubspot_internal.csv"), &[]);
    let ids =
        |sql: &str| -> Vec<String> { ws.rows(sql).into_iter().map(|r| r[0].clone()).collect() };
    // The report's 15-character ids gained their checksum; the API export's 18 are kept.
    assert_eq!(
        ids("SELECT salesforce_id FROM leads WHERE salesforce_id IS NOT NULL ORDER BY id"),
        [TARO, HANAKO, ICHIRO, JIRO_CONTACT, EMI]
    );
    // HubSpot's "Record ID" and hs_object_id.
    assert_eq!(
        ids(
            "SELECT hubspot_id FROM leads WHERE hubspot_id IS NOT NULL ORDER BY CAST(hubspot_id AS INTEGER)"
        ),
        ["101", "102", "103", "104", "201", "202", "203", "204"]
    );
    // The dry run names the columns.
    let dry = ws.import_ok(&ws.fixture(LEAD_REPORT), &["--dry-run"]);
    assert!(dry.contains("Lead ID → Salesforce id"), "{dry}");
    let dry = ws.import_ok(&ws.fixture("hubspot_labels.csv"), &["--dry-run"]);
    assert!(dry.contains("Record ID → HubSpot record id"), "{dry}");
}

#[test]
fn reimport_matches_by_record_id_before_phone_and_email() {
    let ws = Ws::for_import();
    ws.import_ok(&ws.fixture(LEAD_REPORT), &[]);
    // Ichiro's row now carries a new email and Hanako's phone: the id decides (here in its
    // 18-character form), and the empty title is filled on Ichiro, not on Hanako.
    let f = ws.file(
        "again.csv",
        format!(
            "Id,First Name,Last Name,Company,Title,Phone,Email\n{ICHIRO},Ichiro,Tanaka,Gamma Inc,Owner,06-2345-6789,ichiro.new@gamma.example\n"
        )
        .as_bytes(),
    );
    let out = ws.import_ok(&f, &[]);
    assert!(out.contains("0 new, 1 merged"), "{out}");
    assert_eq!(ws.lead_count(), 3);
    assert_eq!(
        ws.rows("SELECT salesforce_id, title, email FROM leads ORDER BY id"),
        [
            [TARO, "CTO", "taro@acme.example"],
            [HANAKO, "Head of HR", "hanako@beta.example"],
            [ICHIRO, "Owner", "ichiro@gamma.example"],
        ]
    );
    // The same file twice adds nothing.
    let out = ws.import_ok(&ws.fixture(LEAD_REPORT), &[]);
    assert!(out.contains("0 new, 3 merged"), "{out}");
}

#[test]
fn a_duplicate_fills_an_empty_record_id_and_keeps_a_set_one() {
    let ws = Ws::for_import();
    let excel = ws.file(
        "excel.csv",
        "会社名,氏名,電話番号\nAcme KK,山田 太郎,03-1234-5678\n".as_bytes(),
    );
    ws.import_ok(&excel, &[]);
    ws.import_ok(&ws.fixture(LEAD_REPORT), &[]);
    // Merged by phone: the lead from Excel now has Taro's Salesforce id.
    assert_eq!(ws.lead_count(), 3);
    assert_eq!(
        ws.rows("SELECT salesforce_id FROM leads WHERE id = 1"),
        [[TARO]]
    );
    // Another record with the same phone does not replace it.
    let other = ws.file(
        "other.csv",
        format!("Id,Last Name,Company,Phone\n{EMI},Goto,Acme KK,03-1234-5678\n").as_bytes(),
    );
    let out = ws.import_ok(&other, &[]);
    assert!(out.contains("0 new, 1 merged"), "{out}");
    assert_eq!(
        ws.rows("SELECT salesforce_id FROM leads WHERE id = 1"),
        [[TARO]]
    );
}

#[test]
fn a_malformed_record_id_is_a_bad_row_and_nothing_is_written() {
    let ws = Ws::for_import();
    ws.import_ok(&ws.fixture("hubspot_labels.csv"), &[]);
    let before = ws.db_bytes();
    // Upper-cased by a spreadsheet: the checksum no longer fits.
    let f = ws.file(
        "mangled.csv",
        "Id,Last Name,Company,Phone\n00Q5g00000Xy1AbEAJ,Yamada,Acme KK,03-1234-5678\n00Q5G00000XY2DEEAJ,Suzuki,Beta,06-2345-6789\n0015g00000Ab1Cd,Kato,Gamma,06-2345-6000\n"
            .as_bytes(),
    );
    let out = ws.kaden(&["import", f.to_str().unwrap()]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mangled.csv: 2 bad rows, first at line 3"),
        "{err}"
    );
    assert_eq!(ws.db_bytes(), before, "the database is unchanged");
    // --skip-bad names each reason in the reject file.
    ws.import_ok(&f, &["--skip-bad"]);
    let rejects = std::fs::read_to_string(ws.path("mangled.csv.rejects.csv")).unwrap();
    assert!(rejects.contains("does not match its checksum"), "{rejects}");
    assert!(
        rejects.contains("not a Lead (00Q…) or Contact (003…) id"),
        "{rejects}"
    );
}

/// A database with both Salesforce fixtures, a lead without any CRM id, and calls on them.
fn worked(ws: &Ws) {
    ws.import_ok(&ws.fixture(LEAD_REPORT), &[]);
    ws.import_ok(&ws.fixture(API_EXPORT), &[]);
    let excel = ws.file(
        "excel.csv",
        "会社名,氏名,電話番号\nOmega KK,大野 一郎,03-7777-0001\n".as_bytes(),
    );
    ws.import_ok(&excel, &[]);
    ok(
        ws,
        &[
            "log",
            "#1",
            "unconnected",
            "--reason",
            "voicemail",
            "--duration",
            "35",
            "--note",
            "left a message",
        ],
    );
    ok(
        ws,
        &[
            "log",
            "#2",
            "recall",
            "--next",
            "tomorrow 15:00",
            "--duration",
            "120",
        ],
    );
    ok(ws, &["log", "#4", "unconnected", "--channel", "email"]);
    ok(ws, &["log", "#6", "unconnected", "--reason", "absent"]);
}

#[test]
fn every_whoid_of_the_task_file_came_in_with_the_leads() {
    let ws = ws_with_owners("");
    worked(&ws);
    let e = export(&ws, "salesforce", &[]);
    // The ids of the two input files, read back the way Salesforce writes them.
    let mut came_in = BTreeSet::new();
    for f in [LEAD_REPORT, API_EXPORT] {
        let t = read_csv_any(&ws.fixture(f));
        for r in &t {
            let raw = r.get("Lead ID").or(r.get("ID")).unwrap();
            let id = kaden::domain::crm::SalesforceId::parse(raw)
                .unwrap()
                .unwrap();
            came_in.insert(id.as_str().to_string());
        }
    }
    assert!(!e.activity.rows.is_empty());
    for w in column(&e.activity, "WhoId") {
        assert!(came_in.contains(w), "WhoId {w} did not come in");
    }
    // The lead from Excel has no Salesforce id: its call is counted, not written.
    assert!(
        e.stderr
            .contains("left out, their lead has no Salesforce id: 1 touch(es)"),
        "{}",
        e.stderr
    );
}

/// Rows of any CSV (BOM or not) by header.
fn read_csv_any(path: &PathBuf) -> Vec<HashMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut r = csv::Reader::from_reader(bytes);
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|x| {
            h.iter()
                .cloned()
                .zip(x.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn the_task_file_has_data_loaders_columns_and_values() {
    let ws = ws_with_owners("");
    worked(&ws);
    let e = export(&ws, "salesforce", &[]);
    assert_eq!(
        e.activity.headers,
        [
            "WhoId",
            "Subject",
            "ActivityDate",
            "Status",
            "Priority",
            "TaskSubtype",
            "CallType",
            "CallDisposition",
            "CallDurationInSeconds",
            "Description",
            "ReminderDateTime",
            "IsReminderSet",
            "OwnerId",
            "Kaden_Id__c"
        ]
    );
    for r in &e.activity.rows {
        check_task(r);
    }
    let rows = &e.activity.rows;
    // Three touches on leads Salesforce knows, then the three next actions a rep set.
    assert_eq!(rows.len(), 6, "{:?}", rows);
    let (touches, next): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r["Status"] == "Completed");
    assert_eq!(touches.len(), 3);
    let vm = &touches[0];
    assert_eq!(vm["WhoId"], TARO);
    assert_eq!(vm["Subject"], "Call: Unconnected / Voicemail");
    assert_eq!(vm["CallDisposition"], "Unconnected / Voicemail");
    assert_eq!(vm["CallDurationInSeconds"], "35");
    assert_eq!(vm["Description"], "left a message");
    assert_eq!(vm["ActivityDate"], "2026-11-24");
    assert_eq!(vm["OwnerId"], REP_USER);
    assert_eq!(vm["TaskSubtype"], "Call");
    // The email touch: an Email task, no call fields.
    let mail = touches.iter().find(|r| r["WhoId"] == JIRO_CONTACT).unwrap();
    assert_eq!(mail["TaskSubtype"], "Email");
    assert_eq!(mail["CallType"], "");
    assert_eq!(mail["CallDisposition"], "");
    // The promised callback: a Not Started task, high priority, its reminder at 15:00 Tokyo.
    assert_eq!(next.len(), 3);
    let cb = next.iter().find(|r| r["WhoId"] == HANAKO).unwrap();
    assert_eq!(cb["Status"], "Not Started");
    assert_eq!(cb["Priority"], "High");
    assert_eq!(cb["ReminderDateTime"], "2026-11-25T15:00:00.000+0900");
    assert_eq!(cb["ActivityDate"], "2026-11-25");
    assert_eq!(cb["IsReminderSet"], "true");
    // Stable external ids: unique, and the same in a second full export.
    let ids: BTreeSet<&str> = column(&e.activity, "Kaden_Id__c").into_iter().collect();
    assert_eq!(ids.len(), rows.len());
    assert!(
        ids.iter()
            .all(|i| i.contains("-touch-") || i.contains("-next-"))
    );
    // Japanese: the result and reason in the user's language.
    let ja = assert_cmd::Command::cargo_bin("kaden")
        .unwrap()
        .env("KADEN_NOW", support::NOW)
        .args([
            "--db",
            ws.db.to_str().unwrap(),
            "--config",
            ws.config.to_str().unwrap(),
        ])
        .args([
            "--lang",
            "ja",
            "export",
            "results",
            "--for",
            "salesforce",
            "--out",
            ws.dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        ja.status.success(),
        "{}",
        String::from_utf8_lossy(&ja.stderr)
    );
    let t = read_csv(&ws.path("kaden-salesforce-tasks-20261124-100000.csv"));
    assert_eq!(t.rows[0]["CallDisposition"], "未接続 / 留守電");
    assert_eq!(t.rows[0]["Kaden_Id__c"], vm["Kaden_Id__c"]);
    assert!(String::from_utf8_lossy(&ja.stderr).contains("活動 3件"));
}

#[test]
fn the_status_file_updates_leads_with_the_configured_picklist() {
    let ws = ws_with_owners("[salesforce.lead_status]\napproaching = \"Working - Dialing\"\n");
    worked(&ws);
    let e = export(&ws, "salesforce", &[]);
    assert_eq!(e.status.headers, ["Id", "Status"]);
    // Leads only: a Contact has no Status.
    assert_eq!(column(&e.status, "Id"), [TARO, HANAKO, ICHIRO, EMI]);
    assert_eq!(
        column(&e.status, "Status"),
        [
            "Working - Dialing",
            "Working - Dialing",
            "Open - Not Contacted",
            "Open - Not Contacted"
        ]
    );
    // The defaults are the standard Lead Status values.
    let standard = [
        "Open - Not Contacted",
        "Working - Contacted",
        "Closed - Converted",
        "Closed - Not Converted",
    ];
    for s in kaden::domain::LeadStatus::ALL {
        assert!(
            standard.contains(&kaden::crm::salesforce::default_status(*s)),
            "{s}"
        );
    }
}

#[test]
fn since_last_never_sends_a_touch_twice() {
    let ws = ws_with_owners("");
    worked(&ws);
    let first = export(&ws, "salesforce", &["--since-last"]);
    let ext = |e: &Export| -> BTreeSet<String> {
        e.activity
            .rows
            .iter()
            .filter(|r| r["Status"] == "Completed" && r["Kaden_Id__c"].contains("-touch-"))
            .map(|r| r["Kaden_Id__c"].clone())
            .collect()
    };
    assert_eq!(ext(&first).len(), 3);
    // Nothing new: nothing sent.
    let none = export(&ws, "salesforce", &["--since-last"]);
    assert!(none.activity.rows.is_empty(), "{:?}", none.activity.rows);
    assert!(
        none.stderr
            .contains("only what is new since the last export to Salesforce (activities after #4)"),
        "{}",
        none.stderr
    );
    ok(&ws, &["log", "#3", "lost", "--reason", "no_budget"]);
    let second = export(&ws, "salesforce", &["--since-last"]);
    let new = ext(&second);
    assert_eq!(new.len(), 1);
    assert!(ext(&first).is_disjoint(&new));
    let row = second
        .activity
        .rows
        .iter()
        .find(|r| r["WhoId"] == ICHIRO && r["Status"] == "Completed")
        .unwrap();
    assert_eq!(row["CallDisposition"], "Lost / No budget");
    // A full export still has everything, with the same external ids.
    let all = export(&ws, "salesforce", &[]);
    assert_eq!(ext(&all), ext(&first).union(&new).cloned().collect());
    // --since and --since-last together are refused.
    let both = ws
        .kaden(&[
            "export",
            "results",
            "--for",
            "salesforce",
            "--since-last",
            "--since",
            "1d",
        ])
        .output()
        .unwrap();
    assert!(!both.status.success());
}

#[test]
fn next_actions_are_sent_when_new_or_moved_and_closed_when_gone() {
    let ws = ws_with_owners("");
    worked(&ws);
    let next_rows = |e: &Export| -> Vec<HashMap<String, String>> {
        e.activity
            .rows
            .iter()
            .filter(|r| r["Kaden_Id__c"].contains("-next-"))
            .cloned()
            .collect()
    };
    let first = next_rows(&export(&ws, "salesforce", &["--since-last"]));
    assert_eq!(first.len(), 3);
    // Unchanged: not sent again (even by a full export).
    assert!(next_rows(&export(&ws, "salesforce", &[])).is_empty());
    // Taro's next action moves: the same task (same external id) with the new date.
    let taro_ext = first.iter().find(|r| r["WhoId"] == TARO).unwrap()["Kaden_Id__c"].clone();
    ok(&ws, &["log", "#1", "recall", "--next", "2026-11-27 11:00"]);
    let moved = next_rows(&export(&ws, "salesforce", &["--since-last"]));
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0]["Kaden_Id__c"], taro_ext);
    assert_eq!(moved[0]["ReminderDateTime"], "2026-11-27T11:00:00.000+0900");
    // Out of scope: the open task is closed.
    ok(
        &ws,
        &["log", "#1", "out_of_scope", "--reason", "left_company"],
    );
    let closed = next_rows(&export(&ws, "salesforce", &["--since-last"]));
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["Kaden_Id__c"], taro_ext);
    assert_eq!(closed[0]["Status"], "Completed");
    assert_eq!(closed[0]["IsReminderSet"], "false");
    check_task(&closed[0]);
    // And once closed, nothing more.
    assert!(next_rows(&export(&ws, "salesforce", &["--since-last"])).is_empty());
}

#[test]
fn the_hubspot_calls_file_has_the_import_tools_columns_and_values() {
    let ws = ws_with_owners(
        "[hubspot.call_outcomes]\n\"unconnected/absent\" = \"AAAAAAAA-1111-2222-3333-444444444444\"\n",
    );
    ws.import_ok(&ws.fixture("hubspot_labels.csv"), &[]);
    let excel = ws.file("excel.csv", "会社名,氏名,電話番号,メール\nOmega KK,大野 一郎,03-7777-0001,ono@omega.example\nPsi KK,林 花子,03-7777-0002,\n".as_bytes());
    ws.import_ok(&excel, &[]);
    ok(
        &ws,
        &[
            "log",
            "aiko@zeta.example",
            "unconnected",
            "--reason",
            "voicemail",
            "--duration",
            "42",
        ],
    );
    ok(
        &ws,
        &[
            "log",
            "ken@eta.example",
            "unconnected",
            "--reason",
            "wrong_number",
        ],
    );
    ok(
        &ws,
        &[
            "log",
            "sho@theta.example",
            "appointment",
            "--next",
            "2026-12-01 15:00",
        ],
    );
    ok(
        &ws,
        &[
            "log",
            "ono@omega.example",
            "unconnected",
            "--reason",
            "absent",
        ],
    );
    ok(&ws, &["log", "0377770002", "lost", "--reason", "timing"]);
    ok(
        &ws,
        &[
            "log",
            "aiko@zeta.example",
            "recall",
            "--next",
            "2h",
            "--channel",
            "email",
        ],
    );
    let e = export(&ws, "hubspot", &[]);
    assert_eq!(
        e.activity.headers,
        [
            "hs_timestamp",
            "hs_call_title",
            "hs_call_body",
            "hs_call_direction",
            "hs_call_disposition",
            "hs_call_status",
            "hs_call_duration",
            "hs_call_to_number",
            "hubspot_owner_id",
            "Contact Record ID",
            "Contact Email",
            "kaden_id"
        ]
    );
    let defaults: Vec<&str> = kaden::crm::hubspot::OUTCOMES
        .iter()
        .map(|(_, id)| *id)
        .collect();
    for r in &e.activity.rows {
        let t = chrono::DateTime::parse_from_rfc3339(&r["hs_timestamp"]).unwrap();
        assert_eq!(t.offset().local_minus_utc(), 0);
        assert!(r["hs_timestamp"].ends_with('Z'));
        assert_eq!(r["hs_call_direction"], "OUTBOUND");
        assert_eq!(r["hs_call_status"], "COMPLETED");
        let d = &r["hs_call_disposition"];
        assert!(
            defaults.contains(&d.as_str()) || kaden::config::is_guid(d),
            "{d}"
        );
        let ms = &r["hs_call_duration"];
        assert!(ms.is_empty() || ms.parse::<u64>().is_ok());
        assert!(r["hs_call_to_number"].starts_with("+81"));
        assert_eq!(r["hubspot_owner_id"], "7001");
        let (rid, mail) = (&r["Contact Record ID"], &r["Contact Email"]);
        assert!(rid.is_empty() != mail.is_empty(), "one identifier: {r:?}");
        assert!(rid.is_empty() || rid.parse::<u64>().is_ok());
        assert!(r["kaden_id"].starts_with("kaden-"));
    }
    let by = |rid: &str| {
        e.activity
            .rows
            .iter()
            .find(|r| r["Contact Record ID"] == rid)
            .unwrap()
    };
    assert_eq!(
        by("101")["hs_call_disposition"],
        "b2cf5968-551e-4856-9783-52b3da59a7d0"
    ); // left voicemail
    assert_eq!(by("101")["hs_call_duration"], "42000");
    assert_eq!(by("101")["hs_call_title"], "Call: Unconnected / Voicemail");
    assert_eq!(
        by("102")["hs_call_disposition"],
        "17b47fee-58de-441e-a44c-c6300d46f273"
    ); // wrong number
    assert_eq!(
        by("104")["hs_call_disposition"],
        "f240bbac-87c9-4f6e-bf70-924b57d47db7"
    ); // connected
    // By email where there is no Record ID; the configured outcome for absent.
    let ono = e
        .activity
        .rows
        .iter()
        .find(|r| r["Contact Email"] == "ono@omega.example")
        .unwrap();
    assert_eq!(
        ono["hs_call_disposition"],
        "aaaaaaaa-1111-2222-3333-444444444444"
    );
    // 4 calls with a contact; the lead with neither id nor email and the email touch are counted.
    assert_eq!(e.activity.rows.len(), 4);
    assert!(
        e.stderr.contains(
            "left out, their lead has neither a HubSpot record id nor an email: 1 touch(es)"
        ),
        "{}",
        e.stderr
    );
    assert!(
        e.stderr
            .contains("left out, not calls (the calls import takes calls only): 1 touch(es)"),
        "{}",
        e.stderr
    );
    // The contacts update: every known contact's lead status, by Record ID or email.
    assert_eq!(e.status.headers, ["Record ID", "Email", "hs_lead_status"]);
    for r in &e.status.rows {
        assert!(kaden::crm::hubspot::LEAD_STATUSES.contains(&r["hs_lead_status"].as_str()));
        assert!(r["Record ID"].is_empty() != r["Email"].is_empty());
    }
    let status = |rid: &str| {
        e.status
            .rows
            .iter()
            .find(|r| r["Record ID"] == rid)
            .unwrap()["hs_lead_status"]
            .clone()
    };
    assert_eq!(status("101"), "ATTEMPTED_TO_CONTACT");
    assert_eq!(status("104"), "OPEN_DEAL");
    assert_eq!(status("103"), "BAD_TIMING"); // imported as "Bad timing": nurturing
}

#[test]
fn the_default_hubspot_outcomes_cover_kadens_results() {
    use kaden::crm::hubspot::default_outcome;
    use kaden::domain::CallResult::*;
    let name = |id: &str| {
        kaden::crm::hubspot::OUTCOMES
            .iter()
            .find(|(_, i)| *i == id)
            .unwrap()
            .0
    };
    assert_eq!(
        name(default_outcome(Unconnected, Some("absent"))),
        "No answer"
    );
    assert_eq!(
        name(default_outcome(Unconnected, Some("voicemail"))),
        "Left voicemail"
    );
    assert_eq!(
        name(default_outcome(Unconnected, Some("reception_block"))),
        "Left live message"
    );
    assert_eq!(
        name(default_outcome(Unconnected, Some("wrong_number"))),
        "Wrong number"
    );
    assert_eq!(name(default_outcome(Unconnected, Some("busy"))), "Busy");
    assert_eq!(name(default_outcome(Unconnected, None)), "No answer");
    for r in [Recall, Appointment, Lost, OutOfScope] {
        assert_eq!(name(default_outcome(r, None)), "Connected");
    }
}

#[test]
fn a_failed_write_records_nothing() {
    let ws = ws_with_owners("");
    worked(&ws);
    // A directory no file can be created in (not even by root).
    let out = ws
        .kaden(&[
            "export",
            "results",
            "--for",
            "salesforce",
            "--since-last",
            "--out",
            "/proc",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(ws.count("SELECT count(*) FROM crm_exports"), 0);
    assert_eq!(ws.count("SELECT count(*) FROM crm_next_sent"), 0);
    // An earlier file of the same name is never replaced.
    let dir = ws.path("busy");
    std::fs::create_dir(&dir).unwrap();
    let tasks = dir.join("kaden-salesforce-tasks-20261124-100000.csv");
    std::fs::write(&tasks, "yesterday's batch").unwrap();
    let out = ws
        .kaden(&[
            "export",
            "results",
            "--for",
            "salesforce",
            "--out",
            dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(&tasks).unwrap(),
        "yesterday's batch"
    );
    assert_eq!(ws.count("SELECT count(*) FROM crm_exports"), 0);
    // So the next export still sends everything.
    let e = export(&ws, "salesforce", &["--since-last"]);
    assert_eq!(
        e.activity
            .rows
            .iter()
            .filter(|r| r["Kaden_Id__c"].contains("-touch-"))
            .count(),
        3
    );
}

#[test]
fn an_undone_touch_does_not_hide_the_next_one_from_since_last() {
    let ws = ws_with_owners("");
    worked(&ws);
    ok(&ws, &["log", "#1", "recall", "--next", "tomorrow 11:00"]);
    let first = export(&ws, "salesforce", &["--since-last"]);
    assert!(
        first
            .activity
            .rows
            .iter()
            .any(|r| r["Kaden_Id__c"].ends_with("-touch-5"))
    );
    // Undo the newest touch (#5, already exported): SQLite gives the next one the same id.
    let cfg = kaden::config::Config::load(&ws.config).unwrap();
    let mut store = kaden::store::Store::open(&ws.db).unwrap();
    store.undo(5, &cfg).unwrap();
    drop(store);
    ok(&ws, &["log", "#3", "lost", "--reason", "timing"]);
    assert_eq!(
        ws.count("SELECT max(id) FROM activities"),
        5,
        "the id was reused"
    );
    let e = export(&ws, "salesforce", &["--since-last"]);
    let touches: Vec<_> = e
        .activity
        .rows
        .iter()
        .filter(|r| r["Kaden_Id__c"].contains("-touch-"))
        .collect();
    assert_eq!(touches.len(), 1, "{:?}", e.activity.rows);
    assert_eq!(touches[0]["WhoId"], ICHIRO);
    // The same external id as the undone call: an upsert corrects that Task in place.
    assert!(touches[0]["Kaden_Id__c"].ends_with("-touch-5"));
}

#[test]
fn crm_settings_are_checked_with_their_line() {
    let ws = Ws::for_import();
    for (bad, needle) in [
        (
            "[salesforce.owners]\nme = \"00Q5g00000AbCdE\"\n",
            "salesforce.owners.me: '00Q5g00000AbCdE' is not a Salesforce User id",
        ),
        (
            "[hubspot.call_outcomes]\n\"unconnected/voicemail\" = \"voicemail\"\n",
            "is not a call outcome id",
        ),
        (
            "[hubspot.call_outcomes]\nmaybe = \"f240bbac-87c9-4f6e-bf70-924b57d47db7\"\n",
            "use a kaden result",
        ),
        (
            "[salesforce.lead_status]\nwon = \"Closed - Converted\"\n",
            "unknown field `won`",
        ),
        (
            "[salesforce]\nexternal_id_field = \"Kaden Id\"\n",
            "not a custom field's API name",
        ),
    ] {
        std::fs::write(&ws.config, bad).unwrap();
        let out = ws.kaden(&["queue"]).output().unwrap();
        assert!(!out.status.success(), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{bad}: {err}");
        assert!(
            err.contains("config.toml:2:") || err.contains("config.toml:1:"),
            "{err}"
        );
    }
}

#[test]
fn each_database_has_its_own_stable_id() {
    let a = Ws::for_import();
    let b = Ws::for_import();
    a.import_ok(&a.fixture(LEAD_REPORT), &[]);
    b.import_ok(&b.fixture(LEAD_REPORT), &[]);
    let id = |ws: &Ws| ws.rows("SELECT value FROM meta WHERE key = 'database_id'")[0][0].clone();
    let (ia, ib) = (id(&a), id(&b));
    assert_eq!(ia.len(), 16);
    assert!(ia.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(ia, ib);
    a.import_ok(&a.fixture(LEAD_REPORT), &[]);
    assert_eq!(id(&a), ia, "stable across opens");
}

#[test]
fn the_defaults_written_in_the_shipped_config_are_the_codes() {
    // Uncomment the CRM block of assets/config.toml: it parses, and says what the code does.
    let shipped = kaden::config::DEFAULT_CONFIG;
    let start = shipped.find("[salesforce]").unwrap();
    let block: String = shipped[start..]
        .lines()
        .map(|l| {
            l.strip_prefix("# ")
                .filter(|r| r.contains(" = "))
                .unwrap_or(l)
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let cfg = kaden::config::Config::parse(
        &format!("{}{block}", &shipped[..start]),
        "assets/config.toml",
    )
    .unwrap();
    for s in kaden::domain::LeadStatus::ALL {
        assert_eq!(
            cfg.salesforce.lead_status[s],
            kaden::crm::salesforce::default_status(*s),
            "{s}"
        );
        assert_eq!(
            cfg.hubspot.lead_status[s],
            kaden::crm::hubspot::default_status(*s),
            "{s}"
        );
    }
    assert_eq!(
        cfg.salesforce.external_id_field.as_deref(),
        Some(kaden::crm::salesforce::DEFAULT_EXTERNAL_ID_FIELD)
    );
    assert_eq!(cfg.salesforce.owners["sato"].as_str(), "0055g00000AbCdEAAV");
}

#[test]
fn refusals_are_worded_in_japanese_with_lang_ja() {
    let ws = ws_with_owners("");
    worked(&ws);
    let dir = ws.path("busy");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("kaden-salesforce-leads-20261124-100000.csv"), "x").unwrap();
    let ja = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("kaden")
            .unwrap()
            .env("KADEN_NOW", support::NOW)
            .args([
                "--db",
                ws.db.to_str().unwrap(),
                "--config",
                ws.config.to_str().unwrap(),
                "--lang",
                "ja",
            ])
            .args(args)
            .output()
            .unwrap()
    };
    let out = ja(&[
        "export",
        "results",
        "--for",
        "salesforce",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("は既にあります"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ja(&["export", "results"]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--for salesforce か --for hubspot が必要です")
    );
    let file = ws.path("f.txt");
    std::fs::write(&file, "").unwrap();
    let out = ja(&[
        "export",
        "results",
        "--for",
        "hubspot",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("ディレクトリではありません"));
}
