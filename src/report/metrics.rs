//! The funnel metrics of a period, computed by aggregate SQL over indexes — never by loading
//! activities into memory. Touches are counted per (rep, channel, result) index range of
//! `activities_counts` (migration 003); `call_results` and `daily` read ranges of
//! `activities_report` (migration 002).

use super::period::Span;
use crate::cli::ReportBy;
use crate::domain::{CallResult, Channel};
use crate::i18n::Lang;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// The metric set of one period (and one key of a breakdown). Rates are `None` when their
/// denominator is 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// Touches on the call channel.
    pub calls: u64,
    /// Calls whose result is not `unconnected` (and is recorded).
    pub connects: u64,
    /// connects / calls.
    pub connect_rate: Option<f64>,
    /// Touches whose result is `appointment`.
    pub appointments: u64,
    /// appointments / connects.
    pub appointment_rate: Option<f64>,
    pub lost: u64,
    pub out_of_scope: u64,
    pub recalls: u64,
    pub emails: u64,
    pub linkedin: u64,
    pub sms: u64,
    /// Touches on the meeting and other channels.
    pub other_touches: u64,
    /// All touches.
    pub activities: u64,
    pub leads_created: u64,
    /// Appointments judged won in the period (by outcome time).
    pub meetings_won: u64,
    /// meetings won / appointments judged (won or lost) in the period.
    pub appointment_win_rate: Option<f64>,
    /// Appointments judged in the period (the win rate's denominator).
    #[serde(skip)]
    pub meetings_judged: u64,
}

/// A metric's value: a count or a rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Count(u64),
    Rate(Option<f64>),
}

impl Value {
    /// As a number (`None` for an undefined rate).
    pub fn num(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Rate(r) => r,
        }
    }
    pub fn is_rate(self) -> bool {
        matches!(self, Value::Rate(_))
    }
}

/// Every metric name, in display order.
pub const METRICS: &[&str] = &[
    "calls",
    "connects",
    "connect_rate",
    "appointments",
    "appointment_rate",
    "lost",
    "out_of_scope",
    "recalls",
    "emails",
    "linkedin",
    "sms",
    "other_touches",
    "activities",
    "leads_created",
    "meetings_won",
    "appointment_win_rate",
];

/// The label of a metric.
pub fn label(metric: &str, lang: Lang) -> &'static str {
    let (en, ja) = match metric {
        "calls" => ("Calls", "架電数"),
        "connects" => ("Connects", "接続数"),
        "connect_rate" => ("Connect rate", "接続率"),
        "appointments" => ("Appointments", "アポ獲得数"),
        "appointment_rate" => ("Appointment rate", "アポ率"),
        "lost" => ("Lost", "失注"),
        "out_of_scope" => ("Out of scope", "対象外"),
        "recalls" => ("Recalls", "再架電"),
        "emails" => ("Emails", "メール"),
        "linkedin" => ("LinkedIn", "LinkedIn"),
        "sms" => ("SMS", "SMS"),
        "other_touches" => ("Other touches", "その他の接触"),
        "activities" => ("Activities", "活動総数"),
        "leads_created" => ("Leads created", "新規リード"),
        "meetings_won" => ("Meetings won", "受注"),
        "appointment_win_rate" => ("Appointment → won", "アポ→受注率"),
        _ => ("?", "?"),
    };
    lang.pick(en, ja)
}

