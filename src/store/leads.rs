//! Leads and companies: insert (zone resolution, stored queue keys), read one lead with its
//! full history.

use super::{Result, StoreError, parse_ts, ts};
use crate::domain::ranking::{self, Weights};
use crate::domain::{CallResult, Channel, LeadStatus, Role, Tier, phone};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension, Row, params};

mod resolve;
pub use resolve::find_lead;

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
}

/// The zone a lead is called in: its own, else its phone's country, else the default.
pub fn resolve_zone(own: Option<Tz>, phone: Option<&str>, mobile: Option<&str>, default: Tz) -> Tz {
    own.or_else(|| phone.and_then(phone::zone_for))
        .or_else(|| mobile.and_then(phone::zone_for))
        .unwrap_or(default)
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

/// Find a company by exact name or create it; returns its id.
pub fn upsert_company(
    conn: &Connection,
    c: &CompanyInput,
    default_tier: Tier,
    now: DateTime<Utc>,
) -> Result<i64> {
    if let Some(id) = conn
        .prepare_cached("SELECT id FROM companies WHERE name = ?1 LIMIT 1")?
        .query_row([&c.name], |r| r.get::<_, i64>(0))
        .optional()?
    {
        // Fill what was empty; never overwrite.
        fill_company(conn, id, c)?;
        return Ok(id);
    }
    conn.prepare_cached(
        "INSERT INTO companies (name, industry, employees, website, tier, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        c.name,
        c.industry,
        c.employees,
        c.website,
        c.tier.unwrap_or(default_tier).get(),
        ts(now)
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Insert a lead (and its company when new). A new lead's next action is "call now".
pub fn insert_lead(
    conn: &Connection,
    lead: &NewLead,
    w: &Weights,
    default_zone: Tz,
    default_tier: Tier,
) -> Result<i64> {
    LeadWriter::default().insert(conn, lead, w, default_zone, default_tier)
}

/// Inserts many leads in one transaction, remembering companies and zones already written so
/// each further lead costs one statement.
#[derive(Debug, Default)]
pub struct LeadWriter {
    companies: std::collections::HashMap<String, (i64, u8)>,
    zones: std::collections::HashSet<String>,
    /// The companies table was empty when the writer started: only this writer adds to it.
    fresh_companies: bool,
}

impl LeadWriter {
    /// A writer for `conn`; notices an empty database so new companies need no lookup.
    pub fn for_conn(conn: &Connection) -> Result<LeadWriter> {
        let any: bool =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM companies)", [], |r| r.get(0))?;
        Ok(LeadWriter {
            fresh_companies: !any,
            ..LeadWriter::default()
        })
    }

    /// Insert one lead; see [`insert_lead`].
    pub fn insert(
        &mut self,
        conn: &Connection,
        lead: &NewLead,
        w: &Weights,
        default_zone: Tz,
        default_tier: Tier,
    ) -> Result<i64> {
        let c = &lead.company;
        let (company_id, tier) = match self.companies.get(&c.name) {
            Some(&(id, tier)) => {
                if !c.industry.is_empty() || c.employees.is_some() || !c.website.is_empty() {
                    fill_company(conn, id, c)?;
                }
                (id, tier)
            }
            None => {
                let found: Option<(i64, u8)> = if self.fresh_companies {
                    None
                } else {
                    conn.prepare_cached("SELECT id, tier FROM companies WHERE name = ?1 LIMIT 1")?
                        .query_row([&c.name], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()?
                };
                let (id, tier) = match found {
                    Some((id, tier)) => {
                        fill_company(conn, id, c)?;
                        (id, tier)
                    }
                    None => conn
                        .prepare_cached(
                            "INSERT INTO companies (name, industry, employees, website, tier, created_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id, tier",
                        )?
                        .query_row(
                            params![
                                c.name,
                                c.industry,
                                c.employees,
                                c.website,
                                c.tier.unwrap_or(default_tier).get(),
                                ts(lead.created_at)
                            ],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )?,
                };
                self.companies.insert(c.name.clone(), (id, tier));
                (id, tier)
            }
        };
        let zone = resolve_zone(
            lead.time_zone,
            lead.phone.as_deref(),
            lead.mobile.as_deref(),
            default_zone,
        );
        if !self.zones.contains(zone.name()) {
            conn.prepare_cached("INSERT OR IGNORE INTO zones (name) VALUES (?1)")?
                .execute([zone.name()])?;
            self.zones.insert(zone.name().to_string());
        }
        let next_at = (!lead.status.is_closed() && lead.status != LeadStatus::Nurturing)
            .then_some(lead.created_at);
        let (band, key) = queue_keys(w, lead.status, next_at, false, lead.created_at, 0);
        conn.prepare_cached(
            "INSERT INTO leads (company_id, name, title, department, role, phone, mobile, email, source, owner,
                                time_zone, tier, status, created_at, updated_at,
                                next_at, next_owner, next_channel, q_band, rank_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16, ?17, ?18, ?19)",
        )?
        .execute(params![
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
            zone.name(),
            tier,
            lead.status.key(),
            ts(lead.created_at),
            next_at.map(ts),
            next_at.map(|_| lead.owner.clone()),
            next_at.map(|_| Channel::Call.key()),
            band,
            key,
        ])?;
        Ok(conn.last_insert_rowid())
    }
}

/// Run a bulk insert with the leads table's secondary indexes dropped and rebuilt afterwards —
/// inside the caller's transaction, so a failure or a kill restores them with everything else.
/// Building an index once from sorted data is several times cheaper than inserting 100,000
/// rows into eight indexes one by one; worth it when the table is small next to the load.
pub fn with_lead_indexes_rebuilt<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let saved = drop_indexes(conn, "leads")?;
    let out = f()?;
    restore_indexes(conn, &saved)?;
    Ok(out)
}

/// Drop a table's secondary indexes; returns their SQL for [`restore_indexes`].
pub fn drop_indexes(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let indexes: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL")?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

/// Re-create indexes dropped by [`drop_indexes`].
pub fn restore_indexes(conn: &Connection, sqls: &[String]) -> Result<()> {
    for sql in sqls {
        conn.execute_batch(sql)?;
    }
    Ok(())
}

fn fill_company(conn: &Connection, id: i64, c: &CompanyInput) -> Result<()> {
    conn.prepare_cached(
        "UPDATE companies SET industry = CASE WHEN industry = '' THEN ?2 ELSE industry END,
                              employees = COALESCE(employees, ?3),
                              website = CASE WHEN website = '' THEN ?4 ELSE website END
         WHERE id = ?1",
    )?
    .execute(params![id, c.industry, c.employees, c.website])?;
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
}

impl Lead {
    /// The zone as a `Tz` (UTC if the stored name is unknown).
    pub fn zone(&self) -> Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }
    /// The number to dial: the main phone, else the mobile.
    pub fn dial_number(&self) -> Option<&str> {
        self.phone.as_deref().or(self.mobile.as_deref())
    }
}

pub(crate) const LEAD_COLUMNS: &str = "l.id, l.company_id, c.name, c.industry, c.employees, c.website, l.name, l.title,
    l.department, l.role, l.phone, l.mobile, l.email, l.source, l.owner, l.time_zone, l.tier, l.status,
    l.nurture_reason, l.touches, l.unanswered, l.created_at, l.next_at, l.next_owner, l.next_channel,
    l.next_note, l.next_callback, l.version";

fn bad_col(i: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        i,
        rusqlite::types::Type::Text,
        what.to_string().into(),
    )
}

