//! The portable SQL layer under every store method: one way to run a statement on either
//! engine. Statements are written once, in the subset of SQL that SQLite and PostgreSQL share
//! (numbered `?N` placeholders, `ON CONFLICT … DO UPDATE`, `RETURNING`, `IS NOT DISTINCT FROM`,
//! `CAST(… AS BIGINT)`), and run through [`Db`]; the PostgreSQL side rewrites `?N` to `$N`.
//! Parameters are [`Value`]s (borrowed where they can be) and columns are read with
//! [`Row::get`] into plain Rust types, whatever the engine's own column types are.

use super::{Result, StoreError};
use chrono::{DateTime, Utc};
use std::borrow::Cow;

/// Which engine a [`Db`] runs on: for the few statements whose text must differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Sqlite,
    Postgres,
}

/// One statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::Text(Cow::Owned(s))
    }
}

impl From<i64> for Value<'_> {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

/// Anything that can be a parameter (see [`params!`](crate::params)).
pub trait ToValue {
    fn to_value(&self) -> Value<'_>;
}

impl ToValue for Value<'_> {
    fn to_value(&self) -> Value<'_> {
        match self {
            Value::Null => Value::Null,
            Value::Int(n) => Value::Int(*n),
            Value::Real(x) => Value::Real(*x),
            Value::Text(s) => Value::Text(Cow::Borrowed(s)),
        }
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self.as_str()))
    }
}

impl ToValue for Cow<'_, str> {
    fn to_value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl ToValue for char {
    fn to_value(&self) -> Value<'_> {
        Value::Text(Cow::Owned(self.to_string()))
    }
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value<'_> {
                // Every integer kaden stores fits an i64; a larger one (u64/usize past i64::MAX)
                // saturates rather than wrapping to a negative number.
                Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_value!(i64, i32, i16, u8, u16, u32, u64, usize);

impl ToValue for DateTime<Utc> {
    fn to_value(&self) -> Value<'_> {
        Value::Text(Cow::Owned(super::ts(*self)))
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value<'_> {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

/// The parameters of one statement: `params![a, b, c]` borrows each value (like rusqlite's).
macro_rules! params {
    () => {
        &[] as &[$crate::store::sql::Value<'_>]
    };
    ($($x:expr),+ $(,)?) => {
        &[$($crate::store::sql::ToValue::to_value(&$x)),+] as &[$crate::store::sql::Value<'_>]
    };
}
pub(crate) use params;

/// One column value as an engine returned it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Col<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
}

/// A result row of either engine.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Pg(&'r postgres::Row),
}

impl Row<'_> {
    /// Column `i` as a `T`.
    pub fn get<T: FromCol>(&self, i: usize) -> Result<T> {
        T::from_col(self.col(i)?).map_err(|what| StoreError::Column { index: i, what })
    }

    /// Column `i` as the engine returned it.
    pub fn col(&self, i: usize) -> Result<Col<'_>> {
        match self {
            Row::Sqlite(r) => {
                use rusqlite::types::ValueRef;
                Ok(match r.get_ref(i)? {
                    ValueRef::Null => Col::Null,
                    ValueRef::Integer(n) => Col::Int(n),
                    ValueRef::Real(x) => Col::Real(x),
                    ValueRef::Text(b) => {
                        Col::Text(std::str::from_utf8(b).map_err(|_| StoreError::Column {
                            index: i,
                            what: "text that is not UTF-8",
                        })?)
                    }
                    ValueRef::Blob(_) => {
                        return Err(StoreError::Column {
                            index: i,
                            what: "a blob",
                        });
                    }
                })
            }
            Row::Pg(r) => r
                .try_get::<_, super::pg::PgCol<'_>>(i)
                .map(|c| c.0)
                .map_err(|_| StoreError::Column {
                    index: i,
                    what: "a column kaden cannot read",
                }),
        }
    }
}

