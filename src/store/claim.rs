//! Claims (SPEC §5): a lead a rep is working — from opening the result form or dialing until the
//! result is saved or the form cancelled — is claimed by that rep with a lease. Other reps'
//! queues do not show it; "next lead" claims atomically (PostgreSQL: `FOR UPDATE SKIP LOCKED`;
//! SQLite: the one write lock); saving checks the claim's fencing token, so a rep whose lease
//! lapsed and whose lead another rep took is told so and nothing is written twice. A crashed
//! rep's claim simply expires.
//!
//! The same statements run on both engines: a shared SQLite file gets the same guarantees.
//! "Next lead" is in `claim_next.rs`.

use super::sql::{Db, DbExt, params};
use super::{Result, Store, StoreError, ts};
use chrono::{DateTime, Duration, Utc};

/// How long a claim lasts unless renewed (SPEC §5: 10 minutes).
pub const DEFAULT_LEASE: Duration = Duration::minutes(10);

/// A claim this store's rep holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub lead: i64,
    /// Grows with every claim of the lead: a save must present the one it was given.
    pub token: i64,
    pub until: DateTime<Utc>,
}

/// Why a claim was not given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimError {
    /// Another rep holds it until then.
    Held { by: String, until: DateTime<Utc> },
}

/// The condition under which `rep` (?R) may take lead `id` at `now` (?N).
const CLAIMABLE: &str = "(claimed_by IS NULL OR claimed_by = ?R OR claimed_until <= ?N)";

fn claimable(rep: usize, now: usize) -> String {
    CLAIMABLE
        .replace("?R", &format!("?{rep}"))
        .replace("?N", &format!("?{now}"))
}

impl Store {
    /// Set the lease of new and renewed claims (the config's `[team] lease_minutes`).
    pub fn set_lease(&mut self, lease: Duration) {
        self.lease = lease.max(Duration::minutes(1));
    }

    /// The lease of this store's claims.
    pub fn lease(&self) -> Duration {
        self.lease
    }

    /// The claims this store holds: lead id → token.
    pub fn held(&self) -> Vec<(i64, i64)> {
        let mut v: Vec<_> = self.held.iter().map(|(k, v)| (*k, *v)).collect();
        v.sort_unstable();
        v
    }

    /// Claim `lead` for `rep` at `now`: refused (with who holds it) while another rep's lease
    /// runs. Claiming a lead one already holds renews it.
    pub fn claim(&mut self, lead: i64, rep: &str, now: DateTime<Utc>) -> Result<Claim> {
        let until = now + self.lease;
        let token: Option<i64> = self.tx(|db| {
            db.opt(
                &format!(
                    "UPDATE leads SET claimed_by = ?1, claimed_until = ?2, claim_token = claim_token + 1
                     WHERE id = ?3 AND {} RETURNING claim_token",
                    claimable(1, 4)
                ),
                params![rep, until, lead, now],
                |r| r.get(0),
            )
        })?;
        match token {
            Some(token) => {
                self.held.insert(lead, token);
                Ok(Claim { lead, token, until })
            }
            None => Err(self.why_not_claimed(lead)?),
        }
    }

