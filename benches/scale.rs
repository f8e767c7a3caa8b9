//! kaden at scale: the queue window, search as you type, recording a result, cold start, a week
//! report and a 100,000-row import, on databases of 100,000 and 1,000,000 synthetic leads built by
//! `kaden::demo::build_synthetic` (the code behind `kaden demo --leads N`).
//!
//! The databases are cached in `bench-data/` (gitignored): a second `cargo bench` reuses them.
//! `KADEN_BENCH_SIZES=100000` limits the sizes. Process benches spawn the bench-profile build of
//! the binary (`CARGO_BIN_EXE_kaden`). Peak memory is read with `/usr/bin/time -f %M` (Linux).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use kaden::config::Config;
use kaden::domain::CallResult;
use kaden::store::{QueueQuery, ResultInput, Store};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const NOW: &str = "2026-11-24T10:00:00+09:00";
const CONFIG: &str = "time_zone = \"Asia/Tokyo\"\nrep = \"bench\"\n";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

fn cfg() -> Config {
    Config::parse(CONFIG, "bench-data/config.toml").unwrap()
}

fn data_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data");
    std::fs::create_dir_all(&d).unwrap();
    let c = d.join("config.toml");
    if std::fs::read_to_string(&c).ok().as_deref() != Some(CONFIG) {
        std::fs::write(&c, CONFIG).unwrap();
    }
    d
}

fn sizes() -> Vec<u32> {
    std::env::var("KADEN_BENCH_SIZES")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// The cached database of `n` synthetic leads, built once (into a temporary name, then renamed,
/// so an interrupted build is never mistaken for a finished one).
fn bench_db(n: u32) -> PathBuf {
    let dir = data_dir();
    let db = dir.join(format!("leads-{n}.db"));
    if db.exists() {
        return db;
    }
    let tmp = dir.join(format!("leads-{n}.db.tmp"));
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", tmp.display()));
    }
    eprintln!("building {} (once; cached for later runs)…", db.display());
    let t = Instant::now();
    let cfg = cfg();
    let mut store = Store::open(&tmp).unwrap();
    store.ensure_rank_keys(&cfg).unwrap();
    let (l, a) = kaden::demo::build_synthetic(&mut store, &cfg, now(), n).unwrap();
    drop(store);
    std::fs::rename(&tmp, &db).unwrap();
    eprintln!(
        "built {l} leads, {a} activities in {:.0} s",
        t.elapsed().as_secs_f64()
    );
    db
}

fn kaden_cmd(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kaden"));
    c.env("KADEN_NOW", NOW)
        .env("TZ", "Asia/Tokyo")
        .arg("--db")
        .arg(db)
        .arg("--config")
        .arg(data_dir().join("config.toml"));
    c
}

/// Whether a command exists yet in this build (reports and import land from other branches).
fn available(db: &Path, args: &[&str]) -> bool {
    let out = kaden_cmd(db).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("not available yet") {
        eprintln!("skipping `kaden {}`: not in this build yet", args.join(" "));
        return false;
    }
    assert!(out.status.success(), "kaden {}: {err}", args.join(" "));
    true
}

fn queue(c: &mut Criterion) {
    let cfg = cfg();
    for n in sizes() {
        let db = bench_db(n);
        let store = Store::open(&db).unwrap();
        let q = QueueQuery {
            now: now(),
            cfg: &cfg,
            limit: 50,
            filter: None,
            owner: None,
        };
        assert_eq!(store.queue(&q).unwrap().len(), 50);
        let mut g = c.benchmark_group(format!("queue/{n}"));
        g.bench_function("window_50", |b| b.iter(|| store.queue(&q).unwrap()));
        g.bench_function("count", |b| {
            b.iter(|| store.queue_count(&cfg, q.now, None).unwrap())
        });
        g.bench_function("count_upto_1000", |b| {
            b.iter(|| store.queue_count_upto(&cfg, q.now, None, 1000).unwrap())
        });
        g.bench_function("window_50+count", |b| {
            b.iter(|| {
                (
                    store.queue(&q).unwrap(),
                    store.queue_count(&cfg, q.now, None).unwrap(),
                )
            })
        });
        g.finish();
    }
}

