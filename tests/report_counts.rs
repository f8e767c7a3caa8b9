#![allow(clippy::unwrap_used)]
//! The reports count index ranges (migration 003) instead of scanning: the counts must equal a
//! plain scan with conditional aggregates — the SQL the reports ran before — for every
//! breakdown, period and the load balance, on data with every channel, results and none, notes,
//! several reps and owners.

use chrono::{DateTime, Duration, Utc};
use kaden::cli::{Period, ReportBy};
use kaden::config::Config;
use kaden::report::{Span, balance, metrics};
use kaden::store::{Store, ts};
use std::collections::BTreeMap;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00+09:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn setup() -> (tempfile::TempDir, Store, Config) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config::parse("time_zone = \"Asia/Tokyo\"\nrep = \"me\"\n", "t.toml").unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    kaden::demo::build_sample(&mut store, &cfg, now()).unwrap();
    // Extra touches and notes on every channel, with and without a result, by more reps.
    let c = rusqlite::Connection::open(store.path()).unwrap();
    let leads: Vec<i64> = c
        .prepare("SELECT id FROM leads ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let channels = ["call", "email", "linkedin", "sms", "meeting", "other"];
    let results = [
        None,
        Some("unconnected"),
        Some("recall"),
        Some("appointment"),
        Some("lost"),
        Some("out_of_scope"),
    ];
    let reps = ["me", "sato", "", "鈴木"];
    for i in 0..900usize {
        let lead = leads[i * 7 % leads.len()];
        let at = now() - Duration::minutes((i as i64 * 97) % (60 * 24 * 70));
        let kind = if i % 11 == 0 { "note" } else { "touch" };
        c.execute(
            "INSERT INTO activities (lead_id, at, kind, channel, result, rep) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![
                lead,
                ts(at),
                kind,
                channels[i % channels.len()],
                results[i / 3 % results.len()],
                reps[i / 5 % reps.len()]
            ],
        )
        .unwrap();
    }
    // Owners, sources, tiers, created times and next actions spread out.
    c.execute_batch(
        "UPDATE leads SET owner = CASE id % 3 WHEN 0 THEN 'me' WHEN 1 THEN 'sato' ELSE '' END,
                          source = CASE id % 4 WHEN 0 THEN 'ads' WHEN 1 THEN 'list' ELSE '' END,
                          tier = 1 + id % 3;
         UPDATE leads SET next_at = printf('2026-%02d-%02dT01:00:00Z', 8 + id % 3, 1 + id % 28)
         WHERE next_at IS NOT NULL AND id % 2 = 0;
         UPDATE leads SET created_at = printf('2026-%02d-%02dT01:00:00Z', 9 + id % 3, 1 + id % 28)
         WHERE id % 5 = 0;",
    )
    .unwrap();
    (dir, store, cfg)
}

/// The counts by the pre-003 scan, per key.
fn scan(c: &rusqlite::Connection, span: &Span, by: Option<ReportBy>) -> BTreeMap<String, Vec<u64>> {
    let (lo, hi) = span.bounds();
    let (key, lead_key) = match by {
        None => ("''", Some("''")),
        Some(ReportBy::Source) => ("l.source", Some("l.source")),
        Some(ReportBy::Rep) => ("a.rep", Some("l.owner")),
        Some(ReportBy::Tier) => ("CAST(l.tier AS TEXT)", Some("CAST(l.tier AS TEXT)")),
        Some(ReportBy::Result) => ("coalesce(a.result, 'none')", None),
    };
    let mut out: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let sql = format!(
        "SELECT {key},
                count(*) FILTER (WHERE a.channel = 'call'),
                count(*) FILTER (WHERE a.channel = 'call' AND a.result IS NOT NULL AND a.result <> 'unconnected'),
                count(*) FILTER (WHERE a.result = 'appointment'),
                count(*) FILTER (WHERE a.result = 'lost'),
                count(*) FILTER (WHERE a.result = 'out_of_scope'),
                count(*) FILTER (WHERE a.result = 'recall'),
                count(*) FILTER (WHERE a.channel = 'email'),
                count(*) FILTER (WHERE a.channel = 'linkedin'),
                count(*) FILTER (WHERE a.channel = 'sms'),
                count(*) FILTER (WHERE a.channel IN ('meeting', 'other')),
                count(*)
         FROM activities a NOT INDEXED JOIN leads l ON l.id = a.lead_id
         WHERE a.at >= ?1 AND a.at < ?2 AND a.kind = 'touch' GROUP BY 1"
    );
    let mut st = c.prepare(&sql).unwrap();
    let mut rows = st.query([&lo, &hi]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let v: Vec<u64> = (1..12)
            .map(|i| r.get::<_, i64>(i).unwrap() as u64)
            .collect();
        let mut v = v;
        v.push(0);
        out.insert(r.get(0).unwrap(), v);
    }
    if let Some(lk) = lead_key {
        let sql = format!(
            "SELECT {lk}, count(*) FROM leads l NOT INDEXED
             WHERE l.created_at >= ?1 AND l.created_at < ?2 GROUP BY 1"
        );
        let mut st = c.prepare(&sql).unwrap();
        let mut rows = st.query([&lo, &hi]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let v = out.entry(r.get(0).unwrap()).or_insert_with(|| vec![0; 12]);
            v[11] = r.get::<_, i64>(1).unwrap() as u64;
        }
    }
    out
}

