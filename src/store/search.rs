//! Search every lead as you type: company, contact name, email, phone in any format, whatever the
//! lead's status. Every query is bounded by its `LIMIT` and an index, never by the number of
//! leads, so a keystroke costs the same at 100k and 1M leads.
//!
//! A whole phone number in any format (what caller ID shows) is first looked up exactly: its
//! possible E.164 forms (one per country code) in the phone and mobile indexes.
//!
//! SQLite (migration `009_search.sql`): one lower-cased text line per lead in
//! `lead_search_docs`, indexed by the FTS5 trigram table `lead_search`, both kept in step by
//! triggers.
//! - 3 characters or more: `doc LIKE '%q%'` is answered from the trigram index, newest lead
//!   first, and checked exactly with `instr`.
//! - 1 or 2 characters (山田, 林) have no trigram. First the newest [`SHORT_WINDOW`] documents are
//!   scanned (a string common enough to fill the page is found there at once). When that does
//!   not fill the page, the string is rare, and the index answers exactly: every field ends with
//!   U+001F, so each occurrence of a 1–2 character string is the start of some trigram, and the
//!   trigrams that start with it are read from the index's term list (`lead_search_terms`) and
//!   looked up with `OR`.
//!
//! PostgreSQL: the same text line built in the query, `strpos` over the leads newest first with
//! `LIMIT` (a scan that stops at the page; no extension needed).

use super::sql::{Db, DbExt, EngineKind, Row, Value, params};
use super::{Result, Store};
use crate::config::Config;
use crate::domain::zone::LeadZone;
use crate::domain::{LeadStatus, Tier};
use chrono::{DateTime, Duration, Utc};
use std::borrow::Cow;

/// Documents scanned for a 1–2 character query before the index is asked.
pub const SHORT_WINDOW: i64 = 5_000;
/// At most this many trigrams are looked up for a 1–2 character query.
const MAX_TERMS: usize = 256;

/// One lead found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub id: i64,
    pub company: String,
    pub name: String,
    pub title: String,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub status: LeadStatus,
    pub tier: Tier,
    pub owner: String,
    pub time_zone: String,
    pub next_at: Option<DateTime<Utc>>,
    pub callback: bool,
    /// The next action is a callback promised outside calling hours.
    pub off_hours: bool,
    pub do_not_call: bool,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Where a found lead stands against today's queue: in it, or why not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Standing {
    /// Callable now: the queue offers it.
    InQueue,
    /// Marked do-not-call: never offered.
    DoNotCall,
    /// `meeting`, `pending` or `out_of_scope`: not in the queue whatever its next action.
    Closed(LeadStatus),
    /// Open, with no next action (nurturing without one).
    NoNextAction,
    /// Its next action is later.
    NotDue(DateTime<Utc>),
    /// Due, but outside its calling hours now.
    OutsideHours,
    /// Another rep is working it (their claim is live).
    ClaimedBy(String),
    /// Another rep's lead, outside this rep's own queue (`--as REP`).
    OtherRep(String),
}

impl SearchHit {
    /// Where the lead stands at `now` for `me` (the rep whose claims count as their own), with
    /// `owner` the queue's owner filter (`--as REP` without `--all`), as [`Store::queue`] decides.
    pub fn standing(
        &self,
        cfg: &Config,
        now: DateTime<Utc>,
        me: Option<&str>,
        owner: Option<&str>,
    ) -> Standing {
        if self.do_not_call {
            return Standing::DoNotCall;
        }
        if self.status.is_closed() {
            return Standing::Closed(self.status);
        }
        let Some(next_at) = self.next_at else {
            return Standing::NoNextAction;
        };
        if next_at > now {
            return Standing::NotDue(next_at);
        }
        if let Some(o) = owner {
            let theirs = self.owner != o && !(cfg.queue_with_unassigned && self.owner.is_empty());
            if theirs {
                return Standing::OtherRep(self.owner.clone());
            }
        }
        if let (Some(by), Some(until)) = (&self.claimed_by, self.claimed_until)
            && until > now
            && Some(by.as_str()) != me
        {
            return Standing::ClaimedBy(by.clone());
        }
        let zone = LeadZone::from_stored(&self.time_zone, cfg.default_time_zone);
        let promised = self.callback
            && self.off_hours
            && next_at > now - Duration::minutes(i64::from(cfg.promise_grace_minutes));
        if zone.is_open(&cfg.hours, now) || promised {
            Standing::InQueue
        } else {
            Standing::OutsideHours
        }
    }
}

