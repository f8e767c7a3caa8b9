//! The store boundary, checked on the source: only `src/store/` may name a database client
//! crate, and nothing hands out the connection. (shared/ARCHITECTURE.md, "The store boundary".)
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 20, "found only {} source files", files.len());
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Lines outside `src/store/` that name a database client crate.
fn leaks(files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        if path.starts_with("src/store/") {
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            if ["rusqlite", "postgres::", "tokio_postgres"]
                .iter()
                .any(|w| line.contains(w))
            {
                out.push(format!("{path}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    out
}

/// Public functions that return the connection or a transaction of it.
fn accessors(files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        for (i, line) in text.lines().enumerate() {
            let l = line.trim_start();
            let public = l.starts_with("pub fn") || l.starts_with("pub(crate) fn");
            let hands_out = ["Connection", "Transaction<", "postgres::Client"]
                .iter()
                .any(|t| l.split("->").nth(1).is_some_and(|ret| ret.contains(t)));
            if public && hands_out {
                out.push(format!("{path}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    out
}

#[test]
fn only_the_store_names_a_database_crate() {
    let leaks = leaks(&sources());
    assert!(
        leaks.is_empty(),
        "database code outside src/store/:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn no_accessor_hands_out_the_connection() {
    let found = accessors(&sources());
    assert!(
        found.is_empty(),
        "accessors of the connection:\n{}",
        found.join("\n")
    );
}

/// The two scanners find what they look for (so the tests above can fail).
#[test]
fn the_scanners_find_planted_leaks() {
    let planted = vec![
        (
            "src/report/x.rs".to_string(),
            "use rusqlite::Connection;\n".to_string(),
        ),
        (
            "src/store/ok.rs".to_string(),
            "use rusqlite::Connection;\n".to_string(),
        ),
        (
            "src/store/mod.rs".to_string(),
            "    pub fn conn(&self) -> &Connection {\n".to_string(),
        ),
    ];
    assert_eq!(
        leaks(&planted),
        vec!["src/report/x.rs:1: use rusqlite::Connection;"]
    );
    assert_eq!(accessors(&planted).len(), 1);
}
