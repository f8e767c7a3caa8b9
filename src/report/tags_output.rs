//! Output of `kaden report --tags`: JSON, CSV and a table grouped by tag.

use super::Span;
use super::output::{cell, period_json, period_title};
use super::tags::TaggedNote;
use crate::i18n::Lang;
use serde_json::{Value as J, json};
use std::collections::BTreeMap;

/// Tagged notes as JSON.
pub fn tags_json(span: &Span, tags: &BTreeMap<String, Vec<TaggedNote>>) -> J {
    let list: Vec<J> = tags
        .iter()
        .map(|(t, notes)| json!({"tag": t, "notes": notes}))
        .collect();
    json!({"period": period_json(span), "tags": list})
}

/// Tagged notes as CSV: tag, lead_id, company, at, note.
pub fn tags_csv(tags: &BTreeMap<String, Vec<TaggedNote>>) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["tag", "lead_id", "company", "at", "note"])?;
    for (t, notes) in tags {
        for n in notes {
            w.write_record([
                &cell(t),
                &n.lead_id.to_string(),
                &cell(&n.company),
                &n.at,
                &cell(&n.note),
            ])?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// Tagged notes as text, grouped by tag, dates in the rep's zone.
pub fn tags_text(span: &Span, tags: &BTreeMap<String, Vec<TaggedNote>>, lang: Lang) -> String {
    let mut out = format!(
        "{} · {}\n",
        period_title(span, lang),
        lang.pick("tagged notes", "タグ付きメモ")
    );
    if tags.is_empty() {
        out.push_str(lang.pick("No tagged notes.\n", "タグ付きメモはありません。\n"));
    }
    for (t, notes) in tags {
        out.push_str(&format!("\n#{t} ({})\n", notes.len()));
        for n in notes {
            let date = crate::store::parse_ts(&n.at)
                .map(|d| {
                    d.with_timezone(&span.zone)
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_else(|| n.at.clone());
            out.push_str(&format!(
                "  {date}  #{} {}  {}\n",
                n.lead_id,
                crate::domain::text::truncate(&n.company, 24),
                crate::domain::text::truncate(&n.note, 80)
            ));
        }
    }
    out
}
