//! Statuses that match the seeds (issue 12): a lost lead may nurture without a next action, a
//! second appointment on a lead already scheduling or meeting moves that appointment, and an
//! appointment with all three Open SAL axes "no" is unqualified.

use crate::engine::Fixture;
use crate::support::{at, lead, now};
use chrono::Duration;
use kaden::domain::{CallResult, LeadStatus};
use kaden::store::{NextChoice, ResultInput, SalAnswers};

fn one(fx: &mut Fixture) -> i64 {
    fx.add(&lead(
        "A",
        "A",
        "03-1111-1111",
        1,
        now() - Duration::days(1),
    ))
}

fn appointment(id: i64, meeting: Option<&str>, sal: Option<SalAnswers>) -> ResultInput {
    let mut i = ResultInput::new(id, CallResult::Appointment, "me");
    i.meeting_at = meeting.map(at);
    i.sal = sal;
    i
}

const YES_YES_NO: SalAnswers = SalAnswers {
    budget: true,
    consideration: true,
    timing: false,
};

pub fn lost_can_nurture_without_a_next_action(mut fx: Fixture) {
    let id = one(&mut fx);
    let mut i = ResultInput::new(id, CallResult::Lost, "me");
    i.reason = Some("no_need".into());
    i.next = NextChoice::None;
    let rec = fx.store.record_result(&i, &fx.cfg, now()).unwrap();
    assert_eq!(rec.status, LeadStatus::Nurturing);
    assert_eq!(rec.next, None);
    let l = fx.store.lead(id).unwrap();
    assert_eq!((l.status, l.next), (LeadStatus::Nurturing, None));
    assert_eq!(l.nurture_reason.as_deref(), Some("no_need"));
    // never offered, not even in 90 days
    assert!(!fx.queue_ids(now() + Duration::days(91)).contains(&id));
    // another result still needs its next action
    let other = fx.add(&lead("B", "B", "03-2222-2222", 1, now()));
    let mut u = ResultInput::new(other, CallResult::Unconnected, "me");
    u.next = NextChoice::None;
    assert!(fx.store.record_result(&u, &fx.cfg, now()).is_err());
}

pub fn a_second_appointment_moves_the_first_instead_of_counting_twice(mut fx: Fixture) {
    let id = one(&mut fx);
    // won without a date: scheduling
    let r = fx
        .store
        .record_result(&appointment(id, None, Some(YES_YES_NO)), &fx.cfg, now())
        .unwrap();
    assert_eq!(r.status, LeadStatus::Scheduling);
    // the date is fixed on the next call
    let later = now() + Duration::hours(3);
    let r = fx
        .store
        .record_result(
            &appointment(id, Some("2026-12-01T15:00:00+09:00"), None),
            &fx.cfg,
            later,
        )
        .unwrap();
    assert_eq!(r.status, LeadStatus::Meeting);
    assert_eq!(fx.count("appointments"), 1, "one appointment, not two");
    let row = &fx.raw.rows(
        "SELECT meeting_at, sal_rank, probability FROM appointments",
        &[],
    )[0];
    assert_eq!(row[0].text(), "2026-12-01T06:00:00Z");
    assert_eq!(row[1].text(), "B", "the answers given first are kept");
    // moved again: still one, at the new time
    let moved = fx
        .store
        .record_result(
            &appointment(id, Some("2026-12-03T11:00:00+09:00"), None),
            &fx.cfg,
            later + Duration::hours(1),
        )
        .unwrap();
    assert_eq!(fx.count("appointments"), 1);
    assert_eq!(
        fx.one("SELECT meeting_at FROM appointments", &[]).text(),
        "2026-12-03T02:00:00Z"
    );
    // the forecast and the appointment count see one
    let open = fx.store.open_appointments().unwrap();
    assert_eq!(open.iter().map(|o| o.count).sum::<u64>(), 1);
    assert_eq!(
        fx.count("activities WHERE result = 'appointment'"),
        1,
        "the calls that moved it are touches without a second appointment"
    );
    assert_eq!(fx.count("activities WHERE reason = 'rescheduled'"), 2);
    // undo puts the meeting back where it was
    fx.store.undo(moved.activity_id, &fx.cfg).unwrap();
    assert_eq!(
        fx.one("SELECT meeting_at FROM appointments", &[]).text(),
        "2026-12-01T06:00:00Z"
    );
    assert_eq!(fx.count("appointments"), 1);
}

pub fn all_three_sal_axes_no_is_unqualified(mut fx: Fixture) {
    let id = one(&mut fx);
    fx.store
        .record_result(
            &appointment(
                id,
                Some("2026-12-01T15:00:00+09:00"),
                Some(SalAnswers::default()),
            ),
            &fx.cfg,
            now(),
        )
        .unwrap();
    let row = &fx
        .raw
        .rows("SELECT sal_rank, probability FROM appointments", &[])[0];
    assert_eq!(row[0].opt_text(), None, "not rank C");
    assert!(row[1].real().abs() < 1e-9, "0 %, not 30 %");
    let open = fx.store.open_appointments().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].rank, "unqualified");
    assert!(open[0].expected.abs() < 1e-9);
    // one yes is still C
    assert_eq!(
        SalAnswers {
            timing: true,
            ..SalAnswers::default()
        }
        .rank(),
        Some('C')
    );
}
