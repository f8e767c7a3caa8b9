//! `kaden import FILE`: CSV from Salesforce, HubSpot, Japanese Excel or kaden itself, with no
//! mapping step. Bad rows are printed as `FILE:LINE: reason` on stderr.

use super::Ctx;
use crate::cli::ImportArgs;
use crate::domain::text::sanitize_line;
use crate::import::{ImportError, ImportOptions, ImportSummary, import_file};
use crate::store::Store;
use anyhow::Result;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// How many bad rows are listed before "… and N more".
const SHOW_BAD: usize = 50;

fn print_bad(file: &str, bad: &[crate::import::BadRow]) {
    let mut err = std::io::stderr().lock();
    for b in bad.iter().take(SHOW_BAD) {
        let _ = writeln!(err, "{file}:{}: {}", b.line, sanitize_line(&b.reason));
    }
    if bad.len() > SHOW_BAD {
        let _ = writeln!(err, "… and {} more bad rows", bad.len() - SHOW_BAD);
    }
}

fn print_summary(s: &ImportSummary, ctx: &Ctx, out: &mut dyn Write) -> std::io::Result<()> {
    if s.dry_run {
        writeln!(out, "{} ({})", s.file, s.encoding)?;
        writeln!(out, "{}", ctx.lang.pick("Column mapping:", "列の対応:"))?;
        for (h, f) in s.mapping.headers.iter().zip(&s.mapping.fields) {
            let h = sanitize_line(h);
            match f {
                Some(f) => writeln!(out, "  {h} → {f}")?,
                None => writeln!(out, "  {h} → {}", ctx.lang.pick("(ignored)", "(無視)"))?,
            }
        }
        let ignored = s.mapping.ignored();
        if !ignored.is_empty() {
            writeln!(
                out,
                "{} {}",
                ctx.lang.pick("Ignored columns:", "取り込まない列:"),
                ignored.join(", ")
            )?;
        }
    }
    for (line, w) in &s.warnings {
        super::output::stderr_line(&format!("{}:{line}: {}", s.file, sanitize_line(w)));
    }
    let verb = if s.dry_run {
        ctx.lang
            .pick("Dry run (nothing written):", "ドライラン(書き込みなし):")
    } else {
        ctx.lang.pick("Imported:", "インポート:")
    };
    writeln!(
        out,
        "{verb} {} {}, {} {}, {} {}, {} {} ({} {})",
        s.rows,
        ctx.lang.pick("rows", "行"),
        s.new,
        ctx.lang.pick("new", "新規"),
        s.merged,
        ctx.lang.pick("merged", "統合"),
        s.bad.len(),
        ctx.lang.pick("bad", "不正"),
        ctx.lang.pick("encoding:", "文字コード:"),
        s.encoding,
    )?;
    if let Some(r) = &s.rejects {
        writeln!(
            out,
            "{} {}",
            ctx.lang
                .pick("Rejected rows written to", "取り込めなかった行:"),
            r.display()
        )?;
    }
    Ok(())
}

pub fn run(ctx: &Ctx, args: &ImportArgs) -> Result<ExitCode> {
    let ImportArgs {
        file,
        source,
        owner,
        encoding,
        dry_run,
        skip_bad,
    } = args;
    let opts = ImportOptions {
        source: source.clone(),
        owner: owner.clone(),
        encoding: *encoding,
        dry_run: *dry_run,
        skip_bad: *skip_bad,
        progress: std::io::stderr().is_terminal(),
    };
    // A FIFO, a device, a directory or an oversized file is refused before the database is
    // opened and before the file itself is opened.
    crate::import::check_input(file, &crate::import::display_name(file))?;
    // A dry run on a database that does not exist yet compares against an empty one in memory:
    // it creates no file.
    let mut store = if *dry_run && ctx.db_url.is_none() && !ctx.db.exists() {
        let mut s = Store::open_in_memory()?;
        s.ensure_rank_keys(&ctx.cfg)?;
        s
    } else {
        ctx.open_store()?
    };
    match import_file(&mut store, &ctx.cfg, file, &opts, ctx.now()) {
        Ok(s) => {
            if !s.bad.is_empty() {
                print_bad(&s.file, &s.bad);
            }
            if s.dry_run {
                super::output::to_stdout(|out| Ok(print_summary(&s, ctx, out)?))?;
            } else {
                // Committed: a summary that cannot be printed is only a warning.
                let mut text = Vec::new();
                print_summary(&s, ctx, &mut text)?;
                let saved = ctx
                    .lang
                    .pick("the import was saved", "インポートは保存しました");
                super::output::confirm(ctx.lang, saved, &String::from_utf8_lossy(&text));
            }
            // A dry run of a file with bad rows fails like the real import would.
            if s.dry_run && !s.bad.is_empty() && !skip_bad {
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::BadRows { file, rows }) => {
            print_bad(&file, &rows);
            Err(ImportError::BadRows { file, rows }.into())
        }
        Err(e) => Err(e.into()),
    }
}
