//! The engine seam: every store method runs its statements through [`Db`], on a connection
//! ([`Store::db`]) or inside one write transaction ([`Store::tx`]).

use super::sql::Db;
use super::{Store, StoreError};
use rusqlite::TransactionBehavior;

impl Store {
    /// The connection, for reads.
    pub(crate) fn db(&self) -> &dyn Db {
        &self.conn
    }

    /// Run `f` in one write transaction: committed when `f` returns `Ok`, rolled back (nothing
    /// written) when it returns an error. On SQLite this is `BEGIN IMMEDIATE`, so a second
    /// writer waits on `busy_timeout` instead of failing with SQLITE_BUSY_SNAPSHOT halfway.
    pub(crate) fn tx<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&dyn Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&*tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}
