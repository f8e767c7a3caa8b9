//! The engine seam: every store method runs its statements through [`Db`], on a connection
//! ([`Store::db`]) or inside one write transaction ([`Store::tx`]).

use super::sql::Db;
use super::{Conn, Store, StoreError};
use rusqlite::TransactionBehavior;

/// The beginning of a PostgreSQL transaction whose prepared statements run on their generic
/// plan, planned once per connection, instead of being planned again for every execution
/// (which PostgreSQL keeps doing when a generic plan's estimated cost is above the custom
/// plans'). For the claim-next statement the generic plan reads the same indexes (its test in
/// `tests/claim_plan.rs`) and planning was half of a claim's time at 1M leads (~1 ms).
pub(crate) const GENERIC_PLAN: &str = "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan";

impl Store {
    /// The connection, for reads.
    pub(crate) fn db(&self) -> &dyn Db {
        match &self.conn {
            Conn::Sqlite(c) => c,
            Conn::Postgres(pg) => &**pg,
        }
    }

    /// Run `f` in one write transaction: committed when `f` returns `Ok`, rolled back (nothing
    /// written) when it returns an error. On SQLite this is `BEGIN IMMEDIATE`, so a second
    /// writer waits on `busy_timeout` instead of failing with SQLITE_BUSY_SNAPSHOT halfway.
    pub(crate) fn tx<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&dyn Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.tx_folding(true, "BEGIN", f)
    }

    /// [`Store::tx`] for claim-next, a write that changes none of the columns the report
    /// counts are kept from (`report_log` is filled by triggers on activities and on a lead's
    /// `created_at`, `source`, `tier` and `owner`): it skips looking for counts to fold, one
    /// round trip on PostgreSQL. There its statements also run on their generic plan
    /// ([`GENERIC_PLAN`]).
    pub(crate) fn tx_claim_next<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&dyn Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.tx_folding(false, GENERIC_PLAN, f)
    }

    fn tx_folding<T, E: From<StoreError>>(
        &mut self,
        fold: bool,
        begin: &str,
        f: impl FnOnce(&dyn Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let c = match &mut self.conn {
            Conn::Sqlite(c) => c,
            Conn::Postgres(pg) => {
                return pg.transaction_from(begin, |db| {
                    let out = f(db)?;
                    if fold {
                        super::funnel_counts::fold(db)?;
                    }
                    Ok(out)
                });
            }
        };
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&*tx)?;
        // The report counts of whatever this transaction changed, before it commits.
        if fold {
            super::funnel_counts::fold(&*tx)?;
        }
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

impl Store {
    /// Run `f` in a write transaction that is always rolled back: a dry run that does the real
    /// work and writes nothing. `BEGIN IMMEDIATE` on SQLite, like [`Store::tx`].
    pub(crate) fn rolled_back<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&dyn Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let c = match &mut self.conn {
            Conn::Sqlite(c) => c,
            Conn::Postgres(pg) => return pg.rolled_back(f),
        };
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&*tx);
        tx.rollback().map_err(StoreError::from)?;
        out
    }
}

impl Store {
    /// For tests of the full-disk path: cap this connection's file at the current number of
    /// pages plus `extra` (SQLite `max_page_count`; `None` lifts the cap). Returns the pages in
    /// use. Nothing else in kaden calls it.
    #[doc(hidden)]
    pub fn cap_pages_for_tests(&self, extra: Option<i64>) -> Result<i64, StoreError> {
        use super::sql::{DbExt, params};
        let pages: i64 = self.db().value("PRAGMA page_count", params![])?;
        let cap = extra.map_or(1_073_741_823, |e| pages + e);
        self.db()
            .value::<i64>(&format!("PRAGMA max_page_count = {cap}"), params![])?;
        Ok(pages)
    }
}

impl Store {
    /// Let SQLite keep up to `mib` MiB of this connection's pages in memory (an SQLite file
    /// only; PostgreSQL caches on its server). The TUI re-reads its queue window (300 leads,
    /// ~2,000 pages at 1M) after every write: SQLite's default 2 MB cannot hold it, so every
    /// re-read went back to the file through `pread`.
    pub fn set_page_cache_mib(&self, mib: u32) -> Result<(), StoreError> {
        if self.is_postgres() {
            return Ok(());
        }
        self.db()
            .batch(&format!("PRAGMA cache_size = -{}", u64::from(mib) * 1024))
    }
}
