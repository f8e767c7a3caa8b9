//! Report output: JSON (the documented shape), CSV (one row per scope and metric) and aligned
//! tables in English or Japanese.

use super::compare::{self, pct};
use super::metrics::{self, Metrics, Value};
use super::{Report, Span};
use crate::cli::{Period, ReportBy};
use crate::domain::text::{fit, sanitize_line, width};
use crate::i18n::Lang;
use serde_json::{Map, Value as J, json};

pub(super) fn period_json(s: &Span) -> J {
    json!({
        "start": s.start.to_string(),
        "end": s.last_day().to_string(),
        "kind": kind_key(s.kind),
        "time_zone": s.zone.name(),
    })
}

fn kind_key(k: Period) -> &'static str {
    match k {
        Period::Day => "day",
        Period::Week => "week",
        Period::Month => "month",
    }
}

fn by_key(b: ReportBy) -> &'static str {
    match b {
        ReportBy::Source => "source",
        ReportBy::Rep => "rep",
        ReportBy::Tier => "tier",
        ReportBy::Result => "result",
        ReportBy::Reason => "reason",
    }
}

fn metrics_json(m: &Metrics) -> J {
    serde_json::to_value(m).unwrap_or(J::Null)
}

/// The report as JSON: `period`, `metrics`, `forecast` always; `previous`, `change`, `driver`
/// (and `summary`) with a comparison; `by` (and `balance` for reps) with a breakdown; `targets`
/// (and `pace`) when targets are configured for the period.
pub fn json(r: &Report, lang: Lang) -> J {
    let mut o = Map::new();
    o.insert("period".into(), period_json(&r.span));
    o.insert("metrics".into(), metrics_json(&r.metrics));
    if let Some(p) = &r.previous {
        o.insert("previous_period".into(), period_json(&p.span));
        o.insert(
            "previous_basis".into(),
            serde_json::to_value(p.basis).unwrap_or(J::Null),
        );
        o.insert("previous".into(), metrics_json(&p.metrics));
        let ch: Map<String, J> = p
            .changes(&r.metrics)
            .into_iter()
            .map(|(m, c)| (m.to_string(), json!({"abs": c.abs, "rel": c.rel})))
            .collect();
        o.insert("change".into(), J::Object(ch));
        o.insert(
            "driver".into(),
            p.driver
                .as_ref()
                .map_or(J::Null, |d| J::from(d.factor.key())),
        );
        if let Some(d) = &p.driver {
            o.insert(
                "driver_detail".into(),
                json!({
                    "method": d.method,
                    "calls": d.contributions[0],
                    "connect_rate": d.contributions[1],
                    "appointment_rate": d.contributions[2],
                }),
            );
        }
        o.insert(
            "summary".into(),
            J::from(compare::sentence(
                &p.metrics,
                &r.metrics,
                p.driver.as_ref(),
                lang,
            )),
        );
    }
    if let Some(b) = &r.by {
        o.insert("by_key".into(), J::from(by_key(b.by)));
        let rows: Vec<J> = b
            .rows
            .iter()
            .map(|(k, m)| json!({"key": sanitize_line(k), "metrics": metrics_json(m)}))
            .collect();
        o.insert("by".into(), J::Array(rows));
        if let Some(bal) = &b.balance {
            o.insert(
                "balance".into(),
                serde_json::to_value(bal).unwrap_or(J::Null),
            );
        }
    }
    if !r.targets.is_empty() {
        o.insert(
            "targets".into(),
            serde_json::to_value(&r.targets).unwrap_or(J::Null),
        );
        o.insert(
            "pace".into(),
            serde_json::to_value(r.pace).unwrap_or(J::Null),
        );
    }
    o.insert(
        "forecast".into(),
        serde_json::to_value(&r.forecast).unwrap_or(J::Null),
    );
    super::funnel_output::json_sections(r, lang, &mut o);
    J::Object(o)
}

pub(super) fn num(v: Option<f64>) -> String {
    match v {
        None => String::new(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        Some(x) => format!("{}", (x * 1e6).round() / 1e6),
    }
}

/// Neutralise a text cell a spreadsheet would read as a formula.
pub(super) fn cell(s: &str) -> String {
    let s = sanitize_line(s);
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s
    }
}

