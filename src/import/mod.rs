//! Import of CRM and Excel CSV exports with no mapping step (see `kaden import`).
//!
//! The pipeline: read the bytes → decode ([`decode`]) → parse with the csv crate → map the
//! header row ([`headers`]) → turn every record into a [`NewLead`] or a bad row → if any row is
//! bad and `--skip-bad` was not given, stop with nothing written → otherwise dedupe (by E.164
//! phone/mobile and email, inside the file and against the database) and insert everything in
//! ONE transaction. A duplicate only fills the existing lead's empty fields; its status, next
//! action and history are never touched.

pub mod decode;
pub mod headers;
pub mod status_map;

use crate::cli::Encoding;
use crate::config::Config;
use crate::domain::hours::local_to_utc;
use crate::domain::text::sanitize_line;
use crate::domain::{Role, Tier, phone};
use crate::store::{self, CompanyInput, NewLead, Store, StoreError};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use headers::{Field, Mapping};
use rusqlite::{Connection, OptionalExtension, params};
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

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        ImportError::Store(e.into())
    }
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
        let counts = merge_and_insert(store.conn(), parsed.rows, cfg, now, false, false)?;
        summary.new = counts.0;
        summary.merged = counts.1;
        return Ok(summary);
    }
    if parsed.rows.len() > 10_000 {
        // A bigger page cache for this connection: the leads table's indexes then stay in
        // memory while 100k rows go in (a connection setting; the file is not changed).
        store.conn().execute_batch("PRAGMA cache_size = -16384")?;
    }
    let tx = store.write()?;
    let (new, merged) = merge_and_insert(&tx, parsed.rows, cfg, now, true, opts.progress)?;
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
    tx.commit()?;
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
struct Cols {
    idx: HashMap<Field, usize>,
    japanese_name: bool,
}

fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
    })
}

fn valid_email(e: &str) -> bool {
    let mut parts = e.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.contains(char::is_whitespace)
}

fn parse_employees(s: &str) -> Option<i64> {
    use unicode_normalization::UnicodeNormalization;
    let digits: String = s
        .nfkc()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A create date as CRMs and Excel write it; naive times are in `zone`.
pub fn parse_created(s: &str, zone: Tz) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Some(t) = store::parse_ts(s) {
        return Some(t);
    }
    const TIMES: &[&str] = &[
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%Y年%m月%d日 %H:%M",
    ];
    for f in TIMES {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return Some(local_to_utc(zone, n));
        }
    }
    const DAYS: &[&str] = &[
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%m/%d/%Y",
        "%Y年%m月%d日",
        "%Y.%m.%d",
    ];
    for f in DAYS {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(local_to_utc(zone, d.and_hms_opt(0, 0, 0)?));
        }
    }
    None
}

/// The tier rules of the config: first match wins.
fn tier_by_rules(cfg: &Config, industry: &str, employees: Option<i64>) -> Option<Tier> {
    cfg.tier_rules
        .iter()
        .find(|r| {
            r.industry
                .as_deref()
                .is_none_or(|i| i.trim().eq_ignore_ascii_case(industry.trim()))
                && r.min_employees
                    .is_none_or(|m| employees.is_some_and(|e| e >= 0 && e as u64 >= m))
                && r.max_employees
                    .is_none_or(|m| employees.is_some_and(|e| e >= 0 && e as u64 <= m))
        })
        .map(|r| r.tier)
}

