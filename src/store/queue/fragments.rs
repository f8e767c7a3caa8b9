//! The pieces of SQL every band shares: the filter, claims, owner and zone conditions, each
//! with its parameters pushed.

use super::*;

pub(super) fn text(s: String) -> Value<'static> {
    Value::Text(Cow::Owned(s))
}

pub(super) fn like_pattern(s: &str) -> String {
    let esc: String = s
        .trim()
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{esc}%")
}

pub(super) fn filter_sql(filter: Option<&str>, params: &mut Vec<Value<'static>>) -> String {
    let Some(f) = filter.map(str::trim).filter(|f| !f.is_empty()) else {
        return String::new();
    };
    params.push(text(like_pattern(f)));
    let i = params.len();
    let digits: String = f.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut phone = String::new();
    if digits.len() >= 3 {
        params.push(text(format!("%{}%", digits.trim_start_matches('0'))));
        let j = params.len();
        phone = format!(" OR l.phone LIKE ?{j} OR l.mobile LIKE ?{j}");
    }
    format!(
        " AND (lower(c.name) LIKE ?{i} ESCAPE '\\' OR lower(l.name) LIKE ?{i} ESCAPE '\\' OR lower(l.email) LIKE ?{i} ESCAPE '\\'{phone})"
    )
}

/// ` AND` the lead is not claimed by anyone but `me` with a lease running at `?1`.
pub(super) fn unclaimed_sql(me: Option<&str>, params: &mut Vec<Value<'static>>) -> String {
    match me {
        Some(me) => {
            params.push(text(me.to_string()));
            let i = params.len();
            format!(" AND (l.claimed_by IS NULL OR l.claimed_until <= ?1 OR l.claimed_by = ?{i})")
        }
        None => " AND (l.claimed_by IS NULL OR l.claimed_until <= ?1)".to_string(),
    }
}

/// `AND (owner = REP OR owner = '')` for a rep's own queue; nothing for everyone's.
pub(super) fn owner_sql(
    owner: Option<&str>,
    cfg: &Config,
    params: &mut Vec<Value<'static>>,
) -> String {
    let Some(o) = owner else {
        return String::new();
    };
    params.push(text(o.to_string()));
    let i = params.len();
    if cfg.queue_with_unassigned {
        format!(" AND (l.owner = ?{i} OR l.owner = '')")
    } else {
        format!(" AND l.owner = ?{i}")
    }
}

pub(super) fn zones_sql(zones: &[String], params: &mut Vec<Value<'static>>) -> String {
    let start = params.len();
    let marks: Vec<String> = zones
        .iter()
        .enumerate()
        .map(|(k, z)| {
            params.push(text(z.clone()));
            format!("?{}", start + k + 1)
        })
        .collect();
    format!("l.time_zone IN ({})", marks.join(", "))
}
