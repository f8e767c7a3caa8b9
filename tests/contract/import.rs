//! Importing leads through the store: a file is one transaction (all or nothing, whatever the
//! bytes), duplicates (by phone in any format, or email) merge into the stored lead filling only
//! its empty fields, and importing the same file again adds nothing.

use crate::engine::{Fixture, Val};
use crate::support::now;
use kaden::config::Config;
use kaden::domain::{CallResult, LeadStatus};
use kaden::import::{ImportError, ImportOptions, ImportSummary, import_bytes};
use kaden::store::ResultInput;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use std::cell::RefCell;

/// Import `csv` (as `leads.csv`) with the default options.
fn import(fx: &mut Fixture, csv: &str) -> Result<ImportSummary, ImportError> {
    import_bytes(
        &mut fx.store,
        &fx.cfg,
        csv.as_bytes(),
        "leads.csv",
        "leads",
        &ImportOptions::default(),
        now(),
    )
}

pub fn importing_the_same_file_again_adds_nothing(mut fx: Fixture) {
    let csv = "company,name,phone,email\n\
               Acme,Taro,03-1234-5678,\n\
               Beta,Jiro,03-2222-3333,jiro@beta.example\n\
               Gamma,Saburo,,saburo@gamma.example\n";
    let first = import(&mut fx, csv).unwrap();
    assert_eq!((first.rows, first.new, first.merged), (3, 3, 0));
    let leads: Vec<_> = (1..=3).map(|id| fx.store.lead(id).unwrap()).collect();
    let companies = fx.count("companies");
    let again = import(&mut fx, csv).unwrap();
    assert_eq!((again.rows, again.new, again.merged), (3, 0, 3));
    assert_eq!(fx.store.lead_count().unwrap(), 3);
    assert_eq!(fx.count("companies"), companies);
    // Nothing to fill: the leads are as they were (their version too).
    let after: Vec<_> = (1..=3).map(|id| fx.store.lead(id).unwrap()).collect();
    assert_eq!(after, leads);
}

pub fn duplicates_within_a_file_and_across_phone_formats_merge(mut fx: Fixture) {
    let csv = "company,name,phone,email\n\
               Acme,Taro,03-1234-5678,\n\
               Acme,Taro,+81 3 1234 5678,taro@acme.example\n\
               Acme,Taro Y.,０３－１２３４－５６７８,\n";
    let s = import(&mut fx, csv).unwrap();
    assert_eq!((s.rows, s.new, s.merged), (3, 1, 2));
    assert_eq!(fx.store.lead_count().unwrap(), 1);
    let l = fx.store.lead(1).unwrap();
    assert_eq!(l.phone.as_deref(), Some("+81312345678"));
    // The later row filled the empty email; the name was already there.
    assert_eq!(l.email.as_deref(), Some("taro@acme.example"));
    assert_eq!(l.name, "Taro");
    // By email alone, in a later file.
    let s = import(&mut fx, "company,name,email\nOther,T,taro@acme.example\n").unwrap();
    assert_eq!((s.new, s.merged), (0, 1));
}

pub fn a_merge_fills_only_empty_fields_and_never_touches_status_or_history(mut fx: Fixture) {
    import(
        &mut fx,
        "company,name,phone,title,status\nAcme,Taro,03-1234-5678,,new\n",
    )
    .unwrap();
    fx.store
        .record_result(
            &ResultInput::new(1, CallResult::Unconnected, "me"),
            &fx.cfg,
            now(),
        )
        .unwrap();
    let before = fx.store.lead(1).unwrap();
    let s = import(
        &mut fx,
        "company,name,phone,email,title,status,department\n\
         Other,Jiro,＋８１ ３ １２３４ ５６７８,taro@acme.example,CEO,対象外,営業\n",
    )
    .unwrap();
    assert_eq!((s.new, s.merged), (0, 1));
    let l = fx.store.lead(1).unwrap();
    assert_eq!(
        (l.name.as_str(), l.email.as_deref(), l.title.as_str()),
        ("Taro", Some("taro@acme.example"), "CEO")
    );
    assert_eq!(l.department, "営業");
    assert_eq!(l.company, "Acme");
    assert_eq!(
        (l.status, l.touches, l.next.clone()),
        (before.status, before.touches, before.next.clone())
    );
    assert_eq!(l.status, LeadStatus::Approaching);
    assert_eq!(fx.store.history(1).unwrap().len(), 1);
    assert_eq!(fx.count("activities"), 1);
}

