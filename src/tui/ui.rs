//! The view: `render(&App, &mut Frame)` reads the model and draws; it changes nothing.
//! Header, the queue (or another view), the detail pane, a toast line, a footer of key hints
//! generated from the binding table, and the overlays (form, help, error modal). It is the one
//! view that sees `App`: it reads "now" once into a [`ViewCtx`] and hands each view its part.

use super::action::Action;
use super::app::{App, View};
use super::detail::DetailPane;
use super::keymap::Mode;
use super::queue_view::QueueTable;
use super::view::{ViewCtx, centered, clear_overlay, fmt_time_full, mm_ss};
use super::{
    dashboard, detail, edit_form, help, meetings_view, queue_view, result_form, search_view,
};
use crate::domain::text::{sanitize_line, truncate, width};
use crate::i18n::Phrase;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// Draw the whole screen.
pub fn render(app: &App, f: &mut Frame) {
    let vc = ViewCtx {
        lang: app.lang,
        theme: &app.theme,
        now: app.now(),
        zone: app.cfg.time_zone,
        region: &app.cfg.phone_region,
    };
    let area = f.area();
    let rows = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .split(area);
    header(app, &vc, f, rows[0]);
    match app.view {
        View::Queue => body(app, &vc, f, rows[1]),
        View::Dashboard if app.dashboard.is_some() => {
            if let Some(d) = &app.dashboard {
                dashboard::render(f, rows[1], d, app.lang, !app.theme.mono);
            }
        }
        View::Meetings => meetings_view::render(
            f,
            rows[1],
            &vc,
            &meetings_view::MeetingsTable {
                rows: &app.meetings,
                selected: app.meetings_selected,
                reapproach_days: app.cfg.meeting_reapproach_days,
            },
        ),
        View::Dashboard => {
            let block = Block::default()
                .borders(Borders::ALL)
                .border_set(app.theme.border)
                .title(format!(" {} ", Phrase::ViewDashboard.text(app.lang)));
            f.render_widget(
                Paragraph::new(Phrase::DashboardSoon.text(app.lang)).block(block),
                rows[1],
            );
        }
    }
    status_line(app, f, rows[2]);
    footer(app, f, rows[3]);
    if let Some(form) = &app.result_form {
        let hints = hints_text(app, Mode::Form, usize::from(area.width));
        result_form::render(f, area, &vc, form, &hints);
    }
    if let Some(form) = &app.edit_form {
        let hints = hints_text(app, Mode::Form, usize::from(area.width));
        edit_form::render(f, area, &vc, form, &hints);
    }
    if app.help {
        help::render(f, area, &vc, &app.keymap, app.help_scroll);
    }
    if let Some(err) = &app.error {
        error_modal(app, f, area, err);
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

fn header(app: &App, vc: &ViewCtx, f: &mut Frame, area: Rect) {
    let now = vc.now.with_timezone(&vc.zone);
    let mut rep = sanitize_line(&app.rep);
    if app.mine_only {
        rep.push_str(&format!(" ({})", Phrase::HeaderMine.text(app.lang)));
    }
    let mut tail = String::new();
    if let Some(s) = app.search.as_ref().filter(|s| !s.text.is_empty()) {
        tail.push_str(" · ");
        tail.push_str(&Phrase::HeaderSearch.fill(app.lang, &[&sanitize_line(&s.text)]));
    }
    if let Some(call) = &app.call {
        tail.push_str(&format!(
            " · {} {} {}",
            Phrase::OnCall.text(app.lang),
            sanitize_line(&crate::domain::phone_format::shown(&call.phone, vc.region)),
            mm_ss(call.seconds(vc.now))
        ));
    }
    let core = format!(
        "{} · {} {} · {}",
        rep,
        fmt_time_full(vc.now, vc.zone, app.lang),
        now.format("%Z"),
        Phrase::HeaderCount.fill(app.lang, &[&app.count_label()]),
    );
    // On a narrow screen the call and the search matter more than the file's name: drop
    // the name, then "kaden", before anything is cut.
    let full = format!(" kaden · {} · {core}{tail}", app.db_name);
    let text = if width(&full) <= usize::from(area.width) {
        full
    } else {
        let short = format!(" kaden · {core}{tail}");
        if width(&short) <= usize::from(area.width) {
            short
        } else {
            format!(" {core}{tail}")
        }
    };
    let text = truncate(&text, usize::from(area.width));
    f.render_widget(Paragraph::new(Line::styled(text, app.theme.header)), area);
}

/// The queue table and the detail pane: side by side when wide, stacked otherwise.
fn body(app: &App, vc: &ViewCtx, f: &mut Frame, area: Rect) {
    let count = app.count_label();
    let table = QueueTable {
        rows: &app.rows,
        selected: app.selected,
        count: &count,
        upcoming: &app.upcoming,
    };
    let pane = DetailPane {
        detail: app.detail.as_ref(),
        row: app.selected_row(),
        call: app.call.as_ref(),
        weights: &app.cfg.weights,
    };
    let list = |f: &mut Frame, r: Rect| match &app.search {
        Some(s) => search_view::render(
            f,
            r,
            vc,
            &search_view::SearchList {
                search: s,
                cfg: &app.cfg,
                me: Some(app.rep.as_str()),
                owner: app.mine_only.then_some(app.rep.as_str()),
            },
        ),
        None => queue_view::render(f, r, vc, &table),
    };
    if area.width >= 170 {
        let cols = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
            .split(area);
        list(f, cols[0]);
        detail::render(f, cols[1], vc, &pane, Direction::Vertical);
    } else {
        let table_h = (area.height / 2).max(6);
        let parts = Layout::vertical([Constraint::Length(table_h), Constraint::Min(3)]).split(area);
        list(f, parts[0]);
        detail::render(f, parts[1], vc, &pane, Direction::Horizontal);
    }
}

/// The toast, or the line being typed (search, note).
fn status_line(app: &App, f: &mut Frame, area: Rect) {
    let w = usize::from(area.width);
    let line = match app.mode() {
        Mode::Filter => Line::from(vec![
            Span::styled(Phrase::FilterPrompt.text(app.lang), app.theme.accent),
            Span::raw(format!(
                "{}_",
                sanitize_line(app.search.as_ref().map_or("", |s| s.text.as_str()))
            )),
        ]),
        Mode::Note if app.won_amount.is_some() => {
            let expected = app
                .meetings
                .get(app.meetings_selected)
                .and_then(|m| m.amount)
                .map(crate::report::output::money)
                .unwrap_or_else(|| "—".into());
            Line::from(vec![
                Span::styled(
                    Phrase::AmountPrompt.fill(app.lang, &[&expected]),
                    app.theme.accent,
                ),
                Span::raw(format!(
                    "{}_",
                    sanitize_line(app.won_amount.as_deref().unwrap_or(""))
                )),
            ])
        }
        Mode::Note if app.touch.is_some() => {
            let mut spans = Vec::new();
            if let Some(t) = &app.touch {
                spans.push(Span::styled(
                    Phrase::TouchPrompt.text(app.lang),
                    app.theme.accent,
                ));
                spans.push(Span::styled(
                    format!("< {} >", t.kind().label(app.lang)),
                    app.theme.header,
                ));
                spans.push(Span::styled(
                    format!("  {}", Phrase::NotePrompt.text(app.lang)),
                    app.theme.accent,
                ));
                spans.extend(t.note.spans(true, Style::default()));
            }
            Line::from(spans)
        }
        Mode::Note => {
            let mut spans = vec![Span::styled(
                Phrase::NotePrompt.text(app.lang),
                app.theme.accent,
            )];
            if let Some(n) = &app.note {
                spans.extend(n.spans(true, Style::default()));
            }
            Line::from(spans)
        }
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
        Mode::Meetings => &[
            A::MeetingHeld,
            A::MeetingNoShow,
            A::MeetingWon,
            A::MeetingLost,
            A::SwitchView,
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
    if mode == Mode::Filter {
        // The search line: Enter browses the results, Esc is back to the queue.
        let hint = |a: Action, p: Phrase| {
            km.keys_for(mode, a)
                .first()
                .map(|k| format!("{} {}", k.display(), p.text(app.lang)))
        };
        let items: Vec<String> = [
            hint(Action::Save, Phrase::HintResults),
            hint(Action::Cancel, Phrase::HintBack),
        ]
        .into_iter()
        .flatten()
        .collect();
        return format!(" {}", items.join("  "));
    }
    let tail: Vec<String> = if matches!(mode, Mode::Queue | Mode::Meetings) {
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
    let mode = if (app.result_form.is_some() || app.edit_form.is_some())
        && app.error.is_none()
        && !app.help
    {
        Mode::Form
    } else {
        app.mode()
    };
    if app.power && mode == Mode::Queue {
        // Power mode is on: said first, so it is never cut off.
        let badge = format!(" {} ", Phrase::PowerBadge.text(app.lang));
        let rest = usize::from(area.width).saturating_sub(crate::domain::text::width(&badge) + 1);
        // The hints are chosen for the room left, so `? help` and `q quit` still fit.
        let text = truncate(&hints_text(app, mode, rest), rest);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                ratatui::text::Span::styled(badge, app.theme.header),
                ratatui::text::Span::raw(" "),
                ratatui::text::Span::styled(text, app.theme.dim),
            ])),
            area,
        );
        return;
    }
    let text = hints_text(app, mode, usize::from(area.width));
    f.render_widget(
        Paragraph::new(Line::styled(
            truncate(&text, usize::from(area.width)),
            app.theme.dim,
        )),
        area,
    );
}

fn error_modal(app: &App, f: &mut Frame, area: Rect, err: &str) {
    let w = area.width.saturating_sub(8).min(70);
    let rect = centered(area, w, 8);
    clear_overlay(f, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(app.theme.border)
        .title(format!(" {} ", Phrase::ModalTitle.text(app.lang)))
        .title_style(app.theme.error);
    let lines = vec![
        Line::styled(sanitize_line(err), app.theme.error),
        Line::raw(""),
        Line::raw(Phrase::ModalHint.text(app.lang)),
    ];
    f.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        rect,
    );
}
