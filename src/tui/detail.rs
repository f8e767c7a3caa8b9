//! The detail pane: company facts, the contact, phones and email, source, owner, zone, status,
//! next action, the ranking breakdown (Taskwarrior `task info` style) and the full history.

use super::app::{App, Detail};
use super::fmt_when;
use crate::domain::ranking::{self, Band, Term};
use crate::domain::text::{fit, sanitize_line};
use crate::i18n::{Label, Lang, Msg, reason_label};
use crate::store::QueueRow;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

fn s(x: &str) -> String {
    sanitize_line(x)
}

fn labelled(label: Msg, value: String, lang: Lang, dim: Style) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!("{} ", fit(label.text(lang), label_width(lang))),
            dim,
        ),
        Span::raw(value),
    ])
}

/// The width of the field labels in `lang` (the widest one).
fn label_width(lang: Lang) -> usize {
    [
        Msg::Phone,
        Msg::Mobile,
        Msg::Email,
        Msg::Source,
        Msg::Zone,
        Msg::Status,
        Msg::Next,
    ]
    .iter()
    .map(|m| crate::domain::text::width(m.text(lang)))
    .max()
    .unwrap_or(8)
}

/// Facts, status, next action and the ranking breakdown.
pub fn facts(app: &App, d: &Detail, row: Option<&QueueRow>) -> Vec<Line<'static>> {
    let lang = app.lang;
    let dim = app.theme.dim;
    let l = &d.lead;
    let now = app.now();
    let mut lines = Vec::new();
    let mut company = vec![l.tier.to_string()];
    for x in [&l.industry, &l.website] {
        if !x.trim().is_empty() {
            company.push(s(x));
        }
    }
    if let Some(e) = l.employees {
        company.insert(
            2.min(company.len()),
            Msg::Employees.fill(lang, &[&e.to_string()]),
        );
    }
    lines.push(Line::from(vec![
        Span::styled(s(&l.company), app.theme.header),
        Span::raw(format!("  {}", company.join(" · "))),
    ]));
    let mut who = s(&l.name);
    if !l.title.trim().is_empty() {
        who.push_str(&format!(" — {}", s(&l.title)));
    }
    lines.push(Line::styled(who, app.theme.accent));
    let mut org = Vec::new();
    if !l.department.trim().is_empty() {
        org.push(format!("{} {}", Msg::Dept.text(lang), s(&l.department)));
    }
    if let Some(r) = l.role {
        org.push(format!("{} {}", Msg::Role.text(lang), r.label(lang)));
    }
    if !org.is_empty() {
        lines.push(Line::raw(org.join(" · ")));
    }
    let dash = || "—".to_string();
    lines.push(labelled(
        Msg::Phone,
        l.phone.as_deref().map(s).unwrap_or_else(dash),
        lang,
        dim,
    ));
    if let Some(m) = &l.mobile {
        lines.push(labelled(Msg::Mobile, s(m), lang, dim));
    }
    lines.push(labelled(
        Msg::Email,
        l.email.as_deref().map(s).unwrap_or_else(dash),
        lang,
        dim,
    ));
    lines.push(labelled(
        Msg::Source,
        format!(
            "{} · {} {}",
            s(&l.source),
            Msg::Owner.text(lang),
            s(&l.owner)
        ),
        lang,
        dim,
    ));
    let local = now.with_timezone(&l.zone()).format("%H:%M").to_string();
    lines.push(labelled(
        Msg::Zone,
        format!(
            "{} · {}",
            s(&l.time_zone),
            Msg::LocalNow.fill(lang, &[&local])
        ),
        lang,
        dim,
    ));
    let mut status = l.status.label(lang).to_string();
    if let Some(r) = &l.nurture_reason {
        status.push_str(&format!(
            " ({})",
            Msg::NurtureReason.fill(lang, &[&reason_label(&s(r), lang)])
        ));
    }
    lines.push(labelled(Msg::Status, status, lang, dim));
    let next = match &l.next {
        Some(n) => {
            let mut t = format!(
                "{} · {} · {}",
                fmt_when(n.due, app.cfg.time_zone, now, lang),
                n.channel.label(lang),
                s(&n.owner)
            );
            if let Some(note) = n.note.as_deref().filter(|x| !x.trim().is_empty()) {
                t.push_str(&format!(" · {}", s(note)));
            }
            t
        }
        None => Msg::NoNext.text(lang).to_string(),
    };
    lines.push(labelled(Msg::Next, next, lang, dim));
    if let Some(c) = app.call.as_ref().filter(|c| c.lead_id == l.id) {
        let sec = c.seconds(now);
        lines.push(Line::styled(
            format!(
                "{} {}  {:02}:{:02}",
                Msg::OnCall.text(lang),
                c.phone,
                sec / 60,
                sec % 60
            ),
            app.theme.ok,
        ));
    }
    if let (Some(r), Some(next_at)) = (row, l.next.as_ref().map(|n| n.due)) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("── {} ──", Msg::WhyTitle.text(lang)),
            app.theme.header,
        ));
        let e = ranking::explain(
            &app.cfg.weights,
            r.band,
            l.tier,
            now,
            next_at,
            l.created_at,
            l.touches,
        );
        let band = match e.band {
            Band::Callback => Msg::BandCallback,
            Band::SpeedToLead => Msg::BandSpeed,
            Band::Due => Msg::BandDue,
        };
        lines.push(Line::raw(format!(
            "{} {} · {} {}",
            Msg::Band.text(lang),
            band.text(lang),
            Msg::Tier.text(lang),
            e.tier
        )));
        for t in &e.terms {
            let (label, amount) = match *t {
                Term::Overdue { hours, .. } => (Msg::TermOverdue, format!("{hours:.1} h")),
                Term::Age { days, .. } => (Msg::TermAge, format!("{days:.1} d")),
                Term::Touches { touches, .. } => (Msg::TermTouches, touches.to_string()),
            };
            lines.push(Line::raw(format!(
                "  {} {:>10} {:>9.2}",
                fit(label.text(lang), 10),
                amount,
                t.points()
            )));
        }
        lines.push(Line::styled(
            format!(
                "  {} {:>10} {:>9.2}",
                fit(Msg::Score.text(lang), 10),
                "",
                e.score
            ),
            app.theme.accent,
        ));
    }
    lines
}

