//! A rep's day, by the lead's own clock (issue 12): zones from the area code where a country has
//! several, "zone unknown" offered only while every possible zone is open, automatic retries
//! that never land outside calling hours.

use crate::engine::Fixture;
use crate::support::{at, lead, now};
use chrono::Duration;
use kaden::domain::CallResult;
use kaden::store::ResultInput;

/// A tier-1 lead with `phone` (read as a Japanese number when it has no country code), no zone
/// of its own, created a day ago.
fn with_phone(fx: &mut Fixture, company: &str, phone: &str) -> i64 {
    fx.add(&lead(company, "A", phone, 1, now() - Duration::days(1)))
}

pub fn the_area_code_fixes_the_zone_of_a_multi_zone_country(mut fx: Fixture) {
    let ny = with_phone(&mut fx, "New York", "+1 212 555 0100");
    let la = with_phone(&mut fx, "Los Angeles", "+1 415 555 0100");
    let syd = with_phone(&mut fx, "Sydney", "+61 2 5550 1234");
    let sp = with_phone(&mut fx, "São Paulo", "+55 11 98765 4321");
    let zone = |fx: &Fixture, id| fx.store.lead(id).unwrap().time_zone;
    assert_eq!(zone(&fx, ny), "America/New_York");
    assert_eq!(zone(&fx, la), "America/Los_Angeles");
    assert_eq!(zone(&fx, syd), "Australia/Sydney");
    assert_eq!(zone(&fx, sp), "America/Sao_Paulo");
    // Tue 10:00 JST is Mon 20:00 in New York: nobody there is offered (it used to be "Asia/Tokyo",
    // offered with "Local 10:05").
    assert!(!fx.queue_ids(now()).contains(&ny));
    // 09:30 in New York is 06:30 in Los Angeles: only New York
    let q = fx.queue_ids(at("2026-11-24T09:30:00-05:00"));
    assert!(q.contains(&ny) && !q.contains(&la), "{q:?}");
    // Sydney at 10:00 on a Tuesday (AEDT)
    assert!(fx.queue_ids(at("2026-11-24T10:00:00+11:00")).contains(&syd));
}

pub fn a_zone_unknown_lead_is_offered_only_when_every_zone_is_open(mut fx: Fixture) {
    // An Australian mobile says nothing about the state: Perth (UTC+8) to Sydney (UTC+11).
    let au = with_phone(&mut fx, "Aussie Mobile", "+61 412 345 678");
    let l = fx.store.lead(au).unwrap();
    assert_eq!(l.time_zone, "?61");
    assert!(l.zone(fx.cfg.default_time_zone).is_unknown());
    // 10:00 Sydney = 07:00 Perth: not yet
    assert!(!fx.queue_ids(at("2026-11-24T10:00:00+11:00")).contains(&au));
    // 12:30 Sydney = 09:30 Perth: open everywhere
    assert!(fx.queue_ids(at("2026-11-24T12:30:00+11:00")).contains(&au));
    // 18:30 Sydney = 15:30 Perth: Sydney has closed
    assert!(!fx.queue_ids(at("2026-11-24T18:30:00+11:00")).contains(&au));
    // and never the rep's own zone: at Tokyo 10:00 (Sydney 12:00, Perth 09:00) it is open, at
    // Tokyo 17:00 (Sydney 19:00) it is not, although Tokyo is.
    assert!(fx.queue_ids(at("2026-11-24T10:00:00+09:00")).contains(&au));
    assert!(!fx.queue_ids(at("2026-11-24T17:00:00+09:00")).contains(&au));
    // who opens next knows it too: from Sydney 08:00, the window opens at Perth 09:00
    let up = fx
        .store
        .upcoming(&fx.cfg, at("2026-11-24T08:00:00+11:00"), 5)
        .unwrap();
    let u = up.iter().find(|u| u.lead_id == au).expect("upcoming");
    assert_eq!(u.opens_at, at("2026-11-24T12:00:00+11:00"));
}

