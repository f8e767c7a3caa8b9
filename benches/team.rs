//! Team mode on PostgreSQL (SPEC §5): claim-next and record at 100k and 1M leads, one rep and
//! ten concurrent reps (each its own connection; all pressing "next lead" at the same instant
//! each round, then back to back: see [`Pace`]), p50 and p99; the queue window for one rep.
//! A size's three runs follow each other on its one fresh copy, so each later run finds the
//! leads the earlier ones called waiting out their retry gap (as a team's day goes).
//! `KADEN_BENCH_PG` names the server (default: the local test server). The databases
//! `kaden_bench_N` are built once (see [`bench_db`]) and kept as templates; each run works on a
//! fresh copy, `kaden_bench_N_run`, so earlier runs' results do not change what is due.
//! `KADEN_BENCH_SIZES=100000 cargo bench --bench team`. The runs work at 14:00 in Tokyo;
//! `KADEN_BENCH_MINUTES=M` sets M minutes after 10:00 instead (the due band's cost depends on
//! the hour: how many of the best leads are still waiting out a gap).
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, Utc};
use kaden::config::Config;
use kaden::domain::CallResult;
use kaden::store::{QueueQuery, ResultInput, Store};
use std::time::Instant;

const NOW: &str = "2026-11-24T10:00:00+09:00";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

fn cfg() -> Config {
    Config::parse(
        "time_zone = \"Asia/Tokyo\"\nrep = \"bench\"\n",
        "bench.toml",
    )
    .unwrap()
}

