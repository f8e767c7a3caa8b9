//! `kaden team init URL` and `kaden team move --from FILE --to URL` (SPEC §5).

use super::Ctx;
use super::output::confirm;
use crate::cli::TeamCommand;
use crate::store::{Store, pg};
use anyhow::{Result, bail};

pub fn run(ctx: &Ctx, cmd: &TeamCommand) -> Result<()> {
    let l = ctx.lang;
    match cmd {
        TeamCommand::Init { url } => {
            must_be_url(url)?;
            let (store, created) = Store::init_postgres(url)?;
            let shown = pg::redact(url);
            let v = store.schema_version()?;
            let line = if created {
                l.pick(
                    &format!("created kaden's schema (v{v}) on {shown}; reps open it with: kaden --db '{shown}'"),
                    &format!("{shown} に kaden のスキーマ (v{v}) を作成しました。各担当者は kaden --db '{shown}' で開きます"),
                )
                .to_string()
            } else {
                l.pick(
                    &format!("{shown} already has kaden's schema (now v{v}); nothing else changed"),
                    &format!(
                        "{shown} には kaden のスキーマがあります (v{v})。ほかは変更していません"
                    ),
                )
                .to_string()
            };
            confirm(
                l,
                l.pick("the schema was created", "スキーマを作成しました"),
                &line,
            );
        }
        TeamCommand::Load { plain } => load(ctx, *plain)?,
        TeamCommand::Move { from, to } => {
            must_be_url(to)?;
            if !from.is_file() {
                bail!(
                    "{}",
                    l.pick(
                        &format!("--from {}: there is no such database file", from.display()),
                        &format!(
                            "--from {}: そのデータベースファイルはありません",
                            from.display()
                        )
                    )
                );
            }
            let source = Store::open_read_only(from)?;
            let (mut target, _) = Store::init_postgres(to)?;
            let moved = source.move_into(&mut target)?;
            let mut text = l
                .pick(
                    &format!("moved {} → {}:\n", from.display(), pg::redact(to)),
                    &format!("{} → {} に移しました:\n", from.display(), pg::redact(to)),
                )
                .to_string();
            for m in &moved {
                let same = if m.from == m.to { "=" } else { "≠" };
                text.push_str(&format!(
                    "  {:<14} {:>9} {same} {:<9}\n",
                    m.table, m.from, m.to
                ));
            }
            let bad = moved.iter().filter(|m| m.from != m.to).count();
            confirm(
                l,
                l.pick("the database was moved", "データベースを移しました"),
                &text,
            );
            if bad > 0 {
                bail!("{bad} table(s) differ after the move: check the target before using it");
            }
        }
    }
    Ok(())
}

fn must_be_url(url: &str) -> Result<()> {
    if !pg::is_url(url) {
        bail!(
            "{}: not a PostgreSQL URL (postgres://USER@HOST/DATABASE)",
            pg::redact(url)
        );
    }
    Ok(())
}

/// `kaden team load`: due, held and on-a-call leads per rep.
fn load(ctx: &Ctx, plain: bool) -> Result<()> {
    use crate::domain::text::{fit, sanitize_line, width};
    let right =
        |s: &str, cells: usize| format!("{}{s}", " ".repeat(cells.saturating_sub(width(s))));
    let l = ctx.lang;
    let store = ctx.open_store()?;
    let rows = store.load_by_rep(ctx.now())?;
    let pool = l.pick("(unassigned pool)", "(未割当プール)");
    super::output::to_stdout(|w| {
        if !plain {
            writeln!(
                w,
                "{} {} {} {}",
                fit(l.pick("rep", "担当"), 20),
                right(l.pick("due", "対応待ち"), 8),
                right(l.pick("meetings", "商談中"), 9),
                right(l.pick("on call", "架電中"), 8),
            )?;
        }
        for r in &rows {
            let name = if r.rep.is_empty() {
                pool.to_string()
            } else {
                sanitize_line(&r.rep)
            };
            if plain {
                writeln!(w, "{}\t{}\t{}\t{}", name, r.due, r.held, r.on_call)?;
            } else {
                writeln!(
                    w,
                    "{} {:>8} {:>9} {:>8}",
                    fit(&name, 20),
                    r.due,
                    r.held,
                    r.on_call
                )?;
            }
        }
        Ok(())
    })
}
