//! Column headers → lead fields, with no mapping step: Salesforce (report labels and API
//! names), HubSpot (export labels and internal names), Japanese Excel sheets and kaden's own
//! export. Matching ignores case and surrounding spaces.

use std::fmt;

/// A lead field an import column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    FirstName,
    LastName,
    FullName,
    Company,
    Title,
    Department,
    Role,
    Phone,
    Mobile,
    Email,
    Source,
    Status,
    Industry,
    Employees,
    Website,
    Tier,
    /// Salesforce "Rating" (Hot/Warm/Cold): a tier when there is no tier column.
    Rating,
    Owner,
    TimeZone,
    CreatedAt,
    /// The Salesforce Lead or Contact id (kept for the round trip back to Salesforce).
    SalesforceId,
    /// The HubSpot contact's record id (kept for the round trip back to HubSpot).
    HubspotId,
    /// Salesforce `DoNotCall`, HubSpot's "Do not call": never offered.
    DoNotCall,
}

impl Field {
    /// The field's name as `--dry-run` shows it.
    pub fn name(self) -> &'static str {
        match self {
            Field::FirstName => "first name",
            Field::LastName => "last name",
            Field::FullName => "name",
            Field::Company => "company",
            Field::Title => "title",
            Field::Department => "department",
            Field::Role => "role",
            Field::Phone => "phone",
            Field::Mobile => "mobile",
            Field::Email => "email",
            Field::Source => "source",
            Field::Status => "status",
            Field::Industry => "industry",
            Field::Employees => "employees",
            Field::Website => "website",
            Field::Tier => "tier",
            Field::Rating => "tier (rating)",
            Field::Owner => "owner",
            Field::TimeZone => "time zone",
            Field::CreatedAt => "created at",
            Field::SalesforceId => "Salesforce id",
            Field::HubspotId => "HubSpot record id",
            Field::DoNotCall => "do not call",
        }
    }

    /// Whether this column identifies a lead (a file without any is headerless or unknown).
    pub fn identifies(self) -> bool {
        matches!(
            self,
            Field::FirstName
                | Field::LastName
                | Field::FullName
                | Field::Company
                | Field::Phone
                | Field::Mobile
                | Field::Email
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Known headers, already normalised (lower case, single spaces). First match wins.
const TABLE: &[(&str, Field)] = &[
    // kaden's own export (round trip) and plain English.
    ("name", Field::FullName),
    ("full name", Field::FullName),
    ("contact", Field::FullName),
    ("contact name", Field::FullName),
    ("company", Field::Company),
    ("title", Field::Title),
    ("role", Field::Role),
    ("phone", Field::Phone),
    ("mobile", Field::Mobile),
    ("email", Field::Email),
    ("e-mail", Field::Email),
    ("source", Field::Source),
    ("tier", Field::Tier),
    ("status", Field::Status),
    ("owner", Field::Owner),
    ("time_zone", Field::TimeZone),
    ("time zone", Field::TimeZone),
    ("timezone", Field::TimeZone),
    ("created_at", Field::CreatedAt),
    ("department", Field::Department),
    ("industry", Field::Industry),
    ("employees", Field::Employees),
    ("website", Field::Website),
    // Salesforce Lead report labels.
    ("lead owner", Field::Owner),
    ("first name", Field::FirstName),
    ("last name", Field::LastName),
    ("company / account", Field::Company),
    ("account name", Field::Company),
    ("mobile phone", Field::Mobile),
    ("lead source", Field::Source),
    ("lead status", Field::Status),
    ("rating", Field::Rating),
    ("do not call", Field::DoNotCall),
    ("donotcall", Field::DoNotCall),
    ("do_not_call", Field::DoNotCall),
    ("hs_do_not_call", Field::DoNotCall),
    ("dnc", Field::DoNotCall),
    ("架電禁止", Field::DoNotCall),
    ("電話不可", Field::DoNotCall),
    ("no. of employees", Field::Employees),
    ("number of employees", Field::Employees),
    ("create date", Field::CreatedAt),
    ("created date", Field::CreatedAt),
    // Salesforce API names.
    ("firstname", Field::FirstName),
    ("lastname", Field::LastName),
    ("mobilephone", Field::Mobile),
    ("leadsource", Field::Source),
    ("numberofemployees", Field::Employees),
    ("ownerid", Field::Owner),
    ("owner.name", Field::Owner),
    ("createddate", Field::CreatedAt),
    // HubSpot contact export labels.
    ("email address", Field::Email),
    ("phone number", Field::Phone),
    ("mobile phone number", Field::Mobile),
    ("company name", Field::Company),
    ("associated company", Field::Company),
    ("job title", Field::Title),
    ("contact owner", Field::Owner),
    ("original source", Field::Source),
    ("website url", Field::Website),
    // HubSpot internal names.
    ("jobtitle", Field::Title),
    ("hs_lead_status", Field::Status),
    ("numemployees", Field::Employees),
    ("hubspot_owner_id", Field::Owner),
    ("hs_analytics_source", Field::Source),
    ("createdate", Field::CreatedAt),
    ("hs_timezone", Field::TimeZone),
    // Japanese sheets.
    ("会社名", Field::Company),
    ("企業名", Field::Company),
    ("社名", Field::Company),
    ("法人名", Field::Company),
    ("会社", Field::Company),
    ("氏名", Field::FullName),
    ("名前", Field::FullName),
    ("お名前", Field::FullName),
    ("担当者名", Field::FullName),
    ("姓", Field::LastName),
    ("名", Field::FirstName),
    ("部署", Field::Department),
    ("部署名", Field::Department),
    ("部門", Field::Department),
    ("役職", Field::Title),
    ("肩書", Field::Title),
    ("役割", Field::Role),
    ("電話番号", Field::Phone),
    ("電話", Field::Phone),
    ("tel", Field::Phone),
    ("代表電話", Field::Phone),
    ("代表電話番号", Field::Phone),
    ("携帯電話", Field::Mobile),
    ("携帯電話番号", Field::Mobile),
    ("携帯", Field::Mobile),
    ("携帯番号", Field::Mobile),
    ("メールアドレス", Field::Email),
    ("メール", Field::Email),
    ("eメール", Field::Email),
    ("業種", Field::Industry),
    ("業界", Field::Industry),
    ("従業員数", Field::Employees),
    ("社員数", Field::Employees),
    ("リードソース", Field::Source),
    ("流入経路", Field::Source),
    ("獲得経路", Field::Source),
    ("ティア", Field::Tier),
    ("ランク", Field::Tier),
    ("ステータス", Field::Status),
    ("リードステータス", Field::Status),
    ("営業担当", Field::Owner),
    ("営業担当者", Field::Owner),
    ("所有者", Field::Owner),
    ("リード所有者", Field::Owner),
    ("作成日", Field::CreatedAt),
    ("作成日時", Field::CreatedAt),
    ("登録日", Field::CreatedAt),
    ("登録日時", Field::CreatedAt),
    ("タイムゾーン", Field::TimeZone),
    ("ウェブサイト", Field::Website),
    ("ホームページ", Field::Website),
    ("url", Field::Website),
    // CRM record ids, kept for the round trip (`kaden export results`). Salesforce: the API name
    // (`Id`, see `Mapping::new` for kaden's own `id`), report labels, Japanese report labels.
    ("id", Field::SalesforceId),
    ("lead id", Field::SalesforceId),
    ("contact id", Field::SalesforceId),
    ("リード id", Field::SalesforceId),
    ("リードid", Field::SalesforceId),
    ("取引先責任者 id", Field::SalesforceId),
    ("取引先責任者id", Field::SalesforceId),
    // HubSpot: the export label, the internal name, the Japanese label.
    ("record id", Field::HubspotId),
    ("hs_object_id", Field::HubspotId),
    ("レコード id", Field::HubspotId),
    ("レコードid", Field::HubspotId),
];

/// A column of kaden's own lead export, by which its `id` column (kaden's lead id, meaningless
/// in another database) is told from Salesforce's `Id`.
const KADEN_EXPORT_MARK: &str = "next_action_at";

/// A header as compared: NFKC (full-width letters), trimmed, lower case, inner whitespace
/// collapsed to one space.
pub fn normalize_header(h: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let h: String = h.trim_start_matches('\u{FEFF}').nfkc().collect();
    h.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The field a header names, if known.
pub fn field_for(header: &str) -> Option<Field> {
    let n = normalize_header(header);
    TABLE.iter().find(|(h, _)| *h == n).map(|(_, f)| *f)
}

/// How a file's columns map: per column, the field it fills (or `None`: ignored).
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub headers: Vec<String>,
    pub fields: Vec<Option<Field>>,
}

impl Mapping {
    /// Map a header row. A field named by two columns is taken from the first.
    pub fn new(headers: &[String]) -> Mapping {
        let own_export = headers
            .iter()
            .any(|h| normalize_header(h) == KADEN_EXPORT_MARK);
        let mut fields: Vec<Option<Field>> = Vec::with_capacity(headers.len());
        for h in headers {
            let f = field_for(h)
                .filter(|f| !fields.contains(&Some(*f)))
                .filter(|_| !(own_export && normalize_header(h) == "id"));
            fields.push(f);
        }
        Mapping {
            headers: headers.to_vec(),
            fields,
        }
    }

    /// The column index holding `f`.
    pub fn column(&self, f: Field) -> Option<usize> {
        self.fields.iter().position(|x| *x == Some(f))
    }

    /// Whether any column identifies a lead.
    pub fn recognised(&self) -> bool {
        self.fields.iter().flatten().any(|f| f.identifies())
    }

    /// Headers of the columns that are not imported.
    pub fn ignored(&self) -> Vec<String> {
        self.headers
            .iter()
            .zip(&self.fields)
            .filter(|(_, f)| f.is_none())
            .map(|(h, _)| crate::domain::text::sanitize_line(h))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_spaces_do_not_matter() {
        assert_eq!(field_for("  Company / Account "), Some(Field::Company));
        assert_eq!(field_for("MOBILEPHONE"), Some(Field::Mobile));
        assert_eq!(field_for("\u{FEFF}First  Name"), Some(Field::FirstName));
        assert_eq!(field_for(" 電話番号 "), Some(Field::Phone));
        assert_eq!(field_for("ＴＥＬ"), Some(Field::Phone));
        assert_eq!(field_for("Favourite colour"), None);
    }

    #[test]
    fn first_column_of_a_field_wins() {
        let m = Mapping::new(&[
            "Company Name".into(),
            "Associated Company".into(),
            "Email".into(),
        ]);
        assert_eq!(
            m.fields,
            vec![Some(Field::Company), None, Some(Field::Email)]
        );
        assert_eq!(m.ignored(), vec!["Associated Company".to_string()]);
        assert!(m.recognised());
        assert!(!Mapping::new(&["a".into(), "b".into()]).recognised());
    }

    #[test]
    fn crm_record_ids_are_recognised() {
        for h in ["Id", "Lead ID", "Contact ID", "リード ID", "取引先責任者ID"] {
            assert_eq!(field_for(h), Some(Field::SalesforceId), "{h}");
        }
        for h in ["Record ID", "hs_object_id", "レコードID"] {
            assert_eq!(field_for(h), Some(Field::HubspotId), "{h}");
        }
        // kaden's own export: its `id` is kaden's lead id, not a Salesforce one.
        let own = Mapping::new(&["id".into(), "phone".into(), "next_action_at".into()]);
        assert_eq!(own.fields[0], None);
        let sf = Mapping::new(&["Id".into(), "Phone".into()]);
        assert_eq!(sf.fields[0], Some(Field::SalesforceId));
    }
}
