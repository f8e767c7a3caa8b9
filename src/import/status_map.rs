//! Lead status and tier values of other tools → kaden's vocabulary.
//!
//! Salesforce's "Closed - Not Converted" (and "Unqualified") means the lead was disqualified:
//! it maps to `out_of_scope`, not `nurturing`, since nothing says it should be re-approached.
//! HubSpot's BAD_TIMING is the one "not now" value, so it maps to `nurturing`.

use crate::domain::{LeadStatus, Tier};

/// A value as compared: lower case, runs of anything but letters and digits become one `_`.
fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// The kaden status for a status value from a file. An empty value is `new`; `None` means
/// unknown.
pub fn status(raw: &str) -> Option<LeadStatus> {
    use LeadStatus::*;
    let n = norm(raw);
    Some(match n.as_str() {
        "" => New,
        // kaden keys and labels.
        "new" => New,
        "approaching" => Approaching,
        "scheduling" => Scheduling,
        "meeting" | "meeting_won" => Meeting,
        "pending" => Pending,
        "nurturing" => Nurturing,
        "out_of_scope" => OutOfScope,
        // Salesforce.
        "open_not_contacted" | "open" => New,
        "working_contacted" | "working" | "contacted" => Approaching,
        "qualified" => Scheduling,
        "closed_converted" | "converted" => Meeting,
        "closed_not_converted" | "unqualified" | "disqualified" => OutOfScope,
        // HubSpot (internal values; labels normalise to the same).
        "in_progress" | "attempted_to_contact" | "connected" => Approaching,
        "open_deal" => Meeting,
        "bad_timing" => Nurturing,
        // Japanese.
        "新規" => New,
        "アプローチ中" => Approaching,
        "日程調整中" => Scheduling,
        "商談獲得" => Meeting,
        "未接触" => Pending,
        "ナーチャリング" => Nurturing,
        "対象外" => OutOfScope,
        _ => return None,
    })
}

/// A value that is not a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadValue;

/// A tier from a tier/rank column: 1/2/3, T1, "Tier 1", A/B/C, 高/中/低. Empty gives
/// `Ok(None)`; anything else is an error.
pub fn tier(raw: &str) -> Result<Option<Tier>, BadValue> {
    let n = norm(raw);
    let t = match n.as_str() {
        "" => return Ok(None),
        "1" | "t1" | "tier_1" | "a" | "s" | "高" => Tier::T1,
        "2" | "t2" | "tier_2" | "b" | "中" => Tier::T2,
        "3" | "t3" | "tier_3" | "c" | "低" => Tier::T3,
        _ => return Err(BadValue),
    };
    Ok(Some(t))
}

/// A tier from a Salesforce Rating: Hot/Warm/Cold (or a tier value).
pub fn rating(raw: &str) -> Result<Option<Tier>, BadValue> {
    match norm(raw).as_str() {
        "hot" => Ok(Some(Tier::T1)),
        "warm" => Ok(Some(Tier::T2)),
        "cold" => Ok(Some(Tier::T3)),
        _ => tier(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LeadStatus::*;

    #[test]
    fn crm_statuses() {
        assert_eq!(status("Open - Not Contacted"), Some(New));
        assert_eq!(status("Working - Contacted"), Some(Approaching));
        assert_eq!(status("Closed - Converted"), Some(Meeting));
        assert_eq!(status("Closed - Not Converted"), Some(OutOfScope));
        assert_eq!(status("ATTEMPTED_TO_CONTACT"), Some(Approaching));
        assert_eq!(status("Attempted to contact"), Some(Approaching));
        assert_eq!(status("IN_PROGRESS"), Some(Approaching));
        assert_eq!(status("Open Deal"), Some(Meeting));
        assert_eq!(status("BAD_TIMING"), Some(Nurturing));
        assert_eq!(status("UNQUALIFIED"), Some(OutOfScope));
        assert_eq!(status("ナーチャリング"), Some(Nurturing));
        assert_eq!(status(" 日程調整中 "), Some(Scheduling));
        assert_eq!(status("out_of_scope"), Some(OutOfScope));
        assert_eq!(status(""), Some(New));
        assert_eq!(status("Banana"), None);
    }

    #[test]
    fn tiers_and_ratings() {
        assert_eq!(tier("T1"), Ok(Some(Tier::T1)));
        assert_eq!(tier("B"), Ok(Some(Tier::T2)));
        assert_eq!(tier("3"), Ok(Some(Tier::T3)));
        assert_eq!(tier(""), Ok(None));
        assert_eq!(tier("9"), Err(BadValue));
        assert_eq!(rating("Hot"), Ok(Some(Tier::T1)));
        assert_eq!(rating("Cold"), Ok(Some(Tier::T3)));
    }
}
