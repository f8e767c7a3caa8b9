//! The view: `render(&App, &mut Frame)` reads the model and draws; it changes nothing.
//! Header, the queue (or another view), the detail pane, a toast line, a footer of key hints
//! generated from the binding table, and the overlays (form, help, error modal).

use super::action::Action;
use super::app::{App, View};
use super::keymap::Mode;
use super::{centered, detail, form, help, queue_view};
use crate::domain::text::{sanitize_line, truncate, width};
use crate::i18n::Msg;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// Draw the whole screen.
pub fn render(app: &App, f: &mut Frame) {
    let area = f.area();
    let rows = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .split(area);
    header(app, f, rows[0]);
    match app.view {
        View::Queue => body(app, f, rows[1]),
        View::Dashboard if app.dashboard.is_some() => {
            if let Some(d) = &app.dashboard {
                super::dashboard::render(f, rows[1], d, app.lang, !app.theme.mono);
            }
        }
        View::Dashboard => {
            let block = Block::default()
                .borders(Borders::ALL)
                .border_set(app.theme.border)
                .title(format!(" {} ", Msg::ViewDashboard.text(app.lang)));
            f.render_widget(
                Paragraph::new(Msg::DashboardSoon.text(app.lang)).block(block),
                rows[1],
            );
        }
    }
    status_line(app, f, rows[2]);
    footer(app, f, rows[3]);
    if let Some(form) = &app.form {
        let hints = hints_text(app, Mode::Form, usize::from(area.width));
        form::render(f, area, app, form, &hints);
    }
    if let Some(edit) = &app.edit {
        let hints = hints_text(app, Mode::Form, usize::from(area.width));
        super::edit_form::render(f, area, app, edit, &hints);
    }
    if app.help {
        help::render(f, area, app);
    }
    if let Some(err) = &app.modal {
        modal(app, f, area, err);
    }
    terminal_safe(f.buffer_mut());
}

/// The last step before cells reach the terminal. A cell holding an emoji ZWJ sequence
/// (👨‍👩‍👧) is blanked: terminals disagree on its width (one glyph in some, three in others),
/// and where it is drawn in parts the halves stay on screen as stray glyphs after the next
/// redraw. So such a sequence is shown not at all, never in parts; the data keeps it whole.
/// Any invisible character still in a cell goes the same way.
fn terminal_safe(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        let s = cell.symbol();
        if s.len() > 1 && s.contains(|c| c == '\u{200D}' || crate::domain::text::is_unsafe_char(c))
        {
            cell.set_symbol(" ");
        }
    }
}

fn header(app: &App, f: &mut Frame, area: Rect) {
    let now = app.now().with_timezone(&app.cfg.time_zone);
    let mut text = format!(
        " kaden · {} · {} · {} {} · {}",
        app.db_name,
        sanitize_line(&app.rep),
        super::fmt_time_full(app.now(), app.cfg.time_zone, app.lang),
        now.format("%Z"),
        Msg::HeaderCount.fill(app.lang, &[&app.count_label()]),
    );
    if !app.filter.is_empty() {
        text.push_str(" · ");
        text.push_str(&Msg::HeaderFilter.fill(app.lang, &[&sanitize_line(&app.filter)]));
    }
    if let Some(call) = &app.call {
        let s = call.seconds();
        text.push_str(&format!(
            " · {} {} {:02}:{:02}",
            Msg::OnCall.text(app.lang),
            call.phone,
            s / 60,
            s % 60
        ));
    }
    let text = truncate(&text, usize::from(area.width));
    f.render_widget(Paragraph::new(Line::styled(text, app.theme.header)), area);
}

fn body(app: &App, f: &mut Frame, area: Rect) {
    if area.width >= 170 {
        let cols = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
            .split(area);
        queue_view::render(app, f, cols[0]);
        detail::render(app, f, cols[1], Direction::Vertical);
    } else {
        let table_h = (area.height / 2).max(6);
        let parts = Layout::vertical([Constraint::Length(table_h), Constraint::Min(3)]).split(area);
        queue_view::render(app, f, parts[0]);
        detail::render(app, f, parts[1], Direction::Horizontal);
    }
}

