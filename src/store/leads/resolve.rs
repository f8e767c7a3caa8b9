//! Which lead a LEAD argument (`kaden log LEAD …`, `kaden meeting LEAD …`) means.
//!
//! The rule (also in `--help`):
//! - `#12` or `id:12` is always the lead with id 12;
//! - anything with an `@` is an email;
//! - a number written with `+`, a leading `0`, dashes, spaces or brackets is a phone number
//!   (`0345678801`, `+81345678801`, `03-4567-8801`): ids have none of those;
//! - a bare number (`12`, `345678801`) is the lead with that id or the lead with that phone
//!   number, whichever exists; when both exist (and are different leads) it is ambiguous and
//!   refused with the candidates listed;
//! - a phone or email that several leads share is refused the same way.

use super::super::{Result, StoreError};
use crate::domain::phone;
use crate::domain::text::{quoted, sanitize_line};
use crate::store::sql::{Db, DbExt, params};

/// How a candidate matched.
enum Match {
    Id,
    Phone(String),
    Email,
}

fn company_of(db: &dyn Db, id: i64) -> Result<String> {
    Ok(db
        .opt(
            "SELECT c.name FROM leads l JOIN companies c ON c.id = l.company_id WHERE l.id = ?1",
            params![id],
            |r| r.get::<String>(0),
        )?
        .map(|c| sanitize_line(&c))
        .unwrap_or_default())
}

fn ids(db: &dyn Db, sql: &str, key: &str) -> Result<Vec<i64>> {
    db.rows(sql, params![key], |r| r.get(0))
}

fn lead_exists(db: &dyn Db, id: i64) -> Result<bool> {
    Ok(db
        .opt("SELECT 1 FROM leads WHERE id = ?1", params![id], |_| Ok(()))?
        .is_some())
}

/// Find the lead `reference` names (see the module comment for the rule). `region` is the
/// phone region for numbers without a country code.
pub(crate) fn find_lead(db: &dyn Db, reference: &str, region: &str) -> Result<i64> {
    let r = reference.trim();
    let shown = quoted(r, 40);
    if let Some(id) = r.strip_prefix('#').or_else(|| r.strip_prefix("id:")) {
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| StoreError::Invalid(format!("{shown} is not a lead id (write #12)")))?;
        return super::get_lead(db, id).map(|l| l.id);
    }
    let mut found: Vec<(i64, Match)> = Vec::new();
    if r.contains('@') {
        let email = r.to_lowercase();
        for id in ids(
            db,
            "SELECT id FROM leads WHERE email = ?1 ORDER BY id LIMIT 5",
            &email,
        )? {
            found.push((id, Match::Email));
        }
    } else {
        let bare_number =
            !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()) && !r.starts_with('0');
        if bare_number
            && let Ok(id) = r.parse::<i64>()
            && lead_exists(db, id)?
        {
            found.push((id, Match::Id));
        }
        if let Ok(Some(e164)) = phone::normalize(r, region) {
            for id in ids(
                db,
                "SELECT id FROM leads WHERE phone = ?1 OR mobile = ?1 ORDER BY id LIMIT 5",
                &e164,
            )? {
                if !found.iter().any(|(f, _)| *f == id) {
                    found.push((id, Match::Phone(e164.clone())));
                }
            }
        }
    }
    let bare_number = !r.is_empty() && r.chars().all(|c| c.is_ascii_digit());
    match found.as_slice() {
        [] if bare_number && !r.starts_with('0') => Err(StoreError::Invalid(format!(
            "no lead with id {r}, nor with that phone (give its id as #12, its phone or its email)"
        ))),
        [] => Err(StoreError::Invalid(format!(
            "no lead {shown} (give its id as #12, its phone or its email)"
        ))),
        [(id, _)] => Ok(*id),
        many => {
            let mut list = Vec::new();
            for (id, how) in many {
                let how = match how {
                    Match::Id => "its id".to_string(),
                    Match::Phone(p) => format!("phone {p}"),
                    Match::Email => "email".to_string(),
                };
                list.push(format!("#{id} {} ({how})", company_of(db, *id)?));
            }
            Err(StoreError::Invalid(format!(
                "{shown} could be more than one lead: {}; write #ID for an id, or the phone with its country code (+81…)",
                list.join(", ")
            )))
        }
    }
}
