//! The meetings view's steps of `App::update`: reading the meetings to report, moving the
//! selection, and closing a meeting out (held, no-show, won with the amount typed, lost) in
//! one store transaction, then re-reading the list and the queue and saying what happens next.

use super::action::Action;
use super::app::App;
use super::view::fmt_when;
use crate::domain::MeetingClose;
use crate::i18n::Phrase;
use crate::report::output::money;

/// An amount as a rep types it: `1500000`, `1,500,000`, `¥1,500,000`, `150万` is not read.
fn parse_amount(s: &str) -> Option<f64> {
    let t: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '¥' | '円'))
        .collect();
    let x: f64 = t.parse().ok()?;
    crate::domain::amount::check_amount("", x).ok()
}

/// How many meetings the view reads.
const MEETINGS_LIMIT: u32 = 200;

impl App {
    /// Re-read the meetings to report, keeping the selection on the same position.
    pub(crate) fn load_meetings(&mut self) {
        match self.store.meetings_to_report(self.now(), MEETINGS_LIMIT) {
            Ok(m) => {
                self.meetings = m;
                self.meetings_selected = self
                    .meetings_selected
                    .min(self.meetings.len().saturating_sub(1));
            }
            Err(e) => self.error = Some(self.say_store(&e)),
        }
    }

    /// A key of the meetings view.
    pub(crate) fn meetings_action(&mut self, a: Action) {
        let last = self.meetings.len().saturating_sub(1);
        match a {
            Action::SwitchView => self.switch_view(),
            Action::Help => {
                self.help = true;
                self.help_scroll = 0;
            }
            Action::Quit => self.quit = true,
            Action::MoveDown => self.meetings_selected = (self.meetings_selected + 1).min(last),
            Action::MoveUp => self.meetings_selected = self.meetings_selected.saturating_sub(1),
            Action::Top => self.meetings_selected = 0,
            Action::Bottom => self.meetings_selected = last,
            Action::MeetingHeld => self.close_selected(MeetingClose::Held, None),
            Action::MeetingNoShow => self.close_selected(MeetingClose::NoShow, None),
            Action::MeetingLost => self.close_selected(MeetingClose::Lost, None),
            Action::MeetingWon if self.meetings.get(self.meetings_selected).is_some() => {
                self.won_amount = Some(String::new());
            }
            _ => {}
        }
    }

    /// The amount line of a meeting won: Enter saves (empty keeps the expected amount), Esc
    /// cancels.
    pub(crate) fn won_amount_action(&mut self, a: Action) {
        match a {
            Action::Save => {
                let typed = self.won_amount.take().unwrap_or_default();
                let expected = self
                    .meetings
                    .get(self.meetings_selected)
                    .and_then(|m| m.amount);
                let amount = if typed.trim().is_empty() {
                    expected
                } else {
                    match parse_amount(&typed) {
                        Some(x) => Some(x),
                        None => {
                            let shown = crate::domain::text::sanitize_line(&typed);
                            self.toast(Phrase::AmountBad.fill(self.lang, &[&shown]), true);
                            self.won_amount = Some(typed);
                            return;
                        }
                    }
                };
                self.close_selected(MeetingClose::Won, amount);
            }
            Action::Cancel => self.won_amount = None,
            Action::DeleteChar => {
                if let Some(s) = self.won_amount.as_mut() {
                    s.pop();
                }
            }
            _ => {}
        }
    }

    fn close_selected(&mut self, close: MeetingClose, amount: Option<f64>) {
        let Some(m) = self.meetings.get(self.meetings_selected).cloned() else {
            self.toast(Phrase::NoLeadSelected.text(self.lang).into(), true);
            return;
        };
        let now = self.now();
        let rep = self.rep.clone();
        match self
            .store
            .close_meeting(m.lead_id, close, amount, None, &rep, &self.cfg, now)
        {
            Ok(done) => {
                let company = crate::domain::text::sanitize_line(&m.company);
                let mut what = crate::commands::meeting::close_label(close, self.lang).to_string();
                if let Some(x) = amount.filter(|_| close == MeetingClose::Won) {
                    what.push_str(&format!(" {}", money(x)));
                }
                let text = match &done.next {
                    Some(n) => Phrase::MeetingReapproach.fill(
                        self.lang,
                        &[
                            &company,
                            &what,
                            &fmt_when(n.due, self.cfg.time_zone, now, self.lang),
                        ],
                    ),
                    None => Phrase::MeetingClosed.fill(self.lang, &[&company, &what]),
                };
                self.toast(text, false);
                self.load_meetings();
                self.refresh();
            }
            Err(e) => self.error = Some(self.say_store(&e)),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_as_typed() {
        assert_eq!(super::parse_amount("1,500,000"), Some(1_500_000.0));
        assert_eq!(super::parse_amount("¥2000000"), Some(2_000_000.0));
        assert_eq!(super::parse_amount("lots"), None);
        assert_eq!(super::parse_amount("-5"), None);
    }
}
