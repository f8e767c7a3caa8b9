//! The CRMs results go back to ([`CrmTarget`]) and their record ids, as kept on a lead so results
//! can go back to the same record: Salesforce ids (15 or 18 characters) and HubSpot record ids
//! (digits).
//!
//! A Salesforce id is 15 case-sensitive characters; the 18-character form appends a 3-character
//! checksum of the case of the first 15, so it survives tools that ignore case. kaden keeps the
//! 18-character form: a 15-character id from a report and the 18-character one from Data Loader
//! name the same record and compare equal. An 18-character id whose suffix does not match its
//! first 15 characters has been changed on the way (most often its case, by a spreadsheet) and
//! is refused rather than kept wrong.

use std::fmt;

/// The key prefix of Lead ids.
pub const LEAD_PREFIX: &str = "00Q";
/// The key prefix of Contact ids.
pub const CONTACT_PREFIX: &str = "003";
/// The key prefix of User ids (a Task's `OwnerId`).
pub const USER_PREFIX: &str = "005";

/// A CRM that `kaden export results --for` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum CrmTarget {
    Salesforce,
    Hubspot,
}

impl CrmTarget {
    /// The key stored with the target's watermark.
    pub fn key(self) -> &'static str {
        match self {
            CrmTarget::Salesforce => "salesforce",
            CrmTarget::Hubspot => "hubspot",
        }
    }
    /// The CRM's name.
    pub fn name(self) -> &'static str {
        match self {
            CrmTarget::Salesforce => "Salesforce",
            CrmTarget::Hubspot => "HubSpot",
        }
    }
}

/// A Salesforce Lead or Contact id, in its 18-character form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct SalesforceId(String);

/// The checksum alphabet of the 18-character form.
const SUFFIX: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// The 3-character suffix of a 15-character id: per block of 5 characters, one bit per
/// upper-case letter (first character = lowest bit), as a letter of [`SUFFIX`].
fn suffix_of(id15: &[u8]) -> [u8; 3] {
    let mut out = [0u8; 3];
    for (i, block) in id15.chunks(5).enumerate().take(3) {
        let bits = block
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_uppercase())
            .fold(0usize, |n, (j, _)| n | (1 << j));
        out[i] = SUFFIX[bits];
    }
    out
}

impl SalesforceId {
    /// Read a Lead or Contact id as a CRM export writes it. `Ok(None)` for an empty cell.
    pub fn parse(raw: &str) -> Result<Option<SalesforceId>, String> {
        let id = SalesforceId::parse_any(raw)?;
        if let Some(id) = &id
            && !id.is_lead()
            && !id.is_contact()
        {
            return Err(format!(
                "the Salesforce id {} is not a Lead (00Q…) or Contact (003…) id, so no call \
                 can be logged on it (rename the column to import the file without it)",
                crate::domain::text::quoted(raw.trim(), 40)
            ));
        }
        Ok(id)
    }

    /// Read a User id (005…), as a rep's `OwnerId`.
    pub fn parse_user(raw: &str) -> Result<SalesforceId, String> {
        match SalesforceId::parse_any(raw)? {
            Some(id) if id.0.starts_with(USER_PREFIX) => Ok(id),
            Some(_) => Err(format!(
                "{} is not a Salesforce User id (005…)",
                crate::domain::text::quoted(raw.trim(), 40)
            )),
            None => Err("the Salesforce User id is empty".into()),
        }
    }

    /// Any well-formed id, in its 18-character form.
    fn parse_any(raw: &str) -> Result<Option<SalesforceId>, String> {
        let s = raw.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let shown = crate::domain::text::quoted(s, 40);
        if !s.bytes().all(|b| b.is_ascii_alphanumeric()) || !matches!(s.len(), 15 | 18) {
            return Err(format!(
                "the Salesforce id {shown} is not one (15 or 18 letters and digits)"
            ));
        }
        let (id15, given) = s.as_bytes().split_at(15);
        let suffix = suffix_of(id15);
        if !given.is_empty() && !given.eq_ignore_ascii_case(&suffix) {
            return Err(format!(
                "the Salesforce id {shown} does not match its checksum (the last 3 characters \
                 should be {}): its letters' case was probably changed on the way",
                String::from_utf8_lossy(&suffix)
            ));
        }
        Ok(Some(SalesforceId(format!(
            "{}{}",
            String::from_utf8_lossy(id15),
            String::from_utf8_lossy(&suffix)
        ))))
    }

    /// A stored id (already checked when it was imported).
    pub fn stored(s: String) -> SalesforceId {
        SalesforceId(s)
    }