/// What the search looks for: the text as typed (ASCII lower-cased, like SQLite's `lower`), or
/// for a phone number in any format its digits without separators and leading zeros
/// (`03-4567-8801`, `+81 3 4567 8801`, `0345678801` → `345678801`, part of the stored
/// `81345678801`). Full-width digits and dashes count as phone characters.
pub fn needle(text: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let folded: String = t.nfkc().collect();
    let phone_chars = |c: char| c.is_ascii_digit() || " +-()./".contains(c) || c == '\u{2212}';
    let digits: String = folded.chars().filter(char::is_ascii_digit).collect();
    if digits.len() >= 3 && folded.chars().all(phone_chars) {
        let d = digits.trim_start_matches('0');
        return Some(if d.is_empty() { "0".into() } else { d.into() });
    }
    Some(t.to_ascii_lowercase())
}

/// The text line of a lead `l` of company `c` on SQLite: the very expression of the triggers
/// of migration 009 (`tests/search_index.rs` checks they agree).
const SQLITE_DOC: &str = "lower(c.name || char(31) || l.name || char(31) || coalesce(l.email, '') || char(31)
    || coalesce(ltrim(l.phone, '+'), '') || char(31) || coalesce(ltrim(l.mobile, '+'), '') || char(31))";

/// Run a bulk insert of leads `f` (SQLite, inside the caller's transaction) without the
/// per-row search trigger, then write the new leads' search lines in one statement: the
/// trigger would cost a statement per lead. Leads updated by `f` keep their update trigger.
pub(crate) fn with_documents_after<T>(db: &dyn Db, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let Some(paused) = pause_documents(db)? else {
        return f();
    };
    let out = f()?;
    resume_documents(db, paused)?;
    Ok(out)
}

/// The search trigger dropped by [`pause_documents`]: its SQL and the last lead id before.
pub(crate) struct PausedDocuments {
    trigger: String,
    before: i64,
}

/// Drop the per-row search trigger of new leads (SQLite); `None` when there is none.
pub(crate) fn pause_documents(db: &dyn Db) -> Result<Option<PausedDocuments>> {
    let trigger: Option<String> = db.opt(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'leads_search_ai'",
        params![],
        |r| r.get(0),
    )?;
    let Some(trigger) = trigger else {
        return Ok(None);
    };
    let before: i64 = db.value("SELECT coalesce(max(id), 0) FROM leads", params![])?;
    db.batch("DROP TRIGGER leads_search_ai")?;
    Ok(Some(PausedDocuments { trigger, before }))
}

/// Write the search lines of the leads inserted since [`pause_documents`] in one statement,
/// then put the trigger back.
pub(crate) fn resume_documents(db: &dyn Db, paused: PausedDocuments) -> Result<()> {
    db.execute(
        &format!(
            "INSERT INTO lead_search_docs (id, doc)
             SELECT l.id, {SQLITE_DOC} FROM leads l JOIN companies c ON c.id = l.company_id
             WHERE l.id > ?1"
        ),
        params![paused.before],
    )?;
    db.batch(&paused.trigger)?;
    Ok(())
}

/// The text line of a lead, in PostgreSQL (the twin of the triggers' expression in SQLite).
const PG_DOC: &str = "lower(c.name || chr(31) || l.name || chr(31) || coalesce(l.email, '') || chr(31)
    || coalesce(ltrim(l.phone, '+'), '') || chr(31) || coalesce(ltrim(l.mobile, '+'), '') || chr(31))";

