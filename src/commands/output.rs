//! What commands print, and what happens when printing fails. `println!` panics on a closed pipe
//! (exit 101), which after a commit makes a script that retries on failure record the call twice.
//! So (and clippy denies the printing macros in the library and the binary):
//! - a command whose output is the point (`queue`, `report`, `export`, …) writes through
//!   [`to_stdout`]: a reader that went away (`| head`) ends it quietly with status 0, any other
//!   failure (`> /dev/full`) is one error line and status 1;
//! - a command that has committed something confirms with [`confirm`]: if the confirmation
//!   cannot be printed, that is a warning on stderr, never a failing status;
//! - messages on stderr go through [`stderr_line`], which never fails.

use crate::files::Tracked;
use crate::i18n::Lang;
use crate::import::ImportError;
use crate::store::StoreError;
use std::io::{self, Write};
use std::path::Path;

/// Standard output failed while a command wrote to it.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The reader went away (`| head` after its lines): not a failure of the command.
    #[error("the reader of the output went away")]
    Closed,
    #[error("cannot write the output: {0}")]
    Failed(io::Error),
}

impl From<io::Error> for OutputError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            OutputError::Closed
        } else {
            OutputError::Failed(e)
        }
    }
}

/// Run `write` on standard output (buffered, flushed at the end). A failure of standard output
/// itself comes back as an [`OutputError`], whatever `write` turned it into.
pub fn to_stdout<T>(write: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>) -> anyhow::Result<T> {
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(Tracked::new(stdout.lock()));
    let result = write(&mut w).and_then(|t| w.flush().map(|_| t).map_err(Into::into));
    match w.get_mut().failure.take() {
        Some(e) => Err(OutputError::from(e).into()),
        None => result,
    }
}

/// Print the confirmation of something already committed (`saved` says what, for the warning).
/// Never fails: the work is done, so a closed pipe or a full disk behind stdout is a warning.
pub fn confirm(lang: Lang, saved: &str, text: &str) {
    let mut out = io::stdout().lock();
    let printed = out
        .write_all(text.as_bytes())
        .and_then(|_| {
            if text.ends_with('\n') {
                Ok(())
            } else {
                out.write_all(b"\n")
            }
        })
        .and_then(|_| out.flush());
    if let Err(e) = printed {
        stderr_line(&match lang {
            Lang::En => {
                format!("kaden: warning: {saved}, but its confirmation could not be printed ({e})")
            }
            Lang::Ja => format!("kaden: 警告: {saved}。ただし確認を表示できませんでした ({e})"),
        });
    }
}

/// One line on stderr; a closed or full stderr is ignored (there is nowhere left to say it).
pub fn stderr_line(text: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{text}");
    let _ = err.flush();
}

/// A progress line on stderr, drawn over itself (`None` clears it). Only for a terminal: the
/// caller checks that stderr is one. Failures are ignored, like [`stderr_line`].
pub fn progress_line(text: Option<&str>) {
    let mut err = io::stderr().lock();
    let _ = match text {
        Some(t) => write!(err, "\r{t}\x1b[K"),
        None => write!(err, "\r\x1b[2K"),
    };
    let _ = err.flush();
}

/// The one line an error becomes: each cause once (a cause whose text the message already holds
/// is not repeated, so an OS error is never printed twice), store errors in `lang` and naming
/// the database `db` where they did not know the path.
pub fn one_line(e: &anyhow::Error, lang: Lang, db: Option<&Path>) -> String {
    let db = db.unwrap_or(Path::new(""));
    let mut msg = String::new();
    for cause in e.chain() {
        let store = cause.downcast_ref::<StoreError>().or_else(|| {
            match cause.downcast_ref::<ImportError>() {
                Some(ImportError::Store(s)) => Some(s),
                _ => None,
            }
        });
        let file = cause
            .downcast_ref::<io::Error>()
            .and_then(crate::files::FileError::inside);
        let crm = cause
            .downcast_ref::<crate::crm::CrmError>()
            .and_then(|c| c.text(lang));
        let text = match (store, file, cause.downcast_ref::<OutputError>()) {
            _ if crm.is_some() => crm.unwrap_or_default(),
            (Some(s), _, _) => s.text(lang, db),
            (None, Some(f), _) => f.text(lang),
            (None, None, Some(OutputError::Failed(e))) if lang == Lang::Ja => {
                format!("出力を書き込めません: {e}")
            }
            _ => cause.to_string(),
        };
        if msg.contains(&text) {
            continue;
        }
        if !msg.is_empty() {
            msg.push_str(": ");
        }
        msg.push_str(&text);
        if store.is_some() {
            break;
        }
    }
    // Messages quote user input (file names, arguments): never let it drive the terminal.
    crate::domain::text::sanitize_line(&msg.replace('\n', " "))
}

/// Whether the error is only a reader that went away.
pub fn is_closed_output(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| matches!(c.downcast_ref::<OutputError>(), Some(OutputError::Closed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_os_error_wrapped_twice_is_printed_once() {
        let io = io::Error::from_raw_os_error(28);
        let e = anyhow::Error::new(crate::export::ExportError::Io(io)).context("export failed");
        let line = one_line(&e, Lang::En, None);
        assert_eq!(line.matches("os error 28").count(), 1, "{line}");
        assert!(
            line.starts_with("export failed: cannot write the export"),
            "{line}"
        );
    }

    #[test]
    fn a_store_error_names_the_database_and_speaks_japanese() {
        let e = anyhow::Error::new(StoreError::DiskFull {
            path: String::new(),
        });
        let en = one_line(&e, Lang::En, Some(Path::new("/x/k.db")));
        assert!(
            en.contains("/x/k.db") && en.contains("disk is full"),
            "{en}"
        );
        let ja = one_line(&e, Lang::Ja, Some(Path::new("/x/k.db")));
        assert!(ja.contains("/x/k.db") && ja.contains("ディスク"), "{ja}");
    }
}
