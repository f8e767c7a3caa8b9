//! Decoded text → records → leads or bad rows, each with the editor line it starts on.

use super::reader::TextReader;
use super::*;

/// Values for rows that leave a column empty.
pub(super) struct Defaults {
    pub source: String,
    pub owner: String,
    pub now: DateTime<Utc>,
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

/// One data row of the file: a lead, or a bad row.
pub(super) enum Item {
    Lead(Box<NewLead>),
    Bad(BadRow),
}

/// The file's rows as they stream by: the header is read by [`Rows::open`], then each
/// [`Rows::next`] reads one record. Nothing of earlier rows is kept.
pub(super) struct Rows<'a, R: std::io::Read> {
    rdr: Rdr<R>,
    rec: csv::StringRecord,
    file: &'a str,
    cfg: &'a Config,
    defaults: &'a Defaults,
    pub header_line: u64,
    pub mapping: Mapping,
    cols: Cols,
    width: usize,
    /// Data rows read (blank ones not counted).
    pub count: usize,
}

impl<'a, R: std::io::Read> Rows<'a, R> {
    pub(super) fn open(
        text: TextReader<R>,
        file: &'a str,
        cfg: &'a Config,
        defaults: &'a Defaults,
    ) -> Result<Self, ImportError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut rec = csv::StringRecord::new();
        let fail = |line: u64, reason: String| ImportError::File {
            file: file.to_string(),
            line,
            reason,
        };
        let (header_line, headers, mapping) = header(&mut rdr, &mut rec, &fail)?;
        let cols = Cols::new(&mapping);
        Ok(Rows {
            rdr,
            rec,
            file,
            cfg,
            defaults,
            header_line,
            mapping,
            cols,
            width: headers.len(),
            count: 0,
        })
    }

    /// Raw bytes of the file read so far (for the progress line).
    pub(super) fn bytes_read(&self) -> u64 {
        self.rdr.get_ref().raw_read()
    }

    /// The next data row; `None` at the end of the file. `warn` hears of values dropped.
    pub(super) fn next(
        &mut self,
        warn: &mut dyn FnMut(u64, String),
    ) -> Result<Option<Item>, ImportError> {
        let file = self.file;
        let fail = |line: u64, reason: String| ImportError::File {
            file: file.to_string(),
            line,
            reason,
        };
        let blank = |rec: &csv::StringRecord| rec.iter().all(|f| f.trim().is_empty());
        loop {
            let Some(line) = next(&mut self.rdr, &mut self.rec, &fail)? else {
                if self.count == 0 {
                    return Err(fail(
                        self.header_line + 1,
                        "no leads: the file has a header row and nothing else".into(),
                    ));
                }
                return Ok(None);
            };
            if blank(&self.rec) {
                continue;
            }
            self.count += 1;
            let rec = &self.rec;
            let result = if rec.len() != self.width {
                Err(format!(
                    "{} fields, but the header has {}",
                    rec.len(),
                    self.width
                ))
            } else if let Some(long) = self.cols.too_long(rec) {
                Err(long)
            } else {
                self.cols
                    .lead(rec, self.cfg, self.defaults, &mut |w| warn(line, w))
            };
            return Ok(Some(match result {
                Ok(lead) => Item::Lead(Box::new(lead)),
                Err(reason) => Item::Bad(BadRow {
                    line,
                    reason,
                    fields: rec.iter().map(str::to_string).collect(),
                }),
            }));
        }
    }
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
