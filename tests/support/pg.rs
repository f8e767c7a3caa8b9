//! A real PostgreSQL server for the team-mode tests: each test gets a schema of its own (dropped
//! afterwards) on the server named by `KADEN_TEST_PG` (default: the local server at
//! 127.0.0.1:5432, database `test`, trust auth). Without a server the PostgreSQL tests are
//! skipped with one line saying why — except under `CI`, where they fail instead.

use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls};
use std::sync::Once;

/// The server's URL (without a schema).
pub fn base_url() -> String {
    std::env::var("KADEN_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

static SKIPPED: Once = Once::new();

/// An admin connection to the test server, or `None` (with the one-line skip notice) when
/// there is none and `CI` is not set.
pub fn admin() -> Option<Client> {
    match Client::connect(&base_url(), NoTls) {
        Ok(c) => Some(c),
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "CI is set but the PostgreSQL test server at {} is not reachable: {e}",
                    base_url()
                );
            }
            SKIPPED.call_once(|| {
                eprintln!(
                    "kaden tests: PostgreSQL tests skipped: no server at {} ({e}); set KADEN_TEST_PG=postgres://… to run them",
                    base_url()
                );
            });
            None
        }
    }
}

/// A schema of one test on the test server: `url` opens kaden on it. Dropped with the value.
pub struct PgSchema {
    pub url: String,
    pub name: String,
}

impl PgSchema {
    /// A new, empty schema, or `None` when there is no server (see [`admin`]).
    pub fn new() -> Option<PgSchema> {
        let mut c = admin()?;
        let name = format!(
            "kt_{}_{:x}",
            std::process::id(),
            rand_u64() & 0xffff_ffff_ffff
        );
        c.batch_execute(&format!("CREATE SCHEMA {name}")).unwrap();
        let base = base_url();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{name}");
        Some(PgSchema { url, name })
    }

    /// A new schema with kaden's tables in it (`kaden team init`).
    pub fn init() -> Option<PgSchema> {
        let s = PgSchema::new()?;
        kaden::store::Store::init_postgres(&s.url).unwrap();
        Some(s)
    }

    /// A plain client on the schema.
    pub fn client(&self) -> Client {
        Client::connect(&self.url, NoTls).unwrap()
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&base_url(), NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}

/// A parameter bound by the type the server wants (as kaden's own PostgreSQL layer does).
#[derive(Debug, Clone, PartialEq)]
pub enum PgVal {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl ToSql for PgVal {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            PgVal::Null => Ok(IsNull::Yes),
            PgVal::Int(n) => match *ty {
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => n.to_string().to_sql(ty, out),
                _ => n.to_sql(ty, out),
            },
            PgVal::Real(x) => x.to_sql(ty, out),
            PgVal::Text(s) => s.as_str().to_sql(ty, out),
        }
    }
    fn accepts(_: &Type) -> bool {
        true
    }
    to_sql_checked!();
}

impl<'a> FromSql<'a> for PgVal {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(match *ty {
            Type::INT8 => PgVal::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => PgVal::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => PgVal::Int(i16::from_sql(ty, raw)?.into()),
            Type::BOOL => PgVal::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => PgVal::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => PgVal::Real(f32::from_sql(ty, raw)?.into()),
            Type::NUMERIC => {
                return Err("numeric: cast to bigint or double precision in the test's SQL".into());
            }
            _ => PgVal::Text(<&str>::from_sql(&Type::TEXT, raw)?.to_string()),
        })
    }
    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(PgVal::Null)
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Run `sql` (kaden's `?N` placeholders) with `params` on `c`; the rows changed.
pub fn execute(c: &mut Client, sql: &str, params: &[PgVal]) -> u64 {
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    c.execute(&kaden::store::pg::placeholders(sql) as &str, &refs)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Run `sql` with `params` on `c`; the server's error as text.
pub fn try_execute(c: &mut Client, sql: &str, params: &[PgVal]) -> Result<u64, String> {
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    c.execute(&kaden::store::pg::placeholders(sql) as &str, &refs)
        .map_err(|e| e.to_string())
}

/// The rows of `sql` with `params` on `c`.
pub fn rows(c: &mut Client, sql: &str, params: &[PgVal]) -> Vec<Vec<PgVal>> {
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    c.query(&kaden::store::pg::placeholders(sql) as &str, &refs)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| (0..r.len()).map(|i| r.get::<_, PgVal>(i)).collect())
        .collect()
}
