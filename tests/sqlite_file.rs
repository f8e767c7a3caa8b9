//! The SQLite file itself (engine-specific; the store's behaviour is in the contract suite,
//! `contract/`): a new file is migrated and in WAL mode, it and its directory are private, a
//! newer kaden's file is refused untouched, a file that is not a database gets a clear error.
#![allow(clippy::unwrap_used)]

mod support;
use kaden::store::{LATEST_VERSION, Store, StoreError};
use support::{Ws, db};

#[test]
fn fresh_database_is_migrated_to_the_latest_version() {
    let ws = Ws::new();
    let store = ws.store();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    let mode: String = db::one(store.path(), "PRAGMA journal_mode", []);
    assert_eq!(mode, "wal");
    // reopening is a no-op
    drop(store);
    let store = ws.store();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
}

#[cfg(unix)]
#[test]
fn database_and_directory_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("kaden.db");
    let store = Store::open(&path).unwrap();
    db::batch(
        store.path(),
        "CREATE TABLE IF NOT EXISTS t(x); INSERT INTO t VALUES (1);",
    );
    assert_eq!(db::mode(&path), 0o600);
    assert_eq!(db::mode(path.parent().unwrap()), 0o700);
    for suffix in ["-wal", "-shm"] {
        let p = db::sidecar(&path, suffix);
        if p.exists() {
            assert_eq!(db::mode(&p), 0o600, "{suffix}");
        }
    }
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let ws = Ws::new();
    // A newer kaden's file carries kaden's mark (migration 004 onwards).
    db::batch(
        &ws.db,
        &format!(
            "CREATE TABLE future(x); PRAGMA user_version = 99; PRAGMA application_id = {};",
            kaden::store::APPLICATION_ID
        ),
    );
    let before = ws.db_bytes();
    let err = Store::open(&ws.db).err().unwrap();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer kaden"), "{err}");
    assert_eq!(ws.db_bytes(), before);
}

#[test]
fn a_non_database_file_gets_a_clear_error() {
    let ws = Ws::new();
    std::fs::write(
        &ws.db,
        b"this is not sqlite, just some text that is long enough to look like a header.....",
    )
    .unwrap();
    let err = Store::open(&ws.db).err().unwrap().to_string();
    assert!(
        err.contains("is not an SQLite database") && err.contains("nothing was changed"),
        "{err}"
    );
}