/// A Rust type a column can be read into.
pub trait FromCol: Sized {
    /// The value, or what was wrong with it.
    fn from_col(c: Col<'_>) -> std::result::Result<Self, &'static str>;
}

impl FromCol for i64 {
    fn from_col(c: Col<'_>) -> std::result::Result<Self, &'static str> {
        match c {
            Col::Int(n) => Ok(n),
            Col::Null => Err("NULL where a number was expected"),
            _ => Err("not an integer"),
        }
    }
}

macro_rules! int_col {
    ($($t:ty),*) => {$(
        impl FromCol for $t {
            fn from_col(c: Col<'_>) -> std::result::Result<Self, &'static str> {
                <$t>::try_from(i64::from_col(c)?).map_err(|_| "integer out of range")
            }
        }
    )*};
}
int_col!(i32, u8, u32, u64, usize);

impl FromCol for f64 {
    fn from_col(c: Col<'_>) -> std::result::Result<Self, &'static str> {
        match c {
            Col::Real(x) => Ok(x),
            Col::Int(n) => Ok(n as f64),
            Col::Null => Err("NULL where a number was expected"),
            Col::Text(_) => Err("text where a number was expected"),
        }
    }
}

impl FromCol for bool {
    fn from_col(c: Col<'_>) -> std::result::Result<Self, &'static str> {
        Ok(i64::from_col(c)? != 0)
    }
}

impl FromCol for String {
    fn from_col(c: Col<'_>) -> std::result::Result<Self, &'static str> {
        match c {
            Col::Text(s) => Ok(s.to_string()),
            Col::Null => Err("NULL where text was expected"),
            _ => Err("a number where text was expected"),
        }
    }
}

impl FromCol for DateTime<Utc> {
    fn from_col(c: Col<'_>) -> std::result::Result<Self, &'static str> {
        match c {
            Col::Text(s) => super::parse_ts(s).ok_or("not a stored time"),
            Col::Null => Err("NULL where a time was expected"),
            _ => Err("a number where a time was expected"),
        }
    }
}

impl<T: FromCol> FromCol for Option<T> {
    fn from_col(c: Col<'_>) -> std::result::Result<Self, &'static str> {
        match c {
            Col::Null => Ok(None),
            c => T::from_col(c).map(Some),
        }
    }
}

/// A column holding one of the vocabulary's text keys (`LeadStatus`, `Channel`, …).
pub struct Key<T>(pub T);

impl<T: std::str::FromStr> FromCol for Key<T> {
    fn from_col(c: Col<'_>) -> std::result::Result<Self, &'static str> {
        match c {
            Col::Text(s) => s.parse().map(Key).map_err(|_| "an unknown key"),
            Col::Null => Err("NULL where a key was expected"),
            _ => Err("a number where a key was expected"),
        }
    }
}

/// A connection or an open transaction of either engine.
pub trait Db {
    fn engine(&self) -> EngineKind;
    /// Run one statement; the number of rows it changed.
    fn execute(&self, sql: &str, params: &[Value<'_>]) -> Result<u64>;
    /// Run a query, calling `f` on each row in order.
    fn each(
        &self,
        sql: &str,
        params: &[Value<'_>],
        f: &mut dyn FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()>;
    /// Run statements without parameters (DDL, engine settings).
    fn batch(&self, sql: &str) -> Result<()>;
}

/// Conveniences over [`Db::each`].
pub trait DbExt: Db {
    /// Every row, mapped.
    fn rows<T>(
        &self,
        sql: &str,
        params: &[Value<'_>],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params, &mut |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row, if any.
    fn opt<T>(
        &self,
        sql: &str,
        params: &[Value<'_>],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.each(sql, params, &mut |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// Exactly the first row (an error when there is none).
    fn one<T>(
        &self,
        sql: &str,
        params: &[Value<'_>],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.opt(sql, params, f)?.ok_or(StoreError::NoRow)
    }

    /// The first column of the first row.
    fn value<T: FromCol>(&self, sql: &str, params: &[Value<'_>]) -> Result<T> {
        self.one(sql, params, |r| r.get(0))
    }
}

impl<D: Db + ?Sized> DbExt for D {}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(n) => ValueRef::Integer(*n),
            Value::Real(x) => ValueRef::Real(*x),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

impl Db for rusqlite::Connection {
    fn engine(&self) -> EngineKind {
        EngineKind::Sqlite
    }

    fn execute(&self, sql: &str, params: &[Value<'_>]) -> Result<u64> {
        let mut st = self.prepare_cached(sql)?;
        Ok(st.execute(rusqlite::params_from_iter(params.iter()))? as u64)
    }

    fn each(
        &self,
        sql: &str,
        params: &[Value<'_>],
        f: &mut dyn FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.prepare_cached(sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
        while let Some(r) = rows.next()? {
            f(&Row::Sqlite(r))?;
        }
        Ok(())
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.execute_batch(sql)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_round_trips_every_value_kind() {
        let c = rusqlite::Connection::open_in_memory().expect("open");
        Db::batch(&c, "CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT)").expect("ddl");
        let none: Option<&str> = None;
        let now = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+09:00")
            .expect("t")
            .with_timezone(&Utc);
        Db::execute(
            &c,
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4)",
            params![7u32, 2.5, now, none],
        )
        .expect("insert");
        let got: (u32, f64, DateTime<Utc>, Option<String>) = c
            .one("SELECT i, r, s, n FROM t", params![], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .expect("row");
        assert_eq!(got, (7, 2.5, now, None));
        assert!(matches!(
            c.one("SELECT s FROM t WHERE i = 8", params![], |r| r
                .get::<String>(0)),
            Err(StoreError::NoRow)
        ));
        assert!(matches!(
            c.value::<i64>("SELECT s FROM t", params![]),
            Err(StoreError::Column { index: 0, .. })
        ));
    }
}
