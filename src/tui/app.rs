//! The model: view caches only (the visible queue window, the selected lead with its history,
//! the forms, toast, search, call timer). SQLite is the source of truth: after every write the
//! window is re-queried, keeping the selection by lead id. `App::update` (in `update.rs`) is
//! the only mutator; the views in this folder draw from the state they are handed and never
//! see `App`, except `ui::render`, which hands it out.

use super::detail::Detail;
use super::dial::Call;
use super::edit_form::EditForm;
use super::keymap::{Keymap, Mode};
use super::result_form::ResultForm;
use super::theme::Theme;
use crate::clock::Clock;
use crate::config::Config;
use crate::ctx::Ctx;
use crate::i18n::Lang;
use crate::store::{QueueQuery, QueueRow, Store, Upcoming};
use chrono::{DateTime, Utc};

/// Which screen is shown. `Tab` cycles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Queue,
    Dashboard,
    /// Meetings whose time has passed with no result.
    Meetings,
}

/// A one-line confirmation or error, shown since `at` (by the app's clock).
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    pub at: DateTime<Utc>,
}

pub struct App {
    pub store: Store,
    pub cfg: Config,
    pub clock: Clock,
    pub lang: Lang,
    pub rep: String,
    /// The queue shows only the rep's leads and unassigned ones (`--as REP`); the
    /// `toggle_everyone` key flips it.
    pub mine_only: bool,
    /// Power mode: a saved result dials the next lead at once (`toggle_power` pauses it).
    pub power: bool,
    pub db_name: String,
    pub keymap: Keymap,
    pub theme: Theme,
    pub view: View,
    pub rows: Vec<QueueRow>,
    pub count: u64,
    /// The count stopped at [`COUNT_CAP`] (shown as "999+").
    pub count_capped: bool,
    /// A count has been made (false until the worker's first one lands: shown as `…`).
    pub count_known: bool,
    /// Counts off the main thread (a real terminal only; see `counter.rs`); `None`: inline.
    pub count_worker: Option<super::counter::CountWorker>,
    /// How many queue rows `reload` reads: `[queue] window`, or at the start on a real
    /// terminal only the rows the screen can show, until [`App::widen_window`].
    window: u32,
    pub selected: usize,
    pub detail: Option<Detail>,
    pub upcoming: Vec<Upcoming>,
    /// `/`: the search line and its results; the queue's keys act on the found lead.
    pub search: Option<super::search::Search>,
    /// The search line has the keyboard.
    pub filter_editing: bool,
    pub note: Option<super::text_field::TextField>,
    /// The touch line (`t`): a touch on another channel being written.
    pub touch: Option<super::touch::TouchLine>,
    /// The call result form (`u`, `r`, `a`, `l`, `o`).
    pub result_form: Option<ResultForm>,
    /// The lead edit form (`e`).
    pub edit_form: Option<EditForm>,
    pub help: bool,
    /// First line of the help overlay shown (it scrolls when the terminal is short).
    pub help_scroll: u16,
    /// A failed read or write, shown in a modal until dismissed.
    pub error: Option<String>,
    pub toast: Option<Toast>,
    pub call: Option<Call>,
    /// A do-not-call lead the rep tried to dial once: the next call key on it dials anyway.
    pub dial_anyway: Option<i64>,
    /// Activity ids recorded in this session, for undo (last on top).
    pub undo_stack: Vec<i64>,
    pub quit: bool,
    /// Raw terminal output to write after the next draw (OSC 52 copies).
    pub outbox: Vec<String>,
    /// Whether `start_call` may use the system clipboard (tests turn it off).
    pub use_clipboard: bool,
    pub(crate) clipboard: Option<arboard::Clipboard>,
    /// The dashboard's numbers, computed when the view is opened.
    pub dashboard: Option<crate::report::Dashboard>,
    /// Claims held and changes noticed (team mode, SPEC §5).
    pub holds: super::hold::Holds,
    /// The meetings to report, read when the view is opened and after each result.
    pub meetings: Vec<crate::store::MeetingDue>,
    pub meetings_selected: usize,
    /// The amount being typed for a meeting won (`w` in the meetings view).
    pub won_amount: Option<String>,
}

