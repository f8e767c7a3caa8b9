//! The context every command and the TUI start from: config, clock, language, rep and the
//! database path, read once from the command line and the environment.

use crate::cli::Cli;
use crate::clock::Clock;
use crate::config::{self, Config};
use crate::i18n::Lang;
use crate::store::{Store, pg};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// Everything a command needs: config, clock, language, rep, database path.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub cfg: Config,
    pub clock: Clock,
    pub lang: Lang,
    pub rep: String,
    /// The database file (the user's, unless `--db`).
    pub db: PathBuf,
    /// Whether `--db` (or the config's `db`) was given.
    pub db_explicit: bool,
    /// A shared PostgreSQL database (`--db postgres://…`, `KADEN_DB`, or the config's `db`):
    /// team mode. `db` then holds the URL without its password, for messages.
    pub db_url: Option<String>,
    /// The queue is the rep's own (their leads plus unassigned ones): `--as REP` without `--all`.
    pub mine_only: bool,
}

/// The platform data directory (e.g. ~/.local/share/kaden).
pub fn data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "kaden")
        .map(|d| d.data_dir().to_path_buf())
        .context("cannot find a home directory for kaden's data; pass --db PATH")
}

impl Ctx {
    /// Build the context from the command line and the environment (`KADEN_NOW`).
    pub fn from_cli(cli: &Cli) -> Result<Ctx> {
        let clock = Clock::from_env()?;
        let cfg = match &cli.config {
            Some(p) if !p.exists() => anyhow::bail!("config file {} does not exist", p.display()),
            Some(p) => Config::load(p)?,
            None => match config::default_config_path() {
                Some(p) => Config::load(&p)?,
                None => Config::default(),
            },
        };
        let lang = cli.lang.or(cfg.lang).unwrap_or_else(Lang::from_system);
        // The rep's name is stored on every activity and printed by reports: it is untrusted
        // text like an imported name.
        let rep = crate::domain::text::sanitize_line(cli.rep.as_deref().unwrap_or(&cfg.rep));
        if rep.is_empty() {
            anyhow::bail!("--as: the rep's name is empty (once control characters are removed)");
        }
        let given = cli
            .db
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned())
            .or_else(|| cfg.db.clone());
        let (db, db_explicit, db_url) = match given {
            Some(u) if pg::is_url(&u) => (PathBuf::from(pg::redact(&u)), true, Some(u)),
            Some(p) => (PathBuf::from(p), true, None),
            None => (data_dir()?.join("kaden.db"), false, None),
        };
        Ok(Ctx {
            cfg,
            clock,
            lang,
            rep,
            db,
            db_explicit,
            db_url,
            mine_only: cli.rep.is_some() && !cli.all,
        })
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Open the database (creating it owner-only), with stored rank keys matching the weights.
    pub fn open_store(&self) -> Result<Store> {
        let mut store = self.open_plain()?;
        store.ensure_rank_keys(&self.cfg)?;
        Ok(store)
    }

    /// Open the database (file or PostgreSQL) as it is, working as this rep with the config's
    /// lease.
    pub fn open_plain(&self) -> Result<Store> {
        let mut store = match &self.db_url {
            Some(url) => Store::open_postgres(url)?,
            None => Store::open(&self.db)?,
        };
        store.set_rep(&self.rep);
        store.set_lease(chrono::Duration::minutes(i64::from(self.cfg.lease_minutes)));
        Ok(store)
    }
}
