//! Where the funnel leaks (issue 15), on hand-built weeks in Asia/Tokyo whose every expected
//! number is worked out in the comments: the funnel step by step with the leaking step, counts by
//! reason and the leads behind one, speed-to-lead, fair comparisons of a running week, meetings
//! closed out, recycling of pending leads.

use crate::engine::Fixture;
use crate::support::{at, config_with, new_lead, now};
use kaden::cli::{Period, ReportBy};
use kaden::domain::{CallResult, MeetingOutcome};
use kaden::report::fair::Basis as FairBasis;
use kaden::report::funnel::{self, Basis, Counts, Step};
use kaden::report::{self, Options, Span, reasons, speed};
use kaden::store::{MeetingReport, ResultInput};

fn lead(fx: &mut Fixture, company: &str, source: &str, created: &str) -> i64 {
    let mut l = new_lead(company, at(created));
    l.source = source.into();
    fx.add(&l)
}

fn span(d: &str) -> Span {
    Span::containing(Period::Week, d.parse().unwrap(), chrono_tz::Asia::Tokyo)
}

/// A touch with a reason, written directly.
fn touch_r(fx: &Fixture, lead: i64, when: &str, result: &str, reason: Option<&str>, rep: &str) {
    fx.raw.execute(
        "INSERT INTO activities (lead_id, at, kind, channel, result, reason, rep)
         VALUES (?1, ?2, 'touch', 'call', ?3, ?4, ?5)",
        crate::vals![lead, kaden::store::ts(at(when)), result, reason, rep],
    );
}

/// An appointment booked through the store at `when`, its meeting at `meeting`.
fn book(fx: &mut Fixture, id: i64, when: &str, meeting: &str) {
    let mut i = ResultInput::new(id, CallResult::Appointment, "me");
    i.meeting_at = Some(at(meeting));
    fx.store.record_result(&i, &fx.cfg, at(when)).unwrap();
}

/// Six leads, three per source, worked in the week of 16 Nov and the week before.
fn two_weeks(fx: &mut Fixture) -> [i64; 6] {
    let c = "2026-11-01T09:00:00+09:00";
    let l1 = lead(fx, "L1", "webinar", c);
    let l2 = lead(fx, "L2", "webinar", c);
    let l3 = lead(fx, "L3", "webinar", c);
    let l4 = lead(fx, "L4", "ads", c);
    let l5 = lead(fx, "L5", "ads", c);
    let l6 = lead(fx, "L6", "ads", c);
    // Week of 9 Nov: L3 lost, L4 recall, L6 unconnected, L1 an appointment (meeting 12 Nov,
    // never reported). Worked 4, reached 3 (L1, L3, L4), appointment 1, due 1, held 0.
    touch_r(
        fx,
        l3,
        "2026-11-10T10:00:00+09:00",
        "lost",
        Some("timing"),
        "me",
    );
    touch_r(fx, l4, "2026-11-10T11:00:00+09:00", "recall", None, "me");
    touch_r(
        fx,
        l6,
        "2026-11-10T12:00:00+09:00",
        "unconnected",
        Some("absent"),
        "me",
    );
    book(
        fx,
        l1,
        "2026-11-10T13:00:00+09:00",
        "2026-11-12T15:00:00+09:00",
    );
    // Week of 16 Nov: L1 unconnected then recall (one lead, reached); L2 unconnected then an
    // appointment (meeting 19 Nov, reported won); L3 unconnected only; L4 lost (by sato); L5
    // an appointment whose meeting is on 30 Nov (not due on 24 Nov); L6 one email, no result.
    touch_r(
        fx,
        l1,
        "2026-11-16T10:00:00+09:00",
        "unconnected",
        Some("absent"),
        "me",
    );
    touch_r(fx, l1, "2026-11-16T15:00:00+09:00", "recall", None, "me");
    touch_r(
        fx,
        l2,
        "2026-11-16T10:30:00+09:00",
        "unconnected",
        Some("voicemail"),
        "me",
    );
    book(
        fx,
        l2,
        "2026-11-17T10:00:00+09:00",
        "2026-11-19T15:00:00+09:00",
    );
    touch_r(
        fx,
        l3,
        "2026-11-17T11:00:00+09:00",
        "unconnected",
        Some("absent"),
        "me",
    );
    touch_r(
        fx,
        l4,
        "2026-11-18T11:00:00+09:00",
        "lost",
        Some("no_budget"),
        "sato",
    );
    book(
        fx,
        l5,
        "2026-11-18T14:00:00+09:00",
        "2026-11-30T15:00:00+09:00",
    );
    fx.touch(l6, "2026-11-19T10:00:00+09:00", "email", None, "me");
    let appt = fx.store.latest_appointment(l2).unwrap().unwrap();
    fx.store
        .report_meeting(
            appt.id,
            &MeetingReport {
                outcome: MeetingOutcome::Won,
                at: at("2026-11-20T10:00:00+09:00"),
                amount: Some(1_000_000.0),
                note: None,
            },
        )
        .unwrap();
    [l1, l2, l3, l4, l5, l6]
}

