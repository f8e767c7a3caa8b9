//! `#tags` in notes (`#voice`, `#competitor`, `#競合`…): the feedback that goes back to marketing
//! and product.

use super::period::Span;
use crate::domain::text::sanitize_line;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// The tags in a note, lower-cased, without the `#`, each once, in order of appearance. A tag
/// starts with `#` (or a full-width `＃`) not preceded by a letter or digit, and runs over
/// letters (any script), digits, `_` and `-`.
pub fn extract(note: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    let mut chars = note.chars().peekable();
    while let Some(c) = chars.next() {
        if (c == '#' || c == '＃') && !prev.is_some_and(|p| p.is_alphanumeric() || p == '_') {
            let mut tag = String::new();
            while let Some(&n) = chars.peek() {
                if n.is_alphanumeric() || n == '_' || n == '-' {
                    tag.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            let tag = tag.trim_end_matches('-').to_lowercase();
            if !tag.is_empty() && !tag.chars().all(|c| c.is_ascii_digit()) && !out.contains(&tag) {
                out.push(tag);
            }
            prev = Some('a');
            continue;
        }
        prev = Some(c);
    }
    out
}

/// One tagged note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaggedNote {
    pub lead_id: i64,
    pub company: String,
    /// Stored UTC time of the note.
    pub at: String,
    pub note: String,
}

/// Tag → notes carrying it, in the period, oldest first.
pub fn collect(
    conn: &Connection,
    span: &Span,
) -> rusqlite::Result<BTreeMap<String, Vec<TaggedNote>>> {
    let (lo, hi) = span.bounds();
    let mut st = conn.prepare_cached(
        "SELECT a.lead_id, c.name, a.at, a.note FROM activities a INDEXED BY activities_at
         JOIN leads l ON l.id = a.lead_id JOIN companies c ON c.id = l.company_id
         WHERE a.at >= ?1 AND a.at < ?2 AND a.note IS NOT NULL
           AND (instr(a.note, '#') > 0 OR instr(a.note, '＃') > 0)
         ORDER BY a.at, a.id",
    )?;
    let mut out: BTreeMap<String, Vec<TaggedNote>> = BTreeMap::new();
    let mut rows = st.query([&lo, &hi])?;
    while let Some(r) = rows.next()? {
        let note: String = r.get(3)?;
        let tags = extract(&note);
        if tags.is_empty() {
            continue;
        }
        let n = TaggedNote {
            lead_id: r.get(0)?,
            company: sanitize_line(&r.get::<_, String>(1)?),
            at: r.get(2)?,
            note: sanitize_line(&note),
        };
        for t in tags {
            out.entry(t).or_default().push(n.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::extract;

    #[test]
    fn tags_in_any_script() {
        assert_eq!(
            extract("#voice wants CSV export; lost to #Competitor X. #競合 ＃価格"),
            vec!["voice", "competitor", "競合", "価格"]
        );
        assert!(extract("C# dev, page#3, issue #42, ##").is_empty());
        assert_eq!(extract("#voice #voice"), vec!["voice"]);
    }
}
