#![allow(clippy::unwrap_used)]
//! The dashboard: snapshots at 100×30 in English, Japanese and without colour. That it shows
//! the same numbers as `kaden report` is in the store contract (`contract/report.rs`).

mod support;

use chrono::{DateTime, Utc};
use kaden::config::Config;
use kaden::i18n::Lang;
use kaden::report::{self, dashboard};
use kaden::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The afternoon of [`support::NOW`]'s day: the dashboard has a day of calls to show.
fn now() -> DateTime<Utc> {
    support::at("2026-11-24T15:00:00+09:00")
}

fn setup() -> (tempfile::TempDir, Store, Config) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = support::config_with("[targets.week]\nappointments = 5\n");
    let mut s = Store::open(&dir.path().join("k.db")).unwrap();
    kaden::demo::build_sample(&mut s, &cfg, now()).unwrap();
    (dir, s, cfg)
}

fn draw(d: &report::Dashboard, lang: Lang, color: bool) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| kaden::tui::dashboard::render(f, f.area(), d, lang, color))
        .unwrap();
    t
}

#[test]
fn snapshot_en() {
    let (_d, s, cfg) = setup();
    let d = dashboard(&s, &cfg, now()).unwrap();
    insta::assert_snapshot!(draw(&d, Lang::En, true).backend());
}

#[test]
fn snapshot_ja() {
    let (_d, s, cfg) = setup();
    let d = dashboard(&s, &cfg, now()).unwrap();
    insta::assert_snapshot!(draw(&d, Lang::Ja, true).backend());
}

#[test]
fn snapshot_mono_has_no_colour() {
    let (_d, s, cfg) = setup();
    let d = dashboard(&s, &cfg, now()).unwrap();
    let t = draw(&d, Lang::En, false);
    for cell in t.backend().buffer().content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "{cell:?}");
    }
    insta::assert_snapshot!(t.backend());
}