fn server() -> String {
    std::env::var("KADEN_BENCH_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

fn sizes() -> Vec<u32> {
    std::env::var("KADEN_BENCH_SIZES")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// `name` on the bench server.
fn url_of(name: &str) -> String {
    format!("{}/{name}", server())
}

fn admin() -> postgres::Client {
    postgres::Client::connect(&url_of("postgres"), postgres::NoTls).unwrap()
}

/// The bench database of `n` leads, built once and kept as a template: `n` leads of
/// `kaden::demo::build_synthetic` (an SQLite file moved in with `team move`'s code), or, for a
/// multiple of 100k, copies of the 100k one (one row at a time, 1M leads would take hours).
fn bench_db(n: u32) -> String {
    let name = format!("kaden_bench_{n}");
    if Store::open_postgres(&url_of(&name))
        .is_ok_and(|s| s.lead_count().unwrap_or(0) >= i64::from(n))
    {
        return name;
    }
    let t = Instant::now();
    if n > BASE && n.is_multiple_of(BASE) {
        let base = bench_db(BASE);
        let mut admin = admin();
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {base}"))
            .unwrap();
        eprintln!("building {name} as {} copies of {base} (once)…", n / BASE);
        copies(&url_of(&name), i64::from(n / BASE));
    } else {
        let mut admin = admin();
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        eprintln!("building {name} (once)…");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k.db");
        let cfg = cfg();
        let mut solo = Store::open(&file).unwrap();
        solo.ensure_rank_keys(&cfg).unwrap();
        kaden::demo::build_synthetic(&mut solo, &cfg, now(), n).unwrap();
        let (mut team, _) = Store::init_postgres(&url_of(&name)).unwrap();
        solo.move_into(&mut team).unwrap();
        team.db_analyze().unwrap();
    }
    eprintln!("built in {:.0} s", t.elapsed().as_secs_f64());
    name
}

const BASE: u32 = 100_000;

/// The leads, activities and appointments of the database at `url` copied `times - 1` more
/// times with new ids (copies' emails prefixed, CRM ids and claims cleared) with triggers off,
/// then the counters the triggers keep rebuilt by the migrations' own backfill statements.
fn copies(url: &str, times: i64) {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let max = |c: &mut postgres::Client, t: &str| -> i64 {
        c.query_one(&format!("SELECT COALESCE(max(id), 0) FROM {t}"), &[])
            .unwrap()
            .get(0)
    };
    let (l, a, p) = (
        max(&mut c, "leads"),
        max(&mut c, "activities"),
        max(&mut c, "appointments"),
    );
    let mut sql = vec!["SET session_replication_role = replica".to_string()];
    for (t, of) in [
        (
            "leads",
            vec![
                ("id", format!("id + g.k * {l}")),
                ("email", "g.k || '.' || email".into()),
                ("salesforce_id", "NULL".into()),
                ("hubspot_id", "NULL".into()),
                ("claimed_by", "NULL".into()),
                ("claimed_until", "NULL".into()),
                ("claim_token", "0".into()),
            ],
        ),
        (
            "activities",
            vec![
                ("id", format!("id + g.k * {a}")),
                ("lead_id", format!("lead_id + g.k * {l}")),
                ("uid", "NULL".into()),
            ],
        ),
        (
            "appointments",
            vec![
                ("id", format!("id + g.k * {p}")),
                ("activity_id", format!("activity_id + g.k * {a}")),
                ("lead_id", format!("lead_id + g.k * {l}")),
            ],
        ),
    ] {
        let cols: Vec<String> = c
            .query(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position",
                &[&t],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let exprs: Vec<String> = cols
            .iter()
            .map(|col| {
                of.iter()
                    .find(|(name, _)| name == col)
                    .map_or_else(|| col.clone(), |(_, e)| e.clone())
            })
            .collect();
        sql.push(format!(
            "INSERT INTO {t} ({}) SELECT {} FROM {t}, generate_series(1, {}) AS g (k)",
            cols.join(", "),
            exprs.join(", "),
            times - 1
        ));
    }
    sql.push(
        "TRUNCATE touch_counts, lead_counts, first_touches, speed_counts, report_log, funnel_counts, report_zones"
            .into(),
    );
    // The migrations' backfills: their statements at the start of a line (a function's are
    // indented).
    for m in kaden::store::pg::PG_MIGRATIONS {
        for (i, _) in m.match_indices("\nINSERT INTO ") {
            let stmt = &m[i + 1..];
            let stmt = &stmt[..stmt.find(";\n").unwrap()];
            if [
                "touch_counts",
                "lead_counts",
                "first_touches",
                "speed_counts",
            ]
            .iter()
            .any(|t| stmt.starts_with(&format!("INSERT INTO {t} ")))
            {
                sql.push(stmt.to_string());
            }
        }
    }
    for t in ["companies", "leads", "activities", "appointments"] {
        sql.push(format!(
            "SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT max(id) FROM {t}), 0) + 1, false)"
        ));
    }
    let mut tx = c.transaction().unwrap();
    for s in &sql {
        let t = Instant::now();
        tx.batch_execute(s).unwrap();
        eprintln!(
            "  {:.0} s: {}",
            t.elapsed().as_secs_f64(),
            s.lines().next().unwrap_or("")
        );
    }
    tx.commit().unwrap();
    c.batch_execute("VACUUM ANALYZE").unwrap();
}

/// A fresh copy of the bench database `template` for one run (earlier runs' results would
/// change what is due).
fn run_db(template: &str) -> String {
    let name = format!("{template}_run");
    let mut admin = admin();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .unwrap();
    url_of(&name)
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// How the reps of a run take their turns.
#[derive(Clone, Copy, PartialEq)]
enum Pace {
    /// Each rep claims again as soon as its save returns: the server saturated, a claim waits
    /// for the cores behind every other rep's claim and save (a throughput test).
    BackToBack,
    /// Every round, all reps press "next lead" at the same instant (a barrier), then save: the
    /// worst collision a team meets (after a break, at the start of a block), each claim
    /// racing the others for the same best leads.
    AtOnce,
}

/// `reps` threads, `each` claim-next + record apiece; (claim ms, record ms) of every round.
fn run(url: &str, reps: usize, each: usize, at: DateTime<Utc>, pace: Pace) -> (Vec<f64>, Vec<f64>) {
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(reps));
    let hs: Vec<_> = (0..reps)
        .map(|r| {
            let url = url.to_string();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let cfg = cfg();
                let rep = format!("bench{r}");
                let mut s = Store::open_postgres(&url).unwrap();
                s.set_rep(&rep);
                let (mut c, mut w) = (Vec::new(), Vec::new());
                for _ in 0..each {
                    let q = QueueQuery {
                        now: at,
                        cfg: &cfg,
                        limit: 50,
                        filter: None,
                        owner: None,
                    };
                    if pace == Pace::AtOnce {
                        barrier.wait();
                    }
                    let t = Instant::now();
                    let (row, _) = s.claim_next(&q, &rep).unwrap().unwrap();
                    c.push(t.elapsed().as_secs_f64() * 1e3);
                    let t = Instant::now();
                    s.record_result(
                        &ResultInput::new(row.id, CallResult::Unconnected, &rep),
                        &cfg,
                        at,
                    )
                    .unwrap();
                    w.push(t.elapsed().as_secs_f64() * 1e3);
                }
                (c, w)
            })
        })
        .collect();
    let (mut c, mut w) = (Vec::new(), Vec::new());
    for h in hs {
        let (a, b) = h.join().unwrap();
        c.extend(a);
        w.extend(b);
    }
    (c, w)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    for n in sizes() {
        let url = run_db(&bench_db(n));
        let minutes = std::env::var("KADEN_BENCH_MINUTES")
            .ok()
            .and_then(|m| m.parse().ok())
            .unwrap_or(240);
        let at = now() + Duration::minutes(i64::from(minutes));
        println!("{n} leads at 10:00 JST + {minutes} min");
        let cfg = cfg();
        let s = Store::open_postgres(&url).unwrap();
        let mut win = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            let rows = s
                .queue(&QueueQuery {
                    now: at,
                    cfg: &cfg,
                    limit: 50,
                    filter: None,
                    owner: None,
                })
                .unwrap();
            win.push(t.elapsed().as_secs_f64() * 1e3);
            assert!(!rows.is_empty());
        }
        println!(
            "{n} leads: queue window (50 rows) p50 {:.2} ms p99 {:.2} ms",
            pct(&mut win, 0.5),
            pct(&mut win, 0.99)
        );
        for (reps, pace) in [
            (1usize, Pace::BackToBack),
            (10, Pace::AtOnce),
            (10, Pace::BackToBack),
        ] {
            let (mut c, mut w) = run(
                &url,
                reps,
                200 / reps.max(1) * if reps == 1 { 1 } else { 5 },
                at,
                pace,
            );
            let how = match (reps, pace) {
                (1, _) => "",
                (_, Pace::AtOnce) => " at once",
                (_, Pace::BackToBack) => " back to back",
            };
            println!(
                "{n} leads, {reps} rep(s){how}, {} rounds: claim-next p50 {:.2} ms p99 {:.2} ms · record p50 {:.2} ms p99 {:.2} ms",
                c.len(),
                pct(&mut c, 0.5),
                pct(&mut c, 0.99),
                pct(&mut w, 0.5),
                pct(&mut w, 0.99)
            );
        }
    }
}