/// The toast, or the line being typed (filter, note).
fn status_line(app: &App, f: &mut Frame, area: Rect) {
    let w = usize::from(area.width);
    let line = match app.mode() {
        Mode::Filter => Line::from(vec![
            Span::styled(Msg::FilterPrompt.text(app.lang), app.theme.accent),
            Span::raw(format!("{}_", sanitize_line(&app.filter))),
        ]),
        Mode::Note => Line::from(vec![
            Span::styled(Msg::NotePrompt.text(app.lang), app.theme.accent),
            Span::raw(format!(
                "{}_",
                sanitize_line(app.note.as_deref().unwrap_or(""))
            )),
        ]),
        _ => match &app.toast {
            Some(t) => Line::styled(
                truncate(&format!(" {}", sanitize_line(&t.text)), w),
                if t.error {
                    app.theme.error
                } else {
                    app.theme.ok
                },
            ),
            None => Line::raw(""),
        },
    };
    f.render_widget(Paragraph::new(line), area);
}

/// The actions the footer offers per mode, most important first.
fn footer_actions(mode: Mode) -> &'static [Action] {
    use Action as A;
    match mode {
        Mode::Queue => &[
            A::RecordUnconnected,
            A::RecordRecall,
            A::RecordAppointment,
            A::RecordLost,
            A::RecordOutOfScope,
            A::StartCall,
            A::Undo,
            A::AddNote,
            A::Filter,
            A::SwitchView,
            A::EditLead,
        ],
        Mode::Form => &[A::Save, A::Cancel, A::NextField, A::NextChoice],
        Mode::Filter | Mode::Note => &[A::Save, A::Cancel],
        Mode::Help => &[A::Cancel],
        Mode::Modal => &[A::Save, A::Cancel],
    }
}

/// One line of key hints from the table in force; `? help` and `q quit` always fit.
pub fn hints_text(app: &App, mode: Mode, max: usize) -> String {
    let km = &app.keymap;
    let item = |a: Action| {
        let keys = km.keys_for(mode, a);
        keys.first()
            .map(|k| format!("{} {}", k.display(), a.hint(app.lang)))
    };
    let tail: Vec<String> = if mode == Mode::Queue {
        [Action::Help, Action::Quit]
            .into_iter()
            .filter_map(item)
            .collect()
    } else {
        Vec::new()
    };
    let tail_w: usize = tail.iter().map(|t| width(t) + 2).sum();
    let mut out: Vec<String> = Vec::new();
    let mut used = 1;
    // On the dashboard only switching back does anything of the queue's keys.
    let actions: &[Action] = if mode == Mode::Queue && app.view == View::Dashboard {
        &[Action::SwitchView]
    } else {
        footer_actions(mode)
    };
    for a in actions {
        if let Some(t) = item(*a) {
            if used + width(&t) + 2 + tail_w > max {
                break;
            }
            used += width(&t) + 2;
            out.push(t);
        }
    }
    out.extend(tail);
    format!(" {}", out.join("  "))
}

fn footer(app: &App, f: &mut Frame, area: Rect) {
    let mode = if (app.form.is_some() || app.edit.is_some()) && app.modal.is_none() && !app.help {
        Mode::Form
    } else {
        app.mode()
    };
    let text = hints_text(app, mode, usize::from(area.width));
    f.render_widget(
        Paragraph::new(Line::styled(
            truncate(&text, usize::from(area.width)),
            app.theme.dim,
        )),
        area,
    );
}

fn modal(app: &App, f: &mut Frame, area: Rect, err: &str) {
    let w = area.width.saturating_sub(8).min(70);
    let rect = centered(area, w, 8);
    super::clear_overlay(f, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(app.theme.border)
        .title(format!(" {} ", Msg::ModalTitle.text(app.lang)))
        .title_style(app.theme.error);
    let lines = vec![
        Line::styled(sanitize_line(err), app.theme.error),
        Line::raw(""),
        Line::raw(Msg::ModalHint.text(app.lang)),
    ];
    f.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        rect,
    );
}
