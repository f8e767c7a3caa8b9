//! Whose lead (SPEC §5, seed 002): by task, an import deals new leads to the reps round-robin
//! and the turn carries over; by stage, new leads stay in the pool, the appointment setter
//! becomes the owner, and a lost meeting returns the lead to the pool. A manager sees the load
//! by rep.

use crate::engine::Fixture;
use crate::support::{config_with, lead, now};
use chrono::Duration;
use kaden::domain::{CallResult, MeetingClose};
use kaden::import::{ImportOptions, import_bytes};
use kaden::store::ResultInput;

fn import(fx: &mut Fixture, csv: &str) {
    import_bytes(
        &mut fx.store,
        &fx.cfg,
        csv.as_bytes(),
        "leads.csv",
        "leads",
        &ImportOptions::default(),
        now(),
    )
    .unwrap();
}

fn owners(fx: &Fixture) -> Vec<String> {
    let n = fx.store.lead_count().unwrap();
    (1..=n).map(|id| fx.store.lead(id).unwrap().owner).collect()
}

pub fn by_task_an_import_deals_new_leads_round_robin_and_the_turn_carries_over(mut fx: Fixture) {
    fx.cfg = config_with("[team]\nassignment = \"task\"\nreps = [\"aki\", \"ben\", \"chika\"]\n");
    import(
        &mut fx,
        "company,name,phone,owner\n\
         A,a,03-1111-0001,\n\
         B,b,03-1111-0002,\n\
         C,c,03-1111-0003,dana\n\
         D,d,03-1111-0004,\n",
    );
    // The file's own owner (dana) is kept and takes no turn.
    assert_eq!(owners(&fx), ["aki", "ben", "dana", "chika"]);
    import(
        &mut fx,
        "company,name,phone\nE,e,03-1111-0005\nF,f,03-1111-0006\n",
    );
    assert_eq!(
        &owners(&fx)[4..],
        ["aki", "ben"],
        "the turn goes on from chika"
    );
    // A row that merges into a stored lead does not take a turn or change its owner.
    import(
        &mut fx,
        "company,name,phone\nA,a,03-1111-0001\nG,g,03-1111-0007\n",
    );
    assert_eq!(owners(&fx)[0], "aki");
    assert_eq!(owners(&fx)[6], "chika");
}

pub fn by_stage_the_setter_owns_the_appointment_and_a_lost_meeting_returns_to_the_pool(
    mut fx: Fixture,
) {
    fx.cfg = config_with("[team]\nassignment = \"stage\"\n");
    import(
        &mut fx,
        "company,name,phone\nA,a,03-1111-0001\nB,b,03-1111-0002\n",
    );
    assert_eq!(owners(&fx), ["", ""], "new leads go to the SDR pool");
    // Working a pool lead leaves it in the pool.
    fx.store
        .record_result(
            &ResultInput::new(2, CallResult::Unconnected, "ben"),
            &fx.cfg,
            now(),
        )
        .unwrap();
    assert_eq!(fx.store.lead(2).unwrap().owner, "");
    let mut i = ResultInput::new(1, CallResult::Appointment, "aki");
    i.meeting_at = Some(now() + Duration::days(3));
    let rec = fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    assert_eq!(fx.store.lead(1).unwrap().owner, "aki");
    // Undo gives it back to the pool.
    fx.store.undo(rec.activity_id, &fx.cfg).unwrap();
    assert_eq!(fx.store.lead(1).unwrap().owner, "");
    fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    assert_eq!(fx.store.lead(1).unwrap().owner, "aki");
    let later = now() + Duration::days(4);
    fx.store
        .close_meeting(1, MeetingClose::Lost, None, None, "aki", &fx.cfg, later)
        .unwrap();
    assert_eq!(
        fx.store.lead(1).unwrap().owner,
        "",
        "lost: back to the pool"
    );
}

pub fn by_task_without_reps_an_import_keeps_the_importers_ownership(mut fx: Fixture) {
    import(&mut fx, "company,name,phone\nA,a,03-1111-0001\n");
    assert_eq!(owners(&fx), ["me"]);
    let mut i = ResultInput::new(1, CallResult::Appointment, "aki");
    i.meeting_at = Some(now() + Duration::days(3));
    fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    assert_eq!(
        fx.store.lead(1).unwrap().owner,
        "me",
        "a result never moves it"
    );
}

pub fn the_load_by_rep_counts_due_held_and_claimed_leads(mut fx: Fixture) {
    let t = now() - Duration::hours(1);
    let mut pool = lead("P", "p", "03-2222-0001", 1, t);
    pool.owner = String::new();
    fx.add(&pool);
    let mut a1 = lead("A1", "a", "03-2222-0002", 1, t);
    a1.owner = "aki".into();
    let a1 = fx.add(&a1);
    let mut a2 = lead("A2", "a", "03-2222-0003", 1, t);
    a2.owner = "aki".into();
    let a2 = fx.add(&a2);
    let mut b1 = lead("B1", "b", "03-2222-0004", 1, t);
    b1.owner = "ben".into();
    fx.add(&b1);
    let mut i = ResultInput::new(a2, CallResult::Appointment, "aki");
    i.meeting_at = Some(now() + Duration::days(3));
    fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    fx.store.claim(a1, "aki", now()).unwrap();
    let load = fx.store.load_by_rep(now()).unwrap();
    let got: Vec<(String, u64, u64, u64)> = load
        .into_iter()
        .map(|l| (l.rep, l.due, l.held, l.on_call))
        .collect();
    assert_eq!(
        got,
        [
            (String::new(), 1, 0, 0),
            ("aki".to_string(), 1, 1, 1),
            ("ben".to_string(), 1, 0, 0),
        ]
    );
}
