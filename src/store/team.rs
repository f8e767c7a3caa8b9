//! Team mode (SPEC §5): opening a store on PostgreSQL, creating its schema, moving a solo SQLite
//! database into it, and noticing other reps' writes.

use super::pg::{self, PgDb};
use super::sql::{Col, DbExt, EngineKind, Value, params};
use super::{Conn, Result, Store, StoreError};
use std::borrow::Cow;
use std::path::PathBuf;

/// The tables of a kaden database, parents before children.
const TABLES: &[&str] = &[
    "meta",
    "companies",
    "leads",
    "zones",
    "activities",
    "appointments",
    "crm_exports",
    "crm_next_sent",
    "do_not_call_numbers",
];

/// One table's rows on both sides of a [`Store::move_into`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub table: &'static str,
    pub from: i64,
    pub to: i64,
}

impl Store {
    /// Open the kaden database at a `postgres://` URL. A database without kaden's schema is
    /// refused (`kaden team init` creates it); a newer schema is refused untouched; an older one
    /// is brought up to date.
    pub fn open_postgres(url: &str) -> Result<Store> {
        let db = PgDb::connect(url)?;
        let version = db.schema_version()?;
        if version == 0 {
            return Err(StoreError::NoSchema { url: db.shown() });
        }
        if version > pg::PG_LATEST_VERSION {
            return Err(StoreError::NewerSchema {
                path: db.shown(),
                found: version,
                supported: pg::PG_LATEST_VERSION,
            });
        }
        if version < pg::PG_LATEST_VERSION {
            db.migrate()?;
        }
        db.listen()?;
        let shown = PathBuf::from(db.shown());
        Ok(Store::with(Conn::Postgres(Box::new(db)), shown, None))
    }

    /// Create kaden's schema at `url` (or bring it up to date). Refused, with nothing changed,
    /// when the database holds tables that are not kaden's. Returns the store and whether the
    /// schema was new.
    pub fn init_postgres(url: &str) -> Result<(Store, bool)> {
        let db = PgDb::connect(url)?;
        let version = db.schema_version()?;
        if version == 0 {
            let foreign = db.foreign_tables()?;
            if !foreign.is_empty() {
                return Err(StoreError::Invalid(format!(
                    "{} already holds tables that are not kaden's ({}); nothing was changed — give kaden a database of its own",
                    db.shown(),
                    foreign.join(", ")
                )));
            }
        }
        if version > pg::PG_LATEST_VERSION {
            return Err(StoreError::NewerSchema {
                path: db.shown(),
                found: version,
                supported: pg::PG_LATEST_VERSION,
            });
        }
        db.migrate()?;
        db.listen()?;
        let shown = PathBuf::from(db.shown());
        Ok((
            Store::with(Conn::Postgres(Box::new(db)), shown, None),
            version == 0,
        ))
    }

    /// How many times the connection to the server was reopened (0 on SQLite).
    pub fn reconnects(&self) -> u32 {
        match &self.conn {
            Conn::Postgres(pg) => pg.reconnects(),
            Conn::Sqlite(_) => 0,
        }
    }

    /// Reopen a dropped connection (PostgreSQL); `Ok(true)` when it was reopened.
    pub fn revive(&self) -> Result<bool> {
        match &self.conn {
            Conn::Postgres(pg) => pg.revive(),
            Conn::Sqlite(_) => Ok(false),
        }
    }

    /// Whether another connection (another rep, `kaden log`) wrote since the last call: SQLite's
    /// `data_version`, PostgreSQL's `NOTIFY kaden`. Never blocks; the first call says `false`.
    pub fn others_changed(&self) -> Result<bool> {
        match &self.conn {
            Conn::Sqlite(c) => {
                let v: i64 = c.query_row("PRAGMA data_version", [], |r| r.get(0))?;
                let seen = self.seen_version.replace(v);
                Ok(seen >= 0 && seen != v)
            }
            Conn::Postgres(pg) => {
                if pg.is_closed() {
                    return Ok(false);
                }
                pg.notified()
            }
        }
    }