/// The queue count shown on screen stops here.
/// 999, not 9,999: with `--as` the count reads a table row per lead it counts (the owner is
/// not in `leads_due`), and 9,999 random rows were most of the 28–46 ms from Enter to the
/// next frame at 100k–1M (`benches/pty.rs`). "999+ to call" tells a rep as much.
pub const COUNT_CAP: u64 = 999;

impl App {
    /// The queue count as shown: `999+` when it reached the cap, `…` before the first count.
    pub fn count_label(&self) -> String {
        if !self.count_known {
            "…".to_string()
        } else if self.count_capped {
            format!("{}+", self.count)
        } else {
            self.count.to_string()
        }
    }

    /// The app on an open store, counting inline. Fails on a bad `[keys]` table or an
    /// unreadable queue.
    pub fn new(store: Store, ctx: &Ctx) -> anyhow::Result<App> {
        App::with_count_worker(store, ctx, None, None)
    }

    /// [`App::new`], the count made by `worker` when there is one (the first frame then comes
    /// before the count; see `counter.rs`), and the first queue window cut to `first_window`
    /// rows when given (the rows a terminal of that height can show: the first frame then
    /// reads those leads only, the rest after it, in [`App::widen_window`]).
    pub fn with_count_worker(
        store: Store,
        ctx: &Ctx,
        worker: Option<super::counter::CountWorker>,
        first_window: Option<u32>,
    ) -> anyhow::Result<App> {
        let keymap = Keymap::from_config(&ctx.cfg)?;
        let db_name = store
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut app = App {
            store,
            cfg: ctx.cfg.clone(),
            clock: ctx.clock,
            lang: ctx.lang,
            rep: ctx.rep.clone(),
            mine_only: ctx.mine_only,
            power: ctx.cfg.power_mode,
            db_name: crate::domain::text::sanitize_line(&db_name),
            keymap,
            theme: Theme::from_config(&ctx.cfg),
            view: View::Queue,
            rows: Vec::new(),
            count: 0,
            count_capped: false,
            count_known: false,
            count_worker: worker,
            window: first_window.map_or(ctx.cfg.queue_window, |w| w.clamp(1, ctx.cfg.queue_window)),
            selected: 0,
            detail: None,
            upcoming: Vec::new(),
            search: None,
            filter_editing: false,
            note: None,
            touch: None,
            result_form: None,
            edit_form: None,
            help: false,
            help_scroll: 0,
            error: None,
            toast: None,
            call: None,
            dial_anyway: None,
            undo_stack: Vec::new(),
            quit: false,
            outbox: Vec::new(),
            use_clipboard: true,
            dashboard: None,
            meetings: Vec::new(),
            meetings_selected: 0,
            won_amount: None,
            clipboard: None,
            holds: super::hold::Holds::default(),
        };
        // From here on, another connection's write makes the next tick re-read the queue.
        let _ = app.store.others_changed();
        app.reload()?;
        Ok(app)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Who has the keyboard.
    pub fn mode(&self) -> Mode {
        if self.error.is_some() {
            Mode::Modal
        } else if self.help {
            Mode::Help
        } else if self.result_form.is_some() || self.edit_form.is_some() {
            Mode::Form
        } else if self.note.is_some() || self.won_amount.is_some() || self.touch.is_some() {
            Mode::Note
        } else if self.filter_editing {
            Mode::Filter
        } else if self.view == View::Meetings {
            Mode::Meetings
        } else {
            Mode::Queue
        }
    }

    /// The queue row of the lead the keys act on (while searching: the found lead's row when
    /// it is in the queue window).
    pub fn selected_row(&self) -> Option<&QueueRow> {
        match &self.search {
            Some(s) => {
                let id = s.current()?.id;
                self.rows.iter().find(|r| r.id == id)
            }
            None => self.rows.get(self.selected),
        }
    }

    pub(crate) fn toast(&mut self, text: String, error: bool) {
        self.toast = Some(Toast {
            text,
            error,
            at: self.now(),
        });
    }

    /// Re-read the queue window, the count, the search results and the selected lead. Keeps
    /// the selection on the same lead when it is still in the window, else on the same position.
    pub fn reload(&mut self) -> anyhow::Result<()> {
        self.ask_count(self.now())?;
        self.reload_rows()
    }

    /// Read the whole `[queue] window` when the first was cut to the screen, keeping the
    /// selection; the count is not asked again. Done on the first tick after the start (the
    /// event source ticks as soon as the count lands), or before a move that would reach the
    /// end of the cut window: a key pressed right after the first frame does not wait for it.
    pub fn widen_window(&mut self) -> anyhow::Result<()> {
        if self.window >= self.cfg.queue_window {
            return Ok(());
        }
        let full = self.rows.len() < self.window as usize;
        self.window = self.cfg.queue_window;
        if full {
            // The queue had fewer leads than the cut window: there is nothing more to read.
            return Ok(());
        }
        self.reload_rows()
    }

    /// Whether the queue window is still the cut one of the start.
    pub(crate) fn window_is_cut(&self) -> bool {
        self.window < self.cfg.queue_window
    }

    /// [`App::reload`] without the count.
    fn reload_rows(&mut self) -> anyhow::Result<()> {
        let now = self.now();
        let keep = self.rows.get(self.selected).map(|r| r.id);
        let owner = self.mine_only.then_some(self.rep.as_str());
        // The queue is never narrowed: `/` searches every lead instead (`search.rs`).
        self.rows = self.store.queue(&QueueQuery {
            now,
            cfg: &self.cfg,
            limit: self.window,
            filter: None,
            owner,
        })?;
        self.selected = keep
            .and_then(|id| self.rows.iter().position(|r| r.id == id))
            .unwrap_or(self.selected)
            .min(self.rows.len().saturating_sub(1));
        self.upcoming = if self.rows.is_empty() {
            self.store.upcoming_for(&self.cfg, now, owner, 5)?
        } else {
            Vec::new()
        };
        if self.search.is_some() {
            // the found lead's standing may have changed with the write
            self.run_search();
        }
        self.load_detail()
    }

    /// Count the queue now, or ask the worker to (the count lands in [`App::collect_count`]).
    /// A bounded count: the exact one costs a scan of every callable lead at 1M leads.
    fn ask_count(&mut self, now: DateTime<Utc>) -> anyhow::Result<()> {
        let owner = self.mine_only.then_some(self.rep.as_str());
        if let Some(w) = &mut self.count_worker {
            w.ask(&self.cfg, now, owner);
            return Ok(());
        }
        let (n, capped) = self
            .store
            .queue_count_upto_for(&self.cfg, now, None, owner, COUNT_CAP)?;
        self.count = n;
        self.count_capped = capped;
        self.count_known = true;
        Ok(())
    }

    /// After a draw: send the worker the count asked for since (see `counter.rs`); a worker
    /// that is gone is dropped and the count made inline.
    pub fn frame_drawn(&mut self) {
        if let Some(w) = &mut self.count_worker
            && !w.send_held()
        {
            self.count_worker = None;
            if let Err(e) = self.ask_count(self.now()) {
                self.error = Some(self.say(&e));
            }
        }
    }

    /// Take the worker's count if it has landed; true when the screen changes. A worker that
    /// failed or is gone is dropped and the count made inline (its error shown as any other).
    pub fn collect_count(&mut self) -> bool {
        let Some(w) = &mut self.count_worker else {
            return false;
        };
        match w.take() {
            super::counter::Landed::Nothing => false,
            super::counter::Landed::Count(n, capped) => {
                self.count = n;
                self.count_capped = capped;
                self.count_known = true;
                true
            }
            super::counter::Landed::Failed => {
                self.count_worker = None;
                if let Err(e) = self.ask_count(self.now()) {
                    self.error = Some(self.say(&e));
                }
                true
            }
        }
    }

    /// An error as one line in the rep's language, naming this database where needed.
    pub(crate) fn say(&self, e: &anyhow::Error) -> String {
        crate::commands::output::one_line(e, self.lang, Some(self.store.path()))
    }

    /// A store error as one line in the rep's language, naming this database where needed.
    pub(crate) fn say_store(&self, e: &crate::store::StoreError) -> String {
        e.text(self.lang, self.store.path())
    }

    /// [`reload`](App::reload), with a failure shown in the error modal.
    pub(crate) fn refresh(&mut self) {
        if let Err(e) = self.reload() {
            self.error = Some(self.say(&e));
        }
    }

    pub(crate) fn load_detail(&mut self) -> anyhow::Result<()> {
        self.detail = match self.current_lead().map(|(id, _)| id) {
            Some(id) => Some(Detail {
                lead: self.store.lead(id)?,
                history: self.store.history(id)?,
            }),
            None => None,
        };
        Ok(())
    }
}
