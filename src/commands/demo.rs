//! `kaden demo`: build a demo database and open the TUI on it.

use super::{Ctx, data_dir};
use crate::cli::DemoArgs;
use crate::store::Store;
use anyhow::{Result, bail};
use std::time::Instant;

pub fn run(mut ctx: Ctx, args: &DemoArgs) -> Result<()> {
    if !ctx.db_explicit {
        // The demo's own file: rebuilt every time, never the user's database.
        ctx.db = data_dir()?.join("demo.db");
        for suffix in ["", "-wal", "-shm"] {
            let p = std::path::PathBuf::from(format!("{}{suffix}", ctx.db.display()));
            if p.exists() {
                std::fs::remove_file(&p)?;
            }
        }
    }
    let mut store = Store::open(&ctx.db)?;
    if store.lead_count()? > 0 {
        bail!(
            "{} already holds leads: give `kaden demo --db` a new file",
            ctx.db.display()
        );
    }
    store.ensure_rank_keys(&ctx.cfg)?;
    let now = ctx.now();
    let started = Instant::now();
    match args.leads {
        Some(n) => {
            let (leads, acts) = crate::demo::build_synthetic(&mut store, &ctx.cfg, now, n)?;
            eprintln!(
                "kaden: demo database {} — {leads} synthetic leads, {acts} activities in {:.1} s",
                ctx.db.display(),
                started.elapsed().as_secs_f64()
            );
        }
        None => {
            let n = crate::demo::build_sample(&mut store, &ctx.cfg, now)?;
            eprintln!(
                "kaden: demo database {} — {n} sample leads",
                ctx.db.display()
            );
        }
    }
    drop(store);
    if args.no_tui {
        return Ok(());
    }
    crate::tui::run(&ctx)
}