    /// The error for a lead that could not be claimed.
    fn why_not_claimed(&self, lead: i64) -> Result<StoreError> {
        let row: Option<(Option<String>, Option<DateTime<Utc>>)> = self.db().opt(
            "SELECT claimed_by, claimed_until FROM leads WHERE id = ?1",
            params![lead],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(match row {
            None => StoreError::UnknownLead(lead),
            Some((by, until)) => StoreError::ClaimHeld {
                lead,
                by: by.unwrap_or_default(),
                until: until.map(ts).unwrap_or_default(),
            },
        })
    }

    /// Extend a held claim's lease from `now`. A claim that was taken over in the meantime is
    /// dropped and reported as [`StoreError::ClaimLapsed`].
    pub fn renew_claim(&mut self, lead: i64, rep: &str, now: DateTime<Utc>) -> Result<Claim> {
        let Some(&token) = self.held.get(&lead) else {
            return self.claim(lead, rep, now);
        };
        let until = now + self.lease;
        let n = self.tx(|db| {
            db.execute(
                "UPDATE leads SET claimed_until = ?1 WHERE id = ?2 AND claimed_by = ?3 AND claim_token = ?4",
                params![until, lead, rep, token],
            )
        })?;
        if n == 0 {
            self.held.remove(&lead);
            return Err(StoreError::ClaimLapsed {
                lead,
                why: "another rep claimed it".into(),
            });
        }
        Ok(Claim { lead, token, until })
    }

    /// Give a held claim back (the form was cancelled): the lead returns to every queue.
    pub fn release_claim(&mut self, lead: i64, rep: &str) -> Result<()> {
        let Some(token) = self.held.remove(&lead) else {
            return Ok(());
        };
        self.tx(|db| {
            db.execute(
                "UPDATE leads SET claimed_by = NULL, claimed_until = NULL
                 WHERE id = ?1 AND claimed_by = ?2 AND claim_token = ?3",
                params![lead, rep, token],
            )
        })?;
        Ok(())
    }

    /// The token this store holds for `lead`, if any.
    pub(crate) fn held_token(&self, lead: i64) -> Option<i64> {
        self.held.get(&lead).copied()
    }

    /// Forget a claim that a save ended.
    pub(crate) fn forget_claim(&mut self, lead: i64) {
        self.held.remove(&lead);
    }
}

/// Inside a save's transaction: may `rep` write a result on `lead` at `now`? With a held claim
/// (`token`), only while that claim is still theirs and its lease runs; without one, unless
/// another rep's lease runs. Ends the claim on success (the save is the end of the work).
pub(crate) fn check_and_end(
    db: &dyn Db,
    lead: i64,
    rep: &str,
    token: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    let row: Option<(Option<String>, Option<DateTime<Utc>>, i64)> = db.opt(
        "SELECT claimed_by, claimed_until, claim_token FROM leads WHERE id = ?1",
        params![lead],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let Some((by, until, current)) = row else {
        return Err(StoreError::UnknownLead(lead));
    };
    let live = until.is_some_and(|u| u > now);
    match token {
        Some(t) if by.as_deref() != Some(rep) || current != t => {
            return Err(StoreError::ClaimLapsed {
                lead,
                why: match by {
                    Some(other) if other != rep && live => format!("{other} has it now"),
                    _ => "it was released or taken over".into(),
                },
            });
        }
        Some(_) if !live => {
            return Err(StoreError::ClaimLapsed {
                lead,
                why: format!("the lease ran out at {}", until.map(ts).unwrap_or_default()),
            });
        }
        None => {
            if let Some(other) = by.filter(|b| b != rep && live) {
                return Err(StoreError::ClaimHeld {
                    lead,
                    by: other,
                    until: until.map(ts).unwrap_or_default(),
                });
            }
        }
        Some(_) => {}
    }
    db.execute(
        "UPDATE leads SET claimed_by = NULL, claimed_until = NULL WHERE id = ?1",
        params![lead],
    )?;
    Ok(())
}

impl Store {
    /// Results per rep (for the team tests and the load balance): (rep, activities).
    pub fn activity_counts_by_rep(&self) -> Result<Vec<(String, i64)>> {
        self.db().rows(
            "SELECT rep, count(*) FROM activities GROUP BY rep ORDER BY rep",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Leads with more than one activity: (lead, activities). Empty after a team run where
    /// every lead was to be dialed once.
    pub fn leads_with_more_than_one_activity(&self) -> Result<Vec<(i64, i64)>> {
        self.db().rows(
            "SELECT lead_id, count(*) FROM activities GROUP BY lead_id HAVING count(*) > 1 ORDER BY lead_id",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }
}
