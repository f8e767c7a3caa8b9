//! The store side of `kaden import`: one write transaction for a whole file, written as the
//! file streams by, and the lookups that dedupe it through the database, never a map in
//! memory. The merge rules (a duplicate only fills empty fields) are the importer's; this
//! module only reads and writes.
//!
//! - **Inside the file**: every phone, mobile, email and CRM record id of a lead written or
//!   merged into is kept in a temporary table (`import_keys`, its primary key the key) with the
//!   lead it leads to; a later row looks its keys up there.
//! - **Against the database**: the leads that were there before (`id <= before`), through the
//!   leads' phone, mobile, email and record-id indexes.
//! - **Bulk**: into an empty database (SQLite) the leads' indexes, the search trigger and the
//!   report triggers of new leads are dropped for the load, and built once at the end in the
//!   same transaction (indexes from sorted data, search lines and report counts in one
//!   statement each). Into a database that has leads, once the import has written more leads
//!   than the database had (and at least [`REBUILD_FROM`]), the indexes the lookups do not
//!   need are dropped the same way. The table's `CHECK` constraints are never dropped.

use super::bulk::{drop_indexes, drop_triggers};
use super::leads::{Lead, LeadWriter, NewLead, get_lead};
use super::search::{PausedDocuments, pause_documents, resume_documents};
use super::sql::{Db, DbExt, EngineKind, params};
use super::{Result, Store, StoreError};
use crate::config::Config;
use crate::domain::Role;
use crate::domain::crm::{HubspotId, SalesforceId};
use chrono::{DateTime, Utc};

/// From this many new leads on, and when they outnumber the stored ones, the leads' indexes
/// are rebuilt once after the load instead of row by row.
const REBUILD_FROM: usize = 10_000;

/// The indexes the duplicate lookups against the stored leads read: kept during a bulk load
/// into a database that has leads.
const LOOKUP_INDEXES: &[&str] = &[
    "leads_phone",
    "leads_mobile",
    "leads_email",
    "leads_salesforce_id",
    "leads_hubspot_id",
];

/// The report triggers a new lead fires (migrations 009, 011 and 012): dropped for a bulk load
/// into an empty database, whose counts are then added in one statement per table.
const NEW_LEAD_TRIGGERS: &[&str] = &[
    "lead_counts_insert",
    "lead_counts_update",
    "first_touches_lead_insert",
    "speed_counts_insert",
    "open_counts_insert",
    "open_counts_update",
];

/// What a bulk load dropped, to restore before the commit.
struct Bulk {
    indexes: Vec<String>,
    documents: Option<PausedDocuments>,
    /// The report triggers dropped (empty when they were kept), and the last lead id before.
    triggers: Vec<String>,
    /// The indexes of `first_touches`, dropped with the triggers: its rows are then written
    /// in key order and the indexes built once.
    touch_indexes: Vec<String>,
    mark: i64,
}

/// An import in progress, inside one write transaction (a dry run rolls it back).
pub struct LeadImport<'a> {
    db: &'a dyn Db,
    writer: LeadWriter,
    /// The largest lead id when the import began: leads above it are this import's.
    before: i64,
    /// Leads in the database when the import began.
    stored: i64,
    inserted: usize,
    bulk: Option<Bulk>,
}

