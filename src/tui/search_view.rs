//! The search results: every lead found, whatever its status, each with where it stands today
//! ("in today's queue", "not due · next Wed 11-25 10:00", "not in the queue (Meeting won)", "do
//! not call", …). Widths are terminal cells; every data string is sanitised before a cell.

use super::search::Search;
use super::view::{ViewCtx, fmt_when};
use crate::config::Config;
use crate::domain::LeadStatus;
use crate::domain::text::{fit, sanitize_line, width};
use crate::domain::zone::LeadZone;
use crate::i18n::{Label, Phrase};
use crate::store::{SearchHit, Standing};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

/// What the results list draws.
#[derive(Debug, Clone, Copy)]
pub struct SearchList<'a> {
    pub search: &'a Search,
    pub cfg: &'a Config,
    /// The rep whose claims are their own.
    pub me: Option<&'a str>,
    /// The queue's owner filter (`--as REP` without "everyone's").
    pub owner: Option<&'a str>,
}

/// Where a hit stands, in words.
pub fn standing_text(vc: &ViewCtx, cfg: &Config, h: &SearchHit, st: &Standing) -> String {
    let lang = vc.lang;
    match st {
        Standing::InQueue => Phrase::StandInQueue.text(lang).into(),
        Standing::DoNotCall => Phrase::DoNotCall.text(lang).into(),
        // the Status column beside it says which status
        Standing::Closed(_) => Phrase::StandClosed.text(lang).into(),
        Standing::NoNextAction => Phrase::StandNoNext.text(lang).into(),
        Standing::NotDue(t) => {
            Phrase::StandNotDue.fill(lang, &[&fmt_when(*t, vc.zone, vc.now, lang)])
        }
        Standing::OutsideHours => {
            let z = LeadZone::from_stored(&h.time_zone, cfg.default_time_zone);
            Phrase::StandOutside.fill(lang, &[&z.local_hhmm(vc.now)])
        }
        Standing::ClaimedBy(rep) => Phrase::StandClaimed.fill(lang, &[&sanitize_line(rep)]),
        Standing::OtherRep(rep) if rep.is_empty() => Phrase::StandUnassigned.text(lang).into(),
        Standing::OtherRep(rep) => Phrase::StandOtherRep.fill(lang, &[&sanitize_line(rep)]),
    }
}

/// Cell widths: company, contact, phone (0: not shown), status, standing — company, contact
/// and standing sized to the longest of their cells (`needs`) where the screen allows.
fn widths(total: usize, vc: &ViewCtx, needs: [usize; 3]) -> [usize; 5] {
    let status = LeadStatus::ALL
        .iter()
        .map(|s| width(s.label(vc.lang)))
        .max()
        .unwrap_or(10)
        .min(12);
    // Narrow screens drop the phone column first: the detail pane shows the numbers.
    let phone = if total >= 100 { 15 } else { 0 };
    let gaps = if phone > 0 { 5 } else { 4 };
    let rest = total.saturating_sub(1 + gaps + phone + status).max(20);
    let [company, contact, standing] =
        super::queue_view::share(rest, [32, 24, 44], needs, [8, 6, 10]);
    [company, contact, phone, status, standing]
}

fn line(marker: &str, cells: [&str; 5], w: [usize; 5]) -> String {
    let mut s = String::from(marker);
    for (c, n) in cells.iter().zip(w) {
        if n == 0 {
            continue;
        }
        s.push(' ');
        s.push_str(&fit(c, n));
    }
    s
}

pub fn render(f: &mut Frame, area: Rect, vc: &ViewCtx, l: &SearchList) {
    let lang = vc.lang;
    let s = l.search;
    let title = Phrase::SearchTitle.fill(lang, &[&sanitize_line(&s.text), &s.count_label()]);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(vc.theme.border)
        .title(format!(
            " {} ",
            crate::domain::text::truncate(&title, usize::from(area.width.saturating_sub(4)))
        ))
        .title_style(vc.theme.header);
    if s.hits.is_empty() {
        let text = if s.text.trim().is_empty() {
            Phrase::SearchHint.text(lang).to_string()
        } else {
            Phrase::SearchNone.fill(lang, &[&sanitize_line(&s.text)])
        };
        let para = Paragraph::new(Line::styled(text, vc.theme.accent))
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: true });
        f.render_widget(para, area);
        return;
    }
    let head = [
        Phrase::ColCompany,
        Phrase::ColContact,
        Phrase::ColPhone,
        Phrase::ColStatus,
        Phrase::ColStanding,
    ]
    .map(|p| p.text(lang));
    let rows: Vec<(Standing, [String; 5])> = s
        .hits
        .iter()
        .map(|h| {
            let st = h.standing(l.cfg, vc.now, l.me, l.owner);
            let phone = h
                .phone
                .as_deref()
                .or(h.mobile.as_deref())
                .map(|p| sanitize_line(&crate::domain::phone_format::shown(p, vc.region)))
                .unwrap_or_default();
            let cells = [
                sanitize_line(&h.company),
                sanitize_line(&h.name),
                phone,
                h.status.label(lang).to_string(),
                standing_text(vc, l.cfg, h, &st),
            ];
            (st, cells)
        })
        .collect();
    let need = |c: usize| {
        rows.iter()
            .map(|(_, r)| width(&r[c]))
            .chain([width(head[c])])
            .max()
            .unwrap_or(0)
    };
    let w = widths(
        usize::from(area.width.saturating_sub(2)),
        vc,
        [need(0), need(1), need(4)],
    );
    let mut lines = vec![Line::styled(line(" ", head, w), vc.theme.header)];
    let visible = usize::from(area.height.saturating_sub(3));
    let offset = (s.selected + 1).saturating_sub(visible);
    for (i, (st, cells)) in rows.iter().enumerate().skip(offset).take(visible) {
        let selected = i == s.selected;
        let text = line(
            if selected { ">" } else { " " },
            [&cells[0], &cells[1], &cells[2], &cells[3], &cells[4]],
            w,
        );
        let style: Style = match (&st, selected) {
            (_, true) => vc.theme.selected,
            (Standing::InQueue, _) => vc.theme.ok,
            (Standing::DoNotCall, _) => vc.theme.error,
            (Standing::Closed(_), _) => vc.theme.dim,
            _ => Style::default(),
        };
        lines.push(Line::styled(text, style));
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}
