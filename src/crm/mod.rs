//! `kaden export results --for salesforce|hubspot`: the day's touches and next actions, and the
//! leads' statuses, as files the CRMs' own import tools take — Salesforce Data Loader (Task insert
//! or upsert, Lead update) and HubSpot's import tool (calls with their contacts, contacts update).
//!
//! The flow: read what the target already received (its watermark) → write the status file, then
//! the activity file, each whole or not at all (`crate::files::write_private`) → only then record
//! the export (watermark, next actions sent) in one transaction. A failure before that records
//! nothing, so the next export sends the same rows again; the status file goes first because
//! writing it twice is harmless (it sets values, it adds nothing).
//!
//! The files are for the CRM's importer, not for a spreadsheet: UTF-8 without a BOM, CRLF, values
//! written exactly (no `'` formula guard, which the CRM would store as part of the text).

pub mod hubspot;
pub mod salesforce;

use crate::config::Config;
use crate::domain::CallResult;
use crate::domain::crm::CrmTarget;
use crate::domain::text::{sanitize_line, sanitize_multiline};
use crate::i18n::{Label, Lang, reason_label};
use crate::store::{self, ExportRecord, Store, TouchRange};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `kaden export results` was asked for.
#[derive(Debug, Clone)]
pub struct ResultsOptions {
    pub target: CrmTarget,
    /// The directory the files go in.
    pub dir: PathBuf,
    /// Only touches at or after this time (`--since`); the watermark does not move.
    pub since: Option<DateTime<Utc>>,
    /// Only what is new since the last export to this target.
    pub since_last: bool,
    pub now: DateTime<Utc>,
    /// The language of subjects and call results.
    pub lang: Lang,
}

/// One file written.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenFile {
    pub path: PathBuf,
    pub rows: usize,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResultsSummary {
    /// The status file, then the activity file.
    pub files: Vec<WrittenFile>,
    /// Touches written.
    pub touches: usize,
    /// Next-action rows written (new, moved or closed).
    pub next_actions: usize,
    /// Status rows written.
    pub statuses: usize,
    /// Touches left out because their lead has no id or email the CRM knows it by.
    pub unknown_leads: u64,
    /// Touches left out because the CRM's file has no place for their channel (HubSpot: not a
    /// call).
    pub other_channels: usize,
    /// Where the watermark stood before (`--since-last`).
    pub after_id: Option<i64>,
}

/// Why an export of results did not happen. Nothing was recorded in every case.
#[derive(Debug, thiserror::Error)]
pub enum CrmError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("{} already exists: an earlier export not imported yet? Move it away, or pick another directory with --out", .0.display())]
    Exists(PathBuf),
    #[error("--out {}: not a directory (the results export writes two files into one)", .0.display())]
    NotADirectory(PathBuf),
    #[error("--since and --since-last cannot be used together")]
    BothSince,
}

impl CrmError {
    /// The message in `lang`, for the errors this module words itself (`None`: the cause's own).
    pub fn text(&self, lang: Lang) -> Option<String> {
        let path = |p: &Path| sanitize_line(&p.display().to_string());
        match (self, lang) {
            (CrmError::Exists(p), Lang::Ja) => Some(format!(
                "{} は既にあります(まだ取り込んでいない前回の出力?)。移動するか、--out で別のディレクトリを指定してください",
                path(p)
            )),
            (CrmError::NotADirectory(p), Lang::Ja) => Some(format!(
                "--out {}: ディレクトリではありません(結果のエクスポートは 1 つのディレクトリに 2 つのファイルを書きます)",
                path(p)
            )),
            (CrmError::BothSince, Lang::Ja) => {
                Some("--since と --since-last は同時に使えません".into())
            }
            (CrmError::Exists(_) | CrmError::NotADirectory(_) | CrmError::BothSince, Lang::En) => {
                Some(self.to_string())
            }
            _ => None,
        }
    }
}

/// Local time with its offset, as Data Loader reads a dateTime (`2026-11-25T10:00:00.000+0900`).
///
/// Salesforce's "Data Types Supported by Data Loader" recommends `yyyy-MM-ddTHH:mm:ss.SSS+/-HHmm`;
/// its help article 000383025 shows that an offset written with a colon (`+09:00`) fails in Data
/// Loader ("Failed to parse date") although the API takes it.
pub fn data_loader_time(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M:%S%.3f%z")
        .to_string()
}

/// A date in `zone` (`2026-11-25`): Salesforce's `ActivityDate` is a date without a time.
pub fn local_date(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%Y-%m-%d").to_string()
}

/// A time in UTC as HubSpot's calls API documents `hs_timestamp` ("a Unix timestamp in
/// milliseconds or UTC format"): `2026-11-24T01:00:00.000Z`.
pub fn utc_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// "Unconnected / Voicemail" (`未接続 / 留守電`): a touch's result and reason in `lang`.
pub fn result_text(result: Option<CallResult>, reason: Option<&str>, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(r) = result {
        parts.push(r.label(lang).to_string());
    }
    if let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) {
        parts.push(sanitize_line(&reason_label(r, lang)));
    }
    parts.join(" / ")
}

