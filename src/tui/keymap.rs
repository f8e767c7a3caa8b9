//! THE binding table: (mode, key, action). Key handling, the footer hints, the `?` overlay and
//! `kaden keys` all read it; the config's `[keys]` table remaps it.

use super::action::Action;
use crate::config::Config;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// What has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// The queue (or the dashboard): navigation and the one-key results.
    Queue,
    /// The "meetings to report" view: navigation and the four meeting results.
    Meetings,
    /// The result form.
    Form,
    /// Typing a filter.
    Filter,
    /// Typing a note.
    Note,
    /// The help overlay.
    Help,
    /// An error modal.
    Modal,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Queue => "queue",
            Mode::Meetings => "meetings",
            Mode::Form => "form",
            Mode::Filter => "filter",
            Mode::Note => "note",
            Mode::Help => "help",
            Mode::Modal => "modal",
        }
    }
}

/// A key as bound: a code plus Ctrl/Alt (Shift is folded into the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    /// Normalise a terminal key event: Shift is dropped for characters and BackTab.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        if !matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods |= ev.modifiers & KeyModifiers::SHIFT;
        }
        Key {
            code: ev.code,
            mods,
        }
    }

    /// Read a key string from the config: `j`, `G`, `?`, `enter`, `esc`, `tab`, `shift-tab`,
    /// `up`, `space`, `backspace`, `pageup`, `f5`, `ctrl-d`, `alt-x`.
    pub fn parse(s: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 2
                && let Some(p) = ["ctrl-", "ctrl+", "c-"]
                    .iter()
                    .find(|p| lower.starts_with(**p))
            {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[p.len()..];
            } else if rest.chars().count() > 2
                && let Some(p) = ["alt-", "alt+", "m-"]
                    .iter()
                    .find(|p| lower.starts_with(**p))
            {
                mods |= KeyModifiers::ALT;
                rest = &rest[p.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() && c != ' ' => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" | "cr" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "shift-tab" | "backtab" | "s-tab" => KeyCode::BackTab,
                "space" | "spc" => KeyCode::Char(' '),
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                f if f.starts_with('f') && f.len() > 1 => {
                    let n: u8 = f[1..].parse().ok().filter(|n| (1..=12).contains(n))?;
                    KeyCode::F(n)
                }
                _ => return None,
            },
        };
        // Ctrl/Alt with a non-alphanumeric character cannot be typed reliably.
        if !mods.is_empty()
            && let KeyCode::Char(c) = code
            && !c.is_ascii_alphanumeric()
        {
            return None;
        }
        Some(Key { code, mods })
    }

    /// How the key is shown in the footer and help.
    pub fn display(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "BS".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut s = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            s.push_str("C-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            s.push_str("M-");
        }
        s + &base
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub mode: Mode,
    pub key: Key,
    pub action: Action,
}