impl Cols {
    fn new(m: &Mapping) -> Cols {
        let idx: HashMap<Field, usize> = m
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.map(|f| (f, i)))
            .collect();
        let japanese_name = idx
            .get(&Field::LastName)
            .is_some_and(|i| is_cjk(&m.headers[*i]));
        Cols { idx, japanese_name }
    }

    /// One record → a lead, or why not.
    fn lead(
        &self,
        rec: &csv::StringRecord,
        cfg: &Config,
        d: &Defaults,
        warn: &mut dyn FnMut(String),
    ) -> Result<NewLead, String> {
        let get = |f: Field| -> String {
            self.idx
                .get(&f)
                .and_then(|i| rec.get(*i))
                .map(|v| sanitize_line(strip_formula_guard(v)))
                .unwrap_or_default()
        };
        let name = {
            let full = get(Field::FullName);
            if !full.is_empty() {
                full
            } else {
                let (first, last) = (get(Field::FirstName), get(Field::LastName));
                let parts = if self.japanese_name || is_cjk(&first) || is_cjk(&last) {
                    [last, first]
                } else {
                    [first, last]
                };
                parts
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        };
        let region = &cfg.phone_region;
        let phone_of = |f: Field| -> (Option<String>, Option<String>) {
            match phone::normalize(&get(f), region) {
                Ok(p) => (p, None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        let (phone, phone_err) = phone_of(Field::Phone);
        let (mobile, mobile_err) = phone_of(Field::Mobile);
        let raw_email = get(Field::Email).to_lowercase();
        let (email, email_err) = if raw_email.is_empty() {
            (None, None)
        } else if valid_email(&raw_email) {
            (Some(raw_email), None)
        } else {
            (None, Some(format!("invalid email '{raw_email}'")))
        };
        let problems: Vec<String> = [phone_err, mobile_err, email_err]
            .into_iter()
            .flatten()
            .collect();
        if phone.is_none() && mobile.is_none() && email.is_none() {
            return Err(match problems.first() {
                Some(p) => format!("{p}, and no other phone or email"),
                None => "no phone and no email: a lead needs one to be reached".into(),
            });
        }
        for p in problems {
            warn(format!("{p}: left empty"));
        }
        let status_raw = get(Field::Status);
        let status = status_map::status(&status_raw).ok_or_else(|| {
            format!(
                "unknown lead status '{status_raw}' (known: Salesforce, HubSpot and Japanese statuses, or {})",
                crate::domain::LeadStatus::ALL
                    .iter()
                    .map(|s| s.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        let industry = get(Field::Industry);
        let employees = parse_employees(&get(Field::Employees));
        let tier_raw = get(Field::Tier);
        let rating_raw = get(Field::Rating);
        let tier = match status_map::tier(&tier_raw) {
            Ok(Some(t)) => Some(t),
            Ok(None) => status_map::rating(&rating_raw)
                .map_err(|_| format!("unknown rating '{rating_raw}' (Hot, Warm, Cold or 1–3)"))?,
            Err(_) => return Err(format!("unknown tier '{tier_raw}' (1, 2, 3, T1–T3 or A–C)")),
        }
        .or_else(|| tier_by_rules(cfg, &industry, employees))
        .unwrap_or(cfg.default_tier);
        let nonempty_or = |v: String, default: &str| {
            if v.is_empty() { default.to_string() } else { v }
        };
        Ok(NewLead {
            company: CompanyInput {
                name: get(Field::Company),
                industry,
                employees,
                website: get(Field::Website),
                tier: Some(tier),
            },
            name,
            title: get(Field::Title),
            department: get(Field::Department),
            role: get(Field::Role).parse::<Role>().ok(),
            phone,
            mobile,
            email,
            source: nonempty_or(get(Field::Source), &d.source),
            owner: nonempty_or(get(Field::Owner), &d.owner),
            time_zone: get(Field::TimeZone).parse::<Tz>().ok(),
            status,
            created_at: parse_created(&get(Field::CreatedAt), cfg.time_zone).unwrap_or(d.now),
        })
    }
}

/// Fill `dst` where it is empty; true when something changed.
fn fill(dst: &mut NewLead, src: &NewLead) -> bool {
    fn s(d: &mut String, v: &str) -> bool {
        let ch = d.is_empty() && !v.is_empty();
        if ch {
            *d = v.to_string();
        }
        ch
    }
    fn o<T: Clone>(d: &mut Option<T>, v: &Option<T>) -> bool {
        let ch = d.is_none() && v.is_some();
        if ch {
            d.clone_from(v);
        }
        ch
    }
    // Non-short-circuiting `|`: every field gets its chance.
    s(&mut dst.name, &src.name)
        | s(&mut dst.title, &src.title)
        | s(&mut dst.department, &src.department)
        | o(&mut dst.role, &src.role)
        | o(&mut dst.phone, &src.phone)
        | o(&mut dst.mobile, &src.mobile)
        | o(&mut dst.email, &src.email)
        | s(&mut dst.source, &src.source)
        | s(&mut dst.owner, &src.owner)
}

fn keys(l: &NewLead) -> impl Iterator<Item = &String> {
    [&l.phone, &l.mobile, &l.email].into_iter().flatten()
}

/// A lead already in the database that rows of this file merge into.
struct Existing {
    lead: NewLead,
    changed: bool,
}

#[derive(Clone, Copy)]
enum Target {
    New(usize),
    Db(i64),
}

/// Dedupe `rows` and (when `write`) insert them; returns (new, merged).
fn merge_and_insert(
    conn: &Connection,
    rows: Vec<NewLead>,
    cfg: &Config,
    now: DateTime<Utc>,
    write: bool,
    progress: bool,
) -> Result<(usize, usize), ImportError> {
    let db_has_leads: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM leads)", [], |r| r.get(0))?;
    let mut seen: HashMap<String, Target> = HashMap::with_capacity(rows.len() * 2);
    // Leads stay where they are in `rows` (no second copy of a 100,000-row file in memory);
    // `is_new[j]` marks the ones to insert.
    let mut rows = rows;
    let mut is_new = vec![false; rows.len()];
    let mut new = 0usize;
    let mut existing: HashMap<i64, Existing> = HashMap::new();
    let mut merged = 0usize;
    for j in 0..rows.len() {
        let mut target = keys(&rows[j]).find_map(|k| seen.get(k).copied());
        if target.is_none() && db_has_leads {
            target = find_in_db(conn, &rows[j])?.map(Target::Db);
        }
        let lead = match target {
            None => {
                is_new[j] = true;
                new += 1;
                target = Some(Target::New(j));
                rows.get(j)
            }
            Some(Target::New(i)) => {
                merged += 1;
                let row = rows[j].clone();
                fill(&mut rows[i], &row);
                rows.get(i)
            }
            Some(Target::Db(id)) => {
                merged += 1;
                let e = match existing.entry(id) {
                    std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                    std::collections::hash_map::Entry::Vacant(v) => v.insert(Existing {
                        lead: db_lead(conn, id)?,
                        changed: false,
                    }),
                };
                e.changed |= fill(&mut e.lead, &rows[j]);
                Some(&e.lead)
            }
        };
        if let (Some(lead), Some(t)) = (lead, target) {
            for k in keys(lead) {
                seen.entry(k.clone()).or_insert(t);
            }
        }
    }
    drop(seen);
    if !write {
        return Ok((new, merged));
    }
    let show = progress && new >= 5_000;
    let mut writer = store::LeadWriter::for_conn(conn)?;
    let mut insert_all = || -> store::Result<()> {
        let fresh = rows
            .iter()
            .zip(&is_new)
            .filter(|(_, n)| **n)
            .map(|(l, _)| l);
        for (i, lead) in fresh.enumerate() {
            writer.insert(
                conn,
                lead,
                &cfg.weights,
                cfg.default_time_zone,
                cfg.default_tier,
            )?;
            if show && i % 2_000 == 0 {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\rkaden: importing {i}/{new}…");
                let _ = err.flush();
            }
        }
        Ok(())
    };
    let stored: i64 = conn.query_row("SELECT count(*) FROM leads", [], |r| r.get(0))?;
    if new >= 10_000 && new as i64 > stored {
        store::with_lead_indexes_rebuilt(conn, insert_all)?;
    } else {
        insert_all()?;
    }
    if show {
        eprint!("\r\x1b[2K");
    }
    let mut upd = conn.prepare_cached(
        "UPDATE leads SET name = ?2, title = ?3, department = ?4, role = ?5, phone = ?6, mobile = ?7,
                          email = ?8, source = ?9, owner = ?10, updated_at = ?11, version = version + 1
         WHERE id = ?1",
    )?;
    for (id, e) in existing.iter().filter(|(_, e)| e.changed) {
        let l = &e.lead;
        upd.execute(params![
            id,
            l.name,
            l.title,
            l.department,
            l.role.map(Role::key),
            l.phone,
            l.mobile,
            l.email,
            l.source,
            l.owner,
            store::ts(now),
        ])?;
    }
    Ok((new, merged))
}

/// A lead of the database with the same phone, mobile or email (indexed lookups).
fn find_in_db(conn: &Connection, row: &NewLead) -> Result<Option<i64>, ImportError> {
    for p in [&row.phone, &row.mobile].into_iter().flatten() {
        let id = conn
            .prepare_cached("SELECT id FROM leads WHERE phone = ?1 OR mobile = ?1 LIMIT 1")?
            .query_row([p], |r| r.get(0))
            .optional()?;
        if id.is_some() {
            return Ok(id);
        }
    }
    if let Some(e) = &row.email {
        return Ok(conn
            .prepare_cached("SELECT id FROM leads WHERE email = ?1 LIMIT 1")?
            .query_row([e], |r| r.get(0))
            .optional()?);
    }
    Ok(None)
}

/// The fillable fields of a stored lead.
fn db_lead(conn: &Connection, id: i64) -> Result<NewLead, ImportError> {
    let l = store::get_lead(conn, id)?;
    Ok(NewLead {
        company: CompanyInput::default(),
        name: l.name,
        title: l.title,
        department: l.department,
        role: l.role,
        phone: l.phone,
        mobile: l.mobile,
        email: l.email,
        source: l.source,
        owner: l.owner,
        time_zone: None,
        status: l.status,
        created_at: l.created_at,
    })
}

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
        assert!(valid_email("a@b.co"));
        assert!(!valid_email("a@b"));
        assert!(!valid_email("a@@b.co"));
        assert!(!valid_email("a b@c.co"));
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