pub fn the_funnel_step_by_step_names_the_leaking_step(mut fx: Fixture) {
    two_weeks(&mut fx);
    let cur = span("2026-11-18");
    let prev = span("2026-11-11");
    let c = funnel::counts(&fx.store, &cur, now(), None).unwrap()[""];
    // Worked: all six leads. Reached: L1 (recall), L2 (appointment), L4 (lost), L5
    // (appointment) = 4. Appointment: L2, L5 = 2. Booked 2; due: only L2 (19 Nov ≤ 24 Nov;
    // L5's 30 Nov is still ahead) = 1; held: L2 (won implies held) = 1; decided 1; won 1.
    assert_eq!(
        c,
        Counts {
            worked: 6,
            reached: 4,
            appointment: 2,
            booked: 2,
            due: 1,
            held: 1,
            decided: 1,
            won: 1
        }
    );
    let p = funnel::counts(&fx.store, &prev, now(), None).unwrap()[""];
    assert_eq!((p.worked, p.reached, p.appointment), (4, 3, 1));
    assert_eq!(
        (p.due, p.held),
        (1, 0),
        "L1's meeting of 12 Nov was never reported"
    );
    // Rates now: reach 4/6 = 66.7 %, appointment 2/4 = 50 %, held 1/1, won 1/1.
    // Previous: reach 3/4 = 75 %, appointment 1/3 = 33.3 %, held 0/1 = 0 %, won —.
    // Only reach fell (66.7 / 75 = 0.89 of it): the leak is worked → reached.
    let f = funnel::compute(&fx.store, &fx.cfg, &cur, &prev, now(), None).unwrap();
    let leak = f.total.leak.unwrap();
    assert_eq!(leak.step, Step::Reached);
    assert!((leak.rate - 4.0 / 6.0).abs() < 1e-9);
    assert_eq!(leak.benchmark, Some(0.75));
    assert_eq!(leak.basis, Some(Basis::Previous));
    assert_eq!(
        funnel::sentence(&f.total, kaden::i18n::Lang::En),
        "The funnel leaks most at Leads worked → Reached: 67 %, down from 75 % the previous period."
    );
    // An appointment target of 60 %: 50 / 60 = 0.83 of it, below reach's 0.89: appointment
    // is now the leak, judged against the target.
    let cfg = config_with("[funnel.targets]\nappointment = 0.6\n");
    let f = funnel::compute(&fx.store, &cfg, &cur, &prev, now(), None).unwrap();
    let leak = f.total.leak.unwrap();
    assert_eq!(
        (leak.step, leak.basis),
        (Step::Appointment, Some(Basis::Target))
    );
    assert!(
        funnel::sentence(&f.total, kaden::i18n::Lang::Ja).contains("アポ獲得：50 %（目標 60 %）")
    );
    // By source. webinar: L1 (reached), L2 (appointment, held, won), L3 (worked) → 3, 2, 1,
    // due 1, held 1, won 1. ads: L4 (reached), L5 (appointment, not due), L6 (worked) → 3, 2,
    // 1, due 0, held 0.
    let f = funnel::compute(
        &fx.store,
        &fx.cfg,
        &cur,
        &prev,
        now(),
        Some(ReportBy::Source),
    )
    .unwrap();
    let by: std::collections::BTreeMap<_, _> = f.by.iter().cloned().collect();
    let w = by["webinar"].counts;
    let a = by["ads"].counts;
    assert_eq!(
        (w.worked, w.reached, w.appointment, w.due, w.held, w.won),
        (3, 2, 1, 1, 1, 1)
    );
    assert_eq!(
        (a.worked, a.reached, a.appointment, a.due, a.held, a.won),
        (3, 2, 1, 0, 0, 0)
    );
    // ads' previous week: L4 reached, L6 worked → reach 1/2 = 50 %, now 2/3 = 67 %: no fall;
    // appointment 0/1 = 0 % before, 1/2 now: no fall. Nothing leaks for ads.
    assert_eq!(by["ads"].leak, None);
    // By rep: sato worked L4 only (reached); me worked the other five.
    let f = funnel::compute(&fx.store, &fx.cfg, &cur, &prev, now(), Some(ReportBy::Rep)).unwrap();
    let by: std::collections::BTreeMap<_, _> = f.by.iter().cloned().collect();
    assert_eq!(
        (by["sato"].counts.worked, by["sato"].counts.reached),
        (1, 1)
    );
    assert_eq!((by["me"].counts.worked, by["me"].counts.reached), (5, 3));
    // The report carries it in every format.
    let o = Options {
        period: Period::Week,
        at: "2026-11-18".parse().unwrap(),
        compare: false,
        by: None,
    };
    let r = report::build(&fx.store, &fx.cfg, now(), &o).unwrap();
    let j = report::output::json(&r, kaden::i18n::Lang::En);
    assert_eq!(j["funnel"]["counts"]["worked"], 6);
    assert_eq!(j["funnel"]["leak"]["step"], "reached");
    assert_eq!(j["funnel"]["previous"]["reached"], 3);
    let csv = report::output::csv(&r).unwrap();
    assert!(csv.contains("funnel,,appointment,2\n"), "{csv}");
    assert!(csv.contains("leak,,reached,0.666667\n"), "{csv}");
    let text = report::output::text(&r, kaden::i18n::Lang::En);
    assert!(
        text.contains("Meeting held      1  100 % (1/1 due)"),
        "{text}"
    );
}

