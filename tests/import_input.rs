//! `kaden import` on odd input, through the binary: encodings detected (or refused naming
//! `--encoding`), editor line numbers for every line ending, special files and size limits,
//! values that look wrong, invisible characters.
#![allow(clippy::unwrap_used)]

mod support;
use support::{Ws, strings};

fn names(ws: &Ws) -> Vec<Vec<String>> {
    ws.rows(
        "SELECT c.name, l.name FROM leads l JOIN companies c ON c.id = l.company_id ORDER BY l.id",
    )
}

fn encode(e: &'static encoding_rs::Encoding, s: &str) -> Vec<u8> {
    let (b, _, unmappable) = e.encode(s);
    assert!(!unmappable);
    b.into_owned()
}

fn utf16(s: &str, le: bool) -> Vec<u8> {
    let mut out = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in s.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn windows_1252_is_detected_not_read_as_katakana() {
    let ws = Ws::for_import();
    let f = ws.file(
        "de.csv",
        &encode(
            encoding_rs::WINDOWS_1252,
            "company,name,phone\r\nBÄCKER MÜNCHEN,Jürgen Müller,+49 30 1234567\r\n",
        ),
    );
    let out = ws.import_ok(&f, &[]);
    assert!(
        out.contains("1 new") && out.contains("Windows-1252"),
        "{out}"
    );
    assert_eq!(
        names(&ws),
        vec![strings(&["BÄCKER MÜNCHEN", "Jürgen Müller"])]
    );
}

#[test]
fn utf16_with_a_bom_and_euc_jp_are_imported() {
    let ws = Ws::for_import();
    let text = "会社名,氏名,電話番号\r\n株式会社サンプル,山田 太郎,03-1234-5678\r\n";
    let out = ws.import_ok(&ws.file("le.csv", &utf16(text, true)), &[]);
    assert!(out.contains("1 new") && out.contains("UTF-16LE"), "{out}");
    let be = "company,name,phone\nBeta KK,Kim,03-2222-3333\n";
    let out = ws.import_ok(&ws.file("be.csv", &utf16(be, false)), &[]);
    assert!(out.contains("1 new") && out.contains("UTF-16BE"), "{out}");
    let euc = "会社名,氏名,電話番号\n株式会社テスト,佐藤 花子,06-9876-5432\n";
    let out = ws.import_ok(&ws.file("euc.csv", &encode(encoding_rs::EUC_JP, euc)), &[]);
    assert!(out.contains("1 new") && out.contains("EUC-JP"), "{out}");
    assert_eq!(
        names(&ws),
        vec![
            strings(&["株式会社サンプル", "山田 太郎"]),
            strings(&["Beta KK", "Kim"]),
            strings(&["株式会社テスト", "佐藤 花子"]),
        ]
    );
}

#[test]
fn an_ambiguous_file_is_refused_naming_encoding_and_imports_when_told() {
    let ws = Ws::for_import();
    // Upper-case Latin-1 letters are also half-width katakana in Shift_JIS.
    let f = ws.file(
        "short.csv",
        &encode(
            encoding_rs::WINDOWS_1252,
            "company,phone\nMÜNCHEN AG,+49301234567\n",
        ),
    );
    let (ok, _, err) = ws.run(&["import", f.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("short.csv:2: cannot tell the file's encoding"),
        "{err}"
    );
    assert!(err.contains("--encoding"), "{err}");
    assert_eq!(ws.lead_count(), 0);
    ws.import_ok(&f, &["--encoding", "windows-1252"]);
    assert_eq!(names(&ws), vec![strings(&["MÜNCHEN AG", ""])]);
}

#[test]
fn an_invalid_byte_in_a_utf8_file_is_refused_with_its_line_early_or_late() {
    let ws = Ws::for_import();
    let f = ws.file(
        "early.csv",
        b"company,name,phone\n\xE6\xA0\xAA\xE5\xBC\x8F,Jos\xE9,03-1111-2222\n",
    );
    let (ok, _, err) = ws.run(&["import", f.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("early.csv:2: invalid UTF-8"), "{err}");
    // Past the part detection looks at: 5000 good rows, then one bad byte on line 5002.
    let mut text = String::from("company,name,phone\r\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "株式会社{i},名前{i},03-1{:03}-{:04}\r\n",
            i % 1000,
            i
        ));
    }
    let mut bytes = text.into_bytes();
    bytes.extend(b"Bad,Jos\xE9,03-9999-8888\r\nLast,One,03-9999-7777\r\n");
    assert!(bytes.len() > 128 * 1024);
    let f = ws.file("late.csv", &bytes);
    let before = ws.db_bytes();
    let (ok, _, err) = ws.run(&["import", f.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("late.csv:5002: invalid UTF-8"), "{err}");
    assert_eq!(ws.db_bytes(), before);
    assert_eq!(ws.lead_count(), 0);
}

/// The same file with `nl` line endings: a quoted two-line title on line 2–3, a warning on
/// line 4, a bad row on line 6 (after a blank line).
fn lines_file(nl: &str) -> Vec<u8> {
    [
        "company,name,title,phone,email",
        "Acme,Taro,\"Head",
        "of Sales\",03-1111-2222,",
        "Beta,Jiro,,03-12,jiro@beta.example",
        "",
        "Gamma,Saburo,,,",
        "Delta,Shiro,,03-4444-5555,",
        "",
    ]
    .join(nl)
    .into_bytes()
}

#[test]
fn reported_lines_are_the_editors_for_lf_crlf_cr_and_quoted_line_breaks() {
    for (name, nl) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let ws = Ws::for_import();
        let f = ws.file(&format!("{name}.csv"), &lines_file(nl));
        let (ok, _, err) = ws.run(&["import", f.to_str().unwrap()]);
        assert!(!ok, "{name}");
        assert!(
            err.contains(&format!("{name}.csv:6: no phone and no email")),
            "{name}: {err}"
        );
        let (ok, out, err) = ws.run(&["import", f.to_str().unwrap(), "--skip-bad"]);
        assert!(ok, "{name}: {err}");
        assert!(
            out.contains("4 rows, 3 new, 0 merged, 1 bad"),
            "{name}: {out}"
        );
        assert!(
            err.contains(&format!("{name}.csv:4: cannot read phone number '03-12'")),
            "{name}: {err}"
        );
        let rejects = std::fs::read_to_string(ws.path(&format!("{name}.csv.rejects.csv"))).unwrap();
        let second = rejects.split("\r\n").nth(1).unwrap();
        assert!(
            second.starts_with("6,no phone and no email"),
            "{name}: {rejects}"
        );
        assert_eq!(
            ws.rows("SELECT title FROM leads ORDER BY id")[0][0],
            "Head of Sales"
        );
    }
}

#[test]
fn fifo_device_directory_and_symlink_loop_are_refused_at_once() {
    let ws = Ws::for_import();
    let fifo = ws.path("pipe.csv");
    let st = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(st.success());
    let dir = ws.path("folder.csv");
    std::fs::create_dir(&dir).unwrap();
    let a = ws.path("a.csv");
    let b = ws.path("b.csv");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    for (path, expected) in [
        (fifo.clone(), "is a FIFO (named pipe), not a regular file"),
        ("/dev/zero".into(), "/dev/zero: is a character device"),
        (dir.clone(), "is a directory"),
        (a.clone(), "a symlink that cannot be followed"),
    ] {
        // If the FIFO were opened this would block forever: nobody writes to it.
        let (ok, _, err) = ws.run(&["import", path.to_str().unwrap()]);
        assert!(!ok, "{}", path.display());
        assert!(err.contains(expected), "{}: {err}", path.display());
        assert!(err.lines().count() == 1, "{err}");
    }
    assert!(
        !ws.db.exists(),
        "the database was created for a refused file"
    );
}

#[test]
fn over_long_fields_and_too_many_columns_are_refused_with_their_line() {
    let ws = Ws::for_import();
    let long = "N".repeat(5000);
    let f = ws.file(
        "long.csv",
        format!("company,name,phone\r\nAcme,Taro,03-1111-2222\r\nBeta,{long},03-2222-3333\r\n")
            .as_bytes(),
    );
    let (ok, _, err) = ws.run(&["import", f.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("long.csv:3: the name is 5000 bytes long, over the limit of 4 KiB"),
        "{err}"
    );
    assert!(err.lines().all(|l| l.chars().count() < 200), "{err}");
    let (ok, out, _) = ws.run(&["import", f.to_str().unwrap(), "--skip-bad"]);
    assert!(ok && out.contains("1 new, 0 merged, 1 bad"), "{out}");
    let rejects = std::fs::read_to_string(ws.path("long.csv.rejects.csv")).unwrap();
    assert!(rejects.contains(&long));
    // a long value in any message is cut, with its length
    let f = ws.file(
        "status.csv",
        format!(
            "company,name,phone,status\nAcme,Taro,03-1111-2222,{}\n",
            "S".repeat(3000)
        )
        .as_bytes(),
    );
    let (ok, _, err) = ws.run(&["import", f.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("status.csv:2: unknown lead status 'SSS"),
        "{err}"
    );
    assert!(err.contains("(3000 characters)"), "{err}");
    assert!(err.lines().all(|l| l.chars().count() < 250), "{err}");
    // columns
    let header: Vec<String> = std::iter::once("phone".to_string())
        .chain((0..1200).map(|i| format!("c{i}")))
        .collect();
    let f = ws.file(
        "wide.csv",
        format!("{}\n03-1111-2222\n", header.join(",")).as_bytes(),
    );
    let (ok, _, err) = ws.run(&["import", f.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("wide.csv:1: the header has 1201 columns"),
        "{err}"
    );
    // a row that never ends (an unclosed quote over megabytes) stops at the row limit
    let mut big = b"company,name,phone\nAcme,\"".to_vec();
    big.extend(std::iter::repeat_n(b'x', 3 << 20));
    let f = ws.file("endless.csv", &big);
    let (ok, _, err) = ws.run(&["import", f.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("endless.csv:2: a row longer than 1 MiB"),
        "{err}"
    );
    assert_eq!(ws.lead_count(), 1);
}

#[test]
fn invalid_create_dates_and_phones_without_digits_or_with_forty_are_errors() {
    let ws = Ws::for_import();
    let h = "company,name,phone,email,created_at\n";
    for (body, expected) in [
        (
            "Acme,Taro,03-1111-2222,,2026-13-45\n",
            "d.csv:2: invalid create date '2026-13-45'",
        ),
        (
            "Acme,Taro,03-1111-2222,,2026-11-20\nBeta,Jiro,03-2222-3333,,31/12/2026\n",
            "d.csv:3: invalid create date '31/12/2026'",
        ),
        (
            "Acme,Taro,call me,taro@acme.example,\n",
            "d.csv:2: the phone 'call me' is not a phone number (0 digits)",
        ),
        (
            "Acme,Taro,0312345678901234567890123456789012345678,taro@acme.example,\n",
            "d.csv:2: the phone '0312345678901234567890123456789012345678' is not a phone number (40 digits)",
        ),
    ] {
        let f = ws.file("d.csv", format!("{h}{body}").as_bytes());
        let (ok, _, err) = ws.run(&["import", f.to_str().unwrap()]);
        assert!(!ok, "{body}");
        assert!(err.contains(expected), "{body}: {err}");
    }
    assert_eq!(ws.lead_count(), 0);
    // a valid date is kept, not replaced by now
    let f = ws.file(
        "ok.csv",
        format!("{h}Acme,Taro,03-1111-2222,,2026-11-20\n").as_bytes(),
    );
    ws.import_ok(&f, &[]);
    assert_eq!(
        ws.rows("SELECT created_at FROM leads")[0][0],
        "2026-11-19T15:00:00Z"
    );
}

#[test]
fn zero_width_characters_are_removed_on_import_and_emoji_sequences_kept() {
    let ws = Ws::for_import();
    let f = ws.file(
        "zw.csv",
        "company,name,phone,email\nAc\u{200B}me\u{2060},Ta\u{200C}ro \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467},03-1111-2222,ta\u{FEFF}ro@acme.example\n"
            .as_bytes(),
    );
    ws.import_ok(&f, &[]);
    assert_eq!(
        ws.rows(
            "SELECT c.name, l.name, l.email FROM leads l JOIN companies c ON c.id = l.company_id"
        )[0],
        strings(&[
            "Acme",
            "Taro \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
            "taro@acme.example"
        ])
    );
}
