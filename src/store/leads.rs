//! Leads and companies: insert (zone resolution, stored queue keys), read one lead with its
//! full history.

use super::sql::{Db, DbExt, Key, Row, params};
use super::{Result, StoreError};
use crate::domain::crm::{HubspotId, SalesforceId};
use crate::domain::ranking::{self, Weights};
use crate::domain::zone::LeadZone;
use crate::domain::{CallResult, Channel, LeadStatus, Role, Tier};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

mod resolve;
mod writer;
pub(crate) use resolve::find_lead;
pub(crate) use writer::{LeadWriter, add_zone, insert_lead};

/// A company as given by the demo or an import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompanyInput {
    pub name: String,
    pub industry: String,
    pub employees: Option<i64>,
    pub website: String,
    pub tier: Option<Tier>,
}

/// A lead to insert. Phones must already be E.164 (see [`phone::normalize`]).
#[derive(Debug, Clone, PartialEq)]
pub struct NewLead {
    pub company: CompanyInput,
    pub name: String,
    pub title: String,
    pub department: String,
    pub role: Option<Role>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub source: String,
    pub owner: String,
    /// IANA zone from the lead's data; when `None` it comes from the phone, else the default.
    pub time_zone: Option<Tz>,
    pub status: LeadStatus,
    pub created_at: DateTime<Utc>,
    /// The Salesforce Lead or Contact this lead was imported from.
    pub salesforce_id: Option<SalesforceId>,
    /// The HubSpot contact this lead was imported from.
    pub hubspot_id: Option<HubspotId>,
    /// Never to be called (an import's `DoNotCall` column); a number on the do-not-call list
    /// marks the lead too.
    pub do_not_call: bool,
}

/// The zone a lead is called in: its own; else the one its phone, then its mobile fixes; else
/// "zone unknown" where a number leaves several open; the default only for a lead without any
/// number (never silently for a number kaden cannot place).
pub fn resolve_zone(
    own: Option<Tz>,
    phone: Option<&str>,
    mobile: Option<&str>,
    default: Tz,
) -> LeadZone {
    if let Some(z) = own {
        return LeadZone::Known(z);
    }
    let found: Vec<LeadZone> = [phone, mobile]
        .into_iter()
        .flatten()
        .filter_map(LeadZone::of_number)
        .collect();
    found
        .iter()
        .find(|z| !z.is_unknown())
        .or(found.first())
        .cloned()
        .unwrap_or(LeadZone::Known(default))
}

/// The stored sort keys (`q_band`, `rank_key`) of a lead in this state.
pub fn queue_keys(
    w: &Weights,
    status: LeadStatus,
    next_at: Option<DateTime<Utc>>,
    callback: bool,
    created_at: DateTime<Utc>,
    touches: u32,
) -> (Option<i64>, Option<f64>) {
    match next_at {
        Some(at) if !status.is_closed() => (
            Some(if callback { 0 } else { 2 }),
            Some(ranking::rank_key(w, at, created_at, touches)),
        ),
        _ => (None, None),
    }
}

/// One lead with its company, as the detail pane shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Lead {
    pub id: i64,
    pub company_id: i64,
    pub company: String,
    pub industry: String,
    pub employees: Option<i64>,
    pub website: String,
    pub name: String,
    pub title: String,
    pub department: String,
    pub role: Option<Role>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub source: String,
    pub owner: String,
    pub time_zone: String,
    pub tier: Tier,
    pub status: LeadStatus,
    pub nurture_reason: Option<String>,
    pub touches: u32,
    pub unanswered: u32,
    pub created_at: DateTime<Utc>,
    pub next: Option<crate::domain::NextAction>,
    pub version: i64,
    pub salesforce_id: Option<SalesforceId>,
    pub hubspot_id: Option<HubspotId>,
    /// Never offered; dialing by hand asks first and says why (`do_not_call_reason`).
    pub do_not_call: bool,
    pub do_not_call_reason: Option<String>,
}

impl Lead {
    /// Where the lead is in time; `default` is the config's `default_time_zone` (for a number
    /// of a country kaden has no zone for).
    pub fn zone(&self, default: Tz) -> LeadZone {
        LeadZone::from_stored(&self.time_zone, default)
    }
    /// The number to dial: the main phone, else the mobile.
    pub fn dial_number(&self) -> Option<&str> {
        self.phone.as_deref().or(self.mobile.as_deref())
    }
}

