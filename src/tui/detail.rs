//! The detail pane: company facts, the contact, phones and email, source, owner, zone, status,
//! next action, the ranking breakdown (Taskwarrior `task info` style) and the full history.
//! [`Detail`] is the model's cache of the selected lead; [`DetailPane`] is what the view needs.

use super::dial::Call;
use super::view::{ViewCtx, fmt_when, mm_ss, zone_label};
use crate::domain::ranking::{self, Band, Term, Weights};
use crate::domain::text::{fit, sanitize_line};
use crate::i18n::{Label, Lang, Phrase, reason_label};
use crate::store::{Activity, Lead, QueueRow};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// The selected lead, read fresh from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub lead: Lead,
    pub history: Vec<Activity>,
}

/// What the pane draws.
#[derive(Debug, Clone, Copy)]
pub struct DetailPane<'a> {
    pub detail: Option<&'a Detail>,
    /// The selected queue row (the ranking breakdown is shown when it is this lead's).
    pub row: Option<&'a QueueRow>,
    /// The call in progress (its timer is shown when it is this lead's).
    pub call: Option<&'a Call>,
    pub weights: &'a Weights,
}

fn s(x: &str) -> String {
    sanitize_line(x)
}

fn labelled(label: Phrase, value: String, lang: Lang, dim: Style) -> Line<'static> {
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
        Phrase::Phone,
        Phrase::Mobile,
        Phrase::Email,
        Phrase::Source,
        Phrase::Zone,
        Phrase::Status,
        Phrase::Next,
        Phrase::WhyShort,
    ]
    .iter()
    .map(|m| crate::domain::text::width(m.text(lang)))
    .max()
    .unwrap_or(8)
}

/// Facts, status, next action, the call timer and the ranking breakdown.
pub fn facts(vc: &ViewCtx, pane: &DetailPane, d: &Detail) -> Vec<Line<'static>> {
    let l = &d.lead;
    let mut lines = company_and_contact(vc, l);
    if l.do_not_call {
        let why = l.do_not_call_reason.as_deref().map(s).unwrap_or_default();
        lines.push(Line::styled(
            format!("{}: {why}", Phrase::DoNotCall.text(vc.lang)),
            vc.theme.error,
        ));
    }
    lines.extend(reach(vc, l));
    lines.extend(status_and_next(vc, l));
    if let Some(c) = pane.call.filter(|c| c.lead_id == l.id) {
        lines.push(Line::styled(
            format!(
                "{} {}  {}",
                Phrase::OnCall.text(vc.lang),
                s(&crate::domain::phone_format::shown(&c.phone, vc.region)),
                mm_ss(c.seconds(vc.now))
            ),
            vc.theme.ok,
        ));
    }
    let row = pane.row.filter(|r| r.id == l.id);
    if let (Some(r), Some(next_at)) = (row, l.next.as_ref().map(|n| n.due)) {
        lines.extend(why_here(vc, pane.weights, l, r, next_at));
    }
    lines
}

/// The facts for a short pane (80×24): what a rep needs before dialing first — company,
/// contact, status and next action, the phone, why the lead is here in one line — then the
/// rest as far as it fits.
pub fn facts_compact(vc: &ViewCtx, pane: &DetailPane, d: &Detail) -> Vec<Line<'static>> {
    let l = &d.lead;
    let mut lines = company_and_contact(vc, l);
    // The org line ("Dept … · Role …") waits until after the essentials.
    let org = (lines.len() > 2).then(|| lines.remove(2));
    if l.do_not_call {
        let why = l.do_not_call_reason.as_deref().map(s).unwrap_or_default();
        lines.push(Line::styled(
            format!("{}: {why}", Phrase::DoNotCall.text(vc.lang)),
            vc.theme.error,
        ));
    }
    lines.extend(status_and_next(vc, l));
    if let Some(c) = pane.call.filter(|c| c.lead_id == l.id) {
        lines.push(Line::styled(
            format!(
                "{} {}  {}",
                Phrase::OnCall.text(vc.lang),
                s(&crate::domain::phone_format::shown(&c.phone, vc.region)),
                mm_ss(c.seconds(vc.now))
            ),
            vc.theme.ok,
        ));
    }
    let row = pane.row.filter(|r| r.id == l.id);
    if let (Some(r), Some(next_at)) = (row, l.next.as_ref().map(|n| n.due)) {
        lines.push(why_line(vc, pane.weights, l, r, next_at));
    }
    lines.extend(reach(vc, l));
    lines.extend(org);
    lines
}