const COLUMNS: &str = "l.id, c.name, l.name, l.title, l.phone, l.mobile, l.email, l.status, l.tier,
    l.owner, l.time_zone, l.next_at, l.next_callback, l.next_off_hours, l.do_not_call,
    l.claimed_by, l.claimed_until, l.created_at";

fn hit(r: &Row<'_>) -> Result<SearchHit> {
    Ok(SearchHit {
        id: r.get(0)?,
        company: r.get(1)?,
        name: r.get(2)?,
        title: r.get(3)?,
        phone: r.get(4)?,
        mobile: r.get(5)?,
        email: r.get(6)?,
        status: r.get::<String>(7)?.parse().unwrap_or(LeadStatus::New),
        tier: Tier::new(r.get(8)?).unwrap_or(Tier::T3),
        owner: r.get(9)?,
        time_zone: r.get(10)?,
        next_at: r.get(11)?,
        callback: r.get(12)?,
        off_hours: r.get(13)?,
        do_not_call: r.get(14)?,
        claimed_by: r.get(15)?,
        claimed_until: r.get(16)?,
        created_at: r.get(17)?,
    })
}

fn text(s: String) -> Value<'static> {
    Value::Text(Cow::Owned(s))
}

fn limit_value(n: usize) -> Value<'static> {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

impl Store {
    /// Up to `limit` leads whose company, contact name, email, phone or mobile contains `text`
    /// (a phone in any format), newest lead first, whatever their status. Ask for one more
    /// than you show to know whether there are more ("50+").
    pub fn search(&self, text_in: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(q) = needle(text_in) else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        // A whole number (what caller ID shows) is looked up exactly in the phone indexes.
        let exact = self.search_numbers(text_in, limit)?;
        if !exact.is_empty() {
            return Ok(exact);
        }
        match self.db().engine() {
            EngineKind::Postgres => self.search_scan_pg(&q, limit),
            EngineKind::Sqlite if q.chars().count() >= 3 => self.search_trigrams(&q, limit),
            EngineKind::Sqlite => self.search_short(&q, limit),
        }
    }

    /// The leads whose phone or mobile is one of the E.164 forms of `typed`, newest first.
    fn search_numbers(&self, typed: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let numbers = crate::domain::phone::e164_candidates(typed);
        if numbers.is_empty() {
            return Ok(Vec::new());
        }
        let marks = (1..=numbers.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let p: Vec<Value> = numbers.into_iter().map(text).collect();
        let mut out: Vec<SearchHit> = Vec::new();
        let sqlite = self.db().engine() == EngineKind::Sqlite;
        for col in ["phone", "mobile"] {
            // SQLite's statistics can call an index of mostly-NULL mobiles useless and scan
            // every lead instead; the lookup is always a few index probes.
            let (from, join) = if sqlite {
                (format!("leads l INDEXED BY leads_{col}"), "CROSS JOIN")
            } else {
                ("leads l".to_string(), "JOIN")
            };
            let sql = format!(
                "SELECT {COLUMNS} FROM {from} {join} companies c ON c.id = l.company_id
                 WHERE l.{col} IN ({marks})"
            );
            for h in self.db().rows(&sql, &p, hit)? {
                if !out.iter().any(|o| o.id == h.id) {
                    out.push(h);
                }
            }
        }
        out.sort_by_key(|h| std::cmp::Reverse(h.id));
        out.truncate(limit);
        Ok(out)
    }

    /// 3+ characters: the trigram index answers `LIKE`, `instr` makes it exact.
    fn search_trigrams(&self, q: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM lead_search s CROSS JOIN leads l ON l.id = s.rowid
             CROSS JOIN companies c ON c.id = l.company_id
             WHERE s.doc LIKE ?1 AND instr(s.doc, ?2) > 0
             ORDER BY s.rowid DESC LIMIT ?3"
        );
        let p = [
            text(format!("%{q}%")),
            text(q.to_string()),
            limit_value(limit),
        ];
        self.db().rows(&sql, &p, hit)
    }

