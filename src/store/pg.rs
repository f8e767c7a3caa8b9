//! The PostgreSQL engine (team mode, SPEC §5): the same statements as on SQLite, run through
//! the blocking `postgres` client. `?N` placeholders become `$N`; parameters are bound by the
//! type the server inferred for them (an integer where it wants text is sent as text); columns
//! come back as the engine-neutral [`Col`]s, `numeric` (what `sum(bigint)` returns) included.
//!
//! One [`PgDb`] is one connection. Statements are prepared once per connection and cached.
//! A dropped connection (server restart, `pg_terminate_backend`) is reopened by [`PgDb::revive`]
//! before the next statement; a write that was cut off is reported, never retried blindly
//! (see `record.rs` for how a result's fate is found out after a reconnect).

use super::sql::{Col, Db, EngineKind, Row, Value};
use super::{Result, StoreError};
use bytes::BytesMut;
use postgres::error::SqlState;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, Statement};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;

type BoxError = Box<dyn StdError + Sync + Send>;

/// The PostgreSQL migrations; migration `i` brings the schema to version `i + 1`. Each one is
/// the twin of SQLite's migrations of the same effect (see `assets/migrations/pg/`).
pub const PG_MIGRATIONS: &[&str] = &[
    include_str!("../../assets/migrations/pg/001_init.sql"),
    include_str!("../../assets/migrations/pg/002_claims.sql"),
    include_str!("../../assets/migrations/pg/003_funnel.sql"),
    include_str!("../../assets/migrations/pg/004_rep_day.sql"),
    include_str!("../../assets/migrations/pg/005_report_aggregates.sql"),
    include_str!("../../assets/migrations/pg/006_speed_counts.sql"),
];

/// The schema version this kaden writes on PostgreSQL.
pub const PG_LATEST_VERSION: i64 = PG_MIGRATIONS.len() as i64;

/// Whether `s` names a PostgreSQL database rather than a file.
pub fn is_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// `url` with its password replaced by `***`: the only form kaden ever prints.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let mut out = redact_query(url);
    if let Some(at) = rest[..auth_end].rfind('@') {
        let userinfo = &rest[..at];
        if let Some(colon) = userinfo.find(':') {
            let start = scheme_end + 3 + colon + 1;
            let end = scheme_end + 3 + at;
            out = format!("{}***{}", &url[..start], &redact_query(&url[end..]));
        }
    }
    out
}

/// A `password=` query parameter replaced by `***`.
fn redact_query(s: &str) -> String {
    let Some(q) = s.find('?') else {
        return s.to_string();
    };
    let (head, query) = s.split_at(q + 1);
    let parts: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => kv.to_string(),
        })
        .collect();
    format!("{head}{}", parts.join("&"))
}

/// One connection to a kaden database on PostgreSQL.
pub struct PgDb {
    client: RefCell<Client>,
    cache: RefCell<HashMap<String, Statement>>,
    url: String,
    /// How many times the connection was reopened.
    reconnects: Cell<u32>,
    /// Whether a transaction is open (no reconnect in the middle of one).
    in_tx: Cell<bool>,
    /// Whether [`PgDb::listen`] was called: a reopened session listens again.
    listening: Cell<bool>,
}

impl PgDb {
    /// Connect to `url` (a libpq-style `postgres://` URL).
    pub fn connect(url: &str) -> Result<PgDb> {
        let client = connect_client(url)?;
        Ok(PgDb {
            client: RefCell::new(client),
            cache: RefCell::new(HashMap::new()),
            url: url.to_string(),
            reconnects: Cell::new(0),
            in_tx: Cell::new(false),
            listening: Cell::new(false),
        })
    }

    /// The URL as kaden prints it (no password).
    pub fn shown(&self) -> String {
        redact(&self.url)
    }

    /// How many times the connection was reopened since it was made.
    pub fn reconnects(&self) -> u32 {
        self.reconnects.get()
    }

    /// Reopen the connection if the server dropped it (outside a transaction only). `Ok(true)`
    /// when it was reopened.
    pub fn revive(&self) -> Result<bool> {
        if self.in_tx.get() || !self.client.borrow().is_closed() {
            return Ok(false);
        }
        let mut client = connect_client(&self.url)?;
        // A new session listens to nothing: listen again, or the other kadens' writes would
        // go unseen from now on.
        if self.listening.get() {
            client
                .batch_execute("LISTEN kaden")
                .map_err(|e| pg_error(&e))?;
        }
        *self.client.borrow_mut() = client;
        self.cache.borrow_mut().clear();
        self.reconnects.set(self.reconnects.get() + 1);
        Ok(true)
    }

    /// Whether the connection is gone.
    pub fn is_closed(&self) -> bool {
        self.client.borrow().is_closed()
    }

