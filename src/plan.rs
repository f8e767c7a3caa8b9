//! The reverse funnel (pipeline planning): from a revenue target back to the pipeline, SQL, SAL
//! and qualified conversations it needs, and the date by which the pipeline must exist.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A calendar quarter, e.g. 2025Q1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quarter {
    pub year: i32,
    /// 1–4.
    pub q: u32,
}

impl Quarter {
    /// The quarter containing `d`.
    pub fn containing(d: NaiveDate) -> Quarter {
        Quarter {
            year: d.year(),
            q: (d.month0() / 3) + 1,
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.q - 1) * 3 + 1, 1).unwrap_or(NaiveDate::MIN)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = PlanError;
    /// `2025Q1`, `2025-Q1`, `2025q1`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            PlanError(format!(
                "--quarter '{s}' is not a quarter (use e.g. 2025Q1)"
            ))
        };
        let t = s.trim().to_ascii_uppercase();
        let (y, q) = t.split_once('Q').ok_or_else(bad)?;
        let year: i32 = y.trim_end_matches('-').parse().map_err(|_| bad())?;
        let q: u32 = q.parse().map_err(|_| bad())?;
        if !(1..=4).contains(&q) || !(1..=9999).contains(&year) {
            return Err(bad());
        }
        Ok(Quarter { year, q })
    }
}

/// A plan that cannot be computed: the message names the flag and the value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct PlanError(pub String);

/// The inputs of the reverse funnel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanInput {
    pub target: f64,
    pub win_rate: f64,
    pub deal_size: f64,
    pub sal_to_sql: f64,
    pub calls_per_sal: f64,
    pub lead_time_months: Option<u32>,
    /// The revenue quarter.
    pub quarter: Quarter,
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Pipeline amount needed: target / win rate.
    pub pipeline: f64,
    /// SQL needed: ⌈pipeline / deal size⌉.
    pub sql: u64,
    /// SAL needed: ⌈SQL / SAL→SQL⌉.
    pub sal: u64,
    /// Qualified conversations: ⌈SAL × conversations per SAL⌉.
    pub conversations: u64,
    /// The revenue quarter.
    pub quarter: String,
    /// With a lead time: the date by which the pipeline must exist.
    pub pipeline_by: Option<NaiveDate>,
    /// Its quarter.
    pub pipeline_quarter: Option<String>,
}

/// Round up, ignoring floating-point noise: 40.000000001 is 40, not 41.
pub fn ceil_count(x: f64) -> u64 {
    let r = x.round();
    let v = if (x - r).abs() <= 1e-9 * r.abs().max(1.0) {
        r
    } else {
        x.ceil()
    };
    v.max(0.0) as u64
}

fn check_rate(name: &str, v: f64) -> Result<(), PlanError> {
    if !v.is_finite() || v <= 0.0 || v > 1.0 {
        return Err(PlanError(format!(
            "{name} {v} is outside (0, 1]: give a rate like 0.25 for 25 %"
        )));
    }
    Ok(())
}

fn check_positive(name: &str, v: f64) -> Result<(), PlanError> {
    crate::domain::amount::check_amount(name, v)
        .map(|_| ())
        .map_err(PlanError)
}

/// A computed count or amount that no longer fits what a report can print exactly.
fn check_result(name: &str, v: f64) -> Result<(), PlanError> {
    if !v.is_finite() || v > crate::domain::amount::MAX_AMOUNT {
        return Err(PlanError(format!(
            "the plan needs {name} of {v:e}, more than kaden can count: check --target, the rates and --deal-size"
        )));
    }
    Ok(())
}

/// Compute the plan; every input is checked first.
pub fn plan(i: &PlanInput) -> Result<Plan, PlanError> {
    check_positive("--target", i.target)?;
    check_rate("--win-rate", i.win_rate)?;
    check_positive("--deal-size", i.deal_size)?;
    check_rate("--sal-to-sql", i.sal_to_sql)?;
    check_positive("--calls-per-sal", i.calls_per_sal)?;
    let pipeline = i.target / i.win_rate;
    let pipeline = if (pipeline - pipeline.round()).abs() <= 1e-9 * pipeline.abs().max(1.0) {
        pipeline.round()
    } else {
        pipeline
    };
    check_result("a pipeline", pipeline)?;
    check_result("an SQL count", pipeline / i.deal_size)?;
    let sql = ceil_count(pipeline / i.deal_size);
    check_result("a SAL count", sql as f64 / i.sal_to_sql)?;
    let sal = ceil_count(sql as f64 / i.sal_to_sql);
    check_result("a conversation count", sal as f64 * i.calls_per_sal)?;
    let conversations = ceil_count(sal as f64 * i.calls_per_sal);
    let pipeline_by = match i.lead_time_months {
        Some(m) => Some(
            i.quarter
                .first_day()
                .checked_sub_months(Months::new(m))
                .ok_or_else(|| PlanError(format!("--lead-time {m} months is too long")))?,
        ),
        None => None,
    };
    Ok(Plan {
        pipeline,
        sql,
        sal,
        conversations,
        quarter: i.quarter.to_string(),
        pipeline_quarter: pipeline_by.map(|d| Quarter::containing(d).to_string()),
        pipeline_by,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ceil_ignores_float_noise() {
        assert_eq!(ceil_count(40.000000001), 40);
        assert_eq!(ceil_count(40.01), 41);
        assert_eq!(ceil_count(49.999999999), 50);
        assert_eq!(ceil_count(0.3 / 0.1), 3);
    }

    #[test]
    fn quarters() {
        let q: Quarter = "2025q1".parse().unwrap();
        assert_eq!(q.to_string(), "2025Q1");
        assert_eq!(q.first_day().to_string(), "2025-01-01");
        assert!("2025Q5".parse::<Quarter>().is_err());
        assert!("Q1".parse::<Quarter>().is_err());
    }
}
