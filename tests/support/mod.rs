//! The one support module of the integration tests (every test crate says `mod support;`): the
//! fixed "now", the test config, a workspace (a temp dir with a config and a database path), the
//! `kaden` binary run on it, leads to insert, and in submodules raw reads of a database file
//! (`db`), a real pseudo-terminal session (`pty`), the TUI on a TestBackend (`tui`), child
//! processes of the test binary (`child`) and real faults (`faults`).
#![allow(dead_code, clippy::unwrap_used)]

pub mod child;
pub mod db;
#[cfg(unix)]
pub mod faults;
pub mod pg;
pub mod pty;
pub mod tui;

use chrono::{DateTime, Utc};
use kaden::config::Config;
use kaden::domain::{LeadStatus, Tier};
use kaden::store::{CompanyInput, NewLead, Store};
use std::path::{Path, PathBuf};

/// The fixed "now" of every test: Tuesday 2026-11-24, 10:00 in Tokyo (calling hours, the day
/// after the Labour Thanksgiving Day holiday).
pub const NOW: &str = "2026-11-24T10:00:00+09:00";

/// [`NOW`] as the store writes it (UTC text).
pub const NOW_UTC: &str = "2026-11-24T01:00:00Z";

/// A time from RFC 3339 text.
pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// [`NOW`].
pub fn now() -> DateTime<Utc> {
    at(NOW)
}

/// The test config: rep "me", Tokyo, Japanese phone numbers.
pub const CONFIG: &str = "rep = \"me\"\ntime_zone = \"Asia/Tokyo\"\nphone_region = \"JP\"\n";

/// The import and export tests' addition to [`CONFIG`]: software companies of 10 or more
/// employees are tier 2 (the others the default tier, 3).
pub const TIER_RULE: &str =
    "default_tier = 3\n[[tier_rules]]\ntier = 2\nindustry = \"software\"\nmin_employees = 10\n";

/// [`CONFIG`].
pub fn config() -> Config {
    config_with("")
}

/// [`CONFIG`] followed by `extra` (more keys, or tables).
pub fn config_with(extra: &str) -> Config {
    Config::parse(&format!("{CONFIG}{extra}"), "test.toml").unwrap()
}

/// [`CONFIG`] with another `time_zone` (an IANA name).
pub fn config_in_zone(zone: &str) -> Config {
    let text = CONFIG.replace("Asia/Tokyo", zone);
    Config::parse(&text, "test.toml").unwrap()
}

/// Write [`CONFIG`] followed by `extra` as `dir/config.toml`; returns its path.
pub fn write_config(dir: &Path, extra: &str) -> PathBuf {
    let p = dir.join("config.toml");
    std::fs::write(&p, format!("{CONFIG}{extra}")).unwrap();
    p
}

/// The environment every test runs kaden in: the fixed clock, Tokyo, an English locale, `HOME`
/// and the working directory in `home` (nothing reaches the real home), no database or config
/// from the environment, stdin closed. For a program that runs kaden (a shell); kaden itself is
/// [`command`].
pub fn test_env<'c>(
    c: &'c mut std::process::Command,
    home: &Path,
) -> &'c mut std::process::Command {
    c.current_dir(home)
        .env("KADEN_NOW", NOW)
        .env("TZ", "Asia/Tokyo")
        .env("LANG", "C.UTF-8")
        .env("HOME", home)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("KADEN_DB")
        .env_remove("KADEN_CONFIG")
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null())
}

/// The `kaden` binary in the [`test_env`].
pub fn command(home: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_kaden"));
    test_env(&mut c, home);
    c
}

/// [`command`] on database `db` with config file `config`.
pub fn kaden_on(home: &Path, db: &Path, config: &Path) -> std::process::Command {
    let mut c = command(home);
    c.arg("--db").arg(db).arg("--config").arg(config);
    c
}

/// A workspace: a temp dir holding `config.toml` and the path of `kaden.db` (not yet created).
pub struct Ws {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

impl Default for Ws {
    fn default() -> Self {
        Ws::new()
    }
}

impl Ws {
    /// With [`CONFIG`].
    pub fn new() -> Ws {
        Ws::with_config("")
    }

    /// With [`CONFIG`] and [`TIER_RULE`]: for the import and export tests.
    pub fn for_import() -> Ws {
        Ws::with_config(TIER_RULE)
    }

    /// With [`CONFIG`] followed by `extra`.
    pub fn with_config(extra: &str) -> Ws {
        let dir = tempfile::tempdir().unwrap();
        let config = write_config(dir.path(), extra);
        let db = dir.path().join("kaden.db");
        Ws { dir, db, config }
    }

