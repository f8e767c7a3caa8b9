//! The HubSpot files: calls for the import tool (calls with their contacts, one file), and a
//! contacts update of the lead status.
//!
//! Property names and values are those of HubSpot's calls API guide
//! (developers.hubspot.com/docs/api-reference/latest/crm/activities/calls/guide): `hs_timestamp`
//! (UTC), `hs_call_title`, `hs_call_body`, `hs_call_direction` (`INBOUND`/`OUTBOUND`),
//! `hs_call_disposition` (the outcome's internal GUID), `hs_call_duration` (milliseconds),
//! `hs_call_status` (`COMPLETED`, …), `hs_call_to_number`, `hubspot_owner_id`. A call is tied to its
//! contact by the contact's Record ID or, failing that, its email. The contact property
//! `hs_lead_status` takes NEW, OPEN, IN_PROGRESS, OPEN_DEAL, UNQUALIFIED, ATTEMPTED_TO_CONTACT,
//! CONNECTED, BAD_TIMING.

use super::{
    Batch, Carry, CrmError, Written, csv_writer, external_id, note_text, result_text, utc_time,
};
use crate::domain::crm::CrmTarget;
use crate::domain::{CallResult, Channel, LeadStatus};
use crate::i18n::Label;
use crate::store::{CrmStatus, CrmTouch, ExportRecord, Store};
use std::io::Write;

/// The columns of the calls file, in order.
pub const CALL_COLUMNS: &[&str] = &[
    "hs_timestamp",
    "hs_call_title",
    "hs_call_body",
    "hs_call_direction",
    "hs_call_disposition",
    "hs_call_status",
    "hs_call_duration",
    "hs_call_to_number",
    "hubspot_owner_id",
    "Contact Record ID",
    "Contact Email",
    "kaden_id",
];

/// The columns of the contacts update file.
pub const CONTACT_COLUMNS: &[&str] = &["Record ID", "Email", "hs_lead_status"];

/// The values `hs_lead_status` has in every HubSpot account.
pub const LEAD_STATUSES: &[&str] = &[
    "NEW",
    "OPEN",
    "IN_PROGRESS",
    "OPEN_DEAL",
    "UNQUALIFIED",
    "ATTEMPTED_TO_CONTACT",
    "CONNECTED",
    "BAD_TIMING",
];

/// HubSpot's default call outcomes and their internal ids (`hs_call_disposition`), as listed in
/// the calls API guide (developers.hubspot.com/docs/api-reference/latest/crm/activities/calls/
/// guide, property `hs_call_disposition`) and returned by `GET /calling/v1/dispositions` in an
/// account without custom outcomes. Custom outcomes have ids of their own: map them in
/// `[hubspot.call_outcomes]`.
pub const OUTCOMES: &[(&str, &str)] = &[
    ("Busy", "9d9162e7-6cf3-4944-bf63-4dff82258764"),
    ("Connected", "f240bbac-87c9-4f6e-bf70-924b57d47db7"),
    ("Left live message", "a4c4c377-d246-4b32-a13b-75a56a4cd0ff"),
    ("Left voicemail", "b2cf5968-551e-4856-9783-52b3da59a7d0"),
    ("No answer", "73a0d17f-1163-4015-bdd5-ec830791da20"),
    ("Wrong number", "17b47fee-58de-441e-a44c-c6300d46f273"),
];

/// The id of a default outcome by its name.
fn outcome(name: &str) -> &'static str {
    OUTCOMES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, id)| id)
}

/// The default outcome of a kaden result and reason: the reason's when it names one (voicemail,
/// wrong number, …), else the result's (every result but unconnected is a conversation).
pub fn default_outcome(result: CallResult, reason: Option<&str>) -> &'static str {
    let by_reason = match (result, reason) {
        (CallResult::Unconnected, Some("voicemail")) => Some("Left voicemail"),
        (CallResult::Unconnected, Some("wrong_number")) => Some("Wrong number"),
        (CallResult::Unconnected, Some("reception_block")) => Some("Left live message"),
        (CallResult::Unconnected, Some("busy")) => Some("Busy"),
        _ => None,
    };
    outcome(by_reason.unwrap_or(match result {
        CallResult::Unconnected => "No answer",
        _ => "Connected",
    }))
}