pub fn reasons_are_counted_by_result_and_source_and_their_leads_found(mut fx: Fixture) {
    let [l1, _, l3, l4, _, l6] = two_weeks(&mut fx);
    // Two more no_budget losses in the week of 16 Nov, on L1 (webinar) and L6 (ads).
    touch_r(
        &fx,
        l1,
        "2026-11-19T10:00:00+09:00",
        "lost",
        Some("no_budget"),
        "me",
    );
    touch_r(
        &fx,
        l6,
        "2026-11-19T11:00:00+09:00",
        "lost",
        Some("no_budget"),
        "me",
    );
    touch_r(
        &fx,
        l3,
        "2026-11-20T11:00:00+09:00",
        "out_of_scope",
        Some("not_icp"),
        "me",
    );
    let r = reasons::compute(&fx.store, &span("2026-11-18")).unwrap();
    let rows: Vec<_> = r
        .rows
        .iter()
        .map(|x| (x.result, x.reason.as_str(), x.count, x.by_source.clone()))
        .collect();
    let s = |v: &[(&str, u64)]| {
        v.iter()
            .map(|(a, n)| (a.to_string(), *n))
            .collect::<Vec<_>>()
    };
    // Unconnected: absent on L1 and L3 (both webinar) = 2, voicemail on L2 (webinar) = 1: 3.
    // Lost: no_budget on L4 (ads), L1 (webinar), L6 (ads) = 3. Out of scope: not_icp on L3.
    // The previous week's timing loss and absent are outside the week.
    assert_eq!(
        rows,
        vec![
            ("unconnected", "absent", 2, s(&[("webinar", 2)])),
            ("unconnected", "voicemail", 1, s(&[("webinar", 1)])),
            ("lost", "no_budget", 3, s(&[("ads", 2), ("webinar", 1)])),
            ("out_of_scope", "not_icp", 1, s(&[("webinar", 1)])),
        ]
    );
    // Shares within their result: 2/3 and 1/3.
    assert!((r.rows[0].share - 2.0 / 3.0).abs() < 1e-9);
    // The leads behind no_budget since 16 Nov: L1, L4, L6; "timing" since 9 Nov: L3.
    let since = kaden::store::ts(at("2026-11-16T00:00:00+09:00"));
    assert_eq!(
        fx.store.leads_with_reason("no_budget", &since).unwrap(),
        vec![l1, l4, l6]
    );
    assert!(
        fx.store
            .leads_with_reason("timing", &since)
            .unwrap()
            .is_empty()
    );
    let since = kaden::store::ts(at("2026-11-09T00:00:00+09:00"));
    assert_eq!(
        fx.store.leads_with_reason("timing", &since).unwrap(),
        vec![l3]
    );
    // `--by reason` puts the table in the report.
    let o = Options {
        period: Period::Week,
        at: "2026-11-18".parse().unwrap(),
        compare: false,
        by: Some(ReportBy::Reason),
    };
    let rep = report::build(&fx.store, &fx.cfg, now(), &o).unwrap();
    let text = report::output::text(&rep, kaden::i18n::Lang::En);
    assert!(
        text.contains("Lost          No budget      3  100 %  ads 2 · webinar 1"),
        "{text}"
    );
    let ja = report::output::text(&rep, kaden::i18n::Lang::Ja);
    assert!(ja.contains("予算なし"), "{ja}");
    let csv = report::output::csv(&rep).unwrap();
    assert!(csv.contains("reason,lost/no_budget,ads,2\n"), "{csv}");
}