    /// A path in the workspace.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Write `bytes` as `name` in the workspace; returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Copy `tests/fixtures/NAME` into the workspace (so reject files land in the temp dir).
    pub fn fixture(&self, name: &str) -> PathBuf {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let p = self.path(name);
        std::fs::copy(src, &p).unwrap();
        p
    }

    /// `kaden --db … --config …` (see [`command`]), to add arguments to.
    pub fn command(&self) -> std::process::Command {
        kaden_on(self.dir.path(), &self.db, &self.config)
    }

    /// `kaden --db … --config … ARGS` as an `assert_cmd` command.
    pub fn kaden(&self, args: &[&str]) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::from_std(self.command());
        c.args(args);
        c
    }

    /// Run `kaden ARGS`: (success, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (bool, String, String) {
        let out = self.kaden(args).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `kaden import FILE ARGS…`, expected to succeed; returns stdout.
    pub fn import_ok(&self, file: &Path, args: &[&str]) -> String {
        let mut all = vec!["import", file.to_str().unwrap()];
        all.extend_from_slice(args);
        let (ok, out, err) = self.run(&all);
        assert!(ok, "import failed: {err}");
        out
    }

    /// `kaden demo --no-tui`: the sample database.
    pub fn demo(&self) {
        self.kaden(&["demo", "--no-tui"]).assert().success();
    }

    /// The store on the workspace's database.
    pub fn store(&self) -> Store {
        Store::open(&self.db).unwrap()
    }

    /// The database's bytes, its `-wal` included (see [`db::bytes`]).
    pub fn db_bytes(&self) -> Vec<u8> {
        db::bytes(&self.db)
    }

    /// Rows of a query over the database, each column as text (see [`db::rows`]).
    pub fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        db::rows(&self.db, sql)
    }

    /// The first column of the first row of `sql`, an integer.
    pub fn count(&self, sql: &str) -> i64 {
        db::count(&self.db, sql)
    }

    pub fn lead_count(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM leads")
    }
}

/// A lead of `company` created at `created`: contact "Taro", no phone or email, source "test",
/// owner "me", status new, the company's tier left to the config.
pub fn new_lead(company: &str, created: DateTime<Utc>) -> NewLead {
    NewLead {
        company: CompanyInput {
            name: company.into(),
            ..CompanyInput::default()
        },
        name: "Taro".into(),
        title: String::new(),
        department: String::new(),
        role: None,
        phone: None,
        mobile: None,
        email: None,
        source: "test".into(),
        owner: "me".into(),
        time_zone: None,
        status: LeadStatus::New,
        created_at: created,
        salesforce_id: None,
        hubspot_id: None,
        do_not_call: false,
    }
}

/// A lead with a contact, a (Japanese) phone number and its company's tier.
pub fn lead(company: &str, name: &str, phone: &str, tier: u8, created: DateTime<Utc>) -> NewLead {
    let mut l = new_lead(company, created);
    l.company.tier = Tier::new(tier);
    l.name = name.into();
    l.phone = kaden::domain::phone::normalize(phone, "JP").unwrap();
    l
}

/// Insert `l`; returns its id.
pub fn add(store: &mut Store, cfg: &Config, l: &NewLead) -> i64 {
    store.insert_lead(l, cfg).unwrap()
}

/// `dir/kaden.db` with `n` synthetic leads (ids 1..=n), as `kaden demo --leads n` builds it.
pub fn make_db(dir: &Path, n: u32) -> PathBuf {
    let path = dir.join("kaden.db");
    let cfg = config();
    let mut store = Store::open(&path).unwrap();
    store.ensure_rank_keys(&cfg).unwrap();
    kaden::demo::build_synthetic(&mut store, &cfg, now(), n).unwrap();
    path
}

/// `kaden plan` on the source document's example: a 10,000,000 target, a 25 % win rate,
/// 1,000,000 deals, 80 % of SALs becoming SQLs, 3 calls per SAL.
pub const PLAN_EXAMPLE: &[&str] = &[
    "plan",
    "--target",
    "10000000",
    "--win-rate",
    "0.25",
    "--deal-size",
    "1000000",
    "--sal-to-sql",
    "0.8",
    "--calls-per-sal",
    "3",
];

/// [`PLAN_EXAMPLE`] with the value of `flag` replaced by `value`.
pub fn plan_with(flag: &str, value: &str) -> Vec<String> {
    let mut args = strings(PLAN_EXAMPLE);
    let i = args.iter().position(|a| a == flag).unwrap();
    args[i + 1] = value.to_string();
    args
}

/// Fail, showing its stderr, unless the command succeeded.
pub fn assert_success(out: &std::process::Output) {
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Output bytes as text (lossy).
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Strings from string slices, to compare with [`Ws::rows`].
pub fn strings(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}
