//! The CRM round trip's settings (`[salesforce]`, `[hubspot]`): which CRM user each rep is, the
//! CRM's values for kaden's lead statuses, and HubSpot's call outcomes for kaden's results. Only
//! what the file overrides is kept here; the defaults live with each CRM's format (`crate::crm`).

use super::ConfigError;
use super::checks::bad_in;
use crate::domain::LeadStatus;
use crate::domain::crm::{HubspotId, SalesforceId};
use serde::Deserialize;
use std::collections::BTreeMap;

/// kaden status → the CRM's value, as written in the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct StatusMapFile {
    new: Option<String>,
    approaching: Option<String>,
    scheduling: Option<String>,
    meeting: Option<String>,
    pending: Option<String>,
    nurturing: Option<String>,
    out_of_scope: Option<String>,
}

impl StatusMapFile {
    fn entries(&self) -> Vec<(LeadStatus, &Option<String>)> {
        vec![
            (LeadStatus::New, &self.new),
            (LeadStatus::Approaching, &self.approaching),
            (LeadStatus::Scheduling, &self.scheduling),
            (LeadStatus::Meeting, &self.meeting),
            (LeadStatus::Pending, &self.pending),
            (LeadStatus::Nurturing, &self.nurturing),
            (LeadStatus::OutOfScope, &self.out_of_scope),
        ]
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct SalesforceFile {
    owners: BTreeMap<String, String>,
    lead_status: StatusMapFile,
    external_id_field: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct HubspotFile {
    owners: BTreeMap<String, String>,
    lead_status: StatusMapFile,
    call_outcomes: BTreeMap<String, String>,
}

/// `[salesforce]`: for `kaden export results --for salesforce`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SalesforceConfig {
    /// Rep → Salesforce User id (the Tasks' `OwnerId`).
    pub owners: BTreeMap<String, SalesforceId>,
    /// kaden status → the org's Lead Status picklist value, where the file overrides the default.
    pub lead_status: BTreeMap<LeadStatus, String>,
    /// The External ID field on Activity the Tasks' stable id goes in (`None`: the default).
    pub external_id_field: Option<String>,
}

/// `[hubspot]`: for `kaden export results --for hubspot`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HubspotConfig {
    /// Rep → HubSpot owner id (`hubspot_owner_id`).
    pub owners: BTreeMap<String, HubspotId>,
    /// kaden status → `hs_lead_status` value, where the file overrides the default.
    pub lead_status: BTreeMap<LeadStatus, String>,
    /// `result` or `result/reason` → call outcome id, where the file overrides the default.
    pub call_outcomes: BTreeMap<String, String>,
}

/// Whether `s` has the shape of a HubSpot call outcome id (a GUID: 8-4-4-4-12 hex digits).
pub fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A CRM value from the file: trimmed, non-empty, one line, at most 255 characters.
fn value(v: &str) -> Result<String, String> {
    let t = v.trim();
    if t.is_empty() || t.chars().any(char::is_control) || t.chars().count() > 255 {
        return Err(format!(
            "'{}' is not a CRM value (one line of 1 to 255 characters)",
            crate::domain::text::sanitize_line(v)
        ));
    }
    Ok(t.to_string())
}

fn statuses(
    m: &StatusMapFile,
    table: &str,
    text: &str,
    path: &str,
) -> Result<BTreeMap<LeadStatus, String>, ConfigError> {
    let mut out = BTreeMap::new();
    for (status, v) in m.entries() {
        if let Some(v) = v {
            let v = value(v).map_err(|e| bad_in(text, path, table, status.key(), e))?;
            out.insert(status, v);
        }
    }
    Ok(out)
}

pub(super) fn salesforce(
    f: &SalesforceFile,
    text: &str,
    path: &str,
) -> Result<SalesforceConfig, ConfigError> {
    let mut owners = BTreeMap::new();
    for (rep, id) in &f.owners {
        let id = SalesforceId::parse_user(id)
            .map_err(|e| bad_in(text, path, "salesforce.owners", rep, e))?;
        owners.insert(rep.clone(), id);
    }
    let external_id_field = match &f.external_id_field {
        Some(name) => {
            let ok = name.ends_with("__c")
                && name.len() > 3
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !ok {
                return Err(bad_in(
                    text,
                    path,
                    "salesforce",
                    "external_id_field",
                    format!(
                        "'{}' is not a custom field's API name (letters, digits and _, ending in __c)",
                        crate::domain::text::sanitize_line(name)
                    ),
                ));
            }
            Some(name.clone())
        }
        None => None,
    };
    Ok(SalesforceConfig {
        owners,
        lead_status: statuses(&f.lead_status, "salesforce.lead_status", text, path)?,
        external_id_field,
    })
}

pub(super) fn hubspot(
    f: &HubspotFile,
    text: &str,
    path: &str,
) -> Result<HubspotConfig, ConfigError> {
    let mut owners = BTreeMap::new();
    for (rep, id) in &f.owners {
        let id = match HubspotId::parse(id) {
            Ok(Some(id)) => id,
            Ok(None) => {
                return Err(bad_in(
                    text,
                    path,
                    "hubspot.owners",
                    rep,
                    "empty owner id".into(),
                ));
            }
            Err(e) => return Err(bad_in(text, path, "hubspot.owners", rep, e)),
        };
        owners.insert(rep.clone(), id);
    }
    let mut call_outcomes = BTreeMap::new();
    for (key, guid) in &f.call_outcomes {
        let table = "hubspot.call_outcomes";
        let (result, _reason) = key.split_once('/').unwrap_or((key.as_str(), ""));
        if result.parse::<crate::domain::CallResult>().is_err() || key.ends_with('/') {
            return Err(bad_in(
                text,
                path,
                table,
                key,
                "use a kaden result (unconnected, recall, appointment, lost, out_of_scope) or \
                 result/reason, e.g. \"unconnected/voicemail\""
                    .into(),
            ));
        }
        if !is_guid(guid.trim()) {
            return Err(bad_in(
                text,
                path,
                table,
                key,
                format!(
                    "'{}' is not a call outcome id (HubSpot's GUIDs look like f240bbac-87c9-4f6e-bf70-924b57d47db7)",
                    crate::domain::text::sanitize_line(guid)
                ),
            ));
        }
        call_outcomes.insert(key.clone(), guid.trim().to_ascii_lowercase());
    }
    Ok(HubspotConfig {
        owners,
        lead_status: statuses(&f.lead_status, "hubspot.lead_status", text, path)?,
        call_outcomes,
    })
}
