//! Looking after the file: the health check behind `kaden doctor`, on a read-only connection
//! (see `open.rs`) that never creates, migrates or checkpoints.

use super::{LATEST_VERSION, Result, Store};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// A companion file of the database (`-wal`, `-shm`).
pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// The names of the queue's indexes; without them the queue is a full scan.
pub const QUEUE_INDEXES: &[&str] = &["leads_queue", "leads_due", "leads_new"];

/// A WAL larger than this means checkpoints are not keeping up (a reader held open for days).
pub const WAL_WARN_BYTES: u64 = 64 * 1024 * 1024;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Level {
    Ok,
    /// Worth knowing, not wrong.
    Warn,
    /// Something is wrong: `doctor` exits non-zero.
    Fail,
}

/// One line of the doctor's report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Check {
    /// What was checked ("integrity", "permissions", …).
    pub name: &'static str,
    pub level: Level,
    /// What was found.
    pub detail: String,
    /// What to do about it, when something is wrong.
    pub fix: Option<String>,
}

impl Check {
    pub(crate) fn ok(name: &'static str, detail: impl Into<String>) -> Check {
        Check {
            name,
            level: Level::Ok,
            detail: detail.into(),
            fix: None,
        }
    }
    pub(crate) fn bad(
        name: &'static str,
        level: Level,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Check {
        Check {
            name,
            level,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// Leads by status, and the other rows.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Counts {
    pub leads_by_status: Vec<(String, i64)>,
    pub leads: i64,
    pub companies: i64,
    pub activities: i64,
    pub appointments: i64,
}

/// The doctor's findings for one database.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Checkup {
    pub path: PathBuf,
    pub schema_version: i64,
    pub file_bytes: u64,
    pub wal_bytes: u64,
    pub counts: Option<Counts>,
    pub checks: Vec<Check>,
}

impl Checkup {
    /// The worst level found.
    pub fn level(&self) -> Level {
        self.checks
            .iter()
            .map(|c| c.level)
            .max()
            .unwrap_or(Level::Ok)
    }
}

#[cfg(unix)]
fn mode_of(p: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn mode_of(_p: &Path) -> Option<u32> {
    None
}

/// File modes that are looser than owner-only, as checks with the `chmod` that fixes them.
fn permission_checks(path: &Path) -> Vec<Check> {
    let mut out = Vec::new();
    let mut found = Vec::new();
    let mut fixes = Vec::new();
    let mut files = vec![path.to_path_buf()];
    files.extend(["-wal", "-shm"].iter().map(|s| sidecar(path, s)));
    for f in &files {
        if let Some(m) = mode_of(f)
            && m & 0o077 != 0
        {
            fixes.push(format!("chmod 600 {}", shell_quote(f)));
            found.push(format!("{} is {m:03o}", f.display()));
        }
    }
    if let Some(m) = mode_of(path)
        && m & 0o200 == 0
    {
        fixes.push(format!("chmod 600 {}", shell_quote(path)));
        found.push(format!(
            "{} is read-only ({m:03o}): kaden cannot record",
            path.display()
        ));
    }
    fixes.dedup();
    if !found.is_empty() {
        out.push(Check::bad(
            "permissions",
            Level::Fail,
            found.join("; "),
            fixes.join(" && "),
        ));
    }
    // The files protect the data; a readable directory only shows their names: a warning.
    // The directory is the one that really holds the file: "." for a bare name, the target's
    // for a symbolic link.
    let dir = super::real_dir(path);
    if let Some(m) = mode_of(&dir)
        && m & 0o077 != 0
    {
        out.push(Check::bad(
            "directory",
            Level::Warn,
            format!(
                "{} is {m:03o} (kaden creates its directory 700)",
                dir.display()
            ),
            format!("chmod 700 {}", shell_quote(&dir)),
        ));
    }
    if out.is_empty() {
        out.push(Check::ok(
            "permissions",
            "owner-only (database 600, directory 700)",
        ));
    } else if found.is_empty() {
        out.insert(
            0,
            Check::ok("permissions", "database files owner-only (600)"),
        );
    }
    out
}

fn shell_quote(p: &Path) -> String {
    let s = p.display().to_string();
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

pub(crate) fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

fn counts(conn: &Connection) -> rusqlite::Result<Counts> {
    let one = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    let mut st =
        conn.prepare("SELECT status, count(*) FROM leads GROUP BY status ORDER BY status")?;
    let by = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Counts {
        leads: by.iter().map(|(_, n)| n).sum(),
        leads_by_status: by,
        companies: one("SELECT count(*) FROM companies")?,
        activities: one("SELECT count(*) FROM activities")?,
        appointments: one("SELECT count(*) FROM appointments")?,
    })
}

/// Look the database at `path` over without changing it: integrity, foreign keys, schema
/// version, counts, file permissions, WAL size, the queue's indexes.
pub fn checkup(path: &Path) -> Result<Checkup> {
    // Permissions first, as found, before our own connection creates -wal/-shm.
    let mut checks = permission_checks(path);
    let store = Store::open_read_only(path)?;
    let conn = store.sqlite()?;
    let version = store.schema_version()?;
    let q = shell_quote(path);
    if version > LATEST_VERSION {
        checks.push(Check::bad(
            "schema",
            Level::Fail,
            format!("version {version}: written by a newer kaden (this one knows up to {LATEST_VERSION})"),
            "upgrade kaden; the file was left untouched",
        ));
    } else if version < LATEST_VERSION {
        checks.push(Check::bad(
            "schema",
            Level::Warn,
            format!("version {version} of {LATEST_VERSION}"),
            format!("it is brought up to date the next time kaden opens it (make a copy first: kaden backup FILE --db {q})"),
        ));
    } else {
        checks.push(Check::ok("schema", format!("version {version} (current)")));
    }

    let damaged = |what: &str, e: rusqlite::Error| {
        Check::bad(
            "integrity",
            Level::Fail,
            format!("{what} failed: {e}"),
            format!(
                "stop using this file; restore your latest backup, or try: sqlite3 {q} '.recover' | sqlite3 recovered.db"
            ),
        )
    };
    let integrity: rusqlite::Result<Vec<String>> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut st| st.query_map([], |r| r.get::<_, String>(0))?.collect());
    match integrity {
        Ok(rows) if rows == ["ok"] => checks.push(Check::ok("integrity", "ok")),
        Ok(rows) => {
            let shown: Vec<&str> = rows.iter().take(3).map(String::as_str).collect();
            checks.push(Check::bad(
                "integrity",
                Level::Fail,
                format!("{} problem(s): {}", rows.len(), shown.join("; ")),
                format!(
                    "stop using this file; restore your latest backup, or try: sqlite3 {q} '.recover' | sqlite3 recovered.db"
                ),
            ));
        }
        Err(e) => checks.push(damaged("the integrity check", e)),
    }

    let fk: rusqlite::Result<i64> = conn.prepare("PRAGMA foreign_key_check").and_then(|mut st| {
        let mut rows = st.query([])?;
        let mut n = 0;
        while rows.next()?.is_some() {
            n += 1;
        }
        Ok(n)
    });
    match fk {
        Ok(0) => checks.push(Check::ok("foreign keys", "ok")),
        Ok(n) => checks.push(Check::bad(
            "foreign keys",
            Level::Fail,
            format!("{n} row(s) point at something that does not exist"),
            format!(
                "inspect with: sqlite3 {q} 'PRAGMA foreign_key_check'; restore a backup if unsure"
            ),
        )),
        Err(e) => checks.push(damaged("the foreign key check", e)),
    }

    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap_or_else(|_| "unknown".into());
    let wal_bytes = file_len(&sidecar(path, "-wal"));
    if !journal.eq_ignore_ascii_case("wal") && version > 0 {
        checks.push(Check::bad(
            "journal",
            Level::Warn,
            format!("journal mode {journal} (kaden uses wal)"),
            "open it once with kaden (e.g. kaden queue) to switch it to WAL",
        ));
    } else if wal_bytes > WAL_WARN_BYTES {
        checks.push(Check::bad(
            "journal",
            Level::Warn,
            format!(
                "WAL is {} MB: checkpoints are not keeping up",
                wal_bytes / (1 << 20)
            ),
            "close every kaden on this file; the last one to close folds the WAL back in",
        ));
    } else {
        checks.push(Check::ok(
            "journal",
            format!("WAL, {wal_bytes} bytes pending"),
        ));
    }

    let counts = if version >= 1 {
        let have: rusqlite::Result<Vec<String>> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads'")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect());
        let have = have.unwrap_or_default();
        let absent: Vec<&str> = QUEUE_INDEXES
            .iter()
            .copied()
            .filter(|i| !have.iter().any(|h| h == i))
            .collect();
        if absent.is_empty() {
            checks.push(Check::ok("queue index", QUEUE_INDEXES.join(", ")));
        } else {
            checks.push(Check::bad(
                "queue index",
                Level::Fail,
                format!("missing: {}", absent.join(", ")),
                "the queue will be slow: restore a backup, or export and re-import the leads",
            ));
        }
        match counts(conn) {
            Ok(c) => Some(c),
            Err(e) => {
                checks.push(damaged("counting the rows", e));
                None
            }
        }
    } else {
        None
    };
    Ok(Checkup {
        path: path.to_path_buf(),
        schema_version: version,
        file_bytes: file_len(path),
        wal_bytes,
        counts,
        checks,
    })
}
