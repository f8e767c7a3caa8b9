//! What field sales reported after an appointment: the lead's latest appointment, judged won or
//! lost with the amount and a note, and what is refused.

use crate::engine::Fixture;
use crate::support::{at, lead, now};
use kaden::domain::{CallResult, MeetingOutcome};
use kaden::store::{MeetingReport, ResultInput};

/// Book an appointment for `id` at `when` (meeting a week later, expected `amount`).
fn book(fx: &mut Fixture, id: i64, when: &str, amount: Option<f64>) {
    let mut i = ResultInput::new(id, CallResult::Appointment, "me");
    i.meeting_at = Some(at(when) + chrono::Duration::days(7));
    i.amount = amount;
    fx.store.record_result(&i, &fx.cfg, at(when)).unwrap();
}

pub fn a_report_judges_the_latest_appointment(mut fx: Fixture) {
    let id = fx.add(&lead("Acme", "Ann", "03-1234-5678", 1, now()));
    let other = fx.add(&lead("Beta", "Bob", "03-2222-3333", 1, now()));
    assert_eq!(fx.store.latest_appointment(id).unwrap(), None);
    book(&mut fx, id, "2026-11-17T10:00:00+09:00", Some(500_000.0));
    book(&mut fx, other, "2026-11-18T10:00:00+09:00", None);
    // a second appointment on a lead already in `meeting` moves that appointment (issue 12)
    book(&mut fx, id, "2026-11-24T10:00:00+09:00", Some(2_000_000.0));
    let latest = fx.store.latest_appointment(id).unwrap().unwrap();
    assert_eq!(latest.lead_id, id);
    assert_eq!(latest.booked_at, at("2026-11-17T10:00:00+09:00"));
    assert_eq!(latest.meeting_at, Some(at("2026-12-01T10:00:00+09:00")));
    assert_eq!(latest.amount, Some(2_000_000.0));
    assert_eq!(latest.outcome, None);
    let report = MeetingReport {
        outcome: MeetingOutcome::Won,
        at: at("2026-11-25T10:00:00+09:00"),
        amount: Some(1_500_000.0),
        note: Some("signed #voice".into()),
    };
    fx.store.report_meeting(latest.id, &report).unwrap();
    let judged = fx.store.latest_appointment(id).unwrap().unwrap();
    assert_eq!(judged.outcome, Some(MeetingOutcome::Won));
    assert_eq!(judged.id, latest.id);
    let rows = fx.raw.rows(
        "SELECT outcome, outcome_at, outcome_amount, outcome_note FROM appointments WHERE id = ?1",
        crate::vals![latest.id],
    );
    let r = &rows[0];
    assert_eq!(
        (r[0].text(), r[1].text(), r[2].real(), r[3].text()),
        (
            "won".to_string(),
            "2026-11-25T01:00:00Z".to_string(),
            1_500_000.0,
            "signed #voice".to_string()
        )
    );
    // Only that appointment was judged.
    let judged = fx.one(
        "SELECT count(*) FROM appointments WHERE outcome IS NOT NULL",
        &[],
    );
    assert_eq!(judged.int(), 1);
    // A later report replaces the earlier one.
    let lost = MeetingReport {
        outcome: MeetingOutcome::Lost,
        at: at("2026-11-26T10:00:00+09:00"),
        amount: None,
        note: None,
    };
    fx.store.report_meeting(latest.id, &lost).unwrap();
    assert_eq!(
        fx.store.latest_appointment(id).unwrap().unwrap().outcome,
        Some(MeetingOutcome::Lost)
    );
    let r = &fx.raw.rows(
        "SELECT outcome_amount, outcome_note FROM appointments WHERE id = ?1",
        crate::vals![latest.id],
    )[0];
    assert_eq!(
        (r[0].clone(), r[1].clone()),
        (crate::engine::Val::Null, crate::engine::Val::Null)
    );
}

pub fn a_report_on_no_appointment_is_refused_and_writes_nothing(mut fx: Fixture) {
    let id = fx.add(&lead("Acme", "Ann", "03-1234-5678", 1, now()));
    book(&mut fx, id, "2026-11-17T10:00:00+09:00", None);
    let report = MeetingReport {
        outcome: MeetingOutcome::Won,
        at: now(),
        amount: None,
        note: None,
    };
    let e = fx.store.report_meeting(999, &report).unwrap_err();
    assert!(e.to_string().contains("no appointment with id 999"), "{e}");
    let judged = fx.one(
        "SELECT count(*) FROM appointments WHERE outcome IS NOT NULL",
        &[],
    );
    assert_eq!(judged.int(), 0);
}