fn counts(m: &metrics::Metrics) -> Vec<u64> {
    vec![
        m.calls,
        m.connects,
        m.appointments,
        m.lost,
        m.out_of_scope,
        m.recalls,
        m.emails,
        m.linkedin,
        m.sms,
        m.other_touches,
        m.activities,
        m.leads_created,
    ]
}

#[test]
fn index_counts_equal_a_scan_for_every_breakdown_and_period() {
    let (_dir, store, cfg) = setup();
    let c = rusqlite::Connection::open(store.path()).unwrap();
    let today = now().with_timezone(&cfg.time_zone).date_naive();
    let mut nonempty = 0;
    for period in [Period::Day, Period::Week, Period::Month] {
        let cur = Span::containing(period, today, cfg.time_zone);
        for span in [cur, cur.previous(), cur.previous().previous()] {
            for by in [
                None,
                Some(ReportBy::Source),
                Some(ReportBy::Rep),
                Some(ReportBy::Tier),
                Some(ReportBy::Result),
            ] {
                let got = metrics::compute(&store, &span, by).unwrap();
                let mut want = scan(&c, &span, by);
                if by.is_none() {
                    want.entry(String::new()).or_insert_with(|| vec![0; 12]);
                }
                let got_counts: BTreeMap<String, Vec<u64>> = got
                    .iter()
                    .map(|(k, m)| (k.clone(), counts(m)))
                    // A key with only judged meetings is not in the scan.
                    .filter(|(_, v)| by.is_none() || v.iter().any(|n| *n > 0))
                    .collect();
                assert_eq!(got_counts, want, "{period:?} {span:?} by {by:?}");
                nonempty += want.values().filter(|v| v[10] > 0).count();
            }
        }
    }
    assert!(nonempty > 20, "the data exercises too little: {nonempty}");
}

/// open, by status, by age, stale.
type Load = (u64, BTreeMap<String, u64>, [u64; 4], u64);

#[test]
fn load_balance_equals_a_scan() {
    let (_dir, store, cfg) = setup();
    let c = rusqlite::Connection::open(store.path()).unwrap();
    let b = balance::compute(&store, &cfg, now()).unwrap();
    let n = now();
    let t = |d: i64| ts(n - Duration::days(d));
    let stale_before = t(i64::from(cfg.stale_days));
    let mut want: BTreeMap<String, Load> = BTreeMap::new();
    let mut st = c
        .prepare(
            "SELECT owner, status, created_at, next_at FROM leads NOT INDEXED
             WHERE status IN ('new', 'approaching', 'scheduling', 'nurturing')",
        )
        .unwrap();
    let mut rows = st.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let owner: String = r.get(0).unwrap();
        let status: String = r.get(1).unwrap();
        let created: String = r.get(2).unwrap();
        let next: Option<String> = r.get(3).unwrap();
        let e = want.entry(owner).or_default();
        e.0 += 1;
        *e.1.entry(status).or_default() += 1;
        let bucket = if created > t(2) {
            0
        } else if created > t(8) {
            1
        } else if created > t(31) {
            2
        } else {
            3
        };
        e.2[bucket] += 1;
        if next.is_some_and(|x| x < stale_before) {
            e.3 += 1;
        }
    }
    let got: BTreeMap<String, Load> = b
        .owners
        .iter()
        .map(|o| {
            (
                o.owner.clone(),
                (o.open, o.by_status.clone(), o.by_age, o.stale),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert!(want.len() >= 2, "{want:?}");
    // The stale list: the 20 most overdue open leads, by (due, id).
    let ids: Vec<i64> = c
        .prepare(
            "SELECT id FROM leads NOT INDEXED
             WHERE status IN ('new', 'approaching', 'scheduling', 'nurturing')
               AND next_at IS NOT NULL AND next_at < ?1 ORDER BY next_at, id LIMIT 20",
        )
        .unwrap()
        .query_map([&stale_before], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(ids.len() >= 5, "{ids:?}");
    assert_eq!(b.stale.iter().map(|s| s.lead_id).collect::<Vec<_>>(), ids);
}
