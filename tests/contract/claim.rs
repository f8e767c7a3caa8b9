//! Claims (SPEC §5): a lead a rep works is theirs until saved, released or the lease runs out;
//! other reps' queues do not show it; a save checks the claim. Two stores on one database play
//! two reps.

use crate::engine::{Fixture, ids};
use crate::support::{lead, now};
use chrono::{DateTime, Duration, Utc};
use kaden::domain::ranking::Band;
use kaden::domain::{CallResult, Channel};
use kaden::store::{NextChoice, QueueQuery, ResultInput, Store, StoreError};

/// Three callable leads; their ids.
fn three(fx: &mut Fixture) -> Vec<i64> {
    let t = now() - Duration::hours(1);
    vec![
        fx.add(&lead("Alpha", "A", "03-1111-1111", 1, t)),
        fx.add(&lead("Beta", "B", "03-2222-2222", 2, t)),
        fx.add(&lead("Gamma", "C", "03-3333-3333", 3, t)),
    ]
}

fn queue_of(store: &Store, fx: &Fixture, at: chrono::DateTime<chrono::Utc>) -> Vec<i64> {
    ids(&store
        .queue(&QueueQuery {
            now: at,
            cfg: &fx.cfg,
            limit: 100,
            filter: None,
            owner: None,
        })
        .unwrap())
}

pub fn a_claimed_lead_leaves_other_reps_queues_until_released(mut fx: Fixture) {
    let l = three(&mut fx);
    fx.store.set_rep("ann");
    let mut bob = fx.raw.reopen();
    bob.set_rep("bob");
    assert_eq!(queue_of(&bob, &fx, now()), l);
    fx.store.claim(l[0], "ann", now()).unwrap();
    assert_eq!(
        queue_of(&bob, &fx, now()),
        vec![l[1], l[2]],
        "hidden from bob"
    );
    assert_eq!(
        bob.queue_count_upto(&fx.cfg, now(), None, 100).unwrap(),
        (2, false),
        "and not counted in his queue"
    );
    assert_eq!(
        fx.store
            .queue_count_upto(&fx.cfg, now(), None, 100)
            .unwrap(),
        (3, false),
        "still counted in ann's"
    );
    assert_eq!(
        queue_of(&fx.store, &fx, now()),
        l,
        "still in ann's own queue"
    );
    fx.store.release_claim(l[0], "ann").unwrap();
    assert_eq!(queue_of(&bob, &fx, now()), l, "back after the release");
}

pub fn claim_next_gives_two_reps_different_leads(mut fx: Fixture) {
    let l = three(&mut fx);
    let mut bob = fx.raw.reopen();
    bob.set_rep("bob");
    fx.store.set_rep("ann");
    let q = QueueQuery {
        now: now(),
        cfg: &fx.cfg,
        limit: 100,
        filter: None,
        owner: None,
    };
    let (a, ca) = fx.store.claim_next(&q, "ann").unwrap().unwrap();
    let (b, cb) = bob.claim_next(&q, "bob").unwrap().unwrap();
    assert_eq!(a.id, l[0], "ann gets the best lead");
    assert_eq!(b.id, l[1], "bob the next one, not ann's");
    assert_eq!(ca.until, now() + Duration::minutes(10), "the default lease");
    assert_ne!((ca.lead, ca.token), (cb.lead, cb.token));
    let (c, _) = bob.claim_next(&q, "bob").unwrap().unwrap();
    assert_eq!(c.id, l[2]);
    assert!(
        fx.store.claim_next(&q, "ann").unwrap().is_none(),
        "every lead is held: nothing for ann"
    );
}

pub fn a_second_claim_is_refused_with_who_holds_it(mut fx: Fixture) {
    let l = three(&mut fx);
    let mut bob = fx.raw.reopen();
    fx.store.claim(l[0], "ann", now()).unwrap();
    match bob.claim(l[0], "bob", now() + Duration::minutes(9)) {
        Err(StoreError::ClaimHeld { lead, by, .. }) => {
            assert_eq!((lead, by.as_str()), (l[0], "ann"))
        }
        other => panic!("expected ClaimHeld, got {other:?}"),
    }
    assert!(matches!(
        bob.claim(999, "bob", now()),
        Err(StoreError::UnknownLead(999))
    ));
}

