//! Bulk loads (a large import, the synthetic demo): a table's secondary indexes are dropped
//! and rebuilt once afterwards, inside the caller's transaction, so a failure or a kill
//! restores them with everything else. Building an index once from sorted data is several
//! times cheaper than inserting 100,000 rows into eight indexes one by one.

use super::leads::queue_keys;
use super::sql::{Db, DbExt, EngineKind, params};
use super::{Result, Store, StoreError};
use crate::domain::ranking::Weights;
use crate::domain::{CallResult, Channel, LeadStatus, Role, Tier};
use chrono::{DateTime, Utc};

/// Run `f` with the secondary indexes of `tables` dropped and rebuilt afterwards (SQLite; on
/// other engines `f` just runs).
pub(crate) fn with_indexes_rebuilt<T>(
    db: &dyn Db,
    tables: &[&str],
    f: impl FnOnce() -> Result<T>,
) -> Result<T> {
    if db.engine() != EngineKind::Sqlite {
        return f();
    }
    let mut saved = Vec::new();
    for table in tables {
        saved.extend(drop_indexes(db, table, &[])?);
    }
    let out = if tables.contains(&"leads") {
        super::search::with_documents_after(db, f)?
    } else {
        f()?
    };
    for sql in &saved {
        db.batch(sql)?;
    }
    Ok(out)
}

/// Run `f` without the report triggers of migrations 009 and 011 (SQLite), then count the report
/// aggregates from scratch, one statement per table: a load of 1.6M touches would otherwise
/// run the triggers 1.6M times.
fn with_report_counts_rebuilt<T>(db: &dyn Db, f: impl FnOnce() -> Result<T>) -> Result<T> {
    if db.engine() != EngineKind::Sqlite {
        return f();
    }
    let triggers: Vec<(String, String)> = db.rows(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'
         AND tbl_name IN ('leads', 'activities', 'first_touches') AND sql IS NOT NULL
         AND name NOT LIKE '%search%'",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (name, _) in &triggers {
        db.batch(&format!("DROP TRIGGER \"{}\"", name.replace('"', "\"\"")))?;
    }
    let out = f()?;
    // Before the triggers are back: the recount rewrites first_touches, whose own triggers
    // (speed_counts) would otherwise run once per lead.
    super::counts::recount(db)?;
    for (_, sql) in &triggers {
        db.batch(sql)?;
    }
    Ok(out)
}

/// Drop a table's secondary indexes but those named in `keep`; returns their SQL.
pub(super) fn drop_indexes(db: &dyn Db, table: &str, keep: &[&str]) -> Result<Vec<String>> {
    let indexes: Vec<(String, String)> = db.rows(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        params![table],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut saved = Vec::new();
    for (name, sql) in indexes {
        if keep.contains(&name.as_str()) {
            continue;
        }
        db.batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        saved.push(sql);
    }
    Ok(saved)
}

/// Drop the triggers named (those that exist); returns their SQL, to create them again.
pub(super) fn drop_triggers(db: &dyn Db, names: &[&str]) -> Result<Vec<String>> {
    let mut saved = Vec::new();
    for name in names {
        let sql: Option<String> = db.opt(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
            params![name],
            |r| r.get(0),
        )?;
        if let Some(sql) = sql {
            db.batch(&format!("DROP TRIGGER \"{}\"", name.replace('"', "\"\"")))?;
            saved.push(sql);
        }
    }
    Ok(saved)
}

/// A company of a bulk load, with its id chosen by the loader.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkCompany<'a> {
    pub id: i64,
    pub name: &'a str,
    pub industry: &'a str,
    pub employees: i64,
    pub tier: Tier,
    pub created_at: DateTime<Utc>,
}

/// A lead of a bulk load in the state it is in today (its history comes as [`BulkTouch`]es).
#[derive(Debug, Clone, PartialEq)]
pub struct BulkLead<'a> {
    pub id: i64,
    pub company_id: i64,
    pub name: &'a str,
    pub title: &'a str,
    pub role: Role,
    pub phone: &'a str,
    pub email: &'a str,
    pub source: &'a str,
    pub owner: &'a str,
    pub time_zone: &'a str,
    pub status: LeadStatus,
    pub nurture_reason: Option<&'a str>,
    pub touches: u32,
    pub unanswered: u32,
    pub created_at: DateTime<Utc>,
    pub next_at: Option<DateTime<Utc>>,
    pub next_channel: Channel,
    pub callback: bool,
}

