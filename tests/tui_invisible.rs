//! Invisible characters on screen: zero-width characters stored by an older kaden (or typed
//! into the database by another program) never reach a cell; an emoji ZWJ sequence, which
//! terminals draw as one glyph or as three, is shown not at all rather than in parts; and after
//! filtering and switching views the screen a terminal emulator keeps (built from ratatui's
//! diffs) is exactly a fresh drawing: no stray glyph.
#![allow(clippy::unwrap_used)]

mod support;

use kaden::i18n::Lang;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Position, Size};
use support::tui::*;

/// A terminal emulator (vt100) fed the bytes a terminal backend would send: cursor moves only
/// where the next cell is not the one after the last (as crossterm's backend does), then the
/// symbol. What it shows is what a rep would see.
struct VtBackend {
    vt: vt100::Parser,
    last: Option<(u16, u16)>,
    size: Size,
}

impl VtBackend {
    fn new(w: u16, h: u16) -> Self {
        VtBackend {
            vt: vt100::Parser::new(h.try_into().unwrap(), w.try_into().unwrap(), 0),
            last: None,
            size: Size::new(w, h),
        }
    }
    /// The screen as text (a written blank and an untouched cell look the same).
    fn rows(&self) -> Vec<String> {
        self.vt
            .screen()
            .rows(0, self.size.width)
            .map(|r| r.trim_end().to_string())
            .collect()
    }
}

impl Backend for VtBackend {
    type Error = std::io::Error;
    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        for (x, y, cell) in content {
            if !matches!(self.last, Some((lx, ly)) if ly == y && lx + 1 == x) {
                self.vt
                    .process(format!("\x1b[{};{}H", y + 1, x + 1).as_bytes());
            }
            self.vt.process(cell.symbol().as_bytes());
            self.last = Some((x, y));
        }
        Ok(())
    }
    fn hide_cursor(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    fn show_cursor(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        Ok(Position::ORIGIN)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, _: P) -> std::io::Result<()> {
        self.last = None;
        Ok(())
    }
    fn clear(&mut self) -> std::io::Result<()> {
        self.vt.process(b"\x1b[2J");
        Ok(())
    }
    fn clear_region(&mut self, _: ClearType) -> std::io::Result<()> {
        self.clear()
    }
    fn size(&self) -> std::io::Result<Size> {
        Ok(self.size)
    }
    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::new(0, 0),
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn fresh(app: &kaden::tui::App, w: u16, h: u16) -> Vec<String> {
    let mut t = Terminal::new(VtBackend::new(w, h)).unwrap();
    t.draw(|f| kaden::tui::ui::render(app, f)).unwrap();
    t.backend().rows()
}

const FAMILY: &str = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";

fn hostile_env() -> Env {
    env_with(config(""), Lang::En, now(), |store| {
        support::db::batch(
            store.path(),
            &format!(
                "UPDATE companies SET name = 'Ze\u{200B}ro\u{2060}Wi\u{FEFF}d\u{200C}th ' || name;
                 UPDATE leads SET name = name || ' {FAMILY}\u{200D}', title = 'a\u{200D}b' || title;"
            ),
        );
    })
}

/// Every cell of the buffer: no zero-width character, no joiner, and no part of the family
/// (a lone 👨 or 👩 would be the sequence drawn in parts).
fn assert_clean(t: &Terminal<TestBackend>, what: &str) {
    let buf = t.backend().buffer();
    for cell in buf.content() {
        let s = cell.symbol();
        assert!(
            !s.contains(['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}']),
            "{what}: invisible character in cell {s:?}"
        );
        assert!(
            !s.contains(['\u{1F468}', '\u{1F469}', '\u{1F467}']),
            "{what}: part of the emoji sequence in cell {s:?}"
        );
    }
}

#[test]
fn zero_width_characters_never_reach_a_cell_and_emoji_sequences_stay_whole() {
    let e = hostile_env();
    for (w, h) in [(80, 24), (120, 40)] {
        let t = terminal(&e.app, w, h);
        assert_clean(&t, &format!("{w}x{h}"));
        let s = screen(&e.app, w, h);
        assert!(s.contains("ZeroWidth"), "{s}");
    }
}

#[test]
fn no_stray_glyph_after_filtering_and_switching_views() {
    let mut e = hostile_env();
    for (w, h) in [(80, 24), (120, 40)] {
        // One terminal kept across the steps, like a real one: it only sees ratatui's diffs.
        let mut kept = Terminal::new(VtBackend::new(w, h)).unwrap();
        let mut step = |app: &kaden::tui::App, what: &str| {
            kept.draw(|f| kaden::tui::ui::render(app, f)).unwrap();
            assert_eq!(
                kept.backend().rows(),
                fresh(app, w, h),
                "{w}x{h} after {what}: the kept screen differs from a fresh drawing"
            );
        };
        step(&e.app, "opening");
        key(&mut e.app, KeyCode::Char('/'));
        typed(&mut e.app, "zerow");
        step(&e.app, "typing a filter");
        key(&mut e.app, KeyCode::Backspace);
        key(&mut e.app, KeyCode::Backspace);
        step(&e.app, "editing the filter");
        key(&mut e.app, KeyCode::Esc);
        step(&e.app, "clearing the filter");
        key(&mut e.app, KeyCode::Char('j'));
        step(&e.app, "moving");
        key(&mut e.app, KeyCode::Tab);
        step(&e.app, "switching to the dashboard");
        key(&mut e.app, KeyCode::Tab);
        step(&e.app, "switching back");
        assert_clean(&terminal(&e.app, w, h), "after the steps");
    }
}