pub fn a_save_by_a_rep_whose_claim_was_taken_over_writes_nothing(mut fx: Fixture) {
    let l = three(&mut fx);
    let mut bob = fx.raw.reopen();
    fx.store.claim(l[0], "ann", now()).unwrap();
    // Ann's laptop sleeps past the lease; Bob takes the lead and saves a result.
    let later = now() + Duration::minutes(11);
    bob.claim(l[0], "bob", later).unwrap();
    bob.record_result(
        &ResultInput::new(l[0], CallResult::Unconnected, "bob"),
        &fx.cfg,
        later,
    )
    .unwrap();
    let before = fx.count("activities");
    let err = fx
        .store
        .record_result(
            &ResultInput::new(l[0], CallResult::Unconnected, "ann"),
            &fx.cfg,
            later,
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::ClaimLapsed { .. }), "{err:?}");
    assert_eq!(fx.count("activities"), before, "nothing written twice");
    assert_eq!(fx.store.history(l[0]).unwrap().len(), 1);
}

pub fn a_save_after_the_lease_ran_out_is_refused(mut fx: Fixture) {
    let l = three(&mut fx);
    fx.store.claim(l[1], "ann", now()).unwrap();
    let err = fx
        .store
        .record_result(
            &ResultInput::new(l[1], CallResult::Unconnected, "ann"),
            &fx.cfg,
            now() + Duration::minutes(10) + Duration::seconds(1),
        )
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::ClaimLapsed { why, .. } if why.contains("lease ran out")),
        "{err:?}"
    );
    assert_eq!(fx.count("activities"), 0);
}

pub fn a_crashed_reps_claim_expires_with_its_lease(mut fx: Fixture) {
    let l = three(&mut fx);
    {
        let mut crashed = fx.raw.reopen();
        crashed.claim(l[0], "ann", now()).unwrap();
        // Dropped without releasing: the process died.
    }
    let mut bob = fx.raw.reopen();
    bob.set_rep("bob");
    assert!(!queue_of(&bob, &fx, now() + Duration::minutes(9)).contains(&l[0]));
    assert!(
        queue_of(&bob, &fx, now() + Duration::minutes(10)).contains(&l[0]),
        "back when the lease ends"
    );
    bob.claim(l[0], "bob", now() + Duration::minutes(10))
        .unwrap();
}

pub fn a_save_without_a_claim_on_a_lead_another_rep_holds_is_refused(mut fx: Fixture) {
    let l = three(&mut fx);
    let mut bob = fx.raw.reopen();
    fx.store.claim(l[0], "ann", now()).unwrap();
    // `kaden log` by Bob, who never claimed it.
    let err = bob
        .record_result(
            &ResultInput::new(l[0], CallResult::Unconnected, "bob"),
            &fx.cfg,
            now(),
        )
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::ClaimHeld { by, .. } if by == "ann"),
        "{err:?}"
    );
    assert_eq!(fx.count("activities"), 0);
    // An unclaimed lead takes a result from anyone, as in solo use.
    bob.record_result(
        &ResultInput::new(l[1], CallResult::Unconnected, "bob"),
        &fx.cfg,
        now(),
    )
    .unwrap();
}

pub fn a_save_ends_the_claim_and_renewing_extends_it(mut fx: Fixture) {
    let l = three(&mut fx);
    let mut bob = fx.raw.reopen();
    bob.set_rep("bob");
    fx.store.claim(l[0], "ann", now()).unwrap();
    let renewed = fx
        .store
        .renew_claim(l[0], "ann", now() + Duration::minutes(8))
        .unwrap();
    assert_eq!(renewed.until, now() + Duration::minutes(18));
    assert!(!queue_of(&bob, &fx, now() + Duration::minutes(12)).contains(&l[0]));
    fx.store
        .record_result(
            &ResultInput::new(l[0], CallResult::Unconnected, "ann"),
            &fx.cfg,
            now() + Duration::minutes(12),
        )
        .unwrap();
    assert!(fx.store.held().is_empty(), "the save ended the claim");
    let row = fx.raw.rows(
        "SELECT claimed_by, claimed_until FROM leads WHERE id = ?1",
        crate::vals![l[0]],
    );
    assert_eq!(
        row,
        vec![vec![crate::engine::Val::Null, crate::engine::Val::Null]]
    );
}

