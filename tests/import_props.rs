//! Property: whatever the bytes, the importer never panics and never leaves a partial import —
//! the lead count is either unchanged or grown by exactly what a dry run announced.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Utc};
use kaden::config::Config;
use kaden::import::{ImportOptions, import_bytes};
use kaden::store::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use std::cell::RefCell;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00+09:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn count(store: &Store, table: &str) -> i64 {
    rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// CSV-ish text: a header of known and unknown columns, then rows of plausible and hostile
/// cells (quotes, commas, newlines, full-width digits, escapes, statuses, formula guards).
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let header = prop::sample::subsequence(
        vec![
            "company",
            "name",
            "phone",
            "email",
            "status",
            "tier",
            "Mobile",
            "会社名",
            "x",
        ],
        1..8,
    );
    let cell = prop_oneof![
        2 => Just(String::new()),
        1 => "[a-z]{1,6}",
        4 => "0[3-9]-[0-9]{4}-[0-9]{4}",
        1 => Just("０３－１２３４－５６７８".to_string()),
        1 => "[a-z]{1,4}@[a-z]{1,4}\\.jp",
        1 => Just("new".to_string()),
        1 => Just("Working - Contacted".to_string()),
        1 => Just("Banana".to_string()),
        1 => Just("T1".to_string()),
        1 => Just("'=1+2".to_string()),
        1 => Just("\u{1b}[31m".to_string()),
        1 => "[\",\n\r a-z]{1,6}",
    ];
    (header, any::<bool>(), any::<bool>())
        .prop_flat_map(move |(mut h, crlf, with_phone)| {
            if with_phone && !h.contains(&"phone") {
                h.insert(0, "phone");
            }
            let n = h.len();
            // Mostly rows of the header's width; sometimes one cell more or less.
            let width = prop_oneof![8 => Just(n), 1 => Just(n + 1), 1 => Just(n.saturating_sub(1))];
            let row = width.prop_flat_map({
                let cell = cell.clone();
                move |w| prop::collection::vec(cell.clone(), w..=w)
            });
            (Just(h), prop::collection::vec(row, 0..6), Just(crlf))
        })
        .prop_map(|(h, rows, crlf)| {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut s = h.join(",");
            for r in rows {
                s.push_str(nl);
                s.push_str(&r.join(","));
            }
            s.into_bytes()
        })
}

#[test]
fn arbitrary_bytes_never_panic_or_half_import() {
    let dir = tempfile::tempdir().unwrap();
    let store = RefCell::new(Store::open(&dir.path().join("p.db")).unwrap());
    let cfg = Config {
        phone_region: "JP".into(),
        ..Config::default()
    };
    // A fixed seed: the same 400 cases every run, so the tally below cannot flake.
    let config = RunnerConfig {
        cases: 400,
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    let rng = proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm);
    let mut runner = TestRunner::new_with_rng(config, rng);
    // How many cases imported something / were refused: both must happen.
    let tally = RefCell::new((0usize, 0usize));
    let bytes = prop_oneof![prop::collection::vec(any::<u8>(), 0..400), csvish()];
    runner
        .run(&(bytes, any::<bool>()), |(bytes, skip_bad)| {
            let mut store = store.borrow_mut();
            let file = dir.path().join("in.csv").display().to_string();
            let opts = ImportOptions {
                skip_bad,
                ..ImportOptions::default()
            };
            let dry = ImportOptions {
                dry_run: true,
                ..opts.clone()
            };
            let before = (count(&store, "leads"), count(&store, "companies"));
            let planned = import_bytes(&mut store, &cfg, &bytes, &file, "in", &dry, now());
            prop_assert_eq!((count(&store, "leads"), count(&store, "companies")), before);
            let result = import_bytes(&mut store, &cfg, &bytes, &file, "in", &opts, now());
            let after = count(&store, "leads");
            match (&planned, &result) {
                (_, Err(_)) => {
                    tally.borrow_mut().1 += 1;
                    prop_assert_eq!((after, count(&store, "companies")), before);
                }
                (Ok(p), Ok(s)) => {
                    if s.new > 0 {
                        tally.borrow_mut().0 += 1;
                    }
                    prop_assert_eq!(s.new, p.new);
                    prop_assert_eq!(after, before.0 + s.new as i64);
                    prop_assert!(s.bad.is_empty() || skip_bad);
                }
                (Err(e), Ok(_)) => prop_assert!(false, "dry run failed but import worked: {e}"),
            }
            Ok(())
        })
        .unwrap();
    let (imported, refused) = *tally.borrow();
    assert!(
        imported > 10 && refused > 10,
        "imported {imported}, refused {refused}"
    );
    eprintln!("import_props: imported {imported}, refused {refused}");
}
