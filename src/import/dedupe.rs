//! Dedupe and insert: leads are matched by their CRM record id first (Salesforce, HubSpot), then
//! by E.164 phone/mobile and email, inside the file and against the database; a duplicate only
//! fills empty fields (a record id included); new leads go in with one cached statement each.

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

/// The CRM record ids of a lead as keys of one map (`S`/`H` keep the two CRMs apart).
pub(super) fn id_keys(l: &NewLead) -> impl Iterator<Item = String> {
    let sf = l.salesforce_id.as_ref().map(|i| format!("S{i}"));
    let hs = l.hubspot_id.as_ref().map(|i| format!("H{i}"));
    [sf, hs].into_iter().flatten()
}

/// A lead already in the database that rows of this file merge into.
pub(super) struct Existing {
    lead: NewLead,
    changed: bool,
}

#[derive(Clone, Copy)]
pub(super) enum Target {
    New(usize),
    Db(i64),
}

/// Dedupe `rows` and (unless the import is a dry run) insert them; returns (new, merged).
pub(super) fn merge_and_insert(
    imp: &mut LeadImport<'_>,
    rows: Vec<NewLead>,
    cfg: &Config,
    now: DateTime<Utc>,
    write: bool,
    progress: bool,
) -> Result<(usize, usize), ImportError> {
    let db_has_leads = imp.has_leads();
    let mut seen: HashMap<String, Target> = HashMap::with_capacity(rows.len() * 2);
    // CRM record ids: a row with one matches by it before any phone or email.
    let mut seen_ids: HashMap<String, Target> = HashMap::new();
    // Leads stay where they are in `rows` (no second copy of a 100,000-row file in memory);
    // `is_new[j]` marks the ones to insert.
    let mut rows = rows;
    let mut is_new = vec![false; rows.len()];
    let mut new = 0usize;
    let mut existing: HashMap<i64, Existing> = HashMap::new();
    let mut merged = 0usize;
    for j in 0..rows.len() {
        let mut target = id_keys(&rows[j]).find_map(|k| seen_ids.get(&k).copied());
        if target.is_none() && db_has_leads {
            target = find_by_record_id(imp, &rows[j])?.map(Target::Db);
        }
        if target.is_none() {
            target = keys(&rows[j]).find_map(|k| seen.get(k).copied());
        }
        if target.is_none() && db_has_leads {
            target = find_in_db(imp, &rows[j])?.map(Target::Db);
        }
        let lead = match target {
            None => {
                is_new[j] = true;
                new += 1;
                target = Some(Target::New(j));
                rows.get(j)
            }
            Some(Target::New(i)) => {
                merged += 1;
                let row = rows[j].clone();
                fill(&mut rows[i], &row);
                rows.get(i)
            }
            Some(Target::Db(id)) => {
                merged += 1;
                let e = match existing.entry(id) {
                    std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                    std::collections::hash_map::Entry::Vacant(v) => v.insert(Existing {
                        lead: db_lead(imp, id)?,
                        changed: false,
                    }),
                };
                e.changed |= fill(&mut e.lead, &rows[j]);
                Some(&e.lead)
            }
        };
        if let (Some(lead), Some(t)) = (lead, target) {
            for k in keys(lead) {
                seen.entry(k.clone()).or_insert(t);
            }
            for k in id_keys(lead) {
                seen_ids.entry(k).or_insert(t);
            }
        }
    }
    drop(seen);
    drop(seen_ids);
    if !write {
        return Ok((new, merged));
    }
    deal_to_reps(imp, &mut rows, &is_new, cfg)?;
    let show = progress && new >= 5_000;
    let fresh = rows
        .iter()
        .zip(&is_new)
        .filter(|(_, n)| **n)
        .map(|(l, _)| l);
    imp.insert_all(fresh, new, cfg, &mut |i| {
        if show {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\rkaden: importing {i}/{new}…");
            let _ = err.flush();
        }
    })?;
    if show {
        let _ = write!(std::io::stderr(), "\r\x1b[2K");
    }
    for (id, e) in existing.iter().filter(|(_, e)| e.changed) {
        imp.update_fields(*id, &e.lead, now)?;
    }
    Ok((new, merged))
}

/// By task with `[team] reps`: the new leads without an owner are dealt to the reps
/// round-robin, the turn carried over from the last import.
fn deal_to_reps(
    imp: &LeadImport<'_>,
    rows: &mut [NewLead],
    is_new: &[bool],
    cfg: &Config,
) -> Result<(), ImportError> {
    if cfg.assignment != crate::domain::assignment::Assignment::Task || cfg.team_reps.is_empty() {
        return Ok(());
    }
    let pool: Vec<usize> = (0..rows.len())
        .filter(|&j| is_new[j] && rows[j].owner.trim().is_empty())
        .collect();
    if pool.is_empty() {
        return Ok(());
    }
    let (owners, next) =
        crate::domain::assignment::deal(&cfg.team_reps, imp.deal_turn()?, pool.len());
    for (j, owner) in pool.into_iter().zip(owners) {
        rows[j].owner = owner.to_string();
    }
    imp.set_deal_turn(next)?;
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