/// A recall promised for `due` (`off_hours`: outside the lead's calling hours, confirmed).
fn recall(fx: &mut Fixture, id: i64, due: DateTime<Utc>, off_hours: bool) {
    let mut i = ResultInput::new(id, CallResult::Recall, "me");
    i.next = NextChoice::At {
        due,
        channel: Channel::Call,
        owner: None,
        note: None,
    };
    i.off_hours_ok = off_hours;
    fx.store.record_result(&i, &fx.cfg, now()).unwrap();
}

fn next_for(
    store: &mut Store,
    rep: &str,
    cfg: &kaden::config::Config,
    at: DateTime<Utc>,
) -> Option<(i64, Band)> {
    let q = QueueQuery {
        now: at,
        cfg,
        limit: 100,
        filter: None,
        owner: None,
    };
    store
        .claim_next(&q, rep)
        .unwrap()
        .map(|(row, _)| (row.id, row.band))
}

/// Claim after claim, one rep is given the queue in its order, every band and zone: callbacks
/// by time (one open zone's and a promise kept in a closed zone, merged), speed-to-lead, then
/// tiers; never a lead outside calling hours.
pub fn claim_next_follows_the_queue_order_through_every_band(mut fx: Fixture) {
    let old = now() - Duration::days(2);
    let t3 = fx.add(&lead("T3", "A", "03-1111-1111", 3, old));
    let t1 = fx.add(&lead("T1", "B", "03-2222-2222", 1, old));
    let t2 = fx.add(&lead("T2", "C", "03-3333-3333", 2, old));
    let cb = fx.add(&lead("Callback", "D", "03-4444-4444", 3, old));
    let mut ny = lead("New York", "E", "+1 212-555-0142", 1, old);
    ny.time_zone = Some(chrono_tz::America::New_York);
    let ny = fx.add(&ny);
    let promise = fx.add(&lead("Promise", "F", "+1 212-555-0143", 3, old));
    // 12:00 in Tokyo, 22:00 in New York: the promise to call New York at 21:59 is kept.
    let at = now() + Duration::hours(2);
    recall(&mut fx, cb, at - Duration::minutes(2), false);
    recall(&mut fx, promise, at - Duration::minutes(1), true);
    let fresh = fx.add(&lead(
        "Fresh",
        "G",
        "03-5555-5555",
        3,
        at - Duration::minutes(2),
    ));
    let queue = fx.queue(at, None);
    let expected: Vec<(i64, Band)> = queue.iter().map(|r| (r.id, r.band)).collect();
    assert_eq!(
        ids(&queue),
        vec![cb, promise, fresh, t1, t2, t3],
        "the fixture covers every band"
    );
    assert!(!ids(&queue).contains(&ny));
    fx.store.set_rep("ann");
    let mut got = Vec::new();
    while let Some(next) = next_for(&mut fx.store, "ann", &fx.cfg, at) {
        got.push(next);
        assert!(got.len() <= expected.len(), "{got:?}");
    }
    assert_eq!(got, expected);
}

