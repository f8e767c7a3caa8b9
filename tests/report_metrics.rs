#![allow(clippy::unwrap_used)]
//! Report metrics on hand-built activity sets: counts and rates, week boundaries in Asia/Tokyo,
//! the driver on constructed weeks, pace around a holiday, tags, forecast, breakdowns.

use chrono::{DateTime, Utc};
use kaden::cli::{Period, ReportBy};
use kaden::config::Config;
use kaden::domain::{CallResult, LeadStatus};
use kaden::report::compare::{self, Factor, Method};
use kaden::report::{self, Options, Span, metrics, output, tags, targets};
use kaden::store::{CompanyInput, NewLead, ResultInput, SalAnswers, Store, ts};
use rusqlite::params;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn cfg() -> Config {
    Config::parse(
        "time_zone = \"Asia/Tokyo\"\nrep = \"me\"\n[targets.week]\nappointments = 4\ncalls = 40\n",
        "test.toml",
    )
    .unwrap()
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("k.db")).unwrap();
    (dir, s)
}

fn lead(s: &mut Store, c: &Config, company: &str, source: &str, owner: &str, created: &str) -> i64 {
    s.insert_lead(
        &NewLead {
            company: CompanyInput {
                name: company.into(),
                ..CompanyInput::default()
            },
            name: "Taro".into(),
            title: String::new(),
            department: String::new(),
            role: None,
            phone: None,
            mobile: None,
            email: None,
            source: source.into(),
            owner: owner.into(),
            time_zone: None,
            status: LeadStatus::New,
            created_at: t(created),
        },
        c,
    )
    .unwrap()
}

/// A raw touch (no status change): for building activity sets quickly.
fn touch(s: &Store, lead: i64, at: &str, channel: &str, result: Option<&str>, rep: &str) {
    rusqlite::Connection::open(s.path()).unwrap()
        .execute(
            "INSERT INTO activities (lead_id, at, kind, channel, result, rep) VALUES (?1, ?2, 'touch', ?3, ?4, ?5)",
            params![lead, ts(t(at)), channel, result, rep],
        )
        .unwrap();
}

/// `calls` calls of which `connects` connected and `appts` became appointments, on `day`.
fn week_of(s: &Store, lead: i64, day: &str, calls: u32, connects: u32, appts: u32) {
    for i in 0..calls {
        let r = if i < appts {
            "appointment"
        } else if i < connects {
            "lost"
        } else {
            "unconnected"
        };
        touch(
            s,
            lead,
            &format!("{day}T10:{:02}:00+09:00", i % 60),
            "call",
            Some(r),
            "me",
        );
    }
}

fn span(kind: Period, d: &str) -> Span {
    Span::containing(kind, d.parse().unwrap(), chrono_tz::Asia::Tokyo)
}

#[test]
fn counts_and_rates_from_a_hand_built_set() {
    let (_d, mut s) = store();
    let c = cfg();
    let a = lead(
        &mut s,
        &c,
        "A社",
        "webinar",
        "me",
        "2026-11-24T09:00:00+09:00",
    );
    let b = lead(
        &mut s,
        &c,
        "B社",
        "ads",
        "sato",
        "2026-11-20T09:00:00+09:00",
    );
    touch(
        &s,
        a,
        "2026-11-24T10:00:00+09:00",
        "call",
        Some("unconnected"),
        "me",
    );
    touch(
        &s,
        a,
        "2026-11-24T11:00:00+09:00",
        "call",
        Some("recall"),
        "me",
    );
    touch(
        &s,
        a,
        "2026-11-24T12:00:00+09:00",
        "call",
        Some("appointment"),
        "me",
    );
    touch(
        &s,
        b,
        "2026-11-24T13:00:00+09:00",
        "call",
        Some("lost"),
        "sato",
    );
    touch(
        &s,
        b,
        "2026-11-24T14:00:00+09:00",
        "call",
        Some("out_of_scope"),
        "sato",
    );
    touch(&s, b, "2026-11-24T15:00:00+09:00", "call", None, "sato");
    touch(&s, b, "2026-11-24T16:00:00+09:00", "email", None, "sato");
    touch(&s, b, "2026-11-24T16:30:00+09:00", "linkedin", None, "sato");
    touch(&s, b, "2026-11-24T16:40:00+09:00", "sms", None, "sato");
    touch(&s, b, "2026-11-24T16:50:00+09:00", "other", None, "sato");
    // A note is not a touch.
    rusqlite::Connection::open(s.path()).unwrap()
        .execute(
            "INSERT INTO activities (lead_id, at, kind, channel, rep, note) VALUES (?1, ?2, 'note', 'other', 'me', 'x')",
            params![a, ts(t("2026-11-24T17:00:00+09:00"))],
        )
        .unwrap();
    let m = metrics::total(&s, &span(Period::Week, "2026-11-24")).unwrap();
    assert_eq!(m.calls, 6);
    assert_eq!(m.connects, 4, "recall, appointment, lost, out_of_scope");
    assert_eq!(m.connect_rate, Some(4.0 / 6.0));
    assert_eq!(m.appointments, 1);
    assert_eq!(m.appointment_rate, Some(0.25));
    assert_eq!((m.lost, m.out_of_scope, m.recalls), (1, 1, 1));
    assert_eq!((m.emails, m.linkedin, m.sms, m.other_touches), (1, 1, 1, 1));
    assert_eq!(m.activities, 10);
    assert_eq!(m.leads_created, 1, "B was created the Friday before");
    assert_eq!(m.meetings_won, 0);
    assert_eq!(m.appointment_win_rate, None);
    // By source and by rep.
    let by = metrics::compute(
        &s,
        &span(Period::Week, "2026-11-24"),
        Some(ReportBy::Source),
    )
    .unwrap();
    assert_eq!(by["webinar"].calls, 3);
    assert_eq!(by["webinar"].leads_created, 1);
    assert_eq!(by["ads"].calls, 3);
    let by = metrics::compute(&s, &span(Period::Week, "2026-11-24"), Some(ReportBy::Rep)).unwrap();
    assert_eq!(by["sato"].activities, 7);
    assert_eq!(by["me"].appointments, 1);
    // An empty period: counts 0, rates undefined.
    let e = metrics::total(&s, &span(Period::Day, "2026-11-01")).unwrap();
    assert_eq!(
        (e.calls, e.connect_rate, e.appointment_rate),
        (0, None, None)
    );
}

