//! "Next lead" (SPEC §5) reads a few candidates per band through the queue's indexes and joins
//! them to `leads` by primary key: never a scan of every due lead. The plan of the very
//! statement `Store::claim_next` runs (on PostgreSQL its generic plan, which the claim runs
//! on), on a database big enough for a planner to prefer a scan when it misjudges how many
//! candidates there are (PostgreSQL's custom plan did: a limit it could not evaluate was taken
//! for a tenth of the band, and it hashed every due lead).
#![allow(clippy::unwrap_used)]

mod support;

use chrono::{DateTime, Utc};
use kaden::config::Config;
use kaden::store::{QueueQuery, Store};
use support::pg::{PgSchema, execute};

/// A Tuesday, 14:00 in Tokyo: calling hours.
fn afternoon() -> DateTime<Utc> {
    support::at("2026-11-24T14:00:00+09:00")
}

fn cfg() -> Config {
    Config::parse("time_zone = \"Asia/Tokyo\"\nrep = \"me\"\n", "t.toml").unwrap()
}

fn plan(store: &Store, cfg: &Config) -> Vec<String> {
    let q = QueueQuery {
        now: afternoon(),
        cfg,
        limit: 50,
        filter: None,
        owner: None,
    };
    let lines = store.claim_plan(&q, "me").unwrap();
    eprintln!("{}", lines.join("\n"));
    assert!(!lines.is_empty(), "no plan: the zone is not open?");
    lines
}

#[test]
fn claim_next_reads_candidates_by_index_on_postgres() {
    let Some(schema) = PgSchema::init() else {
        return;
    };
    let mut c = schema.client();
    // 40,000 due leads in one zone, as a real list after a few days of calling: what a scan
    // would have to read.
    execute(
        &mut c,
        "INSERT INTO companies (name, tier, created_at) VALUES ('会社', 2, '2026-11-01T00:00:00Z')",
        &[],
    );
    execute(
        &mut c,
        "INSERT INTO zones (name) VALUES ('Asia/Tokyo')",
        &[],
    );
    // Raw rows, without the per-row triggers (counters, search lines) the plan does not read.
    execute(&mut c, "ALTER TABLE leads DISABLE TRIGGER USER", &[]);
    execute(
        &mut c,
        "INSERT INTO leads (company_id, name, time_zone, tier, status, touches, created_at,
                            updated_at, next_at, next_channel, q_band, rank_key)
         SELECT 1, 'lead ' || g, 'Asia/Tokyo', 1 + g % 3, 'approaching', 1 + g % 5,
                '2026-11-01T00:00:00Z', '2026-11-20T00:00:00Z',
                '2026-11-2' || (g % 4) || 'T00:00:00Z', 'call', 2, (g * 7919 % 10007) / 10007.0
         FROM generate_series(1, 40000) AS g",
        &[],
    );
    execute(&mut c, "ALTER TABLE leads ENABLE TRIGGER USER", &[]);
    execute(&mut c, "ANALYZE", &[]);
    let cfg = cfg();
    let store = Store::open_postgres(&schema.url).unwrap();
    let lines = plan(&store, &cfg);
    let text = lines.join("\n");
    assert!(
        !lines.iter().any(|l| l.contains("Seq Scan on leads")),
        "claim-next scans leads:\n{text}"
    );
    assert!(
        text.contains("leads_pkey"),
        "candidates not joined to leads by primary key:\n{text}"
    );
    assert!(
        text.contains("leads_queue"),
        "due band not read from leads_queue:\n{text}"
    );
    assert!(
        text.contains("$1"),
        "not the generic plan (its parameters are not values):\n{text}"
    );
    assert!(
        text.contains("SKIP LOCKED") || text.contains("LockRows"),
        "the candidate is not locked:\n{text}"
    );
}

#[test]
fn claim_next_reads_candidates_by_index_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = cfg();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    store.ensure_rank_keys(&cfg).unwrap();
    kaden::demo::build_synthetic(&mut store, &cfg, afternoon(), 3000).unwrap();
    store.db_analyze().unwrap();
    let lines = plan(&store, &cfg);
    let text = lines.join("\n");
    assert!(
        !lines.iter().any(|l| l.starts_with("SCAN l")
            || l.starts_with("SCAN leads")
            || l.starts_with("SCAN x")),
        "claim-next scans leads:\n{text}"
    );
    assert!(
        text.contains("leads_queue"),
        "due band not read from leads_queue:\n{text}"
    );
}