pub fn a_file_with_a_bad_row_imports_nothing(mut fx: Fixture) {
    import(&mut fx, "company,name,phone\nKeep,Kei,03-9999-0000\n").unwrap();
    let e = import(
        &mut fx,
        "company,name,phone,email\n\
         Acme,Taro,03-1234-5678,\n\
         Beta,Jiro,,\n\
         Gamma,Saburo,03-3333-4444,\n",
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("1 bad row, first at line 3"), "{msg}");
    assert!(msg.contains("nothing was imported"), "{msg}");
    assert_eq!(fx.store.lead_count().unwrap(), 1);
    assert_eq!(fx.count("companies"), 1);
    // A dry run of a good file writes nothing either.
    let dry = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let s = import_bytes(
        &mut fx.store,
        &fx.cfg,
        b"company,name,phone\nAcme,Taro,03-1234-5678\n",
        "leads.csv",
        "leads",
        &dry,
        now(),
    )
    .unwrap();
    assert_eq!(s.new, 1);
    assert_eq!(fx.store.lead_count().unwrap(), 1);
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

/// Property: whatever the bytes, the importer never panics and never leaves a partial import —
/// the lead count is either unchanged or grown by exactly what a dry run announced.
pub fn arbitrary_bytes_never_panic_or_half_import(fx: Fixture) {
    // Where `--skip-bad` writes its reject file.
    let dir = tempfile::tempdir().unwrap();
    let counts = |fx: &Fixture| (fx.count("leads"), fx.count("companies"));
    let fx = RefCell::new(fx);
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
            let mut fx = fx.borrow_mut();
            let file = dir.path().join("in.csv").display().to_string();
            let opts = ImportOptions {
                skip_bad,
                ..ImportOptions::default()
            };
            let dry = ImportOptions {
                dry_run: true,
                ..opts.clone()
            };
            let before = counts(&fx);
            let planned = import_bytes(&mut fx.store, &cfg, &bytes, &file, "in", &dry, now());
            prop_assert_eq!(counts(&fx), before);
            let result = import_bytes(&mut fx.store, &cfg, &bytes, &file, "in", &opts, now());
            let after = counts(&fx);
            match (&planned, &result) {
                (_, Err(_)) => {
                    tally.borrow_mut().1 += 1;
                    prop_assert_eq!(after, before);
                }
                (Ok(p), Ok(s)) => {
                    if s.new > 0 {
                        tally.borrow_mut().0 += 1;
                    }
                    prop_assert_eq!(s.new, p.new);
                    prop_assert_eq!(after.0, before.0 + s.new as i64);
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

/// A large import drops the leads' indexes and some triggers while it loads (SQLite) and puts
/// them back before it commits; the table's CHECK rules are never dropped. After an import
/// into an empty database and another into a non-empty one: the same indexes and triggers as
/// before, report counts equal to a count of the rows, every lead searchable, and a status
/// outside the vocabulary still refused by the table itself.
pub fn an_import_puts_back_every_index_and_trigger_and_keeps_the_rules(mut fx: Fixture) {
    let schema = |fx: &Fixture| -> Vec<Vec<Val>> {
        if fx.store.is_postgres() {
            fx.raw.rows(
                "SELECT indexname::text FROM pg_indexes
                 WHERE tablename IN ('leads', 'first_touches') AND schemaname = current_schema()
                 UNION ALL SELECT t.tgname::text FROM pg_trigger t
                 JOIN pg_class c ON c.oid = t.tgrelid
                 WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
                 ORDER BY 1",
                &[],
            )
        } else {
            fx.raw.rows(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')
                 ORDER BY type, name",
                &[],
            )
        }
    };
    let before = schema(&fx);
    let mut csv = String::from("company,name,phone,email,status\n");
    for i in 0..300 {
        csv.push_str(&format!(
            "Firm {},Person {i},03-5555-{:04},p{i}@firm.example,{}\n",
            i / 3,
            i,
            if i % 2 == 0 { "new" } else { "nurturing" }
        ));
    }
    // A duplicate by email that fills the phone-less lead of an earlier row.
    csv.push_str("Firm 0,Person 0,,p0@firm.example,\n");
    let s = import(&mut fx, &csv).unwrap();
    assert_eq!((s.new, s.merged), (300, 1));
    assert_eq!(schema(&fx), before);
    // Into a database that has leads: new ones and duplicates of stored ones.
    let mut more = String::from("company,name,phone,email\n");
    for i in 290..320 {
        more.push_str(&format!(
            "Firm {},Person {i},03-5555-{:04},p{i}@firm.example\n",
            i / 3,
            i
        ));
    }
    let s = import(&mut fx, &more).unwrap();
    assert_eq!((s.new, s.merged), (20, 10));
    assert_eq!(schema(&fx), before);
    // The report counts of the new leads are what a count of the rows gives.
    let counted = fx.raw.rows(
        "SELECT bucket, source, tier, owner, n FROM lead_counts WHERE grain = 'd' AND n <> 0
         ORDER BY 1, 2, 3, 4",
        &[],
    );
    let rows = fx.raw.rows(
        "SELECT substr(created_at, 1, 10), source, tier, owner, count(*) FROM leads
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        &[],
    );
    assert_eq!(counted, rows);
    assert_eq!(fx.count("first_touches"), 320);
    // So is the speed-to-lead histogram of every lead (by source and by rep, per UTC day).
    let counted = fx.raw.rows(
        "SELECT bucket, dim, key, dbucket, n FROM speed_counts WHERE grain = 'd' AND n <> 0
         ORDER BY 1, 2, 3, 4",
        &[],
    );
    let rows = fx.raw.rows(
        "SELECT d, dim, key, dbucket, count(*) FROM (
             SELECT substr(created_at, 1, 10) AS d, 'r' AS dim,
                    coalesce(first_rep, owner) AS key, dbucket FROM first_touches
             UNION ALL
             SELECT substr(created_at, 1, 10), 's', source, dbucket FROM first_touches) t
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        &[],
    );
    assert_eq!(counted, rows);
    // So are the load balance's counts (SQLite's open_counts, migration 012).
    if !fx.store.is_postgres() {
        for (kind, column) in [("c", "created_at"), ("n", "next_at")] {
            let counted = fx.raw.rows(
                "SELECT owner, status, day, n FROM open_counts WHERE kind = ?1 AND n <> 0
                 ORDER BY 1, 2, 3",
                &[kind.into()],
            );
            let rows = fx.raw.rows(
                &format!(
                    "SELECT owner, status, substr({column}, 1, 10), count(*) FROM leads
                     WHERE {column} IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
                ),
                &[],
            );
            assert_eq!(counted, rows, "open_counts kind {kind}");
            assert!(!rows.is_empty());
        }
    }
    // Every imported lead is in the search index.
    let hits = fx.store.search("p319@firm", 5).unwrap();
    assert_eq!(hits.len(), 1);
    // The table still refuses what the vocabulary does not have.
    let company = fx.one("SELECT min(id) FROM companies", &[]).int();
    for (column, value) in [("status", "bogus"), ("role", "boss")] {
        let sql = format!(
            "INSERT INTO leads (company_id, {column}, time_zone, created_at, updated_at)
             VALUES (?1, ?2, 'Asia/Tokyo', '2026-11-24T01:00:00Z', '2026-11-24T01:00:00Z')"
        );
        let r = fx.raw.try_execute(&sql, &[company.into(), value.into()]);
        assert!(r.is_err(), "a lead with {column} {value:?} was stored");
    }
    assert_eq!(fx.count("leads"), 320);
}