/// Search as you type (issue 13 point 1): one keystroke's query, `Store::search` for a page
/// plus one (what the TUI asks), over every lead. Each case is one state of the search line.
fn search(c: &mut Criterion) {
    const CASES: &[(&str, &str)] = &[
        ("1char_common", "山"),
        ("1char_absent", "林"),
        ("2char_common", "田中"),
        ("2char_absent", "榊原"),
        ("3char_common", "テック"),
        ("company", "東京テック1234"),
        ("phone_whole_number", "03-0000-0001"),
        ("phone_part", "0012-3456"),
        ("email", "lead99999@"),
        ("absent", "存在しない会社"),
    ];
    for n in sizes() {
        let db = bench_db(n);
        let store = Store::open(&db).unwrap();
        assert!(!store.search("田中", 51).unwrap().is_empty());
        assert_eq!(store.search("03-0000-0001", 51).unwrap()[0].id, 1);
        let mut g = c.benchmark_group(format!("search/{n}"));
        for (name, q) in CASES {
            g.bench_function(*name, |b| b.iter(|| store.search(q, 51).unwrap()));
        }
        g.finish();
    }
}

fn record(c: &mut Criterion) {
    let cfg = cfg();
    for n in sizes() {
        // On a copy, so the cached database doesn't drift from run to run.
        let src = bench_db(n);
        let work = data_dir().join(format!("work-{n}.db"));
        for s in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{s}", work.display()));
        }
        std::fs::copy(&src, &work).unwrap();
        let mut store = Store::open(&work).unwrap();
        let ids: Vec<i64> = {
            let q = QueueQuery {
                now: now(),
                cfg: &cfg,
                limit: 300,
                filter: None,
                owner: None,
            };
            store.queue(&q).unwrap().iter().map(|r| r.id).collect()
        };
        let mut i = 0usize;
        let mut g = c.benchmark_group(format!("record/{n}"));
        g.sample_size(30);
        g.bench_function("record_result", |b| {
            b.iter(|| {
                i += 1;
                let input = ResultInput::new(ids[i % ids.len()], CallResult::Unconnected, "bench");
                store
                    .record_result(&input, &cfg, now() + Duration::seconds(i as i64))
                    .unwrap()
            })
        });
        // What the TUI does after a write: the result, then the window and count re-read.
        g.bench_function("record_then_requery", |b| {
            b.iter(|| {
                i += 1;
                let input = ResultInput::new(ids[i % ids.len()], CallResult::Unconnected, "bench");
                let t = now() + Duration::seconds(i as i64);
                store.record_result(&input, &cfg, t).unwrap();
                let q = QueueQuery {
                    now: t,
                    cfg: &cfg,
                    limit: 50,
                    filter: None,
                    owner: None,
                };
                (
                    store.queue(&q).unwrap(),
                    store.queue_count(&cfg, t, None).unwrap(),
                )
            })
        });
        g.finish();
        drop(store);
        for s in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{s}", work.display()));
        }
    }
}

