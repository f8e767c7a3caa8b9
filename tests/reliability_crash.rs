//! Nothing acknowledged is lost: writers killed with SIGKILL at random moments, three writers
//! (and a reader) on one file at once, many processes opening a brand-new file together.
//!
//! Child processes re-execute this test binary (`current_exe`) to run one of the `child_*`
//! functions below; those return at once when their environment variable is not set.
#![allow(clippy::unwrap_used)]

mod support;

use chrono::Duration;
use kaden::domain::{CallResult, Channel};
use kaden::store::{NextChoice, QueueQuery, ResultInput, SalAnswers, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use support::child::*;
use support::db::*;
use support::*;

const WRITER_DB: &str = "KADEN_TEST_WRITER_DB";
const READER_DB: &str = "KADEN_TEST_READER_DB";
const OPENER_DB: &str = "KADEN_TEST_OPENER_DB";

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn wait_for_go(go: Option<String>) {
    if let Some(go) = go {
        while !Path::new(&go).exists() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
}

/// One result of a random kind (unconnected, a recall, an appointment) for `lead`.
fn some_result(rng: &mut StdRng, lead: i64, i: i64) -> ResultInput {
    let mut input = ResultInput::new(lead, CallResult::Unconnected, "child");
    match rng.random_range(0..10) {
        0..=6 => {}
        7..=8 => {
            input.result = CallResult::Recall;
            input.next = NextChoice::At {
                due: now() + Duration::hours(1 + i % 5),
                channel: Channel::Call,
                owner: None,
                note: Some(format!("call back #{i}")),
            };
            // Some leads are in other zones: a promise at any hour is the prospect's request.
            input.off_hours_ok = true;
        }
        _ => {
            input.result = CallResult::Appointment;
            input.sal = Some(SalAnswers {
                budget: true,
                consideration: i % 2 == 0,
                timing: false,
            });
            input.meeting_at = Some(now() + Duration::days(3));
        }
    }
    input
}

/// Child: record results on random leads, printing `committed <activity id>` after each commit
/// returns. Stops after KADEN_TEST_WRITES results (or when killed).
#[test]
fn child_writer() {
    let Some(db) = env(WRITER_DB) else { return };
    let writes: i64 = env("KADEN_TEST_WRITES").unwrap().parse().unwrap();
    let seed: u64 = env("KADEN_TEST_SEED").unwrap().parse().unwrap();
    wait_for_go(env("KADEN_TEST_GO"));
    let cfg = config();
    let mut out = std::io::stdout().lock();
    let mut store = match Store::open(Path::new(&db)) {
        Ok(s) => s,
        Err(e) => {
            writeln!(out, "ERROR open: {e}").unwrap();
            panic!("open: {e}");
        }
    };
    let leads = store.lead_count().unwrap();
    let mut rng = StdRng::seed_from_u64(seed);
    for i in 0..writes {
        let lead = rng.random_range(1..=leads);
        let input = some_result(&mut rng, lead, i);
        match store.record_result(&input, &cfg, now() + Duration::seconds(i)) {
            Ok(rec) => {
                writeln!(out, "committed {}", rec.activity_id).unwrap();
                out.flush().unwrap();
            }
            Err(e) => {
                writeln!(out, "ERROR record: {e}").unwrap();
                out.flush().unwrap();
                panic!("record: {e}");
            }
        }
    }
}

/// Child: re-read the queue window and its count, as the TUI does after every write.
#[test]
fn child_reader() {
    let Some(db) = env(READER_DB) else { return };
    wait_for_go(env("KADEN_TEST_GO"));
    let cfg = config();
    let store = Store::open(Path::new(&db)).unwrap();
    for i in 0..150 {
        let q = QueueQuery {
            now: now() + Duration::seconds(i),
            cfg: &cfg,
            limit: 50,
            filter: None,
            owner: None,
        };
        let rows = store.queue(&q);
        let n = store.queue_count(&cfg, q.now, None);
        match (rows, n) {
            (Ok(rows), Ok(n)) => assert!(rows.len() as u64 <= n.max(50)),
            (Err(e), _) | (_, Err(e)) => {
                println!("ERROR read: {e}");
                panic!("read: {e}");
            }
        }
    }
    println!("reads ok");
}

/// Child: open a database that may not exist yet, add one lead, record five results on it.
#[test]
fn child_opener() {
    let Some(db) = env(OPENER_DB) else { return };
    wait_for_go(env("KADEN_TEST_GO"));
    let cfg = config();
    let fail = |what: &str, e: &dyn std::fmt::Display| -> ! {
        println!("ERROR {what}: {e}");
        panic!("{what}: {e}");
    };
    let mut store = Store::open(Path::new(&db)).unwrap_or_else(|e| fail("open", &e));
    store
        .ensure_rank_keys(&cfg)
        .unwrap_or_else(|e| fail("rank keys", &e));
    let me = std::process::id();
    let lead = {
        let mut new = new_lead(&format!("Opener {me}"), now());
        new.name = format!("Child {me}");
        new.source = String::new();
        new.owner = "tester".into();
        new.time_zone = Some(chrono_tz::Asia::Tokyo);
        store
            .insert_lead(&new, &cfg)
            .unwrap_or_else(|e| fail("insert", &e))
    };
    for i in 0..5 {
        let input = ResultInput::new(lead, CallResult::Unconnected, "child");
        match store.record_result(&input, &cfg, now() + Duration::seconds(i)) {
            Ok(rec) => println!("committed {}", rec.activity_id),
            Err(e) => fail("record", &e),
        }
    }
}

/// Every lead's `touches` equals its recorded touches: a result is never half-written.
fn assert_touches_consistent(db: &Path) {
    let bad = count(
        db,
        "SELECT count(*) FROM leads l WHERE l.touches !=
            (SELECT count(*) FROM activities a WHERE a.lead_id = l.id AND a.kind = 'touch')",
    );
    assert_eq!(bad, 0, "leads whose touches disagree with their activities");
    let orphan = count(
        db,
        "SELECT count(*) FROM appointments p WHERE NOT EXISTS
            (SELECT 1 FROM activities a WHERE a.id = p.activity_id)",
    );
    assert_eq!(orphan, 0, "appointments without their activity");
}

fn assert_all_present(db: &Path, ids: &[i64]) {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c
        .prepare("SELECT count(*) FROM activities WHERE id = ?1")
        .unwrap();
    for id in ids {
        let n: i64 = st.query_row([id], |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "acknowledged activity {id} is missing");
    }
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_result() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 300);
    let base = count(&db, "SELECT count(*) FROM activities");
    let mut rng = StdRng::seed_from_u64(0x006b_6164_656e);
    let mut acknowledged: Vec<i64> = Vec::new();
    let rounds = 24;
    for round in 0..rounds {
        let mut child = child(
            "child_writer",
            &[
                (WRITER_DB, db.display().to_string()),
                ("KADEN_TEST_WRITES", "100000".into()),
                ("KADEN_TEST_SEED", round.to_string()),
            ],
        )
        .spawn()
        .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut text = String::new();
        // Let it commit a random number of results, then kill it a random moment later:
        // sometimes before it opened the file, sometimes mid-transaction.
        for _ in 0..rng.random_range(0..25) {
            match lines.next() {
                Some(l) => {
                    text.push_str(&l.unwrap());
                    text.push('\n');
                }
                None => break,
            }
        }
        std::thread::sleep(std::time::Duration::from_micros(rng.random_range(0..4000)));
        child.kill().unwrap();
        // What it printed before dying was acknowledged too.
        for l in lines {
            text.push_str(&l.unwrap());
            text.push('\n');
        }
        child.wait().unwrap();
        assert!(!text.contains("ERROR"), "round {round}: {text}");
        acknowledged.extend(committed_ids(&text));
    }
    let unique: HashSet<i64> = acknowledged.iter().copied().collect();
    assert_eq!(
        unique.len(),
        acknowledged.len(),
        "an acknowledged id was handed out twice: a commit was lost and its id reused"
    );
    assert!(
        acknowledged.len() >= rounds,
        "too few commits to mean anything"
    );
    assert_eq!(integrity(&db), "ok");
    assert_all_present(&db, &acknowledged);
    let now_count = count(&db, "SELECT count(*) FROM activities");
    let added = (now_count - base) as usize;
    eprintln!(
        "{rounds} kills: {} acknowledged, {added} written",
        acknowledged.len()
    );
    // At most one commit per round can land after the last acknowledgement was printed.
    assert!(
        added >= acknowledged.len() && added <= acknowledged.len() + rounds,
        "{added} activities added for {} acknowledged",
        acknowledged.len()
    );
    assert_touches_consistent(&db);
}

fn finish(mut child: std::process::Child) -> (bool, String, String) {
    let mut out = String::new();
    let mut err = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let ok = child.wait().unwrap().success();
    (ok, out, err)
}

#[test]
fn three_writers_and_a_reader_on_one_file_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 300);
    let base = count(&db, "SELECT count(*) FROM activities");
    let go = dir.path().join("go");
    let go_env = ("KADEN_TEST_GO", go.display().to_string());
    let mut children = Vec::new();
    for seed in 0..3 {
        children.push(
            child(
                "child_writer",
                &[
                    (WRITER_DB, db.display().to_string()),
                    ("KADEN_TEST_WRITES", "60".into()),
                    ("KADEN_TEST_SEED", (100 + seed).to_string()),
                    go_env.clone(),
                ],
            )
            .spawn()
            .unwrap(),
        );
    }
    let reader = child(
        "child_reader",
        &[(READER_DB, db.display().to_string()), go_env.clone()],
    )
    .spawn()
    .unwrap();
    std::fs::write(&go, "").unwrap();
    let mut all = Vec::new();
    for c in children {
        let (ok, out, err) = finish(c);
        assert!(ok, "writer failed:\n{out}\n{err}");
        assert!(
            !err.contains("locked") && !out.contains("locked"),
            "{out}\n{err}"
        );
        let ids = committed_ids(&out);
        assert_eq!(ids.len(), 60, "{out}");
        all.extend(ids);
    }
    let (ok, out, err) = finish(reader);
    assert!(
        ok && out.contains("reads ok"),
        "reader failed:\n{out}\n{err}"
    );
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 180);
    assert_eq!(count(&db, "SELECT count(*) FROM activities"), base + 180);
    assert_all_present(&db, &all);
    assert_eq!(integrity(&db), "ok");
    assert_touches_consistent(&db);
}

