//! A streaming text reader for the importer: raw bytes in, strict UTF-8 out, with no byte
//! silently replaced, and the bookkeeping the messages need.
//!
//! It decodes with `encoding_rs` *without replacement* (a malformed byte stops the import with
//! its line; `encoding_rs_io` would turn it into U+FFFD), and as the decoded bytes pass by it
//! tracks what the csv crate does not tell reliably:
//! - **editor lines**: a line ends at LF, CRLF or a lone CR, as a text editor counts them (the
//!   csv crate's `Position::line()` counts LF only, and is one short after CRLF);
//! - **where each record starts** (outside quotes, on a non-empty line), so a record read by
//!   the csv crate is given the editor line it starts on;
//! - an **unclosed quote** at the end (the csv crate accepts one silently);
//! - **bounds**: a NUL character (binary data), a file over [`super::MAX_FILE_BYTES`] and a row
//!   over [`super::MAX_ROW_BYTES`] are refused while reading, so memory stays bounded.
//!
//! Only the quote state is tracked here; the csv crate does the parsing.

use std::collections::VecDeque;
use std::io::{self, Read};

/// Why reading stopped: the (editor) line and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFailure {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    /// At the start of a field.
    Start,
    /// Inside an unquoted field.
    Field,
    /// Inside a quoted field.
    Quoted,
    /// A quote inside a quoted field: the end of it, or the first of a doubled `""`.
    QuotedEnd,
}

/// Editor lines, record starts and quote state over a stream of decoded bytes.
#[derive(Debug)]
pub struct Tracker {
    /// Bytes seen so far (the offset of the next byte).
    offset: u64,
    /// The editor line of the last byte seen.
    line: u64,
    prev_cr: bool,
    newline_pending: bool,
    quote: Quote,
    /// Whether the next non-terminator byte outside quotes starts a record.
    at_record_start: bool,
    /// (offset, line) of record starts not yet claimed by a record the csv crate returned.
    starts: VecDeque<(u64, u64)>,
    /// Line and offset of the record being read.
    record_line: u64,
    record_offset: u64,
    nul_at: Option<u64>,
}

impl Default for Tracker {
    fn default() -> Self {
        Tracker {
            offset: 0,
            line: 1,
            prev_cr: false,
            newline_pending: false,
            quote: Quote::Start,
            at_record_start: true,
            starts: VecDeque::new(),
            record_line: 1,
            record_offset: 0,
            nul_at: None,
        }
    }
}

impl Tracker {
    /// Feed decoded bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.step(b);
        }
    }

    fn step(&mut self, b: u8) {
        if self.newline_pending {
            self.newline_pending = false;
            self.line += 1;
        }
        let crlf = self.prev_cr && b == b'\n';
        if self.prev_cr {
            self.prev_cr = false;
            if !crlf {
                self.line += 1;
            }
        }
        match b {
            b'\n' => self.newline_pending = true,
            b'\r' => self.prev_cr = true,
            0 => {
                self.nul_at.get_or_insert(self.line);
            }
            _ => {}
        }
        let terminator = matches!(b, b'\r' | b'\n');
        self.quote = match (self.quote, b) {
            (Quote::Start, b'"') => Quote::Quoted,
            (Quote::Start | Quote::Field, b',') => Quote::Start,
            (Quote::Start | Quote::Field, b'\r' | b'\n') => {
                self.at_record_start = true;
                Quote::Start
            }
            (Quote::Start | Quote::Field, _) => Quote::Field,
            (Quote::Quoted, b'"') => Quote::QuotedEnd,
            (Quote::Quoted, _) => Quote::Quoted,
            (Quote::QuotedEnd, b'"') => Quote::Quoted,
            (Quote::QuotedEnd, b',') => Quote::Start,
            (Quote::QuotedEnd, b'\r' | b'\n') => {
                self.at_record_start = true;
                Quote::Start
            }
            (Quote::QuotedEnd, _) => Quote::Field,
        };
        if self.at_record_start && !terminator {
            self.at_record_start = false;
            self.starts.push_back((self.offset, self.line));
            self.record_line = self.line;
            self.record_offset = self.offset;
        }
        self.offset += 1;
    }

    /// The editor line of the record the csv crate reports at byte `pos` (the byte after the
    /// previous record's terminator): the first record start at or after `pos`.
    pub fn record_line(&mut self, pos: u64) -> u64 {
        while let Some(&(o, line)) = self.starts.front() {
            if o < pos {
                self.starts.pop_front();
                continue;
            }
            self.starts.pop_front();
            return line;
        }
        self.record_line
    }

    /// The editor line the next byte would be on.
    pub fn next_line(&self) -> u64 {
        self.line + u64::from(self.newline_pending || self.prev_cr)
    }

    /// The line a quoted field left open at the end starts on.
    pub fn unclosed_quote(&self) -> Option<u64> {
        matches!(self.quote, Quote::Quoted).then_some(self.record_line)
    }

    /// Bytes in the record being read (0 between records).
    fn record_len(&self) -> u64 {
        if self.at_record_start {
            0
        } else {
            self.offset - self.record_offset
        }
    }
}

