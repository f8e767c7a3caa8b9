//! The hostile-file corpus (`tests/hostile/`, described by its `manifest.toml`): the real
//! binary imports each file into a fresh copy of a seeded, checkpointed and closed database.
//! A file is either taken faithfully (the values the manifest lists) or refused with the
//! message it lists, and then the database is byte-identical and no WAL is left behind.
#![allow(clippy::unwrap_used)]

mod support;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use support::Ws;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    file: String,
    outcome: String,
    #[serde(default)]
    special: Option<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    leads: Vec<Vec<String>>,
    #[serde(default)]
    sql: Option<String>,
    #[serde(default)]
    rows: Vec<Vec<String>>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    case: Vec<Case>,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

fn wal(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", db.display()))
}

/// The input for a case: a copy of the corpus file, or the special file the case names.
fn input(ws: &Ws, case: &Case) -> PathBuf {
    match case.special.as_deref() {
        None => {
            let p = ws.path(&case.file);
            std::fs::copy(corpus().join(&case.file), &p).unwrap();
            p
        }
        Some("fifo") => {
            let p = ws.path(&case.file);
            let st = std::process::Command::new("mkfifo")
                .arg(&p)
                .status()
                .unwrap();
            assert!(st.success());
            p
        }
        Some("dev_zero") => PathBuf::from("/dev/zero"),
        Some("directory") => {
            let p = ws.path(&case.file);
            std::fs::create_dir(&p).unwrap();
            p
        }
        Some("symlink_loop") => {
            let p = ws.path(&case.file);
            let other = ws.path("other.csv");
            std::os::unix::fs::symlink(&other, &p).unwrap();
            std::os::unix::fs::symlink(&p, &other).unwrap();
            p
        }
        Some("missing") => ws.path(&case.file),
        Some(other) => panic!("unknown special case {other}"),
    }
}

#[test]
fn every_hostile_file_is_taken_faithfully_or_refused_with_the_database_untouched() {
    let text = std::fs::read_to_string(corpus().join("manifest.toml")).unwrap();
    let manifest: Manifest = toml::from_str(&text).unwrap();
    let files = std::fs::read_dir(corpus())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "csv")
        })
        .count();
    assert!(files >= 40, "the corpus has {files} files");
    // Every corpus file has a case.
    for e in std::fs::read_dir(corpus()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".csv") {
            assert!(
                manifest.case.iter().any(|c| c.file == name),
                "{name} has no case in the manifest"
            );
        }
    }
    // The seed: one lead, written by kaden, which then exits (checkpointed and closed).
    let seed_ws = Ws::for_import();
    let seed = seed_ws.file(
        "seed.csv",
        b"company,name,phone\nSeed KK,Seed,03-0000-0001\n",
    );
    seed_ws.import_ok(&seed, &[]);
    assert!(
        !wal(&seed_ws.db).exists(),
        "the seed database was not checkpointed"
    );
    let seed_bytes = std::fs::read(&seed_ws.db).unwrap();

    let (mut imported, mut refused) = (0, 0);
    for case in &manifest.case {
        let what = format!("{} {:?}", case.file, case.args);
        let ws = Ws::for_import();
        std::fs::write(&ws.db, &seed_bytes).unwrap();
        let path = input(&ws, case);
        let mut args = vec!["import".to_string(), path.display().to_string()];
        args.extend(case.args.iter().cloned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = ws.kaden(&args).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        match case.outcome.as_str() {
            "imported" => {
                imported += 1;
                assert!(out.status.success(), "{what}: {stderr}");
                let summary = case.summary.as_deref().unwrap();
                assert!(stdout.contains(summary), "{what}: {stdout}");
                let leads = ws.rows(
                    "SELECT c.name, l.name, COALESCE(l.phone, l.mobile, ''), COALESCE(l.email, '')
                     FROM leads l JOIN companies c ON c.id = l.company_id
                     WHERE l.id > 1 ORDER BY l.id",
                );
                assert_eq!(leads, case.leads, "{what}");
                if let Some(sql) = &case.sql {
                    assert_eq!(ws.rows(sql), case.rows, "{what}");
                }
            }
            "refused" => {
                refused += 1;
                assert!(!out.status.success(), "{what} was accepted: {stdout}");
                let error = case.error.as_deref().unwrap();
                assert!(stderr.contains(error), "{what}: {stderr}");
                // Short lines: the reason (and, for bad rows, the one-line verdict).
                assert!(stderr.lines().count() <= 2, "{what}: {stderr}");
                assert!(
                    stderr.lines().all(|l| l.chars().count() < 300),
                    "{what}: {stderr}"
                );
                assert_eq!(
                    std::fs::read(&ws.db).unwrap(),
                    seed_bytes,
                    "{what} changed the database"
                );
                let w = wal(&ws.db);
                assert!(
                    !w.exists() || std::fs::metadata(&w).unwrap().len() == 0,
                    "{what} left WAL content"
                );
                assert!(!ws.path(&format!("{}.rejects.csv", case.file)).exists());
            }
            other => panic!("{what}: unknown outcome {other}"),
        }
    }
    assert!(
        imported >= 20 && refused >= 30,
        "{imported} imported, {refused} refused"
    );
}
