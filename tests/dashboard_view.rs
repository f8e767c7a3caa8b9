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

/// The top band (today, this week) of a dashboard drawn at 100×30, as text.
fn top_band(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    (0..6)
        .map(|y| (0..100).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_pace_bar_only_against_a_target() {
    let (_d, s, cfg) = setup();
    let d = dashboard(&s, &cfg, now()).unwrap();
    let top = top_band(&draw(&d, Lang::En, true));
    assert!(top.contains('█') && top.contains("5 / 5"), "{top}");
    // The same database without targets: a sentence, no bar.
    let plain = support::config();
    let d = dashboard(&s, &plain, now()).unwrap();
    let top = top_band(&draw(&d, Lang::En, true));
    assert!(!top.contains('█') && !top.contains('▌'), "{top}");
    assert!(
        top.contains("No appointment target · business day 1 of 4"),
        "{top}"
    );
}

#[test]
fn the_funnel_of_the_week_with_its_leak() {
    let (_d, s, cfg) = setup();
    let d = dashboard(&s, &cfg, now()).unwrap();
    let f = &d.funnel.counts;
    // The dashboard's funnel is the week report's.
    let o = report::Options {
        period: kaden::cli::Period::Week,
        at: now().with_timezone(&cfg.time_zone).date_naive(),
        compare: false,
        by: None,
    };
    let r = report::build(&s, &cfg, now(), &o).unwrap();
    assert_eq!(*f, r.funnel.total.counts);
    assert!(f.worked >= f.reached && f.reached >= f.appointment);
    let screen = format!("{:?}", draw(&d, Lang::En, true).backend());
    assert!(screen.contains("Funnel, this week"), "{screen}");
    assert!(
        screen.contains(&format!("Worked  {:>5}", f.worked)),
        "{screen}"
    );
}
