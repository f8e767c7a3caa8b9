//! The dashboard view: today and this week against the target and pace, the week's funnel step
//! by step with the leaking step, call results over 7 days, daily calls over 4 weeks,
//! appointments by source this month, leads per day, and the week-over-week driver sentence. Pure: draws a [`Dashboard`] computed by `report::dashboard`.
//! Readable without colour: every number is text, bars are block glyphs.

use crate::i18n::Lang;
use crate::report::Dashboard;
use crate::report::compare::pct;
use crate::report::metrics::Value;
use crate::report::output::show;
use chrono::{Datelike, NaiveDate, Weekday};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{BarChart, Block, Gauge, Paragraph, Sparkline, Wrap};

fn weekday(d: NaiveDate, lang: Lang) -> &'static str {
    let (en, ja) = match d.weekday() {
        Weekday::Mon => ("Mon", "月"),
        Weekday::Tue => ("Tue", "火"),
        Weekday::Wed => ("Wed", "水"),
        Weekday::Thu => ("Thu", "木"),
        Weekday::Fri => ("Fri", "金"),
        Weekday::Sat => ("Sat", "土"),
        Weekday::Sun => ("Sun", "日"),
    };
    lang.pick(en, ja)
}

/// A short result label that fits a 6-cell bar.
fn result_short(key: &str, lang: Lang) -> &'static str {
    let (en, ja) = match key {
        "unconnected" => ("Unconn", "未接続"),
        "recall" => ("Recall", "再架電"),
        "appointment" => ("Appt", "アポ"),
        "lost" => ("Lost", "失注"),
        "out_of_scope" => ("OOS", "対象外"),
        _ => ("None", "なし"),
    };
    lang.pick(en, ja)
}

fn block<'a>(title: String, bold: Style) -> Block<'a> {
    Block::bordered().title(Span::styled(title, bold))
}

/// The three styles the dashboard uses; without colour only bold remains.
struct Styles {
    bold: Style,
    accent: Style,
    good: Style,
}

impl Styles {
    fn new(color: bool) -> Styles {
        let fg = |c: Color| {
            if color {
                Style::default().fg(c)
            } else {
                Style::default()
            }
        };
        Styles {
            bold: Style::default().add_modifier(Modifier::BOLD),
            accent: fg(Color::Cyan),
            good: fg(Color::Green),
        }
    }
}

