//! The engines the contract runs on, and what each test is given: a [`Fixture`] with a store on
//! a new, empty database of its own, the test config, and an engine-aware raw-SQL handle for the
//! few assertions that must look at a row directly (portable SQL only: `?N` placeholders, no
//! engine's own functions).
//!
//! Adding an engine: a type implementing [`Engine`] here (its `fresh` makes a new database and
//! a [`Raw`] on it) and one line in the `contract!` call in `main.rs`.

use chrono::{DateTime, Utc};
use kaden::config::Config;
use kaden::domain::LeadStatus;
use kaden::store::{NewLead, QueueQuery, QueueRow, Store};
use std::path::PathBuf;

/// An engine the store runs on.
pub trait Engine {
    /// A store on a new, empty database that belongs to one test; `None` when the engine's
    /// server is not there (the skip is said once; under `CI` it fails instead).
    fn fresh(&self) -> Option<Fixture>;
}

/// What a contract test gets.
pub struct Fixture {
    pub store: Store,
    /// [`crate::support::config`] unless the test sets its own.
    pub cfg: Config,
    pub raw: Box<dyn Raw>,
}

/// A column value read or written by [`Raw`].
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Val {
    pub fn int(&self) -> i64 {
        match self {
            Val::Int(n) => *n,
            other => panic!("not an integer: {other:?}"),
        }
    }
    pub fn real(&self) -> f64 {
        match self {
            Val::Real(x) => *x,
            Val::Int(n) => *n as f64,
            other => panic!("not a number: {other:?}"),
        }
    }
    pub fn text(&self) -> String {
        match self {
            Val::Text(s) => s.clone(),
            other => panic!("not text: {other:?}"),
        }
    }
    pub fn opt_text(&self) -> Option<String> {
        match self {
            Val::Null => None,
            other => Some(other.text()),
        }
    }
}

impl From<i64> for Val {
    fn from(n: i64) -> Val {
        Val::Int(n)
    }
}
impl From<&str> for Val {
    fn from(s: &str) -> Val {
        Val::Text(s.into())
    }
}
impl From<String> for Val {
    fn from(s: String) -> Val {
        Val::Text(s)
    }
}
impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map_or(Val::Null, Into::into)
    }
}

/// Parameters for [`Raw`]: `vals![a, b]`.
#[macro_export]
macro_rules! vals {
    ($($v:expr),* $(,)?) => { &[$($crate::engine::Val::from($v)),*][..] };
}

/// Direct access to the test's database, beside the store.
pub trait Raw {
    /// Run one statement; the rows it changed.
    fn execute(&self, sql: &str, params: &[Val]) -> usize;
    /// Run one statement that may fail: the engine's error as text.
    fn try_execute(&self, sql: &str, params: &[Val]) -> Result<usize, String>;
    /// Run one statement once per parameter list, all in one transaction.
    fn execute_all(&self, sql: &str, params: &[Vec<Val>]);
    /// The rows of a query.
    fn rows(&self, sql: &str, params: &[Val]) -> Vec<Vec<Val>>;
    /// From now on, any UPDATE of a lead's `status` fails inside the engine (a trigger): a
    /// step that fails in the middle of a write transaction.
    fn fail_status_updates(&self);
    /// A second store on the same database (another rep's kaden).
    fn reopen(&self) -> Store;
}

impl Fixture {
    /// Insert a lead with the fixture's config; its id.
    pub fn add(&mut self, l: &NewLead) -> i64 {
        self.store.insert_lead(l, &self.cfg).unwrap()
    }

    /// The queue at `now` (up to 100 rows), narrowed by `filter`.
    pub fn queue(&self, now: DateTime<Utc>, filter: Option<&str>) -> Vec<QueueRow> {
        self.queue_with(&self.cfg, now, filter)
    }