/// The whole keypress path the way the terminal loop runs it: key → keymap → update (for a
/// result: the form, then Enter → the record transaction → re-query of the window, the count
/// and the selected lead) → render of the full screen to a 120×40 `TestBackend`.
fn keypress(c: &mut Criterion) {
    use kaden::clock::Clock;
    use kaden::commands::Ctx;
    use kaden::i18n::Lang;
    use kaden::tui::App;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for n in sizes() {
        let src = bench_db(n);
        let work = data_dir().join(format!("keys-{n}.db"));
        for s in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{s}", work.display()));
        }
        std::fs::copy(&src, &work).unwrap();
        let ctx = Ctx {
            cfg: cfg(),
            clock: Clock::Fixed(now()),
            lang: Lang::En,
            rep: "bench".into(),
            db: work.clone(),
            db_explicit: true,
            db_url: None,
            mine_only: false,
        };
        let mut app = App::new(ctx.open_store().unwrap(), &ctx).unwrap();
        app.use_clipboard = false;
        let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let press =
            |app: &mut App, code: KeyCode| app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
        let mut g = c.benchmark_group(format!("keypress/{n}"));
        g.sample_size(30);
        g.bench_function("move_and_render", |b| {
            let mut down = true;
            b.iter(|| {
                press(
                    &mut app,
                    if down {
                        KeyCode::Char('j')
                    } else {
                        KeyCode::Char('k')
                    },
                );
                down = !down;
                term.draw(|f| kaden::tui::ui::render(&app, f)).unwrap();
            })
        });
        g.bench_function("record_result_and_render", |b| {
            b.iter(|| {
                press(&mut app, KeyCode::Char('u'));
                press(&mut app, KeyCode::Enter);
                assert!(app.result_form.is_none(), "the form closed after saving");
                term.draw(|f| kaden::tui::ui::render(&app, f)).unwrap();
            })
        });
        // `/` and a company name typed, then one more character and Backspace in turn: each
        // iteration is one keystroke of the search line, its query, the detail of the first
        // hit, and the whole screen drawn.
        for (label, typed, key) in [
            ("search_keystroke_3plus_and_render", "東京テック12", '3'),
            ("search_keystroke_1_2char_and_render", "田", '中'),
        ] {
            press(&mut app, KeyCode::Char('/'));
            for ch in typed.chars() {
                press(&mut app, KeyCode::Char(ch));
            }
            g.bench_function(label, |b| {
                let mut add = true;
                b.iter(|| {
                    press(
                        &mut app,
                        if add {
                            KeyCode::Char(key)
                        } else {
                            KeyCode::Backspace
                        },
                    );
                    add = !add;
                    term.draw(|f| kaden::tui::ui::render(&app, f)).unwrap();
                })
            });
            press(&mut app, KeyCode::Esc);
            assert!(app.search.is_none(), "Esc is back to the queue");
        }
        g.finish();
        drop(app);
        for s in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{s}", work.display()));
        }
    }
}

fn processes(c: &mut Criterion) {
    for n in sizes() {
        let db = bench_db(n);
        let mut g = c.benchmark_group(format!("process/{n}"));
        g.sample_size(10);
        g.bench_function("cold_start_queue_50", |b| {
            b.iter(|| {
                let out = kaden_cmd(&db)
                    .args(["queue", "--limit", "50"])
                    .output()
                    .unwrap();
                assert!(out.status.success());
                out.stdout.len()
            })
        });
        let report = ["report", "--period", "week", "--compare"];
        if available(&db, &report) {
            g.bench_function("report_week_compare", |b| {
                b.iter(|| {
                    let out = kaden_cmd(&db).args(report).output().unwrap();
                    assert!(out.status.success());
                })
            });
            let month = ["report", "--period", "month", "--by", "tier"];
            g.bench_function("report_month_by_tier", |b| {
                b.iter(|| {
                    let out = kaden_cmd(&db).args(month).output().unwrap();
                    assert!(out.status.success());
                })
            });
        }
        g.finish();
    }
}

/// Every report and the dashboard in-process (the store's counts and the report arithmetic, no
/// process start): `report --period month --by KEY` for each key, the month's funnel and
/// speed-to-lead on their own, the week with `--compare`, and the TUI dashboard's data.
fn reports(c: &mut Criterion) {
    use kaden::cli::{Period, ReportBy};
    use kaden::report::{self, Options, Span};
    let cfg = cfg();
    for n in sizes() {
        let db = bench_db(n);
        let mut store = Store::open(&db).unwrap();
        store.prepare_reports(cfg.time_zone).unwrap();
        let at = now().with_timezone(&cfg.time_zone).date_naive();
        let opts = |period, by, compare| Options {
            period,
            at,
            compare,
            by,
        };
        // The first report after a migration may build what it needs: not measured.
        report::build(&store, &cfg, now(), &opts(Period::Month, None, true)).unwrap();
        let mut g = c.benchmark_group(format!("report/{n}"));
        g.sample_size(10);
        g.bench_function("week_compare", |b| {
            b.iter(|| report::build(&store, &cfg, now(), &opts(Period::Week, None, true)).unwrap())
        });
        g.bench_function("month", |b| {
            b.iter(|| {
                report::build(&store, &cfg, now(), &opts(Period::Month, None, false)).unwrap()
            })
        });
        for (name, by) in [
            ("tier", ReportBy::Tier),
            ("source", ReportBy::Source),
            ("rep", ReportBy::Rep),
            ("result", ReportBy::Result),
            ("reason", ReportBy::Reason),
        ] {
            g.bench_function(format!("month_by_{name}"), |b| {
                b.iter(|| {
                    report::build(&store, &cfg, now(), &opts(Period::Month, Some(by), false))
                        .unwrap()
                })
            });
        }
        let month = Span::at(Period::Month, now(), cfg.time_zone);
        let (prev, _) = report::fair::previous(&month, &cfg, now());
        g.bench_function("month_funnel_by_tier", |b| {
            b.iter(|| {
                report::funnel::compute(&store, &cfg, &month, &prev, now(), Some(ReportBy::Tier))
                    .unwrap()
            })
        });
        g.bench_function("month_speed_to_lead", |b| {
            b.iter(|| report::speed::compute(&store, &month, cfg.sla_minutes, now()).unwrap())
        });
        g.bench_function("dashboard", |b| {
            b.iter(|| report::dashboard(&store, &cfg, now()).unwrap())
        });
        g.finish();
    }
}

