//! What `kaden import` refuses before reading a byte, and the size limits it enforces while
//! reading (documented in the README's import section).
//!
//! The input must be a regular file (or a symlink to one): a FIFO would block forever, a
//! character device like `/dev/zero` never ends, a directory is not a file. The file type is
//! checked with `stat` *before* the file is opened, so a FIFO is never opened at all.

use super::ImportError;
use std::path::Path;

/// The largest file imported (1 GiB: ten times a million-lead export).
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// The longest row (record), quoted line breaks included (1 MiB).
pub const MAX_ROW_BYTES: u64 = 1 << 20;
/// The longest value of a column kaden uses: a name, company, title, phone, email… (4 KiB).
pub const MAX_FIELD_BYTES: usize = 4 * 1024;
/// The most columns a header may have.
pub const MAX_COLUMNS: usize = 1000;

/// `n` bytes in words: "1 GiB", "4 KiB", "512 bytes".
pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 && n.is_multiple_of(1 << 30) => format!("{} GiB", n >> 30),
        n if n >= 1 << 20 && n.is_multiple_of(1 << 20) => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n.is_multiple_of(1 << 10) => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

/// Check that `path` is a regular file within [`MAX_FILE_BYTES`], without opening it.
/// Returns its size. `file` names it in the message.
pub fn check_input(path: &Path, file: &str) -> Result<u64, ImportError> {
    let refuse = |reason: String| ImportError::Input {
        file: file.to_string(),
        reason,
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            return Err(refuse(if link {
                format!(
                    "a symlink that cannot be followed (it loops, or its target is missing: {e})"
                )
            } else if e.kind() == std::io::ErrorKind::NotFound {
                "no such file".into()
            } else {
                format!("cannot read it: {e}")
            }));
        }
    };
    let ft = meta.file_type();
    if ft.is_dir() {
        return Err(refuse("is a directory, not a CSV file".into()));
    }
    if !ft.is_file() {
        return Err(refuse(format!(
            "is {}, not a regular file: save the data to a file and import that",
            special_kind(&ft)
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(refuse(format!(
            "is {} bytes, over the import limit of {} (split it into smaller files)",
            meta.len(),
            human_bytes(MAX_FILE_BYTES)
        )));
    }
    Ok(meta.len())
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "a FIFO (named pipe)"
    } else if ft.is_char_device() {
        "a character device"
    } else if ft.is_block_device() {
        "a block device"
    } else if ft.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_words() {
        assert_eq!(human_bytes(MAX_FILE_BYTES), "1 GiB");
        assert_eq!(human_bytes(MAX_ROW_BYTES), "1 MiB");
        assert_eq!(human_bytes(MAX_FIELD_BYTES as u64), "4 KiB");
        assert_eq!(human_bytes(1000), "1000 bytes");
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_without_opening() {
        let e = check_input(Path::new("/dev/zero"), "/dev/zero")
            .expect_err("refused")
            .to_string();
        assert!(e.contains("character device"), "{e}");
        let e = check_input(Path::new("/tmp"), "/tmp")
            .expect_err("dir")
            .to_string();
        assert!(e.contains("directory"), "{e}");
    }
}
