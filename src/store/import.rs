//! The store side of `kaden import`: one write transaction for a whole file, and the lookups
//! that dedupe it (by E.164 phone/mobile and email, through the indexes). The merge rules
//! (a duplicate only fills empty fields) are the importer's; this module only reads and writes.

use super::bulk::with_indexes_rebuilt;
use super::leads::{Lead, LeadWriter, NewLead, get_lead};
use super::sql::{Db, DbExt, EngineKind, params};
use super::{Result, Store, StoreError};
use crate::config::Config;
use crate::domain::Role;
use crate::domain::crm::{HubspotId, SalesforceId};
use chrono::{DateTime, Utc};

/// From this many new leads on, and when they outnumber the stored ones, the leads' indexes
/// are rebuilt once after the load instead of row by row.
const REBUILD_FROM: usize = 10_000;

/// An import in progress: inside one write transaction, or (a dry run) reading only.
pub struct LeadImport<'a> {
    db: &'a dyn Db,
    writer: Option<LeadWriter>,
    has_leads: bool,
}

impl LeadImport<'_> {
    /// The round-robin turn new leads are dealt from (by task: `[team] reps`).
    pub fn deal_turn(&self) -> Result<usize> {
        super::assign::turn(self.db)
    }

    /// Keep the turn after this import's leads for the next import.
    pub fn set_deal_turn(&self, turn: usize) -> Result<()> {
        super::assign::set_turn(self.db, turn)
    }

    /// Whether the database held any lead when the import started.
    pub fn has_leads(&self) -> bool {
        self.has_leads
    }

    /// A stored lead with one of these phones (E.164) or, failing that, this email.
    pub fn find_duplicate(&self, phones: &[&str], email: Option<&str>) -> Result<Option<i64>> {
        for p in phones {
            let id = self.db.opt(
                "SELECT id FROM leads WHERE phone = ?1 OR mobile = ?1 LIMIT 1",
                params![p],
                |r| r.get(0),
            )?;
            if id.is_some() {
                return Ok(id);
            }
        }
        match email {
            Some(e) => self.db.opt(
                "SELECT id FROM leads WHERE email = ?1 LIMIT 1",
                params![e],
                |r| r.get(0),
            ),
            None => Ok(None),
        }
    }

    /// A stored lead with this Salesforce id or, failing that, this HubSpot record id.
    pub fn find_by_record_id(
        &self,
        salesforce: Option<&SalesforceId>,
        hubspot: Option<&HubspotId>,
    ) -> Result<Option<i64>> {
        if let Some(sf) = salesforce {
            let id = self.db.opt(
                "SELECT id FROM leads WHERE salesforce_id = ?1",
                params![sf.as_str()],
                |r| r.get(0),
            )?;
            if id.is_some() {
                return Ok(id);
            }
        }
        match hubspot {
            Some(hs) => self.db.opt(
                "SELECT id FROM leads WHERE hubspot_id = ?1",
                params![hs.as_str()],
                |r| r.get(0),
            ),
            None => Ok(None),
        }
    }

    /// A stored lead.
    pub fn stored(&self, id: i64) -> Result<Lead> {
        get_lead(self.db, id)
    }

    fn writer(&mut self) -> Result<&mut LeadWriter> {
        self.writer
            .as_mut()
            .ok_or_else(|| StoreError::Invalid("internal: a dry run does not write".into()))
    }

    /// Insert the new leads (`count` of them, for the index decision), calling `progress`
    /// with the number written so far every 2,000 leads.
    pub fn insert_all<'l>(
        &mut self,
        leads: impl Iterator<Item = &'l NewLead>,
        count: usize,
        cfg: &Config,
        progress: &mut dyn FnMut(usize),
    ) -> Result<()> {
        let db = self.db;
        let stored: i64 = db.value("SELECT count(*) FROM leads", params![])?;
        let writer = self.writer()?;
        let insert = || -> Result<()> {
            for (i, lead) in leads.enumerate() {
                writer.insert(
                    db,
                    lead,
                    &cfg.weights,
                    cfg.default_time_zone,
                    cfg.default_tier,
                )?;
                if i % 2_000 == 0 {
                    progress(i);
                }
            }
            Ok(())
        };
        if count >= REBUILD_FROM && i64::try_from(count).unwrap_or(i64::MAX) > stored {
            with_indexes_rebuilt(db, &["leads"], insert)
        } else {
            insert()
        }
    }

    /// Write the filled-in fields of stored lead `id`.
    pub fn update_fields(&mut self, id: i64, l: &NewLead, now: DateTime<Utc>) -> Result<()> {
        self.writer()?;
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
}

impl Store {
    /// Run an import in one write transaction: everything `f` wrote is committed when it
    /// returns `Ok`, nothing when it returns an error. `large` widens SQLite's page cache for
    /// this connection so the leads' indexes stay in memory (the file is not changed).
    pub fn import<T, E: From<StoreError>>(
        &mut self,
        large: bool,
        f: impl FnOnce(&mut LeadImport<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if large && self.db().engine() == EngineKind::Sqlite {
            self.db().batch("PRAGMA cache_size = -16384")?;
        }
        self.tx(|db| {
            let mut imp = LeadImport {
                db,
                writer: Some(LeadWriter::for_db(db)?),
                has_leads: has_leads(db)?,
            };
            f(&mut imp)
        })
    }

    /// A dry run of an import: the same lookups, no transaction and no writes.
    pub fn import_preview<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut LeadImport<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let db = self.db();
        let mut imp = LeadImport {
            db,
            writer: None,
            has_leads: has_leads(db)?,
        };
        f(&mut imp)
    }
}

fn has_leads(db: &dyn Db) -> Result<bool> {
    db.value("SELECT EXISTS (SELECT 1 FROM leads)", params![])
}
