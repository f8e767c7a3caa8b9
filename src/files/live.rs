//! The databases SQLite has open in this process, so the rest of `files` can refuse them under
//! any name (a link, a relative path, their `-wal` or `-shm`). Only metadata is ever read here.

use super::{SIDECARS, with_suffix};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A database SQLite has open in this process.
#[derive(Debug, Clone)]
struct Live {
    id: u64,
    /// As given, made absolute (for names that do not exist yet, like a `-wal`).
    path: PathBuf,
    /// Device and inode of the database file, to recognise it under another name.
    key: Option<(u64, u64)>,
}

static LIVE: Mutex<Vec<Live>> = Mutex::new(Vec::new());
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Held by an open store: while it lives, [`super::read`], [`super::write_private`] and the rest refuse the
/// database and its companion files.
#[derive(Debug)]
pub struct LiveGuard {
    id: u64,
}

impl Drop for LiveGuard {
    fn drop(&mut self) {
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|l| l.id != self.id);
        }
    }
}

/// Note that SQLite has `path` open in this process. Only metadata is read.
pub fn register_live_database(path: &Path) -> LiveGuard {
    let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let entry = Live {
        id,
        path: absolute(path),
        key: key_of(path),
    };
    if let Ok(mut live) = LIVE.lock() {
        live.push(entry);
    }
    LiveGuard { id }
}

#[cfg(unix)]
fn key_of(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn key_of(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// `path` made absolute, its directory resolved (links included) where it exists.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match (dir.canonicalize(), path.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// The open database `path` is (or is a companion file of), if any.
pub fn live_database_at(path: &Path) -> Option<PathBuf> {
    let live = LIVE.lock().ok()?.clone();
    if live.is_empty() {
        return None;
    }
    let key = key_of(path);
    let abs = absolute(path);
    live.into_iter().find_map(|l| {
        let mut names = vec![l.path.clone()];
        names.extend(SIDECARS.iter().map(|s| with_suffix(&l.path, s)));
        let same_file =
            key.is_some() && (key == l.key || names[1..].iter().any(|n| key_of(n) == key));
        (same_file || names.contains(&abs)).then_some(l.path)
    })
}
