//! The funnel's distinct counts per reporting zone (migration 009): for each local day, week
//! and month, the touch that is its lead's first of the period — at each funnel level (any
//! touch, a conversation, an appointment), and per (lead, rep) — is counted on its local day in
//! `funnel_counts`. Leads worked in a period that starts where its kind starts (a day, a week, a
//! month, or the first days of one) are then a sum over its days, whatever the number of leads.
//!
//! Triggers log every change to a lead's touches or keys in `report_log`; [`fold`] runs at the
//! end of every kaden write transaction and turns the log into exact changes of the counts:
//! for each lead in the log, the contributions of its touches before and after the change.

use super::sql::{Db, DbExt, params};
use super::{Result, Store, parse_ts};
use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use std::collections::HashMap;

/// A period kind the counts are kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunnelKind {
    Day,
    Week,
    Month,
}

impl FunnelKind {
    const ALL: [FunnelKind; 3] = [FunnelKind::Day, FunnelKind::Week, FunnelKind::Month];

    pub fn key(self) -> &'static str {
        match self {
            FunnelKind::Day => "day",
            FunnelKind::Week => "week",
            FunnelKind::Month => "month",
        }
    }

    /// The first day of the period of this kind containing `d`.
    pub fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            FunnelKind::Day => d,
            FunnelKind::Week => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
            FunnelKind::Month => d.with_day(1).unwrap_or(d),
        }
    }
}

/// First touches of one key in a span: scope `lead` (first of its lead) or `rep` (first of its
/// lead and rep), at funnel `level` 0 (any touch), 1 (a conversation) or 2 (an appointment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelCount {
    pub scope_rep: bool,
    pub level: u8,
    pub rep: String,
    pub source: String,
    pub tier: i64,
    pub n: u64,
}

/// The funnel level of a stored result.
fn level(result: Option<&str>) -> Option<u8> {
    match result {
        None | Some("unconnected") => Some(0),
        Some("recall" | "lost" | "out_of_scope") => Some(1),
        Some("appointment") => Some(2),
        Some(_) => None,
    }
}

/// One touch as the counts need it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Touch {
    at: String,
    rep: String,
    result: Option<String>,
    source: String,
    tier: i64,
}

/// (zone, kind, day, scope_rep, level, rep, source, tier)
type Key = (String, FunnelKind, NaiveDate, bool, u8, String, String, i64);

/// Add the contributions of one lead's touches (any order) in `zone` to `acc` with `sign`.
fn contribute(zone: &str, tz: Tz, touches: &[Touch], sign: i64, acc: &mut HashMap<Key, i64>) {
    let mut ts: Vec<(&Touch, NaiveDate, u8)> = touches
        .iter()
        .filter_map(|t| {
            let at = parse_ts(&t.at)?;
            Some((
                t,
                at.with_timezone(&tz).date_naive(),
                level(t.result.as_deref())?,
            ))
        })
        .collect();
    ts.sort_by(|a, b| a.0.at.cmp(&b.0.at));
    for kind in FunnelKind::ALL {
        let mut seen: std::collections::HashSet<(NaiveDate, bool, u8, &str)> =
            std::collections::HashSet::new();
        for (t, day, l) in &ts {
            let p = kind.start(*day);
            for lv in 0..=*l {
                for scope_rep in [false, true] {
                    let who = if scope_rep { t.rep.as_str() } else { "" };
                    if seen.insert((p, scope_rep, lv, who)) {
                        let k = (
                            zone.to_string(),
                            kind,
                            *day,
                            scope_rep,
                            lv,
                            t.rep.clone(),
                            t.source.clone(),
                            t.tier,
                        );
                        *acc.entry(k).or_default() += sign;
                    }
                }
            }
        }
    }
}

