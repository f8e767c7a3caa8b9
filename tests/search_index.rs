//! The SQLite side of search (migration 009, `src/store/search.rs`): the trigram index answers
//! the query (no scan of `leads`, no sort), a 1–2 character string older than the recent window
//! is still found exactly through the index's terms, writes by another program (the `sqlite3`
//! shell) keep the index in step, and the index stays consistent (FTS5's own integrity check).
#![allow(clippy::unwrap_used)]

mod support;

use kaden::store::Store;
use std::process::Command;
use support::{add, config, db, lead, now};

fn ids(store: &Store, q: &str) -> Vec<i64> {
    let mut v: Vec<i64> = store.search(q, 50).unwrap().iter().map(|h| h.id).collect();
    v.sort_unstable();
    v
}

fn fts_integrity(path: &std::path::Path) {
    db::batch(
        path,
        "INSERT INTO lead_search (lead_search, rank) VALUES ('integrity-check', 1)",
    );
}

#[test]
fn three_characters_are_answered_from_the_trigram_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let cfg = config();
    let mut store = Store::open(&path).unwrap();
    store.ensure_rank_keys(&cfg).unwrap();
    kaden::demo::build_synthetic(&mut store, &cfg, now(), 2000).unwrap();
    let plan = store.search_plan("テック").unwrap();
    eprintln!("{}", plan.join("\n"));
    assert!(
        plan.iter().any(|l| l.contains("VIRTUAL TABLE INDEX")),
        "{plan:?}"
    );
    assert!(!plan.iter().any(|l| l.starts_with("SCAN l")), "{plan:?}");
    assert!(!plan.iter().any(|l| l.contains("TEMP B-TREE")), "{plan:?}");
    // the bulk load indexed every lead, with the line the triggers write
    let docs = db::count(&path, "SELECT count(*) FROM lead_search_docs");
    assert_eq!(docs, 2000);
    let before = db::rows(&path, "SELECT id, doc FROM lead_search_docs ORDER BY id");
    // rewrites every line through the update trigger's expression
    db::batch(&path, "UPDATE leads SET name = name");
    let after = db::rows(&path, "SELECT id, doc FROM lead_search_docs ORDER BY id");
    assert_eq!(before, after, "the bulk line and the trigger's line agree");
    assert_eq!(
        db::count(
            &path,
            "SELECT count(*) FROM sqlite_master WHERE name = 'leads_search_ai'"
        ),
        1,
        "the trigger is back after the load"
    );
    assert_eq!(store.search("lead1999@", 50).unwrap()[0].id, 1999);
    fts_integrity(&path);
}

#[test]
fn a_short_rare_string_older_than_the_recent_window_is_found_through_the_terms() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let cfg = config();
    let mut store = Store::open(&path).unwrap();
    let old = add(
        &mut store,
        &cfg,
        &lead("榊原工業", "榊原 一", "03-1000-0001", 2, now()),
    );
    let other = add(
        &mut store,
        &cfg,
        &lead("Acme", "Ann", "03-1000-0002", 2, now()),
    );
    // a lead far newer than both: they are outside the recently-scanned window now
    let far = kaden::store::SHORT_WINDOW + 10_000;
    db::batch(
        &path,
        &format!(
            "INSERT INTO leads (id, company_id, name, time_zone, created_at, updated_at)
             SELECT {far}, company_id, 'Zed', 'Asia/Tokyo', created_at, updated_at FROM leads WHERE id = {other}"
        ),
    );
    assert_eq!(ids(&store, "榊原"), vec![old], "2 characters");
    assert_eq!(ids(&store, "榊"), vec![old], "1 character");
    assert_eq!(ids(&store, "工業"), vec![old], "at the end of the company");
    assert_eq!(ids(&store, "an"), vec![other]);
    assert_eq!(ids(&store, "ze"), vec![far]);
    assert_eq!(
        ids(&store, "ac"),
        vec![other, far],
        "the new lead's company is Acme"
    );
    assert_eq!(ids(&store, "zz"), Vec::<i64>::new());
    fts_integrity(&path);
}

#[test]
fn the_sqlite3_shell_writing_leads_keeps_the_index_in_step() {
    if Command::new("sqlite3").arg("--version").output().is_err() {
        eprintln!("sqlite3 shell not installed: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let cfg = config();
    let mut store = Store::open(&path).unwrap();
    let id = add(
        &mut store,
        &cfg,
        &lead("旧商会", "石川 一", "03-1000-0001", 2, now()),
    );
    let gone = add(
        &mut store,
        &cfg,
        &lead("消える商会", "森 二", "03-1000-0002", 2, now()),
    );
    drop(store);
    let out = Command::new("sqlite3")
        .arg(&path)
        .arg(format!(
            "UPDATE leads SET name = '石川 三郎', phone = '+81355550000' WHERE id = {id};
             UPDATE companies SET name = '新商会' WHERE name = '旧商会';
             DELETE FROM leads WHERE id = {gone};"
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open(&path).unwrap();
    assert_eq!(ids(&store, "三郎"), vec![id]);
    assert_eq!(ids(&store, "新商会"), vec![id]);
    assert_eq!(ids(&store, "旧商会"), Vec::<i64>::new());
    assert_eq!(ids(&store, "03-5555-0000"), vec![id]);
    assert_eq!(ids(&store, "消える"), Vec::<i64>::new());
    assert_eq!(ids(&store, "森"), Vec::<i64>::new());
    fts_integrity(&path);
    assert_eq!(db::integrity(&path), "ok");
}

#[test]
fn migrating_an_older_file_indexes_every_lead_already_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v8.db");
    let sql = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema_v8.sql"),
    )
    .unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    c.execute_batch(&sql).unwrap();
    drop(c);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        db::count(&path, "SELECT count(*) FROM lead_search_docs"),
        65
    );
    let hits = store.search("山田", 50).unwrap();
    assert!(hits.len() >= 4, "{hits:?}");
    assert!(!store.search("06-5911-5070", 50).unwrap().is_empty());
    fts_integrity(&path);
}

#[test]
fn imported_leads_are_found_and_a_second_import_keeps_one_line_each() {
    let ws = support::Ws::for_import();
    let csv = ws.fixture("salesforce_report.csv");
    ws.import_ok(&csv, &[]);
    ws.import_ok(&csv, &[]);
    let store = ws.store();
    let hits = store.search("03-1234-5678", 50).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].company, "Acme KK");
    assert_eq!(store.search("taro.yamada@", 50).unwrap().len(), 1);
    assert_eq!(
        db::count(store.path(), "SELECT count(*) FROM lead_search_docs"),
        db::count(store.path(), "SELECT count(*) FROM leads")
    );
    fts_integrity(store.path());
}