    /// 1–2 characters: the newest documents first, then the index's terms (see the module).
    /// (`CROSS JOIN` keeps SQLite's planner on the documents in id order, so it stops at the
    /// page instead of sorting the window.)
    fn search_short(&self, q: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let top: i64 = self.db().value(
            "SELECT coalesce(max(id), 0) FROM lead_search_docs",
            params![],
        )?;
        let floor = top - SHORT_WINDOW;
        let recent = format!(
            "SELECT {COLUMNS} FROM lead_search_docs d CROSS JOIN leads l ON l.id = d.id
             CROSS JOIN companies c ON c.id = l.company_id
             WHERE d.id > ?1 AND instr(d.doc, ?2) > 0
             ORDER BY d.id DESC LIMIT ?3"
        );
        let p = [Value::Int(floor), text(q.to_string()), limit_value(limit)];
        let mut out = self.db().rows(&recent, &p, hit)?;
        if out.len() >= limit || floor <= 0 {
            return Ok(out);
        }
        let terms: Vec<String> = self.db().rows(
            "SELECT term FROM lead_search_terms WHERE term >= ?1 AND term < ?2",
            params![q, format!("{q}\u{10FFFF}")],
            |r| r.get(0),
        )?;
        if terms.is_empty() {
            return Ok(out);
        }
        let expr = terms
            .iter()
            .take(MAX_TERMS)
            .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" OR ");
        let older = format!(
            "SELECT {COLUMNS} FROM lead_search s CROSS JOIN leads l ON l.id = s.rowid
             CROSS JOIN companies c ON c.id = l.company_id
             WHERE lead_search MATCH ?1 AND s.rowid <= ?2 AND instr(s.doc, ?3) > 0
             ORDER BY s.rowid DESC LIMIT ?4"
        );
        let p = [
            text(expr),
            Value::Int(floor),
            text(q.to_string()),
            limit_value(limit - out.len()),
        ];
        out.extend(self.db().rows(&older, &p, hit)?);
        Ok(out)
    }

    /// PostgreSQL: the leads newest first, stopping at the page.
    fn search_scan_pg(&self, q: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM leads l JOIN companies c ON c.id = l.company_id
             WHERE strpos({PG_DOC}, lower(?1)) > 0
             ORDER BY l.id DESC LIMIT ?2"
        );
        self.db()
            .rows(&sql, &[text(q.to_string()), limit_value(limit)], hit)
    }

    /// `EXPLAIN QUERY PLAN` of the search for `text` on SQLite, one line per step (tests).
    pub fn search_plan(&self, text_in: &str) -> Result<Vec<String>> {
        let q = needle(text_in).unwrap_or_default();
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT {COLUMNS} FROM lead_search s CROSS JOIN leads l ON l.id = s.rowid
             CROSS JOIN companies c ON c.id = l.company_id
             WHERE s.doc LIKE ?1 AND instr(s.doc, ?2) > 0
             ORDER BY s.rowid DESC LIMIT ?3"
        );
        let p = [text(format!("%{q}%")), text(q), limit_value(50)];
        self.db().rows(&sql, &p, |r| r.get(3))
    }
}

#[cfg(test)]
mod tests {
    use super::needle;

    #[test]
    fn phones_in_any_format_become_the_same_digits() {
        for t in [
            "03-4567-8801",
            "+81345678801",
            "0345678801",
            "+81 3 4567 8801",
            "(03) 4567-8801",
            "０３－４５６７－８８０１",
        ] {
            let n = needle(t).unwrap();
            assert!("81345678801".contains(&n), "{t} → {n}");
        }
    }

    #[test]
    fn text_is_lower_cased_and_kept() {
        assert_eq!(needle("  Acme ").as_deref(), Some("acme"));
        assert_eq!(needle("山田").as_deref(), Some("山田"));
        assert_eq!(needle("Acme 12").as_deref(), Some("acme 12"));
        assert_eq!(needle("   "), None);
    }
}
