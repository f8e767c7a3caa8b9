#![allow(clippy::unwrap_used)]
//! The dashboard: snapshots at 100×30 in English, Japanese and without colour, and the same
//! numbers as `kaden report` on the same database.

use chrono::{DateTime, Utc};
use kaden::cli::Period;
use kaden::config::Config;
use kaden::i18n::Lang;
use kaden::report::{self, Options, dashboard};
use kaden::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T15:00:00+09:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn setup() -> (tempfile::TempDir, Store, Config) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config::parse(
        "time_zone = \"Asia/Tokyo\"\nrep = \"me\"\n[targets.week]\nappointments = 5\n",
        "t.toml",
    )
    .unwrap();
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

#[test]
fn dashboard_shows_the_report_numbers() {
    let (_d, s, cfg) = setup();
    let d = dashboard(&s, &cfg, now()).unwrap();
    let at = now().with_timezone(&cfg.time_zone).date_naive();
    let week = report::build(
        &s,
        &cfg,
        now(),
        &Options {
            period: Period::Week,
            at,
            compare: true,
            by: None,
        },
    )
    .unwrap();
    let day = report::build(
        &s,
        &cfg,
        now(),
        &Options {
            period: Period::Day,
            at,
            compare: false,
            by: None,
        },
    )
    .unwrap();
    assert_eq!(d.week, week.metrics);
    assert_eq!(d.today, day.metrics);
    let prev = week.previous.unwrap();
    assert_eq!(d.previous_week, prev.metrics);
    assert_eq!(d.driver, prev.driver);
    assert_eq!(d.pace, week.pace);
    assert!(d.week.calls > 0, "the sample has calls this week");
    // Daily calls over the last 7 days add up to the calls the report gives for those days.
    let last7: u64 = d.daily_calls.iter().rev().take(7).map(|(_, n)| n).sum();
    let results: u64 = d.results_7d.iter().map(|(_, n)| n).sum();
    assert_eq!(last7, results);
    let today_calls = d.daily_calls.last().unwrap().1;
    assert_eq!(today_calls, day.metrics.calls);
    // Appointments by source this month = the report's --by source for the month.
    let month = report::build(
        &s,
        &cfg,
        now(),
        &Options {
            period: Period::Month,
            at,
            compare: false,
            by: Some(kaden::cli::ReportBy::Source),
        },
    )
    .unwrap();
    for (src, n) in &d.month_by_source {
        let m = &month
            .by
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .find(|(k, _)| k == src)
            .unwrap()
            .1;
        assert_eq!(m.appointments, *n, "{src}");
    }
    let total: u64 = d.month_by_source.iter().map(|(_, n)| n).sum();
    assert_eq!(total, month.metrics.appointments);
}
