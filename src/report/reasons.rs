//! Reasons, the house list: the period's touches that ended unconnected, lost or out of scope,
//! counted by reason and by lead source (`kaden report --by reason`), so "no budget" vs "timing"
//! vs "competitor" is visible. The leads behind a reason are exported with
//! `kaden export leads --reason R`.

use super::period::Span;
use crate::domain::CallResult;
use crate::store::{self, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// One reason of one result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReasonRow {
    pub result: &'static str,
    /// `""` when none was given.
    pub reason: String,
    pub count: u64,
    /// count / the result's touches in the period.
    pub share: f64,
    /// Per lead source, largest first.
    pub by_source: Vec<(String, u64)>,
}

/// Counts by reason for a period: per result, the reasons largest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reasons {
    pub rows: Vec<ReasonRow>,
}

/// The reasons of `span`.
pub fn compute(store: &Store, span: &Span) -> store::Result<Reasons> {
    let (lo, hi) = span.bounds();
    let counts = store.touch_counts(&lo, &hi)?;
    let mut rows = Vec::new();
    for result in store::REASON_RESULTS {
        let mut per: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
        for c in counts.iter().filter(|c| c.result == Some(result.key())) {
            *per.entry(&c.reason)
                .or_default()
                .entry(&c.source)
                .or_default() += c.n;
        }
        let total: u64 = per.values().flat_map(|m| m.values()).sum();
        let mut these: Vec<ReasonRow> = per
            .into_iter()
            .map(|(reason, sources)| {
                let count = sources.values().sum();
                let mut by_source: Vec<(String, u64)> = sources
                    .into_iter()
                    .map(|(s, n)| (s.to_string(), n))
                    .collect();
                by_source.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                ReasonRow {
                    result: result.key(),
                    reason: reason.to_string(),
                    count,
                    share: count as f64 / total.max(1) as f64,
                    by_source,
                }
            })
            .collect();
        these.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
        rows.extend(these);
    }
    Ok(Reasons { rows })
}

/// The label of a result (for the reasons table).
pub fn result_label(key: &str, lang: crate::i18n::Lang) -> String {
    use crate::i18n::Label;
    key.parse::<CallResult>()
        .map(|r| r.label(lang).to_string())
        .unwrap_or_else(|_| key.to_string())
}
