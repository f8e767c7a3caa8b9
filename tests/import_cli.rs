//! `kaden import` on real export shapes and on malformed files, through the binary.
#![allow(clippy::unwrap_used)]

mod support;
use support::{Ws, strings};

/// (company, name, phone, mobile, email, status, tier) of every lead, by id.
fn leads(ws: &Ws) -> Vec<Vec<String>> {
    ws.rows(
        "SELECT c.name, l.name, COALESCE(l.phone, ''), COALESCE(l.mobile, ''), COALESCE(l.email, ''),
                l.status, l.tier
         FROM leads l JOIN companies c ON c.id = l.company_id ORDER BY l.id",
    )
}

#[test]
fn salesforce_report_labels() {
    let ws = Ws::for_import();
    let f = ws.fixture("salesforce_report.csv");
    let out = ws.import_ok(&f, &[]);
    assert!(out.contains("4 rows, 3 new, 1 merged, 0 bad"), "{out}");
    assert_eq!(
        leads(&ws),
        vec![
            strings(&[
                "Acme KK",
                "Taro Yamada",
                "+81312345678",
                "+819011112222",
                "taro.yamada@acme.example",
                "new",
                "1"
            ]),
            strings(&[
                "Beta Corp",
                "Hanako Suzuki",
                "+81623456789",
                "",
                "hanako@beta.example",
                "approaching",
                "2"
            ]),
            strings(&[
                "Gamma Inc",
                "Ichiro Tanaka",
                "",
                "+818033334444",
                "",
                "meeting",
                "3"
            ]),
        ]
    );
    let r = ws.rows("SELECT owner, source, title, created_at FROM leads ORDER BY id");
    assert_eq!(
        r[0],
        strings(&["Kenji Sato", "Web", "CTO", "2026-11-20T00:00:00Z"])
    );
    // "11/22/2026" is a US date, midnight in Tokyo.
    assert_eq!(r[2][3], "2026-11-21T15:00:00Z");
    let c = ws.rows("SELECT industry, employees, website FROM companies WHERE name = 'Acme KK'");
    assert_eq!(c[0], strings(&["Software", "1200", "https://acme.example"]));
}

#[test]
fn salesforce_api_names() {
    let ws = Ws::for_import();
    let out = ws.import_ok(&ws.fixture("salesforce_api.csv"), &[]);
    assert!(out.contains("2 new"), "{out}");
    assert_eq!(
        leads(&ws),
        vec![
            strings(&[
                "Delta LLC",
                "Jane Doe",
                "+12125550142",
                "",
                "jane@delta.example",
                "approaching",
                "2"
            ]),
            // No rating: the tier rule (software, ≥ 10 employees) gives tier 2.
            strings(&[
                "Epsilon GmbH",
                "John Smith",
                "+49301234567",
                "",
                "john@epsilon.example",
                "out_of_scope",
                "2"
            ]),
        ]
    );
    // The zone comes from the phone's country when the file has none.
    let z = ws.rows("SELECT time_zone, owner FROM leads ORDER BY id");
    assert_eq!(z[1], strings(&["Europe/Berlin", "005xx0002"]));
}

