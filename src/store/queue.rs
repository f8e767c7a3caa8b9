//! The call queue: leads to call now, best first. Three indexed queries with `LIMIT`, one per
//! band, never a sort over every lead. Leads whose local time is outside calling hours are
//! filtered by zone (zones are few; leads are many).

use super::sql::{Db, DbExt, Row, Value, params};
use super::{Result, Store, ts};
use crate::config::Config;
use crate::domain::ranking::{self, Band};
use crate::domain::zone::LeadZone;
use crate::domain::{LeadStatus, Tier};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::borrow::Cow;

/// One row of the queue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QueueRow {
    pub id: i64,
    pub band: Band,
    pub tier: Tier,
    pub company: String,
    pub name: String,
    pub title: String,
    /// The number to dial (phone, else mobile).
    pub phone: Option<String>,
    pub status: LeadStatus,
    pub touches: u32,
    pub next_at: Option<DateTime<Utc>>,
    pub callback: bool,
    pub created_at: DateTime<Utc>,
    pub time_zone: String,
    /// The within-tier score at query time.
    pub score: f64,
}

impl QueueRow {
    /// Where the lead is in time (see [`LeadZone::from_stored`]).
    pub fn zone(&self, default: Tz) -> LeadZone {
        LeadZone::from_stored(&self.time_zone, default)
    }
    /// The structured reason this row is here.
    pub fn reason(&self, now: DateTime<Utc>) -> ranking::Reason {
        ranking::reason(
            self.band,
            self.tier,
            self.status,
            self.next_at,
            self.created_at,
            now,
        )
    }
}

/// What to ask the queue.
#[derive(Debug, Clone)]
pub struct QueueQuery<'a> {
    pub now: DateTime<Utc>,
    pub cfg: &'a Config,
    pub limit: u32,
    /// Only rows whose company, name or phone contains this.
    pub filter: Option<&'a str>,
    /// Only this rep's leads (plus unassigned ones, unless `queue.with_unassigned = false`):
    /// `--as REP`. `None`: everyone's.
    pub owner: Option<&'a str>,
}

pub(super) const COLUMNS: &str =
    "l.id, l.tier, c.name, l.name, l.title, COALESCE(l.phone, l.mobile), l.status, l.touches,
    l.next_at, l.next_callback, l.created_at, l.time_zone, l.rank_key, l.next_off_hours";

/// Zones whose calling hours are open at `now`.
pub fn callable_zones(db: &dyn Db, cfg: &Config, now: DateTime<Utc>) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for n in zones(db)? {
        if LeadZone::from_stored(&n, cfg.default_time_zone).is_open(&cfg.hours, now) {
            out.push(n);
        }
    }
    Ok(out)
}

/// Every zone some lead is in.
pub(super) fn zones(db: &dyn Db) -> Result<Vec<String>> {
    db.rows("SELECT name FROM zones", params![], |r| r.get(0))
}

mod fragments;
use fragments::*;

impl Store {
    /// The queue at `q.now`, best first, at most `q.limit` rows.
    pub fn queue(&self, q: &QueueQuery) -> Result<Vec<QueueRow>> {
        self.queue_as(q, self.me.as_deref())
    }

    /// Work for `rep` from now on: leads they claimed stay in their queue; other reps' live
    /// claims are hidden from it.
    pub fn set_rep(&mut self, rep: &str) {
        self.me = Some(rep.to_string());
    }

