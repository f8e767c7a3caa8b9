//! Value checks of a parsed config file that serde cannot express (ranges, finite numbers,
//! cross-field rules), each naming `FILE:LINE: key: reason`.

use super::{ConfigError, ConfigFile};

/// Check the values of `f`, parsed from `text` (the file `path`).
pub(super) fn values(f: &ConfigFile, text: &str, path: &str) -> Result<(), ConfigError> {
    let bad = |key: &str, message: String| {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with(key))
            .map(|i| i + 1)
            .unwrap_or(0);
        ConfigError::Invalid {
            path: path.into(),
            line,
            message: format!("{key}: {message}"),
        }
    };
    if f.hours.start.0 >= f.hours.end.0 {
        return Err(bad(
            "start",
            "calling hours must start before they end".into(),
        ));
    }
    if f.cadence.unconnected.is_empty() {
        return Err(bad(
            "unconnected",
            "the retry ladder needs at least one step".into(),
        ));
    }
    for (k, v) in [
        ("rank_a", f.sal.rank_a),
        ("rank_b", f.sal.rank_b),
        ("rank_c", f.sal.rank_c),
    ] {
        if !(0.0..=1.0).contains(&v) {
            return Err(bad(k, format!("must be between 0 and 1, not {v}")));
        }
    }
    for (k, v) in [
        ("overdue_per_hour", f.ranking.overdue_per_hour),
        ("age_per_day", f.ranking.age_per_day),
        ("per_touch", f.ranking.per_touch),
    ] {
        crate::domain::amount::check_range("", v, 0.0, MAX_WEIGHT)
            .map_err(|e| bad_in(text, path, "ranking", k, format!("weight{e}")))?;
    }
    crate::domain::amount::check_amount("", f.sal.deal_size)
        .map_err(|e| bad_in(text, path, "sal", "deal_size", format!("amount{e}")))?;
    for (period, targets) in [
        ("targets.week", &f.targets.week),
        ("targets.month", &f.targets.month),
    ] {
        for (k, v) in targets {
            crate::domain::amount::check_range("", *v, 0.0, crate::domain::amount::MAX_AMOUNT)
                .map_err(|e| bad_in(text, path, period, k, format!("target{e}")))?;
        }
    }
    let t = &f.funnel.targets;
    for (k, v) in [
        ("reach", t.reach),
        ("appointment", t.appointment),
        ("held", t.held),
        ("won", t.won),
    ] {
        if let Some(v) = v {
            crate::domain::amount::check_range("", v, 0.0, 1.0)
                .map_err(|e| bad_in(text, path, "funnel.targets", k, format!("rate{e}")))?;
        }
    }
    for (table, k, v) in [
        ("meetings", "reapproach_days", f.meetings.reapproach_days),
        ("recycle", "pending_rest_days", f.recycle.pending_rest_days),
    ] {
        if !(1..=3650).contains(&v) {
            return Err(bad_in(
                text,
                path,
                table,
                k,
                format!("days must be between 1 and 3650, not {v}"),
            ));
        }
    }
    if let Some(r) = &f.phone_region
        && (r.len() != 2 || !r.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return Err(bad(
            "phone_region",
            format!("'{r}' is not a two-letter country code (e.g. JP)"),
        ));
    }
    Ok(())
}

/// The largest ranking weight (points per hour, per day, per touch).
pub const MAX_WEIGHT: f64 = 1000.0;

/// The line of `key` inside the `[table]` (dotted tables like `targets.week` too), or of the
/// table header when the key is not found; 0 when neither is.
fn line_in_table(text: &str, table: &str, key: &str) -> usize {
    let mut current = String::new();
    let mut header = 0;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if let Some(h) = t.strip_prefix('[').and_then(|t| t.split(']').next()) {
            current = h.trim().to_string();
            if current == table {
                header = i + 1;
            }
            continue;
        }
        if current != table {
            continue;
        }
        let name = t
            .split('=')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        if name == key {
            return i + 1;
        }
    }
    header
}

/// `FILE:LINE: table.key: reason` for a value inside a table.
pub(super) fn bad_in(
    text: &str,
    path: &str,
    table: &str,
    key: &str,
    message: String,
) -> ConfigError {
    ConfigError::Invalid {
        path: path.into(),
        line: line_in_table(text, table, key),
        message: format!("{table}.{key}: {message}"),
    }
}
