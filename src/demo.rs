//! `kaden demo`: a demo database from the sample in assets/ (laid out relative to now, with
//! eight weeks of history replayed through the real record transaction), or N synthetic leads
//! from a fixed seed for benchmarks.

use crate::config::Config;
use crate::domain::{CallResult, Channel, LeadStatus, MeetingOutcome, Role, Tier, phone};
use crate::store::{
    self, BulkCompany, BulkLead, BulkLoad, BulkTouch, CompanyInput, MeetingReport, NewLead,
    NextChoice, ResultInput, SalAnswers, Store,
};
use anyhow::{Context, Result};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The sample leads (CSV with a `scenario` column saying where each lead stands today).
pub const SAMPLE: &str = include_str!("../assets/demo-leads.csv");

const NOTES_EN: &[&str] = &[
    "Reception said she is in meetings all morning",
    "Interested, but wants to talk after the budget review",
    "#voice asked whether we integrate with Salesforce",
    "#competitor currently trialling HubSpot",
    "Prefers email first; sent the case study",
    "",
    "",
];
const NOTES_JA: &[&str] = &[
    "受付にて担当者不在。夕方なら在席とのこと",
    "来期の予算策定後に再度連絡がほしい",
    "#voice 勤怠システムとの連携を要望",
    "#competitor 他社ツールを比較検討中",
    "資料送付済み。来週確認の電話",
    "",
    "",
];

#[derive(Debug, serde::Deserialize)]
struct SampleRow {
    company: String,
    industry: String,
    employees: Option<i64>,
    website: String,
    tier: u8,
    name: String,
    title: String,
    department: String,
    role: String,
    phone: String,
    email: String,
    source: String,
    time_zone: String,
    scenario: String,
}

