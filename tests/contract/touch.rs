//! Touches on other channels (SPEC §2a): an outbound touch on a lead being approached moves it
//! on exactly as an unanswered call would (the next call by the cadence, six in a row park it);
//! an inbound one is a conversation (the unanswered count starts again); a lead past the
//! approach keeps its status and next action; every touch is history with its channel, is not
//! a call result, and undo takes it back.

use crate::engine::Fixture;
use crate::support::{lead, now};
use chrono::Duration;
use kaden::domain::touch::TouchKind;
use kaden::domain::{CallResult, Channel, LeadStatus};
use kaden::store::{ResultInput, TouchInput, cadence_for};

fn touch(kind: TouchKind, id: i64, note: Option<&str>) -> TouchInput {
    TouchInput {
        lead_id: id,
        kind,
        note: note.map(String::from),
        rep: "me".into(),
    }
}

pub fn an_email_sent_moves_the_lead_on_like_an_unanswered_call(mut fx: Fixture) {
    let id = fx.add(&lead("Acme", "Ann", "03-1234-5678", 1, now()));
    let before = fx.store.lead(id).unwrap();
    let want = cadence_for(&before, CallResult::Unconnected, &fx.cfg, now(), None);
    let t = fx
        .store
        .record_touch(
            &touch(TouchKind::EmailSent, id, Some("資料を送付")),
            &fx.cfg,
            now(),
        )
        .unwrap();
    let after = fx.store.lead(id).unwrap();
    assert_eq!(after.status, LeadStatus::Approaching);
    assert_eq!((after.touches, after.unanswered), (1, 1));
    assert_eq!(after.next.as_ref().map(|n| n.due), want.next.map(|d| d.due));
    assert_eq!(t.status, LeadStatus::Approaching);
    let h = fx.store.history(id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].channel, Channel::Email);
    assert_eq!(h[0].result, None, "not a call result");
    assert_eq!(h[0].reason.as_deref(), Some("email_sent"));
    assert_eq!(h[0].note.as_deref(), Some("資料を送付"));
}

pub fn six_touches_on_any_channel_without_an_answer_park_the_lead(mut fx: Fixture) {
    let id = fx.add(&lead("Acme", "Ann", "03-1234-5678", 1, now()));
    let mut t = now();
    for i in 0..6 {
        if i % 2 == 0 {
            fx.store
                .record_result(
                    &ResultInput::new(id, CallResult::Unconnected, "me"),
                    &fx.cfg,
                    t,
                )
                .unwrap();
        } else {
            let kind = [TouchKind::EmailSent, TouchKind::Linkedin, TouchKind::Letter][i / 2];
            fx.store
                .record_touch(&touch(kind, id, None), &fx.cfg, t)
                .unwrap();
        }
        t += Duration::days(3);
    }
    let l = fx.store.lead(id).unwrap();
    assert_eq!((l.touches, l.unanswered), (6, 6));
    assert_eq!(
        l.status,
        LeadStatus::Pending,
        "the engagement flow mixes channels"
    );
}

pub fn a_reply_is_a_conversation_and_a_nurtured_lead_keeps_its_next_action(mut fx: Fixture) {
    let id = fx.add(&lead("Acme", "Ann", "03-1234-5678", 1, now()));
    for _ in 0..2 {
        fx.store
            .record_result(
                &ResultInput::new(id, CallResult::Unconnected, "me"),
                &fx.cfg,
                now(),
            )
            .unwrap();
    }
    let before = fx.store.lead(id).unwrap();
    assert_eq!(before.unanswered, 2);
    fx.store
        .record_touch(
            &touch(TouchKind::EmailReply, id, Some("declined by email")),
            &fx.cfg,
            now(),
        )
        .unwrap();
    let after = fx.store.lead(id).unwrap();
    assert_eq!((after.touches, after.unanswered), (3, 0));
    assert_eq!(
        after.next, before.next,
        "a reply leaves the next call where it was"
    );
    // Lost (nurturing, re-approach in 90 days): a newsletter email does not move the date.
    let mut lost = ResultInput::new(id, CallResult::Lost, "me");
    lost.reason = Some("no_need".into());
    fx.store.record_result(&lost, &fx.cfg, now()).unwrap();
    let nurturing = fx.store.lead(id).unwrap();
    fx.store
        .record_touch(&touch(TouchKind::EmailSent, id, None), &fx.cfg, now())
        .unwrap();
    let after = fx.store.lead(id).unwrap();
    assert_eq!(after.status, LeadStatus::Nurturing);
    assert_eq!(after.next, nurturing.next);
    assert_eq!(after.touches, nurturing.touches + 1);
}

pub fn undo_takes_a_touch_back(mut fx: Fixture) {
    let id = fx.add(&lead("Acme", "Ann", "03-1234-5678", 1, now()));
    let before = fx.store.lead(id).unwrap();
    let t = fx
        .store
        .record_touch(&touch(TouchKind::InboundCall, id, None), &fx.cfg, now())
        .unwrap();
    assert_eq!(fx.store.lead(id).unwrap().status, LeadStatus::Approaching);
    fx.store.undo(t.activity_id, &fx.cfg).unwrap();
    let after = fx.store.lead(id).unwrap();
    assert_eq!(
        (after.status, after.touches, after.unanswered, after.next),
        (
            before.status,
            before.touches,
            before.unanswered,
            before.next
        )
    );
    assert_eq!(fx.count("activities"), 0);
    // A touch on a lead that does not exist writes nothing.
    assert!(
        fx.store
            .record_touch(&touch(TouchKind::Sms, 999, None), &fx.cfg, now())
            .is_err()
    );
    assert_eq!(fx.count("activities"), 0);
}