/// Decoded text out of raw bytes in: `Read` yields strict UTF-8.
pub struct TextReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    encoding: &'static str,
    inbuf: Vec<u8>,
    in_pos: usize,
    in_len: usize,
    in_eof: bool,
    /// Raw bytes read so far (BOM included).
    raw_read: u64,
    out: Vec<u8>,
    out_pos: usize,
    done: bool,
    pub tracker: Tracker,
    failure: Option<ReadFailure>,
    max_file: u64,
    max_row: u64,
}

const CHUNK: usize = 64 * 1024;

impl<R: Read> TextReader<R> {
    /// Decode `inner` (positioned after any BOM) with `encoding`; `skipped` raw bytes (the BOM)
    /// were already consumed. `encoding` names it in messages.
    pub fn new(
        inner: R,
        enc: &'static encoding_rs::Encoding,
        encoding: &'static str,
        skipped: u64,
        max_file: u64,
        max_row: u64,
    ) -> Self {
        TextReader {
            inner,
            decoder: enc.new_decoder_without_bom_handling(),
            encoding,
            inbuf: vec![0; CHUNK],
            in_pos: 0,
            in_len: 0,
            in_eof: false,
            raw_read: skipped,
            out: Vec::with_capacity(CHUNK * 3 + 16),
            out_pos: 0,
            done: false,
            tracker: Tracker::default(),
            failure: None,
            max_file,
            max_row,
        }
    }

    /// Raw bytes read from the input so far (the BOM included).
    pub fn raw_read(&self) -> u64 {
        self.raw_read
    }

    /// Why reading stopped, when it stopped on bad input.
    pub fn failure(&self) -> Option<&ReadFailure> {
        self.failure.as_ref()
    }

    /// What reading found at the end that the csv crate accepts: an unclosed quote.
    pub fn finish(&self) -> Option<ReadFailure> {
        self.tracker.unclosed_quote().map(|line| ReadFailure {
            line,
            reason: "unclosed quote: a quoted field runs to the end of the file".into(),
        })
    }

    fn fail(&mut self, line: u64, reason: String) -> io::Error {
        self.failure = Some(ReadFailure { line, reason });
        self.done = true;
        io::Error::new(io::ErrorKind::InvalidData, "bad input")
    }

