//! Faults and the file itself: a full disk, a read-only file, a database from a newer kaden,
//! owner-only permissions, and the `doctor` / `backup` commands that look after the file.
#![allow(clippy::unwrap_used)]

mod support;

use assert_cmd::Command;
use chrono::Duration;
use kaden::domain::CallResult;
use kaden::store::{ResultInput, Store, StoreError, sidecar};
use std::path::Path;
use support::db::*;
use support::*;

fn kaden(dir: &Path, db: &Path) -> Command {
    Command::from_std(kaden_on(dir, db, &write_config(dir, "")))
}

/// The lead's row as text, to compare before and after.
fn lead_row(store: &Store, id: i64) -> Vec<Vec<String>> {
    rows(
        store.path(),
        &format!(
            "SELECT status, touches, unanswered, version, next_at, q_band, rank_key FROM leads WHERE id = {id}"
        ),
    )
}

#[test]
fn full_disk_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 50);
    let cfg = config();
    let mut store = Store::open(&db).unwrap();
    store.cap_pages_for_tests(Some(2)).unwrap();
    let note = "a long note that fills pages quickly ".repeat(40);
    let mut failure = None;
    for i in 0..500 {
        let lead = 1 + i % 50;
        let before_acts = count(store.path(), "SELECT count(*) FROM activities");
        let before_lead = lead_row(&store, lead);
        let mut input = ResultInput::new(lead, CallResult::Unconnected, "tester");
        input.note = Some(note.clone());
        match store.record_result(&input, &cfg, now() + Duration::seconds(i)) {
            Ok(_) => {}
            Err(e) => {
                let after_acts = count(store.path(), "SELECT count(*) FROM activities");
                assert_eq!(after_acts, before_acts, "a failed record left an activity");
                assert_eq!(
                    lead_row(&store, lead),
                    before_lead,
                    "a failed record changed the lead"
                );
                failure = Some(e);
                break;
            }
        }
    }
    let e = failure.expect("the store never filled up");
    assert!(matches!(e, StoreError::DiskFull { .. }), "{e:?}");
    assert!(e.to_string().contains("disk is full"), "{e}");
    assert!(e.to_string().contains("nothing was written"), "{e}");
    // Space freed: the same store records again, without reopening.
    store.cap_pages_for_tests(None).unwrap();
    store
        .record_result(
            &ResultInput::new(1, CallResult::Unconnected, "tester"),
            &cfg,
            now() + Duration::hours(2),
        )
        .unwrap();
    drop(store);
    assert_eq!(integrity(&db), "ok");
}

#[cfg(unix)]
#[test]
fn read_only_file_is_refused_clearly_by_store_and_binary() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 10);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = content(&db);
    // Tests run as root in CI: root could write anyway, so the store goes by the mode bits.
    let e = Store::open(&db)
        .err()
        .expect("a read-only file was opened for writing");
    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains("read-only") && msg.contains(&db.display().to_string()),
        "{msg}"
    );

    let out = kaden(dir.path(), &db)
        .args(["log", "1", "unconnected"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("kaden: ") && err.contains("read-only"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let out = kaden(dir.path(), &db).arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains(&format!("chmod 600 {}", db.display())),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(content(&db), before);
}

#[test]
fn newer_schema_is_refused_and_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 10);
    batch(&db, "PRAGMA user_version = 99");
    let sidecars_absent = || {
        for s in ["-wal", "-shm", "-journal"] {
            assert!(!sidecar(&db, s).exists(), "{s} left behind");
        }
    };
    sidecars_absent();
    let before = content(&db);

    let e = Store::open(&db).err().expect("a newer database was opened");
    assert!(
        matches!(e, StoreError::NewerSchema { found: 99, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("newer kaden"), "{e}");
    assert_eq!(content(&db), before);
    sidecars_absent();

    for args in [&["queue"][..], &["log", "1", "unconnected"], &["doctor"]] {
        let out = kaden(dir.path(), &db).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let text = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(text.contains("newer kaden"), "{args:?}: {text}");
        assert_eq!(content(&db), before, "{args:?} changed the file");
        sidecars_absent();
    }
    // A backup of it is still possible, and leaves it alone too.
    let copy = dir.path().join("copy.db");
    kaden(dir.path(), &db)
        .arg("backup")
        .arg(&copy)
        .assert()
        .success();
    assert_eq!(content(&db), before);
    sidecars_absent();
}

#[cfg(unix)]
#[test]
fn database_wal_shm_are_owner_only_and_directory_0700() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested").join("deeper").join("kaden.db");
    let cfg = config();
    let mut store = Store::open(&db).unwrap();
    store.ensure_rank_keys(&cfg).unwrap();
    kaden::demo::build_synthetic(&mut store, &cfg, now(), 20).unwrap();
    store
        .record_result(
            &ResultInput::new(1, CallResult::Unconnected, "t"),
            &cfg,
            now(),
        )
        .unwrap();
    // While the connection is open, the WAL and the shared-memory file exist.
    for f in [db.clone(), sidecar(&db, "-wal"), sidecar(&db, "-shm")] {
        assert!(f.exists(), "{} missing while open", f.display());
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    assert_eq!(mode(db.parent().unwrap().parent().unwrap()), 0o700);
    drop(store);
    assert_eq!(mode(&db), 0o600);

    // The binary creates the user's file the same way.
    let other = dir.path().join("bin").join("k.db");
    kaden(dir.path(), &other).args(["queue"]).assert().success();
    assert_eq!(mode(&other), 0o600);
    assert_eq!(mode(other.parent().unwrap()), 0o700);
}

#[test]
fn doctor_reports_a_healthy_database_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 40);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let before = content(&db);
    let out = kaden(dir.path(), &db).arg("doctor").output().unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let version = format!("version {} (current)", kaden::store::LATEST_VERSION);
    for want in [
        "leads 40",
        "integrity     ok",
        "foreign keys  ok",
        version.as_str(),
        "leads_queue",
        "all good",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in:\n{stdout}");
    }
    assert_eq!(content(&db), before, "doctor changed the file");
}

