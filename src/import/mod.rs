//! Import of CRM and Excel CSV exports with no mapping step (see `kaden import`).
//!
//! The pipeline streams: check the file type and size ([`check_input`], before opening it) →
//! detect the encoding on a bounded prefix ([`decode`]) → decode the file through a strict
//! reader that counts editor lines ([`reader`]) into the csv crate → map the header row
//! ([`headers`]) → turn each record into a [`NewLead`] or a bad row → dedupe it (by E.164
//! phone/mobile and email, inside the file and against the database, both through the
//! database) and write it, all in ONE transaction. Memory does not grow with the file: a row
//! is gone once written. A bad row without `--skip-bad` stops the writing (the rest of the file
//! is still read, to report every bad row) and the transaction is rolled back: nothing is
//! written. A duplicate only fills the existing lead's empty fields; its status, next action
//! and history are never touched. `--dry-run` does the same work in a transaction that is
//! rolled back, so its counts are the import's.

pub mod decode;
mod dedupe;
pub mod headers;
mod limits;
mod parse;
mod progress;
pub mod reader;
mod row;
pub mod status_map;

use dedupe::*;
pub use limits::{
    MAX_COLUMNS, MAX_FIELD_BYTES, MAX_FILE_BYTES, MAX_ROW_BYTES, check_input, human_bytes,
};
use parse::*;
pub use row::parse_created;
use row::*;

