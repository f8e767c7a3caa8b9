//! Import of CRM and Excel CSV exports with no mapping step (see `kaden import`).
//!
//! The pipeline: read the bytes → decode ([`decode`]) → parse with the csv crate → map the
//! header row ([`headers`]) → turn every record into a [`NewLead`] or a bad row → if any row is
//! bad and `--skip-bad` was not given, stop with nothing written → otherwise dedupe (by E.164
//! phone/mobile and email, inside the file and against the database) and insert everything in
//! ONE transaction. A duplicate only fills the existing lead's empty fields; its status, next
//! action and history are never touched.

pub mod decode;
mod dedupe;
pub mod headers;
mod row;
pub mod status_map;

use dedupe::*;
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
use std::io::Write;
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

/// Import `path` into `store`. All or nothing: one transaction for the whole file.
pub fn import_file(
    store: &mut Store,
    cfg: &Config,
    path: &Path,
    opts: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<ImportSummary, ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read {
        path: file.clone(),
        source: e,
    })?;
    let stem = path
        .file_stem()
        .map(|s| sanitize_line(&s.to_string_lossy()))
        .unwrap_or_default();
    import_bytes(store, cfg, &bytes, &file, &stem, opts, now)
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
    let (text, encoding) = decode::decode(bytes, opts.encoding).map_err(|e| ImportError::File {
        file: file.to_string(),
        line: e.line,
        reason: e.reason,
    })?;
    let defaults = Defaults {
        source: opts
            .source
            .as_deref()
            .map(sanitize_line)
            .unwrap_or_else(|| stem.to_string()),
        owner: opts
            .owner
            .as_deref()
            .map(sanitize_line)
            .unwrap_or_else(|| cfg.rep.clone()),
        now,
    };
    let parsed = parse(&text, file, cfg, &defaults)?;
    let mut summary = ImportSummary {
        file: file.to_string(),
        encoding,
        mapping: parsed.mapping,
        rows: parsed.rows.len() + parsed.bad.len(),
        new: 0,
        merged: 0,
        bad: parsed.bad,
        warnings: parsed.warnings,
        rejects: None,
        dry_run: opts.dry_run,
    };
    if !summary.bad.is_empty() && !opts.skip_bad && !opts.dry_run {
        return Err(ImportError::BadRows {
            file: file.to_string(),
            rows: summary.bad,
        });
    }
    if opts.dry_run {
        let counts = store
            .import_preview(|imp| merge_and_insert(imp, parsed.rows, cfg, now, false, false))?;
        summary.new = counts.0;
        summary.merged = counts.1;
        return Ok(summary);
    }
    let large = parsed.rows.len() > 10_000;
    let (new, merged) = store.import(large, |imp| {
        let counts = merge_and_insert(imp, parsed.rows, cfg, now, true, opts.progress)?;
        // The reject file is written before the commit: when it cannot be written, nothing is
        // imported.
        if !summary.bad.is_empty() {
            let path = rejects_path(Path::new(file));
            write_rejects(&path, &summary.mapping.headers, &summary.bad).map_err(|e| {
                ImportError::Rejects {
                    path: path.display().to_string(),
                    source: e,
                }
            })?;
            summary.rejects = Some(path);
        }
        Ok::<_, ImportError>(counts)
    })?;
    summary.new = new;
    summary.merged = merged;
    Ok(summary)
}

/// Values for rows that leave a column empty.
struct Defaults {
    source: String,
    owner: String,
    now: DateTime<Utc>,
}

struct Parsed {
    mapping: Mapping,
    rows: Vec<NewLead>,
    bad: Vec<BadRow>,
    warnings: Vec<(u64, String)>,
}

/// Where a quoted field is left open at the end of the text (csv accepts that silently, so
/// it is checked here: only the quote state is tracked; the csv crate does the parsing).
fn unclosed_quote(text: &str) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum S {
        Start,
        Field,
        Quoted(usize),
        QuoteInQuoted(usize),
    }
    let mut s = S::Start;
    for (i, b) in text.bytes().enumerate() {
        s = match (s, b) {
            (S::Start, b'"') => S::Quoted(i),
            (S::Start | S::Field, b',' | b'\n' | b'\r') => S::Start,
            (S::Start | S::Field, _) => S::Field,
            (S::Quoted(o), b'"') => S::QuoteInQuoted(o),
            (S::Quoted(o), _) => S::Quoted(o),
            (S::QuoteInQuoted(o), b'"') => S::Quoted(o),
            (S::QuoteInQuoted(_), b',' | b'\n' | b'\r') => S::Start,
            (S::QuoteInQuoted(_), _) => S::Field,
        };
    }
    match s {
        S::Quoted(o) => Some(o),
        _ => None,
    }
}

