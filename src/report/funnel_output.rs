//! Output of the funnel, speed-to-lead and reasons sections of `kaden report`: aligned text in
//! English or Japanese, JSON values, CSV rows (`scope,key,metric,value`).

use super::funnel::{Basis, Funnel, Judged, Step, sentence};
use super::output::{cell, num, table};
use super::reasons::{Reasons, result_label};
use super::speed::{Speed, SpeedRow, duration};
use crate::domain::text::{fit, width};
use crate::domain::text::{sanitize_line, truncate};
use crate::i18n::{Lang, reason_label};
use serde_json::{Value as J, json};

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

fn opt_pct(x: Option<f64>) -> String {
    x.map(pct).unwrap_or_else(|| "—".into())
}

fn key_label(k: &str, lang: Lang) -> String {
    if k.is_empty() {
        lang.pick("(none)", "(なし)").to_string()
    } else {
        truncate(&sanitize_line(k), 24)
    }
}

/// Aligned columns like [`table`], but the columns in `left` are left-aligned text.
fn table_left(rows: &[Vec<String>], left: &[usize]) -> String {
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
            }
            if c == 0 || left.contains(&c) {
                line.push_str(&fit(s, widths[c]));
            } else {
                line.push_str(&" ".repeat(widths[c].saturating_sub(width(s))));
                line.push_str(s);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The funnel as a table and its leak sentence.
pub fn funnel_text(f: &Funnel, lang: Lang) -> String {
    let mut out = format!("{}\n", lang.pick("Funnel", "ファネル"));
    let mut rows = vec![vec![
        lang.pick("Step", "ステップ").to_string(),
        lang.pick("Count", "件数").into(),
        lang.pick("Conversion", "転換率").into(),
        lang.pick("Benchmark", "基準").into(),
    ]];
    for s in &f.total.steps {
        let conv = match (s.step, f.total.counts.conversion(s.step)) {
            (Step::Held, Some((n, d))) => format!(
                "{} ({n}/{d} {})",
                opt_pct(s.rate),
                lang.pick("due", "実施予定日経過")
            ),
            (Step::Won, Some((n, d))) => format!(
                "{} ({n}/{d} {})",
                opt_pct(s.rate),
                lang.pick("decided", "結果報告済")
            ),
            (Step::Worked, _) => String::new(),
            _ => opt_pct(s.rate),
        };
        let bench = match (s.benchmark, s.basis) {
            (Some(b), Some(Basis::Target)) => format!("{} {}", pct(b), lang.pick("target", "目標")),
            (Some(b), _) => format!("{} {}", pct(b), lang.pick("previous", "前期")),
            _ => String::new(),
        };
        rows.push(vec![
            s.step.label(lang).into(),
            s.count.to_string(),
            conv,
            bench,
        ]);
    }
    out.push_str(&table_left(&rows, &[2, 3]));
    out.push_str(&sentence(&f.total, lang));
    out.push('\n');
    if !f.won_by_rank.is_empty() {
        let parts: Vec<String> = f
            .won_by_rank
            .iter()
            .map(|(k, w, n)| {
                let rank = if k == "unrated" {
                    lang.pick("unrated", "未評価").to_string()
                } else {
                    k.clone()
                };
                format!("{rank} {w}/{n} ({})", pct(*w as f64 / (*n).max(1) as f64))
            })
            .collect();
        out.push_str(&format!(
            "{}: {}\n",
            lang.pick(
                "Appointment → won by Open SAL rank (judged this period)",
                "Open SALランク別 アポ→受注（今期に結果報告）"
            ),
            parts.join(" · ")
        ));
    }
    if !f.by.is_empty() {
        out.push('\n');
        out.push_str(&by_text(&f.by, lang));
    }
    out
}

fn by_text(by: &[(String, Judged)], lang: Lang) -> String {
    let mut head = vec![lang.pick("Key", "区分").to_string()];
    head.extend(Step::ALL.iter().map(|s| s.short(lang).to_string()));
    head.push(lang.pick("Leaks at", "漏れ").into());
    let mut rows = vec![head];
    for (k, j) in by {
        let mut row = vec![key_label(k, lang)];
        for s in Step::ALL {
            let c = j.counts.of(s);
            row.push(match j.counts.rate(s) {
                Some(r) if s != Step::Worked => format!("{c} ({})", pct(r)),
                _ => c.to_string(),
            });
        }
        row.push(
            j.leak
                .map(|l| {
                    format!(
                        "{}→{}",
                        super::funnel::before(l.step).short(lang),
                        l.step.short(lang)
                    )
                })
                .unwrap_or_default(),
        );
        rows.push(row);
    }
    table(&rows)
}

fn judged_json(j: &Judged, lang: Lang) -> J {
    json!({
        "counts": j.counts,
        "steps": j.steps,
        "leak": j.leak,
        "summary": sentence(j, lang),
    })
}

/// The funnel as JSON: the period's steps, counts, leak and summary, the previous period's
/// counts, and per breakdown key (`by`).
pub fn funnel_json(f: &Funnel, lang: Lang) -> J {
    let by: Vec<J> =
        f.by.iter()
            .map(|(k, j)| {
                let mut v = judged_json(j, lang);
                if let Some(o) = v.as_object_mut() {
                    o.insert("key".into(), J::from(sanitize_line(k)));
                }
                v
            })
            .collect();
    let mut v = judged_json(&f.total, lang);
    if let Some(o) = v.as_object_mut() {
        o.insert("previous".into(), json!(f.previous));
        let ranks: Vec<J> = f
            .won_by_rank
            .iter()
            .map(|(k, w, n)| json!({"rank": k, "won": w, "judged": n}))
            .collect();
        o.insert("won_by_rank".into(), J::Array(ranks));
        if !by.is_empty() {
            o.insert("by".into(), J::Array(by));
        }
    }
    v
}

/// CSV rows of the funnel: `funnel,KEY,STEP,count` and `funnel_rate,KEY,STEP,rate`, `leak,KEY,STEP,`.
pub fn funnel_csv(f: &Funnel, w: &mut csv::Writer<Vec<u8>>) -> anyhow::Result<()> {
    let all =
        std::iter::once((String::new(), &f.total)).chain(f.by.iter().map(|(k, j)| (k.clone(), j)));
    for (k, j) in all {
        let k = cell(&k);
        for s in &j.steps {
            w.write_record(["funnel", &k, s.step.key(), &s.count.to_string()])?;
            if s.step != Step::Worked {
                w.write_record(["funnel_rate", &k, s.step.key(), &num(s.rate)])?;
            }
        }
        if let Some(l) = j.leak {
            w.write_record(["leak", &k, l.step.key(), &num(Some(l.rate))])?;
        }
    }
    for (rank, won, judged) in &f.won_by_rank {
        w.write_record(["won_by_rank", rank, "won", &won.to_string()])?;
        w.write_record(["won_by_rank", rank, "judged", &judged.to_string()])?;
    }
    Ok(())
}

fn speed_line(r: &SpeedRow, sla: u32, lang: Lang) -> String {
    let median = r.median_s.map(duration).unwrap_or_else(|| "—".into());
    match lang {
        Lang::En => format!(
            "median {median} to the first touch, {} within {sla} min ({} of {}); {} of {} new leads touched",
            opt_pct(r.share),
            r.within_sla,
            r.judged,
            r.touched,
            r.leads
        ),
        Lang::Ja => format!(
            "初回接触まで中央値 {median}、{sla}分以内 {}（{}/{}）、新規 {} 件中 {} 件に接触",
            opt_pct(r.share),
            r.within_sla,
            r.judged,
            r.leads,
            r.touched
        ),
    }
}

/// Speed-to-lead: one line in total; with `detail`, tables by source and by rep.
pub fn speed_text(s: &Speed, detail: bool, lang: Lang) -> String {
    let mut out = format!(
        "{}: {}\n",
        lang.pick("Speed to lead", "スピード・トゥ・リード"),
        speed_line(&s.total, s.sla_minutes, lang)
    );
    if detail && s.total.leads > 0 {
        for (title, rows) in [
            (lang.pick("Source", "リードソース"), &s.by_source),
            (lang.pick("Rep", "担当者"), &s.by_rep),
        ] {
            let mut t = vec![vec![
                title.to_string(),
                lang.pick("New leads", "新規").into(),
                lang.pick("Touched", "接触済").into(),
                lang.pick("Median", "中央値").into(),
                format!("≤ {} min", s.sla_minutes),
            ]];
            for r in rows {
                t.push(vec![
                    key_label(&r.key, lang),
                    r.leads.to_string(),
                    r.touched.to_string(),
                    r.median_s.map(duration).unwrap_or_else(|| "—".into()),
                    opt_pct(r.share),
                ]);
            }
            out.push('\n');
            out.push_str(&table(&t));
        }
    }
    out
}

/// CSV rows of speed-to-lead: `speed,KEY,METRIC,value` (KEY `""`, `source:NAME`, `rep:NAME`).
pub fn speed_csv(s: &Speed, w: &mut csv::Writer<Vec<u8>>) -> anyhow::Result<()> {
    let rows = std::iter::once(("".to_string(), &s.total))
        .chain(s.by_source.iter().map(|r| (format!("source:{}", r.key), r)))
        .chain(s.by_rep.iter().map(|r| (format!("rep:{}", r.key), r)));
    for (k, r) in rows {
        let k = cell(&k);
        w.write_record(["speed", &k, "leads", &r.leads.to_string()])?;
        w.write_record(["speed", &k, "touched", &r.touched.to_string()])?;
        w.write_record(["speed", &k, "median_s", &num(r.median_s.map(|x| x as f64))])?;
        w.write_record(["speed", &k, "within_sla", &r.within_sla.to_string()])?;
        w.write_record(["speed", &k, "share_within_sla", &num(r.share)])?;
    }
    Ok(())
}

/// The reasons table: result, reason, count, share of the result, sources.
pub fn reasons_text(r: &Reasons, lang: Lang) -> String {
    let mut out = format!(
        "{}\n",
        lang.pick(
            "Reasons (unconnected, lost, out of scope)",
            "理由別（未接続・失注・対象外）"
        )
    );
    if r.rows.is_empty() {
        out.push_str(lang.pick(
            "No such touches in the period.\n",
            "該当する接触はありません。\n",
        ));
        return out;
    }
    let mut t = vec![vec![
        lang.pick("Result", "結果").to_string(),
        lang.pick("Reason", "理由").into(),
        lang.pick("Count", "件数").into(),
        lang.pick("Share", "割合").into(),
        lang.pick("By source", "リードソース別").into(),
    ]];
    for row in &r.rows {
        let reason = if row.reason.is_empty() {
            lang.pick("(none)", "(なし)").to_string()
        } else {
            reason_label(&sanitize_line(&row.reason), lang)
        };
        let sources: Vec<String> = row
            .by_source
            .iter()
            .map(|(s, n)| format!("{} {n}", key_label(s, lang)))
            .collect();
        t.push(vec![
            result_label(row.result, lang),
            reason,
            row.count.to_string(),
            pct(row.share),
            sources.join(" · "),
        ]);
    }
    out.push_str(&table_left(&t, &[1, 4]));
    out.push_str(lang.pick(
        "The leads behind a reason: kaden export leads --reason REASON [--since DATE]\n",
        "理由ごとのリード一覧: kaden export leads --reason 理由 [--since 日付]\n",
    ));
    out
}

/// CSV rows of the reasons: `reason,RESULT/REASON,SOURCE,count`.
pub fn reasons_csv(r: &Reasons, w: &mut csv::Writer<Vec<u8>>) -> anyhow::Result<()> {
    for row in &r.rows {
        let k = cell(&format!("{}/{}", row.result, row.reason));
        w.write_record(["reason", &k, "", &row.count.to_string()])?;
        for (s, n) in &row.by_source {
            w.write_record(["reason", &k, &cell(s), &n.to_string()])?;
        }
    }
    Ok(())
}

/// The report's funnel, speed-to-lead and (with `--by reason`) reasons, as text after the rest.
pub fn text_sections(r: &super::Report, lang: Lang, out: &mut String) {
    out.push('\n');
    out.push_str(&funnel_text(&r.funnel, lang));
    out.push('\n');
    let detail = matches!(
        r.by.as_ref().map(|b| b.by),
        Some(crate::cli::ReportBy::Source | crate::cli::ReportBy::Rep)
    );
    out.push_str(&speed_text(&r.speed, detail, lang));
    if let Some(reasons) = &r.reasons {
        out.push('\n');
        out.push_str(&reasons_text(reasons, lang));
    }
}

/// The same as JSON members: `funnel`, `speed_to_lead`, `reasons`.
pub fn json_sections(r: &super::Report, lang: Lang, o: &mut serde_json::Map<String, J>) {
    o.insert("funnel".into(), funnel_json(&r.funnel, lang));
    o.insert(
        "speed_to_lead".into(),
        serde_json::to_value(&r.speed).unwrap_or(J::Null),
    );
    if let Some(reasons) = &r.reasons {
        o.insert(
            "reasons".into(),
            serde_json::to_value(reasons).unwrap_or(J::Null),
        );
    }
}

/// The same as CSV rows.
pub fn csv_sections(r: &super::Report, w: &mut csv::Writer<Vec<u8>>) -> anyhow::Result<()> {
    funnel_csv(&r.funnel, w)?;
    speed_csv(&r.speed, w)?;
    if let Some(reasons) = &r.reasons {
        reasons_csv(reasons, w)?;
    }
    Ok(())
}
