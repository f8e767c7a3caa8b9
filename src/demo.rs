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
        };
        let id = store.insert_lead(&lead, cfg)?;
        let ja = !row.company.is_ascii();
        replay(store, cfg, rng, (id, kind, arg, n), created, now, ja)?;
    }
    Ok(())
}

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
    let rep = cfg.rep.clone();
    let notes = if ja { NOTES_JA } else { NOTES_EN };
    let note = |rng: &mut StdRng| {
        Some(notes[rng.random_range(0..notes.len())].to_string()).filter(|s| !s.is_empty())
    };
    let rec = |store: &mut Store, at: DateTime<Utc>, input: ResultInput| -> Result<()> {
        store.record_result(&input, cfg, at)?;
        Ok(())
    };
    let at_next = |due: DateTime<Utc>| NextChoice::At {
        due,
        channel: Channel::Call,
        owner: None,
        note: None,
    };
    let unconnected = |rng: &mut StdRng| {
        let mut i = ResultInput::new(id, CallResult::Unconnected, &rep);
        let reasons = &cfg.reasons.unconnected;
        i.reason = reasons
            .get(rng.random_range(0..reasons.len().max(1)))
            .cloned();
        i.duration_s = Some(rng.random_range(15..70));
        i
    };
    let zone = store.lead(id)?.zone();
    // A rep calls during the lead's calling hours: move a time into the window (when that
    // still falls before `until`).
    let in_hours = |rng: &mut StdRng, t: DateTime<Utc>, until: DateTime<Utc>| -> DateTime<Utc> {
        if cfg.hours.is_open(zone, t) {
            return t;
        }
        let moved = cfg.hours.next_open(zone, t) + Duration::minutes(rng.random_range(5..420));
        if moved < until && cfg.hours.is_open(zone, moved) {
            moved
        } else {
            t
        }
    };
    // Spread earlier touches between creation and `until`.
    let spread = |rng: &mut StdRng, k: usize, until: DateTime<Utc>| -> Vec<DateTime<Utc>> {
        let span = (until - created).num_minutes().max(60);
        let mut v: Vec<DateTime<Utc>> = (0..k)
            .map(|_| {
                let t = created + Duration::minutes(rng.random_range(30..span));
                in_hours(rng, t, until)
            })
            .collect();
        v.sort_unstable();
        v
    };
    match kind {
        "fresh" | "new" => {}
        "due" | "later" => {
            let due = if kind == "due" {
                now - Duration::hours(n)
            } else {
                now + Duration::hours(n)
            };
            let last = (due - Duration::hours(2)).min(now - Duration::minutes(90));
            let k = rng.random_range(1..4);
            for (j, t) in spread(rng, k, last).into_iter().enumerate() {
                let mut i = unconnected(rng);
                if j + 1 == k {
                    i.next = at_next(due);
                    i.note = note(rng);
                }
                rec(store, t, i)?;
            }
        }
        "callback" => {
            let when = now - Duration::hours(rng.random_range(2..30));
            let when = in_hours(rng, when, now - Duration::hours(1));
            let k = rng.random_range(0..3);
            for t in spread(rng, k, when - Duration::hours(1)) {
                let i = unconnected(rng);
                rec(store, t, i)?;
            }
            let mut i = ResultInput::new(id, CallResult::Recall, &rep);
            i.next = at_next(now + Duration::minutes(n));
            i.note = Some(
                if ja {
                    "会議中。折り返しの時間を指定された"
                } else {
                    "In a meeting; asked me to call back then"
                }
                .into(),
            );
            i.duration_s = Some(rng.random_range(30..120));
            rec(store, when, i)?;
        }
        "nurture" => {
            let when = now - Duration::days(rng.random_range(20..50));
            let when = in_hours(rng, when, now - Duration::days(15));
            for t in spread(rng, 1, when - Duration::hours(3)) {
                let i = unconnected(rng);
                rec(store, t, i)?;
            }
            let mut i = ResultInput::new(id, CallResult::Lost, &rep);
            let reasons = &cfg.reasons.lost;
            i.reason = reasons
                .get(rng.random_range(0..reasons.len().max(1)))
                .cloned();
            i.next = at_next(now + Duration::days(n));
            i.note = note(rng);
            i.duration_s = Some(rng.random_range(120..600));
            rec(store, when, i)?;
        }
        "meeting" | "scheduling" => {
            let past = kind == "meeting" && arg != "open";
            let booked = if past {
                now - Duration::days(rng.random_range(25..45))
            } else {
                now - Duration::days(rng.random_range(1..4))
            };
            let booked = in_hours(
                rng,
                booked,
                if past {
                    now - Duration::days(20)
                } else {
                    now - Duration::hours(1)
                },
            );
            let k = rng.random_range(1..3);
            for t in spread(rng, k, booked - Duration::hours(2)) {
                let i = unconnected(rng);
                rec(store, t, i)?;
            }
            let mut i = ResultInput::new(id, CallResult::Appointment, &rep);
            if kind == "meeting" {
                let base = if past {
                    booked + Duration::days(rng.random_range(4..13))
                } else {
                    now + Duration::days(rng.random_range(1..9))
                };
                let slot =
                    NaiveTime::from_hms_opt(rng.random_range(10..17), 0, 0).unwrap_or_default();
                i.meeting_at = Some(cfg.hours.next_business_morning(zone, base, slot));
                i.sal = Some(SalAnswers {
                    budget: rng.random_bool(0.6),
                    consideration: rng.random_bool(0.7),
                    timing: rng.random_bool(0.5),
                });
            }
            i.note = note(rng);
            i.duration_s = Some(rng.random_range(300..900));
            rec(store, booked, i)?;
            if past && let Some(ap) = store.latest_appointment(id)? {
                let outcome: MeetingOutcome = arg.parse()?;
                store.report_meeting(
                    ap.id,
                    &MeetingReport {
                        outcome,
                        at: ap.meeting_at.unwrap_or(booked),
                        amount: ap.amount.filter(|_| outcome == MeetingOutcome::Won),
                        note: None,
                    },
                )?;
            }
        }
        "pending" => {
            let cap = cfg.cadence.attempt_cap as usize;
            for t in spread(rng, cap, now - Duration::days(1)) {
                let i = unconnected(rng);
                rec(store, t, i)?;
            }
        }
        "oos" => {
            let when = now - Duration::days(rng.random_range(3..30));
            let when = in_hours(rng, when, now - Duration::days(2));
            let mut i = ResultInput::new(id, CallResult::OutOfScope, &rep);
            let reasons = &cfg.reasons.out_of_scope;
            i.reason = reasons
                .get(rng.random_range(0..reasons.len().max(1)))
                .cloned();
            rec(store, when, i)?;
        }
        _ => {}
    }
    Ok(())
}

mod synthetic;
pub use synthetic::build_synthetic;
