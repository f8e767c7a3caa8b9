//! "Next lead" (SPEC §5): the best lead of the queue that nobody else holds, claimed for a rep
//! in one statement. The statement reads the queue's bands exactly as [`Store::queue_as`] does
//! (the same `WHERE` and `ORDER BY`, from `queue.rs`), a few candidates per band, puts them in
//! queue order (callbacks by time, then speed-to-lead by age, then due leads by tier and
//! score) and claims the first that is still free and due. On PostgreSQL the candidates are
//! locked with `FOR UPDATE SKIP LOCKED`, so ten reps asking at once each get a different lead
//! without waiting on each other; on SQLite the one write lock does the same.
//!
//! One round trip instead of one per band and zone plus one for the claim, and the statement's
//! text depends only on which zones are open, so each connection prepares it once; on
//! PostgreSQL it runs on its generic plan, planned once too (`engine::GENERIC_PLAN`).

use super::claim::Claim;
use super::engine::GENERIC_PLAN;
use super::queue::{self, COLUMNS, QueueRow, band_params, band_sql, promise_sql};
use super::sql::{DbExt, EngineKind, Value};
use super::{QueueQuery, Result, Store};
use crate::domain::ranking::Band;
use chrono::{DateTime, Utc};
use std::borrow::Cow;

/// Candidates read per band and zone (plus the leads this store already holds, which are
/// skipped): more than reps ever claim at the same instant.
const CANDIDATES: usize = 16;

/// How often the claim is tried again when every candidate went to other reps in between.
const ATTEMPTS: usize = 20;

/// Each band's candidates as (id, band, time, tier, score): sorted by these, in that order,
/// they are in queue order. Callbacks (and promises kept outside calling hours) go by time then
/// id, as the queue merges them; speed-to-lead by creation; due leads by tier and score.
const CALLBACK: &str =
    "l.id AS id, 0 AS b, l.next_at AS t, 0 AS tr, CAST(0 AS DOUBLE PRECISION) AS rk";
const SPEED: &str =
    "l.id AS id, 1 AS b, l.created_at AS t, 0 AS tr, CAST(0 AS DOUBLE PRECISION) AS rk";
const DUE: &str = "l.id AS id, 2 AS b, '' AS t, l.tier AS tr, l.rank_key AS rk";

impl Store {
    /// "Next lead": the best lead of the queue that nobody else holds, claimed for `rep` in one
    /// atomic step; `None` when the queue has nothing claimable. A lead this store already
    /// holds is not "next".
    pub fn claim_next(&mut self, q: &QueueQuery, rep: &str) -> Result<Option<(QueueRow, Claim)>> {
        let (open, closed) = queue::open_and_closed(self.db(), q.cfg, q.now)?;
        if open.is_empty() && closed.is_empty() {
            return Ok(None);
        }
        for _ in 0..ATTEMPTS {
            let until = q.now + self.lease;
            let held = self.held_ids();
            let (sql, params) = next_sql(self.db().engine(), q, rep, until, &held, &open, &closed);
            let won = self.tx_claim_next(|db| {
                db.opt(&sql, &params, |r| {
                    let token: i64 = r.get(14)?;
                    let band = match r.get::<i64>(15)? {
                        0 => Band::Callback,
                        1 => Band::SpeedToLead,
                        _ => Band::Due,
                    };
                    let row = queue::queue_row(r, band, q)?;
                    Ok((row, token))
                })
            })?;
            if let Some((row, token)) = won {
                self.held.insert(row.id, token);
                let claim = Claim {
                    lead: row.id,
                    token,
                    until,
                };
                return Ok(Some((row, claim)));
            }
            // Nothing claimed: the queue is empty for this rep, or every candidate went to
            // another rep (or was saved) since the statement's snapshot. Only the second is
            // worth another try.
            let limit = (CANDIDATES + held.len()) as u32;
            let mut rows = self.queue_as(&QueueQuery { limit, ..*q }, Some(rep))?;
            rows.retain(|r| !self.held.contains_key(&r.id));
            if rows.is_empty() {
                return Ok(None);
            }
        }
        Ok(None)
    }

