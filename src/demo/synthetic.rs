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
