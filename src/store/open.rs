//! Opening the file, in an order that never harms it:
//! 1. look (`stat`, no descriptor): missing, a directory, a link loop, another user's, read-only;
//! 2. ask SQLite, read-only, what the file is: empty, kaden's (by kaden's `application_id`, or the
//!    first release's tables), from a newer kaden, another program's, not SQLite at all. A
//!    read-only connection never checkpoints, so a pending WAL stays where it is;
//! 3. only for an empty, missing or kaden file of a version this kaden knows: open it for
//!    writing, switch to WAL and migrate.
//!
//! Every SQLite connection kaden makes is made here ([`connect`]); nothing else opens the file.
#![allow(clippy::disallowed_methods)]

use super::Conn;
use super::{BUSY_TIMEOUT, LATEST_VERSION, Result, Store, StoreError, migrations};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// kaden's mark in the database header (`PRAGMA application_id`): "KADN".
pub const APPLICATION_ID: i64 = 0x4B41_444E;

/// The tables every kaden database has had since the first release (which set no
/// `application_id`): a file with all of them and a schema version is kaden's.
const FIRST_RELEASE_TABLES: [&str; 4] = ["meta", "companies", "leads", "activities"];

/// Open an SQLite connection on `path`: the only place kaden does.
pub(super) fn connect(path: &Path, write: bool) -> rusqlite::Result<Connection> {
    let access = if write {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    } else {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    };
    let conn = Connection::open_with_flags(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// What is at the path before anything is opened.
enum Found {
    Missing,
    File,
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// The directory that really holds `path` (links resolved; "." for a bare name).
pub fn real_dir(path: &Path) -> PathBuf {
    let real = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let dir = crate::files::dir_of(&real);
    dir.canonicalize().unwrap_or(dir)
}

#[cfg(unix)]
fn my_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

#[cfg(unix)]
fn may_write(path: &Path) -> bool {
    use rustix::fs::{Access, AtFlags, CWD, accessat};
    accessat(CWD, path, Access::WRITE_OK, AtFlags::EACCESS).is_ok()
}

#[cfg(unix)]
fn is_loop(e: &std::io::Error) -> bool {
    rustix::io::Errno::from_io_error(e) == Some(rustix::io::Errno::LOOP)
}

#[cfg(not(unix))]
fn is_loop(_e: &std::io::Error) -> bool {
    false
}

/// A one-line error for an OS error met while looking at or creating `path`.
fn os_error(path: &Path, e: &std::io::Error, creating: bool) -> StoreError {
    use std::io::ErrorKind as K;
    let p = name(path);
    if is_loop(e) {
        return StoreError::SymlinkLoop { path: p };
    }
    match e.kind() {
        K::StorageFull | K::QuotaExceeded => StoreError::DiskFull { path: p },
        K::IsADirectory => StoreError::IsDirectory { path: p },
        K::ReadOnlyFilesystem | K::PermissionDenied if creating => StoreError::ReadOnlyDir {
            needs: p,
            dir: real_dir(path).display().to_string(),
        },
        K::NotADirectory => StoreError::Open {
            path: p,
            detail: "a part of the path is a file, not a directory (check --db)".into(),
        },
        K::PermissionDenied => StoreError::Open {
            path: p,
            detail: "permission denied on a directory on the way (check its permissions)".into(),
        },
        _ => StoreError::Open {
            path: p,
            detail: e.to_string(),
        },
    }
}

/// Step 1: what is at `path`, from metadata only.
fn look(path: &Path) -> Result<Found> {
    let p = name(path);
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(StoreError::IsDirectory { path: p }),
        Ok(m) if !m.is_file() => Err(StoreError::Open {
            path: p,
            detail: "not a regular file (give --db a database file)".into(),
        }),
        Ok(m) => {
            check_permissions(path, &m)?;
            Ok(Found::File)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok() {
                return Err(StoreError::Open {
                    path: p,
                    detail: "it is a symbolic link to a file that does not exist (fix the link, or give --db the real file)".into(),
                });
            }
            Ok(Found::Missing)
        }
        Err(e) => Err(os_error(path, &e, false)),
    }
}

/// The file's and its directory's permissions, as found: by the mode bits (which kaden honours
/// even for root, who could write anyway) and by who owns the file.
#[cfg(unix)]
fn check_permissions(path: &Path, m: &std::fs::Metadata) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let (owner, me) = (m.uid(), my_uid());
    if owner != me && !may_write(path) {
        return Err(StoreError::OwnedByOther {
            path: name(path),
            owner,
            me,
        });
    }
    let mode = m.mode();
    if mode & 0o222 == 0 || (owner == me && mode & 0o200 == 0) {
        return Err(StoreError::ReadOnly { path: name(path) });
    }
    dir_must_be_writable(path, &format!("{}-wal", name(path)))
}

#[cfg(not(unix))]
fn check_permissions(path: &Path, m: &std::fs::Metadata) -> Result<()> {
    if m.permissions().readonly() {
        return Err(StoreError::ReadOnly { path: name(path) });
    }
    Ok(())
}

/// kaden creates files in the database's directory (the database itself, its -wal and -shm).
fn dir_must_be_writable(path: &Path, needs: &str) -> Result<()> {
    let dir = real_dir(path);
    let by_mode = std::fs::metadata(&dir)
        .map(|m| m.permissions().readonly())
        .unwrap_or(false);
    #[cfg(unix)]
    let by_access = dir.exists() && !may_write(&dir);
    #[cfg(not(unix))]
    let by_access = false;
    if by_mode || by_access {
        return Err(StoreError::ReadOnlyDir {
            needs: needs.to_string(),
            dir: dir.display().to_string(),
        });
    }
    Ok(())
}

/// What SQLite says the file is.
#[derive(Debug, PartialEq)]
enum Kind {
    /// No table and no version: a new file, or an SQLite file nobody used yet.
    Empty,
    Kaden(i64),
    Foreign,
}

fn wal_of(path: &Path) -> PathBuf {
    super::sidecar(path, "-wal")
}

/// `path` as an SQLite URI for an `immutable` read: no locks, no companion files created.
fn immutable_uri(path: &Path) -> String {
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for c in abs.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Step 2: ask SQLite what the file is, without writing anything and without leaving anything
/// behind. With a `-wal` beside it (a pending WAL, or another connection's), a read-only
/// connection: it reads the WAL too and never checkpoints it. Without one, an `immutable` read
/// of the main file, which creates no `-wal`/`-shm` (a plain read-only connection on a WAL-mode
/// file would); should another process start writing meanwhile and the read fail, the plain
/// read-only connection decides. The result only decides whether to go on: the version is
/// checked again under the write lock before any migration.
fn identify(path: &Path) -> Result<Kind> {
    if !wal_of(path).exists()
        && let Ok(kind) = Connection::open_with_flags(
            immutable_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .and_then(|conn| classify(&conn))
    {
        return Ok(kind);
    }
    let conn = connect(path, false).map_err(|e| sqlite_error(path, e))?;
    retry_busy(|| classify(&conn)).map_err(|e| sqlite_error(path, e))
}

fn classify(conn: &Connection) -> rusqlite::Result<Kind> {
    let read = || -> rusqlite::Result<(i64, i64, Vec<String>)> {
        let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let mut st = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
        let tables = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok((app, version, tables))
    };
    let (app, version, tables) = read()?;
    Ok(if app == APPLICATION_ID {
        Kind::Kaden(version)
    } else if app != 0 {
        Kind::Foreign
    } else if tables.is_empty() && version == 0 {
        Kind::Empty
    } else if version >= 1
        && FIRST_RELEASE_TABLES
            .iter()
            .all(|t| tables.iter().any(|have| have == t))
    {
        Kind::Kaden(version)
    } else {
        Kind::Foreign
    })
}

/// Whether the disk holding `path` has no room left (an I/O error SQLite reports without
/// saying why, e.g. growing the -shm on a full disk).
#[cfg(unix)]
fn disk_is_full(path: &Path) -> bool {
    rustix::fs::statvfs(real_dir(path)).is_ok_and(|s| s.f_bavail == 0)
}

#[cfg(not(unix))]
fn disk_is_full(_path: &Path) -> bool {
    false
}

/// An SQLite error met while opening `path`, as a message that names it.
pub(super) fn sqlite_error(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    let p = name(path);
    match e.sqlite_error_code() {
        Some(C::NotADatabase) => StoreError::NotSqlite { path: p },
        Some(C::DatabaseCorrupt) => StoreError::Damaged {
            path: p,
            detail: e.to_string(),
        },
        Some(C::DiskFull) => StoreError::DiskFull { path: p },
        Some(C::SystemIoFailure | C::CannotOpen) if disk_is_full(path) => {
            StoreError::DiskFull { path: p }
        }
        Some(C::ReadOnly | C::CannotOpen) => {
            match dir_must_be_writable(path, &format!("{p}-wal")) {
                Err(dir) => dir,
                Ok(()) => StoreError::Open {
                    path: p,
                    detail: e.to_string(),
                },
            }
        }
        _ => StoreError::Open {
            path: p,
            detail: e.to_string(),
        },
    }
}

impl Store {
    /// Open (creating if needed) the database at `path` and bring its schema up to date. Only an
    /// empty, missing or kaden file is ever written to; a newer kaden's file, another program's
    /// database and anything that is not SQLite are refused and left byte-for-byte untouched.
    pub fn open(path: &Path) -> Result<Store> {
        let created = match look(path)? {
            Found::Missing => {
                dir_must_be_writable_or_absent(path)?;
                match crate::files::create_new_private(path) {
                    Ok(c) => Some(c),
                    // Another process created it in the meantime: open theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
                    Err(e) => return Err(os_error(path, &e, true)),
                }
            }
            Found::File => None,
        };
        let opened = open_kaden_file(path);
        if let (Err(_), Some(created)) = (&opened, created) {
            // Nothing of ours stays behind: not even an empty file on a full disk.
            created.undo();
        }
        opened
    }
}

/// A new file's directory: refused when it exists and is read-only (by its mode bits, as for
/// files); created (owner-only) by [`crate::files::create_new_private`] when it does not exist.
fn dir_must_be_writable_or_absent(path: &Path) -> Result<()> {
    if crate::files::dir_of(path).exists() {
        dir_must_be_writable(path, &name(path))?;
    }
    Ok(())
}

/// Steps 2 and 3 on a file that exists.
fn open_kaden_file(path: &Path) -> Result<Store> {
    let p = name(path);
    match identify(path)? {
        Kind::Foreign => return Err(StoreError::Foreign { path: p }),
        Kind::Kaden(v) if v > LATEST_VERSION => {
            return Err(StoreError::NewerSchema {
                path: p,
                found: v,
                supported: LATEST_VERSION,
            });
        }
        Kind::Empty | Kind::Kaden(_) => {}
    }
    let conn = connect(path, true).map_err(|e| sqlite_error(path, e))?;
    // SQLite opens a file it may not write read-only without saying so: ask it.
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return Err(StoreError::ReadOnly { path: p });
    }
    let mode: String = retry_busy(|| conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)))
        .map_err(|e| sqlite_error(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Invalid(format!(
            "{p}: cannot switch to WAL mode (got {mode})"
        )));
    }
    // FULL: the WAL is synced at every commit, so an acknowledged result survives power loss,
    // not just a process kill.
    conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
        .map_err(|e| sqlite_error(path, e))?;
    let mut store = Store::on(conn, path);
    let Conn::Sqlite(c) = &mut store.conn else {
        unreachable!("Store::on makes an SQLite store")
    };
    migrations::migrate(c).map_err(|e| match e {
        StoreError::Sqlite(e) => sqlite_error(path, e),
        other => other.at(path),
    })?;
    Ok(store)
}