/// A lead another rep holds is skipped, and taken once that rep's lease ran out; a lead this
/// store holds is not "next"; a lead the same rep claimed from a kaden that crashed is given
/// back to them.
pub fn claim_next_skips_live_claims_and_takes_lapsed_ones(mut fx: Fixture) {
    let l = three(&mut fx);
    let mut bob = fx.raw.reopen();
    bob.set_rep("bob");
    bob.claim(l[0], "bob", now()).unwrap();
    {
        let mut crashed = fx.raw.reopen();
        crashed.claim(l[2], "ann", now()).unwrap();
    }
    fx.store.set_rep("ann");
    assert_eq!(
        next_for(&mut fx.store, "ann", &fx.cfg, now()).map(|n| n.0),
        Some(l[1])
    );
    let (again, claim) = {
        let q = QueueQuery {
            now: now(),
            cfg: &fx.cfg,
            limit: 100,
            filter: None,
            owner: None,
        };
        fx.store.claim_next(&q, "ann").unwrap().unwrap()
    };
    assert_eq!(again.id, l[2], "ann's own claim from the crashed kaden");
    assert_eq!(claim.token, 2, "claimed again, with a new token");
    assert_eq!(
        next_for(&mut fx.store, "ann", &fx.cfg, now()),
        None,
        "bob holds the rest"
    );
    let lapsed = now() + Duration::minutes(10);
    assert_eq!(
        next_for(&mut fx.store, "ann", &fx.cfg, lapsed).map(|n| n.0),
        Some(l[0])
    );
    let err = bob
        .record_result(
            &ResultInput::new(l[0], CallResult::Unconnected, "bob"),
            &fx.cfg,
            lapsed,
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::ClaimLapsed { .. }), "{err:?}");
}

/// A callback promised outside calling hours, in a closed zone, is claimed by one rep only.
pub fn claim_next_never_takes_a_promise_another_rep_holds(mut fx: Fixture) {
    let id = fx.add(&lead(
        "Tokyo",
        "A",
        "03-1111-1111",
        1,
        now() - Duration::days(1),
    ));
    let eight_pm = crate::support::at("2026-11-24T20:00:00+09:00");
    recall(&mut fx, id, eight_pm, true);
    let mut bob = fx.raw.reopen();
    bob.set_rep("bob");
    assert_eq!(
        next_for(&mut bob, "bob", &fx.cfg, eight_pm).map(|n| n.0),
        Some(id),
        "bob takes it"
    );
    fx.store.set_rep("ann");
    assert_eq!(next_for(&mut fx.store, "ann", &fx.cfg, eight_pm), None);
    // Nor do other reps' queues show it or count it while bob holds it; his own does.
    assert_eq!(queue_of(&fx.store, &fx, eight_pm), Vec::<i64>::new());
    assert_eq!(
        fx.store
            .queue_count_upto(&fx.cfg, eight_pm, None, 100)
            .unwrap(),
        (0, false)
    );
    assert_eq!(queue_of(&bob, &fx, eight_pm), vec![id]);
    assert_eq!(
        bob.queue_count_upto(&fx.cfg, eight_pm, None, 100).unwrap(),
        (1, false)
    );
}

/// Whether `store` is told, within 2 seconds (SPEC §5: another rep's result shows in my queue
/// within 2 seconds), that another connection wrote.
fn told_within_2s(store: &Store) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(2) {
        if store.others_changed().unwrap() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

pub fn another_reps_claim_and_save_are_told_to_the_others(mut fx: Fixture) {
    let l = three(&mut fx);
    let bob = fx.raw.reopen();
    assert!(
        !bob.others_changed().unwrap(),
        "the first look says nothing"
    );
    assert!(!bob.others_changed().unwrap(), "nobody wrote yet");
    fx.store.claim(l[0], "ann", now()).unwrap();
    assert!(told_within_2s(&bob), "ann's claim is told to bob");
    assert!(!bob.others_changed().unwrap(), "told once");
    fx.store
        .record_result(
            &ResultInput::new(l[0], CallResult::Unconnected, "ann"),
            &fx.cfg,
            now(),
        )
        .unwrap();
    assert!(told_within_2s(&bob), "ann's save is told to bob");
    // The connection that told stays usable (the notice is a transaction of its own).
    assert_eq!(fx.store.history(l[0]).unwrap().len(), 1);
    assert_eq!(queue_of(&bob, &fx, now())[..2], [l[1], l[2]]);
}
