//! Real faults for the file-discipline tests: a genuinely full disk (a small tmpfs mounted in a
//! private mount namespace, so nothing leaks if a test dies) and another user (when the tests
//! run as root, as in CI).

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Output};

/// Run `script` (bash) with a tmpfs of `size_kb` KiB mounted on `$D`, in a mount namespace of
/// its own (`unshare --mount --map-root-user`): the mount, and every file on it, vanish when
/// the script ends, so the script itself reports what it finds. `$K` is the kaden binary.
/// `fill` in the script fills the disk to the last byte.
pub fn on_small_disk(
    mount_point: &Path,
    size_kb: u32,
    env: &[(&str, &Path)],
    script: &str,
) -> Output {
    std::fs::create_dir_all(mount_point).unwrap();
    let prelude = format!(
        "set -u\n\
         mount -t tmpfs -o size={size_kb}k,mode=0700 tmpfs \"$D\" || exit 97\n\
         fill() {{ dd if=/dev/zero of=\"$D/fill\" bs=4k >/dev/null 2>&1; dd if=/dev/zero of=\"$D/fill2\" bs=512 >/dev/null 2>&1; true; }}\n"
    );
    let mut c = Command::new("unshare");
    c.args(["--mount", "--map-root-user", "bash", "-c"])
        .arg(format!("{prelude}{script}"))
        .env("D", mount_point)
        .env("K", env!("CARGO_BIN_EXE_kaden"))
        .env("KADEN_NOW", super::NOW)
        .env("TZ", "Asia/Tokyo");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    assert_ne!(
        out.status.code(),
        Some(97),
        "could not mount a tmpfs in a private mount namespace: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// This process's effective user id (the owner of what it creates).
pub fn my_uid() -> u32 {
    let probe = std::env::temp_dir().join(format!("kaden-uid-{}", std::process::id()));
    std::fs::write(&probe, b"").unwrap();
    let uid = std::fs::metadata(&probe).unwrap().uid();
    std::fs::remove_file(&probe).unwrap();
    uid
}

/// The user the "someone else" tests run kaden as (nobody).
pub const OTHER_UID: u32 = 65534;

/// A line of `key=value` printed by a script.
pub fn field<'a>(stdout: &'a str, key: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key}= in:\n{stdout}"))
}
