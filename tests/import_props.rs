//! Property: text in every encoding the importer reads comes out as it went in, or the file is
//! refused naming `--encoding` (never garbled). The all-or-nothing property of an import is in
//! the store contract (`contract/import.rs`).
#![allow(clippy::unwrap_used)]

mod support;

use kaden::config::Config;
use kaden::import::{ImportOptions, import_bytes};
use kaden::store::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use std::cell::RefCell;
use support::{db, now};

/// One encoding of the round trip: how to write the bytes, and `--encoding` for it.
#[derive(Debug, Clone, Copy)]
enum Enc {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    ShiftJis,
    EucJp,
    Windows1252,
}

impl Enc {
    fn bytes(self, text: &str) -> Vec<u8> {
        let legacy = |e: &'static encoding_rs::Encoding| {
            let (b, _, unmappable) = e.encode(text);
            assert!(!unmappable, "{text:?} is not in {}", e.name());
            b.into_owned()
        };
        let utf16 = |le: bool| {
            let mut out = if le {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for u in text.encode_utf16() {
                out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            out
        };
        match self {
            Enc::Utf8 => text.as_bytes().to_vec(),
            Enc::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            Enc::Utf16Le => utf16(true),
            Enc::Utf16Be => utf16(false),
            Enc::ShiftJis => legacy(encoding_rs::SHIFT_JIS),
            Enc::EucJp => legacy(encoding_rs::EUC_JP),
            Enc::Windows1252 => legacy(encoding_rs::WINDOWS_1252),
        }
    }
    fn forced(self) -> kaden::cli::Encoding {
        use kaden::cli::Encoding as E;
        match self {
            Enc::Utf8 | Enc::Utf8Bom => E::Utf8,
            Enc::Utf16Le | Enc::Utf16Be => E::Utf16,
            Enc::ShiftJis => E::ShiftJis,
            Enc::EucJp => E::EucJp,
            Enc::Windows1252 => E::Windows1252,
        }
    }
    fn japanese(self) -> bool {
        !matches!(self, Enc::Windows1252)
    }
    fn latin(self) -> bool {
        !matches!(self, Enc::ShiftJis | Enc::EucJp)
    }
}

/// Names in the alphabet an encoding can hold: Japanese (kana, common kanji) or Western
/// (Latin-1 letters), or both for the Unicode encodings.
fn encoded_file() -> impl Strategy<Value = (Enc, Vec<(String, String)>, bool)> {
    let enc = prop_oneof![
        Just(Enc::Utf8),
        Just(Enc::Utf8Bom),
        Just(Enc::Utf16Le),
        Just(Enc::Utf16Be),
        Just(Enc::ShiftJis),
        Just(Enc::EucJp),
        Just(Enc::Windows1252),
    ];
    (enc, any::<bool>()).prop_flat_map(|(enc, crlf)| {
        let ja = "[あ-んア-ン山田太郎花子株式会社東京大阪営業部長髙①]{1,8}";
        let latin = "[A-Za-zÀ-ÖØ-öø-ÿ]{1,10}( [A-Za-zÀ-ÖØ-öø-ÿ]{1,8})?";
        let name: BoxedStrategy<String> = match (enc.japanese(), enc.latin()) {
            (true, true) => prop_oneof![ja, latin].boxed(),
            (true, false) => ja.boxed(),
            _ => latin.boxed(),
        };
        let ja_only = enc.japanese() && !enc.latin();
        let name = if ja_only {
            // ① and 髙 are CP932 extensions, not in EUC-JP.
            match enc {
                Enc::EucJp => "[あ-んア-ン山田太郎花子株式会社東京大阪営業部長]{1,8}".boxed(),
                _ => name,
            }
        } else {
            name
        };
        (
            Just(enc),
            prop::collection::vec((name.clone(), name), 1..6),
            Just(crlf),
        )
    })
}

#[test]
fn text_round_trips_through_every_encoding_or_is_refused_naming_encoding() {
    let config = RunnerConfig {
        cases: 150,
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    let rng = proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let cfg = Config {
        phone_region: "JP".into(),
        ..Config::default()
    };
    // (detected and imported, refused as not confident)
    let tally = RefCell::new((0usize, 0usize));
    runner
        .run(&encoded_file(), |(enc, rows, crlf)| {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("company,name,phone{nl}");
            for (i, (company, name)) in rows.iter().enumerate() {
                text.push_str(&format!("{company},{name},03-1000-{i:04}{nl}"));
            }
            let bytes = enc.bytes(&text);
            let expected: Vec<(String, String)> = rows
                .iter()
                .map(|(c, n)| (kaden::domain::text::sanitize_line(c), kaden::domain::text::sanitize_line(n)))
                .collect();
            let stored = |store: &Store| -> Vec<(String, String)> {
                db::rows(
                    store.path(),
                    "SELECT c.name, l.name FROM leads l JOIN companies c ON c.id = l.company_id ORDER BY l.id",
                )
                .into_iter()
                .map(|r| (r[0].clone(), r[1].clone()))
                .collect()
            };
            for forced in [None, Some(enc.forced())] {
                let dir = tempfile::tempdir().unwrap();
                let mut store = Store::open(&dir.path().join("e.db")).unwrap();
                let opts = ImportOptions {
                    encoding: forced.unwrap_or(kaden::cli::Encoding::Auto),
                    ..ImportOptions::default()
                };
                match import_bytes(&mut store, &cfg, &bytes, "e.csv", "e", &opts, now()) {
                    Ok(s) => {
                        prop_assert_eq!(s.new, rows.len());
                        // Never garbled: what went in is what is stored.
                        prop_assert_eq!(stored(&store), expected.clone(), "{:?} {:?}", enc, forced);
                        if forced.is_none() {
                            tally.borrow_mut().0 += 1;
                        }
                    }
                    Err(e) => {
                        // Only detection may refuse, and it says how to get past it.
                        prop_assert!(forced.is_none(), "{:?} forced failed: {}", enc, e);
                        prop_assert!(e.to_string().contains("--encoding"), "{}", e);
                        prop_assert_eq!(stored(&store).len(), 0);
                        tally.borrow_mut().1 += 1;
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    let (detected, refused) = *tally.borrow();
    eprintln!("encodings: detected {detected}, refused {refused}");
    assert!(detected > 100, "detected {detected}, refused {refused}");
}
