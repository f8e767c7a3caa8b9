//! `Store::update_lead`: what an edit writes, what it refuses (writing nothing), and the company
//! tier reaching every lead of the company and the queue order.

use crate::engine::Fixture;
use crate::support::{at, lead, now};
use kaden::domain::{Role, Tier};
use kaden::store::{LeadEdit, StoreError};

/// Everything an edit may touch, as text, to compare before and after a refused edit.
fn dump(fx: &Fixture) -> String {
    let mut out = String::new();
    for sql in [
        "SELECT id, company_id, name, title, department, role, phone, mobile, email, owner, time_zone, tier, version, updated_at FROM leads ORDER BY id",
        "SELECT id, name, tier FROM companies ORDER BY id",
        "SELECT name FROM zones ORDER BY name",
    ] {
        for row in fx.raw.rows(sql, &[]) {
            let line: Vec<String> = row.iter().map(|v| format!("{v:?}")).collect();
            out.push_str(&line.join("|"));
            out.push('\n');
        }
    }
    out
}

/// Two companies: Acme (tier 3, two leads) and Beta (tier 2, one lead), all due since yesterday.
fn two_companies(fx: &mut Fixture) -> [i64; 3] {
    let y = at("2026-11-23T10:00:00+09:00");
    let a1 = fx.add(&lead("Acme", "Sato", "03-1111-2222", 3, y));
    let a2 = fx.add(&lead("Acme", "Ito", "03-1111-3333", 3, y));
    let b = fx.add(&lead("Beta", "Kato", "03-2222-3333", 2, y));
    [a1, a2, b]
}

pub fn an_edit_writes_every_field_normalised_and_bumps_the_version(mut fx: Fixture) {
    let [a1, a2, _] = two_companies(&mut fx);
    let before = fx.store.lead(a1).unwrap();
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
    let l = fx.store.update_lead(a1, &e, &fx.cfg, later).unwrap();
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
    assert_eq!(fx.store.lead(a1).unwrap(), l);
    let updated = fx.one(
        "SELECT updated_at FROM leads WHERE id = ?1",
        crate::vals![a1],
    );
    assert_eq!(updated.text(), kaden::store::ts(later));
    // The new zone is known to the calling-hours check.
    let zones = fx.one(
        "SELECT count(*) FROM zones WHERE name = 'America/New_York'",
        &[],
    );
    assert_eq!(zones.int(), 1);
    // The company row was renamed: the other lead of the company sees it too.
    assert_eq!(fx.store.lead(a2).unwrap().company, "Acme Holdings");
    // Clearing optional fields stores NULL.
    let mut e = LeadEdit::from_lead(&l);
    e.mobile.clear();
    e.email.clear();
    e.role = None;
    let l = fx.store.update_lead(a1, &e, &fx.cfg, later).unwrap();
    assert_eq!((l.mobile, l.email, l.role), (None, None, None));
}

pub fn bad_fields_are_refused_with_the_field_named_and_nothing_written(mut fx: Fixture) {
    let [a1, _, _] = two_companies(&mut fx);
    let base = LeadEdit::from_lead(&fx.store.lead(a1).unwrap());
    let before = dump(&fx);
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
            "time zone: unknown time zone 'Mars/Olympus' (give an IANA name like Asia/Tokyo, or leave it empty to take it from the phone)",
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
        let err = fx.store.update_lead(a1, &e, &fx.cfg, now()).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
        assert_eq!(err.to_string(), want);
        assert_eq!(dump(&fx), before, "{want}");
    }
    let err = fx
        .store
        .update_lead(9999, &base, &fx.cfg, now())
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownLead(9999)));
    assert_eq!(dump(&fx), before);
}

pub fn tier_change_reaches_every_lead_of_the_company_and_the_queue_order(mut fx: Fixture) {
    let [a1, a2, b] = two_companies(&mut fx);
    // Beta (T2) first, then Acme's two (T3).
    let q = fx.queue_ids(now());
    assert_eq!(q[0], b);
    assert!(q.iter().position(|i| *i == a1).unwrap() > 0);
    let mut e = LeadEdit::from_lead(&fx.store.lead(a2).unwrap());
    e.tier = Tier::T1;
    let v1 = fx.store.lead(a1).unwrap().version;
    fx.store.update_lead(a2, &e, &fx.cfg, now()).unwrap();
    assert_eq!(fx.store.lead(a1).unwrap().tier, Tier::T1);
    assert_eq!(fx.store.lead(a2).unwrap().tier, Tier::T1);
    assert_eq!(fx.store.lead(b).unwrap().tier, Tier::T2);
    // The other lead's contact data and version are its own.
    assert_eq!(fx.store.lead(a1).unwrap().version, v1);
    let tier = fx.one(
        "SELECT c.tier FROM companies c JOIN leads l ON l.company_id = c.id WHERE l.id = ?1",
        crate::vals![a1],
    );
    assert_eq!(tier.int(), 1);
    // Acme's leads now come before Beta's.
    let q = fx.queue_ids(now());
    let pos = |id: i64| q.iter().position(|i| *i == id).unwrap();
    assert!(pos(a1) < pos(b) && pos(a2) < pos(b), "{q:?}");
    assert_eq!(*q.last().unwrap(), b);
}
