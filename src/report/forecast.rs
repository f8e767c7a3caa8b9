//! The Open SAL forecast: Σ amount × probability over appointments without an outcome yet,
//! in total and by SAL rank.

use crate::store::{self, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// Open appointments and their expected value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Expected {
    pub open_appointments: u64,
    /// Σ amount × probability.
    pub expected: f64,
}

/// The forecast, in total and by rank (`A`, `B`, `C`, or `unrated` when the axes were not asked).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Forecast {
    pub open_appointments: u64,
    pub expected: f64,
    pub by_rank: BTreeMap<String, Expected>,
}

/// Compute the forecast over every open appointment.
pub fn compute(store: &Store) -> store::Result<Forecast> {
    let mut f = Forecast::default();
    for o in store.open_appointments()? {
        let e = Expected {
            open_appointments: o.count,
            expected: o.expected,
        };
        f.open_appointments += e.open_appointments;
        f.expected += e.expected;
        f.by_rank.insert(o.rank, e);
    }
    Ok(f)
}
