//! The context every command and the TUI start from: config, clock, language, rep and the
//! database path, read once from the command line and the environment.

use crate::cli::Cli;
use crate::clock::Clock;
use crate::config::{self, Config};
use crate::i18n::Lang;
use crate::store::Store;
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
    /// Whether `--db` was given.
    pub db_explicit: bool,
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
        let (db, db_explicit) = match &cli.db {
            Some(p) => (p.clone(), true),
            None => (data_dir()?.join("kaden.db"), false),
        };
        Ok(Ctx {
            cfg,
            clock,
            lang,
            rep,
            db,
            db_explicit,
            mine_only: cli.rep.is_some() && !cli.all,
        })
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Open the database (creating it owner-only), with stored rank keys matching the weights.
    pub fn open_store(&self) -> Result<Store> {
        let mut store = Store::open(&self.db)?;
        store.ensure_rank_keys(&self.cfg)?;
        Ok(store)
    }
}