fn apply(db: &dyn Db, acc: HashMap<Key, i64>) -> Result<()> {
    let sql = "INSERT INTO funnel_counts (zone, kind, day, scope, level, rep, source, tier, n)
               VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
               ON CONFLICT (zone, kind, day, scope, level, rep, source, tier)
               DO UPDATE SET n = funnel_counts.n + excluded.n";
    let mut rows: Vec<(Key, i64)> = acc.into_iter().filter(|(_, n)| *n != 0).collect();
    // One order for every writer, so two transactions never wait on each other's rows in turn.
    rows.sort_by(|a, b| {
        let (x, y) = (&a.0, &b.0);
        (
            x.0.as_str(),
            x.1.key(),
            x.2,
            x.3,
            x.4,
            x.5.as_str(),
            x.6.as_str(),
            x.7,
        )
            .cmp(&(
                y.0.as_str(),
                y.1.key(),
                y.2,
                y.3,
                y.4,
                y.5.as_str(),
                y.6.as_str(),
                y.7,
            ))
    });
    for ((zone, kind, day, scope_rep, lv, rep, source, tier), n) in rows {
        db.execute(
            sql,
            params![
                zone,
                kind.key(),
                day.format("%Y-%m-%d").to_string(),
                if scope_rep { "rep" } else { "lead" },
                i64::from(lv),
                rep,
                source,
                tier,
                n
            ],
        )?;
    }
    Ok(())
}

fn zones(db: &dyn Db) -> Result<Vec<(String, Tz)>> {
    let names: Vec<String> = db.rows(
        "SELECT zone FROM report_zones ORDER BY zone",
        params![],
        |r| r.get(0),
    )?;
    Ok(names
        .into_iter()
        .filter_map(|z| z.parse::<Tz>().ok().map(|tz| (z, tz)))
        .collect())
}

/// Past this many logged changes (a `team move`, a bulk load) the counts are rebuilt instead.
const REBUILD_ABOVE: usize = 200_000;

/// Fold the change log into the counts of every reporting zone (inside the caller's write
/// transaction). Each logged row is taken once (`DELETE … RETURNING`), so two writers never
/// fold the same change twice.
pub(crate) fn fold(db: &dyn Db) -> Result<()> {
    // A move or a load of many touches: count again instead of holding the whole log.
    let pending: i64 = db.value(
        &format!("SELECT count(*) FROM (SELECT 1 FROM report_log LIMIT {REBUILD_ABOVE}) t"),
        params![],
    )?;
    if pending == 0 {
        return Ok(());
    }
    if pending >= REBUILD_ABOVE as i64 {
        db.execute("DELETE FROM report_log", params![])?;
        return rebuild_all(db);
    }
    let logged: Vec<(i64, i64, Touch)> = db.rows(
        "DELETE FROM report_log RETURNING lead_id, sign, at, rep, result, source, tier",
        params![],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                Touch {
                    at: r.get(2)?,
                    rep: r.get(3)?,
                    result: r.get(4)?,
                    source: r.get(5)?,
                    tier: r.get(6)?,
                },
            ))
        },
    )?;
    if logged.is_empty() {
        return Ok(());
    }
    let zones = zones(db)?;
    if zones.is_empty() {
        return Ok(());
    }
    let mut by_lead: HashMap<i64, Vec<(i64, Touch)>> = HashMap::new();
    for (lead, sign, t) in logged {
        by_lead.entry(lead).or_default().push((sign, t));
    }
    let mut acc = HashMap::new();
    let mut leads: Vec<i64> = by_lead.keys().copied().collect();
    leads.sort_unstable();
    for lead in leads {
        let after = lead_touches(db, lead)?;
        // Before the change: the touches now, less those that came, plus those that went.
        let mut before = after.clone();
        for (sign, t) in by_lead.remove(&lead).unwrap_or_default() {
            if sign > 0 {
                if let Some(i) = before.iter().position(|b| *b == t) {
                    before.swap_remove(i);
                }
            } else {
                before.push(t);
            }
        }
        for (zone, tz) in &zones {
            contribute(zone, *tz, &before, -1, &mut acc);
            contribute(zone, *tz, &after, 1, &mut acc);
        }
    }
    apply(db, acc)
}

fn lead_touches(db: &dyn Db, lead: i64) -> Result<Vec<Touch>> {
    db.rows(
        "SELECT a.at, a.rep, a.result, l.source, l.tier FROM activities a
         JOIN leads l ON l.id = a.lead_id
         WHERE a.lead_id = ?1 AND a.kind = 'touch'",
        params![lead],
        |r| {
            Ok(Touch {
                at: r.get(0)?,
                rep: r.get(1)?,
                result: r.get(2)?,
                source: r.get(3)?,
                tier: r.get(4)?,
            })
        },
    )
}

