//! `kaden demo --leads N`: N synthetic leads with history, from a fixed seed, for benchmarks.

use super::*;

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

/// Zones of the synthetic leads and their share in percent.
const ZONES: &[(&str, u32)] = &[
    ("Asia/Tokyo", 90),
    ("America/New_York", 4),
    ("Europe/London", 3),
    ("Asia/Singapore", 3),
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
    let companies = (n / 3).max(1);
    let reps = [cfg.rep.as_str(), "sato", "suzuki", "tanaka"];
    let activities = store.bulk_load(&cfg.weights, |load| {
        for (z, _) in ZONES {
            load.zone(z)?;
        }
        for c in 1..=companies {
            add_company(load, &mut rng, i64::from(c), now)?;
        }
        let mut activities = 0u64;
        for id in 1..=i64::from(n) {
            activities += add_lead(load, &mut rng, id, companies, &reps, now)?;
        }
        Ok(activities)
    })?;
    Ok((u64::from(n), activities))
}

fn add_company(
    load: &mut BulkLoad,
    rng: &mut StdRng,
    id: i64,
    now: DateTime<Utc>,
) -> store::Result<()> {
    let name = if rng.random_bool(0.8) {
        format!(
            "株式会社{}{}{}",
            JP_PREFIX[rng.random_range(0..JP_PREFIX.len())],
            JP_CORE[rng.random_range(0..JP_CORE.len())],
            id
        )
    } else {
        format!(
            "{} {} {}",
            EN_CORE[rng.random_range(0..EN_CORE.len())],
            id,
            EN_SUFFIX[rng.random_range(0..EN_SUFFIX.len())]
        )
    };
    let tier = match rng.random_range(0..10) {
        0..=1 => Tier::T1,
        2..=5 => Tier::T2,
        _ => Tier::T3,
    };
    load.company(&BulkCompany {
        id,
        name: &name,
        industry: JP_CORE[rng.random_range(0..JP_CORE.len())],
        employees: rng.random_range(10..5000),
        tier,
        created_at: now - Duration::days(400),
    })?;
    Ok(())
}

/// Where a synthetic lead stands today, and the results of its past calls.
struct Today {
    status: LeadStatus,
    touches: u32,
    unanswered: u32,
    next_at: Option<DateTime<Utc>>,
    callback: bool,
    results: Vec<CallResult>,
}

fn roll_today(rng: &mut StdRng, created: DateTime<Utc>, now: DateTime<Utc>) -> Today {
    let today = |status, touches, unanswered, next_at, callback, results| Today {
        status,
        touches,
        unanswered,
        next_at,
        callback,
        results,
    };
    match rng.random_range(0..100) {
        0..=29 => today(LeadStatus::New, 0, 0, Some(created), false, vec![]),
        30..=64 => {
            let k = rng.random_range(1..4u32);
            let next = now + Duration::minutes(rng.random_range(-(60 * 24 * 14)..(60 * 24 * 14)));
            let results = vec![CallResult::Unconnected; k as usize];
            today(LeadStatus::Approaching, k, k, Some(next), false, results)
        }
        65..=69 => {
            let next = now + Duration::minutes(rng.random_range(-120..600));
            let results = vec![CallResult::Unconnected, CallResult::Recall];
            today(LeadStatus::Approaching, 2, 0, Some(next), true, results)
        }
        70..=79 => {
            let next = now + Duration::days(rng.random_range(-10..90));
            let results = vec![CallResult::Unconnected, CallResult::Lost];
            today(LeadStatus::Nurturing, 2, 0, Some(next), false, results)
        }
        80..=87 => {
            let next = now + Duration::days(rng.random_range(-20..20));
            let results = vec![CallResult::Unconnected, CallResult::Appointment];
            today(LeadStatus::Meeting, 2, 0, Some(next), false, results)
        }
        88..=94 => {
            let results = vec![CallResult::Unconnected; 6];
            today(LeadStatus::Pending, 6, 6, None, false, results)
        }
        _ => today(
            LeadStatus::OutOfScope,
            1,
            0,
            None,
            false,
            vec![CallResult::OutOfScope],
        ),
    }
}

/// One synthetic lead and its history; returns the number of touches written.
fn add_lead(
    load: &mut BulkLoad,
    rng: &mut StdRng,
    id: i64,
    companies: u32,
    reps: &[&str],
    now: DateTime<Utc>,
) -> store::Result<u64> {
    let company = rng.random_range(1..=companies);
    let zi = {
        let roll = rng.random_range(0..100);
        let mut acc = 0;
        ZONES.iter().position(|(_, p)| {
            acc += p;
            roll < acc
        })
    }
    .unwrap_or(0);
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
    let t = roll_today(rng, created, now);
    let title = TITLES[rng.random_range(0..TITLES.len())];
    let role = Role::ALL[rng.random_range(0..Role::ALL.len())];
    let email = format!("lead{id}@example.com");
    load.lead(&BulkLead {
        id,
        company_id: i64::from(company),
        name: &name,
        title,
        role,
        phone: &phone,
        email: &email,
        source: SOURCES[rng.random_range(0..SOURCES.len())],
        owner,
        time_zone: ZONES[zi].0,
        status: t.status,
        nurture_reason: (t.status == LeadStatus::Nurturing).then_some("timing"),
        touches: t.touches,
        unanswered: t.unanswered,
        created_at: created,
        next_at: t.next_at.map(|at| at.max(created)),
        next_channel: if t.status == LeadStatus::Meeting {
            Channel::Meeting
        } else {
            Channel::Call
        },
        callback: t.callback,
    })?;
    let span = (now - created).num_minutes().max(2);
    let mut times: Vec<i64> = (0..t.results.len())
        .map(|_| rng.random_range(1..span))
        .collect();
    times.sort_unstable();
    for (r, m) in t.results.iter().zip(times) {
        let reason = match r {
            CallResult::Unconnected => Some("absent"),
            CallResult::Lost => Some("timing"),
            CallResult::OutOfScope => Some("not_icp"),
            _ => None,
        };
        load.touch(&BulkTouch {
            lead_id: id,
            at: created + Duration::minutes(m),
            result: *r,
            reason,
            rep: owner,
            duration_s: rng.random_range(10..600),
            status_to: t.status,
        })?;
    }
    Ok(t.results.len() as u64)
}
