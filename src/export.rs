//! Export of leads, activities (CSV or JSON) and a calendar (RFC 5545 `.ics`).
//!
//! CSV is UTF-8 with a BOM and CRLF line ends, so Excel in Japan opens it correctly. A cell
//! that begins with `= + - @`, TAB or CR gets a leading `'` so a spreadsheet never runs it as
//! a formula (`raw` turns that off; import removes the guard again). Times are RFC 3339 UTC.

use crate::cli::{DataFormat, ExportWhat};
use crate::domain::text::{sanitize_line, sanitize_multiline};
use crate::store::parse_ts;
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, params};
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
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the calendar export is an .ics file: --format does not apply to it")]
    CalendarFormat,
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

/// A stored time as RFC 3339 UTC (`2026-11-24T01:00:00Z`).
fn rfc3339(s: Option<String>) -> Cell {
    match s {
        Some(s) => Cell::Text(
            parse_ts(&s)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or(s),
        ),
        None => Cell::Null,
    }
}

fn since_param(since: Option<DateTime<Utc>>) -> Option<String> {
    since.map(crate::store::ts)
}

fn lead_rows(conn: &Connection, since: Option<DateTime<Utc>>) -> rusqlite::Result<Vec<Vec<Cell>>> {
    let mut st = conn.prepare(
        "SELECT l.id, c.name, l.name, l.title, l.role, COALESCE(l.phone, l.mobile), l.email, l.source,
                l.tier, l.status, l.owner, l.time_zone, l.next_at, l.next_channel, l.next_note,
                l.touches, l.created_at
         FROM leads l JOIN companies c ON c.id = l.company_id
         WHERE ?1 IS NULL OR l.updated_at >= ?1 OR l.created_at >= ?1
         ORDER BY l.id",
    )?;
    let rows = st.query_map(params![since_param(since)], |r| {
        Ok(vec![
            Cell::Int(r.get(0)?),
            Cell::Text(r.get(1)?),
            Cell::Text(r.get(2)?),
            Cell::Text(r.get(3)?),
            Cell::text(r.get(4)?),
            Cell::text(r.get(5)?),
            Cell::text(r.get(6)?),
            Cell::Text(r.get(7)?),
            Cell::Int(r.get(8)?),
            Cell::Text(r.get(9)?),
            Cell::Text(r.get(10)?),
            Cell::Text(r.get(11)?),
            rfc3339(r.get(12)?),
            Cell::text(r.get(13)?),
            Cell::text(r.get(14)?),
            Cell::Int(r.get(15)?),
            rfc3339(r.get(16)?),
        ])
    })?;
    rows.collect()
}

fn activity_rows(
    conn: &Connection,
    since: Option<DateTime<Utc>>,
) -> rusqlite::Result<Vec<Vec<Cell>>> {
    let mut st = conn.prepare(
        "SELECT a.id, a.lead_id, c.name, l.name, a.at, a.channel, a.result, a.reason, a.note, a.rep,
                a.duration_s
         FROM activities a JOIN leads l ON l.id = a.lead_id JOIN companies c ON c.id = l.company_id
         WHERE ?1 IS NULL OR a.at >= ?1
         ORDER BY a.at, a.id",
    )?;
    let rows = st.query_map(params![since_param(since)], |r| {
        Ok(vec![
            Cell::Int(r.get(0)?),
            Cell::Int(r.get(1)?),
            Cell::Text(r.get(2)?),
            Cell::Text(r.get(3)?),
            rfc3339(r.get(4)?),
            Cell::Text(r.get(5)?),
            Cell::text(r.get(6)?),
            Cell::text(r.get(7)?),
            Cell::text(r.get(8)?),
            Cell::Text(r.get(9)?),
            Cell::int(r.get(10)?),
        ])
    })?;
    rows.collect()
}

