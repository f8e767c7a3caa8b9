//! The terminal app (The Elm Architecture, synchronous): `App` is the model, `Msg`/`Action`
//! the message, `App::update` the only mutator, `ui::render(&App, &mut Frame)` a pure view.
//! This file owns the run loop and the terminal guard; the loop takes its event source as a
//! parameter so tests drive the real loop on `TestBackend`.

pub mod action;
pub mod app;
pub mod counter;
pub mod dashboard;
pub mod detail;
pub mod dial;
pub mod edit_form;
pub mod help;
pub mod hold;
pub mod keymap;
pub mod meetings;
pub mod meetings_view;
pub mod queue_view;
pub mod result_form;
pub mod search;
pub mod search_view;
pub mod text_field;
pub mod theme;
pub mod touch;
pub mod ui;
pub mod update;
pub mod view;

pub use action::{Action, Msg};
pub use app::{App, View};
pub use keymap::{Keymap, Mode};

use crate::ctx::Ctx;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use std::io::Write;
use std::time::Duration;

/// Open the TUI on the context's database.
pub fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    // Pending leads whose rest is over come back before the queue is first read.
    store.recycle_pending(&ctx.cfg, &ctx.rep, ctx.now())?;
    // Off the main thread, so the first frame waits for neither (see `counter.rs` and
    // `domain::phone_format`): the phone numbering plan's metadata, and the queue count.
    let wake = std::sync::Arc::new(counter::Wake::default());
    let warm = crate::domain::phone_format::start_warming();
    store.set_page_cache_mib(PAGE_CACHE_MIB)?;
    let worker = counter::CountWorker::start(ctx, wake.clone());
    // The first frame reads only the leads a screen of this height can show (a 300-lead
    // window is ~2,000 random page reads from a cold disk at 1M leads); the rest on the first
    // tick, or before a move that needs it (`App::widen_window`).
    let rows = ratatui::crossterm::terminal::size().map_or(60, |(_, h)| u32::from(h));
    let mut app = App::with_count_worker(store, ctx, worker, Some(rows))?;
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    // A paste arrives as one event (not as keystrokes that could trigger actions).
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::EnableBracketedPaste
    );
    let mut out = std::io::stdout();
    // The first frame, then the metadata: it would take a core from the frame.
    draw(&mut terminal, &mut app, &mut out)?;
    if warm {
        warm_phone_metadata(&wake);
    }
    run_app(&mut terminal, &mut app, CrosstermEvents { wake }, &mut out)
}

/// SQLite's page cache of the TUI's connections, MiB (see [`crate::store::Store::set_page_cache_mib`]).
pub const PAGE_CACHE_MIB: u32 = 32;

/// Build `phonenumber`'s metadata on a thread of its own (`phone_format::start_warming` said
/// it would be); `wake` hears when it is ready (the numbers drawn as stored meanwhile are then
/// drawn formatted).
fn warm_phone_metadata(wake: &std::sync::Arc<counter::Wake>) {
    use crate::domain::phone_format;
    let w = wake.clone();
    let spawned = std::thread::Builder::new()
        .name("kaden-phone-plan".into())
        .spawn(move || {
            counter::give_way();
            phone_format::warm();
            w.land();
        });
    if spawned.is_err() {
        phone_format::stop_warming();
    }
}

/// `kaden keys`: the binding table in force (action, keys, description).
pub fn print_keys(ctx: &Ctx) -> anyhow::Result<()> {
    let km = Keymap::from_config(&ctx.cfg)?;
    let table = help::keys_table(&km, ctx.lang);
    crate::commands::output::to_stdout(|out| Ok(out.write_all(table.as_bytes())?))
}

/// Restores the terminal on every exit path (errors included); `ratatui::init` covers panics.
pub struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = ratatui::crossterm::execute!(
            std::io::stdout(),
            ratatui::crossterm::event::DisableBracketedPaste
        );
        ratatui::restore();
        let _ = ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::cursor::Show);
    }
}

/// Terminal events; `None` is a tick (every half second) so the call timer redraws. While
/// `wake` says work is outstanding (a count, the phone metadata) it polls in short slices and
/// ticks early, as soon as the work lands, so its result is drawn at once.
pub struct CrosstermEvents {
    pub wake: std::sync::Arc<counter::Wake>,
}

/// The tick.
const TICK: Duration = Duration::from_millis(500);
/// How often the event source looks for landed work while some is outstanding.
const SLICE: Duration = Duration::from_millis(4);

impl Iterator for CrosstermEvents {
    type Item = std::io::Result<Option<Event>>;
    fn next(&mut self) -> Option<Self::Item> {
        let start = std::time::Instant::now();
        loop {
            // `busy` before `landed`: a worker lands before it stops being busy.
            let busy = self.wake.busy();
            if self.wake.take_landed() {
                return Some(Ok(None));
            }
            let left = TICK.saturating_sub(start.elapsed());
            let wait = if busy { left.min(SLICE) } else { left };
            match event::poll(wait) {
                Ok(true) => return Some(event::read().map(Some)),
                Ok(false) if start.elapsed() >= TICK => return Some(Ok(None)),
                Ok(false) => {}
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// The main loop: draw, take one event, update, until quit or the events run out. Raw output
/// the app asks for (OSC 52) goes to `out` after each draw; a count the worker finished is
/// taken before each draw.
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
            Some(Event::Paste(s)) => app.paste(&s),
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
    app.collect_count();
    terminal.draw(|f| ui::render(app, f))?;
    for s in app.outbox.drain(..) {
        out.write_all(s.as_bytes())?;
    }
    out.flush()?;
    app.frame_drawn();
    Ok(())
}
