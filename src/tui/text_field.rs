//! One-line text fields that edit like text fields everywhere, through `tui-input`: ←/→ and
//! Home/End (Ctrl-A/Ctrl-E) move the cursor, Alt-←/→ (Alt-B/Alt-F) by word, Backspace/Delete,
//! Ctrl-W deletes the word before the cursor, Ctrl-U everything before it, Ctrl-K everything
//! after it, Ctrl-Y puts back what was cut, and a paste arrives whole (line breaks as spaces).
//! A prefilled value (the cadence's time, the rep's name, a stored field) is replaced by the
//! first character typed, as in a browser's selected text; moving the cursor first keeps it
//! for editing.

use super::keymap::Mode;
use crate::domain::text::sanitize_line;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use tui_input::{Input, InputRequest};

#[derive(Debug, Clone, Default)]
pub struct TextField {
    input: Input,
    /// Prefilled and untouched: the first character typed replaces the value.
    pub pristine: bool,
}

impl PartialEq for TextField {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
            && self.cursor() == other.cursor()
            && self.pristine == other.pristine
    }
}

impl Eq for TextField {}

impl TextField {
    /// An empty field, or one holding `text` for editing (cursor at the end).
    pub fn new(text: &str) -> TextField {
        TextField {
            input: Input::new(text.to_string()),
            pristine: false,
        }
    }

    /// A prefilled value that the first character typed replaces.
    pub fn prefilled(text: String) -> TextField {
        TextField {
            input: Input::new(text),
            pristine: true,
        }
    }

    pub fn text(&self) -> &str {
        self.input.value()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    /// A typed character: replaces a prefilled value, else goes in at the cursor.
    pub fn push(&mut self, c: char) {
        if self.pristine {
            self.input.reset();
            self.pristine = false;
        }
        self.input.handle(InputRequest::InsertChar(c));
    }

    /// Backspace; on a prefilled value it clears the whole value (as typing replaces it).
    pub fn pop(&mut self) {
        if self.pristine {
            self.input.reset();
            self.pristine = false;
            return;
        }
        self.input.handle(InputRequest::DeletePrevChar);
    }

    /// Pasted text: one line (breaks and tabs become spaces), in at the cursor; it replaces a
    /// prefilled value as typing does.
    pub fn paste(&mut self, s: &str) {
        for c in s.chars() {
            let c = if c.is_control() { ' ' } else { c };
            self.push(c);
        }
    }

    /// An editing key (cursor movement, word and line deletion). `true` when it was one; the
    /// value is no longer "prefilled" after it.
    pub fn edit_key(&mut self, k: &KeyEvent) -> bool {
        use InputRequest as R;
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        let req = match k.code {
            KeyCode::Left if alt || ctrl => R::GoToPrevWord,
            KeyCode::Right if alt || ctrl => R::GoToNextWord,
            KeyCode::Left => R::GoToPrevChar,
            KeyCode::Right => R::GoToNextChar,
            KeyCode::Home => R::GoToStart,
            KeyCode::End => R::GoToEnd,
            KeyCode::Delete => R::DeleteNextChar,
            KeyCode::Char('a') if ctrl => R::GoToStart,
            KeyCode::Char('e') if ctrl => R::GoToEnd,
            KeyCode::Char('b') if alt => R::GoToPrevWord,
            KeyCode::Char('f') if alt => R::GoToNextWord,
            KeyCode::Char('w') if ctrl => R::DeletePrevWord,
            KeyCode::Char('u') if ctrl => R::DeleteFromStart,
            KeyCode::Char('k') if ctrl => R::DeleteTillEnd,
            KeyCode::Char('y') if ctrl => R::Yank,
            KeyCode::Backspace if alt || ctrl => R::DeletePrevWord,
            _ => return false,
        };
        self.pristine = false;
        self.input.handle(req);
        true
    }

    /// The value as drawn (sanitised): with the cursor when focused — `_` at the end, else the
    /// character under it in reverse video.
    pub fn spans(&self, focused: bool, style: Style) -> Vec<Span<'static>> {
        if !focused {
            return vec![Span::styled(sanitize_line(self.text()), style)];
        }
        match self.split() {
            (before, None, _) => vec![Span::styled(format!("{}_", sanitize_line(&before)), style)],
            (before, Some(c), after) => vec![
                Span::styled(sanitize_line(&before), style),
                Span::styled(
                    sanitize_line(&c.to_string()),
                    style.add_modifier(Modifier::REVERSED),
                ),
                Span::styled(sanitize_line(&after), style),
            ],
        }
    }

