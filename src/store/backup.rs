//! The consistent copy behind `kaden backup`: SQLite's online backup API, so it is safe while
//! another kaden writes.

use super::maintenance::file_len;
use super::{BUSY_TIMEOUT, Result, Store, StoreError};
use rusqlite::Connection;
use rusqlite::backup::StepResult;
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
/// `dest` must not exist. The copy is written owner-only into a temporary file beside `dest`,
/// checked with `integrity_check`, then moved into place without overwriting anything that
/// appeared meanwhile. On any failure nothing is left behind.
pub fn backup(src: &Path, dest: &Path) -> Result<BackupReport> {
    if dest.exists() || std::fs::symlink_metadata(dest).is_ok() {
        return Err(StoreError::Invalid(format!(
            "{} already exists: kaden never overwrites a file with a backup (choose a new name or remove it)",
            dest.display()
        )));
    }
    let source = Store::open_read_only(src)?;
    let dir = crate::files::dir_of(dest);
    if !dir.is_dir() {
        return Err(StoreError::Invalid(format!(
            "cannot write {}: the directory {} does not exist",
            dest.display(),
            dir.display()
        )));
    }
    let failed = |e: std::io::Error| StoreError::File(crate::files::write_failure(dest, e));
    let tmp = crate::files::temp_path_in(&dir).map_err(failed)?;
    let copied = copy_into(&source, &tmp, dest);
    // A rollback journal the copy's connection may have left (on failure).
    crate::files::remove_companions(&tmp);
    let mut report = copied?;
    crate::files::persist_new(tmp, dest).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            StoreError::Invalid(format!(
                "{} appeared while the backup was written: it was left alone (choose a new name)",
                dest.display()
            ))
        } else {
            failed(e)
        }
    })?;
    report.bytes = file_len(dest);
    Ok(report)
}

/// Copy into the empty file `tmp`; `dest` is the name the copy will have, for messages.
fn copy_into(source: &Store, tmp: &Path, dest: &Path) -> Result<BackupReport> {
    let named = |e: StoreError| match e {
        StoreError::DiskFull { .. } => StoreError::DiskFull {
            path: dest.display().to_string(),
        },
        other => other,
    };
    let mut out = super::open::connect(tmp, true).map_err(|e| named(e.into()))?;
    copy_pages(source, &mut out).map_err(named)?;
    check_and_close(out, dest).map_err(named)
}

fn copy_pages(source: &Store, out: &mut Connection) -> Result<()> {
    let b = rusqlite::backup::Backup::new(source.sqlite()?, out)?;
    // All pages in one step: one read transaction on the source, so the copy is a single
    // consistent snapshot even while another process commits.
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match b.step(-1)? {
            StepResult::Done => return Ok(()),
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

/// Check the finished copy and close it (so it is complete on disk before it is renamed).
fn check_and_close(out: Connection, dest: &Path) -> Result<BackupReport> {
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
        bytes: 0,
        leads,
        schema_version,
    })
}