pub fn speed_to_lead_median_and_share_within_the_sla(mut fx: Fixture) {
    let a = lead(&mut fx, "A", "webinar", "2026-11-16T10:00:00+09:00");
    let b = lead(&mut fx, "B", "webinar", "2026-11-16T11:00:00+09:00");
    let c = lead(&mut fx, "C", "ads", "2026-11-17T09:00:00+09:00");
    let d = lead(&mut fx, "D", "ads", "2026-11-18T09:00:00+09:00");
    let e = lead(&mut fx, "E", "ads", "2026-11-10T09:00:00+09:00");
    fx.touch(
        a,
        "2026-11-16T10:03:00+09:00",
        "call",
        Some("unconnected"),
        "me",
    ); // 180 s
    fx.touch(
        b,
        "2026-11-16T11:10:00+09:00",
        "call",
        Some("recall"),
        "sato",
    ); // 600 s
    fx.touch(c, "2026-11-17T09:01:00+09:00", "email", None, "sato"); // 60 s
    fx.touch(c, "2026-11-17T09:30:00+09:00", "call", Some("lost"), "me"); // not the first
    fx.touch(e, "2026-11-16T09:00:00+09:00", "call", Some("lost"), "me"); // created before
    // A note is not a touch: D stays untouched.
    fx.store
        .add_note(d, "me", "looked them up", at("2026-11-18T09:02:00+09:00"))
        .unwrap();
    let s = speed::compute(&fx.store, &span("2026-11-18"), 5, now()).unwrap();
    // Leads created in the week: A, B, C, D = 4 (E was created the week before). Touched: 3.
    // Median of 180, 600, 60 s = 180 s. Within 5 min (300 s): A and C = 2; judged: all 4 (D's
    // SLA window ended on 18 Nov): 2/4 = 50 %.
    assert_eq!(
        (
            s.total.leads,
            s.total.touched,
            s.total.median_s,
            s.total.within_sla,
            s.total.judged
        ),
        (4, 3, Some(180), 2, 4)
    );
    assert_eq!(s.total.share, Some(0.5));
    let by = |rows: &[speed::SpeedRow]| {
        rows.iter()
            .map(|r| (r.key.clone(), r.leads, r.median_s, r.within_sla))
            .collect::<Vec<_>>()
    };
    // By source: ads C (60 s) and D (untouched): median 60, 1 within; webinar A 180 and B 600:
    // median (180 + 600) / 2 = 390, 1 within.
    assert_eq!(
        by(&s.by_source),
        vec![
            ("ads".into(), 2, Some(60), 1),
            ("webinar".into(), 2, Some(390), 1)
        ]
    );
    // By rep (of the first touch; the owner, "me", while untouched): me A (180) and D; sato B
    // (600) and C (60): median (600 + 60) / 2 = 330.
    assert_eq!(
        by(&s.by_rep),
        vec![
            ("me".into(), 2, Some(180), 1),
            ("sato".into(), 2, Some(330), 1)
        ]
    );
    // A lead created 2 minutes before "now" and untouched is not judged yet.
    lead(&mut fx, "F", "ads", "2026-11-24T09:58:00+09:00");
    let s = speed::compute(&fx.store, &span("2026-11-24"), 5, now()).unwrap();
    assert_eq!((s.total.leads, s.total.judged, s.total.share), (1, 0, None));
    let o = Options {
        period: Period::Week,
        at: "2026-11-18".parse().unwrap(),
        compare: false,
        by: None,
    };
    let r = report::build(&fx.store, &fx.cfg, now(), &o).unwrap();
    let text = report::output::text(&r, kaden::i18n::Lang::En);
    assert!(
        text.contains("Speed to lead: median 3 min 0 s to the first touch, 50 % within 5 min (2 of 4); 3 of 4 new leads touched"),
        "{text}"
    );
}