#[test]
fn sunday_late_evening_in_tokyo_belongs_to_that_week() {
    let (_d, mut s) = store();
    let c = cfg();
    let a = lead(&mut s, &c, "A社", "list", "me", "2026-10-01T09:00:00+09:00");
    touch(
        &s,
        a,
        "2026-11-29T23:30:00+09:00",
        "call",
        Some("unconnected"),
        "me",
    ); // Sunday
    touch(
        &s,
        a,
        "2026-11-30T00:10:00+09:00",
        "call",
        Some("unconnected"),
        "me",
    ); // Monday
    touch(
        &s,
        a,
        "2026-11-23T00:00:00+09:00",
        "call",
        Some("unconnected"),
        "me",
    ); // Monday 00:00
    let w = metrics::total(&s, &span(Period::Week, "2026-11-24")).unwrap();
    assert_eq!(w.calls, 2, "Mon 00:00 and Sun 23:30 (14:30 UTC)");
    let next = metrics::total(&s, &span(Period::Week, "2026-11-30")).unwrap();
    assert_eq!(next.calls, 1);
}

#[test]
fn driver_connect_rate_when_only_connects_fell() {
    let (_d, mut s) = store();
    let c = cfg();
    let a = lead(&mut s, &c, "A社", "list", "me", "2026-10-01T09:00:00+09:00");
    week_of(&s, a, "2026-11-17", 20, 10, 5); // 50 % connect, 50 % conversion
    week_of(&s, a, "2026-11-24", 20, 4, 2); // 20 % connect, 50 % conversion
    let o = Options {
        period: Period::Week,
        at: "2026-11-24".parse().unwrap(),
        compare: true,
        by: None,
    };
    let r = report::build(&s, &c, t("2026-11-24T18:00:00+09:00"), &o).unwrap();
    let p = r.previous.as_ref().unwrap();
    let d = p.driver.as_ref().unwrap();
    assert_eq!(d.factor, Factor::ConnectRate);
    assert_eq!(d.method, Method::Lmdi);
    assert_eq!(
        compare::sentence(&p.metrics, &r.metrics, Some(d), kaden::i18n::Lang::En),
        "Appointments 5 → 2 (−60 %): connect rate 50 % → 20 % explains most of it; call volume and conversion held."
    );
    assert_eq!(
        compare::sentence(&p.metrics, &r.metrics, Some(d), kaden::i18n::Lang::Ja),
        "アポ 5 → 2 (−60 %): 主因は接続率 50 % → 20 %。架電数とアポ率は横ばい。"
    );
    let j = output::json(&r, kaden::i18n::Lang::En);
    assert_eq!(j["driver"], "connect_rate");
    assert_eq!(j["change"]["appointments"]["abs"], -3.0);
    assert_eq!(j["change"]["appointments"]["rel"], -0.6);
    assert_eq!(j["previous"]["connect_rate"], 0.5);
}

