//! The queue's band queries are answered from their indexes, never a scan of every lead or a
//! sort of them: `EXPLAIN QUERY PLAN` of the very SQL `Store::queue` runs.
#![allow(clippy::unwrap_used)]

mod support;

use kaden::config::Config;
use kaden::domain::ranking::Band;
use kaden::store::{QueueQuery, Store};
use support::{db, now};

fn plans(analyzed: bool, filter: Option<&str>) -> Vec<(Band, Vec<String>)> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let cfg = Config::parse("time_zone = \"Asia/Tokyo\"\n", "t.toml").unwrap();
    let mut store = Store::open(&db).unwrap();
    store.ensure_rank_keys(&cfg).unwrap();
    kaden::demo::build_synthetic(&mut store, &cfg, now(), 3000).unwrap();
    if !analyzed {
        // As right after an import, before any ANALYZE.
        db::batch(store.path(), "DROP TABLE sqlite_stat1");
        drop(store);
        store = Store::open(&db).unwrap();
    }
    let q = QueueQuery {
        now: now(),
        cfg: &cfg,
        limit: 50,
        filter,
        owner: None,
    };
    let p = store.queue_plans(&q).unwrap();
    for (band, lines) in &p {
        eprintln!(
            "{band:?} (analyzed: {analyzed}, filter: {filter:?}):\n  {}",
            lines.join("\n  ")
        );
    }
    p
}

fn check(p: &[(Band, Vec<String>)]) {
    assert_eq!(p.len(), 3);
    for (band, lines) in p {
        let text = lines.join(" | ");
        let leads: Vec<&String> = lines
            .iter()
            .filter(|l| l.contains(" l ") || l.ends_with(" l"))
            .collect();
        assert!(!leads.is_empty(), "{band:?}: no step reads leads: {text}");
        for l in &leads {
            assert!(
                l.starts_with("SEARCH l USING INDEX"),
                "{band:?}: leads not searched through an index: {text}"
            );
        }
        let want: &[&str] = match band {
            Band::Callback => &["leads_due", "leads_queue"],
            Band::SpeedToLead => &["leads_new", "leads_due", "leads_queue"],
            Band::Due => &["leads_queue", "leads_due"],
        };
        assert!(
            leads.iter().any(|l| want.iter().any(|w| l.contains(w))),
            "{band:?}: expected one of {want:?}: {text}"
        );
        assert!(
            !lines
                .iter()
                .any(|l| l.starts_with("SCAN l") || l.starts_with("SCAN leads")),
            "{band:?}: full scan of leads: {text}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.contains("c USING INTEGER PRIMARY KEY")),
            "{band:?}: companies not joined by primary key: {text}"
        );
    }
    // No band sorts its rows: each comes out of its index in order and stops at the LIMIT.
    for (band, lines) in p {
        let text = lines.join(" | ");
        assert!(
            !text.contains("TEMP B-TREE FOR ORDER BY"),
            "{band:?} sorts: {text}"
        );
    }
    // The due band is the big one: it must come out of leads_queue in order, without a sort.
    let due = &p.iter().find(|(b, _)| *b == Band::Due).unwrap().1;
    let text = due.join(" | ");
    assert!(
        text.contains("leads_queue"),
        "due band off leads_queue: {text}"
    );
    assert!(
        !text.contains("TEMP B-TREE FOR ORDER BY"),
        "due band sorts: {text}"
    );
}

#[test]
fn queue_bands_use_their_indexes_after_analyze() {
    check(&plans(true, None));
}

#[test]
fn queue_bands_use_their_indexes_without_statistics() {
    check(&plans(false, None));
}
