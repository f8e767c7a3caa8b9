//! Export of leads, activities (CSV or JSON) and a calendar (RFC 5545 `.ics`).
//!
//! CSV is UTF-8 with a BOM and CRLF line ends, so Excel in Japan opens it correctly. A cell
//! that begins with `= + - @`, TAB or CR gets a leading `'` so a spreadsheet never runs it as
//! a formula (`raw` turns that off; import removes the guard again). Times are RFC 3339 local time
//! with the offset of the configured zone (`2026-11-24T10:00:00+09:00`), so a spreadsheet shows
//! the hour the rep lived; the instant is exact and import reads it back. The calendar keeps UTC.

use crate::cli::{DataFormat, ExportWhat};
use crate::domain::text::{sanitize_line, sanitize_multiline};
use crate::store::{self, CalendarKind, ExportActivity, ExportLead, Store};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::io::Write;

/// Columns of `kaden export leads`.
pub const LEAD_COLUMNS: &[&str] = &[
    "id",
    "company",
    "name",
    "title",
    "role",
    "phone",
    "email",
    "source",
    "tier",
    "status",
    "owner",
    "time_zone",
    "next_action_at",
    "next_action_channel",
    "next_action_note",
    "touches",
    "created_at",
];

/// Columns of `kaden export activities`.
pub const ACTIVITY_COLUMNS: &[&str] = &[
    "id",
    "lead_id",
    "company",
    "name",
    "at",
    "channel",
    "result",
    "reason",
    "note",
    "rep",
    "duration_s",
];

/// Length of a calendar event for a meeting and for a scheduled call.
pub const MEETING_LENGTH: Duration = Duration::hours(1);
pub const CALL_LENGTH: Duration = Duration::minutes(15);

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub what: ExportWhat,
    pub format: DataFormat,
    /// Keep formula-like cells as they are.
    pub raw: bool,
    /// Only rows on or after this instant (leads: changed since; activities: at; calendar:
    /// meeting or call time).
    pub since: Option<DateTime<Utc>>,
    /// Calendar: add the scheduled next actions of open leads.
    pub next_actions: bool,
    /// DTSTAMP of calendar events.
    pub now: DateTime<Utc>,
    /// The zone CSV and JSON times are written in (the config's `time_zone`).
    pub zone: Tz,
    /// Leads: only the leads with a touch of this reason (since `since`).
    pub reason: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("the calendar export is an .ics file: --format does not apply to it")]
    CalendarFormat,
    #[error("results are exported for a CRM: use kaden export results --for salesforce|hubspot")]
    Results,
}

/// A cell made safe to open in a spreadsheet: `'` before `= + - @`, TAB or CR.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell value: text, integer or nothing.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Int(i64),
    Null,
}

impl Cell {
    fn text(s: Option<String>) -> Cell {
        s.map_or(Cell::Null, Cell::Text)
    }
    fn int(n: Option<i64>) -> Cell {
        n.map_or(Cell::Null, Cell::Int)
    }
    fn json(&self) -> Value {
        match self {
            Cell::Text(s) => Value::String(sanitize_multiline(s)),
            Cell::Int(n) => Value::from(*n),
            Cell::Null => Value::Null,
        }
    }
    fn csv(&self, raw: bool) -> String {
        match self {
            Cell::Text(s) if raw => sanitize_multiline(s),
            Cell::Text(s) => neutralize(&sanitize_multiline(s)).into_owned(),
            Cell::Int(n) => n.to_string(),
            Cell::Null => String::new(),
        }
    }
}

/// A time as RFC 3339 in `zone`, with its offset (`2026-11-24T10:00:00+09:00`).
fn local_time(t: Option<DateTime<Utc>>, zone: Tz) -> Cell {
    t.map_or(Cell::Null, |t| {
        Cell::Text(
            t.with_timezone(&zone)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        )
    })
}

fn lead_row(l: ExportLead, zone: Tz) -> Vec<Cell> {
    vec![
        Cell::Int(l.id),
        Cell::Text(l.company),
        Cell::Text(l.name),
        Cell::Text(l.title),
        Cell::text(l.role),
        Cell::text(l.phone),
        Cell::text(l.email),
        Cell::Text(l.source),
        Cell::Int(l.tier),
        Cell::Text(l.status),
        Cell::Text(l.owner),
        Cell::Text(l.time_zone),
        local_time(l.next_at, zone),
        Cell::text(l.next_channel),
        Cell::text(l.next_note),
        Cell::Int(l.touches),
        local_time(Some(l.created_at), zone),
    ]
}

