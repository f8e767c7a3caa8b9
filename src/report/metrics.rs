//! The funnel metrics of a period, computed by aggregate SQL over the `activities_report` covering index (migration 002) —
//! never by loading activities into memory.

use super::period::Span;
use crate::cli::ReportBy;
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

/// The SQL key expressions of a breakdown: over activities `a` joined to leads `l`, over leads
/// `l`, and over appointments `p` joined to leads `l` and the booking activity `b`.
struct KeySql {
    activity: &'static str,
    lead: Option<&'static str>,
    appointment: &'static str,
}

fn key_sql(by: Option<ReportBy>) -> KeySql {
    match by {
        None => KeySql {
            activity: "''",
            lead: Some("''"),
            appointment: "''",
        },
        Some(ReportBy::Source) => KeySql {
            activity: "l.source",
            lead: Some("l.source"),
            appointment: "l.source",
        },
        Some(ReportBy::Rep) => KeySql {
            activity: "a.rep",
            lead: Some("l.owner"),
            appointment: "b.rep",
        },
        Some(ReportBy::Tier) => KeySql {
            activity: "CAST(l.tier AS TEXT)",
            lead: Some("CAST(l.tier AS TEXT)"),
            appointment: "CAST(l.tier AS TEXT)",
        },
        Some(ReportBy::Result) => KeySql {
            activity: "coalesce(a.result, 'none')",
            lead: None,
            appointment: "'appointment'",
        },
    }
}

/// Every lead status, so `leads_new (status, created_at)` answers a created_at range.
const ALL_STATUSES: &str =
    "('new', 'approaching', 'scheduling', 'meeting', 'pending', 'nurturing', 'out_of_scope')";

/// The metrics of `span`, per key of `by` (one entry with key "" without `by`), sorted by key.
pub fn compute(
    conn: &Connection,
    span: &Span,
    by: Option<ReportBy>,
) -> rusqlite::Result<BTreeMap<String, Metrics>> {
    let (lo, hi) = span.bounds();
    let k = key_sql(by);
    let join = if by.is_some_and(|b| b != ReportBy::Rep && b != ReportBy::Result) {
        "JOIN leads l ON l.id = a.lead_id"
    } else {
        ""
    };
    let mut out: BTreeMap<String, Metrics> = BTreeMap::new();
    let sql = format!(
        "SELECT {key} AS k,
                count(*) FILTER (WHERE a.channel = 'call'),
                count(*) FILTER (WHERE a.channel = 'call' AND a.result IS NOT NULL AND a.result <> 'unconnected'),
                count(*) FILTER (WHERE a.result = 'appointment'),
                count(*) FILTER (WHERE a.result = 'lost'),
                count(*) FILTER (WHERE a.result = 'out_of_scope'),
                count(*) FILTER (WHERE a.result = 'recall'),
                count(*) FILTER (WHERE a.channel = 'email'),
                count(*) FILTER (WHERE a.channel = 'linkedin'),
                count(*) FILTER (WHERE a.channel = 'sms'),
                count(*) FILTER (WHERE a.channel IN ('meeting', 'other')),
                count(*)
         FROM activities a INDEXED BY activities_report {join}
         WHERE a.at >= ?1 AND a.at < ?2 AND a.kind = 'touch'
         GROUP BY k",
        key = k.activity,
    );
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query([&lo, &hi])?;
    while let Some(r) = rows.next()? {
        let key: Option<String> = r.get(0)?;
        let m = out.entry(key.unwrap_or_default()).or_default();
        let g = |i| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
        m.calls = g(1)?;
        m.connects = g(2)?;
        m.appointments = g(3)?;
        m.lost = g(4)?;
        m.out_of_scope = g(5)?;
        m.recalls = g(6)?;
        m.emails = g(7)?;
        m.linkedin = g(8)?;
        m.sms = g(9)?;
        m.other_touches = g(10)?;
        m.activities = g(11)?;
    }
    if let Some(lead_key) = k.lead {
        let sql = format!(
            "SELECT {lead_key} AS k, count(*) FROM leads l
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
    let sql = format!(
        "SELECT {key} AS k, count(*) FILTER (WHERE p.outcome = 'won'), count(*)
         FROM appointments p JOIN leads l ON l.id = p.lead_id JOIN activities b ON b.id = p.activity_id
         WHERE p.outcome IS NOT NULL AND p.outcome_at >= ?1 AND p.outcome_at < ?2
         GROUP BY k",
        key = k.appointment,
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
