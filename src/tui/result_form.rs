//! The result form: first field the next-action time, focused and prefilled from the cadence
//! (typing replaces it), then the Open SAL axes for an appointment, channel, owner, reason and
//! note. Building the `ResultInput` happens here; writing it is `App::update`'s job. The view
//! draws the form from itself and the frame's [`ViewCtx`].

use crate::config::Config;
use crate::domain::text::{sanitize_line, sanitize_multiline};
use crate::domain::timeparse::{TimeError, parse_future};
use crate::domain::zone::LeadZone;
use crate::domain::{CallResult, Channel};
use crate::i18n::{Lang, Phrase};
use crate::store::{Lead, NextChoice, ResultInput, SalAnswers};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The channels a next action can take, in ←/→ order.
pub const CHANNELS: [Channel; 5] = [
    Channel::Call,
    Channel::Email,
    Channel::Linkedin,
    Channel::Sms,
    Channel::Other,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Time,
    Budget,
    Consideration,
    Timing,
    Channel,
    Owner,
    Reason,
    Note,
}

/// What the time field means for this result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeKind {
    /// The next action, prefilled from the cadence.
    Next,
    /// A recall's promised time: required, empty at first.
    Callback,
    /// An appointment's meeting time: empty means "date not fixed".
    Meeting,
}

pub use super::text_field::TextField;

#[derive(Debug, Clone, PartialEq)]
pub struct ResultForm {
    pub lead_id: i64,
    pub who: String,
    pub result: CallResult,
    pub time_kind: Option<TimeKind>,
    pub time: TextField,
    /// The cadence's time, used as is while the field is untouched.
    pub default_due: Option<DateTime<Utc>>,
    /// Budget, consideration, timing.
    pub sal: [bool; 3],
    pub channel: Channel,
    pub owner: TextField,
    pub reasons: Vec<String>,
    pub reason: usize,
    pub note: TextField,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why there is no time field (parked / closed), already in words.
    pub notice: Option<String>,
    /// The last save error, shown in the form.
    pub error: Option<String>,
    pub lead_zone: LeadZone,
    /// The calling hours, to warn when a promised callback falls outside them.
    pub hours: crate::domain::hours::CallingHours,
    /// The rep saw the off-hours warning and pressed Enter again: keep the time.
    pub off_hours_confirmed: bool,
}