/// One past call of a bulk-loaded lead.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkTouch<'a> {
    pub lead_id: i64,
    pub at: DateTime<Utc>,
    pub result: CallResult,
    pub reason: Option<&'a str>,
    pub rep: &'a str,
    pub duration_s: i64,
    pub status_to: LeadStatus,
}

/// The open transaction of [`Store::bulk_load`].
pub struct BulkLoad<'a> {
    db: &'a dyn Db,
    weights: Weights,
}

impl BulkLoad<'_> {
    /// A zone some lead is in.
    pub fn zone(&mut self, name: &str) -> Result<()> {
        super::leads::add_zone(self.db, name)
    }

    pub fn company(&mut self, c: &BulkCompany<'_>) -> Result<()> {
        self.db.execute(
            "INSERT INTO companies (id, name, industry, employees, website, tier, created_at)
             VALUES (?1, ?2, ?3, ?4, '', ?5, ?6)",
            params![
                c.id,
                c.name,
                c.industry,
                c.employees,
                c.tier.get(),
                c.created_at
            ],
        )?;
        Ok(())
    }

    /// A lead; its tier is its company's, its queue keys are computed here.
    pub fn lead(&mut self, l: &BulkLead<'_>) -> Result<()> {
        let (band, key) = queue_keys(
            &self.weights,
            l.status,
            l.next_at,
            l.callback,
            l.created_at,
            l.touches,
        );
        self.db.execute(
            "INSERT INTO leads (id, company_id, name, title, role, phone, email, source, owner, time_zone, tier, status,
                                nurture_reason, touches, unanswered, created_at, updated_at, next_at, next_owner,
                                next_channel, next_callback, q_band, rank_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, (SELECT tier FROM companies WHERE id = ?2), ?11, ?12, ?13,
                     ?14, ?15, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
            params![
                l.id,
                l.company_id,
                l.name,
                l.title,
                l.role.key(),
                l.phone,
                l.email,
                l.source,
                l.owner,
                l.time_zone,
                l.status.key(),
                l.nurture_reason,
                l.touches,
                l.unanswered,
                l.created_at,
                l.next_at,
                l.next_at.map(|_| l.owner),
                l.next_at.map(|_| l.next_channel.key()),
                l.callback,
                band,
                key,
            ],
        )?;
        Ok(())
    }

    pub fn touch(&mut self, t: &BulkTouch<'_>) -> Result<()> {
        self.db.execute(
            "INSERT INTO activities (lead_id, at, kind, channel, result, reason, rep, duration_s, status_to)
             VALUES (?1, ?2, 'touch', 'call', ?3, ?4, ?5, ?6, ?7)",
            params![
                t.lead_id,
                t.at,
                t.result.key(),
                t.reason,
                t.rep,
                t.duration_s,
                t.status_to.key()
            ],
        )?;
        Ok(())
    }
}

impl Store {
    /// Load a throwaway database in one transaction (the synthetic demo behind benchmarks):
    /// indexes are built once at the end, and SQLite does not sync while it loads (a crash
    /// mid-load loses the load, which is rebuilt anyway). Statistics are refreshed after.
    pub fn bulk_load<T>(
        &mut self,
        weights: &Weights,
        f: impl FnOnce(&mut BulkLoad<'_>) -> Result<T>,
    ) -> Result<T> {
        let sqlite = self.db().engine() == EngineKind::Sqlite;
        if sqlite {
            self.db()
                .batch("PRAGMA synchronous=OFF; PRAGMA cache_size = -65536;")?;
        }
        let out = self.tx(|db| {
            let out = with_report_counts_rebuilt(db, || {
                with_indexes_rebuilt(db, &["leads", "activities"], || {
                    f(&mut BulkLoad {
                        db,
                        weights: *weights,
                    })
                })
            })?;
            super::team::fix_sequences(db)?;
            Ok(out)
        });
        if sqlite {
            self.db()
                .batch("PRAGMA synchronous=FULL; PRAGMA cache_size = -2000; ANALYZE;")?;
        }
        out
    }

    /// Run `f` without syncing each commit (SQLite `synchronous=OFF`): only for building a
    /// throwaway database such as the sample demo; `synchronous=FULL` is back afterwards.
    pub fn without_sync<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let sqlite = self.db().engine() == EngineKind::Sqlite;
        if sqlite {
            self.db().batch("PRAGMA synchronous=OFF")?;
        }
        let out = f(self);
        if sqlite {
            self.db().batch("PRAGMA synchronous=FULL")?;
        }
        out
    }
}
