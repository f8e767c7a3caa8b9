//! The Salesforce files: Tasks for Data Loader (one Completed Task per touch, one Not Started Task
//! per open next action) and the Lead status update.
//!
//! Field names, types and picklist values are the Task object's (Salesforce Object Reference,
//! "Task"): `ActivityDate` is a date, `ReminderDateTime` a dateTime, `IsReminderSet` a boolean
//! (written `true`/`false`), `Status` one of Not Started / In Progress / Completed / Waiting on
//! someone else / Deferred, `Priority` High / Normal / Low, `TaskSubtype` Task / Email / ListEmail /
//! Cadence / Call, `CallType` Internal / Inbound / Outbound, `CallDisposition` free text of at most
//! 255 characters, `CallDurationInSeconds` an integer, `Description` at most 32,000 characters.
//! Data Import Wizard cannot import Tasks; Data Loader can.

use super::{
    Batch, Carry, CrmError, Written, csv_writer, data_loader_time, external_id, local_date,
    note_text, result_text,
};
use crate::domain::crm::SalesforceId;
use crate::domain::{Channel, LeadStatus};
use crate::i18n::{Label, Phrase};
use crate::store::{CrmNextAction, CrmStatus, CrmTouch, ExportRecord, SentNext, Store};
use std::io::Write;

/// The columns of the Task file, in order; the last is the External ID field (its name from
/// `[salesforce] external_id_field`).
pub const TASK_COLUMNS: &[&str] = &[
    "WhoId",
    "Subject",
    "ActivityDate",
    "Status",
    "Priority",
    "TaskSubtype",
    "CallType",
    "CallDisposition",
    "CallDurationInSeconds",
    "Description",
    "ReminderDateTime",
    "IsReminderSet",
    "OwnerId",
];

/// The custom External ID field on Activity the Tasks' stable ids go in, unless configured.
pub const DEFAULT_EXTERNAL_ID_FIELD: &str = "Kaden_Id__c";

/// The columns of the Lead status file.
pub const STATUS_COLUMNS: &[&str] = &["Id", "Status"];

/// The longest `Description` a Task takes.
pub const MAX_DESCRIPTION: usize = 32_000;
/// The longest `CallDisposition` and `Subject`.
pub const MAX_SHORT: usize = 255;

/// kaden's statuses as the standard Lead Status picklist (Open - Not Contacted, Working -
/// Contacted, Closed - Converted, Closed - Not Converted). `[salesforce.lead_status]` overrides
/// any of them with the org's own values.
pub fn default_status(s: LeadStatus) -> &'static str {
    match s {
        LeadStatus::New | LeadStatus::Pending => "Open - Not Contacted",
        LeadStatus::Approaching | LeadStatus::Scheduling => "Working - Contacted",
        LeadStatus::Meeting => "Closed - Converted",
        LeadStatus::Nurturing | LeadStatus::OutOfScope => "Closed - Not Converted",
    }
}

/// The Lead Status value written for `s`.
pub(crate) fn status_value(b: &Batch<'_>, s: LeadStatus) -> String {
    b.cfg
        .salesforce
        .lead_status
        .get(&s)
        .cloned()
        .unwrap_or_else(|| default_status(s).to_string())
}

/// `TaskSubtype` of a touch or next action on `channel`.
pub fn subtype(channel: Channel) -> &'static str {
    match channel {
        Channel::Call => "Call",
        Channel::Email => "Email",
        _ => "Task",
    }
}

fn cut(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        s
    } else {
        s.chars().take(max).collect()
    }
}

fn owner(b: &Batch<'_>, rep: &str) -> String {
    b.cfg
        .salesforce
        .owners
        .get(rep)
        .map(|id| id.as_str().to_string())
        .unwrap_or_default()
}

/// One row of the Task file, by column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskRow {
    pub who_id: String,
    pub subject: String,
    pub activity_date: String,
    pub status: &'static str,
    pub priority: &'static str,
    pub subtype: &'static str,
    pub call_type: &'static str,
    pub disposition: String,
    pub duration: String,
    pub description: String,
    pub reminder: String,
    pub reminder_set: &'static str,
    pub owner_id: String,
    pub external_id: String,
}

impl TaskRow {
    fn cells(&self) -> [&str; 14] {
        [
            &self.who_id,
            &self.subject,
            &self.activity_date,
            self.status,
            self.priority,
            self.subtype,
            self.call_type,
            &self.disposition,
            &self.duration,
            &self.description,
            &self.reminder,
            self.reminder_set,
            &self.owner_id,
            &self.external_id,
        ]
    }
}

/// A touch as a Completed Task.
pub(crate) fn touch_row(b: &Batch<'_>, who: &SalesforceId, t: &CrmTouch) -> TaskRow {
    let is_call = t.channel == Channel::Call;
    let result = result_text(t.result, t.reason.as_deref(), b.lang);
    let subject = if result.is_empty() {
        t.channel.label(b.lang).to_string()
    } else {
        format!("{}: {result}", t.channel.label(b.lang))
    };
    TaskRow {
        who_id: who.to_string(),
        subject: cut(subject, MAX_SHORT),
        activity_date: local_date(t.at, b.zone),
        status: "Completed",
        priority: "Normal",
        subtype: subtype(t.channel),
        call_type: if is_call { "Outbound" } else { "" },
        disposition: if is_call {
            cut(result, MAX_SHORT)
        } else {
            String::new()
        },
        duration: match (is_call, t.duration_s) {
            (true, Some(d)) if d >= 0 => d.to_string(),
            _ => String::new(),
        },
        description: note_text(t.note.as_deref(), MAX_DESCRIPTION),
        reminder: String::new(),
        reminder_set: "false",
        owner_id: owner(b, &t.rep),
        external_id: external_id(&b.database_id, "touch", t.id),
    }
}

