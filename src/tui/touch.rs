//! `t`: a touch on another channel (an email sent or answered, LinkedIn, SMS, a letter, an
//! inbound call) for the selected lead, on the status line: ←/→ picks what happened, typing
//! writes the note, `Enter` saves it in one transaction (undo with `z`), `Esc` writes nothing.

use super::action::Action;
use super::app::App;
use crate::domain::touch::TouchKind;
use crate::i18n::{Label, Phrase};
use crate::store::TouchInput;

/// The touch being written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TouchLine {
    /// Index into [`TouchKind::ALL`].
    pub kind: usize,
    pub note: super::text_field::TextField,
}

impl TouchLine {
    pub fn kind(&self) -> TouchKind {
        TouchKind::ALL[self.kind % TouchKind::ALL.len()]
    }
}

impl App {
    /// `t`: open the touch line on the selected lead.
    pub(super) fn open_touch(&mut self) {
        if self.detail.is_some() {
            self.touch = Some(TouchLine::default());
        } else {
            self.toast(Phrase::NoLeadSelected.text(self.lang).into(), true);
        }
    }

    /// A bound action while the touch line is open.
    pub(super) fn touch_action(&mut self, a: Action) {
        let Some(t) = self.touch.as_mut() else {
            return;
        };
        let n = TouchKind::ALL.len();
        match a {
            Action::Save => self.save_touch(),
            Action::Cancel => self.touch = None,
            Action::NextChoice => t.kind = (t.kind + 1) % n,
            Action::PrevChoice => t.kind = (t.kind + n - 1) % n,
            Action::DeleteChar => {
                t.note.pop();
            }
            _ => {}
        }
    }

    fn save_touch(&mut self) {
        let Some(line) = self.touch.take() else {
            return;
        };
        let Some(id) = self.detail.as_ref().map(|d| d.lead.id) else {
            return;
        };
        let input = TouchInput {
            lead_id: id,
            kind: line.kind(),
            note: Some(line.note.text().trim().to_string()).filter(|n| !n.is_empty()),
            rep: self.rep.clone(),
        };
        let now = self.now();
        match self.store.record_touch(&input, &self.cfg, now) {
            Ok(t) => {
                self.saved_hold(t.lead_id);
                self.undo_stack.push(t.activity_id);
                let lang = self.lang;
                // A reply or an inbound call leaves the next call where it was: say the status.
                let tail = match &t.next {
                    Some(n) if !t.kind.inbound() => Phrase::ToastNextTry.fill(
                        lang,
                        &[&crate::tui::view::fmt_when(
                            n.due,
                            self.cfg.time_zone,
                            now,
                            lang,
                        )],
                    ),
                    _ => t.status.label(lang).to_string(),
                };
                self.toast(format!("{} · {tail}", t.kind.label(lang)), false);
                self.refresh();
            }
            Err(e) => {
                let msg = self.say_store(&e);
                self.touch = Some(line);
                self.toast(msg, true);
            }
        }
    }
}