pub(crate) fn time_col(r: &Row, i: usize) -> rusqlite::Result<DateTime<Utc>> {
    let s: String = r.get(i)?;
    parse_ts(&s).ok_or_else(|| bad_col(i, "bad time"))
}

pub(crate) fn opt_time_col(r: &Row, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let s: Option<String> = r.get(i)?;
    s.map(|s| parse_ts(&s).ok_or_else(|| bad_col(i, "bad time")))
        .transpose()
}

pub(crate) fn key_col<T: std::str::FromStr>(r: &Row, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    s.parse().map_err(|_| bad_col(i, "unknown key"))
}

pub(crate) fn lead_from_row(r: &Row) -> rusqlite::Result<Lead> {
    let role: Option<String> = r.get(9)?;
    let tier: u8 = r.get(16)?;
    let next_at = opt_time_col(r, 22)?;
    let next = match next_at {
        Some(due) => Some(crate::domain::NextAction {
            owner: r.get::<_, Option<String>>(23)?.unwrap_or_default(),
            due,
            channel: r
                .get::<_, Option<String>>(24)?
                .and_then(|c| c.parse().ok())
                .unwrap_or(Channel::Call),
            note: r.get(25)?,
            callback: r.get::<_, i64>(26)? != 0,
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
        tier: Tier::new(tier).ok_or_else(|| bad_col(16, "bad tier"))?,
        status: key_col(r, 17)?,
        nurture_reason: r.get(18)?,
        touches: r.get(19)?,
        unanswered: r.get(20)?,
        created_at: time_col(r, 21)?,
        next,
        version: r.get(27)?,
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
pub fn get_lead(conn: &Connection, id: i64) -> Result<Lead> {
    let sql = format!(
        "SELECT {LEAD_COLUMNS} FROM leads l JOIN companies c ON c.id = l.company_id WHERE l.id = ?1"
    );
    conn.prepare_cached(&sql)?
        .query_row([id], lead_from_row)
        .optional()?
        .ok_or(StoreError::UnknownLead(id))
}

/// A lead's full history, newest first.
pub fn history(conn: &Connection, lead_id: i64) -> Result<Vec<Activity>> {
    let mut st = conn.prepare_cached(
        "SELECT id, lead_id, at, kind, channel, result, reason, note, rep, duration_s
         FROM activities WHERE lead_id = ?1 ORDER BY at DESC, id DESC",
    )?;
    let rows = st.query_map([lead_id], |r| {
        let result: Option<String> = r.get(5)?;
        Ok(Activity {
            id: r.get(0)?,
            lead_id: r.get(1)?,
            at: time_col(r, 2)?,
            kind: r.get(3)?,
            channel: key_col(r, 4)?,
            result: result.and_then(|s| s.parse().ok()),
            reason: r.get(6)?,
            note: r.get(7)?,
            rep: r.get(8)?,
            duration_s: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

impl super::Store {
    /// Read one lead.
    pub fn lead(&self, id: i64) -> Result<Lead> {
        get_lead(&self.conn, id)
    }
    /// A lead's history, newest first.
    pub fn history(&self, lead_id: i64) -> Result<Vec<Activity>> {
        history(&self.conn, lead_id)
    }
    /// Number of leads.
    pub fn lead_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM leads", [], |r| r.get(0))?)
    }
}
