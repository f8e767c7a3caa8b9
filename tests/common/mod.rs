//! Shared helpers for integration tests: a fixed "now", a config, temp databases.
#![allow(dead_code, clippy::unwrap_used)]

use chrono::{DateTime, Utc};
use kaden::config::Config;
use kaden::domain::{LeadStatus, Tier};
use kaden::store::{CompanyInput, NewLead, Store};
use std::path::{Path, PathBuf};

pub const NOW: &str = "2026-11-24T10:00:00+09:00";

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub fn now() -> DateTime<Utc> {
    at(NOW)
}

pub const CONFIG: &str = "rep = \"me\"\ntime_zone = \"Asia/Tokyo\"\nphone_region = \"JP\"\n";

pub fn config() -> Config {
    Config::parse(CONFIG, "test.toml").unwrap()
}

pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub config_path: PathBuf,
}

pub fn temp_db() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kaden.db");
    let config_path = dir.path().join("config.toml");
    std::fs::write(&config_path, CONFIG).unwrap();
    TestDb {
        dir,
        path,
        config_path,
    }
}

pub fn lead(company: &str, name: &str, phone: &str, tier: u8, created: DateTime<Utc>) -> NewLead {
    NewLead {
        company: CompanyInput {
            name: company.into(),
            tier: Tier::new(tier),
            ..Default::default()
        },
        name: name.into(),
        title: String::new(),
        department: String::new(),
        role: None,
        phone: kaden::domain::phone::normalize(phone, "JP").unwrap(),
        mobile: None,
        email: None,
        source: "test".into(),
        owner: "me".into(),
        time_zone: None,
        status: LeadStatus::New,
        created_at: created,
    }
}

pub fn add(store: &mut Store, cfg: &Config, l: &NewLead) -> i64 {
    store.insert_lead(l, cfg).unwrap()
}

pub fn count(path: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(path).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

pub fn kaden(db: &TestDb) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("kaden").unwrap();
    c.env("KADEN_NOW", NOW)
        .env("TZ", "Asia/Tokyo")
        .env_remove("KADEN_DB")
        .env_remove("KADEN_CONFIG")
        .arg("--db")
        .arg(&db.path)
        .arg("--config")
        .arg(&db.config_path)
        .arg("--lang")
        .arg("en");
    c
}
