//! The rows behind `kaden export results --for salesforce|hubspot` and what each CRM already
//! received: the touches after a target's watermark, the open next actions that changed since they
//! were last sent, the leads' statuses, and the one transaction that records an export once its
//! files are in place. Rows are handed to the caller one at a time.

use super::sql::{Db, DbExt, Key, params};
use super::{Result, Store, StoreError};
use crate::domain::crm::{CrmTarget, HubspotId, SalesforceId};
use crate::domain::{CallResult, Channel, LeadStatus};
use chrono::{DateTime, Utc};

/// What a target already received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watermark {
    /// Every touch with an id up to this one was exported.
    pub through_id: i64,
    /// When that export ran.
    pub exported_at: DateTime<Utc>,
}

/// Which touches an export covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TouchRange {
    /// Only touches with a larger id (the watermark of `--since-last`).
    pub after_id: Option<i64>,
    /// Only touches at or after this time (`--since`).
    pub since: Option<DateTime<Utc>>,
}

/// The CRM record ids and the contact details a CRM row names its record by.
#[derive(Debug, Clone, PartialEq)]
pub struct CrmRecord {
    pub lead_id: i64,
    pub salesforce_id: Option<SalesforceId>,
    pub hubspot_id: Option<HubspotId>,
    pub email: Option<String>,
    /// The number to dial (phone, else mobile).
    pub phone: Option<String>,
    pub company: String,
    pub name: String,
}

/// One touch (call, email, …) as a CRM receives it.
#[derive(Debug, Clone, PartialEq)]
pub struct CrmTouch {
    pub id: i64,
    pub record: CrmRecord,
    pub at: DateTime<Utc>,
    pub channel: Channel,
    pub result: Option<CallResult>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub rep: String,
    pub duration_s: Option<i64>,
}

/// What a scan of touches saw besides the rows it handed over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TouchScan {
    /// The largest touch id read (handed over or not).
    pub last_id: Option<i64>,
    /// Touches of leads the target cannot name.
    pub unknown_leads: u64,
}

/// A lead's open next action as a CRM task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentNext {
    pub due: DateTime<Utc>,
    pub channel: Channel,
}

/// A lead whose open next action the target has not seen yet, or whose one it saw went away.
#[derive(Debug, Clone, PartialEq)]
pub struct CrmNextAction {
    pub record: CrmRecord,
    pub status: LeadStatus,
    /// The open next action now (`None`: there is none any more; close the one sent).
    pub next: Option<OpenNext>,
    /// What the target was sent last, if anything.
    pub sent: Option<SentNext>,
}

/// An open next action.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenNext {
    pub due: DateTime<Utc>,
    pub channel: Channel,
    pub owner: String,
    pub note: Option<String>,
    /// A callback the prospect asked for.
    pub callback: bool,
}

impl CrmNextAction {
    /// Whether the target needs a row for it: a new or moved next action, or one to close.
    pub fn changed(&self) -> bool {
        match (&self.next, &self.sent) {
            (Some(n), Some(s)) => n.due != s.due || n.channel != s.channel,
            (Some(_), None) | (None, Some(_)) => true,
            (None, None) => false,
        }
    }
}

/// A lead's status as the CRM's status file carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct CrmStatus {
    pub record: CrmRecord,
    pub status: LeadStatus,
}

/// What one export wrote, recorded once its files are in place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportRecord {
    /// The largest touch id written (the new watermark), when the export covered every touch
    /// before it.
    pub through_id: Option<i64>,
    /// Next actions written: the one sent, or `None` for a closed one.
    pub next: Vec<(i64, Option<SentNext>)>,
}

/// The record columns every query below selects first (lead, company).
const RECORD_COLUMNS: &str =
    "l.id, l.salesforce_id, l.hubspot_id, l.email, COALESCE(l.phone, l.mobile), c.name, l.name";

fn record_from_row(r: &super::sql::Row<'_>) -> Result<CrmRecord> {
    Ok(CrmRecord {
        lead_id: r.get(0)?,
        salesforce_id: r.get::<Option<String>>(1)?.map(SalesforceId::stored),
        hubspot_id: r.get::<Option<String>>(2)?.map(HubspotId::stored),
        email: r.get(3)?,
        phone: r.get(4)?,
        company: r.get(5)?,
        name: r.get(6)?,
    })
}

