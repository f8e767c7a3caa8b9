//! The queue's rules end to end on a real database: bands, tiers, cadence gaps, the attempt
//! cap, lost → nurturing for 90 days, and calling hours in the lead's own zone.
#![allow(clippy::unwrap_used)]

mod common;
use chrono::Duration;
use common::*;
use kaden::config::Config;
use kaden::domain::ranking::Band;
use kaden::domain::{CallResult, Channel, LeadStatus};
use kaden::store::{NextChoice, QueueQuery, ResultInput, Store};

fn ids(store: &Store, cfg: &Config, now: chrono::DateTime<chrono::Utc>) -> Vec<i64> {
    store
        .queue(&QueueQuery {
            now,
            cfg,
            limit: 100,
            filter: None,
        })
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

fn setup() -> (TestDb, Config, Store) {
    let db = temp_db();
    let cfg = config();
    let store = Store::open(&db.path).unwrap();
    (db, cfg, store)
}

#[test]
fn a_due_callback_jumps_to_the_top_and_not_before() {
    let (_db, cfg, mut store) = setup();
    let t1 = add(
        &mut store,
        &cfg,
        &lead("T1 Co", "A", "03-1111-1111", 1, now() - Duration::days(3)),
    );
    let cb = add(
        &mut store,
        &cfg,
        &lead("T3 Co", "B", "03-2222-2222", 3, now() - Duration::days(3)),
    );
    let mut i = ResultInput::new(cb, CallResult::Recall, "me");
    let promised = now() + Duration::hours(2);
    i.next = NextChoice::At {
        due: promised,
        channel: Channel::Call,
        owner: None,
        note: None,
    };
    store.record_result(&i, &cfg, now()).unwrap();
    // before the promised time: not in the queue at all
    assert_eq!(ids(&store, &cfg, now() + Duration::hours(1)), vec![t1]);
    // once due: first, above the tier-1 lead
    let q = store
        .queue(&QueueQuery {
            now: promised,
            cfg: &cfg,
            limit: 10,
            filter: None,
        })
        .unwrap();
    assert_eq!(q[0].id, cb);
    assert_eq!(q[0].band, Band::Callback);
    assert_eq!(q[1].id, t1);
}

#[test]
fn speed_to_lead_then_tiers() {
    let (_db, cfg, mut store) = setup();
    let old_t1 = add(
        &mut store,
        &cfg,
        &lead("Old T1", "A", "03-1111-1111", 1, now() - Duration::days(2)),
    );
    let old_t3 = add(
        &mut store,
        &cfg,
        &lead("Old T3", "B", "03-2222-2222", 3, now() - Duration::days(9)),
    );
    let old_t2 = add(
        &mut store,
        &cfg,
        &lead("Old T2", "C", "03-3333-3333", 2, now() - Duration::days(5)),
    );
    let fresh_t3 = add(
        &mut store,
        &cfg,
        &lead(
            "Fresh T3",
            "D",
            "03-4444-4444",
            3,
            now() - Duration::minutes(3),
        ),
    );
    assert_eq!(
        ids(&store, &cfg, now()),
        vec![fresh_t3, old_t1, old_t2, old_t3]
    );
    // after the 5-minute SLA the fresh lead falls into tier order (and, within tier 3, behind
    // the lead whose first call is 9 days overdue)
    assert_eq!(
        ids(&store, &cfg, now() + Duration::minutes(3)),
        vec![old_t1, old_t2, old_t3, fresh_t3]
    );
    let q = store
        .queue(&QueueQuery {
            now: now(),
            cfg: &cfg,
            limit: 10,
            filter: None,
        })
        .unwrap();
    assert_eq!(q[0].band, Band::SpeedToLead);
    for r in &q {
        let reason =
            kaden::i18n::reason_text(&r.reason(now()), kaden::i18n::Lang::En, cfg.time_zone);
        assert!(!reason.is_empty());
    }
}

#[test]
fn within_a_tier_more_overdue_and_fewer_touches_come_first() {
    let (_db, cfg, mut store) = setup();
    let a = add(
        &mut store,
        &cfg,
        &lead("A", "A", "03-1111-1111", 2, now() - Duration::days(10)),
    );
    let b = add(
        &mut store,
        &cfg,
        &lead("B", "B", "03-2222-2222", 2, now() - Duration::days(10)),
    );
    // b was called (one touch) and is due again 2h later than a's original due time
    store
        .record_result(
            &ResultInput::new(b, CallResult::Unconnected, "me"),
            &cfg,
            now() - Duration::days(2),
        )
        .unwrap();
    let q = ids(&store, &cfg, now());
    assert_eq!(q, vec![a, b]);
}

#[test]
fn an_unconnected_lead_comes_back_after_the_retry_gap_and_not_before() {
    let (_db, cfg, mut store) = setup();
    let id = add(
        &mut store,
        &cfg,
        &lead("Acme", "A", "03-1111-1111", 1, now() - Duration::days(1)),
    );
    store
        .record_result(
            &ResultInput::new(id, CallResult::Unconnected, "me"),
            &cfg,
            now(),
        )
        .unwrap();
    assert!(!ids(&store, &cfg, now() + Duration::minutes(119)).contains(&id));
    assert!(ids(&store, &cfg, now() + Duration::minutes(120)).contains(&id));
    // second miss at 12:00 → next business morning 10:00 (Wed 25th)
    let t2 = now() + Duration::hours(2);
    store
        .record_result(
            &ResultInput::new(id, CallResult::Unconnected, "me"),
            &cfg,
            t2,
        )
        .unwrap();
    assert!(!ids(&store, &cfg, at("2026-11-25T09:59:00+09:00")).contains(&id));
    assert!(ids(&store, &cfg, at("2026-11-25T10:00:00+09:00")).contains(&id));
}

#[test]
fn six_unanswered_touches_park_the_lead_as_pending() {
    let (_db, cfg, mut store) = setup();
    let id = add(
        &mut store,
        &cfg,
        &lead("Acme", "A", "03-1111-1111", 1, now() - Duration::days(60)),
    );
    let mut t = now() - Duration::days(50);
    for n in 1..=6 {
        let rec = store
            .record_result(
                &ResultInput::new(id, CallResult::Unconnected, "me"),
                &cfg,
                t,
            )
            .unwrap();
        if n < 6 {
            assert_eq!(rec.status, LeadStatus::Approaching, "after {n}");
            t = rec.next.unwrap().due;
        } else {
            assert_eq!(rec.status, LeadStatus::Pending);
            assert!(rec.next.is_none());
        }
    }
    assert!(!ids(&store, &cfg, now() + Duration::days(365)).contains(&id));
}

#[test]
fn a_conversation_resets_the_unanswered_count() {
    let (_db, cfg, mut store) = setup();
    let id = add(
        &mut store,
        &cfg,
        &lead("Acme", "A", "03-1111-1111", 1, now() - Duration::days(60)),
    );
    for _ in 0..5 {
        store
            .record_result(
                &ResultInput::new(id, CallResult::Unconnected, "me"),
                &cfg,
                now(),
            )
            .unwrap();
    }
    let mut i = ResultInput::new(id, CallResult::Recall, "me");
    i.next = NextChoice::At {
        due: now() + Duration::hours(1),
        channel: Channel::Call,
        owner: None,
        note: None,
    };
    store.record_result(&i, &cfg, now()).unwrap();
    let rec = store
        .record_result(
            &ResultInput::new(id, CallResult::Unconnected, "me"),
            &cfg,
            now(),
        )
        .unwrap();
    assert_eq!(rec.status, LeadStatus::Approaching);
    assert_eq!(store.lead(id).unwrap().unanswered, 1);
}

#[test]
fn a_lost_lead_is_back_after_90_days_and_not_after_60() {
    let (_db, cfg, mut store) = setup();
    let id = add(
        &mut store,
        &cfg,
        &lead("Acme", "A", "03-1111-1111", 1, now() - Duration::days(1)),
    );
    let mut i = ResultInput::new(id, CallResult::Lost, "me");
    i.reason = Some("timing".into());
    let rec = store.record_result(&i, &cfg, now()).unwrap();
    assert_eq!(rec.status, LeadStatus::Nurturing);
    assert_eq!(
        store.lead(id).unwrap().nurture_reason.as_deref(),
        Some("timing")
    );
    // 60 days later (a Saturday → use a business day nearby): not yet
    assert!(!ids(&store, &cfg, at("2027-01-22T10:00:00+09:00")).contains(&id));
    // 90 days later is 2027-02-22 (Mon) 10:00 JST
    assert!(ids(&store, &cfg, at("2027-02-22T10:00:00+09:00")).contains(&id));
}

#[test]
fn out_of_scope_and_meetings_leave_the_queue() {
    let (_db, cfg, mut store) = setup();
    let a = add(
        &mut store,
        &cfg,
        &lead("A", "A", "03-1111-1111", 1, now() - Duration::days(1)),
    );
    let b = add(
        &mut store,
        &cfg,
        &lead("B", "B", "03-2222-2222", 1, now() - Duration::days(1)),
    );
    let mut i = ResultInput::new(a, CallResult::OutOfScope, "me");
    i.reason = Some("left_company".into());
    store.record_result(&i, &cfg, now()).unwrap();
    let mut i = ResultInput::new(b, CallResult::Appointment, "me");
    i.meeting_at = Some(now() + Duration::days(3));
    store.record_result(&i, &cfg, now()).unwrap();
    assert!(ids(&store, &cfg, now() + Duration::days(10)).is_empty());
}

#[test]
fn nobody_is_offered_outside_their_own_calling_hours() {
    let (_db, cfg, mut store) = setup();
    let tokyo = add(
        &mut store,
        &cfg,
        &lead("Tokyo", "A", "03-1111-1111", 1, now() - Duration::days(1)),
    );
    let mut ny = lead(
        "New York",
        "B",
        "+1 212-555-0142",
        1,
        now() - Duration::days(1),
    );
    ny.time_zone = Some(chrono_tz::America::New_York);
    let ny = add(&mut store, &cfg, &ny);
    let london = add(
        &mut store,
        &cfg,
        &lead(
            "London",
            "C",
            "+44 20 7946 0958",
            1,
            now() - Duration::days(1),
        ),
    );
    // Tue 10:00 JST = Mon 20:00 New York = 01:00 London
    assert_eq!(ids(&store, &cfg, now()), vec![tokyo]);
    // Tue 23:30 JST = Tue 09:30 New York = 14:30 London
    let late = at("2026-11-24T23:30:00+09:00");
    let mut q = ids(&store, &cfg, late);
    q.sort();
    assert_eq!(q, vec![ny, london]);
    // Labour Thanksgiving Day (Mon 2026-11-23) closes Tokyo only
    let holiday = at("2026-11-23T11:00:00+09:00");
    assert!(!ids(&store, &cfg, holiday).contains(&tokyo));
}

#[test]
fn when_nobody_is_callable_the_next_opening_is_known() {
    let (_db, cfg, mut store) = setup();
    let id = add(
        &mut store,
        &cfg,
        &lead("Tokyo", "A", "03-1111-1111", 1, now() - Duration::days(1)),
    );
    let saturday = at("2026-11-28T11:00:00+09:00");
    assert!(ids(&store, &cfg, saturday).is_empty());
    let up = store.upcoming(&cfg, saturday, 5).unwrap();
    assert_eq!(up[0].lead_id, id);
    assert_eq!(up[0].opens_at, at("2026-11-30T09:00:00+09:00"));
}

#[test]
fn the_filter_matches_company_name_and_phone() {
    let (_db, cfg, mut store) = setup();
    let a = add(
        &mut store,
        &cfg,
        &lead(
            "株式会社サクラ",
            "山田",
            "03-1111-1111",
            1,
            now() - Duration::days(1),
        ),
    );
    let b = add(
        &mut store,
        &cfg,
        &lead(
            "Acme 100%",
            "Ann",
            "03-2222-2222",
            1,
            now() - Duration::days(1),
        ),
    );
    let q = |f: &str| -> Vec<i64> {
        store
            .queue(&QueueQuery {
                now: now(),
                cfg: &cfg,
                limit: 10,
                filter: Some(f),
            })
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(q("サクラ"), vec![a]);
    assert_eq!(q("acme"), vec![b]);
    assert_eq!(q("100%"), vec![b]);
    assert_eq!(q("03-2222"), vec![b]);
    assert_eq!(q("ann"), vec![b]);
    assert_eq!(store.queue_count(&cfg, now(), Some("山田")).unwrap(), 1);
}

#[test]
fn changed_weights_rebuild_the_stored_keys() {
    let (_db, cfg, mut store) = setup();
    let many = add(
        &mut store,
        &cfg,
        &lead("Many", "A", "03-1111-1111", 2, now() - Duration::days(30)),
    );
    let few = add(
        &mut store,
        &cfg,
        &lead("Few", "B", "03-2222-2222", 2, now() - Duration::days(30)),
    );
    for _ in 0..3 {
        let mut i = ResultInput::new(many, CallResult::Unconnected, "me");
        i.next = NextChoice::At {
            due: now() - Duration::days(5),
            channel: Channel::Call,
            owner: None,
            note: None,
        };
        store
            .record_result(&i, &cfg, now() - Duration::days(6))
            .unwrap();
    }
    let mut i = ResultInput::new(few, CallResult::Unconnected, "me");
    i.next = NextChoice::At {
        due: now() - Duration::hours(1),
        channel: Channel::Call,
        owner: None,
        note: None,
    };
    store
        .record_result(&i, &cfg, now() - Duration::days(1))
        .unwrap();
    store.ensure_rank_keys(&cfg).unwrap();
    assert_eq!(ids(&store, &cfg, now()), vec![many, few]); // overdue 5 d beats 3 touches
    let heavy =
        Config::parse(&format!("{CONFIG}[ranking]\nper_touch = 100.0\n"), "t.toml").unwrap();
    assert!(store.ensure_rank_keys(&heavy).unwrap());
    assert_eq!(ids(&store, &heavy, now()), vec![few, many]);
}
