//! Shared helpers of the import/export integration tests: a temp workspace with a config and a
//! database, the `kaden` binary with a fixed clock, and reads of the database.
#![allow(dead_code, clippy::unwrap_used)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub const NOW: &str = "2026-11-24T10:00:00+09:00";

pub const CONFIG: &str = r#"
rep = "tester"
time_zone = "Asia/Tokyo"
default_time_zone = "Asia/Tokyo"
phone_region = "JP"
default_tier = 3

[[tier_rules]]
tier = 2
industry = "software"
min_employees = 10
"#;

/// A temp dir with `config.toml` and the path of `kaden.db`.
pub struct Ws {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

impl Ws {
    pub fn new() -> Ws {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        std::fs::write(&config, CONFIG).unwrap();
        let db = dir.path().join("kaden.db");
        Ws { dir, db, config }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Write `bytes` as `name` in the workspace; returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Copy a fixture into the workspace (so reject files land in the temp dir).
    pub fn fixture(&self, name: &str) -> PathBuf {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let p = self.path(name);
        std::fs::copy(src, &p).unwrap();
        p
    }

    /// `kaden --db … --config … ARGS` with a fixed clock and zone.
    pub fn kaden(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("kaden").unwrap();
        c.env("KADEN_NOW", NOW)
            .env("TZ", "Asia/Tokyo")
            .env_remove("NO_COLOR")
            .arg("--db")
            .arg(&self.db)
            .arg("--config")
            .arg(&self.config)
            .arg("--lang")
            .arg("en")
            .args(args);
        c
    }

    /// `kaden import FILE ARGS…`, expected to succeed; returns stdout.
    pub fn import_ok(&self, file: &Path, args: &[&str]) -> String {
        let mut all = vec!["import", file.to_str().unwrap()];
        all.extend_from_slice(args);
        let out = self.kaden(&all).output().unwrap();
        assert!(
            out.status.success(),
            "import failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The database file's bytes (with no kaden running, the WAL is checkpointed away).
    pub fn db_bytes(&self) -> Vec<u8> {
        let wal = PathBuf::from(format!("{}-wal", self.db.display()));
        let mut b = std::fs::read(&self.db).unwrap_or_default();
        if let Ok(w) = std::fs::read(wal) {
            b.extend(w);
        }
        b
    }

    /// Rows of a query over the database (each column as text).
    pub fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        let store = kaden::store::Store::open(&self.db).unwrap();
        let raw = rusqlite::Connection::open(store.path()).unwrap();
        let mut st = raw.prepare(sql).unwrap();
        let n = st.column_count();
        st.query_map([], |r| {
            Ok((0..n)
                .map(|i| {
                    use rusqlite::types::ValueRef;
                    match r.get_ref(i).unwrap() {
                        ValueRef::Null => String::new(),
                        ValueRef::Integer(x) => x.to_string(),
                        ValueRef::Real(x) => x.to_string(),
                        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        ValueRef::Blob(_) => "<blob>".into(),
                    }
                })
                .collect::<Vec<_>>())
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.rows(sql)[0][0].parse().unwrap()
    }

    pub fn lead_count(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM leads")
    }
}
