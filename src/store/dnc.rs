//! Do not call: a lead, or a number whichever lead has it, that must never be offered. Marking
//! is one transaction; the queue's queries skip `do_not_call = 1`, and dialing such a lead by
//! hand asks first (the TUI) with the stored reason.

use super::leads::get_lead;
use super::sql::params;
use super::{Lead, Result, Store, StoreError};
use crate::domain::text::sanitize_line;
use chrono::{DateTime, Utc};

impl Store {
    /// Mark lead `id` do-not-call (`on`) with `reason`, or lift it. Returns the lead as stored.
    pub fn set_do_not_call(
        &mut self,
        id: i64,
        on: bool,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Lead> {
        let reason = reason
            .map(|r| sanitize_line(r).trim().to_string())
            .filter(|r| !r.is_empty());
        self.tx(|db| {
            get_lead(db, id)?;
            db.execute(
                "UPDATE leads SET do_not_call = ?2, do_not_call_reason = ?3, updated_at = ?4,
                                  version = version + 1
                 WHERE id = ?1",
                params![id, on, if on { reason.as_deref() } else { None }, now],
            )?;
            get_lead(db, id)
        })
    }

    /// Put `e164` on the do-not-call list and mark every lead with that phone or mobile.
    /// Returns how many leads were marked.
    pub fn add_do_not_call_number(
        &mut self,
        e164: &str,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        if !e164.starts_with('+') {
            return Err(StoreError::Invalid(format!(
                "'{e164}' is not a normalised phone number"
            )));
        }
        let reason = reason
            .map(|r| sanitize_line(r).trim().to_string())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| format!("number {e164} is on the do-not-call list"));
        self.tx(|db| {
            db.execute(
                "INSERT INTO do_not_call_numbers (number, reason, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (number) DO UPDATE SET reason = excluded.reason",
                params![e164, reason, now],
            )?;
            db.execute(
                "UPDATE leads SET do_not_call = 1, do_not_call_reason = ?2, updated_at = ?3,
                                  version = version + 1
                 WHERE (phone = ?1 OR mobile = ?1) AND do_not_call = 0",
                params![e164, reason, now],
            )
        })
    }

    /// The numbers on the do-not-call list, with their reasons.
    pub fn do_not_call_numbers(&self) -> Result<Vec<(String, String)>> {
        use super::sql::DbExt;
        self.db().rows(
            "SELECT number, reason FROM do_not_call_numbers ORDER BY number",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }
}