impl ResultForm {
    /// Open the form for `result` on `lead`, prefilled from the cadence.
    pub fn open(
        result: CallResult,
        lead: &Lead,
        cfg: &Config,
        rep: &str,
        now: DateTime<Utc>,
        lang: Lang,
    ) -> ResultForm {
        let zone = lead.zone(cfg.default_time_zone);
        let t = crate::store::cadence_for(lead, result, cfg, now, None);
        let (time_kind, default_due, notice) = match result {
            CallResult::Recall => (Some(TimeKind::Callback), None, None),
            CallResult::Appointment => (Some(TimeKind::Meeting), None, None),
            _ if !t.has_next => {
                let n = if result == CallResult::Unconnected {
                    Phrase::WillPark.fill(lang, &[&cfg.cadence.attempt_cap.to_string()])
                } else {
                    Phrase::WillClose.text(lang).to_string()
                };
                (None, None, Some(n))
            }
            _ => (Some(TimeKind::Next), t.next.map(|n| n.due), None),
        };
        let time = match default_due {
            Some(d) => TextField::prefilled(
                d.with_timezone(&cfg.time_zone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            ),
            None => TextField::default(),
        };
        let mut fields = Vec::new();
        if time_kind.is_some() {
            fields.push(Field::Time);
        }
        if result == CallResult::Appointment {
            fields.extend([Field::Budget, Field::Consideration, Field::Timing]);
        }
        if time_kind == Some(TimeKind::Next) || time_kind == Some(TimeKind::Callback) {
            fields.extend([Field::Channel, Field::Owner]);
        }
        let reasons = cfg.reasons.for_result(result).to_vec();
        if !reasons.is_empty() {
            fields.push(Field::Reason);
        }
        fields.push(Field::Note);
        let who = sanitize_line(&format!("{} / {}", lead.company, lead.name));
        ResultForm {
            lead_id: lead.id,
            who,
            result,
            time_kind,
            time,
            default_due,
            sal: [false; 3],
            channel: Channel::Call,
            owner: TextField::prefilled(rep.to_string()),
            reasons,
            reason: 0,
            note: TextField::default(),
            fields,
            focus: 0,
            notice,
            error: None,
            lead_zone: zone,
            hours: cfg.hours.clone(),
            off_hours_confirmed: false,
        }
    }

    pub fn focused(&self) -> Field {
        self.fields.get(self.focus).copied().unwrap_or(Field::Note)
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev_field(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    /// ←/→ on a choice field.
    pub fn cycle(&mut self, forward: bool) {
        let step = |i: usize, n: usize| {
            if n == 0 {
                0
            } else if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }
        };
        match self.focused() {
            Field::Channel => {
                let i = CHANNELS
                    .iter()
                    .position(|c| *c == self.channel)
                    .unwrap_or(0);
                self.channel = CHANNELS[step(i, CHANNELS.len())];
            }
            Field::Reason => self.reason = step(self.reason, self.reasons.len()),
            Field::Budget => self.sal[0] = !self.sal[0],
            Field::Consideration => self.sal[1] = !self.sal[1],
            Field::Timing => self.sal[2] = !self.sal[2],
            _ => {}
        }
    }

    /// A typed character, for the focused field.
    pub fn type_char(&mut self, c: char) {
        let sal = |form: &mut ResultForm, i: usize| match c {
            ' ' => form.sal[i] = !form.sal[i],
            'y' | 'Y' => form.sal[i] = true,
            'n' | 'N' => form.sal[i] = false,
            _ => {}
        };
        if self.focused() == Field::Time {
            self.off_hours_confirmed = false;
        }
        match self.focused() {
            Field::Time => self.time.push(c),
            Field::Owner => self.owner.push(c),
            Field::Note => self.note.push(c),
            Field::Budget => sal(self, 0),
            Field::Consideration => sal(self, 1),
            Field::Timing => sal(self, 2),
            Field::Channel | Field::Reason if c == ' ' => self.cycle(true),
            Field::Channel | Field::Reason => {}
        }
        self.error = None;
    }

    /// The focused field when it is a text field.
    fn text_field_mut(&mut self) -> Option<&mut TextField> {
        match self.focused() {
            Field::Time => Some(&mut self.time),
            Field::Owner => Some(&mut self.owner),
            Field::Note => Some(&mut self.note),
            _ => None,
        }
    }

    /// An editing key on the focused text field (see `text_field.rs`); `true` when taken.
    pub fn edit_key(&mut self, k: &ratatui::crossterm::event::KeyEvent) -> bool {
        let time = self.focused() == Field::Time;
        let taken = self.text_field_mut().is_some_and(|t| t.edit_key(k));
        if taken {
            self.off_hours_confirmed &= !time;
            self.error = None;
        }
        taken
    }

    /// Pasted text into the focused text field.
    pub fn paste(&mut self, s: &str) {
        let time = self.focused() == Field::Time;
        if let Some(t) = self.text_field_mut() {
            t.paste(s);
            self.off_hours_confirmed &= !time;
            self.error = None;
        }
    }

    pub fn backspace(&mut self) {
        if self.focused() == Field::Time {
            self.off_hours_confirmed = false;
        }
        match self.focused() {
            Field::Time => self.time.pop(),
            Field::Owner => self.owner.pop(),
            Field::Note => self.note.pop(),
            _ => {}
        }
        self.error = None;
    }

    /// The time as typed: `None` when the field is absent or (allowed) empty.
    pub fn parsed_time(
        &self,
        now: DateTime<Utc>,
        zone: Tz,
    ) -> Result<Option<DateTime<Utc>>, Phrase> {
        let Some(kind) = self.time_kind else {
            return Ok(None);
        };
        if self.time.pristine
            && let Some(d) = self.default_due
        {
            return Ok(Some(d));
        }
        match parse_future(self.time.text(), now, zone) {
            Ok(t) => Ok(Some(t)),
            Err(TimeError::Empty) if kind == TimeKind::Meeting => Ok(None),
            // a lost lead may go to nurturing without a next action (SPEC §1)
            Err(TimeError::Empty) if self.result == CallResult::Lost => Ok(None),
            Err(TimeError::Empty) => Err(Phrase::TimeRequired),
            Err(TimeError::Past(_)) => Err(Phrase::TimePast),
            Err(TimeError::Unreadable(_) | TimeError::Future(_)) => Err(Phrase::TimeUnreadable),
        }
    }

    /// The result to record, or the message to show.
    pub fn to_input(
        &self,
        rep: &str,
        now: DateTime<Utc>,
        cfg: &Config,
        lang: Lang,
        duration_s: Option<u32>,
    ) -> Result<ResultInput, String> {
        let when = self
            .parsed_time(now, cfg.time_zone)
            .map_err(|m| m.text(lang).to_string())?;
        let note = Some(sanitize_multiline(self.note.text())).filter(|n| !n.is_empty());
        let mut input = ResultInput::new(self.lead_id, self.result, rep);
        input.off_hours_ok = self.off_hours_confirmed;
        input.note = note.clone();
        input.duration_s = duration_s;
        input.reason = self.reasons.get(self.reason).cloned();
        match self.time_kind {
            Some(TimeKind::Meeting) => {
                input.meeting_at = when;
                input.sal = Some(SalAnswers {
                    budget: self.sal[0],
                    consideration: self.sal[1],
                    timing: self.sal[2],
                });
            }
            Some(_) if when.is_none() && self.result == CallResult::Lost => {
                input.next = NextChoice::None;
            }
            Some(_) => {
                if let Some(due) = when {
                    let owner = sanitize_line(self.owner.text());
                    input.next = NextChoice::At {
                        due,
                        channel: self.channel,
                        owner: Some(owner).filter(|o| !o.is_empty()),
                        note,
                    };
                }
            }
            None => {}
        }
        Ok(input)
    }
}

mod view;
pub use view::render;
