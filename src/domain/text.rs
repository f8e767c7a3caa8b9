//! Untrusted text: neutralising control and bidi characters, and fitting strings to a column
//! width measured in terminal cells (Japanese characters are two cells wide).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Bidi overrides and isolates that can reorder what a terminal shows.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{200E}' | '\u{200F}')
}

/// Whether a character must never reach a terminal cell from data.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// One line of untrusted text made safe for display and storage: control characters
/// (ESC, BEL, CR, …) and bidi overrides removed; tabs and newlines become spaces; runs of
/// whitespace collapse; trimmed.
pub fn sanitize_line(s: &str) -> String {
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

/// Cut `s` to at most `max` cells, ending with `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
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
    fn japanese_width() {
        assert_eq!(width("株式会社"), 8);
        assert_eq!(fit("株式会社テスト", 9), "株式会社…");
        assert_eq!(fit("株式会社テスト", 8), "株式会… ");
        assert_eq!(width(&fit("株式会社テスト", 8)), 8);
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