pub fn an_automatic_retry_never_lands_outside_calling_hours(mut fx: Fixture) {
    let id = with_phone(&mut fx, "Tokyo", "03-1111-1111");
    // unconnected at 17:30: +2 h would be 19:30, after closing
    let evening = at("2026-11-24T17:30:00+09:00");
    let saved = fx
        .store
        .record_result(
            &ResultInput::new(id, CallResult::Unconnected, "me"),
            &fx.cfg,
            evening,
        )
        .unwrap();
    let next = saved.next.expect("a retry").due;
    assert_eq!(next, at("2026-11-25T09:00:00+09:00"));
}

/// A recall promised at `due`, confirmed off-hours or not.
fn recall_at(id: i64, due: chrono::DateTime<chrono::Utc>, confirmed: bool) -> ResultInput {
    let mut i = ResultInput::new(id, CallResult::Recall, "me");
    i.next = kaden::store::NextChoice::At {
        due,
        channel: kaden::domain::Channel::Call,
        owner: None,
        note: None,
    };
    i.off_hours_ok = confirmed;
    i
}

pub fn a_callback_promised_outside_calling_hours_is_warned_then_kept(mut fx: Fixture) {
    let id = with_phone(&mut fx, "Tokyo", "03-1111-1111");
    let eight_pm = at("2026-11-24T20:00:00+09:00");
    let activities = fx.count("activities");
    // not confirmed: refused with their time, nothing written
    let err = fx
        .store
        .record_result(&recall_at(id, eight_pm, false), &fx.cfg, now())
        .unwrap_err();
    assert!(
        matches!(&err, kaden::store::StoreError::OffHours { their_time } if their_time == "20:00"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "their time 20:00 is outside calling hours — the prospect asked for it?"
    );
    assert_eq!(fx.count("activities"), activities);
    // confirmed: kept, and offered at 20:00 although Tokyo is closed (it used to be hidden)
    fx.store
        .record_result(&recall_at(id, eight_pm, true), &fx.cfg, now())
        .unwrap();
    assert!(fx.queue_ids(at("2026-11-24T19:59:00+09:00")).is_empty());
    let q = fx.queue(eight_pm, None);
    assert_eq!(crate::engine::ids(&q), vec![id]);
    assert_eq!(q[0].band, kaden::domain::ranking::Band::Callback);
    assert_eq!(
        fx.store.queue_count(&fx.cfg, eight_pm, None).unwrap(),
        1,
        "the count agrees"
    );
    assert!(fx.queue_ids(at("2026-11-24T20:45:00+09:00")).contains(&id));
    // past the grace period (60 min) it waits for the next opening, still first then
    assert!(fx.queue_ids(at("2026-11-24T21:30:00+09:00")).is_empty());
    assert_eq!(fx.queue_ids(at("2026-11-25T09:00:00+09:00")), vec![id]);
    // who opens next, before the promise: the promise itself
    let up = fx
        .store
        .upcoming(&fx.cfg, at("2026-11-24T19:00:00+09:00"), 5)
        .unwrap();
    assert_eq!(up[0].opens_at, eight_pm);
}

pub fn a_saturday_promise_is_kept_too(mut fx: Fixture) {
    let id = with_phone(&mut fx, "Tokyo", "03-1111-1111");
    let sat = at("2026-11-28T10:00:00+09:00");
    let err = fx
        .store
        .record_result(&recall_at(id, sat, false), &fx.cfg, now())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "their time sat 10:00 is outside calling hours — the prospect asked for it?"
    );
    fx.store
        .record_result(&recall_at(id, sat, true), &fx.cfg, now())
        .unwrap();
    assert_eq!(fx.queue_ids(sat), vec![id]);
    // an in-hours recall needs no confirmation and is not marked
    let other = with_phone(&mut fx, "Osaka", "06-1111-1111");
    fx.store
        .record_result(
            &recall_at(other, at("2026-11-24T15:00:00+09:00"), false),
            &fx.cfg,
            now(),
        )
        .unwrap();
    assert!(
        fx.queue_ids(at("2026-11-24T15:00:00+09:00"))
            .contains(&other)
    );
}

