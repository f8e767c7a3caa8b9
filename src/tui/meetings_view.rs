//! The "meetings to report" view (`Tab`): meetings whose time has passed without a result,
//! oldest first, one row each: meeting time, company, contact, Open SAL rank, expected amount,
//! who booked it, and whether it was already reported held. Every data string is sanitised.

use super::view::{ViewCtx, fmt_when};
use crate::domain::text::{fit, sanitize_line, width};
use crate::i18n::Phrase;
use crate::report::output::money;
use crate::store::MeetingDue;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// What the view draws.
#[derive(Debug, Clone, Copy)]
pub struct MeetingsTable<'a> {
    pub rows: &'a [MeetingDue],
    pub selected: usize,
    /// `[meetings] reapproach_days`, for the hint line.
    pub reapproach_days: u32,
}

fn line(cells: &[(&str, usize, bool)]) -> String {
    let mut s = String::new();
    for (i, (c, w, right)) in cells.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        if *right {
            let t = crate::domain::text::truncate(c, *w);
            s.push_str(&" ".repeat(w.saturating_sub(width(&t))));
            s.push_str(&t);
        } else {
            s.push_str(&fit(c, *w));
        }
    }
    s
}

pub fn render(f: &mut Frame, area: Rect, vc: &ViewCtx, t: &MeetingsTable) {
    let lang = vc.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(vc.theme.border)
        .title(format!(
            " {} ({}) ",
            Phrase::ViewMeetings.text(lang),
            t.rows.len()
        ))
        .title_style(vc.theme.header);
    let days = t.reapproach_days.to_string();
    let hint = Line::styled(Phrase::MeetingsHint.fill(lang, &[&days]), vc.theme.dim);
    if t.rows.is_empty() {
        let lines = vec![
            Line::styled(Phrase::MeetingsNone.text(lang).to_string(), vc.theme.accent),
            Line::raw(""),
            hint,
        ];
        f.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let inner = usize::from(area.width.saturating_sub(2));
    // marker, meeting (16), rank (6), expected (11), state (16), booked by (10): the rest is
    // shared by company and contact.
    let state_w = [Phrase::MeetingStateHeld, Phrase::MeetingStateDue]
        .iter()
        .map(|p| width(p.text(lang)))
        .max()
        .unwrap_or(10)
        .min(16);
    let fixed = 1 + 16 + 6 + 11 + state_w + 10 + 6;
    let rest = inner.saturating_sub(fixed).max(16);
    let company = rest * 55 / 100;
    let contact = rest - company;
    let widths = [16, company, contact, 6, 11, 10, state_w];
    let head = [
        Phrase::ColMeeting,
        Phrase::ColCompany,
        Phrase::ColContact,
        Phrase::ColSalRank,
        Phrase::ColExpected,
        Phrase::ColBookedBy,
        Phrase::ColState,
    ]
    .map(|p| p.text(lang));
    let right = [false, false, false, false, true, false, false];
    fn cells(c: [&str; 7], widths: [usize; 7], right: [bool; 7]) -> Vec<(&str, usize, bool)> {
        c.iter()
            .zip(widths)
            .zip(right)
            .map(|((s, w), r)| (*s, w, r))
            .collect()
    }
    let mut lines = vec![Line::styled(
        format!(" {}", line(&cells(head, widths, right))),
        vc.theme.header,
    )];
    let visible = usize::from(area.height.saturating_sub(4));
    let offset = (t.selected + 1).saturating_sub(visible);
    for (i, m) in t.rows.iter().enumerate().skip(offset).take(visible) {
        let when = fmt_when(m.meeting_at, vc.zone, vc.now, lang);
        let company = sanitize_line(&m.company);
        let name = sanitize_line(&m.name);
        let amount = m.amount.map(money).unwrap_or_default();
        let rep = sanitize_line(&m.rep);
        let state = if m.held {
            Phrase::MeetingStateHeld
        } else {
            Phrase::MeetingStateDue
        }
        .text(lang);
        let row = [
            when.as_str(),
            &company,
            &name,
            m.sal_rank.as_deref().unwrap_or("—"),
            &amount,
            &rep,
            state,
        ];
        let selected = i == t.selected;
        let text = format!(
            "{}{}",
            if selected { ">" } else { " " },
            line(&cells(row, widths, right))
        );
        lines.push(if selected {
            Line::styled(text, vc.theme.selected)
        } else {
            Line::raw(text)
        });
    }
    lines.push(Line::raw(""));
    lines.push(hint);
    f.render_widget(Paragraph::new(lines).block(block), area);
}
