//! When nobody is callable now: which lead opens next, and when (the queue's empty state).

use super::queue::{COLUMNS, zones};
use super::sql::{DbExt, params};
use super::{Result, Store};
use crate::config::Config;
use crate::domain::zone::LeadZone;
use chrono::{DateTime, Utc};

impl Store {
    /// When nobody is callable now: who opens next and when, soonest first.
    pub fn upcoming(
        &self,
        cfg: &Config,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Upcoming>> {
        self.upcoming_for(cfg, now, None, limit)
    }

    /// [`Store::upcoming`] of one rep's queue (see [`QueueQuery::owner`]).
    pub fn upcoming_for(
        &self,
        cfg: &Config,
        now: DateTime<Utc>,
        owner: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Upcoming>> {
        let mine = match (owner, cfg.queue_with_unassigned) {
            (None, _) => "",
            (Some(_), true) => " AND (l.owner = ?3 OR l.owner = '')",
            (Some(_), false) => " AND l.owner = ?3",
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM leads l JOIN companies c ON c.id = l.company_id
             WHERE l.q_band = ?1 AND l.time_zone = ?2 AND l.do_not_call = 0{mine} ORDER BY l.next_at LIMIT 1"
        );
        let mut out = Vec::new();
        for z in zones(self.db())? {
            let lz = LeadZone::from_stored(&z, cfg.default_time_zone);
            for band in [0i64, 2] {
                let rep = owner.unwrap_or("");
                let p = if owner.is_some() {
                    params![band, z, rep]
                } else {
                    params![band, z]
                };
                let row = self.db().opt(&sql, p, |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        r.get::<String>(2)?,
                        r.get::<String>(3)?,
                        r.get::<Option<DateTime<Utc>>>(8)?,
                        r.get::<bool>(13)?,
                    ))
                })?;
                if let Some((id, company, name, Some(next_at), off_hours)) = row {
                    let from = next_at.max(now);
                    // a promise outside calling hours opens at its own time
                    let opens_at = if off_hours && next_at > now {
                        next_at
                    } else {
                        let Some(t) = lz.next_open(&cfg.hours, from) else {
                            continue;
                        };
                        t
                    };
                    out.push(Upcoming {
                        lead_id: id,
                        company,
                        name,
                        time_zone: z.clone(),
                        opens_at,
                    });
                }
            }
        }
        out.sort_by_key(|u| u.opens_at);
        out.truncate(limit);
        Ok(out)
    }
}

/// A lead that becomes callable later.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Upcoming {
    pub lead_id: i64,
    pub company: String,
    pub name: String,
    pub time_zone: String,
    pub opens_at: DateTime<Utc>,
}