/// "Why here" in one line: the band and the score.
fn why_line(
    vc: &ViewCtx,
    weights: &Weights,
    l: &Lead,
    r: &QueueRow,
    next_at: chrono::DateTime<chrono::Utc>,
) -> Line<'static> {
    let lang = vc.lang;
    let e = ranking::explain(
        weights,
        r.band,
        l.tier,
        vc.now,
        next_at,
        l.created_at,
        l.touches,
    );
    let band = match e.band {
        Band::Callback => Phrase::BandCallback,
        Band::SpeedToLead => Phrase::BandSpeed,
        Band::Due => Phrase::BandDue,
    };
    Line::from(vec![
        Span::styled(
            format!("{} ", fit(Phrase::WhyShort.text(lang), label_width(lang))),
            vc.theme.dim,
        ),
        // The tier is on the company line already.
        Span::raw(format!("{} · {:+.1}", band.text(lang), e.score)),
    ])
}

/// The company line (tier, industry, size, website), the contact and their place in the org.
fn company_and_contact(vc: &ViewCtx, l: &Lead) -> Vec<Line<'static>> {
    let lang = vc.lang;
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
            Phrase::Employees.fill(lang, &[&e.to_string()]),
        );
    }
    lines.push(Line::from(vec![
        Span::styled(s(&l.company), vc.theme.header),
        Span::raw(format!("  {}", company.join(" · "))),
    ]));
    let mut who = s(&l.name);
    if !l.title.trim().is_empty() {
        who.push_str(&format!(" — {}", s(&l.title)));
    }
    lines.push(Line::styled(who, vc.theme.accent));
    let mut org = Vec::new();
    if !l.department.trim().is_empty() {
        org.push(format!("{} {}", Phrase::Dept.text(lang), s(&l.department)));
    }
    if let Some(r) = l.role {
        org.push(format!("{} {}", Phrase::Role.text(lang), r.label(lang)));
    }
    if !org.is_empty() {
        lines.push(Line::raw(org.join(" · ")));
    }
    lines
}

/// Phones, email, source and owner, and the lead's zone with its local time.
fn reach(vc: &ViewCtx, l: &Lead) -> Vec<Line<'static>> {
    let (lang, dim) = (vc.lang, vc.theme.dim);
    let dash = || "—".to_string();
    let mut lines = vec![labelled(
        Phrase::Phone,
        l.phone
            .as_deref()
            .map(|p| s(&crate::domain::phone_format::shown(p, vc.region)))
            .unwrap_or_else(dash),
        lang,
        dim,
    )];
    if let Some(m) = &l.mobile {
        let shown = s(&crate::domain::phone_format::shown(m, vc.region));
        lines.push(labelled(Phrase::Mobile, shown, lang, dim));
    }
    lines.push(labelled(
        Phrase::Email,
        l.email.as_deref().map(s).unwrap_or_else(dash),
        lang,
        dim,
    ));
    lines.push(labelled(
        Phrase::Source,
        format!(
            "{} · {} {}",
            s(&l.source),
            Phrase::Owner.text(lang),
            s(&l.owner)
        ),
        lang,
        dim,
    ));
    let crm: Vec<String> = [
        l.salesforce_id.as_ref().map(|i| format!("Salesforce {i}")),
        l.hubspot_id.as_ref().map(|i| format!("HubSpot {i}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !crm.is_empty() {
        lines.push(labelled(Phrase::Crm, s(&crm.join(" · ")), lang, dim));
    }
    let lz = l.zone(vc.zone);
    let local = lz.local_hhmm(vc.now);
    lines.push(labelled(
        Phrase::Zone,
        format!(
            "{} · {}",
            zone_label(&lz, lang),
            Phrase::LocalNow.fill(lang, &[&local])
        ),
        lang,
        dim,
    ));
    lines
}

/// The status (with the nurture reason) and the next action.
fn status_and_next(vc: &ViewCtx, l: &Lead) -> Vec<Line<'static>> {
    let (lang, dim) = (vc.lang, vc.theme.dim);
    let mut status = l.status.label(lang).to_string();
    if let Some(r) = &l.nurture_reason {
        status.push_str(&format!(
            " ({})",
            Phrase::NurtureReason.fill(lang, &[&reason_label(&s(r), lang)])
        ));
    }
    let next = match &l.next {
        Some(n) => {
            let mut t = format!(
                "{} · {} · {}",
                fmt_when(n.due, vc.zone, vc.now, lang),
                n.channel.label(lang),
                s(&n.owner)
            );
            if let Some(note) = n.note.as_deref().filter(|x| !x.trim().is_empty()) {
                t.push_str(&format!(" · {}", s(note)));
            }
            t
        }
        None => Phrase::NoNext.text(lang).to_string(),
    };
    vec![
        labelled(Phrase::Status, status, lang, dim),
        labelled(Phrase::Next, next, lang, dim),
    ]
}

