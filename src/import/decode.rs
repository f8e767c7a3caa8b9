//! Which encoding a file is in, from its first bytes (a bounded prefix; the rest is decoded as
//! it streams by, see [`super::reader`]). Candidates: UTF-8 (with or without a BOM), UTF-16LE/BE
//! with a BOM, Shift_JIS/CP932 (encoding_rs's Shift_JIS is the CP932 superset Excel writes),
//! EUC-JP and Windows-1252 (Latin-1 as Western Windows and old CRMs write it).
//!
//! The rule, without a BOM:
//! 1. valid UTF-8 → UTF-8; UTF-8 with fewer invalid sequences than valid multi-byte characters
//!    → refused at that byte's line (a damaged UTF-8 file, not another encoding);
//! 2. otherwise the legacy candidates that decode every byte (Windows-1252's five undefined
//!    bytes count as not decoding) are kept; one left → that one;
//! 3. several left → `chardetng` guesses twice, once with no hint and once leaning Japanese
//!    (the `.jp` hint); when both guesses agree on a candidate that decodes, that is it.
//!    Otherwise the detection is not confident and the file is refused naming `--encoding`.
//!
//! (`chardetng` 1.0 gives a guess but no confidence; guessing under two opposite priors and
//! requiring agreement is what stands in for one.)

use crate::cli::Encoding;
use encoding_rs::{EUC_JP, Encoding as Enc, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Why the bytes are not text kaden can read, and on which (editor) line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub line: u64,
    pub reason: String,
}

/// The encoding to decode with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub encoding: &'static Enc,
    /// The name the summary shows ("UTF-8 (BOM)", "Shift_JIS", …).
    pub name: &'static str,
    /// Bytes of BOM to skip.
    pub bom: usize,
}

/// How many bytes detection looks at.
pub const PREFIX_BYTES: usize = 64 * 1024;

const ENCODING_HINT: &str =
    "give it with --encoding (utf-8, utf-16, shift_jis, euc-jp or windows-1252)";

/// The editor line (LF, CRLF or a lone CR ends a line) of byte `at`.
pub fn line_of(bytes: &[u8], at: usize) -> u64 {
    let mut t = super::reader::Tracker::default();
    t.feed(&bytes[..at.min(bytes.len())]);
    t.next_line()
}

fn name_of(e: &'static Enc) -> &'static str {
    if e == SHIFT_JIS {
        "Shift_JIS"
    } else if e == EUC_JP {
        "EUC-JP"
    } else if e == WINDOWS_1252 {
        "Windows-1252"
    } else if e == UTF_16LE {
        "UTF-16LE"
    } else if e == UTF_16BE {
        "UTF-16BE"
    } else {
        "UTF-8"
    }
}

/// Whether `e` decodes every byte of `prefix` (a cut multi-byte character at its end is fine
/// when the file goes on), and where it first fails if not.
fn first_error(e: &'static Enc, prefix: &[u8], complete: bool) -> Option<usize> {
    let mut d = e.new_decoder_without_bom_handling();
    let mut out = vec![0u8; PREFIX_BYTES * 3 + 16];
    let mut pos = 0;
    loop {
        let (res, read, written) =
            d.decode_to_utf8_without_replacement(&prefix[pos..], &mut out, complete);
        let at = pos + read;
        match res {
            encoding_rs::DecoderResult::Malformed(bad, after) => {
                return Some(at - usize::from(after) - usize::from(bad));
            }
            encoding_rs::DecoderResult::InputEmpty => {
                if e == WINDOWS_1252
                    && std::str::from_utf8(&out[..written])
                        .is_ok_and(|s| s.chars().any(|c| ('\u{80}'..='\u{9F}').contains(&c)))
                {
                    // 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in Windows-1252.
                    return prefix
                        .iter()
                        .position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D));
                }
                return None;
            }
            encoding_rs::DecoderResult::OutputFull => pos = at,
        }
    }
}

