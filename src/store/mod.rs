//! The store: one SQLite file, the only source of truth. Opening sets the pragmas (WAL,
//! `synchronous=FULL`, `busy_timeout`, foreign keys), creates the file owner-only, and runs the
//! migrations. Every write is one `BEGIN IMMEDIATE` transaction.

mod backup;
mod bulk;
mod edit;
mod engine;
mod export;
mod import;
mod leads;
mod maintenance;
mod meeting;
mod migrations;
mod queue;
mod record;
mod report;
pub(crate) mod sql;

pub use backup::*;
pub use bulk::{BulkCompany, BulkLead, BulkLoad, BulkTouch};
pub use edit::*;
pub use export::{CalendarKind, CalendarRow, ExportActivity, ExportLead};
pub use import::LeadImport;
pub use leads::*;
pub use maintenance::*;
pub use meeting::{Appointment, MeetingReport};
pub use migrations::{LATEST_VERSION, MIGRATIONS};
pub use queue::*;
pub use record::*;
pub use report::{
    Cell, Judged, JudgedBy, LeadField, OpenAppointments, OverdueLead, OwnerStatusLoad, PeriodNote,
};

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a write waits for another kaden holding the write lock.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a store operation failed. Messages say what failed and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} was written by a newer kaden (schema version {found}; this kaden knows up to {supported}). Upgrade kaden; the file was left untouched."
    )]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("cannot create {path}: {source}")]
    Create {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is read-only: kaden needs to write to it (check the file's permissions)")]
    ReadOnly { path: String },
    #[error("the disk is full: nothing was written (free some space and try again)")]
    DiskFull,
    #[error("{path} is not a kaden database (or is damaged): {detail}")]
    NotADatabase { path: String, detail: String },
    #[error("no lead with id {0}")]
    UnknownLead(i64),
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("the database returned no row where one was expected")]
    NoRow,
    #[error("unexpected value in column {index} of a query: {what}")]
    Column { index: usize, what: &'static str },
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
                path: String::new(),
            },
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open kaden database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// UTC time as stored: fixed-width RFC 3339, so text order is time order.
pub fn ts(t: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    if !(0..=9999).contains(&t.year()) {
        return t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    // Written out by hand: chrono's `format` re-parses the pattern on every call, and this runs
    // a few times per row of a 100,000-row import.
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Read a stored time.
pub fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ")
        .ok()
        .map(|n| n.and_utc())
        .or_else(|| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
}

/// Create `path` (and its directory) owner-only before SQLite first opens it: SQLite would
/// create it 0644, and the -wal/-shm files copy the database's mode.
fn create_private(path: &Path) -> Result<()> {
    let err = |e| StoreError::Create {
        path: path.display().to_string(),
        source: e,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            // Every directory created on the way is owner-only, not just the last one.
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir).map_err(err)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(err)?;
        }
    }
    if !path.exists() {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        match o.open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(err(e)),
        }
    }
    Ok(())
}

impl Store {
    /// Open (creating if needed) the database at `path` and bring its schema up to date.
    /// A database from a newer kaden is refused and left byte-for-byte untouched.
    pub fn open(path: &Path) -> Result<Store> {
        create_private(path)?;
        let name = path.display().to_string();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::CannotOpen)
                if is_read_only(path) =>
            {
                StoreError::ReadOnly { path: name.clone() }
            }
            _ => StoreError::from(e),
        })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Read the version before anything can write to the file.
        let version: i64 = retry_busy(|| conn.query_row("PRAGMA user_version", [], |r| r.get(0)))
            .map_err(|e| StoreError::NotADatabase {
            path: name.clone(),
            detail: e.to_string(),
        })?;
        if version > LATEST_VERSION {
            return Err(StoreError::NewerSchema {
                path: name,
                found: version,
                supported: LATEST_VERSION,
            });
        }
        if is_read_only(path) {
            return Err(StoreError::ReadOnly { path: name });
        }
        let mode: String =
            retry_busy(|| conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))).map_err(
                |e| match StoreError::from(e) {
                    StoreError::ReadOnly { .. } => StoreError::ReadOnly { path: name.clone() },
                    StoreError::Sqlite(e) => StoreError::NotADatabase {
                        path: name.clone(),
                        detail: e.to_string(),
                    },
                    other => other,
                },
            )?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Invalid(format!(
                "{name}: cannot switch to WAL mode (got {mode})"
            )));
        }
        // FULL: the WAL is synced at every commit, so an acknowledged result survives power loss,
        // not just a process kill.
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        migrations::migrate(&mut store.conn).map_err(|e| match e {
            StoreError::ReadOnly { .. } => StoreError::ReadOnly { path: name.clone() },
            other => other,
        })?;
        Ok(store)
    }

    /// The file this store is on.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// A value from the meta table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use sql::DbExt;
        self.db().opt(
            "SELECT value FROM meta WHERE key = ?1",
            sql::params![key],
            |r| r.get(0),
        )
    }
}

/// Retry a step that SQLite may refuse with SQLITE_BUSY/LOCKED without calling the busy
/// handler: reading the header while another process creates the file, or switching to WAL
/// while another connection holds a lock. Gives up after [`BUSY_TIMEOUT`].
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match f() {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// Read-only by its permission bits (honoured even for root, who could write anyway) or
/// because it cannot be opened for writing.
fn is_read_only(path: &Path) -> bool {
    let by_mode = std::fs::metadata(path)
        .map(|m| m.permissions().readonly())
        .unwrap_or(false);
    by_mode || std::fs::OpenOptions::new().write(true).open(path).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_enforces_foreign_keys_in_wal_mode() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("k.db")).expect("open");
        let fk: i64 = store
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .expect("fk");
        assert_eq!(fk, 1);
        let sync: i64 = store
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .expect("sync");
        assert_eq!(sync, 2, "synchronous=FULL");
    }

    #[test]
    fn timestamps_round_trip_and_sort() {
        let t = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+09:00")
            .expect("t")
            .with_timezone(&Utc);
        assert_eq!(ts(t), "2026-11-24T01:00:00Z");
        assert_eq!(parse_ts(&ts(t)), Some(t));
        assert!(ts(t) < ts(t + chrono::Duration::seconds(1)));
    }
}