#[test]
fn hubspot_labels_and_internal_names() {
    let ws = Ws::for_import();
    let out = ws.import_ok(&ws.fixture("hubspot_labels.csv"), &[]);
    assert!(out.contains("4 new, 0 merged"), "{out}");
    let out = ws.import_ok(&ws.fixture("hubspot_internal.csv"), &[]);
    assert!(out.contains("4 new, 0 merged"), "{out}");
    let l = leads(&ws);
    let st: Vec<&str> = l.iter().map(|r| r[5].as_str()).collect();
    assert_eq!(
        st,
        [
            "new",
            "approaching",
            "nurturing",
            "out_of_scope",
            "approaching",
            "approaching",
            "meeting",
            "new"
        ]
    );
    assert_eq!(l[2][4], "yui@eta.example");
    // Software with 250 (and 51–200) employees: tier rule 2; others: the default 3.
    let tiers: Vec<&str> = l.iter().map(|r| r[6].as_str()).collect();
    assert_eq!(tiers, ["2", "3", "3", "3", "2", "3", "3", "3"]);
    let r = ws.rows("SELECT owner, source, title, time_zone FROM leads ORDER BY id LIMIT 1");
    assert_eq!(
        r[0],
        strings(&["Mika Ito", "Organic Search", "Manager", "Asia/Tokyo"])
    );
    let created = ws.rows("SELECT created_at FROM leads WHERE email = 'mei@iota.example'");
    assert_eq!(created[0][0], "2026-11-10T03:00:00Z");
    // Rows without a source get the file stem; without an owner the config's rep.
    let r = ws.rows("SELECT owner, source FROM leads WHERE email = 'sora@lambda.example'");
    assert_eq!(r[0], strings(&["me", "hubspot_internal"]));
}

#[test]
fn japanese_excel_cp932_with_full_width_phones() {
    let ws = Ws::for_import();
    let f = ws.fixture("japanese_cp932.csv");
    // It really is CP932, not UTF-8.
    assert!(std::str::from_utf8(&std::fs::read(&f).unwrap()).is_err());
    let out = ws.import_ok(&f, &["--source", "expo"]);
    assert!(out.contains("4 rows, 3 new, 1 merged, 0 bad"), "{out}");
    assert_eq!(
        leads(&ws),
        vec![
            // The duplicate row (same phone, half-width) filled the empty mobile only.
            strings(&[
                "株式会社サンプル",
                "山田 太郎",
                "+81312345678",
                "+819000001111",
                "yamada@sample.example",
                "new",
                "1"
            ]),
            strings(&[
                "株式会社テスト",
                "佐藤 花子",
                "+81698765432",
                "+819087654321",
                "",
                "approaching",
                "2"
            ]),
            strings(&[
                "合同会社ナンバー",
                "鈴木 一郎",
                "+81451112222",
                "",
                "suzuki@number.example",
                "nurturing",
                "3"
            ]),
        ]
    );
    let r = ws.rows("SELECT department, title, source FROM leads ORDER BY id");
    assert_eq!(r[0], strings(&["営業部", "部長", "展示会"]));
    let e = ws.rows("SELECT employees FROM companies WHERE name = '株式会社サンプル'");
    assert_eq!(e[0][0], "120");
}