    /// The queue as `me` sees it: every lead another rep has claimed (lease running) is left
    /// out; `me`'s own claims stay.
    pub fn queue_as(&self, q: &QueueQuery, me: Option<&str>) -> Result<Vec<QueueRow>> {
        let (zones, closed) = open_and_closed(self.db(), q.cfg, q.now)?;
        if q.limit == 0 {
            return Ok(Vec::new());
        }
        let mut out: Vec<QueueRow> = Vec::new();
        for band in [Band::Callback, Band::SpeedToLead, Band::Due] {
            if zones.is_empty() && band != Band::Callback {
                break;
            }
            let remaining = q.limit as usize - out.len();
            if remaining == 0 {
                break;
            }
            // Callbacks are ordered by time across zones: one indexed query per zone (each
            // already in next_at order), merged here, instead of sorting every due callback.
            let zone_sets: Vec<&[String]> = match band {
                Band::Callback => zones.iter().map(std::slice::from_ref).collect(),
                _ => vec![&zones[..]],
            };
            let mut found: Vec<QueueRow> = Vec::new();
            // A callback the prospect asked for outside calling hours is offered at its time
            // although the zone is closed (one indexed query per closed zone).
            let queries = zone_sets
                .iter()
                .map(|zs| band_query(band, q, zs, remaining, me))
                .chain(
                    closed
                        .iter()
                        .filter(|_| band == Band::Callback)
                        .map(|z| promise_query(q, z, remaining, me)),
                )
                .collect::<Vec<_>>();
            let merged = queries.len() > 1;
            for (sql, params) in &queries {
                self.db().each(sql, params, &mut |r| {
                    found.push(queue_row(r, band, q)?);
                    Ok(())
                })?;
            }
            if merged {
                found.sort_by_key(|r| (r.next_at, r.id));
                found.truncate(remaining);
            }
            out.extend(found);
        }
        Ok(out)
    }

    /// How many leads are callable now (all bands, all tiers).
    pub fn queue_count(
        &self,
        cfg: &Config,
        now: DateTime<Utc>,
        filter: Option<&str>,
    ) -> Result<u64> {
        let zones = callable_zones(self.db(), cfg, now)?;
        let promised = self.promised_off_hours(cfg, now, filter, None, &zones)?;
        if zones.is_empty() {
            return Ok(promised);
        }
        let mut params: Vec<Value> = vec![text(ts(now))];
        let zsql = zones_sql(&zones, &mut params);
        let fsql = filter_sql(filter, &mut params);
        let join = if fsql.is_empty() {
            ""
        } else {
            "JOIN companies c ON c.id = l.company_id"
        };
        let sql = format!(
            "SELECT count(*) FROM leads l {join} WHERE l.q_band IN (0, 2) AND l.next_at <= ?1 AND l.do_not_call = 0 AND {zsql}{fsql}"
        );
        let n: u64 = self.db().value(&sql, &params)?;
        Ok(n + promised)
    }

    /// How many callbacks promised outside calling hours are offered now in closed zones.
    fn promised_off_hours(
        &self,
        cfg: &Config,
        now: DateTime<Utc>,
        filter: Option<&str>,
        owner: Option<&str>,
        open: &[String],
    ) -> Result<u64> {
        let q = QueueQuery {
            now,
            cfg,
            limit: 10_000,
            filter,
            owner,
        };
        let mut n = 0u64;
        for z in closed_zones(self.db(), open)? {
            let (sql, params) = promise_query(&q, &z, 10_000, self.me.as_deref());
            n += self.db().value::<u64>(
                &format!("SELECT count(*) FROM ({sql}) AS promised"),
                &params,
            )?;
        }
        Ok(n)
    }

    /// Like [`Store::queue_count`], but stops counting at `cap`: the cost is bounded by `cap`
    /// rows instead of every callable lead (an exact count reads ~100 ms of index at 1M
    /// leads). Returns the count and whether it reached the cap (show "999+").
    pub fn queue_count_upto(
        &self,
        cfg: &Config,
        now: DateTime<Utc>,
        filter: Option<&str>,
        cap: u64,
    ) -> Result<(u64, bool)> {
        self.queue_count_upto_for(cfg, now, filter, None, cap)
    }

