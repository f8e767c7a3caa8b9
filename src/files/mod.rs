//! Every file kaden opens itself — inputs it reads, exports, reject files and backups it writes,
//! the empty database it creates before SQLite's first open — and the rule that keeps it away
//! from the databases SQLite has open.
//!
//! The rule: once SQLite has a database open, nothing else in the process may open (and so
//! close) a descriptor of the database, its `-wal` or its `-shm`. On POSIX systems closing any
//! descriptor of a file drops every lock the process holds on it, SQLite's included ("How To
//! Corrupt An SQLite Database File", §2.2); another program then checkpoints and deletes the WAL
//! under kaden, and what kaden writes next is lost. So:
//! - this module is the only one allowed to call the standard library's opening, renaming and
//!   removing functions (clippy's `disallowed_methods`, see `clippy.toml`), and
//! - it refuses any path that is, or would be, a database open in this process (a registry kept
//!   by the store), so a mistaken `kaden import kaden.db` or `--out kaden.db` cannot either.
//!
//! Files it writes are owner-only (0600) whatever the umask, and appear whole or not at all:
//! written to a temporary file in the target directory, synced, then renamed over the target.
#![allow(clippy::disallowed_methods)]

mod error;
mod live;

pub use error::{FileError, write_failure};
pub use live::{LiveGuard, live_database_at, register_live_database};

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The companion files SQLite keeps beside a database.
pub const SIDECARS: [&str; 3] = ["-wal", "-shm", "-journal"];

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

fn refuse_live(path: &Path) -> io::Result<()> {
    match live_database_at(path) {
        Some(db) => Err(FileError::LiveDatabase {
            path: path.display().to_string(),
            db: db.display().to_string(),
        }
        .into_io()),
        None => Ok(()),
    }
}

/// Read a whole file (an import, a config). Refuses an open database.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    refuse_live(path)?;
    std::fs::read(path)
}

/// Open a file for reading as a stream (an import). Refuses an open database.
pub fn open_read(path: &Path) -> io::Result<std::fs::File> {
    refuse_live(path)?;
    std::fs::File::open(path)
}

/// Read a whole text file. Refuses an open database.
pub fn read_to_string(path: &Path) -> io::Result<String> {
    refuse_live(path)?;
    std::fs::read_to_string(path)
}

/// The 16 bytes every SQLite database starts with.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether `path` is an SQLite database (by its first bytes). Never opens an open database:
/// that one is one by definition.
pub fn is_sqlite_database(path: &Path) -> bool {
    if live_database_at(path).is_some() {
        return true;
    }
    let mut head = [0u8; 16];
    match std::fs::File::open(path) {
        Ok(mut f) => io::Read::read_exact(&mut f, &mut head).is_ok() && &head == SQLITE_HEADER,
        Err(_) => false,
    }
}

/// The directory a new file at `path` goes in ("." for a bare name).
pub fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(unix)]
fn owner_only(f: &std::fs::File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // fchmod: the umask has no say, in either direction.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn owner_only(_f: &std::fs::File) -> io::Result<()> {
    Ok(())
}

fn temp_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let tmp = tempfile::Builder::new()
        .prefix(".kaden-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    owner_only(tmp.as_file())?;
    Ok(tmp)
}

/// Write `target` whole or not at all, owner-only: `write` fills a temporary file in the target's
/// directory, which is then synced and renamed over `target`. On any failure the temporary file
/// is removed and `target` is as it was. An SQLite database (kaden's or not) is never replaced.
/// A target that exists but is not a regular file (a terminal, `/dev/stdout`, a FIFO) is written
/// to directly: there is nothing to replace.
pub fn write_private<T, E: From<io::Error>>(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T, E> {
    let fail = |e: io::Error| write_failure(target, e).into_io();
    refuse_live(target)?;
    match std::fs::metadata(target) {
        Ok(m) if m.is_dir() => {
            return Err(FileError::DirectoryTarget {
                path: target.display().to_string(),
            }
            .into_io()
            .into());
        }
        Ok(m) if !m.is_file() => {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(target)
                .map_err(fail)?;
            let mut w = io::BufWriter::new(f);
            let n = write(&mut w)?;
            w.flush().map_err(fail)?;
            return Ok(n);
        }
        Ok(_) if is_sqlite_database(target) => {
            return Err(FileError::SqliteTarget {
                path: target.display().to_string(),
            }
            .into_io()
            .into());
        }
        _ => {}
    }
    let tmp = temp_in(&dir_of(target)).map_err(fail)?;
    let mut w = io::BufWriter::new(Tracked::new(tmp));
    // A failed write of the file itself is reported as such (naming the target), whatever
    // error `write` wrapped it in.
    let written = write(&mut w).and_then(|n| w.flush().map(|_| n).map_err(E::from));
    if let Some(e) = w.get_mut().failure.take() {
        return Err(fail(e).into());
    }
    let n = written?;
    let tmp = w.into_inner().map_err(|e| fail(e.into_error()))?.inner;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(target).map_err(|e| fail(e.error))?;
    Ok(n)
}

/// A writer that keeps (a copy of) the first error of the writer under it, so a caller can tell
/// a failure of that writer from the errors its users wrap it in.
pub struct Tracked<W: Write> {
    pub inner: W,
    pub failure: Option<io::Error>,
}

impl<W: Write> Tracked<W> {
    pub fn new(inner: W) -> Tracked<W> {
        Tracked {
            inner,
            failure: None,
        }
    }

    fn note(&mut self, e: io::Error) -> io::Error {
        if self.failure.is_none() {
            self.failure = Some(match e.raw_os_error() {
                Some(code) => io::Error::from_raw_os_error(code),
                None => io::Error::new(e.kind(), e.to_string()),
            });
        }
        e
    }
}

impl<W: Write> Write for Tracked<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf).map_err(|e| self.note(e))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().map_err(|e| self.note(e))
    }
}