#[test]
fn driver_calls_and_appointment_rate() {
    let (_d, mut s) = store();
    let c = cfg();
    let a = lead(&mut s, &c, "A社", "list", "me", "2026-10-01T09:00:00+09:00");
    // Volume halves, rates hold.
    week_of(&s, a, "2026-11-10", 40, 20, 10);
    week_of(&s, a, "2026-11-17", 20, 10, 5);
    // Conversion falls, volume and connect rate hold.
    week_of(&s, a, "2026-11-24", 20, 10, 1);
    let w1 = metrics::total(&s, &span(Period::Week, "2026-11-10")).unwrap();
    let w2 = metrics::total(&s, &span(Period::Week, "2026-11-17")).unwrap();
    let w3 = metrics::total(&s, &span(Period::Week, "2026-11-24")).unwrap();
    assert_eq!(compare::driver(&w1, &w2).unwrap().factor, Factor::Calls);
    assert_eq!(
        compare::driver(&w2, &w3).unwrap().factor,
        Factor::AppointmentRate
    );
    // LMDI contributions add up to the change in appointments.
    let d = compare::driver(&w1, &w3).unwrap();
    let sum: f64 = d.contributions.iter().sum();
    assert!((sum - (1.0 - 10.0)).abs() < 1e-9);
    // Zero in a period: the largest relative change (from 0 is infinite) names calls.
    let empty = metrics::total(&s, &span(Period::Week, "2026-11-03")).unwrap();
    let d = compare::driver(&empty, &w1).unwrap();
    assert_eq!(
        (d.factor, d.method),
        (Factor::Calls, Method::RelativeChange)
    );
}

#[test]
fn pace_in_the_holiday_week_of_2026_11_23() {
    let c = cfg();
    let w = span(Period::Week, "2026-11-23");
    let p = targets::pace(&w, &c, t("2026-11-24T10:00:00+09:00"));
    assert_eq!(
        (p.elapsed, p.total),
        (1, 4),
        "Monday is Labour Thanksgiving Day"
    );
    let p = targets::pace(&w, &c, t("2026-11-23T10:00:00+09:00"));
    assert_eq!((p.elapsed, p.share), (0, Some(0.0)));
    let p = targets::pace(&w, &c, t("2026-11-28T10:00:00+09:00"));
    assert_eq!((p.elapsed, p.share), (4, Some(1.0)));
    let p = targets::pace(&w, &c, t("2026-12-10T10:00:00+09:00"));
    assert_eq!(p.elapsed, 4);
    // Achievement = actual / (target × pace): 1 appointment of 4 at 1/4 of the week = 100 %.
    let (_d, mut s) = store();
    let a = lead(&mut s, &c, "A社", "list", "me", "2026-10-01T09:00:00+09:00");
    week_of(&s, a, "2026-11-24", 10, 5, 1);
    let m = metrics::total(&s, &w).unwrap();
    let tr = targets::evaluate(&w, &m, &c, t("2026-11-24T10:00:00+09:00")).unwrap();
    assert_eq!(tr["appointments"].achievement, Some(1.0));
    assert_eq!(tr["calls"].achievement, Some(1.0));
    assert_eq!(tr["calls"].pace, Some(0.25));
    // An unknown metric in the config is named.
    let bad = Config::parse(
        "[targets.week]
meetings = 3
",
        "c.toml",
    )
    .unwrap();
    let e = targets::evaluate(&w, &m, &bad, t("2026-11-24T10:00:00+09:00")).unwrap_err();
    assert!(e.to_string().contains("'meetings'"), "{e}");
}

#[test]
fn month_pace_counts_business_days() {
    let c = cfg();
    let m = span(Period::Month, "2026-11-10");
    let p = targets::pace(&m, &c, t("2026-11-10T10:00:00+09:00"));
    // November 2026: 21 weekdays, minus 11-03 and 11-23 holidays = 19; elapsed 11-02..11-10 minus 11-03 = 6.
    assert_eq!((p.elapsed, p.total), (6, 19));
}