    /// The 18-character id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it names a Lead (only Leads have the `Status` the status file updates).
    pub fn is_lead(&self) -> bool {
        self.0.starts_with(LEAD_PREFIX)
    }

    /// Whether it names a Contact.
    pub fn is_contact(&self) -> bool {
        self.0.starts_with(CONTACT_PREFIX)
    }
}

impl fmt::Display for SalesforceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A HubSpot record id (the contact's "Record ID", `hs_object_id`): 1 to 20 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct HubspotId(String);

impl HubspotId {
    /// Read a record id. `Ok(None)` for an empty cell.
    pub fn parse(raw: &str) -> Result<Option<HubspotId>, String> {
        let s = raw.trim();
        if s.is_empty() {
            return Ok(None);
        }
        // Excel likes to write whole numbers as "101.0".
        let digits = s.strip_suffix(".0").unwrap_or(s);
        if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "the HubSpot record id {} is not one (digits only)",
                crate::domain::text::quoted(s, 40)
            ));
        }
        let trimmed = digits.trim_start_matches('0');
        if trimmed.is_empty() {
            return Err("the HubSpot record id 0 is not one".into());
        }
        Ok(Some(HubspotId(trimmed.to_string())))
    }

    /// A stored id.
    pub fn stored(s: String) -> HubspotId {
        HubspotId(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HubspotId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sf(s: &str) -> Result<Option<String>, String> {
        SalesforceId::parse(s).map(|o| o.map(|i| i.0))
    }

    #[test]
    fn fifteen_characters_gain_their_checksum() {
        // The 15 → 18 example of Salesforce's documentation, on a Lead and a Contact key prefix.
        assert_eq!(suffix_of(b"a0D30000001n7Pi"), *b"EAI");
        assert_eq!(
            sf("00Q5g00000AbCdE").unwrap().as_deref(),
            Some("00Q5g00000AbCdEEAV")
        );
        assert_eq!(
            sf("00300000003T2PG").unwrap().as_deref(),
            Some("00300000003T2PGAA0")
        );
        assert_eq!(sf("  ").unwrap(), None);
    }

    #[test]
    fn an_eighteen_character_id_must_match_its_checksum() {
        assert_eq!(
            sf("00Q5g00000AbCdEEAV").unwrap().as_deref(),
            Some("00Q5g00000AbCdEEAV")
        );
        // The suffix alone may be in any case; it is kept upper case.
        assert_eq!(
            sf("00Q5g00000AbCdEeav").unwrap().as_deref(),
            Some("00Q5g00000AbCdEEAV")
        );
        // A spreadsheet upper-cased the id: the suffix no longer fits.
        let e = sf("00Q5G00000ABCDEEAV").unwrap_err();
        assert!(e.contains("checksum") && e.contains("should be"), "{e}");
        // The same 15 characters as the 15- and 18-character forms are one id.
        assert_eq!(sf("00Q5g00000AbCdE"), sf("00Q5g00000AbCdEEAV"));
    }

    #[test]
    fn shapes_and_objects_are_checked() {
        for bad in [
            "00Q5g00000AbCd",
            "00Q5g00000AbCdEEA",
            "00Q5g00000AbC-E",
            "00Q5g00000AbCdEEAVX",
        ] {
            assert!(sf(bad).unwrap_err().contains("15 or 18"), "{bad}");
        }
        // An Account id (001) takes no calls.
        let e = sf("0015g00000AbCdE").unwrap_err();
        assert!(e.contains("not a Lead (00Q…) or Contact (003…)"), "{e}");
        let lead = SalesforceId::parse("00Q5g00000AbCdE").unwrap().unwrap();
        assert!(lead.is_lead() && !lead.is_contact());
        assert!(SalesforceId::parse_user("0055g00000AbCdE").is_ok());
        assert!(SalesforceId::parse_user("00Q5g00000AbCdE").is_err());
    }

    #[test]
    fn hubspot_ids_are_digits() {
        let hs = |s: &str| HubspotId::parse(s).map(|o| o.map(|i| i.0));
        assert_eq!(hs("201").unwrap().as_deref(), Some("201"));
        assert_eq!(hs(" 0201 ").unwrap().as_deref(), Some("201"));
        assert_eq!(hs("201.0").unwrap().as_deref(), Some("201"));
        assert_eq!(hs("").unwrap(), None);
        assert!(hs("20a1").is_err());
        assert!(hs("0").is_err());
        assert!(hs("123456789012345678901").is_err());
    }
}
