//! The non-interactive commands, and the context every command (and the TUI) starts from.

pub mod backup;
pub mod demo;
pub mod doctor;
pub mod export;
pub mod import;
pub mod log;
pub mod meeting;
pub mod plan;
pub mod queue;
pub mod report;

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

/// Commands not handled in `main` directly. Each module owns its command.
pub fn run_other(ctx: &Ctx, cmd: &crate::cli::Command) -> Result<std::process::ExitCode> {
    use crate::cli::Command as C;
    match cmd {
        C::Import(_) => import::run(ctx, cmd),
        C::Export(_) => export::run(ctx, cmd),
        C::Meeting(_) => meeting::run(ctx, cmd),
        C::Report(_) => report::run(ctx, cmd),
        C::Plan(_) => plan::run(ctx, cmd),
        C::Doctor => doctor::run(ctx, cmd),
        C::Backup(_) => backup::run(ctx, cmd),
        C::Demo(_) | C::Queue(_) | C::Log(_) | C::Keys => {
            anyhow::bail!("internal: {cmd:?} is dispatched in main")
        }
    }
}