    /// Decode the next chunk into `out`.
    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.out_pos = 0;
        while self.out.is_empty() && !self.done {
            if self.in_pos == self.in_len && !self.in_eof {
                let n = loop {
                    match self.inner.read(&mut self.inbuf) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(e),
                    }
                };
                self.in_pos = 0;
                self.in_len = n;
                self.in_eof = n == 0;
                self.raw_read += n as u64;
                if self.raw_read > self.max_file {
                    let line = self.tracker.next_line();
                    return Err(self.fail(
                        line,
                        format!(
                            "the file is larger than the import limit of {} (split it)",
                            super::human_bytes(self.max_file)
                        ),
                    ));
                }
            }
            let src = &self.inbuf[self.in_pos..self.in_len];
            let need = self
                .decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(CHUNK * 3 + 16);
            let start = self.out.len();
            self.out.resize(start + need.max(16), 0);
            let (res, read, written) = self.decoder.decode_to_utf8_without_replacement(
                src,
                &mut self.out[start..],
                self.in_eof,
            );
            self.out.truncate(start + written);
            let consumed_before = self.raw_read - (self.in_len - self.in_pos) as u64;
            self.in_pos += read;
            self.tracker.feed(&self.out[start..]);
            if let Some(line) = self.tracker.nul_at {
                return Err(self.fail(
                    line,
                    "binary data (a NUL character): this is not a CSV text file".into(),
                ));
            }
            if self.tracker.record_len() > self.max_row {
                let line = self.tracker.record_line;
                return Err(self.fail(
                    line,
                    format!(
                        "a row longer than {} (an unclosed quote, or not a CSV file)",
                        super::human_bytes(self.max_row)
                    ),
                ));
            }
            match res {
                encoding_rs::DecoderResult::Malformed(bad, after) => {
                    let at = consumed_before + read as u64 - u64::from(after) - u64::from(bad);
                    let first = self.inbuf[self.in_pos - usize::from(after) - usize::from(bad)];
                    let line = self.tracker.next_line();
                    return Err(self.fail(
                        line,
                        format!(
                            "invalid {} (byte 0x{first:02X} at offset {at}): give the file's encoding with --encoding (utf-8, utf-16, shift_jis, euc-jp, windows-1252)",
                            self.encoding
                        ),
                    ));
                }
                encoding_rs::DecoderResult::InputEmpty if self.in_eof => self.done = true,
                encoding_rs::DecoderResult::InputEmpty | encoding_rs::DecoderResult::OutputFull => {
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for TextReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.failure.is_some() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "bad input"));
        }
        if self.out_pos == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str) -> Vec<(Vec<String>, u64)> {
        let r = TextReader::new(
            text.as_bytes(),
            encoding_rs::UTF_8,
            "UTF-8",
            0,
            u64::MAX,
            u64::MAX,
        );
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(r);
        let mut rec = csv::StringRecord::new();
        let mut out = Vec::new();
        while rdr.read_record(&mut rec).expect("read") {
            let pos = rec.position().map_or(0, |p| p.byte());
            let line = rdr.get_mut().tracker.record_line(pos);
            out.push((rec.iter().map(str::to_string).collect(), line));
        }
        out
    }

    #[test]
    fn editor_lines_for_every_line_ending() {
        for nl in ["\n", "\r\n", "\r"] {
            let text = format!("a,b{nl}1,2{nl}{nl}3,\"x{nl}y\"{nl}4,5{nl}");
            let got: Vec<u64> = lines_of(&text).into_iter().map(|(_, l)| l).collect();
            assert_eq!(got, [1, 2, 4, 6], "{nl:?}");
        }
        // no final line break, blank lines at the start
        let got: Vec<u64> = lines_of("\n\r\na,b\n1,2")
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(got, [3, 4]);
    }

    #[test]
    fn unclosed_quotes_are_found() {
        let t = |s: &str| {
            let mut t = Tracker::default();
            t.feed(s.as_bytes());
            t.unclosed_quote()
        };
        assert_eq!(t("a,b\n1,2\n"), None);
        assert_eq!(t("a,\"b\"\"c\"\n1,\"x\ny\"\n"), None);
        assert_eq!(t("a,b\n1,\"2\n3,4\n"), Some(2));
        assert_eq!(t("a,b\r\n1,x\"y\r\n"), None);
    }

    #[test]
    fn malformed_bytes_stop_with_their_line() {
        let bytes = b"a,b\r\n1,2\r\nJos\xe9,3\r\n";
        let mut r = TextReader::new(
            &bytes[..],
            encoding_rs::UTF_8,
            "UTF-8",
            0,
            u64::MAX,
            u64::MAX,
        );
        let mut s = String::new();
        assert!(r.read_to_string(&mut s).is_err());
        let f = r.failure().expect("failure");
        assert_eq!(f.line, 3);
        assert!(f.reason.contains("0xE9 at offset 13"), "{}", f.reason);
    }
}