/// The condition "the lead is known to `target`".
fn known_to(target: CrmTarget) -> &'static str {
    match target {
        CrmTarget::Salesforce => "l.salesforce_id IS NOT NULL",
        CrmTarget::Hubspot => "(l.hubspot_id IS NOT NULL OR l.email IS NOT NULL)",
    }
}

/// A next action a rep set after working the lead, as a task for the CRM: a new lead's "call now"
/// is kaden's queue, not a task; a meeting is the field team's event; pending and out-of-scope
/// leads have nothing to work.
const OPEN_TASK: &str = "l.next_at IS NOT NULL AND l.touches > 0 AND l.status NOT IN ('meeting', 'pending', 'out_of_scope')";

impl Store {
    /// This database's random id (set when the file was created or migrated to schema 5).
    pub fn database_id(&self) -> Result<String> {
        self.meta("database_id")?.ok_or_else(|| {
            StoreError::Invalid("the database has no database_id in its meta table".into())
        })
    }

    /// What `target` already received, if anything.
    pub fn crm_watermark(&self, target: CrmTarget) -> Result<Option<Watermark>> {
        self.db().opt(
            "SELECT through_id, exported_at FROM crm_exports WHERE target = ?1",
            params![target.key()],
            |r| {
                Ok(Watermark {
                    through_id: r.get(0)?,
                    exported_at: r.get(1)?,
                })
            },
        )
    }

    /// Every touch in `range` of a lead known to `target`, by id. Touches of leads the target
    /// cannot name are only counted (they can never be written); the scan's last id covers them
    /// too, so the watermark passes them.
    pub fn each_crm_touch(
        &self,
        target: CrmTarget,
        range: TouchRange,
        f: &mut dyn FnMut(CrmTouch) -> Result<()>,
    ) -> Result<TouchScan> {
        let mut conds = vec!["a.kind = 'touch'".to_string()];
        let mut params: Vec<super::sql::Value<'_>> = Vec::new();
        if let Some(after) = range.after_id {
            params.push(after.into());
            conds.push(format!("a.id > ?{}", params.len()));
        }
        if let Some(since) = range.since {
            params.push(super::ts(since).into());
            conds.push(format!("a.at >= ?{}", params.len()));
        }
        let known = known_to(target);
        let sql = format!(
            "SELECT {RECORD_COLUMNS}, a.id, a.at, a.channel, a.result, a.reason, a.note, a.rep,
                    a.duration_s, CASE WHEN {known} THEN 1 ELSE 0 END
             FROM activities a JOIN leads l ON l.id = a.lead_id JOIN companies c ON c.id = l.company_id
             WHERE {}
             ORDER BY a.id",
            conds.join(" AND ")
        );
        let mut scan = TouchScan::default();
        self.db().each(&sql, &params, &mut |r| {
            scan.last_id = Some(r.get(7)?);
            if r.get::<i64>(15)? == 0 {
                scan.unknown_leads += 1;
                return Ok(());
            }
            f(CrmTouch {
                record: record_from_row(r)?,
                id: r.get(7)?,
                at: r.get(8)?,
                channel: r.get::<Key<Channel>>(9)?.0,
                result: r.get::<Option<Key<CallResult>>>(10)?.map(|k| k.0),
                reason: r.get(11)?,
                note: r.get(12)?,
                rep: r.get(13)?,
                duration_s: r.get(14)?,
            })
        })?;
        Ok(scan)
    }

