//! The funnel metrics of a period, from the store's aggregate counts (index ranges, never a
//! load of the activities into memory): the arithmetic that turns counts into the metric set.

use super::period::Span;
use crate::cli::ReportBy;
use crate::i18n::Lang;
use crate::store::{self, JudgedBy, LeadField, Store};
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

/// The metrics of `span`, per key of `by` (one entry with key "" without `by`), sorted by key.
///
/// Touches and leads created come from the store's aggregate counts (per UTC day and hour, see
/// `store::counts`), which carry every breakdown key; meetings judged are an aggregate over
/// their own index.
pub fn compute(
    store: &Store,
    span: &Span,
    by: Option<ReportBy>,
) -> store::Result<BTreeMap<String, Metrics>> {
    let (lo, hi) = span.bounds();
    let mut out: BTreeMap<String, Metrics> = BTreeMap::new();
    for c in store.touch_counts(&lo, &hi)? {
        let key = match by {
            None | Some(ReportBy::Reason) => String::new(),
            Some(ReportBy::Rep) => c.rep,
            Some(ReportBy::Result) => c.result.unwrap_or("none").to_string(),
            Some(ReportBy::Source) => c.source,
            Some(ReportBy::Tier) => c.tier.to_string(),
        };
        out.entry(key)
            .or_default()
            .add_touches(c.channel, c.result, c.n);
    }
    if by != Some(ReportBy::Result) {
        for l in store.lead_counts(&lo, &hi)? {
            let key = match by {
                Some(ReportBy::Rep) => l.owner,
                Some(ReportBy::Source) => l.source,
                Some(ReportBy::Tier) => l.tier.to_string(),
                _ => String::new(),
            };
            out.entry(key).or_default().leads_created += l.n;
        }
    }
    let judged_by = match by {
        None | Some(ReportBy::Reason) => JudgedBy::All,
        Some(ReportBy::Rep) => JudgedBy::Rep,
        Some(ReportBy::Result) => JudgedBy::Appointment,
        Some(ReportBy::Source) => JudgedBy::Lead(LeadField::Source),
        Some(ReportBy::Tier) => JudgedBy::Lead(LeadField::Tier),
    };
    for j in store.meetings_judged(&lo, &hi, judged_by)? {
        let m = out.entry(j.key).or_default();
        m.meetings_won = j.won;
        m.meetings_judged = j.judged;
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
pub fn total(store: &Store, span: &Span) -> store::Result<Metrics> {
    Ok(compute(store, span, None)?.remove("").unwrap_or_default())
}

/// Call touches per result (`none` for a call without one) in `span`, sorted by result.
pub fn call_results(store: &Store, span: &Span) -> store::Result<Vec<(String, u64)>> {
    let (lo, hi) = span.bounds();
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    for c in store.touch_counts(&lo, &hi)? {
        if c.channel == "call" {
            *out.entry(c.result.unwrap_or("none").to_string())
                .or_default() += c.n;
        }
    }
    Ok(out.into_iter().collect())
}

/// Per local day of `days`: (calls, leads created).
pub fn daily(store: &Store, days: &[Span]) -> store::Result<Vec<(u64, u64)>> {
    let bounds: Vec<(String, String)> = days.iter().map(Span::bounds).collect();
    store.daily_counts(&bounds)
}