fn ratio(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

impl Metrics {
    /// A metric by name.
    pub fn get(&self, metric: &str) -> Option<Value> {
        use Value::{Count as C, Rate as R};
        Some(match metric {
            "calls" => C(self.calls),
            "connects" => C(self.connects),
            "connect_rate" => R(self.connect_rate),
            "appointments" => C(self.appointments),
            "appointment_rate" => R(self.appointment_rate),
            "lost" => C(self.lost),
            "out_of_scope" => C(self.out_of_scope),
            "recalls" => C(self.recalls),
            "emails" => C(self.emails),
            "linkedin" => C(self.linkedin),
            "sms" => C(self.sms),
            "other_touches" => C(self.other_touches),
            "activities" => C(self.activities),
            "leads_created" => C(self.leads_created),
            "meetings_won" => C(self.meetings_won),
            "appointment_win_rate" => R(self.appointment_win_rate),
            _ => return None,
        })
    }

    /// Every metric with its value, in display order.
    pub fn values(&self) -> Vec<(&'static str, Value)> {
        METRICS
            .iter()
            .filter_map(|m| self.get(m).map(|v| (*m, v)))
            .collect()
    }

    /// Fill the rates from the counts.
    fn finish(&mut self) {
        self.connect_rate = ratio(self.connects, self.calls);
        self.appointment_rate = ratio(self.appointments, self.connects);
        self.appointment_win_rate = ratio(self.meetings_won, self.meetings_judged);
    }
}

/// Every lead status, so `leads_new (status, created_at)` answers a created_at range.
const ALL_STATUSES: &str =
    "('new', 'approaching', 'scheduling', 'meeting', 'pending', 'nurturing', 'out_of_scope')";

impl Metrics {
    /// Add `n` touches on `channel` with `result` (`None`: no result) to the counts.
    fn add_touches(&mut self, channel: &str, result: Option<&str>, n: u64) {
        self.activities += n;
        match channel {
            "call" => {
                self.calls += n;
                if result.is_some_and(|r| r != "unconnected") {
                    self.connects += n;
                }
            }
            "email" => self.emails += n,
            "linkedin" => self.linkedin += n,
            "sms" => self.sms += n,
            "meeting" | "other" => self.other_touches += n,
            _ => {}
        }
        match result {
            Some("appointment") => self.appointments += n,
            Some("lost") => self.lost += n,
            Some("out_of_scope") => self.out_of_scope += n,
            Some("recall") => self.recalls += n,
            _ => {}
        }
    }
}

/// The touches of one (rep, channel, result) cell of a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub rep: String,
    pub channel: &'static str,
    pub result: Option<&'static str>,
    pub n: u64,
}

/// Every rep with a touch, from the `activities_counts` index (migration 003) by a skip scan:
/// one index seek per rep, not a read of every activity.
pub fn touch_reps(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "WITH RECURSIVE r(rep) AS (
           SELECT (SELECT min(rep) FROM activities INDEXED BY activities_counts WHERE kind = 'touch')
           UNION ALL
           SELECT (SELECT min(a.rep) FROM activities a INDEXED BY activities_counts
                   WHERE a.kind = 'touch' AND a.rep > r.rep)
           FROM r WHERE r.rep IS NOT NULL)
         SELECT rep FROM r WHERE rep IS NOT NULL",
    )?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// The touch counts of `[lo, hi)` per (rep, channel, result), non-empty cells only. Each cell is