/// The report as CSV: `scope,key,metric,value`, one row per (scope, metric). Scopes: current,
/// previous, change_abs, change_rel, driver, by (key = the breakdown key), target, achievement,
/// pace, forecast. Undefined rates are empty cells.
pub fn csv(r: &Report) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["scope", "key", "metric", "value"])?;
    for (m, v) in r.metrics.values() {
        w.write_record(["current", "", m, &num(v.num())])?;
    }
    if let Some(p) = &r.previous {
        for (m, v) in p.metrics.values() {
            w.write_record(["previous", "", m, &num(v.num())])?;
        }
        for (m, c) in p.changes(&r.metrics) {
            w.write_record(["change_abs", "", m, &num(c.abs)])?;
            w.write_record(["change_rel", "", m, &num(c.rel)])?;
        }
        let d = p.driver.as_ref().map(|d| d.factor.key()).unwrap_or("");
        w.write_record(["driver", "", "appointments", d])?;
    }
    if let Some(b) = &r.by {
        for (k, m) in &b.rows {
            for (name, v) in m.values() {
                w.write_record(["by", &cell(k), name, &num(v.num())])?;
            }
        }
        if let Some(bal) = &b.balance {
            for o in &bal.owners {
                w.write_record(["balance", &cell(&o.owner), "open", &o.open.to_string()])?;
                w.write_record(["balance", &cell(&o.owner), "stale", &o.stale.to_string()])?;
            }
        }
    }
    for (m, t) in &r.targets {
        w.write_record(["target", "", m, &num(Some(t.target))])?;
        w.write_record(["achievement", "", m, &num(t.achievement)])?;
    }
    if !r.targets.is_empty() {
        w.write_record(["pace", "", "", &num(r.pace.share)])?;
    }
    w.write_record([
        "forecast",
        "",
        "open_appointments",
        &r.forecast.open_appointments.to_string(),
    ])?;
    w.write_record(["forecast", "", "expected", &num(Some(r.forecast.expected))])?;
    super::funnel_output::csv_sections(r, &mut w)?;
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// A metric value for a table: counts as numbers, rates as percentages, undefined as "—".
pub fn show(v: Value) -> String {
    match v {
        Value::Count(n) => n.to_string(),
        Value::Rate(Some(r)) => pct(r),
        Value::Rate(None) => "—".into(),
    }
}

fn show_change(c: compare::Change, rate: bool) -> String {
    let abs = match c.abs {
        None => return "—".into(),
        Some(a) if rate => {
            let p = (a * 1000.0).round() / 10.0;
            let s = if p.fract() == 0.0 {
                format!("{:.0}", p.abs())
            } else {
                format!("{:.1}", p.abs())
            };
            let sign = if p > 0.0 {
                "+"
            } else if p < 0.0 {
                "−"
            } else {
                "±"
            };
            format!("{sign}{s} pt")
        }
        Some(a) => {
            if a > 0.0 {
                format!("+{a:.0}")
            } else if a < 0.0 {
                format!("−{:.0}", a.abs())
            } else {
                "±0".into()
            }
        }
    };
    match c.rel {
        Some(rel) if !rate => format!("{abs} ({})", compare::signed_pct(rel)),
        _ => abs,
    }
}

/// Group digits: 1234567 → "1,234,567".
pub fn money(x: f64) -> String {
    let neg = x < 0.0;
    let n = x.abs().round() as u64;
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if neg { format!("-{out}") } else { out }
}

