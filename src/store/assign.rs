//! Whose lead, in the database: the by-stage owner change inside the recording transaction,
//! the round-robin turn of imports (kept in `meta`), and the load by rep a manager sees.
//! The rules themselves are `domain::assignment`.

use super::sql::{Db, DbExt, params};
use super::{Lead, Result, Store};
use crate::config::Config;
use crate::domain::LeadStatus;
use chrono::{DateTime, Utc};

const TURN_KEY: &str = "assign_turn";

/// Apply the assignment model to a lead a result moves to `after`; returns the owner it had
/// when it changed (kept for undo).
pub(super) fn after_result(
    db: &dyn Db,
    lead: &Lead,
    after: LeadStatus,
    rep: &str,
    cfg: &Config,
) -> Result<Option<String>> {
    let Some(owner) = cfg
        .assignment
        .owner_after(lead.status, after, &lead.owner, rep)
    else {
        return Ok(None);
    };
    db.execute(
        "UPDATE leads SET owner = ?2 WHERE id = ?1",
        params![lead.id, owner],
    )?;
    Ok(Some(lead.owner.clone()))
}

/// The import's round-robin turn (0 when none was kept).
pub(super) fn turn(db: &dyn Db) -> Result<usize> {
    let v: Option<String> = db.opt(
        "SELECT value FROM meta WHERE key = ?1",
        params![TURN_KEY],
        |r| r.get(0),
    )?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Keep the turn for the next import (in the import's transaction).
pub(super) fn set_turn(db: &dyn Db, turn: usize) -> Result<()> {
    super::record::set_meta(db, TURN_KEY, &turn.to_string())
}

/// One rep's part of the shared queue, for a manager's view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepLoad {
    /// The owner ("" is the unassigned pool).
    pub rep: String,
    /// Callable leads due now or overdue (new, approaching, nurturing and scheduling with a
    /// next action due).
    pub due: u64,
    /// Leads in `scheduling` or `meeting` (the ones that stay with their owner).
    pub held: u64,
    /// Leads this rep holds a live claim on right now (team mode).
    pub on_call: u64,
}

impl Store {
    /// The load by rep: due leads, held appointments and live claims per owner, the pool
    /// (owner "") first, then reps by name.
    pub fn load_by_rep(&self, now: DateTime<Utc>) -> Result<Vec<RepLoad>> {
        let mut out: Vec<RepLoad> = self.db().rows(
            "SELECT owner,
                    sum(CASE WHEN status IN ('new', 'approaching', 'nurturing', 'scheduling')
                               AND do_not_call = 0
                               AND (next_at IS NULL OR next_at <= ?1) THEN 1 ELSE 0 END),
                    sum(CASE WHEN status IN ('scheduling', 'meeting') THEN 1 ELSE 0 END)
             FROM leads GROUP BY owner ORDER BY owner",
            params![now],
            |r| {
                Ok(RepLoad {
                    rep: r.get(0)?,
                    due: r.get::<i64>(1)?.max(0) as u64,
                    held: r.get::<i64>(2)?.max(0) as u64,
                    on_call: 0,
                })
            },
        )?;
        let claims: Vec<(String, i64)> = self.db().rows(
            "SELECT claimed_by, count(*) FROM leads
             WHERE claimed_by IS NOT NULL AND claimed_until > ?1 GROUP BY claimed_by",
            params![now],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (rep, n) in claims {
            match out.iter_mut().find(|l| l.rep == rep) {
                Some(l) => l.on_call = n.max(0) as u64,
                None => out.push(RepLoad {
                    rep,
                    due: 0,
                    held: 0,
                    on_call: n.max(0) as u64,
                }),
            }
        }
        out.retain(|l| l.due + l.held + l.on_call > 0 || l.rep.is_empty());
        if !out.iter().any(|l| l.rep.is_empty()) {
            out.push(RepLoad {
                rep: String::new(),
                due: 0,
                held: 0,
                on_call: 0,
            });
        }
        out.sort_by(|a, b| (!a.rep.is_empty(), &a.rep).cmp(&(!b.rep.is_empty(), &b.rep)));
        Ok(out)
    }
}
