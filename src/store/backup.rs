//! The consistent copy behind `kaden backup`: SQLite's online backup API, so it is safe while
//! another kaden writes.

use super::maintenance::{file_len, sidecar};
use super::{BUSY_TIMEOUT, Result, Store, StoreError};
use rusqlite::backup::StepResult;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub leads: i64,
    pub schema_version: i64,
}

/// Copy the database at `src` to the new file `dest` through SQLite's online backup API: one
/// consistent snapshot, taken without blocking a kaden that is writing (WAL readers don't).
/// `dest` must not exist; it is created owner-only and checked with `integrity_check`. On any
/// failure the partial copy is removed.
pub fn backup(src: &Path, dest: &Path) -> Result<BackupReport> {
    if dest.exists() {
        return Err(StoreError::Invalid(format!(
            "{} already exists: kaden never overwrites a file with a backup (choose a new name or remove it)",
            dest.display()
        )));
    }
    let source = Store::open_read_only(src)?;
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(StoreError::Invalid(format!(
            "cannot write {}: the directory {} does not exist",
            dest.display(),
            dir.display()
        )));
    }
    // create_new: a file appearing in the meantime is not overwritten either.
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(dest).map_err(|e| StoreError::Create {
        path: dest.display().to_string(),
        source: e,
    })?;
    match copy_into(&source, dest) {
        Ok(r) => Ok(r),
        Err(e) => {
            for s in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(sidecar(dest, s));
            }
            Err(e)
        }
    }
}

fn copy_into(source: &Store, dest: &Path) -> Result<BackupReport> {
    let mut out = Connection::open_with_flags(
        dest,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    {
        let b = rusqlite::backup::Backup::new(&source.conn, &mut out)?;
        // All pages in one step: one read transaction on the source, so the copy is a single
        // consistent snapshot even while another process commits.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            match b.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                _ => {
                    return Err(StoreError::Invalid(
                        "the database stayed locked too long to copy; try again".into(),
                    ));
                }
            }
        }
    }
    let integrity: String = out.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if integrity != "ok" {
        return Err(StoreError::Invalid(format!(
            "the copy at {} failed its integrity check ({integrity}); the source may be damaged: run kaden doctor",
            dest.display()
        )));
    }
    let schema_version: i64 = out.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let has_leads: bool = out.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'leads'",
        [],
        |r| r.get::<_, i64>(0).map(|n| n > 0),
    )?;
    let leads = if has_leads {
        out.query_row("SELECT count(*) FROM leads", [], |r| r.get(0))?
    } else {
        0
    };
    out.close().map_err(|(_, e)| StoreError::from(e))?;
    Ok(BackupReport {
        path: dest.to_path_buf(),
        bytes: file_len(dest),
        leads,
        schema_version,
    })
}