pub fn a_running_week_compares_with_the_same_business_days(mut fx: Fixture) {
    let l = lead(&mut fx, "A", "webinar", "2026-11-01T09:00:00+09:00");
    // Previous week: Mon 16 Nov 2 calls, Wed 18 Nov 8 calls.
    for i in 0..2 {
        fx.touch(
            l,
            &format!("2026-11-16T10:0{i}:00+09:00"),
            "call",
            Some("unconnected"),
            "me",
        );
    }
    for i in 0..8 {
        fx.touch(
            l,
            &format!("2026-11-18T10:0{i}:00+09:00"),
            "call",
            Some("unconnected"),
            "me",
        );
    }
    // This week: Mon 23 Nov is a holiday in Japan; "now" is Tue 24 Nov 10:00, 3 calls so far.
    for i in 0..3 {
        fx.touch(
            l,
            &format!("2026-11-24T09:0{i}:00+09:00"),
            "call",
            Some("unconnected"),
            "me",
        );
    }
    let o = Options {
        period: Period::Week,
        at: "2026-11-24".parse().unwrap(),
        compare: true,
        by: None,
    };
    let r = report::build(&fx.store, &fx.cfg, now(), &o).unwrap();
    let p = r.previous.unwrap();
    // One business day has passed this week (Tue 24; Mon 23 is a holiday), so the previous
    // week is cut to its first business day, Mon 16 Nov: 2 calls, not 10.
    assert_eq!(p.basis, FairBasis::SameBusinessDays { days: 1, of: 5 });
    assert_eq!(
        (p.span.start, p.span.end),
        ("2026-11-16".parse().unwrap(), "2026-11-17".parse().unwrap())
    );
    assert_eq!((r.metrics.calls, p.metrics.calls), (3, 2));
    let text = report::output::text(
        &report::build(&fx.store, &fx.cfg, now(), &o).unwrap(),
        kaden::i18n::Lang::En,
    );
    assert!(
        text.contains("Compared with Day 2026-11-16")
            || text.contains("Compared with Week 2026-11-16"),
        "{text}"
    );
    assert!(
        text.contains("its first business day of 5, as 1 has passed"),
        "{text}"
    );
    let j = report::output::json(
        &report::build(&fx.store, &fx.cfg, now(), &o).unwrap(),
        kaden::i18n::Lang::En,
    );
    assert_eq!(j["previous_basis"]["kind"], "same_business_days");
    // A week that is over compares with the whole previous week: 10 calls.
    let o = Options {
        at: "2026-11-18".parse().unwrap(),
        ..o
    };
    let r = report::build(&fx.store, &fx.cfg, now(), &o).unwrap();
    let p = r.previous.unwrap();
    assert_eq!(p.basis, FairBasis::Whole);
    assert_eq!(r.metrics.calls, 10);
}

/// An appointment with the Open SAL axes (`sal`: all three yes) booked at `when`.
fn book_sal(fx: &mut Fixture, id: i64, when: &str, meeting: &str, sal: bool) {
    let mut i = ResultInput::new(id, CallResult::Appointment, "me");
    i.meeting_at = Some(at(meeting));
    if sal {
        i.sal = Some(kaden::store::SalAnswers {
            budget: true,
            consideration: true,
            timing: true,
        });
    }
    fx.store.record_result(&i, &fx.cfg, at(when)).unwrap();
}

