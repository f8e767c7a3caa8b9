//! Decoded text → records → leads or bad rows, each with the editor line it starts on.

use super::reader::TextReader;
use super::*;

/// Values for rows that leave a column empty.
pub(super) struct Defaults {
    pub source: String,
    pub owner: String,
    pub now: DateTime<Utc>,
}

pub(super) struct Parsed {
    pub mapping: Mapping,
    pub rows: Vec<NewLead>,
    pub bad: Vec<BadRow>,
    pub warnings: Vec<(u64, String)>,
}

/// Undo the `'` our export puts before formula-like cells.
pub(super) fn strip_formula_guard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

type Rdr<R> = csv::Reader<TextReader<R>>;

/// Read the next record; `Ok(None)` at the end. Returns the record's editor line.
fn next<R: std::io::Read>(
    rdr: &mut Rdr<R>,
    rec: &mut csv::StringRecord,
    fail: &dyn Fn(u64, String) -> ImportError,
) -> Result<Option<u64>, ImportError> {
    match rdr.read_record(rec) {
        Ok(true) => {
            let pos = rec.position().map_or(0, |p| p.byte());
            Ok(Some(rdr.get_mut().tracker.record_line(pos)))
        }
        Ok(false) => match rdr.get_ref().finish() {
            Some(f) => Err(fail(f.line, f.reason)),
            None => Ok(None),
        },
        Err(e) => Err(match rdr.get_ref().failure() {
            Some(f) => fail(f.line, f.reason.clone()),
            None => {
                let line = rdr.get_ref().tracker.next_line();
                match e.into_kind() {
                    csv::ErrorKind::Io(io) => fail(line, format!("cannot read the file: {io}")),
                    other => fail(line, format!("cannot read the CSV: {other:?}")),
                }
            }
        }),
    }
}

/// The header row (the first row that is not blank): its line, cells and mapping.
fn header<R: std::io::Read>(
    rdr: &mut Rdr<R>,
    rec: &mut csv::StringRecord,
    fail: &dyn Fn(u64, String) -> ImportError,
) -> Result<(u64, Vec<String>, Mapping), ImportError> {
    let blank = |rec: &csv::StringRecord| rec.iter().all(|f| f.trim().is_empty());
    // The header row: the first row that is not blank.
    let header_line = loop {
        match next(rdr, rec, fail)? {
            None => return Err(fail(1, "empty file: no header row and no leads".into())),
            Some(line) if !blank(rec) => break line,
            Some(_) => {}
        }
    };
    if rec.len() > MAX_COLUMNS {
        return Err(fail(
            header_line,
            format!(
                "the header has {} columns, over the limit of {MAX_COLUMNS}",
                rec.len()
            ),
        ));
    }
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
    Ok((header_line, headers, mapping))
}

pub(super) fn parse<R: std::io::Read>(
    text: TextReader<R>,
    file: &str,
    cfg: &Config,
    d: &Defaults,
) -> Result<Parsed, ImportError> {
    let fail = |line: u64, reason: String| ImportError::File {
        file: file.to_string(),
        line,
        reason,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut rec = csv::StringRecord::new();
    let (header_line, headers, mapping) = header(&mut rdr, &mut rec, &fail)?;
    let blank = |rec: &csv::StringRecord| rec.iter().all(|f| f.trim().is_empty());
    let cols = Cols::new(&mapping);
    // Convert record by record, keeping only the leads (and the raw fields of bad rows): the
    // file's records are never all in memory at once.
    let width = headers.len();
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    let mut warnings = Vec::new();
    while let Some(line) = next(&mut rdr, &mut rec, &fail)? {
        if blank(&rec) {
            continue;
        }
        let result = if rec.len() != width {
            Err(format!("{} fields, but the header has {width}", rec.len()))
        } else if let Some(long) = cols.too_long(&rec) {
            Err(long)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_guard_is_removed() {
        assert_eq!(strip_formula_guard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(strip_formula_guard("'-5"), "-5");
        assert_eq!(strip_formula_guard("'quoted'"), "'quoted'");
    }
}
