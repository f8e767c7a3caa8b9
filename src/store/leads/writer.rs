//! Writing new leads: the company (found or created), the zone, the do-not-call list and the
//! stored queue keys, one statement per lead once its company and zone are known.

use super::{NewLead, queue_keys, resolve_zone};
use crate::domain::crm::{HubspotId, SalesforceId};
use crate::domain::ranking::Weights;
use crate::domain::{Channel, LeadStatus, Role, Tier};
use crate::store::Result;
use crate::store::sql::{Db, DbExt, EngineKind, Value, params};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::{HashMap, HashSet};

/// Companies remembered by a writer: a file is usually grouped by company, so a small cache
/// catches nearly every repeat and memory stays the same however long the file is.
const COMPANY_CACHE: usize = 4_096;

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

/// A company the writer has seen: its id, its tier, and which of its fillable fields are
/// already set (so a lead of a company already complete costs no update).
#[derive(Debug, Clone, Copy)]
struct Company {
    id: i64,
    tier: u8,
    industry: bool,
    employees: bool,
    website: bool,
}

impl Company {
    /// Whether `c` would fill a field still empty.
    fn fills(&self, c: &crate::store::CompanyInput) -> bool {
        (!self.industry && !c.industry.is_empty())
            || (!self.employees && c.employees.is_some())
            || (!self.website && !c.website.is_empty())
    }

    fn filled(&mut self, c: &crate::store::CompanyInput) {
        self.industry |= !c.industry.is_empty();
        self.employees |= c.employees.is_some();
        self.website |= !c.website.is_empty();
    }
}

/// Inserts many leads in one transaction, remembering recent companies, the zones and the
/// do-not-call list so each further lead costs one statement.
#[derive(Debug, Default)]
pub struct LeadWriter {
    companies: HashMap<String, Company>,
    zones: HashSet<String>,
    /// The companies table was empty when the writer started and the cache never dropped a
    /// company: a company not in the cache is new, no lookup needed.
    fresh_companies: bool,
    /// The do-not-call list, read at the first insert.
    dnc_numbers: Option<HashSet<String>>,
}