#[test]
fn doctor_does_not_create_a_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("absent").join("kaden.db");
    let out = kaden(dir.path(), &db).arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no database at"),
        "{}",
        text(&out.stderr)
    );
    assert!(!db.exists() && !db.parent().unwrap().exists());
}

#[cfg(unix)]
#[test]
fn doctor_flags_loose_permissions_with_the_chmod_that_fixes_them() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 5);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = kaden(dir.path(), &db).arg("doctor").output().unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL permissions"), "{stdout}");
    assert!(
        stdout.contains(&format!("chmod 600 {}", db.display())),
        "{stdout}"
    );
    assert!(stdout.contains("WARN directory"), "{stdout}");
    assert!(
        stdout.contains(&format!("chmod 700 {}", dir.path().display())),
        "{stdout}"
    );
    assert!(
        text(&out.stderr).contains("problem"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn doctor_finds_a_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 300);
    // Scribble over the middle of the file (a b-tree page), as a failing disk would.
    let mut bytes = content(&db);
    let page = 4096;
    // Pages at a third, a half and two thirds of the file (one of them is a table or an
    // index page, whatever the schema holds).
    let pages = bytes.len() / page;
    for at in [pages / 3, pages / 2, pages * 2 / 3] {
        let at = at.max(1) * page;
        for b in &mut bytes[at + 8..at + 4000] {
            *b = 0xA5;
        }
    }
    std::fs::write(&db, &bytes).unwrap();
    let out = kaden(dir.path(), &db).arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text.contains("FAIL integrity"), "{text}");
    assert!(text.contains("restore your latest backup"), "{text}");
}

#[cfg(unix)]
#[test]
fn backup_is_consistent_private_and_checked_while_a_writer_commits() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 200);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let cfg = config();
            let mut store = Store::open(&db).unwrap();
            let mut n = 0i64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let input = ResultInput::new(1 + n % 200, CallResult::Unconnected, "w");
                store
                    .record_result(&input, &cfg, now() + Duration::seconds(n))
                    .unwrap();
                n += 1;
            }
            n
        })
    };
    for k in 0..4 {
        let copy = dir.path().join(format!("backup-{k}.db"));
        let out = kaden(dir.path(), &db)
            .arg("backup")
            .arg(&copy)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains("200 leads") && stdout.contains("integrity ok"),
            "{stdout}"
        );
        assert_eq!(mode(&copy), 0o600);
        assert_eq!(integrity(&copy), "ok");
        assert!(!sidecar(&copy, "-wal").exists());
        // A snapshot: every lead's touches match its activities in the copy.
        let bad = count(
            &copy,
            "SELECT count(*) FROM leads l WHERE l.touches !=
                (SELECT count(*) FROM activities a WHERE a.lead_id = l.id AND a.kind = 'touch')",
        );
        assert_eq!(bad, 0);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written > 0);
}

#[test]
fn backup_never_overwrites_and_needs_an_existing_source() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 5);
    let existing = dir.path().join("keep.db");
    std::fs::write(&existing, b"precious").unwrap();
    let out = kaden(dir.path(), &db)
        .arg("backup")
        .arg(&existing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&existing).unwrap(), b"precious");

    let missing = dir.path().join("missing.db");
    let copy = dir.path().join("copy.db");
    let out = kaden(dir.path(), &missing)
        .arg("backup")
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no database at"),
        "{}",
        text(&out.stderr)
    );
    assert!(!missing.exists() && !copy.exists());
}