/// "Why is this lead here": the band, the tier and every term of the score.
fn why_here(
    vc: &ViewCtx,
    weights: &Weights,
    l: &Lead,
    r: &QueueRow,
    next_at: chrono::DateTime<chrono::Utc>,
) -> Vec<Line<'static>> {
    let lang = vc.lang;
    let mut lines = vec![
        Line::raw(""),
        Line::styled(
            format!("── {} ──", Phrase::WhyTitle.text(lang)),
            vc.theme.header,
        ),
    ];
    let e = ranking::explain(
        weights,
        r.band,
        l.tier,
        vc.now,
        next_at,
        l.created_at,
        l.touches,
    );
    let band = match e.band {
        Band::Callback => Phrase::BandCallback,
        Band::SpeedToLead => Phrase::BandSpeed,
        Band::Due => Phrase::BandDue,
    };
    lines.push(Line::raw(format!(
        "{} {} · {} {}",
        Phrase::Band.text(lang),
        band.text(lang),
        Phrase::Tier.text(lang),
        e.tier
    )));
    for t in &e.terms {
        let (label, amount) = match *t {
            Term::Overdue { hours, .. } => (Phrase::TermOverdue, format!("{hours:.1} h")),
            Term::Age { days, .. } => (Phrase::TermAge, format!("{days:.1} d")),
            Term::Touches { touches, .. } => (Phrase::TermTouches, touches.to_string()),
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
            fit(Phrase::Score.text(lang), 10),
            "",
            e.score
        ),
        vc.theme.accent,
    ));
    lines
}

/// The full history, newest first.
pub fn history(vc: &ViewCtx, d: &Detail) -> Vec<Line<'static>> {
    let lang = vc.lang;
    let zone = vc.zone;
    let mut lines = vec![Line::styled(
        format!(
            "── {} ──",
            Phrase::HistoryTitle.fill(lang, &[&d.history.len().to_string()])
        ),
        vc.theme.header,
    )];
    if d.history.is_empty() {
        lines.push(Line::styled(
            Phrase::NoHistory.text(lang).to_string(),
            vc.theme.dim,
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
            None if a.kind == "note" => parts = vec![Phrase::NoteKind.text(lang).to_string()],
            None => {}
        }
        if let Some(r) = &a.reason {
            parts.push(reason_label(&s(r), lang));
        }
        if let Some(sec) = a.duration_s.filter(|x| *x > 0) {
            parts.push(format!("{}:{:02}", sec / 60, sec % 60));
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{when} "), vc.theme.dim),
            Span::raw(parts.join(" · ")),
        ]));
        if let Some(n) = a.note.as_deref().filter(|n| !n.trim().is_empty()) {
            lines.push(Line::raw(format!("  {}", s(n))));
        }
    }
    lines
}

/// Draw the pane: facts beside the history when wide (`Horizontal`), one column otherwise.
pub fn render(f: &mut Frame, area: Rect, vc: &ViewCtx, pane: &DetailPane, dir: Direction) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(vc.theme.border)
        .title(format!(" {} ", Phrase::DetailTitle.text(vc.lang)))
        .title_style(vc.theme.header);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(d) = pane.detail else { return };
    let mut facts = facts(vc, pane, d);
    // A short pane (80×24) would cut the status, the next action and "why here" off the
    // bottom: put them first instead.
    if dir == Direction::Horizontal && facts.len() > usize::from(inner.height) {
        facts = facts_compact(vc, pane, d);
    }
    let hist = history(vc, d);
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