/// The default bindings: (mode, key string, action).
const DEFAULTS: &[(Mode, &str, Action)] = {
    use Action as A;
    use Mode::*;
    &[
        (Queue, "j", A::MoveDown),
        (Queue, "down", A::MoveDown),
        (Queue, "k", A::MoveUp),
        (Queue, "up", A::MoveUp),
        (Queue, "g", A::Top),
        (Queue, "home", A::Top),
        (Queue, "G", A::Bottom),
        (Queue, "end", A::Bottom),
        (Queue, "pagedown", A::PageDown),
        (Queue, "pageup", A::PageUp),
        (Queue, "enter", A::StartCall),
        (Queue, "c", A::StartCall),
        (Queue, "u", A::RecordUnconnected),
        (Queue, "1", A::RecordUnconnected),
        (Queue, "r", A::RecordRecall),
        (Queue, "2", A::RecordRecall),
        (Queue, "a", A::RecordAppointment),
        (Queue, "3", A::RecordAppointment),
        (Queue, "l", A::RecordLost),
        (Queue, "4", A::RecordLost),
        (Queue, "x", A::RecordOutOfScope),
        (Queue, "5", A::RecordOutOfScope),
        (Queue, "z", A::Undo),
        (Queue, "n", A::AddNote),
        (Queue, "t", A::AddTouch),
        (Queue, "e", A::EditLead),
        (Queue, "D", A::DoNotCall),
        (Queue, "A", A::ToggleEveryone),
        (Queue, "P", A::TogglePower),
        (Queue, "/", A::Filter),
        (Queue, "esc", A::ClearFilter),
        (Queue, "tab", A::SwitchView),
        (Queue, "?", A::Help),
        (Queue, "q", A::Quit),
        (Queue, "ctrl-c", A::Quit),
        (Meetings, "j", A::MoveDown),
        (Meetings, "down", A::MoveDown),
        (Meetings, "k", A::MoveUp),
        (Meetings, "up", A::MoveUp),
        (Meetings, "g", A::Top),
        (Meetings, "G", A::Bottom),
        (Meetings, "h", A::MeetingHeld),
        (Meetings, "s", A::MeetingNoShow),
        (Meetings, "w", A::MeetingWon),
        (Meetings, "l", A::MeetingLost),
        (Meetings, "tab", A::SwitchView),
        (Meetings, "?", A::Help),
        (Meetings, "q", A::Quit),
        (Meetings, "ctrl-c", A::Quit),
        (Form, "enter", A::Save),
        (Form, "esc", A::Cancel),
        (Form, "ctrl-c", A::Cancel),
        (Form, "tab", A::NextField),
        (Form, "down", A::NextField),
        (Form, "shift-tab", A::PrevField),
        (Form, "up", A::PrevField),
        (Form, "right", A::NextChoice),
        (Form, "left", A::PrevChoice),
        (Form, "backspace", A::DeleteChar),
        (Filter, "enter", A::Save),
        (Filter, "esc", A::Cancel),
        (Filter, "backspace", A::DeleteChar),
        (Note, "enter", A::Save),
        (Note, "esc", A::Cancel),
        (Note, "backspace", A::DeleteChar),
        (Note, "right", A::NextChoice),
        (Note, "left", A::PrevChoice),
        (Help, "?", A::Help),
        (Help, "j", A::MoveDown),
        (Help, "down", A::MoveDown),
        (Help, "k", A::MoveUp),
        (Help, "up", A::MoveUp),
        (Help, "g", A::Top),
        (Help, "esc", A::Cancel),
        (Help, "q", A::Quit),
        (Modal, "enter", A::Save),
        (Modal, "esc", A::Cancel),
    ]
};

/// A `[keys]` entry that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("config: [keys] {action}: unknown action (run `kaden keys` for the list)")]
    UnknownAction { action: String },
    #[error("config: [keys] {action}: unknown key \"{key}\"")]
    UnknownKey { action: String, key: String },
    #[error("config: [keys] {action}: no key given")]
    Empty { action: String },
    #[error("config: [keys] {action}: \"{key}\" is also given to {other}")]
    Conflict {
        action: String,
        key: String,
        other: String,
    },
    #[error(
        "config: [keys] {action}: \"{key}\" is {victim}'s only key; give {victim} a key of its own (e.g. {victim} = \"{hint}\")"
    )]
    Unreachable {
        action: String,
        key: String,
        victim: String,
        hint: String,
    },
}

impl KeyError {
    /// The action name the error is about.
    pub fn action(&self) -> &str {
        match self {
            KeyError::UnknownAction { action }
            | KeyError::UnknownKey { action, .. }
            | KeyError::Empty { action }
            | KeyError::Conflict { action, .. }
            | KeyError::Unreachable { action, .. } => action,
        }
    }

    /// What is wrong, without the action's name.
    pub fn reason(&self) -> String {
        match self {
            KeyError::UnknownAction { .. } => {
                "unknown action (run `kaden keys` for the list)".into()
            }
            KeyError::UnknownKey { key, .. } => {
                format!(
                    "unknown key \"{}\"",
                    crate::domain::text::sanitize_line(key)
                )
            }
            KeyError::Empty { .. } => "no key given".into(),
            KeyError::Conflict { key, other, .. } => format!(
                "\"{}\" is also given to {other}",
                crate::domain::text::sanitize_line(key)
            ),
            KeyError::Unreachable {
                key, victim, hint, ..
            } => format!(
                "\"{}\" is {victim}'s only key; give {victim} a key of its own (e.g. {victim} = \"{hint}\")",
                crate::domain::text::sanitize_line(key)
            ),
        }
    }
}