/// The columns of a lead that its own values decide (zone, do-not-call, next owner).
struct Derived {
    zone: String,
    next_at: Option<DateTime<Utc>>,
    dnc_reason: Option<String>,
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
        c: &crate::store::CompanyInput,
        default_tier: Tier,
        created_at: DateTime<Utc>,
    ) -> Result<(i64, u8)> {
        if let Some(known) = self.companies.get_mut(&c.name) {
            if known.fills(c) {
                fill_company(db, known.id, c)?;
                known.filled(c);
            }
            return Ok((known.id, known.tier));
        }
        let found: Option<Company> = if self.fresh_companies {
            None
        } else {
            db.opt(
                "SELECT id, tier, industry <> '', employees IS NOT NULL, website <> ''
                 FROM companies WHERE name = ?1 ORDER BY id LIMIT 1",
                params![c.name],
                |r| {
                    Ok(Company {
                        id: r.get(0)?,
                        tier: r.get(1)?,
                        industry: r.get(2)?,
                        employees: r.get(3)?,
                        website: r.get(4)?,
                    })
                },
            )?
        };
        let company = match found {
            Some(mut found) => {
                if found.fills(c) {
                    fill_company(db, found.id, c)?;
                    found.filled(c);
                }
                found
            }
            None => {
                let tier = c.tier.unwrap_or(default_tier).get();
                let id = insert_id(
                    db,
                    "INSERT INTO companies (name, industry, employees, website, tier, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![c.name, c.industry, c.employees, c.website, tier, created_at],
                )?;
                Company {
                    id,
                    tier,
                    industry: !c.industry.is_empty(),
                    employees: c.employees.is_some(),
                    website: !c.website.is_empty(),
                }
            }
        };
        if self.companies.len() >= COMPANY_CACHE {
            // Forget them all (cheaper than an LRU, and a grouped file refills it at once);
            // from now on a company not in the cache may be in the table.
            self.companies.clear();
            self.fresh_companies = false;
        }
        self.companies.insert(c.name.clone(), company);
        Ok((company.id, company.tier))
    }

    /// The zone, next action and do-not-call mark a lead in this state gets.
    fn derive(&mut self, db: &dyn Db, lead: &NewLead, default_zone: Tz) -> Result<Derived> {
        let zone = resolve_zone(
            lead.time_zone,
            lead.phone.as_deref(),
            lead.mobile.as_deref(),
            default_zone,
        )
        .key();
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
        Ok(Derived {
            zone,
            next_at,
            dnc_reason,
        })
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
        let d = self.derive(db, lead, default_zone)?;
        let (band, key) = queue_keys(w, lead.status, d.next_at, false, lead.created_at, 0);
        insert_id(
            db,
            "INSERT INTO leads (company_id, name, title, department, role, phone, mobile, email, source, owner,
                                time_zone, tier, status, created_at, updated_at,
                                next_at, next_owner, next_channel, q_band, rank_key, salesforce_id, hubspot_id,
                                do_not_call, do_not_call_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16, ?17, ?18, ?19,
                     ?20, ?21, ?22, ?23)",
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
                d.zone,
                tier,
                lead.status.key(),
                lead.created_at,
                d.next_at,
                d.next_at.map(|_| lead.owner.as_str()),
                d.next_at.map(|_| Channel::Call.key()),
                band,
                key,
                lead.salesforce_id.as_ref().map(SalesforceId::as_str),
                lead.hubspot_id.as_ref().map(HubspotId::as_str),
                d.dnc_reason.is_some(),
                d.dnc_reason,
            ],
        )
    }

    /// Write lead `id`, inserted by this writer, again as [`insert`](Self::insert) would have
    /// written `lead` (its company, status, times and queue keys stay): an import's later row
    /// filled some of its empty fields.
    pub(crate) fn rewrite(
        &mut self,
        db: &dyn Db,
        id: i64,
        lead: &NewLead,
        default_zone: Tz,
    ) -> Result<()> {
        let d = self.derive(db, lead, default_zone)?;
        db.execute(
            "UPDATE leads SET name = ?2, title = ?3, department = ?4, role = ?5, phone = ?6, mobile = ?7,
                              email = ?8, source = ?9, owner = ?10, time_zone = ?11,
                              next_owner = CASE WHEN next_at IS NULL THEN NULL ELSE ?10 END,
                              salesforce_id = ?12, hubspot_id = ?13, do_not_call = ?14,
                              do_not_call_reason = ?15
             WHERE id = ?1",
            params![
                id,
                lead.name,
                lead.title,
                lead.department,
                lead.role.map(Role::key),
                lead.phone,
                lead.mobile,
                lead.email,
                lead.source,
                lead.owner,
                d.zone,
                lead.salesforce_id.as_ref().map(SalesforceId::as_str),
                lead.hubspot_id.as_ref().map(HubspotId::as_str),
                d.dnc_reason.is_some(),
                d.dnc_reason,
            ],
        )?;
        Ok(())
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

/// Run an `INSERT` of one row; the new row's id. SQLite reads it with `last_insert_rowid()`:
/// `RETURNING` builds a temporary table for every statement, which costs more than the insert
/// itself in a bulk load.
fn insert_id(db: &dyn Db, sql: &str, params: &[Value<'_>]) -> Result<i64> {
    match db.engine() {
        EngineKind::Sqlite => {
            db.execute(sql, params)?;
            db.value("SELECT last_insert_rowid()", params![])
        }
        EngineKind::Postgres => db.value(&format!("{sql} RETURNING id"), params),
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

fn fill_company(db: &dyn Db, id: i64, c: &crate::store::CompanyInput) -> Result<()> {
    db.execute(
        "UPDATE companies SET industry = CASE WHEN industry = '' THEN ?2 ELSE industry END,
                              employees = COALESCE(employees, ?3),
                              website = CASE WHEN website = '' THEN ?4 ELSE website END
         WHERE id = ?1",
        params![id, c.industry, c.employees, c.website],
    )?;
    Ok(())
}