    /// [`Store::queue_count_upto`] of one rep's queue (see [`QueueQuery::owner`]).
    pub fn queue_count_upto_for(
        &self,
        cfg: &Config,
        now: DateTime<Utc>,
        filter: Option<&str>,
        owner: Option<&str>,
        cap: u64,
    ) -> Result<(u64, bool)> {
        let zones = callable_zones(self.db(), cfg, now)?;
        let promised = self.promised_off_hours(cfg, now, filter, owner, &zones)?;
        if zones.is_empty() || cap == 0 {
            return Ok((promised.min(cap), promised >= cap));
        }
        let mut params: Vec<Value> = vec![text(ts(now))];
        let zsql = zones_sql(&zones, &mut params);
        let mut fsql = filter_sql(filter, &mut params);
        // The count agrees with the rows: another rep's live claim is not counted.
        fsql.push_str(&unclaimed_sql(self.me.as_deref(), &mut params));
        fsql.push_str(&owner_sql(owner, cfg, &mut params));
        params.push(Value::Int(i64::try_from(cap).unwrap_or(i64::MAX)));
        let lim = params.len();
        let join = if filter.is_none_or(|f| f.trim().is_empty()) {
            ""
        } else {
            "JOIN companies c ON c.id = l.company_id"
        };
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM leads l {join}
             WHERE l.q_band IN (0, 2) AND l.next_at <= ?1 AND l.do_not_call = 0 AND {zsql}{fsql} LIMIT ?{lim}) AS capped"
        );
        let n: u64 = self.db().value::<u64>(&sql, &params)? + promised;
        Ok((n.min(cap), n >= cap))
    }
}

/// A queue row of `band` from a row whose first columns are [`COLUMNS`].
pub(super) fn queue_row(r: &Row<'_>, band: Band, q: &QueueQuery) -> Result<QueueRow> {
    let key: Option<f64> = r.get(12)?;
    Ok(QueueRow {
        id: r.get(0)?,
        band,
        tier: Tier::new(r.get(1)?).unwrap_or(Tier::T3),
        company: r.get(2)?,
        name: r.get(3)?,
        title: r.get(4)?,
        phone: r.get(5)?,
        status: r.get::<String>(6)?.parse().unwrap_or(LeadStatus::New),
        touches: r.get(7)?,
        next_at: r.get(8)?,
        callback: r.get(9)?,
        created_at: r.get(10)?,
        time_zone: r.get(11)?,
        score: key
            .map(|k| ranking::score_from_key(&q.cfg.weights, k, q.now))
            .unwrap_or(0.0),
    })
}

/// The SQL and parameters of one band's query (shared by [`Store::queue`] and
/// [`Store::queue_plans`], so the plan test checks the very query the queue runs).
fn band_query(
    band: Band,
    q: &QueueQuery,
    zones: &[String],
    limit: usize,
    me: Option<&str>,
) -> (String, Vec<Value<'static>>) {
    let mut params = band_params(q);
    let sql = band_sql(band, q, zones, limit, me, COLUMNS, &mut params);
    (sql, params)
}

/// The first two parameters of every band's query: `?1` now, `?2` the speed-to-lead cutoff.
pub(super) fn band_params(q: &QueueQuery) -> Vec<Value<'static>> {
    let cutoff = q.now - Duration::minutes(i64::from(q.cfg.sla_minutes));
    vec![text(ts(q.now)), text(ts(cutoff))]
}