pub(crate) const LEAD_COLUMNS: &str = "l.id, l.company_id, c.name, c.industry, c.employees, c.website, l.name, l.title,
    l.department, l.role, l.phone, l.mobile, l.email, l.source, l.owner, l.time_zone, l.tier, l.status,
    l.nurture_reason, l.touches, l.unanswered, l.created_at, l.next_at, l.next_owner, l.next_channel,
    l.next_note, l.next_callback, l.version, l.salesforce_id, l.hubspot_id, l.do_not_call,
    l.do_not_call_reason";

pub(crate) fn lead_from_row(r: &Row<'_>) -> Result<Lead> {
    let role: Option<String> = r.get(9)?;
    let next_at: Option<DateTime<Utc>> = r.get(22)?;
    let next = match next_at {
        Some(due) => Some(crate::domain::NextAction {
            owner: r.get::<Option<String>>(23)?.unwrap_or_default(),
            due,
            channel: r
                .get::<Option<String>>(24)?
                .and_then(|c| c.parse().ok())
                .unwrap_or(Channel::Call),
            note: r.get(25)?,
            callback: r.get(26)?,
        }),
        None => None,
    };
    Ok(Lead {
        id: r.get(0)?,
        company_id: r.get(1)?,
        company: r.get(2)?,
        industry: r.get(3)?,
        employees: r.get(4)?,
        website: r.get(5)?,
        name: r.get(6)?,
        title: r.get(7)?,
        department: r.get(8)?,
        role: role.and_then(|s| s.parse().ok()),
        phone: r.get(10)?,
        mobile: r.get(11)?,
        email: r.get(12)?,
        source: r.get(13)?,
        owner: r.get(14)?,
        time_zone: r.get(15)?,
        tier: Tier::new(r.get(16)?).ok_or(StoreError::Column {
            index: 16,
            what: "a tier outside 1-3",
        })?,
        status: r.get::<Key<LeadStatus>>(17)?.0,
        nurture_reason: r.get(18)?,
        touches: r.get(19)?,
        unanswered: r.get(20)?,
        created_at: r.get(21)?,
        next,
        version: r.get(27)?,
        salesforce_id: r.get::<Option<String>>(28)?.map(SalesforceId::stored),
        hubspot_id: r.get::<Option<String>>(29)?.map(HubspotId::stored),
        do_not_call: r.get(30)?,
        do_not_call_reason: r.get(31)?,
    })
}

/// One touch (or note) in a lead's history.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Activity {
    pub id: i64,
    pub lead_id: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub channel: Channel,
    pub result: Option<CallResult>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub rep: String,
    pub duration_s: Option<i64>,
}

/// Read one lead.
pub(crate) fn get_lead(db: &dyn Db, id: i64) -> Result<Lead> {
    let sql = format!(
        "SELECT {LEAD_COLUMNS} FROM leads l JOIN companies c ON c.id = l.company_id WHERE l.id = ?1"
    );
    db.opt(&sql, params![id], lead_from_row)?
        .ok_or(StoreError::UnknownLead(id))
}

/// A lead's full history, newest first.
pub(crate) fn history(db: &dyn Db, lead_id: i64) -> Result<Vec<Activity>> {
    db.rows(
        "SELECT id, lead_id, at, kind, channel, result, reason, note, rep, duration_s
         FROM activities WHERE lead_id = ?1 ORDER BY at DESC, id DESC",
        params![lead_id],
        |r| {
            let result: Option<String> = r.get(5)?;
            Ok(Activity {
                id: r.get(0)?,
                lead_id: r.get(1)?,
                at: r.get(2)?,
                kind: r.get(3)?,
                channel: r.get::<Key<Channel>>(4)?.0,
                result: result.and_then(|s| s.parse().ok()),
                reason: r.get(6)?,
                note: r.get(7)?,
                rep: r.get(8)?,
                duration_s: r.get(9)?,
            })
        },
    )
}

impl super::Store {
    /// Insert one lead (and its company when new), in its own transaction.
    pub fn insert_lead(&mut self, lead: &NewLead, cfg: &crate::config::Config) -> Result<i64> {
        self.tx(|db| {
            insert_lead(
                db,
                lead,
                &cfg.weights,
                cfg.default_time_zone,
                cfg.default_tier,
            )
        })
    }

    /// Find a lead by id, phone or email (see [`find_lead`]).
    pub fn find_lead(&self, reference: &str, region: &str) -> Result<i64> {
        find_lead(self.db(), reference, region)
    }

    /// Read one lead.
    pub fn lead(&self, id: i64) -> Result<Lead> {
        get_lead(self.db(), id)
    }
    /// A lead's history, newest first.
    pub fn history(&self, lead_id: i64) -> Result<Vec<Activity>> {
        history(self.db(), lead_id)
    }
    /// Number of leads.
    pub fn lead_count(&self) -> Result<i64> {
        self.db().value("SELECT count(*) FROM leads", params![])
    }
}
