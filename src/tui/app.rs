//! The model: view caches only (the visible queue window, the selected lead with its history,
//! the form, toast, filter, call timer). SQLite is the source of truth: after every write the
//! window is re-queried, keeping the selection by lead id. `App::update` is the only mutator.

use super::action::{Action, Msg};
use super::form::Form;
use super::keymap::{Key, Keymap, Mode};
use super::theme::Theme;
use crate::clock::Clock;
use crate::config::Config;
use crate::ctx::Ctx;
use crate::domain::CallResult;
use crate::i18n::{Lang, Msg as T};
use crate::store::{Activity, Lead, QueueQuery, QueueRow, Store, Upcoming};
use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Which screen is shown. `Tab` cycles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Queue,
    Dashboard,
}

/// The selected lead, read fresh from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub lead: Lead,
    pub history: Vec<Activity>,
}

/// A one-line confirmation or error, shown since `at` (by the app's clock).
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    pub at: DateTime<Utc>,
}

/// A call in progress: the number and when it started (by the app's clock).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub lead_id: i64,
    pub phone: String,
    pub started: DateTime<Utc>,
}

impl Call {
    /// Seconds on the call at `now` (0 if the clock went back).
    pub fn seconds(&self, now: DateTime<Utc>) -> u32 {
        u32::try_from((now - self.started).num_seconds().max(0)).unwrap_or(u32::MAX)
    }
}

/// How long a toast stays.
const TOAST_TTL: chrono::TimeDelta = chrono::TimeDelta::seconds(8);
/// Rows moved by page up/down.
const PAGE: usize = 10;

pub struct App {
    pub store: Store,
    pub cfg: Config,
    pub clock: Clock,
    pub lang: Lang,
    pub rep: String,
    pub db_name: String,
    pub keymap: Keymap,
    pub theme: Theme,
    pub view: View,
    pub rows: Vec<QueueRow>,
    pub count: u64,
    /// The count stopped at [`COUNT_CAP`] (shown as "9999+").
    pub count_capped: bool,
    pub selected: usize,
    pub detail: Option<Detail>,
    pub upcoming: Vec<Upcoming>,
    pub filter: String,
    pub filter_editing: bool,
    pub note: Option<String>,
    pub form: Option<Form>,
    /// The lead edit form (`e`).
    pub edit: Option<super::edit_form::EditForm>,
    pub help: bool,
    /// First line of the help overlay shown (it scrolls when the terminal is short).
    pub help_scroll: u16,
    pub modal: Option<String>,
    pub toast: Option<Toast>,
    pub call: Option<Call>,
    /// Activity ids recorded in this session, for undo (last on top).
    pub session: Vec<i64>,
    pub quit: bool,
    /// Raw terminal output to write after the next draw (OSC 52 copies).
    pub outbox: Vec<String>,
    /// Whether `start_call` may use the system clipboard (tests turn it off).
    pub use_clipboard: bool,
    pub(crate) clipboard: Option<arboard::Clipboard>,
    /// The dashboard's numbers, computed when the view is opened.
    pub dashboard: Option<crate::report::Dashboard>,
}

/// The queue count shown on screen stops here.
pub const COUNT_CAP: u64 = 9999;

impl App {
    /// The queue count as shown: `9999+` when it reached the cap.
    pub fn count_label(&self) -> String {
        if self.count_capped {
            format!("{}+", self.count)
        } else {
            self.count.to_string()
        }
    }

    /// The app on an open store. Fails on a bad `[keys]` table or an unreadable queue.
    pub fn new(store: Store, ctx: &Ctx) -> anyhow::Result<App> {
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
            db_name: crate::domain::text::sanitize_line(&db_name),
            keymap,
            theme: Theme::from_config(&ctx.cfg),
            view: View::Queue,
            rows: Vec::new(),
            count: 0,
            count_capped: false,
            selected: 0,
            detail: None,
            upcoming: Vec::new(),
            filter: String::new(),
            filter_editing: false,
            note: None,
            form: None,
            edit: None,
            help: false,
            help_scroll: 0,
            modal: None,
            toast: None,
            call: None,
            session: Vec::new(),
            quit: false,
            outbox: Vec::new(),
            use_clipboard: true,
            dashboard: None,
            clipboard: None,
        };
        app.reload()?;
        Ok(app)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Who has the keyboard.
    pub fn mode(&self) -> Mode {
        if self.modal.is_some() {
            Mode::Modal
        } else if self.help {
            Mode::Help
        } else if self.form.is_some() || self.edit.is_some() {
            Mode::Form
        } else if self.note.is_some() {
            Mode::Note
        } else if self.filter_editing {
            Mode::Filter
        } else {
            Mode::Queue
        }
    }

