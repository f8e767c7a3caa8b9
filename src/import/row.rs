//! One CSV record → one [`NewLead`]: which column is which field, names (姓 + 名), phones,
//! emails, employee counts, dates, status and tier.

use super::*;
use crate::domain::text::quoted;
pub(super) struct Cols {
    idx: HashMap<Field, usize>,
    japanese_name: bool,
}

pub(super) fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
    })
}

pub(super) fn parse_employees(s: &str) -> Option<i64> {
    use unicode_normalization::UnicodeNormalization;
    let digits: String = s
        .nfkc()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A create date as CRMs and Excel write it; naive times are in `zone`.
pub fn parse_created(s: &str, zone: Tz) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Some(t) = store::parse_ts(s) {
        return Some(t);
    }
    const TIMES: &[&str] = &[
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%Y年%m月%d日 %H:%M",
    ];
    for f in TIMES {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return Some(local_to_utc(zone, n));
        }
    }
    const DAYS: &[&str] = &[
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%m/%d/%Y",
        "%Y年%m月%d日",
        "%Y.%m.%d",
    ];
    for f in DAYS {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(local_to_utc(zone, d.and_hms_opt(0, 0, 0)?));
        }
    }
    None
}

/// The tier rules of the config: first match wins.
pub(super) fn tier_by_rules(cfg: &Config, industry: &str, employees: Option<i64>) -> Option<Tier> {
    cfg.tier_rules
        .iter()
        .find(|r| {
            r.industry
                .as_deref()
                .is_none_or(|i| i.trim().eq_ignore_ascii_case(industry.trim()))
                && r.min_employees
                    .is_none_or(|m| employees.is_some_and(|e| e >= 0 && e as u64 >= m))
                && r.max_employees
                    .is_none_or(|m| employees.is_some_and(|e| e >= 0 && e as u64 <= m))
        })
        .map(|r| r.tier)
}

