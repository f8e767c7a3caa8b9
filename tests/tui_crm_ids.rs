//! The detail pane shows the CRM record ids a lead came in with (Salesforce, HubSpot), in both
//! languages and at 80 and 120 columns.
#![allow(clippy::unwrap_used)]

mod tui_support;
use kaden::domain::crm::{HubspotId, SalesforceId};
use kaden::i18n::Lang;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

fn with_crm_lead(lang: Lang) -> Env {
    env_with(config(""), lang, now(), |store| {
        let mut l = kaden::store::NewLead {
            company: kaden::store::CompanyInput {
                name: "Roundtrip KK".into(),
                ..Default::default()
            },
            name: "Sato Jun".into(),
            title: String::new(),
            department: String::new(),
            role: None,
            phone: Some("+81355550199".into()),
            mobile: None,
            email: Some("jun@roundtrip.example".into()),
            source: "crm".into(),
            owner: "me".into(),
            time_zone: None,
            status: kaden::domain::LeadStatus::New,
            created_at: now(),
            salesforce_id: SalesforceId::parse("00Q5g00000Xy1Ab").unwrap(),
            hubspot_id: HubspotId::parse("201").unwrap(),
            do_not_call: false,
        };
        l.company.tier = kaden::domain::Tier::new(1);
        store.insert_lead(&l, &config("")).unwrap();
    })
}

fn select(env: &mut Env) {
    key(&mut env.app, KeyCode::Char('/'));
    typed(&mut env.app, "Roundtrip");
    key(&mut env.app, KeyCode::Enter);
}

#[test]
fn the_detail_pane_shows_the_crm_ids() {
    let mut env = with_crm_lead(Lang::En);
    select(&mut env);
    let s = screen(&env.app, 120, 40);
    assert!(
        s.contains("CRM    Salesforce 00Q5g00000Xy1AbEAJ · HubSpot 201"),
        "{s}"
    );
    let s = screen(&env.app, 80, 24);
    assert!(s.contains("Salesforce 00Q5g00000Xy1AbEAJ"), "{s}");
    let mut ja = with_crm_lead(Lang::Ja);
    select(&mut ja);
    let s = screen(&ja.app, 120, 40);
    assert!(
        s.contains("Salesforce 00Q5g00000Xy1AbEAJ · HubSpot 201"),
        "{s}"
    );
}

#[test]
fn a_lead_without_crm_ids_has_no_crm_line() {
    let env = env(Lang::En);
    let s = screen(&env.app, 120, 40);
    assert!(!s.contains("CRM "), "{s}");
}