/// Draw the dashboard in `area`. From the top: today and this week (with a gauge of
/// appointments against the target only when there is one), the funnel step by step with its
/// leak beside the call results, then — when the area is 28 rows or taller — daily calls,
/// appointments by source and leads per day, and the week-over-week sentence. Fits 80×24.
pub fn render(frame: &mut Frame, area: Rect, d: &Dashboard, lang: Lang, color: bool) {
    let st = Styles::new(color);
    let has_target = d.appointment_target.is_some_and(|t| t > 0.0);
    let top_h = if has_target { 6 } else { 5 };
    let tall = area.height >= 28;
    let low_h = if tall { 8 } else { 0 };
    let [top, mid, low, bottom] = Layout::vertical([
        Constraint::Length(top_h),
        Constraint::Length(10),
        Constraint::Length(low_h),
        Constraint::Min(3),
    ])
    .areas(area);
    let [today_area, week_area] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(top);
    today(frame, today_area, d, lang, &st);
    this_week(frame, week_area, d, lang, &st);
    let [funnel_area, results_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(mid);
    funnel(frame, funnel_area, d, lang, &st);
    call_results(frame, results_area, d, lang, &st);
    if tall {
        let [spark_area, src_area, leads_area] = Layout::horizontal([
            Constraint::Percentage(34),
            Constraint::Percentage(33),
            Constraint::Percentage(33),
        ])
        .areas(low);
        daily_calls(frame, spark_area, d, lang, &st);
        by_source(frame, src_area, d, lang, &st);
        leads_per_day(frame, leads_area, d, lang, &st);
    }
    frame.render_widget(
        Paragraph::new(d.driver_sentence(lang))
            .wrap(Wrap { trim: true })
            .block(block(
                lang.pick("Week over week", "前週比").to_string(),
                st.bold,
            )),
        bottom,
    );
}

/// The week's funnel: a bar per step (its share of the leads worked), the count and the
/// conversion from the step before, then the leak in one sentence.
fn funnel(frame: &mut Frame, area: Rect, d: &Dashboard, lang: Lang, st: &Styles) {
    use crate::report::funnel::{Step, sentence};
    let fb = block(
        lang.pick("Funnel, this week", "ファネル(今週)").to_string(),
        st.bold,
    );
    let inner = fb.inner(area);
    frame.render_widget(fb, area);
    let [steps, leak] = Layout::vertical([Constraint::Length(5), Constraint::Min(1)]).areas(inner);
    let c = &d.funnel.counts;
    let top = c.worked.max(1) as f64;
    let label_w = Step::ALL
        .iter()
        .map(|s| crate::domain::text::width(s.short(lang)))
        .max()
        .unwrap_or(6);
    // label, count (5), conversion (6), and the bar in what is left.
    let bar_w = usize::from(inner.width).saturating_sub(label_w + 5 + 6 + 3);
    let leak_step = d.funnel.leak.map(|l| l.step);
    let lines: Vec<Line> = Step::ALL
        .iter()
        .map(|&s| {
            let n = c.of(s);
            let cells = ((n as f64 / top) * bar_w as f64).round() as usize;
            let rate = match s {
                Step::Worked => String::new(),
                _ => c.rate(s).map(pct).unwrap_or_else(|| "—".into()),
            };
            let text = format!(
                "{} {n:>5} {rate:>6} ",
                crate::domain::text::fit(s.short(lang), label_w)
            );
            let style = if leak_step == Some(s) {
                st.bold
            } else {
                Style::default()
            };
            Line::from(vec![
                Span::styled(text, style),
                Span::styled("█".repeat(cells.min(bar_w)), st.accent),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), steps);
    frame.render_widget(
        Paragraph::new(sentence(&d.funnel, lang)).wrap(Wrap { trim: true }),
        leak,
    );
}

/// Calls, connects and appointments with their rates: two lines.
fn counts(m: &crate::report::Metrics, lang: Lang) -> Vec<Line<'static>> {
    vec![
        Line::from(format!(
            "{} {}  {} {} ({})",
            lang.pick("Calls", "架電"),
            m.calls,
            lang.pick("Connects", "接続"),
            m.connects,
            show(Value::Rate(m.connect_rate))
        )),
        Line::from(match lang {
            Lang::En => format!(
                "Appts {} ({} of connects)",
                m.appointments,
                show(Value::Rate(m.appointment_rate))
            ),
            Lang::Ja => format!(
                "アポ {}(接続の{})",
                m.appointments,
                show(Value::Rate(m.appointment_rate))
            ),
        }),
    ]
}

fn today(frame: &mut Frame, area: Rect, d: &Dashboard, lang: Lang, st: &Styles) {
    let title = format!(
        "{} {} ({})",
        lang.pick("Today", "今日"),
        d.today_span.start.format("%m-%d"),
        weekday(d.today_span.start, lang)
    );
    frame.render_widget(
        Paragraph::new(counts(&d.today, lang)).block(block(title, st.bold)),
        area,
    );
}

/// This week's counts, the target line and a gauge of appointments against the target (or
/// of the week's pace when there is none).
fn this_week(frame: &mut Frame, area: Rect, d: &Dashboard, lang: Lang, st: &Styles) {
    let title = format!(
        "{} {} – {}",
        lang.pick("This week", "今週"),
        d.week_span.start.format("%m-%d"),
        d.week_span.last_day().format("%m-%d")
    );
    let wb = block(title, st.bold);
    let inner = wb.inner(area);
    frame.render_widget(wb, area);
    let mut lines = counts(&d.week, lang);
    let (gauge, target_line) = target(d, lang);
    lines.push(Line::from(target_line));
    // A bar only against a target: without one there is nothing to fill it towards.
    let [wtext, wgauge] = if gauge.is_some() {
        Layout::vertical([Constraint::Length(3), Constraint::Length(1)]).areas(inner)
    } else {
        Layout::vertical([Constraint::Min(1), Constraint::Length(0)]).areas(inner)
    };
    frame.render_widget(Paragraph::new(lines), wtext);
    if let Some((ratio, label)) = gauge {
        frame.render_widget(
            Gauge::default()
                .ratio(ratio)
                .label(label)
                .gauge_style(st.good)
                .use_unicode(true),
            wgauge,
        );
    }
}

/// The gauge's ratio and label (only against a target), and the sentence about the target
/// and the pace.
fn target(d: &Dashboard, lang: Lang) -> (Option<(f64, String)>, String) {
    let pace = d.pace.share.map(pct).unwrap_or_else(|| "—".into());
    match d.appointment_target {
        Some(target) if target > 0.0 => {
            let a = d.week.appointments as f64;
            let ach = d
                .pace
                .share
                .filter(|p| *p > 0.0)
                .map(|p| pct(a / (target * p)))
                .unwrap_or_else(|| "—".into());
            (
                Some((
                    (a / target).clamp(0.0, 1.0),
                    format!("{} / {target:.0}", d.week.appointments),
                )),
                format!(
                    "{} {} / {target:.0} · {} {} ({}/{}) · {} {ach}",
                    lang.pick("Target", "目標"),
                    d.week.appointments,
                    lang.pick("pace", "進捗"),
                    pace,
                    d.pace.elapsed,
                    d.pace.total,
                    lang.pick("achievement", "達成率"),
                ),
            )
        }
        _ => (
            None,
            match lang {
                Lang::En => format!(
                    "No appointment target · business day {} of {}",
                    d.pace.elapsed, d.pace.total
                ),
                Lang::Ja => format!(
                    "アポ目標なし · 営業日 {}/{} 経過",
                    d.pace.elapsed, d.pace.total
                ),
            },
        ),
    }
}

/// Call results over the last 7 days, a bar each.
fn call_results(frame: &mut Frame, area: Rect, d: &Dashboard, lang: Lang, st: &Styles) {
    let bars: Vec<(&str, u64)> = d
        .results_7d
        .iter()
        .map(|(k, n)| (result_short(k, lang), *n))
        .collect();
    frame.render_widget(
        BarChart::default()
            .block(block(
                lang.pick("Call results, last 7 days", "架電結果(直近7日)")
                    .to_string(),
                st.bold,
            ))
            .data(&bars)
            .bar_width(6)
            .bar_gap(1)
            .bar_style(st.accent)
            .value_style(Style::default().add_modifier(Modifier::REVERSED)),
        area,
    );
}

/// Calls per day over 4 weeks: a sparkline and a caption (first day, maximum, total).
fn daily_calls(frame: &mut Frame, area: Rect, d: &Dashboard, lang: Lang, st: &Styles) {
    let calls: Vec<u64> = d.daily_calls.iter().map(|(_, n)| *n).collect();
    let total: u64 = calls.iter().sum();
    let max = calls.iter().copied().max().unwrap_or(0);
    let sb = block(
        lang.pick("Calls per day, 4 weeks", "日別架電数(4週間)")
            .to_string(),
        st.bold,
    );
    let sinner = sb.inner(area);
    frame.render_widget(sb, area);
    let [spark, caption] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(sinner);
    frame.render_widget(Sparkline::default().data(&calls).style(st.accent), spark);
    let first = d
        .daily_calls
        .first()
        .map(|(d, _)| d.format("%m-%d").to_string());
    frame.render_widget(
        Paragraph::new(format!(
            "{} {} · {} {max} · {} {total}",
            lang.pick("from", "開始"),
            first.unwrap_or_default(),
            lang.pick("max", "最大"),
            lang.pick("total", "合計"),
        )),
        caption,
    );
}

/// Appointments by lead source this month, as many as fit.
fn by_source(frame: &mut Frame, area: Rect, d: &Dashboard, lang: Lang, st: &Styles) {
    let lines: Vec<Line> = if d.month_by_source.is_empty() {
        vec![Line::from(lang.pick("No appointments yet", "アポなし"))]
    } else {
        let w = area.width.saturating_sub(12) as usize;
        d.month_by_source
            .iter()
            .take(area.height.saturating_sub(2) as usize)
            .map(|(s, n)| {
                let name = if s.is_empty() {
                    lang.pick("(none)", "(なし)").to_string()
                } else {
                    crate::domain::text::sanitize_line(s)
                };
                Line::from(format!("{} {n:>5}", crate::domain::text::fit(&name, w)))
            })
            .collect()
    };
    frame.render_widget(
        Paragraph::new(lines).block(block(
            lang.pick("Appts by source, this month", "リードソース別アポ(今月)")
                .to_string(),
            st.bold,
        )),
        area,
    );
}

/// Leads created per day over 7 days, a bar per weekday.
fn leads_per_day(frame: &mut Frame, area: Rect, d: &Dashboard, lang: Lang, st: &Styles) {
    let leads: Vec<(&str, u64)> = d
        .leads_7d
        .iter()
        .map(|(day, n)| (weekday(*day, lang), *n))
        .collect();
    frame.render_widget(
        BarChart::default()
            .block(block(
                lang.pick("Leads created per day, 7 days", "日別新規リード(7日)")
                    .to_string(),
                st.bold,
            ))
            .data(&leads)
            .bar_width(3)
            .bar_gap(1)
            .bar_style(st.accent)
            .value_style(Style::default().add_modifier(Modifier::REVERSED)),
        area,
    );
}