/// Count every reporting zone again from all touches.
pub(crate) fn rebuild_all(db: &dyn Db) -> Result<()> {
    let zones = zones(db)?;
    if zones.is_empty() {
        return Ok(());
    }
    rebuild(db, &zones)
}

/// Count every zone of `zones` again from all touches, lead by lead.
fn rebuild(db: &dyn Db, zones: &[(String, Tz)]) -> Result<()> {
    for (zone, _) in zones {
        db.execute("DELETE FROM funnel_counts WHERE zone = ?1", params![zone])?;
    }
    let mut acc = HashMap::new();
    let mut lead = None;
    let mut touches: Vec<Touch> = Vec::new();
    let flush = |touches: &mut Vec<Touch>, acc: &mut HashMap<Key, i64>| {
        for (zone, tz) in zones {
            contribute(zone, *tz, touches, 1, acc);
        }
        touches.clear();
    };
    db.each(
        "SELECT a.lead_id, a.at, a.rep, a.result, l.source, l.tier FROM activities a
         JOIN leads l ON l.id = a.lead_id
         WHERE a.kind = 'touch' ORDER BY a.lead_id",
        params![],
        &mut |r| {
            let id: i64 = r.get(0)?;
            if lead != Some(id) {
                flush(&mut touches, &mut acc);
                lead = Some(id);
            }
            touches.push(Touch {
                at: r.get(1)?,
                rep: r.get(2)?,
                result: r.get(3)?,
                source: r.get(4)?,
                tier: r.get(5)?,
            });
            Ok(())
        },
    )?;
    flush(&mut touches, &mut acc);
    apply(db, acc)
}

impl Store {
    /// Keep the funnel counts for `zone` from now on (building them once, in one transaction,
    /// when they are new) and fold any change another program left in the log. Reports in a
    /// zone without counts, or with changes not folded yet, count from the activities instead.
    pub fn prepare_reports(&mut self, zone: Tz) -> Result<()> {
        let name = zone.name().to_string();
        let known: bool = self.db().value(
            "SELECT EXISTS (SELECT 1 FROM report_zones WHERE zone = ?1)",
            params![name],
        )?;
        let pending: bool = self
            .db()
            .value("SELECT EXISTS (SELECT 1 FROM report_log)", params![])?;
        if known && !pending {
            return Ok(());
        }
        self.tx(|db| {
            if !known {
                fold(db)?;
                db.execute(
                    "INSERT INTO report_zones (zone) VALUES (?1) ON CONFLICT (zone) DO NOTHING",
                    params![name],
                )?;
                let tz: Vec<(String, Tz)> = vec![(name.clone(), zone)];
                rebuild(db, &tz)?;
            }
            fold(db)
        })
    }

    /// The first touches counted for `zone` and `kind` on local days `[from, to)`, per key;
    /// `None` when this zone has no counts or changes wait in the log (count from the
    /// activities then).
    pub fn funnel_counts(
        &self,
        zone: Tz,
        kind: FunnelKind,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<Vec<FunnelCount>>> {
        let db = self.db();
        let ready: bool = db.value(
            "SELECT EXISTS (SELECT 1 FROM report_zones WHERE zone = ?1)
                    AND NOT EXISTS (SELECT 1 FROM report_log)",
            params![zone.name()],
        )?;
        if !ready || self.plain_scan.get() {
            return Ok(None);
        }
        let rows = db.rows(
            "SELECT scope, level, rep, source, tier, sum(n) FROM funnel_counts
             WHERE zone = ?1 AND kind = ?2 AND day >= ?3 AND day < ?4
             GROUP BY scope, level, rep, source, tier",
            params![
                zone.name(),
                kind.key(),
                from.format("%Y-%m-%d").to_string(),
                to.format("%Y-%m-%d").to_string()
            ],
            |r| {
                let scope: String = r.get(0)?;
                Ok(FunnelCount {
                    scope_rep: scope == "rep",
                    level: u8::try_from(r.get::<i64>(1)?).unwrap_or(0),
                    rep: r.get(2)?,
                    source: r.get(3)?,
                    tier: r.get(4)?,
                    n: u64::try_from(r.get::<i64>(5)?).unwrap_or(0),
                })
            },
        )?;
        Ok(Some(rows.into_iter().filter(|c| c.n > 0).collect()))
    }
}
