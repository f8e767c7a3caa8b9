//! Every report figure on hand-built activity sets: counts and rates, week boundaries in
//! Asia/Tokyo, breakdowns by source/rep/tier/result, the driver on constructed weeks,
//! achievement against targets, outcomes and the forecast, tags, the load balance, and the
//! dashboard's daily counts. The index-range counts must equal a plain scan of the rows.

use crate::engine::{Fixture, Val};
use crate::support::{at, config_with, new_lead, now};
use crate::vals;
use chrono::Duration;
use kaden::cli::{Period, ReportBy};
use kaden::config::Config;
use kaden::domain::{CallResult, MeetingOutcome};
use kaden::report::compare::{self, Factor, Method};
use kaden::report::{self, Options, Span, balance, dashboard, metrics, output, tags, targets};
use kaden::store::{MeetingReport, ResultInput, SalAnswers, ts};
use std::collections::BTreeMap;

/// The reports' config: weekly targets of 4 appointments and 40 calls.
fn report_cfg() -> Config {
    config_with("[targets.week]\nappointments = 4\ncalls = 40\n")
}

/// A fixture with [`report_cfg`].
fn reports(mut fx: Fixture) -> Fixture {
    fx.cfg = report_cfg();
    fx
}

fn lead(fx: &mut Fixture, company: &str, source: &str, owner: &str, created: &str) -> i64 {
    let mut l = new_lead(company, at(created));
    l.source = source.into();
    l.owner = owner.into();
    fx.add(&l)
}

/// `calls` calls of which `connects` connected and `appts` became appointments, on `day`.
fn week_of(fx: &Fixture, lead: i64, day: &str, calls: u32, connects: u32, appts: u32) {
    for i in 0..calls {
        let r = if i < appts {
            "appointment"
        } else if i < connects {
            "lost"
        } else {
            "unconnected"
        };
        let when = format!("{day}T10:{:02}:00+09:00", i % 60);
        fx.touch(lead, &when, "call", Some(r), "me");
    }
}

fn span(kind: Period, d: &str) -> Span {
    Span::containing(kind, d.parse().unwrap(), chrono_tz::Asia::Tokyo)
}

pub fn counts_and_rates_from_a_hand_built_set(fx: Fixture) {
    let mut fx = reports(fx);
    let a = lead(&mut fx, "A社", "webinar", "me", "2026-11-24T09:00:00+09:00");
    let b = lead(&mut fx, "B社", "ads", "sato", "2026-11-20T09:00:00+09:00");
    for (l, t, ch, r, rep) in [
        (a, "10:00", "call", Some("unconnected"), "me"),
        (a, "11:00", "call", Some("recall"), "me"),
        (a, "12:00", "call", Some("appointment"), "me"),
        (b, "13:00", "call", Some("lost"), "sato"),
        (b, "14:00", "call", Some("out_of_scope"), "sato"),
        (b, "15:00", "call", None, "sato"),
        (b, "16:00", "email", None, "sato"),
        (b, "16:30", "linkedin", None, "sato"),
        (b, "16:40", "sms", None, "sato"),
        (b, "16:50", "other", None, "sato"),
    ] {
        fx.touch(l, &format!("2026-11-24T{t}:00+09:00"), ch, r, rep);
    }
    // A note is not a touch.
    fx.store
        .add_note(a, "me", "x", at("2026-11-24T17:00:00+09:00"))
        .unwrap();
    let s = &fx.store;
    let m = metrics::total(s, &span(Period::Week, "2026-11-24")).unwrap();
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
    let by =
        metrics::compute(s, &span(Period::Week, "2026-11-24"), Some(ReportBy::Source)).unwrap();
    assert_eq!(by["webinar"].calls, 3);
    assert_eq!(by["webinar"].leads_created, 1);
    assert_eq!(by["ads"].calls, 3);
    let by = metrics::compute(s, &span(Period::Week, "2026-11-24"), Some(ReportBy::Rep)).unwrap();
    assert_eq!(by["sato"].activities, 7);
    assert_eq!(by["me"].appointments, 1);
    // An empty period: counts 0, rates undefined.
    let e = metrics::total(s, &span(Period::Day, "2026-11-01")).unwrap();
    assert_eq!(
        (e.calls, e.connect_rate, e.appointment_rate),
        (0, None, None)
    );
}

