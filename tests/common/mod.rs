//! Transitional: the old name of the test support, kept only so test files written against it
//! on other branches still build when merged. New tests say `mod support;` (tests/support/).
//! Delete this file once no test uses it.
#![allow(dead_code, unused_imports, clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

pub use support::db::count;
pub use support::{CONFIG, NOW, add, at, config, lead, now};
use std::path::PathBuf;

pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub config_path: PathBuf,
}

pub fn temp_db() -> TestDb {
    let support::Ws { dir, db, config } = support::Ws::new();
    TestDb {
        dir,
        path: db,
        config_path: config,
    }
}

pub fn kaden(db: &TestDb) -> assert_cmd::Command {
    assert_cmd::Command::from_std(support::kaden_on(
        db.dir.path(),
        &db.path,
        &db.config_path,
    ))
}