    /// The leads known to `target` with an open next action, or with one the target was sent
    /// that is no longer open; by lead id.
    pub fn each_crm_next_action(
        &self,
        target: CrmTarget,
        f: &mut dyn FnMut(CrmNextAction) -> Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS}, l.status,
                    CASE WHEN {OPEN_TASK} THEN l.next_at END, l.next_channel,
                    l.next_owner, l.next_note, l.next_callback, s.next_at, s.next_channel
             FROM leads l JOIN companies c ON c.id = l.company_id
                  LEFT JOIN crm_next_sent s ON s.target = ?1 AND s.lead_id = l.id
             WHERE {} AND (({OPEN_TASK}) OR s.lead_id IS NOT NULL)
             ORDER BY l.id",
            known_to(target)
        );
        self.db().each(&sql, params![target.key()], &mut |r| {
            let due: Option<DateTime<Utc>> = r.get(8)?;
            let next = match due {
                Some(due) => Some(OpenNext {
                    due,
                    channel: r
                        .get::<Option<Key<Channel>>>(9)?
                        .map_or(Channel::Call, |k| k.0),
                    owner: r.get::<Option<String>>(10)?.unwrap_or_default(),
                    note: r.get(11)?,
                    callback: r.get(12)?,
                }),
                None => None,
            };
            let sent_at: Option<DateTime<Utc>> = r.get(13)?;
            let sent = match sent_at {
                Some(due) => Some(SentNext {
                    due,
                    channel: r.get::<Key<Channel>>(14)?.0,
                }),
                None => None,
            };
            f(CrmNextAction {
                record: record_from_row(r)?,
                status: r.get::<Key<LeadStatus>>(7)?.0,
                next,
                sent,
            })
        })
    }

    /// The status of every lead known to `target` (changed since `since`, when given), by id.
    pub fn each_crm_status(
        &self,
        target: CrmTarget,
        since: Option<DateTime<Utc>>,
        f: &mut dyn FnMut(CrmStatus) -> Result<()>,
    ) -> Result<()> {
        let changed = if since.is_some() {
            "l.updated_at >= ?1"
        } else {
            "1 = 1"
        };
        let sql = format!(
            "SELECT {RECORD_COLUMNS}, l.status
             FROM leads l JOIN companies c ON c.id = l.company_id
             WHERE {} AND {changed}
             ORDER BY l.id",
            known_to(target)
        );
        let since = since.map(super::ts);
        let params: Vec<super::sql::Value<'_>> = since.iter().map(|s| s.as_str().into()).collect();
        self.db().each(&sql, &params, &mut |r| {
            f(CrmStatus {
                record: record_from_row(r)?,
                status: r.get::<Key<LeadStatus>>(7)?.0,
            })
        })
    }

    /// Record what an export to `target` wrote, in one transaction: the watermark moves forward
    /// (never back) and the next actions sent are remembered. Call it only once the files are in
    /// place.
    pub fn record_crm_export(
        &mut self,
        target: CrmTarget,
        what: &ExportRecord,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.tx(|db| {
            if let Some(through) = what.through_id {
                db.execute(
                    "INSERT INTO crm_exports (target, through_id, exported_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (target) DO UPDATE SET
                         through_id = CASE WHEN excluded.through_id > crm_exports.through_id
                                           THEN excluded.through_id ELSE crm_exports.through_id END,
                         exported_at = excluded.exported_at",
                    params![target.key(), through, now],
                )?;
            }
            for (lead_id, sent) in &what.next {
                match sent {
                    Some(s) => db.execute(
                        "INSERT INTO crm_next_sent (target, lead_id, next_at, next_channel)
                         VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (target, lead_id) DO UPDATE SET
                             next_at = excluded.next_at, next_channel = excluded.next_channel",
                        params![target.key(), lead_id, s.due, s.channel.key()],
                    )?,
                    None => db.execute(
                        "DELETE FROM crm_next_sent WHERE target = ?1 AND lead_id = ?2",
                        params![target.key(), lead_id],
                    )?,
                };
            }
            Ok(())
        })
    }
}

/// After activities were deleted (an undo): no watermark may stay above the largest activity id
/// left, or SQLite, which gives a new row the largest id + 1, could hand a new touch an id the
/// watermark already covers and `--since-last` would never send it. Runs in the caller's
/// transaction.
pub(crate) fn keep_watermarks_below_max(db: &dyn Db) -> Result<()> {
    let max: i64 = db.value("SELECT COALESCE(max(id), 0) FROM activities", params![])?;
    db.execute(
        "UPDATE crm_exports SET through_id = ?1 WHERE through_id > ?1",
        params![max],
    )?;
    Ok(())
}