    pub fn selected_row(&self) -> Option<&QueueRow> {
        self.rows.get(self.selected)
    }

    /// A key press: the binding table first, then typing into a text field.
    pub fn handle_key(&mut self, ev: KeyEvent) {
        let mode = self.mode();
        let key = Key::from_event(&ev);
        if let Some(a) = self.keymap.lookup(mode, key) {
            self.update(Msg::Act(a));
        } else if let KeyCode::Char(c) = ev.code
            && !ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            && matches!(mode, Mode::Form | Mode::Filter | Mode::Note)
        {
            self.update(Msg::Char(c));
        }
    }

    /// The only mutator.
    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Tick => {
                let now = self.now();
                if self.toast.as_ref().is_some_and(|t| now - t.at > TOAST_TTL) {
                    self.toast = None;
                }
            }
            Msg::Char(c) => match self.mode() {
                Mode::Form => {
                    if let Some(e) = self.edit.as_mut() {
                        e.type_char(c);
                    } else if let Some(f) = self.form.as_mut() {
                        f.type_char(c);
                    }
                }
                Mode::Filter => {
                    self.filter.push(c);
                    self.refresh();
                }
                Mode::Note => {
                    if let Some(n) = self.note.as_mut() {
                        n.push(c);
                    }
                }
                _ => {}
            },
            Msg::Act(a) => match self.mode() {
                Mode::Modal => {
                    if matches!(a, Action::Save | Action::Cancel) {
                        self.modal = None;
                    }
                }
                Mode::Help => match a {
                    Action::Help | Action::Cancel => self.help = false,
                    Action::Quit => self.quit = true,
                    Action::MoveDown => self.help_scroll = self.help_scroll.saturating_add(1),
                    Action::MoveUp => self.help_scroll = self.help_scroll.saturating_sub(1),
                    Action::Top => self.help_scroll = 0,
                    _ => {}
                },
                Mode::Form if self.edit.is_some() => self.edit_action(a),
                Mode::Form => self.form_action(a),
                Mode::Filter => match a {
                    Action::Save => self.filter_editing = false,
                    Action::Cancel => {
                        self.filter_editing = false;
                        self.filter.clear();
                        self.refresh();
                    }
                    Action::DeleteChar => {
                        self.filter.pop();
                        self.refresh();
                    }
                    _ => {}
                },
                Mode::Note => match a {
                    Action::Save => self.save_note(),
                    Action::Cancel => self.note = None,
                    Action::DeleteChar => {
                        if let Some(n) = self.note.as_mut() {
                            n.pop();
                        }
                    }
                    _ => {}
                },
                Mode::Queue => self.queue_action(a),
            },
        }
    }

    fn queue_action(&mut self, a: Action) {
        match a {
            Action::SwitchView => {
                self.view = match self.view {
                    View::Queue => View::Dashboard,
                    View::Dashboard => View::Queue,
                };
                if self.view == View::Dashboard {
                    match crate::report::dashboard(&self.store, &self.cfg, self.now()) {
                        Ok(d) => self.dashboard = Some(d),
                        Err(e) => {
                            self.dashboard = None;
                            self.modal = Some(format!("{e:#}"));
                        }
                    }
                }
                return;
            }
            Action::Help => {
                self.help = true;
                self.help_scroll = 0;
                return;
            }
            Action::Quit => {
                self.quit = true;
                return;
            }
            _ => {}
        }
        if self.view != View::Queue {
            return;
        }
        let last = self.rows.len().saturating_sub(1);
        match a {
            Action::MoveDown => self.select(self.selected.saturating_add(1).min(last)),
            Action::MoveUp => self.select(self.selected.saturating_sub(1)),
            Action::Top => self.select(0),
            Action::Bottom => self.select(last),
            Action::PageDown => self.select(self.selected.saturating_add(PAGE).min(last)),
            Action::PageUp => self.select(self.selected.saturating_sub(PAGE)),
            Action::StartCall => self.start_call(),
            Action::Undo => self.undo(),
            Action::AddNote => {
                if self.detail.is_some() {
                    self.note = Some(String::new());
                } else {
                    self.toast(T::NoLeadSelected.text(self.lang).into(), true);
                }
            }
            Action::EditLead => self.open_edit(),
            Action::Filter => self.filter_editing = true,
            Action::ClearFilter => {
                if !self.filter.is_empty() {
                    self.filter.clear();
                    self.refresh();
                }
            }
            other => {
                if let Some(result) = other.result() {
                    self.open_form(result);
                }
            }
        }
    }

    fn form_action(&mut self, a: Action) {
        let Some(f) = self.form.as_mut() else { return };
        match a {
            Action::Save => self.save_form(),
            Action::Cancel => self.form = None,
            Action::NextField => f.next_field(),
            Action::PrevField => f.prev_field(),
            Action::NextChoice => f.cycle(true),
            Action::PrevChoice => f.cycle(false),
            Action::DeleteChar => f.backspace(),
            _ => {}
        }
    }

    fn select(&mut self, i: usize) {
        if i != self.selected || self.detail.is_none() {
            self.selected = i;
            if let Err(e) = self.load_detail() {
                self.modal = Some(e.to_string());
            }
        }
    }

    pub(crate) fn toast(&mut self, text: String, error: bool) {
        self.toast = Some(Toast {
            text,
            error,
            at: self.now(),
        });
    }

    /// Re-read the queue window, the count and the selected lead. Keeps the selection on the
    /// same lead when it is still in the window, else on the same position.
    pub fn reload(&mut self) -> anyhow::Result<()> {
        let now = self.now();
        let keep = self.selected_row().map(|r| r.id);
        let filter = Some(self.filter.as_str()).filter(|f| !f.trim().is_empty());
        self.rows = self.store.queue(&QueueQuery {
            now,
            cfg: &self.cfg,
            limit: self.cfg.queue_window,
            filter,
        })?;
        // A bounded count: the exact one costs a scan of every callable lead at 1M leads.
        let (n, capped) = self
            .store
            .queue_count_upto(&self.cfg, now, filter, COUNT_CAP)?;
        self.count = n;
        self.count_capped = capped;
        self.selected = keep
            .and_then(|id| self.rows.iter().position(|r| r.id == id))
            .unwrap_or(self.selected)
            .min(self.rows.len().saturating_sub(1));
        self.upcoming = if self.rows.is_empty() && filter.is_none() {
            self.store.upcoming(&self.cfg, now, 5)?
        } else {
            Vec::new()
        };
        self.load_detail()
    }

    pub(crate) fn refresh(&mut self) {
        if let Err(e) = self.reload() {
            self.modal = Some(format!("{e:#}"));
        }
    }

    fn load_detail(&mut self) -> anyhow::Result<()> {
        self.detail = match self.selected_row().map(|r| r.id) {
            Some(id) => Some(Detail {
                lead: self.store.lead(id)?,
                history: self.store.history(id)?,
            }),
            None => None,
        };
        Ok(())
    }

    fn open_form(&mut self, result: CallResult) {
        let Some(d) = &self.detail else {
            self.toast(T::NoLeadSelected.text(self.lang).into(), true);
            return;
        };
        let now = self.now();
        self.form = Some(Form::open(
            result, &d.lead, &self.cfg, &self.rep, now, self.lang,
        ));
    }

    fn save_form(&mut self) {
        let Some(form) = self.form.as_ref() else {
            return;
        };
        let now = self.now();
        let duration = self
            .call
            .as_ref()
            .filter(|c| c.lead_id == form.lead_id)
            .map(|c| c.seconds(now));
        let input = match form.to_input(&self.rep, now, &self.cfg, self.lang, duration) {
            Ok(i) => i,
            Err(msg) => {
                if let Some(f) = self.form.as_mut() {
                    f.error = Some(msg);
                }
                return;
            }
        };
        match self.store.record_result(&input, &self.cfg, now) {
            Ok(rec) => {
                self.session.push(rec.activity_id);
                if self.call.as_ref().is_some_and(|c| c.lead_id == rec.lead_id) {
                    self.call = None;
                }
                self.form = None;
                let text = self.result_toast(&rec);
                self.toast(text, false);
                self.refresh();
            }
            Err(e) => {
                if let Some(f) = self.form.as_mut() {
                    f.error = Some(e.to_string());
                }
            }
        }
    }

    fn undo(&mut self) {
        let Some(id) = self.session.pop() else {
            self.toast(T::NothingToUndo.text(self.lang).into(), true);
            return;
        };
        match self.store.undo(id, &self.cfg) {
            Ok(lead_id) => {
                self.refresh();
                if let Some(i) = self.rows.iter().position(|r| r.id == lead_id) {
                    self.select(i);
                }
                self.toast(T::Undone.text(self.lang).into(), false);
            }
            Err(e) => self.modal = Some(e.to_string()),
        }
    }

    fn save_note(&mut self) {
        let Some(text) = self.note.take() else { return };
        let Some(id) = self.detail.as_ref().map(|d| d.lead.id) else {
            return;
        };
        let now = self.now();
        match self.store.add_note(id, &self.rep, &text, now) {
            Ok(_) => {
                self.toast(T::NoteSaved.text(self.lang).into(), false);
                self.refresh();
            }
            Err(e) => self.modal = Some(e.to_string()),
        }
    }
}