    /// The queue at `now` under `cfg` (up to 100 rows), narrowed by `filter`.
    pub fn queue_with(
        &self,
        cfg: &Config,
        now: DateTime<Utc>,
        filter: Option<&str>,
    ) -> Vec<QueueRow> {
        let q = QueueQuery {
            now,
            cfg,
            limit: 100,
            filter,
            owner: None,
        };
        self.store.queue(&q).unwrap()
    }

    /// The ids of the queue at `now`, in order.
    pub fn queue_ids(&self, now: DateTime<Utc>) -> Vec<i64> {
        ids(&self.queue(now, None))
    }

    /// The ids of the queue at `now` under `cfg`, in order.
    pub fn queue_ids_with(&self, cfg: &Config, now: DateTime<Utc>) -> Vec<i64> {
        ids(&self.queue_with(cfg, now, None))
    }

    /// The one value of a query (a count, a column of one row).
    pub fn one(&self, sql: &str, params: &[Val]) -> Val {
        let rows = self.raw.rows(sql, params);
        assert_eq!(rows.len(), 1, "{sql}: {rows:?}");
        rows[0][0].clone()
    }

    /// `SELECT count(*) FROM table`.
    pub fn count(&self, table: &str) -> i64 {
        self.one(&format!("SELECT count(*) FROM {table}"), &[])
            .int()
    }

    /// A touch written directly (no status change): for building activity sets quickly.
    pub fn touch(&self, lead: i64, at: &str, channel: &str, result: Option<&str>, rep: &str) {
        self.raw.execute(
            "INSERT INTO activities (lead_id, at, kind, channel, result, rep) VALUES (?1, ?2, 'touch', ?3, ?4, ?5)",
            crate::vals![lead, kaden::store::ts(crate::support::at(at)), channel, result, rep],
        );
    }

    /// The lead's status as stored.
    pub fn status(&self, id: i64) -> LeadStatus {
        self.store.lead(id).unwrap().status
    }
}

/// The ids of queue rows, in order.
pub fn ids(rows: &[QueueRow]) -> Vec<i64> {
    rows.iter().map(|r| r.id).collect()
}

/// The embedded engine: a file in a temp dir.
pub struct Sqlite;

impl Engine for Sqlite {
    fn fresh(&self) -> Option<Fixture> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kaden.db");
        let store = Store::open(&path).unwrap();
        Some(Fixture {
            store,
            cfg: crate::support::config(),
            raw: Box::new(SqliteRaw { _dir: dir, path }),
        })
    }
}

/// The team engine: a schema of its own on the test PostgreSQL server.
pub struct Postgres;

impl Engine for Postgres {
    fn fresh(&self) -> Option<Fixture> {
        let schema = crate::support::pg::PgSchema::init()?;
        let store = Store::open_postgres(&schema.url).unwrap();
        let client = std::cell::RefCell::new(schema.client());
        Some(Fixture {
            store,
            cfg: crate::support::config(),
            raw: Box::new(PgRaw {
                client,
                _schema: schema,
            }),
        })
    }
}

struct PgRaw {
    client: std::cell::RefCell<postgres::Client>,
    _schema: crate::support::pg::PgSchema,
}

fn to_pg(v: &Val) -> crate::support::pg::PgVal {
    use crate::support::pg::PgVal;
    match v {
        Val::Null => PgVal::Null,
        Val::Int(n) => PgVal::Int(*n),
        Val::Real(x) => PgVal::Real(*x),
        Val::Text(s) => PgVal::Text(s.clone()),
    }
}

impl Raw for PgRaw {
    fn execute(&self, sql: &str, params: &[Val]) -> usize {
        let p: Vec<_> = params.iter().map(to_pg).collect();
        crate::support::pg::execute(&mut self.client.borrow_mut(), sql, &p) as usize
    }

    fn try_execute(&self, sql: &str, params: &[Val]) -> Result<usize, String> {
        let p: Vec<_> = params.iter().map(to_pg).collect();
        crate::support::pg::try_execute(&mut self.client.borrow_mut(), sql, &p).map(|n| n as usize)
    }

