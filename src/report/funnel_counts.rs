//! The funnel's counts per key: worked, reached and appointment (distinct leads, from the
//! store's first-touch counts when the span allows, else from every touch of the period) and
//! the appointments booked in the period with how their meetings went.

use super::super::period::Span;
use super::Counts;
use crate::cli::{Period, ReportBy};
use crate::domain::CallResult;
use crate::store::{self, FunnelKind, LeadField, Store, ts};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

fn level(r: Option<CallResult>) -> u8 {
    match r {
        None | Some(CallResult::Unconnected) => 0,
        Some(CallResult::Appointment) => 2,
        Some(CallResult::Recall | CallResult::Lost | CallResult::OutOfScope) => 1,
    }
}

/// How a breakdown keys the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    All,
    Rep,
    Lead(LeadField),
}

pub(super) fn key_of(by: Option<ReportBy>) -> Key {
    match by {
        Some(ReportBy::Rep) => Key::Rep,
        Some(ReportBy::Source) => Key::Lead(LeadField::Source),
        Some(ReportBy::Tier) => Key::Lead(LeadField::Tier),
        _ => Key::All,
    }
}

/// The funnel counts of `span` at `now`, per key of `by` (`""` alone without one).
pub fn counts(
    store: &Store,
    span: &Span,
    now: DateTime<Utc>,
    by: Option<ReportBy>,
) -> store::Result<BTreeMap<String, Counts>> {
    let key = key_of(by);
    let (lo, hi) = span.bounds();
    let mut out: BTreeMap<String, Counts> = match first_touches(store, span, key)? {
        Some(out) => out,
        None => scan_touches(store, &lo, &hi, key)?,
    };
    let now_s = ts(now);
    for m in store.booked_meetings(&lo, &hi)? {
        let k = match key {
            Key::All => String::new(),
            Key::Rep => m.rep.clone(),
            Key::Lead(LeadField::Source) => m.source.clone(),
            Key::Lead(LeadField::Tier) => m.tier.to_string(),
            Key::Lead(LeadField::Owner) => m.owner.clone(),
        };
        let c = out.entry(k).or_default();
        let decided = m.outcome.is_some();
        let held = decided || m.held == Some(true);
        let due = held
            || m.held.is_some()
            || m.meeting_at.as_deref().is_some_and(|t| t <= now_s.as_str());
        c.booked += 1;
        c.due += u64::from(due);
        c.held += u64::from(held);
        c.decided += u64::from(decided);
        c.won += u64::from(m.outcome.as_deref() == Some("won"));
    }
    if key == Key::All {
        out.entry(String::new()).or_default();
    }
    Ok(out)
}

/// The period kind whose counts answer `span`: it starts where a day, week or month starts and
/// ends inside that one.
fn kind_of(span: &Span) -> Option<FunnelKind> {
    let kind = match span.kind {
        Period::Day => FunnelKind::Day,
        Period::Week => FunnelKind::Week,
        Period::Month => FunnelKind::Month,
    };
    let whole = Span::containing(span.kind, span.start, span.zone);
    (kind.start(span.start) == span.start && span.end > span.start && span.end <= whole.end)
        .then_some(kind)
}

/// Worked, reached and appointment per key from the store's first-touch counts (a sum over the
/// span's days); `None` when the store has none for this zone or span.
fn first_touches(
    store: &Store,
    span: &Span,
    key: Key,
) -> store::Result<Option<BTreeMap<String, Counts>>> {
    let Some(kind) = kind_of(span) else {
        return Ok(None);
    };
    let Some(rows) = store.funnel_counts(span.zone, kind, span.start, span.end)? else {
        return Ok(None);
    };
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for r in rows {
        if r.scope_rep != (key == Key::Rep) {
            continue;
        }
        let k = match key {
            Key::All => String::new(),
            Key::Rep => r.rep,
            Key::Lead(LeadField::Source) => r.source,
            Key::Lead(LeadField::Tier) => r.tier.to_string(),
            Key::Lead(LeadField::Owner) => continue,
        };
        let c = out.entry(k).or_default();
        match r.level {
            0 => c.worked += r.n,
            1 => c.reached += r.n,
            _ => c.appointment += r.n,
        }
    }
    Ok(Some(out))
}

/// Worked, reached and appointment per key from every touch of the period (the plain scan).
fn scan_touches(
    store: &Store,
    lo: &str,
    hi: &str,
    key: Key,
) -> store::Result<BTreeMap<String, Counts>> {
    // The furthest step each (lead, rep-or-"") reached.
    let mut best: HashMap<(i64, String), u8> = HashMap::new();
    store.each_funnel_touch(lo, hi, &mut |t| {
        let rep = if key == Key::Rep {
            t.rep
        } else {
            String::new()
        };
        let l = level(t.result);
        let e = best.entry((t.lead_id, rep)).or_insert(l);
        *e = (*e).max(l);
    })?;
    let lead_keys = match key {
        Key::Lead(f) => {
            let ids: Vec<i64> = best.keys().map(|k| k.0).collect();
            store.lead_keys(&ids, f)?
        }
        _ => HashMap::new(),
    };
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for ((lead, rep), l) in best {
        let k = match key {
            Key::All => String::new(),
            Key::Rep => rep,
            Key::Lead(_) => lead_keys.get(&lead).cloned().unwrap_or_default(),
        };
        let c = out.entry(k).or_default();
        c.worked += 1;
        c.reached += u64::from(l >= 1);
        c.appointment += u64::from(l >= 2);
    }
    Ok(out)
}
