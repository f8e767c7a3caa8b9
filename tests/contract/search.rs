//! Search finds any lead (issue 12 "Finding any lead", issue 13 point 1): every status, by
//! company, contact, email and phone in any format, Japanese by substring (2 characters and
//! more, 1 too), newest first, bounded by the limit; edits and renames are found at once; each
//! hit says whether it is in today's queue and why not.

use crate::engine::Fixture;
use crate::support::{lead, now};
use chrono::Duration;
use kaden::domain::{CallResult, LeadStatus};
use kaden::store::{LeadEdit, NextChoice, ResultInput, SearchHit, Standing};

fn ids(hits: &[SearchHit]) -> Vec<i64> {
    hits.iter().map(|h| h.id).collect()
}

fn find(fx: &Fixture, q: &str) -> Vec<i64> {
    let mut v = ids(&fx.store.search(q, 50).unwrap());
    v.sort_unstable();
    v
}

fn record(fx: &mut Fixture, id: i64, r: CallResult, reason: Option<&str>, next: NextChoice) {
    let mut i = ResultInput::new(id, r, "me");
    i.reason = reason.map(Into::into);
    i.next = next;
    fx.store.record_result(&i, &fx.cfg, now()).unwrap();
}

pub fn every_status_is_found_with_where_it_stands(mut fx: Fixture) {
    let day = now() - Duration::days(1);
    let add = |fx: &mut Fixture, company: &str, phone: &str| {
        let mut l = lead(company, "山田 太郎", phone, 1, day);
        l.email = Some(format!("{}@example.jp", phone.replace('-', "")));
        fx.add(&l)
    };
    let queued = add(&mut fx, "検索テスト 新規", "03-1000-0001");
    let later = add(&mut fx, "検索テスト 再架電", "03-1000-0002");
    let nurturing = add(&mut fx, "検索テスト 育成", "03-1000-0003");
    let meeting = add(&mut fx, "検索テスト 商談", "03-1000-0004");
    let closed = add(&mut fx, "検索テスト 対象外", "03-1000-0005");
    let pending = add(&mut fx, "検索テスト 保留", "03-1000-0006");
    let dnc = add(&mut fx, "検索テスト 禁止", "03-1000-0007");
    let parked = add(&mut fx, "検索テスト 育成なし", "03-1000-0008");
    let at = |due| NextChoice::At {
        due,
        channel: kaden::domain::Channel::Call,
        owner: None,
        note: None,
    };
    record(
        &mut fx,
        later,
        CallResult::Unconnected,
        None,
        at(now() + Duration::hours(3)),
    );
    record(
        &mut fx,
        nurturing,
        CallResult::Lost,
        Some("timing"),
        NextChoice::Cadence,
    );
    let mut a = ResultInput::new(meeting, CallResult::Appointment, "me");
    a.meeting_at = Some(now() + Duration::days(2));
    fx.store.record_result(&a, &fx.cfg, now()).unwrap();
    record(
        &mut fx,
        closed,
        CallResult::OutOfScope,
        Some("left_company"),
        NextChoice::Cadence,
    );
    for k in 0..6 {
        let mut i = ResultInput::new(pending, CallResult::Unconnected, "me");
        i.next = if k < 5 {
            at(now() - Duration::minutes(10 - k))
        } else {
            NextChoice::Cadence
        };
        fx.store
            .record_result(&i, &fx.cfg, now() - Duration::minutes(11 - k))
            .unwrap();
    }
    fx.store
        .set_do_not_call(dnc, true, Some("asked"), now())
        .unwrap();
    record(
        &mut fx,
        parked,
        CallResult::Lost,
        Some("no_need"),
        NextChoice::None,
    );
    assert_eq!(fx.store.lead(pending).unwrap().status, LeadStatus::Pending);

    let all = vec![
        queued, later, nurturing, meeting, closed, pending, dnc, parked,
    ];
    assert_eq!(find(&fx, "検索テスト"), all);
    assert_eq!(find(&fx, "山田"), all, "two characters");
    assert_eq!(find(&fx, "山田 太郎"), all);
    // newest first, cut at the limit
    assert_eq!(
        ids(&fx.store.search("検索テスト", 3).unwrap()),
        vec![parked, dnc, pending]
    );

    let hits = fx.store.search("検索テスト", 50).unwrap();
    let stand = |id: i64| {
        hits.iter()
            .find(|h| h.id == id)
            .unwrap()
            .standing(&fx.cfg, now(), Some("me"), None)
    };
    assert_eq!(stand(queued), Standing::InQueue);
    assert_eq!(stand(later), Standing::NotDue(now() + Duration::hours(3)));
    assert!(matches!(stand(nurturing), Standing::NotDue(_)));
    assert_eq!(stand(meeting), Standing::Closed(LeadStatus::Meeting));
    assert_eq!(stand(closed), Standing::Closed(LeadStatus::OutOfScope));
    assert_eq!(stand(pending), Standing::Closed(LeadStatus::Pending));
    assert_eq!(stand(dnc), Standing::DoNotCall);
    assert_eq!(stand(parked), Standing::NoNextAction);
    // the queue agrees: only the one said to be in it is there
    let queue: Vec<i64> = fx.queue(now(), None).iter().map(|r| r.id).collect();
    assert_eq!(queue, vec![queued]);
    // at 20:00 Tokyo time the due one is outside calling hours
    let night = now() + Duration::hours(10);
    let h = hits.iter().find(|h| h.id == queued).unwrap();
    assert_eq!(
        h.standing(&fx.cfg, night, Some("me"), None),
        Standing::OutsideHours
    );
    // another rep's queue leaves out "me"'s lead
    assert_eq!(
        h.standing(&fx.cfg, now(), Some("sato"), Some("sato")),
        Standing::OtherRep("me".into())
    );
}