impl<'a> LeadImport<'a> {
    fn begin(db: &'a dyn Db) -> Result<LeadImport<'a>> {
        let (before, stored): (i64, i64) = db.one(
            "SELECT coalesce(max(id), 0), count(*) FROM leads",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        db.batch(match db.engine() {
            EngineKind::Sqlite => {
                "CREATE TEMP TABLE import_keys (key TEXT PRIMARY KEY, lead INTEGER NOT NULL) WITHOUT ROWID;
                 CREATE TEMP TABLE import_zones (id INTEGER PRIMARY KEY, zone TEXT NOT NULL);"
            }
            EngineKind::Postgres => {
                "CREATE TEMP TABLE import_keys (key TEXT PRIMARY KEY, lead BIGINT NOT NULL) ON COMMIT DROP;
                 CREATE TEMP TABLE import_zones (id BIGINT PRIMARY KEY, zone TEXT NOT NULL) ON COMMIT DROP;"
            }
        })?;
        let mut imp = LeadImport {
            db,
            writer: LeadWriter::for_db(db)?,
            before,
            stored,
            inserted: 0,
            bulk: None,
        };
        if stored == 0 {
            imp.start_bulk()?;
        }
        Ok(imp)
    }

    /// Drop what a bulk load rebuilds at the end (SQLite only): every secondary index of the
    /// leads and their insert triggers when the database has no lead, else the indexes the
    /// lookups do not read and the search trigger.
    fn start_bulk(&mut self) -> Result<()> {
        if self.db.engine() != EngineKind::Sqlite || self.bulk.is_some() {
            return Ok(());
        }
        let empty = self.stored == 0;
        let keep = if empty { &[][..] } else { LOOKUP_INDEXES };
        let indexes = drop_indexes(self.db, "leads", keep)?;
        let documents = pause_documents(self.db)?;
        let (triggers, touch_indexes) = if empty {
            (
                drop_triggers(self.db, NEW_LEAD_TRIGGERS)?,
                drop_indexes(self.db, "first_touches", &[])?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let mark: i64 = self
            .db
            .value("SELECT coalesce(max(id), 0) FROM leads", params![])?;
        self.bulk = Some(Bulk {
            indexes,
            documents,
            triggers,
            touch_indexes,
            mark,
        });
        Ok(())
    }

    /// The round-robin turn new leads are dealt from (by task: `[team] reps`).
    pub fn deal_turn(&self) -> Result<usize> {
        super::assign::turn(self.db)
    }

    /// Whether the database held any lead when the import started.
    pub fn has_leads(&self) -> bool {
        self.stored > 0
    }

    /// Whether lead `id` was written by this import (not in the database before it).
    pub fn is_new(&self, id: i64) -> bool {
        id > self.before
    }

    /// The lead an earlier row of this file led to with this key (phone, mobile or email, or
    /// a record id key).
    pub fn seen(&self, key: &str) -> Result<Option<i64>> {
        self.db.opt(
            "SELECT lead FROM import_keys WHERE key = ?1",
            params![key],
            |r| r.get(0),
        )
    }

    /// Remember that `key` leads to lead `id` (the first lead to claim a key keeps it).
    pub fn remember(&self, key: &str, id: i64) -> Result<()> {
        self.db.execute(
            "INSERT INTO import_keys (key, lead) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![key, id],
        )?;
        Ok(())
    }

    /// A lead stored before the import with one of these phones (E.164) or, failing that,
    /// this email.
    pub fn find_duplicate(&self, phones: &[&str], email: Option<&str>) -> Result<Option<i64>> {
        for p in phones {
            let id = self.db.opt(
                "SELECT id FROM leads WHERE (phone = ?1 OR mobile = ?1) AND id <= ?2 LIMIT 1",
                params![p, self.before],
                |r| r.get(0),
            )?;
            if id.is_some() {
                return Ok(id);
            }
        }
        match email {
            Some(e) => self.db.opt(
                "SELECT id FROM leads WHERE email = ?1 AND id <= ?2 LIMIT 1",
                params![e, self.before],
                |r| r.get(0),
            ),
            None => Ok(None),
        }
    }

    /// A lead stored before the import with this Salesforce id or, failing that, this HubSpot
    /// record id.
    pub fn find_by_record_id(
        &self,
        salesforce: Option<&SalesforceId>,
        hubspot: Option<&HubspotId>,
    ) -> Result<Option<i64>> {
        if let Some(sf) = salesforce {
            let id = self.db.opt(
                "SELECT id FROM leads WHERE salesforce_id = ?1 AND id <= ?2",
                params![sf.as_str(), self.before],
                |r| r.get(0),
            )?;
            if id.is_some() {
                return Ok(id);
            }
        }
        match hubspot {
            Some(hs) => self.db.opt(
                "SELECT id FROM leads WHERE hubspot_id = ?1 AND id <= ?2",
                params![hs.as_str(), self.before],
                |r| r.get(0),
            ),
            None => Ok(None),
        }
    }

    /// A stored lead.
    pub fn stored(&self, id: i64) -> Result<Lead> {
        get_lead(self.db, id)
    }

    /// The zone the file gave lead `id` of this import, if it gave one.
    pub fn own_zone(&self, id: i64) -> Result<Option<chrono_tz::Tz>> {
        let z: Option<String> = self.db.opt(
            "SELECT zone FROM import_zones WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )?;
        Ok(z.and_then(|z| z.parse().ok()))
    }

    /// Insert a new lead; its id.
    pub fn insert(&mut self, lead: &NewLead, cfg: &Config) -> Result<i64> {
        let id = self.writer.insert(
            self.db,
            lead,
            &cfg.weights,
            cfg.default_time_zone,
            cfg.default_tier,
        )?;
        if let Some(z) = lead.time_zone {
            self.db.execute(
                "INSERT INTO import_zones (id, zone) VALUES (?1, ?2)",
                params![id, z.name()],
            )?;
        }
        self.inserted += 1;
        if self.bulk.is_none()
            && self.inserted >= REBUILD_FROM
            && i64::try_from(self.inserted).unwrap_or(i64::MAX) > self.stored
        {
            self.start_bulk()?;
        }
        Ok(id)
    }

    /// Write lead `id` of this import again with fields a later row filled (see
    /// `LeadWriter::rewrite`).
    pub fn rewrite(&mut self, id: i64, lead: &NewLead, cfg: &Config) -> Result<()> {
        self.writer
            .rewrite(self.db, id, lead, cfg.default_time_zone)
    }

    /// Write the filled-in fields of lead `id`, stored before the import.
    pub fn update_fields(&mut self, id: i64, l: &NewLead, now: DateTime<Utc>) -> Result<()> {
        self.db.execute(
            "UPDATE leads SET name = ?2, title = ?3, department = ?4, role = ?5, phone = ?6, mobile = ?7,
                              email = ?8, source = ?9, owner = ?10, updated_at = ?11, version = version + 1,
                              salesforce_id = ?12, hubspot_id = ?13,
                              do_not_call = ?14,
                              do_not_call_reason = CASE WHEN CAST(?14 AS BIGINT) = 1 AND do_not_call = 0
                                                        THEN 'do not call (import)'
                                                        ELSE do_not_call_reason END
             WHERE id = ?1",
            params![
                id,
                l.name,
                l.title,
                l.department,
                l.role.map(Role::key),
                l.phone,
                l.mobile,
                l.email,
                l.source,
                l.owner,
                now,
                l.salesforce_id.as_ref().map(SalesforceId::as_str),
                l.hubspot_id.as_ref().map(HubspotId::as_str),
                l.do_not_call,
            ],
        )?;
        Ok(())
    }

    /// By task with `[team] reps`: deal this import's new leads that have no owner to `reps`
    /// round-robin, in file order, the turn carried over from the last import.
    pub fn deal_to_reps(&mut self, reps: &[String]) -> Result<()> {
        let pool: i64 = self.db.value(
            "SELECT count(*) FROM leads WHERE id > ?1 AND owner = ''",
            params![self.before],
        )?;
        if pool == 0 || reps.is_empty() {
            return Ok(());
        }
        let turn = self.deal_turn()?;
        let n = reps.len();
        self.db.batch(match self.db.engine() {
            EngineKind::Sqlite => {
                "CREATE TEMP TABLE import_reps (k INTEGER PRIMARY KEY, rep TEXT NOT NULL)"
            }
            EngineKind::Postgres => {
                "CREATE TEMP TABLE import_reps (k BIGINT PRIMARY KEY, rep TEXT NOT NULL) ON COMMIT DROP"
            }
        })?;
        for (k, rep) in reps.iter().enumerate() {
            self.db.execute(
                "INSERT INTO import_reps (k, rep) VALUES (?1, ?2)",
                params![k, rep],
            )?;
        }
        self.db.execute(
            "UPDATE leads SET owner = r.rep,
                              next_owner = CASE WHEN leads.next_at IS NULL THEN leads.next_owner ELSE r.rep END
             FROM (SELECT id, (ROW_NUMBER() OVER (ORDER BY id) - 1 + ?2) % ?3 AS k
                   FROM leads WHERE id > ?1 AND owner = '') p
             JOIN import_reps r ON r.k = p.k
             WHERE leads.id = p.id",
            params![self.before, turn, n],
        )?;
        self.db.batch("DROP TABLE import_reps")?;
        let dealt = usize::try_from(pool).unwrap_or(0);
        super::assign::set_turn(self.db, (turn + dealt) % n)
    }

    /// Put back what a bulk load dropped: the indexes (built once), the search lines of the
    /// new leads, and their report counts (one statement per table); drop the key tables.
    fn finish(&mut self) -> Result<()> {
        if let Some(bulk) = self.bulk.take() {
            for sql in &bulk.indexes {
                self.db.batch(sql)?;
            }
            if let Some(paused) = bulk.documents {
                resume_documents(self.db, paused)?;
            }
            if !bulk.triggers.is_empty() {
                self.count_new_leads(bulk.mark)?;
                for sql in bulk.touch_indexes.iter().chain(&bulk.triggers) {
                    self.db.batch(sql)?;
                }
            }
        }
        self.db
            .batch("DROP TABLE import_keys; DROP TABLE import_zones;")
    }

    /// The report counts the insert triggers would have kept for the leads after `mark`
    /// (`lead_counts`, `first_touches` and its `speed_counts`, `open_counts`; a new lead has
    /// no touches yet). `first_touches` is written in its key order (its indexes are built
    /// after), and its speed counts per hour first, then per grain and dimension.
    fn count_new_leads(&self, mark: i64) -> Result<()> {
        // By hour first (one sort of the new leads), then the days from the hours.
        self.db.execute(
            "CREATE TEMP TABLE import_hours AS
             SELECT substr(created_at, 1, 13) AS bucket, source, tier, owner, count(*) AS n
             FROM leads WHERE id > ?1 GROUP BY 1, 2, 3, 4",
            params![mark],
        )?;
        self.db.batch(
            "INSERT INTO lead_counts (grain, bucket, source, tier, owner, n)
             SELECT 'h', bucket, source, tier, owner, n FROM import_hours WHERE true
             ON CONFLICT (grain, bucket, source, tier, owner) DO UPDATE SET n = lead_counts.n + excluded.n;
             INSERT INTO lead_counts (grain, bucket, source, tier, owner, n)
             SELECT 'd', substr(bucket, 1, 10), source, tier, owner, sum(n) FROM import_hours
             GROUP BY 2, 3, 4, 5
             ON CONFLICT (grain, bucket, source, tier, owner) DO UPDATE SET n = lead_counts.n + excluded.n;
             DROP TABLE import_hours;",
        )?;
        self.db.execute(
            "INSERT INTO first_touches (created_at, lead_id, source, owner)
             SELECT created_at, id, source, owner FROM leads WHERE id > ?1
             ORDER BY created_at, id",
            params![mark],
        )?;
        self.db.execute(
            "WITH h AS MATERIALIZED (
                 SELECT substr(created_at, 1, 13) AS hour, source,
                        coalesce(first_rep, owner) AS rep, dbucket, count(*) AS n
                 FROM first_touches WHERE lead_id > ?1 GROUP BY 1, 2, 3, 4)
             INSERT INTO speed_counts (grain, bucket, dim, key, dbucket, n)
             SELECT g.grain, substr(h.hour, 1, g.len), k.dim,
                    CASE k.dim WHEN 's' THEN h.source ELSE h.rep END, h.dbucket, sum(h.n)
             FROM h, (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g,
                  (SELECT 's' AS dim UNION ALL SELECT 'r') k
             WHERE true GROUP BY 1, 2, 3, 4, 5
             ON CONFLICT (grain, bucket, dim, key, dbucket) DO UPDATE SET n = speed_counts.n + excluded.n",
            params![mark],
        )?;
        self.db.execute(
            "INSERT INTO open_counts (kind, owner, status, day, n)
             SELECT 'c', owner, status, substr(created_at, 1, 10), count(*)
             FROM leads WHERE id > ?1 GROUP BY 2, 3, 4
             ON CONFLICT (kind, owner, status, day) DO UPDATE SET n = open_counts.n + excluded.n",
            params![mark],
        )?;
        self.db.execute(
            "INSERT INTO open_counts (kind, owner, status, day, n)
             SELECT 'n', owner, status, substr(next_at, 1, 10), count(*)
             FROM leads WHERE id > ?1 AND next_at IS NOT NULL GROUP BY 2, 3, 4
             ON CONFLICT (kind, owner, status, day) DO UPDATE SET n = open_counts.n + excluded.n",
            params![mark],
        )?;
        Ok(())
    }
}

impl Store {
    /// Run an import in one write transaction: everything `f` wrote is committed when it
    /// returns `Ok` (and `dry_run` is false), nothing when it returns an error or for a dry
    /// run, which does the same work and rolls it back (so its counts are the import's).
    pub fn import<T, E: From<StoreError>>(
        &mut self,
        dry_run: bool,
        f: impl FnOnce(&mut LeadImport<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let sqlite = self.db().engine() == EngineKind::Sqlite;
        if sqlite {
            // Room for the leads' pages and the index builds (this connection only; the
            // file is not changed).
            self.db().batch("PRAGMA cache_size = -16384")?;
        }
        let run = |db: &dyn Db| {
            let mut imp = LeadImport::begin(db)?;
            let out = f(&mut imp)?;
            if !dry_run {
                imp.finish()?;
            }
            Ok(out)
        };
        let out = if dry_run {
            self.rolled_back(run)
        } else {
            self.tx(run)
        };
        if sqlite {
            self.db().batch("PRAGMA cache_size = -2000")?;
        }
        out
    }
}
