//! The ranked queue table (and, when nobody is callable, who opens next). Column widths are
//! measured in terminal cells, so Japanese names keep the columns aligned; every data string
//! is sanitised before it reaches a cell.

use super::view::{ViewCtx, fmt_due_short, fmt_time_full, local_cell, zone_label};
use crate::domain::LeadStatus;
use crate::domain::text::{fit, sanitize_line, width};
use crate::domain::zone::LeadZone;
use crate::i18n::{Label, Lang, Phrase, reason_text};
use crate::store::{QueueRow, Upcoming};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

/// What the queue table draws.
#[derive(Debug, Clone, Copy)]
pub struct QueueTable<'a> {
    pub rows: &'a [QueueRow],
    pub selected: usize,
    /// The count for the title (`999+` when capped).
    pub count: &'a str,
    /// Who opens next, when nobody is callable.
    pub upcoming: &'a [Upcoming],
}

/// Tables narrower than this drop the Local, Tc and Due columns.
pub const NARROW: usize = 100;

/// Cell widths of the columns for a table `total` cells wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub rank: usize,
    pub tier: usize,
    pub company: usize,
    pub contact: usize,
    pub local: usize,
    pub status: usize,
    pub touches: usize,
    pub due: usize,
    pub reason: usize,
}

impl Columns {
    pub fn new(total: usize, lang: Lang) -> Columns {
        let status = [
            LeadStatus::New,
            LeadStatus::Approaching,
            LeadStatus::Scheduling,
            LeadStatus::Nurturing,
        ]
        .iter()
        .map(|s| width(s.label(lang)))
        .max()
        .unwrap_or(10)
        .min(12);
        // A narrow table (80 columns) drops the least useful columns first — Local, Tc and
        // Due (the detail pane has them) — so company, contact and why stay readable.
        let narrow = total < NARROW;
        let (local, touches, due) = if narrow { (0, 0, 0) } else { (5, 2, 5) };
        // marker + rank + tier + local + status + touches + due, and a gap before each column
        let gaps = if narrow { 6 } else { 9 };
        let fixed = 1 + 3 + 2 + local + status + touches + due + gaps;
        let rest = total.saturating_sub(fixed).max(18);
        let company = rest * 30 / 100;
        let contact = rest * 36 / 100;
        Columns {
            rank: 3,
            tier: 2,
            company,
            contact,
            local,
            status,
            touches,
            due,
            reason: rest - company - contact,
        }
    }

    /// The same table with company, contact and why sized to what the rows hold: a column
    /// whose longest cell (`needs`: company, contact, why) is shorter than its share gives
    /// the rest to the others, so short names leave room for the reason instead of blanks.
    pub fn fitted(total: usize, lang: Lang, needs: [usize; 3]) -> Columns {
        let mut c = Columns::new(total, lang);
        let rest = c.company + c.contact + c.reason;
        let widths = share(rest, [30, 36, 38], needs, [8, 6, 10]);
        c.company = widths[0];
        c.contact = widths[1];
        c.reason = widths[2];
        c
    }

    /// The line for one row: marker, then every column padded to its width.
    pub fn line(&self, marker: &str, cells: [&str; 9]) -> String {
        let widths = [
            self.rank,
            self.tier,
            self.company,
            self.contact,
            self.local,
            self.status,
            self.touches,
            self.due,
            self.reason,
        ];
        let mut s = String::from(marker);
        for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
            if w == 0 {
                continue; // a column dropped on a narrow table
            }
            if i > 0 {
                s.push(' ');
            }
            if i == 0 || i == 6 {
                // numbers right-aligned
                let t = crate::domain::text::truncate(c, w);
                s.push_str(&" ".repeat(w.saturating_sub(width(&t))));
                s.push_str(&t);
            } else {
                s.push_str(&fit(c, w));
            }
        }
        s
    }
}

/// Split `rest` cells between columns by `weights`, none wider than it `needs` (unless every
/// need is met: then the last column takes what is left) and none below its minimum.
pub(crate) fn share(
    rest: usize,
    weights: [usize; 3],
    needs: [usize; 3],
    mins: [usize; 3],
) -> [usize; 3] {
    let needs = [0, 1, 2].map(|i| needs[i].max(mins[i]));
    let mut out = [0usize; 3];
    let mut fixed = [false; 3];
    loop {
        let left = rest - (0..3).filter(|&i| fixed[i]).map(|i| out[i]).sum::<usize>();
        let weight: usize = (0..3).filter(|&i| !fixed[i]).map(|i| weights[i]).sum();
        if weight == 0 {
            // Every column got what it needs: the why column takes the spare cells.
            out[2] += left;
            return out;
        }
        let mut changed = false;
        let open: Vec<usize> = (0..3).filter(|&i| !fixed[i]).collect();
        for &i in &open {
            if needs[i] <= left * weights[i] / weight {
                out[i] = needs[i];
                fixed[i] = true;
                changed = true;
            }
        }
        if !changed {
            // The rest is shared by weight, the rounding going to the last open column.
            let mut given = 0;
            for &i in &open {
                out[i] = (left * weights[i] / weight).max(mins[i]);
                given += out[i];
            }
            if let Some(&last) = open.last() {
                out[last] = (out[last] + left).saturating_sub(given).max(mins[last]);
            }
            return out;
        }
    }
}