impl Cols {
    pub(super) fn new(m: &Mapping) -> Cols {
        let idx: HashMap<Field, usize> = m
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.map(|f| (f, i)))
            .collect();
        let japanese_name = idx
            .get(&Field::LastName)
            .is_some_and(|i| is_cjk(&m.headers[*i]));
        Cols { idx, japanese_name }
    }

    /// A value of a used column over [`MAX_FIELD_BYTES`], as a bad-row reason.
    pub(super) fn too_long(&self, rec: &csv::StringRecord) -> Option<String> {
        let mut cols: Vec<(&Field, &usize)> = self.idx.iter().collect();
        cols.sort_by_key(|(_, i)| **i);
        cols.into_iter().find_map(|(f, i)| {
            let n = rec.get(*i).map_or(0, str::len);
            (n > MAX_FIELD_BYTES).then(|| {
                format!(
                    "the {f} is {n} bytes long, over the limit of {}",
                    human_bytes(MAX_FIELD_BYTES as u64)
                )
            })
        })
    }

    /// One record → a lead, or why not.
    pub(super) fn lead(
        &self,
        rec: &csv::StringRecord,
        cfg: &Config,
        d: &Defaults,
        warn: &mut dyn FnMut(String),
    ) -> Result<NewLead, String> {
        let get = |f: Field| -> String {
            self.idx
                .get(&f)
                .and_then(|i| rec.get(*i))
                .map(|v| sanitize_line(strip_formula_guard(v)))
                .unwrap_or_default()
        };
        let name = {
            let full = get(Field::FullName);
            if !full.is_empty() {
                full
            } else {
                let (first, last) = (get(Field::FirstName), get(Field::LastName));
                let parts = if self.japanese_name || is_cjk(&first) || is_cjk(&last) {
                    [last, first]
                } else {
                    [first, last]
                };
                parts
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        };
        let region = &cfg.phone_region;
        let phone_of = |f: Field| -> Result<(Option<String>, Option<String>), String> {
            let raw = get(f);
            // Not a phone number at all: no digit, or far more than any number has.
            let digits = phone::digit_count(&raw);
            if !raw.is_empty() && (digits == 0 || digits > phone::MAX_DIGITS) {
                return Err(format!(
                    "the {f} {} is not a phone number ({digits} digits)",
                    quoted(&raw, 40)
                ));
            }
            Ok(match phone::normalize(&raw, region) {
                Ok(p) => (p, None),
                Err(_) => (
                    None,
                    Some(format!("cannot read {f} number {}", quoted(&raw, 40))),
                ),
            })
        };
        let (phone, phone_err) = phone_of(Field::Phone)?;
        let (mobile, mobile_err) = phone_of(Field::Mobile)?;
        let raw_email = get(Field::Email).to_lowercase();
        let (email, email_err) = if raw_email.is_empty() {
            (None, None)
        } else if crate::domain::text::is_email(&raw_email) {
            (Some(raw_email), None)
        } else {
            (
                None,
                Some(format!("invalid email {}", quoted(&raw_email, 40))),
            )
        };
        let problems: Vec<String> = [phone_err, mobile_err, email_err]
            .into_iter()
            .flatten()
            .collect();
        if phone.is_none() && mobile.is_none() && email.is_none() {
            return Err(match problems.first() {
                Some(p) => format!("{p}, and no other phone or email"),
                None => "no phone and no email: a lead needs one to be reached".into(),
            });
        }
        for p in problems {
            warn(format!("{p}: left empty"));
        }
        let status_raw = get(Field::Status);
        let status = status_map::status(&status_raw).ok_or_else(|| {
            format!(
                "unknown lead status {} (known: Salesforce, HubSpot and Japanese statuses, or {})",
                quoted(&status_raw, 40),
                crate::domain::LeadStatus::ALL
                    .iter()
                    .map(|s| s.key())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })?;
        let industry = get(Field::Industry);
        let employees = parse_employees(&get(Field::Employees));
        let tier_raw = get(Field::Tier);
        let rating_raw = get(Field::Rating);
        let tier = match status_map::tier(&tier_raw) {
            Ok(Some(t)) => Some(t),
            Ok(None) => status_map::rating(&rating_raw).map_err(|_| {
                format!(
                    "unknown rating {} (Hot, Warm, Cold or 1–3)",
                    quoted(&rating_raw, 40)
                )
            })?,
            Err(_) => {
                return Err(format!(
                    "unknown tier {} (1, 2, 3, T1–T3 or A–C)",
                    quoted(&tier_raw, 40)
                ));
            }
        }
        .or_else(|| tier_by_rules(cfg, &industry, employees))
        .unwrap_or(cfg.default_tier);
        let created_raw = get(Field::CreatedAt);
        let created_at = if created_raw.is_empty() {
            d.now
        } else {
            parse_created(&created_raw, cfg.time_zone).ok_or_else(|| {
                format!(
                    "invalid create date {} (use e.g. 2026-11-20, 2026/11/20 09:00, 11/20/2026 or 2026-11-20T09:00:00+09:00)",
                    quoted(&created_raw, 40)
                )
            })?
        };
        let salesforce_id = crate::domain::crm::SalesforceId::parse(&get(Field::SalesforceId))?;
        let hubspot_id = crate::domain::crm::HubspotId::parse(&get(Field::HubspotId))?;
        let do_not_call = yes(&get(Field::DoNotCall)).ok_or_else(|| {
            format!(
                "cannot read do-not-call value {} (use true/false, yes/no, 1/0)",
                quoted(&get(Field::DoNotCall), 40)
            )
        })?;
        let nonempty_or = |v: String, default: &str| {
            if v.is_empty() { default.to_string() } else { v }
        };
        Ok(NewLead {
            company: CompanyInput {
                name: get(Field::Company),
                industry,
                employees,
                website: get(Field::Website),
                tier: Some(tier),
            },
            name,
            title: get(Field::Title),
            department: get(Field::Department),
            role: get(Field::Role).parse::<Role>().ok(),
            phone,
            mobile,
            email,
            source: nonempty_or(get(Field::Source), &d.source),
            owner: nonempty_or(get(Field::Owner), &d.owner),
            time_zone: get(Field::TimeZone).parse::<Tz>().ok(),
            status,
            created_at,
            salesforce_id,
            hubspot_id,
            do_not_call,
        })
    }
}

/// A yes/no cell (`DoNotCall` is `true`/`false` in Salesforce, `Yes`/`No` or a checkbox in
/// sheets); empty is no. `None` when it reads as neither.
fn yes(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "" | "false" | "no" | "n" | "0" | "いいえ" | "否" | "-" => Some(false),
        "true" | "yes" | "y" | "1" | "x" | "✓" | "はい" | "〇" | "○" => Some(true),
        _ => None,
    }
}