/// A 100,000-row UTF-8 CSV in the shape of a typical list.
fn import_csv(rows: u32) -> PathBuf {
    let p = data_dir().join(format!("import-{rows}.csv"));
    if p.exists() {
        return p;
    }
    let mut s = String::from("Company,First Name,Last Name,Phone,Email\n");
    for i in 0..rows {
        s.push_str(&format!(
            "株式会社ベンチ{},太郎{},山田,03-{:04}-{:04},bench{i}@example.co.jp\n",
            i / 3,
            i % 100,
            (i / 10_000) % 10_000,
            i % 10_000
        ));
    }
    std::fs::write(&p, s).unwrap();
    p
}

fn import(c: &mut Criterion) {
    let csv = import_csv(100_000);
    let dir = data_dir();
    let fresh = |k: usize| {
        let p = dir.join(format!("import-target-{k}.db"));
        for s in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{s}", p.display()));
        }
        p
    };
    let probe = fresh(0);
    if !available(&probe, &["import", &csv.display().to_string()]) {
        return;
    }
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    let mut k = 0;
    g.bench_function("csv_100000_rows", |b| {
        b.iter_batched(
            || {
                k += 1;
                fresh(k)
            },
            |db| {
                let out = kaden_cmd(&db)
                    .args(["import", &csv.display().to_string()])
                    .output()
                    .unwrap();
                assert!(out.status.success());
            },
            criterion::BatchSize::PerIteration,
        )
    });
    g.finish();
    for j in 0..=k {
        fresh(j);
    }
}

/// Peak resident memory (max RSS) of whole processes, via GNU time.
fn peak_memory(_c: &mut Criterion) {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        eprintln!("peak memory: /usr/bin/time not found, skipped");
        return;
    }
    let measure = |label: &str, db: &Path, args: &[&str]| {
        let out = Command::new(time)
            .args(["-f", "KADEN_MAXRSS_KB=%M"])
            .arg(env!("CARGO_BIN_EXE_kaden"))
            .env("KADEN_NOW", NOW)
            .env("TZ", "Asia/Tokyo")
            .arg("--db")
            .arg(db)
            .arg("--config")
            .arg(data_dir().join("config.toml"))
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("not available yet") {
            eprintln!("peak memory/{label}: not in this build yet");
            return;
        }
        let kb = err
            .lines()
            .find_map(|l| l.strip_prefix("KADEN_MAXRSS_KB="))
            .and_then(|v| v.trim().parse::<u64>().ok());
        match kb {
            Some(kb) => println!("peak memory/{label}: {:.1} MB max RSS", kb as f64 / 1024.0),
            None => eprintln!("peak memory/{label}: could not read ({err})"),
        }
    };
    for n in sizes() {
        let db = bench_db(n);
        measure(&format!("queue_50/{n}"), &db, &["queue", "--limit", "50"]);
        measure(
            &format!("report_week_compare/{n}"),
            &db,
            &["report", "--period", "week", "--compare"],
        );
    }
    let csv = import_csv(100_000);
    let target = data_dir().join("import-rss.db");
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", target.display()));
    }
    measure(
        "import_100000_rows",
        &target,
        &["import", &csv.display().to_string()],
    );
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", target.display()));
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = queue, search, record, keypress, reports, processes, import, peak_memory
}
criterion_main!(benches);