/// The cells of one queue row, sanitised.
pub fn row_cells(vc: &ViewCtx, i: usize, r: &QueueRow, with_title: bool) -> [String; 9] {
    let now = vc.now;
    let contact = if r.title.trim().is_empty() || !with_title {
        sanitize_line(&r.name)
    } else {
        sanitize_line(&format!("{} · {}", r.name, r.title))
    };
    [
        (i + 1).to_string(),
        r.tier.to_string(),
        sanitize_line(&r.company),
        contact,
        local_cell(&r.zone(vc.zone), now),
        r.status.label(vc.lang).to_string(),
        r.touches.to_string(),
        r.next_at
            .map(|t| fmt_due_short(t, vc.zone, now))
            .unwrap_or_default(),
        sanitize_line(&reason_text(&r.reason(now), vc.lang, vc.zone)),
    ]
}

pub fn render(f: &mut Frame, area: Rect, vc: &ViewCtx, q: &QueueTable) {
    let lang = vc.lang;
    let title = format!(" {} ({}) ", Phrase::QueueTitle.text(lang), q.count);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(vc.theme.border)
        .title(title)
        .title_style(vc.theme.header);
    let inner_w = usize::from(area.width.saturating_sub(2));
    let visible = usize::from(area.height.saturating_sub(3));
    if q.rows.is_empty() {
        f.render_widget(Paragraph::new(empty_lines(vc, q)).block(block), area);
        return;
    }
    let with_title = inner_w >= NARROW;
    let cells: Vec<[String; 9]> = q
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| row_cells(vc, i, r, with_title))
        .collect();
    let head = [
        Phrase::ColRank,
        Phrase::ColTier,
        Phrase::ColCompany,
        Phrase::ColContact,
        Phrase::ColLocal,
        Phrase::ColStatus,
        Phrase::ColTouches,
        Phrase::ColDue,
        Phrase::ColReason,
    ]
    .map(|m| m.text(lang));
    let need = |c: usize| {
        cells
            .iter()
            .map(|r| width(&r[c]))
            .chain([width(head[c])])
            .max()
            .unwrap_or(0)
    };
    let cols = Columns::fitted(inner_w, lang, [need(2), need(3), need(8)]);
    let mut lines = vec![Line::styled(cols.line(" ", head), vc.theme.header)];
    let offset = if q.selected >= visible {
        q.selected + 1 - visible
    } else {
        0
    };
    for (i, cells) in cells.iter().enumerate().skip(offset).take(visible) {
        let cells = [
            cells[0].as_str(),
            &cells[1],
            &cells[2],
            &cells[3],
            &cells[4],
            &cells[5],
            &cells[6],
            &cells[7],
            &cells[8],
        ];
        let selected = i == q.selected;
        let text = cols.line(if selected { ">" } else { " " }, cells);
        lines.push(if selected {
            Line::styled(text, vc.theme.selected)
        } else {
            Line::raw(text)
        });
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}

/// Never a blank screen: say why, and who opens next.
fn empty_lines(vc: &ViewCtx, q: &QueueTable) -> Vec<Line<'static>> {
    let lang = vc.lang;
    let mut lines = vec![
        Line::styled(Phrase::EmptyTitle.text(lang).to_string(), vc.theme.accent),
        Line::raw(""),
    ];
    if q.upcoming.is_empty() {
        lines.push(Line::raw(Phrase::EmptyNone.text(lang).to_string()));
        return lines;
    }
    lines.push(Line::styled(
        Phrase::EmptyNext.text(lang).to_string(),
        vc.theme.header,
    ));
    let zone = vc.zone;
    for u in q.upcoming {
        let lz = LeadZone::from_stored(&u.time_zone, vc.zone);
        let local = lz.local_hhmm(u.opens_at);
        lines.push(Line::raw(format!(
            "  {}  ({} {})  {} — {}",
            fmt_time_full(u.opens_at, zone, lang),
            Phrase::TheirTime.fill(lang, &[&local]),
            zone_label(&lz, lang),
            sanitize_line(&u.company),
            sanitize_line(&u.name),
        )));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_column_gives_its_cells_to_the_others() {
        // Contacts need 9 cells of a 19-cell share: the why column gets the rest it needs.
        let w = share(55, [30, 36, 38], [24, 9, 23], [8, 6, 10]);
        assert_eq!(w.iter().sum::<usize>(), 55);
        assert_eq!(w[1], 9);
        assert_eq!(w[2], 23, "the reason is not cut: {w:?}");
        assert_eq!(w[0], 55 - 9 - 23);
    }

    #[test]
    fn every_need_met_leaves_the_spare_cells_to_the_why_column() {
        assert_eq!(
            share(60, [30, 36, 38], [10, 8, 12], [8, 6, 10]),
            [10, 8, 42]
        );
    }

    #[test]
    fn columns_too_wide_for_the_screen_share_it_by_weight() {
        let w = share(52, [30, 36, 38], [40, 40, 40], [8, 6, 10]);
        assert_eq!(w.iter().sum::<usize>(), 52);
        assert_eq!(w, [15, 18, 19]);
    }

    #[test]
    fn minimums_hold_for_empty_columns() {
        let w = share(40, [30, 36, 38], [0, 0, 0], [8, 6, 10]);
        assert_eq!(&w[..2], &[8, 6]);
        assert_eq!(w[2], 26);
    }
}