pub fn meetings_are_closed_out_and_lost_or_no_show_go_back_to_nurturing(mut fx: Fixture) {
    use kaden::domain::{LeadStatus, MeetingClose};
    let c = "2026-11-01T09:00:00+09:00";
    let a = lead(&mut fx, "A", "webinar", c);
    let b = lead(&mut fx, "B", "ads", c);
    let cc = lead(&mut fx, "C", "ads", c);
    let d = lead(&mut fx, "D", "webinar", c);
    let none = lead(&mut fx, "E", "ads", c);
    book_sal(
        &mut fx,
        a,
        "2026-11-17T10:00:00+09:00",
        "2026-11-20T15:00:00+09:00",
        true,
    );
    book_sal(
        &mut fx,
        b,
        "2026-11-18T10:00:00+09:00",
        "2026-11-23T15:00:00+09:00",
        false,
    );
    book_sal(
        &mut fx,
        cc,
        "2026-11-19T10:00:00+09:00",
        "2026-12-01T15:00:00+09:00",
        true,
    );
    book_sal(
        &mut fx,
        d,
        "2026-11-16T10:00:00+09:00",
        "2026-11-19T15:00:00+09:00",
        true,
    );
    let (cfg, rep) = (fx.cfg.clone(), "me");
    let close = |fx: &mut Fixture, id, c, amount| {
        fx.store
            .close_meeting(id, c, amount, None, rep, &cfg, now())
            .unwrap()
    };
    close(&mut fx, d, MeetingClose::Won, Some(2_000_000.0));
    // To report at Tue 24 Nov 10:00: A (20 Nov) and B (23 Nov), oldest first; C's meeting is
    // on 1 Dec, D's is won.
    let due = fx.store.meetings_to_report(now(), 50).unwrap();
    let ids: Vec<i64> = due.iter().map(|m| m.lead_id).collect();
    assert_eq!(ids, vec![a, b]);
    assert_eq!(due[0].sal_rank.as_deref(), Some("A"));
    // Held keeps A on the list (the deal is still open), marked held; the lead stays meeting.
    let h = close(&mut fx, a, MeetingClose::Held, None);
    assert_eq!((h.status, h.next.clone()), (LeadStatus::Meeting, None));
    let due = fx.store.meetings_to_report(now(), 50).unwrap();
    assert_eq!((due[0].lead_id, due[0].held), (a, true));
    // A no-show puts B back in nurturing, re-approached in 90 days: 24 Nov 01:00 UTC + 90 d
    // (6 left in Nov, 31 Dec, 31 Jan, 22 Feb) = 22 Feb 2027 01:00 UTC.
    let n = close(&mut fx, b, MeetingClose::NoShow, None);
    assert_eq!(n.status, LeadStatus::Nurturing);
    assert_eq!(n.next.as_ref().unwrap().due, at("2027-02-22T01:00:00Z"));
    let lb = fx.store.lead(b).unwrap();
    assert_eq!(lb.status, LeadStatus::Nurturing);
    assert_eq!(lb.nurture_reason.as_deref(), Some("no_show"));
    assert_eq!(lb.next.unwrap().due, at("2027-02-22T01:00:00Z"));
    let h = fx.store.history(b).unwrap();
    assert!(
        h.iter()
            .any(|x| x.note.as_deref() == Some("meeting not held (no-show)")),
        "{h:?}"
    );
    assert_eq!(
        ids_of(&fx.store.meetings_to_report(now(), 50).unwrap()),
        vec![a]
    );
    // Not in the queue before the re-approach, in it on the day (Mon 22 Feb, 10:30 Tokyo).
    assert!(!fx.queue_ids(at("2027-02-19T10:30:00+09:00")).contains(&b));
    assert!(fx.queue_ids(at("2027-02-22T10:30:00+09:00")).contains(&b));
    // Lost with a 30-day re-approach: A goes to nurturing, meeting_lost, due 24 Dec.
    let cfg30 = config_with("[meetings]\nreapproach_days = 30\n");
    let l = fx
        .store
        .close_meeting(
            a,
            MeetingClose::Lost,
            None,
            Some("chose a rival"),
            rep,
            &cfg30,
            now(),
        )
        .unwrap();
    assert_eq!(l.next.unwrap().due, at("2026-12-24T01:00:00Z"));
    assert_eq!(
        fx.store.lead(a).unwrap().nurture_reason.as_deref(),
        Some("meeting_lost")
    );
    assert!(fx.store.meetings_to_report(now(), 50).unwrap().is_empty());
    // D's amount won was kept; D stays a meeting lead.
    let r = fx.one(
        "SELECT outcome_amount FROM appointments WHERE lead_id = ?1",
        crate::vals![d],
    );
    assert_eq!(r.real(), 2_000_000.0);
    assert_eq!(fx.status(d), LeadStatus::Meeting);
    // The funnel of the week of 16 Nov: booked A, B, C, D = 4; due: A, B (no-show reported),
    // D = 3 (C's meeting is ahead); held: A (lost implies held), D = 2; decided 2, won 1 (D).
    let f = funnel::counts(&fx.store, &span("2026-11-18"), now(), None).unwrap()[""];
    assert_eq!((f.booked, f.due, f.held, f.decided, f.won), (4, 3, 2, 2, 1));
    // Appointment → won by rank over the week of 23 Nov (both judged on 24 Nov): D (A, won)
    // and A (A, lost) = A 1/2.
    assert_eq!(
        fx.store
            .judged_by_rank("2026-11-22T15:00:00Z", "2026-11-29T15:00:00Z")
            .unwrap(),
        vec![("A".to_string(), 1, 2)]
    );
    // No appointment: refused, nothing written.
    let before = fx.count("activities");
    let e = fx
        .store
        .close_meeting(none, MeetingClose::Won, None, None, rep, &cfg, now())
        .unwrap_err();
    assert!(e.to_string().contains("no appointment"), "{e}");
    assert_eq!(fx.count("activities"), before);
}