fn write_table(
    out: &mut dyn Write,
    columns: &[&str],
    rows: &[Vec<Cell>],
    opts: &ExportOptions,
) -> Result<(), ExportError> {
    match opts.format {
        DataFormat::Csv => {
            out.write_all(b"\xEF\xBB\xBF")?;
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(out);
            w.write_record(columns)?;
            for row in rows {
                w.write_record(row.iter().map(|c| c.csv(opts.raw)))?;
            }
            w.flush()?;
        }
        DataFormat::Json => {
            let v: Vec<Value> = rows
                .iter()
                .map(|row| {
                    let m: Map<String, Value> = columns
                        .iter()
                        .zip(row)
                        .map(|(k, c)| (k.to_string(), c.json()))
                        .collect();
                    Value::Object(m)
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &v)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
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
    conn: &Connection,
    since: Option<DateTime<Utc>>,
    next_actions: bool,
) -> rusqlite::Result<Vec<CalendarItem>> {
    let mut items = Vec::new();
    let mut st = conn.prepare(
        "SELECT p.id, p.meeting_at, c.name, l.name, COALESCE(l.phone, l.mobile), a.note
         FROM appointments p JOIN leads l ON l.id = p.lead_id
              JOIN companies c ON c.id = l.company_id
              JOIN activities a ON a.id = p.activity_id
         WHERE p.meeting_at IS NOT NULL AND (?1 IS NULL OR p.meeting_at >= ?1)
         ORDER BY p.meeting_at, p.id",
    )?;
    let rows = st.query_map(params![since_param(since)], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    for row in rows {
        let (id, at, company, name, phone, note) = row?;
        let Some(start) = parse_ts(&at) else { continue };
        items.push(CalendarItem {
            uid: format!("appointment-{id}@kaden"),
            start,
            end: start + MEETING_LENGTH,
            summary: summary(&company, &name),
            description: description(phone, note),
        });
    }
    if next_actions {
        let mut st = conn.prepare(
            "SELECT l.id, l.next_at, l.next_channel, c.name, l.name, COALESCE(l.phone, l.mobile),
                    l.next_note
             FROM leads l JOIN companies c ON c.id = l.company_id
             WHERE l.next_at IS NOT NULL
               AND l.status NOT IN ('meeting', 'pending', 'out_of_scope')
               AND (?1 IS NULL OR l.next_at >= ?1)
             ORDER BY l.next_at, l.id",
        )?;
        let rows = st.query_map(params![since_param(since)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        for row in rows {
            let (id, at, channel, company, name, phone, note) = row?;
            let Some(start) = parse_ts(&at) else { continue };
            let how = match channel.as_deref() {
                Some("call") | None => "Call".to_string(),
                Some(c) => {
                    let mut s = c.to_string();
                    if let Some(f) = s.get_mut(0..1) {
                        f.make_ascii_uppercase();
                    }
                    s
                }
            };
            items.push(CalendarItem {
                uid: format!("next-{id}@kaden"),
                start,
                end: start + CALL_LENGTH,
                summary: format!("{how}: {}", summary(&company, &name)),
                description: description(phone, note),
            });
        }
    }
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
    conn: &Connection,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    match opts.what {
        ExportWhat::Leads => {
            let rows = lead_rows(conn, opts.since)?;
            write_table(out, LEAD_COLUMNS, &rows, opts)?;
            Ok(rows.len())
        }
        ExportWhat::Activities => {
            let rows = activity_rows(conn, opts.since)?;
            write_table(out, ACTIVITY_COLUMNS, &rows, opts)?;
            Ok(rows.len())
        }
        ExportWhat::Calendar => {
            if opts.format == DataFormat::Json {
                return Err(ExportError::CalendarFormat);
            }
            let items = calendar_items(conn, opts.since, opts.next_actions)?;
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
            uid: "appointment-7@kaden".into(),
            start: t,
            end: t + MEETING_LENGTH,
            summary: summary("株式会社テスト", "山田 太郎"),
            description: description(Some("+81312345678".into()), Some("demo".into())),
        }];
        let text = calendar_text(&items, t);
        assert!(text.contains("DTSTART:20261201T060000Z\r\n"), "{text}");
        assert!(text.contains("DTEND:20261201T070000Z\r\n"));
        assert!(text.contains("UID:appointment-7@kaden\r\n"));
        assert!(text.contains("SUMMARY:株式会社テスト — 山田 太郎"));
        assert!(text.lines().all(|l| l.len() <= 75));
    }
}
