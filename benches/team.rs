//! Team mode on PostgreSQL (SPEC §5): claim-next and record at 100k and 1M leads, one rep and
//! ten concurrent reps (each its own connection), p50 and p99; the queue window for one rep.
//! `KADEN_BENCH_PG` names the server (default: the local test server); the databases
//! `kaden_bench_N` are built once from `kaden::demo::build_synthetic` (an SQLite file moved in
//! with `team move`'s code) and reused. `KADEN_BENCH_SIZES=100000 cargo bench --bench team`.
//! Each run works at a time of day of its own (below); `KADEN_BENCH_MINUTES=M` fixes it at M
//! minutes after 10:00 in Tokyo, so that two builds can be compared at the same time of day (the
//! due band's cost depends on it: how many of the best leads are still waiting out a gap).
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

/// The URL of the bench database of `n` leads, built once.
fn bench_db(n: u32) -> String {
    let name = format!("kaden_bench_{n}");
    let url = format!("{}/{name}", server());
    if Store::open_postgres(&url).is_ok_and(|s| s.lead_count().unwrap_or(0) >= i64::from(n)) {
        return url;
    }
    let mut admin =
        postgres::Client::connect(&format!("{}/postgres", server()), postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    eprintln!("building {name} (once)…");
    let t = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k.db");
    let cfg = cfg();
    let mut solo = Store::open(&file).unwrap();
    solo.ensure_rank_keys(&cfg).unwrap();
    kaden::demo::build_synthetic(&mut solo, &cfg, now(), n).unwrap();
    let (mut team, _) = Store::init_postgres(&url).unwrap();
    solo.move_into(&mut team).unwrap();
    team.db_analyze().unwrap();
    eprintln!("built in {:.0} s", t.elapsed().as_secs_f64());
    url
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// `reps` threads, `each` claim-next + record apiece; (claim ms, record ms) of every round.
fn run(url: &str, reps: usize, each: usize, at: DateTime<Utc>) -> (Vec<f64>, Vec<f64>) {
    let hs: Vec<_> = (0..reps)
        .map(|r| {
            let url = url.to_string();
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
        let url = bench_db(n);
        // Each run works later in the day, so the leads earlier runs recorded are not due.
        let minutes = std::env::var("KADEN_BENCH_MINUTES")
            .ok()
            .and_then(|m| m.parse().ok())
            .unwrap_or(std::process::id() % 400);
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
        for reps in [1usize, 10] {
            let (mut c, mut w) = run(
                &url,
                reps,
                200 / reps.max(1) * if reps == 1 { 1 } else { 5 },
                at,
            );
            println!(
                "{n} leads, {reps} rep(s), {} rounds: claim-next p50 {:.2} ms p99 {:.2} ms · record p50 {:.2} ms p99 {:.2} ms",
                c.len(),
                pct(&mut c, 0.5),
                pct(&mut c, 0.99),
                pct(&mut w, 0.5),
                pct(&mut w, 0.99)
            );
        }
    }
}
