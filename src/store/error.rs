//! Why a store operation failed: one variant per thing that can happen to the file, each with a
//! one-line message that names the path and says what to do, in English and Japanese.

use crate::i18n::Lang;
use std::path::Path;

/// Why a store operation failed. Messages say what failed and what to do. Variants raised deep
/// inside a write (`DiskFull`, `Damaged`, `ReadOnly`) may not know the path yet: [`at`] fills
/// it in, and [`text`] takes the database's path for the same purpose.
///
/// [`at`]: StoreError::at
/// [`text`]: StoreError::text
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{} was written by a newer kaden (schema version {found}; this kaden knows up to {supported}). Upgrade kaden; the file was left untouched.",
        or_db(path)
    )]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("{path} is an SQLite database of another program, not kaden's; nothing was changed")]
    Foreign { path: String },
    #[error(
        "{} is not an SQLite database (it holds something else); nothing was changed (check --db)",
        or_db(path)
    )]
    NotSqlite { path: String },
    #[error(
        "{} is damaged ({detail}): stop using it, run `kaden doctor --db {}` and restore your latest backup",
        or_db(path),
        or_db(path)
    )]
    Damaged { path: String, detail: String },
    #[error(
        "{path} is a directory, not a database file: give --db a file (for example {path}/kaden.db)"
    )]
    IsDirectory { path: String },
    #[error("{path} is a symbolic link loop (it leads back to itself): fix or remove the link")]
    SymlinkLoop { path: String },
    #[error(
        "{path} belongs to uid {owner}, and kaden runs as uid {me}: run kaden as its owner, or ask them to give you the file (chown)"
    )]
    OwnedByOther { path: String, owner: u32, me: u32 },
    #[error(
        "{} is read-only: kaden needs to write to it (chmod u+w {})",
        or_db(path),
        or_db(path)
    )]
    ReadOnly { path: String },
    #[error(
        "cannot create {needs}: the directory {dir} is read-only (make it writable with chmod u+w {dir}, or choose another --db)"
    )]
    ReadOnlyDir { needs: String, dir: String },
    #[error(
        "the disk is full: nothing was written to {} (free some space and try again)",
        or_db(path)
    )]
    DiskFull { path: String },
    #[error("cannot open {path}: {detail}")]
    Open { path: String, detail: String },
    /// A file kaden writes beside the database (a backup).
    #[error("{0}")]
    File(crate::files::FileError),
    #[error("no lead with id {0}")]
    UnknownLead(i64),
    #[error("{0}")]
    Invalid(String),
    /// A promised callback outside the lead's calling hours, not confirmed yet: the form asks
    /// again, `kaden log` wants `--off-hours`.
    #[error("their time {their_time} is outside calling hours — the prospect asked for it?")]
    OffHours { their_time: String },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("the database returned no row where one was expected")]
    NoRow,
    #[error("unexpected value in column {index} of a query: {what}")]
    Column { index: usize, what: &'static str },
    #[error("cannot connect to {url}: {detail}")]
    PgConnect { url: String, detail: String },
    #[error("PostgreSQL: {0}")]
    Postgres(String),
    #[error("the connection to the PostgreSQL server was lost ({0}); kaden reconnects")]
    ConnectionLost(String),
    #[error("{url} has no kaden schema: create it with `kaden team init {url}`")]
    NoSchema { url: String },
    #[error("lead {lead} is being worked by {by} (claimed until {until}); nothing was written")]
    ClaimHeld {
        lead: i64,
        by: String,
        until: String,
    },
    #[error(
        "your claim on lead {lead} lapsed ({why}); nothing was written — open the lead again to save"
    )]
    ClaimLapsed { lead: i64, why: String },
    #[error("not saved: {0}")]
    NotSaved(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull {
                path: String::new(),
            },
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
                path: String::new(),
            },
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
                path: String::new(),
                detail: e.to_string(),
            },
            Some(ErrorCode::NotADatabase) => StoreError::NotSqlite {
                path: String::new(),
            },
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// Fill in the database's path where the error did not know it.
    pub fn at(self, db: &Path) -> StoreError {
        let name = db.display().to_string();
        let fill = |p: String| if p.is_empty() { name.clone() } else { p };
        match self {
            StoreError::DiskFull { path } => StoreError::DiskFull { path: fill(path) },
            StoreError::ReadOnly { path } => StoreError::ReadOnly { path: fill(path) },
            StoreError::NotSqlite { path } => StoreError::NotSqlite { path: fill(path) },
            StoreError::Damaged { path, detail } => StoreError::Damaged {
                path: fill(path),
                detail,
            },
            StoreError::NewerSchema {
                path,
                found,
                supported,
            } => StoreError::NewerSchema {
                path: fill(path),
                found,
                supported,
            },
            other => other,
        }
    }

    /// The message in `lang`, with `db` named where the error did not know its path.
    pub fn text(&self, lang: Lang, db: &Path) -> String {
        let filled;
        let e = if self.needs_path() {
            filled = clone_shallow(self).at(db);
            &filled
        } else {
            self
        };
        match (lang, e) {
            (_, StoreError::File(f)) => f.text(lang),
            (Lang::En, e) => e.to_string(),
            (Lang::Ja, e) => e.ja(),
        }
    }

    fn needs_path(&self) -> bool {
        matches!(
            self,
            StoreError::DiskFull { path }
                | StoreError::ReadOnly { path }
                | StoreError::NotSqlite { path }
                | StoreError::Damaged { path, .. }
                | StoreError::NewerSchema { path, .. } if path.is_empty()
        )
    }

    /// The Japanese message (every variant: the compiler checks none is forgotten).
    fn ja(&self) -> String {
        match self {
            StoreError::NewerSchema {
                path,
                found,
                supported,
            } => format!(
                "{path} は新しい kaden で書かれています(スキーマ {found}、この kaden は {supported} まで)。kaden を更新してください。ファイルは変更していません。"
            ),
            StoreError::Foreign { path } => format!(
                "{path} は kaden ではない別のプログラムの SQLite データベースです。何も変更していません。"
            ),
            StoreError::NotSqlite { path } => format!(
                "{path} は SQLite データベースではありません(別の内容のファイルです)。何も変更していません(--db を確認してください)。"
            ),
            StoreError::Damaged { path, detail } => format!(
                "{path} は壊れています({detail})。使用を中止し、`kaden doctor --db {path}` を実行して最新のバックアップから復元してください。"
            ),
            StoreError::IsDirectory { path } => format!(
                "{path} はディレクトリで、データベースファイルではありません。--db にはファイルを指定してください(例: {path}/kaden.db)。"
            ),
            StoreError::SymlinkLoop { path } => format!(
                "{path} はシンボリックリンクのループです(自分自身に戻ります)。リンクを直すか削除してください。"
            ),
            StoreError::OwnedByOther { path, owner, me } => format!(
                "{path} は uid {owner} の所有で、kaden は uid {me} で動いています。所有者として kaden を実行するか、ファイルを譲ってもらってください(chown)。"
            ),
            StoreError::ReadOnly { path } => {
                format!("{path} は読み取り専用です。kaden は書き込みが必要です(chmod u+w {path})。")
            }
            StoreError::ReadOnlyDir { needs, dir } => format!(
                "{needs} を作れません: ディレクトリ {dir} が読み取り専用です(chmod u+w {dir} で書き込み可能にするか、別の --db を指定してください)。"
            ),
            StoreError::DiskFull { path } => format!(
                "ディスクがいっぱいです: {path} には何も書き込んでいません(空きを作ってからやり直してください)。"
            ),
            StoreError::Open { path, detail } => format!("{path} を開けません: {detail}"),
            StoreError::File(f) => f.text(Lang::Ja),
            StoreError::UnknownLead(id) => format!("ID {id} のリードはありません"),
            StoreError::Invalid(s) => s.clone(),
            StoreError::OffHours { their_time } => {
                format!("先方の時刻 {their_time} は架電時間外です。先方の希望ですか?")
            }
            StoreError::Sqlite(e) => format!("データベースエラー: {e}"),
            StoreError::NoRow => "データベースが行を返しませんでした".to_string(),
            StoreError::Column { index, what } => {
                format!("クエリの列 {index} に想定外の値があります: {what}")
            }
            StoreError::PgConnect { url, detail } => {
                format!("{url} に接続できません: {detail}")
            }
            StoreError::Postgres(s) => format!("PostgreSQL: {s}"),
            StoreError::ConnectionLost(s) => {
                format!("PostgreSQL サーバーとの接続が切れました({s})。再接続します")
            }
            StoreError::NoSchema { url } => format!(
                "{url} に kaden のスキーマがありません。`kaden team init {url}` で作成してください"
            ),
            StoreError::ClaimHeld { lead, by, until } => {
                format!("リード {lead} は {by} が対応中です({until} まで)。何も書き込んでいません")
            }
            StoreError::ClaimLapsed { lead, why } => format!(
                "リード {lead} の確保が切れました({why})。何も書き込んでいません。リードを開き直して保存してください"
            ),
            StoreError::NotSaved(s) => format!("保存されていません: {s}"),
        }
    }
}

/// A path for a message: "the database" when an error raised deep inside did not know it.
fn or_db(path: &str) -> &str {
    if path.is_empty() {
        "the database"
    } else {
        path
    }
}

/// A copy of the variants that [`StoreError::at`] changes (the others are never copied).
fn clone_shallow(e: &StoreError) -> StoreError {
    match e {
        StoreError::DiskFull { path } => StoreError::DiskFull { path: path.clone() },
        StoreError::ReadOnly { path } => StoreError::ReadOnly { path: path.clone() },
        StoreError::NotSqlite { path } => StoreError::NotSqlite { path: path.clone() },
        StoreError::Damaged { path, detail } => StoreError::Damaged {
            path: path.clone(),
            detail: detail.clone(),
        },
        StoreError::NewerSchema {
            path,
            found,
            supported,
        } => StoreError::NewerSchema {
            path: path.clone(),
            found: *found,
            supported: *supported,
        },
        other => StoreError::Invalid(other.to_string()),
    }
}
