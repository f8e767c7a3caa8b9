//! The queue's rules: bands (callback → speed-to-lead → tier and score), cadence gaps, the
//! attempt cap, lost → nurturing for 90 days, calling hours in each lead's own zone, who opens
//! next, the filter, counts, and stored keys rebuilt when the weights change.

use crate::engine::{Fixture, ids};
use crate::support::{at, config_with, lead, now};
use chrono::Duration;
use kaden::config::Config;
use kaden::domain::ranking::Band;
use kaden::domain::{CallResult, Channel, LeadStatus};
use kaden::store::{NextChoice, ResultInput};

/// A lead in `company` (contact `name`, `phone`) of `tier`, created `age` ago.
fn aged(fx: &mut Fixture, company: &str, phone: &str, tier: u8, age: Duration) -> i64 {
    fx.add(&lead(company, "A", phone, tier, now() - age))
}

/// A next action at `due` by call, nothing else said.
fn call_at(due: chrono::DateTime<chrono::Utc>) -> NextChoice {
    NextChoice::At {
        due,
        channel: Channel::Call,
        owner: None,
        note: None,
    }
}

fn unconnected(fx: &mut Fixture, id: i64, when: chrono::DateTime<chrono::Utc>) -> LeadStatus {
    fx.store
        .record_result(
            &ResultInput::new(id, CallResult::Unconnected, "me"),
            &fx.cfg,
            when,
        )
        .unwrap()
        .status
}

pub fn a_due_callback_jumps_to_the_top_and_not_before(mut fx: Fixture) {
    let t1 = aged(&mut fx, "T1 Co", "03-1111-1111", 1, Duration::days(3));
    let cb = aged(&mut fx, "T3 Co", "03-2222-2222", 3, Duration::days(3));
    let mut i = ResultInput::new(cb, CallResult::Recall, "me");
    let promised = now() + Duration::hours(2);
    i.next = call_at(promised);
    fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    // before the promised time: not in the queue at all
    assert_eq!(fx.queue_ids(now() + Duration::hours(1)), vec![t1]);
    // once due: first, above the tier-1 lead
    let q = fx.queue(promised, None);
    assert_eq!(q[0].id, cb);
    assert_eq!(q[0].band, Band::Callback);
    assert_eq!(q[1].id, t1);
}

pub fn speed_to_lead_then_tiers(mut fx: Fixture) {
    let old_t1 = aged(&mut fx, "Old T1", "03-1111-1111", 1, Duration::days(2));
    let old_t3 = aged(&mut fx, "Old T3", "03-2222-2222", 3, Duration::days(9));
    let old_t2 = aged(&mut fx, "Old T2", "03-3333-3333", 2, Duration::days(5));
    let fresh_t3 = aged(&mut fx, "Fresh T3", "03-4444-4444", 3, Duration::minutes(3));
    assert_eq!(fx.queue_ids(now()), vec![fresh_t3, old_t1, old_t2, old_t3]);
    // after the 5-minute SLA the fresh lead falls into tier order (and, within tier 3, behind
    // the lead whose first call is 9 days overdue)
    assert_eq!(
        fx.queue_ids(now() + Duration::minutes(3)),
        vec![old_t1, old_t2, old_t3, fresh_t3]
    );
    let q = fx.queue(now(), None);
    assert_eq!(q[0].band, Band::SpeedToLead);
    for r in &q {
        let reason =
            kaden::i18n::reason_text(&r.reason(now()), kaden::i18n::Lang::En, fx.cfg.time_zone);
        assert!(!reason.is_empty());
    }
}

pub fn within_a_tier_more_overdue_and_fewer_touches_come_first(mut fx: Fixture) {
    let a = aged(&mut fx, "A", "03-1111-1111", 2, Duration::days(10));
    let b = aged(&mut fx, "B", "03-2222-2222", 2, Duration::days(10));
    // b was called (one touch) and is due again 2h later than a's original due time
    unconnected(&mut fx, b, now() - Duration::days(2));
    assert_eq!(fx.queue_ids(now()), vec![a, b]);
}