/// Undo the `'` our export puts before formula-like cells.
fn strip_formula_guard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

fn parse(text: &str, file: &str, cfg: &Config, d: &Defaults) -> Result<Parsed, ImportError> {
    let fail = |line: u64, reason: String| ImportError::File {
        file: file.to_string(),
        line,
        reason,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    if let Some(at) = unclosed_quote(text) {
        // Report the line the broken record starts on.
        let mut line = 1 + text[..at].matches('\n').count() as u64;
        let mut rec = csv::StringRecord::new();
        while let Ok(true) = rdr.read_record(&mut rec) {
            if let Some(p) = rec.position()
                && p.byte() as usize <= at
            {
                line = p.line();
            }
        }
        return Err(fail(
            line,
            "unclosed quote: a quoted field runs to the end of the file".into(),
        ));
    }
    let mut rec = csv::StringRecord::new();
    let read = |rdr: &mut csv::Reader<&[u8]>, rec: &mut csv::StringRecord| {
        rdr.read_record(rec).map_err(|e| {
            let line = e.position().map_or(1, |p| p.line());
            fail(line, format!("cannot read the CSV: {e}"))
        })
    };
    let blank = |rec: &csv::StringRecord| rec.iter().all(|f| f.trim().is_empty());
    // The header row: the first row that is not blank.
    let header_line = loop {
        if !read(&mut rdr, &mut rec)? {
            return Err(fail(1, "empty file: no header row and no leads".into()));
        }
        if !blank(&rec) {
            break rec.position().map_or(1, |p| p.line());
        }
    };
    let headers: Vec<String> = rec.iter().map(|h| h.trim().to_string()).collect();
    let mapping = Mapping::new(&headers);
    if !mapping.recognised() {
        let first: Vec<String> = headers.iter().take(4).map(|h| sanitize_line(h)).collect();
        return Err(fail(
            header_line,
            format!(
                "headerless or unrecognised file: no column is a name, company, phone or email (first row: {})",
                crate::domain::text::truncate(&first.join(", "), 60)
            ),
        ));
    }
    let cols = Cols::new(&mapping);
    // Convert record by record, keeping only the leads (and the raw fields of bad rows): the
    // file's records are never all in memory at once.
    let width = headers.len();
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    let mut warnings = Vec::new();
    let mut last_line = header_line;
    while read(&mut rdr, &mut rec)? {
        let line = rec.position().map_or(last_line + 1, |p| p.line());
        last_line = line;
        if blank(&rec) {
            continue;
        }
        let result = if rec.len() != width {
            Err(format!("{} fields, but the header has {width}", rec.len()))
        } else {
            cols.lead(&rec, cfg, d, &mut |w| warnings.push((line, w)))
        };
        match result {
            Ok(lead) => rows.push(lead),
            Err(reason) => bad.push(BadRow {
                line,
                reason,
                fields: rec.iter().map(str::to_string).collect(),
            }),
        }
    }
    if rows.is_empty() && bad.is_empty() {
        return Err(fail(
            header_line + 1,
            "no leads: the file has a header row and nothing else".into(),
        ));
    }
    Ok(Parsed {
        mapping,
        rows,
        bad,
        warnings,
    })
}

/// Column indexes of each field.
/// `<input>.rejects.csv`: line, reason and the original fields (UTF-8 with BOM, CRLF, formula
/// cells neutralised like an export; import strips that guard again).
fn write_rejects(path: &Path, headers: &[String], bad: &[BadRow]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
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
    fn unclosed_quotes_are_found() {
        assert_eq!(unclosed_quote("a,b\n1,2\n"), None);
        assert_eq!(unclosed_quote("a,\"b\"\"c\"\n1,\"x\ny\"\n"), None);
        assert_eq!(unclosed_quote("a,b\n1,\"2\n3,4\n"), Some(6));
        assert_eq!(unclosed_quote("a,b\n1,x\"y\n"), None);
    }

    #[test]
    fn formula_guard_is_removed() {
        assert_eq!(strip_formula_guard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(strip_formula_guard("'-5"), "-5");
        assert_eq!(strip_formula_guard("'quoted'"), "'quoted'");
    }

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
