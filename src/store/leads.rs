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
pub(crate) use resolve::find_lead;

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

/// Insert a lead (and its company when new). A new lead's next action is "call now".
pub(crate) fn insert_lead(
    db: &dyn Db,
    lead: &NewLead,
    w: &Weights,
    default_zone: Tz,
    default_tier: Tier,
) -> Result<i64> {
    LeadWriter::default().insert(db, lead, w, default_zone, default_tier)
}

/// Inserts many leads in one transaction, remembering companies and zones already written so
/// each further lead costs one statement.
#[derive(Debug, Default)]
pub struct LeadWriter {
    companies: std::collections::HashMap<String, (i64, u8)>,
    zones: std::collections::HashSet<String>,
    /// The companies table was empty when the writer started: only this writer adds to it.
    fresh_companies: bool,
    /// The do-not-call list, read at the first insert.
    dnc_numbers: Option<std::collections::HashSet<String>>,
}

impl LeadWriter {
    /// A writer for `db`; notices an empty database so new companies need no lookup.
    pub(crate) fn for_db(db: &dyn Db) -> Result<LeadWriter> {
        let any: bool = db.value("SELECT EXISTS (SELECT 1 FROM companies)", params![])?;
        Ok(LeadWriter {
            fresh_companies: !any,
            ..LeadWriter::default()
        })
    }

    /// The company of `c` (found or created) and its tier.
    fn company(
        &mut self,
        db: &dyn Db,
        c: &CompanyInput,
        default_tier: Tier,
        created_at: DateTime<Utc>,
    ) -> Result<(i64, u8)> {
        if let Some(&(id, tier)) = self.companies.get(&c.name) {
            if !c.industry.is_empty() || c.employees.is_some() || !c.website.is_empty() {
                fill_company(db, id, c)?;
            }
            return Ok((id, tier));
        }
        let found: Option<(i64, u8)> = if self.fresh_companies {
            None
        } else {
            db.opt(
                "SELECT id, tier FROM companies WHERE name = ?1 LIMIT 1",
                params![c.name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
        };
        let (id, tier) = match found {
            Some(found) => {
                fill_company(db, found.0, c)?;
                found
            }
            None => db.one(
                "INSERT INTO companies (name, industry, employees, website, tier, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id, tier",
                params![
                    c.name,
                    c.industry,
                    c.employees,
                    c.website,
                    c.tier.unwrap_or(default_tier).get(),
                    created_at
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?,
        };
        self.companies.insert(c.name.clone(), (id, tier));
        Ok((id, tier))
    }

    /// Insert one lead; see [`insert_lead`].
    pub(crate) fn insert(
        &mut self,
        db: &dyn Db,
        lead: &NewLead,
        w: &Weights,
        default_zone: Tz,
        default_tier: Tier,
    ) -> Result<i64> {
        let (company_id, tier) = self.company(db, &lead.company, default_tier, lead.created_at)?;
        let zone = resolve_zone(
            lead.time_zone,
            lead.phone.as_deref(),
            lead.mobile.as_deref(),
            default_zone,
        );
        let zone = zone.key();
        if !self.zones.contains(&zone) {
            add_zone(db, &zone)?;
            self.zones.insert(zone.clone());
        }
        let next_at = (!lead.status.is_closed() && lead.status != LeadStatus::Nurturing)
            .then_some(lead.created_at);
        let listed = self.listed_number(db, lead)?;
        let dnc_reason = match (lead.do_not_call, &listed) {
            (_, Some(n)) => Some(format!("number {n} is on the do-not-call list")),
            (true, None) => Some("do not call (import)".to_string()),
            (false, None) => None,
        };
        let (band, key) = queue_keys(w, lead.status, next_at, false, lead.created_at, 0);
        db.value(
            "INSERT INTO leads (company_id, name, title, department, role, phone, mobile, email, source, owner,
                                time_zone, tier, status, created_at, updated_at,
                                next_at, next_owner, next_channel, q_band, rank_key, salesforce_id, hubspot_id,
                                do_not_call, do_not_call_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16, ?17, ?18, ?19,
                     ?20, ?21, ?22, ?23)
             RETURNING id",
            params![
                company_id,
                lead.name,
                lead.title,
                lead.department,
                lead.role.map(Role::key),
                lead.phone,
                lead.mobile,
                lead.email,
                lead.source,
                lead.owner,
                zone,
                tier,
                lead.status.key(),
                lead.created_at,
                next_at,
                next_at.map(|_| lead.owner.as_str()),
                next_at.map(|_| Channel::Call.key()),
                band,
                key,
                lead.salesforce_id.as_ref().map(SalesforceId::as_str),
                lead.hubspot_id.as_ref().map(HubspotId::as_str),
                dnc_reason.is_some(),
                dnc_reason,
            ],
        )
    }

    /// The lead's phone or mobile that is on the do-not-call list, if any (the list is read
    /// once per writer: it is short, and an import asks for every row).
    fn listed_number(&mut self, db: &dyn Db, lead: &NewLead) -> Result<Option<String>> {
        if self.dnc_numbers.is_none() {
            let all: Vec<String> =
                db.rows("SELECT number FROM do_not_call_numbers", params![], |r| {
                    r.get(0)
                })?;
            self.dnc_numbers = Some(all.into_iter().collect());
        }
        let listed = self.dnc_numbers.as_ref();
        Ok([&lead.phone, &lead.mobile]
            .into_iter()
            .flatten()
            .find(|n| listed.is_some_and(|l| l.contains(*n)))
            .cloned())
    }
}

/// Remember that some lead is in `zone` (calling hours are checked per zone).
pub(crate) fn add_zone(db: &dyn Db, zone: &str) -> Result<()> {
    db.execute(
        "INSERT INTO zones (name) VALUES (?1) ON CONFLICT DO NOTHING",
        params![zone],
    )?;
    Ok(())
}

fn fill_company(db: &dyn Db, id: i64, c: &CompanyInput) -> Result<()> {
    db.execute(
        "UPDATE companies SET industry = CASE WHEN industry = '' THEN ?2 ELSE industry END,
                              employees = COALESCE(employees, ?3),
                              website = CASE WHEN website = '' THEN ?4 ELSE website END
         WHERE id = ?1",
        params![id, c.industry, c.employees, c.website],
    )?;
    Ok(())
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