/// Build the sample demo into an empty store. Returns the number of leads.
pub fn build_sample(store: &mut Store, cfg: &Config, now: DateTime<Utc>) -> Result<usize> {
    let mut rng = StdRng::seed_from_u64(20261124);
    let mut reader = csv::Reader::from_reader(SAMPLE.as_bytes());
    let rows: Vec<SampleRow> = reader
        .deserialize()
        .collect::<Result<_, _>>()
        .context("assets/demo-leads.csv")?;
    store.without_sync(|store| {
        for row in &rows {
            add_sample_lead(store, cfg, &mut rng, row, now)?;
        }
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(rows.len())
}

/// One sample lead, inserted and its history replayed.
fn add_sample_lead(
    store: &mut Store,
    cfg: &Config,
    rng: &mut StdRng,
    row: &SampleRow,
    now: DateTime<Utc>,
) -> Result<()> {
    let owner = cfg.rep.clone();
    {
        let (kind, arg) = row
            .scenario
            .split_once(':')
            .unwrap_or((row.scenario.as_str(), "0"));
        let n: i64 = arg.parse().unwrap_or(0);
        let created = match kind {
            "fresh" => now - Duration::minutes(n),
            "new" => now - Duration::days(n) - Duration::minutes(rng.random_range(20..300)),
            _ => {
                now - Duration::days(rng.random_range(15..56))
                    - Duration::minutes(rng.random_range(0..600))
            }
        };
        let lead = NewLead {
            do_not_call: false,
            company: CompanyInput {
                name: row.company.clone(),
                industry: row.industry.clone(),
                employees: row.employees,
                website: row.website.clone(),
                tier: Tier::new(row.tier),
            },
            name: row.name.clone(),
            title: row.title.clone(),
            department: row.department.clone(),
            role: row.role.parse::<Role>().ok(),
            phone: phone::normalize(&row.phone, &cfg.phone_region)
                .ok()
                .flatten(),
            mobile: None,
            email: Some(row.email.to_lowercase()).filter(|e| !e.is_empty()),
            source: row.source.clone(),
            owner: owner.clone(),
            time_zone: row.time_zone.parse::<Tz>().ok(),
            status: LeadStatus::New,
            created_at: created,
            salesforce_id: None,
            hubspot_id: None,
        };
        let id = store.insert_lead(&lead, cfg)?;
        let ja = !row.company.is_ascii();
        replay(store, cfg, rng, (id, kind, arg, n), created, now, ja)?;
    }
    Ok(())
}

/// Replay one sample lead's scenario (`kind`, with its argument `arg` and number `n`) through
/// the real record transaction, from its creation up to `now`.
#[allow(clippy::too_many_arguments)]
fn replay(
    store: &mut Store,
    cfg: &Config,
    rng: &mut StdRng,
    (id, kind, arg, n): (i64, &str, &str, i64),
    created: DateTime<Utc>,
    now: DateTime<Utc>,
    ja: bool,
) -> Result<()> {
    let zone = store.lead(id)?.zone(cfg.default_time_zone).reference();
    let mut r = Replay {
        store,
        cfg,
        rng,
        id,
        created,
        now,
        zone,
        ja,
    };
    match kind {
        "fresh" | "new" => Ok(()),
        "due" => r.due_at(now - Duration::hours(n)),
        "later" => r.due_at(now + Duration::hours(n)),
        "callback" => r.callback(now + Duration::minutes(n)),
        "nurture" => r.nurture(now + Duration::days(n)),
        "meeting" => r.appointment(true, arg),
        "scheduling" => r.appointment(false, arg),
        "pending" => r.pending(),
        "oos" => r.out_of_scope(),
        _ => Ok(()),
    }
}

/// One lead's replay: the store, the seeded generator and the lead's facts. The order of the
/// generator's draws is the sample's layout, so each step draws in a fixed order.
struct Replay<'a> {
    store: &'a mut Store,
    cfg: &'a Config,
    rng: &'a mut StdRng,
    id: i64,
    created: DateTime<Utc>,
    now: DateTime<Utc>,
    zone: Tz,
    ja: bool,
}

impl Replay<'_> {
    fn record(&mut self, at: DateTime<Utc>, input: ResultInput) -> Result<()> {
        self.store.record_result(&input, self.cfg, at)?;
        Ok(())
    }

    /// A note from the sample's list, or none.
    fn note(&mut self) -> Option<String> {
        let notes = if self.ja { NOTES_JA } else { NOTES_EN };
        Some(notes[self.rng.random_range(0..notes.len())].to_string()).filter(|s| !s.is_empty())
    }

    /// A reason drawn from `reasons`.
    fn reason(&mut self, reasons: &[String]) -> Option<String> {
        reasons
            .get(self.rng.random_range(0..reasons.len().max(1)))
            .cloned()
    }

    /// A short unanswered call with a reason from the list.
    fn unconnected(&mut self) -> ResultInput {
        let mut i = ResultInput::new(self.id, CallResult::Unconnected, &self.cfg.rep);
        i.reason = self.reason(&self.cfg.reasons.unconnected);
        i.duration_s = Some(self.rng.random_range(15..70));
        i
    }

    /// A rep calls during the lead's calling hours: move a time into the window (when that
    /// still falls before `until`).
    fn in_hours(&mut self, t: DateTime<Utc>, until: DateTime<Utc>) -> DateTime<Utc> {
        let hours = &self.cfg.hours;
        if hours.is_open(self.zone, t) {
            return t;
        }
        let moved =
            hours.next_open(self.zone, t) + Duration::minutes(self.rng.random_range(5..420));
        if moved < until && hours.is_open(self.zone, moved) {
            moved
        } else {
            t
        }
    }

    /// A retry kaden scheduled falls in calling hours: a due time outside them moves to the
    /// next opening, or, for one in the past that the opening would push past now, back to
    /// the last open hour before it (and after the call that set it, `after`).
    fn due_in_hours(&self, due: DateTime<Utc>, after: DateTime<Utc>) -> DateTime<Utc> {
        let hours = &self.cfg.hours;
        if hours.is_open(self.zone, due) {
            return due;
        }
        let next = hours.next_open(self.zone, due);
        if due >= self.now || next <= self.now {
            return next;
        }
        (1..24 * 7)
            .map(|h| due - Duration::hours(h))
            .take_while(|t| *t > after)
            .find(|t| hours.is_open(self.zone, *t))
            .unwrap_or(due)
    }

    /// `k` earlier touches spread between creation and `until`, in order.
    fn spread(&mut self, k: usize, until: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let span = (until - self.created).num_minutes().max(60);
        let mut v: Vec<DateTime<Utc>> = (0..k)
            .map(|_| {
                let t = self.created + Duration::minutes(self.rng.random_range(30..span));
                self.in_hours(t, until)
            })
            .collect();
        v.sort_unstable();
        v
    }

    /// Unanswered calls at each of `times`.
    fn unanswered_at(&mut self, times: Vec<DateTime<Utc>>) -> Result<()> {
        for t in times {
            let i = self.unconnected();
            self.record(t, i)?;
        }
        Ok(())
    }

    /// "due" / "later": one to three unanswered calls, the last setting the next try at `due`.
    fn due_at(&mut self, due: DateTime<Utc>) -> Result<()> {
        let last = (due - Duration::hours(2)).min(self.now - Duration::minutes(90));
        let k = self.rng.random_range(1..4);
        for (j, t) in self.spread(k, last).into_iter().enumerate() {
            let mut i = self.unconnected();
            if j + 1 == k {
                i.next = at_next(self.due_in_hours(due, t));
                i.note = self.note();
            }
            self.record(t, i)?;
        }
        Ok(())
    }

    /// "callback": a few unanswered calls, then a recall promised for `callback_at`.
    fn callback(&mut self, callback_at: DateTime<Utc>) -> Result<()> {
        let now = self.now;
        let when = now - Duration::hours(self.rng.random_range(2..30));
        let when = self.in_hours(when, now - Duration::hours(1));
        let k = self.rng.random_range(0..3);
        let earlier = self.spread(k, when - Duration::hours(1));
        self.unanswered_at(earlier)?;
        let mut i = ResultInput::new(self.id, CallResult::Recall, &self.cfg.rep);
        // the sample's prospects ask for times inside their calling hours
        let callback_at = self.cfg.hours.next_open(self.zone, callback_at);
        i.next = at_next(callback_at);
        i.note = Some(
            if self.ja {
                "会議中。折り返しの時間を指定された"
            } else {
                "In a meeting; asked me to call back then"
            }
            .into(),
        );
        i.duration_s = Some(self.rng.random_range(30..120));
        self.record(when, i)
    }

    /// "nurture": an unanswered call, then a lost conversation re-approached at `reapproach`.
    fn nurture(&mut self, reapproach: DateTime<Utc>) -> Result<()> {
        let now = self.now;
        let when = now - Duration::days(self.rng.random_range(20..50));
        let when = self.in_hours(when, now - Duration::days(15));
        let earlier = self.spread(1, when - Duration::hours(3));
        self.unanswered_at(earlier)?;
        let mut i = ResultInput::new(self.id, CallResult::Lost, &self.cfg.rep);
        i.reason = self.reason(&self.cfg.reasons.lost);
        i.next = at_next(reapproach);
        i.note = self.note();
        i.duration_s = Some(self.rng.random_range(120..600));
        self.record(when, i)
    }

    /// "meeting:OUTCOME" (a meeting time is fixed; a past one gets `outcome` unless "open")
    /// or "scheduling" (won, date not fixed yet).
    fn appointment(&mut self, meeting: bool, outcome: &str) -> Result<()> {
        let now = self.now;
        let past = meeting && outcome != "open";
        let booked = if past {
            now - Duration::days(self.rng.random_range(25..45))
        } else {
            now - Duration::days(self.rng.random_range(1..4))
        };
        let until = if past {
            now - Duration::days(20)
        } else {
            now - Duration::hours(1)
        };
        let booked = self.in_hours(booked, until);
        let k = self.rng.random_range(1..3);
        let earlier = self.spread(k, booked - Duration::hours(2));
        self.unanswered_at(earlier)?;
        let mut i = ResultInput::new(self.id, CallResult::Appointment, &self.cfg.rep);
        if meeting {
            let base = if past {
                booked + Duration::days(self.rng.random_range(4..13))
            } else {
                now + Duration::days(self.rng.random_range(1..9))
            };
            let slot =
                NaiveTime::from_hms_opt(self.rng.random_range(10..17), 0, 0).unwrap_or_default();
            i.meeting_at = Some(self.cfg.hours.next_business_morning(self.zone, base, slot));
            i.sal = Some(SalAnswers {
                budget: self.rng.random_bool(0.6),
                consideration: self.rng.random_bool(0.7),
                timing: self.rng.random_bool(0.5),
            });
        }
        i.note = self.note();
        i.duration_s = Some(self.rng.random_range(300..900));
        self.record(booked, i)?;
        if past && let Some(ap) = self.store.latest_appointment(self.id)? {
            let outcome: MeetingOutcome = outcome.parse()?;
            self.store.report_meeting(
                ap.id,
                &MeetingReport {
                    outcome,
                    at: ap.meeting_at.unwrap_or(booked),
                    amount: ap.amount.filter(|_| outcome == MeetingOutcome::Won),
                    note: None,
                },
            )?;
        }
        Ok(())
    }

    /// "pending": unanswered up to the attempt cap, so the lead is parked.
    fn pending(&mut self) -> Result<()> {
        let cap = self.cfg.cadence.attempt_cap as usize;
        let times = self.spread(cap, self.now - Duration::days(1));
        self.unanswered_at(times)
    }

    /// "oos": closed as out of scope with a reason.
    fn out_of_scope(&mut self) -> Result<()> {
        let now = self.now;
        let when = now - Duration::days(self.rng.random_range(3..30));
        let when = self.in_hours(when, now - Duration::days(2));
        let mut i = ResultInput::new(self.id, CallResult::OutOfScope, &self.cfg.rep);
        i.reason = self.reason(&self.cfg.reasons.out_of_scope);
        self.record(when, i)
    }
}

/// The next action "call at `due`".
fn at_next(due: DateTime<Utc>) -> NextChoice {
    NextChoice::At {
        due,
        channel: Channel::Call,
        owner: None,
        note: None,
    }
}

mod synthetic;
pub use synthetic::build_synthetic;