/// Aligned columns: the first left-aligned, the rest right-aligned.
pub(super) fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, s) in r.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
                line.push_str(&" ".repeat(widths[c].saturating_sub(width(s))));
                line.push_str(s);
            } else {
                line.push_str(&fit(s, widths[0]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// "Week 2026-11-23 – 2026-11-29".
pub fn period_title(s: &Span, lang: Lang) -> String {
    let name = match s.kind {
        Period::Day => lang.pick("Day", "日"),
        Period::Week => lang.pick("Week", "週"),
        Period::Month => lang.pick("Month", "月"),
    };
    if s.last_day() == s.start {
        format!("{name} {}", s.start)
    } else {
        format!("{name} {} – {}", s.start, s.last_day())
    }
}

/// The report as aligned text.
pub fn text(r: &Report, lang: Lang) -> String {
    let mut out = format!(
        "{} ({})\n\n",
        period_title(&r.span, lang),
        r.span.zone.name()
    );
    let mut head = vec![
        lang.pick("Metric", "指標").to_string(),
        lang.pick("Actual", "実績").into(),
    ];
    if r.previous.is_some() {
        head.push(lang.pick("Previous", "前期間").into());
        head.push(lang.pick("Change", "変化").into());
    }
    if !r.targets.is_empty() {
        head.push(lang.pick("Target", "目標").into());
        head.push(lang.pick("Achievement", "達成率").into());
    }
    let mut rows = vec![head];
    for (m, v) in r.metrics.values() {
        let mut row = vec![metrics::label(m, lang).to_string(), show(v)];
        if let Some(p) = &r.previous {
            let pv = p.metrics.get(m).unwrap_or(Value::Count(0));
            row.push(show(pv));
            row.push(show_change(compare::change(pv, v), v.is_rate()));
        }
        if !r.targets.is_empty() {
            match r.targets.get(m) {
                Some(t) => {
                    row.push(if v.is_rate() {
                        pct(t.target)
                    } else {
                        num(Some(t.target))
                    });
                    row.push(t.achievement.map(pct).unwrap_or_else(|| "—".into()));
                }
                None => {
                    row.push(String::new());
                    row.push(String::new());
                }
            }
        }
        rows.push(row);
    }
    out.push_str(&table(&rows));
    if !r.targets.is_empty() {
        out.push_str(&format!(
            "\n{}: {}/{} {} ({})\n",
            lang.pick("Pace", "進捗"),
            r.pace.elapsed,
            r.pace.total,
            lang.pick("business days", "営業日"),
            r.pace.share.map(pct).unwrap_or_else(|| "—".into())
        ));
    }
    if let Some(p) = &r.previous {
        out.push_str(&format!(
            "\n{} {} ({})\n{}\n",
            lang.pick("Compared with", "比較対象:"),
            period_title(&p.span, lang),
            super::fair::describe(p.basis, lang),
            compare::sentence(&p.metrics, &r.metrics, p.driver.as_ref(), lang)
        ));
    }
    if let Some(b) = &r.by {
        out.push('\n');
        out.push_str(&by_table(b.by, &b.rows, lang));
        if let Some(bal) = &b.balance {
            out.push('\n');
            out.push_str(&super::balance_output::text(bal, lang));
        }
    }
    out.push('\n');
    out.push_str(&forecast_text(&r.forecast, lang));
    super::funnel_output::text_sections(r, lang, &mut out);
    out
}

const BY_COLUMNS: &[&str] = &[
    "calls",
    "connects",
    "connect_rate",
    "appointments",
    "appointment_rate",
    "meetings_won",
    "appointment_win_rate",
    "leads_created",
];

fn by_table(by: ReportBy, rows: &[(String, Metrics)], lang: Lang) -> String {
    let key = match by {
        ReportBy::Source => lang.pick("Source", "リードソース"),
        ReportBy::Rep => lang.pick("Rep", "担当者"),
        ReportBy::Tier => lang.pick("Tier", "ティア"),
        ReportBy::Result => lang.pick("Result", "結果"),
        ReportBy::Reason => lang.pick("Reason", "理由"),
    };
    let mut t = vec![
        std::iter::once(key.to_string())
            .chain(
                BY_COLUMNS
                    .iter()
                    .map(|m| metrics::label(m, lang).to_string()),
            )
            .collect::<Vec<_>>(),
    ];
    for (k, m) in rows {
        let k = if k.is_empty() {
            lang.pick("(none)", "(なし)").to_string()
        } else {
            crate::domain::text::truncate(&sanitize_line(k), 24)
        };
        let mut row = vec![k];
        for c in BY_COLUMNS {
            row.push(m.get(c).map(show).unwrap_or_default());
        }
        t.push(row);
    }
    table(&t)
}

fn forecast_text(f: &super::forecast::Forecast, lang: Lang) -> String {
    let mut out = format!(
        "{}: {} {} · {} {}\n",
        lang.pick("Open SAL forecast", "Open SAL 予測"),
        f.open_appointments,
        lang.pick("open appointments", "件の未判定アポ"),
        lang.pick("expected", "見込み"),
        money(f.expected)
    );
    for (rank, e) in &f.by_rank {
        let rank = match rank.as_str() {
            "unrated" => lang.pick("unrated", "未評価").to_string(),
            "unqualified" => lang.pick("unqualified", "不適格").to_string(),
            _ => rank.clone(),
        };
        out.push_str(&format!(
            "  {} {}: {} · {}\n",
            lang.pick("Rank", "ランク"),
            rank,
            e.open_appointments,
            money(e.expected)
        ));
    }
    out
}