#[test]
fn outcomes_win_rate_and_forecast() {
    let (_d, mut s) = store();
    let c = cfg();
    let a = lead(
        &mut s,
        &c,
        "A社",
        "webinar",
        "me",
        "2026-11-01T09:00:00+09:00",
    );
    let b = lead(&mut s, &c, "B社", "ads", "me", "2026-11-01T09:00:00+09:00");
    let d = lead(&mut s, &c, "D社", "ads", "me", "2026-11-01T09:00:00+09:00");
    let mut i = ResultInput::new(a, CallResult::Appointment, "me");
    i.sal = Some(SalAnswers {
        budget: true,
        consideration: true,
        timing: true,
    });
    i.amount = Some(2_000_000.0);
    s.record_result(&i, &c, t("2026-11-17T10:00:00+09:00"))
        .unwrap();
    let mut i = ResultInput::new(b, CallResult::Appointment, "me");
    i.sal = Some(SalAnswers {
        budget: false,
        consideration: true,
        timing: true,
    });
    s.record_result(&i, &c, t("2026-11-17T11:00:00+09:00"))
        .unwrap();
    let i = ResultInput::new(d, CallResult::Appointment, "me");
    s.record_result(&i, &c, t("2026-11-17T12:00:00+09:00"))
        .unwrap();
    let f = report::forecast::compute(&s).unwrap();
    assert_eq!(f.open_appointments, 3);
    assert!(
        (f.expected - (2_000_000.0 * 0.8 + 1_000_000.0 * 0.5 + 1_000_000.0 * 0.3)).abs() < 1e-6
    );
    assert_eq!(f.by_rank["A"].open_appointments, 1);
    assert_eq!(f.by_rank["unrated"].open_appointments, 1);
    // Judge two in the week of the 23rd.
    rusqlite::Connection::open(s.path())
        .unwrap()
        .execute(
            "UPDATE appointments SET outcome = 'won', outcome_at = ?1 WHERE lead_id = ?2",
            params![ts(t("2026-11-24T09:00:00+09:00")), a],
        )
        .unwrap();
    rusqlite::Connection::open(s.path())
        .unwrap()
        .execute(
            "UPDATE appointments SET outcome = 'lost', outcome_at = ?1 WHERE lead_id = ?2",
            params![ts(t("2026-11-25T09:00:00+09:00")), b],
        )
        .unwrap();
    let m = metrics::total(&s, &span(Period::Week, "2026-11-24")).unwrap();
    assert_eq!((m.meetings_won, m.appointment_win_rate), (1, Some(0.5)));
    let by = metrics::compute(
        &s,
        &span(Period::Week, "2026-11-24"),
        Some(ReportBy::Source),
    )
    .unwrap();
    assert_eq!(by["webinar"].appointment_win_rate, Some(1.0));
    assert_eq!(by["ads"].appointment_win_rate, Some(0.0));
    let f = report::forecast::compute(&s).unwrap();
    assert_eq!(f.open_appointments, 1);
}

#[test]
fn tagged_notes_grouped_by_tag() {
    let (_d, mut s) = store();
    let c = cfg();
    let a = lead(&mut s, &c, "A社", "list", "me", "2026-11-01T09:00:00+09:00");
    s.add_note(
        a,
        "me",
        "#voice wants a CSV export",
        t("2026-11-24T10:00:00+09:00"),
    )
    .unwrap();
    s.add_note(
        a,
        "me",
        "uses a rival: #競合 #voice",
        t("2026-11-25T10:00:00+09:00"),
    )
    .unwrap();
    s.add_note(
        a,
        "me",
        "no tags here, C# shop",
        t("2026-11-25T11:00:00+09:00"),
    )
    .unwrap();
    s.add_note(a, "me", "#old last month", t("2026-10-25T11:00:00+09:00"))
        .unwrap();
    let g = tags::collect(&s, &span(Period::Week, "2026-11-24")).unwrap();
    assert_eq!(g.keys().collect::<Vec<_>>(), vec!["voice", "競合"]);
    assert_eq!(g["voice"].len(), 2);
    assert_eq!(g["voice"][0].company, "A社");
    assert_eq!(g["競合"][0].note, "uses a rival: #競合 #voice");
}

#[test]
fn load_balance_by_owner_status_age_and_stale() {
    let (_d, mut s) = store();
    let c = cfg();
    let now = t("2026-11-24T10:00:00+09:00");
    lead(&mut s, &c, "A", "list", "me", "2026-11-24T09:00:00+09:00"); // 0-1 d
    lead(&mut s, &c, "B", "list", "me", "2026-11-20T09:00:00+09:00"); // 4 d
    lead(&mut s, &c, "C", "list", "sato", "2026-10-01T09:00:00+09:00"); // > 30 d, due since creation: stale
    let bal = report::balance::compute(&s, &c, now).unwrap();
    assert_eq!(bal.owners.len(), 2);
    let me = &bal.owners[0];
    assert_eq!(
        (me.owner.as_str(), me.open, me.by_age),
        ("me", 2, [1, 1, 0, 0])
    );
    assert_eq!(me.stale, 0);
    let sato = &bal.owners[1];
    assert_eq!((sato.by_age, sato.stale), ([0, 0, 0, 1], 1));
    assert_eq!(bal.stale[0].company, "C");
}
