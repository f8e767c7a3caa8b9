//! The rows behind `kaden export`: leads, activities and calendar events, read in order and
//! handed to the caller one at a time (memory stays flat however large the database).

use super::sql::DbExt;
use super::{Result, Store};
use chrono::{DateTime, Utc};

/// A lead as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportLead {
    pub id: i64,
    pub company: String,
    pub name: String,
    pub title: String,
    pub role: Option<String>,
    /// The number to dial (phone, else mobile).
    pub phone: Option<String>,
    pub email: Option<String>,
    pub source: String,
    pub tier: i64,
    pub status: String,
    pub owner: String,
    pub time_zone: String,
    pub next_at: Option<DateTime<Utc>>,
    pub next_channel: Option<String>,
    pub next_note: Option<String>,
    pub touches: i64,
    pub created_at: DateTime<Utc>,
}

/// An activity (touch or note) as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportActivity {
    pub id: i64,
    pub lead_id: i64,
    pub company: String,
    pub name: String,
    pub at: DateTime<Utc>,
    pub channel: String,
    pub result: Option<String>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub rep: String,
    pub duration_s: Option<i64>,
}

/// What a calendar event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarKind {
    /// A meeting booked by an appointment (id: the appointment's).
    Meeting,
    /// The scheduled next action of an open lead (id: the lead's).
    NextAction,
}

/// One calendar event's data.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarRow {
    pub kind: CalendarKind,
    pub id: i64,
    pub start: DateTime<Utc>,
    /// The next action's channel (meetings: none).
    pub channel: Option<String>,
    pub company: String,
    pub name: String,
    pub phone: Option<String>,
    pub note: Option<String>,
}

/// `WHERE` on an optional lower bound, so the query never tests a NULL parameter (whose type
/// PostgreSQL could not infer).
fn since_clause(since: Option<DateTime<Utc>>, cond: &str) -> String {
    match since {
        Some(_) => format!("({cond})"),
        None => "1 = 1".to_string(),
    }
}

/// The columns of an exported lead (see [`export_lead`]).
const LEAD_SELECT: &str =
    "SELECT l.id, c.name, l.name, l.title, l.role, COALESCE(l.phone, l.mobile), l.email, l.source,
            l.tier, l.status, l.owner, l.time_zone, l.next_at, l.next_channel, l.next_note,
            l.touches, l.created_at
     FROM leads l JOIN companies c ON c.id = l.company_id";

fn export_lead(r: &super::sql::Row<'_>) -> Result<ExportLead> {
    Ok(ExportLead {
        id: r.get(0)?,
        company: r.get(1)?,
        name: r.get(2)?,
        title: r.get(3)?,
        role: r.get(4)?,
        phone: r.get(5)?,
        email: r.get(6)?,
        source: r.get(7)?,
        tier: r.get(8)?,
        status: r.get(9)?,
        owner: r.get(10)?,
        time_zone: r.get(11)?,
        next_at: r.get(12)?,
        next_channel: r.get(13)?,
        next_note: r.get(14)?,
        touches: r.get(15)?,
        created_at: r.get(16)?,
    })
}