    /// The plan of the claim-next statement [`Store::claim_next`] would run now, one line per
    /// step (nothing is claimed): for tests and diagnosis. On PostgreSQL the generic plan the
    /// claim runs on ([`GENERIC_PLAN`]): `EXPLAIN EXECUTE` of the statement prepared as the
    /// claim prepares it, with this claim's values; on SQLite `EXPLAIN QUERY PLAN`'s details.
    /// Empty when no zone is in calling hours.
    pub fn claim_plan(&self, q: &QueueQuery, rep: &str) -> Result<Vec<String>> {
        let (open, closed) = queue::open_and_closed(self.db(), q.cfg, q.now)?;
        if open.is_empty() && closed.is_empty() {
            return Ok(Vec::new());
        }
        let db = self.db();
        let held = self.held_ids();
        let (sql, params) = next_sql(
            db.engine(),
            q,
            rep,
            q.now + self.lease,
            &held,
            &open,
            &closed,
        );
        if db.engine() == EngineKind::Sqlite {
            return db.rows(&format!("EXPLAIN QUERY PLAN {sql}"), &params, |r| r.get(3));
        }
        let args: Vec<String> = params.iter().map(literal).collect();
        db.batch(GENERIC_PLAN)?;
        let prepared = db.batch(&format!(
            "PREPARE kaden_claim_plan AS {}",
            super::pg::placeholders(&sql)
        ));
        let made = prepared.is_ok();
        let plan = prepared.and_then(|()| {
            db.rows(
                &format!("EXPLAIN EXECUTE kaden_claim_plan({})", args.join(", ")),
                &[],
                |r| r.get(0),
            )
        });
        db.batch("ROLLBACK")?;
        // A prepared statement outlives its transaction.
        if made {
            db.batch("DEALLOCATE kaden_claim_plan")?;
        }
        plan
    }

    /// The ids of the claims this store holds, as `1,5,9`.
    fn held_ids(&self) -> String {
        let ids: Vec<String> = self.held().iter().map(|(id, _)| id.to_string()).collect();
        ids.join(",")
    }
}

/// `v` as an SQL literal.
fn literal(v: &Value<'_>) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Int(i) => i.to_string(),
        Value::Real(r) => format!("{r:?}"),
        Value::Text(t) => format!("'{}'", t.replace('\'', "''")),
    }
}

