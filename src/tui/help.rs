//! The `?` overlay and `kaden keys`, both generated from the binding table in force, with
//! each action's doc line in the current language.

use super::keymap::{Keymap, Mode};
use super::view::{ViewCtx, centered, clear_overlay};
use crate::domain::text::{fit, width};
use crate::i18n::{Lang, Phrase};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Cells of the keys column.
const KEYS_W: usize = 14;

/// (section title, mode) in help order.
fn sections() -> [(Option<Phrase>, Mode); 4] {
    [
        (None, Mode::Queue),
        (Some(Phrase::HelpMeetings), Mode::Meetings),
        (Some(Phrase::HelpForm), Mode::Form),
        (Some(Phrase::HelpInput), Mode::Filter),
    ]
}

/// The overlay over `area`, scrolled down by `scroll` lines (clamped to the last page).
pub fn render(f: &mut Frame, area: Rect, vc: &ViewCtx, keymap: &Keymap, scroll: u16) {
    let lang = vc.lang;
    let w = area.width.saturating_sub(4).min(100);
    let h = area.height.saturating_sub(2);
    let rect = centered(area, w, h);
    clear_overlay(f, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(vc.theme.border)
        .title(format!(" {} ", Phrase::HelpTitle.text(lang)))
        .title_style(vc.theme.header);
    let mut lines = Vec::new();
    for (title, mode) in sections() {
        if let Some(t) = title {
            lines.push(Line::styled(t.text(lang).to_string(), vc.theme.header));
        }
        for (action, _) in keymap.actions_in(mode) {
            // The meetings view moves, switches and quits like the queue: only its own keys.
            if mode == Mode::Meetings && !action.name().starts_with("meeting_") {
                continue;
            }
            let keys = keymap.keys_text(mode, action);
            // A description longer than the overlay wraps under itself, never cut off.
            let doc_w = usize::from(w.saturating_sub(2))
                .saturating_sub(KEYS_W + 3)
                .max(10);
            for (i, part) in textwrap::wrap(action.doc(lang), doc_w)
                .into_iter()
                .enumerate()
            {
                let keys = if i == 0 {
                    fit(&keys, KEYS_W)
                } else {
                    " ".repeat(KEYS_W)
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys} "), vc.theme.accent),
                    Span::raw(part.into_owned()),
                ]));
            }
        }
    }
    lines.push(Line::styled(
        Phrase::HelpClose.text(lang).to_string(),
        vc.theme.dim,
    ));
    // Scroll when the terminal is too short for every line (j/k in the overlay).
    let visible = usize::from(rect.height.saturating_sub(2));
    let max_scroll = lines.len().saturating_sub(visible);
    let scroll = usize::from(scroll).min(max_scroll);
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((u16::try_from(scroll).unwrap_or(0), 0)),
        rect,
    );
}

/// The table `kaden keys` prints: action, keys, description — for every mode.
pub fn keys_table(km: &Keymap, lang: Lang) -> String {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for mode in [
        Mode::Queue,
        Mode::Meetings,
        Mode::Form,
        Mode::Filter,
        Mode::Note,
        Mode::Help,
        Mode::Modal,
    ] {
        for (action, _) in km.actions_in(mode) {
            let name = if mode == Mode::Queue {
                action.name().to_string()
            } else {
                format!("{} ({})", action.name(), mode.name())
            };
            rows.push((
                name,
                km.keys_text(mode, action),
                action.doc(lang).to_string(),
            ));
        }
    }
    let head = (
        Phrase::KeysHeader.text(lang).to_string(),
        Phrase::KeysKeys.text(lang).to_string(),
        Phrase::KeysDoc.text(lang).to_string(),
    );
    let w0 = rows
        .iter()
        .map(|r| width(&r.0))
        .chain([width(&head.0)])
        .max()
        .unwrap_or(0);
    let w1 = rows
        .iter()
        .map(|r| width(&r.1))
        .chain([width(&head.1)])
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (a, k, d) in std::iter::once(head).chain(rows) {
        out.push_str(&format!("{}  {}  {}\n", fit(&a, w0), fit(&k, w1), d));
    }
    out
}
