//! The dashboard view: today and this week against the target and pace, call results and leads
//! over 7 days, daily calls over 4 weeks, appointments by source this month, and the
//! week-over-week driver sentence. Pure: draws a [`Dashboard`] computed by `report::dashboard`.
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

/// Draw the dashboard in `area` (designed for 100×30 and up): four bands, top to bottom.
pub fn render(frame: &mut Frame, area: Rect, d: &Dashboard, lang: Lang, color: bool) {
    let st = Styles::new(color);
    let [top, mid, low, bottom] = Layout::vertical([
        Constraint::Length(6),
        Constraint::Min(8),
        Constraint::Length(8),
        Constraint::Length(4),
    ])
    .areas(area);
    let [today_area, week_area] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(top);
    today(frame, today_area, d, lang, &st);
    this_week(frame, week_area, d, lang, &st);
    let [results_area, spark_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(mid);
    call_results(frame, results_area, d, lang, &st);
    daily_calls(frame, spark_area, d, lang, &st);
    let [src_area, leads_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(low);
    by_source(frame, src_area, d, lang, &st);
    leads_per_day(frame, leads_area, d, lang, &st);
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
        Line::from(format!(
            "{} {}  {} {}",
            lang.pick("Appointments", "アポ"),
            m.appointments,
            lang.pick("per connect", "接続あたり"),
            show(Value::Rate(m.appointment_rate))
        )),
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
    let [wtext, wgauge] =
        Layout::vertical([Constraint::Length(3), Constraint::Length(1)]).areas(inner);
    let mut lines = counts(&d.week, lang);
    let (ratio, gauge_label, target_line) = target(d, lang);
    lines.push(Line::from(target_line));
    frame.render_widget(Paragraph::new(lines), wtext);
    frame.render_widget(
        Gauge::default()
            .ratio(ratio)
            .label(gauge_label)
            .gauge_style(st.good)
            .use_unicode(true),
        wgauge,
    );
}

/// The gauge's ratio and label, and the sentence about the target and the pace.
fn target(d: &Dashboard, lang: Lang) -> (f64, String, String) {
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
                (a / target).clamp(0.0, 1.0),
                format!("{} / {target:.0}", d.week.appointments),
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
            d.pace.share.unwrap_or(0.0).clamp(0.0, 1.0),
            format!("{} {pace}", lang.pick("pace", "進捗")),
            format!(
                "{} · {} {} ({}/{})",
                lang.pick("No appointment target", "アポ目標なし"),
                lang.pick("pace", "進捗"),
                pace,
                d.pace.elapsed,
                d.pace.total
            ),
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
            lang.pick(
                "Appointments by source, this month",
                "リードソース別アポ(今月)",
            )
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
            .bar_width(4)
            .bar_gap(2)
            .bar_style(st.accent)
            .value_style(Style::default().add_modifier(Modifier::REVERSED)),
        area,
    );
}