    /// The value split at the cursor: (before, the character under it, after). At the end of
    /// the value the character is `None` (drawn as `_`).
    pub fn split(&self) -> (String, Option<char>, String) {
        let mut chars = self.text().chars();
        let before: String = chars.by_ref().take(self.cursor()).collect();
        let at = chars.next();
        (before, at, chars.collect())
    }
}

impl super::app::App {
    /// An editing key (cursor, words, Ctrl-U/W/K…) for the text field that has the keyboard;
    /// `true` when it took the key. On the touch line plain ←/→ pick the touch instead.
    pub(super) fn edit_text_key(&mut self, ev: &KeyEvent) -> bool {
        match self.mode() {
            Mode::Form => match (self.edit_form.as_mut(), self.result_form.as_mut()) {
                (Some(e), _) => e.edit_key(ev),
                (None, Some(f)) => f.edit_key(ev),
                (None, None) => false,
            },
            Mode::Note if self.won_amount.is_some() => false,
            Mode::Note => {
                if let Some(t) = self.touch.as_mut() {
                    let arrow = matches!(ev.code, KeyCode::Left | KeyCode::Right)
                        && ev.modifiers.is_empty();
                    !arrow && t.note.edit_key(ev)
                } else {
                    self.note.as_mut().is_some_and(|n| n.edit_key(ev))
                }
            }
            _ => false,
        }
    }

    /// Pasted text (bracketed paste): into the text field that has the keyboard, whole.
    pub fn paste(&mut self, s: &str) {
        match self.mode() {
            Mode::Form => {
                if let Some(e) = self.edit_form.as_mut() {
                    e.paste(s);
                } else if let Some(f) = self.result_form.as_mut() {
                    f.paste(s);
                }
            }
            Mode::Note => {
                if let Some(t) = self.touch.as_mut() {
                    t.note.paste(s);
                } else if let Some(n) = self.note.as_mut() {
                    n.paste(s);
                }
            }
            Mode::Filter => {
                if let Some(q) = self.search.as_mut() {
                    q.text.push_str(&crate::domain::text::sanitize_line(s));
                }
                self.run_search();
            }
            Mode::Queue | Mode::Meetings | Mode::Help | Mode::Modal => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn a_prefilled_value_is_replaced_by_typing_and_kept_by_moving_first() {
        let mut f = TextField::prefilled("tomorrow 10:00".into());
        f.push('2');
        f.push('h');
        assert_eq!(f.text(), "2h");
        let mut f = TextField::prefilled("tomorrow 10:00".into());
        assert!(f.edit_key(&k(KeyCode::End, KeyModifiers::NONE)));
        f.pop();
        f.pop();
        f.push('3');
        f.push('0');
        assert_eq!(f.text(), "tomorrow 10:30");
        let mut f = TextField::prefilled("x".into());
        f.pop();
        assert_eq!((f.text(), f.pristine), ("", false));
    }

    #[test]
    fn cursor_keys_words_and_lines_edit_like_a_shell() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let mut f = TextField::new("call back friday");
        f.edit_key(&k(KeyCode::Char('w'), ctrl));
        assert_eq!(f.text(), "call back ");
        f.edit_key(&k(KeyCode::Home, none));
        f.push('>');
        assert_eq!(f.text(), ">call back ");
        f.edit_key(&k(KeyCode::Right, none));
        f.edit_key(&k(KeyCode::Delete, none));
        assert_eq!(f.text(), ">cll back ");
        f.edit_key(&k(KeyCode::Char('k'), ctrl));
        assert_eq!(f.text(), ">c");
        f.edit_key(&k(KeyCode::Char('u'), ctrl));
        assert_eq!(f.text(), "");
        assert!(
            !f.edit_key(&k(KeyCode::Char('x'), none)),
            "a plain key is typing"
        );
    }

    #[test]
    fn a_paste_is_one_line_and_japanese_moves_by_character() {
        let mut f = TextField::new("");
        f.paste("株式会社\nテスト\t本社");
        assert_eq!(f.text(), "株式会社 テスト 本社");
        f.edit_key(&k(KeyCode::Left, KeyModifiers::NONE));
        f.edit_key(&k(KeyCode::Left, KeyModifiers::NONE));
        assert_eq!(
            f.split(),
            ("株式会社 テスト ".to_string(), Some('本'), "社".to_string())
        );
        f.push('大');
        assert_eq!(f.text(), "株式会社 テスト 大本社");
    }
}
