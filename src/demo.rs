//! `kaden demo`: a demo database from the sample in assets/ (laid out relative to now, with
//! eight weeks of history replayed through the real record transaction), or N synthetic leads
//! from a fixed seed for benchmarks.

use crate::config::Config;
use crate::domain::{CallResult, Channel, LeadStatus, Role, Tier, phone};
use crate::store::{
    self, CompanyInput, NewLead, NextChoice, ResultInput, SalAnswers, Store, insert_lead, ts,
};
use anyhow::{Context, Result};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::params;

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
    store.conn().execute_batch("PRAGMA synchronous=OFF")?;
    let owner = cfg.rep.clone();
    for row in &rows {
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
        let id = {
            let tx = store.write()?;
            let id = insert_lead(
                &tx,
                &lead,
                &cfg.weights,
                cfg.default_time_zone,
                cfg.default_tier,
            )?;
            tx.commit()?;
            id
        };
        let ja = !row.company.is_ascii();
        replay(store, cfg, &mut rng, (id, kind, arg, n), created, now, ja)?;
    }
    store.conn().execute_batch("PRAGMA synchronous=FULL")?;
    Ok(rows.len())
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
            if past {
                store.conn().execute(
                    "UPDATE appointments SET outcome = ?2, outcome_at = meeting_at,
                            outcome_amount = CASE WHEN ?2 = 'won' THEN amount END
                     WHERE lead_id = ?1",
                    params![id, arg],
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

const JP_PREFIX: &[&str] = &[
    "東京",
    "大阪",
    "名古屋",
    "福岡",
    "札幌",
    "横浜",
    "京都",
    "神戸",
    "仙台",
    "広島",
];
const JP_CORE: &[&str] = &[
    "テック",
    "物流",
    "製作所",
    "商事",
    "メディカル",
    "フーズ",
    "建設",
    "ソリューションズ",
    "エナジー",
    "不動産",
];
const EN_CORE: &[&str] = &[
    "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
    "Tyrell",
];
const EN_SUFFIX: &[&str] = &["Inc.", "Ltd", "KK", "GmbH", "Pte Ltd", "LLC"];
const SURNAMES: &[&str] = &[
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
];
const GIVEN: &[&str] = &[
    "健",
    "美咲",
    "大輔",
    "陽子",
    "翔",
    "恵",
    "拓也",
    "さくら",
    "誠",
    "由美",
];
const EN_NAMES: &[&str] = &[
    "Emily Carter",
    "James Wong",
    "Sarah Lee",
    "Michael Brown",
    "Olivia Chen",
    "Daniel Kim",
];
const TITLES: &[&str] = &["部長", "課長", "マネージャー", "Head of IT", "CFO", "担当"];
const SOURCES: &[&str] = &[
    "webinar",
    "ads",
    "referral",
    "list",
    "inbound form",
    "event",
];

/// N synthetic leads with history (about one activity per lead), from a fixed seed, in one
/// transaction. Returns (leads, activities).
pub fn build_synthetic(
    store: &mut Store,
    cfg: &Config,
    now: DateTime<Utc>,
    n: u32,
) -> Result<(u64, u64)> {
    let mut rng = StdRng::seed_from_u64(42);
    store.conn().execute_batch("PRAGMA synchronous=OFF")?;
    let w = cfg.weights;
    let zones: &[(&str, u32)] = &[
        ("Asia/Tokyo", 90),
        ("America/New_York", 4),
        ("Europe/London", 3),
        ("Asia/Singapore", 3),
    ];
    store.conn().execute_batch("PRAGMA cache_size = -65536")?;
    let tx = store.write()?;
    // Indexes are built once at the end (sorted) instead of row by row: at 1M leads this is
    // the difference between seconds and many minutes.
    let mut saved = store::drop_indexes(&tx, "leads")?;
    saved.extend(store::drop_indexes(&tx, "activities")?);
    for (z, _) in zones {
        tx.execute("INSERT OR IGNORE INTO zones (name) VALUES (?1)", [z])?;
    }
    let companies = (n / 3).max(1);
    {
        let mut ins = tx.prepare(
            "INSERT INTO companies (id, name, industry, employees, website, tier, created_at) VALUES (?1, ?2, ?3, ?4, '', ?5, ?6)",
        )?;
        for c in 1..=companies {
            let name = if rng.random_bool(0.8) {
                format!(
                    "株式会社{}{}{}",
                    JP_PREFIX[rng.random_range(0..JP_PREFIX.len())],
                    JP_CORE[rng.random_range(0..JP_CORE.len())],
                    c
                )
            } else {
                format!(
                    "{} {} {}",
                    EN_CORE[rng.random_range(0..EN_CORE.len())],
                    c,
                    EN_SUFFIX[rng.random_range(0..EN_SUFFIX.len())]
                )
            };
            let tier = match rng.random_range(0..10) {
                0..=1 => 1,
                2..=5 => 2,
                _ => 3,
            };
            ins.execute(params![
                c,
                name,
                JP_CORE[rng.random_range(0..JP_CORE.len())],
                rng.random_range(10..5000),
                tier,
                ts(now - Duration::days(400))
            ])?;
        }
    }
    let mut activities = 0u64;
    {
        let mut ins_lead = tx.prepare(
            "INSERT INTO leads (id, company_id, name, title, role, phone, email, source, owner, time_zone, tier, status,
                                nurture_reason, touches, unanswered, created_at, updated_at, next_at, next_owner,
                                next_channel, next_callback, q_band, rank_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, (SELECT tier FROM companies WHERE id = ?2), ?11, ?12, ?13,
                     ?14, ?15, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
        )?;
        let mut ins_act = tx.prepare(
            "INSERT INTO activities (lead_id, at, kind, channel, result, reason, rep, duration_s, status_to)
             VALUES (?1, ?2, 'touch', 'call', ?3, ?4, ?5, ?6, ?7)",
        )?;
        let reps = [cfg.rep.as_str(), "sato", "suzuki", "tanaka"];
        for id in 1..=i64::from(n) {
            let company = rng.random_range(1..=companies);
            let zi = {
                let roll = rng.random_range(0..100);
                let mut acc = 0;
                zones.iter().position(|(_, p)| {
                    acc += p;
                    roll < acc
                })
            }
            .unwrap_or(0);
            let zone = zones[zi].0;
            let name = if zi == 0 {
                format!(
                    "{} {}",
                    SURNAMES[rng.random_range(0..SURNAMES.len())],
                    GIVEN[rng.random_range(0..GIVEN.len())]
                )
            } else {
                EN_NAMES[rng.random_range(0..EN_NAMES.len())].to_string()
            };
            let phone = match zi {
                0 => format!("+813{:08}", id % 100_000_000),
                1 => format!("+1212{:07}", id % 10_000_000),
                2 => format!("+4420{:08}", id % 100_000_000),
                _ => format!("+656{:07}", id % 10_000_000),
            };
            let created = now - Duration::minutes(rng.random_range(10..(60 * 24 * 120)));
            let owner = reps[rng.random_range(0..reps.len())];
            // Where the lead stands today, and its history.
            let roll = rng.random_range(0..100);
            let (status, touches, unanswered, next_at, callback, results): (
                LeadStatus,
                u32,
                u32,
                Option<DateTime<Utc>>,
                bool,
                Vec<CallResult>,
            ) = match roll {
                0..=29 => (LeadStatus::New, 0, 0, Some(created), false, vec![]),
                30..=64 => {
                    let k = rng.random_range(1..4u32);
                    let next =
                        now + Duration::minutes(rng.random_range(-(60 * 24 * 14)..(60 * 24 * 14)));
                    (
                        LeadStatus::Approaching,
                        k,
                        k,
                        Some(next),
                        false,
                        vec![CallResult::Unconnected; k as usize],
                    )
                }
                65..=69 => {
                    let next = now + Duration::minutes(rng.random_range(-120..600));
                    (
                        LeadStatus::Approaching,
                        2,
                        0,
                        Some(next),
                        true,
                        vec![CallResult::Unconnected, CallResult::Recall],
                    )
                }
                70..=79 => {
                    let next = now + Duration::days(rng.random_range(-10..90));
                    (
                        LeadStatus::Nurturing,
                        2,
                        0,
                        Some(next),
                        false,
                        vec![CallResult::Unconnected, CallResult::Lost],
                    )
                }
                80..=87 => {
                    let next = now + Duration::days(rng.random_range(-20..20));
                    (
                        LeadStatus::Meeting,
                        2,
                        0,
                        Some(next),
                        false,
                        vec![CallResult::Unconnected, CallResult::Appointment],
                    )
                }
                88..=94 => (
                    LeadStatus::Pending,
                    6,
                    6,
                    None,
                    false,
                    vec![CallResult::Unconnected; 6],
                ),
                _ => (
                    LeadStatus::OutOfScope,
                    1,
                    0,
                    None,
                    false,
                    vec![CallResult::OutOfScope],
                ),
            };
            let next_at = next_at.map(|t| t.max(created));
            let (band, key) = store::queue_keys(&w, status, next_at, callback, created, touches);
            ins_lead.execute(params![
                id,
                company,
                name,
                TITLES[rng.random_range(0..TITLES.len())],
                Role::ALL[rng.random_range(0..Role::ALL.len())].key(),
                phone,
                format!("lead{id}@example.com"),
                SOURCES[rng.random_range(0..SOURCES.len())],
                owner,
                zone,
                status.key(),
                (status == LeadStatus::Nurturing).then_some("timing"),
                touches,
                unanswered,
                ts(created),
                next_at.map(ts),
                next_at.map(|_| owner),
                next_at.map(|_| if status == LeadStatus::Meeting {
                    "meeting"
                } else {
                    "call"
                }),
                callback,
                band,
                key,
            ])?;
            let span = (now - created).num_minutes().max(2);
            let mut times: Vec<i64> = (0..results.len())
                .map(|_| rng.random_range(1..span))
                .collect();
            times.sort_unstable();
            for (r, m) in results.iter().zip(times) {
                let reason = match r {
                    CallResult::Unconnected => Some("absent"),
                    CallResult::Lost => Some("timing"),
                    CallResult::OutOfScope => Some("not_icp"),
                    _ => None,
                };
                ins_act.execute(params![
                    id,
                    ts(created + Duration::minutes(m)),
                    r.key(),
                    reason,
                    owner,
                    rng.random_range(10..600),
                    status.key()
                ])?;
                activities += 1;
            }
        }
    }
    store::restore_indexes(&tx, &saved)?;
    tx.commit()?;
    store
        .conn()
        .execute_batch("PRAGMA synchronous=FULL; PRAGMA cache_size = -2000; ANALYZE;")?;
    Ok((u64::from(n), activities))
}
