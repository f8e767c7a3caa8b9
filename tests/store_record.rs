//! Store tests on a real SQLite file: migrations, refusal of newer files, permissions, the
//! record transaction (all or nothing) and undo.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use kaden::domain::{CallResult, Channel, LeadStatus};
use kaden::store::{LATEST_VERSION, NextChoice, ResultInput, Store, StoreError};

fn sha(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn fresh_database_is_migrated_to_the_latest_version() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    let mode: String = rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // reopening is a no-op
    drop(store);
    let store = Store::open(&db.path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
}

#[cfg(unix)]
#[test]
fn database_and_directory_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("kaden.db");
    let store = Store::open(&path).unwrap();
    rusqlite::Connection::open(store.path())
        .unwrap()
        .execute_batch("CREATE TABLE IF NOT EXISTS t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    for suffix in ["-wal", "-shm"] {
        let p = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{suffix}");
        }
    }
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let db = temp_db();
    {
        let c = rusqlite::Connection::open(&db.path).unwrap();
        // A newer kaden's file carries kaden's mark (migration 004 onwards).
        c.execute_batch(&format!(
            "CREATE TABLE future(x); PRAGMA user_version = 99; PRAGMA application_id = {};",
            kaden::store::APPLICATION_ID
        ))
        .unwrap();
    }
    let before = sha(&db.path);
    let err = Store::open(&db.path).err().unwrap();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer kaden"), "{err}");
    assert_eq!(sha(&db.path), before);
}

#[test]
fn a_non_database_file_gets_a_clear_error() {
    let db = temp_db();
    std::fs::write(
        &db.path,
        b"this is not sqlite, just some text that is long enough to look like a header.....",
    )
    .unwrap();
    let err = Store::open(&db.path).err().unwrap().to_string();
    assert!(
        err.contains("is not an SQLite database") && err.contains("nothing was changed"),
        "{err}"
    );
}

#[test]
fn recording_writes_activity_status_and_next_action_together() {
    let db = temp_db();
    let cfg = config();
    let mut store = Store::open(&db.path).unwrap();
    let id = add(
        &mut store,
        &cfg,
        &lead("株式会社テスト", "山田 太郎", "03-1234-5678", 1, now()),
    );
    let rec = store
        .record_result(
            &ResultInput::new(id, CallResult::Unconnected, "me"),
            &cfg,
            now(),
        )
        .unwrap();
    assert_eq!(rec.status, LeadStatus::Approaching);
    let l = store.lead(id).unwrap();
    assert_eq!(l.status, LeadStatus::Approaching);
    assert_eq!(l.touches, 1);
    assert_eq!(l.unanswered, 1);
    let next = l.next.unwrap();
    assert_eq!(next.due, now() + chrono::Duration::hours(2));
    assert_eq!(next.channel, Channel::Call);
    let h = store.history(id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].result, Some(CallResult::Unconnected));
    // stored as the SPEC's text keys
    let (status, result): (String, String) = rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row(
            "SELECT l.status, a.result FROM leads l JOIN activities a ON a.lead_id = l.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (status.as_str(), result.as_str()),
        ("approaching", "unconnected")
    );
}

#[test]
fn a_failing_step_inside_the_transaction_leaves_nothing_behind() {
    let db = temp_db();
    let cfg = config();
    let mut store = Store::open(&db.path).unwrap();
    let id = add(
        &mut store,
        &cfg,
        &lead("Acme", "Ann", "03-1234-5678", 2, now()),
    );
    // The activity insert succeeds, then the lead update fails.
    rusqlite::Connection::open(store.path()).unwrap()
        .execute_batch(
            "CREATE TRIGGER boom BEFORE UPDATE OF status ON leads BEGIN SELECT RAISE(ABORT, 'boom'); END;",
        )
        .unwrap();
    let err = store.record_result(
        &ResultInput::new(id, CallResult::Unconnected, "me"),
        &cfg,
        now(),
    );
    assert!(err.is_err());
    assert_eq!(count(&db.path, "SELECT count(*) FROM activities"), 0);
    let l = store.lead(id).unwrap();
    assert_eq!((l.status, l.touches), (LeadStatus::New, 0));
}