/// one range of the `activities_counts` index `(kind, rep, channel, result, at, …)`, counted
/// without decoding its rows — the cost is one seek per cell plus a walk over the period's
/// index entries.
pub fn cells(conn: &Connection, lo: &str, hi: &str) -> rusqlite::Result<Vec<Cell>> {
    let mut st = conn.prepare_cached(
        "SELECT count(*) FROM activities a INDEXED BY activities_counts
         WHERE a.kind = 'touch' AND a.rep = ?1 AND a.channel = ?2 AND a.result IS ?3
           AND a.at >= ?4 AND a.at < ?5",
    )?;
    let mut out = Vec::new();
    for rep in touch_reps(conn)? {
        for ch in Channel::ALL {
            let results =
                std::iter::once(None).chain(CallResult::ALL.iter().map(|r| Some(r.key())));
            for res in results {
                let n: i64 =
                    st.query_row(rusqlite::params![rep, ch.key(), res, lo, hi], |r| r.get(0))?;
                if n > 0 {
                    out.push(Cell {
                        rep: rep.clone(),
                        channel: ch.key(),
                        result: res,
                        n: n as u64,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// The metrics of `span`, per key of `by` (one entry with key "" without `by`), sorted by key.
///
/// Touches come from [`cells`]; with `--by source|tier` (keys that live on the lead), each
/// non-empty cell's index range is joined to its leads. Leads created and meetings judged are
/// aggregates over their own indexes.
pub fn compute(
    conn: &Connection,
    span: &Span,
    by: Option<ReportBy>,
) -> rusqlite::Result<BTreeMap<String, Metrics>> {
    let (lo, hi) = span.bounds();
    let mut out: BTreeMap<String, Metrics> = BTreeMap::new();
    let lead_key = match by {
        Some(ReportBy::Source) => Some("l.source"),
        Some(ReportBy::Tier) => Some("CAST(l.tier AS TEXT)"),
        _ => None,
    };
    let cells = cells(conn, &lo, &hi)?;
    match lead_key {
        None => {
            for c in &cells {
                let key = match by {
                    None | Some(ReportBy::Source | ReportBy::Tier) => String::new(),
                    Some(ReportBy::Rep) => c.rep.clone(),
                    Some(ReportBy::Result) => c.result.unwrap_or("none").to_string(),
                };
                out.entry(key)
                    .or_default()
                    .add_touches(c.channel, c.result, c.n);
            }
        }
        Some(key) => {
            let sql = format!(
                "SELECT {key} AS k, count(*)
                 FROM activities a INDEXED BY activities_counts JOIN leads l ON l.id = a.lead_id
                 WHERE a.kind = 'touch' AND a.rep = ?1 AND a.channel = ?2 AND a.result IS ?3
                   AND a.at >= ?4 AND a.at < ?5
                 GROUP BY k"
            );
            let mut st = conn.prepare_cached(&sql)?;
            for c in &cells {
                let mut rows = st.query(rusqlite::params![c.rep, c.channel, c.result, lo, hi])?;
                while let Some(r) = rows.next()? {
                    let k: Option<String> = r.get(0)?;
                    let n = r.get::<_, i64>(1)?.max(0) as u64;
                    out.entry(k.unwrap_or_default())
                        .or_default()
                        .add_touches(c.channel, c.result, n);
                }
            }
        }
    }
    match by {
        None => {
            let n: i64 = conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM leads l
                     WHERE l.status IN {ALL_STATUSES} AND l.created_at >= ?1 AND l.created_at < ?2"
                ))?
                .query_row([&lo, &hi], |r| r.get(0))?;
            if n > 0 {
                out.entry(String::new()).or_default().leads_created = n as u64;
            }
        }
        Some(ReportBy::Rep) => {
            let mut st = conn.prepare_cached(&format!(
                "SELECT count(*) FROM leads l INDEXED BY leads_owner_created
                 WHERE l.owner = ?1 AND l.status IN {ALL_STATUSES}
                   AND l.created_at >= ?2 AND l.created_at < ?3"
            ))?;
            for owner in lead_owners(conn)? {
                let n: i64 = st.query_row(rusqlite::params![owner, lo, hi], |r| r.get(0))?;
                if n > 0 {
                    out.entry(owner).or_default().leads_created = n as u64;
                }
            }
        }
        Some(ReportBy::Result) => {}
        Some(ReportBy::Source | ReportBy::Tier) => {
            let key = lead_key.unwrap_or("''");
            let sql = format!(
                "SELECT {key} AS k, count(*) FROM leads l
                 WHERE l.status IN {ALL_STATUSES} AND l.created_at >= ?1 AND l.created_at < ?2
                 GROUP BY k"
            );
            let mut st = conn.prepare_cached(&sql)?;
            let mut rows = st.query([&lo, &hi])?;
            while let Some(r) = rows.next()? {
                let key: Option<String> = r.get(0)?;
                out.entry(key.unwrap_or_default())
                    .or_default()
                    .leads_created = r.get::<_, i64>(1)?.max(0) as u64;
            }
        }
    }
    let key = match by {
        None => "''",
        Some(ReportBy::Source) => "l.source",
        Some(ReportBy::Rep) => "b.rep",
        Some(ReportBy::Tier) => "CAST(l.tier AS TEXT)",
        Some(ReportBy::Result) => "'appointment'",
    };
    let sql = format!(
        "SELECT {key} AS k, count(*) FILTER (WHERE p.outcome = 'won'), count(*)
         FROM appointments p JOIN leads l ON l.id = p.lead_id JOIN activities b ON b.id = p.activity_id
         WHERE p.outcome IS NOT NULL AND p.outcome_at >= ?1 AND p.outcome_at < ?2
         GROUP BY k"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query([&lo, &hi])?;
    while let Some(r) = rows.next()? {
        let key: Option<String> = r.get(0)?;
        let m = out.entry(key.unwrap_or_default()).or_default();
        m.meetings_won = r.get::<_, i64>(1)?.max(0) as u64;
        m.meetings_judged = r.get::<_, i64>(2)?.max(0) as u64;
    }
    if by.is_none() {
        out.entry(String::new()).or_default();
    }
    for m in out.values_mut() {
        m.finish();
    }
    Ok(out)
}

/// Every lead owner, by a skip scan of `leads_owner_created` (one seek per owner).
pub fn lead_owners(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "WITH RECURSIVE o(owner) AS (
           SELECT (SELECT min(owner) FROM leads INDEXED BY leads_owner_created)
           UNION ALL
           SELECT (SELECT min(l.owner) FROM leads l INDEXED BY leads_owner_created
                   WHERE l.owner > o.owner)
           FROM o WHERE o.owner IS NOT NULL)
         SELECT owner FROM o WHERE owner IS NOT NULL",
    )?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// The metrics of `span` as a whole.
pub fn total(conn: &Connection, span: &Span) -> rusqlite::Result<Metrics> {
    Ok(compute(conn, span, None)?.remove("").unwrap_or_default())
}

/// Call touches per result (`none` for a call without one) in `span`, most first.
pub fn call_results(conn: &Connection, span: &Span) -> rusqlite::Result<Vec<(String, u64)>> {
    let (lo, hi) = span.bounds();
    let mut st = conn.prepare_cached(
        "SELECT coalesce(a.result, 'none'), count(*) FROM activities a INDEXED BY activities_report
         WHERE a.at >= ?1 AND a.at < ?2 AND a.kind = 'touch' AND a.channel = 'call'
         GROUP BY 1",
    )?;
    let rows = st.query_map([&lo, &hi], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
    })?;
    rows.collect()
}

/// Per local day of `days` (consecutive, ascending): (calls, leads created), two aggregate
/// queries bucketed by the days' UTC bounds.
pub fn daily(conn: &Connection, days: &[Span]) -> rusqlite::Result<Vec<(u64, u64)>> {
    let mut out = vec![(0u64, 0u64); days.len()];
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Ok(out);
    };
    let bounds: Vec<String> = days.iter().map(|d| d.bounds().1).collect();
    // CASE over the day ends (parameters only; the SQL text holds nothing but numbers).
    let case = |col: &str| {
        let mut s = String::from("CASE");
        for i in 0..bounds.len() {
            s.push_str(&format!(" WHEN {col} < ?{} THEN {i}", i + 3));
        }
        s.push_str(" END");
        s
    };
    let mut params: Vec<String> = vec![first.bounds().0, last.bounds().1];
    params.extend(bounds.iter().cloned());
    let sql = format!(
        "SELECT {} AS d, count(*) FROM activities a INDEXED BY activities_report
         WHERE a.at >= ?1 AND a.at < ?2 AND a.kind = 'touch' AND a.channel = 'call' GROUP BY d",
        case("a.at")
    );
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let i: i64 = r.get(0)?;
        if let Some(slot) = out.get_mut(i as usize) {
            slot.0 = r.get::<_, i64>(1)?.max(0) as u64;
        }
    }
    let sql = format!(
        "SELECT {} AS d, count(*) FROM leads l
         WHERE l.status IN {ALL_STATUSES} AND l.created_at >= ?1 AND l.created_at < ?2 GROUP BY d",
        case("l.created_at")
    );
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let i: i64 = r.get(0)?;
        if let Some(slot) = out.get_mut(i as usize) {
            slot.1 = r.get::<_, i64>(1)?.max(0) as u64;
        }
    }
    Ok(out)
}
