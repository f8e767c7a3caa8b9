//! The Open SAL forecast: Σ amount × probability over appointments without an outcome yet,
//! in total and by SAL rank.

use rusqlite::Connection;
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
pub fn compute(conn: &Connection) -> rusqlite::Result<Forecast> {
    let mut st = conn.prepare_cached(
        "SELECT coalesce(sal_rank, 'unrated'), count(*),
                coalesce(sum(coalesce(amount, 0) * coalesce(probability, 0)), 0)
         FROM appointments WHERE outcome IS NULL GROUP BY 1",
    )?;
    let mut f = Forecast::default();
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let e = Expected {
            open_appointments: r.get::<_, i64>(1)?.max(0) as u64,
            expected: r.get(2)?,
        };
        f.open_appointments += e.open_appointments;
        f.expected += e.expected;
        f.by_rank.insert(r.get(0)?, e);
    }
    Ok(f)
}
