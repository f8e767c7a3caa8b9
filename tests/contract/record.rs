//! Recording a result: one transaction (activity, status, counts, next action — all or nothing),
//! what is refused before writing, undo and its refusal, appointments, notes.

use crate::engine::Fixture;
use crate::support::{at, lead, now};
use kaden::domain::{CallResult, Channel, LeadStatus};
use kaden::store::{NextChoice, ResultInput, SalAnswers, StoreError};

/// One tier-`tier` lead created now; its id.
fn one_lead(fx: &mut Fixture, tier: u8) -> i64 {
    fx.add(&lead("Acme", "Ann", "03-1234-5678", tier, now()))
}

pub fn recording_writes_activity_status_and_next_action_together(mut fx: Fixture) {
    let id = fx.add(&lead(
        "株式会社テスト",
        "山田 太郎",
        "03-1234-5678",
        1,
        now(),
    ));
    let rec = fx
        .store
        .record_result(
            &ResultInput::new(id, CallResult::Unconnected, "me"),
            &fx.cfg,
            now(),
        )
        .unwrap();
    assert_eq!(rec.status, LeadStatus::Approaching);
    let l = fx.store.lead(id).unwrap();
    assert_eq!(l.status, LeadStatus::Approaching);
    assert_eq!(l.touches, 1);
    assert_eq!(l.unanswered, 1);
    let next = l.next.unwrap();
    assert_eq!(next.due, now() + chrono::Duration::hours(2));
    assert_eq!(next.channel, Channel::Call);
    let h = fx.store.history(id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].result, Some(CallResult::Unconnected));
    // stored as the SPEC's text keys
    let row = &fx.raw.rows(
        "SELECT l.status, a.result FROM leads l JOIN activities a ON a.lead_id = l.id",
        &[],
    )[0];
    assert_eq!(
        (row[0].text().as_str(), row[1].text().as_str()),
        ("approaching", "unconnected")
    );
}

pub fn a_failing_step_inside_the_transaction_leaves_nothing_behind(mut fx: Fixture) {
    let id = one_lead(&mut fx, 2);
    // The activity insert succeeds, then the lead update fails.
    fx.raw.fail_status_updates();
    let err = fx.store.record_result(
        &ResultInput::new(id, CallResult::Unconnected, "me"),
        &fx.cfg,
        now(),
    );
    assert!(err.is_err());
    assert_eq!(fx.count("activities"), 0);
    let l = fx.store.lead(id).unwrap();
    assert_eq!((l.status, l.touches), (LeadStatus::New, 0));
}

pub fn invalid_results_are_refused_before_writing(mut fx: Fixture) {
    let id = one_lead(&mut fx, 2);
    let cfg = fx.cfg.clone();
    let store = &mut fx.store;
    // recall without a time
    let e = store
        .record_result(&ResultInput::new(id, CallResult::Recall, "me"), &cfg, now())
        .unwrap_err();
    assert!(e.to_string().contains("recall needs"), "{e}");
    // lost without a reason
    let e = store
        .record_result(&ResultInput::new(id, CallResult::Lost, "me"), &cfg, now())
        .unwrap_err();
    assert!(e.to_string().contains("needs a reason"), "{e}");
    // unknown reason
    let mut i = ResultInput::new(id, CallResult::OutOfScope, "me");
    i.reason = Some("aliens".into());
    let e = store.record_result(&i, &cfg, now()).unwrap_err();
    assert!(e.to_string().contains("unknown reason 'aliens'"), "{e}");
    // unknown lead
    let e = store
        .record_result(
            &ResultInput::new(999, CallResult::Unconnected, "me"),
            &cfg,
            now(),
        )
        .unwrap_err();
    assert!(matches!(e, StoreError::UnknownLead(999)));
    assert_eq!(fx.count("activities"), 0);
}

