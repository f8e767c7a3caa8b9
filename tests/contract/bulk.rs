//! Bulk loads (the synthetic demo, benchmarks): one transaction with the indexes rebuilt once,
//! read back like any other lead, and nothing written when the load fails.

use crate::engine::{Fixture, ids};
use crate::support::now;
use chrono::Duration;
use kaden::domain::{CallResult, Channel, LeadStatus, Role, Tier};
use kaden::store::{BulkCompany, BulkLead, BulkTouch, ResultInput, StoreError};

fn company(id: i64, name: &str, tier: Tier) -> BulkCompany<'_> {
    BulkCompany {
        id,
        name,
        industry: "software",
        employees: 50,
        tier,
        created_at: now() - Duration::days(30),
    }
}

/// Lead `id` of company `company_id`, due at `next_at`.
fn bulk_lead(
    id: i64,
    company_id: i64,
    next_at: chrono::DateTime<chrono::Utc>,
) -> BulkLead<'static> {
    BulkLead {
        id,
        company_id,
        name: "Taro",
        title: "CTO",
        role: Role::DecisionMaker,
        phone: "+81312345678",
        email: "taro@example.com",
        source: "bulk",
        owner: "me",
        time_zone: "Asia/Tokyo",
        status: LeadStatus::New,
        nurture_reason: None,
        touches: 0,
        unanswered: 0,
        created_at: now() - Duration::days(2),
        next_at: Some(next_at),
        next_channel: Channel::Call,
        callback: false,
    }
}

pub fn a_bulk_load_reads_back_like_any_lead(mut fx: Fixture) {
    let weights = fx.cfg.weights;
    fx.store
        .bulk_load(&weights, |load| {
            load.zone("Asia/Tokyo")?;
            load.company(&company(1, "Acme", Tier::T1))?;
            load.company(&company(2, "Beta", Tier::T3))?;
            // 1: called once yesterday, due again an hour ago.
            load.lead(&BulkLead {
                status: LeadStatus::Approaching,
                touches: 1,
                unanswered: 1,
                ..bulk_lead(1, 1, now() - Duration::hours(1))
            })?;
            load.touch(&BulkTouch {
                lead_id: 1,
                at: now() - Duration::days(1),
                result: CallResult::Unconnected,
                reason: None,
                rep: "me",
                duration_s: 0,
                status_to: LeadStatus::Approaching,
            })?;
            // 2: never called, due since it came in.
            load.lead(&bulk_lead(2, 2, now() - Duration::days(2)))?;
            // 3: a callback promised for ten minutes ago.
            load.lead(&BulkLead {
                status: LeadStatus::Approaching,
                callback: true,
                ..bulk_lead(3, 2, now() - Duration::minutes(10))
            })?;
            Ok(())
        })
        .unwrap();
    assert_eq!(fx.store.lead_count().unwrap(), 3);
    let l = fx.store.lead(1).unwrap();
    assert_eq!((l.company.as_str(), l.tier), ("Acme", Tier::T1));
    assert_eq!(
        (l.status, l.touches, l.unanswered),
        (LeadStatus::Approaching, 1, 1)
    );
    assert_eq!(l.next.as_ref().unwrap().due, now() - Duration::hours(1));
    assert_eq!(l.role, Some(Role::DecisionMaker));
    let h = fx.store.history(1).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].result, Some(CallResult::Unconnected));
    // Each lead has its company's tier; the callback first, then tier order.
    assert_eq!(fx.store.lead(3).unwrap().tier, Tier::T3);
    assert_eq!(fx.queue_ids(now()), vec![3, 1, 2]);
    assert_eq!(ids(&fx.queue(now(), Some("beta"))), vec![3, 2]);
    // A result on a loaded lead records like on any other.
    let rec = fx
        .store
        .record_result(
            &ResultInput::new(2, CallResult::Unconnected, "me"),
            &fx.cfg,
            now(),
        )
        .unwrap();
    assert_eq!(rec.status, LeadStatus::Approaching);
    assert_eq!(fx.store.lead(2).unwrap().touches, 1);
    assert_eq!(fx.queue_ids(now()), vec![3, 1]);
    // The load balance counts the loaded leads (on SQLite from the counts the load rebuilt).
    let load = fx
        .store
        .open_load(now(), now() - Duration::hours(12))
        .unwrap();
    fx.store.set_plain_scan(true);
    assert_eq!(
        fx.store
            .open_load(now(), now() - Duration::hours(12))
            .unwrap(),
        load
    );
    fx.store.set_plain_scan(false);
    let approaching = load.0.iter().find(|l| l.status == "approaching").unwrap();
    // All three are approaching now, created exactly two days ago (the 2–7 days bucket: "within
    // two days" is strictly after); none is due before the bound (lead 2's retry is ahead).
    assert_eq!((approaching.by_age, approaching.stale), ([0, 3, 0, 0], 0));
}

pub fn a_failing_bulk_load_writes_nothing(mut fx: Fixture) {
    let weights = fx.cfg.weights;
    fx.store
        .bulk_load(&weights, |load| {
            load.zone("Asia/Tokyo")?;
            load.company(&company(1, "Acme", Tier::T1))?;
            load.lead(&bulk_lead(1, 1, now()))?;
            // The same id twice: refused by the engine.
            load.lead(&bulk_lead(1, 1, now()))?;
            Ok(())
        })
        .unwrap_err();
    assert_eq!(fx.store.lead_count().unwrap(), 0);
    assert_eq!(fx.count("companies"), 0);
    assert_eq!(fx.count("activities"), 0);
    // The store works on afterwards: the queue reads, a lead goes in.
    assert!(fx.queue_ids(now()).is_empty());
    let id = fx.add(&crate::support::lead(
        "Acme",
        "Ann",
        "03-1234-5678",
        1,
        now(),
    ));
    assert_eq!(fx.queue_ids(now()), vec![id]);
}

pub fn the_synthetic_demo_builds_n_leads(mut fx: Fixture) {
    let cfg = fx.cfg.clone();
    fx.store.ensure_rank_keys(&cfg).unwrap();
    kaden::demo::build_synthetic(&mut fx.store, &cfg, now(), 500).unwrap();
    assert_eq!(fx.store.lead_count().unwrap(), 500);
    assert!(fx.count("activities") > 100, "{}", fx.count("activities"));
    fx.store.lead(1).unwrap();
    fx.store.lead(500).unwrap();
    assert!(matches!(
        fx.store.lead(501).unwrap_err(),
        StoreError::UnknownLead(501)
    ));
    // Every stored touch count matches the history it came with.
    let bad = fx.one(
        "SELECT count(*) FROM leads l WHERE l.touches <>
            (SELECT count(*) FROM activities a WHERE a.lead_id = l.id AND a.kind = 'touch')",
        &[],
    );
    assert_eq!(bad.int(), 0);
    let q = fx.queue_ids(now());
    assert!(q.len() >= 20, "{}", q.len());
}
