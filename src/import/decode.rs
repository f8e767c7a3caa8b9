//! Bytes → text: a UTF-8 BOM, valid UTF-8, else Shift_JIS/CP932 (what Excel in Japan
//! writes; encoding_rs's Shift_JIS decoder is the CP932 superset). Empty and binary files are
//! refused here with the line where the problem is.

use crate::cli::Encoding;

/// Why the bytes are not a text file, and on which (1-based) line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub line: u64,
    pub reason: String,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn line_of(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
}

/// Decode `bytes` as `enc` (or detect it). Returns the text and the encoding's name.
pub fn decode(bytes: &[u8], enc: Encoding) -> Result<(String, &'static str), DecodeError> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError {
            line: 1,
            reason: "empty file: no header row and no leads".into(),
        });
    }
    if let Some(at) = body.iter().position(|b| *b == 0) {
        return Err(DecodeError {
            line: line_of(body, at),
            reason: "binary data (a NUL byte): this is not a CSV text file".into(),
        });
    }
    let utf8 = || match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(DecodeError {
            line: line_of(body, e.valid_up_to()),
            reason: format!(
                "invalid UTF-8 at byte {} (try --encoding shift_jis)",
                bytes.len() - body.len() + e.valid_up_to() + 1
            ),
        }),
    };
    let sjis = || {
        encoding_rs::SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|s| s.into_owned())
    };
    let (text, name) = match enc {
        Encoding::Utf8 => (utf8()?, "UTF-8"),
        Encoding::ShiftJis => match sjis() {
            Some(s) => (s, "Shift_JIS"),
            None => {
                // Find the first undecodable line for the message.
                let line = body
                    .split(|b| *b == b'\n')
                    .position(|l| {
                        encoding_rs::SHIFT_JIS
                            .decode_without_bom_handling_and_without_replacement(l)
                            .is_none()
                    })
                    .map_or(1, |i| i as u64 + 1);
                return Err(DecodeError {
                    line,
                    reason: "not valid Shift_JIS (try --encoding utf-8)".into(),
                });
            }
        },
        Encoding::Auto => {
            if bytes.starts_with(BOM) {
                (utf8()?, "UTF-8 (BOM)")
            } else if let Ok(s) = utf8() {
                (s, "UTF-8")
            } else if let Some(s) = sjis() {
                (s, "Shift_JIS")
            } else {
                let line = std::str::from_utf8(body)
                    .err()
                    .map_or(1, |e| line_of(body, e.valid_up_to()));
                return Err(DecodeError {
                    line,
                    reason: "neither UTF-8 nor Shift_JIS text: binary or unknown encoding".into(),
                });
            }
        }
    };
    check_text(&text)?;
    Ok((text, name))
}

/// Text full of control characters is a binary file that happened to decode.
fn check_text(text: &str) -> Result<(), DecodeError> {
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

    #[test]
    fn bom_utf8_and_shift_jis() {
        let (t, n) = decode(b"\xEF\xBB\xBFname\r\n", Encoding::Auto).expect("ok");
        assert_eq!((t.as_str(), n), ("name\r\n", "UTF-8 (BOM)"));
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("会社名,電話番号\r\n");
        let (t, n) = decode(&bytes, Encoding::Auto).expect("ok");
        assert_eq!((t.as_str(), n), ("会社名,電話番号\r\n", "Shift_JIS"));
        assert!(decode(&bytes, Encoding::Utf8).is_err());
    }

    #[test]
    fn empty_and_binary() {
        assert_eq!(decode(b"", Encoding::Auto).expect_err("refused").line, 1);
        assert!(decode(b"\xEF\xBB\xBF \r\n", Encoding::Auto).is_err());
        let e = decode(b"a,b\nc\0d\n", Encoding::Auto).expect_err("refused");
        assert_eq!(e.line, 2);
        assert!(e.reason.contains("binary"));
        assert!(decode(b"\x01\x02\x03\x04abc", Encoding::Auto).is_err());
    }
}