    fn execute_all(&self, sql: &str, params: &[Vec<Val>]) {
        let mut c = self.client.borrow_mut();
        c.batch_execute("BEGIN").unwrap();
        for ps in params {
            let p: Vec<_> = ps.iter().map(to_pg).collect();
            crate::support::pg::execute(&mut c, sql, &p);
        }
        c.batch_execute("COMMIT").unwrap();
    }

    fn rows(&self, sql: &str, params: &[Val]) -> Vec<Vec<Val>> {
        use crate::support::pg::PgVal;
        let p: Vec<_> = params.iter().map(to_pg).collect();
        crate::support::pg::rows(&mut self.client.borrow_mut(), sql, &p)
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|v| match v {
                        PgVal::Null => Val::Null,
                        PgVal::Int(n) => Val::Int(n),
                        PgVal::Real(x) => Val::Real(x),
                        PgVal::Text(s) => Val::Text(s),
                    })
                    .collect()
            })
            .collect()
    }

    fn fail_status_updates(&self) {
        self.client
            .borrow_mut()
            .batch_execute(
                "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$;
                 CREATE TRIGGER boom BEFORE UPDATE OF status ON leads FOR EACH ROW EXECUTE FUNCTION boom();",
            )
            .unwrap();
    }

    fn reopen(&self) -> Store {
        Store::open_postgres(&self._schema.url).unwrap()
    }
}

struct SqliteRaw {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl SqliteRaw {
    fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.path).unwrap()
    }
}

fn to_sql(v: &Val) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    match v {
        Val::Null => Value::Null,
        Val::Int(n) => Value::Integer(*n),
        Val::Real(x) => Value::Real(*x),
        Val::Text(s) => Value::Text(s.clone()),
    }
}

impl Raw for SqliteRaw {
    fn execute(&self, sql: &str, params: &[Val]) -> usize {
        let params: Vec<_> = params.iter().map(to_sql).collect();
        self.conn()
            .execute(sql, rusqlite::params_from_iter(params))
            .unwrap()
    }

    fn try_execute(&self, sql: &str, params: &[Val]) -> Result<usize, String> {
        let params: Vec<_> = params.iter().map(to_sql).collect();
        self.conn()
            .execute(sql, rusqlite::params_from_iter(params))
            .map_err(|e| e.to_string())
    }

    fn execute_all(&self, sql: &str, params: &[Vec<Val>]) {
        let mut c = self.conn();
        let tx = c.transaction().unwrap();
        {
            let mut st = tx.prepare(sql).unwrap();
            for p in params {
                st.execute(rusqlite::params_from_iter(p.iter().map(to_sql)))
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    }

    fn rows(&self, sql: &str, params: &[Val]) -> Vec<Vec<Val>> {
        use rusqlite::types::ValueRef;
        let params: Vec<_> = params.iter().map(to_sql).collect();
        let c = self.conn();
        let mut st = c.prepare(sql).unwrap();
        let n = st.column_count();
        st.query_map(rusqlite::params_from_iter(params), |r| {
            Ok((0..n)
                .map(|i| match r.get_ref(i).unwrap() {
                    ValueRef::Null => Val::Null,
                    ValueRef::Integer(x) => Val::Int(x),
                    ValueRef::Real(x) => Val::Real(x),
                    ValueRef::Text(t) => Val::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => panic!("{sql}: a blob"),
                })
                .collect())
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    fn fail_status_updates(&self) {
        self.conn()
            .execute_batch(
                "CREATE TRIGGER boom BEFORE UPDATE OF status ON leads BEGIN SELECT RAISE(ABORT, 'boom'); END;",
            )
            .unwrap();
    }

    fn reopen(&self) -> Store {
        Store::open(&self.path).unwrap()
    }
}