fn ids_of(m: &[kaden::store::MeetingDue]) -> Vec<i64> {
    m.iter().map(|x| x.lead_id).collect()
}

/// Park `id` as pending since `since` (as six unanswered calls would).
fn park(fx: &Fixture, id: i64, since: &str) {
    fx.raw.execute(
        "UPDATE leads SET status = 'pending', unanswered = 6, updated_at = ?2, next_at = NULL,
                next_owner = NULL, next_channel = NULL, next_note = NULL, q_band = NULL,
                rank_key = NULL
         WHERE id = ?1",
        crate::vals![id, since],
    );
}

pub fn pending_leads_come_back_after_the_rest(mut fx: Fixture) {
    use kaden::domain::LeadStatus;
    let c = "2026-09-01T09:00:00+09:00";
    let p1 = lead(&mut fx, "P1", "list", c);
    let p2 = lead(&mut fx, "P2", "list", c);
    let p3 = lead(&mut fx, "P3", "list", c);
    // "Now" is 24 Nov 01:00 UTC; 60 days before is 25 Sep 01:00 UTC (6 days of Nov, 31 of
    // Oct, 23 of Sep back). P1 was parked on 20 Sep (rest over), P3 exactly at the cutoff
    // (over), P2 on 1 Oct (rest until 30 Nov).
    park(&fx, p1, "2026-09-20T00:00:00Z");
    park(&fx, p2, "2026-10-01T00:00:00Z");
    park(&fx, p3, "2026-09-25T01:00:00Z");
    for id in [p1, p2, p3] {
        assert!(!fx.queue_ids(now()).contains(&id));
    }
    let cfg = fx.cfg.clone();
    assert_eq!(fx.store.recycle_pending(&cfg, "me", now()).unwrap(), 2);
    let l = fx.store.lead(p1).unwrap();
    assert_eq!(l.status, LeadStatus::Nurturing);
    assert_eq!(l.nurture_reason.as_deref(), Some("recycled"));
    assert_eq!(l.unanswered, 0, "a full new round of the cadence");
    let next = l.next.unwrap();
    assert_eq!(next.due, now());
    assert_eq!(
        next.note.as_deref(),
        Some("recycled · pending since 2026-09-20")
    );
    assert!(
        fx.store
            .history(p1)
            .unwrap()
            .iter()
            .any(|a| a.note.as_deref() == Some("recycled · pending since 2026-09-20"))
    );
    let q = fx.queue_ids(now());
    assert!(
        q.contains(&p1) && q.contains(&p3) && !q.contains(&p2),
        "{q:?}"
    );
    assert_eq!(fx.status(p2), LeadStatus::Pending);
    // Nothing left to recycle: nothing written.
    let before = fx.count("activities");
    assert_eq!(fx.store.recycle_pending(&cfg, "me", now()).unwrap(), 0);
    assert_eq!(fx.count("activities"), before);
    // A 30-day rest brings P2 back too (1 Oct ≤ 25 Oct).
    let cfg30 = config_with("[recycle]\npending_rest_days = 30\n");
    assert_eq!(fx.store.recycle_pending(&cfg30, "me", now()).unwrap(), 1);
    assert_eq!(fx.status(p2), LeadStatus::Nurturing);
}