#[test]
fn invalid_results_are_refused_before_writing() {
    let db = temp_db();
    let cfg = config();
    let mut store = Store::open(&db.path).unwrap();
    let id = add(
        &mut store,
        &cfg,
        &lead("Acme", "Ann", "03-1234-5678", 2, now()),
    );
    // recall without a time
    let e = store
        .record_result(&ResultInput::new(id, CallResult::Recall, "me"), &cfg, now())
        .unwrap_err();
    assert!(e.to_string().contains("recall needs"), "{e}");
    // lost without a reason
    let e = store
        .record_result(&ResultInput::new(id, CallResult::Lost, "me"), &cfg, now())
        .unwrap_err();
    assert!(e.to_string().contains("needs a reason"), "{e}");
    // unknown reason
    let mut i = ResultInput::new(id, CallResult::OutOfScope, "me");
    i.reason = Some("aliens".into());
    let e = store.record_result(&i, &cfg, now()).unwrap_err();
    assert!(e.to_string().contains("unknown reason 'aliens'"), "{e}");
    // unknown lead
    let e = store
        .record_result(
            &ResultInput::new(999, CallResult::Unconnected, "me"),
            &cfg,
            now(),
        )
        .unwrap_err();
    assert!(matches!(e, StoreError::UnknownLead(999)));
    assert_eq!(count(&db.path, "SELECT count(*) FROM activities"), 0);
}

#[test]
fn undo_restores_status_counts_and_next_action() {
    let db = temp_db();
    let cfg = config();
    let mut store = Store::open(&db.path).unwrap();
    let id = add(
        &mut store,
        &cfg,
        &lead("Acme", "Ann", "03-1234-5678", 2, now()),
    );
    let before = store.lead(id).unwrap();
    let mut i = ResultInput::new(id, CallResult::Lost, "me");
    i.reason = Some("no_budget".into());
    let rec = store.record_result(&i, &cfg, now()).unwrap();
    assert_eq!(store.lead(id).unwrap().status, LeadStatus::Nurturing);
    store.undo(rec.activity_id, &cfg).unwrap();
    let after = store.lead(id).unwrap();
    assert_eq!(after.status, before.status);
    assert_eq!(after.touches, before.touches);
    assert_eq!(after.next, before.next);
    assert_eq!(after.nurture_reason, None);
    assert!(store.history(id).unwrap().is_empty());
    // undoing twice is refused
    assert!(store.undo(rec.activity_id, &cfg).is_err());
}

#[test]
fn undo_is_refused_when_the_lead_changed_since() {
    let db = temp_db();
    let cfg = config();
    let mut store = Store::open(&db.path).unwrap();
    let id = add(
        &mut store,
        &cfg,
        &lead("Acme", "Ann", "03-1234-5678", 2, now()),
    );
    let first = store
        .record_result(
            &ResultInput::new(id, CallResult::Unconnected, "me"),
            &cfg,
            now(),
        )
        .unwrap();
    store
        .record_result(
            &ResultInput::new(id, CallResult::Unconnected, "me"),
            &cfg,
            now(),
        )
        .unwrap();
    let e = store.undo(first.activity_id, &cfg).unwrap_err();
    assert!(e.to_string().contains("changed"), "{e}");
}

#[test]
fn appointment_stores_sal_rank_and_meeting() {
    let db = temp_db();
    let cfg = config();
    let mut store = Store::open(&db.path).unwrap();
    let id = add(
        &mut store,
        &cfg,
        &lead("Acme", "Ann", "03-1234-5678", 1, now()),
    );
    let mut i = ResultInput::new(id, CallResult::Appointment, "me");
    i.meeting_at = Some(at("2026-12-01T15:00:00+09:00"));
    i.sal = Some(kaden::store::SalAnswers {
        budget: true,
        consideration: true,
        timing: false,
    });
    let rec = store.record_result(&i, &cfg, now()).unwrap();
    assert_eq!(rec.status, LeadStatus::Meeting);
    let (rank, p, meeting): (String, f64, String) = rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row(
            "SELECT sal_rank, probability, meeting_at FROM appointments",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(rank, "B");
    assert!((p - 0.5).abs() < 1e-9);
    assert_eq!(meeting, "2026-12-01T06:00:00Z");
    let l = store.lead(id).unwrap();
    assert_eq!(l.next.unwrap().channel, Channel::Meeting);
}

#[test]
fn custom_next_action_is_kept_with_owner_and_note() {
    let db = temp_db();
    let cfg = config();
    let mut store = Store::open(&db.path).unwrap();
    let id = add(
        &mut store,
        &cfg,
        &lead("Acme", "Ann", "03-1234-5678", 1, now()),
    );
    let mut i = ResultInput::new(id, CallResult::Recall, "me");
    let due = at("2026-11-24T14:00:00+09:00");
    i.next = NextChoice::At {
        due,
        channel: Channel::Call,
        owner: Some("sato".into()),
        note: Some("HR plans headcount".into()),
    };
    store.record_result(&i, &cfg, now()).unwrap();
    let n = store.lead(id).unwrap().next.unwrap();
    assert_eq!(
        (n.due, n.owner.as_str(), n.note.as_deref(), n.callback),
        (due, "sato", Some("HR plans headcount"), true)
    );
}