pub fn sunday_late_evening_in_tokyo_belongs_to_that_week(fx: Fixture) {
    let mut fx = reports(fx);
    let a = lead(&mut fx, "A社", "list", "me", "2026-10-01T09:00:00+09:00");
    let miss = Some("unconnected");
    fx.touch(a, "2026-11-29T23:30:00+09:00", "call", miss, "me"); // Sunday
    fx.touch(a, "2026-11-30T00:10:00+09:00", "call", miss, "me"); // Monday
    fx.touch(a, "2026-11-23T00:00:00+09:00", "call", miss, "me"); // Monday 00:00
    let w = metrics::total(&fx.store, &span(Period::Week, "2026-11-24")).unwrap();
    assert_eq!(w.calls, 2, "Mon 00:00 and Sun 23:30 (14:30 UTC)");
    let next = metrics::total(&fx.store, &span(Period::Week, "2026-11-30")).unwrap();
    assert_eq!(next.calls, 1);
}

pub fn driver_connect_rate_when_only_connects_fell(fx: Fixture) {
    let mut fx = reports(fx);
    let a = lead(&mut fx, "A社", "list", "me", "2026-10-01T09:00:00+09:00");
    week_of(&fx, a, "2026-11-17", 20, 10, 5); // 50 % connect, 50 % conversion
    week_of(&fx, a, "2026-11-24", 20, 4, 2); // 20 % connect, 50 % conversion
    let o = Options {
        period: Period::Week,
        at: "2026-11-24".parse().unwrap(),
        compare: true,
        by: None,
    };
    // Once the week is over it is compared with the whole previous week (a running week
    // would be compared with the same business days: see funnel.rs).
    let r = report::build(&fx.store, &fx.cfg, at("2026-11-30T09:00:00+09:00"), &o).unwrap();
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

pub fn driver_calls_and_appointment_rate(fx: Fixture) {
    let mut fx = reports(fx);
    let a = lead(&mut fx, "A社", "list", "me", "2026-10-01T09:00:00+09:00");
    // Volume halves, rates hold.
    week_of(&fx, a, "2026-11-10", 40, 20, 10);
    week_of(&fx, a, "2026-11-17", 20, 10, 5);
    // Conversion falls, volume and connect rate hold.
    week_of(&fx, a, "2026-11-24", 20, 10, 1);
    let week = |d: &str| metrics::total(&fx.store, &span(Period::Week, d)).unwrap();
    let (w1, w2, w3) = (week("2026-11-10"), week("2026-11-17"), week("2026-11-24"));
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
    let empty = week("2026-11-03");
    let d = compare::driver(&empty, &w1).unwrap();
    assert_eq!(
        (d.factor, d.method),
        (Factor::Calls, Method::RelativeChange)
    );
}

/// Achievement = actual / (target × pace), on the week of the 2026-11-23 holiday (see
/// `report_pace.rs` for the pace itself).
pub fn achievement_is_the_actual_over_the_target_at_this_pace(fx: Fixture) {
    let mut fx = reports(fx);
    let w = span(Period::Week, "2026-11-23");
    // 1 appointment of 4 at 1/4 of the week = 100 %.
    let a = lead(&mut fx, "A社", "list", "me", "2026-10-01T09:00:00+09:00");
    week_of(&fx, a, "2026-11-24", 10, 5, 1);
    let m = metrics::total(&fx.store, &w).unwrap();
    let tr = targets::evaluate(&w, &m, &fx.cfg, at("2026-11-24T10:00:00+09:00")).unwrap();
    assert_eq!(tr["appointments"].achievement, Some(1.0));
    assert_eq!(tr["calls"].achievement, Some(1.0));
    assert_eq!(tr["calls"].pace, Some(0.25));
    // An unknown metric in the config is named.
    let bad = Config::parse("[targets.week]\nmeetings = 3\n", "c.toml").unwrap();
    let e = targets::evaluate(&w, &m, &bad, at("2026-11-24T10:00:00+09:00")).unwrap_err();
    assert!(e.to_string().contains("'meetings'"), "{e}");
}

pub fn outcomes_win_rate_and_forecast(fx: Fixture) {
    let mut fx = reports(fx);
    let a = lead(&mut fx, "A社", "webinar", "me", "2026-11-01T09:00:00+09:00");
    let b = lead(&mut fx, "B社", "ads", "me", "2026-11-01T09:00:00+09:00");
    let d = lead(&mut fx, "D社", "ads", "me", "2026-11-01T09:00:00+09:00");
    let mut i = ResultInput::new(a, CallResult::Appointment, "me");
    i.sal = Some(SalAnswers {
        budget: true,
        consideration: true,
        timing: true,
    });
    i.amount = Some(2_000_000.0);
    let cfg = fx.cfg.clone();
    let s = &mut fx.store;
    s.record_result(&i, &cfg, at("2026-11-17T10:00:00+09:00"))
        .unwrap();
    let mut i = ResultInput::new(b, CallResult::Appointment, "me");
    i.sal = Some(SalAnswers {
        budget: false,
        consideration: true,
        timing: true,
    });
    s.record_result(&i, &cfg, at("2026-11-17T11:00:00+09:00"))
        .unwrap();
    let i = ResultInput::new(d, CallResult::Appointment, "me");
    s.record_result(&i, &cfg, at("2026-11-17T12:00:00+09:00"))
        .unwrap();
    let f = report::forecast::compute(s).unwrap();
    assert_eq!(f.open_appointments, 3);
    assert!(
        (f.expected - (2_000_000.0 * 0.8 + 1_000_000.0 * 0.5 + 1_000_000.0 * 0.3)).abs() < 1e-6
    );
    assert_eq!(f.by_rank["A"].open_appointments, 1);
    assert_eq!(f.by_rank["unrated"].open_appointments, 1);
    // Judge two in the week of the 23rd.
    for (lead, outcome, when) in [
        (a, MeetingOutcome::Won, "2026-11-24T09:00:00+09:00"),
        (b, MeetingOutcome::Lost, "2026-11-25T09:00:00+09:00"),
    ] {
        let ap = s.latest_appointment(lead).unwrap().unwrap();
        let report = MeetingReport {
            outcome,
            at: at(when),
            amount: None,
            note: None,
        };
        s.report_meeting(ap.id, &report).unwrap();
    }
    let m = metrics::total(s, &span(Period::Week, "2026-11-24")).unwrap();
    assert_eq!((m.meetings_won, m.appointment_win_rate), (1, Some(0.5)));
    let by =
        metrics::compute(s, &span(Period::Week, "2026-11-24"), Some(ReportBy::Source)).unwrap();
    assert_eq!(by["webinar"].appointment_win_rate, Some(1.0));
    assert_eq!(by["ads"].appointment_win_rate, Some(0.0));
    let f = report::forecast::compute(s).unwrap();
    assert_eq!(f.open_appointments, 1);
}

pub fn tagged_notes_grouped_by_tag(fx: Fixture) {
    let mut fx = reports(fx);
    let a = lead(&mut fx, "A社", "list", "me", "2026-11-01T09:00:00+09:00");
    for (note, when) in [
        ("#voice wants a CSV export", "2026-11-24T10:00:00+09:00"),
        ("uses a rival: #競合 #voice", "2026-11-25T10:00:00+09:00"),
        ("no tags here, C# shop", "2026-11-25T11:00:00+09:00"),
        ("#old last month", "2026-10-25T11:00:00+09:00"),
    ] {
        fx.store.add_note(a, "me", note, at(when)).unwrap();
    }
    let g = tags::collect(&fx.store, &span(Period::Week, "2026-11-24")).unwrap();
    assert_eq!(g.keys().collect::<Vec<_>>(), vec!["voice", "競合"]);
    assert_eq!(g["voice"].len(), 2);
    assert_eq!(g["voice"][0].company, "A社");
    assert_eq!(g["競合"][0].note, "uses a rival: #競合 #voice");
}

pub fn load_balance_by_owner_status_age_and_stale(fx: Fixture) {
    let mut fx = reports(fx);
    lead(&mut fx, "A", "list", "me", "2026-11-24T09:00:00+09:00"); // 0-1 d
    lead(&mut fx, "B", "list", "me", "2026-11-20T09:00:00+09:00"); // 4 d
    lead(&mut fx, "C", "list", "sato", "2026-10-01T09:00:00+09:00"); // > 30 d, due since creation: stale
    let bal = report::balance::compute(&fx.store, &fx.cfg, now()).unwrap();
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

/// The sample demo plus 900 touches and notes on every channel, with results and without, by
/// four reps; owners, sources, tiers, created times and next actions spread out.
fn spread_out(fx: &mut Fixture) {
    fx.cfg = crate::support::config();
    kaden::demo::build_sample(&mut fx.store, &fx.cfg, now()).unwrap();
    let leads: Vec<i64> = fx
        .raw
        .rows("SELECT id FROM leads ORDER BY id", &[])
        .iter()
        .map(|r| r[0].int())
        .collect();
    let channels = ["call", "email", "linkedin", "sms", "meeting", "other"];
    let results = [
        None,
        Some("unconnected"),
        Some("recall"),
        Some("appointment"),
        Some("lost"),
        Some("out_of_scope"),
    ];
    let reps = ["me", "sato", "", "鈴木"];
    let rows: Vec<Vec<Val>> = (0..900usize)
        .map(|i| {
            let lead = leads[i * 7 % leads.len()];
            let at = now() - Duration::minutes((i as i64 * 97) % (60 * 24 * 70));
            let kind = if i % 11 == 0 { "note" } else { "touch" };
            vals![
                lead,
                ts(at),
                kind,
                channels[i % channels.len()],
                results[i / 3 % results.len()],
                reps[i / 5 % reps.len()]
            ]
            .to_vec()
        })
        .collect();
    fx.raw.execute_all(
        "INSERT INTO activities (lead_id, at, kind, channel, result, rep) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &rows,
    );
    let mut updates = Vec::new();
    for &id in &leads {
        let owner = ["me", "sato", ""][(id % 3) as usize];
        let source = match id % 4 {
            0 => "ads",
            1 => "list",
            _ => "",
        };
        updates.push(vals![id, owner, source, 1 + id % 3].to_vec());
    }
    fx.raw.execute_all(
        "UPDATE leads SET owner = ?2, source = ?3, tier = ?4 WHERE id = ?1",
        &updates,
    );
    let day = |id: i64, month: i64| format!("2026-{:02}-{:02}T01:00:00Z", month, 1 + id % 28);
    let next: Vec<Vec<Val>> = leads
        .iter()
        .filter(|id| *id % 2 == 0)
        .map(|&id| vals![id, day(id, 8 + id % 3)].to_vec())
        .collect();
    fx.raw.execute_all(
        "UPDATE leads SET next_at = ?2 WHERE id = ?1 AND next_at IS NOT NULL",
        &next,
    );
    let created: Vec<Vec<Val>> = leads
        .iter()
        .filter(|id| *id % 5 == 0)
        .map(|&id| vals![id, day(id, 9 + id % 3)].to_vec())
        .collect();
    fx.raw
        .execute_all("UPDATE leads SET created_at = ?2 WHERE id = ?1", &created);
}

/// The counts of one breakdown key, in [`counts`] order.
type Counts = Vec<u64>;

/// The counts by a plain scan of every row, tallied here (the oracle for the index ranges).
fn scan(fx: &Fixture, span: &Span, by: Option<ReportBy>) -> BTreeMap<String, Counts> {
    let (lo, hi) = span.bounds();
    let inside = |t: &str| t >= lo.as_str() && t < hi.as_str();
    let key = |v: &Val| match v {
        Val::Int(n) => n.to_string(),
        v => v.opt_text().unwrap_or_default(),
    };
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    let touches = fx.raw.rows(
        "SELECT a.at, a.kind, a.channel, a.result, a.rep, l.source, l.owner, l.tier
         FROM activities a JOIN leads l ON l.id = a.lead_id",
        &[],
    );
    for t in &touches {
        if !inside(&t[0].text()) || t[1].text() != "touch" {
            continue;
        }
        let (channel, result) = (t[2].text(), t[3].opt_text());
        let k = match by {
            None | Some(ReportBy::Reason) => String::new(),
            Some(ReportBy::Source) => key(&t[5]),
            Some(ReportBy::Rep) => key(&t[4]),
            Some(ReportBy::Tier) => key(&t[7]),
            Some(ReportBy::Result) => result.clone().unwrap_or_else(|| "none".into()),
        };
        let r = result.as_deref();
        let v = out.entry(k).or_insert_with(|| vec![0; 12]);
        let hits = [
            channel == "call",
            channel == "call" && r.is_some_and(|r| r != "unconnected"),
            r == Some("appointment"),
            r == Some("lost"),
            r == Some("out_of_scope"),
            r == Some("recall"),
            channel == "email",
            channel == "linkedin",
            channel == "sms",
            channel == "meeting" || channel == "other",
            true,
        ];
        for (n, hit) in v.iter_mut().zip(hits) {
            *n += u64::from(hit);
        }
    }
    if by != Some(ReportBy::Result) {
        for l in fx
            .raw
            .rows("SELECT created_at, source, owner, tier FROM leads", &[])
        {
            if !inside(&l[0].text()) {
                continue;
            }
            let k = match by {
                None => String::new(),
                Some(ReportBy::Source) => key(&l[1]),
                Some(ReportBy::Rep) => key(&l[2]),
                _ => key(&l[3]),
            };
            out.entry(k).or_insert_with(|| vec![0; 12])[11] += 1;
        }
    }
    out
}

fn counts(m: &metrics::Metrics) -> Counts {
    vec![
        m.calls,
        m.connects,
        m.appointments,
        m.lost,
        m.out_of_scope,
        m.recalls,
        m.emails,
        m.linkedin,
        m.sms,
        m.other_touches,
        m.activities,
        m.leads_created,
    ]
}

/// The reports count index ranges (migration 003) instead of scanning: the counts must equal a
/// plain scan for every breakdown and period.
pub fn index_counts_equal_a_scan_for_every_breakdown_and_period(mut fx: Fixture) {
    spread_out(&mut fx);
    let today = now().with_timezone(&fx.cfg.time_zone).date_naive();
    let mut nonempty = 0;
    for period in [Period::Day, Period::Week, Period::Month] {
        let cur = Span::containing(period, today, fx.cfg.time_zone);
        for span in [cur, cur.previous(), cur.previous().previous()] {
            for by in [
                None,
                Some(ReportBy::Source),
                Some(ReportBy::Rep),
                Some(ReportBy::Tier),
                Some(ReportBy::Result),
            ] {
                let got = metrics::compute(&fx.store, &span, by).unwrap();
                let mut want = scan(&fx, &span, by);
                if by.is_none() {
                    want.entry(String::new()).or_insert_with(|| vec![0; 12]);
                }
                let got_counts: BTreeMap<String, Counts> = got
                    .iter()
                    .map(|(k, m)| (k.clone(), counts(m)))
                    // A key with only judged meetings is not in the scan.
                    .filter(|(_, v)| by.is_none() || v.iter().any(|n| *n > 0))
                    .collect();
                assert_eq!(got_counts, want, "{period:?} {span:?} by {by:?}");
                nonempty += want.values().filter(|v| v[10] > 0).count();
            }
        }
    }
    assert!(nonempty > 20, "the data exercises too little: {nonempty}");
}

/// open, by status, by age, stale.
type Load = (u64, BTreeMap<String, u64>, [u64; 4], u64);

pub fn load_balance_equals_a_scan(mut fx: Fixture) {
    spread_out(&mut fx);
    let b = balance::compute(&fx.store, &fx.cfg, now()).unwrap();
    let t = |d: i64| ts(now() - Duration::days(d));
    let stale_before = t(i64::from(fx.cfg.stale_days));
    let mut want: BTreeMap<String, Load> = BTreeMap::new();
    // (next_at, id) of the stale open leads.
    let mut stale: Vec<(String, i64)> = Vec::new();
    for r in fx.raw.rows(
        "SELECT owner, status, created_at, next_at, id FROM leads
         WHERE status IN ('new', 'approaching', 'scheduling', 'nurturing')",
        &[],
    ) {
        let (owner, status, created) = (r[0].text(), r[1].text(), r[2].text());
        let next = r[3].opt_text();
        let e = want.entry(owner).or_default();
        e.0 += 1;
        *e.1.entry(status).or_default() += 1;
        let bucket = if created > t(2) {
            0
        } else if created > t(8) {
            1
        } else if created > t(31) {
            2
        } else {
            3
        };
        e.2[bucket] += 1;
        if let Some(next) = next.filter(|x| *x < stale_before) {
            e.3 += 1;
            stale.push((next, r[4].int()));
        }
    }
    let got: BTreeMap<String, Load> = b
        .owners
        .iter()
        .map(|o| {
            (
                o.owner.clone(),
                (o.open, o.by_status.clone(), o.by_age, o.stale),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert!(want.len() >= 2, "{want:?}");
    // The stale list: the 20 most overdue open leads, by (due, id).
    stale.sort();
    let ids: Vec<i64> = stale.iter().take(20).map(|(_, id)| *id).collect();
    assert!(ids.len() >= 5, "{ids:?}");
    assert_eq!(b.stale.iter().map(|s| s.lead_id).collect::<Vec<_>>(), ids);
}

/// The dashboard shows the report's numbers on the same database: this week, today, the
/// previous week and its driver, the pace, the daily calls, and appointments by source.
pub fn the_dashboard_shows_the_report_numbers(mut fx: Fixture) {
    let now = at("2026-11-24T15:00:00+09:00");
    fx.cfg = config_with("[targets.week]\nappointments = 5\n");
    kaden::demo::build_sample(&mut fx.store, &fx.cfg, now).unwrap();
    let (s, cfg) = (&fx.store, &fx.cfg);
    let d = dashboard(s, cfg, now).unwrap();
    let at = now.with_timezone(&cfg.time_zone).date_naive();
    let build = |period, compare, by| {
        let o = Options {
            period,
            at,
            compare,
            by,
        };
        report::build(s, cfg, now, &o).unwrap()
    };
    let week = build(Period::Week, true, None);
    let day = build(Period::Day, false, None);
    assert_eq!(d.week, week.metrics);
    assert_eq!(d.today, day.metrics);
    let prev = week.previous.unwrap();
    assert_eq!(d.previous_week, prev.metrics);
    assert_eq!(d.driver, prev.driver);
    assert_eq!(d.pace, week.pace);
    assert!(d.week.calls > 0, "the sample has calls this week");
    // Daily calls over the last 7 days add up to the calls the report gives for those days.
    let last7: u64 = d.daily_calls.iter().rev().take(7).map(|(_, n)| n).sum();
    let results: u64 = d.results_7d.iter().map(|(_, n)| n).sum();
    assert_eq!(last7, results);
    let today_calls = d.daily_calls.last().unwrap().1;
    assert_eq!(today_calls, day.metrics.calls);
    // Appointments by source this month = the report's --by source for the month.
    let month = build(Period::Month, false, Some(ReportBy::Source));
    for (src, n) in &d.month_by_source {
        let m = &month
            .by
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .find(|(k, _)| k == src)
            .unwrap()
            .1;
        assert_eq!(m.appointments, *n, "{src}");
    }
    let total: u64 = d.month_by_source.iter().map(|(_, n)| n).sum();
    assert_eq!(total, month.metrics.appointments);
}
