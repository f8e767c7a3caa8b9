//! `kaden backup FILE`: a consistent copy through SQLite's online backup API, safe while a TUI
//! or another kaden writes to the database. Never overwrites; the copy is owner-only and checked.

use super::Ctx;
use super::doctor::human_bytes;
use crate::cli::BackupArgs;
use crate::store::backup;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: &BackupArgs) -> Result<ExitCode> {
    let l = ctx.lang;
    if ctx.db_url.is_some() {
        anyhow::bail!(
            "{}",
            l.pick(
                &format!(
                    "{} is a PostgreSQL database: back it up on the server with pg_dump (for example: pg_dump --format=custom --file={} 'URL'); kaden backup copies SQLite files",
                    ctx.db.display(),
                    args.file.display()
                ),
                &format!(
                    "{} は PostgreSQL のデータベースです。サーバー側で pg_dump でバックアップしてください(例: pg_dump --format=custom --file={} 'URL')。kaden backup は SQLite ファイル用です",
                    ctx.db.display(),
                    args.file.display()
                )
            )
        );
    }
    let r = backup(&ctx.db, &args.file)?;
    let line = format!(
        "{} {} → {} ({}, {} {}, {} v{}, integrity ok)",
        l.pick("backed up", "バックアップ完了"),
        ctx.db.display(),
        r.path.display(),
        human_bytes(r.bytes),
        r.leads,
        l.pick("leads", "リード"),
        l.pick("schema", "スキーマ"),
        r.schema_version
    );
    let saved = match l {
        crate::i18n::Lang::En => format!("the backup was saved to {}", r.path.display()),
        crate::i18n::Lang::Ja => format!("バックアップは {} に書き込みました", r.path.display()),
    };
    super::output::confirm(l, &saved, &line);
    Ok(ExitCode::SUCCESS)
}
