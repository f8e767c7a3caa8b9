//! The config file's sections that are plain values: reason pick lists, Open SAL ranks,
//! tier rules, targets, the funnel's targets, meetings and recycling.

use crate::domain::{CallResult, Tier};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Pick lists of reasons, per result.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Reasons {
    pub unconnected: Vec<String>,
    pub lost: Vec<String>,
    pub out_of_scope: Vec<String>,
}

impl Default for Reasons {
    fn default() -> Self {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        Reasons {
            unconnected: v(&["absent", "voicemail", "reception_block", "wrong_number"]),
            lost: v(&["no_need", "no_budget", "timing", "competitor", "other"]),
            out_of_scope: v(&["left_company", "wrong_person", "reverse_sales", "not_icp"]),
        }
    }
}

impl Reasons {
    /// The pick list for a result (empty when it has none).
    pub fn for_result(&self, r: CallResult) -> &[String] {
        match r {
            CallResult::Unconnected => &self.unconnected,
            CallResult::Lost => &self.lost,
            CallResult::OutOfScope => &self.out_of_scope,
            CallResult::Recall | CallResult::Appointment => &[],
        }
    }
}

/// Open SAL ranks and the forecast's default deal size.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SalConfig {
    pub rank_a: f64,
    pub rank_b: f64,
    pub rank_c: f64,
    pub deal_size: f64,
}

impl Default for SalConfig {
    fn default() -> Self {
        SalConfig {
            rank_a: 0.8,
            rank_b: 0.5,
            rank_c: 0.3,
            deal_size: 1_000_000.0,
        }
    }
}

/// A rule that assigns a tier to imported leads without one.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRule {
    pub tier: Tier,
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub min_employees: Option<u64>,
    #[serde(default)]
    pub max_employees: Option<u64>,
}

/// Targets per metric, per week and per month.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Targets {
    pub week: BTreeMap<String, f64>,
    pub month: BTreeMap<String, f64>,
}

/// The funnel's step-conversion targets (0–1): `[funnel.targets]`. A step without one is judged
/// against the previous period.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FunnelTargets {
    /// worked → reached.
    pub reach: Option<f64>,
    /// reached → appointment.
    pub appointment: Option<f64>,
    /// appointment → meeting held.
    pub held: Option<f64>,
    /// meeting held → won.
    pub won: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct FunnelFile {
    pub(super) targets: FunnelTargets,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct MeetingsFile {
    pub(super) reapproach_days: u32,
}

impl Default for MeetingsFile {
    fn default() -> Self {
        MeetingsFile {
            reapproach_days: 90,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RecycleFile {
    pub(super) pending_rest_days: u32,
}

impl Default for RecycleFile {
    fn default() -> Self {
        RecycleFile {
            pending_rest_days: 60,
        }
    }
}
