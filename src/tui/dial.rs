//! Dialing: the call in progress, running the configured command with `{phone}`, or the OSC 52
//! escape that copies the number (so it works over SSH). `App::start_call` (in `update.rs`)
//! puts these together; every failure is a message, never a crash.

use chrono::{DateTime, Utc};
use std::process::{Command, Stdio};

/// A call in progress: the number and when it started (by the app's clock).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub lead_id: i64,
    pub phone: String,
    pub started: DateTime<Utc>,
}

impl Call {
    /// Seconds on the call at `now` (0 if the clock went back).
    pub fn seconds(&self, now: DateTime<Utc>) -> u32 {
        u32::try_from((now - self.started).num_seconds().max(0)).unwrap_or(u32::MAX)
    }
}

/// Only the characters a phone number needs (the stored number is E.164 already).
pub fn clean_number(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// Split a command line like a shell would for words: whitespace separates, single and double
/// quotes group, a backslash escapes the next character. No expansion of any kind.
pub fn split_words(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err("unclosed ' in dial_command".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x) => cur.push(x),
                            None => return Err("dial_command ends with \\".into()),
                        },
                        Some(x) => cur.push(x),
                        None => return Err("unclosed \" in dial_command".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(x) => cur.push(x),
                    None => return Err("dial_command ends with \\".into()),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Spawn the dial command detached (no terminal I/O); `{phone}` becomes the number, which is
/// appended when the command does not mention it.
pub fn run_dial_command(cmd: &str, phone: &str) -> Result<(), String> {
    let mut words = split_words(cmd)?;
    if words.is_empty() {
        return Err("dial_command is empty".into());
    }
    if !words.iter().any(|w| w.contains("{phone}")) {
        words.push("{phone}".into());
    }
    let words: Vec<String> = words.iter().map(|w| w.replace("{phone}", phone)).collect();
    let child = Command::new(&words[0])
        .args(&words[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", words[0]))?;
    // Reap it in the background so it never lingers as a zombie.
    let mut child = child;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

/// Standard base64 (RFC 4648, with padding).
pub fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The OSC 52 escape that asks the terminal to put `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(osc52("+81"), "\x1b]52;c;Kzgx\x07");
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            split_words("open 'tel:{phone}' \"a b\" c\\ d").unwrap(),
            vec!["open", "tel:{phone}", "a b", "c d"]
        );
        assert!(split_words("say 'oops").is_err());
    }

    #[test]
    fn failing_dial_is_an_error_not_a_panic() {
        assert!(run_dial_command("/nonexistent/dialer {phone}", "+81").is_err());
        assert!(run_dial_command("  ", "+81").is_err());
        assert!(run_dial_command("true", "+81312345678").is_ok());
    }

    #[test]
    fn numbers_are_cleaned() {
        assert_eq!(clean_number("+81 3-1234\u{1b}5678;rm"), "+81312345678");
    }
}