pub fn a_phone_in_any_format_finds_the_lead(mut fx: Fixture) {
    let day = now() - Duration::days(1);
    let a = fx.add(&lead("電話 株式会社", "佐藤", "03-4567-8801", 1, day));
    let mut m = lead("Mobile Ltd", "Ann", "03-9999-0000", 1, day);
    m.mobile = kaden::domain::phone::normalize("090-1234-5678", "JP").unwrap();
    let b = fx.add(&m);
    fx.add(&lead("Other", "Bob", "06-1111-2222", 1, day));
    for q in [
        "03-4567-8801",
        "+81345678801",
        "0345678801",
        "+81 3 4567 8801",
        "(03) 4567-8801",
        "０３－４５６７－８８０１",
        "4567-8801",
        "8801",
    ] {
        assert_eq!(find(&fx, q), vec![a], "{q}");
    }
    for q in ["090-1234-5678", "+819012345678", "09012345678"] {
        assert_eq!(find(&fx, q), vec![b], "mobile {q}");
    }
    assert_eq!(find(&fx, "07-0000-0000"), Vec::<i64>::new());
}

pub fn company_name_and_email_by_substring_any_case(mut fx: Fixture) {
    let day = now() - Duration::days(1);
    let mut l = lead("Acme Trading 100%", "Emily Carter", "03-1111-0001", 1, day);
    l.email = Some("emily.carter@acme.example".into());
    let a = fx.add(&l);
    let b = fx.add(&lead(
        "株式会社サクラテック",
        "林 誠",
        "03-1111-0002",
        1,
        day,
    ));
    let c = fx.add(&lead("青葉会計事務所", "田中 陽子", "03-1111-0003", 1, day));
    assert_eq!(find(&fx, "acme"), vec![a]);
    assert_eq!(find(&fx, "ACME TRA"), vec![a]);
    assert_eq!(find(&fx, "carter@"), vec![a]);
    assert_eq!(
        find(&fx, "100%"),
        vec![a],
        "% is a character, not a wildcard"
    );
    assert_eq!(find(&fx, "1_0"), Vec::<i64>::new(), "_ is a character too");
    assert_eq!(find(&fx, "サクラ"), vec![b], "3 characters");
    assert_eq!(find(&fx, "テック"), vec![b]);
    assert_eq!(find(&fx, "林"), vec![b], "1 character");
    assert_eq!(find(&fx, "会計"), vec![c], "2 characters inside a name");
    assert_eq!(
        find(&fx, "陽子"),
        vec![c],
        "2 characters at the end of a field"
    );
    assert_eq!(find(&fx, "em"), vec![a]);
    assert_eq!(find(&fx, "存在しない"), Vec::<i64>::new());
    assert_eq!(find(&fx, "  "), Vec::<i64>::new());
    assert_eq!(fx.store.search("acme", 0).unwrap(), vec![]);
}

pub fn edits_and_company_renames_are_found_at_once(mut fx: Fixture) {
    let day = now() - Duration::days(1);
    let id = fx.add(&lead("旧社名商事", "鈴木 一郎", "03-2222-0001", 2, day));
    let other = fx.add(&lead("旧社名商事", "高橋 花子", "03-2222-0002", 2, day));
    assert_eq!(find(&fx, "旧社名"), vec![id, other]);
    let l = fx.store.lead(id).unwrap();
    let mut e = LeadEdit::from_lead(&l);
    e.company = "新社名ホールディングス".into();
    e.name = "鈴木 次郎".into();
    e.phone = "06-7777-8888".into();
    e.email = "jiro@new.example".into();
    fx.store.update_lead(id, &e, &fx.cfg, now()).unwrap();
    assert_eq!(
        find(&fx, "旧社名"),
        Vec::<i64>::new(),
        "the company was renamed"
    );
    assert_eq!(find(&fx, "新社名"), vec![id, other], "both its leads");
    assert_eq!(find(&fx, "一郎"), Vec::<i64>::new());
    assert_eq!(find(&fx, "次郎"), vec![id]);
    assert_eq!(find(&fx, "06-7777-8888"), vec![id]);
    assert_eq!(find(&fx, "03-2222-0001"), Vec::<i64>::new());
    assert_eq!(find(&fx, "jiro@new"), vec![id]);
}

pub fn hostile_text_is_found_and_given_back_as_stored(mut fx: Fixture) {
    let day = now() - Duration::days(1);
    let id = fx.add(&lead(
        "Evil\u{1b}[2J Corp",
        "x\u{202e}y",
        "03-3333-0001",
        3,
        day,
    ));
    let hits = fx.store.search("evil", 50).unwrap();
    assert_eq!(ids(&hits), vec![id]);
    // the store keeps what it was given; every screen sanitises it (see tests/tui_search.rs)
    assert!(hits[0].company.starts_with("Evil"));
    for q in ["\"", "'", "\"\" OR", "%", "_", "\\", "*", "NEAR(", "a\"b"] {
        assert!(fx.store.search(q, 50).is_ok(), "{q:?}");
    }
}
