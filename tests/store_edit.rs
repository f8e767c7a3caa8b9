//! `Store::update_lead`: what an edit writes, what it refuses (writing nothing), and the
//! company tier reaching every lead of the company and the queue order.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use kaden::domain::{Role, Tier};
use kaden::store::{LeadEdit, QueueQuery, Store, StoreError};

/// Everything an edit may touch, as text, to compare before and after a refused edit.
fn dump(store: &Store) -> String {
    let mut out = String::new();
    for sql in [
        "SELECT id, company_id, name, title, department, role, phone, mobile, email, owner, time_zone, tier, version, updated_at FROM leads ORDER BY id",
        "SELECT id, name, tier FROM companies ORDER BY id",
        "SELECT name, '', '', '', '', '', '', '', '', '', '', '', '', '' FROM zones ORDER BY name",
    ] {
        let raw = rusqlite::Connection::open(store.path()).unwrap();
        let mut st = raw.prepare(sql).unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let mut line = Vec::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push(format!("{v:?}"));
                }
                Ok(line.join("|"))
            })
            .unwrap();
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

fn queue_ids(store: &Store) -> Vec<i64> {
    let cfg = config();
    store
        .queue(&QueueQuery {
            now: now(),
            cfg: &cfg,
            limit: 50,
            filter: None,
        })
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect()
}

/// Two companies: Acme (tier 3, two leads) and Beta (tier 2, one lead), all due since yesterday.
fn setup() -> (TestDb, Store, [i64; 3]) {
    let db = temp_db();
    let cfg = config();
    let mut store = Store::open(&db.path).unwrap();
    let y = at("2026-11-23T10:00:00+09:00");
    let a1 = add(
        &mut store,
        &cfg,
        &lead("Acme", "Sato", "03-1111-2222", 3, y),
    );
    let a2 = add(&mut store, &cfg, &lead("Acme", "Ito", "03-1111-3333", 3, y));
    let b = add(
        &mut store,
        &cfg,
        &lead("Beta", "Kato", "03-2222-3333", 2, y),
    );
    (db, store, [a1, a2, b])
}

#[test]
fn an_edit_writes_every_field_normalised_and_bumps_the_version() {
    let (_db, mut store, [a1, a2, _]) = setup();
    let before = store.lead(a1).unwrap();
    let mut e = LeadEdit::from_lead(&before);
    e.company = "Acme Holdings".into();
    e.name = "  Sato Hanako\u{7}".into();
    e.title = "CTO".into();
    e.department = "Engineering\u{202e}".into();
    e.role = Some(Role::DecisionMaker);
    e.phone = "０３－９９９９－８８８８".into();
    e.mobile = "090 1234 5678".into();
    e.email = " Hanako.Sato@Example.COM ".into();
    e.time_zone = "America/New_York".into();
    e.owner = "yamada".into();
    let later = at("2026-11-24T11:00:00+09:00");
    let l = store.update_lead(a1, &e, &config(), later).unwrap();
    assert_eq!(l.company, "Acme Holdings");
    assert_eq!(l.name, "Sato Hanako");
    assert_eq!(l.title, "CTO");
    assert!(!l.department.contains('\u{202e}'));
    assert_eq!(l.role, Some(Role::DecisionMaker));
    assert_eq!(l.phone.as_deref(), Some("+81399998888"));
    assert_eq!(l.mobile.as_deref(), Some("+819012345678"));
    assert_eq!(l.email.as_deref(), Some("hanako.sato@example.com"));
    assert_eq!(l.time_zone, "America/New_York");
    assert_eq!(l.owner, "yamada");
    assert_eq!(l.version, before.version + 1);
    assert_eq!(store.lead(a1).unwrap(), l);
    let updated: String = rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row("SELECT updated_at FROM leads WHERE id = ?1", [a1], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(updated, kaden::store::ts(later));
    // The new zone is known to the calling-hours check.
    let zones: i64 = rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row(
            "SELECT count(*) FROM zones WHERE name = 'America/New_York'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(zones, 1);
    // The company row was renamed: the other lead of the company sees it too.
    assert_eq!(store.lead(a2).unwrap().company, "Acme Holdings");
    // Clearing optional fields stores NULL.
    let mut e = LeadEdit::from_lead(&l);
    e.mobile.clear();
    e.email.clear();
    e.role = None;
    let l = store.update_lead(a1, &e, &config(), later).unwrap();
    assert_eq!((l.mobile, l.email, l.role), (None, None, None));
}

#[test]
fn bad_fields_are_refused_with_the_field_named_and_nothing_written() {
    let (_db, mut store, [a1, _, _]) = setup();
    let base = LeadEdit::from_lead(&store.lead(a1).unwrap());
    let before = dump(&store);
    type Change = Box<dyn Fn(&mut LeadEdit)>;
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|e| e.phone = "12".into()),
            "phone: cannot read phone number '12'",
        ),
        (
            Box::new(|e| e.mobile = "call me".into()),
            "mobile: cannot read phone number 'call me'",
        ),
        (
            Box::new(|e| e.email = "sato@@example".into()),
            "email: 'sato@@example' is not an email address",
        ),
        (
            Box::new(|e| e.email = "sato at example.com".into()),
            "email: 'sato at example.com' is not an email address",
        ),
        (
            Box::new(|e| e.time_zone = "Mars/Olympus".into()),
            "time zone: unknown time zone 'Mars/Olympus' (give an IANA name like Asia/Tokyo)",
        ),
        (
            Box::new(|e| e.company = "  ".into()),
            "company: the name cannot be empty",
        ),
    ];
    for (change, want) in cases {
        let mut e = base.clone();
        e.title = "changed too".into();
        e.tier = Tier::T1;
        change(&mut e);
        let err = store.update_lead(a1, &e, &config(), now()).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
        assert_eq!(err.to_string(), want);
        assert_eq!(dump(&store), before, "{want}");
    }
    let err = store
        .update_lead(9999, &base, &config(), now())
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownLead(9999)));
    assert_eq!(dump(&store), before);
}

#[test]
fn tier_change_reaches_every_lead_of_the_company_and_the_queue_order() {
    let (_db, mut store, [a1, a2, b]) = setup();
    // Beta (T2) first, then Acme's two (T3).
    let q = queue_ids(&store);
    assert_eq!(q[0], b);
    assert!(q.iter().position(|i| *i == a1).unwrap() > 0);
    let mut e = LeadEdit::from_lead(&store.lead(a2).unwrap());
    e.tier = Tier::T1;
    let v1 = store.lead(a1).unwrap().version;
    store.update_lead(a2, &e, &config(), now()).unwrap();
    assert_eq!(store.lead(a1).unwrap().tier, Tier::T1);
    assert_eq!(store.lead(a2).unwrap().tier, Tier::T1);
    assert_eq!(store.lead(b).unwrap().tier, Tier::T2);
    // The other lead's contact data and version are its own.
    assert_eq!(store.lead(a1).unwrap().version, v1);
    let tier: i64 = rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row(
            "SELECT c.tier FROM companies c JOIN leads l ON l.company_id = c.id WHERE l.id = ?1",
            [a1],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tier, 1);
    // Acme's leads now come before Beta's.
    let q = queue_ids(&store);
    let pos = |id: i64| q.iter().position(|i| *i == id).unwrap();
    assert!(pos(a1) < pos(b) && pos(a2) < pos(b), "{q:?}");
    assert_eq!(*q.last().unwrap(), b);
}
