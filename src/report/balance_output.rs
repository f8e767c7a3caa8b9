//! The load balance as a table: open leads by owner, status and age, and the stale leads.

use super::balance::Balance;
use super::output::table;
use crate::domain::text::{sanitize_line, truncate};
use crate::i18n::Lang;

pub(super) fn text(b: &Balance, lang: Lang) -> String {
    let mut out = format!(
        "{}\n",
        lang.pick(
            "Load balance (open leads by owner)",
            "負荷バランス(担当者別のオープンリード)"
        )
    );
    let mut t = vec![vec![
        lang.pick("Owner", "担当者").to_string(),
        lang.pick("Open", "件数").into(),
        "new".into(),
        "approaching".into(),
        "scheduling".into(),
        "nurturing".into(),
        "0-1d".into(),
        "2-7d".into(),
        "8-30d".into(),
        ">30d".into(),
        format!("{} >{}d", lang.pick("Stale", "停滞"), b.stale_days),
    ]];
    for o in &b.owners {
        let mut row = vec![truncate(&sanitize_line(&o.owner), 20), o.open.to_string()];
        for s in ["new", "approaching", "scheduling", "nurturing"] {
            row.push(o.by_status.get(s).copied().unwrap_or(0).to_string());
        }
        row.extend(o.by_age.iter().map(u64::to_string));
        row.push(if o.stale > 0 {
            format!("{} !", o.stale)
        } else {
            "0".into()
        });
        t.push(row);
    }
    out.push_str(&table(&t));
    if !b.stale.is_empty() {
        out.push_str(&format!(
            "{}\n",
            lang.pick(
                "Stale leads (most overdue first):",
                "停滞リード(期限超過の古い順):"
            )
        ));
        for s in &b.stale {
            out.push_str(&format!(
                "  ! #{} {} · {} · {} {}\n",
                s.lead_id,
                truncate(&s.company, 30),
                s.owner,
                s.days_overdue,
                lang.pick("days overdue", "日超過")
            ));
        }
    }
    out
}
