//! The terminal app (The Elm Architecture, synchronous): `App` is the model, `Msg`/`Action`
//! the message, `App::update` the only mutator, `ui::render(&App, &mut Frame)` a pure view.
//! This file owns the run loop and the terminal guard; the loop takes its event source as a
//! parameter so tests drive the real loop on `TestBackend`.

pub mod action;
pub mod app;
pub mod dashboard;
pub mod detail;
pub mod dial;
pub mod edit_form;
pub mod form;
pub mod help;
pub mod keymap;
pub mod queue_view;
pub mod theme;
pub mod ui;

pub use action::{Action, Msg};
pub use app::{App, View};
pub use keymap::{Keymap, Mode};

use crate::ctx::Ctx;
use crate::i18n::Lang;
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::layout::Rect;
use std::io::Write;
use std::time::Duration;

/// Open the TUI on the context's database.
pub fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let store = ctx.open_store()?;
    let mut app = App::new(store, ctx)?;
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    run_app(
        &mut terminal,
        &mut app,
        CrosstermEvents,
        &mut std::io::stdout(),
    )
}

/// `kaden keys`: the binding table in force (action, keys, description).
pub fn print_keys(ctx: &Ctx) -> anyhow::Result<()> {
    let km = Keymap::from_config(&ctx.cfg)?;
    let mut out = std::io::stdout().lock();
    out.write_all(help::keys_table(&km, ctx.lang).as_bytes())?;
    Ok(())
}

/// Restores the terminal on every exit path (errors included); `ratatui::init` covers panics.
pub struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
        let _ = ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::cursor::Show);
    }
}

/// Terminal events; `None` is a tick (every half second) so the call timer redraws.
pub struct CrosstermEvents;

impl Iterator for CrosstermEvents {
    type Item = std::io::Result<Option<Event>>;
    fn next(&mut self) -> Option<Self::Item> {
        Some(match event::poll(Duration::from_millis(500)) {
            Ok(true) => event::read().map(Some),
            Ok(false) => Ok(None),
            Err(e) => Err(e),
        })
    }
}

/// The main loop: draw, take one event, update, until quit or the events run out. Raw output
/// the app asks for (OSC 52) goes to `out` after each draw.
pub fn run_app<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: impl IntoIterator<Item = std::io::Result<Option<Event>>>,
    out: &mut dyn Write,
) -> anyhow::Result<()>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    draw(terminal, app, out)?;
    for ev in events {
        match ev? {
            Some(Event::Key(k)) if k.kind == KeyEventKind::Press => app.handle_key(k),
            Some(Event::Key(_)) => continue,
            Some(_) => {}
            None => app.update(Msg::Tick),
        }
        if app.quit {
            break;
        }
        draw(terminal, app, out)?;
    }
    Ok(())
}

fn draw<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    out: &mut dyn Write,
) -> anyhow::Result<()>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    terminal.draw(|f| ui::render(app, f))?;
    for s in app.outbox.drain(..) {
        out.write_all(s.as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

impl App {
    /// "Unconnected · next try 16:30".
    pub fn result_toast(&self, rec: &crate::store::Recorded) -> String {
        use crate::domain::CallResult;
        use crate::i18n::{Label, Msg as T};
        let lang = self.lang;
        let now = self.now();
        let when = |t: DateTime<Utc>| fmt_when(t, self.cfg.time_zone, now, lang);
        let tail = match (rec.result, &rec.next) {
            (CallResult::OutOfScope, _) => T::ToastClosed.text(lang).to_string(),
            (CallResult::Unconnected, None) => T::ToastPending.text(lang).to_string(),
            (CallResult::Unconnected, Some(n)) => T::ToastNextTry.fill(lang, &[&when(n.due)]),
            (CallResult::Recall, Some(n)) => T::ToastCallback.fill(lang, &[&when(n.due)]),
            (CallResult::Appointment, Some(n))
                if rec.status == crate::domain::LeadStatus::Meeting =>
            {
                T::ToastMeeting.fill(lang, &[&when(n.due)])
            }
            (CallResult::Appointment, _) => T::ToastScheduling.text(lang).to_string(),
            (CallResult::Lost, Some(n)) => T::ToastReapproach.fill(lang, &[&when(n.due)]),
            (_, None) => T::ToastClosed.text(lang).to_string(),
        };
        format!("{} · {tail}", rec.result.label(lang))
    }
}

/// A `w`×`h` rectangle centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn weekday_ja(d: chrono::Weekday) -> &'static str {
    ["月", "火", "水", "木", "金", "土", "日"][d.num_days_from_monday() as usize]
}

/// A time for a toast: `16:30` today, `Wed 11-25 10:00` this year, else the full date.
pub fn fmt_when(t: DateTime<Utc>, zone: Tz, now: DateTime<Utc>, lang: Lang) -> String {
    let l = t.with_timezone(&zone);
    let n = now.with_timezone(&zone);
    if l.date_naive() == n.date_naive() {
        l.format("%H:%M").to_string()
    } else if l.year() == n.year() {
        match lang {
            Lang::En => l.format("%a %m-%d %H:%M").to_string(),
            Lang::Ja => format!(
                "{}({}) {}",
                l.format("%m-%d"),
                weekday_ja(l.weekday()),
                l.format("%H:%M")
            ),
        }
    } else {
        l.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// A full time with the weekday: `Tue 2026-11-24 12:00` / `2026-11-24(火) 12:00`.
pub fn fmt_time_full(t: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let l = t.with_timezone(&zone);
    match lang {
        Lang::En => l.format("%a %Y-%m-%d %H:%M").to_string(),
        Lang::Ja => format!(
            "{}({}) {}",
            l.format("%Y-%m-%d"),
            weekday_ja(l.weekday()),
            l.format("%H:%M")
        ),
    }
}

/// Five cells: `HH:MM` today, else `MM-DD`.
pub fn fmt_due_short(t: DateTime<Utc>, zone: Tz, now: DateTime<Utc>) -> String {
    let l = t.with_timezone(&zone);
    if l.date_naive() == now.with_timezone(&zone).date_naive() {
        l.format("%H:%M").to_string()
    } else {
        l.format("%m-%d").to_string()
    }
}

/// Clear the area under an overlay. The column left of it is cleared too: a double-width
/// character starting there would otherwise spill into the overlay's border.
pub(crate) fn clear_overlay(f: &mut ratatui::Frame, rect: Rect) {
    let left = rect.x.saturating_sub(1);
    let widened = Rect {
        x: left,
        width: rect.width + (rect.x - left),
        ..rect
    };
    f.render_widget(ratatui::widgets::Clear, widened.intersection(f.area()));
}

/// Draw a modal box of `lines` centred in `area`, `width` wide and as tall as its content
/// (plus a spare row for a wrapped line), over a cleared background.
pub(crate) fn draw_modal(
    f: &mut ratatui::Frame,
    area: Rect,
    width: u16,
    lines: Vec<ratatui::text::Line<'_>>,
    block: ratatui::widgets::Block<'_>,
) {
    let h = u16::try_from(lines.len() + 3)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(2));
    let para = ratatui::widgets::Paragraph::new(lines)
        .block(block)
        .wrap(ratatui::widgets::Wrap { trim: false });
    let rect = centered(area, width, h);
    clear_overlay(f, rect);
    f.render_widget(para, rect);
}