/// The outcome id written for a touch: `[hubspot.call_outcomes]` for `result/reason`, then for
/// `result`, then the default.
pub(crate) fn outcome_for(
    b: &Batch<'_>,
    result: Option<CallResult>,
    reason: Option<&str>,
) -> String {
    let Some(result) = result else {
        return String::new();
    };
    let custom = &b.cfg.hubspot.call_outcomes;
    reason
        .and_then(|r| custom.get(&format!("{}/{r}", result.key())))
        .or_else(|| custom.get(result.key()))
        .cloned()
        .unwrap_or_else(|| default_outcome(result, reason).to_string())
}

/// kaden's statuses as `hs_lead_status`; `[hubspot.lead_status]` overrides any of them.
pub fn default_status(s: LeadStatus) -> &'static str {
    match s {
        LeadStatus::New => "NEW",
        LeadStatus::Approaching | LeadStatus::Pending => "ATTEMPTED_TO_CONTACT",
        LeadStatus::Scheduling => "IN_PROGRESS",
        LeadStatus::Meeting => "OPEN_DEAL",
        LeadStatus::Nurturing => "BAD_TIMING",
        LeadStatus::OutOfScope => "UNQUALIFIED",
    }
}

fn status_value(b: &Batch<'_>, s: LeadStatus) -> String {
    b.cfg
        .hubspot
        .lead_status
        .get(&s)
        .cloned()
        .unwrap_or_else(|| default_status(s).to_string())
}

/// The contact columns: the Record ID when kaden has it, else the email (HubSpot skips empty
/// cells, so the other stays untouched).
fn contact(record: &crate::store::CrmRecord) -> (String, String) {
    match &record.hubspot_id {
        Some(id) => (id.to_string(), String::new()),
        None => (String::new(), record.email.clone().unwrap_or_default()),
    }
}

/// A call touch as a row of the calls file, by column.
pub(crate) fn call_row(b: &Batch<'_>, t: &CrmTouch) -> Vec<String> {
    let (record_id, email) = contact(&t.record);
    let result = result_text(t.result, t.reason.as_deref(), b.lang);
    let title = if result.is_empty() {
        t.channel.label(b.lang).to_string()
    } else {
        format!("{}: {result}", t.channel.label(b.lang))
    };
    vec![
        utc_time(t.at),
        title,
        note_text(t.note.as_deref(), 65_536),
        "OUTBOUND".into(),
        outcome_for(b, t.result, t.reason.as_deref()),
        "COMPLETED".into(),
        t.duration_s
            .filter(|d| *d >= 0)
            .map(|d| (d * 1000).to_string())
            .unwrap_or_default(),
        t.record.phone.clone().unwrap_or_default(),
        b.cfg
            .hubspot
            .owners
            .get(&t.rep)
            .map(ToString::to_string)
            .unwrap_or_default(),
        record_id,
        email,
        external_id(&b.database_id, "touch", t.id),
    ]
}

/// The calls file: every call in the batch's range on a contact HubSpot knows (by Record ID or
/// email). Touches on other channels have no place in it and are counted.
pub(crate) fn write_calls(
    store: &Store,
    b: &Batch<'_>,
    out: &mut dyn Write,
) -> Result<(Written, ExportRecord), CrmError> {
    let mut w = csv_writer(out);
    w.write_record(CALL_COLUMNS)?;
    let mut written = Written::default();
    let mut record = ExportRecord::default();
    let mut carry = Carry::new();
    let read = store.each_crm_touch(CrmTarget::Hubspot, b.range, &mut |t| {
        carry.run(|| {
            if t.channel == Channel::Call {
                w.write_record(call_row(b, &t))?;
                written.touches += 1;
            } else {
                written.other_channels += 1;
            }
            Ok(())
        })
    });
    let scan = carry.finish(read)?;
    written.unknown_leads = scan.unknown_leads;
    record.through_id = scan.last_id;
    w.flush()?;
    Ok((written, record))
}

/// The contacts update file: the lead status of every contact HubSpot knows whose status changed
/// in the batch's window.
pub(crate) fn write_contacts(
    store: &Store,
    b: &Batch<'_>,
    out: &mut dyn Write,
) -> Result<usize, CrmError> {
    let mut w = csv_writer(out);
    w.write_record(CONTACT_COLUMNS)?;
    let mut n = 0;
    let mut carry = Carry::new();
    let read = store.each_crm_status(CrmTarget::Hubspot, b.status_since, &mut |s: CrmStatus| {
        carry.run(|| {
            let (record_id, email) = contact(&s.record);
            w.write_record([record_id, email, status_value(b, s.status)])?;
            n += 1;
            Ok(())
        })
    });
    carry.finish(read)?;
    w.flush()?;
    Ok(n)
}