/// The binding table in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Keymap {
    /// The defaults with the config's `[keys]` applied. A remapped action loses its default
    /// keys; a key it takes is removed from whatever else had it in that mode.
    pub fn from_config(cfg: &Config) -> Result<Keymap, KeyError> {
        let mut bindings: Vec<Binding> = DEFAULTS
            .iter()
            .filter_map(|(mode, k, action)| {
                Key::parse(k).map(|key| Binding {
                    mode: *mode,
                    key,
                    action: *action,
                })
            })
            .collect();
        let mut remaps: BTreeMap<Action, Vec<Key>> = BTreeMap::new();
        for (name, keys) in &cfg.keys {
            let action = Action::from_name(name).ok_or_else(|| KeyError::UnknownAction {
                action: name.clone(),
            })?;
            if keys.is_empty() {
                return Err(KeyError::Empty {
                    action: name.clone(),
                });
            }
            let parsed = keys
                .iter()
                .map(|k| {
                    Key::parse(k).ok_or_else(|| KeyError::UnknownKey {
                        action: name.clone(),
                        key: k.clone(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            remaps.insert(action, parsed);
        }
        // The modes of each action come from the defaults, before any remap takes a key (an
        // action whose default key another remap took keeps its own remap).
        let modes_of = |action: Action| -> Vec<Mode> {
            let mut m: Vec<Mode> = DEFAULTS
                .iter()
                .filter(|(_, _, a)| *a == action)
                .map(|(m, _, _)| *m)
                .collect();
            m.dedup();
            m
        };
        // Two remaps giving one key in one mode: a config error, not a silent winner.
        let mut claimed: BTreeMap<(u8, String), Action> = BTreeMap::new();
        for (action, keys) in &remaps {
            for mode in modes_of(*action) {
                for (key, raw) in keys.iter().zip(&cfg.keys[action.name()]) {
                    if let Some(other) = claimed.insert((mode as u8, key.display()), *action)
                        && other != *action
                    {
                        return Err(KeyError::Conflict {
                            action: action.name().into(),
                            key: raw.clone(),
                            other: other.name().into(),
                        });
                    }
                }
            }
        }
        let mut taken: Vec<(Action, Action, Mode, Key)> = Vec::new();
        for action in remaps.keys() {
            bindings.retain(|b| b.action != *action);
        }
        for (action, keys) in &remaps {
            for mode in modes_of(*action) {
                for b in bindings
                    .iter()
                    .filter(|b| b.mode == mode && keys.contains(&b.key))
                {
                    taken.push((b.action, *action, mode, b.key));
                }
                bindings.retain(|b| !(b.mode == mode && keys.contains(&b.key)));
                for key in keys {
                    bindings.push(Binding {
                        mode,
                        key: *key,
                        action: *action,
                    });
                }
            }
        }
        // A remap may take another action's key only while that action keeps one.
        let km = Keymap { bindings };
        for (victim, thief, mode, key) in taken {
            if km.keys_for(mode, victim).is_empty() {
                // a free key to suggest: a letter of its name, capital first
                let letters = victim.name().chars().filter(char::is_ascii_alphabetic);
                let hint = letters
                    .clone()
                    .map(|c| c.to_ascii_uppercase())
                    .chain(letters)
                    .find(|c| km.lookup(mode, Key::plain(KeyCode::Char(*c))).is_none())
                    .map(String::from)
                    .unwrap_or_else(|| "F2".into());
                return Err(KeyError::Unreachable {
                    action: thief.name().into(),
                    key: key.display(),
                    victim: victim.name().into(),
                    hint,
                });
            }
        }
        Ok(km)
    }

    /// The action bound to `key` in `mode`.
    pub fn lookup(&self, mode: Mode, key: Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.mode == mode && b.key == key)
            .map(|b| b.action)
    }

    /// The keys of `action` in `mode`, in table order.
    pub fn keys_for(&self, mode: Mode, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|b| b.mode == mode && b.action == action)
            .map(|b| b.key)
            .collect()
    }

    /// The actions of a mode, each with its keys, in help order.
    pub fn actions_in(&self, mode: Mode) -> Vec<(Action, Vec<Key>)> {
        Action::ALL
            .iter()
            .map(|a| (*a, self.keys_for(mode, *a)))
            .filter(|(_, k)| !k.is_empty())
            .collect()
    }

    /// Keys joined for display: `j/↓`.
    pub fn keys_text(&self, mode: Mode, action: Action) -> String {
        self.keys_for(mode, action)
            .iter()
            .map(Key::display)
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests;