/// An owner-only empty file in `dir` that is removed when dropped, for SQLite to write a copy
/// into before it is renamed into place with [`persist_new`].
pub fn temp_path_in(dir: &Path) -> io::Result<tempfile::TempPath> {
    Ok(temp_in(dir)?.into_temp_path())
}

/// Move a finished temporary file to `dest`, failing (and keeping nothing) if `dest` exists.
pub fn persist_new(tmp: tempfile::TempPath, dest: &Path) -> io::Result<()> {
    tmp.persist_noclobber(dest).map_err(|e| e.error)
}

/// What [`create_new_private`] made, so a failed creation can take it all back.
#[derive(Debug)]
pub struct Created {
    file: PathBuf,
    /// The directories made on the way, deepest first.
    dirs: Vec<PathBuf>,
}

impl Created {
    /// Remove the file (with any companion SQLite made) and the directories made for it (each
    /// only if empty). For a database SQLite no longer has open.
    pub fn undo(self) {
        let _ = remove_database(&self.file);
        for d in self.dirs {
            if std::fs::remove_dir(&d).is_err() {
                break;
            }
        }
    }
}

/// Create `path` empty and owner-only for SQLite to open next; fails if it exists. Directories
/// on the way are created owner-only (0700).
pub fn create_new_private(path: &Path) -> io::Result<Created> {
    let dir = dir_of(path);
    let mut dirs = Vec::new();
    let mut d = Some(dir.as_path());
    while let Some(x) = d.filter(|x| !x.as_os_str().is_empty() && !x.exists()) {
        dirs.push(x.to_path_buf());
        d = x.parent();
    }
    let made = Created {
        file: path.to_path_buf(),
        dirs,
    };
    match create_file_in_new_dirs(path, &dir, &made.dirs) {
        Ok(()) => Ok(made),
        Err(e) => {
            // The file was not created: take back only the directories.
            for d in made.dirs {
                if std::fs::remove_dir(&d).is_err() {
                    break;
                }
            }
            Err(e)
        }
    }
}

fn create_file_in_new_dirs(path: &Path, dir: &Path, made: &[PathBuf]) -> io::Result<()> {
    if !dir.exists() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir)?;
        #[cfg(not(unix))]
        let _ = made;
        #[cfg(unix)]
        for d in made.iter().rev() {
            // Every directory made on the way is owner-only, whatever the umask.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let f = o.open(path)?;
    owner_only(&f)?;
    Ok(())
}

/// Remove a database that is not open in this process, with its companion files (a demo being
/// rebuilt, a new file whose creation failed). Missing files are fine.
pub fn remove_database(path: &Path) -> io::Result<()> {
    refuse_live(path)?;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        match std::fs::remove_file(with_suffix(path, suffix)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Remove what a failed copy left beside its temporary file (a rollback journal).
pub fn remove_companions(path: &Path) {
    for suffix in SIDECARS {
        let _ = std::fs::remove_file(with_suffix(path, suffix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_database_and_its_companions_are_refused_under_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        std::fs::write(&db, b"x").unwrap();
        let link = dir.path().join("link.db");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&db, &link).unwrap();
        assert!(live_database_at(&db).is_none());
        let guard = register_live_database(&db);
        assert!(live_database_at(&db).is_some());
        assert!(live_database_at(&with_suffix(&db, "-wal")).is_some());
        assert!(live_database_at(&dir.path().join(".").join("k.db-shm")).is_some());
        #[cfg(unix)]
        assert!(live_database_at(&link).is_some());
        assert!(read(&db).is_err());
        assert!(write_private(&db, |w| w.write_all(b"y")).is_err());
        assert_eq!(std::fs::read(&db).unwrap(), b"x");
        assert!(live_database_at(&dir.path().join("other.db")).is_none());
        drop(guard);
        assert!(live_database_at(&db).is_none());
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file_and_the_target_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        std::fs::write(&target, b"before").unwrap();
        let r: io::Result<()> = write_private(&target, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("boom"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"before");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_private(&target, |w| w.write_all(b"after")).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"after");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = std::fs::metadata(&target).unwrap().permissions().mode();
            assert_eq!(m & 0o777, 0o600);
        }
    }
}