    /// Start listening for other kadens' writes (`NOTIFY kaden` after every write transaction,
    /// `PgDb::notify`), on this session and on every one [`PgDb::revive`] opens after it.
    pub fn listen(&self) -> Result<()> {
        self.batch("LISTEN kaden")?;
        self.listening.set(true);
        Ok(())
    }

    /// Whether another connection wrote since the last call (notifications already received
    /// or waiting on the socket; never blocks).
    pub fn notified(&self) -> Result<bool> {
        let mut c = self.client.borrow_mut();
        let mut n = c.notifications();
        let mut any = false;
        let mut it = n.timeout_iter(std::time::Duration::ZERO);
        while let Some(note) = postgres::fallible_iterator::FallibleIterator::next(&mut it)
            .map_err(|e| pg_error(&e))?
        {
            let _ = note;
            any = true;
        }
        Ok(any)
    }

    /// Run `f` in one transaction: `BEGIN`, then `COMMIT` when `f` returns `Ok` (then tell the
    /// other kadens: `PgDb::notify`), `ROLLBACK` otherwise.
    pub fn transaction<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&dyn Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.transaction_from("BEGIN", f)
    }

    /// [`PgDb::transaction`] begun by `begin`: `BEGIN` and the transaction's own settings
    /// (`SET LOCAL …`), in one round trip.
    pub fn transaction_from<T, E: From<StoreError>>(
        &self,
        begin: &str,
        f: impl FnOnce(&dyn Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.revive()?;
        // A connection the server dropped while idle fails at BEGIN, before anything was
        // sent: reopen it and begin again.
        if let Err(StoreError::ConnectionLost(_)) = self.batch(begin) {
            self.revive()?;
            self.batch(begin)?;
        }
        self.in_tx.set(true);
        let out = f(self);
        let end = match &out {
            Ok(_) => self.batch("COMMIT"),
            Err(_) => self.batch("ROLLBACK").or(Ok(())),
        };
        self.in_tx.set(false);
        match (out, end) {
            (Ok(v), Ok(())) => {
                self.notify();
                Ok(v)
            }
            (Err(e), _) => Err(e),
            (Ok(_), Err(e)) => Err(e.into()),
        }
    }

    /// Tell the other kadens that this connection wrote (after its commit). In a transaction
    /// of its own that does not wait for its WAL flush: `NOTIFY` holds a database-wide lock
    /// from its commit until that commit is flushed, so inside the writing transaction every
    /// rep's claim and save queued behind the others' flushes. A notification lost in a
    /// crash costs a late refresh, never data; a failed one is rolled back and left.
    fn notify(&self) {
        if self
            .batch("BEGIN; SET LOCAL synchronous_commit = off; NOTIFY kaden; COMMIT")
            .is_err()
        {
            let _ = self.batch("ROLLBACK");
        }
    }

    /// Run `f` in a transaction that is always rolled back (a dry run).
    pub fn rolled_back<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&dyn Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.revive()?;
        if let Err(StoreError::ConnectionLost(_)) = self.batch("BEGIN") {
            self.revive()?;
            self.batch("BEGIN")?;
        }
        self.in_tx.set(true);
        let out = f(self);
        let end = self.batch("ROLLBACK");
        self.in_tx.set(false);
        match (out, end) {
            (Err(e), _) => Err(e),
            (Ok(_), Err(e)) => Err(e.into()),
            (Ok(v), Ok(())) => Ok(v),
        }
    }

    /// The schema version (0 when the database has no kaden schema).
    pub fn schema_version(&self) -> Result<i64> {
        use super::sql::{DbExt, params};
        let has: bool = self.value(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'kaden_schema')",
            params![],
        )?;
        if !has {
            return Ok(0);
        }
        self.value("SELECT version FROM kaden_schema", params![])
    }

    /// Whether the current schema holds tables that are not kaden's (a database of something
    /// else, which `team init` must not touch).
    pub fn foreign_tables(&self) -> Result<Vec<String>> {
        use super::sql::{DbExt, params};
        let names: Vec<String> = self.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
            params![],
            |r| r.get(0),
        )?;
        let ours = [
            "kaden_schema",
            "meta",
            "companies",
            "leads",
            "zones",
            "activities",
            "appointments",
            "crm_exports",
            "crm_next_sent",
            "do_not_call_numbers",
            "touch_counts",
            "lead_counts",
            "report_zones",
            "funnel_counts",
            "report_log",
            "first_touches",
            "speed_counts",
        ];
        Ok(names
            .into_iter()
            .filter(|n| !ours.contains(&n.as_str()))
            .collect())
    }

    /// Bring the schema up to date (under an advisory lock, so two kadens starting at once do
    /// not both migrate). Refuses a newer schema untouched.
    pub fn migrate(&self) -> Result<()> {
        self.transaction(|db| -> Result<()> {
            db.batch("SELECT pg_advisory_xact_lock(1262568526)")?;
            let pg = self;
            let mut version = pg.schema_version()?;
            if version > PG_LATEST_VERSION {
                return Err(StoreError::NewerSchema {
                    path: pg.shown(),
                    found: version,
                    supported: PG_LATEST_VERSION,
                });
            }
            while let Some(sql) = usize::try_from(version)
                .ok()
                .and_then(|v| PG_MIGRATIONS.get(v))
            {
                db.batch(sql)?;
                version += 1;
                db.execute(
                    "UPDATE kaden_schema SET version = ?1",
                    super::sql::params![version],
                )?;
            }
            Ok(())
        })
    }

    fn prepare(&self, sql: &str, params: &[Value<'_>]) -> Result<Statement> {
        if let Some(st) = self.cache.borrow().get(sql) {
            return Ok(st.clone());
        }
        self.revive()?;
        let text = placeholders(sql);
        let mut c = self.client.borrow_mut();
        let st = match c.prepare(&text) {
            Ok(st) => st,
            Err(e) if e.code() == Some(&SqlState::INDETERMINATE_DATATYPE) => {
                // A parameter whose type the statement does not fix (`?1 IS NULL`): type it
                // by the value given.
                let types: Vec<Type> = params
                    .iter()
                    .map(|v| match v {
                        Value::Int(_) => Type::INT8,
                        Value::Real(_) => Type::FLOAT8,
                        Value::Text(_) | Value::Null => Type::TEXT,
                    })
                    .collect();
                return c.prepare_typed(&text, &types).map_err(|e| pg_error(&e));
            }
            Err(e) => return Err(pg_error(&e)),
        };
        self.cache.borrow_mut().insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

impl Db for PgDb {
    fn engine(&self) -> EngineKind {
        EngineKind::Postgres
    }

    fn execute(&self, sql: &str, params: &[Value<'_>]) -> Result<u64> {
        let st = self.prepare(sql, params)?;
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        self.client
            .borrow_mut()
            .execute(&st, &refs)
            .map_err(|e| pg_error(&e))
    }

    fn each(
        &self,
        sql: &str,
        params: &[Value<'_>],
        f: &mut dyn FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        // Buffered, so `f` may run statements of its own on this connection.
        let run = || -> Result<Vec<postgres::Row>> {
            let st = self.prepare(sql, params)?;
            let out = self.client.borrow_mut().query(&st, &refs);
            out.map_err(|e| pg_error(&e))
        };
        let rows = match run() {
            // A read outside a transaction on a connection the server dropped while it was
            // idle: nothing was done, so reconnect and read again (once).
            Err(StoreError::ConnectionLost(_)) if !self.in_tx.get() && is_read(sql) => {
                self.revive()?;
                run()?
            }
            other => other?,
        };
        for r in &rows {
            f(&Row::Pg(r))?;
        }
        Ok(())
    }

    fn batch(&self, sql: &str) -> Result<()> {
        if !self.in_tx.get() {
            self.revive()?;
        }
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(|e| pg_error(&e))
    }
}

/// Whether a statement only reads (so running it again cannot write twice).
fn is_read(sql: &str) -> bool {
    let head = sql.trim_start().get(..6).unwrap_or("");
    head.eq_ignore_ascii_case("select")
        || head
            .get(..4)
            .is_some_and(|h| h.eq_ignore_ascii_case("with"))
}

/// Connect with the URL's `sslmode` honoured (see `pg_tls.rs`).
fn connect_client(url: &str) -> Result<Client> {
    let invalid = |why: String| {
        StoreError::Invalid(format!(
            "{}: not a valid PostgreSQL URL ({why})",
            redact(url)
        ))
    };
    let tls = super::pg_tls::split(url).map_err(invalid)?;
    let mut config: postgres::Config = tls
        .url
        .parse()
        .map_err(|e: postgres::Error| invalid(e.to_string()))?;
    super::pg_tls::connect(&mut config, &tls).map_err(|f| super::pg_tls::store_error(url, f))
}

/// The server's or the socket's reason, without the client's generic prefix.
pub(super) fn connect_detail(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s = inner.to_string();
        src = inner.source();
    }
    s
}

/// A client error as a store error.
pub(crate) fn pg_error(e: &postgres::Error) -> StoreError {
    if e.is_closed() || (e.as_db_error().is_none() && e.code().is_none()) {
        return StoreError::ConnectionLost(connect_detail(e));
    }
    match e.code() {
        Some(c) if *c == SqlState::DISK_FULL => StoreError::DiskFull {
            path: String::new(),
        },
        Some(c) if *c == SqlState::READ_ONLY_SQL_TRANSACTION => StoreError::ReadOnly {
            path: String::new(),
        },
        Some(c)
            if *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CONNECTION_FAILURE =>
        {
            StoreError::ConnectionLost(connect_detail(e))
        }
        _ => StoreError::Postgres(connect_detail(e)),
    }
}

/// `?N` → `$N`, outside string literals, quoted identifiers and comments.
pub fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' if chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

mod types;
pub(super) use types::PgCol;

#[cfg(test)]
mod tests;
