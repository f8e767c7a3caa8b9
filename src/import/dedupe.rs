//! Dedupe and insert, one row at a time: leads are matched by their CRM record id first
//! (Salesforce, HubSpot), then by E.164 phone/mobile and email, inside the file and against the
//! database, both through the database; a duplicate only fills empty fields (a record id
//! included); new leads go in with one cached statement each.

use super::*;

/// Fill `dst` where it is empty; true when something changed.
pub(super) fn fill(dst: &mut NewLead, src: &NewLead) -> bool {
    fn s(d: &mut String, v: &str) -> bool {
        let ch = d.is_empty() && !v.is_empty();
        if ch {
            *d = v.to_string();
        }
        ch
    }
    fn o<T: Clone>(d: &mut Option<T>, v: &Option<T>) -> bool {
        let ch = d.is_none() && v.is_some();
        if ch {
            d.clone_from(v);
        }
        ch
    }
    // Non-short-circuiting `|`: every field gets its chance.
    s(&mut dst.name, &src.name)
        | s(&mut dst.title, &src.title)
        | s(&mut dst.department, &src.department)
        | o(&mut dst.role, &src.role)
        | o(&mut dst.phone, &src.phone)
        | o(&mut dst.mobile, &src.mobile)
        | o(&mut dst.email, &src.email)
        | s(&mut dst.source, &src.source)
        | s(&mut dst.owner, &src.owner)
        | o(&mut dst.salesforce_id, &src.salesforce_id)
        | o(&mut dst.hubspot_id, &src.hubspot_id)
        | dnc(&mut dst.do_not_call, src.do_not_call)
}

/// Do-not-call is only ever added by a merge, never lifted.
fn dnc(d: &mut bool, v: bool) -> bool {
    let ch = !*d && v;
    *d |= v;
    ch
}

pub(super) fn keys(l: &NewLead) -> impl Iterator<Item = &String> {
    [&l.phone, &l.mobile, &l.email].into_iter().flatten()
}

/// The CRM record ids of a lead as keys (`S`/`H` keep the two CRMs apart; a phone key starts
/// with `+` and an email key has an `@`, so no key of one kind equals one of another).
pub(super) fn id_keys(l: &NewLead) -> impl Iterator<Item = String> {
    let sf = l.salesforce_id.as_ref().map(|i| format!("S{i}"));
    let hs = l.hubspot_id.as_ref().map(|i| format!("H{i}"));
    [sf, hs].into_iter().flatten()
}

/// Dedupes and writes the rows of one file as they stream by; counts new and merged.
///
/// A row is matched, in this order, by a record id of an earlier row of the file, by a record
/// id of a stored lead, by a phone, mobile or email of an earlier row, then by one of a stored
/// lead (every lookup through the database: [`LeadImport::seen`] and the leads' indexes). A
/// new row is written at once; a duplicate fills the empty fields of the lead it matches,
/// written at once too, so a later row sees the keys it added.
#[derive(Default)]
pub(super) struct Dedupe {
    pub new: usize,
    pub merged: usize,
}

impl Dedupe {
    pub(super) fn add(
        &mut self,
        imp: &mut LeadImport<'_>,
        row: &NewLead,
        cfg: &Config,
        now: DateTime<Utc>,
    ) -> Result<(), ImportError> {
        let db_has_leads = imp.has_leads();
        let mut target = None;
        for k in id_keys(row) {
            target = imp.seen(&k)?;
            if target.is_some() {
                break;
            }
        }
        if target.is_none() && db_has_leads {
            target = find_by_record_id(imp, row)?;
        }
        if target.is_none() {
            for k in keys(row) {
                target = imp.seen(k)?;
                if target.is_some() {
                    break;
                }
            }
        }
        if target.is_none() && db_has_leads {
            target = find_in_db(imp, row)?;
        }
        let Some(id) = target else {
            let id = imp.insert(row, cfg)?;
            self.new += 1;
            return remember(imp, row, id);
        };
        self.merged += 1;
        let mut lead = db_lead(imp, id)?;
        if imp.is_new(id) {
            let numbers = (lead.phone.clone(), lead.mobile.clone());
            if fill(&mut lead, row) {
                if numbers != (lead.phone.clone(), lead.mobile.clone()) {
                    // The zone comes from the numbers, unless the file gave one.
                    lead.time_zone = imp.own_zone(id)?;
                } else {
                    lead.time_zone = imp.stored(id)?.time_zone.parse().ok();
                }
                imp.rewrite(id, &lead, cfg)?;
            }
        } else if fill(&mut lead, row) {
            imp.update_fields(id, &lead, now)?;
        }
        remember(imp, &lead, id)
    }
}

/// Remember every key of `lead` (after its fill) as leading to lead `id`.
fn remember(imp: &LeadImport<'_>, lead: &NewLead, id: i64) -> Result<(), ImportError> {
    for k in keys(lead) {
        imp.remember(k, id)?;
    }
    for k in id_keys(lead) {
        imp.remember(&k, id)?;
    }
    Ok(())
}

/// A lead of the database with the same phone, mobile or email (indexed lookups).
pub(super) fn find_in_db(imp: &LeadImport<'_>, row: &NewLead) -> Result<Option<i64>, ImportError> {
    let phones: Vec<&str> = [&row.phone, &row.mobile]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    Ok(imp.find_duplicate(&phones, row.email.as_deref())?)
}

/// A lead of the database with the same Salesforce or HubSpot record id (indexed lookups).
pub(super) fn find_by_record_id(
    imp: &LeadImport<'_>,
    row: &NewLead,
) -> Result<Option<i64>, ImportError> {
    Ok(imp.find_by_record_id(row.salesforce_id.as_ref(), row.hubspot_id.as_ref())?)
}

/// The fillable fields of a stored lead.
pub(super) fn db_lead(imp: &LeadImport<'_>, id: i64) -> Result<NewLead, ImportError> {
    let l = imp.stored(id)?;
    Ok(NewLead {
        company: CompanyInput::default(),
        name: l.name,
        title: l.title,
        department: l.department,
        role: l.role,
        phone: l.phone,
        mobile: l.mobile,
        email: l.email,
        source: l.source,
        owner: l.owner,
        time_zone: None,
        status: l.status,
        created_at: l.created_at,
        salesforce_id: l.salesforce_id,
        hubspot_id: l.hubspot_id,
        do_not_call: l.do_not_call,
    })
}