pub fn a_do_not_call_lead_is_never_offered(mut fx: Fixture) {
    let a = with_phone(&mut fx, "A", "03-1111-1111");
    let b = with_phone(&mut fx, "B", "03-2222-2222");
    assert_eq!(fx.store.queue_count(&fx.cfg, now(), None).unwrap(), 2);
    let l = fx
        .store
        .set_do_not_call(a, true, Some("asked us never to call"), now())
        .unwrap();
    assert!(l.do_not_call);
    assert_eq!(
        l.do_not_call_reason.as_deref(),
        Some("asked us never to call")
    );
    assert_eq!(fx.queue_ids(now()), vec![b]);
    assert_eq!(fx.store.queue_count(&fx.cfg, now(), None).unwrap(), 1);
    assert_eq!(
        fx.store
            .queue_count_upto(&fx.cfg, now(), None, 99)
            .unwrap()
            .0,
        1
    );
    // nor shown as opening next
    let sat = at("2026-11-28T11:00:00+09:00");
    let up = fx.store.upcoming(&fx.cfg, sat, 5).unwrap();
    assert!(up.iter().all(|u| u.lead_id != a), "{up:?}");
    // lifted: back in the queue
    fx.store.set_do_not_call(a, false, None, now()).unwrap();
    assert_eq!(fx.queue_ids(now()).len(), 2);
    assert!(fx.store.set_do_not_call(999, true, None, now()).is_err());
}

pub fn a_number_on_the_list_marks_every_lead_with_it_now_and_later(mut fx: Fixture) {
    let a = with_phone(&mut fx, "A", "03-1111-1111");
    let b = with_phone(&mut fx, "B", "03-2222-2222");
    let n = fx
        .store
        .add_do_not_call_number("+81311111111", None, now())
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(fx.queue_ids(now()), vec![b]);
    let l = fx.store.lead(a).unwrap();
    assert_eq!(
        l.do_not_call_reason.as_deref(),
        Some("number +81311111111 is on the do-not-call list")
    );
    // a lead imported later with that number as its mobile is marked on the way in
    let mut c = lead("C", "C", "03-3333-3333", 1, now() - Duration::days(1));
    c.mobile = Some("+81311111111".into());
    let c = fx.add(&c);
    assert!(fx.store.lead(c).unwrap().do_not_call);
    assert_eq!(fx.queue_ids(now()), vec![b]);
    assert_eq!(
        fx.store.do_not_call_numbers().unwrap(),
        vec![(
            "+81311111111".to_string(),
            "number +81311111111 is on the do-not-call list".to_string()
        )]
    );
    assert!(
        fx.store
            .add_do_not_call_number("0311111111", None, now())
            .is_err()
    );
}

pub fn a_reps_queue_is_their_leads_plus_unassigned(mut fx: Fixture) {
    let owned = |fx: &mut Fixture, company: &str, phone: &str, owner: &str| {
        let mut l = lead(company, "A", phone, 1, now() - Duration::days(1));
        l.owner = owner.into();
        fx.add(&l)
    };
    let mine = owned(&mut fx, "Mine", "03-1111-1111", "sato");
    let free = owned(&mut fx, "Free", "03-2222-2222", "");
    let theirs = owned(&mut fx, "Theirs", "03-3333-3333", "kato");
    let q = |fx: &Fixture, cfg: &kaden::config::Config, owner| {
        let mut ids = crate::engine::ids(
            &fx.store
                .queue(&kaden::store::QueueQuery {
                    now: now(),
                    cfg,
                    limit: 50,
                    filter: None,
                    owner,
                })
                .unwrap(),
        );
        ids.sort();
        ids
    };
    assert_eq!(q(&fx, &fx.cfg, Some("sato")), vec![mine, free]);
    assert_eq!(q(&fx, &fx.cfg, None), vec![mine, free, theirs]);
    let counted = fx
        .store
        .queue_count_upto_for(&fx.cfg, now(), None, Some("sato"), 100)
        .unwrap();
    assert_eq!(counted, (2, false));
    // configurable: only their own
    let only = crate::support::config_with("[queue]\nwith_unassigned = false\n");
    assert_eq!(q(&fx, &only, Some("sato")), vec![mine]);
    // who opens next is theirs too
    let sat = at("2026-11-28T11:00:00+09:00");
    let up = fx
        .store
        .upcoming_for(&fx.cfg, sat, Some("kato"), 5)
        .unwrap();
    assert!(up.iter().all(|u| u.lead_id != mine), "{up:?}");
}