pub fn undo_restores_status_counts_and_next_action(mut fx: Fixture) {
    let id = one_lead(&mut fx, 2);
    let before = fx.store.lead(id).unwrap();
    let mut i = ResultInput::new(id, CallResult::Lost, "me");
    i.reason = Some("no_budget".into());
    let rec = fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    assert_eq!(fx.status(id), LeadStatus::Nurturing);
    fx.store.undo(rec.activity_id, &fx.cfg).unwrap();
    let after = fx.store.lead(id).unwrap();
    assert_eq!(after.status, before.status);
    assert_eq!(after.touches, before.touches);
    assert_eq!(after.next, before.next);
    assert_eq!(after.nurture_reason, None);
    assert!(fx.store.history(id).unwrap().is_empty());
    // undoing twice is refused
    assert!(fx.store.undo(rec.activity_id, &fx.cfg).is_err());
}

pub fn undo_is_refused_when_the_lead_changed_since(mut fx: Fixture) {
    let id = one_lead(&mut fx, 2);
    let unconnected = ResultInput::new(id, CallResult::Unconnected, "me");
    let first = fx
        .store
        .record_result(&unconnected, &fx.cfg, now())
        .unwrap();
    fx.store
        .record_result(&unconnected, &fx.cfg, now())
        .unwrap();
    let e = fx.store.undo(first.activity_id, &fx.cfg).unwrap_err();
    assert!(e.to_string().contains("changed"), "{e}");
    // Nothing was undone.
    assert_eq!(fx.store.history(id).unwrap().len(), 2);
    assert_eq!(fx.store.lead(id).unwrap().touches, 2);
}

pub fn appointment_stores_sal_rank_and_meeting(mut fx: Fixture) {
    let id = one_lead(&mut fx, 1);
    let mut i = ResultInput::new(id, CallResult::Appointment, "me");
    i.meeting_at = Some(at("2026-12-01T15:00:00+09:00"));
    i.sal = Some(SalAnswers {
        budget: true,
        consideration: true,
        timing: false,
    });
    let rec = fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    assert_eq!(rec.status, LeadStatus::Meeting);
    let row = &fx.raw.rows(
        "SELECT sal_rank, probability, meeting_at FROM appointments",
        &[],
    )[0];
    assert_eq!(row[0].text(), "B");
    assert!((row[1].real() - 0.5).abs() < 1e-9);
    assert_eq!(row[2].text(), "2026-12-01T06:00:00Z");
    let l = fx.store.lead(id).unwrap();
    assert_eq!(l.next.unwrap().channel, Channel::Meeting);
}

pub fn custom_next_action_is_kept_with_owner_and_note(mut fx: Fixture) {
    let id = one_lead(&mut fx, 1);
    let mut i = ResultInput::new(id, CallResult::Recall, "me");
    let due = at("2026-11-24T14:00:00+09:00");
    i.next = NextChoice::At {
        due,
        channel: Channel::Call,
        owner: Some("sato".into()),
        note: Some("HR plans headcount".into()),
    };
    fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    let n = fx.store.lead(id).unwrap().next.unwrap();
    assert_eq!(
        (n.due, n.owner.as_str(), n.note.as_deref(), n.callback),
        (due, "sato", Some("HR plans headcount"), true)
    );
}

pub fn a_note_is_history_but_not_a_touch(mut fx: Fixture) {
    let id = one_lead(&mut fx, 2);
    let before = fx.store.lead(id).unwrap();
    fx.store
        .add_note(id, "me", "asked for a brochure", now())
        .unwrap();
    let h = fx.store.history(id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].note.as_deref(), Some("asked for a brochure"));
    assert_eq!(h[0].result, None);
    let after = fx.store.lead(id).unwrap();
    assert_eq!(
        (after.status, after.touches, after.next),
        (before.status, before.touches, before.next)
    );
    // A note on a lead that does not exist is refused and writes nothing.
    assert!(fx.store.add_note(999, "me", "x", now()).is_err());
    assert_eq!(fx.count("activities"), 1);
}
