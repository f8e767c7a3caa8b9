//! Migrations from every earlier schema version, from fixture files: opening an old database
//! brings it to `LATEST_VERSION` and keeps every row. Fixtures are frozen SQL dumps in
//! tests/fixtures/schema_vN.sql (v0: an empty file). After adding migration N+1, dump a small
//! populated database of version N+1 and add one line to `FIXTURES`.
#![allow(clippy::unwrap_used)]

mod support;

use kaden::config::Config;
use kaden::domain::CallResult;
use kaden::store::{LATEST_VERSION, QueueQuery, ResultInput, Store};
use std::path::{Path, PathBuf};
use support::{db, now};

/// (schema version, fixture file, leads, activities, appointments) — one line per version.
const FIXTURES: &[(i64, &str, i64, i64, i64)] = &[
    (0, "schema_v0.sql", 0, 0, 0),
    (1, "schema_v1.sql", 65, 122, 8),
    (2, "schema_v2.sql", 65, 122, 8),
    (3, "schema_v3.sql", 65, 122, 8),
    (4, "schema_v4.sql", 65, 122, 8),
    (5, "schema_v5.sql", 65, 122, 8),
    (6, "schema_v6.sql", 65, 122, 8),
    (7, "schema_v7.sql", 65, 122, 8),
    (8, "schema_v8.sql", 65, 122, 8),
    (9, "schema_v9.sql", 65, 122, 8),
    (10, "schema_v10.sql", 65, 122, 8),
    (11, "schema_v11.sql", 65, 122, 8),
];

fn build(dir: &Path, file: &str) -> PathBuf {
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(file),
    )
    .unwrap();
    let db = dir.join(file.replace(".sql", ".db"));
    let c = rusqlite::Connection::open(&db).unwrap();
    // The dump lists tables alphabetically, not in reference order.
    c.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    c.execute_batch(&sql).unwrap();
    drop(c);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    db
}

fn one(store: &Store, sql: &str) -> i64 {
    db::count(store.path(), sql)
}

#[test]
fn every_earlier_version_has_a_fixture() {
    for v in 0..LATEST_VERSION {
        assert!(
            FIXTURES.iter().any(|f| f.0 == v),
            "no fixture for schema v{v}: add tests/fixtures/schema_v{v}.sql and a FIXTURES line"
        );
    }
}

#[test]
fn fixtures_have_the_version_they_claim() {
    let dir = tempfile::tempdir().unwrap();
    for &(v, file, ..) in FIXTURES {
        let db = build(dir.path(), file);
        assert_eq!(db::count(&db, "PRAGMA user_version"), v, "{file}");
    }
}

#[test]
fn opening_migrates_every_fixture_and_keeps_its_rows() {
    let cfg = Config::parse("time_zone = \"Asia/Tokyo\"\n", "test.toml").unwrap();
    for &(v, file, leads, activities, appointments) in FIXTURES {
        let dir = tempfile::tempdir().unwrap();
        let db = build(dir.path(), file);
        let mut store = Store::open(&db).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION, "{file}");
        // Files of every earlier release (which had no application_id) get kaden's mark.
        assert_eq!(
            one(&store, "PRAGMA application_id"),
            kaden::store::APPLICATION_ID,
            "{file}"
        );
        assert_eq!(one(&store, "SELECT count(*) FROM leads"), leads, "{file}");
        assert_eq!(
            one(&store, "SELECT count(*) FROM activities"),
            activities,
            "{file}"
        );
        assert_eq!(
            one(&store, "SELECT count(*) FROM appointments"),
            appointments,
            "{file}"
        );
        assert_eq!(db::integrity(store.path()), "ok", "{file}");
        assert_eq!(
            one(&store, "SELECT count(*) FROM pragma_foreign_key_check"),
            0,
            "{file}"
        );
        // The migrated database works: the queue reads, a result records.
        store.ensure_rank_keys(&cfg).unwrap();
        let q = QueueQuery {
            now: now(),
            cfg: &cfg,
            limit: 50,
            filter: None,
            owner: None,
        };
        let rows = store.queue(&q).unwrap();
        assert_eq!(rows.is_empty(), leads == 0, "{file} (v{v})");
        if let Some(first) = rows.first() {
            let before = store.lead(first.id).unwrap().touches;
            store
                .record_result(
                    &ResultInput::new(first.id, CallResult::Unconnected, "tester"),
                    &cfg,
                    now(),
                )
                .unwrap();
            assert_eq!(store.lead(first.id).unwrap().touches, before + 1);
        }
        drop(store);
        // Opening again is a no-op.
        let store = Store::open(&db).unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
        assert_eq!(one(&store, "SELECT count(*) FROM leads"), leads);
    }
}