use crate::cli::Encoding;
use crate::config::Config;
use crate::domain::hours::local_to_utc;
use crate::domain::text::sanitize_line;
use crate::domain::{Role, Tier, phone};
use crate::store::{self, CompanyInput, LeadImport, NewLead, Store, StoreError};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use headers::{Field, Mapping};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What `kaden import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Lead source for rows without one (default: the file's stem).
    pub source: Option<String>,
    /// Owner for rows without one (default: the config's rep).
    pub owner: Option<String>,
    pub encoding: Encoding,
    /// Count and show the mapping; write nothing.
    pub dry_run: bool,
    /// Import the good rows and write the bad ones to `<input>.rejects.csv`.
    pub skip_bad: bool,
    /// Draw a progress line on stderr (only when it is a terminal).
    pub progress: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            source: None,
            owner: None,
            encoding: Encoding::Auto,
            dry_run: false,
            skip_bad: false,
            progress: false,
        }
    }
}

/// A row that could not be imported: the physical line it starts on, why, and its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
    pub fields: Vec<String>,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Clone)]
pub struct ImportSummary {
    /// The input as the user named it.
    pub file: String,
    /// The encoding read (detected or forced).
    pub encoding: &'static str,
    pub mapping: Mapping,
    /// Data rows read (blank rows not counted).
    pub rows: usize,
    /// Leads created.
    pub new: usize,
    /// Rows that matched a lead already in the database or earlier in the file.
    pub merged: usize,
    pub bad: Vec<BadRow>,
    /// Rows imported with a value dropped (e.g. an unreadable phone next to a good email).
    pub warnings: Vec<(u64, String)>,
    /// The reject file written by `--skip-bad`.
    pub rejects: Option<PathBuf>,
    pub dry_run: bool,
}

/// Why an import was refused. Nothing was written in every case.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input is not a regular file, or too big (checked before it is opened).
    #[error("{file}: {reason}")]
    Input { file: String, reason: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// The file as a whole is unusable (empty, binary, headerless, unclosed quote, …).
    #[error("{file}:{line}: {reason}")]
    File {
        file: String,
        line: u64,
        reason: String,
    },
    /// Some rows are bad and `--skip-bad` was not given.
    #[error("{file}: {} bad row{}, first at line {}: nothing was imported (fix them, or use --skip-bad to import the others)",
        rows.len(), if rows.len() == 1 { "" } else { "s" }, rows.first().map_or(0, |r| r.line))]
    BadRows { file: String, rows: Vec<BadRow> },
    #[error("cannot write the reject file {path}: {source}; nothing was imported")]
    Rejects {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The reject file `--skip-bad` writes beside `input`.
pub fn rejects_path(input: &Path) -> PathBuf {
    let mut s = input.as_os_str().to_os_string();
    s.push(".rejects.csv");
    PathBuf::from(s)
}

/// The name of a file as messages show it: sanitised (a file name can hold escape sequences).
pub fn display_name(path: &Path) -> String {
    sanitize_line(&path.display().to_string())
}

/// Import `path` into `store`. All or nothing: one transaction for the whole file.
pub fn import_file(
    store: &mut Store,
    cfg: &Config,
    path: &Path,
    opts: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<ImportSummary, ImportError> {
    let file = display_name(path);
    check_input(path, &file)?;
    let f = crate::files::open_read(path).map_err(|e| ImportError::Read {
        path: file.clone(),
        source: e,
    })?;
    let stem = path
        .file_stem()
        .map(|s| sanitize_line(&s.to_string_lossy()))
        .unwrap_or_default();
    let size = f.metadata().ok().map(|m| m.len());
    let input = Input {
        file,
        rejects: rejects_path(path),
        stem,
        size,
    };
    import_reader(store, cfg, f, &input, opts, now)
}

/// [`import_file`] on bytes already read; `file` names them in messages, `stem` is the default
/// lead source. The reject file (with `--skip-bad`) goes beside `file`.
pub fn import_bytes(
    store: &mut Store,
    cfg: &Config,
    bytes: &[u8],
    file: &str,
    stem: &str,
    opts: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<ImportSummary, ImportError> {
    let input = Input {
        file: sanitize_line(file),
        rejects: rejects_path(Path::new(file)),
        stem: stem.to_string(),
        size: Some(bytes.len() as u64),
    };
    import_reader(store, cfg, bytes, &input, opts, now)
}

/// Where the data comes from, as messages name it.
struct Input {
    /// The file's name for messages (sanitised).
    file: String,
    /// Where `--skip-bad` writes the rejected rows.
    rejects: PathBuf,
    /// The default lead source.
    stem: String,
    /// The input's size in bytes, when known (for the progress line).
    size: Option<u64>,
}

/// Detect the encoding on the first [`decode::PREFIX_BYTES`], then stream the rest.
fn open_text<R: Read + Send>(
    mut raw: R,
    forced: Encoding,
) -> Result<(reader::TextReader<impl Read>, &'static str), decode::DecodeError> {
    let mut prefix = Vec::with_capacity(decode::PREFIX_BYTES);
    let io_error = |e: std::io::Error| decode::DecodeError {
        line: 1,
        reason: format!("cannot read the file: {e}"),
    };
    (&mut raw)
        .take(decode::PREFIX_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(io_error)?;
    let complete = prefix.len() < decode::PREFIX_BYTES;
    let det = decode::detect(&prefix, complete, forced)?;
    let mut head = std::io::Cursor::new(prefix);
    head.set_position(det.bom as u64);
    let text = reader::TextReader::new(
        head.chain(raw),
        det.encoding,
        det.name,
        det.bom as u64,
        MAX_FILE_BYTES,
        MAX_ROW_BYTES,
    );
    Ok((text, det.name))
}

fn import_reader<R: Read + Send>(
    store: &mut Store,
    cfg: &Config,
    raw: R,
    input: &Input,
    opts: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<ImportSummary, ImportError> {
    let file = input.file.as_str();
    let (text, encoding) = open_text(raw, opts.encoding).map_err(|e| ImportError::File {
        file: file.to_string(),
        line: e.line,
        reason: e.reason,
    })?;
    let defaults = Defaults {
        source: opts
            .source
            .as_deref()
            .map(sanitize_line)
            .unwrap_or_else(|| input.stem.clone()),
        // A file's rows without an owner: the `--owner` given, else the team's assignment
        // (the pool, dealt round-robin by task), else the importing rep.
        owner: opts
            .owner
            .as_deref()
            .map(sanitize_line)
            .or_else(|| cfg.assignment.import_default(&cfg.team_reps))
            .unwrap_or_else(|| cfg.rep.clone()),
        now,
    };
    let rows = Rows::open(text, file, cfg, &defaults)?;
    let mapping = rows.mapping.clone();
    let (skip_bad, dry_run) = (opts.skip_bad, opts.dry_run);
    let mut progress = progress::Progress::new(opts.progress, input.size);
    let mut bad: Vec<BadRow> = Vec::new();
    // The file is read and its rows turned into leads on a second thread, a batch ahead of
    // the writing (at most `QUEUED` batches wait: memory stays bounded).
    let (send, batches) = std::sync::mpsc::sync_channel::<Result<Batch, ImportError>>(QUEUED);
    let (outcome, read) = std::thread::scope(|scope| {
        let reader = scope.spawn(move || read_rows(rows, &send));
        let outcome = store.import(dry_run, |imp| {
            let mut dedupe = Dedupe::default();
            // Without --skip-bad, the first bad row stops the writing (nothing will be kept);
            // the rest of the file is still read so that every bad row is reported.
            let mut writing = true;
            for batch in batches {
                let batch = batch?;
                for item in batch.items {
                    match item {
                        Item::Lead(lead) if writing => dedupe.add(imp, &lead, cfg, now)?,
                        Item::Lead(..) => {}
                        Item::Bad(b) => {
                            writing &= skip_bad || dry_run;
                            bad.push(b);
                        }
                    }
                }
                progress.tick(batch.rows, batch.bytes);
            }
            progress.clear();
            if !writing {
                return Err(ImportError::BadRows {
                    file: file.to_string(),
                    rows: std::mem::take(&mut bad),
                });
            }
            if !dry_run {
                if cfg.assignment == crate::domain::assignment::Assignment::Task {
                    imp.deal_to_reps(&cfg.team_reps)?;
                }
                // The reject file is written before the commit: when it cannot be written,
                // nothing is imported.
                if !bad.is_empty() {
                    let path = input.rejects.clone();
                    write_rejects(&path, &mapping.headers, &bad).map_err(|e| {
                        ImportError::Rejects {
                            path: display_name(&path),
                            source: e,
                        }
                    })?;
                    return Ok((dedupe, Some(path)));
                }
            }
            Ok::<_, ImportError>((dedupe, None))
        });
        let read = reader
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (outcome, read)
    });
    let (rows, warnings) = read;
    progress.clear();
    let (counts, rejects) = outcome?;
    Ok(ImportSummary {
        file: file.to_string(),
        encoding,
        mapping,
        rows,
        new: counts.new,
        merged: counts.merged,
        bad,
        warnings,
        rejects,
        dry_run,
    })
}

/// Rows handed from the reading thread to the writing one at a time.
const BATCH: usize = 256;
/// Batches read ahead of the writing, at most.
const QUEUED: usize = 8;

/// Rows read and converted, with how far into the file they reach.
struct Batch {
    items: Vec<Item>,
    /// Data rows read so far, and raw bytes.
    rows: usize,
    bytes: u64,
}

/// The reading thread: every row of the file, in batches, until the end, a failure (sent on),
/// or the writer hanging up. Returns the rows read and the warnings.
fn read_rows<R: Read>(
    mut rows: Rows<'_, R>,
    send: &std::sync::mpsc::SyncSender<Result<Batch, ImportError>>,
) -> (usize, Vec<(u64, String)>) {
    let mut warnings = Vec::new();
    loop {
        let mut items = Vec::with_capacity(BATCH);
        let mut end = false;
        while items.len() < BATCH {
            match rows.next(&mut |line, w| warnings.push((line, w))) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => {
                    end = true;
                    break;
                }
                Err(e) => {
                    let _ = send.send(Err(e));
                    return (rows.count, warnings);
                }
            }
        }
        let batch = Batch {
            items,
            rows: rows.count,
            bytes: rows.bytes_read(),
        };
        if send.send(Ok(batch)).is_err() || end {
            return (rows.count, warnings);
        }
    }
}

/// Column indexes of each field.
/// `<input>.rejects.csv`: line, reason and the original fields (UTF-8 with BOM, CRLF, formula
/// cells neutralised like an export; import strips that guard again).
/// Written owner-only beside the input and renamed into place (see `crate::files`).
fn write_rejects(path: &Path, headers: &[String], bad: &[BadRow]) -> std::io::Result<()> {
    crate::files::write_private(path, |f| write_rejects_to(f, headers, bad))
}

fn write_rejects_to(f: &mut dyn Write, headers: &[String], bad: &[BadRow]) -> std::io::Result<()> {
    f.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(f);
    let mut head = vec!["line".to_string(), "reason".to_string()];
    head.extend(headers.iter().cloned());
    w.write_record(&head)?;
    for b in bad {
        let mut rec = vec![b.line.to_string(), b.reason.clone()];
        rec.extend(
            b.fields
                .iter()
                .map(|f| crate::export::neutralize(f).into_owned()),
        );
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_dates() {
        assert!(crate::domain::text::is_email("a@b.co"));
        assert!(!crate::domain::text::is_email("a@b"));
        assert!(!crate::domain::text::is_email("a@@b.co"));
        assert!(!crate::domain::text::is_email("a b@c.co"));
        let tokyo = chrono_tz::Asia::Tokyo;
        assert_eq!(
            parse_created("2026/11/20 09:00", tokyo).map(store::ts),
            Some("2026-11-20T00:00:00Z".into())
        );
        assert_eq!(
            parse_created("11/20/2026", tokyo).map(store::ts),
            Some("2026-11-19T15:00:00Z".into())
        );
        assert_eq!(parse_created("soon", tokyo), None);
        assert_eq!(parse_employees("1,200名"), Some(1200));
        assert_eq!(parse_employees("１２０人"), Some(120));
        assert_eq!(parse_employees("51-200"), Some(51));
    }
}
