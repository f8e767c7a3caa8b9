//! Colours and borders. `Mono` uses no colour at all; the selected row is still marked by a
//! `>` column, which survives NO_COLOR terminals that also drop reverse and bold.

use crate::config::{Config, ThemeName};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub mono: bool,
    pub border: border::Set<'static>,
    pub header: Style,
    pub selected: Style,
    pub dim: Style,
    pub accent: Style,
    pub error: Style,
    pub ok: Style,
    pub focus: Style,
}

/// ASCII borders for terminals that draw box-drawing characters double-width.
pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    /// The theme the config asks for; `Auto` means colour unless `NO_COLOR` is set.
    pub fn from_config(cfg: &Config) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let mono = match cfg.theme {
            ThemeName::Mono => true,
            ThemeName::Color => false,
            ThemeName::Auto => no_color,
        };
        Theme::new(mono, cfg.ascii_borders)
    }

    pub fn new(mono: bool, ascii: bool) -> Theme {
        let border = if ascii { ASCII_BORDER } else { border::ROUNDED };
        if mono {
            Theme {
                mono,
                border,
                header: Style::new().add_modifier(Modifier::BOLD),
                selected: Style::new().add_modifier(Modifier::REVERSED),
                dim: Style::new(),
                accent: Style::new().add_modifier(Modifier::BOLD),
                error: Style::new().add_modifier(Modifier::BOLD),
                ok: Style::new(),
                focus: Style::new().add_modifier(Modifier::UNDERLINED),
            }
        } else {
            Theme {
                mono,
                border,
                header: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                selected: Style::new()
                    .bg(Color::Blue)
                    .fg(Color::White)
                    .add_modifier(Modifier::BOLD),
                dim: Style::new().fg(Color::DarkGray),
                accent: Style::new().fg(Color::Yellow),
                error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                ok: Style::new().fg(Color::Green),
                focus: Style::new().fg(Color::Black).bg(Color::Yellow),
            }
        }
    }
}