impl Store {
    /// Every lead changed or created since `since` (all without), by id.
    pub fn each_export_lead(
        &self,
        since: Option<DateTime<Utc>>,
        f: &mut dyn FnMut(ExportLead) -> Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "{LEAD_SELECT} WHERE {} ORDER BY l.id",
            since_clause(since, "l.updated_at >= ?1 OR l.created_at >= ?1")
        );
        let since = since.map(super::ts);
        let params = since
            .as_ref()
            .map(|s| vec![s.as_str().into()])
            .unwrap_or_default();
        self.db().each(&sql, &params, &mut |r| f(export_lead(r)?))
    }

    /// The leads behind a reason: every lead with a touch of `reason` at or after `since`
    /// (all time without), by id.
    pub fn each_export_lead_with_reason(
        &self,
        reason: &str,
        since: Option<DateTime<Utc>>,
        f: &mut dyn FnMut(ExportLead) -> Result<()>,
    ) -> Result<()> {
        let since = since.map(super::ts).unwrap_or_default();
        let sql = format!("{LEAD_SELECT} WHERE l.id = ?1");
        for id in self.leads_with_reason(reason, &since)? {
            if let Some(l) = self.db().opt(&sql, super::sql::params![id], export_lead)? {
                f(l)?;
            }
        }
        Ok(())
    }

    /// Every activity at or after `since` (all without), oldest first.
    pub fn each_export_activity(
        &self,
        since: Option<DateTime<Utc>>,
        f: &mut dyn FnMut(ExportActivity) -> Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "SELECT a.id, a.lead_id, c.name, l.name, a.at, a.channel, a.result, a.reason, a.note, a.rep,
                    a.duration_s
             FROM activities a JOIN leads l ON l.id = a.lead_id JOIN companies c ON c.id = l.company_id
             WHERE {}
             ORDER BY a.at, a.id",
            since_clause(since, "a.at >= ?1")
        );
        let since = since.map(super::ts);
        let params = since
            .as_ref()
            .map(|s| vec![s.as_str().into()])
            .unwrap_or_default();
        self.db().each(&sql, &params, &mut |r| {
            f(ExportActivity {
                id: r.get(0)?,
                lead_id: r.get(1)?,
                company: r.get(2)?,
                name: r.get(3)?,
                at: r.get(4)?,
                channel: r.get(5)?,
                result: r.get(6)?,
                reason: r.get(7)?,
                note: r.get(8)?,
                rep: r.get(9)?,
                duration_s: r.get(10)?,
            })
        })
    }

    /// Calendar events: meetings with a time, then (with `next_actions`) the scheduled next
    /// actions of open leads; each in time order, from `since` on.
    pub fn calendar_rows(
        &self,
        since: Option<DateTime<Utc>>,
        next_actions: bool,
    ) -> Result<Vec<CalendarRow>> {
        let since_ts = since.map(super::ts);
        let params = since_ts
            .as_ref()
            .map(|s| vec![s.as_str().into()])
            .unwrap_or_default();
        let mut rows = self.db().rows(
            &format!(
                "SELECT p.id, p.meeting_at, c.name, l.name, COALESCE(l.phone, l.mobile), a.note
                 FROM appointments p JOIN leads l ON l.id = p.lead_id
                      JOIN companies c ON c.id = l.company_id
                      JOIN activities a ON a.id = p.activity_id
                 WHERE p.meeting_at IS NOT NULL AND {}
                 ORDER BY p.meeting_at, p.id",
                since_clause(since, "p.meeting_at >= ?1")
            ),
            &params,
            |r| {
                Ok(CalendarRow {
                    kind: CalendarKind::Meeting,
                    id: r.get(0)?,
                    start: r.get(1)?,
                    channel: None,
                    company: r.get(2)?,
                    name: r.get(3)?,
                    phone: r.get(4)?,
                    note: r.get(5)?,
                })
            },
        )?;
        if next_actions {
            rows.extend(self.db().rows(
                &format!(
                    "SELECT l.id, l.next_at, l.next_channel, c.name, l.name, COALESCE(l.phone, l.mobile),
                            l.next_note
                     FROM leads l JOIN companies c ON c.id = l.company_id
                     WHERE l.next_at IS NOT NULL
                       AND l.status NOT IN ('meeting', 'pending', 'out_of_scope')
                       AND {}
                     ORDER BY l.next_at, l.id",
                    since_clause(since, "l.next_at >= ?1")
                ),
                &params,
                |r| {
                    Ok(CalendarRow {
                        kind: CalendarKind::NextAction,
                        id: r.get(0)?,
                        start: r.get(1)?,
                        channel: r.get(2)?,
                        company: r.get(3)?,
                        name: r.get(4)?,
                        phone: r.get(5)?,
                        note: r.get(6)?,
                    })
                },
            )?);
        }
        Ok(rows)
    }
}
