//! Editing a lead's contact data (the TUI's `e`): every field checked first, then one
//! `BEGIN IMMEDIATE` transaction. The tier is the company's, so changing it re-tiers every lead
//! of that company; the company name renames the company row.

use super::leads::{add_zone, resolve_zone};
use super::sql::params;
use super::{Lead, Result, Store, StoreError, get_lead};
use crate::config::Config;
use crate::domain::text::sanitize_line;
use crate::domain::{Role, Tier, phone};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The editable fields of a lead, as typed. Text is sanitised, phones normalised, the email
/// lower-cased and the zone checked by [`Store::update_lead`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadEdit {
    pub company: String,
    pub name: String,
    pub title: String,
    pub department: String,
    pub role: Option<Role>,
    pub phone: String,
    pub mobile: String,
    pub email: String,
    /// IANA name, e.g. `Asia/Tokyo`; empty: the zone the phone numbers fix ("zone unknown"
    /// where they leave several open).
    pub time_zone: String,
    pub owner: String,
    /// The company's tier (applies to all its leads).
    pub tier: Tier,
}

impl LeadEdit {
    /// The lead's current values, as a starting point for an edit.
    pub fn from_lead(lead: &Lead) -> LeadEdit {
        LeadEdit {
            company: lead.company.clone(),
            name: lead.name.clone(),
            title: lead.title.clone(),
            department: lead.department.clone(),
            role: lead.role,
            phone: lead.phone.clone().unwrap_or_default(),
            mobile: lead.mobile.clone().unwrap_or_default(),
            email: lead.email.clone().unwrap_or_default(),
            time_zone: if lead.time_zone.starts_with('?') {
                String::new()
            } else {
                lead.time_zone.clone()
            },
            owner: lead.owner.clone(),
            tier: lead.tier,
        }
    }
}

/// A [`LeadEdit`] after its checks: what is written.
struct Checked {
    company: String,
    name: String,
    title: String,
    department: String,
    phone: Option<String>,
    mobile: Option<String>,
    email: Option<String>,
    /// What `leads.time_zone` gets (see [`crate::domain::zone::LeadZone::key`]).
    zone: String,
    owner: String,
}

fn invalid(field: &str, why: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("{field}: {why}"))
}

fn check(e: &LeadEdit, cfg: &Config) -> Result<Checked> {
    let company = sanitize_line(&e.company).trim().to_string();
    if company.is_empty() {
        return Err(invalid("company", "the name cannot be empty"));
    }
    let phone_of = |field: &str, raw: &str| {
        phone::normalize(&sanitize_line(raw), &cfg.phone_region).map_err(|b| invalid(field, b))
    };
    let phone = phone_of("phone", &e.phone)?;
    let mobile = phone_of("mobile", &e.mobile)?;
    let email = sanitize_line(&e.email).trim().to_lowercase();
    if !email.is_empty() && !crate::domain::text::is_email(&email) {
        return Err(invalid(
            "email",
            format_args!("'{email}' is not an email address"),
        ));
    }
    let zone_text = sanitize_line(&e.time_zone).trim().to_string();
    let own: Option<Tz> = if zone_text.is_empty() {
        None
    } else {
        Some(zone_text.parse().map_err(|_| {
            invalid(
                "time zone",
                format_args!(
                    "unknown time zone '{zone_text}' (give an IANA name like Asia/Tokyo, or leave it empty to take it from the phone)"
                ),
            )
        })?)
    };
    let zone = resolve_zone(
        own,
        phone.as_deref(),
        mobile.as_deref(),
        cfg.default_time_zone,
    )
    .key();
    let line = |s: &str| sanitize_line(s).trim().to_string();
    Ok(Checked {
        company,
        name: line(&e.name),
        title: line(&e.title),
        department: line(&e.department),
        phone,
        mobile,
        email: Some(email).filter(|m| !m.is_empty()),
        zone,
        owner: line(&e.owner),
    })
}

impl Store {
    /// Write an edit of lead `id`; returns the lead as stored. Nothing is written when a field
    /// is refused (the error names it).
    pub fn update_lead(
        &mut self,
        id: i64,
        edit: &LeadEdit,
        cfg: &Config,
        now: DateTime<Utc>,
    ) -> Result<Lead> {
        let c = check(edit, cfg)?;
        self.tx(|db| {
            let before = get_lead(db, id)?;
            if before.time_zone != c.zone {
                add_zone(db, &c.zone)?;
            }
            db.execute(
                "UPDATE companies SET name = ?2, tier = ?3 WHERE id = ?1",
                params![before.company_id, c.company, edit.tier.get()],
            )?;
            if edit.tier != before.tier {
                db.execute(
                    "UPDATE leads SET tier = ?2 WHERE company_id = ?1 AND tier <> ?2",
                    params![before.company_id, edit.tier.get()],
                )?;
            }
            db.execute(
                "UPDATE leads SET name = ?2, title = ?3, department = ?4, role = ?5, phone = ?6,
                                  mobile = ?7, email = ?8, time_zone = ?9, owner = ?10, tier = ?11,
                                  updated_at = ?12, version = version + 1
                 WHERE id = ?1",
                params![
                    id,
                    c.name,
                    c.title,
                    c.department,
                    edit.role.map(Role::key),
                    c.phone,
                    c.mobile,
                    c.email,
                    c.zone,
                    c.owner,
                    edit.tier.get(),
                    now,
                ],
            )?;
            get_lead(db, id)
        })
    }
}