/// A note as a CRM text field: control characters removed, at most `max` characters.
pub fn note_text(note: Option<&str>, max: usize) -> String {
    let n = note.map(sanitize_multiline).unwrap_or_default();
    if n.chars().count() <= max {
        n
    } else {
        n.chars().take(max).collect()
    }
}

/// The stable id of a row in another system: this database's id and the row's kind and id
/// (`kaden-3f9a…-touch-42`), the same in every export of that row, different in every database.
pub fn external_id(database_id: &str, kind: &str, id: i64) -> String {
    format!("kaden-{database_id}-{kind}-{id}")
}

/// A CSV writer for a CRM's importer: CRLF, no BOM.
pub(crate) fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// Carries a CSV error out of a store callback (the store's row loop only knows its own errors).
pub(crate) struct Carry(Option<CrmError>);

impl Carry {
    pub(crate) fn new() -> Carry {
        Carry(None)
    }
    /// Run `write`; on failure keep the error and stop the store's loop.
    pub(crate) fn run(
        &mut self,
        write: impl FnOnce() -> Result<(), CrmError>,
    ) -> store::Result<()> {
        write().map_err(|e| {
            self.0 = Some(e);
            store::StoreError::Invalid("export stopped".into())
        })
    }
    /// The store loop's result, with a carried error first.
    pub(crate) fn finish<T>(self, r: store::Result<T>) -> Result<T, CrmError> {
        match self.0 {
            Some(e) => Err(e),
            None => Ok(r?),
        }
    }
}

/// The two files of an export to `target` made at `now`, in the user's zone:
/// `kaden-salesforce-leads-20261124-100000.csv` and `kaden-salesforce-tasks-20261124-100000.csv`.
pub fn file_names(target: CrmTarget, dir: &Path, now: DateTime<Utc>, zone: Tz) -> [PathBuf; 2] {
    let stamp = now.with_timezone(&zone).format("%Y%m%d-%H%M%S");
    let (status, activity) = match target {
        CrmTarget::Salesforce => ("leads", "tasks"),
        CrmTarget::Hubspot => ("contacts", "calls"),
    };
    [status, activity].map(|kind| dir.join(format!("kaden-{}-{kind}-{stamp}.csv", target.key())))
}

/// What the exporters of one target need to know.
pub(crate) struct Batch<'a> {
    pub cfg: &'a Config,
    pub lang: Lang,
    pub zone: Tz,
    pub database_id: String,
    pub range: TouchRange,
    /// Leads whose status changed since then (all when `None`).
    pub status_since: Option<DateTime<Utc>>,
}

/// Write the export of results for `opts.target` into `opts.dir` and record it.
pub fn export_results(
    store: &mut Store,
    cfg: &Config,
    opts: &ResultsOptions,
) -> Result<ResultsSummary, CrmError> {
    if opts.since.is_some() && opts.since_last {
        return Err(CrmError::BothSince);
    }
    if !opts.dir.is_dir() {
        return Err(CrmError::NotADirectory(opts.dir.clone()));
    }
    let zone = cfg.time_zone;
    let paths = file_names(opts.target, &opts.dir, opts.now, zone);
    if let Some(p) = paths.iter().find(|p| p.exists()) {
        return Err(CrmError::Exists(p.clone()));
    }
    let mark = if opts.since_last {
        store.crm_watermark(opts.target)?
    } else {
        None
    };
    let batch = Batch {
        cfg,
        lang: opts.lang,
        zone,
        database_id: store.database_id()?,
        range: TouchRange {
            after_id: mark.map(|m| m.through_id),
            since: opts.since,
        },
        status_since: mark.map(|m| m.exported_at).or(opts.since),
    };
    let mut summary = ResultsSummary {
        after_id: batch.range.after_id,
        ..ResultsSummary::default()
    };
    let [status_path, activity_path] = paths;
    let statuses = crate::files::write_private(&status_path, |w| match opts.target {
        CrmTarget::Salesforce => salesforce::write_statuses(store, &batch, w),
        CrmTarget::Hubspot => hubspot::write_contacts(store, &batch, w),
    })?;
    summary.statuses = statuses;
    summary.files.push(WrittenFile {
        path: status_path,
        rows: statuses,
    });
    let (written, record) = crate::files::write_private(&activity_path, |w| match opts.target {
        CrmTarget::Salesforce => salesforce::write_tasks(store, &batch, w),
        CrmTarget::Hubspot => hubspot::write_calls(store, &batch, w),
    })?;
    summary.touches = written.touches;
    summary.next_actions = written.next_actions;
    summary.unknown_leads = written.unknown_leads;
    summary.other_channels = written.other_channels;
    summary.files.push(WrittenFile {
        path: activity_path,
        rows: written.touches + written.next_actions,
    });
    // Both files are in place: now the target has them.
    let record = ExportRecord {
        // A `--since DATE` export left out what came before DATE: it moves no watermark.
        through_id: if opts.since.is_some() {
            None
        } else {
            record.through_id
        },
        next: record.next,
    };
    store.record_crm_export(opts.target, &record, opts.now)?;
    Ok(summary)
}

/// What an activity file held.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Written {
    pub touches: usize,
    pub next_actions: usize,
    pub unknown_leads: u64,
    pub other_channels: usize,
}
