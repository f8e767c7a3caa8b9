//! The lead edit form (`e`): the lead's contact fields listed vertically, prefilled with the
//! stored values. Typing replaces the focused value, as in the result form (move the cursor
//! first — ←/→, Home/End — to edit it instead; see `text_field.rs`), ←/→ cycle the role and
//! the tier, Enter saves through [`Store::update_lead`](crate::store::Store::update_lead),
//! Esc closes without writing. A refused field keeps the form open with the message. The
//! keys reach it through `App::update` (in `update.rs`); the view draws it from itself.

use super::text_field::TextField;
use super::view::{ViewCtx, draw_modal};
use crate::domain::text::{fit, sanitize_line, truncate, width};
use crate::domain::{Role, Tier};
use crate::i18n::{Label, Lang, Phrase};
use crate::store::{Lead, LeadEdit};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

/// The fields of the edit form, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    Company,
    Contact,
    Title,
    Department,
    Role,
    Phone,
    Mobile,
    Email,
    Zone,
    Owner,
    Tier,
}

impl EditField {
    pub const ALL: [EditField; 11] = [
        EditField::Company,
        EditField::Contact,
        EditField::Title,
        EditField::Department,
        EditField::Role,
        EditField::Phone,
        EditField::Mobile,
        EditField::Email,
        EditField::Zone,
        EditField::Owner,
        EditField::Tier,
    ];

    pub fn label(self) -> Phrase {
        match self {
            EditField::Company => Phrase::FieldCompany,
            EditField::Contact => Phrase::FieldContact,
            EditField::Title => Phrase::FieldTitle,
            EditField::Department => Phrase::FieldDepartment,
            EditField::Role => Phrase::FieldRole,
            EditField::Phone => Phrase::FieldPhone,
            EditField::Mobile => Phrase::FieldMobile,
            EditField::Email => Phrase::FieldEmail,
            EditField::Zone => Phrase::FieldZone,
            EditField::Owner => Phrase::FieldOwner,
            EditField::Tier => Phrase::FieldTier,
        }
    }
}

/// The open edit form.
#[derive(Debug, Clone, PartialEq)]
pub struct EditForm {
    pub lead_id: i64,
    /// "Company / Contact" as stored, for the title.
    pub who: String,
    pub edit: LeadEdit,
    pub focus: usize,
    /// The focused text field's editor, prefilled with its value (written back on every
    /// change).
    pub field: TextField,
    /// The last save error, shown in the form.
    pub error: Option<String>,
}

impl EditForm {
    pub fn open(lead: &Lead) -> EditForm {
        let mut form = EditForm {
            lead_id: lead.id,
            who: sanitize_line(&format!("{} / {}", lead.company, lead.name)),
            edit: LeadEdit::from_lead(lead),
            focus: 0,
            field: TextField::default(),
            error: None,
        };
        form.load();
        form
    }

    /// Put the focused field's value in the editor.
    fn load(&mut self) {
        let f = self.focused();
        self.field = match self.text_mut(f) {
            Some(t) => TextField::prefilled(t.clone()),
            None => TextField::default(),
        };
    }

    /// Write the editor's value back to the focused field.
    fn commit(&mut self) {
        let v = self.field.text().to_string();
        let f = self.focused();
        if let Some(t) = self.text_mut(f) {
            *t = v;
        }
    }

    /// An editing key on the focused text field (see `text_field.rs`).
    pub fn edit_key(&mut self, k: &ratatui::crossterm::event::KeyEvent) -> bool {
        let f = self.focused();
        if self.text_mut(f).is_none() || !self.field.edit_key(k) {
            return false;
        }
        self.commit();
        self.error = None;
        true
    }

    /// Pasted text into the focused text field.
    pub fn paste(&mut self, s: &str) {
        let f = self.focused();
        if self.text_mut(f).is_some() {
            self.field.paste(s);
            self.commit();
        }
    }

    pub fn focused(&self) -> EditField {
        EditField::ALL
            .get(self.focus)
            .copied()
            .unwrap_or(EditField::Company)
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % EditField::ALL.len();
        self.load();
    }

    pub fn prev_field(&mut self) {
        let n = EditField::ALL.len();
        self.focus = (self.focus + n - 1) % n;
        self.load();
    }

    /// The text of a text field, `None` for the role and the tier.
    fn text_mut(&mut self, field: EditField) -> Option<&mut String> {
        let e = &mut self.edit;
        Some(match field {
            EditField::Company => &mut e.company,
            EditField::Contact => &mut e.name,
            EditField::Title => &mut e.title,
            EditField::Department => &mut e.department,
            EditField::Phone => &mut e.phone,
            EditField::Mobile => &mut e.mobile,
            EditField::Email => &mut e.email,
            EditField::Zone => &mut e.time_zone,
            EditField::Owner => &mut e.owner,
            EditField::Role | EditField::Tier => return None,
        })
    }