/// A next action as a Task: Not Started with a reminder while it is open, Completed once it is
/// gone (the touch that did it is its own Completed Task). One per lead, so an upsert on the
/// External ID moves it instead of adding another.
pub(crate) fn next_row(b: &Batch<'_>, who: &SalesforceId, n: &CrmNextAction) -> TaskRow {
    let ext = external_id(&b.database_id, "next", n.record.lead_id);
    match &n.next {
        Some(open) => {
            let label = if open.callback {
                Phrase::BandCallback
            } else {
                Phrase::FieldNext
            };
            TaskRow {
                who_id: who.to_string(),
                subject: cut(
                    format!("{}: {}", label.text(b.lang), open.channel.label(b.lang)),
                    MAX_SHORT,
                ),
                activity_date: local_date(open.due, b.zone),
                status: "Not Started",
                priority: if open.callback { "High" } else { "Normal" },
                subtype: subtype(open.channel),
                call_type: if open.channel == Channel::Call {
                    "Outbound"
                } else {
                    ""
                },
                disposition: String::new(),
                duration: String::new(),
                description: note_text(open.note.as_deref(), MAX_DESCRIPTION),
                reminder: data_loader_time(open.due, b.zone),
                reminder_set: "true",
                owner_id: owner(b, &open.owner),
                external_id: ext,
            }
        }
        None => {
            let channel = n.sent.map_or(Channel::Call, |s| s.channel);
            TaskRow {
                who_id: who.to_string(),
                subject: cut(
                    format!(
                        "{}: {}",
                        Phrase::FieldNext.text(b.lang),
                        channel.label(b.lang)
                    ),
                    MAX_SHORT,
                ),
                activity_date: n
                    .sent
                    .map(|s| local_date(s.due, b.zone))
                    .unwrap_or_default(),
                status: "Completed",
                priority: "Normal",
                subtype: subtype(channel),
                call_type: if channel == Channel::Call {
                    "Outbound"
                } else {
                    ""
                },
                description: Phrase::CrmNextClosed.fill(b.lang, &[n.status.label(b.lang)]),
                reminder_set: "false",
                external_id: ext,
                ..TaskRow::default()
            }
        }
    }
}

/// The Task file: every touch in the batch's range, then the next actions that are new, moved or
/// closed since this target last saw them. Returns what it wrote and what to record.
pub(crate) fn write_tasks(
    store: &Store,
    b: &Batch<'_>,
    out: &mut dyn Write,
) -> Result<(Written, ExportRecord), CrmError> {
    let mut w = csv_writer(out);
    let ext_field = b
        .cfg
        .salesforce
        .external_id_field
        .as_deref()
        .unwrap_or(DEFAULT_EXTERNAL_ID_FIELD);
    let mut head: Vec<&str> = TASK_COLUMNS.to_vec();
    head.push(ext_field);
    w.write_record(&head)?;
    let mut written = Written::default();
    let mut record = ExportRecord::default();
    let mut carry = Carry::new();
    let read = store.each_crm_touch(
        crate::domain::crm::CrmTarget::Salesforce,
        b.range,
        &mut |t| {
            carry.run(|| {
                if let Some(who) = &t.record.salesforce_id {
                    w.write_record(touch_row(b, who, &t).cells())?;
                    written.touches += 1;
                }
                Ok(())
            })
        },
    );
    let scan = carry.finish(read)?;
    written.unknown_leads = scan.unknown_leads;
    record.through_id = scan.last_id;
    let mut carry = Carry::new();
    let read = store.each_crm_next_action(crate::domain::crm::CrmTarget::Salesforce, &mut |n| {
        carry.run(|| {
            let Some(who) = n.record.salesforce_id.as_ref().filter(|_| n.changed()) else {
                return Ok(());
            };
            w.write_record(next_row(b, who, &n).cells())?;
            written.next_actions += 1;
            record.next.push((
                n.record.lead_id,
                n.next.as_ref().map(|o| SentNext {
                    due: o.due,
                    channel: o.channel,
                }),
            ));
            Ok(())
        })
    });
    carry.finish(read)?;
    w.flush()?;
    Ok((written, record))
}

/// The Lead status file: `Id`, `Status` of every Lead (not Contact: Contacts have no Status)
/// whose status changed in the batch's window.
pub(crate) fn write_statuses(
    store: &Store,
    b: &Batch<'_>,
    out: &mut dyn Write,
) -> Result<usize, CrmError> {
    let mut w = csv_writer(out);
    w.write_record(STATUS_COLUMNS)?;
    let mut n = 0;
    let mut carry = Carry::new();
    let read = store.each_crm_status(
        crate::domain::crm::CrmTarget::Salesforce,
        b.status_since,
        &mut |s: CrmStatus| {
            carry.run(|| {
                if let Some(id) = s.record.salesforce_id.as_ref().filter(|i| i.is_lead()) {
                    w.write_record([id.as_str(), &status_value(b, s.status)])?;
                    n += 1;
                }
                Ok(())
            })
        },
    );
    carry.finish(read)?;
    w.flush()?;
    Ok(n)
}