    /// Copy this (SQLite) database into `target` (an empty kaden database on PostgreSQL) in one
    /// transaction of the target: every table, ids kept. Refuses a target that already has
    /// leads, companies or activities. Returns the rows of each table on both sides.
    pub fn move_into(&self, target: &mut Store) -> Result<Vec<Moved>> {
        if self.db().engine() != EngineKind::Sqlite {
            return Err(StoreError::Invalid(
                "team move copies from an SQLite file (--from FILE)".into(),
            ));
        }
        for t in ["companies", "leads", "activities"] {
            let n: i64 = target
                .db()
                .value(&format!("SELECT count(*) FROM {t}"), params![])?;
            if n > 0 {
                return Err(StoreError::Invalid(format!(
                    "{} is not empty ({n} rows in {t}); nothing was copied — team move only fills a new database",
                    target.path().display()
                )));
            }
        }
        let mut plan = Vec::new();
        for &t in TABLES {
            let cols: Vec<String> = self
                .sqlite()?
                .prepare(&format!("SELECT * FROM {t} LIMIT 0"))?
                .column_names()
                .iter()
                .map(|c| (*c).to_string())
                .collect();
            plan.push((t, cols));
        }
        target.tx(|db| {
            let mut moved = Vec::new();
            for (t, cols) in &plan {
                let list = cols.join(", ");
                let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
                let conflict = if *t == "meta" {
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                } else {
                    ""
                };
                let insert = format!(
                    "INSERT INTO {t} ({list}) VALUES ({}){conflict}",
                    marks.join(", ")
                );
                let mut from = 0i64;
                self.db().each(
                    &format!("SELECT {list} FROM {t} ORDER BY 1"),
                    params![],
                    &mut |r| {
                        let mut vals: Vec<Value<'static>> = Vec::with_capacity(cols.len());
                        for i in 0..cols.len() {
                            vals.push(match r.col(i)? {
                                Col::Null => Value::Null,
                                Col::Int(n) => Value::Int(n),
                                Col::Real(x) => Value::Real(x),
                                Col::Text(s) => Value::Text(Cow::Owned(s.to_string())),
                            });
                        }
                        db.execute(&insert, &vals)?;
                        from += 1;
                        Ok(())
                    },
                )?;
                let to: i64 = db.value(&format!("SELECT count(*) FROM {t}"), params![])?;
                moved.push(Moved { table: t, from, to });
            }
            fix_sequences(db)?;
            Ok(moved)
        })
    }
}

/// After rows were written with their own ids (a move, a bulk load): each identity column's
/// next value is past the largest id (PostgreSQL; SQLite needs nothing).
pub(crate) fn fix_sequences(db: &dyn super::sql::Db) -> Result<()> {
    if db.engine() != EngineKind::Postgres {
        return Ok(());
    }
    for t in ["companies", "leads", "activities", "appointments"] {
        db.batch(&format!(
            "SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT max(id) FROM {t}), 0) + 1, false)"
        ))?;
    }
    Ok(())
}

/// `kaden doctor` on a PostgreSQL database: the server, the schema, counts, and the claims
/// (live ones, and leases that ran out without a release — reps whose kaden died).
pub fn checkup_postgres(
    store: &Store,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<super::Checkup> {
    use super::{Check, Checkup, Counts, Level};
    let db = store.db();
    let mut checks = Vec::new();
    let server: String = db.value("SELECT version()", params![])?;
    checks.push(Check::ok(
        "server",
        server.split(',').next().unwrap_or(&server).to_string(),
    ));
    let version = store.schema_version()?;
    let latest = pg::PG_LATEST_VERSION;
    checks.push(if version == latest {
        Check::ok("schema", format!("version {version} (current)"))
    } else {
        Check::bad(
            "schema",
            Level::Warn,
            format!("version {version} of {latest}"),
            "it is brought up to date the next time kaden opens it",
        )
    });
    let tls: bool = db
        .value(
            "SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
            params![],
        )
        .unwrap_or(false);
    checks.push(if tls {
        Check::ok("connection", "encrypted (TLS)")
    } else {
        Check::bad(
            "connection",
            Level::Warn,
            "not encrypted",
            "across a network, add ?sslmode=require (or verify-full) to the URL",
        )
    });
    let t = super::ts(now);
    let live: i64 = db.value(
        "SELECT count(*) FROM leads WHERE claimed_by IS NOT NULL AND claimed_until > ?1",
        params![t],
    )?;
    let stale: i64 = db.value(
        "SELECT count(*) FROM leads WHERE claimed_by IS NOT NULL AND claimed_until <= ?1",
        params![t],
    )?;
    checks.push(Check::ok(
        "claims",
        format!("{live} lead(s) being worked now; {stale} lapsed claim(s) (back in every queue)"),
    ));
    let by: Vec<(String, i64)> = db.rows(
        "SELECT status, count(*) FROM leads GROUP BY status ORDER BY status",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let one = |sql: &str| -> Result<i64> { db.value(sql, params![]) };
    let counts = Counts {
        leads: by.iter().map(|(_, n)| n).sum(),
        leads_by_status: by,
        companies: one("SELECT count(*) FROM companies")?,
        activities: one("SELECT count(*) FROM activities")?,
        appointments: one("SELECT count(*) FROM appointments")?,
    };
    let bytes: i64 = one("SELECT pg_database_size(current_database())")?;
    Ok(Checkup {
        path: store.path().to_path_buf(),
        schema_version: version,
        file_bytes: u64::try_from(bytes).unwrap_or(0),
        wal_bytes: 0,
        counts: Some(counts),
        checks,
    })
}

impl Store {
    /// Refresh the planner's statistics after a large load (`ANALYZE`).
    pub fn db_analyze(&self) -> Result<()> {
        self.db().batch("ANALYZE")
    }
}