pub fn an_unconnected_lead_comes_back_after_the_retry_gap_and_not_before(mut fx: Fixture) {
    let id = aged(&mut fx, "Acme", "03-1111-1111", 1, Duration::days(1));
    unconnected(&mut fx, id, now());
    assert!(!fx.queue_ids(now() + Duration::minutes(119)).contains(&id));
    assert!(fx.queue_ids(now() + Duration::minutes(120)).contains(&id));
    // second miss at 12:00 → next business morning 10:00 (Wed 25th)
    unconnected(&mut fx, id, now() + Duration::hours(2));
    assert!(!fx.queue_ids(at("2026-11-25T09:59:00+09:00")).contains(&id));
    assert!(fx.queue_ids(at("2026-11-25T10:00:00+09:00")).contains(&id));
}

pub fn six_unanswered_touches_park_the_lead_as_pending(mut fx: Fixture) {
    let id = aged(&mut fx, "Acme", "03-1111-1111", 1, Duration::days(60));
    let mut t = now() - Duration::days(50);
    for n in 1..=6 {
        let rec = fx
            .store
            .record_result(
                &ResultInput::new(id, CallResult::Unconnected, "me"),
                &fx.cfg,
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
    assert!(!fx.queue_ids(now() + Duration::days(365)).contains(&id));
}

pub fn a_conversation_resets_the_unanswered_count(mut fx: Fixture) {
    let id = aged(&mut fx, "Acme", "03-1111-1111", 1, Duration::days(60));
    for _ in 0..5 {
        unconnected(&mut fx, id, now());
    }
    let mut i = ResultInput::new(id, CallResult::Recall, "me");
    i.next = call_at(now() + Duration::hours(1));
    fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    assert_eq!(unconnected(&mut fx, id, now()), LeadStatus::Approaching);
    assert_eq!(fx.store.lead(id).unwrap().unanswered, 1);
}

pub fn a_lost_lead_is_back_after_90_days_and_not_after_60(mut fx: Fixture) {
    let id = aged(&mut fx, "Acme", "03-1111-1111", 1, Duration::days(1));
    let mut i = ResultInput::new(id, CallResult::Lost, "me");
    i.reason = Some("timing".into());
    let rec = fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    assert_eq!(rec.status, LeadStatus::Nurturing);
    assert_eq!(
        fx.store.lead(id).unwrap().nurture_reason.as_deref(),
        Some("timing")
    );
    // 60 days later (a Saturday → use a business day nearby): not yet
    assert!(!fx.queue_ids(at("2027-01-22T10:00:00+09:00")).contains(&id));
    // 90 days later is 2027-02-22 (Mon) 10:00 JST
    assert!(fx.queue_ids(at("2027-02-22T10:00:00+09:00")).contains(&id));
}

pub fn out_of_scope_and_meetings_leave_the_queue(mut fx: Fixture) {
    let a = aged(&mut fx, "A", "03-1111-1111", 1, Duration::days(1));
    let b = aged(&mut fx, "B", "03-2222-2222", 1, Duration::days(1));
    let mut i = ResultInput::new(a, CallResult::OutOfScope, "me");
    i.reason = Some("left_company".into());
    fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    let mut i = ResultInput::new(b, CallResult::Appointment, "me");
    i.meeting_at = Some(now() + Duration::days(3));
    fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    assert!(fx.queue_ids(now() + Duration::days(10)).is_empty());
}

pub fn nobody_is_offered_outside_their_own_calling_hours(mut fx: Fixture) {
    let tokyo = aged(&mut fx, "Tokyo", "03-1111-1111", 1, Duration::days(1));
    let mut ny = lead(
        "New York",
        "B",
        "+1 212-555-0142",
        1,
        now() - Duration::days(1),
    );
    ny.time_zone = Some(chrono_tz::America::New_York);
    let ny = fx.add(&ny);
    let london = aged(&mut fx, "London", "+44 20 7946 0958", 1, Duration::days(1));
    // Tue 10:00 JST = Mon 20:00 New York = 01:00 London
    assert_eq!(fx.queue_ids(now()), vec![tokyo]);
    // Tue 23:30 JST = Tue 09:30 New York = 14:30 London
    let mut q = fx.queue_ids(at("2026-11-24T23:30:00+09:00"));
    q.sort();
    assert_eq!(q, vec![ny, london]);
    // Labour Thanksgiving Day (Mon 2026-11-23) closes Tokyo only
    let holiday = at("2026-11-23T11:00:00+09:00");
    assert!(!fx.queue_ids(holiday).contains(&tokyo));
}

pub fn when_nobody_is_callable_the_next_opening_is_known(mut fx: Fixture) {
    let id = aged(&mut fx, "Tokyo", "03-1111-1111", 1, Duration::days(1));
    let saturday = at("2026-11-28T11:00:00+09:00");
    assert!(fx.queue_ids(saturday).is_empty());
    let up = fx.store.upcoming(&fx.cfg, saturday, 5).unwrap();
    assert_eq!(up[0].lead_id, id);
    assert_eq!(up[0].opens_at, at("2026-11-30T09:00:00+09:00"));
}

pub fn the_filter_matches_company_name_and_phone(mut fx: Fixture) {
    let a = fx.add(&lead(
        "株式会社サクラ",
        "山田",
        "03-1111-1111",
        1,
        now() - Duration::days(1),
    ));
    let b = fx.add(&lead(
        "Acme 100%",
        "Ann",
        "03-2222-2222",
        1,
        now() - Duration::days(1),
    ));
    let q = |f: &str| ids(&fx.queue(now(), Some(f)));
    assert_eq!(q("サクラ"), vec![a]);
    assert_eq!(q("acme"), vec![b]);
    assert_eq!(q("100%"), vec![b]);
    assert_eq!(q("03-2222"), vec![b]);
    assert_eq!(q("ann"), vec![b]);
    assert_eq!(
        fx.store.queue_count(&fx.cfg, now(), Some("山田")).unwrap(),
        1
    );
}

pub fn changed_weights_rebuild_the_stored_keys(mut fx: Fixture) {
    let many = aged(&mut fx, "Many", "03-1111-1111", 2, Duration::days(30));
    let few = aged(&mut fx, "Few", "03-2222-2222", 2, Duration::days(30));
    for _ in 0..3 {
        let mut i = ResultInput::new(many, CallResult::Unconnected, "me");
        i.next = call_at(now() - Duration::days(5));
        fx.store
            .record_result(&i, &fx.cfg, now() - Duration::days(6))
            .unwrap();
    }
    let mut i = ResultInput::new(few, CallResult::Unconnected, "me");
    i.next = call_at(now() - Duration::hours(1));
    fx.store
        .record_result(&i, &fx.cfg, now() - Duration::days(1))
        .unwrap();
    fx.store.ensure_rank_keys(&fx.cfg).unwrap();
    assert_eq!(fx.queue_ids(now()), vec![many, few]); // overdue 5 d beats 3 touches
    let heavy = config_with("[ranking]\nper_touch = 100.0\n");
    assert!(fx.store.ensure_rank_keys(&heavy).unwrap());
    assert_eq!(fx.queue_ids_with(&heavy, now()), vec![few, many]);
}

/// The queue count capped at a limit (what the TUI shows as "1,000+") agrees with the exact one.
pub fn capped_count_agrees_with_the_exact_count(mut fx: Fixture) {
    fx.cfg = Config::parse("time_zone = \"Asia/Tokyo\"\n", "t.toml").unwrap();
    let cfg = fx.cfg.clone();
    fx.store.ensure_rank_keys(&cfg).unwrap();
    kaden::demo::build_synthetic(&mut fx.store, &cfg, now(), 2000).unwrap();
    let store = &fx.store;
    let exact = store.queue_count(&cfg, now(), None).unwrap();
    assert!(exact > 100, "{exact}");
    assert_eq!(
        store
            .queue_count_upto(&cfg, now(), None, exact + 1)
            .unwrap(),
        (exact, false)
    );
    assert_eq!(
        store.queue_count_upto(&cfg, now(), None, 100).unwrap(),
        (100, true)
    );
    let filtered = store.queue_count(&cfg, now(), Some("株式会社")).unwrap();
    assert_eq!(
        store
            .queue_count_upto(&cfg, now(), Some("株式会社"), 1_000_000)
            .unwrap(),
        (filtered, false)
    );
}
