//! The progress line of a long import on a terminal: rows read, and how far into the file.

use std::time::{Duration, Instant};

/// Draws `kaden: importing [#######·······] 45% 45,000 rows` on stderr, at most ten times a
/// second, after the first second (a small file never shows it). Quiet unless `on` (the command
/// turns it on when stderr is a terminal).
pub(super) struct Progress {
    on: bool,
    size: Option<u64>,
    next: Instant,
    drawn: bool,
}

const WIDTH: usize = 24;

impl Progress {
    pub(super) fn new(on: bool, size: Option<u64>) -> Self {
        let started = Instant::now();
        Progress {
            on,
            size,
            next: started + Duration::from_secs(1),
            drawn: false,
        }
    }

    /// `rows` read so far, `bytes` of the file.
    pub(super) fn tick(&mut self, rows: usize, bytes: u64) {
        if !self.on {
            return;
        }
        let now = Instant::now();
        if now < self.next {
            return;
        }
        self.next = now + Duration::from_millis(100);
        self.drawn = true;
        crate::commands::output::progress_line(Some(&line(rows, bytes, self.size)));
    }

    /// Take the line away (before the summary or an error is printed).
    pub(super) fn clear(&mut self) {
        if self.drawn {
            crate::commands::output::progress_line(None);
            self.drawn = false;
        }
    }
}

/// The text of the line.
fn line(rows: usize, bytes: u64, size: Option<u64>) -> String {
    let rows = thousands(rows);
    match size.filter(|s| *s > 0) {
        Some(size) => {
            let pct = (bytes.min(size) * 100 / size) as usize;
            let done = pct * WIDTH / 100;
            format!(
                "kaden: importing [{}{}] {pct:>3}% {rows} rows",
                "#".repeat(done),
                "·".repeat(WIDTH - done)
            )
        }
        None => format!("kaden: importing… {rows} rows"),
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_the_share_of_the_file_and_the_rows() {
        assert_eq!(
            line(45_000, 50, Some(100)),
            "kaden: importing [############············]  50% 45,000 rows"
        );
        assert_eq!(line(999, 0, None), "kaden: importing… 999 rows");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