/// Retry a step that SQLite may refuse with SQLITE_BUSY/LOCKED without calling the busy
/// handler: reading the header while another process creates the file, or switching to WAL
/// while another connection holds a lock. Gives up after [`BUSY_TIMEOUT`].
pub(super) fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match f() {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

impl Store {
    /// Open an existing database to look at it (`doctor`, `backup`): a read-only connection,
    /// which never creates, migrates or checkpoints, so even a newer kaden's file and its
    /// pending WAL are left as they are. Another program's database is refused.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if let Found::Missing = look_existing(path)? {
            return Err(StoreError::Invalid(format!(
                "there is no database at {} (check --db PATH)",
                path.display()
            )));
        }
        match identify(path)? {
            Kind::Foreign => return Err(StoreError::Foreign { path: name(path) }),
            Kind::Empty | Kind::Kaden(_) => {}
        }
        // With a WAL beside the file, read-only: it never checkpoints, so a pending WAL (a newer
        // kaden's, killed) stays as it is. Without one, read-write but `query_only`: it writes
        // nothing, and as the last connection it removes the -wal/-shm it created.
        let no_wal = !wal_of(path).exists();
        let conn =
            connect(path, no_wal && may_write_here(path)).map_err(|e| sqlite_error(path, e))?;
        conn.execute_batch("PRAGMA query_only = ON")
            .map_err(|e| sqlite_error(path, e))?;
        Ok(Store::on(conn, path))
    }

    /// A private database in memory (a dry run with no file to compare against).
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        conn.execute_batch("PRAGMA foreign_keys=ON;")?;
        migrations::migrate(&mut conn)?;
        Ok(Store::with(
            Conn::Sqlite(conn),
            PathBuf::from(":memory:"),
            None,
        ))
    }

    fn on(conn: Connection, path: &Path) -> Store {
        Store::with(
            Conn::Sqlite(conn),
            path.to_path_buf(),
            Some(crate::files::register_live_database(path)),
        )
    }

    pub(super) fn with(conn: Conn, path: PathBuf, live: Option<crate::files::LiveGuard>) -> Store {
        Store {
            conn,
            path,
            _live: live,
            held: std::collections::HashMap::new(),
            lease: super::claim::DEFAULT_LEASE,
            me: None,
            seen_version: std::cell::Cell::new(-1),
            plain_scan: std::cell::Cell::new(false),
        }
    }
}

/// Whether kaden may write the file and create files beside it (for a connection that only reads
/// but tidies up after itself).
fn may_write_here(path: &Path) -> bool {
    let dir = real_dir(path);
    #[cfg(unix)]
    let ok = may_write(path) && may_write(&dir);
    #[cfg(not(unix))]
    let ok = true;
    ok && !std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly())
        && !std::fs::metadata(&dir).is_ok_and(|m| m.permissions().readonly())
}

/// Step 1 for a file that must already exist (no permission check: looking needs no write).
fn look_existing(path: &Path) -> Result<Found> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(StoreError::IsDirectory { path: name(path) }),
        Ok(m) if m.is_file() => Ok(Found::File),
        Ok(_) => Err(StoreError::Open {
            path: name(path),
            detail: "not a regular file".into(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Found::Missing),
        Err(e) => Err(os_error(path, &e, false)),
    }
}
