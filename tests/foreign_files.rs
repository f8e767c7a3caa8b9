//! Issue 9, points 3 and 4: a file that is not kaden's is left alone, and a database from a newer
//! kaden is left byte-identical, its pending `-wal` included. Only an empty file, a missing file
//! or a kaden file (recognised by kaden's `application_id`, or by the first release's tables) is
//! ever migrated.
#![allow(clippy::unwrap_used)]

mod support;

use assert_cmd::Command;
use kaden::store::{LATEST_VERSION, Store, StoreError, sidecar};
use std::path::{Path, PathBuf};
use support::db::*;
use support::*;

fn kaden(dir: &Path, db: &Path) -> Command {
    let mut c = Command::from_std(kaden_on(dir, db, &write_config(dir, "")));
    c.write_stdin("");
    c
}

/// The database and every companion file, to compare byte for byte (length and a hash of the
/// bytes, so a failure prints something readable).
fn snapshot(db: &Path) -> Vec<(String, Option<(usize, u64)>)> {
    use std::hash::{Hash, Hasher};
    ["", "-wal", "-journal"]
        .iter()
        .map(|s| {
            let bytes = std::fs::read(sidecar(db, s)).ok();
            let digest = bytes.map(|b| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                b.hash(&mut h);
                (b.len(), h.finish())
            });
            (s.to_string(), digest)
        })
        .collect()
}

/// Every command line a user could run on the file, the TUI (no command) included.
fn every_command(dir: &Path) -> Vec<Vec<String>> {
    let csv = dir.join("in.csv");
    std::fs::write(&csv, "company,name,phone\nAcme,Ann,03-1234-5678\n").unwrap();
    let csv = csv.to_str().unwrap().to_string();
    let out = dir.join("out.csv").to_str().unwrap().to_string();
    [
        vec![],
        vec!["queue"],
        vec!["log", "1", "unconnected"],
        vec!["meeting", "1", "won"],
        vec!["report"],
        vec!["export", "leads"],
        vec!["export", "leads", "--out", &out],
        vec!["import", &csv],
        vec!["import", &csv, "--dry-run"],
        vec!["demo", "--no-tui"],
        vec!["doctor"],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(str::to_string).collect())
    .collect()
}

fn journal_mode(db: &Path) -> String {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    c.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

/// Another program's database: tables of its own, no kaden marker, rollback journal.
fn other_app_db(dir: &Path, name: &str, setup: &str) -> PathBuf {
    let p = dir.join(name);
    let c = rusqlite::Connection::open(&p).unwrap();
    c.execute_batch(setup).unwrap();
    drop(c);
    p
}

fn assert_refused_as_foreign(dir: &Path, db: &Path) {
    let before = snapshot(db);
    let mode = journal_mode(db);
    let e = Store::open(db)
        .err()
        .expect("another program's file was opened");
    assert!(matches!(e, StoreError::Foreign { .. }), "{e:?}");
    for args in every_command(dir) {
        let out = kaden(dir, db).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(
            err.trim_end(),
            format!(
                "kaden: {} is an SQLite database of another program, not kaden's; nothing was changed",
                db.display()
            ),
            "{args:?}"
        );
        assert_eq!(snapshot(db), before, "{args:?} changed the file");
        assert_eq!(journal_mode(db), mode, "{args:?} changed the journal mode");
        assert!(!sidecar(db, "-shm").exists(), "{args:?} left a -shm");
    }
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = other_app_db(
        dir.path(),
        "other-app.db",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
         INSERT INTO notes (body) VALUES ('keep me');",
    );
    assert_eq!(journal_mode(&db), "delete");
    assert_refused_as_foreign(dir.path(), &db);
}

#[test]
fn another_programs_database_that_uses_user_version_is_not_a_newer_kaden() {
    // Many programs number their schema with user_version; 99 here is theirs, not kaden's.
    let dir = tempfile::tempdir().unwrap();
    let db = other_app_db(
        dir.path(),
        "app.sqlite",
        "PRAGMA user_version = 99; CREATE TABLE items (id INTEGER PRIMARY KEY);",
    );
    assert_refused_as_foreign(dir.path(), &db);
    // Another program's own application_id is not kaden's either, even with kaden's table names.
    let db = other_app_db(
        dir.path(),
        "lookalike.db",
        "PRAGMA application_id = 1234; CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
         CREATE TABLE leads (id INTEGER PRIMARY KEY); CREATE TABLE activities (id INTEGER);",
    );
    assert_refused_as_foreign(dir.path(), &db);
}

#[test]
fn another_programs_wal_database_keeps_its_pending_wal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wal-app.db");
    // A WAL-mode database of another program, killed with commits still in its WAL.
    let st = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, os, sys\n\
             c = sqlite3.connect(sys.argv[1])\n\
             c.execute('PRAGMA journal_mode=WAL')\n\
             c.execute('PRAGMA wal_autocheckpoint=0')\n\
             c.execute('CREATE TABLE t (x)')\n\
             c.execute(\"INSERT INTO t VALUES ('in the wal')\")\n\
             c.commit()\n\
             os._exit(0)\n",
        )
        .arg(&db)
        .status()
        .unwrap();
    assert!(st.success());
    assert!(std::fs::metadata(sidecar(&db, "-wal")).unwrap().len() > 0);
    let before = snapshot(&db);
    let e = Store::open(&db).err().expect("opened");
    assert!(matches!(e, StoreError::Foreign { .. }), "{e:?}");
    for args in [vec!["queue"], vec!["doctor"], vec![]] {
        let out = kaden(dir.path(), &db).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("another program"),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            snapshot(&db),
            before,
            "{args:?} changed the file or its WAL"
        );
    }
}