    /// ←/→ on the role (none, then each role) or the tier (1–3).
    pub fn cycle(&mut self, forward: bool) {
        let step = |i: usize, n: usize| {
            if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }
        };
        match self.focused() {
            EditField::Role => {
                let choices: Vec<Option<Role>> = std::iter::once(None)
                    .chain(Role::ALL.iter().copied().map(Some))
                    .collect();
                let i = choices
                    .iter()
                    .position(|r| *r == self.edit.role)
                    .unwrap_or(0);
                self.edit.role = choices[step(i, choices.len())];
            }
            EditField::Tier => {
                let i = usize::from(self.edit.tier.get() - 1);
                let n = u8::try_from(step(i, 3) + 1).unwrap_or(3);
                self.edit.tier = Tier::new(n).unwrap_or(Tier::T3);
            }
            _ => {}
        }
        self.error = None;
    }

    /// A typed character: appended to a text field; space cycles a choice, a digit sets the tier.
    pub fn type_char(&mut self, c: char) {
        let field = self.focused();
        if self.text_mut(field).is_some() {
            self.field.push(c);
            self.commit();
        } else if field == EditField::Tier
            && let Some(t) = c
                .to_digit(10)
                .and_then(|d| Tier::new(u8::try_from(d).ok()?))
        {
            self.edit.tier = t;
        } else if c == ' ' {
            self.cycle(true);
        }
        self.error = None;
    }

    pub fn backspace(&mut self) {
        let field = self.focused();
        if self.text_mut(field).is_some() {
            self.field.pop();
            self.commit();
        }
        self.error = None;
    }

    /// The value as shown.
    fn value(&self, field: EditField, lang: Lang) -> String {
        let e = &self.edit;
        match field {
            EditField::Company => e.company.clone(),
            EditField::Contact => e.name.clone(),
            EditField::Title => e.title.clone(),
            EditField::Department => e.department.clone(),
            EditField::Phone => e.phone.clone(),
            EditField::Mobile => e.mobile.clone(),
            EditField::Email => e.email.clone(),
            EditField::Zone => e.time_zone.clone(),
            EditField::Owner => e.owner.clone(),
            EditField::Role => format!(
                "< {} >",
                e.role
                    .map_or(Phrase::RoleNone.text(lang), |r| r.label(lang))
            ),
            EditField::Tier => format!("< {} >", e.tier),
        }
    }
}

/// Draw the edit form as a modal over `area`.
pub fn render(f: &mut Frame, area: Rect, vc: &ViewCtx, form: &EditForm, hints: &str) {
    let (lang, theme) = (vc.lang, vc.theme);
    let w = area.width.saturating_sub(4).min(76);
    let inner_w = usize::from(w.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border)
        .title(format!(" {} ", Phrase::EditTitle.fill(lang, &[&form.who])))
        .title_style(theme.header);
    let label_w = EditField::ALL
        .iter()
        .map(|fl| width(fl.label().text(lang)))
        .max()
        .unwrap_or(10)
        + 1;
    let mut lines: Vec<Line> = Vec::new();
    for (i, field) in EditField::ALL.iter().enumerate() {
        let focused = i == form.focus;
        let marker = if focused { "> " } else { "  " };
        let text = focused && !matches!(field, EditField::Role | EditField::Tier);
        let (lstyle, vstyle) = if focused {
            (theme.accent, theme.focus)
        } else {
            Default::default()
        };
        let mut spans = vec![Span::styled(
            format!("{marker}{}", fit(field.label().text(lang), label_w)),
            lstyle,
        )];
        if text {
            spans.extend(form.field.spans(true, vstyle));
        } else {
            spans.push(Span::styled(
                sanitize_line(&form.value(*field, lang)),
                vstyle,
            ));
        }
        lines.push(Line::from(spans));
        if focused && *field == EditField::Tier {
            let pad = " ".repeat(label_w + 2);
            lines.push(Line::styled(
                format!("{pad}{}", Phrase::TierApplies.text(lang)),
                theme.dim,
            ));
        }
    }
    lines.push(Line::raw(""));
    if let Some(e) = &form.error {
        lines.push(Line::styled(sanitize_line(e), theme.error));
    }
    lines.push(Line::styled(truncate(hints, inner_w), theme.dim));
    draw_modal(f, area, w, lines, block);
}
