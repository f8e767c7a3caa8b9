//! Untrusted text: neutralising control, bidi and zero-width characters, and fitting strings
//! to a column width measured in terminal cells (Japanese characters are two cells wide).
//! Cutting works on grapheme clusters, so an emoji ZWJ sequence (👨‍👩‍👧) or a character
//! with its combining marks is kept whole or not at all.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Bidi overrides and isolates that can reorder what a terminal shows.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{200E}' | '\u{200F}')
}

/// Invisible characters that only hide text or break lookups (a zero-width space inside a
/// name, a word joiner, a BOM in the middle of a field). The zero-width joiner U+200D is
/// handled apart: it is kept only inside an emoji sequence.
fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}'
    )
}

/// Whether a character must never reach a terminal cell from data.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_zero_width(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Emoji that ZWJ sequences are made of (Extended_Pictographic, in the blocks used in
/// practice), and the modifiers that may sit between an emoji and a joiner.
fn is_emoji_part(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{2300}'..='\u{23FF}'
        | '\u{2B00}'..='\u{2BFF}' | '\u{2190}'..='\u{21FF}' | '\u{25A0}'..='\u{25FF}'
        | '\u{00A9}' | '\u{00AE}' | '\u{203C}' | '\u{2049}' | '\u{2122}' | '\u{2139}'
        | '\u{3030}' | '\u{303D}' | '\u{3297}' | '\u{3299}' | '\u{FE0F}' | '\u{E0020}'..='\u{E007F}')
}

/// Drop zero-width characters; keep a U+200D joiner only between two emoji.
fn strip_invisible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| is_zero_width(c) || c == '\u{200D}') {
        return std::borrow::Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().filter(|c| !is_zero_width(*c)).collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '\u{200D}' {
            let before = out.chars().next_back().is_some_and(is_emoji_part);
            let after = chars
                .get(i + 1)
                .is_some_and(|n| is_emoji_part(*n) && *n != '\u{FE0F}');
            if !(before && after) {
                continue;
            }
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

/// One line of untrusted text made safe for display and storage: control characters
/// (ESC, BEL, CR, …) and bidi overrides removed; tabs and newlines become spaces; runs of
/// whitespace collapse; trimmed.
pub fn sanitize_line(s: &str) -> String {
    let s = strip_invisible(s);
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.chars() {
        let c = if matches!(c, '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}') {
            ' '
        } else {
            c
        };
        if is_unsafe_char(c) {
            continue;
        }
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The longest note kaden stores (`--note`, the note field): 64 KiB.
pub const MAX_NOTE_BYTES: usize = 64 * 1024;

/// A note from the command line, cleaned; refused over [`MAX_NOTE_BYTES`].
pub fn note_arg(s: &str) -> Result<Option<String>, String> {
    if s.len() > MAX_NOTE_BYTES {
        return Err(format!(
            "--note is {} bytes long, over the limit of 64 KiB",
            s.len()
        ));
    }
    Ok(Some(sanitize_multiline(s)).filter(|n| !n.is_empty()))
}

/// Multi-line untrusted text (notes): like [`sanitize_line`] but keeps line breaks.
pub fn sanitize_multiline(s: &str) -> String {
    s.replace("\r\n", "\n")
        .split(['\n', '\r'])
        .map(sanitize_line)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Whether `e` looks like an email address: one `@`, a local part, a dotted domain, no spaces.
pub fn is_email(e: &str) -> bool {
    let mut parts = e.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !e.contains(char::is_whitespace)
}

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut `s` to at most `max` cells, ending with `…` when something was cut. Cuts between
/// grapheme clusters only.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for g in s.graphemes(true) {
        let gw = width(g);
        if w + gw > max - 1 {
            break;
        }
        out.push_str(g);
        w += gw;
    }
    out.push('…');
    out
}

/// An untrusted value quoted in a message: sanitised, and when longer than `max` cells cut
/// with its full length shown, so one error stays one line: `'Acme…' (5000 characters)`.
pub fn quoted(s: &str, max: usize) -> String {
    let clean = sanitize_line(s);
    if width(&clean) <= max {
        format!("'{clean}'")
    } else {
        format!(
            "'{}' ({} characters)",
            truncate(&clean, max),
            s.chars().count()
        )
    }
}

/// Cut or pad `s` to exactly `cells` cells.
pub fn fit(s: &str, cells: usize) -> String {
    let mut t = truncate(s, cells);
    let w = width(&t);
    for _ in w..cells {
        t.push(' ');
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_bidi() {
        let evil = "Acme\u{1b}[31m\u{202E}moc.evil\u{2066}\u{7}";
        let s = sanitize_line(evil);
        assert_eq!(s, "Acme[31mmoc.evil");
        assert!(!s.chars().any(is_unsafe_char));
    }

    #[test]
    fn newlines_become_spaces_in_a_line() {
        assert_eq!(sanitize_line("  a\r\nb\t\tc  "), "a b c");
        assert_eq!(sanitize_multiline("a\r\nb\u{1b}"), "a\nb");
    }

    #[test]
    fn zero_width_characters_are_removed_and_emoji_sequences_kept_whole() {
        assert_eq!(
            sanitize_line("Ya\u{200B}ma\u{200C}da\u{2060}\u{FEFF}"),
            "Yamada"
        );
        // a joiner outside an emoji sequence goes; inside one it stays
        assert_eq!(sanitize_line("a\u{200D}b"), "ab");
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(
            sanitize_line(&format!("Kim {family}")),
            format!("Kim {family}")
        );
        let rainbow = "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}";
        assert_eq!(sanitize_line(rainbow), rainbow);
        // a dangling joiner after an emoji goes
        assert_eq!(sanitize_line("\u{1F468}\u{200D}"), "\u{1F468}");
        // cut: the family is kept whole or not at all
        let s = format!("ab{family}cd");
        assert_eq!(truncate(&s, 4), "ab…");
        assert_eq!(truncate(&s, 5), format!("ab{family}…"));
    }

    #[test]
    fn long_values_in_messages_are_cut_with_their_length() {
        assert_eq!(quoted("abc", 10), "'abc'");
        let long = "x".repeat(5000);
        let q = quoted(&long, 20);
        assert!(q.ends_with("…' (5000 characters)"), "{q}");
        assert!(width(&q) < 45, "{q}");
        assert_eq!(quoted("a\u{1b}[2Jb", 10), "'a[2Jb'");
    }

    #[test]
    fn japanese_width() {
        assert_eq!(width("株式会社"), 8);
        assert_eq!(fit("株式会社テスト", 9), "株式会社…");
        assert_eq!(fit("株式会社テスト", 8), "株式会… ");
        assert_eq!(width(&fit("株式会社テスト", 8)), 8);
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