/// Detect (or take) the encoding of a file from its first bytes. `complete` says the prefix
/// is the whole file.
pub fn detect(prefix: &[u8], complete: bool, forced: Encoding) -> Result<Detected, DecodeError> {
    let bom = Enc::for_bom(prefix);
    let with_bom = |e: &'static Enc, n: usize| Detected {
        encoding: e,
        name: match name_of(e) {
            "UTF-8" => "UTF-8 (BOM)",
            "UTF-16LE" => "UTF-16LE (BOM)",
            _ => "UTF-16BE (BOM)",
        },
        bom: n,
    };
    let plain = |e: &'static Enc| Detected {
        encoding: e,
        name: name_of(e),
        bom: 0,
    };
    let det = match forced {
        Encoding::Utf8 => match bom {
            Some((e, n)) if e == UTF_8 => with_bom(e, n),
            _ => plain(UTF_8),
        },
        Encoding::Utf16 => match bom {
            Some((e, n)) if e != UTF_8 => with_bom(e, n),
            _ => plain(UTF_16LE),
        },
        Encoding::ShiftJis => plain(SHIFT_JIS),
        Encoding::EucJp => plain(EUC_JP),
        Encoding::Windows1252 => plain(WINDOWS_1252),
        Encoding::Auto => match bom {
            Some((e, n)) => with_bom(e, n),
            None => plain(guess(prefix, complete)?),
        },
    };
    let body = &prefix[det.bom..];
    if let Some(at) = first_error(det.encoding, body, complete) {
        return Err(DecodeError {
            line: line_of(body, at),
            reason: format!(
                "invalid {} (byte 0x{:02X} at offset {}): {ENCODING_HINT}",
                det.name,
                body[at],
                at + det.bom
            ),
        });
    }
    check_text(det.encoding, body)?;
    Ok(det)
}

/// The encoding of a file without a BOM (see the module comment for the rule).
fn guess(prefix: &[u8], complete: bool) -> Result<&'static Enc, DecodeError> {
    if let Some(at) = prefix.iter().position(|b| *b == 0) {
        return Err(DecodeError {
            line: line_of(prefix, at),
            reason: "binary data (a NUL byte): this is not a CSV text file (UTF-16 needs a byte order mark)".into(),
        });
    }
    // 1. UTF-8, or damaged UTF-8.
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    let mut first_invalid = None;
    let mut at = 0;
    for chunk in prefix.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        at += chunk.valid().len();
        let cut_at_end = at + chunk.invalid().len() == prefix.len() && !complete;
        if !chunk.invalid().is_empty() && !cut_at_end {
            invalid += 1;
            first_invalid.get_or_insert(at);
        }
        at += chunk.invalid().len();
    }
    let Some(bad) = first_invalid else {
        return Ok(UTF_8);
    };
    // Legacy Japanese text makes a valid UTF-8 character now and then by chance, but far
    // fewer than its invalid sequences; a damaged UTF-8 file is the other way round.
    if multibyte > invalid {
        return Err(DecodeError {
            line: line_of(prefix, bad),
            reason: format!(
                "invalid UTF-8 (byte 0x{:02X} at offset {bad}) in a file that is otherwise UTF-8: fix that byte, or {ENCODING_HINT}",
                prefix[bad]
            ),
        });
    }
    // 2. The legacy candidates that decode every byte.
    let clean: Vec<&'static Enc> = [SHIFT_JIS, EUC_JP, WINDOWS_1252]
        .into_iter()
        .filter(|e| first_error(e, prefix, complete).is_none())
        .collect();
    match clean.as_slice() {
        [] => {
            return Err(DecodeError {
                line: line_of(prefix, bad),
                reason: format!(
                    "not text in UTF-8, Shift_JIS, EUC-JP or Windows-1252 (byte 0x{:02X} at offset {bad}): a binary file, or {ENCODING_HINT}",
                    prefix[bad]
                ),
            });
        }
        [one] => return Ok(one),
        _ => {}
    }
    // 3. Two guesses under opposite priors must agree.
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(prefix, complete);
    let generic = det.guess(None, chardetng::Utf8Detection::Deny);
    let japanese = det.guess(Some(b"jp"), chardetng::Utf8Detection::Deny);
    if generic == japanese && clean.contains(&generic) {
        return Ok(generic);
    }
    let names: Vec<&str> = clean.iter().map(|e| name_of(e)).collect();
    Err(DecodeError {
        line: line_of(prefix, bad),
        reason: format!(
            "cannot tell the file's encoding for sure (it could be {}): {ENCODING_HINT}",
            names.join(" or ")
        ),
    })
}