#[test]
fn forced_encoding_is_honoured() {
    let ws = Ws::for_import();
    let f = ws.fixture("japanese_cp932.csv");
    let out = ws
        .kaden(&["import", f.to_str().unwrap(), "--encoding", "utf-8"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("japanese_cp932.csv:1: invalid UTF-8"), "{err}");
    ws.import_ok(&f, &["--encoding", "shift_jis"]);
    assert_eq!(ws.lead_count(), 3);
}

#[test]
fn bom_crlf_and_quoted_newlines() {
    let ws = Ws::for_import();
    let out = ws.import_ok(&ws.fixture("bom_crlf_newlines.csv"), &[]);
    assert!(out.contains("3 rows, 3 new"), "{out}");
    let r = ws.rows("SELECT c.name, l.name, l.title, l.status FROM leads l JOIN companies c ON c.id = l.company_id ORDER BY l.id");
    assert_eq!(
        r[0],
        strings(&["Omega, Inc.", "Alex \"Al\" Kim", "Head of Sales", "new"])
    );
    assert_eq!(r[1], strings(&["Sigma KK", "Bea Lee", "", "approaching"]));
}

#[test]
fn second_import_adds_nothing() {
    let ws = Ws::for_import();
    let f = ws.fixture("salesforce_report.csv");
    ws.import_ok(&f, &[]);
    let before = leads(&ws);
    let out = ws.import_ok(&f, &[]);
    assert!(out.contains("0 new, 4 merged"), "{out}");
    assert_eq!(leads(&ws), before);
}

#[test]
fn merge_fills_empty_fields_and_never_touches_status_or_history() {
    let ws = Ws::for_import();
    let first = ws.file(
        "first.csv",
        b"company,name,phone,title,status\nAcme,Taro,03-1234-5678,,new\n",
    );
    ws.import_ok(&first, &[]);
    ws.kaden(&["log", "1", "unconnected"]).assert().success();
    let before = ws.rows("SELECT status, touches, next_at FROM leads");
    let second = ws.file(
        "second.csv",
        "company,name,phone,email,title,status,department\nOther,Jiro,＋８１ ３ １２３４ ５６７８,taro@acme.example,CEO,対象外,営業\n"
            .as_bytes(),
    );
    let out = ws.import_ok(&second, &[]);
    assert!(out.contains("0 new, 1 merged"), "{out}");
    let r = ws.rows("SELECT name, email, title, department FROM leads");
    assert_eq!(r[0], strings(&["Taro", "taro@acme.example", "CEO", "営業"]));
    assert_eq!(
        ws.rows("SELECT status, touches, next_at FROM leads"),
        before
    );
    assert_eq!(ws.count("SELECT COUNT(*) FROM activities"), 1);
}

#[test]
fn dry_run_shows_the_mapping_and_writes_nothing() {
    let ws = Ws::for_import();
    ws.import_ok(&ws.fixture("salesforce_api.csv"), &[]);
    let before = ws.db_bytes();
    let f = ws.fixture("salesforce_report.csv");
    let out = ws.import_ok(&f, &["--dry-run"]);
    assert!(out.contains("Company / Account → company"), "{out}");
    assert!(out.contains("Rating → tier (rating)"), "{out}");
    assert!(out.contains("Ignored columns: Favourite Colour"), "{out}");
    assert!(out.contains("4 rows, 3 new, 1 merged, 0 bad"), "{out}");
    assert_eq!(ws.db_bytes(), before);
    assert_eq!(ws.lead_count(), 2);
}

#[test]
fn escape_sequences_in_names_are_stored_sanitised() {
    let ws = Ws::for_import();
    let f = ws.file(
        "evil.csv",
        "company,name,phone\n\"Acme\u{1b}]0;pwned\u{7}\",\"Eve\u{1b}[2J\u{202E}lin\u{2066}\",03-1111-2222\n".as_bytes(),
    );
    ws.import_ok(&f, &[]);
    let r = ws.rows("SELECT c.name, l.name FROM leads l JOIN companies c ON c.id = l.company_id");
    assert_eq!(r[0], strings(&["Acme]0;pwned", "Eve[2Jlin"]));
    assert!(
        !r[0]
            .iter()
            .any(|s| s.chars().any(kaden::domain::text::is_unsafe_char))
    );
}

/// (file name, bytes, expected "FILE:LINE: reason" fragment).
fn malformed() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let h = "company,name,phone,email,status\n";
    vec![
        ("unclosed.csv", format!("{h}Acme,Taro,03-1234-5678,,new\nBeta,\"Jiro,03-2222-3333,,new\nGamma,Saburo,03-3333-4444,,new\n").into_bytes(), "unclosed.csv:3: unclosed quote"),
        ("fields.csv", format!("{h}Acme,Taro,03-1234-5678,,new\nBeta,Jiro,03-2222-3333\n").into_bytes(), "fields.csv:3: 3 fields, but the header has 5"),
        ("nocontact.csv", format!("{h}Acme,Taro,03-1234-5678,,new\nBeta,Jiro,,,new\n").into_bytes(), "nocontact.csv:3: no phone and no email"),
        ("badphone.csv", format!("{h}Acme,Taro,call reception,,new\n").into_bytes(), "badphone.csv:2: the phone 'call reception' is not a phone number (0 digits)"),
        ("status.csv", format!("{h}Acme,Taro,03-1234-5678,,new\n\"Multi\nline\",Jiro,03-2222-3333,,Banana\n").into_bytes(), "status.csv:3: unknown lead status 'Banana'"),
        ("empty.csv", Vec::new(), "empty.csv:1: empty file"),
        ("binary.csv", vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], "binary.csv:3: binary data"),
        ("header.csv", h.as_bytes().to_vec(), "header.csv:2: no leads: the file has a header row and nothing else"),
        ("headerless.csv", b"Acme,Taro,03-1234-5678\nBeta,Jiro,03-2222-3333\n".to_vec(), "headerless.csv:1: headerless or unrecognised file"),
    ]
}