#[test]
fn a_file_that_is_not_sqlite_at_all_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.txt");
    std::fs::write(&db, "these are my notes, not a database\n".repeat(50)).unwrap();
    let before = snapshot(&db);
    for args in every_command(dir.path()) {
        let out = kaden(dir.path(), &db).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            err.contains(&format!("{} is not an SQLite database", db.display()))
                && err.contains("nothing was changed"),
            "{args:?}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert_eq!(snapshot(&db), before, "{args:?}");
    }
}

#[test]
fn empty_and_missing_files_become_kaden_databases_with_kadens_marker() {
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("zero.db");
    std::fs::write(&zero, b"").unwrap();
    // An SQLite database without a single table (e.g. made by `sqlite3 x.db VACUUM`).
    let blank = other_app_db(dir.path(), "blank.db", "VACUUM;");
    assert!(std::fs::metadata(&blank).unwrap().len() > 0);
    let missing = dir.path().join("missing.db");
    for db in [zero, blank, missing] {
        let store = Store::open(&db).unwrap_or_else(|e| panic!("{}: {e}", db.display()));
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
        drop(store);
        assert_eq!(
            app_id(&db),
            kaden::store::APPLICATION_ID,
            "{}",
            db.display()
        );
    }
}

fn app_id(db: &Path) -> i64 {
    count(db, "PRAGMA application_id")
}

#[test]
fn a_kaden_database_with_a_table_of_another_program_is_still_kadens() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 10);
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS foreign_notes (id INTEGER PRIMARY KEY, note TEXT);
         INSERT INTO foreign_notes (note) VALUES ('written by a script');",
    )
    .unwrap();
    drop(c);
    kaden(dir.path(), &db)
        .args(["log", "1", "unconnected"])
        .assert()
        .success();
    assert_eq!(count(&db, "SELECT count(*) FROM foreign_notes"), 1);
    // Also a first-release file (no application_id yet) that a script added a table to.
    let old = dir.path().join("old.db");
    let c = rusqlite::Connection::open(&old).unwrap();
    c.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    c.execute_batch(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema_v1.sql"),
        )
        .unwrap(),
    )
    .unwrap();
    c.execute_batch("CREATE TABLE foreign_notes (note TEXT)")
        .unwrap();
    drop(c);
    assert_eq!(app_id(&old), 0);
    kaden(dir.path(), &old).args(["queue"]).assert().success();
    assert_eq!(app_id(&old), kaden::store::APPLICATION_ID);
    assert_eq!(count(&old, "PRAGMA user_version"), LATEST_VERSION);
    assert_eq!(count(&old, "SELECT count(*) FROM leads"), 65);
}

/// A kaden database whose move to a newer schema (version 99) exists only in its WAL: the
/// newer kaden was killed before a checkpoint folded it into the main file.
fn newer_only_in_wal(dir: &Path) -> PathBuf {
    let db = make_db(dir, 10);
    let st = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, os, sys\n\
             c = sqlite3.connect(sys.argv[1])\n\
             c.execute('PRAGMA wal_autocheckpoint=0')\n\
             c.execute('CREATE TABLE newer_feature (x)')\n\
             c.execute('PRAGMA user_version = 99')\n\
             c.commit()\n\
             os._exit(0)\n",
        )
        .arg(&db)
        .status()
        .unwrap();
    assert!(st.success());
    assert!(std::fs::metadata(sidecar(&db, "-wal")).unwrap().len() > 0);
    // The main file alone still says the current version.
    let c = rusqlite::Connection::open_with_flags(
        format!("file:{}?immutable=1", db.display()),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
    .unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, LATEST_VERSION);
    db
}

#[test]
fn a_newer_database_whose_change_is_only_in_the_wal_is_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let db = newer_only_in_wal(dir.path());
    let before = snapshot(&db);
    let e = Store::open(&db).err().expect("a newer database was opened");
    assert!(
        matches!(e, StoreError::NewerSchema { found: 99, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("left untouched"), "{e}");
    assert_eq!(snapshot(&db), before, "Store::open folded the WAL in");
    let e = Store::open_read_only(&db).map(|_| ());
    assert!(e.is_ok(), "{e:?}");
    assert_eq!(
        snapshot(&db),
        before,
        "Store::open_read_only folded the WAL in"
    );

    for args in every_command(dir.path()) {
        let out = kaden(dir.path(), &db).args(&args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "{args:?}: {text}");
        assert!(text.contains("newer kaden"), "{args:?}: {text}");
        assert_eq!(
            snapshot(&db),
            before,
            "{args:?} changed the file or its WAL"
        );
    }
    // A backup of it is possible (it is a copy), it holds what the WAL holds, and the source
    // stays as it was.
    let copy = dir.path().join("copy.db");
    kaden(dir.path(), &db)
        .arg("backup")
        .arg(&copy)
        .assert()
        .success();
    assert_eq!(count(&copy, "PRAGMA user_version"), 99);
    assert_eq!(snapshot(&db), before, "backup changed the source");
}
