//! Why kaden would not, or could not, write or read a file.

use super::dir_of;
use std::io;
use std::path::Path;

/// Why kaden would not, or could not, write or read a file: one line naming it and saying what to
/// do, in English and Japanese. Carried inside an `io::Error` (see [`FileError::into_io`]) so the
/// callers' own error types need not change.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(
        "{path} is the SQLite database kaden has open ({db}): kaden never reads or writes it as another file (give another file)"
    )]
    LiveDatabase { path: String, db: String },
    #[error("{path} is an SQLite database: kaden never overwrites one (choose another file name)")]
    SqliteTarget { path: String },
    #[error("{path} is a directory: give a file name to write to")]
    DirectoryTarget { path: String },
    #[error("the disk is full: nothing was written to {path} (free some space and try again)")]
    DiskFull { path: String },
    #[error("cannot write {path}: it is on a read-only file system (choose another place)")]
    ReadOnlyFs { path: String },
    #[error(
        "cannot write {path}: permission denied in {dir} (choose a directory you can write to)"
    )]
    Denied { path: String, dir: String },
    #[error("cannot write {path}: the directory {dir} does not exist")]
    NoDirectory { path: String, dir: String },
    #[error("cannot write {path}: {error}")]
    Other { path: String, error: io::Error },
}

impl FileError {
    /// The message in `lang` (every variant: the compiler checks none is forgotten).
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            FileError::LiveDatabase { path, db } => format!(
                "{path} は kaden が開いている SQLite データベース ({db}) です。別のファイルとして読み書きはしません(別のファイルを指定してください)。"
            ),
            FileError::SqliteTarget { path } => format!(
                "{path} は SQLite データベースです。kaden は上書きしません(別のファイル名を指定してください)。"
            ),
            FileError::DirectoryTarget { path } => {
                format!("{path} はディレクトリです。書き込むファイル名を指定してください。")
            }
            FileError::DiskFull { path } => format!(
                "ディスクがいっぱいです: {path} には何も書き込んでいません(空きを作ってからやり直してください)。"
            ),
            FileError::ReadOnlyFs { path } => format!(
                "{path} に書き込めません: 読み取り専用のファイルシステムです(別の場所を指定してください)。"
            ),
            FileError::Denied { path, dir } => format!(
                "{path} に書き込めません: {dir} への書き込み権限がありません(書き込めるディレクトリを指定してください)。"
            ),
            FileError::NoDirectory { path, dir } => {
                format!("{path} に書き込めません: ディレクトリ {dir} がありません。")
            }
            FileError::Other { path, error } => format!("{path} に書き込めません: {error}"),
        }
    }

    /// As an `io::Error` of the matching kind, to travel through `io::Result`s.
    pub fn into_io(self) -> io::Error {
        let kind = match &self {
            FileError::DiskFull { .. } => io::ErrorKind::StorageFull,
            FileError::ReadOnlyFs { .. } => io::ErrorKind::ReadOnlyFilesystem,
            FileError::Denied { .. } => io::ErrorKind::PermissionDenied,
            FileError::NoDirectory { .. } => io::ErrorKind::NotFound,
            FileError::Other { error, .. } => error.kind(),
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, self)
    }

    /// The `FileError` an `io::Error` carries, if any.
    pub fn inside(e: &io::Error) -> Option<&FileError> {
        e.get_ref()
            .and_then(|inner| inner.downcast_ref::<FileError>())
    }
}

/// Why writing `path` failed, naming it and saying what to do.
pub fn write_failure(path: &Path, e: io::Error) -> FileError {
    if let Some(f) = FileError::inside(&e) {
        // Already explained (and copied, as io::Error is not Clone).
        return match f {
            FileError::DiskFull { path } => FileError::DiskFull { path: path.clone() },
            _ => FileError::Other {
                path: path.display().to_string(),
                error: e,
            },
        };
    }
    let p = path.display().to_string();
    let dir = dir_of(path).display().to_string();
    match e.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            FileError::DiskFull { path: p }
        }
        io::ErrorKind::ReadOnlyFilesystem => FileError::ReadOnlyFs { path: p },
        io::ErrorKind::PermissionDenied => FileError::Denied { path: p, dir },
        io::ErrorKind::NotFound => FileError::NoDirectory { path: p, dir },
        _ => FileError::Other { path: p, error: e },
    }
}