/// The full history, newest first.
pub fn history(app: &App, d: &Detail) -> Vec<Line<'static>> {
    let lang = app.lang;
    let zone = app.cfg.time_zone;
    let mut lines = vec![Line::styled(
        format!(
            "── {} ──",
            Msg::HistoryTitle.fill(lang, &[&d.history.len().to_string()])
        ),
        app.theme.header,
    )];
    if d.history.is_empty() {
        lines.push(Line::styled(
            Msg::NoHistory.text(lang).to_string(),
            app.theme.dim,
        ));
    }
    for a in &d.history {
        let when =
            a.at.with_timezone(&zone)
                .format("%Y-%m-%d %H:%M")
                .to_string();
        let mut parts = vec![a.channel.label(lang).to_string()];
        match a.result {
            Some(r) => parts.push(r.label(lang).to_string()),
            None if a.kind == "note" => parts = vec![Msg::NoteKind.text(lang).to_string()],
            None => {}
        }
        if let Some(r) = &a.reason {
            parts.push(reason_label(&s(r), lang));
        }
        if let Some(sec) = a.duration_s.filter(|x| *x > 0) {
            parts.push(format!("{}:{:02}", sec / 60, sec % 60));
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{when} "), app.theme.dim),
            Span::raw(parts.join(" · ")),
        ]));
        if let Some(n) = a.note.as_deref().filter(|n| !n.trim().is_empty()) {
            lines.push(Line::raw(format!("  {}", s(n))));
        }
    }
    lines
}

pub fn render(app: &App, f: &mut Frame, area: Rect, dir: Direction) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(app.theme.border)
        .title(format!(" {} ", Msg::DetailTitle.text(app.lang)))
        .title_style(app.theme.header);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(d) = &app.detail else { return };
    let row = app.selected_row().filter(|r| r.id == d.lead.id);
    let facts = facts(app, d, row);
    let hist = history(app, d);
    let wrap = Wrap { trim: false };
    match dir {
        Direction::Horizontal => {
            let cols = Layout::horizontal([Constraint::Percentage(52), Constraint::Percentage(48)])
                .spacing(1)
                .split(inner);
            f.render_widget(Paragraph::new(facts).wrap(wrap), cols[0]);
            f.render_widget(Paragraph::new(hist).wrap(wrap), cols[1]);
        }
        Direction::Vertical => {
            let mut all = facts;
            all.push(Line::raw(""));
            all.extend(hist);
            f.render_widget(Paragraph::new(all).wrap(wrap), inner);
        }
    }
}
