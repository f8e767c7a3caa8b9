//! Raw reads of a database file, for the assertions that must look at the file itself (tests
//! only; kaden itself reaches its tables through the store).

use std::path::{Path, PathBuf};

fn open(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

/// Rows of a query, each column as text (NULL as "", blobs as "<blob>").
pub fn rows(path: &Path, sql: &str) -> Vec<Vec<String>> {
    let c = open(path);
    let mut st = c.prepare(sql).unwrap();
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

/// The first column of the first row of `sql`, an integer (a count).
pub fn count(path: &Path, sql: &str) -> i64 {
    open(path).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The first column of the first row of `sql` with `params`, as `T`.
pub fn one<T: rusqlite::types::FromSql>(
    path: &Path,
    sql: &str,
    params: impl rusqlite::Params,
) -> T {
    open(path).query_row(sql, params, |r| r.get(0)).unwrap()
}

/// Run statements on the file (another program writing to it).
pub fn batch(path: &Path, sql: &str) {
    open(path).execute_batch(sql).unwrap();
}

/// `PRAGMA integrity_check`, its lines joined ("ok" when healthy).
pub fn integrity(path: &Path) -> String {
    rows(path, "PRAGMA integrity_check")
        .into_iter()
        .map(|r| r.join(""))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `db` + `suffix` (`-wal`, `-shm`, `-journal`).
pub fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    kaden::store::sidecar(db, suffix)
}

/// The database's bytes followed by its `-wal`'s, if any: what must stay byte-identical when a
/// command refuses to write.
pub fn bytes(db: &Path) -> Vec<u8> {
    let mut b = std::fs::read(db).unwrap_or_default();
    if let Ok(w) = std::fs::read(sidecar(db, "-wal")) {
        b.extend(w);
    }
    b
}

/// A whole file, to compare byte for byte.
pub fn content(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

/// A file's permission bits.
#[cfg(unix)]
pub fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}
