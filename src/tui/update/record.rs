//! Recording a result from the queue: the result form, its save (one transaction, then the
//! toast), and undo.

use super::*;

impl App {
    /// A result key: the form for `result` on the selected lead, prefilled from the cadence.
    pub(super) fn open_result_form(&mut self, result: CallResult) {
        let Some(d) = &self.detail else {
            self.toast(Phrase::NoLeadSelected.text(self.lang).into(), true);
            return;
        };
        let id = d.lead.id;
        if !self.hold(id) {
            return;
        }
        let Some(d) = &self.detail else {
            return;
        };
        let now = self.now();
        self.result_form = Some(ResultForm::open(
            result, &d.lead, &self.cfg, &self.rep, now, self.lang,
        ));
    }

    pub(super) fn result_form_action(&mut self, a: Action) {
        let Some(f) = self.result_form.as_mut() else {
            return;
        };
        match a {
            Action::Save => self.save_result_form(),
            Action::Cancel => {
                let lead = f.lead_id;
                self.result_form = None;
                self.let_go(lead);
            }
            Action::NextField => f.next_field(),
            Action::PrevField => f.prev_field(),
            Action::NextChoice => f.cycle(true),
            Action::PrevChoice => f.cycle(false),
            Action::DeleteChar => f.backspace(),
            _ => {}
        }
    }

    /// Enter on the result form: validate, record in one transaction, then re-read the
    /// caches and say what happens next. Any failure stays in the form, nothing written.
    pub(super) fn save_result_form(&mut self) {
        let Some(form) = self.result_form.as_ref() else {
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
                if let Some(f) = self.result_form.as_mut() {
                    f.error = Some(msg);
                }
                return;
            }
        };
        match self.store.record_result(&input, &self.cfg, now) {
            Ok(rec) => {
                self.saved_hold(rec.lead_id);
                self.undo_stack.push(rec.activity_id);
                if self.call.as_ref().is_some_and(|c| c.lead_id == rec.lead_id) {
                    self.call = None;
                }
                self.result_form = None;
                let text = self.result_toast(&rec);
                self.toast(text.clone(), false);
                self.refresh();
                if self.power && self.error.is_none() && !self.rows.is_empty() {
                    // Power mode: the next lead (where the saved one was) is dialed at once;
                    // the toast keeps what was saved in front of what was dialed.
                    self.start_call();
                    if let Some(t) = self.toast.as_mut() {
                        t.text = format!("{text} → {}", t.text);
                    }
                }
            }
            Err(StoreError::OffHours { their_time }) => {
                // The first Enter warns; the second keeps the time the prospect asked for.
                let msg = Phrase::OffHoursConfirm.fill(self.lang, &[&their_time]);
                if let Some(f) = self.result_form.as_mut() {
                    f.off_hours_confirmed = true;
                    f.error = Some(msg);
                }
            }
            Err(e) => {
                let msg = self.say_store(&e);
                if let Some(f) = self.result_form.as_mut() {
                    f.error = Some(msg);
                }
            }
        }
    }

    /// "Unconnected · next try 16:30".
    pub fn result_toast(&self, rec: &Recorded) -> String {
        let lang = self.lang;
        let now = self.now();
        let when = |t: DateTime<Utc>| fmt_when(t, self.cfg.time_zone, now, lang);
        let tail = match (rec.result, &rec.next) {
            (CallResult::OutOfScope, _) => Phrase::ToastClosed.text(lang).to_string(),
            (CallResult::Unconnected, None) => Phrase::ToastPending.text(lang).to_string(),
            (CallResult::Unconnected, Some(n)) => Phrase::ToastNextTry.fill(lang, &[&when(n.due)]),
            (CallResult::Recall, Some(n)) => Phrase::ToastCallback.fill(lang, &[&when(n.due)]),
            (CallResult::Appointment, Some(n)) if rec.status == LeadStatus::Meeting => {
                Phrase::ToastMeeting.fill(lang, &[&when(n.due)])
            }
            (CallResult::Appointment, _) => Phrase::ToastScheduling.text(lang).to_string(),
            (CallResult::Lost, Some(n)) => Phrase::ToastReapproach.fill(lang, &[&when(n.due)]),
            (CallResult::Lost, None) if rec.status == LeadStatus::Nurturing => {
                Phrase::ToastNurturingOpen.text(lang).to_string()
            }
            (_, None) => Phrase::ToastClosed.text(lang).to_string(),
        };
        // The reason saved, as the form showed it: "Out of scope · left company · closed".
        match rec.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(r) => format!(
                "{} · {} · {tail}",
                rec.result.label(lang),
                crate::i18n::reason_label(&crate::domain::text::sanitize_line(r), lang)
            ),
            None => format!("{} · {tail}", rec.result.label(lang)),
        }
    }

    /// `z`: undo the last result recorded in this session.
    pub(super) fn undo(&mut self) {
        let Some(id) = self.undo_stack.pop() else {
            self.toast(Phrase::NothingToUndo.text(self.lang).into(), true);
            return;
        };
        match self.store.undo(id, &self.cfg) {
            Ok(lead_id) => {
                self.refresh();
                let at = match &self.search {
                    Some(s) => s.hits.iter().position(|h| h.id == lead_id),
                    None => self.rows.iter().position(|r| r.id == lead_id),
                };
                if let Some(i) = at {
                    self.select(i);
                }
                self.toast(Phrase::Undone.text(self.lang).into(), false);
            }
            Err(e) => self.error = Some(self.say_store(&e)),
        }
    }
}