pub fn the_plan_is_set_against_what_the_database_says(mut fx: Fixture) {
    use kaden::plan::{PlanInput, Quarter, plan};
    use kaden::report::actuals;
    let l = lead(&mut fx, "A", "list", "2026-10-01T09:00:00+09:00");
    // The window is the 28 days before today: 27 Oct – 23 Nov. 36 calls there (9 connected)
    // on 10 Nov; the 5 calls of today and the 4 of 26 Oct are outside it.
    for i in 0..36 {
        let r = if i < 9 { "lost" } else { "unconnected" };
        fx.touch(
            l,
            &format!("2026-11-10T1{}:{:02}:00+09:00", i / 30, i % 30),
            "call",
            Some(r),
            "me",
        );
    }
    for i in 0..5 {
        fx.touch(
            l,
            &format!("2026-11-24T09:0{i}:00+09:00"),
            "call",
            Some("unconnected"),
            "me",
        );
    }
    for i in 0..4 {
        fx.touch(
            l,
            &format!("2026-10-26T10:0{i}:00+09:00"),
            "call",
            Some("lost"),
            "me",
        );
    }
    // Open pipeline: an A appointment of 1,000,000 (80 %) and an unrated one of 500,000 (the
    // C probability, 30 %): 800,000 + 150,000 = 950,000. A third one, a no-show, is no longer
    // pipeline.
    let b = lead(&mut fx, "B", "list", "2026-10-01T09:00:00+09:00");
    let c = lead(&mut fx, "C", "list", "2026-10-01T09:00:00+09:00");
    let d = lead(&mut fx, "D", "list", "2026-10-01T09:00:00+09:00");
    for (id, amount, sal) in [
        (b, 1_000_000.0, true),
        (c, 500_000.0, false),
        (d, 1_000_000.0, true),
    ] {
        let mut i = ResultInput::new(id, CallResult::Appointment, "me");
        i.meeting_at = Some(at("2026-11-30T10:00:00+09:00"));
        i.amount = Some(amount);
        if sal {
            i.sal = Some(kaden::store::SalAnswers {
                budget: true,
                consideration: true,
                timing: true,
            });
        }
        // Booked on 20 Oct, before the window, so these calls are not in its counts.
        fx.store
            .record_result(&i, &fx.cfg, at("2026-10-20T10:00:00+09:00"))
            .unwrap();
    }
    let cfg = fx.cfg.clone();
    fx.store
        .close_meeting(
            d,
            kaden::domain::MeetingClose::NoShow,
            None,
            None,
            "me",
            &cfg,
            now(),
        )
        .unwrap();
    // The source example: 10,000,000 at 25 % → 40,000,000 pipeline, 40 SQL, 50 SAL, 150
    // conversations; revenue in 2027Q2 with a 3-month lead time → pipeline by 2027-01-01.
    let p = plan(&PlanInput {
        target: 10_000_000.0,
        win_rate: 0.25,
        deal_size: 1_000_000.0,
        sal_to_sql: 0.8,
        calls_per_sal: 3.0,
        lead_time_months: Some(3),
        quarter: "2027Q2".parse::<Quarter>().unwrap(),
    })
    .unwrap();
    let deadline = p.pipeline_by.unwrap();
    let a = actuals::compute(&fx.store, &fx.cfg, &p, deadline, now()).unwrap();
    // Business days 27 Oct – 23 Nov in Tokyo: 27–30 Oct 4, 2–6 Nov 4 (3 Nov holiday), 9–13
    // Nov 5, 16–20 Nov 5, 23 Nov a holiday: 18. 36 / 18 = 2.0 calls, 9 / 18 = 0.5
    // conversations per business day.
    assert_eq!((a.business_days, a.calls, a.conversations), (18, 36, 9));
    assert_eq!(
        (a.calls_per_day, a.conversations_per_day),
        (Some(2.0), Some(0.5))
    );
    assert_eq!((a.open_appointments, a.pipeline), (2, 950_000.0));
    // Gap 40,000,000 − 950,000 = 39,050,000 (97.625 %): 150 × 0.97625 = 146.4 → 147
    // conversations. Business days from 24 Nov to 1 Jan: 24–27 Nov 4, then four full weeks
    // 20, 28–31 Dec 4 = 28; 147 / 28 = 5.25 a day.
    assert_eq!(a.gap, 39_050_000.0);
    assert!(!a.deadline_past);
    assert_eq!((a.conversations_needed, a.business_days_left), (147, 28));
    assert_eq!(a.needed_per_day, Some(5.25));
    // A deadline already past (2026Q4 with a 6-month lead time → 1 Apr 2026) is flagged.
    let p = plan(&PlanInput {
        quarter: "2026Q4".parse::<Quarter>().unwrap(),
        lead_time_months: Some(6),
        ..PlanInput {
            target: 10_000_000.0,
            win_rate: 0.25,
            deal_size: 1_000_000.0,
            sal_to_sql: 0.8,
            calls_per_sal: 3.0,
            lead_time_months: None,
            quarter: "2026Q4".parse::<Quarter>().unwrap(),
        }
    })
    .unwrap();
    let a = actuals::compute(&fx.store, &fx.cfg, &p, p.pipeline_by.unwrap(), now()).unwrap();
    assert!(a.deadline_past);
    assert_eq!((a.business_days_left, a.needed_per_day), (0, None));
}