#[test]
fn malformed_files_are_refused_with_file_line_reason_and_the_db_untouched() {
    let ws = Ws::for_import();
    ws.import_ok(&ws.fixture("hubspot_labels.csv"), &[]);
    for (name, bytes, expected) in malformed() {
        let f = ws.file(name, &bytes);
        let before = ws.db_bytes();
        assert!(!before.is_empty());
        let out = ws.kaden(&["import", f.to_str().unwrap()]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name} was accepted");
        assert!(
            err.contains(&format!("{}", f.display()).replace(name, expected)),
            "{name}: {err}"
        );
        assert_eq!(ws.db_bytes(), before, "{name} changed the database");
        assert!(!ws.path(&format!("{name}.rejects.csv")).exists());
    }
    assert_eq!(ws.lead_count(), 4);
}

#[test]
fn skip_bad_imports_the_good_rows_and_writes_a_reject_file() {
    let ws = Ws::for_import();
    let f = ws.file(
        "mixed.csv",
        b"company,name,phone,email,status\nAcme,Taro,03-1234-5678,,new\nBeta,Jiro,,,new\nGamma,=HYPERLINK(\"x\"),03-3333-4444,,Banana\nDelta,Shiro,,shiro@delta.example,new\n",
    );
    let out = ws.import_ok(&f, &["--skip-bad"]);
    assert!(out.contains("4 rows, 2 new, 0 merged, 2 bad"), "{out}");
    assert_eq!(ws.lead_count(), 2);
    let rejects = std::fs::read(ws.path("mixed.csv.rejects.csv")).unwrap();
    assert!(rejects.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(rejects[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "line,reason,company,name,phone,email,status");
    assert!(lines[1].starts_with("3,no phone and no email"), "{text}");
    assert!(
        lines[2].starts_with("4,\"unknown lead status 'Banana'"),
        "{text}"
    );
    assert!(lines[2].contains(",\"'=HYPERLINK(\"\"x\"\")\","), "{text}");
}

#[test]
fn bad_rows_without_skip_bad_list_every_line() {
    let ws = Ws::for_import();
    let f = ws.file(
        "two.csv",
        b"company,name,phone,email,status\nAcme,Taro,,,new\nBeta,Jiro,03-2222-3333,,new\nGamma,Saburo,,,new\n",
    );
    let out = ws.kaden(&["import", f.to_str().unwrap()]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("two.csv:2: no phone and no email"), "{err}");
    assert!(err.contains("two.csv:4: no phone and no email"), "{err}");
    assert!(err.contains("2 bad rows"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(ws.lead_count(), 0);
}

#[test]
fn unreadable_phone_next_to_an_email_is_kept_with_a_warning() {
    let ws = Ws::for_import();
    let f = ws.file(
        "warn.csv",
        b"company,name,phone,email\nAcme,Taro,03-12,taro@acme.example\n",
    );
    let out = ws.kaden(&["import", f.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warn.csv:2: cannot read phone number '03-12'"),
        "{err}"
    );
    assert_eq!(
        ws.rows("SELECT COALESCE(phone, '-'), email FROM leads")[0],
        strings(&["-", "taro@acme.example"])
    );
}