#[test]
fn processes_opening_a_new_file_together_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("fresh").join("kaden.db");
    let go = dir.path().join("go");
    let children: Vec<_> = (0..4)
        .map(|_| {
            child(
                "child_opener",
                &[
                    (OPENER_DB, db.display().to_string()),
                    ("KADEN_TEST_GO", go.display().to_string()),
                ],
            )
            .spawn()
            .unwrap()
        })
        .collect();
    std::fs::write(&go, "").unwrap();
    for c in children {
        let (ok, out, err) = finish(c);
        assert!(ok, "opener failed:\n{out}\n{err}");
        assert_eq!(committed_ids(&out).len(), 5, "{out}");
    }
    assert_eq!(count(&db, "SELECT count(*) FROM leads"), 4);
    assert_eq!(count(&db, "SELECT count(*) FROM activities"), 20);
    assert_eq!(
        count(&db, "PRAGMA user_version"),
        kaden::store::LATEST_VERSION
    );
    assert_eq!(integrity(&db), "ok");
    #[cfg(unix)]
    {
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(db.parent().unwrap()), 0o700);
    }
}

/// The real binary, three shells running `kaden log` at once: every invocation opens the file
/// (and recomputes the rank keys, since this config's weights differ from the database's).
#[test]
fn concurrent_kaden_log_invocations_never_report_locked() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path(), 100);
    let config = write_config(dir.path(), "[ranking]\noverdue_per_hour = 3.0\n");
    let base = count(&db, "SELECT count(*) FROM activities");
    let per = 15;
    let threads: Vec<_> = (0..3)
        .map(|t| {
            let (home, db, config) = (dir.path().to_path_buf(), db.clone(), config.clone());
            std::thread::spawn(move || {
                let mut errors = Vec::new();
                for i in 0..per {
                    let lead = 1 + (t * per + i) % 100;
                    let out = kaden_on(&home, &db, &config)
                        .args(["log", &lead.to_string(), "unconnected"])
                        .output()
                        .unwrap();
                    if !out.status.success() {
                        errors.push(String::from_utf8_lossy(&out.stderr).into_owned());
                    }
                }
                errors
            })
        })
        .collect();
    for t in threads {
        let errors = t.join().unwrap();
        assert!(errors.is_empty(), "{errors:?}");
    }
    assert_eq!(
        count(&db, "SELECT count(*) FROM activities"),
        base + 3 * per as i64
    );
    assert_eq!(integrity(&db), "ok");
}
