//! `#tags` in notes (`#voice`, `#competitor`, `#競合`…): the feedback that goes back to marketing
//! and product.

use super::period::Span;
use crate::domain::text::sanitize_line;
use crate::store::{self, Store};
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
pub fn collect(store: &Store, span: &Span) -> store::Result<BTreeMap<String, Vec<TaggedNote>>> {
    let (lo, hi) = span.bounds();
    let mut out: BTreeMap<String, Vec<TaggedNote>> = BTreeMap::new();
    for n in store.notes_with_hash(&lo, &hi)? {
        let tags = extract(&n.note);
        if tags.is_empty() {
            continue;
        }
        let n = TaggedNote {
            lead_id: n.lead_id,
            company: sanitize_line(&n.company),
            at: n.at,
            note: sanitize_line(&n.note),
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
