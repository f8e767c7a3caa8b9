//! Claims (SPEC §5): a lead a rep works is theirs until saved, released or the lease runs out;
//! other reps' queues do not show it; a save checks the claim. Two stores on one database play
//! two reps.

use crate::engine::{Fixture, ids};
use crate::support::{lead, now};
use chrono::Duration;
use kaden::domain::CallResult;
use kaden::store::{QueueQuery, ResultInput, Store, StoreError};

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