/// One band's query selecting `cols` (the company's name is `c.name`), its own parameters
/// pushed onto `params`, which start with [`band_params`]: several bands' queries can share one
/// statement (the claim of the next lead, `claim_next.rs`).
pub(super) fn band_sql(
    band: Band,
    q: &QueueQuery,
    zones: &[String],
    limit: usize,
    me: Option<&str>,
    cols: &str,
    params: &mut Vec<Value<'static>>,
) -> String {
    let zsql = zones_sql(zones, params);
    let mut fsql = filter_sql(q.filter, params);
    // Another rep's live claim hides the lead (SPEC §5).
    fsql.push_str(&unclaimed_sql(me, params));
    fsql.push_str(&owner_sql(q.owner, q.cfg, params));
    params.push(Value::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
    let lim = params.len();
    let (wh, order) = match band {
        Band::Callback => ("l.q_band = 0 AND l.next_at <= ?1", "l.next_at"),
        Band::SpeedToLead => (
            "l.status = 'new' AND l.created_at > ?2 AND l.q_band = 2 AND l.next_at <= ?1",
            "l.created_at",
        ),
        Band::Due => (
            "l.q_band = 2 AND l.next_at <= ?1 AND NOT (l.status = 'new' AND l.created_at > ?2)",
            "l.tier, l.rank_key DESC",
        ),
    };
    let join = company_join(cols, q);
    format!(
        "SELECT {cols} FROM leads l{join}
         WHERE {wh} AND l.do_not_call = 0 AND {zsql}{fsql} ORDER BY {order} LIMIT ?{lim}"
    )
}

/// Callbacks promised outside calling hours in the closed `zone` whose time has come within
/// the grace period (`promise_grace_minutes`), in time order: searched in `leads_due`.
fn promise_query(
    q: &QueueQuery,
    zone: &str,
    limit: usize,
    me: Option<&str>,
) -> (String, Vec<Value<'static>>) {
    let mut params: Vec<Value> = vec![text(ts(q.now))];
    let sql = promise_sql(q, zone, limit, me, COLUMNS, &mut params);
    (sql, params)
}

/// [`promise_query`] selecting `cols`, its parameters pushed onto `params`, whose `?1` is now.
/// Like every band, it leaves out leads another rep (not `me`) holds a live claim on.
pub(super) fn promise_sql(
    q: &QueueQuery,
    zone: &str,
    limit: usize,
    me: Option<&str>,
    cols: &str,
    params: &mut Vec<Value<'static>>,
) -> String {
    let grace = ts(q.now - Duration::minutes(i64::from(q.cfg.promise_grace_minutes)));
    params.push(text(grace));
    let g = params.len();
    params.push(text(zone.to_string()));
    let z = params.len();
    let mut fsql = filter_sql(q.filter, params);
    fsql.push_str(&unclaimed_sql(me, params));
    fsql.push_str(&owner_sql(q.owner, q.cfg, params));
    params.push(Value::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
    let lim = params.len();
    let join = company_join(cols, q);
    format!(
        "SELECT {cols} FROM leads l{join}
         WHERE l.q_band = 0 AND l.time_zone = ?{z} AND l.next_at <= ?1 AND l.next_at > ?{g}
           AND l.next_off_hours = 1 AND l.do_not_call = 0{fsql}
         ORDER BY l.next_at LIMIT ?{lim}"
    )
}

/// The join of the lead's company, when `cols` or the filter read it.
fn company_join(cols: &str, q: &QueueQuery) -> &'static str {
    let filtered = q.filter.is_some_and(|f| !f.trim().is_empty());
    if filtered || cols.contains("c.") {
        " JOIN companies c ON c.id = l.company_id"
    } else {
        ""
    }
}

/// The zones open at `now` and the others, from one read of the zones.
pub(super) fn open_and_closed(
    db: &dyn Db,
    cfg: &Config,
    now: DateTime<Utc>,
) -> Result<(Vec<String>, Vec<String>)> {
    Ok(zones(db)?
        .into_iter()
        .partition(|n| LeadZone::from_stored(n, cfg.default_time_zone).is_open(&cfg.hours, now)))
}

/// Every zone some lead is in that is not in `open`.
fn closed_zones(db: &dyn Db, open: &[String]) -> Result<Vec<String>> {
    Ok(zones(db)?
        .into_iter()
        .filter(|z| !open.contains(z))
        .collect())
}

impl Store {
    /// `EXPLAIN QUERY PLAN` of each band's query as [`Store::queue`] would run it (every zone
    /// counted as open), one line per plan step: for tests and `doctor`-style diagnosis.
    pub fn queue_plans(&self, q: &QueueQuery) -> Result<Vec<(Band, Vec<String>)>> {
        let mut zones = zones(self.db())?;
        if zones.is_empty() {
            zones.push("UTC".into());
        }
        let mut out = Vec::new();
        for band in [Band::Callback, Band::SpeedToLead, Band::Due] {
            // As `queue` runs it: callbacks one zone at a time.
            let zs = match band {
                Band::Callback => &zones[..1],
                _ => &zones[..],
            };
            let (sql, params) = band_query(band, q, zs, q.limit as usize, self.me.as_deref());
            let lines = self
                .db()
                .rows(&format!("EXPLAIN QUERY PLAN {sql}"), &params, |r| r.get(3))?;
            out.push((band, lines));
        }
        Ok(out)
    }
}