fn activity_row(a: ExportActivity, zone: Tz) -> Vec<Cell> {
    vec![
        Cell::Int(a.id),
        Cell::Int(a.lead_id),
        Cell::Text(a.company),
        Cell::Text(a.name),
        local_time(Some(a.at), zone),
        Cell::Text(a.channel),
        Cell::text(a.result),
        Cell::text(a.reason),
        Cell::text(a.note),
        Cell::Text(a.rep),
        Cell::int(a.duration_s),
    ]
}

/// Writes a table row by row, as CSV (BOM, CRLF, formula guard) or a JSON array.
struct TableWriter<'a> {
    columns: &'a [&'a str],
    raw: bool,
    sink: Sink<'a>,
    rows: usize,
}

enum Sink<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Json(&'a mut dyn Write),
}

impl<'a> TableWriter<'a> {
    fn start(
        out: &'a mut dyn Write,
        columns: &'a [&'a str],
        opts: &ExportOptions,
    ) -> Result<Self, ExportError> {
        let sink = match opts.format {
            DataFormat::Csv => {
                out.write_all(b"\xEF\xBB\xBF")?;
                let mut w = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(out);
                w.write_record(columns)?;
                Sink::Csv(Box::new(w))
            }
            DataFormat::Json => {
                out.write_all(b"[")?;
                Sink::Json(out)
            }
        };
        Ok(TableWriter {
            columns,
            raw: opts.raw,
            sink,
            rows: 0,
        })
    }

    fn row(&mut self, row: &[Cell]) -> Result<(), ExportError> {
        match &mut self.sink {
            Sink::Csv(w) => w.write_record(row.iter().map(|c| c.csv(self.raw)))?,
            Sink::Json(out) => {
                let m: Map<String, Value> = self
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(k, c)| (k.to_string(), c.json()))
                    .collect();
                out.write_all(if self.rows == 0 { b"\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut **out, &Value::Object(m))?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Finish the table; returns the number of rows.
    fn finish(self) -> Result<usize, ExportError> {
        match self.sink {
            Sink::Csv(mut w) => w.flush()?,
            Sink::Json(out) => {
                out.write_all(if self.rows == 0 { b"]\n" } else { b"\n]\n" })?;
                out.flush()?;
            }
        }
        Ok(self.rows)
    }
}

/// Stream a store read into a table: `each` hands over rows, `to_cells` makes them cells.
fn stream<T>(
    out: &mut dyn Write,
    columns: &[&str],
    opts: &ExportOptions,
    each: impl FnOnce(&mut dyn FnMut(T) -> store::Result<()>) -> store::Result<()>,
    to_cells: impl Fn(T) -> Vec<Cell>,
) -> Result<usize, ExportError> {
    let mut table = TableWriter::start(out, columns, opts)?;
    // A write error inside the store's row loop is carried out here (the loop only knows
    // store errors).
    let mut failed: Option<ExportError> = None;
    let read = each(&mut |row| match table.row(&to_cells(row)) {
        Ok(()) => Ok(()),
        Err(e) => {
            failed = Some(e);
            Err(store::StoreError::Invalid("export stopped".into()))
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    read?;
    table.finish()
}

/// One calendar event before it becomes a VEVENT.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarItem {
    pub uid: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub description: String,
}

fn summary(company: &str, name: &str) -> String {
    let (company, name) = (&sanitize_line(company), &sanitize_line(name));
    match (company.is_empty(), name.is_empty()) {
        (false, false) => format!("{company} — {name}"),
        (false, true) => company.to_string(),
        _ => name.to_string(),
    }
}

fn description(phone: Option<String>, note: Option<String>) -> String {
    let mut lines = Vec::new();
    if let Some(p) = phone {
        lines.push(format!("Phone: {}", sanitize_line(&p)));
    }
    if let Some(n) = note
        .map(|n| sanitize_multiline(&n))
        .filter(|n| !n.is_empty())
    {
        lines.push(format!("Note: {n}"));
    }
    lines.join("\n")
}

/// The events of the calendar export: appointments with a meeting time, and (with
/// `next_actions`) the scheduled next actions of open leads.
pub fn calendar_items(
    store: &Store,
    since: Option<DateTime<Utc>>,
    next_actions: bool,
) -> store::Result<Vec<CalendarItem>> {
    // The database's own id makes UIDs unique across databases (two reps' calendars never
    // collide) while one event keeps its UID in every export.
    let db = store.database_id()?;
    let items = store
        .calendar_rows(since, next_actions)?
        .into_iter()
        .map(|r| match r.kind {
            CalendarKind::Meeting => CalendarItem {
                uid: format!("appointment-{}.{db}@kaden", r.id),
                start: r.start,
                end: r.start + MEETING_LENGTH,
                summary: summary(&r.company, &r.name),
                description: description(r.phone, r.note),
            },
            CalendarKind::NextAction => {
                let how = match r.channel.as_deref() {
                    Some("call") | None => "Call".to_string(),
                    Some(c) => {
                        let mut s = c.to_string();
                        if let Some(f) = s.get_mut(0..1) {
                            f.make_ascii_uppercase();
                        }
                        s
                    }
                };
                CalendarItem {
                    uid: format!("next-{}.{db}@kaden", r.id),
                    start: r.start,
                    end: r.start + CALL_LENGTH,
                    summary: format!("{how}: {}", summary(&r.company, &r.name)),
                    description: description(r.phone, r.note),
                }
            }
        })
        .collect();
    Ok(items)
}

/// The items as an RFC 5545 calendar (CRLF, folded lines, UTC times).
pub fn calendar_text(items: &[CalendarItem], now: DateTime<Utc>) -> String {
    use icalendar::{Calendar, Component, Event, EventLike};
    let mut cal = Calendar::new();
    cal.name("kaden");
    for it in items {
        cal.push(
            Event::new()
                .uid(&it.uid)
                .timestamp(now)
                .starts(it.start)
                .ends(it.end)
                .summary(&it.summary)
                .description(&it.description)
                .done(),
        );
    }
    cal.done().to_string()
}

/// Write the export to `out`; returns the number of rows (or events).
pub fn export(
    store: &Store,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    match opts.what {
        ExportWhat::Leads => stream(
            out,
            LEAD_COLUMNS,
            opts,
            |f| match &opts.reason {
                Some(r) => store.each_export_lead_with_reason(r, opts.since, f),
                None => store.each_export_lead(opts.since, f),
            },
            |l| lead_row(l, opts.zone),
        ),
        ExportWhat::Activities => stream(
            out,
            ACTIVITY_COLUMNS,
            opts,
            |f| store.each_export_activity(opts.since, f),
            |a| activity_row(a, opts.zone),
        ),
        ExportWhat::Results => Err(ExportError::Results),
        ExportWhat::Calendar => {
            if opts.format == DataFormat::Json {
                return Err(ExportError::CalendarFormat);
            }
            let items = calendar_items(store, opts.since, opts.next_actions)?;
            out.write_all(calendar_text(&items, opts.now).as_bytes())?;
            out.flush()?;
            Ok(items.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("+81312345678"), "'+81312345678");
        assert_eq!(neutralize("@SUM"), "'@SUM");
        assert_eq!(neutralize("\tx"), "'\tx");
        assert_eq!(neutralize("Acme"), "Acme");
        assert_eq!(Cell::Text("-1".into()).csv(true), "-1");
    }

    #[test]
    fn calendar_has_utc_times_and_stable_uids() {
        let t = DateTime::parse_from_rfc3339("2026-12-01T15:00:00+09:00")
            .expect("ok")
            .with_timezone(&Utc);
        let items = vec![CalendarItem {
            uid: "appointment-7.3f9a0c1d2e4b5a69@kaden".into(),
            start: t,
            end: t + MEETING_LENGTH,
            summary: summary("株式会社テスト", "山田 太郎"),
            description: description(Some("+81312345678".into()), Some("demo".into())),
        }];
        let text = calendar_text(&items, t);
        assert!(text.contains("DTSTART:20261201T060000Z\r\n"), "{text}");
        assert!(text.contains("DTEND:20261201T070000Z\r\n"));
        assert!(text.contains("UID:appointment-7.3f9a0c1d2e4b5a69@kaden\r\n"));
        assert!(text.contains("SUMMARY:株式会社テスト — 山田 太郎"));
        assert!(text.lines().all(|l| l.len() <= 75));
    }
}