/// The claim-next statement and its parameters: `?1` now, `?2` the speed-to-lead cutoff, `?3`
/// the rep, `?4` the new lease's end, `?5` the ids this store holds (`1,5,9`), then each band's
/// own. It returns [`COLUMNS`], the new token and the band (0 callback, 1 speed-to-lead, 2 due:
/// the bands' conditions exclude each other) of the lead it claimed, or no row.
fn next_sql(
    engine: EngineKind,
    q: &QueueQuery,
    rep: &str,
    until: DateTime<Utc>,
    held: &str,
    open: &[String],
    closed: &[String],
) -> (String, Vec<Value<'static>>) {
    let mut params = band_params(q);
    params.push(Value::Text(Cow::Owned(rep.to_string())));
    params.push(Value::Text(Cow::Owned(super::ts(until))));
    params.push(Value::Text(Cow::Owned(held.to_string())));
    let k = CANDIDATES + held.split(',').filter(|s| !s.is_empty()).count();
    let me = Some(rep);
    // Callbacks of every open zone and promises kept in closed ones, then speed-to-lead, then
    // due leads: as the queue window of `k` rows fills its bands, a band reads only what the
    // bands ahead of it left of `k` (where the best leads wait out a gap, the due band reads
    // many rows per candidate: none are read for a claim that a callback will win).
    let mut callbacks: Vec<String> = open
        .iter()
        .map(|z| {
            let zone = std::slice::from_ref(z);
            band_sql(Band::Callback, q, zone, k, me, CALLBACK, &mut params)
        })
        .collect();
    for z in closed {
        callbacks.push(promise_sql(q, z, k, me, CALLBACK, &mut params));
    }
    // Each band is also cut by a literal `LIMIT k`: a `LIMIT` the planner cannot evaluate (a
    // parameter in a generic plan, the `CASE` below) is estimated at a tenth of the band's
    // leads, and PostgreSQL then joins the candidates to `leads` by scanning every due lead
    // (90 ms at 100k leads, against 3 ms by index).
    let callbacks: Vec<String> = callbacks
        .iter()
        .enumerate()
        .map(|(i, a)| format!("SELECT * FROM (SELECT * FROM ({a}) AS a{i} LIMIT {k}) AS b{i}"))
        .collect();
    let mut ctes = vec![format!("cb AS ({})", callbacks.join("\n UNION ALL "))];
    let mut bands = vec!["SELECT * FROM cb"];
    if !open.is_empty() {
        let speed = band_sql(Band::SpeedToLead, q, open, k, me, SPEED, &mut params);
        let speed = after(&speed, "(SELECT count(*) FROM cb)");
        let due = band_sql(Band::Due, q, open, k, me, DUE, &mut params);
        let due = after(
            &due,
            "((SELECT count(*) FROM cb) + (SELECT count(*) FROM sp))",
        );
        ctes.push(format!("sp AS (SELECT * FROM ({speed}) AS s LIMIT {k})"));
        ctes.push(format!("du AS (SELECT * FROM ({due}) AS d LIMIT {k})"));
        bands.extend(["SELECT * FROM sp", "SELECT * FROM du"]);
    }
    ctes.push(format!("cand AS ({})", bands.join(" UNION ALL ")));
    let ctes = ctes.join(",\n");
    let lock = match engine {
        EngineKind::Postgres => " FOR UPDATE OF x SKIP LOCKED",
        EngineKind::Sqlite => "",
    };
    // Free for this rep and still due (another rep may have saved it since), and not held here.
    let free = "(x.claimed_by IS NULL OR x.claimed_by = ?3 OR x.claimed_until <= ?1)
                AND x.q_band IS NOT NULL AND x.next_at <= ?1
                AND (',' || CAST(?5 AS TEXT) || ',') NOT LIKE ('%,' || CAST(x.id AS TEXT) || ',%')";
    // SQLite's RETURNING names the updated table's columns unqualified.
    let returning = COLUMNS.replace("l.", "").replace(
        "c.name",
        "(SELECT c.name FROM companies c WHERE c.id = company_id)",
    );
    let sql = format!(
        "WITH {ctes}
         UPDATE leads SET claimed_by = ?3, claimed_until = ?4, claim_token = claim_token + 1
         WHERE id = (SELECT x.id FROM cand JOIN leads x ON x.id = cand.id WHERE {free}
                       ORDER BY cand.b, cand.t, cand.tr, cand.rk DESC, cand.id LIMIT 1{lock})
           AND (claimed_by IS NULL OR claimed_by = ?3 OR claimed_until <= ?1)
           AND q_band IS NOT NULL AND next_at <= ?1
         RETURNING {returning}, claim_token,
           CASE WHEN q_band = 0 THEN 0 WHEN status = 'new' AND created_at > ?2 THEN 1 ELSE 2 END"
    );
    (sql, params)
}

/// A band's query (which ends in `LIMIT ?N`) limited to what the bands ahead of it left of its
/// `?N` rows: `?N - before`, at least 0.
fn after(arm: &str, before: &str) -> String {
    let at = arm
        .rfind(" LIMIT ?")
        .expect("a band's query ends with its limit");
    let left = format!("{} - {before}", &arm[at + " LIMIT ".len()..]);
    format!(
        "{} LIMIT CASE WHEN {left} > 0 THEN {left} ELSE 0 END",
        &arm[..at]
    )
}
