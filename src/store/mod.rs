//! The store: one SQLite file, the only source of truth. Opening (`open.rs`) looks before it
//! touches, sets the pragmas (WAL, `synchronous=FULL`, `busy_timeout`, foreign keys), creates the
//! file owner-only, and runs the migrations. Every write is one `BEGIN IMMEDIATE` transaction.
//! Once SQLite has the file open, nothing in kaden opens a descriptor of it (see `crate::files`).

mod assign;
mod backup;
mod bulk;
mod claim;
mod claim_next;
mod closeout;
mod counts;
mod crm;
mod dnc;
mod edit;
mod engine;
mod error;
mod export;
mod funnel;
mod funnel_counts;
mod import;
mod leads;
mod maintenance;
mod meeting;
mod migrations;
mod open;
pub mod pg;
mod pg_tls;
mod queue;
mod record;
mod recycle;
mod report;
mod search;
mod speed;
pub(crate) mod sql;
mod team;
mod touch;
mod undo;
mod upcoming;

pub use assign::RepLoad;
pub use backup::*;
pub use bulk::{BulkCompany, BulkLead, BulkLoad, BulkTouch};
pub use claim::{Claim, ClaimError, DEFAULT_LEASE};
pub use closeout::{Closed, MEETING_LOST, MeetingDue, NO_SHOW};
pub use counts::{LeadCount, TouchCount};
pub use crm::{
    CrmNextAction, CrmRecord, CrmStatus, CrmTouch, ExportRecord, OpenNext, SentNext, TouchRange,
    TouchScan, Watermark,
};
pub use edit::*;
pub use error::StoreError;
pub use export::{CalendarKind, CalendarRow, ExportActivity, ExportLead};
pub use funnel::{BookedMeeting, FirstTouch, FunnelTouch, REASON_RESULTS};
pub use funnel_counts::{FunnelCount, FunnelKind};
pub use import::LeadImport;
pub use leads::*;
pub use maintenance::*;
pub use meeting::{Appointment, MeetingReport};
pub use migrations::{LATEST_VERSION, MIGRATIONS};
pub use open::{APPLICATION_ID, real_dir};
pub use queue::*;
pub use record::*;
pub use recycle::RECYCLED;
pub use report::{
    Judged, JudgedBy, LeadField, OpenAppointments, OverdueLead, OwnerStatusLoad, PeriodNote,
};
pub use search::{SHORT_WINDOW, SearchHit, Standing, needle as search_needle};
pub use speed::{BucketLead, SpeedCell, SpeedCounts, UNTOUCHED, delay_bucket};
pub use team::{Moved, checkup_postgres};
pub use touch::{TouchInput, Touched};
pub use upcoming::*;

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a write waits for another kaden holding the write lock.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open kaden database.
pub struct Store {
    conn: Conn,
    path: PathBuf,
    /// While the store is open, kaden opens no descriptor of its files (see [`crate::files`]).
    _live: Option<crate::files::LiveGuard>,
    /// The claims this store's rep holds (lead id → fencing token), see `claim.rs`.
    held: std::collections::HashMap<i64, i64>,
    /// How long a claim lasts unless renewed.
    lease: chrono::Duration,
    /// The rep this store works for: their own claims stay in their queue.
    me: Option<String>,
    /// SQLite's `data_version` when [`Store::others_changed`] last looked.
    seen_version: std::cell::Cell<i64>,
    /// Reports count from the activities and leads themselves instead of the aggregates
    /// (`counts.rs`): the plain scan the equivalence tests compare the fast path with.
    plain_scan: std::cell::Cell<bool>,
}

/// The engine under a store: an SQLite file, or a PostgreSQL database (team mode).
pub(crate) enum Conn {
    Sqlite(Connection),
    Postgres(Box<pg::PgDb>),
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
    // The stored form by hand first: `parse_from_str` re-reads its pattern on every call, and
    // speed-to-lead reads two times per lead created in the period.
    if let Some(t) = parse_stored(s.as_bytes()) {
        return Some(t);
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ")
        .ok()
        .map(|n| n.and_utc())
        .or_else(|| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
}

/// `YYYY-MM-DDTHH:MM:SSZ` exactly, as [`ts`] writes it.
fn parse_stored(b: &[u8]) -> Option<DateTime<Utc>> {
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let date =
        chrono::NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)?;
    let time = chrono::NaiveTime::from_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
    Some(date.and_time(time).and_utc())
}

impl Store {
    /// The file this store is on (for PostgreSQL, the URL without its password).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the store is on a shared PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        matches!(self.conn, Conn::Postgres(_))
    }

    /// The SQLite connection, for what only SQLite has (backup, pragmas, integrity check).
    pub(super) fn sqlite(&self) -> Result<&Connection> {
        match &self.conn {
            Conn::Sqlite(c) => Ok(c),
            Conn::Postgres(_) => Err(StoreError::Invalid(
                "this needs an SQLite file; the store is on PostgreSQL".into(),
            )),
        }
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        match &self.conn {
            Conn::Sqlite(c) => Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?),
            Conn::Postgres(pg) => pg.schema_version(),
        }
    }

    /// The schema version this kaden writes on the store's engine.
    pub fn latest_version(&self) -> i64 {
        match &self.conn {
            Conn::Sqlite(_) => LATEST_VERSION,
            Conn::Postgres(_) => pg::PG_LATEST_VERSION,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_enforces_foreign_keys_in_wal_mode() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("k.db")).expect("open");
        let fk: i64 = store
            .sqlite()
            .expect("sqlite")
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .expect("fk");
        assert_eq!(fk, 1);
        let sync: i64 = store
            .sqlite()
            .expect("sqlite")
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
        assert_eq!(parse_ts("2026-11-24T01:00:00+00:00"), Some(t));
        assert_eq!(parse_ts("2026-13-24T01:00:00Z"), None);
    }
}