/// Text full of control characters is a binary file that happened to decode.
fn check_text(e: &'static Enc, body: &[u8]) -> Result<(), DecodeError> {
    let (text, _) = e.decode_without_bom_handling(body);
    let mut total = 0usize;
    let mut control = 0usize;
    let mut first = None;
    for (i, c) in text.char_indices() {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{1b}' | '\u{7}') {
            control += 1;
            first.get_or_insert(i);
        }
    }
    if control * 20 > total {
        let at = first.unwrap_or(0);
        return Err(DecodeError {
            line: line_of(text.as_bytes(), at),
            reason: "binary data (control characters): this is not a CSV text file".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(b: &[u8]) -> Result<&'static str, DecodeError> {
        detect(b, true, Encoding::Auto).map(|d| d.name)
    }

    #[test]
    fn boms_utf8_and_legacy_encodings() {
        assert_eq!(auto(b"\xEF\xBB\xBFname\r\n"), Ok("UTF-8 (BOM)"));
        assert_eq!(auto(b"\xFF\xFEn\0a\0"), Ok("UTF-16LE (BOM)"));
        assert_eq!(auto(b"\xFE\xFF\0n\0a"), Ok("UTF-16BE (BOM)"));
        assert_eq!(auto("名前,電話\n".as_bytes()), Ok("UTF-8"));
        let (sjis, _, _) = SHIFT_JIS.encode("会社名,電話番号\r\n株式会社サンプル,03-1234-5678\r\n");
        assert_eq!(auto(&sjis), Ok("Shift_JIS"));
        let (euc, _, _) = EUC_JP.encode("会社名,氏名,電話番号\n株式会社サンプル,山田 太郎,03\n");
        assert_eq!(auto(&euc), Ok("EUC-JP"));
        let (w, _, _) = WINDOWS_1252.encode("company,name\nBÄCKER MÜNCHEN,Jürgen Müller\n");
        assert_eq!(auto(&w), Ok("Windows-1252"));
        assert!(detect(&sjis, true, Encoding::Utf8).is_err());
    }

    #[test]
    fn damaged_utf8_is_refused_at_its_line() {
        let e = auto(
            "a,b\n名前,x\nJos\u{e9}"
                .as_bytes()
                .iter()
                .copied()
                .chain([0xE9, b'\n'])
                .collect::<Vec<_>>()
                .as_slice(),
        )
        .expect_err("refused");
        assert_eq!(e.line, 3);
        assert!(e.reason.contains("otherwise UTF-8"), "{}", e.reason);
    }

    #[test]
    fn ambiguous_text_names_encoding() {
        // Upper-case Latin-1 letters are all half-width katakana in Shift_JIS.
        let (w, _, _) = WINDOWS_1252.encode("company,phone\nMÜNCHEN,+49301234567\n");
        let e = auto(&w).expect_err("refused");
        assert_eq!(e.line, 2);
        assert!(e.reason.contains("--encoding"), "{}", e.reason);
        assert!(
            e.reason.contains("Shift_JIS or Windows-1252"),
            "{}",
            e.reason
        );
        let forced = detect(&w, true, Encoding::Windows1252).expect("forced");
        assert_eq!(forced.name, "Windows-1252");
    }

    #[test]
    fn a_cut_character_at_the_end_of_the_prefix_is_not_an_error() {
        let text = "名前\n".repeat(10);
        let b = text.as_bytes();
        assert_eq!(
            detect(&b[..b.len() - 2], false, Encoding::Auto).map(|d| d.name),
            Ok("UTF-8")
        );
    }

    #[test]
    fn binary() {
        let e = auto(b"a,b\nc\0d\n").expect_err("refused");
        assert_eq!(e.line, 2);
        assert!(e.reason.contains("binary"));
        assert!(auto(b"\x01\x02\x03\x04abc").is_err());
    }
}
