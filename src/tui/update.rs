//! `App::update`, the only mutator, and the steps it takes: a key press is looked up in the
//! binding table for the current mode and becomes a [`Msg`]; `update` routes it by mode to
//! the queue, a form, the filter or note line, the help overlay or the error modal. A result
//! key opens the result form (prefilled from the cadence); Enter validates it and records it
//! in one store transaction, then the caches are re-read and a toast says what happens next.

use super::action::{Action, Msg};
use super::app::{App, View};
use super::dial::{Call, clean_number, osc52, run_dial_command};
use super::edit_form::EditForm;
use super::keymap::{Key, Mode};
use super::result_form::ResultForm;
use super::view::fmt_when;
use crate::domain::{CallResult, LeadStatus};
use crate::i18n::{Label, Phrase};
use crate::store::{Recorded, StoreError};
use chrono::{DateTime, TimeDelta, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How long a toast stays.
const TOAST_TTL: TimeDelta = TimeDelta::seconds(8);
/// Rows moved by page up/down.
const PAGE: usize = 10;

mod record;

impl App {
    /// A key press: the binding table first, then typing into a text field.
    pub fn handle_key(&mut self, ev: KeyEvent) {
        let mode = self.mode();
        // Editing keys on a focused text field come first (they are not rebindable: they work
        // as in every text field).
        if self.edit_text_key(&ev) {
            return;
        }
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

    /// The only mutator: a tick, a typed character or a bound action, routed by mode.
    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Tick => {
                self.keep_holds();
                self.expire_toast();
                self.widen();
            }
            Msg::Char(c) => self.type_char(c),
            Msg::Act(a) => match self.mode() {
                Mode::Modal => self.error_action(a),
                Mode::Help => self.help_action(a),
                Mode::Form if self.edit_form.is_some() => self.edit_form_action(a),
                Mode::Form => self.result_form_action(a),
                Mode::Filter => self.filter_action(a),
                Mode::Note if self.won_amount.is_some() => self.won_amount_action(a),
                Mode::Note if self.touch.is_some() => self.touch_action(a),
                Mode::Note => self.note_action(a),
                Mode::Meetings => self.meetings_action(a),
                Mode::Queue => self.queue_action(a),
            },
        }
    }

    /// The rest of a queue window cut at the start (see [`App::widen_window`]).
    fn widen(&mut self) {
        if let Err(e) = self.widen_window() {
            self.error = Some(self.say(&e));
        }
    }

    /// The tick: a toast older than [`TOAST_TTL`] by the app's clock goes.
    fn expire_toast(&mut self) {
        let now = self.now();
        if self.toast.as_ref().is_some_and(|t| now - t.at > TOAST_TTL) {
            self.toast = None;
        }
    }

    /// A character for the text field that has the keyboard.
    fn type_char(&mut self, c: char) {
        match self.mode() {
            Mode::Form => {
                if let Some(e) = self.edit_form.as_mut() {
                    e.type_char(c);
                } else if let Some(f) = self.result_form.as_mut() {
                    f.type_char(c);
                }
            }
            Mode::Filter => {
                if let Some(s) = self.search.as_mut() {
                    s.text.push(c);
                }
                self.run_search();
            }
            Mode::Note => {
                if let Some(n) = self.won_amount.as_mut() {
                    n.push(c);
                } else if let Some(t) = self.touch.as_mut() {
                    t.note.push(c);
                } else if let Some(n) = self.note.as_mut() {
                    n.push(c);
                }
            }
            Mode::Queue | Mode::Meetings | Mode::Help | Mode::Modal => {}
        }
    }

    fn error_action(&mut self, a: Action) {
        if matches!(a, Action::Save | Action::Cancel) {
            self.error = None;
        }
    }

    fn help_action(&mut self, a: Action) {
        match a {
            Action::Help | Action::Cancel => self.help = false,
            Action::Quit => self.quit = true,
            Action::MoveDown => self.help_scroll = self.help_scroll.saturating_add(1),
            Action::MoveUp => self.help_scroll = self.help_scroll.saturating_sub(1),
            Action::Top => self.help_scroll = 0,
            _ => {}
        }
    }

    /// The search line: Enter moves to the results (Esc there, or here, is back to the queue).
    fn filter_action(&mut self, a: Action) {
        match a {
            Action::Save => {
                self.filter_editing = false;
                if self.search.as_ref().is_none_or(|s| s.hits.is_empty()) {
                    self.close_search();
                }
            }
            Action::Cancel => self.close_search(),
            Action::DeleteChar => {
                if let Some(s) = self.search.as_mut() {
                    s.text.pop();
                }
                self.run_search();
            }
            _ => {}
        }
    }

    fn note_action(&mut self, a: Action) {
        match a {
            Action::Save => self.save_note(),
            Action::Cancel => self.note = None,
            Action::DeleteChar => {
                if let Some(n) = self.note.as_mut() {
                    n.pop();
                }
            }
            _ => {}
        }
    }

    /// The queue screen's keys (the dashboard shares the view switch, help and quit).
    fn queue_action(&mut self, a: Action) {
        let reaches_end = match a {
            Action::Bottom => true,
            Action::MoveDown | Action::PageDown => {
                self.selected.saturating_add(PAGE) >= self.rows.len()
            }
            _ => false,
        };
        if reaches_end && self.search.is_none() && self.window_is_cut() {
            self.widen();
        }
        let last = self.list_len().saturating_sub(1);
        let at = self.list_selected();
        match a {
            Action::SwitchView => self.switch_view(),
            Action::Help => {
                self.help = true;
                self.help_scroll = 0;
            }
            Action::Quit => self.quit = true,
            // Everything below acts on the queue, which the dashboard does not show.
            _ if self.view != View::Queue => {}
            Action::MoveDown => self.select(at.saturating_add(1).min(last)),
            Action::MoveUp => self.select(at.saturating_sub(1)),
            Action::Top => self.select(0),
            Action::Bottom => self.select(last),
            Action::PageDown => self.select(at.saturating_add(PAGE).min(last)),
            Action::PageUp => self.select(at.saturating_sub(PAGE)),
            Action::StartCall => self.start_call(),
            Action::RecordUnconnected => self.open_result_form(CallResult::Unconnected),
            Action::RecordRecall => self.open_result_form(CallResult::Recall),
            Action::RecordAppointment => self.open_result_form(CallResult::Appointment),
            Action::RecordLost => self.open_result_form(CallResult::Lost),
            Action::RecordOutOfScope => self.open_result_form(CallResult::OutOfScope),
            Action::Undo => self.undo(),
            Action::AddNote => self.open_note(),
            Action::AddTouch => self.open_touch(),
            Action::EditLead => self.open_edit_form(),
            Action::DoNotCall => self.mark_do_not_call(),
            Action::TogglePower => {
                self.power = !self.power;
                let p = if self.power {
                    Phrase::PowerOn
                } else {
                    Phrase::PowerPaused
                };
                self.toast(p.text(self.lang).to_string(), false);
            }
            Action::ToggleEveryone => {
                self.mine_only = !self.mine_only;
                let p = if self.mine_only {
                    Phrase::QueueMine.fill(self.lang, &[&self.rep])
                } else {
                    Phrase::QueueEveryone.text(self.lang).to_string()
                };
                self.toast(p, false);
                self.refresh();
            }
            Action::Filter => self.open_search(),
            Action::ClearFilter => self.close_search(),
            // The form, text-line and meeting actions are not bound in the queue.
            Action::MeetingHeld
            | Action::MeetingNoShow
            | Action::MeetingWon
            | Action::MeetingLost
            | Action::Save
            | Action::Cancel
            | Action::NextField
            | Action::PrevField
            | Action::NextChoice
            | Action::PrevChoice
            | Action::DeleteChar => {}
        }
    }

    /// `Tab`: queue → dashboard → meetings to report → queue; the dashboard's numbers and
    /// the meetings are read as they open.
    pub(crate) fn switch_view(&mut self) {
        self.view = match self.view {
            View::Queue => View::Dashboard,
            View::Dashboard => View::Meetings,
            View::Meetings => View::Queue,
        };
        if self.view == View::Meetings {
            self.load_meetings();
        }
        if self.view == View::Dashboard {
            // See `commands::report`: without the funnel's counts the dashboard scans instead.
            let _ = self.store.prepare_reports(self.cfg.time_zone);
            match crate::report::dashboard(&self.store, &self.cfg, self.now()) {
                Ok(d) => self.dashboard = Some(d),
                Err(e) => {
                    self.dashboard = None;
                    self.error = Some(self.say(&e));
                }
            }
        }
    }

    fn select(&mut self, i: usize) {
        if i != self.list_selected() || self.detail.is_none() {
            match self.search.as_mut() {
                Some(s) => s.selected = i,
                None => self.selected = i,
            }
            if let Err(e) = self.load_detail() {
                self.error = Some(self.say(&e));
            }
        }
    }

    /// `n`: the note line for the selected lead.
    fn open_note(&mut self) {
        if self.detail.is_some() {
            self.note = Some(super::text_field::TextField::default());
        } else {
            self.toast(Phrase::NoLeadSelected.text(self.lang).into(), true);
        }
    }

    fn save_note(&mut self) {
        let Some(text) = self.note.take().map(|t| t.text().to_string()) else {
            return;
        };
        let Some(id) = self.detail.as_ref().map(|d| d.lead.id) else {
            return;
        };
        let now = self.now();
        match self.store.add_note(id, &self.rep, &text, now) {
            Ok(_) => {
                self.toast(Phrase::NoteSaved.text(self.lang).into(), false);
                self.refresh();
            }
            Err(e) => self.error = Some(self.say_store(&e)),
        }
    }

    /// `e`: open the edit form on the selected lead.
    fn open_edit_form(&mut self) {
        match &self.detail {
            Some(d) => self.edit_form = Some(EditForm::open(&d.lead)),
            None => self.toast(Phrase::NoLeadSelected.text(self.lang).into(), true),
        }
    }

    /// A bound action while the edit form is open.
    fn edit_form_action(&mut self, a: Action) {
        let Some(f) = self.edit_form.as_mut() else {
            return;
        };
        match a {
            Action::Save => self.save_edit_form(),
            Action::Cancel => self.edit_form = None,
            Action::NextField => f.next_field(),
            Action::PrevField => f.prev_field(),
            Action::NextChoice => f.cycle(true),
            Action::PrevChoice => f.cycle(false),
            Action::DeleteChar => f.backspace(),
            _ => {}
        }
    }

    fn save_edit_form(&mut self) {
        let Some(form) = self.edit_form.as_ref() else {
            return;
        };
        let (id, now) = (form.lead_id, self.now());
        match self.store.update_lead(id, &form.edit, &self.cfg, now) {
            Ok(_) => {
                self.edit_form = None;
                // `reload` keeps the selection on this lead (by id) while it is in the window.
                self.refresh();
                self.toast(Phrase::LeadUpdated.text(self.lang).into(), false);
            }
            Err(e) => {
                let msg = self.say_store(&e);
                if let Some(f) = self.edit_form.as_mut() {
                    f.error = Some(msg);
                }
            }
        }
    }

    /// `D`: mark the selected lead do-not-call; it leaves the queue at once.
    fn mark_do_not_call(&mut self) {
        let lang = self.lang;
        let Some(id) = self.current_lead().map(|(id, _)| id) else {
            self.toast(Phrase::NoLeadSelected.text(lang).into(), true);
            return;
        };
        let why = Phrase::DncByRep.fill(lang, &[&self.rep]);
        match self.store.set_do_not_call(id, true, Some(&why), self.now()) {
            Ok(lead) => {
                let company = crate::domain::text::sanitize_line(&lead.company);
                self.toast(Phrase::DncMarked.fill(lang, &[&company]), false);
                self.refresh();
            }
            Err(e) => self.error = Some(self.say_store(&e)),
        }
    }

    /// `c`/Enter: start the call timer, then dial or copy the number.
    fn start_call(&mut self) {
        let lang = self.lang;
        let Some((lead_id, number)) = self.current_lead() else {
            self.toast(Phrase::NoLeadSelected.text(lang).into(), true);
            return;
        };
        // A do-not-call lead (marked since the queue was read, or opened by hand) is dialed
        // only on a second press, after saying why.
        let dnc = self
            .detail
            .as_ref()
            .filter(|d| d.lead.id == lead_id && d.lead.do_not_call)
            .map(|d| d.lead.do_not_call_reason.clone().unwrap_or_default());
        if let Some(why) = dnc {
            if self.dial_anyway != Some(lead_id) {
                self.dial_anyway = Some(lead_id);
                self.toast(Phrase::DncAsk.fill(lang, &[&why]), true);
                return;
            }
            self.dial_anyway = None;
        }
        let has_phone = number
            .as_deref()
            .map(clean_number)
            .is_some_and(|p| !p.is_empty());
        if has_phone && !self.hold(lead_id) {
            return;
        }
        let Some(phone) = number
            .as_deref()
            .map(clean_number)
            .filter(|p| !p.is_empty())
        else {
            self.toast(Phrase::NoPhone.text(lang).into(), true);
            return;
        };
        self.call = Some(Call {
            lead_id,
            phone: phone.clone(),
            started: self.now(),
        });
        // Shown the way people read it (03-4567-8801); dialled and copied as E.164.
        let shown = crate::domain::phone::display(&phone, &self.cfg.phone_region);
        if let Some(cmd) = self.cfg.dial_command.clone() {
            match run_dial_command(&cmd, &phone) {
                Ok(()) => self.toast(Phrase::Dialing.fill(lang, &[&shown]), false),
                Err(e) => self.toast(Phrase::DialFailed.fill(lang, &[&e]), true),
            }
            return;
        }
        self.outbox.push(osc52(&phone));
        let copied = self.use_clipboard && self.copy_to_clipboard(&phone);
        if copied {
            self.toast(Phrase::Copied.fill(lang, &[&shown]), false);
        } else {
            self.toast(Phrase::NumberOnly.fill(lang, &[&shown]), false);
        }
    }

    fn copy_to_clipboard(&mut self, text: &str) -> bool {
        if self.clipboard.is_none() {
            self.clipboard = arboard::Clipboard::new().ok();
        }
        match self.clipboard.as_mut() {
            Some(c) => c.set_text(text.to_string()).is_ok(),
            None => false,
        }
    }
}
